// Public API of the online half of the feature store: materialization, online reads, stream updates, freshness.
export { OnlineFeatureStore, getOnlineFeatures } from './online-feature-store.js';
export type { OnlineFeatureRow, OnlineFeatures, OnlineFeatureStoreOptions, OnlineFeaturesRequest, OnlineStatus } from './online-feature-store.js';
export { materializeFeatures } from './materialize-features.js';
export type { MaterializeOptions, MaterializeResult, ViewMaterialization } from './materialize-features.js';
export { runStreamUpdates, streamConsumer } from './stream-updater.js';
export type { StreamUpdateOptions, StreamUpdateStats } from './stream-updater.js';
export { featureFreshness } from './feature-freshness.js';
export type { ViewFreshness } from './feature-freshness.js';
export { openOnlineStore, ONLINE_STORE_BACKENDS } from './open-online-store.js';
export type { OnlineRecord, OnlineStore, OnlineWrite } from './online-store.js';
export { SqliteOnlineStore } from './sqlite-online-store.js';
export { RedisOnlineStore, ONLINE_REDIS_COMMAND_TIMEOUT_MS, ONLINE_REDIS_CONNECT_TIMEOUT_MS } from './redis-online-store.js';
export type { RedisOnlineStoreOptions } from './redis-online-store.js';
export type { EntityKeyValues } from './online-codec.js';
