import type { ErrorArea } from './error-definition.js';

/** Errors from src/validation: expectations, suites, results. */
export const VALIDATION_ERRORS = {
  VALIDATION_SUITE_NOT_FOUND: {
    status: 404,
    message: 'Suite "{suite}" does not exist. Create it with `loom validate suite create {suite} --from <dataset>`.',
    meaning: 'A validation suite name was not found.',
    fix: 'Create the suite, or check its name.',
  },
  VALIDATION_SUITE_INVALID: {
    status: 400,
    message: 'Suite is invalid at "{field}": {problem}.',
    meaning: 'An edited suite JSON failed validation.',
    fix: 'Fix the named field; docs/validation.md lists every expectation kind and its options.',
  },
  VALIDATION_INVALID_OPTION: {
    status: 400,
    message: 'Option --{option} is invalid: {problem}. See `loom validate --help`.',
    meaning: 'A `loom validate` command option has a value that cannot work.',
    fix: 'Give the option a value of the documented form.',
  },
} as const satisfies ErrorArea;
