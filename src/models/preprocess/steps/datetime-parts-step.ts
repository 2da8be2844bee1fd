import { z } from 'zod';
import type { Frame } from '../../../core/frame/frame.js';
import { isValid } from '../../../core/frame/validity.js';
import { floatOutput } from '../columns/numeric-input.js';
import { insertAfter, replaceColumns } from '../columns/replace-columns.js';
import { requireType, stepColumn } from '../columns/step-column.js';
import { DATE_PARTS, utcDatePart, type DatePart } from '../calendar/utc-date-parts.js';
import type { StepDefinition } from './step-definition.js';
import { columnList } from './step-fields.js';

/**
 * Splits timestamp columns into calendar parts in UTC: float columns `<name>_year`, `_month` (1–12), `_day` (1–31),
 * `_weekday` (0 = Monday … 6 = Sunday) and `_hour` (0–23), for the requested `parts` in that order. They replace the
 * input, or follow it with `keep: true`. A null timestamp gives null parts. Nothing is learned.
 */
export interface DatetimePartsSpec {
  readonly kind: 'datetime_parts';
  readonly columns: readonly string[];
  /** Default: all five. */
  readonly parts: readonly DatePart[];
  /** Keep the timestamp column too. Default false. */
  readonly keep: boolean;
}

/** A fitted datetime-parts step: identical to its spec. */
export type FittedDatetimeParts = DatetimePartsSpec;

const schema = z.strictObject({
  kind: z.literal('datetime_parts'),
  columns: columnList,
  parts: z
    .array(z.enum(DATE_PARTS as [DatePart, ...DatePart[]]))
    .min(1)
    .refine((p) => new Set(p).size === p.length, 'list each part once')
    .transform((p) => DATE_PARTS.filter((part) => p.includes(part)))
    .default([...DATE_PARTS]),
  keep: z.boolean().default(false),
});

/** The datetime-parts step. */
export const DATETIME_PARTS_STEP: StepDefinition<DatetimePartsSpec, FittedDatetimeParts> = {
  kind: 'datetime_parts',
  specSchema: schema,
  fittedSchema: schema,
  reads: (step) => step.columns,
  fitTransform(spec, frame, context) {
    for (const name of spec.columns) requireType(stepColumn(frame, name, context.label, 'fit'), ['timestamp'], context.label);
    return { fitted: spec, frame: DATETIME_PARTS_STEP.transform(spec, frame, context.label) };
  },
  transform(spec, frame, label) {
    let out: Frame = frame;
    for (const name of spec.columns) {
      const column = stepColumn(out, name, label, 'transform');
      requireType(column, ['timestamp'], label);
      const ms = (column as Extract<typeof column, { type: 'timestamp' }>).values;
      const parts = spec.parts.map((part) => {
        const values = new Float64Array(column.length);
        for (let i = 0; i < values.length; i++) values[i] = isValid(column.validity, i) ? utcDatePart(ms[i], part) : Number.NaN;
        return floatOutput(`${name}_${part}`, values, column.validity);
      });
      out = spec.keep ? insertAfter(out, name, parts, label) : replaceColumns(out, name, parts, label);
    }
    return out;
  },
};
