import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { Random } from '../../../core/random.js';
import { asCategorical, categoryCodes, categoryCounts } from '../columns/category-codes.js';
import { floatOutput } from '../columns/numeric-input.js';
import { replaceColumns } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import { encodeClassTarget } from '../model-input/class-target.js';
import type { StepDefinition } from './step-definition.js';
import { columnList, finite } from './step-fields.js';

/**
 * Target-encodes category or string columns: a value becomes the smoothed mean target of its training rows,
 * (sum + smoothing · prior) / (count + smoothing), where prior is the mean target. A binary target counts its second
 * class (in label order, e.g. `>50K` after `<=50K`, true after false) as 1; a numeric target is used as it is. Null
 * and unseen values get the prior. Outputs are float columns in place of the inputs.
 *
 * Fitting is out of fold: the training rows are shuffled with `seed` and dealt into `folds` folds, and each training
 * row is encoded with statistics (and prior) from the other folds only, so the next step never sees a row's own
 * target leak into its feature. Any later transform, including of the training rows, uses the full-data statistics.
 */
export interface TargetEncodeSpec {
  readonly kind: 'target_encode';
  readonly columns: readonly string[];
  /** Default 5. */
  readonly folds: number;
  /** Default 0. */
  readonly seed: number;
  /** Pseudo-count pulling rare categories towards the prior. Default 10. */
  readonly smoothing: number;
}

/** A fitted target encoder: per column, the categories in value order and their encodings. */
export interface FittedTargetEncode {
  readonly kind: 'target_encode';
  readonly columns: readonly string[];
  readonly prior: number;
  readonly categories: readonly (readonly string[])[];
  readonly encodings: readonly (readonly number[])[];
}

/** The target encoder step. */
export const TARGET_ENCODE_STEP: StepDefinition<TargetEncodeSpec, FittedTargetEncode> = {
  kind: 'target_encode',
  specSchema: z.strictObject({
    kind: z.literal('target_encode'),
    columns: columnList,
    folds: z.number().int().min(2).default(5),
    seed: z.number().int().default(0),
    smoothing: finite.refine((v) => v >= 0, 'must be >= 0').default(10),
  }),
  fittedSchema: z.strictObject({
    kind: z.literal('target_encode'),
    columns: columnList,
    prior: finite,
    categories: z.array(z.array(z.string())),
    encodings: z.array(z.array(finite)),
  }),
  reads: (step) => step.columns,
  checkFitted(f) {
    if (f.categories.length !== f.columns.length) return ['categories', `has ${f.categories.length} lists for ${f.columns.length} columns`];
    if (f.encodings.length !== f.columns.length) return ['encodings', `has ${f.encodings.length} lists for ${f.columns.length} columns`];
    const bad = f.encodings.findIndex((e, c) => e.length !== f.categories[c].length);
    return bad < 0 ? null : [`encodings.${bad}`, 'needs one encoding per category'];
  },
  fitTransform(spec, frame, context) {
    if (context.target === null) {
      throw new LoomError('PREPROCESS_STEP_INVALID', { step: context.label, field: 'target', problem: 'target encoding needs a target; pass options.target to fit, or tag a column `target`' }, { details: { field: 'target' } });
    }
    const y = targetValues(context.target);
    const n = frame.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += y[i];
    const prior = n > 0 ? total / n : 0;
    const folds = foldOf(n, spec.folds, spec.seed);
    const categories: (readonly string[])[] = [];
    const encodings: number[][] = [];
    let out: Frame = frame;
    for (const name of spec.columns) {
      const column = asCategorical(stepColumn(frame, name, context.label, 'fit'), context.label);
      const values = categoryCounts(column).values;
      const codes = categoryCodes(column, values);
      const stats = new FoldStats(values.length, spec.folds);
      for (let i = 0; i < n; i++) stats.add(folds[i], codes[i], y[i]);
      categories.push(values);
      encodings.push(Array.from(values, (_, c) => smooth(stats.sum[c], stats.count[c], prior, spec.smoothing)));
      out = replaceColumns(out, name, [floatOutput(name, stats.outOfFold(codes, folds, spec.smoothing))], context.label);
    }
    return { fitted: { kind: 'target_encode', columns: spec.columns, prior, categories, encodings }, frame: out };
  },
  transform(fitted, frame, label) {
    let out: Frame = frame;
    fitted.columns.forEach((name, c) => {
      const codes = categoryCodes(asCategorical(stepColumn(out, name, label, 'transform'), label), fitted.categories[c]);
      const encoding = fitted.encodings[c];
      const values = new Float64Array(codes.length);
      for (let i = 0; i < codes.length; i++) values[i] = codes[i] >= 0 ? encoding[codes[i]] : fitted.prior;
      out = replaceColumns(out, name, [floatOutput(name, values)], label);
    });
    return out;
  },
};

function smooth(sum: number, count: number, prior: number, smoothing: number): number {
  return count + smoothing > 0 ? (sum + smoothing * prior) / (count + smoothing) : prior;
}

/** Fold of each row: a seeded shuffle dealt round-robin, so fold sizes differ by at most one. */
function foldOf(n: number, k: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Random(seed).shuffle(order);
  const fold = new Int32Array(n);
  for (let r = 0; r < n; r++) fold[order[r]] = r % k;
  return fold;
}

/** Target sums and counts per (fold, category), with totals, for out-of-fold encoding. */
class FoldStats {
  readonly sum: Float64Array;
  readonly count: Float64Array;
  readonly #foldSum: Float64Array;
  readonly #foldCount: Float64Array;
  readonly #foldTotal: Float64Array;
  readonly #foldRows: Float64Array;
  readonly #k: number;

  constructor(k: number, folds: number) {
    this.#k = k;
    this.sum = new Float64Array(k);
    this.count = new Float64Array(k);
    this.#foldSum = new Float64Array(k * folds);
    this.#foldCount = new Float64Array(k * folds);
    this.#foldTotal = new Float64Array(folds);
    this.#foldRows = new Float64Array(folds);
  }

  add(fold: number, code: number, y: number): void {
    this.#foldTotal[fold] += y;
    this.#foldRows[fold]++;
    if (code < 0) return;
    this.sum[code] += y;
    this.count[code]++;
    this.#foldSum[fold * this.#k + code] += y;
    this.#foldCount[fold * this.#k + code]++;
  }

  outOfFold(codes: Int32Array, folds: Int32Array, smoothing: number): Float64Array {
    let total = 0;
    let rows = 0;
    for (let f = 0; f < this.#foldTotal.length; f++) {
      total += this.#foldTotal[f];
      rows += this.#foldRows[f];
    }
    const out = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const f = folds[i];
      const otherRows = rows - this.#foldRows[f];
      const prior = otherRows > 0 ? (total - this.#foldTotal[f]) / otherRows : rows > 0 ? total / rows : 0;
      const c = codes[i];
      out[i] = c < 0 ? prior : smooth(this.sum[c] - this.#foldSum[f * this.#k + c], this.count[c] - this.#foldCount[f * this.#k + c], prior, smoothing);
    }
    return out;
  }
}

/** The target as numbers: binary labels as 0/1 (second class = 1), numbers as they are. */
function targetValues(target: Column): Float64Array {
  const field = target.name;
  if (target.type === 'float' || target.type === 'int' || target.type === 'bool') {
    const out = new Float64Array(target.length);
    for (let i = 0; i < out.length; i++) {
      const v = target.values[i];
      if (!isValid(target.validity, i) || !Number.isFinite(v)) {
        throw new LoomError('MODEL_TARGET_INVALID', { field, task: 'target encoding', problem: `row ${i} has no finite value; drop unlabelled rows before fitting` }, { details: { field, row: i } });
      }
      out[i] = v;
    }
    return out;
  }
  const encoded = encodeClassTarget(target, target.length, 'target encoding');
  if (encoded.classes.length > 2) {
    throw new LoomError('MODEL_TARGET_INVALID', { field, task: 'target encoding', problem: `it has ${encoded.classes.length} classes; target encoding needs a binary or numeric target` }, { details: { field } });
  }
  return Float64Array.from(encoded.codes);
}
