import type { TransferKernel } from "./transfer-kernel.ts";

/**
 * u_t(k) = P(collapse within t steps | node k) by t applications of the transfer operator:
 * u_{t+1} = dead + K u_t, u_0 = 0 (every node is alive). `readouts[i]` is a list of (node, weight)
 * pairs (the interpolation of a starting point); `horizons` are sorted step counts. Returns
 * value[i][h] = sum_k weight_k u_{horizons[h]}(node_k). Typed arrays, no allocation in the loop.
 */
export function firstPassageProbabilities(
  kernel: TransferKernel,
  horizons: readonly number[],
  readouts: readonly { nodes: Int32Array; weights: Float64Array }[],
): number[][] {
  const n = kernel.grid.size, { rowStart, col, val, dead } = kernel;
  let u = new Float64Array(n), next = new Float64Array(n);
  const out = readouts.map(() => new Array<number>(horizons.length).fill(0));
  let h = 0;
  while (h < horizons.length && horizons[h] <= 0) h++;
  const last = horizons.length > 0 ? horizons[horizons.length - 1] : 0;
  for (let t = 1; t <= last; t++) {
    for (let k = 0; k < n; k++) {
      let s = dead[k];
      const end = rowStart[k + 1];
      for (let e = rowStart[k]; e < end; e++) s += val[e] * u[col[e]];
      next[k] = s;
    }
    const swap = u;
    u = next;
    next = swap;
    while (h < horizons.length && horizons[h] === t) {
      for (let i = 0; i < readouts.length; i++) {
        const r = readouts[i];
        let s = 0;
        for (let j = 0; j < r.nodes.length; j++) s += r.weights[j] * u[r.nodes[j]];
        out[i][h] = s;
      }
      h++;
    }
  }
  return out;
}
