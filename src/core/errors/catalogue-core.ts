import type { ErrorArea } from './error-definition.js';

/** Errors from src/core: config, frames, schemas, hashing. */
export const CORE_ERRORS = {
  CONFIG_INVALID: {
    status: 400,
    message: 'Configuration is invalid at "{field}": {problem}. Fix the value in loom.config.json or the environment.',
    meaning: 'A config file, environment variable or option failed validation.',
    fix: 'Correct the named field; `loom --help` lists the options and docs/config.md the keys.',
  },
  CONFIG_UNKNOWN_BACKEND: {
    status: 400,
    message: 'Unknown {kind} backend "{scheme}" in URI "{uri}". Use one of: {known}.',
    meaning: 'A storage URI names a scheme that no backend is registered for.',
    fix: 'Use one of the listed schemes, e.g. sqlite://.loom/loom.db or postgres://host/db.',
  },
  FRAME_COLUMN_NOT_FOUND: {
    status: 400,
    message: 'Column "{column}" does not exist. Available columns: {available}.',
    meaning: 'A frame, dataset or request was asked for a column it does not have.',
    fix: 'Check the spelling; `loom data show <name>` lists the columns.',
  },
  FRAME_LENGTH_MISMATCH: {
    status: 400,
    message: 'Column "{column}" has {actual} rows but the frame has {expected}. Give every column the same length.',
    meaning: 'Columns of different lengths were put in one frame.',
    fix: 'Give every column the same number of rows.',
  },
  FRAME_TYPE_MISMATCH: {
    status: 400,
    message: 'Column "{column}" is {actual} but {expected} is needed here. Cast or re-ingest the column.',
    meaning: 'An operation needs a column of another logical type.',
    fix: 'Cast the column, or declare its type at ingest.',
  },
  SCHEMA_INVALID: {
    status: 400,
    message: 'Schema is invalid at "{field}": {problem}.',
    meaning: 'A serialized schema failed validation.',
    fix: 'Repair the schema JSON; see docs/frame.md for its shape.',
  },
  SCHEMA_MISMATCH: {
    status: 400,
    message: 'Schema mismatch on column "{column}": expected {expected}, got {actual}. {hint}',
    meaning: 'Data does not have the columns or types that a dataset, suite or model expects.',
    fix: 'Align the data with the expected schema, or create a new dataset instead of appending.',
  },
  HASH_UNSUPPORTED_VALUE: {
    status: 400,
    message: 'Cannot hash the value at "{path}": {problem}. Only JSON values (no undefined, NaN, functions) can be hashed.',
    meaning: 'Canonical JSON hashing was given a value that has no canonical form.',
    fix: 'Remove or convert the named value.',
  },
  CORE_INTERNAL: {
    status: 500,
    message: 'Internal error: {problem}. Please report it with the command you ran.',
    meaning: 'A bug in Loom.',
    fix: 'Report it with the command and the data shape that triggered it.',
  },
} as const satisfies ErrorArea;
