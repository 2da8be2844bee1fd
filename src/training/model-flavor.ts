import type { Frame } from '../core/frame/frame.js';
import type { LoadedModelArtifact } from '../models/artifact/index.js';
import type { JsonValue, OutputSignature } from '../models/artifact/index.js';
import type { ModelTask } from './model-task.js';

/** What a flavor reports while it trains (GBDT: every iteration; one-shot learners: once at the end). */
export interface TrainingProgress {
  readonly iteration: number;
  readonly totalIterations: number;
  /** The validation metric, when there is a validation set. */
  readonly metric?: { readonly name: string; readonly value: number };
}

/** What trainModel hands a flavor. The frame's target column is tagged `target`. */
export interface FlavorTrainRequest {
  readonly train: Frame;
  readonly valid: Frame | null;
  readonly target: string;
  readonly task: ModelTask;
  /** Class names in output order (classification), from the training target. */
  readonly classes: readonly string[] | null;
  /** Learner parameters by the flavor's names (LightGBM names for gbdt). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly threads: number;
  readonly onProgress?: (progress: TrainingProgress) => void;
}

/**
 * Scores frames. Output is row-major `rows × outputs`: one value per row for regression and binary (the
 * probability of `classes[1]`), one probability per class for multiclass, the raw score for ranking.
 */
export interface Predictor {
  readonly outputs: number;
  predict(frame: Frame): Float64Array;
  /**
   * Per-feature contributions to each output's raw score (log-odds for classifiers), for flavors that can explain:
   * row-major `rows × names.length`, the names being `<output>:<feature>` and `<output>:bias`. Each output's block
   * sums to its raw score.
   */
  explain?(frame: Frame): { readonly names: readonly string[]; readonly values: Float64Array };
}

/** A model fresh from training, ready to be saved. */
export interface TrainedFlavorModel {
  /** The resolved parameters, as saved in the manifest. */
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly preprocessing: JsonValue;
  /** The flavor's files (state, weights), saved beside the manifest. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /**
   * Class names in the model's output order, when the learner decided it (for example from a category target's
   * dictionary); null or omitted to keep the order trainModel inferred (sorted).
   */
  readonly classes?: readonly string[] | null;
  readonly predictor: Predictor;
  /** Ranking: the query id column, so held-out metrics are computed per query. */
  readonly groupColumn?: string | null;
}

/**
 * A learner family as the training CLI, the model artifact and serving see it: it trains from frames, turns the
 * result into data-only files, and turns those files back into a Predictor. Registered in FLAVORS by name.
 */
export interface ModelFlavor {
  readonly name: string;
  readonly description: string;
  train(request: FlavorTrainRequest): TrainedFlavorModel;
  load(artifact: LoadedModelArtifact): Predictor;
}

/** The output signature for a task and its classes. */
export function outputSignature(task: ModelTask, classes: readonly string[] | null): OutputSignature {
  if (task === 'multiclass') return { task, outputs: classes!.map((c) => ({ name: `p_${c}`, type: 'float' as const })), classes: [...classes!] };
  if (task === 'binary') return { task, outputs: [{ name: `p_${classes![1]}`, type: 'float' }], classes: [...classes!] };
  if (task === 'ranking') return { task, outputs: [{ name: 'score', type: 'float' }] };
  return { task, outputs: [{ name: 'prediction', type: 'float' }] };
}
