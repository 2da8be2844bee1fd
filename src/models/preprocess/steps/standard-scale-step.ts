import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import type { Frame } from '../../../core/frame/frame.js';
import { floatOutput, readNumeric } from '../columns/numeric-input.js';
import { replaceColumns } from '../columns/replace-columns.js';
import { stepColumn } from '../columns/step-column.js';
import type { StepDefinition } from './step-definition.js';
import { columnList, finite } from './step-fields.js';

/**
 * Standardizes numeric columns: x ↦ (x − mean) / std, with the population standard deviation (divisor n) of the
 * non-missing training values. A column with std 0, or below 1e-12 × |mean| (rounding noise), is only centred
 * (scale 1). Missing values stay missing. Outputs are float columns in place of the inputs.
 */
export interface StandardScaleSpec {
  readonly kind: 'standard_scale';
  readonly columns: readonly string[];
  /** Subtract the mean (default true); when false the centre is 0. */
  readonly withMean: boolean;
  /** Divide by the standard deviation (default true); when false the scale is 1. */
  readonly withStd: boolean;
}

/** A fitted standard scaler: x ↦ (x − centers[c]) / scales[c]. */
export interface FittedStandardScale {
  readonly kind: 'standard_scale';
  readonly columns: readonly string[];
  readonly centers: readonly number[];
  readonly scales: readonly number[];
}

/** The standard scaler step. */
export const STANDARD_SCALE_STEP: StepDefinition<StandardScaleSpec, FittedStandardScale> = {
  kind: 'standard_scale',
  specSchema: z.strictObject({
    kind: z.literal('standard_scale'),
    columns: columnList,
    withMean: z.boolean().default(true),
    withStd: z.boolean().default(true),
  }),
  fittedSchema: z.strictObject({
    kind: z.literal('standard_scale'),
    columns: columnList,
    centers: z.array(finite),
    scales: z.array(finite.refine((v) => v > 0, 'must be > 0')),
  }),
  reads: (step) => step.columns,
  checkFitted: (f) => checkLengths(f.columns.length, f.centers.length, f.scales.length),
  fitTransform(spec, frame, context) {
    const centers: number[] = [];
    const scales: number[] = [];
    for (const name of spec.columns) {
      const values = readNumeric(stepColumn(frame, name, context.label, 'fit'), context.label);
      let n = 0;
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN(values[i])) continue;
        sum += values[i];
        n++;
      }
      if (n === 0) throw new LoomError('PREPROCESS_COLUMN_EMPTY', { step: context.label, field: name }, { details: { field: name } });
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) ss += (values[i] - mean) ** 2;
      const std = Math.sqrt(ss / n);
      centers.push(spec.withMean ? mean : 0);
      // A spread at rounding level of the mean is a constant column, not a signal to blow up.
      scales.push(spec.withStd && std > 1e-12 * Math.abs(mean) && std > 0 ? std : 1);
    }
    const fitted: FittedStandardScale = { kind: 'standard_scale', columns: spec.columns, centers, scales };
    return { fitted, frame: STANDARD_SCALE_STEP.transform(fitted, frame, context.label) };
  },
  transform: (fitted, frame, label) => scaleColumns(frame, fitted.columns, fitted.centers, fitted.scales, label),
};

/** Replaces each named column by (x − center) / scale as a float column; null rows stay null. Shared by both scalers. */
export function scaleColumns(frame: Frame, columns: readonly string[], centers: readonly number[], scales: readonly number[], label: string): Frame {
  let out = frame;
  columns.forEach((name, c) => {
    const column = stepColumn(out, name, label, 'transform');
    const values = readNumeric(column, label);
    const center = centers[c];
    const scale = scales[c];
    for (let i = 0; i < values.length; i++) values[i] = (values[i] - center) / scale;
    out = replaceColumns(out, name, [floatOutput(name, values, column.validity)], label);
  });
  return out;
}

/** The checkFitted result for per-column arrays of a scaler. */
export function checkLengths(columns: number, centers: number, scales: number): readonly [string, string] | null {
  if (centers !== columns) return ['centers', `has ${centers} entries for ${columns} columns`];
  if (scales !== columns) return ['scales', `has ${scales} entries for ${columns} columns`];
  return null;
}
