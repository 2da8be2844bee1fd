import { z } from 'zod';
import type { Frame } from '../../../core/frame/frame.js';
import { asCategorical, categoryCodes, categoryCounts, NULL_CODE, UNSEEN_CODE } from '../columns/category-codes.js';
import { floatOutput, validityFromNaN } from '../columns/numeric-input.js';
import { replaceColumns } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import { unseen } from './one-hot-step.js';
import type { StepDefinition } from './step-definition.js';
import { columnList, finite } from './step-fields.js';

/** Code ordinal encoding gives an unseen category unless `unknownValue` says otherwise. */
export const ORDINAL_UNKNOWN_VALUE = -1;

/**
 * Ordinal-encodes category or string columns: each value becomes its 0-based index among the training categories in
 * value order (UTF-16 code units), as a float column in place of the input. An unseen category becomes
 * `unknownValue` (default -1) or, with `handleUnknown: 'error'`, LOOM_ERR_PREPROCESS_UNSEEN_CATEGORY. Null stays null.
 */
export interface OrdinalSpec {
  readonly kind: 'ordinal';
  readonly columns: readonly string[];
  readonly handleUnknown: 'value' | 'error';
  readonly unknownValue: number;
}

/** A fitted ordinal encoder: each column's categories in code order. */
export interface FittedOrdinal {
  readonly kind: 'ordinal';
  readonly columns: readonly string[];
  readonly handleUnknown: 'value' | 'error';
  readonly unknownValue: number;
  readonly categories: readonly (readonly string[])[];
}

/** The ordinal encoder step. */
export const ORDINAL_STEP: StepDefinition<OrdinalSpec, FittedOrdinal> = {
  kind: 'ordinal',
  specSchema: z.strictObject({
    kind: z.literal('ordinal'),
    columns: columnList,
    handleUnknown: z.enum(['value', 'error']).default('value'),
    unknownValue: finite.default(ORDINAL_UNKNOWN_VALUE),
  }),
  fittedSchema: z.strictObject({
    kind: z.literal('ordinal'),
    columns: columnList,
    handleUnknown: z.enum(['value', 'error']),
    unknownValue: finite,
    categories: z.array(z.array(z.string())),
  }),
  reads: (step) => step.columns,
  checkFitted: (f) => (f.categories.length === f.columns.length ? null : ['categories', `has ${f.categories.length} lists for ${f.columns.length} columns`]),
  fitTransform(spec, frame, context) {
    const categories = spec.columns.map((name) => categoryCounts(asCategorical(stepColumn(frame, name, context.label, 'fit'), context.label)).values);
    const fitted: FittedOrdinal = { kind: 'ordinal', columns: spec.columns, handleUnknown: spec.handleUnknown, unknownValue: spec.unknownValue, categories };
    return { fitted, frame: ORDINAL_STEP.transform(fitted, frame, context.label) };
  },
  transform(fitted, frame, label) {
    let out: Frame = frame;
    fitted.columns.forEach((name, c) => {
      const column = asCategorical(stepColumn(out, name, label, 'transform'), label);
      const codes = categoryCodes(column, fitted.categories[c]);
      const values = new Float64Array(codes.length);
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i];
        if (code >= 0) values[i] = code;
        else if (code === NULL_CODE) values[i] = Number.NaN;
        else if (fitted.handleUnknown === 'error') throw unseen(column, i, label);
        else values[i] = code === UNSEEN_CODE ? fitted.unknownValue : Number.NaN;
      }
      out = replaceColumns(out, name, [floatOutput(name, values, validityFromNaN(values))], label);
    });
    return out;
  },
};
