import { z } from 'zod';
import { floatOutput, readNumeric, validityFromNaN } from '../columns/numeric-input.js';
import { insertAfter } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import type { StepDefinition } from './step-definition.js';
import { columnName, finite } from './step-fields.js';

/**
 * Adds the ratio of two numeric columns as a float column `name` (default `<numerator>/<denominator>`), inserted
 * after the denominator; both inputs stay. Safe divide: where the denominator is 0 (or the quotient is not finite)
 * the value is `fillValue` (default 0). A null in either input gives null. Nothing is learned.
 */
export interface RatioSpec {
  readonly kind: 'ratio';
  readonly numerator: string;
  readonly denominator: string;
  readonly name: string;
  readonly fillValue: number;
}

/** A fitted ratio: identical to its spec. */
export type FittedRatio = RatioSpec;

/** The ratio step. */
export const RATIO_STEP: StepDefinition<RatioSpec, FittedRatio> = {
  kind: 'ratio',
  specSchema: z
    .strictObject({ kind: z.literal('ratio'), numerator: columnName, denominator: columnName, name: columnName.optional(), fillValue: finite.default(0) })
    .transform((s): RatioSpec => ({ ...s, name: s.name ?? `${s.numerator}/${s.denominator}` })),
  fittedSchema: z.strictObject({ kind: z.literal('ratio'), numerator: columnName, denominator: columnName, name: columnName, fillValue: finite }),
  reads: (step) => [step.numerator, step.denominator],
  fitTransform(spec, frame, context) {
    for (const name of [spec.numerator, spec.denominator]) readNumeric(stepColumn(frame, name, context.label, 'fit'), context.label);
    return { fitted: spec, frame: RATIO_STEP.transform(spec, frame, context.label) };
  },
  transform(spec, frame, label) {
    const a = readNumeric(stepColumn(frame, spec.numerator, label, 'transform'), label);
    const b = readNumeric(stepColumn(frame, spec.denominator, label, 'transform'), label);
    const out = new Float64Array(a.length);
    for (let i = 0; i < out.length; i++) {
      if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
        out[i] = Number.NaN;
        continue;
      }
      const q = a[i] / b[i];
      out[i] = b[i] === 0 || !Number.isFinite(q) ? spec.fillValue : q;
    }
    return insertAfter(frame, spec.denominator, [floatOutput(spec.name, out, validityFromNaN(out))], label);
  },
};
