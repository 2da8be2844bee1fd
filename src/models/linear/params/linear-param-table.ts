import type { ParamSpec, ParamValue } from '../../gbdt/params/param-spec.js';

const OBJECTIVES = ['regression', 'binary', 'multiclass'] as const;

/**
 * Every linear-model parameter, defined once: name, aliases, default, check and description. The validator
 * (resolveLinearParams), the `LinearParams` type and the table in docs/linear-models.md all come from it.
 *
 * The objective minimised is (1/W) Σ w_i ℓ(y_i, η_i) + alpha · (l1_ratio · ‖β‖₁ + (1 − l1_ratio)/2 · ‖β‖²), with W the
 * sum of sample weights, β the coefficients on the standardized features (the intercept is never penalised).
 */
export const LINEAR_PARAMS = [
  { name: 'objective', aliases: ['loss', 'task'], kind: 'enum', options: OBJECTIVES, default: 'regression', group: 'core',
    valueAliases: { linear: 'regression', l2: 'regression', logistic: 'binary', multinomial: 'multiclass', softmax: 'multiclass' },
    description: '`regression` (squared loss, linear regression), `binary` (log loss, logistic regression) or `multiclass` (cross-entropy, softmax regression).' },
  { name: 'alpha', aliases: ['lambda', 'reg_lambda', 'regularization'], kind: 'float', check: { ge: 0 }, default: 1e-4, group: 'learning',
    description: 'Overall penalty strength. 0 fits without a penalty (a model that is not identifiable, e.g. full one-hot plus an intercept, then has no unique solution).' },
  { name: 'l1_ratio', aliases: ['elastic_net_mixing', 'l1_fraction'], kind: 'float', check: { ge: 0, le: 1 }, default: 0, group: 'learning',
    description: 'Share of the penalty that is L1: 0 is ridge, 1 is lasso, in between is the elastic net. Any L1 part needs the `cd` solver.' },
  { name: 'fit_intercept', aliases: ['intercept'], kind: 'bool', default: true, group: 'core',
    description: 'Fit an unpenalised intercept. Without it the model passes through the origin and features are scaled but not centred.' },
  { name: 'standardize', aliases: ['normalize'], kind: 'bool', default: true, group: 'core',
    description: 'Solve on features scaled to unit weighted standard deviation, so the penalty treats them alike; coefficients are reported on that scale and in original units.' },
  { name: 'solver', aliases: [], kind: 'enum', options: ['auto', 'lbfgs', 'cd'], default: 'auto', group: 'learning',
    description: '`lbfgs` (quasi-Newton, smooth penalties only), `cd` (cyclic coordinate descent with soft-thresholding; iteratively reweighted for log losses), or `auto`: `cd` when the penalty has an L1 part, else `lbfgs`.' },
  { name: 'max_iter', aliases: ['max_iterations', 'num_iterations'], kind: 'int', check: { gt: 0 }, default: 1000, group: 'learning',
    description: 'Most iterations: L-BFGS steps, coordinate-descent sweeps (regression), or reweighting rounds (log losses with `cd`). The model records whether it converged.' },
  { name: 'tol', aliases: ['tolerance'], kind: 'float', check: { gt: 0 }, default: 1e-7, group: 'learning',
    description: 'Convergence tolerance. L-BFGS stops when the largest gradient entry is below tol × max(1, its value at the start); coordinate descent when no coefficient moved the objective by more than tol × the loss of the intercept-only start.' },
  { name: 'lbfgs_memory', aliases: ['history_size'], kind: 'int', check: { gt: 0, le: 100 }, default: 10, group: 'learning',
    description: 'Number of correction pairs L-BFGS keeps.' },
] as const satisfies readonly ParamSpec[];

/** One entry of LINEAR_PARAMS. */
export type LinearParamSpec = (typeof LINEAR_PARAMS)[number];

/** Resolved linear-model parameters: every name of LINEAR_PARAMS with a value of its kind. */
export type LinearParams = { readonly [S in LinearParamSpec as S['name']]: ParamValue<S> };

/** The linear objectives. */
export type LinearObjective = (typeof OBJECTIVES)[number];
