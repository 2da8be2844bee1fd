import type { ParamSpec, ParamValue } from './param-spec.js';

const OBJECTIVES = ['regression', 'regression_l1', 'huber', 'quantile', 'poisson', 'binary', 'multiclass', 'lambdarank'] as const;
const METRICS = ['auc', 'binary_logloss', 'binary_error', 'multi_logloss', 'multi_error', 'l2', 'rmse', 'l1', 'huber', 'quantile', 'poisson', 'ndcg', 'map', 'none'] as const;

/**
 * Every GBDT parameter, defined once: LightGBM name, aliases, default, check and description (after LightGBM's
 * `config.h`). The validator (resolveGbdtParams), the `GbdtParams` type and docs/gbdt-params.md are derived from it.
 * Defaults equal LightGBM v4's, so the same params train the same kind of model.
 */
export const GBDT_PARAMS = [
  // core
  { name: 'objective', aliases: ['objective_type', 'app', 'application', 'loss'], kind: 'enum', options: OBJECTIVES, default: 'regression', group: 'core',
    valueAliases: { regression_l2: 'regression', l2: 'regression', mean_squared_error: 'regression', mse: 'regression', l2_root: 'regression', root_mean_squared_error: 'regression', rmse: 'regression', l1: 'regression_l1', mean_absolute_error: 'regression_l1', mae: 'regression_l1', softmax: 'multiclass' },
    description: 'Loss to minimise: `regression` (L2), `regression_l1`, `huber`, `quantile`, `poisson`, `binary` (log loss, labels 0/1), `multiclass` (softmax, labels 0..num_class-1; unlike LightGBM, each row\'s hessian is at least 0.05·|gradient|, so rare classes cannot make training diverge) or `lambdarank` (LambdaMART for NDCG; needs query groups, see group_column; labels are relevance grades 0, 1, 2, … below the length of label_gain; starts from score 0).' },
  { name: 'boosting', aliases: ['boosting_type', 'boost'], kind: 'enum', options: ['gbdt'], default: 'gbdt', group: 'core',
    description: 'Boosting type. Only `gbdt` (gradient-boosted decision trees) is available.' },
  { name: 'data_sample_strategy', aliases: [], kind: 'enum', options: ['bagging', 'goss'], default: 'bagging', group: 'core',
    description: 'Row sampling: `bagging` (uses bagging_fraction/bagging_freq) or `goss` (gradient-based one-side sampling, uses top_rate/other_rate).' },
  { name: 'num_iterations', aliases: ['num_iteration', 'n_iter', 'num_tree', 'num_trees', 'num_round', 'num_rounds', 'nrounds', 'num_boost_round', 'n_estimators', 'max_iter'], kind: 'int', check: { ge: 0 }, default: 100, group: 'core',
    description: 'Number of boosting iterations. Multiclass grows num_class trees per iteration.' },
  { name: 'learning_rate', aliases: ['shrinkage_rate', 'eta'], kind: 'float', check: { gt: 0 }, default: 0.1, group: 'core',
    description: 'Shrinkage applied to every new tree\'s leaf values.' },
  { name: 'num_leaves', aliases: ['num_leaf', 'max_leaves', 'max_leaf', 'max_leaf_nodes'], kind: 'int', check: { gt: 1, le: 131072 }, default: 31, group: 'core',
    description: 'Maximum number of leaves in one tree. Trees grow leaf-wise: the leaf with the best gain is split next.' },
  { name: 'num_threads', aliases: ['num_thread', 'nthread', 'nthreads', 'n_jobs'], kind: 'int', check: { ge: 0 }, default: 0, group: 'core',
    description: 'Threads that train (worker threads over shared memory): they build histograms, partition large leaves, compute the gradient passes of the binary and multiclass objectives, and run the numerical split scans. 0, the default, uses every core (`os.availableParallelism()`), as LightGBM does; 1 trains on the calling thread alone, and so does data under 50,000 rows. While a tree grows, the threads poll for their next request for about a millisecond before sleeping, so they keep their cores busy, as OpenMP runtimes do. The model is bit for bit the same for any value.' },
  { name: 'seed', aliases: ['random_seed', 'random_state'], kind: 'int', nullable: true, default: null, group: 'core',
    description: 'Master seed. When set, it derives data_random_seed, bagging_seed and feature_fraction_seed unless those are given too.' },
  // learning control
  { name: 'max_depth', aliases: [], kind: 'int', default: -1, group: 'learning',
    description: 'Maximum tree depth; <= 0 means no limit. Trees still grow leaf-wise.' },
  { name: 'min_data_in_leaf', aliases: ['min_data_per_leaf', 'min_data', 'min_child_samples', 'min_samples_leaf'], kind: 'int', check: { ge: 0 }, default: 20, group: 'learning',
    description: 'Minimum number of rows in a leaf.' },
  { name: 'min_sum_hessian_in_leaf', aliases: ['min_sum_hessian_per_leaf', 'min_sum_hessian', 'min_hessian', 'min_child_weight'], kind: 'float', check: { ge: 0 }, default: 1e-3, group: 'learning',
    description: 'Minimum sum of hessians in a leaf.' },
  { name: 'max_delta_step', aliases: ['max_tree_output', 'max_leaf_output'], kind: 'float', default: 0, group: 'learning',
    description: 'Limit on the absolute leaf output before shrinkage; <= 0 means no limit.' },
  { name: 'lambda_l1', aliases: ['reg_alpha', 'l1_regularization'], kind: 'float', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'L1 regularisation of leaf values (soft-thresholds the gradient sum).' },
  { name: 'lambda_l2', aliases: ['reg_lambda', 'lambda', 'l2_regularization'], kind: 'float', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'L2 regularisation of leaf values: a leaf is -G/(H+lambda_l2).' },
  { name: 'min_gain_to_split', aliases: ['min_split_gain'], kind: 'float', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'Minimum gain a split must add.' },
  { name: 'early_stopping_round', aliases: ['early_stopping_rounds', 'early_stopping', 'n_iter_no_change'], kind: 'int', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'Stop when no validation metric improved for this many iterations, and keep the trees up to the best one; 0 disables. Needs a validation set.' },
  { name: 'early_stopping_min_delta', aliases: [], kind: 'float', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'Smallest change of a metric that counts as an improvement for early stopping.' },
  { name: 'first_metric_only', aliases: [], kind: 'bool', default: false, group: 'learning',
    description: 'Early stopping watches only the first metric.' },
  { name: 'monotone_constraints', aliases: ['mc', 'monotone_constraint', 'monotonic_cst'], kind: 'int-list', default: [], group: 'learning',
    description: 'One value per feature: 1 increasing, -1 decreasing, 0 free. Empty means no constraints.' },
  { name: 'monotone_constraints_method', aliases: ['monotone_constraining_method', 'mc_method'], kind: 'enum', options: ['basic'], default: 'basic', group: 'learning',
    description: 'How monotone constraints are enforced. `basic`: children of a constrained split are bounded by the mid-point of their outputs.' },
  { name: 'monotone_penalty', aliases: ['monotone_splits_penalty', 'ms_penalty', 'mc_penalty'], kind: 'float', check: { ge: 0 }, default: 0, group: 'learning',
    description: 'Penalises monotone splits near the root: the gain is scaled down at depths below this value.' },
  // categorical features
  { name: 'categorical_feature', aliases: ['cat_feature', 'categorical_column', 'cat_column', 'categorical_features'], kind: 'string-list', default: [], group: 'categorical',
    description: 'Features to treat as categorical, by index or name (`name:` prefix accepted). Values are non-negative integer codes; negative means missing. Frame `category` columns are categorical without this.' },
  { name: 'max_cat_to_onehot', aliases: [], kind: 'int', check: { gt: 0 }, default: 4, group: 'categorical',
    description: 'A categorical feature with at most this many bins is split one category versus the rest.' },
  { name: 'max_cat_threshold', aliases: [], kind: 'int', check: { gt: 0 }, default: 32, group: 'categorical',
    description: 'Most categories that can go to one side of a categorical split.' },
  { name: 'cat_l2', aliases: [], kind: 'float', check: { ge: 0 }, default: 10, group: 'categorical',
    description: 'Extra L2 regularisation for categorical splits.' },
  { name: 'cat_smooth', aliases: [], kind: 'float', check: { ge: 0 }, default: 10, group: 'categorical',
    description: 'Smoothing of the per-category gradient ratio used to order categories; categories with fewer rows are skipped.' },
  { name: 'min_data_per_group', aliases: [], kind: 'int', check: { gt: 0 }, default: 100, group: 'categorical',
    description: 'Minimum rows per category group in a categorical split.' },
  // sampling
  { name: 'bagging_fraction', aliases: ['sub_row', 'subsample', 'bagging'], kind: 'float', check: { gt: 0, le: 1 }, default: 1, group: 'sampling',
    description: 'Fraction of rows drawn (without replacement) for each bag. Needs bagging_freq > 0.' },
  { name: 'bagging_freq', aliases: ['subsample_freq'], kind: 'int', check: { ge: 0 }, default: 0, group: 'sampling',
    description: 'Draw a new bag every this many iterations; 0 disables bagging.' },
  { name: 'bagging_seed', aliases: ['bagging_fraction_seed'], kind: 'int', default: 3, group: 'sampling',
    description: 'Seed of bagging and GOSS sampling.' },
  { name: 'feature_fraction', aliases: ['sub_feature', 'colsample_bytree'], kind: 'float', check: { gt: 0, le: 1 }, default: 1, group: 'sampling',
    description: 'Fraction of features each tree may use.' },
  { name: 'feature_fraction_bynode', aliases: ['sub_feature_bynode', 'colsample_bynode'], kind: 'float', check: { gt: 0, le: 1 }, default: 1, group: 'sampling',
    description: 'Fraction of the tree\'s features each node may use.' },
  { name: 'feature_fraction_seed', aliases: [], kind: 'int', default: 2, group: 'sampling',
    description: 'Seed of feature sampling.' },
  { name: 'top_rate', aliases: [], kind: 'float', check: { ge: 0, le: 1 }, default: 0.2, group: 'sampling',
    description: 'GOSS: fraction of rows with the largest |gradient × hessian| always kept.' },
  { name: 'other_rate', aliases: [], kind: 'float', check: { ge: 0, le: 1 }, default: 0.1, group: 'sampling',
    description: 'GOSS: fraction of rows sampled from the rest, re-weighted by (1 - top_rate) / other_rate.' },
  // dataset and binning
  { name: 'max_bin', aliases: ['max_bins'], kind: 'int', check: { gt: 1, le: 65535 }, default: 255, group: 'dataset',
    description: 'Maximum number of bins per feature (the missing-value bin included).' },
  { name: 'min_data_in_bin', aliases: [], kind: 'int', check: { gt: 0 }, default: 3, group: 'dataset',
    description: 'Minimum rows in one bin.' },
  { name: 'bin_construct_sample_cnt', aliases: ['subsample_for_bin'], kind: 'int', check: { gt: 0 }, default: 200000, group: 'dataset',
    description: 'Rows sampled to find bin boundaries.' },
  { name: 'data_random_seed', aliases: ['data_seed'], kind: 'int', default: 1, group: 'dataset',
    description: 'Seed of the row sample used to find bin boundaries.' },
  { name: 'use_missing', aliases: [], kind: 'bool', default: true, group: 'dataset',
    description: 'Give missing values (NaN, null) a bin of their own and learn which side they go; false treats them as 0.' },
  { name: 'feature_pre_filter', aliases: [], kind: 'bool', default: true, group: 'dataset',
    description: 'Drop features that cannot be split under min_data_in_leaf before training.' },
  { name: 'group_column', aliases: ['group', 'group_id', 'query_column', 'query', 'query_id'], kind: 'string', default: '', group: 'dataset',
    description: 'Frame column holding the query (group) id, for ranking; `name:` prefix accepted. The rows of one query must be contiguous (sort by the query id first); a query id that reappears after another query is rejected with LOOM_ERR_GBDT_GROUP_INVALID rather than silently split. The column is not a feature. Matrix input gives group sizes instead (GbdtMatrix.group or the `group` option).' },
  // objective
  { name: 'num_class', aliases: ['num_classes'], kind: 'int', check: { gt: 0 }, default: 1, group: 'objective',
    description: 'Number of classes for `multiclass` (>= 2); must be 1 otherwise.' },
  { name: 'is_unbalance', aliases: ['unbalance', 'unbalanced_sets'], kind: 'bool', default: false, group: 'objective',
    description: 'Binary: weight the rarer class by the class ratio. Cannot be combined with scale_pos_weight.' },
  { name: 'scale_pos_weight', aliases: [], kind: 'float', check: { gt: 0 }, default: 1, group: 'objective',
    description: 'Binary: weight of the positive class.' },
  { name: 'sigmoid', aliases: [], kind: 'float', check: { gt: 0 }, default: 1, group: 'objective',
    description: 'Binary: slope of the sigmoid, p = 1 / (1 + exp(-sigmoid × score)). `lambdarank`: slope of the pairwise weight 1 / (1 + exp(sigmoid × (s_better − s_worse))) of two documents with different labels.' },
  { name: 'boost_from_average', aliases: [], kind: 'bool', default: true, group: 'objective',
    description: 'Start from the label average (log-odds, class log-priors, median, quantile or log-mean) instead of 0.' },
  { name: 'alpha', aliases: [], kind: 'float', check: { gt: 0 }, default: 0.9, group: 'objective',
    description: '`huber`: the delta where the loss turns linear. `quantile`: the quantile, in (0, 1).' },
  { name: 'poisson_max_delta_step', aliases: [], kind: 'float', check: { gt: 0 }, default: 0.7, group: 'objective',
    description: '`poisson`: safeguard that scales hessians by exp(this), slowing early steps.' },
  { name: 'lambdarank_truncation_level', aliases: [], kind: 'int', check: { gt: 0 }, default: 30, group: 'objective',
    description: '`lambdarank`: only pairs with at least one document among the top this-many by current score contribute, and the ideal DCG that normalises a query is cut at this position. Set it a little above the k of the NDCG@k you care about.' },
  { name: 'lambdarank_norm', aliases: [], kind: 'bool', default: true, group: 'objective',
    description: '`lambdarank`: divide each pair\'s |ΔNDCG| by 0.01 + |score difference| and scale a query\'s gradients by log2(1 + Σλ)/Σλ, which balances queries of different sizes; false gives the original LambdaRank.' },
  { name: 'label_gain', aliases: [], kind: 'float-list', default: [], group: 'objective',
    description: '`lambdarank` and `ndcg`: gain of each integer relevance label, label i gaining label_gain[i]. Empty means 2^i − 1 for i = 0..30 (0, 1, 3, 7, …). Labels must be below the list length.' },
  // metric
  { name: 'metric', aliases: ['metrics', 'metric_types'], kind: 'string-list', options: METRICS, default: [], group: 'metric',
    valueAliases: { binary: 'binary_logloss', multiclass: 'multi_logloss', softmax: 'multi_logloss', regression: 'l2', regression_l2: 'l2', mean_squared_error: 'l2', mse: 'l2', l2_root: 'rmse', root_mean_squared_error: 'rmse', regression_l1: 'l1', mean_absolute_error: 'l1', mae: 'l1', lambdarank: 'ndcg', rank_xendcg: 'ndcg', xendcg: 'ndcg', xe_ndcg: 'ndcg', xe_ndcg_mart: 'ndcg', xendcg_mart: 'ndcg', mean_average_precision: 'map', na: 'none', null: 'none' },
    description: 'Metrics evaluated on validation sets. Empty means the objective\'s own metric (`ndcg` for lambdarank); `none` means no metric. `ndcg` and `map` need query groups and report one value per eval_at position, named `ndcg@k` / `map@k`.' },
  { name: 'metric_freq', aliases: ['output_freq'], kind: 'int', check: { gt: 0 }, default: 1, group: 'metric',
    description: 'Evaluate metrics every this many iterations (early stopping forces every iteration).' },
  { name: 'is_provide_training_metric', aliases: ['training_metric', 'is_training_metric', 'train_metric'], kind: 'bool', default: false, group: 'metric',
    description: 'Also evaluate the metrics on the training data.' },
  { name: 'multi_error_top_k', aliases: [], kind: 'int', check: { gt: 0 }, default: 1, group: 'metric',
    description: '`multi_error`: a row is correct when its true class is among the k highest scores.' },
  { name: 'eval_at', aliases: ['ndcg_eval_at', 'ndcg_at', 'map_eval_at', 'map_at'], kind: 'int-list', default: [1, 2, 3, 4, 5], group: 'metric',
    description: '`ndcg` and `map`: the positions k to evaluate at, each > 0; evaluated in ascending order, as LightGBM sorts them. A query whose labels are all 0 counts as NDCG 1 (and MAP 1), as in LightGBM.' },
] as const satisfies readonly ParamSpec[];

/** One entry of GBDT_PARAMS. */
export type GbdtParamSpec = (typeof GBDT_PARAMS)[number];

/** A parameter name (never an alias). */
export type GbdtParamName = GbdtParamSpec['name'];

/** Resolved parameters: every name of GBDT_PARAMS with a value of its kind. Produced by resolveGbdtParams. */
export type GbdtParams = { readonly [S in GbdtParamSpec as S['name']]: ParamValue<S> };

/** Objective names. */
export type GbdtObjectiveName = (typeof OBJECTIVES)[number];

/** Metric names (after alias resolution). */
export type GbdtMetricName = Exclude<(typeof METRICS)[number], 'none'>;
