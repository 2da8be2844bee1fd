import { LoomError } from '../../../core/errors/index.js';
import { isValid } from '../../../core/frame/validity.js';
import { checkTargetLength, compareLabels, isTargetColumn, targetField, type ClassLabel, type TargetInput } from './target-input.js';

/** A classification target encoded as class indices. */
export interface ClassTarget {
  /** Field name used in errors and stored with the model. */
  readonly field: string;
  /** Distinct labels in order (see compareLabels); class `k` is `classes[k]`. */
  readonly classes: readonly ClassLabel[];
  /** Per row, the index of its label in `classes`. */
  readonly codes: Int32Array;
}

/**
 * Encodes a classification target: its distinct labels, sorted (numbers ascending, strings by code unit, false
 * before true), and each row's class index. For a category column only the categories that occur become classes.
 *
 * @param task names the learner in error messages, e.g. `binary classification`.
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (wrong length), LOOM_ERR_MODEL_TARGET_INVALID (a missing label, labels of
 *   mixed types, a type that cannot be a label, or fewer than two classes); details.field = the target field.
 */
export function encodeClassTarget(y: TargetInput, rows: number, task: string, fallbackField = 'y'): ClassTarget {
  const field = targetField(y, fallbackField);
  checkTargetLength(y, rows, field);
  const raw = new Int32Array(rows);
  const labels = internLabels(y, raw, field, task);
  if (labels.length < 2) {
    const only = labels.length === 1 ? ` (every row is ${JSON.stringify(labels[0])})` : '';
    throw targetError(field, task, `it has a single class${only}; a classifier needs at least two`);
  }
  const order = labels.map((_, k) => k).sort((a, b) => compareLabels(labels[a], labels[b]));
  const rank = new Int32Array(labels.length);
  order.forEach((k, r) => (rank[k] = r));
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) codes[i] = rank[raw[i]];
  return { field, classes: Object.freeze(order.map((k) => labels[k])), codes };
}

/** Fills `raw` with indices into the returned label list (first-seen order, or dictionary order for categories). */
function internLabels(y: TargetInput, raw: Int32Array, field: string, task: string): ClassLabel[] {
  const rows = raw.length;
  if (isTargetColumn(y)) {
    const validity = y.validity;
    switch (y.type) {
      case 'category': {
        const used = new Int32Array(y.dictionary.length).fill(-1);
        const labels: ClassLabel[] = [];
        for (let i = 0; i < rows; i++) {
          const code = y.codes[i];
          if (code < 0 || !isValid(validity, i)) throw missingLabel(field, task, i);
          if (used[code] < 0) {
            used[code] = labels.length;
            labels.push(y.dictionary[code]);
          }
          raw[i] = used[code];
        }
        return labels;
      }
      case 'bool':
      case 'int':
      case 'float': {
        const seen = new Map<ClassLabel, number>();
        for (let i = 0; i < rows; i++) {
          const v = y.values[i];
          if (!isValid(validity, i) || Number.isNaN(v)) throw missingLabel(field, task, i);
          raw[i] = intern(seen, y.type === 'bool' ? v === 1 : v);
        }
        return [...seen.keys()];
      }
      case 'string': {
        const seen = new Map<ClassLabel, number>();
        for (let i = 0; i < rows; i++) {
          if (!isValid(validity, i)) throw missingLabel(field, task, i);
          raw[i] = intern(seen, y.values[i]);
        }
        return [...seen.keys()];
      }
      default:
        throw targetError(field, task, `a ${y.type} column cannot hold class labels; use a category, string, bool or integer column`);
    }
  }
  const seen = new Map<ClassLabel, number>();
  let type: string | null = null;
  for (let i = 0; i < rows; i++) {
    const v = (y as ArrayLike<ClassLabel | null>)[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) throw missingLabel(field, task, i);
    if (type === null) type = typeof v;
    else if (typeof v !== type) throw targetError(field, task, `row ${i} is a ${typeof v} but earlier labels are ${type}s; use one type for every label`);
    raw[i] = intern(seen, v);
  }
  return [...seen.keys()];
}

function intern(seen: Map<ClassLabel, number>, label: ClassLabel): number {
  let k = seen.get(label);
  if (k === undefined) {
    k = seen.size;
    seen.set(label, k);
  }
  return k;
}

function missingLabel(field: string, task: string, row: number): LoomError {
  return targetError(field, task, `row ${row} has no label; drop unlabelled rows before fitting`, row);
}

function targetError(field: string, task: string, problem: string, row?: number): LoomError {
  return new LoomError('MODEL_TARGET_INVALID', { field, task, problem }, { details: row === undefined ? { field } : { field, row } });
}
