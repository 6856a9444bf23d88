import { betaQuantile, Z95 } from "../stats/special.ts";

export { Z95 };

/** Two-sided 95% quantile of Student's t with `dof` degrees of freedom (t = sqrt(dof (1 - x) / x), x ~ Beta(dof/2, 1/2)). */
export function t975(dof: number): number {
  if (!(dof > 0)) return NaN;
  const x = betaQuantile(0.05, dof / 2, 0.5);
  return Math.sqrt((dof * (1 - x)) / x);
}

/** A symmetric 95% interval. */
export function interval(value: number, halfWidth: number): [number, number] {
  return [value - halfWidth, value + halfWidth];
}
