import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { versionFromRow, type DatasetVersion } from './dataset-version.js';

/** A dataset with a summary of its latest version. Times are epoch ms (UTC). */
export interface DatasetSummary {
  readonly name: string;
  readonly description: string;
  readonly latestVersion: string | null;
  readonly versions: number;
  /** Rows and columns of the latest version (0 when it has none). */
  readonly rows: number;
  readonly columns: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Every dataset, by name. */
export async function listDatasets(ws: Workspace): Promise<DatasetSummary[]> {
  const { db } = await ws.metadata();
  const datasets = await db.selectFrom('datasets').selectAll().orderBy('name').execute();
  const counts = await db
    .selectFrom('dataset_versions')
    .select(['dataset', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('dataset')
    .execute();
  const countBy = new Map(counts.map((c) => [c.dataset, Number(c.n)]));
  const latest = await db
    .selectFrom('dataset_versions')
    .innerJoin('datasets', (join) => join.onRef('datasets.name', '=', 'dataset_versions.dataset').onRef('datasets.latest_version', '=', 'dataset_versions.id'))
    .select(['dataset_versions.dataset', 'dataset_versions.rows', 'dataset_versions.schema_json'])
    .execute();
  const latestBy = new Map(latest.map((l) => [l.dataset, l]));
  return datasets.map((d) => {
    const head = latestBy.get(d.name);
    return {
      name: d.name,
      description: d.description,
      latestVersion: d.latest_version,
      versions: countBy.get(d.name) ?? 0,
      rows: head ? Number(head.rows) : 0,
      columns: head ? (JSON.parse(head.schema_json) as { columns: unknown[] }).columns.length : 0,
      createdAt: Number(d.created_at),
      updatedAt: Number(d.updated_at),
    };
  });
}

/** The versions of a dataset, newest first. @throws LOOM_ERR_DATA_DATASET_NOT_FOUND */
export async function listVersions(ws: Workspace, name: string): Promise<DatasetVersion[]> {
  const { db } = await ws.metadata();
  const dataset = await db.selectFrom('datasets').select('name').where('name', '=', name).executeTakeFirst();
  if (dataset === undefined) throw new LoomError('DATA_DATASET_NOT_FOUND', { name }, { details: { field: 'dataset' } });
  const rows = await db.selectFrom('dataset_versions').selectAll().where('dataset', '=', name).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(versionFromRow);
}
