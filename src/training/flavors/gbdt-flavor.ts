import { canonicalJson } from '../../core/hashing.js';
import type { JsonValue } from '../../models/artifact/index.js';
import { predictBatch, trainGbdt, type GbdtModel } from '../../models/gbdt/index.js';
import { readLightGbmModel } from '../../models/gbdt/io/read-lightgbm-model.js';
import { writeLightGbmModel } from '../../models/gbdt/io/write-lightgbm-model.js';
import { treeShap } from '../../models/gbdt/shap/tree-shap.js';
import type { FlavorTrainRequest, ModelFlavor, Predictor, TrainedFlavorModel } from '../model-flavor.js';

/** The model file: LightGBM's text format, so LightGBM can load a Loom model and Loom can serve LightGBM's. */
const MODEL_FILE = 'model.txt';

/**
 * Loom's histogram GBDT (src/models/gbdt). It reads the frame's columns natively (categories, missing values), so it
 * needs no preprocessing pipeline. Without an explicit objective: `binary`, `multiclass` (num_class from the
 * target) or `regression`. A validation set is evaluated every iteration and drives `early_stopping_round`.
 * Ranking (`--objective lambdarank --param group_column=<query id column>`) predicts the raw score; the manifest's
 * params record the group column.
 */
export const GBDT_FLAVOR: ModelFlavor = {
  name: 'gbdt',
  description: 'histogram gradient-boosted trees with LightGBM parameters; native categorical and missing values',
  train(request: FlavorTrainRequest): TrainedFlavorModel {
    const objective = request.params.objective ?? request.task;
    const params = {
      objective,
      ...(request.task === 'multiclass' && request.params.num_class === undefined ? { num_class: request.classes!.length } : {}),
      seed: request.seed,
      num_threads: request.threads,
      ...request.params,
    };
    const model = trainGbdt(request.train, params, {
      label: request.target,
      validSets: request.valid === null ? [] : [{ name: 'valid', data: request.valid }],
      onIteration: (event) => {
        const first = event.evaluations.find((e) => e.dataset === 'valid') ?? event.evaluations[0];
        request.onProgress?.({ iteration: event.iteration, totalIterations: event.totalIterations, ...(first ? { metric: { name: first.metric, value: first.value } } : {}) });
      },
    });
    return {
      params: JSON.parse(canonicalJson(model.params)) as Record<string, JsonValue>,
      preprocessing: null,
      files: new Map([[MODEL_FILE, new TextEncoder().encode(writeLightGbmModel(model))]]),
      classes: model.labelClasses,
      predictor: gbdtPredictor(model),
      groupColumn: model.params.group_column === '' ? null : model.params.group_column.replace(/^name:/, ''),
    };
  },
  load(artifact) {
    return gbdtPredictor(readLightGbmModel(new TextDecoder().decode(artifact.files.get(MODEL_FILE))));
  },
};

function gbdtPredictor(model: GbdtModel): Predictor {
  const outputs = model.numOutputs === 1 ? ['raw'] : (model.labelClasses ?? model.trees.slice(0, model.numOutputs).map((_, k) => String(k)));
  const names = outputs.flatMap((o) => [...model.features.map((f) => `${o}:${f.name}`), `${o}:bias`]);
  return {
    outputs: model.numOutputs,
    predict: (frame) => predictBatch(model, frame),
    // TreeSHAP's layout (row, output, feature then bias) is already row-major over these names.
    explain: (frame) => ({ names, values: treeShap(model, frame) }),
  };
}
