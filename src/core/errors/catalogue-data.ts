import type { ErrorArea } from './error-definition.js';

/** Errors from src/data: ingest, dataset versions, profiles, splits. */
export const DATA_ERRORS = {
  DATA_FILE_NOT_FOUND: {
    status: 404,
    message: 'File "{path}" does not exist. Check the path (it is resolved from {cwd}).',
    meaning: 'The file given to ingest or validate is missing.',
    fix: 'Check the path and the working directory.',
  },
  DATA_UNKNOWN_FORMAT: {
    status: 400,
    message: 'Cannot tell the format of "{path}". Pass --format with one of: {known}.',
    meaning: 'The file extension is not one Loom reads and no --format was given.',
    fix: 'Pass --format csv|parquet|jsonl.',
  },
  DATA_PARSE_FAILED: {
    status: 400,
    message: 'Could not read "{path}" as {format}: {problem}. Fix the file or pass the right --format.',
    meaning: 'The file is malformed, for example a CSV row with the wrong number of fields.',
    fix: 'Repair the named line, or check the delimiter and format.',
  },
  DATA_EMPTY: {
    status: 400,
    message: '"{path}" has no data rows. Ingest a file with at least one row.',
    meaning: 'The input had a header but no rows, or was empty.',
    fix: 'Give a file with data.',
  },
  DATA_DATASET_NOT_FOUND: {
    status: 404,
    message: 'Dataset "{name}" does not exist. `loom data list` shows the datasets; `loom data ingest` creates one.',
    meaning: 'A dataset name was not found in the metadata store.',
    fix: 'Check the name with `loom data list`.',
  },
  DATA_VERSION_NOT_FOUND: {
    status: 404,
    message: 'Dataset "{name}" has no version "{version}". `loom data show {name}` lists its versions.',
    meaning: 'A version id (or prefix) matched no version of the dataset.',
    fix: 'Use a version id from `loom data show <name>`.',
  },
  DATA_VERSION_AMBIGUOUS: {
    status: 400,
    message: 'Version prefix "{version}" of dataset "{name}" matches {count} versions. Give more characters.',
    meaning: 'A short version prefix is not unique.',
    fix: 'Use a longer prefix or the full id.',
  },
  DATA_INVALID_NAME: {
    status: 400,
    message: 'Dataset name "{name}" is invalid. Use 1–128 letters, digits, "-", "_" or ".", starting with a letter or digit.',
    meaning: 'A dataset name contains characters Loom does not allow.',
    fix: 'Choose a name made of letters, digits, "-", "_" or ".".',
  },
  DATA_INVALID_TAG: {
    status: 400,
    message: 'Tag "{tag}" for column "{column}" is invalid. Tags are: {known}. Write --tag col=pii,other=sensitive.',
    meaning: 'A --tag option has an unknown tag or a bad shape.',
    fix: 'Use the documented tags.',
  },
  DATA_INVALID_SPLIT: {
    status: 400,
    message: 'Split option "{field}" is invalid: {problem}.',
    meaning: 'A split was asked for with fractions, columns or cut points that cannot work.',
    fix: 'Fix the named option; fractions must be in (0,1) and sum to at most 1.',
  },
  DATA_PII_KEY_MISSING: {
    status: 400,
    message: 'Column "{column}" is tagged pii, but LOOM_PII_KEY is not set. Set LOOM_PII_KEY to a secret (e.g. `export LOOM_PII_KEY=$(openssl rand -hex 32)`) and run the command again.',
    meaning: 'PII columns are pseudonymized with a keyed HMAC at ingest, and the key comes only from the environment.',
    fix: 'Set LOOM_PII_KEY (keep it secret and stable: the same key gives the same pseudonyms).',
  },
  DATA_UNSUPPORTED_TYPE: {
    status: 400,
    message: 'Column "{column}" has the DuckDB type {type}, which Loom cannot load into a frame. Cast it in SQL to a number, string, boolean, timestamp or list of numbers.',
    meaning: 'A query result or file column has a type with no Loom logical type (e.g. INTERVAL, TIME, UUID, STRUCT).',
    fix: 'Cast the column to a supported type before loading it.',
  },
  DATA_TIMESTAMP_INVALID: {
    status: 400,
    message: 'Column "{column}" cannot be read as a timestamp: the value "{value}" is not a date or time. Fix the value or pick another --timestamp column.',
    meaning: 'The column given with --timestamp has values that do not parse as timestamps.',
    fix: 'Use ISO-8601 values (2024-03-01T12:00:00Z), dates, or epoch seconds/milliseconds.',
  },
  DATA_BLOB_CORRUPT: {
    status: 409,
    message: 'The stored data of {dataset}@{version} is unreadable ({problem}). Re-ingest the source file to restore it.',
    meaning: 'A dataset version points at a Parquet blob that is missing, altered, or not valid Parquet.',
    fix: 'Re-ingest the original file; identical content recreates the same version id and blob.',
  },
  DATA_SYNTHETIC_CONFIG_INVALID: {
    status: 400,
    message: 'Synthetic world option "{field}" is invalid: {problem}. Fix it, or leave it out to use the default (docs/synthetic-world.md lists them).',
    meaning: 'An option of the seeded synthetic world generator (or of `loom demo`) is out of range or malformed.',
    fix: 'Correct the named option; every option has a documented default.',
  },
} as const satisfies ErrorArea;
