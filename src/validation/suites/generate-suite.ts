import type { ColumnSchema, Schema } from '../../core/schema/schema.js';
import type { ColumnProfile, Profile } from '../../data/profile/profile.js';
import { driftTestForReference } from '../../monitoring/drift/drift-tests.js';
import type { ExpectationInput, JsonValue } from '../expectations/expectation.js';
import { Suite, type SuiteOrigin } from './suite.js';

/** Options for generateSuite. Every default is documented in docs/validation.md. */
export interface GenerateSuiteOptions {
  /** Recorded as `meta.generatedFrom`. */
  readonly generatedFrom?: SuiteOrigin;
  /** Text columns with at most this many distinct values get `in_set`. Default 50. */
  readonly maxSetSize?: number;
  /** Relative tolerance of `row_count` around the reference row count. Default 0.1 (Evidently's TestNumberOfRows). */
  readonly rowCountTolerance?: number;
  /** Relative extra null share `not_null` allows over the observed one. Default 0.1 (Evidently: reference + 10%). */
  readonly nullRelativeMargin?: number;
  /** Absolute extra null share `not_null` allows, added to the relative margin. Default 0.005. */
  readonly nullAbsoluteMargin?: number;
}

const DEFAULTS = { maxSetSize: 50, rowCountTolerance: 0.1, nullRelativeMargin: 0.1, nullAbsoluteMargin: 0.005 } as const;

/**
 * Builds a suite from a schema and the profile of a reference dataset. Rules, in output order:
 * 1. `row_count` within ±rowCountTolerance of the reference rows (floor/ceil to whole rows).
 * 2. Per column, in schema order:
 *    - `column_exists` with the column's type;
 *    - `not_null`: with no nulls seen, `mostly` 1; otherwise `mostly` = 1 − (nullShare·(1 + relative) + absolute),
 *      rounded down to 4 decimals; skipped when the column was entirely null;
 *    - `between` for int, float and timestamp columns: exactly the observed [min, max] (infinite ends left open);
 *      when the reference had NaN, `mostly` is the reference's non-NaN share, rounded down to 4 decimals;
 *    - `in_set` for category, string and bool columns whose every distinct value is in the profile's top list and
 *      number at most maxSetSize (never for id or pii columns);
 *    - `unique` for columns tagged `id`, and for int, string and category columns whose values were all distinct;
 *    - `string_length` for string columns, and category columns that got no `in_set`: the observed length range;
 *    - `distribution` for feature columns (not tagged id, pii, target or timestamp; not timestamp or embedding typed;
 *      at least 2 distinct values): int/float columns against the profile's reference sample, category and bool
 *      columns and strings that got `in_set` against the top counts plus the other count. The test follows
 *      Evidently's rule on the reference row count (driftTestForReference): up to 1000 rows KS / chi-square at
 *      p < 0.05, above it normed Wasserstein / Jensen–Shannon at distance ≥ 0.1.
 * Expectations on a column tagged `target` carry `meta.role = "target"`, so serving can skip them.
 *
 * @example
 * const suite = generateSuite('adult', version.schema, version.profile, { generatedFrom: { dataset: 'adult', version: version.id } });
 */
export function generateSuite(name: string, schema: Schema, profile: Profile, options: GenerateSuiteOptions = {}): Suite {
  const settings = { ...DEFAULTS, ...withoutUndefined(options) };
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  const expectations: ExpectationInput[] = [];
  const tolerance = settings.rowCountTolerance;
  expectations.push({ kind: 'row_count', min: Math.floor(profile.rows * (1 - tolerance)), max: Math.ceil(profile.rows * (1 + tolerance)) });
  for (const column of schema.columns) {
    const stats = byName.get(column.name);
    const meta: { readonly [key: string]: JsonValue } | undefined = column.tags.includes('target') ? { role: 'target' } : undefined;
    const add = (e: ExpectationInput) => expectations.push(meta === undefined ? e : { ...e, meta });
    add({ kind: 'column_exists', column: column.name, type: column.type });
    if (stats === undefined) continue;
    const rows = stats.count + stats.nulls;
    if (stats.nulls === 0) add({ kind: 'not_null', column: column.name });
    else if (stats.count > 0) {
      const allowed = (stats.nulls / rows) * (1 + settings.nullRelativeMargin) + settings.nullAbsoluteMargin;
      const mostly = floor4(1 - allowed);
      if (mostly > 0) add({ kind: 'not_null', column: column.name, mostly });
    }
    if (stats.count === 0) continue;
    for (const e of valueExpectations(column, stats, settings.maxSetSize, profile.rows)) add(e);
  }
  return Suite.create({ name, expectations, meta: options.generatedFrom ? { generatedFrom: options.generatedFrom } : {} });
}

function valueExpectations(column: ColumnSchema, stats: ColumnProfile, maxSetSize: number, referenceRows: number): ExpectationInput[] {
  const out: ExpectationInput[] = [];
  const name = column.name;
  const isId = column.tags.includes('id');
  const numeric = stats.numeric;
  const categorical = stats.categorical;
  if ((column.type === 'int' || column.type === 'float' || column.type === 'timestamp') && numeric !== undefined) {
    const min = Number.isFinite(numeric.min) ? numeric.min : undefined;
    const max = Number.isFinite(numeric.max) ? numeric.max : undefined;
    const mostly = numeric.nans > 0 ? floor4((stats.count - numeric.nans) / stats.count) : undefined;
    if (min !== undefined || max !== undefined) {
      out.push({ kind: 'between', column: name, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), ...(mostly === undefined ? {} : { mostly }) });
    }
  }
  const textual = column.type === 'category' || column.type === 'string' || column.type === 'bool';
  const fullyListed = categorical !== undefined && categorical.otherCount === 0 && stats.distinct <= maxSetSize;
  const withSet = textual && fullyListed && !isId && !column.tags.includes('pii');
  if (withSet && categorical !== undefined) {
    const values = categorical.top.map((t) => t.value).sort();
    out.push({ kind: 'in_set', column: name, values: column.type === 'bool' ? values.map((v) => v === 'true') : values });
  }
  const allDistinct = stats.distinct === stats.count && stats.count > 1;
  if (isId || (allDistinct && (column.type === 'int' || column.type === 'string' || column.type === 'category'))) {
    out.push({ kind: 'unique', column: name });
  }
  if ((column.type === 'string' || (column.type === 'category' && !withSet)) && categorical?.minLength !== undefined) {
    out.push({ kind: 'string_length', column: name, min: categorical.minLength, max: categorical.maxLength });
  }
  const feature = !['id', 'pii', 'target', 'timestamp'].some((tag) => column.tags.includes(tag as never)) && stats.distinct >= 2;
  if (feature && (column.type === 'int' || column.type === 'float') && numeric !== undefined && numeric.sample.length > 0) {
    const test = driftTestForReference('numeric', referenceRows).descriptor.name;
    out.push({ kind: 'distribution', column: name, test, reference: { type: 'numeric', sample: [...numeric.sample] } });
  } else if (feature && categorical !== undefined && (column.type === 'category' || column.type === 'bool' || withSet)) {
    out.push({
      kind: 'distribution',
      column: name,
      test: driftTestForReference('categorical', referenceRows).descriptor.name,
      reference: { type: 'categorical', counts: categorical.top.map((t) => ({ value: t.value, count: t.count })), otherCount: categorical.otherCount },
    });
  }
  return out;
}

/** Rounds down to 4 decimals; the 1e-9 nudge keeps 0.7749999… (binary noise for 0.775) from dropping a step. */
function floor4(x: number): number {
  return Math.floor(x * 10_000 + 1e-9) / 10_000;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
