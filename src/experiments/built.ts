import type { Figure } from "../render/figure-files.ts";

/** A figure ready to write, with the caption's measured part and the parameters simulated. */
export interface Built {
  figure: Figure;
  /** what was simulated: one line per measurement */
  simulated: string[];
  /** what was measured, in sentences */
  measured: string[];
}
