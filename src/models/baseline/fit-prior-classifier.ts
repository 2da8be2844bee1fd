import { resolveModelParams } from '../linear/params/resolve-model-params.js';
import { checkFeatureMatrix } from '../preprocess/model-input/check-feature-matrix.js';
import { encodeClassTarget } from '../preprocess/model-input/class-target.js';
import type { FeatureMatrix } from '../preprocess/model-input/feature-matrix.js';
import type { ModelFitOptions } from '../preprocess/model-input/model-fit-options.js';
import { readSampleWeights } from '../preprocess/model-input/sample-weights.js';
import type { TargetInput } from '../preprocess/model-input/target-input.js';
import { deepFreeze } from '../preprocess/pipeline/deep-freeze.js';
import { PRIOR_CLASSIFIER_PARAMS, type PriorClassifierParams } from './baseline-params.js';
import { BASELINE_FORMAT_VERSION, type PriorClassifierState } from './baseline-state.js';

/**
 * Fits the prior (or majority) classifier: it ignores the features and predicts the weighted class frequencies of
 * the training target (`strategy: 'prior'`), or probability 1 for the most frequent class (`'majority'`; ties go to
 * the first class in label order). X is still checked like any learner's input, so a baseline fails where the real
 * model would.
 *
 * @throws LOOM_ERR_MODEL_PARAM_UNKNOWN, LOOM_ERR_MODEL_PARAM_INVALID, LOOM_ERR_MODEL_DATA_EMPTY,
 *   LOOM_ERR_MODEL_INPUT_INVALID, LOOM_ERR_MODEL_FEATURE_INVALID, LOOM_ERR_MODEL_TARGET_INVALID
 * @example
 * const baseline = fitPriorClassifier(X, ['no', 'yes', 'no', 'no']);
 * baseline.probabilities; // [0.75, 0.25]
 */
export function fitPriorClassifier(X: FeatureMatrix, y: TargetInput, options: ModelFitOptions = {}): PriorClassifierState {
  const params = resolveModelParams<PriorClassifierParams>(PRIOR_CLASSIFIER_PARAMS, options.params ?? {}, 'prior classifier');
  checkFeatureMatrix(X);
  const weights = readSampleWeights(options.sampleWeight, X.rows);
  const target = encodeClassTarget(y, X.rows, 'classification');
  const K = target.classes.length;
  const mass = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    mass[target.codes[i]] += weights[i];
    total += weights[i];
  }
  let best = 0;
  for (let k = 1; k < K; k++) if (mass[k] > mass[best]) best = k;
  const probabilities = Array.from(mass, (m, k) => (params.strategy === 'prior' ? m / total : k === best ? 1 : 0));
  return deepFreeze({
    kind: 'prior_classifier',
    version: BASELINE_FORMAT_VERSION,
    target: target.field,
    features: [...X.names],
    classes: [...target.classes],
    outputs: K === 2 ? 1 : K,
    probabilities,
    params,
    training: { rows: X.rows, weightSum: total },
  });
}
