// Public API of src/data: ingest, dataset versions, profiles, splits, and the DuckDB frame reader.
export { openDuckDb } from './duckdb/duckdb-session.js';
export type { DuckDbSession, DuckDbSessionOptions } from './duckdb/duckdb-session.js';
export { readFrame, frameFromResult } from './duckdb/read-frame.js';
export { loadFrame } from './duckdb/load-frame.js';
export { sqlIdent, sqlString } from './duckdb/sql-text.js';

export { ingestDataset, DATASET_NAME } from './ingest/ingest-dataset.js';
export type { IngestOptions, IngestResult } from './ingest/ingest-dataset.js';
export { readTableFile } from './ingest/read-table-file.js';
export type { ReadTableFileOptions } from './ingest/read-table-file.js';
export { parseTagOption } from './ingest/column-tags.js';
export type { ColumnTagMap } from './ingest/column-tags.js';
export { detectFormat, FILE_FORMATS } from './ingest/file-format.js';
export type { FileFormat } from './ingest/file-format.js';
export type { IngestTransform } from './ingest/normalize-table.js';
export { hmacSql, PII_KEY_ENV } from './ingest/pii-hmac.js';
export { CATEGORY_MAX_DISTINCT } from './ingest/table-schema.js';

export { profileTable, PROFILE_SAMPLE_SEED } from './profile/profile-table.js';
export { PROFILE_HISTOGRAM_BINS, PROFILE_QUANTILES, PROFILE_SAMPLE_SIZE, PROFILE_TOP_K } from './profile/profile.js';
export type { CategoricalStats, ColumnProfile, NumericStats, Profile } from './profile/profile.js';

export { resolveVersion, parseDatasetRef, MIN_VERSION_PREFIX } from './versions/resolve-version.js';
export type { DatasetRef } from './versions/resolve-version.js';
export { listDatasets, listVersions } from './versions/list-datasets.js';
export type { DatasetSummary } from './versions/list-datasets.js';
export { loadDatasetFrame } from './versions/load-dataset-frame.js';
export type { DatasetVersion, VersionSource } from './versions/dataset-version.js';
export { PARQUET_ROW_GROUP_SIZE } from './versions/commit-version.js';

export { SplitSpec } from './splits/split-spec.js';
export type { GroupSplitSpec, RandomSplitSpec, StratifiedSplitSpec, TimeSplitSpec } from './splits/split-spec.js';
export { randomSplit } from './splits/random-split.js';
export { stratifiedSplit } from './splits/stratified-split.js';
export { groupSplit } from './splits/group-split.js';
export { timeSplit } from './splits/time-split.js';
export { partSizes } from './splits/part-sizes.js';
export { splitDataset } from './splits/split-dataset.js';
export type { SplitPart } from './splits/split-dataset.js';
