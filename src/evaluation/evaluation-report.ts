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
    /** P(ŷ = 1 | y = 1) in the group; 0 when the group has no positives (Fairlearn's convention). */
    readonly true_positive_rate?: number;
    /** P(ŷ = 1 | y = 0) in the group; 0 when the group has no negatives. */
    readonly false_positive_rate?: number;
    /** Share of positives among the group's labels. */
    readonly base_rate?: number;
    /** Calibration by group: mean predicted probability (compare with base_rate) and expected calibration error. */
    readonly mean_score?: number;
    readonly ece?: number;
    /** True when the group has fewer rows than `min_group_size`: reported, but left out of the gap figures. */
    readonly below_min_group_size?: boolean;
  }[];
  readonly demographic_parity_difference: number;
  readonly demographic_parity_ratio: number;
  readonly equal_opportunity_difference: number;
  readonly equalized_odds_difference: number;
  /** The decision threshold that turned scores into the predictions compared (ŷ = 1 when score ≥ threshold). */
  readonly threshold?: number;
  readonly equal_opportunity_ratio?: number;
  /** min(TPR ratio, FPR ratio), Fairlearn's agg='worst_case'. */
  readonly equalized_odds_ratio?: number;
  readonly true_positive_rate_difference?: number;
  readonly false_positive_rate_difference?: number;
  /** Groups smaller than this were left out of the differences and ratios (they are still listed in `groups`). */
  readonly min_group_size?: number;
  /** The groups left out of the differences and ratios, smallest first. */
  readonly excluded_groups?: readonly string[];
  /** Bootstrap intervals of the four headline disparities (resampled within group × label), null when not computable. */
  readonly intervals?: Readonly<Record<string, readonly [number, number] | null>>;
}

/** Counts of a binary decision at a threshold. */
export interface ConfusionCounts {
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  readonly tp: number;
}

/** A confusion matrix: `counts[actual][predicted]` in `labels` order. */
export interface ConfusionMatrix {
  readonly labels: readonly string[];
  readonly counts: readonly (readonly number[])[];
  /** The threshold used for a binary model (ŷ = 1 when score ≥ threshold); absent for multiclass (argmax). */
  readonly threshold?: number;
}

/** One bin of a reliability curve: rows whose score falls in [lower, upper). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly mean_predicted: number;
  readonly observed_rate: number;
}

/** Calibration of a binary classifier. */
export interface CalibrationReport {
  readonly bins: readonly ReliabilityBin[];
  /** Expected calibration error: Σ (count/n)·|observed − predicted| over the bins, with its bootstrap interval. */
  readonly ece: MetricEstimate;
  /** Largest |observed − predicted| over non-empty bins. */
  readonly mce: number;
  readonly strategy: 'uniform' | 'quantile';
}

/** How the confidence intervals were made. */
export interface BootstrapInfo {
  readonly method: 'percentile';
  readonly resamples: number;
  readonly seed: number;
  readonly level: number;
  /** `stratified` (by class, classification), `rows` (regression), `groups` (by query, ranking). */
  readonly resampling: 'stratified' | 'rows' | 'groups';
}

/** The outcome of one behavioural test (see src/evaluation/behavioural). */
export interface BehaviouralResult {
  readonly name: string;
  readonly kind: 'invariance' | 'directional' | 'minimum_functionality';
  readonly passed: boolean;
  readonly cases: number;
  readonly failures: number;
  /** Largest absolute score change (invariance), most adverse change (directional); absent for minimum functionality. */
  readonly worst_change?: number;
  /** Up to five failing cases, for a human to look at. */
  readonly examples: readonly Readonly<Record<string, unknown>>[];
}

/** Expected cost under a cost matrix, at the default and at the cost-minimizing threshold. */
export interface CostReport {
  readonly matrix: { readonly tn: number; readonly fp: number; readonly fn: number; readonly tp: number };
  readonly default_threshold: number;
  readonly default_expected_cost: number;
  readonly chosen_threshold: number;
  readonly chosen_expected_cost: number;
  /** Decisions at each threshold on the evaluation rows. */
  readonly default_confusion?: ConfusionCounts;
  readonly chosen_confusion?: ConfusionCounts;
  /** Rows the expected costs average over. */
  readonly rows?: number;
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
  /** The target column the labels came from. */
  readonly target?: string;
  /** Class names in output order (classification). */
  readonly classes?: readonly string[];
  /** Decision threshold of the threshold metrics (accuracy, precision, recall, f1, confusion matrix) of a binary model. */
  readonly threshold?: number;
  readonly bootstrap?: BootstrapInfo;
  readonly confusion_matrix?: ConfusionMatrix;
  readonly calibration?: CalibrationReport;
  readonly behavioural?: readonly BehaviouralResult[];
  /** Rows of the data left out (missing target, or a class the model does not know). */
  readonly rows_skipped?: number;
  /** Caveats a reader should see (small slices, groups without positives, …). */
  readonly notes?: readonly string[];
  /** Free text for the model card. */
  readonly intended_use?: string;
  readonly limitations?: readonly string[];
}
