import { z } from 'zod';
import { durationSchema, formatDuration, type Duration } from './duration.js';
import type { FeatureType } from './feature-types.js';
import { NAME_PATTERN, NAME_RULE } from './definition-error.js';

/** The aggregate functions a window can compute. */
export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'mean', 'min', 'max', 'distinct'] as const;
/** One aggregate function: `count` counts rows, `distinct` counts distinct non-null values of `column`. */
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** What a view's `aggregations` entry takes. */
export interface WindowAggregationInput {
  readonly fn: AggregateFunction;
  /** The source column; required except for `count`. */
  readonly column?: string;
  /** The sliding window, e.g. '1h', '1d', '7d', '30d'. */
  readonly window: Duration;
  /** The feature name; default `<column>_<fn>_<window>` (`count_<window>` for count). */
  readonly name?: string;
}

/**
 * A declared sliding-window aggregate, per entity: at time t it aggregates the source rows with
 * `t − window < event_ts ≤ t` (the window's start is excluded, its end included, so back-to-back windows never count a
 * row twice). Rows are counted whatever their created timestamp. With no rows in the window, `count`, `distinct` and
 * `sum` are 0 and `mean`, `min`, `max` are null. Null values of `column` are skipped (and not counted by `distinct`).
 *
 * The declaration is data only: offline retrieval turns it into a DuckDB window query, and online updates fold it
 * incrementally from the same fields.
 */
export interface WindowAggregation {
  readonly name: string;
  readonly fn: AggregateFunction;
  readonly column: string | null;
  readonly windowMs: number;
}

/** @internal */
export const windowAggregationSchema = z
  .strictObject({
    fn: z.enum(AGGREGATE_FUNCTIONS),
    column: z.string().min(1).optional(),
    window: durationSchema,
    name: z.string().regex(NAME_PATTERN, NAME_RULE).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.fn !== 'count' && a.column === undefined) ctx.addIssue({ code: 'custom', path: ['column'], message: `"${a.fn}" needs the column it aggregates` });
  })
  .transform(
    (a): WindowAggregation =>
      Object.freeze({
        name: a.name ?? (a.column === undefined ? `count_${formatDuration(a.window)}` : `${a.column}_${a.fn}_${formatDuration(a.window)}`),
        fn: a.fn,
        column: a.column ?? null,
        windowMs: a.window,
      }),
  );

/** The feature type an aggregate produces: counts are `int`, the rest `float`. */
export function aggregateType(fn: AggregateFunction): FeatureType {
  return fn === 'count' || fn === 'distinct' ? 'int' : 'float';
}
