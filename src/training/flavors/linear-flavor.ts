import { canonicalJson } from '../../core/hashing.js';
import type { JsonValue } from '../../models/artifact/index.js';
import { fitLinearModel, LinearModelState, predictLinear, type LinearModelState as LinearState } from '../../models/linear/index.js';
import { FittedPipeline } from '../../models/preprocess/index.js';
import type { FlavorTrainRequest, ModelFlavor, Predictor, TrainedFlavorModel } from '../model-flavor.js';
import { defaultPipeline } from './default-pipeline.js';

const STATE_FILE = 'linear.json';

/** Linear, logistic and softmax regression (src/models/linear) behind the default preprocessing pipeline. */
export const LINEAR_FLAVOR: ModelFlavor = {
  name: 'linear',
  description: 'linear / logistic / softmax regression with elastic net, after imputation, one-hot and hashing',
  train(request: FlavorTrainRequest): TrainedFlavorModel {
    const fitted = defaultPipeline(request.train, request.target).fit(request.train, { target: request.target });
    const X = fitted.transformMatrix(request.train);
    const state = fitLinearModel(X, request.train.column(request.target), { params: { objective: request.task, ...request.params } });
    request.onProgress?.({ iteration: 1, totalIterations: 1 });
    return {
      params: JSON.parse(canonicalJson(state.params)) as Record<string, JsonValue>,
      preprocessing: JSON.parse(fitted.toCanonicalJson()) as JsonValue,
      files: new Map([[STATE_FILE, new TextEncoder().encode(canonicalJson(state))]]),
      predictor: linearPredictor(fitted, state),
    };
  },
  load(artifact) {
    const fitted = FittedPipeline.fromJSON(JSON.stringify(artifact.manifest.preprocessing));
    const state = LinearModelState.parse(JSON.parse(new TextDecoder().decode(artifact.files.get(STATE_FILE))));
    return linearPredictor(fitted, state);
  },
};

function linearPredictor(fitted: FittedPipeline, state: LinearState): Predictor {
  const outputs = state.classes !== null && state.classes.length > 2 ? state.classes.length : 1;
  return { outputs, predict: (frame) => predictLinear(state, fitted.transformMatrix(frame)) };
}
