import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import { firstIssue } from '../../core/zod-issue.js';
import { groupSplit } from '../../data/splits/group-split.js';
import { randomSplit } from '../../data/splits/random-split.js';
import { stratifiedSplit } from '../../data/splits/stratified-split.js';
import { timeSplit } from '../../data/splits/time-split.js';
import { groupCodes } from '../build-sample.js';

/**
 * How to cut rows into cross-validation folds; a `kind`-discriminated union.
 * - `kfold`: k random parts; each is the test set once.
 * - `stratified`: as kfold, keeping each class of `column` in every part within one row of its share.
 * - `group`: whole groups of `column` stay in one part (no group in both train and test).
 * - `time`: expanding-window backtest on the timestamp (or numeric) `column`: the rows, in time order, are cut into
 *   k + 1 parts; fold i trains on parts 0..i and tests on part i + 1, so a model never sees the future.
 */
export type CvSpec =
  | { readonly kind: 'kfold'; readonly k: number; readonly seed: number }
  | { readonly kind: 'stratified'; readonly k: number; readonly column: string; readonly seed: number }
  | { readonly kind: 'group'; readonly k: number; readonly column: string; readonly seed: number }
  | { readonly kind: 'time'; readonly k: number; readonly column: string };

/** One fold: ascending row indices of its training and test rows. */
export interface CvFold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

const k = z.number().int().min(2).max(100);
const seed = z.number().int().nonnegative();
const specZod = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kfold'), k, seed }),
  z.strictObject({ kind: z.literal('stratified'), k, column: z.string().min(1), seed }),
  z.strictObject({ kind: z.literal('group'), k, column: z.string().min(1), seed }),
  z.strictObject({ kind: z.literal('time'), k, column: z.string().min(1) }),
]);

/** Companion of CvSpec: validation. */
export const CvSpec = {
  /** @throws LOOM_ERR_EVAL_INVALID_OPTION naming the field */
  create(value: unknown): CvSpec {
    const parsed = specZod.safeParse(value);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'kind');
      throw new LoomError('EVAL_INVALID_OPTION', { field: `cv.${field}`, problem }, { details: { field: `cv.${field}` } });
    }
    return Object.freeze(parsed.data) as CvSpec;
  },
};

/**
 * The folds a spec makes on a frame, reusing src/data/splits (randomSplit, stratifiedSplit, groupSplit, timeSplit),
 * so a fold is cut exactly as `loom data split` would cut it. Deterministic given the spec.
 *
 * @throws LOOM_ERR_EVAL_COLUMN_UNKNOWN, LOOM_ERR_EVAL_INVALID_OPTION (too few rows or groups, a time column that is not
 *   numeric), LOOM_ERR_DATA_INVALID_SPLIT (a null timestamp)
 */
export function cvFolds(frame: Frame, spec: CvSpec): CvFold[] {
  const s = CvSpec.create(spec);
  const n = frame.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if ('column' in s && !frame.has(s.column)) {
    throw new LoomError('EVAL_COLUMN_UNKNOWN', { field: 'cv.column', column: s.column, available: frame.names.join(', ') }, { details: { field: 'cv.column' } });
  }
  const need = s.kind === 'time' ? s.k + 1 : s.k;
  if (n < need) throw new LoomError('EVAL_INVALID_OPTION', { field: 'cv.k', problem: `${n} rows cannot make ${need} parts` }, { details: { field: 'cv.k' } });
  const equal = (parts: number): number[] => new Array<number>(parts).fill(1 / parts);
  if (s.kind === 'time') {
    const column = frame.column(s.column);
    if (column.type !== 'timestamp' && column.type !== 'float' && column.type !== 'int') {
      throw new LoomError('EVAL_INVALID_OPTION', { field: 'cv.column', problem: `"${s.column}" is ${column.type}; a time split needs a timestamp or numeric column` }, { details: { field: 'cv.column' } });
    }
    const parts = timeSplit(Float64Array.from(column.values as ArrayLike<number>), { fractions: equal(s.k + 1) }, column.validity);
    return Array.from({ length: s.k }, (_, i) => ({ train: concat(parts.slice(0, i + 1)), test: parts[i + 1] }));
  }
  let parts: Int32Array[];
  if (s.kind === 'kfold') parts = randomSplit(n, equal(s.k), s.seed);
  else {
    const { codes, names } = groupCodes(frame.column(s.column), all);
    if (s.kind === 'group' && names.length < s.k) throw new LoomError('EVAL_INVALID_OPTION', { field: 'cv.k', problem: `"${s.column}" has ${names.length} groups, fewer than k = ${s.k}` }, { details: { field: 'cv.k' } });
    parts = s.kind === 'stratified' ? stratifiedSplit(codes, equal(s.k), s.seed) : groupSplit(codes, equal(s.k), s.seed);
  }
  return parts.map((test, i) => ({ train: concat(parts.filter((_, j) => j !== i)), test }));
}

function concat(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out.sort();
}
