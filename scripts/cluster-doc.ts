/**
 * The plans shown in docs/cluster.md are the command's own output: each block follows a marker
 *   <!-- plan: --tasks 16 ... -->
 * naming the plan's arguments, and ends at <!-- /plan -->. `tsx scripts/cluster-doc.ts` rewrites every
 * block from the command; test/plan.test.ts fails when one differs, so the doc cannot drift.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { planText } from "../src/cli/plan-command.ts";

export const DOC = fileURLToPath(new URL("../docs/cluster.md", import.meta.url));

const BLOCK = /(<!-- plan: ([^>]*?) -->\n)```(\w*)\n([\s\S]*?)```\n(<!-- \/plan -->)/g;

export interface PlanBlock {
  args: string[];
  shown: string;
  made: string;
}

/** Every plan block of the doc, with the text shown and the text the command makes now. */
export function planBlocks(doc: string): PlanBlock[] {
  return [...doc.matchAll(BLOCK)].map((m) => {
    const args = m[2].trim().split(/\s+/);
    const plan = planText(args);
    if (plan === "help") throw new Error(`docs/cluster.md: plan block "${m[2]}" asks for help`);
    return { args, shown: m[4], made: plan.text };
  });
}

/** The doc with every plan block made afresh. */
export function refreshDoc(doc: string): string {
  return doc.replace(BLOCK, (_all, marker: string, argText: string, lang: string, _shown: string, end: string) => {
    const plan = planText(argText.trim().split(/\s+/));
    if (plan === "help") throw new Error(`plan block "${argText}" asks for help`);
    return `${marker}\`\`\`${lang}\n${plan.text}\`\`\`\n${end}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(DOC, "utf8");
  const fresh = refreshDoc(doc);
  if (fresh !== doc) writeFileSync(DOC, fresh);
  process.stdout.write(`${DOC}: ${planBlocks(fresh).length} plan blocks ${fresh === doc ? "already current" : "rewritten"}\n`);
}
