/** The scaling analysis of sweep results (docs/scaling-analysis.md). */
export { fitExponent, EXPONENT_LIMIT, type ExponentFit, type GoodnessOfFit, type FitExponentOptions } from "./exponent-fit.ts";
export { type Observation, type FamilyKind } from "./families.ts";
export { localExponents, localRange, type LocalExponent } from "./local.ts";
export { holmAdjust } from "./holm.ts";
export { ESTIMATORS, observationOf, type CellEstimate, type EstimatorId, type EstimatorInfo } from "./estimate.ts";
export { probabilityEstimate } from "./probability.ts";
export { medianEstimate } from "./median.ts";
export { driftEstimate, boundaryEstimate } from "./one-step.ts";
export { linesAlong, type Line, type ScalingAxis } from "./lines.ts";
export { scalingLines, linesOfAxis, pooledLine, MULTIPLICITY, type LineFit, type PooledFit } from "./scaling.ts";
export { verdictKind, verdictOf, VERDICT_KINDS, type VerdictKind } from "./verdict.ts";
export { summaryRows, headline, ESTIMATOR_TAG, type SummaryRow } from "./summary.ts";
export { collapseTest, type CollapseCell, type CollapseTest } from "./collapse.ts";
export { collapseReport, type CollapseReport } from "./collapse-report.ts";
export { fitLogisticPolynomial } from "./logistic.ts";
export { fitSweep, oneStepEstimates, estimatorReport, FIT_RULES, DEFAULT_FIT_TRIALS, DEFAULT_GAP, type FitReport, type FitOptions, type EstimatorReport, type OneStepEstimates } from "./fit-sweep.ts";
export { parseSweepResult } from "./load.ts";
export { fitReportText, summaryTable, summaryCells, localEntry } from "./text.ts";
