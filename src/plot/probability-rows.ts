import { floor125 } from "./log-scale.ts";
import { wilsonInterval } from "../stats/binomial.ts";
import { REFERENCE_COLOR } from "./theme.ts";

/**
 * An asymmetric 95% interval for a fraction p known with standard error `se` (a cluster or seed
 * spread): Wilson at the effective number of independent trials n_eff = p(1 − p)/se², capped at
 * `nMax` (the trials actually run). Its lower end stays above 0, unlike p ± 1.96 SE, so it can be
 * drawn on a log axis; for large n_eff the two agree.
 */
export function effectiveWilson(p: number, se: number, nMax: number): { lo: number; hi: number; nEff: number } {
  const nEff = Number.isFinite(se) && se > 0 && p > 0 && p < 1 ? Math.min(nMax, (p * (1 - p)) / (se * se)) : nMax;
  const [lo, hi] = wilsonInterval(p * nEff, nEff);
  return { lo, hi, nEff };
}

/**
 * A probability with its interval, made ready for a log y axis: `shown` is p where p > 0 (else
 * null), `low` the lower bound clamped to the axis floor (the upper bound where p = 0), `bound` the
 * upper bound where nothing collapsed (drawn as an open down-triangle: "below this"), `cut` the
 * floor where the interval's lower end is 0 or below it (drawn as an arrow: "continues down").
 */
export interface LogProbabilityRow {
  shown: number | null;
  low: number;
  high: number;
  bound: number | null;
  cut: number | null;
}

/**
 * The y floor for a set of probabilities: a 1-2-5 step below every positive p, every bound and every
 * positive lower end (with a margin of 1.2), so an asymmetric (Wilson, Clopper-Pearson) interval is
 * never cut. Only a lower end at 0 (a normal interval) reaches the floor, and it is marked there.
 */
export function probabilityFloor(rows: readonly { p: number; lo: number; hi: number }[]): number {
  return floor125(rows.flatMap((r) => [r.p > 0 ? r.p : r.hi, r.p > 0 && r.lo > 0 ? r.lo : Infinity]).map((v) => v / 1.2));
}

export function toLogRow(r: { p: number; lo: number; hi: number }, floor: number): LogProbabilityRow {
  return {
    shown: r.p > 0 ? r.p : null,
    // where nothing collapsed the band pinches to the bound instead of plunging to the axis floor
    low: Math.max(r.p > 0 ? r.lo : r.hi, floor),
    high: Math.max(r.hi, floor),
    bound: r.p > 0 ? null : r.hi,
    cut: r.p > 0 && r.lo < floor ? floor : null,
  };
}

/** The legend entries of the two marks every log probability figure may carry. */
export const NONE_COLLAPSED = "none collapsed: upper 95% bound";
export const CUT_BELOW = "interval continues below the axis";

/** Kept for callers that name the zero marker in a subtitle. */
export const ZERO_NOTE = "▽: none collapsed, at the upper end of the 95% interval";

/**
 * Horizontal offsets (in pixels) for markers that would sit on each other: markers of different
 * series closer than `near` pixels in x and in y (chained) are spread `step` pixels apart, in series
 * order, centred on their mean x. `x` and `y` are positions in pixels.
 */
export function dodgeOffsets(markers: readonly { x: number; y: number; order: number }[], near = 7, step = 7): number[] {
  const out = new Array<number>(markers.length).fill(0);
  const group = markers.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i])));
  for (let i = 0; i < markers.length; i++) {
    for (let j = i + 1; j < markers.length; j++) {
      if (Math.abs(markers[i].x - markers[j].x) < near && Math.abs(markers[i].y - markers[j].y) < near) group[root(i)] = root(j);
    }
  }
  const clusters = new Map<number, number[]>();
  markers.forEach((_, i) => clusters.set(root(i), [...(clusters.get(root(i)) ?? []), i]));
  for (const c of clusters.values()) {
    if (c.length < 2) continue;
    const sorted = [...c].sort((a, b) => markers[a].order - markers[b].order || a - b);
    const mean = sorted.reduce((a, i) => a + markers[i].x, 0) / sorted.length;
    sorted.forEach((i, k) => (out[i] = mean + (k - (sorted.length - 1) / 2) * step - markers[i].x));
  }
  return out;
}

/** Series (by name, in order) whose rows equal an earlier series' rows at every x: name -> the earlier one. */
export function identicalSeries<T extends { lr: number; p: number; lo: number; hi: number }>(rows: readonly T[], name: (r: T) => string, order: readonly string[]): Map<string, string> {
  const sig = (s: string) =>
    rows
      .filter((r) => name(r) === s)
      .map((r) => `${r.lr}:${r.p}:${r.lo}:${r.hi}`)
      .sort()
      .join(";");
  const out = new Map<string, string>();
  const seen: [string, string][] = [];
  for (const s of order) {
    const k = sig(s);
    const twin = seen.find(([, v]) => v === k && k !== "");
    if (twin) out.set(s, twin[0]);
    else seen.push([s, k]);
  }
  return out;
}

/** An arrow pointing down, as a vega symbol path (unit square): "the interval goes on below". */
export const DOWN_ARROW = "M0,1L-0.7,0.1H-0.22V-1H0.22V0.1H0.7Z";

/**
 * The layers of the open markers a probability figure may need: "none collapsed" triangles at the
 * upper bound (field `bound`) and arrows where an interval is cut at the axis floor (field `cut`),
 * each with its own shape legend entry, and only those that occur in the rows.
 */
export function boundMarkerLayers(rows: readonly { bound: number | null; cut: number | null }[], xMark: object, y: object, quiet: object): unknown[] {
  const marks = [...(rows.some((r) => r.bound !== null) ? [NONE_COLLAPSED] : []), ...(rows.some((r) => r.cut !== null) ? [CUT_BELOW] : [])];
  const shapeScale = { domain: marks, range: marks.map((m) => (m === NONE_COLLAPSED ? "triangle-down" : DOWN_ARROW)) };
  const shape = (what: string) => ({ datum: what, type: "nominal", title: null, scale: shapeScale, legend: { symbolFillColor: "transparent", symbolStrokeColor: REFERENCE_COLOR, symbolStrokeWidth: 1.5 } });
  const layers: unknown[] = [];
  if (marks.includes(NONE_COLLAPSED)) {
    layers.push({
      transform: [{ filter: "datum.bound !== null" }],
      mark: { type: "point", filled: false, strokeWidth: 1.5, opacity: 1 },
      encoding: { x: xMark, y: { ...y, field: "bound" }, color: quiet, shape: shape(NONE_COLLAPSED) },
    });
  }
  if (marks.includes(CUT_BELOW)) {
    layers.push({
      transform: [{ filter: "datum.cut !== null" }],
      mark: { type: "point", filled: false, strokeWidth: 1.3, size: 50, opacity: 1 },
      encoding: { x: xMark, y: { ...y, field: "cut" }, color: quiet, shape: shape(CUT_BELOW) },
    });
  }
  return layers;
}
