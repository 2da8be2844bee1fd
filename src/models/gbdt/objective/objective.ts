import type { GbdtMetricName, GbdtObjectiveName } from '../params/gbdt-param-table.js';
import type { TrainingBuffers } from './gradient-kernel.js';

/**
 * A training loss: gradients and hessians of the raw score, the starting score, and how raw scores become outputs.
 * Objectives never see trees; the tree learner never sees labels.
 *
 * Raw scores during training are class-major: row `i` of class `k` is at `k * numRows + i`.
 */
export interface Objective {
  readonly name: GbdtObjectiveName;
  /** Trees per boosting iteration: num_class for multiclass, otherwise 1. */
  readonly numTreesPerIteration: number;
  /** The metric evaluated when the `metric` param is empty. */
  readonly defaultMetric: GbdtMetricName;
  /** True for objectives whose leaf values are refit to a percentile of the residuals (L1, quantile). */
  readonly renewsLeafOutput: boolean;
  /**
   * Binds the training labels and optional weights (both one per row) and checks them. Ranking objectives also take
   * the query boundaries (query q is rows `b[q] .. b[q+1]`); the others ignore them.
   * @throws LOOM_ERR_GBDT_LABEL_INVALID; LOOM_ERR_GBDT_GROUP_MISSING for a ranking objective without query boundaries
   */
  init(label: Float64Array, weight: Float64Array | null, labelName: string, queryBoundaries?: Int32Array | null): void;
  /**
   * Optional: zeroed training score, gradient and hessian arrays of `length` entries (numTreesPerIteration × rows)
   * that the objective computes on fastest, after init(); null (or absent) when ordinary arrays are as good. With
   * `shared`, they live in a shared memory that worker threads can compute parts of the pass in (TrainingBuffers).
   */
  trainingBuffers?(length: number, shared?: boolean): TrainingBuffers | null;
  /** Writes gradients and hessians at `score` into the caller-owned `grad`/`hess` (same layout as score). */
  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** The constant raw score to start class `classId` from (boost_from_average). */
  boostFromScore(classId: number): number;
  /** False when class `classId` has nothing to learn (e.g. a single class); its trees stay constant. */
  classNeedsTraining(classId: number): boolean;
  /**
   * Converts one row's raw scores to outputs (probability, mean). The row's `k`-th raw score is
   * `raw[rawOffset + k * rawStride]` and its output goes to `out[outOffset + k * outStride]`. Allocates nothing.
   */
  convertOutput(raw: Float64Array, rawOffset: number, rawStride: number, out: Float64Array, outOffset: number, outStride: number): void;
  /**
   * The refit value of a leaf from the residuals (label − score) of its rows, `residuals[0 .. count)`, with their
   * weights (or null). May reorder `residuals` and `weights`. Only called when renewsLeafOutput.
   */
  renewLeafOutput(residuals: Float64Array, weights: Float64Array | null, count: number): number;
}
