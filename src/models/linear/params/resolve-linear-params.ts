import { LINEAR_PARAMS, type LinearParams } from './linear-param-table.js';
import { invalid, resolveModelParams } from './resolve-model-params.js';

/**
 * Validates linear-model parameters (names and aliases from LINEAR_PARAMS) and returns them resolved, defaults
 * filled, frozen. Beyond each parameter's own check: the `lbfgs` solver cannot take an L1 penalty.
 *
 * @throws LOOM_ERR_MODEL_PARAM_UNKNOWN, LOOM_ERR_MODEL_PARAM_INVALID (details.field = the parameter)
 * @example
 * resolveLinearParams({ objective: 'logistic', lambda: '0.01' }).alpha; // 0.01
 */
export function resolveLinearParams(input: Readonly<Record<string, unknown>> = {}): LinearParams {
  const p = resolveModelParams<LinearParams>(LINEAR_PARAMS, input, 'linear model');
  if (p.solver === 'lbfgs' && p.alpha > 0 && p.l1_ratio > 0) {
    invalid('linear model', { name: 'solver' }, p.solver, `L-BFGS needs a smooth objective, but l1_ratio = ${p.l1_ratio} adds an L1 penalty; use solver "cd" or "auto"`);
  }
  return p;
}
