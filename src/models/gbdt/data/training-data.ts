import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import { Frame } from '../../../core/frame/frame.js';
import { featureValue, type FeatureColumn, type FeatureMatrix } from './feature-matrix.js';
import { frameFeatureColumns } from './frame-feature-columns.js';
import { isGbdtMatrix, type GbdtMatrix, type NumericArray } from './gbdt-matrix.js';
import { boundariesFromColumn, boundariesFromSizes, type GroupSizes } from './query-groups.js';

/** Which Frame columns hold the label, the weights and the features. */
export interface FrameRoles {
  /** The label column; defaults to the one column tagged `target`. */
  readonly label?: string;
  /** A column of sample weights. */
  readonly weight?: string;
  /** Feature columns; default: every column but the label, the weight and columns tagged `id`. */
  readonly features?: readonly string[];
}

/** Training (or validation) input in the learner's form. */
export interface TrainingData {
  readonly matrix: FeatureMatrix;
  readonly label: Float64Array;
  readonly labelName: string;
  /** For a `category` label: the class names its codes index. */
  readonly labelClasses: readonly string[] | null;
  readonly weight: Float64Array | null;
  /** Query boundaries for ranking (query q is rows `b[q] .. b[q+1]`), or null without query groups. */
  readonly queryBoundaries: Int32Array | null;
}

/** Where a dataset's query groups come from: a Frame query id column (the group_column param) or group sizes. */
export interface GroupSource {
  /** Query id column of a Frame; '' or null for none. A `name:` prefix is accepted, as LightGBM writes it. */
  readonly column: string | null;
  /** Rows per query, in row order (LightGBM's `group`); overrides GbdtMatrix.group. */
  readonly sizes: GroupSizes | null;
}

const NO_GROUPS: GroupSource = { column: null, sizes: null };

/**
 * Reads training data from a Frame or a GbdtMatrix: features (categorical when a Frame `category` column, or named by
 * `categorical_feature`), label and weights. With `reference` (the training data), a validation set is read with the
 * same features in the same order, its categories re-expressed in the training dictionaries. Query groups come from
 * `groups` (a Frame column, which is then not a feature, or explicit sizes) or a GbdtMatrix's `group` sizes.
 *
 * @throws LOOM_ERR_GBDT_DATA_EMPTY (no rows or no features), LOOM_ERR_GBDT_DATA_INVALID (lengths, weights),
 *   LOOM_ERR_GBDT_LABEL_INVALID (no label, wrong type), LOOM_ERR_GBDT_FEATURE_INVALID (type, all missing, unknown
 *   categorical_feature), LOOM_ERR_GBDT_GROUP_INVALID (bad sizes, missing or non-contiguous query ids),
 *   LOOM_ERR_FRAME_COLUMN_NOT_FOUND
 */
export function readTrainingData(data: Frame | GbdtMatrix, roles: FrameRoles, categoricalFeature: readonly string[], dataset: string, reference: TrainingData | null, groups: GroupSource = NO_GROUPS): TrainingData {
  const groupColumn = groups.column === null || groups.column === '' ? null : groups.column.startsWith('name:') ? groups.column.slice(5) : groups.column;
  const read = isGbdtMatrix(data) ? fromMatrix(data, dataset, reference) : fromFrame(data, roles, dataset, reference, groupColumn);
  const { names } = read;
  if (read.numRows === 0) throw new LoomError('GBDT_DATA_EMPTY', { dataset, what: 'rows' }, { details: { field: dataset } });
  if (names.length === 0) throw new LoomError('GBDT_DATA_EMPTY', { dataset, what: 'feature columns' }, { details: { field: dataset } });
  const categorical = reference === null ? resolveCategorical(names, read.isCategory, categoricalFeature) : [...reference.matrix.categorical];
  const matrix: FeatureMatrix = { numRows: read.numRows, columns: read.columns, names, categorical, dictionaries: read.dictionaries };
  if (reference === null) {
    matrix.columns.forEach((column, f) => {
      if (allMissing(column, matrix.numRows, categorical[f])) fail('GBDT_FEATURE_INVALID', names[f], 'every value is missing; drop the column');
    });
  }
  return { matrix, label: read.label, labelName: read.labelName, labelClasses: read.labelClasses, weight: read.weight, queryBoundaries: queryBoundaries(data, groups, groupColumn, read.numRows, dataset) };
}

function queryBoundaries(data: Frame | GbdtMatrix, groups: GroupSource, groupColumn: string | null, numRows: number, dataset: string): Int32Array | null {
  if (groups.sizes !== null) {
    if (groupColumn !== null) fail('GBDT_DATA_INVALID', 'group', `both group sizes and group_column "${groupColumn}" were given; give one`);
    return boundariesFromSizes(groups.sizes, numRows, 'group', dataset);
  }
  if (isGbdtMatrix(data)) {
    if (groupColumn !== null) fail('GBDT_DATA_INVALID', 'group_column', 'a GbdtMatrix has no named columns; give its group sizes as GbdtMatrix.group');
    return data.group === undefined ? null : boundariesFromSizes(data.group, numRows, 'group', dataset);
  }
  return groupColumn === null ? null : boundariesFromColumn(data.column(groupColumn), dataset);
}

interface ReadInput {
  numRows: number;
  names: string[];
  columns: FeatureColumn[];
  isCategory: boolean[];
  dictionaries: (readonly string[] | null)[];
  label: Float64Array;
  labelName: string;
  labelClasses: readonly string[] | null;
  weight: Float64Array | null;
}

function fromFrame(frame: Frame, roles: FrameRoles, dataset: string, reference: TrainingData | null, groupColumn: string | null): ReadInput {
  const labelName = roles.label ?? reference?.labelName ?? targetColumn(frame, dataset);
  const labelColumn = frame.column(labelName);
  const excluded = new Set([labelName, ...(roles.weight === undefined ? [] : [roles.weight]), ...(groupColumn === null ? [] : [groupColumn])]);
  const names = reference !== null ? [...reference.matrix.names] : roles.features !== undefined ? [...roles.features] : frame.columns.filter((c) => !excluded.has(c.name) && !c.tags.includes('id')).map((c) => c.name);
  const features = frameFeatureColumns(frame, names, reference === null ? null : reference.matrix.dictionaries, 'GBDT_FEATURE_INVALID');
  const { values, classes } = labelValues(labelColumn, reference?.labelClasses ?? null);
  const weight = roles.weight === undefined ? null : weightValues(frame.column(roles.weight));
  return { numRows: frame.length, names, ...features, label: values, labelName, labelClasses: classes, weight };
}

function fromMatrix(m: GbdtMatrix, dataset: string, reference: TrainingData | null): ReadInput {
  const numRows = m.columns.length > 0 ? m.columns[0].length : (m.label?.length ?? 0);
  const names = m.featureNames !== undefined ? [...m.featureNames] : m.columns.map((_, i) => `Column_${i}`);
  if (names.length !== m.columns.length) fail('GBDT_DATA_INVALID', 'featureNames', `${names.length} names for ${m.columns.length} columns`);
  if (reference !== null && m.columns.length !== reference.matrix.columns.length) {
    fail('GBDT_DATA_INVALID', dataset, `it has ${m.columns.length} feature columns, the training data ${reference.matrix.columns.length}`);
  }
  m.columns.forEach((c, f) => {
    if (c.length !== numRows) fail('GBDT_DATA_INVALID', names[f], `it has ${c.length} rows, the first column ${numRows}`);
  });
  if (m.label === undefined) fail('GBDT_LABEL_INVALID', 'label', 'the matrix has no label; set `label`', dataset);
  if (m.label.length !== numRows) fail('GBDT_DATA_INVALID', 'label', `it has ${m.label.length} rows, the features ${numRows}`);
  const weight = m.weight === undefined ? null : toFloat64(m.weight);
  if (weight !== null && weight.length !== numRows) fail('GBDT_DATA_INVALID', 'weight', `it has ${weight.length} rows, the features ${numRows}`);
  if (weight !== null) checkWeights(weight, 'weight');
  return {
    numRows,
    names,
    columns: m.columns.map((values) => ({ values, validity: null })),
    isCategory: m.columns.map(() => false),
    dictionaries: reference === null ? m.columns.map(() => null) : [...reference.matrix.dictionaries],
    label: toFloat64(m.label),
    labelName: 'label',
    labelClasses: null,
    weight,
  };
}

function targetColumn(frame: Frame, dataset: string): string {
  const tagged = frame.tagged('target');
  if (tagged.length !== 1) fail('GBDT_LABEL_INVALID', 'label', tagged.length === 0 ? 'no label column was named and no column is tagged target; pass the label option' : `${tagged.length} columns are tagged target; pass the label option`, dataset);
  return tagged[0];
}

function labelValues(column: Column, classes: readonly string[] | null): { values: Float64Array; classes: readonly string[] | null } {
  const out = new Float64Array(column.length);
  if (column.type === 'category') {
    const dictionary = classes ?? column.dictionary;
    const index = new Map(dictionary.map((v, i) => [v, i]));
    for (let i = 0; i < column.length; i++) {
      const code = column.codes[i];
      out[i] = code < 0 ? Number.NaN : (index.get(column.dictionary[code]) ?? Number.NaN);
    }
    return { values: out, classes: dictionary };
  }
  if (column.type !== 'float' && column.type !== 'int' && column.type !== 'bool') {
    fail('GBDT_LABEL_INVALID', column.name, `its type ${column.type} is not numeric; use numbers, booleans or a category`);
  }
  for (let i = 0; i < column.length; i++) out[i] = featureValue(column, i);
  return { values: out, classes: null };
}

function weightValues(column: Column): Float64Array {
  if (column.type !== 'float' && column.type !== 'int') fail('GBDT_DATA_INVALID', column.name, `weights must be numbers, not ${column.type}`);
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) out[i] = featureValue(column, i);
  checkWeights(out, column.name);
  return out;
}

function checkWeights(weight: Float64Array, field: string): void {
  for (let i = 0; i < weight.length; i++) {
    if (!(weight[i] >= 0) || !Number.isFinite(weight[i])) fail('GBDT_DATA_INVALID', field, `row ${i} has weight ${weight[i]}; weights must be finite and >= 0`);
  }
}

function resolveCategorical(names: readonly string[], isCategory: readonly boolean[], declared: readonly string[]): boolean[] {
  const out = [...isCategory];
  declared.forEach((raw, k) => {
    const item = k === 0 && raw.startsWith('name:') ? raw.slice(5) : raw;
    const index = /^\d+$/.test(item) ? Number(item) : names.indexOf(item);
    if (index < 0 || index >= names.length) fail('GBDT_FEATURE_INVALID', item, 'categorical_feature names no feature column; use a feature name or a 0-based index');
    out[index] = true;
  });
  return out;
}

function allMissing(column: FeatureColumn, numRows: number, categorical: boolean): boolean {
  for (let i = 0; i < numRows; i++) {
    const v = featureValue(column, i);
    if (!Number.isNaN(v) && !(categorical && v < 0)) return false;
  }
  return true;
}

function toFloat64(values: NumericArray): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

function fail(code: 'GBDT_FEATURE_INVALID' | 'GBDT_DATA_INVALID' | 'GBDT_LABEL_INVALID', field: string, problem: string, dataset?: string): never {
  const params = code === 'GBDT_LABEL_INVALID' ? { field, objective: 'any', problem: dataset === undefined ? problem : `${problem} (${dataset} data)` } : { field, problem };
  throw new LoomError(code, params, { details: { field } });
}
