/**
 * Which way is better for the metrics a gate can call "worse": true when a higher value is better. Names follow the
 * evaluation report (`auc`, `log_loss`, `ndcg@10`); `@k` metrics take the direction of their family.
 */
const HIGHER_IS_BETTER: Readonly<Record<string, boolean>> = {
  auc: true,
  pr_auc: true,
  accuracy: true,
  balanced_accuracy: true,
  precision: true,
  recall: true,
  f1: true,
  f1_macro: true,
  f1_micro: true,
  r2: true,
  ndcg: true,
  map: true,
  mrr: true,
  log_loss: false,
  binary_logloss: false,
  multi_logloss: false,
  brier: false,
  ece: false,
  rmse: false,
  mae: false,
  mape: false,
  cost: false,
};

/** True (higher is better), false (lower is better), or null for a metric whose direction Loom does not know. */
export function higherIsBetter(metric: string): boolean | null {
  const family = metric.replace(/@\d+$/, '');
  return HIGHER_IS_BETTER[family] ?? null;
}

/** The metric a task's slices are compared on when a slice rule names none. */
export const PRIMARY_METRIC: Readonly<Record<'binary' | 'multiclass' | 'regression' | 'ranking', string>> = {
  binary: 'auc',
  multiclass: 'accuracy',
  regression: 'rmse',
  ranking: 'ndcg@10',
};
