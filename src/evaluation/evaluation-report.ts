/**
 * The evaluation report: what `loom eval` writes for one model version on one dataset, and what promotion gates
 * read. It is plain JSON (saved as `evaluation.json` beside the model card), so a registry version can keep it and a
 * gate can compare two of them without re-running anything.
 *
 * Metric names are lower-case snake case (`auc`, `pr_auc`, `log_loss`, `brier`, `accuracy`, `precision`, `recall`,
 * `f1`, `rmse`, `mae`, `r2`, `mape`, `ndcg@10`, `map@10`, `recall@10`).
 */

/** A point estimate with its bootstrap confidence interval. */
export interface MetricEstimate {
  readonly value: number;
  /** Lower and upper bound of the interval at `level` (e.g. 0.95); null when it could not be computed (too few rows). */
  readonly ci: readonly [number, number] | null;
  readonly level: number;
}

export type MetricTable = Readonly<Record<string, MetricEstimate>>;

/** One slice of the evaluation data and its metrics. */
export interface SliceReport {
  /** What defines the slice: a column value (`region = north`), a numeric bin (`tenure in [0, 12)`) or a predicate. */
  readonly name: string;
  readonly column: string | null;
  readonly size: number;
  readonly metrics: MetricTable;
}

/** Fairness figures for one sensitive column, with Fairlearn's definitions. */
export interface FairnessReport {
  readonly sensitive: string;
  readonly groups: readonly {
    readonly group: string;
    readonly size: number;
    readonly selection_rate: number;
    readonly metrics: MetricTable;
  }[];
  readonly demographic_parity_difference: number;
  readonly demographic_parity_ratio: number;
  readonly equal_opportunity_difference: number;
  readonly equalized_odds_difference: number;
}

/** Expected cost under a cost matrix, at the default and at the cost-minimizing threshold. */
export interface CostReport {
  readonly matrix: { readonly tn: number; readonly fp: number; readonly fn: number; readonly tp: number };
  readonly default_threshold: number;
  readonly default_expected_cost: number;
  readonly chosen_threshold: number;
  readonly chosen_expected_cost: number;
}

export interface EvaluationReport {
  readonly format: 'loom.evaluation/1';
  readonly task: 'binary' | 'multiclass' | 'regression' | 'ranking';
  /** The model evaluated: its directory hash (manifest hash) and, when known, registry name and version. */
  readonly model: { readonly hash: string; readonly name?: string; readonly version?: number };
  /** The data: dataset name and version id, or a file path. */
  readonly data: { readonly ref: string; readonly rows: number };
  readonly metrics: MetricTable;
  /** Slices, worst first by the task's primary metric. */
  readonly slices: readonly SliceReport[];
  readonly fairness: readonly FairnessReport[];
  readonly costs: CostReport | null;
  readonly created_at: string;
}
