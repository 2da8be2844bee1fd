import { join, resolve } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import type { Frame } from '../core/frame/frame.js';
import type { Progress } from '../cli/progress.js';
import { loadDatasetFrame } from '../data/versions/load-dataset-frame.js';
import type { DatasetVersion } from '../data/versions/dataset-version.js';
import { currentGitSha, loomVersion, saveModelArtifact, type JsonValue, type ModelManifest } from '../models/artifact/index.js';
import type { Workspace } from '../storage/workspace.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { findFlavor } from './flavors/flavor-registry.js';
import { inputSignatureOf } from './input-signature.js';
import { outputSignature, type TrainingProgress } from './model-flavor.js';
import { inferTask, type ModelTask } from './model-task.js';
import { TrainingRun } from '../tracking/training-run.js';

/** What to train. Dataset references are `name` or `name@version`. */
export interface TrainModelRequest {
  readonly data: string;
  readonly target: string;
  /** Model flavor (default `gbdt`); see FLAVORS. */
  readonly model?: string;
  /** Objective, e.g. `binary`, `multiclass`, `regression`, `huber`; inferred from the target when omitted. */
  readonly objective?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly valid?: string;
  readonly seed?: number;
  readonly threads?: number;
  /** Model directory (default `<workspace>/models/<dataset>-<flavor>-<UTC time>`). */
  readonly out?: string;
  readonly overwrite?: boolean;
  /** Record the training as a run in this experiment (params, per-iteration metric, final metrics, model, lineage). */
  readonly experiment?: string;
  /** Name of that run (default `<experiment>-<n>`). */
  readonly runName?: string;
}

/** What trainModel returns. `metrics` are measured on the validation set, or on the training set without one. */
export interface TrainModelResult {
  readonly modelDir: string;
  readonly modelId: string;
  readonly flavor: string;
  readonly task: ModelTask;
  readonly metrics: Readonly<Record<string, number>>;
  readonly metricsOn: 'valid' | 'train';
  readonly manifest: ModelManifest;
  /** The tracked run's id, when `experiment` was given. */
  readonly runId?: string;
}

/**
 * Trains a model on a dataset version and saves it as a model artifact: loads the rows, infers the task from the
 * target, fits the flavor (with its preprocessing), measures metrics, and writes the manifest with signatures,
 * params, metrics, the training profile and lineage.
 *
 * @throws LOOM_ERR_DATA_DATASET_NOT_FOUND, LOOM_ERR_FRAME_COLUMN_NOT_FOUND (target), LOOM_ERR_MODEL_TARGET_INVALID,
 *   LOOM_ERR_TRAINING_INVALID_OPTION, the flavor's parameter and data errors, LOOM_ERR_ARTIFACT_MODEL_EXISTS
 * @example
 * const result = await trainModel(ws, { data: 'adult-train', target: 'income', model: 'linear', valid: 'adult-test' });
 * console.log(result.metrics.auc, result.modelDir);
 */
export async function trainModel(ws: Workspace, request: TrainModelRequest, progress?: Progress): Promise<TrainModelResult> {
  const tracker = request.experiment === undefined ? null : await TrainingRun.start(ws, { ...request, experiment: request.experiment, seed: request.seed ?? ws.config.seed });
  try {
    return await trainAndSave(ws, request, progress, tracker);
  } catch (err) {
    await tracker?.fail(err);
    throw err;
  }
}

/** trainModel's work; `tracker` records it as a run when an experiment was named. */
async function trainAndSave(ws: Workspace, request: TrainModelRequest, progress: Progress | undefined, tracker: TrainingRun | null): Promise<TrainModelResult> {
  const flavor = findFlavor(request.model ?? 'gbdt');
  const seed = request.seed ?? ws.config.seed;
  const threads = request.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new LoomError('TRAINING_INVALID_OPTION', { field: 'threads', problem: 'use an integer ≥ 1' }, { details: { field: 'threads' } });
  const trainSet = await loadDatasetFrame(ws, request.data);
  const train = withTarget(trainSet.frame, request.target);
  const info = inferTask(train.column(request.target), request.objective);
  const validSet = request.valid === undefined ? null : await loadDatasetFrame(ws, request.valid);
  const valid = validSet === null ? null : withTarget(validSet.frame, request.target);
  await tracker?.datasets(trainSet.version, validSet?.version ?? null);

  let started = false;
  const onProgress = (p: TrainingProgress): void => {
    if (!started) progress?.start(p.totalIterations, `train ${flavor.name}`);
    started = true;
    progress?.update(p.iteration);
    tracker?.progress(p);
  };
  let trained;
  try {
    trained = flavor.train({ train, valid, target: request.target, task: info.task, classes: info.classes, params: { ...(request.objective ? { objective: request.objective } : {}), ...request.params }, seed, threads, onProgress });
  } finally {
    if (started) progress?.stop();
  }
  const task = { task: info.task, classes: trained.classes ?? info.classes };
  const evalFrame = valid ?? train;
  const groups = trained.groupColumn ? evalFrame.column(trained.groupColumn) : null;
  const metrics = evaluatePredictions(task, evalFrame.column(request.target), trained.predictor.predict(evalFrame), groups);
  const datasets = [lineageEntry('train', trainSet.version), ...(validSet ? [lineageEntry('valid', validSet.version)] : [])];
  const out = resolve(request.out ?? join(ws.config.home, 'models', `${trainSet.version.dataset}-${flavor.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`));
  const { id, manifest } = await saveModelArtifact(
    out,
    {
      manifest: {
        flavor: flavor.name,
        inputSignature: inputSignatureOf(train, request.target),
        outputSignature: outputSignature(task.task, task.classes),
        preprocessing: trained.preprocessing,
        params: trained.params,
        metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v))),
        referenceProfile: JSON.parse(JSON.stringify(trainSet.version.profile)) as JsonValue,
        lineage: { datasets, gitSha: currentGitSha(), seed, createdAt: new Date().toISOString(), loomVersion: loomVersion() },
      },
      files: trained.files,
    },
    { overwrite: request.overwrite },
  );
  await tracker?.finish({ modelDir: out, modelId: id, flavor: flavor.name, task: info.task, params: trained.params, metrics });
  return { modelDir: out, modelId: id, flavor: flavor.name, task: info.task, metrics, metricsOn: valid ? 'valid' : 'train', manifest, ...(tracker ? { runId: tracker.id } : {}) };
}

/**
 * Tags `target` as the target and untags any other column a dataset tagged as its target, which becomes an ordinary
 * feature: every learner, the input signature and prediction then agree on what the features are.
 */
function withTarget(frame: Frame, target: string): Frame {
  let tagged = frame.withTags(target, [...new Set([...frame.column(target).tags, 'target' as const])]);
  for (const name of frame.names) {
    if (name !== target && frame.column(name).tags.includes('target')) tagged = tagged.withTags(name, frame.column(name).tags.filter((t) => t !== 'target'));
  }
  return tagged;
}

function lineageEntry(role: string, version: DatasetVersion): { role: string; name: string; version: string } {
  return { role, name: version.dataset, version: version.id };
}
