import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import { presentValues, readNumeric } from '../columns/numeric-input.js';
import { stepColumn } from '../columns/step-column.js';
import { quantileSorted } from '../statistics/quantile.js';
import type { StepDefinition } from './step-definition.js';
import { columnList, finite } from './step-fields.js';
import { checkLengths, scaleColumns } from './standard-scale-step.js';

/**
 * Scales numeric columns robustly: x ↦ (x − median) / (Q_hi − Q_lo), the quantiles (type 7, in percent) taken over
 * the non-missing training values. A zero range gives scale 1. Missing values stay missing.
 */
export interface RobustScaleSpec {
  readonly kind: 'robust_scale';
  readonly columns: readonly string[];
  /** Percentiles of the range, default [25, 75] (the interquartile range). */
  readonly quantileRange: readonly [number, number];
  readonly withCentering: boolean;
  readonly withScaling: boolean;
}

/** A fitted robust scaler: x ↦ (x − centers[c]) / scales[c]. */
export interface FittedRobustScale {
  readonly kind: 'robust_scale';
  readonly columns: readonly string[];
  readonly centers: readonly number[];
  readonly scales: readonly number[];
}

const percent = z.number().min(0).max(100);

/** The robust scaler step. */
export const ROBUST_SCALE_STEP: StepDefinition<RobustScaleSpec, FittedRobustScale> = {
  kind: 'robust_scale',
  specSchema: z.strictObject({
    kind: z.literal('robust_scale'),
    columns: columnList,
    quantileRange: z.tuple([percent, percent]).refine(([lo, hi]) => lo < hi, 'the lower percentile must be below the upper').default([25, 75]),
    withCentering: z.boolean().default(true),
    withScaling: z.boolean().default(true),
  }),
  fittedSchema: z.strictObject({
    kind: z.literal('robust_scale'),
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
      const sorted = presentValues(readNumeric(stepColumn(frame, name, context.label, 'fit'), context.label)).sort();
      if (sorted.length === 0) throw new LoomError('PREPROCESS_COLUMN_EMPTY', { step: context.label, field: name }, { details: { field: name } });
      const range = quantileSorted(sorted, spec.quantileRange[1] / 100) - quantileSorted(sorted, spec.quantileRange[0] / 100);
      centers.push(spec.withCentering ? quantileSorted(sorted, 0.5) : 0);
      scales.push(spec.withScaling && range > 0 ? range : 1);
    }
    const fitted: FittedRobustScale = { kind: 'robust_scale', columns: spec.columns, centers, scales };
    return { fitted, frame: scaleColumns(frame, fitted.columns, centers, scales, context.label) };
  },
  transform: (fitted, frame, label) => scaleColumns(frame, fitted.columns, fitted.centers, fitted.scales, label),
};
