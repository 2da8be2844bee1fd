import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Progress } from '../cli/progress.js';
import { isLoomError, LoomError } from '../core/errors/index.js';
import { categoryColumn } from '../core/frame/column-builders.js';
import type { Frame } from '../core/frame/frame.js';
import { isValid } from '../core/frame/validity.js';
import type { Schema } from '../core/schema/index.js';
import { readTableFile } from '../data/ingest/read-table-file.js';
import { loadDatasetFrame } from '../data/versions/load-dataset-frame.js';
import type { Workspace } from '../storage/workspace.js';
import { loadModel, type LoadedModel } from '../training/load-model.js';
import type { BehaviouralTest } from './behavioural/behavioural-test.js';
import { runBehaviouralTests } from './behavioural/run-behavioural-tests.js';
import { modelCard, renderModelCardMarkdown, type ModelCard } from './card/model-card.js';
import { reliabilitySvg } from './card/reliability-svg.js';
import { evaluateOutputs, type EvaluateOptions } from './evaluate-outputs.js';
import type { EvaluationReport } from './evaluation-report.js';
import { resolveModelRef } from './resolve-model-ref.js';

/** What evaluateModel evaluates and where it writes. */
export interface EvaluateModelRequest extends EvaluateOptions {
  /** A model directory (see resolveModelRef). */
  readonly model: string;
  /** A dataset reference `name[@version]`, or a CSV/Parquet/JSONL file. */
  readonly data: string;
  readonly behavioural?: readonly BehaviouralTest[];
  readonly intendedUse?: string;
  readonly limitations?: readonly string[];
  /**
   * Output directory. Default for a model directory: `<its parent>/evaluation/<its name>/<dataset>@<version 12>`, a
   * sibling (the model directory stays untouched, because its files are hash-verified); for a registry reference:
   * `<workspace>/evaluation/<name>/v<version>/<dataset>@<version 12>`.
   */
  readonly out?: string;
}

/** What evaluateModel wrote. */
export interface EvaluateModelResult {
  readonly report: EvaluationReport;
  readonly card: ModelCard;
  readonly outDir: string;
  readonly files: readonly string[];
}

const STAGES = ['predict', 'metrics', 'slices', 'calibration', 'fairness', 'costs', 'behavioural', 'write'];

/**
 * Evaluates a saved model on a dataset version (or file) and writes `evaluation.json` (the EvaluationReport),
 * `model-card.md`, `model-card.json` and, for a binary classifier, `reliability.svg`.
 *
 * @throws LOOM_ERR_EVAL_MODEL_NOT_FOUND, the dataset and artifact errors of loading, LOOM_ERR_TRAINING_INPUT_MISMATCH,
 *   and the errors of evaluateOutputs and runBehaviouralTests
 * @example
 * const { report } = await evaluateModel(ws, { model: 'models/churn', data: 'churn-test', sensitive: ['region'], costMatrix: '0,1,10,0' });
 * console.log(report.metrics.auc);
 */
export async function evaluateModel(ws: Workspace, request: EvaluateModelRequest, progress?: Progress): Promise<EvaluateModelResult> {
  const ref = await resolveModelRef(ws, request.model);
  const model = await loadModel(ref.dir);
  const { frame, dataRef, slug } = await loadData(ws, request.data, request.target);
  progress?.start(STAGES.length, 'evaluate');
  let step = 0;
  const advance = (): void => progress?.update(++step);
  let report: EvaluationReport;
  try {
    report = evaluateLoadedModel(model, frame, request, { ref: dataRef, identity: { hash: model.artifact.id, ...(ref.name ? { name: ref.name } : {}), ...(ref.version !== undefined ? { version: ref.version } : {}) } }, advance);
    const defaultDir = ref.name !== undefined ? join(ws.config.home, 'evaluation', ref.name, `v${ref.version}`, slug) : join(dirname(ref.dir), 'evaluation', basename(ref.dir), slug);
    const outDir = resolve(request.out ?? defaultDir);
    mkdirSync(outDir, { recursive: true });
    const card = modelCard(report, model.artifact.manifest);
    const files: string[] = [];
    const write = (name: string, text: string): void => {
      writeFileSync(join(outDir, name), text);
      files.push(join(outDir, name));
    };
    write('evaluation.json', `${JSON.stringify(report, null, 2)}\n`);
    if (report.calibration) write('reliability.svg', reliabilitySvg(report.calibration, `Reliability on ${dataRef}`));
    write('model-card.json', `${JSON.stringify(card, null, 2)}\n`);
    write('model-card.md', renderModelCardMarkdown(card, report.calibration ? 'reliability.svg' : null));
    advance();
    return { report, card, outDir, files };
  } finally {
    progress?.stop();
  }
}

/**
 * Evaluates a loaded model on a frame in memory: predicts, runs evaluateOutputs and the behavioural tests, and
 * stamps the report with the model and data identity. No IO.
 */
export function evaluateLoadedModel(
  model: LoadedModel,
  frame: Frame,
  request: EvaluateOptions & { readonly behavioural?: readonly BehaviouralTest[]; readonly intendedUse?: string; readonly limitations?: readonly string[] },
  context: { readonly ref: string; readonly identity?: EvaluationReport['model'] },
  onStage: () => void = () => {},
): EvaluationReport {
  const manifest = model.artifact.manifest;
  if (frame.length === 0) throw new LoomError('EVAL_EMPTY_DATA', { problem: `${context.ref} has no rows` }, { details: { field: 'data' } });
  frame = categoriesAsTrained(frame, manifest.inputSignature);
  const outputs = model.predict(frame);
  onStage();
  const { rows, ...body } = evaluateOutputs(frame, { task: manifest.outputSignature.task, classes: manifest.outputSignature.classes ?? null, outputs, k: model.outputs }, request, onStage);
  const behavioural = request.behavioural && request.behavioural.length > 0 ? runBehaviouralTests(model, frame, request.behavioural, { seed: body.bootstrap?.seed, threshold: body.threshold }) : undefined;
  onStage();
  return {
    format: 'loom.evaluation/1',
    model: context.identity ?? { hash: model.artifact.id },
    data: { ref: context.ref, rows },
    ...body,
    ...(behavioural ? { behavioural } : {}),
    ...(request.intendedUse !== undefined ? { intended_use: request.intendedUse } : {}),
    ...(request.limitations && request.limitations.length > 0 ? { limitations: request.limitations } : {}),
    created_at: new Date().toISOString(),
  };
}

/**
 * A small file's text columns are read as `string` (too few rows to call them categories), while the model was
 * trained on categories; re-encode those columns as categories so the same rows score the same whatever the source.
 */
function categoriesAsTrained(frame: Frame, signature: Schema): Frame {
  let out = frame;
  for (const spec of signature.columns) {
    if (spec.type !== 'category' || !frame.has(spec.name)) continue;
    const column = frame.column(spec.name);
    if (column.type !== 'string') continue;
    const values = Array.from({ length: column.length }, (_, i) => (isValid(column.validity, i) ? column.values[i] : null));
    out = out.withColumn(categoryColumn(column.name, values, column.tags));
  }
  return out;
}

async function loadData(ws: Workspace, data: string, target: string | undefined): Promise<{ frame: Frame; dataRef: string; slug: string }> {
  if (existsSync(resolve(data))) {
    // Tagging the target makes the read normalize it as ingest does (e.g. Adult's trailing dots on test labels).
    const frame = await readTableFile(resolve(data), { tempDirectory: join(ws.config.home, 'tmp', 'duckdb'), ...(target ? { tags: `${target}=target` } : {}) }).catch((err: unknown) => {
      if (isLoomError(err) && err.code === 'LOOM_ERR_DATA_EMPTY') throw new LoomError('EVAL_EMPTY_DATA', { problem: `${data} has no data rows` }, { cause: err, details: { field: 'data' } });
      throw err;
    });
    return { frame, dataRef: resolve(data), slug: basename(data).replace(/[^A-Za-z0-9._-]+/g, '_') };
  }
  const { version, frame } = await loadDatasetFrame(ws, data);
  return { frame, dataRef: `${version.dataset}@${version.id}`, slug: `${version.dataset}@${version.id.slice(0, 12)}` };
}
