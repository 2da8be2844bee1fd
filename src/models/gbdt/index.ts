// Public API of the GBDT learner: training, prediction, parameters, and the tree structures model IO builds on.
export { trainGbdt } from './train-gbdt.js';
export type { GbdtValidSet, TrainGbdtOptions } from './train-gbdt.js';
export { GbdtModel } from './gbdt-model.js';
export type { GbdtFeature, GbdtModelParts } from './gbdt-model.js';
export { featureImportance } from './feature-importance.js';
export type { ImportanceType } from './feature-importance.js';
export type { GbdtMatrix, NumericArray } from './data/gbdt-matrix.js';
export type { FrameRoles } from './data/training-data.js';

export { predictBatch, predictMatrix } from './predict/predict-batch.js';
export type { PredictOptions } from './predict/predict-batch.js';
export { predictRow, predictRows } from './predict/predict-row.js';
export { compileTrees } from './predict/compiled-trees.js';
export type { CompiledTrees } from './predict/compiled-trees.js';

export { GBDT_PARAMS } from './params/gbdt-param-table.js';
export type { GbdtMetricName, GbdtObjectiveName, GbdtParamName, GbdtParams, GbdtParamSpec } from './params/gbdt-param-table.js';
export { resolveGbdtParams } from './params/resolve-params.js';
export { renderGbdtParamDocs } from './params/render-param-docs.js';
export type { ParamCheck, ParamGroup, ParamKind, ParamSpec } from './params/param-spec.js';

export { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, decisionMissingType, Tree } from './tree/tree.js';
export type { SplitOutcome } from './tree/tree.js';
export { MISSING_NAN, MISSING_NONE } from './binning/bin-mapper.js';
export type { BinMapper, MissingType } from './binning/bin-mapper.js';

export { createObjective, OBJECTIVES } from './objective/create-objective.js';
export type { Objective } from './objective/objective.js';
export { createMetrics, METRICS } from './metric/create-metrics.js';
export type { Metric } from './metric/metric.js';
export { MapMetric, NdcgMetric } from './metric/ranking-metrics.js';
export type { GroupSizes } from './data/query-groups.js';
export type { EvalLog, Evaluation, IterationEvent } from './boosting/eval-log.js';
