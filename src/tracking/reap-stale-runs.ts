import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { LoomDatabase } from '../storage/metadata/database.js';
import { LIVE_RUNS, STALE_MESSAGE_PREFIX } from './active-run.js';

/** How long a run on another machine may go without a heartbeat before it counts as dead, in ms. */
export const STALE_AFTER_MS = 120_000;

/**
 * Marks `failed` every `running` run whose process is gone, keeping all it had flushed. A run on this machine is gone
 * when its process id no longer exists; a run on another machine when its heartbeat is older than `staleAfterMs`.
 * The end time becomes the last heartbeat and the message says why. Called by every command that reads runs, so
 * a run killed with `kill -9` shows as failed the next time anyone looks.
 *
 * @returns the ids of the runs it marked.
 */
export async function reapStaleRuns(db: Kysely<LoomDatabase>, options: { now?: number; staleAfterMs?: number } = {}): Promise<string[]> {
  const now = options.now ?? Date.now();
  const staleAfter = options.staleAfterMs ?? STALE_AFTER_MS;
  const running = await db.selectFrom('runs').select(['id', 'host', 'pid', 'heartbeat_at']).where('status', '=', 'running').execute();
  const here = hostname();
  const reaped: string[] = [];
  for (const run of running) {
    if (LIVE_RUNS.has(run.id)) continue;
    const heartbeat = Number(run.heartbeat_at);
    let reason: string | null = null;
    if (run.host === here) {
      if (!processExists(Number(run.pid))) reason = `process ${run.pid} on ${here} is gone`;
    } else if (now - heartbeat > staleAfter) {
      reason = `no heartbeat from ${run.host} for ${Math.round((now - heartbeat) / 1000)} s`;
    }
    if (reason === null) continue;
    const updated = await db
      .updateTable('runs')
      .set({ status: 'failed', end_time: heartbeat, status_message: `${STALE_MESSAGE_PREFIX} ${reason}; last heartbeat ${new Date(heartbeat).toISOString()}` })
      .where('id', '=', run.id)
      .where('status', '=', 'running')
      .where('heartbeat_at', '=', heartbeat)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) reaped.push(run.id);
  }
  return reaped;
}

function processExists(pid: number): boolean {
  if (pid === process.pid) return false; // not one of LIVE_RUNS, so an earlier process that had our pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
