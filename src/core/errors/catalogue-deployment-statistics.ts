import type { ErrorArea } from './error-definition.js';

/** Errors from src/deployment/statistics (experiment tests, sample sizes, bandit policies, off-policy estimates, interleaving). */
export const DEPLOYMENT_STATISTICS_ERRORS = {
  DEPLOY_INVALID_STATISTICS_INPUT: {
    status: 400,
    message: 'The statistics input "{field}" is invalid: {problem}. Correct that value (the function documentation states the accepted range) and call again.',
    meaning: 'An experiment-statistics function got an argument it cannot work with: a negative or fractional count, more successes than trials, a significance level outside (0, 1), fewer than two observations for a variance, a propensity outside (0, 1], mismatched array lengths.',
    fix: 'Correct the named field. Counts are non-negative integers, rates and probabilities lie in their stated ranges, and tests that estimate a variance need at least two observations per arm.',
  },
} as const satisfies ErrorArea;
