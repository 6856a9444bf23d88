import type { Progress } from "../ensemble/sweep.ts";

/**
 * Progress on stderr, silent for the first two seconds (short runs print nothing): on a terminal
 * one line rewritten in place each second, otherwise a line every ten seconds.
 */
export function createProgressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  const every = tty ? 1 : 10;
  let lastPrint = 0;
  let printed = false;
  return {
    update(p: Progress): void {
      const t = p.elapsedSeconds;
      if (t < 2 || t - lastPrint < every) return;
      lastPrint = t;
      printed = true;
      const rate = p.trajectoriesDone / t;
      const left = rate > 0 ? (p.trajectories - p.trajectoriesDone) / rate : NaN;
      const line = `${label}: ${p.cellsDone}/${p.cells} cells, ${p.trajectoriesDone}/${p.trajectories} trajectories, ${formatRate(rate)} traj/s, ~${formatSeconds(left)} left`;
      stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    finish(p: Progress | null): void {
      if (!printed || p === null) return;
      const line = `${label}: ${p.cells} cells, ${p.trajectories} trajectories in ${formatSeconds(p.elapsedSeconds)}`;
      stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}

function formatRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : r >= 1e3 ? `${(r / 1e3).toFixed(1)}k` : r.toFixed(0);
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
