import type { ColumnType, Generated } from 'kysely';

/**
 * The metadata schema, shared by every metadata backend. Portable types only: text, integer, bigint-as-number,
 * double, and JSON stored as text, so that SQLite and PostgreSQL run the same queries. Times are epoch milliseconds
 * (UTC) in `bigint` columns, which the PostgreSQL backend reads back as numbers.
 *
 * Each later capability adds its tables with a new migration in ./migrations and extends this interface.
 */
export interface LoomDatabase {
  datasets: DatasetTable;
  dataset_versions: DatasetVersionTable;
  validation_suites: ValidationSuiteTable;
  validation_results: ValidationResultTable;
}

/** A named dataset; its versions are in dataset_versions. */
export interface DatasetTable {
  name: string;
  description: string;
  /** Id of the newest version, null before the first ingest commits. */
  latest_version: string | null;
  created_at: number;
  updated_at: number;
}

/** One immutable dataset version. `id` is the SHA-256 of its canonical content. */
export interface DatasetVersionTable {
  dataset: string;
  id: string;
  /** The version this one appended to, or null. */
  parent_id: string | null;
  /** Artifact-store hash of the Parquet file holding the rows. */
  blob_hash: string;
  rows: number;
  /** Serialized Schema (JSON text). */
  schema_json: string;
  /** Serialized Profile (JSON text). */
  profile_json: string;
  /** Where it came from: file path, format, options, source hash (JSON text). */
  source_json: string;
  created_at: number;
}

/** A validation suite, editable JSON. */
export interface ValidationSuiteTable {
  name: string;
  /** Serialized Suite (JSON text). */
  suite_json: string;
  /** SHA-256 of the canonical suite JSON. */
  hash: string;
  created_at: number;
  updated_at: number;
}

/** The result of running a suite on a dataset version or file. */
export interface ValidationResultTable {
  id: Generated<number>;
  suite: string;
  suite_hash: string;
  /** What was validated, e.g. `adult@3f2a…` or a file path. */
  target: string;
  /** 1 when every expectation passed, else 0. */
  success: number;
  /** Serialized result (JSON text). */
  result_json: string;
  created_at: ColumnType<number, number, never>;
}
