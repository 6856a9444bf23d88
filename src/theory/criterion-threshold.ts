import type { Criterion } from "../model/problem.ts";
import { normalQuantile } from "./det-special.ts";

/**
 * The threshold on r of a criterion (collapse once r <= threshold), as src/model/criteria.ts defines
 * it, but with the sparsity quantile from det-special.ts, so that the theory's inputs are the same bits
 * under every engine. null for the criterion on |gamma|.
 */
export function ratioThreshold(criterion: Criterion, batch: number): number | null {
  switch (criterion.kind) {
    case "dead":
      return -Math.sqrt(batch - 1);
    case "ratio":
      return -criterion.c;
    case "sparsity":
      return normalQuantile(1 - criterion.s);
    case "gamma":
      return null;
  }
}
