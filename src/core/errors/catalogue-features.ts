import type { ErrorArea } from './error-definition.js';

/** Errors from src/features: definitions in loom.config.ts, `loom features apply`, point-in-time retrieval. */
export const FEATURES_ERRORS = {
  FEATURES_CONFIG_NOT_FOUND: {
    status: 404,
    message: 'Feature config "{path}" does not exist. Create loom.config.ts (see docs/features.md) or pass --config <file>.',
    meaning: '`loom features apply` (or a training set with on-demand features) needs the TypeScript config file and it is missing.',
    fix: 'Create loom.config.ts in the working directory, or pass its path with --config.',
  },
  FEATURES_CONFIG_LOAD_FAILED: {
    status: 400,
    message: 'Could not load feature config "{path}": {problem}. Fix the file so that it runs and exports `default defineConfig({...})`.',
    meaning: 'Importing loom.config.ts threw (syntax error, bad import) or it has no default export made by defineConfig.',
    fix: 'Run the file with `npx tsx loom.config.ts` to see the error; export the config as `export default defineConfig({ … })`.',
  },
  FEATURES_INVALID_DEFINITION: {
    status: 400,
    message: 'Feature definition {object} is invalid at "{field}": {problem}. Fix that field in loom.config.ts.',
    meaning: 'An entity, feature view, source, aggregation or on-demand view failed validation.',
    fix: 'Correct the named field; docs/features.md lists every field and its allowed values.',
  },
  FEATURES_DUPLICATE_NAME: {
    status: 400,
    message: 'Two {kind}s are named "{name}". Names must be unique across feature views and on-demand views; rename one of them.',
    meaning: 'The config declares the same entity or view name twice (or a feature name twice inside one view).',
    fix: 'Give each entity, view and feature its own name.',
  },
  FEATURES_UNKNOWN_ENTITY: {
    status: 400,
    message: 'View "{view}" uses entity "{entity}", which the config does not declare. Declared entities: {known}.',
    meaning: 'A feature view lists an entity object that is not in the config\'s `entities`.',
    fix: 'Add the entity to defineConfig({ entities: [...] }).',
  },
  FEATURES_BREAKING_CHANGE: {
    status: 409,
    message: 'View "{view}" is used by {models}, and this change is breaking ({changes}). Apply it with --new-version (the models keep the version they use) or make a non-breaking change.',
    meaning: 'A change that removes or retypes features, or changes keys, source, timestamps, TTL or aggregations, would alter what a registered model reads.',
    fix: 'Re-run with --new-version (library: `newVersion: true`) so the used version stays active, or revert the change.',
  },
  FEATURES_VIEW_NOT_FOUND: {
    status: 404,
    message: 'Feature view "{view}" is not registered.{suggestion} `loom features list` shows the registered views; `loom features apply` registers loom.config.ts.',
    meaning: 'A view name (or name@version) matched no registered view.',
    fix: 'Check the name with `loom features list`, or apply the config first.',
  },
  FEATURES_VERSION_NOT_FOUND: {
    status: 404,
    message: 'Feature view "{view}" has no version "{version}". `loom features show {view}` lists its versions.',
    meaning: 'A pinned reference `view@version:feature` names a version prefix that matches no (or more than one) version.',
    fix: 'Use at least 6 characters of a version from `loom features show <view>`.',
  },
  FEATURES_INVALID_REF: {
    status: 400,
    message: 'Feature reference "{ref}" is malformed. Write "view:feature", "view@version:feature" or "view:*".',
    meaning: 'A feature reference is not of the form view:feature.',
    fix: 'Use the view name, a colon and the feature name.',
  },
  FEATURES_UNKNOWN_FEATURE: {
    status: 404,
    message: 'Feature reference "{ref}" names no registered feature.{suggestion}',
    meaning: 'The view exists but has no feature of that name, or no view matches.',
    fix: 'Use one of the suggested names; `loom features show <view>` lists its features.',
  },
  FEATURES_OUTPUT_COLUMN_CLASH: {
    status: 400,
    message: 'Output column "{column}" would appear twice ({refs}). Pass --full-names (library: `fullNames: true`) to name columns view__feature.',
    meaning: 'Two requested features, or a feature and an entity-frame column, share a name.',
    fix: 'Use full names, or rename the entity-frame column.',
  },
  FEATURES_ENTITY_TIMESTAMP_MISSING: {
    status: 400,
    message: 'The entity rows have no timestamp column "{column}". Columns: {available}. Add the column or pass --timestamp-column <name>.',
    meaning: 'Point-in-time retrieval needs, for each entity row, the time at which its features are wanted.',
    fix: 'Add an event_timestamp column (UTC, ISO-8601 with Z) or name the column to use.',
  },
  FEATURES_ENTITY_KEY_MISSING: {
    status: 400,
    message: 'The entity rows lack join key "{column}" of entity "{entity}" (needed by view "{view}"). Columns: {available}.',
    meaning: 'Every join key of every requested view\'s entities must be a column of the entity rows.',
    fix: 'Add the key column to the entity file or dataset.',
  },
  FEATURES_TIMESTAMP_TYPE: {
    status: 400,
    message: 'Column "{column}" of {source} is {type}, not a timestamp. Store UTC instants: TIMESTAMP WITH TIME ZONE, or ISO-8601 text with "Z" or an offset (e.g. 2024-05-01T12:00:00Z).',
    meaning: 'A timestamp column (entity rows or a feature source) has a number, date or other type.',
    fix: 'Convert the column to ISO-8601 UTC text or TIMESTAMPTZ (in SQL: to_timestamp(epoch_seconds)).',
  },
  FEATURES_NAIVE_TIMESTAMP: {
    status: 400,
    message: 'Column "{column}" of {source} holds times without a time zone (e.g. "{example}"). All Loom times are UTC: write them with "Z" or an offset (2024-05-01T12:00:00Z), or as TIMESTAMP WITH TIME ZONE.',
    meaning: 'A naive (zone-less) time could be local time; Loom refuses to guess.',
    fix: 'Append "Z" (if the times are UTC) or the right offset, or cast with `ts AT TIME ZONE \'UTC\'` in SQL.',
  },
  FEATURES_SOURCE_COLUMN_MISSING: {
    status: 400,
    message: 'Source of view "{view}" has no column "{column}" (declared as {role}). Source columns: {available}.',
    meaning: 'A declared feature, key, timestamp or aggregated column is not in the view\'s source.',
    fix: 'Fix the column name in loom.config.ts or the source query.',
  },
  FEATURES_SOURCE_TYPE_MISMATCH: {
    status: 400,
    message: 'Column "{column}" of {owner} is declared {declared} but has the type {actual}. Change the declared type or cast the column.',
    meaning: 'A source or entity-row column cannot be read as the declared type of its feature, join key or aggregation.',
    fix: 'Declare the matching type, or cast the column in a SQL source.',
  },
  FEATURES_SOURCE_FAILED: {
    status: 400,
    message: 'Could not read the source of view "{view}" ({source}): {problem}. Fix the source and re-apply.',
    meaning: 'The file is missing or unreadable, the SQL query fails, or the dataset is gone.',
    fix: 'Check the path, query or dataset named in the message.',
  },
  FEATURES_ON_DEMAND_UNAVAILABLE: {
    status: 400,
    message: 'On-demand view "{view}" needs its transform from loom.config.ts, and {problem}. Pass the config (CLI: run in the config\'s folder or --config; library: `config`).',
    meaning: 'On-demand transforms are code, which the registry never stores or evaluates; they come from the loaded config, checked against the registered hash.',
    fix: 'Give the config; if it changed since the last apply, run `loom features apply`.',
  },
  FEATURES_ON_DEMAND_FAILED: {
    status: 422,
    message: 'On-demand view "{view}" failed on row {row}: {problem}. Fix the transform; it must return every declared feature with its declared type (or null).',
    meaning: 'The transform threw, or returned a missing or wrongly typed value.',
    fix: 'Fix the transform function in loom.config.ts.',
  },
  FEATURES_REQUEST_COLUMN_MISSING: {
    status: 400,
    message: 'On-demand view "{view}" needs request column "{column}", which the entity rows lack. Columns: {available}.',
    meaning: 'Request data of an on-demand view comes from the entity rows offline (and from the request online).',
    fix: 'Add the column to the entity rows.',
  },
} as const satisfies ErrorArea;
