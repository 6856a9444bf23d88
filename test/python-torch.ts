/** Test helper (not a test file): a Python 3 that has torch and scikit-learn, for the PyTorch reference. */
import { spawnSync } from "node:child_process";

let found: string | null | undefined;

/**
 * The first of $BN_COLLAPSE_PYTHON, python3, /usr/bin/python3 that imports torch and sklearn (a pyenv
 * python3 on PATH may shadow Debian's, which has them), or null.
 */
export function torchPython(): string | null {
  if (found !== undefined) return found;
  const candidates = [process.env.BN_COLLAPSE_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  found = candidates.find((py) => spawnSync(py, ["-c", "import torch, sklearn"], { stdio: "ignore" }).status === 0) ?? null;
  return found;
}

/**
 * How a test that needs torch treats its absence: under CI (which installs python3-torch and
 * python3-sklearn) it fails; elsewhere it is skipped with the reason.
 */
export function torchOrSkip(): { python: string } | { skip: string } {
  const python = torchPython();
  if (python) return { python };
  if (process.env.CI) throw new Error("CI: no python3 with torch and sklearn (apt-get install python3-torch python3-sklearn)");
  return { skip: "no python3 with torch and sklearn here (apt-get install python3-torch python3-sklearn)" };
}
