export type { LoomDatabase, DatasetTable, DatasetVersionTable, ValidationSuiteTable, ValidationResultTable } from './database.js';
export type { MetadataStore, MetadataBackend } from './metadata-store.js';
export type { LoomMigration, MigrationContext } from './migrations/index.js';
export { MIGRATIONS, runMigrations } from './migrations/index.js';
export { METADATA_BACKENDS, openMetadataStore } from './open-metadata-store.js';
export { openSqliteMetadataStore } from './sqlite/sqlite-metadata-store.js';
export { openPostgresMetadataStore } from './postgres/postgres-metadata-store.js';
