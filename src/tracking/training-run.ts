import type { DatasetVersion } from '../data/versions/dataset-version.js';
import type { Workspace } from '../storage/workspace.js';
import type { TrainingProgress } from '../training/model-flavor.js';
import type { ActiveRun } from './active-run.js';
import type { ParamValue } from './param-value.js';
import { startRun } from './start-run.js';

/** What `loom train --experiment` knows before training starts. @internal */
export interface TrainingRunRequest {
  readonly experiment: string;
  readonly runName?: string;
  readonly data: string;
  readonly target: string;
  readonly model?: string;
  readonly objective?: string;
  readonly valid?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly threads?: number;
}

/**
 * The tracked run behind `trainModel(ws, { experiment })`: records the request's params and seed at the start, dataset
 * versions as lineage once loaded, the per-iteration validation metric as a series (`valid_<metric>`, or
 * `train_<metric>` without a validation set, step = iteration), and at the end the resolved params, the final
 * metrics, the model directory as artifacts under `model/` and the model id as a tag. A failure ends the run
 * `failed` with the error code. @internal
 */
export class TrainingRun {
  readonly #run: ActiveRun;
  readonly #hasValid: boolean;

  private constructor(run: ActiveRun, hasValid: boolean) {
    this.#run = run;
    this.#hasValid = hasValid;
  }

  static async start(ws: Workspace, request: TrainingRunRequest): Promise<TrainingRun> {
    const params: Record<string, ParamValue> = { model: request.model ?? 'gbdt', target: request.target };
    if (request.objective !== undefined) params.objective = request.objective;
    for (const [key, value] of Object.entries(request.params ?? {})) params[key] = value as ParamValue;
    const run = await startRun(ws, {
      experiment: request.experiment,
      ...(request.runName === undefined ? {} : { name: request.runName }),
      params,
      tags: { 'loom.source': 'loom train', 'loom.data': request.data, ...(request.valid === undefined ? {} : { 'loom.valid': request.valid }), ...(request.threads === undefined ? {} : { 'loom.threads': request.threads }) },
      seed: request.seed,
    });
    return new TrainingRun(run, request.valid !== undefined);
  }

  get id(): string {
    return this.#run.id;
  }

  /** Records the dataset versions the training read. */
  async datasets(train: DatasetVersion, valid: DatasetVersion | null): Promise<void> {
    await this.#run.logDatasets([{ role: 'train', dataset: train.dataset, version: train.id }, ...(valid ? [{ role: 'valid', dataset: valid.dataset, version: valid.id }] : [])]);
  }

  /** Buffers the iteration's metric (training is synchronous, so the points are flushed when it returns). */
  progress(p: TrainingProgress): void {
    if (p.metric !== undefined) this.#run.logMetric(`${this.#hasValid ? 'valid' : 'train'}_${p.metric.name}`, p.metric.value, p.iteration);
  }

  /** Logs the outcome and ends the run `finished`. */
  async finish(result: { readonly modelDir: string; readonly modelId: string; readonly flavor: string; readonly task: string; readonly params: Readonly<Record<string, unknown>>; readonly metrics: Readonly<Record<string, number>> }): Promise<void> {
    try {
      // The request's params were logged at the start; add the learner's resolved values for the rest.
      const resolved: Record<string, ParamValue> = {};
      for (const [key, value] of Object.entries(result.params)) {
        // A huge value (a long list, say) stays in the model manifest rather than failing the run.
        if (!this.#run.params.has(key) && JSON.stringify(value).length <= 8000) resolved[key] = value as ParamValue;
      }
      await this.#run.logParams(resolved);
      this.#run.logMetrics(Object.fromEntries(Object.entries(result.metrics).filter(([, v]) => typeof v === 'number')), 0);
      await this.#run.logArtifactDir(result.modelDir, 'model');
      await this.#run.setTags({ 'loom.model_id': result.modelId, 'loom.model_dir': result.modelDir, 'loom.flavor': result.flavor, 'loom.task': result.task });
      await this.#run.end('finished');
    } catch (err) {
      await this.fail(err);
      throw err;
    }
  }

  /** Ends the run `failed`, keeping what it logged. Never throws over the original error. */
  async fail(error: unknown): Promise<void> {
    await this.#run.fail(error).catch(() => undefined);
  }
}
