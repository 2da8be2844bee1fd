import type { ErrorArea } from './error-definition.js';

/** Errors from src/training and the train/predict commands. */
export const TRAINING_ERRORS = {
  TRAINING_INVALID_OPTION: {
    status: 400,
    message: 'Option "{field}" is invalid: {problem}. See `loom train --help`.',
    meaning: 'A training or prediction option has a value that cannot work (an unknown model flavor, a bad --param).',
    fix: 'Give the option one of the documented values.',
  },
  TRAINING_INPUT_MISMATCH: {
    status: 400,
    message: 'The input does not match the model\'s input signature at column "{field}": {problem}.',
    meaning: 'Rows sent to a model lack a column it was trained on, or hold it with an incompatible type.',
    fix: 'Send every column listed in the model\'s manifest (inputSignature) with a compatible type; extra columns are ignored.',
  },
} as const satisfies ErrorArea;
