// Public surface of src/models/baseline: models that ignore the features, to measure real models against.
export { fitPriorClassifier } from './fit-prior-classifier.js';
export { fitMeanRegressor } from './fit-mean-regressor.js';
export { predictBaseline } from './predict-baseline.js';
export { predictBaselineRow } from './predict-baseline-row.js';
export { BaselineState, BASELINE_FORMAT_VERSION } from './baseline-state.js';
export type { BaselineTrainingReport, MeanRegressorState, PriorClassifierState } from './baseline-state.js';
export { MEAN_REGRESSOR_PARAMS, PRIOR_CLASSIFIER_PARAMS } from './baseline-params.js';
export type { MeanRegressorParams, PriorClassifierParams } from './baseline-params.js';
export { weightedMedian } from './weighted-median.js';
