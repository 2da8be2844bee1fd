import { join } from 'node:path';
import { LoomError, isLoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import type { Workspace } from '../../storage/workspace.js';
import { openDuckDb } from '../duckdb/duckdb-session.js';
import { loadFrame } from '../duckdb/load-frame.js';
import { sqlString } from '../duckdb/sql-text.js';
import type { DatasetVersion } from './dataset-version.js';
import { resolveVersion } from './resolve-version.js';

/**
 * Loads a dataset version's rows as a Frame (DuckDB reads the verified Parquet blob; see loadFrame for types).
 * `columns` selects and orders a subset. The caller owns the frame's memory.
 *
 * @throws LOOM_ERR_DATA_DATASET_NOT_FOUND, LOOM_ERR_DATA_VERSION_NOT_FOUND, LOOM_ERR_DATA_VERSION_AMBIGUOUS,
 *   LOOM_ERR_ARTIFACT_NOT_FOUND, LOOM_ERR_ARTIFACT_CORRUPT, LOOM_ERR_DATA_BLOB_CORRUPT, LOOM_ERR_FRAME_COLUMN_NOT_FOUND
 * @example
 * const { frame } = await loadDatasetFrame(ws, 'adult', { columns: ['age', 'income'] });
 */
export async function loadDatasetFrame(ws: Workspace, ref: string, options: { readonly columns?: readonly string[] } = {}): Promise<{ version: DatasetVersion; frame: Frame }> {
  const version = await resolveVersion(ws, ref);
  const path = await (await ws.artifacts()).localPath(version.blobHash);
  const session = await openDuckDb({ tempDirectory: join(ws.config.home, 'tmp', 'duckdb') });
  try {
    const frame = await loadFrame(session.connection, `read_parquet(${sqlString(path)})`, version.schema, options.columns).catch((err: unknown) => {
      if (isLoomError(err)) throw err;
      throw new LoomError('DATA_BLOB_CORRUPT', { dataset: version.dataset, version: version.id.slice(0, 12), problem: String((err as Error).message).split('\n')[0] }, { cause: err, details: { field: 'version' } });
    });
    return { version, frame };
  } finally {
    session.close();
  }
}
