import { sql, type Kysely, type Transaction } from 'kysely';
import type { LoomDatabase } from '../storage/metadata/database.js';

/** Rows per INSERT statement: 5 parameters each keeps well under SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_INSERT = 1000;

/** Buffered metric points, column-wise (no object per point): parallel arrays, `keys` index into `keyNames`. @internal */
export interface MetricBatch {
  readonly keyNames: readonly string[];
  readonly keys: readonly number[];
  readonly values: readonly number[];
  readonly steps: readonly number[];
  readonly timestamps: readonly number[];
}

/**
 * Writes one batch of metric points inside `trx`: the points into `run_metrics`, and one upsert per key into
 * `run_latest_metrics` that keeps the point with the highest step (then newest timestamp; later wins a tie), folds
 * min and max (ignoring NaN) and adds the count. NaN is stored as NULL. @internal
 */
export async function writeMetricBatch(trx: Transaction<LoomDatabase> | Kysely<LoomDatabase>, runId: string, batch: MetricBatch): Promise<void> {
  const n = batch.values.length;
  for (let start = 0; start < n; start += ROWS_PER_INSERT) {
    const end = Math.min(n, start + ROWS_PER_INSERT);
    const rows = new Array<{ run_id: string; key: string; step: number; timestamp: number; value: number | null }>(end - start);
    for (let i = start; i < end; i++) {
      const v = batch.values[i];
      rows[i - start] = { run_id: runId, key: batch.keyNames[batch.keys[i]], step: batch.steps[i], timestamp: batch.timestamps[i], value: Number.isNaN(v) ? null : v };
    }
    await trx.insertInto('run_metrics').values(rows).execute();
  }

  const latest = summarize(batch);
  const rows = latest.map((s) => ({
    run_id: runId,
    key: batch.keyNames[s.key],
    value: Number.isNaN(s.value) ? null : s.value,
    step: s.step,
    timestamp: s.timestamp,
    min_value: Number.isNaN(s.min) ? null : s.min,
    max_value: Number.isNaN(s.max) ? null : s.max,
    count: s.count,
  }));
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const newer = sql<boolean>`(excluded.step > run_latest_metrics.step or (excluded.step = run_latest_metrics.step and excluded.timestamp >= run_latest_metrics.timestamp))`;
    await trx
      .insertInto('run_latest_metrics')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((oc) =>
        oc.columns(['run_id', 'key']).doUpdateSet({
          value: sql`case when ${newer} then excluded.value else run_latest_metrics.value end`,
          step: sql`case when ${newer} then excluded.step else run_latest_metrics.step end`,
          timestamp: sql`case when ${newer} then excluded.timestamp else run_latest_metrics.timestamp end`,
          min_value: sql`case when run_latest_metrics.min_value is null or excluded.min_value < run_latest_metrics.min_value then excluded.min_value else run_latest_metrics.min_value end`,
          max_value: sql`case when run_latest_metrics.max_value is null or excluded.max_value > run_latest_metrics.max_value then excluded.max_value else run_latest_metrics.max_value end`,
          count: sql`run_latest_metrics.count + excluded.count`,
        }),
      )
      .execute();
  }
}

interface KeySummary {
  key: number;
  value: number;
  step: number;
  timestamp: number;
  min: number;
  max: number;
  count: number;
}

function summarize(batch: MetricBatch): KeySummary[] {
  const byKey: (KeySummary | undefined)[] = new Array(batch.keyNames.length);
  for (let i = 0; i < batch.values.length; i++) {
    const k = batch.keys[i];
    const v = batch.values[i];
    let s = byKey[k];
    if (s === undefined) {
      s = byKey[k] = { key: k, value: v, step: batch.steps[i], timestamp: batch.timestamps[i], min: NaN, max: NaN, count: 0 };
    } else if (batch.steps[i] > s.step || (batch.steps[i] === s.step && batch.timestamps[i] >= s.timestamp)) {
      s.value = v;
      s.step = batch.steps[i];
      s.timestamp = batch.timestamps[i];
    }
    s.count++;
    if (!Number.isNaN(v)) {
      if (!(v >= s.min)) s.min = v;
      if (!(v <= s.max)) s.max = v;
    }
  }
  return byKey.filter((s): s is KeySummary => s !== undefined);
}
