/**
 * Where p first rises through `level`, interpolating log x linearly in p between the two points
 * that bracket it; null if it never does. Points are taken in increasing x.
 */
export function crossing(points: readonly { x: number; p: number }[], level: number): number | null {
  const s = [...points].sort((a, b) => a.x - b.x);
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1], b = s[i];
    if (a.p < level && b.p >= level) {
      const f = (level - a.p) / (b.p - a.p);
      return Math.exp(Math.log(a.x) + f * (Math.log(b.x) - Math.log(a.x)));
    }
  }
  return null;
}
