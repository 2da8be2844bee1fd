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
} as const satisfies ErrorArea;
