import { GbdtModel } from '../gbdt-model.js';
import type { Tree } from '../tree/tree.js';
import { formatGeneral } from './format-general.js';
import { parseLoomSection } from './loom-section.js';
import { modelFormatError } from './model-format-error.js';
import { ModelTextLines } from './model-text-lines.js';
import { parsePandasCategorical } from './pandas-categorical.js';
import { paramsFromSection } from './parameters-section.js';
import { readModelFeatures } from './read-model-features.js';
import { readModelHeader, type ModelHeader } from './read-model-header.js';
import { readTrailingSections } from './read-trailing-sections.js';
import { readTreeBlock } from './read-tree-block.js';

/**
 * Reads a model in LightGBM's text format (v2–v4: what `save_model`, the CLI's `output_model` and writeLightGbmModel
 * write) into a GbdtModel that predicts exactly as LightGBM does: raw scores are the same sums of the same doubles,
 * and outputs go through the objective named in the file (binary with its `sigmoid`, multiclass softmax, identity for
 * regression, regression_l1, huber and quantile, exp for poisson).
 *
 * Numerical and categorical splits, missing types None, Zero and NaN, and multiclass models
 * (num_tree_per_iteration > 1) are read. Feature names, categorical flags and category dictionaries come from Loom's
 * `loom:` section when the file has one (see docs/lightgbm-format.md); params from the `parameters:` section where
 * Loom knows them. The model has no evaluation log, and its bestIteration is its number of iterations.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID for malformed text (details.line and details.field say where);
 *   LOOM_ERR_GBDT_MODEL_UNSUPPORTED for linear trees, random-forest averaging, or an objective Loom does not run.
 * @example
 * const model = readLightGbmModel(readFileSync('model.txt', 'utf8'));
 * const raw = predictBatch(model, frame, undefined, { rawScore: true });
 */
export function readLightGbmModel(text: string): GbdtModel {
  if (typeof text !== 'string') throw modelFormatError(0, 'text', `expected the model as a string, not ${text === null ? 'null' : typeof text}`);
  const lines = new ModelTextLines(text);
  const header = readModelHeader(lines);
  const trees = readTrees(lines, header);
  const trailing = readTrailingSections(lines);
  const numFeatures = header.featureNames.length;
  const loom = trailing.loom === null ? null : parseLoomSection(trailing.loom, numFeatures);
  const pandas = trailing.pandasCategorical === null ? null : parsePandasCategorical(trailing.pandasCategorical.text, trailing.pandasCategorical.line);
  const features = readModelFeatures(header, loom, trailing.parameters.get('categorical_feature'), pandas);
  const { objective, numClass, sigmoid } = header.objective;
  const fixed: Record<string, unknown> = { objective, num_class: objective === 'multiclass' ? numClass : 1 };
  if (objective === 'binary') fixed.sigmoid = exactSigmoid(sigmoid ?? 1, trailing.parameters.get('sigmoid'));
  if (header.monotoneConstraints !== null) fixed.monotone_constraints = header.monotoneConstraints;
  const numOutputs = header.numTreePerIteration;
  return new GbdtModel({
    trees,
    numOutputs,
    params: paramsFromSection(trailing.parameters, fixed),
    features,
    labelClasses: loom?.labelClasses ?? null,
    bestIteration: trees.length / numOutputs,
    evalLog: { iterations: [], values: {} },
  });
}

/** `Tree=0`, `Tree=1`, … up to `end of trees`. */
function readTrees(lines: ModelTextLines, header: ModelHeader): Tree[] {
  const trees: Tree[] = [];
  const numFeatures = header.featureNames.length;
  for (;;) {
    lines.skipBlank();
    const line = lines.lineNumber;
    const text = lines.take();
    if (text === undefined) throw modelFormatError(line, 'end of trees', 'the text ends before "end of trees"; it may be cut short');
    if (text === 'end of trees') break;
    if (text !== `Tree=${trees.length}`) throw modelFormatError(line, 'Tree', `expected "Tree=${trees.length}" or "end of trees", found "${text.slice(0, 40)}"`);
    trees.push(readTreeBlock(lines, line, numFeatures));
  }
  if (trees.length % header.numTreePerIteration !== 0) {
    throw modelFormatError(lines.lineNumber - 1, 'end of trees', `${trees.length} trees are not whole iterations of ${header.numTreePerIteration}`);
  }
  if (header.treeSizes !== null && header.treeSizes.count !== trees.length) {
    throw modelFormatError(header.treeSizes.line, 'tree_sizes', `it lists ${header.treeSizes.count} trees; the file has ${trees.length}`);
  }
  return trees;
}

/**
 * The objective line holds sigmoid to 6 digits; Loom also writes it in full in the parameters section. Use the full
 * value when it agrees with the line, so a Loom model's probabilities survive the round trip exactly.
 */
function exactSigmoid(fromLine: number, fromSection: string | undefined): number {
  const full = fromSection === undefined ? Number.NaN : Number(fromSection);
  return full > 0 && formatGeneral(full, 6) === formatGeneral(fromLine, 6) ? full : fromLine;
}
