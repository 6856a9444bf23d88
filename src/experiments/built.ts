import type { SweepProblem } from "../ensemble/problem.ts";
import type { Figure } from "../render/figure-files.ts";

/** One series' settings, for the caption's table of what differs and line of what is shared. */
export interface SeriesSettings {
  name: string;
  config: SweepProblem["config"];
  trialsWord?: string;
}

/** A figure ready to write, with its caption's parts. */
export interface Built {
  figure: Figure;
  /** what is plotted, in one sentence */
  plotted: string;
  /** what was measured: at most three sentences with the key numbers and their intervals */
  headline: string[];
  /** the settings of each series (a table of what differs, a line of what is shared) */
  settings?: SeriesSettings[];
  /** what was simulated beyond `settings` (or instead of it, where no sweep config describes it): one line each */
  simulated: string[];
  /** the full account of every number: how it was measured and fitted (a details block of the index) */
  measured: string[];
}
