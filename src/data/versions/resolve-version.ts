import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { versionFromRow, type DatasetVersion } from './dataset-version.js';

/** Shortest version prefix accepted in `name@prefix`. */
export const MIN_VERSION_PREFIX = 6;

/** A parsed dataset reference. */
export interface DatasetRef {
  readonly name: string;
  readonly version?: string;
}

/** Splits `name` or `name@version` (the version may be a unique prefix). */
export function parseDatasetRef(ref: string): DatasetRef {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { name: ref };
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

/**
 * Finds a dataset version: `name` gives the latest, `name@<id>` or `name@<prefix of at least 6 hex chars>` that
 * version.
 *
 * @throws LOOM_ERR_DATA_DATASET_NOT_FOUND, LOOM_ERR_DATA_VERSION_NOT_FOUND, LOOM_ERR_DATA_VERSION_AMBIGUOUS
 * @example
 * const v = await resolveVersion(ws, 'adult@3f2a9c');
 */
export async function resolveVersion(ws: Workspace, ref: string): Promise<DatasetVersion> {
  const { name, version } = parseDatasetRef(ref);
  const { db } = await ws.metadata();
  const dataset = await db.selectFrom('datasets').select(['name', 'latest_version']).where('name', '=', name).executeTakeFirst();
  if (dataset === undefined || dataset.latest_version === null) {
    throw new LoomError('DATA_DATASET_NOT_FOUND', { name }, { details: { field: 'dataset' } });
  }
  const wanted = version ?? dataset.latest_version;
  const normalized = wanted.toLowerCase();
  if (version !== undefined && (normalized.length < MIN_VERSION_PREFIX || !/^[0-9a-f]+$/.test(normalized))) {
    throw new LoomError('DATA_VERSION_NOT_FOUND', { name, version }, { details: { field: 'version', minPrefix: MIN_VERSION_PREFIX } });
  }
  const rows = await db
    .selectFrom('dataset_versions')
    .selectAll()
    .where('dataset', '=', name)
    .where('id', 'like', `${normalized}%`)
    .limit(2)
    .execute();
  if (rows.length === 0) throw new LoomError('DATA_VERSION_NOT_FOUND', { name, version: wanted }, { details: { field: 'version' } });
  if (rows.length > 1) {
    const { count } = await db
      .selectFrom('dataset_versions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('dataset', '=', name)
      .where('id', 'like', `${normalized}%`)
      .executeTakeFirstOrThrow();
    throw new LoomError('DATA_VERSION_AMBIGUOUS', { name, version: wanted, count: Number(count) }, { details: { field: 'version' } });
  }
  return versionFromRow(rows[0]);
}
