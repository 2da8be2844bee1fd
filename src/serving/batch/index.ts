export { batchPredict, removeOrphanedStaging, BATCH_DUCKDB_MEMORY, BATCH_DUCKDB_THREADS, DEFAULT_CHUNK_ROWS } from './batch-predict.js';
export type { BatchPredictRequest, BatchPredictResult } from './batch-predict.js';
export { BATCH_MANIFEST_FORMAT } from './batch-manifest.js';
export type { BatchChunk, BatchManifest } from './batch-manifest.js';
