import { LoomError } from '../core/errors/index.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';
import { evaluateGate, gateUsesChampion, type GateResult } from '../evaluation/gates/evaluate-gate.js';
import type { Gate } from '../evaluation/gates/gate-rule.js';
import { loadEvaluation, type EvaluationInput } from './attach-evaluation.js';
import { checkAliasName } from './model-ref.js';
import { evaluationFromRow } from './registered-model.js';
import { recordEvent, requireAlias, requireModel, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';
import { compareAndSetAlias, type AliasMove } from './move-alias.js';

/** What to promote. */
export interface PromoteRequest {
  readonly name: string;
  /** The alias whose version is promoted (default `challenger`). */
  readonly from?: string;
  /** The alias that moves (default `champion`). */
  readonly to?: string;
  /** A parsed gate; without one the move is unconditional (and still audited). */
  readonly gate?: Gate;
  /** Skip a failing gate. Needs `reason` and the admin role; recorded in the history. */
  readonly force?: boolean;
  readonly reason?: string;
  /** Reports to use instead of the attached ones (each must be of its version's artifact). */
  readonly challengerEvaluation?: EvaluationInput;
  readonly championEvaluation?: EvaluationInput;
}

/**
 * A promotion decided but not yet written: the versions and alias revisions it was decided on, and the gate verdict.
 * Committing compare-and-sets both aliases against these revisions.
 */
export interface PromotionPlan {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly version: number;
  readonly fromRevision: number;
  /** The target alias as it was read: null when unset. */
  readonly current: { readonly version: number; readonly revision: number } | null;
  readonly gate: GateResult | null;
  readonly forced: boolean;
  readonly reason: string | null;
}

/** The result of a promotion. `changed` is false when the target alias already held the version. */
export interface PromotionResult extends AliasMove {
  readonly gate: GateResult | null;
  readonly forced: boolean;
}

/**
 * Reads both aliases, applies the gate, and returns the plan to commit.
 *
 * @throws LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND (the `from` alias), LOOM_ERR_REGISTRY_EVALUATION_MISSING,
 *   LOOM_ERR_REGISTRY_EVALUATION_MISMATCH, LOOM_ERR_GATE_DATA_MISMATCH, LOOM_ERR_GATE_FAILED (unless forced),
 *   LOOM_ERR_REGISTRY_FORCE_REASON_REQUIRED, LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.planPromotion.
 */
export async function planPromotion(ctx: RegistryContext, request: PromoteRequest): Promise<PromotionPlan> {
  const { name } = request;
  const from = checkAliasName(request.from ?? 'challenger');
  const to = checkAliasName(request.to ?? 'champion');
  if (from === to) throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'to', problem: '--from and --to name the same alias' }, { details: { field: 'to' } });
  authorize(ctx.principal, 'promote', name);
  const reason = request.reason?.trim() || null;
  if (request.force === true && reason === null) throw new LoomError('REGISTRY_FORCE_REASON_REQUIRED', {}, { details: { field: 'reason' } });
  await requireModel(ctx.db, name);
  const source = await requireAlias(ctx.db, name, from);
  const version = Number(source.version);
  const target = await ctx.db.selectFrom('model_aliases').selectAll().where('model', '=', name).where('alias', '=', to).executeTakeFirst();
  const current = target === undefined ? null : { version: Number(target.version), revision: Number(target.revision) };

  let gate: GateResult | null = null;
  if (request.gate !== undefined && current?.version !== version) {
    const challenger = await reportFor(ctx, name, version, 'challenger', request.challengerEvaluation, null);
    const needsChampion = current !== null && gateUsesChampion(request.gate);
    const champion = needsChampion ? await reportFor(ctx, name, current.version, 'champion', request.championEvaluation, challenger) : null;
    gate = evaluateGate(request.gate, { challenger, champion });
    // Overriding a failed gate is the admin's call; --force on a gate that passes needs nothing more.
    if (!gate.passed && request.force === true) authorize(ctx.principal, 'force', name);
    if (!gate.passed && request.force !== true) {
      const first = gate.rules.find((r) => r.status === 'failed')!;
      throw new LoomError(
        'GATE_FAILED',
        { to, name, version, failed: gate.failed, total: gate.rules.length, line: first.line, rule: first.rule, reason: first.reason },
        { details: { field: 'gate', gate } },
      );
    }
  }
  return { name, from, to, version, fromRevision: Number(source.revision), current, gate, forced: request.force === true && gate !== null && !gate.passed, reason };
}

/**
 * Writes a plan in one transaction: the `from` alias must still be at the planned revision and the target alias is
 * compare-and-set from what was read, so of two concurrent promotions exactly one commits.
 *
 * @throws LOOM_ERR_REGISTRY_ALIAS_CONFLICT
 * @internal Use ModelRegistry.commitPromotion.
 */
export async function commitPromotion(ctx: RegistryContext, plan: PromotionPlan): Promise<PromotionResult> {
  const { name, from, to, version, current, gate, forced, reason } = plan;
  if (current?.version === version) return { name, alias: to, fromVersion: version, toVersion: version, revision: current.revision, changed: false, gate, forced: false };
  return ctx.db.transaction().execute(async (trx) => {
    const source = await trx.selectFrom('model_aliases').select(['version', 'revision']).where('model', '=', name).where('alias', '=', from).executeTakeFirst();
    if (source === undefined || Number(source.revision) !== plan.fromRevision) {
      throw new LoomError(
        'REGISTRY_ALIAS_CONFLICT',
        { name, alias: from, action: 'promotion', expected: `version ${version} (revision ${plan.fromRevision})`, found: source === undefined ? 'no holder' : `version ${source.version} (revision ${source.revision})` },
        { details: { field: 'from' } },
      );
    }
    const revision = await compareAndSetAlias(trx, ctx, name, to, version, current === null ? { kind: 'absent' } : { kind: 'at', ...current }, 'promotion');
    await recordEvent(trx, ctx, {
      model: name,
      version,
      action: 'promote',
      alias: to,
      fromVersion: current?.version ?? null,
      toVersion: version,
      reason,
      details: {
        from,
        forced,
        gate: gate === null ? null : { passed: gate.passed, failed: gate.failed, skipped: gate.skipped, rules: gate.rules.map((r) => ({ line: r.line, rule: r.rule, status: r.status, reason: r.reason })) },
      },
    });
    return { name, alias: to, fromVersion: current?.version ?? null, toVersion: version, revision, changed: true, gate, forced };
  });
}

/**
 * The report a gate reads for one side: the one given (checked against the version's artifact), else the newest
 * attached one, preferring (for the champion) a report on the challenger's data.
 */
async function reportFor(ctx: RegistryContext, name: string, version: number, role: 'challenger' | 'champion', given: EvaluationInput | undefined, other: EvaluationReport | null): Promise<EvaluationReport> {
  const row = await ctx.db.selectFrom('model_versions').select('model_hash').where('model', '=', name).where('version', '=', version).executeTakeFirstOrThrow();
  if (given !== undefined) {
    if (given.report.model.hash !== row.model_hash) {
      throw new LoomError('REGISTRY_EVALUATION_MISMATCH', { source: given.source, reportHash: given.report.model.hash.slice(0, 12), name, version, modelHash: row.model_hash.slice(0, 12) }, { details: { field: `${role}-eval` } });
    }
    return given.report;
  }
  let query = ctx.db.selectFrom('model_evaluations').selectAll().where('model', '=', name).where('version', '=', version);
  if (other !== null) query = query.where('data_ref', '=', other.data.ref).where('data_rows', '=', other.data.rows);
  const found = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (found === undefined) {
    throw new LoomError(
      'REGISTRY_EVALUATION_MISSING',
      { name, version, role, onData: other === null ? '' : ` on ${other.data.ref} (${other.data.rows} rows)` },
      { details: { field: `${role}-eval`, version } },
    );
  }
  return loadEvaluation(ctx, evaluationFromRow(found));
}
