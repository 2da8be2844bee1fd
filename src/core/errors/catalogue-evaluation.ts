import type { ErrorArea } from './error-definition.js';

/** Errors from src/evaluation and `loom eval`. */
export const EVALUATION_ERRORS = {
  EVAL_METRIC_NOT_APPLICABLE: {
    status: 400,
    message: 'The metric or analysis "{field}" does not apply to a {task} model: {problem}.',
    meaning: 'A metric, cost matrix, calibration or fairness analysis was asked of a task it is not defined for (AUC on a regression model, a cost matrix on a regressor).',
    fix: 'Ask only for the metrics of the model\'s task (see docs/evaluation.md, "Metrics"), or evaluate a model of the right task.',
  },
  EVAL_SENSITIVE_ONE_GROUP: {
    status: 400,
    message: 'The sensitive column "{field}" has {groups} group(s) in the evaluation rows; fairness needs at least two. {problem}',
    meaning: 'Group fairness compares groups, and the sensitive column holds a single value (or none) in the data evaluated.',
    fix: 'Pick a column with at least two groups, or evaluate on data that contains more than one group.',
  },
  EVAL_SENSITIVE_GROUPS_TOO_SMALL: {
    status: 400,
    message: 'The sensitive column "{field}" has fewer than two groups with at least {min} rows ({sizes}), so there is no gap to measure. {problem}',
    meaning: 'Fairness gaps are computed only over groups of at least the minimum group size (default 30), since a smaller group\'s rates are mostly noise; here fewer than two groups are that large.',
    fix: 'Evaluate on more rows, merge small groups into broader ones (e.g. age bands), or lower `--min-group-size` knowing the gap will be noisy.',
  },
  EVAL_COLUMN_UNKNOWN: {
    status: 400,
    message: 'Option "{field}" names the column "{column}", which the evaluation data does not have (columns: {available}).',
    meaning: 'A slice, sensitive, target or query column is not in the dataset being evaluated.',
    fix: 'Use one of the listed column names (they are case-sensitive).',
  },
  EVAL_COST_MATRIX_INVALID: {
    status: 400,
    message: 'The cost matrix "{value}" is invalid: {problem}. Write it as four finite numbers tn,fp,fn,tp, e.g. 0,1,10,0.',
    meaning: 'The cost matrix did not parse as four finite, non-negative costs for true negatives, false positives, false negatives and true positives.',
    fix: 'Pass `--cost-matrix tn,fp,fn,tp` with four numbers, costs ≥ 0 (a missed churner costing 10 and a false alarm 1 is `0,1,10,0`).',
  },
  EVAL_EMPTY_DATA: {
    status: 400,
    message: 'There is nothing to evaluate: {problem}.',
    meaning: 'The evaluation data has no rows, or no row with a known target.',
    fix: 'Evaluate on data with labelled rows (a target value the model knows).',
  },
  EVAL_INVALID_OPTION: {
    status: 400,
    message: 'Option "{field}" is invalid: {problem}. See `loom eval --help`.',
    meaning: 'An evaluation option has a value that cannot work (a threshold outside [0, 1], a bootstrap count below 1, a bad slice spec).',
    fix: 'Give the option one of the documented values.',
  },
  EVAL_BEHAVIOURAL_SPEC_INVALID: {
    status: 400,
    message: 'Behavioural test "{name}" is invalid at "{field}": {problem}.',
    meaning: 'A behavioural test file (invariance, directional, minimum functionality) does not match the documented shape.',
    fix: 'Fix the test declaration; docs/evaluation.md lists every kind with its fields.',
  },
  EVAL_MODEL_NOT_FOUND: {
    status: 404,
    message: 'No model found for "{ref}": {problem}.',
    meaning: 'The model argument is neither a model directory (with manifest.json) nor a reference the registry knows.',
    fix: 'Pass the directory `loom train` printed (it holds manifest.json).',
  },
} as const satisfies ErrorArea;
