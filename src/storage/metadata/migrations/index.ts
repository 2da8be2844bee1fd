import { datasetsAndValidation } from './0001-datasets-and-validation.js';
import type { LoomMigration } from './migration-context.js';

export type { LoomMigration, MigrationContext } from './migration-context.js';
export { runMigrations } from './run-migrations.js';

/** Every migration, in the order it applies. Append only. */
export const MIGRATIONS: readonly LoomMigration[] = [datasetsAndValidation];
