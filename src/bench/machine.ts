import { availableParallelism, cpus, loadavg, platform, arch } from "node:os";

/** What the numbers were measured on: they mean little without it. */
export interface MachineFacts {
  cores: number;
  cpu: string;
  platform: string;
  runtime: "node" | "deno";
  node: string | null;
  deno: string | null;
  v8: string | null;
  /** 1, 5 and 15-minute load averages when the bench started and when it ended */
  loadAverageStart: number[];
  loadAverageEnd: number[] | null;
}

const deno = (globalThis as { Deno?: { version: { deno: string; v8: string } } }).Deno;

export function machineFacts(): MachineFacts {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    platform: `${platform()} ${arch()}`,
    runtime: deno ? "deno" : "node",
    node: deno ? null : process.versions.node,
    deno: deno ? deno.version.deno : null,
    v8: deno ? deno.version.v8 : process.versions.v8,
    loadAverageStart: loadAverage(),
    loadAverageEnd: null,
  };
}

export function loadAverage(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}
