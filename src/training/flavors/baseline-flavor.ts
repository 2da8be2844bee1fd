import { canonicalJson } from '../../core/hashing.js';
import type { JsonValue } from '../../models/artifact/index.js';
import { BaselineState, fitMeanRegressor, fitPriorClassifier, predictBaseline } from '../../models/baseline/index.js';
import { FittedPipeline } from '../../models/preprocess/index.js';
import type { FlavorTrainRequest, ModelFlavor, Predictor, TrainedFlavorModel } from '../model-flavor.js';
import { defaultPipeline } from './default-pipeline.js';

const STATE_FILE = 'baseline.json';

/**
 * The class-prior classifier and the mean (or median) regressor: they ignore the features, and every real model
 * should beat them. The default pipeline still runs, so the input signature and its checks match the other flavors.
 */
export const BASELINE_FLAVOR: ModelFlavor = {
  name: 'baseline',
  description: 'class priors (classification) or the mean/median (regression); ignores the features',
  train(request: FlavorTrainRequest): TrainedFlavorModel {
    const fitted = defaultPipeline(request.train, request.target).fit(request.train, { target: request.target });
    const X = fitted.transformMatrix(request.train);
    const y = request.train.column(request.target);
    const state = request.task === 'regression' ? fitMeanRegressor(X, y, { params: request.params }) : fitPriorClassifier(X, y, { params: request.params });
    request.onProgress?.({ iteration: 1, totalIterations: 1 });
    return {
      params: JSON.parse(canonicalJson(state.params)) as Record<string, JsonValue>,
      preprocessing: JSON.parse(fitted.toCanonicalJson()) as JsonValue,
      files: new Map([[STATE_FILE, new TextEncoder().encode(canonicalJson(state))]]),
      predictor: baselinePredictor(fitted, state),
    };
  },
  load(artifact) {
    const fitted = FittedPipeline.fromJSON(JSON.stringify(artifact.manifest.preprocessing));
    const state = BaselineState.parse(JSON.parse(new TextDecoder().decode(artifact.files.get(STATE_FILE))));
    return baselinePredictor(fitted, state);
  },
};

function baselinePredictor(fitted: FittedPipeline, state: BaselineState): Predictor {
  const outputs = state.kind === 'prior_classifier' && state.classes.length > 2 ? state.classes.length : 1;
  return { outputs, predict: (frame) => predictBaseline(state, fitted.transformMatrix(frame)) };
}
