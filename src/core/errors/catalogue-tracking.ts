import type { ErrorArea } from './error-definition.js';

/** Errors from src/tracking and the `loom runs` / `loom experiments` commands. */
export const TRACKING_ERRORS = {
  TRACKING_EXPERIMENT_NOT_FOUND: {
    status: 404,
    message: 'Experiment "{name}" does not exist.{suggestion} `loom experiments list` shows the experiments.',
    meaning: 'An experiment name matched no experiment.',
    fix: 'Check the name with `loom experiments list`; starting a run with `--experiment <name>` creates one.',
  },
  TRACKING_RUN_NOT_FOUND: {
    status: 404,
    message: 'Run "{ref}" does not exist.{suggestion} `loom runs list` shows the runs (give an id, a unique id prefix of 4+ characters, or a run name).',
    meaning: 'A run id, id prefix or run name matched no run.',
    fix: 'Copy the id from `loom runs list`.',
  },
  TRACKING_METRIC_NOT_FOUND: {
    status: 404,
    message: 'Run {run} has no metric "{key}". It has: {known}.',
    meaning: 'A metric history was asked for a key the run never logged.',
    fix: 'Use one of the listed metric keys (`loom runs show <run>` lists them).',
  },
  TRACKING_RUN_AMBIGUOUS: {
    status: 400,
    message: 'Run "{ref}" matches {count} runs ({examples}). Give more characters of the id.',
    meaning: 'A short id prefix or a run name matches more than one run.',
    fix: 'Use a longer id prefix or the full run id.',
  },
  TRACKING_INVALID_NAME: {
    status: 400,
    message: '{what} "{name}" is invalid: {problem}.',
    meaning: 'An experiment name, run name, or a param, metric or tag key breaks the naming rules.',
    fix: 'Use 1–250 characters: letters, digits, spaces and "_-./:@" (experiment names: no spaces or "@").',
  },
  TRACKING_INVALID_VALUE: {
    status: 400,
    message: 'Value for "{field}" is invalid: {problem}.',
    meaning: 'A metric value is not a number, a step is not an integer, or an option is out of range.',
    fix: 'Log numbers as metrics (NaN and ±Infinity are kept), integer steps ≥ 0, and text or numbers as params and tags.',
  },
  TRACKING_PARAM_CONFLICT: {
    status: 409,
    message: 'Param "{key}" of run {run} is already "{existing}"; it cannot change to "{value}". Params are write-once: start a new run, or log it as a tag or metric.',
    meaning: 'A run logged a param twice with different values.',
    fix: 'Params record the run\'s inputs and never change; start a new run for a new value.',
  },
  TRACKING_RUN_ENDED: {
    status: 409,
    message: 'Run {run} has ended (status {status}); it cannot log more. Start a new run.',
    meaning: 'Something was logged to a run after end() or fail().',
    fix: 'Log everything before ending the run, or start a new run.',
  },
  TRACKING_QUERY_INVALID: {
    status: 400,
    message: 'The run filter does not parse at position {position}: {problem}.\n  {query}\n  {pointer}\nWrite e.g. `metrics.auc > 0.9 and params.num_leaves = 31`; see docs/tracking.md.',
    meaning: 'A `loom runs list --filter` / `searchRuns` query has a syntax error or compares a field with the wrong kind of value.',
    fix: 'Fix the query at the marked position; strings are quoted, metric comparisons take numbers.',
  },
  TRACKING_ORDER_INVALID: {
    status: 400,
    message: 'Order "{order}" is invalid: {problem}. Write e.g. `metrics.auc desc` or `start_time asc`.',
    meaning: 'An `--order-by` / `orderBy` entry names no sortable field or has a bad direction.',
    fix: 'Give `<field> [asc|desc]` with a field like metrics.<key>, params.<key>, tags.<key>, start_time, end_time, name, status.',
  },
  TRACKING_PAGE_TOKEN_INVALID: {
    status: 400,
    message: 'Page token "{token}" is invalid: {problem}. Use the nextPageToken returned by the previous page of the same search.',
    meaning: 'A page token was malformed, or was issued for a different filter, order or experiment set.',
    fix: 'Repeat the search without a token and follow its nextPageToken.',
  },
  TRACKING_COMPARE_TOO_FEW: {
    status: 400,
    message: 'Compare needs at least 2 runs, got {count}. Pass two or more run ids.',
    meaning: '`loom runs compare` / `compareRuns` was given fewer than two runs.',
    fix: 'Pass at least two run ids.',
  },
} as const satisfies ErrorArea;
