import { E0, E1, M0, M1, M2 } from "./gradient-moments.ts";
import { writeFiniteBatchMoments } from "./finite-batch-moments.ts";
import { normalCdf, normalPdf } from "./det-special.ts";

/**
 * Which law of the standardised sample xhat the theory averages over:
 * "finite" the exact law for a Gaussian batch of size B (finite-batch-moments.ts; the default),
 * "gauss" the large-B limit N(0, 1) of docs/model.md section 5. They differ by O(1/B).
 */
export type MomentsKind = "finite" | "gauss";

/** Writes [e0, e1, m0, m1, m2] at r (gamma > 0 side; r depends only on |gamma|, see docs/theory.md). */
export function writeMoments(kind: MomentsKind, r: number, alpha: number, batch: number, out: Float64Array): void {
  if (kind === "gauss") writeGaussMoments(r, alpha, out);
  else writeFiniteBatchMoments(r, alpha, batch, out);
}

/**
 * The N(0, 1) moments of gradient-moments.ts (gamma > 0), on det-special.ts so that the theory's numbers
 * are the same bits under every engine (the engine's reduced model keeps gradient-moments.ts itself).
 */
function writeGaussMoments(r: number, alpha: number, out: Float64Array): void {
  const a2 = alpha * alpha;
  if (r === Infinity || r === -Infinity) {
    const a = r > 0 ? 1 : alpha;
    out[E0] = a; out[E1] = 0; out[M0] = a * a; out[M1] = 0; out[M2] = a * a;
    return;
  }
  const P = normalCdf(r), q = normalPdf(r), activeX2 = P - r * q;
  out[E0] = P + alpha * (1 - P);
  out[E1] = (1 - alpha) * q;
  out[M0] = P + a2 * (1 - P);
  out[M1] = (1 - a2) * q;
  out[M2] = activeX2 + a2 * (1 - activeX2);
}
