import { selectBackend, type BackendOpener } from '../backend-registry.js';
import type { MetadataStore } from './metadata-store.js';
import { openPostgresMetadataStore } from './postgres/postgres-metadata-store.js';
import { openSqliteMetadataStore } from './sqlite/sqlite-metadata-store.js';

/** Metadata backends by URI scheme. */
export const METADATA_BACKENDS: ReadonlyMap<string, BackendOpener<MetadataStore>> = new Map([
  ['sqlite', openSqliteMetadataStore],
  ['postgres', openPostgresMetadataStore],
  ['postgresql', openPostgresMetadataStore],
]);

/**
 * Opens the metadata store a URI names and migrates it to the newest schema.
 *
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND, LOOM_ERR_STORAGE_UNREACHABLE, LOOM_ERR_STORAGE_MIGRATION_FAILED
 * @example
 * const store = await openMetadataStore('sqlite://.loom/loom.db');
 * const datasets = await store.db.selectFrom('datasets').selectAll().execute();
 */
export async function openMetadataStore(uri: string): Promise<MetadataStore> {
  return selectBackend('metadata', uri, METADATA_BACKENDS)(uri);
}
