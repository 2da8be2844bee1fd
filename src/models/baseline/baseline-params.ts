import type { ParamSpec, ParamValue } from '../gbdt/params/param-spec.js';

/** Parameters of the prior classifier, defined once (same table format as the linear and GBDT parameters). */
export const PRIOR_CLASSIFIER_PARAMS = [
  { name: 'strategy', aliases: [], kind: 'enum', options: ['prior', 'majority'], default: 'prior', group: 'core', valueAliases: { most_frequent: 'majority' },
    description: '`prior`: predict the weighted class frequencies of the training target. `majority`: predict probability 1 for the most frequent class (ties: the first in label order).' },
] as const satisfies readonly ParamSpec[];

/** Parameters of the mean regressor, defined once. */
export const MEAN_REGRESSOR_PARAMS = [
  { name: 'strategy', aliases: [], kind: 'enum', options: ['mean', 'median'], default: 'mean', group: 'core',
    description: '`mean`: predict the weighted mean of the training target. `median`: predict its weighted median (the average of the two middle values when the cumulative weight splits exactly in half).' },
] as const satisfies readonly ParamSpec[];

/** Resolved prior-classifier parameters. */
export type PriorClassifierParams = { readonly [S in (typeof PRIOR_CLASSIFIER_PARAMS)[number] as S['name']]: ParamValue<S> };

/** Resolved mean-regressor parameters. */
export type MeanRegressorParams = { readonly [S in (typeof MEAN_REGRESSOR_PARAMS)[number] as S['name']]: ParamValue<S> };
