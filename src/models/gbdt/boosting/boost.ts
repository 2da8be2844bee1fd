import { availableParallelism } from 'node:os';
import type { BinnedDataset } from '../binning/binned-dataset.js';
import type { Metric } from '../metric/metric.js';
import type { Objective } from '../objective/objective.js';
import type { TrainingBuffers } from '../objective/gradient-kernel.js';
import type { GbdtParams } from '../params/gbdt-param-table.js';
import { Bagging } from '../sampling/bagging.js';
import { DataPartition } from '../tree/data-partition.js';
import { FeatureSampler } from '../sampling/feature-sampler.js';
import { Goss } from '../sampling/goss.js';
import type { RowSample } from '../sampling/row-sample.js';
import { splitRulesFrom } from '../tree/split-rules.js';
import { Tree } from '../tree/tree.js';
import { threadsFor } from '../histogram/histogram-threads.js';
import { TreeLearner } from '../tree/tree-learner.js';
import { EarlyStopping } from './early-stopping.js';
import { recordEvaluations, type EvalLog, type Evaluation, type IterationEvent } from './eval-log.js';
import { renewLeaves } from './renew-leaves.js';
import { addConstant, addTreeBinned, addTreeByPartition, rowLeavesBuffer } from './score-updater.js';

/** LightGBM's kEpsilon (a float 1e-15): smaller initial scores are not applied. */
const EPSILON = Math.fround(1e-15);

/**
 * A dataset the loop scores: binned features, labels, optional weights, optional init score (class-major) and, for
 * ranking, optional query boundaries (query q is rows `b[q] .. b[q+1]`).
 */
export interface BoostDataset {
  readonly name: string;
  readonly data: BinnedDataset;
  readonly label: Float64Array;
  readonly weight: Float64Array | null;
  readonly initScore: Float64Array | null;
  readonly queries?: Int32Array | null;
}

/** Everything the training loop needs; the objective must already be initialised with the training labels. */
export interface BoostInput {
  readonly params: GbdtParams;
  readonly train: BoostDataset;
  readonly valid: readonly BoostDataset[];
  readonly objective: Objective;
  readonly metrics: readonly Metric[];
  /** Per feature: -1, 0 or 1. */
  readonly monotone: Int8Array;
  /** Returning `'stop'` ends training after this iteration (the model keeps the iterations grown so far). */
  readonly onIteration?: (event: IterationEvent) => unknown;
}

/** The trees grown (num_iterations × trees per iteration, or fewer), the best iteration and the evaluation log. */
export interface BoostResult {
  /** Tree `iteration * numTreesPerIteration + class`; the initial scores are folded into the first iteration's trees. */
  readonly trees: Tree[];
  /** 1-based iteration the model ends at: the early-stopping best, or the last one trained. */
  readonly bestIteration: number;
  readonly evalLog: EvalLog;
}

/**
 * The boosting loop: start from the objective's average (boost_from_average) or the given init score, then each
 * iteration compute gradients, sample rows (bagging or GOSS) and features, grow one tree per class, refit leaves
 * for L1/quantile, shrink by learning_rate, update every dataset's scores, evaluate metrics, and stop early when a
 * validation metric has not improved for early_stopping_round iterations.
 */
export function boost(input: BoostInput): BoostResult {
  const p = input.params;
  // num_threads 0 (LightGBM's default) uses every core; the trees are the same for any value.
  const numThreads = threadsFor(p.num_threads === 0 ? availableParallelism() : p.num_threads, input.train.data.numRows);
  // Shared when there may be worker threads, which then also compute parts of each gradient pass.
  const buffers = input.objective.trainingBuffers?.(input.train.data.numRows * input.objective.numTreesPerIteration, numThreads > 1) ?? null;
  const learner = new TreeLearner(input.train.data, splitRulesFrom(p), { numLeaves: p.num_leaves, maxDepth: p.max_depth, monotone: input.monotone, monotonePenalty: p.monotone_penalty, numThreads, gradientMemory: buffers?.shared ?? null });
  buffers?.useThreads?.(learner.rowSplitter);
  try {
    return boostWith(input, learner, buffers);
  } finally {
    buffers?.useThreads?.(null);
    learner.close();
  }
}

function boostWith(input: BoostInput, learner: TreeLearner, buffers: TrainingBuffers | null): BoostResult {
  const { params: p, train, objective } = input;
  const n = train.data.numRows;
  const numTrees = objective.numTreesPerIteration;
  const trainScore = buffers?.score ?? new Float64Array(n * numTrees);
  if (train.initScore !== null) trainScore.set(train.initScore);
  const validScores = input.valid.map((v) => {
    const score = new Float64Array(v.data.numRows * numTrees);
    if (v.initScore !== null) score.set(v.initScore);
    return score;
  });
  const grad = buffers?.grad ?? new Float64Array(n * numTrees);
  const hess = buffers?.hess ?? new Float64Array(n * numTrees);
  const bagging = new Bagging(n, p.bagging_fraction, p.bagging_freq, p.bagging_seed);
  const goss = p.data_sample_strategy === 'goss' ? new Goss(n, p.top_rate, p.other_rate, p.learning_rate, p.bagging_seed) : null;
  const features = new FeatureSampler(train.data.usedFeatures, train.data.numFeatures, p.feature_fraction, p.feature_fraction_bynode, p.feature_fraction_seed);
  const stopping = p.early_stopping_round > 0 && input.valid.length > 0 ? new EarlyStopping(p.early_stopping_round, p.early_stopping_min_delta, p.first_metric_only) : null;
  const residuals = objective.renewsLeafOutput ? new Float64Array(n) : null;
  // Each training row's leaf in the last tree, for the row-ordered score update (score-updater.ts).
  const rowLeaves = rowLeavesBuffer(n, p.num_leaves);
  const residualWeights = objective.renewsLeafOutput && train.weight !== null ? new Float64Array(n) : new Float64Array(0);
  const evaluator = new Evaluator(input, trainScore, validScores);
  // Partitions on which the out-of-bag rows and each validation set are sent down every new tree (addTreeBinned).
  const outOfBag = goss !== null || (p.bagging_freq > 0 && p.bagging_fraction < 1) ? new DataPartition(n, p.num_leaves) : null;
  const validPartitions = input.valid.map((v) => new DataPartition(v.data.numRows, p.num_leaves));
  const evalLog: EvalLog = { iterations: [], values: {} };
  const higherIsBetter = new Map(input.metrics.map((m) => [m.name as string, m.higherIsBetter]));
  const initScores = new Float64Array(numTrees);
  const trees: Tree[] = [];
  let bestIteration = 0;

  const startedAt = performance.now();
  for (let iter = 0; iter < p.num_iterations; iter++) {
    if (iter === 0 && train.initScore === null && p.boost_from_average) {
      for (let k = 0; k < numTrees; k++) {
        const init = objective.boostFromScore(k);
        if (Math.abs(init) > EPSILON) applyInit(init, k);
      }
    }
    objective.gradients(trainScore, grad, hess);
    const sample: RowSample = goss !== null ? goss.sample(iter, grad, hess, numTrees) : bagging.sample(iter);
    const treeMask = features.sampleTree();
    let grew = false;
    for (let k = 0; k < numTrees; k++) {
      const offset = k * n;
      let tree: Tree | null = null;
      if (objective.classNeedsTraining(k)) {
        tree = learner.train(grad.subarray(offset, offset + n), hess.subarray(offset, offset + n), sample.active ? sample.indices : null, sample.bagCount, treeMask, features.samplesNodes ? features : null);
      }
      if (tree !== null && tree.numLeaves > 1) {
        grew = true;
        if (residuals !== null) renewLeaves(tree, learner.partition, objective, train.label, train.weight, trainScore, offset, residuals, residualWeights);
        tree.shrink(p.learning_rate);
        addTreeByPartition(tree, learner.partition, trainScore, offset, rowLeaves, n);
        if (sample.active) addTreeBinned(tree, train.data, sample.indices.subarray(sample.bagCount), n - sample.bagCount, trainScore, offset, outOfBag!);
        input.valid.forEach((v, j) => addTreeBinned(tree!, v.data, null, v.data.numRows, validScores[j], v.data.numRows * k, validPartitions[j]));
        if (iter === 0 && Math.abs(initScores[k]) > EPSILON) tree.addBias(initScores[k]);
      } else {
        tree = new Tree(1);
        if (iter === 0) {
          if (train.initScore === null && !p.boost_from_average) applyInit(objective.boostFromScore(k), k);
          tree.leafValue[0] = initScores[k];
        }
        tree.leafCount[0] = n;
      }
      trees.push(tree);
    }
    if (!grew) {
      if (trees.length > numTrees) trees.length -= numTrees;
      bestIteration = trees.length / numTrees;
      break;
    }
    bestIteration = iter + 1;
    const evaluate = stopping !== null || (iter + 1) % p.metric_freq === 0 || iter + 1 === p.num_iterations;
    const evaluations = evaluate ? evaluator.evaluate() : [];
    recordEvaluations(evalLog, iter + 1, evaluations);
    if (input.onIteration?.({ iteration: iter + 1, totalIterations: p.num_iterations, evaluations, seconds: (performance.now() - startedAt) / 1000 }) === 'stop') break;
    const stopAt = stopping === null ? 0 : stopping.update(iter + 1, evaluations, (m) => higherIsBetter.get(m) ?? false);
    if (stopAt > 0) {
      trees.length = stopAt * numTrees;
      bestIteration = stopAt;
      break;
    }
  }
  return { trees, bestIteration, evalLog };

  function applyInit(init: number, k: number): void {
    initScores[k] = init;
    addConstant(trainScore, k * n, n, init);
    input.valid.forEach((v, j) => addConstant(validScores[j], k * v.data.numRows, v.data.numRows, init));
  }
}

/** Converts raw scores to outputs and evaluates every metric on the validation sets (and training, if asked). */
class Evaluator {
  readonly #input: BoostInput;
  readonly #sets: { name: string; score: Float64Array; out: Float64Array; label: Float64Array; weight: Float64Array | null; queries: Int32Array | null }[] = [];

  constructor(input: BoostInput, trainScore: Float64Array, validScores: readonly Float64Array[]) {
    this.#input = input;
    if (input.metrics.length === 0) return;
    const { train } = input;
    if (input.params.is_provide_training_metric) {
      this.#sets.push({ name: 'training', score: trainScore, out: new Float64Array(trainScore.length), label: train.label, weight: train.weight, queries: train.queries ?? null });
    }
    input.valid.forEach((v, j) => this.#sets.push({ name: v.name, score: validScores[j], out: new Float64Array(validScores[j].length), label: v.label, weight: v.weight, queries: v.queries ?? null }));
  }

  evaluate(): Evaluation[] {
    const objective = this.#input.objective;
    const results: Evaluation[] = [];
    for (const set of this.#sets) {
      const rows = set.label.length;
      for (let i = 0; i < rows; i++) objective.convertOutput(set.score, i, rows, set.out, i, rows);
      for (const metric of this.#input.metrics) results.push({ dataset: set.name, metric: metric.name, value: metric.evaluate(set.out, set.label, set.weight, set.queries) });
    }
    return results;
  }
}
