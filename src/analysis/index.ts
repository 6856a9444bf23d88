/** The scaling analysis of sweep results (docs/scaling-analysis.md). */
export { fitPowerLaw, localExponents, type LogPoint, type PowerLawFit, type LocalExponent } from "./regression.ts";
export { ESTIMATORS, type CellEstimate, type EstimatorId, type EstimatorInfo } from "./estimate.ts";
export { probabilityEstimate } from "./probability.ts";
export { medianEstimate } from "./median.ts";
export { driftEstimate, boundaryEstimate } from "./one-step.ts";
export { linesAlong, type Line, type ScalingAxis } from "./lines.ts";
export { scalingLines, pooledLine, type LineFit, type PooledFit } from "./scaling.ts";
export { fitCommonSlope } from "./pooled.ts";
export { verdictKind, type VerdictKind } from "./verdict.ts";
export { collapseTest, type CollapseCell, type CollapseTest } from "./collapse.ts";
export { collapseReport, type CollapseReport } from "./collapse-report.ts";
export { fitLogisticPolynomial } from "./logistic.ts";
export { fitSweep, DEFAULT_FIT_TRIALS, DEFAULT_GAP, type FitReport, type FitOptions, type EstimatorReport } from "./fit-sweep.ts";
export { parseSweepResult } from "./load.ts";
export { fitReportText } from "./text.ts";
