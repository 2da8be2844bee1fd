import { DECISION_CATEGORICAL, Tree } from '../tree/tree.js';
import { linkTreeNodes } from './link-tree-nodes.js';
import { modelFormatError, unsupportedModelError } from './model-format-error.js';
import type { ModelTextLines } from './model-text-lines.js';
import { parseModelInt, parseModelList, parseModelNumber } from './parse-model-number.js';

interface Field {
  readonly value: string;
  readonly line: number;
}

const INT32 = { min: -2147483648, max: 2147483647 };
const COUNT = { min: 0, max: 2147483647 };
const UINT32 = { min: 0, max: 4294967295 };
/** LightGBM's own limit on num_leaves. */
const MAX_LEAVES = 131072;
/** Decision bits: categorical (1), default left (2), missing type in bits 2–3 (0 none, 1 zero, 2 NaN). */
const DECISION = { min: 0, max: 11 };

/**
 * Reads one tree's `key=value` lines (those after its `Tree=i` line, up to the next blank line) as LightGBM's
 * Tree(const char*) does: `num_leaves`, `num_cat` and `leaf_value` are required, and for trees with splits also
 * `split_feature`, `threshold`, `left_child` and `right_child` (plus `cat_boundaries`/`cat_threshold` when num_cat >
 * 0); the other arrays default to zeros and unknown keys are ignored. Unlike LightGBM, every value is checked:
 * counts, ranges, decision bits, categorical indices and the tree shape (see linkTreeNodes).
 *
 * The returned Tree has no bin-level data (thresholdBin of numerical splits, catThresholdInner): those exist only
 * while training.
 *
 * @param headerLine the line number of the `Tree=` line, for errors about the tree as a whole.
 * @param numFeatures max_feature_idx + 1; split features must be below it.
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming the line and field; LOOM_ERR_GBDT_MODEL_UNSUPPORTED for linear trees.
 *
 * @internal
 */
export function readTreeBlock(lines: ModelTextLines, headerLine: number, numFeatures: number): Tree {
  const fields = readFields(lines);
  const numLeavesField = required(fields, 'num_leaves', headerLine);
  const numLeaves = parseModelInt(numLeavesField.value, numLeavesField.line, 'num_leaves', 1, MAX_LEAVES);
  const numCatField = required(fields, 'num_cat', headerLine);
  const numCat = parseModelInt(numCatField.value, numCatField.line, 'num_cat', 0, numLeaves - 1);
  const linear = fields.get('is_linear');
  if (linear !== undefined && parseModelInt(linear.value, linear.line, 'is_linear', 0, 1) === 1) {
    throw unsupportedModelError(linear.line, 'is_linear', 'linear trees', 'retrain with linear_tree=false');
  }
  const tree = new Tree(numLeaves);
  tree.numLeaves = numLeaves;
  const shrinkage = fields.get('shrinkage');
  tree.shrinkage = shrinkage === undefined ? 1 : parseModelNumber(shrinkage.value, shrinkage.line, 'shrinkage');
  const nodes = numLeaves - 1;
  list(fields, 'leaf_value', numLeaves, tree.leafValue, null, headerLine, true);
  list(fields, 'leaf_weight', numLeaves, tree.leafWeight, null, headerLine, false);
  list(fields, 'leaf_count', numLeaves, tree.leafCount, COUNT, headerLine, false);
  if (nodes === 0) {
    linkTreeNodes(tree, headerLine);
    return tree;
  }
  list(fields, 'split_feature', nodes, tree.splitFeature, { min: 0, max: numFeatures - 1 }, headerLine, true);
  list(fields, 'threshold', nodes, tree.threshold, null, headerLine, true);
  list(fields, 'left_child', nodes, tree.leftChild, INT32, headerLine, true);
  list(fields, 'right_child', nodes, tree.rightChild, INT32, headerLine, true);
  list(fields, 'split_gain', nodes, tree.splitGain, null, headerLine, false);
  list(fields, 'decision_type', nodes, tree.decisionType, DECISION, headerLine, false);
  list(fields, 'internal_value', nodes, tree.internalValue, null, headerLine, false);
  list(fields, 'internal_weight', nodes, tree.internalWeight, null, headerLine, false);
  list(fields, 'internal_count', nodes, tree.internalCount, COUNT, headerLine, false);
  checkDecisions(tree, fields.get('decision_type')?.line ?? headerLine);
  readCategorical(tree, fields, numCat, headerLine);
  linkTreeNodes(tree, headerLine);
  return tree;
}

/** The key=value lines up to a blank line (or the end). Duplicate keys are malformed. */
function readFields(lines: ModelTextLines): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (let text = lines.peek(); text !== undefined && text !== ''; text = lines.peek()) {
    const line = lines.lineNumber;
    lines.take();
    const eq = text.indexOf('=');
    if (eq < 0) throw modelFormatError(line, text.slice(0, 40), 'a tree line must be key=value');
    const key = text.slice(0, eq);
    if (fields.has(key)) throw modelFormatError(line, key, `the field appears twice in one tree (first at line ${fields.get(key)!.line}); is a blank line missing before the next tree?`);
    fields.set(key, { value: text.slice(eq + 1), line });
  }
  return fields;
}

function required(fields: ReadonlyMap<string, Field>, key: string, headerLine: number): Field {
  const field = fields.get(key);
  if (field === undefined) throw modelFormatError(headerLine, key, 'the tree lacks this required field');
  return field;
}

function list(
  fields: ReadonlyMap<string, Field>, key: string, count: number, out: { [i: number]: number },
  integer: { min: number; max: number } | null, headerLine: number, isRequired: boolean,
): void {
  const field = isRequired ? required(fields, key, headerLine) : fields.get(key);
  // LightGBM leaves absent optional arrays at zero; an empty value means the same.
  if (field === undefined || (!isRequired && field.value === '')) return;
  parseModelList(field.value, count, out, field.line, key, integer);
}

function checkDecisions(tree: Tree, line: number): void {
  for (let n = 0; n < tree.numLeaves - 1; n++) {
    if (((tree.decisionType[n] >> 2) & 3) === 3) throw modelFormatError(line, 'decision_type', `node ${n} has missing type 3; 0 (none), 1 (zero) and 2 (NaN) exist`);
  }
}

function readCategorical(tree: Tree, fields: ReadonlyMap<string, Field>, numCat: number, headerLine: number): void {
  const nodes = tree.numLeaves - 1;
  if (numCat > 0) {
    const boundaries = new Array<number>(numCat + 1);
    const boundaryField = required(fields, 'cat_boundaries', headerLine);
    parseModelList(boundaryField.value, numCat + 1, boundaries, boundaryField.line, 'cat_boundaries', COUNT);
    for (let k = 0; k < numCat; k++) {
      if (boundaries[k + 1] < boundaries[k] || boundaries[0] !== 0) throw modelFormatError(boundaryField.line, 'cat_boundaries', 'boundaries must start at 0 and never decrease');
    }
    const words = new Array<number>(boundaries[numCat]);
    const wordField = required(fields, 'cat_threshold', headerLine);
    parseModelList(wordField.value, boundaries[numCat], words, wordField.line, 'cat_threshold', UINT32);
    tree.catBoundaries.length = 0;
    tree.catBoundaries.push(...boundaries);
    tree.catThreshold.push(...words);
  }
  const thresholdLine = fields.get('threshold')?.line ?? headerLine;
  for (let n = 0; n < nodes; n++) {
    if ((tree.decisionType[n] & DECISION_CATEGORICAL) === 0) continue;
    const k = tree.threshold[n];
    if (!Number.isInteger(k) || k < 0 || k >= numCat) throw modelFormatError(thresholdLine, 'threshold', `categorical node ${n} names bitset ${k}; the tree has ${numCat}`);
    tree.thresholdBin[n] = k;
  }
}
