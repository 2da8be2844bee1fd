import type { Schema } from '../../core/schema/index.js';
import { parseSchema } from '../../core/schema/index.js';
import type { DatasetVersionTable } from '../../storage/metadata/database.js';
import type { Profile } from '../profile/profile.js';

/** Where a version's rows came from, as stored in `source_json`. The shape depends on `kind`. */
export type VersionSource =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly format: string;
      readonly bytes: number;
      readonly sourceSha256: string;
      readonly options: Readonly<Record<string, unknown>>;
      readonly transforms: readonly { readonly column: string; readonly kind: string; readonly detail?: string }[];
      /** Set when the rows were appended to a previous version. */
      readonly appendedTo?: string;
    }
  | {
      readonly kind: 'split';
      readonly parent: { readonly dataset: string; readonly version: string };
      readonly spec: unknown;
      readonly part: number;
      readonly partName: string;
    };

/** One immutable dataset version, as the library returns it. Times are epoch ms (UTC). */
export interface DatasetVersion {
  readonly dataset: string;
  /** SHA-256 (hex) of canonical JSON `{ schema, blob }`. */
  readonly id: string;
  /** The version this one appended to, or null. */
  readonly parentId: string | null;
  /** Artifact-store hash of the Parquet file holding the rows. */
  readonly blobHash: string;
  readonly rows: number;
  readonly schema: Schema;
  readonly profile: Profile;
  readonly source: VersionSource;
  readonly createdAt: number;
}

/** @internal Maps a metadata row to a DatasetVersion. */
export function versionFromRow(row: DatasetVersionTable): DatasetVersion {
  return Object.freeze({
    dataset: row.dataset,
    id: row.id,
    parentId: row.parent_id,
    blobHash: row.blob_hash,
    rows: Number(row.rows),
    schema: parseSchema(JSON.parse(row.schema_json)),
    profile: JSON.parse(row.profile_json) as Profile,
    source: JSON.parse(row.source_json) as VersionSource,
    createdAt: Number(row.created_at),
  });
}
