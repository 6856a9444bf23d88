/** The speed targets of issue 7, as ratios measured in one run on one machine (reported, not asserted). */
export interface Ratios {
  /** mechanistic one-worker sample-steps/s over the numpy reference's */
  mechanistic1VsNumpy: number | null;
  /** mechanistic one-worker sample-steps/s over the C reference's */
  mechanistic1VsC: number | null;
  /** mechanistic all-cores over one-worker, both on threads that have run a sweep before */
  allCoresVs1: number | null;
  /** the same had the all-cores runs also started their threads (reported, no target) */
  allCoresVs1Cold: number | null;
  /** reduced trajectory-steps/s over mechanistic trajectory-steps/s (sample-steps / B), one worker */
  reducedVsMechanistic: number | null;
}

export interface TargetCheck {
  ratio: keyof Ratios;
  label: string;
  target: number;
  value: number | null;
  met: boolean | null;
  note?: string;
}

export function checkTargets(r: Ratios, cores: number): TargetCheck[] {
  // `cores`: the workers of the all-cores runs
  const t = (ratio: keyof Ratios, label: string, target: number, note?: string): TargetCheck => {
    const value = r[ratio];
    return { ratio, label, target, value, met: value === null ? null : value >= target, ...(note ? { note } : {}) };
  };
  const scaling = cores === 2 ? 1.8 : 0.9 * cores;
  const scalingCheck = cores > 1
    ? t("allCoresVs1", `all ${cores} cores / 1 worker`, scaling, cores === 2 ? undefined : "target 1.8x is for 2 cores; 0.9 x cores here")
    : { ratio: "allCoresVs1" as const, label: "all cores / 1 worker", target: 1.8, value: null, met: null, note: "one worker only" };
  return [
    t("mechanistic1VsNumpy", "mechanistic, 1 worker / numpy", 2),
    t("mechanistic1VsC", "mechanistic, 1 worker / C", 0.67),
    scalingCheck,
    t("reducedVsMechanistic", "reduced / mechanistic per trajectory-step", 10),
  ];
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : null;
}
