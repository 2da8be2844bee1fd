import type { Workspace } from '../storage/workspace.js';
import { resolveRunId } from './get-run.js';
import type { RunArtifact } from './run-record.js';

/**
 * The files a run logged, by path. Read one with `(await ws.artifacts()).get(artifact.hash)`.
 * @throws LOOM_ERR_TRACKING_RUN_NOT_FOUND
 */
export async function listRunArtifacts(ws: Workspace, ref: string): Promise<RunArtifact[]> {
  const { db } = await ws.metadata();
  const id = await resolveRunId(db, ref);
  const rows = await db.selectFrom('run_artifacts').selectAll().where('run_id', '=', id).orderBy('path').execute();
  return rows.map((r) => ({ path: r.path, hash: r.hash, bytes: Number(r.bytes), createdAt: Number(r.created_at) }));
}
