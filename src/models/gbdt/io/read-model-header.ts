import { parseFeatureInfo, type FeatureInfo } from './feature-info.js';
import { modelFormatError, unsupportedModelError } from './model-format-error.js';
import type { ModelTextLines } from './model-text-lines.js';
import { parseObjectiveLine, type ObjectiveLine } from './objective-line.js';
import { parseModelInt, parseModelList } from './parse-model-number.js';

/** The header of a LightGBM text model: everything before the first `Tree=` line. @internal */
export interface ModelHeader {
  readonly numClass: number;
  readonly numTreePerIteration: number;
  readonly featureNames: readonly string[];
  readonly featureInfos: readonly FeatureInfo[];
  /** The objective line (regression when the model has none, whose outputs are its raw scores, as in LightGBM). */
  readonly objective: ObjectiveLine;
  readonly objectiveLine: number;
  /** One value per feature, or null when the line is absent. */
  readonly monotoneConstraints: readonly number[] | null;
  /** The number of entries of `tree_sizes`, or null when absent; `line` is where it is. */
  readonly treeSizes: { readonly count: number; readonly line: number } | null;
}

/**
 * Reads the header as LightGBM's LoadModelFromString does: the `tree` line, then `key=value` lines (or bare keys such
 * as `average_output`) up to the first `Tree=` or `end of trees` line, which is left for the tree reader. Required:
 * `num_class`, `label_index`, `max_feature_idx`, `feature_names` and `feature_infos`; unknown keys are ignored.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming the line and key; LOOM_ERR_GBDT_MODEL_UNSUPPORTED for random-forest
 *   averaging (`average_output`) and objectives Loom does not run.
 *
 * @internal
 */
export function readModelHeader(lines: ModelTextLines): ModelHeader {
  lines.skipBlank();
  const first = lines.lineNumber;
  const kind = lines.take();
  if (kind !== 'tree') throw modelFormatError(first, 'tree', kind === undefined ? 'the text is empty' : 'a LightGBM model starts with the line "tree"');
  const fields = new Map<string, { value: string; line: number }>();
  for (let text = lines.peek(); text !== undefined && !text.startsWith('Tree=') && text !== 'end of trees'; text = lines.peek()) {
    const line = lines.lineNumber;
    lines.take();
    if (text === '') continue;
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (fields.has(key)) throw modelFormatError(line, key, `the header key appears twice (first at line ${fields.get(key)!.line})`);
    fields.set(key, { value: eq < 0 ? '' : text.slice(eq + 1), line });
  }
  const get = (key: string): { value: string; line: number } => {
    const field = fields.get(key);
    if (field === undefined) throw modelFormatError(lines.lineNumber, key, 'the header lacks this required line');
    return field;
  };
  const average = fields.get('average_output');
  if (average !== undefined) throw unsupportedModelError(average.line, 'average_output', 'random-forest averaging (boosting=rf)', 'Loom adds tree outputs; retrain with boosting gbdt');
  const numClassField = get('num_class');
  const numClass = parseModelInt(numClassField.value, numClassField.line, 'num_class', 1);
  const perIteration = fields.get('num_tree_per_iteration');
  const numTreePerIteration = perIteration === undefined ? numClass : parseModelInt(perIteration.value, perIteration.line, 'num_tree_per_iteration', 1);
  const labelIndex = get('label_index');
  parseModelInt(labelIndex.value, labelIndex.line, 'label_index');
  const maxFeature = get('max_feature_idx');
  const numFeatures = parseModelInt(maxFeature.value, maxFeature.line, 'max_feature_idx', 0) + 1;
  const names = get('feature_names');
  const featureNames = names.value.split(' ').filter((n) => n !== '');
  if (featureNames.length !== numFeatures) throw modelFormatError(names.line, 'feature_names', `it has ${featureNames.length} names; max_feature_idx=${numFeatures - 1} needs ${numFeatures}`);
  const infos = get('feature_infos');
  const infoTokens = infos.value.split(' ').filter((n) => n !== '');
  if (infoTokens.length !== numFeatures) throw modelFormatError(infos.line, 'feature_infos', `it has ${infoTokens.length} entries; ${numFeatures} are needed`);
  const objectiveField = fields.get('objective');
  const objective = objectiveField === undefined ? { objective: 'regression' as const, numClass: null, sigmoid: null } : parseObjectiveLine(objectiveField.value, objectiveField.line);
  const objectiveLine = objectiveField?.line ?? numClassField.line;
  checkTreesPerIteration(objective, numClass, numTreePerIteration, objectiveLine);
  const monotone = fields.get('monotone_constraints');
  let monotoneConstraints: number[] | null = null;
  if (monotone !== undefined) {
    monotoneConstraints = new Array<number>(numFeatures);
    parseModelList(monotone.value, numFeatures, monotoneConstraints, monotone.line, 'monotone_constraints', { min: -1, max: 1 });
  }
  const sizes = fields.get('tree_sizes');
  return {
    numClass,
    numTreePerIteration,
    featureNames,
    featureInfos: infoTokens.map((token) => parseFeatureInfo(token, infos.line)),
    objective,
    objectiveLine,
    monotoneConstraints,
    treeSizes: sizes === undefined ? null : { count: sizes.value.split(' ').filter((s) => s !== '').length, line: sizes.line },
  };
}

function checkTreesPerIteration(objective: ObjectiveLine, numClass: number, perIteration: number, line: number): void {
  if (objective.objective === 'multiclass') {
    if (objective.numClass !== numClass || perIteration !== numClass || numClass < 2) {
      throw modelFormatError(line, 'num_tree_per_iteration', `multiclass needs num_class (${numClass}), num_tree_per_iteration (${perIteration}) and the objective's num_class (${objective.numClass}) equal and >= 2`);
    }
  } else if (numClass !== 1 || perIteration !== 1) {
    throw modelFormatError(line, 'num_tree_per_iteration', `objective ${objective.objective} needs num_class=1 and num_tree_per_iteration=1, not ${numClass} and ${perIteration}`);
  }
}
