import type { ErrorArea } from './error-definition.js';

/** Errors from src/models: learners, their parameters, training data and prediction input. */
export const MODEL_ERRORS = {
  GBDT_PARAM_UNKNOWN: {
    status: 400,
    message: 'Unknown GBDT parameter "{param}".{suggestion} Valid parameters (LightGBM names; aliases also work): {known}.',
    meaning: 'A parameter passed to the GBDT learner is neither a parameter name nor an alias of one.',
    fix: 'Use a name from docs/gbdt-params.md; LightGBM names and aliases are accepted.',
  },
  GBDT_PARAM_INVALID: {
    status: 400,
    message: 'GBDT parameter "{param}" = {value} is invalid: {problem}. docs/gbdt-params.md gives every parameter\'s type, check and default.',
    meaning: 'A GBDT parameter has a value of the wrong type, outside its allowed range, or one that conflicts with another parameter.',
    fix: 'Give the parameter a value that satisfies its check, or leave it out to use the default.',
  },
  GBDT_DATA_EMPTY: {
    status: 400,
    message: 'The {dataset} data has no {what}. Train on at least one row and one feature.',
    meaning: 'The training or validation data given to the GBDT learner has no rows or no feature columns.',
    fix: 'Pass a non-empty frame or matrix.',
  },
  GBDT_DATA_INVALID: {
    status: 400,
    message: 'GBDT input "{field}" is invalid: {problem}.',
    meaning: 'Training input is malformed: arrays of different lengths, bad sample weights, or a bad init score.',
    fix: 'Make every column, the label, the weights and the init score the same length, with finite weights >= 0.',
  },
  GBDT_LABEL_INVALID: {
    status: 400,
    message: 'The label "{field}" cannot be used with objective {objective}: {problem}.',
    meaning: 'The label has missing or non-finite values, only one class, classes out of range, or a type the objective cannot use.',
    fix: 'Binary needs labels 0/1 with both present, multiclass integers 0..num_class-1, poisson non-negative numbers, regression numbers.',
  },
  GBDT_FEATURE_INVALID: {
    status: 400,
    message: 'Feature "{field}" cannot be used for training: {problem}.',
    meaning: 'A feature column has a type the learner cannot use, is entirely missing, or a categorical/monotone declaration names no feature.',
    fix: 'Drop or convert the column (numbers, booleans and categories are supported), or fix the declaration.',
  },
  GBDT_PREDICT_INPUT_INVALID: {
    status: 400,
    message: 'Prediction input "{field}" is invalid: {problem}.',
    meaning: 'Rows given to a GBDT model lack a feature column, have a column of the wrong type, or the wrong number of values.',
    fix: 'Pass every feature the model was trained on, by name for frames or in training order for matrices.',
  },
} as const satisfies ErrorArea;
