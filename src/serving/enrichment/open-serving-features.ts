import { existsSync } from 'node:fs';
import { FEATURE_CONFIG_FILE, listFeatureViews, loadFeatureConfig } from '../../features/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { OnlineFeatureEnrichment } from './online-feature-enrichment.js';

/**
 * The feature enrichment `loom serve` starts with: an OnlineFeatureEnrichment over the workspace's online store when
 * the workspace has registered feature views (none otherwise), with `./loom.config.ts` loaded when some of them are
 * on-demand views (their transforms are code). The store itself opens on the first request with entities.
 *
 * @throws LOOM_ERR_FEATURES_CONFIG_LOAD_FAILED when on-demand views exist and the config cannot be loaded
 */
export async function openServingFeatures(ws: Workspace, options: { readonly configFile?: string } = {}): Promise<OnlineFeatureEnrichment | null> {
  const views = await listFeatureViews(ws);
  if (views.length === 0) return null;
  const file = options.configFile ?? FEATURE_CONFIG_FILE;
  const config = views.some((v) => v.kind === 'on-demand-view') && existsSync(file) ? (await loadFeatureConfig(file)).config : undefined;
  return OnlineFeatureEnrichment.open(ws, { config });
}
