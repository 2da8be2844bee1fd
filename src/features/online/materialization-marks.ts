import { sql } from 'kysely';
import type { Workspace } from '../../storage/workspace.js';

/** How far one view version has been materialized into one online store. */
export interface MaterializationMark {
  readonly view: string;
  readonly version: string;
  /** The online store's name (its URI, password hidden). */
  readonly store: string;
  /** Event time (epoch ms, UTC) up to which source rows have been written; the next incremental run starts after it. */
  readonly highWaterMark: number;
  /** Rows written (new or newer) over all runs, batch and stream. */
  readonly rows: number;
  /** When it last advanced (epoch ms, UTC). */
  readonly updatedAt: number;
}

/** @internal The marks of a store, optionally of one view. */
export async function readMarks(ws: Workspace, store: string, view?: string): Promise<MaterializationMark[]> {
  const { db } = await ws.metadata();
  let q = db.selectFrom('feature_materializations').selectAll().where('store', '=', store);
  if (view !== undefined) q = q.where('view', '=', view);
  const rows = await q.execute();
  return rows.map((r) => ({ view: r.view, version: r.version, store: r.store, highWaterMark: Number(r.high_water_mark), rows: Number(r.rows), updatedAt: Number(r.updated_at) }));
}

/**
 * @internal Advances a mark: the high-water mark only moves forward (max of the old and `highWaterMark`), rows add up.
 * Atomic in one upsert, so a batch run and a stream updater may both advance it.
 */
export async function advanceMark(ws: Workspace, mark: { view: string; version: string; store: string; highWaterMark: number; rows: number; now: number }): Promise<void> {
  const { db } = await ws.metadata();
  await db
    .insertInto('feature_materializations')
    .values({ view: mark.view, version: mark.version, store: mark.store, high_water_mark: mark.highWaterMark, rows: mark.rows, updated_at: mark.now })
    .onConflict((oc) =>
      oc.columns(['view', 'version', 'store']).doUpdateSet((eb) => ({
        // CASE rather than max()/greatest(): one spelling for SQLite and PostgreSQL.
        high_water_mark: sql<number>`CASE WHEN feature_materializations.high_water_mark > ${mark.highWaterMark} THEN feature_materializations.high_water_mark ELSE ${mark.highWaterMark} END`,
        rows: eb(eb.ref('feature_materializations.rows'), '+', mark.rows),
        updated_at: mark.now,
      })),
    )
    .execute();
}
