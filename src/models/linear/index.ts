// Public surface of src/models/linear: linear, logistic and softmax regression with elastic-net penalties.
export { fitLinearModel } from './fit/fit-linear-model.js';
export type { LinearFitOptions } from './fit/fit-linear-model.js';
export { fitLinearRegression } from './fit-linear-regression.js';
export { fitLogisticRegression } from './fit-logistic-regression.js';
export { fitSoftmaxRegression } from './fit-softmax-regression.js';
export { predictLinear } from './predict/predict-linear.js';
export { predictLinearRow } from './predict/predict-linear-row.js';
export { LinearModelState, LINEAR_FORMAT_VERSION } from './linear-model-state.js';
export type { LinearRegressionState, LinearTrainingReport, LogisticRegressionState, SoftmaxRegressionState } from './linear-model-state.js';
export { LINEAR_PARAMS } from './params/linear-param-table.js';
export type { LinearObjective, LinearParams } from './params/linear-param-table.js';
export { resolveLinearParams } from './params/resolve-linear-params.js';
export { resolveModelParams } from './params/resolve-model-params.js';
export { renderLinearParamDocs } from './params/render-linear-param-docs.js';
export { minimizeLbfgs } from './solver/lbfgs.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStatus } from './solver/lbfgs.js';
export { solveWeightedElasticNet, softThreshold } from './solver/weighted-elastic-net.js';
export type { WeightedElasticNetProblem } from './solver/weighted-elastic-net.js';
