import type { GbdtObjectiveName, GbdtParams } from '../params/gbdt-param-table.js';
import { formatGeneral } from './format-general.js';
import { modelFormatError, unsupportedModelError } from './model-format-error.js';
import { parseModelInt, parseModelNumber } from './parse-model-number.js';

/** What a model's `objective=` header line says: the objective and the parameters that shape its output. @internal */
export interface ObjectiveLine {
  readonly objective: GbdtObjectiveName;
  /** multiclass: `num_class:K`. */
  readonly numClass: number | null;
  /** binary: `sigmoid:S`. */
  readonly sigmoid: number | null;
}

/** LightGBM objective names (and their aliases) Loom runs. */
const SUPPORTED: Readonly<Record<string, GbdtObjectiveName>> = {
  regression: 'regression', regression_l2: 'regression', l2: 'regression', mean_squared_error: 'regression', mse: 'regression',
  l2_root: 'regression', root_mean_squared_error: 'regression', rmse: 'regression',
  regression_l1: 'regression_l1', l1: 'regression_l1', mean_absolute_error: 'regression_l1', mae: 'regression_l1',
  huber: 'huber', quantile: 'quantile', poisson: 'poisson', binary: 'binary', multiclass: 'multiclass', softmax: 'multiclass',
  lambdarank: 'lambdarank',
};

/**
 * Reads the value of an `objective=` line, e.g. `binary sigmoid:1`, `multiclass num_class:3`, `regression`,
 * `lambdarank` (LightGBM writes no parameters for it; its output is the raw score).
 *
 * @throws LOOM_ERR_GBDT_MODEL_UNSUPPORTED for objectives Loom cannot run (rank_xendcg, cross_entropy, multiclassova,
 *   gamma, tweedie, …) or `regression sqrt`; LOOM_ERR_GBDT_MODEL_FORMAT_INVALID for a malformed parameter.
 *
 * @internal
 */
export function parseObjectiveLine(value: string, line: number): ObjectiveLine {
  const [name = '', ...rest] = value.split(' ').filter((t) => t !== '');
  const objective = SUPPORTED[name];
  if (objective === undefined) {
    throw unsupportedModelError(line, 'objective', `objective "${name}"`, 'Loom runs binary, multiclass, regression, regression_l1, huber, quantile, poisson and lambdarank');
  }
  let numClass: number | null = null;
  let sigmoid: number | null = null;
  for (const token of rest) {
    const colon = token.indexOf(':');
    const key = colon < 0 ? token : token.slice(0, colon);
    const raw = colon < 0 ? '' : token.slice(colon + 1);
    if (key === 'sqrt') throw unsupportedModelError(line, 'objective', 'reg_sqrt', 'its scores are square roots of the label; retrain without reg_sqrt');
    if (key === 'num_class') numClass = parseModelInt(raw, line, 'objective', 1);
    else if (key === 'sigmoid') sigmoid = parseModelNumber(raw, line, 'objective');
    // Other objective parameters (e.g. huber's alpha is not written) do not change how outputs are computed.
  }
  if (objective === 'multiclass' && numClass === null) throw modelFormatError(line, 'objective', 'multiclass needs num_class:K');
  if (objective === 'binary' && sigmoid !== null && !(sigmoid > 0)) throw modelFormatError(line, 'objective', `sigmoid must be > 0, not ${sigmoid}`);
  return { objective, numClass, sigmoid };
}

/** The `objective=` value LightGBM writes for these params (its objective's ToString). @internal */
export function formatObjectiveLine(p: GbdtParams): string {
  switch (p.objective) {
    case 'binary':
      return `binary sigmoid:${formatGeneral(p.sigmoid, 6)}`;
    case 'multiclass':
      return `multiclass num_class:${p.num_class}`;
    default:
      return p.objective;
  }
}
