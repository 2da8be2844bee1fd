// Serving-time feature enrichment: predict requests that send `entities` get their model inputs from the online store.
export { OnlineFeatureEnrichment } from './online-feature-enrichment.js';
export { BatchedEnrichment, type GroupedEnrichment } from './batched-enrichment.js';
export type { OnlineFeatureEnrichmentOptions } from './online-feature-enrichment.js';
export { enrichmentFailure } from './feature-enrichment.js';
export { openServingFeatures } from './open-serving-features.js';
export type { EnrichedRecords, EnrichmentError, FeatureEnrichment, MissingFeature, MissingFeatureFallback } from './feature-enrichment.js';
