import type { Workspace } from '../../storage/workspace.js';
import { listFeatureViews } from '../registry/feature-registry.js';
import { readMarks } from './materialization-marks.js';
import { onlineStoreName } from './online-store-name.js';

/** How fresh one view's online values are, as numbers a monitor can export (all times epoch ms, UTC). */
export interface ViewFreshness {
  readonly view: string;
  /** The latest version: the one online reads use. */
  readonly version: string;
  /** When materialization or the stream updater last wrote this version; null when never. */
  readonly lastMaterializedAt: number | null;
  /** Event time up to which the source has been materialized; null when never. */
  readonly highWaterMark: number | null;
  /** `now − highWaterMark` in ms: how far the online values may trail the source; null when never materialized. */
  readonly lagMs: number | null;
  /** Rows written over all runs: latest-value rows and window-aggregate states, batch and stream. */
  readonly rows: number;
}

/**
 * Per feature view (latest version), its last materialized time and lag in the workspace's online store (or
 * `options.store`, a store name as OnlineStore.name gives it). On-demand views are not listed.
 *
 * @example
 * for (const f of await featureFreshness(ws)) console.log(f.view, f.lagMs);
 */
export async function featureFreshness(ws: Workspace, options: { now?: number; store?: string; view?: string } = {}): Promise<ViewFreshness[]> {
  const now = options.now ?? Date.now();
  const store = options.store ?? onlineStoreName(ws.config.kvUri);
  const marks = await readMarks(ws, store, options.view);
  const views = (await listFeatureViews(ws)).filter((v) => v.spec.kind === 'feature-view' && (options.view === undefined || v.name === options.view));
  return views.map((v) => {
    const mark = marks.find((m) => m.view === v.name && m.version === v.latestVersion);
    return {
      view: v.name,
      version: v.latestVersion,
      lastMaterializedAt: mark?.updatedAt ?? null,
      highWaterMark: mark?.highWaterMark ?? null,
      lagMs: mark === undefined ? null : now - mark.highWaterMark,
      rows: mark?.rows ?? 0,
    };
  });
}

