/** How often the router re-reads deployments from the store, ms (what another process changed shows up within it). */
export const DEFAULT_DEPLOYMENT_REFRESH_MS = 1000;
