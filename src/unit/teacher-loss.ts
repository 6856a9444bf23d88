/**
 * The teacher task's population loss of a unit (docs/psbn.md): with xhat ~ N(0, 1) (the large-batch
 * limit of BN over Gaussian inputs), the excess loss over label noise is
 *
 *   E[(a f(gamma x + beta) - f(gamma* x + beta*))^2] / 2,   x ~ N(0, 1),
 *
 * by Simpson's rule on [-12, 12] (the integrand is piecewise quadratic times a Gaussian). It is how
 * "the teacher loss reached" is compared between norms: a collapsed ReLU unit has the loss of z = 0.
 */
export function teacherExcessLoss(
  gamma: number,
  beta: number,
  teacherGamma: number,
  teacherBeta: number,
  readout = 1,
  alpha = 0,
): number {
  const n = 4000, lo = -12, h = (2 * 12) / n;
  const f = (y: number) => (y > 0 ? y : alpha * y);
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    const x = lo + k * h;
    const d = readout * f(gamma * x + beta) - f(teacherGamma * x + teacherBeta);
    const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    acc += w * d * d * Math.exp(-0.5 * x * x);
  }
  return ((acc * h) / 3 / Math.sqrt(2 * Math.PI)) / 2;
}
