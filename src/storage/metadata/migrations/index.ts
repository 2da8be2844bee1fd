import { datasetsAndValidation } from './0001-datasets-and-validation.js';
import { tracking } from './0002-tracking.js';
import { features } from './0003-features.js';
import { registry } from './0004-registry.js';
import { tuning } from './0005-tuning.js';
import { deployments } from './0006-deployments.js';
import { modelFeatures } from './0007-model-features.js';
import type { LoomMigration } from './migration-context.js';

export type { LoomMigration, MigrationContext } from './migration-context.js';
export { runMigrations } from './run-migrations.js';

/** Every migration, in the order it applies. Append only. */
export const MIGRATIONS: readonly LoomMigration[] = [datasetsAndValidation, tracking, features, registry, tuning, deployments, modelFeatures];
