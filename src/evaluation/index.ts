// Public API of src/evaluation: metrics with bootstrap intervals, slices, calibration, costs, fairness, behavioural
// tests, cross-validation, the model card, and evaluateModel (what `loom eval` runs).
export type {
  BehaviouralResult,
  BootstrapInfo,
  CalibrationReport,
  ConfusionCounts,
  ConfusionMatrix,
  CostReport,
  EvaluationReport,
  FairnessReport,
  MetricEstimate,
  MetricTable,
  ReliabilityBin,
  SliceReport,
} from './evaluation-report.js';
export type { EvalTask, MetricSample } from './metrics/metric-sample.js';
export { gatherSample } from './metrics/metric-sample.js';
export type { EvalMetric } from './metrics/eval-metric.js';
export { BINARY_METRICS, averagePrecision, confusionCounts } from './metrics/binary-metrics.js';
export { MULTICLASS_METRICS } from './metrics/multiclass-metrics.js';
export { REGRESSION_METRICS } from './metrics/regression-metrics.js';
export { rankingMetrics, ndcgAt, mapAt, recallAt } from './metrics/ranking-metrics.js';
export { selectMetrics, taskMetrics, PRIMARY_METRIC, DEFAULT_RANKING_K } from './metrics/metric-registry.js';
export { bootstrapIntervals, estimateMetrics, resamplerFor, stratifiedResampler, queryResampler, quantile, DEFAULT_RESAMPLES, DEFAULT_LEVEL } from './bootstrap.js';
export type { BootstrapOptions, Draw, Resampler } from './bootstrap.js';
export { buildSample, groupCodes } from './build-sample.js';
export { parseSliceOption } from './slices/slice-spec.js';
export type { SliceSpec, SliceOperator } from './slices/slice-spec.js';
export { sliceRows, MISSING_SLICE } from './slices/slice-rows.js';
export { sliceReports } from './slices/slice-report.js';
export { reliabilityCurve, expectedCalibrationError, maximumCalibrationError, ece, DEFAULT_CALIBRATION_BINS } from './calibration/reliability-curve.js';
export { Calibrator } from './calibration/calibrator.js';
export type { PlattCalibrator, IsotonicCalibrator } from './calibration/calibrator.js';
export { parseCostMatrix, expectedCost, minimumCostThreshold, costReport } from './costs/cost-matrix.js';
export type { CostMatrix } from './costs/cost-matrix.js';
export { DEFAULT_MIN_GROUP_SIZE, fairnessReport } from './fairness/fairness-report.js';
export type { SensitiveGroups } from './fairness/fairness-report.js';
export { groupRates, disparities, betweenGroupsDifference, betweenGroupsRatio } from './fairness/group-rates.js';
export type { GroupRates } from './fairness/group-rates.js';
export { BehaviouralTest } from './behavioural/behavioural-test.js';
export type { InvarianceTest, DirectionalTest, MinimumFunctionalityTest, Perturbation } from './behavioural/behavioural-test.js';
export { runBehaviouralTests, perturbColumn, DEFAULT_BEHAVIOURAL_ROWS } from './behavioural/run-behavioural-tests.js';
export { CvSpec, cvFolds } from './cross-validation/cv-folds.js';
export type { CvFold } from './cross-validation/cv-folds.js';
export { crossValidate } from './cross-validation/cross-validate.js';
export type { CrossValidateRequest, CrossValidationReport } from './cross-validation/cross-validate.js';
export { modelCard, renderModelCardMarkdown } from './card/model-card.js';
export type { ModelCard } from './card/model-card.js';
export { reliabilitySvg } from './card/reliability-svg.js';
export { evaluateOutputs, resolveTarget, DEFAULT_THRESHOLD, SMALL_GROUP } from './evaluate-outputs.js';
export type { EvaluateOptions, EvaluationBody, ModelOutputs } from './evaluate-outputs.js';
export { evaluateModel, evaluateLoadedModel } from './evaluate-model.js';
export type { EvaluateModelRequest, EvaluateModelResult } from './evaluate-model.js';
export { resolveModelRef } from './resolve-model-ref.js';
export type { ResolvedModelRef } from './resolve-model-ref.js';
