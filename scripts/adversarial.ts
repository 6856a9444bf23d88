/**
 * The adversarial run of issue 18, redone: a broad set of bad and edge inputs across every subcommand
 * and config files, each run as a user would (the bin, a fresh folder, a timeout), classified as
 *   refused   exit 2, one line on stderr, no stack trace, no file left
 *   accepted  exit 0 (an edge input the tool takes)
 *   io error  exit 1 with one line naming a failed write (stdout on a full device, a closed pipe): by design
 *   crash     exit 1 otherwise, a signal, or a stack trace
 *   wrong     exit 0 where the input must be refused, or any other exit code
 *   files     a refusal or crash that left a file (or a .tmp / .lock after any run)
 *   timeout   killed at the timeout (a hang, or accepted work longer than the timeout)
 * Usage: node --import tsx scripts/adversarial.ts [--json] [--timeout S] [--only GROUP]   (about 10 minutes on 2 cores)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIELD_NAMES, SWEEP_FIELDS } from "../src/config/fields.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "bn-collapse.mjs");
const argTimeout = process.argv.indexOf("--timeout");
const timeoutMs = (argTimeout > 0 ? Number(process.argv[argTimeout + 1]) : 20) * 1000;

type Expect = "refuse" | "either";
interface Case {
  group: string;
  args: string[];
  expect: Expect;
  /** files to make in the run's folder first (name -> text; "@dir" a folder, "@link:target" a symlink) */
  files?: Record<string, string>;
  /** a shell redirection after the command */
  shell?: string;
}

const TINY = ["--steps", "20", "--trials", "10", "--workers", "1", "--quiet"];
const kebab = (f: string) => f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Values no numeric setting may take, and edge values some may. */
const NEVER = ["", "abc", "NaN", "1e309", "-Infinity", "1,,2", "0.1:0.2:0", "0.1:0.2:x", "0x10", "1 2", "[1]", "{}", "true"];
const EDGE = ["0", "-1", "1e-300", "1e20", "0.5", "2", "-0", "1e6"];

const cases: Case[] = [];
const add = (group: string, args: string[], expect: Expect, extra: Partial<Case> = {}) => cases.push({ group, args, expect, ...extra });

// sweep: every setting of the table with bad and edge values
for (const name of FIELD_NAMES) {
  const f = SWEEP_FIELDS[name];
  const flag = `--${f.kind === "toggle" ? f.flag : kebab(name)}`;
  if (f.kind === "toggle") {
    add("sweep flags", ["sweep", ...TINY, flag, "x"], "refuse");
    add("sweep flags", ["sweep", ...TINY, `${flag}=1`], "refuse");
    continue;
  }
  const numeric = f.kind === "list" || f.kind === "integer" || f.kind === "number";
  for (const v of NEVER) if (numeric || v === "") add("sweep flags", ["sweep", ...TINY, flag, v].filter((x, i, a) => !(x === "" && a[i - 1] === flag) || true), "refuse");
  if (numeric) for (const v of EDGE) add("sweep flags", ["sweep", ...TINY, flag, v], "either");
  if (f.kind === "term" || f.kind === "choice") for (const v of ["unknown", "ratio", "gauss:", "student:0", "leaky:x", "linear:0", "momentum:1.5", "adam:2", "step:0:0.5", "1/(t-", "t*", "psbn:x"]) add("sweep flags", ["sweep", ...TINY, flag, v], "either");
}
// sweep: run flags and combinations
for (const args of [
  ["--workers", "0"], ["--workers", "1e9"], ["--workers", "-1"], ["--format", "xml"], ["--format", ""], ["--shard", "0/2"], ["--shard", "3/2"],
  ["--shard", "1/0"], ["--shard", "a/b"], ["--shard", "1/2", "--format", "csv"], ["--shards", "2"], ["--shard", "auto"], ["--nope"], ["--gama", "1"],
  ["-l"], ["extra"], ["--lr"], ["--lr", "0.1", "--lr", "0.2"], ["--config"], ["--config", "missing.json"], ["--out"], ["--out", "no/such/dir/x.json"],
  ["--out", "new/"], ["--out", "/proc/version"], ["--out", "."], ["--out", "/dev/full"], ["--out", "link.json"], ["--out", "fifo"],
  ["--beta", "-3.01", "--collapse", "ratio:3"], ["--collapse", "ratio:-3"], ["--lr", "0.1,0.1"], ["--lr", "0.1:0.1:3"], ["--schedule", "0"],
  ["--phases", '[{"steps":10,"lr":0.1,"schedule":"-1"}]'], ["--phases", '[{"steps":10,"lr":0.1,"weight_decay":0}]'], ["--phases", "[]"],
  ["--phases", '[{"steps":300000000,"lr":0.1}]', "--trials", "100000"], ["--batch", "1e8"], ["--batch", "100000000", "--input", "linear:4096"],
  ["--schedule", "sum(ones(10000,10000))"], ["--schedule", "sum(ones(1000,1000))/1e6"], ["--lr", "0.1:1:100000", "--gamma", "0.1:1:100000"],
  ["--trials", "100000000000"], ["--steps", "3000000000"], ["--km-points", "1"], ["--seed", ""],
]) add("sweep run", ["sweep", ...TINY, ...args], "refuse", { files: { "@link:link.json": "target.json", "target.json": "keep\n", "@fifo:fifo": "" } });
for (const args of [["--lr", "0.1:0.4:3log"], ["--seed", "text seed"], ["--run-to-horizon"], ["--format", "csv"], ["--beta", "-2.99", "--collapse", "ratio:3"], ["--shard", "2/3"], ["--streams", "common"]]) {
  add("sweep run", ["sweep", ...TINY, ...args], "either");
}
for (const tail of ["> /dev/full", ">&-", "| head -c 100 > /dev/null"]) add("sweep stdout", ["sweep", ...TINY, "--lr", "0.1:0.4:300"], "refuse", { shell: tail });
// config files
for (const [text, expect] of [
  ["{not json", "refuse"], ["[1,2]", "refuse"], ["null", "refuse"], ['{"lr":[0.1,"x"]}', "refuse"], ['{"trials":0,"steps":20}', "refuse"], ['{"colapse":"dead"}', "refuse"],
  ['{"batch":1}', "refuse"], ['{"phases":[{"steps":10,"lr":0.1,"weight_decay":0}]}', "refuse"], ['{"phases":"[{\\"steps\\":10,\\"lr\\":0.1}]"}', "either"],
  ['{"__proto__":{"lr":[9]}}', "refuse"], ['{"constructor":1}', "refuse"], ['{"lr":[]}', "refuse"], ['{"seed":1.5}', "refuse"], ['{"steps":1e400,"trials":10}', "refuse"],
  ['{"interval":"foo"}', "refuse"], ['{"lr":"0.1,0.1"}', "refuse"], ["", "refuse"], ['{"lr":0.2,"steps":20,"trials":10}', "either"],
] as const) {
  // the run's size comes from the file where the case is about steps or trials, from flags otherwise
  const size = /"steps"|"trials"/.test(text) ? [] : ["--steps", "20", "--trials", "10"];
  add("config files", ["sweep", "--workers", "1", "--quiet", ...size, "--config", "c.json"], expect, { files: { "c.json": text } });
}
add("config files", ["sweep", "--config", "c.json", "--out", "c.json", "--workers", "1"], "refuse", { files: { "c.json": '{"lr":0.1,"steps":20,"trials":10}' } });
add("config files", ["sweep", "--config", "dir"], "refuse", { files: { "@dir:dir": "" } });
// theory
for (const args of [["--moments", "x"], ["--predictor", "3d"], ["--finite-step", "maybe"], ["--shard", "1/2"], ["--moments"], ["--out", "no/dir/t.json"], ["--lr", "0"], ["--format", "xml"], ["--gamma", "0"]]) {
  add("theory", ["theory", "--lr", "0.1", "--steps", "20", "--quiet", ...args], "refuse");
}
add("theory", ["theory", "--lr", "0.1", "--steps", "20", "--quiet", "--format", "csv"], "either");
// fit
const fitSetup = { "g.json": "" };
for (const args of [["--trials", "1e12"], ["--trials", "x"], ["--trials", "1"], ["--gap", "1e308"], ["--gap", "0"], ["--gap", "-1"], ["--format", "xml"], ["a.json", "b.json"], []]) {
  add("fit", ["fit", ...(args.length === 0 || args[0].endsWith(".json") ? args : ["g.json", ...args])], "refuse", { files: fitSetup });
}
for (const [text, name] of [["{not json", "bad.json"], ['{"tool":"bn-collapse","kind":"theory"}', "th.json"], ['{"tool":"bn-collapse","kind":"sweep","cells":[]}', "empty.json"], ["lr,gamma\n0.1,1\n", "csv.json"]]) {
  add("fit", ["fit", name], "refuse", { files: { [name]: text } });
}
add("fit", ["fit", "dir"], "refuse", { files: { "@dir:dir": "" } });
// merge
for (const args of [[], ["missing.json"], ["x.json"], ["x.json", "x.json"], ["x.json", "--format", "xml"], ["x.json", "--out", "x.json"], ["x.json", "--out", "no/dir/m.json"], ["dir"]]) {
  add("merge", ["merge", ...args], "refuse", { files: { "x.json": '{"tool":"bn-collapse","kind":"sweep-shard"}', "@dir:dir": "" } });
}
// layer
for (const args of [["--units", "0"], ["--units", "1e9"], ["--batch", "1"], ["--steps", "0"], ["--layers", "1"], ["--label-noise", "-1"], ["--lr", "0"], ["--lr", "x"], ["--format", "xml"], ["--out", "no/dir/l.json"], ["--seed"], ["--nope"]]) {
  add("layer", ["layer", "--steps", "20", "--layers", "2", "--single-trials", "5", ...args].filter((x, i, a) => !(x === "--steps" && args.includes("--steps") && a.indexOf(x) === i)), "refuse");
}
add("layer", ["layer", "--lr", "0.1,1", "--steps", "200", "--layers", "4", "--single-trials", "50"], "either");
// plan
for (const args of [["--tasks", "0"], ["--tasks", "x"], ["--scheduler", "pbs"], ["--cpus-per-task", "0"], ["--name", "a b"], ["--time", "forever"], ["--launcher", "a'b"], ["--out", "no/dir/p.sh"], []]) {
  add("plan", ["plan", ...args, "--lr", "0.1"], "refuse");
}
add("plan", ["plan", "--tasks", "2", "--lr", "0.1"], "either");
// scan
for (const [name, text] of [["empty.safetensors", ""], ["short.safetensors", "\u0001\u0000"], ["junk.safetensors", "xxxxxxxxxxxxxxxxxxxxxxxx"], ["huge.safetensors", "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f{}"]]) {
  add("scan", ["scan", name], "refuse", { files: { [name]: text } });
}
for (const args of [[], ["missing.safetensors"], ["dir"], ["e.safetensors", "--batch", "1"], ["e.safetensors", "--collapse", "sparsity:2"], ["e.safetensors", "--format", "xml"], ["e.safetensors", "--out", "no/dir/s.txt"], ["e.safetensors", "--figure", "no/dir/f"]]) {
  add("scan", ["scan", ...args], "refuse", { files: { "@dir:dir": "" } });
}
// reproduce and bench: flags only (the runs themselves are long)
for (const args of [["--only", "nope"], ["--workers", "0"], ["--findings"], ["--only", "p-vs-lr", "--findings", "f.md"], ["--out", "no/such/dir"], ["--out", "file"], ["extra"], ["--nope"]]) {
  add("reproduce", ["reproduce", "--quick", ...args], "refuse", { files: { file: "x" } });
}
for (const args of [["--nope"], ["--workers", "0"], ["extra"], ["--json=1"]]) add("bench", ["bench", ...args], "refuse");
// the command word and help
for (const args of [["swep"], ["Sweep"], ["__proto__"], ["constructor"], [""], ["--nope"]]) add("command", args, "refuse");
for (const args of [["help"], ["--help"], ["-h"], ["--version"], ["help", "sweep"], ["sweep", "-h"], ["theory", "--help"], ["fit", "-h"], ["merge", "--help"], ["layer", "-h"], ["plan", "--help"], ["scan", "-h"], ["reproduce", "--help"], ["bench", "--help"]]) {
  add("command", args, "either");
}

interface Outcome {
  c: Case;
  code: number | null;
  signal: string | null;
  stderr: string;
  left: string[];
  ms: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function runCase(c: Case): Outcome {
  const dir = mkdtempSync(join(tmpdir(), "bnc-adv-"));
  try {
    for (const [name, text] of Object.entries(c.files ?? {})) {
      if (name.startsWith("@dir:")) mkdirSync(join(dir, name.slice(5)));
      else if (name.startsWith("@link:")) symlinkSync(join(dir, text), join(dir, name.slice(6)));
      else if (name.startsWith("@fifo:")) spawnSync("mkfifo", [join(dir, name.slice(6))]);
      else writeFileSync(join(dir, name), text);
    }
    const before = new Set(readdirSync(dir));
    const t0 = performance.now();
    const r = c.shell
      ? spawnSync("bash", ["-c", `${[process.execPath, bin, ...c.args].map(quote).join(" ")} ${c.shell}; exit \${PIPESTATUS[0]}`], { cwd: dir, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" })
      : spawnSync(process.execPath, [bin, ...c.args], { cwd: dir, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
    const ms = performance.now() - t0;
    const left = readdirSync(dir).filter((f) => !before.has(f));
    return { c, code: r.status, signal: r.signal, stderr: r.stderr ?? "", left, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Verdict = "refused" | "accepted" | "io error" | "crash" | "wrong" | "files" | "timeout";

function classify(o: Outcome): Verdict {
  if (o.signal === "SIGKILL" && o.ms >= timeoutMs - 100) return "timeout";
  if (o.code === 1 && o.stderr.trim().split("\n").length === 1 && /: error: cannot write /.test(o.stderr) && o.left.length === 0) return "io error";
  const stack = /\n\s+at /.test(o.stderr) || /THREW|Error:/.test(o.stderr.split("\n")[0] ?? "") && o.code !== 2;
  const stray = o.left.filter((f) => /\.tmp$|\.lock$|\.probe$/.test(f));
  if (o.code === 1 || o.signal !== null || stack) return "crash";
  if (o.code === 2) {
    if (o.left.length > 0) return "files";
    return o.stderr.trim().split("\n").length === 1 ? "refused" : "crash";
  }
  if (o.code === 0) {
    if (stray.length > 0) return "files";
    return o.c.expect === "refuse" ? "wrong" : "accepted";
  }
  return "wrong";
}

const onlyAt = process.argv.indexOf("--only");
const chosen = onlyAt > 0 ? cases.filter((c) => c.group === process.argv[onlyAt + 1]) : cases;
const outcomes: Outcome[] = [];
const t0 = performance.now();
for (const [i, c] of chosen.entries()) {
  outcomes.push(runCase(c));
  if (process.stderr.isTTY) process.stderr.write(`\radversarial: ${i + 1}/${chosen.length}`);
}
if (process.stderr.isTTY) process.stderr.write("\n");

const verdicts: Verdict[] = ["refused", "accepted", "io error", "crash", "wrong", "files", "timeout"];
const groups = [...new Set(chosen.map((c) => c.group))];
const table = groups.map((g) => {
  const mine = outcomes.filter((o) => o.c.group === g);
  return { group: g, tried: mine.length, ...Object.fromEntries(verdicts.map((v) => [v, mine.filter((o) => classify(o) === v).length])) };
});
const total = { group: "all", tried: outcomes.length, ...Object.fromEntries(verdicts.map((v) => [v, outcomes.filter((o) => classify(o) === v).length])) };
const bad = outcomes.filter((o) => ["crash", "wrong", "files", "timeout"].includes(classify(o)));

if (process.argv.includes("--json")) {
  process.stdout.write(JSON.stringify({ table: [...table, total], problems: bad.map((o) => ({ verdict: classify(o), args: o.c.args, shell: o.c.shell, code: o.code, stderr: o.stderr.slice(0, 300), left: o.left })) }, null, 2) + "\n");
} else {
  const head = ["group", "tried", ...verdicts];
  const rows = [...table, total].map((r) => head.map((h) => String((r as Record<string, unknown>)[h])));
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(" | ")} |`;
  process.stdout.write([line(head), `|${w.map((n, i) => (i === 0 ? "-".repeat(n + 2) : `${"-".repeat(n + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n") + "\n");
  process.stdout.write(`\n${outcomes.length} inputs in ${((performance.now() - t0) / 1000).toFixed(0)} s (timeout ${timeoutMs / 1000} s each)\n`);
  for (const o of bad) process.stdout.write(`${classify(o)}: ${o.c.args.join(" ")}${o.c.files?.["c.json"] !== undefined ? ` (c.json: ${o.c.files["c.json"]})` : ""}${o.c.shell ? ` ${o.c.shell}` : ""} -> exit ${o.code ?? o.signal}: ${o.stderr.trim().split("\n")[0]?.slice(0, 200)}${o.left.length ? ` [left: ${o.left.join(", ")}]` : ""}\n`);
}
