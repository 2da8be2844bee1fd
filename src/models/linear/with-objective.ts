import type { LinearFitOptions } from './fit/fit-linear-model.js';
import { LINEAR_PARAMS, type LinearObjective } from './params/linear-param-table.js';
import { invalid } from './params/resolve-model-params.js';
import { resolveLinearParams } from './params/resolve-linear-params.js';

/**
 * The options with `objective` set, for the fit function named after one objective. A different objective given in
 * the params (under any alias) is an error rather than silently overridden.
 * @throws LOOM_ERR_MODEL_PARAM_INVALID (details.field = `objective`)
 */
export function withObjective(options: LinearFitOptions, objective: LinearObjective): LinearFitOptions {
  const given = options.params ?? {};
  const names: readonly string[] = [LINEAR_PARAMS[0].name, ...LINEAR_PARAMS[0].aliases];
  const key = Object.keys(given).find((k) => names.includes(k) && given[k] !== undefined);
  if (key !== undefined) {
    const resolved = resolveLinearParams({ [key]: given[key] }).objective;
    if (resolved !== objective) invalid('linear model', { name: 'objective' }, given[key], `this function fits objective "${objective}"; call fitLinearModel to choose another`);
  }
  const rest = Object.fromEntries(Object.entries(given).filter(([k]) => k !== key));
  return { ...options, params: { ...rest, objective } };
}
