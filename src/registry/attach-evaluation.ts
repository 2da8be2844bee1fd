import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';
import { parseEvaluationReport, parseEvaluationReportText } from './parse-evaluation-report.js';
import { evaluationFromRow, type AttachedEvaluation } from './registered-model.js';
import { recordEvent, requireVersion, type Db, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';

/** A validated evaluation report with the bytes to store and a name for messages. */
export interface EvaluationInput {
  readonly report: EvaluationReport;
  readonly bytes: Uint8Array;
  readonly source: string;
  /** The model card (Markdown) written with the report, if any. */
  readonly card?: string;
}

/** The model card file `loom eval` writes beside evaluation.json. */
export const MODEL_CARD_FILE = 'model-card.md';

/**
 * Reads and validates an evaluation.json file, with the model-card.md beside it when there is one.
 * @throws LOOM_ERR_REGISTRY_FILE_NOT_FOUND, LOOM_ERR_REGISTRY_EVALUATION_INVALID
 */
export function readEvaluationFile(path: string): EvaluationInput {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isFile()) {
    throw new LoomError('REGISTRY_FILE_NOT_FOUND', { what: 'evaluation report', path, cwd: process.cwd() }, { details: { field: 'eval' } });
  }
  const bytes = readFileSync(full);
  const cardPath = join(dirname(full), MODEL_CARD_FILE);
  const card = existsSync(cardPath) ? readFileSync(cardPath, 'utf8') : undefined;
  return { report: parseEvaluationReportText(new TextDecoder().decode(bytes), path), bytes, source: path, ...(card === undefined ? {} : { card }) };
}

/** Wraps an in-memory report (validated like a file). @throws LOOM_ERR_REGISTRY_EVALUATION_INVALID */
export function evaluationInput(report: EvaluationReport, source = 'report'): EvaluationInput {
  const checked = parseEvaluationReport(JSON.parse(JSON.stringify(report)), source);
  return { report: checked, bytes: new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`), source };
}

/** Adds an evaluation row and its history entry inside the caller's transaction. @internal */
export async function insertEvaluation(db: Db, ctx: RegistryContext, name: string, version: number, report: EvaluationReport, blob: string, cardBlob: string | null): Promise<void> {
  const now = ctx.now();
  const evaluatedAt = Date.parse(report.created_at);
  await db
    .insertInto('model_evaluations')
    .values({ model: name, version, report_blob: blob, card_blob: cardBlob, data_ref: report.data.ref, data_rows: report.data.rows, evaluated_at: evaluatedAt, attached_at: now, attached_by: ctx.principal.name })
    .execute();
  await recordEvent(db, ctx, { model: name, version, action: 'evaluation', details: { reportBlob: blob, data: report.data, metrics: Object.fromEntries(Object.entries(report.metrics).map(([k, m]) => [k, m.value])) } });
}

/**
 * Attaches an evaluation report to an existing version (append-only: a version keeps every report attached to it).
 * @throws LOOM_ERR_REGISTRY_EVALUATION_MISMATCH when the report is of another model artifact.
 * @internal Use ModelRegistry.attachEvaluation.
 */
export async function attachEvaluation(ctx: RegistryContext, name: string, version: number, input: EvaluationInput): Promise<AttachedEvaluation> {
  authorize(ctx.principal, 'evaluate', name);
  const row = await requireVersion(ctx.db, name, version);
  if (input.report.model.hash !== row.model_hash) {
    throw new LoomError('REGISTRY_EVALUATION_MISMATCH', { source: input.source, reportHash: input.report.model.hash.slice(0, 12), name, version, modelHash: row.model_hash.slice(0, 12) }, { details: { field: 'eval' } });
  }
  const { hash } = await ctx.artifacts.put(input.bytes);
  const cardBlob = input.card === undefined ? null : (await ctx.artifacts.put(new TextEncoder().encode(input.card))).hash;
  return ctx.db.transaction().execute(async (trx) => {
    await insertEvaluation(trx, ctx, name, version, input.report, hash, cardBlob);
    const last = await trx.selectFrom('model_evaluations').selectAll().where('model', '=', name).where('version', '=', version).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    return evaluationFromRow(last);
  });
}

/** Loads a stored report. @internal */
export async function loadEvaluation(ctx: RegistryContext, evaluation: AttachedEvaluation): Promise<EvaluationReport> {
  const bytes = await ctx.artifacts.get(evaluation.reportBlob);
  return parseEvaluationReportText(new TextDecoder().decode(bytes), `${evaluation.name}@${evaluation.version} evaluation #${evaluation.id}`);
}
