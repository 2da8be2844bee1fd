import { z } from 'zod';
import type { CategoryColumn, Column, StringColumn } from '../../../core/frame/column.js';
import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { asCategorical, categoryCounts } from '../columns/category-codes.js';
import { floatOutput, NUMERIC_TYPES, presentValues, readNumeric } from '../columns/numeric-input.js';
import { insertAfter, replaceColumns } from '../columns/replace-columns.js';
import { columnTypeError, stepColumn } from '../columns/step-column.js';
import { quantileSorted } from '../statistics/quantile.js';
import type { StepDefinition } from './step-definition.js';
import { columnList, finite } from './step-fields.js';

/** How an imputer picks the fill value of a column. */
export type ImputeStrategy = 'mean' | 'median' | 'constant' | 'most_frequent';

/**
 * Fills missing values. Numeric (float, int, bool) columns become float columns in which null and NaN rows hold the
 * fill: the mean, the median (type-7 quantile 0.5), `fillValue`, or the most frequent value (ties: the smallest).
 * Category and string columns accept `constant` (a string `fillValue`) and `most_frequent` (ties: the smallest by
 * code unit), and keep their type. With `indicator`, a float column `<name>_missing` (1 where the value was missing,
 * else 0) follows each column.
 */
export interface ImputeSpec {
  readonly kind: 'impute';
  readonly columns: readonly string[];
  readonly strategy: ImputeStrategy;
  /** Needed for `constant`: a number for numeric columns, a string for categories. */
  readonly fillValue?: number | string;
  readonly indicator: boolean;
}

/** A fitted imputer: the fill of each column (numbers for numeric columns, strings for categorical ones). */
export interface FittedImpute {
  readonly kind: 'impute';
  readonly columns: readonly string[];
  readonly strategy: ImputeStrategy;
  readonly indicator: boolean;
  readonly fills: readonly (number | string)[];
}

const STRATEGIES = ['mean', 'median', 'constant', 'most_frequent'] as const;

/** The imputer step. */
export const IMPUTE_STEP: StepDefinition<ImputeSpec, FittedImpute> = {
  kind: 'impute',
  specSchema: z
    .strictObject({
      kind: z.literal('impute'),
      columns: columnList,
      strategy: z.enum(STRATEGIES).default('mean'),
      fillValue: z.union([finite, z.string()]).optional(),
      indicator: z.boolean().default(false),
    })
    .refine((s) => s.strategy !== 'constant' || s.fillValue !== undefined, { message: 'strategy "constant" needs a fillValue', path: ['fillValue'] }),
  fittedSchema: z.strictObject({
    kind: z.literal('impute'),
    columns: columnList,
    strategy: z.enum(STRATEGIES),
    indicator: z.boolean(),
    fills: z.array(z.union([finite, z.string()])),
  }),
  reads: (step) => step.columns,
  checkFitted: (f) => (f.fills.length === f.columns.length ? null : ['fills', `has ${f.fills.length} entries for ${f.columns.length} columns`]),
  fitTransform(spec, frame, context) {
    const fills = spec.columns.map((name) => fitFill(spec, stepColumn(frame, name, context.label, 'fit'), context.label));
    const fitted: FittedImpute = { kind: 'impute', columns: spec.columns, strategy: spec.strategy, indicator: spec.indicator, fills };
    return { fitted, frame: IMPUTE_STEP.transform(fitted, frame, context.label) };
  },
  transform(fitted, frame, label) {
    let out: Frame = frame;
    fitted.columns.forEach((name, c) => {
      const column = stepColumn(out, name, label, 'transform');
      const missing = new Float64Array(column.length);
      out = replaceColumns(out, name, [fillColumn(column, fitted.fills[c], missing, label)], label);
      if (fitted.indicator) out = insertAfter(out, name, [floatOutput(`${name}_missing`, missing)], label);
    });
    return out;
  },
};

function fitFill(spec: ImputeSpec, column: Column, label: string): number | string {
  const numeric = (NUMERIC_TYPES as readonly string[]).includes(column.type);
  if (spec.strategy === 'constant') {
    const fill = spec.fillValue!;
    if (numeric !== (typeof fill === 'number')) {
      throw new LoomError('PREPROCESS_STEP_INVALID', { step: label, field: 'fillValue', problem: `column "${column.name}" is ${column.type}, so the fill must be a ${numeric ? 'number' : 'string'}` }, { details: { field: 'fillValue' } });
    }
    return fill;
  }
  if (!numeric) {
    if (spec.strategy !== 'most_frequent') throw columnTypeError(column.name, column.type, 'a numeric column', `${label}, strategy ${spec.strategy}; categories allow constant or most_frequent`);
    const { values, counts } = categoryCounts(asCategorical(column, label));
    if (values.length === 0) throw empty(label, column.name);
    let best = 0;
    for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
    return values[best];
  }
  const values = presentValues(readNumeric(column, label));
  if (values.length === 0) throw empty(label, column.name);
  if (spec.strategy === 'mean') {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    return sum / values.length;
  }
  values.sort();
  if (spec.strategy === 'median') return quantileSorted(values, 0.5);
  let best = values[0];
  let bestRun = 0;
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    if (j - i > bestRun) {
      best = values[i];
      bestRun = j - i;
    }
    i = j;
  }
  return best;
}

/** The filled column; sets missing[i] = 1 for each filled row. */
function fillColumn(column: Column, fill: number | string, missing: Float64Array, label: string): Column {
  if (typeof fill === 'number') {
    const values = readNumeric(column, label);
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) {
        values[i] = fill;
        missing[i] = 1;
      }
    }
    return floatOutput(column.name, values);
  }
  const categorical = asCategorical(column, label);
  return categorical.type === 'category' ? fillCategory(categorical, fill, missing) : fillStrings(categorical, fill, missing);
}

function fillCategory(column: CategoryColumn, fill: string, missing: Float64Array): CategoryColumn {
  let fillCode = column.dictionary.indexOf(fill);
  const dictionary = fillCode >= 0 ? column.dictionary : Object.freeze([...column.dictionary, fill]);
  if (fillCode < 0) fillCode = column.dictionary.length;
  const codes = new Int32Array(column.length);
  for (let i = 0; i < codes.length; i++) {
    const code = column.codes[i];
    if (code < 0 || !isValid(column.validity, i)) {
      codes[i] = fillCode;
      missing[i] = 1;
    } else {
      codes[i] = code;
    }
  }
  return { ...column, codes, dictionary, validity: null };
}

function fillStrings(column: StringColumn, fill: string, missing: Float64Array): StringColumn {
  const values = column.values.slice();
  for (let i = 0; i < values.length; i++) {
    if (!isValid(column.validity, i)) {
      values[i] = fill;
      missing[i] = 1;
    }
  }
  return { ...column, values, validity: null };
}

function empty(label: string, field: string): LoomError {
  return new LoomError('PREPROCESS_COLUMN_EMPTY', { step: label, field }, { details: { field } });
}
