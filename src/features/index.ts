// Public API of src/features: definitions (loom.config.ts builders), the registry (apply, list, show), offline
// point-in-time retrieval, and the online half (materialization, online reads, stream updates, freshness).
export { entity } from './definitions/entity.js';
export type { Entity, EntityInput, JoinKey } from './definitions/entity.js';
export { featureView, viewFields } from './definitions/feature-view.js';
export type { FeatureField, FeatureView, FeatureViewInput } from './definitions/feature-view.js';
export { onDemandView, computeOnDemand } from './definitions/on-demand-view.js';
export type { FeatureValue, OnDemandInput, OnDemandView, OnDemandViewInput } from './definitions/on-demand-view.js';
export { datasetSource, fileSource, sqlSource, streamSource } from './definitions/feature-source.js';
export type { DatasetSource, FeatureSource, FileSource, SqlSource, StreamSource } from './definitions/feature-source.js';
export { AGGREGATE_FUNCTIONS, aggregateType } from './definitions/window-aggregation.js';
export type { AggregateFunction, WindowAggregation, WindowAggregationInput } from './definitions/window-aggregation.js';
export { FEATURE_TYPES, JOIN_KEY_TYPES } from './definitions/feature-types.js';
export type { FeatureType, JoinKeyType } from './definitions/feature-types.js';
export { formatDuration } from './definitions/duration.js';
export type { Duration } from './definitions/duration.js';
export { defineConfig } from './definitions/define-config.js';
export type { FeatureConfig, FeatureConfigInput } from './definitions/define-config.js';
export { loadFeatureConfig, FEATURE_CONFIG_FILE } from './definitions/load-feature-config.js';
export type { LoadedFeatureConfig } from './definitions/load-feature-config.js';
export { viewVersion, specFields } from './definitions/view-spec.js';
export type { EntitySpec, FeatureViewSpec, OnDemandViewSpec, ViewMetadata, ViewSpec } from './definitions/view-spec.js';

export { applyFeatures } from './registry/apply-features.js';
export type { ApplyFeaturesOptions, ApplyFeaturesResult } from './registry/apply-features.js';
export { formatPlan } from './registry/format-plan.js';
export type { FeaturePlan, PlanChange, PlanDiff } from './registry/feature-plan.js';
export { getFeatureView, listEntities, listFeatureViews, listViewVersions, MIN_VIEW_VERSION_PREFIX } from './registry/feature-registry.js';
export type { RegisteredEntity, RegisteredView, RegisteredViewVersion } from './registry/feature-registry.js';
export { registeredModelUsage } from './registry/model-feature-usage.js';
export type { FeatureUsageLookup, ModelFeatureUse } from './registry/model-feature-usage.js';

export { getHistoricalFeatures } from './retrieval/get-historical-features.js';
export { buildTrainingSet } from './retrieval/build-training-set.js';
export type { TrainingSet, TrainingSetRequest } from './retrieval/build-training-set.js';
export { trainingSetRefs } from './registry/training-set-record.js';
export type { HistoricalFeatures, HistoricalFeaturesRequest } from './retrieval/get-historical-features.js';
export type { EntityRowsInput } from './retrieval/entity-rows.js';
export { parseFeatureRef } from './retrieval/feature-refs.js';
export type { FeatureRef } from './retrieval/feature-refs.js';

export {
  featureFreshness,
  getOnlineFeatures,
  materializeFeatures,
  ONLINE_STORE_BACKENDS,
  OnlineFeatureStore,
  openOnlineStore,
  RedisOnlineStore,
  runStreamUpdates,
  streamConsumer,
  SqliteOnlineStore,
} from './online/index.js';
export type {
  MaterializeOptions,
  MaterializeResult,
  OnlineFeatureRow,
  OnlineFeatures,
  OnlineFeatureStoreOptions,
  OnlineFeaturesRequest,
  OnlineRecord,
  OnlineStatus,
  OnlineStore,
  OnlineWrite,
  StreamUpdateOptions,
  StreamUpdateStats,
  ViewFreshness,
  ViewMaterialization,
} from './online/index.js';
