import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { describeRelation } from '../../data/duckdb/query-rows.js';
import { sqlIdent, sqlString } from '../../data/duckdb/sql-text.js';
import type { ColumnTagMap } from '../../data/ingest/column-tags.js';
import { ingestDataset } from '../../data/ingest/ingest-dataset.js';
import type { Workspace } from '../../storage/workspace.js';
import { recordTrainingSet } from '../registry/training-set-record.js';
import { getHistoricalFeatures, type HistoricalFeatures, type HistoricalFeaturesRequest } from './get-historical-features.js';

/** What buildTrainingSet takes: a historical-features request (without `out`) and the dataset to store it as. */
export interface TrainingSetRequest extends Omit<HistoricalFeaturesRequest, 'out'> {
  /** The dataset the training set becomes a new version of. */
  readonly dataset: string;
  /** Column tags for the dataset, e.g. `churned=target` or `{ churned: ['target'] }`. */
  readonly tags?: ColumnTagMap | string;
  /** Entity-row columns to leave out of the dataset (e.g. the time column and ids the model must not learn from). */
  readonly drop?: readonly string[];
  readonly description?: string;
  /** Environment for LOOM_PII_KEY when a column is tagged pii (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What buildTrainingSet returns: the retrieval's figures plus the dataset version it made. */
export interface TrainingSet extends Omit<HistoricalFeatures, 'frame' | 'out'> {
  readonly dataset: string;
  readonly version: string;
  /** False when identical content was already that dataset's version. */
  readonly created: boolean;
}

/**
 * Builds a point-in-time training set (getHistoricalFeatures) and stores it as a new version of a dataset, recording
 * the feature refs and view versions its columns came from. A model trained on that dataset version (or on a split
 * of it) is then registered with those refs, so `loom features apply` protects the views it reads and serving knows
 * which online features to fetch for it.
 *
 * @throws as getHistoricalFeatures and ingestDataset; LOOM_ERR_FEATURES_TRAINING_SET_INVALID for a `drop` column
 *   that is not an entity-row column
 * @example
 * const set = await buildTrainingSet(ws, {
 *   entities: { path: 'labels.csv' }, features: ['usage:events_count_7d', 'billing:plan'],
 *   dataset: 'churn-train', tags: 'churned=target', drop: ['event_timestamp'],
 * });
 * // loom train --data churn-train@<set.version> --target churned; loom models register … records the refs
 */
export async function buildTrainingSet(ws: Workspace, request: TrainingSetRequest): Promise<TrainingSet> {
  const tmp = join(ws.config.home, 'tmp');
  const stamp = randomUUID();
  const full = join(tmp, `training-set-${stamp}.parquet`);
  const trimmed = join(tmp, `training-set-${stamp}-trimmed.parquet`);
  try {
    const result = await getHistoricalFeatures(ws, { ...request, out: full });
    let path = full;
    const drop = request.drop ?? [];
    if (drop.length > 0) {
      const featureColumns = new Set(result.features.map((f) => f.column));
      for (const column of drop) {
        if (!result.columns.some((c) => c.name === column) || featureColumns.has(column)) {
          throw new LoomError('FEATURES_TRAINING_SET_INVALID', { field: 'drop', problem: `"${column}" is not an entity-row column of the training set` }, { details: { field: 'drop', column } });
        }
      }
      const session = await openDuckDb({ tempDirectory: join(tmp, 'duckdb') });
      try {
        const relation = `read_parquet(${sqlString(full)})`;
        await describeRelation(session.connection, relation);
        await session.connection.run(`COPY (SELECT * EXCLUDE (${drop.map(sqlIdent).join(', ')}) FROM ${relation}) TO ${sqlString(trimmed)} (FORMAT parquet)`);
      } finally {
        session.close();
      }
      path = trimmed;
    }
    const ingested = await ingestDataset(ws, { path, name: request.dataset, tags: request.tags, description: request.description, env: request.env }, request.progress);
    await recordTrainingSet(ws, { dataset: ingested.dataset, version: ingested.version, refs: result.features, entities: result.entities, now: Date.now() });
    return { rows: result.rows, columns: result.columns.filter((c) => !drop.includes(c.name)), views: result.views, entities: result.entities, features: result.features, dataset: ingested.dataset, version: ingested.version, created: ingested.created };
  } finally {
    rmSync(full, { force: true });
    rmSync(trimmed, { force: true });
  }
}
