import type { ErrorArea } from './error-definition.js';

/** Errors from src/training/tuning and `loom tune`. */
export const TUNING_ERRORS = {
  TUNING_INVALID_SPACE: {
    status: 400,
    message: 'Search space field "{field}" is invalid: {problem}. See docs/tuning.md.',
    meaning: 'A search-space JSON is malformed: an unknown kind, a missing bound, or a condition naming an unknown parent.',
    fix: 'Give each param one of the kinds uniform, log_uniform, int or categorical, with the fields docs/tuning.md lists.',
  },
  TUNING_EMPTY_RANGE: {
    status: 400,
    message: 'Search space param "{field}" has an empty range: {problem}.',
    meaning: 'A distribution holds no value: low above high, a log range touching zero, an int step wider than the range, or no categories.',
    fix: 'Make low < high (low > 0 for log scales), or list at least one category.',
  },
  TUNING_INVALID_OPTION: {
    status: 400,
    message: 'Tuning option "{field}" is invalid: {problem}. See `loom tune --help`.',
    meaning: 'A study option cannot work: trials or parallelism below 1, an unknown sampler, pruner or metric.',
    fix: 'Give the option one of the documented values.',
  },
  TUNING_SPACE_MISMATCH: {
    status: 409,
    message: 'Study "{study}" was created with a different search space or settings ({problem}); a study resumes only with the same ones.',
    meaning: 'Resuming a study with another space, target, dataset, metric or direction would mix incomparable trials.',
    fix: 'Resume with the original space and settings, or pick a new study name with --study.',
  },
  TUNING_TRIAL_FAILED: {
    status: 500,
    message: 'Every trial of study "{study}" failed; the first failure: {problem}.',
    meaning: 'No trial finished, so the study has no best params.',
    fix: 'Fix the cause named in the message (often a param value the model rejects) and run the study again.',
  },
} as const satisfies ErrorArea;
