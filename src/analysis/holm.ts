/**
 * Holm's step-down adjustment of m p-values (family-wise error control under any dependence):
 * sorted ascending, p_(i) becomes max over j <= i of min(1, (m - j + 1) p_(j)). Rejecting where the
 * adjusted p is below alpha is Holm's procedure at level alpha. Nulls (no test) stay null and do not
 * count toward m.
 */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.flatMap((p, i) => (p === null ? [] : [{ p, i }])).sort((a, b) => a.p - b.p);
  const m = tested.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  tested.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
