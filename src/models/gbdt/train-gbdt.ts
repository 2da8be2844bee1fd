import { LoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import { binFeatures, binWithMappers } from './binning/bin-features.js';
import { boost, type BoostDataset } from './boosting/boost.js';
import type { IterationEvent } from './boosting/eval-log.js';
import type { GbdtMatrix } from './data/gbdt-matrix.js';
import { readTrainingData, type FrameRoles, type TrainingData } from './data/training-data.js';
import { GbdtModel } from './gbdt-model.js';
import { createMetrics } from './metric/create-metrics.js';
import type { Metric } from './metric/metric.js';
import { MapMetric, NdcgMetric } from './metric/ranking-metrics.js';
import { createObjective } from './objective/create-objective.js';
import type { GbdtParams } from './params/gbdt-param-table.js';
import { resolveGbdtParams } from './params/resolve-params.js';

/** A validation set: evaluated every iteration, and watched by early stopping. */
export interface GbdtValidSet {
  /** Shown in the evaluation log; defaults to `valid_0`, `valid_1`, …. */
  readonly name?: string;
  readonly data: Frame | GbdtMatrix;
  /** Raw starting scores, class-major (class k of row i at k·rows + i). */
  readonly initScore?: Float64Array;
  /** Ranking: rows per query, in row order (LightGBM's `group`), instead of the group_column or GbdtMatrix.group. */
  readonly group?: ArrayLike<number>;
}

/** Options of trainGbdt besides the LightGBM params. */
export interface TrainGbdtOptions extends FrameRoles {
  readonly validSets?: readonly GbdtValidSet[];
  /** Raw starting scores of the training rows, class-major; replaces boost_from_average. Not stored in the model. */
  readonly initScore?: Float64Array;
  /**
   * Called after every iteration, with that iteration's evaluations (if any). Returning the string `'stop'` ends training there
   * (a tuner pruning a trial); the model keeps the iterations grown so far.
   */
  readonly onIteration?: (event: IterationEvent) => unknown;
  /**
   * Ranking: rows per query of the training data, in row order (LightGBM's `group`), e.g. [10, 20] for rows 0–9 and
   * 10–29. Alternatives: the group_column param (a Frame's query id column) or GbdtMatrix.group.
   */
  readonly group?: ArrayLike<number>;
}

/**
 * Trains a gradient-boosted decision tree model with LightGBM's algorithm and parameters: histogram binning, leaf-wise
 * trees, categorical and missing-value handling, bagging/GOSS, monotone constraints and early stopping.
 *
 * `data` is a Frame (features: numeric, boolean, timestamp and category columns; the label is `options.label` or the
 * column tagged `target`) or a GbdtMatrix of typed arrays. `params` are LightGBM-named (docs/gbdt-params.md).
 * Training is deterministic: the same data, params and seeds give the same model.
 *
 * Ranking (`objective: 'lambdarank'`, metrics `ndcg`/`map`) needs query groups on every dataset it scores: the
 * group_column param names a Frame's query id column (rows of a query contiguous), or give group sizes (`group`
 * option, GbdtValidSet.group or GbdtMatrix.group).
 *
 * @throws LOOM_ERR_GBDT_PARAM_UNKNOWN, LOOM_ERR_GBDT_PARAM_INVALID, LOOM_ERR_GBDT_DATA_EMPTY,
 *   LOOM_ERR_GBDT_DATA_INVALID, LOOM_ERR_GBDT_LABEL_INVALID, LOOM_ERR_GBDT_FEATURE_INVALID,
 *   LOOM_ERR_GBDT_GROUP_MISSING, LOOM_ERR_GBDT_GROUP_INVALID, LOOM_ERR_FRAME_COLUMN_NOT_FOUND
 * @example
 * const model = trainGbdt(trainFrame, { objective: 'binary', num_leaves: 31, learning_rate: 0.1 }, {
 *   label: 'income',
 *   validSets: [{ name: 'test', data: testFrame }],
 * });
 * const probabilities = predictBatch(model, testFrame);
 */
export function trainGbdt(data: Frame | GbdtMatrix, params: Readonly<Record<string, unknown>> = {}, options: TrainGbdtOptions = {}): GbdtModel {
  const p = resolveGbdtParams(params);
  const train = readTrainingData(data, options, p.categorical_feature, 'training', null, { column: p.group_column, sizes: options.group ?? null });
  const numFeatures = train.matrix.columns.length;
  if (p.monotone_constraints.length > 0 && p.monotone_constraints.length !== numFeatures) {
    invalidParam('monotone_constraints', p.monotone_constraints.join(','), `give one value per feature (${numFeatures}), or none`);
  }
  const objective = createObjective(p);
  objective.init(train.label, train.weight, train.labelName, train.queryBoundaries);
  const metrics = createMetrics(p, objective.defaultMetric);
  checkMetrics(p, metrics.map((m) => m.name));
  if (p.is_provide_training_metric) checkRankingData(metrics, train, 'training');
  const numOutputs = objective.numTreesPerIteration;
  const binned = binFeatures(train.matrix, {
    maxBin: p.max_bin,
    minDataInBin: p.min_data_in_bin,
    binConstructSampleCnt: p.bin_construct_sample_cnt,
    dataRandomSeed: p.data_random_seed,
    useMissing: p.use_missing,
    featurePreFilter: p.feature_pre_filter,
    minDataInLeaf: p.min_data_in_leaf,
  });
  const valid: BoostDataset[] = (options.validSets ?? []).map((set, j) => {
    const name = set.name ?? `valid_${j}`;
    const read = readTrainingData(set.data, options, p.categorical_feature, name, train, { column: p.group_column, sizes: set.group ?? null });
    checkValidLabels(p, read, name);
    checkRankingData(metrics, read, name);
    return { name, data: binWithMappers(read.matrix, binned), label: read.label, weight: read.weight, initScore: initScore(set.initScore, read.matrix.numRows * numOutputs, `${name}.initScore`), queries: read.queryBoundaries };
  });
  const monotone = new Int8Array(numFeatures);
  p.monotone_constraints.forEach((c, f) => (monotone[f] = c));
  const result = boost({
    params: p,
    train: { name: 'training', data: binned, label: train.label, weight: train.weight, initScore: initScore(options.initScore, train.matrix.numRows * numOutputs, 'initScore'), queries: train.queryBoundaries },
    valid,
    objective,
    metrics,
    monotone,
    onIteration: options.onIteration,
  });
  return new GbdtModel({
    trees: result.trees,
    numOutputs,
    params: p,
    features: train.matrix.names.map((name, f) => {
      const mapper = binned.mappers[f];
      return {
        name,
        categorical: train.matrix.categorical[f],
        dictionary: train.matrix.dictionaries[f],
        trivial: mapper.isTrivial,
        minValue: mapper.minValue,
        maxValue: mapper.maxValue,
        binCategories: mapper.kind === 'categorical' ? Array.from(mapper.binToCategory) : null,
      };
    }),
    labelClasses: train.labelClasses,
    bestIteration: result.bestIteration,
    evalLog: result.evalLog,
  });
}

function initScore(score: Float64Array | undefined, expected: number, field: string): Float64Array | null {
  if (score === undefined) return null;
  if (score.length !== expected) throw new LoomError('GBDT_DATA_INVALID', { field, problem: `it has ${score.length} values; rows × outputs = ${expected}` }, { details: { field } });
  return score;
}

function checkMetrics(p: GbdtParams, names: readonly string[]): void {
  for (const name of names) {
    const multi = name === 'multi_logloss' || name === 'multi_error';
    const binary = name === 'auc' || name === 'binary_logloss' || name === 'binary_error' || name.startsWith('ndcg@') || name.startsWith('map@');
    if (multi && p.objective !== 'multiclass') invalidParam('metric', name, `${name} needs objective multiclass`);
    if (binary && p.objective === 'multiclass') invalidParam('metric', name, `${name} is for one output per row; use multi_logloss or multi_error`);
  }
}

/** Ranking metrics need query groups on every dataset they evaluate, and NDCG needs relevance-grade labels. */
function checkRankingData(metrics: readonly Metric[], data: TrainingData, dataset: string): void {
  const ranking = metrics.filter((m) => m instanceof NdcgMetric || m instanceof MapMetric);
  if (ranking.length === 0) return;
  if (data.queryBoundaries === null) {
    throw new LoomError('GBDT_GROUP_MISSING', { what: `The ${ranking[0].name.replace(/@.*/, '')} metric`, dataset }, { details: { field: 'group_column' } });
  }
  const ndcg = ranking.find((m) => m instanceof NdcgMetric);
  if (ndcg !== undefined) ndcg.checkLabels(data.label, data.labelName, dataset);
}

function checkValidLabels(p: GbdtParams, read: TrainingData, name: string): void {
  const label = read.label;
  for (let i = 0; i < label.length; i++) {
    const y = label[i];
    const ok = p.objective === 'binary' ? y === 0 || y === 1 : p.objective === 'multiclass' ? Number.isInteger(y) && y >= 0 && y < p.num_class : Number.isFinite(y);
    if (!ok) {
      throw new LoomError('GBDT_LABEL_INVALID', { field: read.labelName, objective: p.objective, problem: `row ${i} of ${name} is ${y}` }, { details: { field: read.labelName } });
    }
  }
}

function invalidParam(param: string, value: string, problem: string): never {
  throw new LoomError('GBDT_PARAM_INVALID', { param, value, problem }, { details: { field: param } });
}
