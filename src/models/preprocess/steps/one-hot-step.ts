import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import type { Column } from '../../../core/frame/column.js';
import type { Frame } from '../../../core/frame/frame.js';
import { asCategorical, categoryCodes, categoryCounts, categoryValue, UNSEEN_CODE, type CategoricalColumn } from '../columns/category-codes.js';
import { floatOutput } from '../columns/numeric-input.js';
import { replaceColumns } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import type { StepDefinition } from './step-definition.js';
import { columnList } from './step-fields.js';

/**
 * What an encoder does with a category it did not see at fit time: put it in the `<name>=__other__` column
 * (`other`), leave every indicator 0 (`zeros`), or reject the input (`error`, LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY).
 */
export type HandleUnknown = 'other' | 'zeros' | 'error';

/** Name suffix of the bucket for rare and unseen categories: the column `<name>=__other__`. */
export const OTHER_BUCKET = '__other__';

/**
 * One-hot encodes category or string columns. Each column becomes float 0/1 columns `<name>=<value>`, one per
 * training category seen at least `minFrequency` times, in value order (UTF-16 code units), followed by
 * `<name>=__other__` when some categories were rarer than that or when `handleUnknown` is `other`. Rare categories
 * always go to the other bucket; unseen ones follow `handleUnknown`. A null row is 0 in every column.
 */
export interface OneHotSpec {
  readonly kind: 'one_hot';
  readonly columns: readonly string[];
  /** Categories seen fewer times than this at fit go to the other bucket. Default 1 (none). */
  readonly minFrequency: number;
  /** Default `other`. */
  readonly handleUnknown: HandleUnknown;
}

/** A fitted one-hot encoder: the kept and the rare categories of each column. */
export interface FittedOneHot {
  readonly kind: 'one_hot';
  readonly columns: readonly string[];
  readonly handleUnknown: HandleUnknown;
  readonly categories: readonly (readonly string[])[];
  readonly rare: readonly (readonly string[])[];
}

const UNKNOWN = ['other', 'zeros', 'error'] as const;

/** The one-hot step. */
export const ONE_HOT_STEP: StepDefinition<OneHotSpec, FittedOneHot> = {
  kind: 'one_hot',
  specSchema: z.strictObject({
    kind: z.literal('one_hot'),
    columns: columnList,
    minFrequency: z.number().int().min(1).default(1),
    handleUnknown: z.enum(UNKNOWN).default('other'),
  }),
  fittedSchema: z.strictObject({
    kind: z.literal('one_hot'),
    columns: columnList,
    handleUnknown: z.enum(UNKNOWN),
    categories: z.array(z.array(z.string())),
    rare: z.array(z.array(z.string())),
  }),
  reads: (step) => step.columns,
  checkFitted: (f) =>
    f.categories.length !== f.columns.length
      ? ['categories', `has ${f.categories.length} lists for ${f.columns.length} columns`]
      : f.rare.length !== f.columns.length
        ? ['rare', `has ${f.rare.length} lists for ${f.columns.length} columns`]
        : null,
  fitTransform(spec, frame, context) {
    const categories: string[][] = [];
    const rare: string[][] = [];
    for (const name of spec.columns) {
      const { values, counts } = categoryCounts(asCategorical(stepColumn(frame, name, context.label, 'fit'), context.label));
      categories.push(values.filter((_, k) => counts[k] >= spec.minFrequency));
      rare.push(values.filter((_, k) => counts[k] < spec.minFrequency));
    }
    const fitted: FittedOneHot = { kind: 'one_hot', columns: spec.columns, handleUnknown: spec.handleUnknown, categories, rare };
    return { fitted, frame: ONE_HOT_STEP.transform(fitted, frame, context.label) };
  },
  transform(fitted, frame, label) {
    let out: Frame = frame;
    fitted.columns.forEach((name, c) => {
      const column = asCategorical(stepColumn(out, name, label, 'transform'), label);
      out = replaceColumns(out, name, encode(column, fitted.categories[c], fitted.rare[c], fitted.handleUnknown, label), label);
    });
    return out;
  },
};

/** True when the encoder of a column emits an other-bucket column. */
export function hasOtherBucket(rare: readonly string[], handleUnknown: HandleUnknown): boolean {
  return rare.length > 0 || handleUnknown === 'other';
}

function encode(column: CategoricalColumn, categories: readonly string[], rare: readonly string[], handleUnknown: HandleUnknown, label: string): Column[] {
  const n = column.length;
  const k = categories.length;
  const other = hasOtherBucket(rare, handleUnknown);
  // Rare categories are matched after the kept ones, so codes >= k all mean "other".
  const codes = categoryCodes(column, rare.length === 0 ? categories : [...categories, ...rare]);
  const outputs: Float64Array[] = [];
  for (let j = 0; j < k + (other ? 1 : 0); j++) outputs.push(new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const code = codes[i];
    if (code >= 0) {
      outputs[code < k ? code : k][i] = 1;
    } else if (code === UNSEEN_CODE) {
      if (handleUnknown === 'other') outputs[k][i] = 1;
      else if (handleUnknown === 'error') throw unseen(column, i, label);
    }
  }
  const names = categories.map((v) => `${column.name}=${v}`);
  if (other) names.push(`${column.name}=${OTHER_BUCKET}`);
  return outputs.map((values, j) => floatOutput(names[j], values));
}

/** The LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY error for row `i` of `column`. */
export function unseen(column: CategoricalColumn, i: number, label: string): LoomError {
  const value = categoryValue(column, i) ?? '';
  return new LoomError('PREPROCESS_UNSEEN_CATEGORY', { field: column.name, value }, { details: { field: column.name, value, row: i, step: label } });
}
