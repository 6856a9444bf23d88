import { writeGradientMoments } from "./gradient-moments.ts";
import { writeFiniteBatchMoments } from "./finite-batch-moments.ts";

/**
 * Which law of the standardised sample xhat the theory averages over:
 * "finite" the exact law for a Gaussian batch of size B (finite-batch-moments.ts; the default),
 * "gauss" the large-B limit N(0, 1) of MODEL.md section 5. They differ by O(1/B).
 */
export type MomentsKind = "finite" | "gauss";

/** Writes [e0, e1, m0, m1, m2] at r (gamma > 0 side; r depends only on |gamma|, see docs/theory.md). */
export function writeMoments(kind: MomentsKind, r: number, alpha: number, batch: number, out: Float64Array): void {
  if (kind === "gauss") writeGradientMoments(r, alpha, 1, out);
  else writeFiniteBatchMoments(r, alpha, batch, out);
}
