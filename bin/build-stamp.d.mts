// Types of build-stamp.mjs, for the tests that import it.
export declare const STAMP: string;
export declare function inputsFingerprint(root: string): string;
export declare function chooseEntry(root: string): { kind: "dist" } | { kind: "sources"; why: string };
