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
  GBDT_MODEL_FORMAT_INVALID: {
    status: 400,
    message: 'The LightGBM model text is invalid at line {line}, field "{field}": {problem}. Pass the model file exactly as LightGBM or Loom wrote it (docs/lightgbm-format.md describes the format).',
    meaning: 'Text given to readLightGbmModel is not a well-formed LightGBM text model: a required line or field is missing, a number does not parse, an array has the wrong length, or a tree is not a tree.',
    fix: 'Load the file LightGBM saved (`save_model`, CLI `output_model`) or Loom wrote (writeLightGbmModel), unedited; details.line and details.field point at the problem.',
  },
  GBDT_MODEL_UNSUPPORTED: {
    status: 400,
    message: 'The LightGBM model uses {what} (line {line}), which Loom cannot run: {problem}.',
    meaning: 'A well-formed LightGBM model needs something Loom\'s GBDT does not implement: linear trees, random-forest averaging, or an objective outside binary, multiclass, regression, regression_l1, huber, quantile and poisson.',
    fix: 'Retrain the model in LightGBM with a supported objective and linear_tree=false, boosting gbdt or dart (not rf), or train it with Loom.',
  },
  GBDT_THREADS_FAILED: {
    status: 500,
    message: 'GBDT training with worker threads failed: {problem}.',
    meaning: 'A histogram worker thread (num_threads > 1) could not be started or stopped answering; training was abandoned and every worker stopped.',
    fix: 'Retry with num_threads=1, which trains the same model on one thread; if it persists, check the process thread and memory limits.',
  },
  GBDT_SHAP_THREADS_FAILED: {
    status: 500,
    message: 'TreeSHAP on worker threads failed: {problem}.',
    meaning: 'A TreeSHAP worker thread failed while it explained a block of rows, so those rows have no contributions; nothing was returned.',
    fix: 'Retry with numThreads: 1, which gives the same contributions on the calling thread; if it persists, check the process thread and memory limits.',
  },
  PREPROCESS_STEP_INVALID: {
    status: 400,
    message: 'Preprocessing step {step} is invalid at "{field}": {problem}. docs/preprocessing.md lists every step kind and its options.',
    meaning: 'A preprocessing step has an unknown kind, an unknown option, or an option value of the wrong type or out of range.',
    fix: 'Correct the named option of the step (see docs/preprocessing.md), or remove it to use its default.',
  },
  PREPROCESS_COLUMN_UNKNOWN: {
    status: 400,
    message: 'Preprocessing step {step} names column "{field}", which the data does not have. Available columns: {available}.',
    meaning: 'At fit time, a preprocessing step refers to a column that is not in the frame (or was dropped or renamed by an earlier step).',
    fix: 'Fix the column name in the step, or order the steps so that the column exists when the step runs.',
  },
  PREPROCESS_COLUMN_MISSING: {
    status: 400,
    message: 'The input lacks column "{field}" ({type}), which the fitted pipeline needs. Pass every column the pipeline was fitted with.',
    meaning: 'At transform time (for example at serving), a column that the pipeline was fitted on is missing from the input.',
    fix: 'Send every input column listed in the fitted pipeline\'s input signature.',
  },
  PREPROCESS_COLUMN_TYPE: {
    status: 400,
    message: 'Column "{field}" is {actual}, but {expected} is needed here ({context}).',
    meaning: 'A column has a logical type that a preprocessing step or the feature matrix cannot use, or differs from its type at fit time.',
    fix: 'Convert the column to the expected type, or encode it first (one-hot, ordinal, target encoding or hashing turn categories into numbers).',
  },
  PREPROCESS_UNSEEN_CATEGORY: {
    status: 400,
    message: 'Column "{field}" has the category "{value}", which was not seen at fit time, and the step\'s unknown-category policy is "error". Send a known category, or refit with handleUnknown "other" or "zeros".',
    meaning: 'An encoder whose unknown-category policy is \'error\' met a category it was not fitted on.',
    fix: 'Use a known category, or choose the \'other\' bucket or all-zeros policy for unseen categories.',
  },
  PREPROCESS_COLUMN_EMPTY: {
    status: 400,
    message: 'Preprocessing step {step} cannot be fitted on column "{field}": it has no non-missing values in the training data. Drop the column or impute it with a constant.',
    meaning: 'A statistic (mean, median, quantiles, frequencies) was requested for a column whose training values are all missing.',
    fix: 'Drop the column, or use a constant imputer for it.',
  },
  MODEL_PARAM_UNKNOWN: {
    status: 400,
    message: 'Unknown {model} parameter "{param}".{suggestion} Valid parameters: {known}.',
    meaning: 'A parameter passed to a linear or baseline model is neither a parameter name nor an alias of one.',
    fix: 'Use a parameter listed in docs/linear-models.md (aliases also work).',
  },
  MODEL_PARAM_INVALID: {
    status: 400,
    message: '{model} parameter "{param}" = {value} is invalid: {problem}. docs/linear-models.md gives every parameter\'s type, check and default.',
    meaning: 'A linear or baseline model parameter has a value of the wrong type, outside its allowed range, or in conflict with another parameter.',
    fix: 'Give the parameter a value that satisfies its check, or leave it out to use the default.',
  },
  MODEL_DATA_EMPTY: {
    status: 400,
    message: 'The training data has no {what}. Fit on at least one row and one feature column.',
    meaning: 'A linear or baseline model was given a feature matrix with no rows or no columns.',
    fix: 'Pass a non-empty feature matrix.',
  },
  MODEL_INPUT_INVALID: {
    status: 400,
    message: 'Model input "{field}" is invalid: {problem}.',
    meaning: 'Arrays given to a linear or baseline model disagree in shape (rows, columns, output buffer), or sample weights are negative, non-finite or all zero.',
    fix: 'Give X, y and the weights the same number of rows, finite weights >= 0 with a positive sum, and an output buffer of the documented length.',
  },
  MODEL_TARGET_INVALID: {
    status: 400,
    message: 'The target "{field}" cannot be used for {task}: {problem}.',
    meaning: 'The target has missing values, only one class, a non-numeric type for regression, or mixed label types.',
    fix: 'Classification needs at least two classes and no missing labels; regression needs finite numbers.',
  },
  MODEL_FEATURE_INVALID: {
    status: 400,
    message: 'Feature "{field}" cannot be used: {problem}.',
    meaning: 'A feature column of the matrix is entirely missing, or holds NaN or an infinite value after preprocessing.',
    fix: 'Impute or drop the feature in the preprocessing pipeline so that every value is a finite number.',
  },
  MODEL_STATE_INVALID: {
    status: 400,
    message: 'The fitted {what} state is invalid at "{field}": {problem}. Load a state written by this version of Loom, unchanged.',
    meaning: 'A serialized fitted model or pipeline has an unknown kind or version, a missing member, or arrays of inconsistent lengths.',
    fix: 'Refit and save the model again, or restore the original state file.',
  },
} as const satisfies ErrorArea;
