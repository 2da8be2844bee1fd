/**
 * A content-addressed blob store. A blob's id is the lowercase hex SHA-256 of its bytes, so writing the same bytes
 * twice stores them once. Writes are atomic (temp file + rename): a reader never sees a partial blob, and a crash
 * leaves either the whole blob or nothing. Every read verifies the bytes against the hash and throws
 * LOOM_ERR_ARTIFACT_CORRUPT on mismatch.
 *
 * The embedded default and only backend for now is the filesystem store (`file://<dir>`).
 */
export interface ArtifactStore {
  /** Stores bytes and returns their hash. Idempotent. */
  put(data: Uint8Array): Promise<ArtifactPutResult>;
  /** Stores a file's bytes by streaming it (the file may be larger than memory) and returns its hash. */
  putFile(path: string): Promise<ArtifactPutResult>;
  /** Reads and verifies a blob. @throws LOOM_ERR_ARTIFACT_NOT_FOUND, LOOM_ERR_ARTIFACT_CORRUPT */
  get(hash: string): Promise<Uint8Array>;
  /**
   * Verifies a blob and returns a local filesystem path to it that stays valid until the store is closed. Engines
   * such as DuckDB read Parquet from this path directly. The caller must not modify the file.
   * @throws LOOM_ERR_ARTIFACT_NOT_FOUND, LOOM_ERR_ARTIFACT_CORRUPT
   */
  localPath(hash: string): Promise<string>;
  /** True when the blob exists (without verifying it). */
  has(hash: string): Promise<boolean>;
  /** Size in bytes. @throws LOOM_ERR_ARTIFACT_NOT_FOUND */
  size(hash: string): Promise<number>;
  close(): Promise<void>;
}

/** What put() returns. `created` is false when the blob was already stored. */
export interface ArtifactPutResult {
  readonly hash: string;
  readonly bytes: number;
  readonly created: boolean;
}
