import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { LoomError } from '../../core/errors/index.js';
import type { LoomDatabase } from '../../storage/metadata/database.js';
import type { Assignment, Deployment, DeploymentArm, DeploymentEvent, DeploymentState, Outcome } from '../deployment.js';
import { checkArms, strategyDescriptor, type DeploymentStrategy } from '../strategies/deployment-strategy.js';
import { assignmentFromRow, assignmentRow, deploymentFromRow, eventFromRow } from './deployment-rows.js';

type Db = Kysely<LoomDatabase> | Transaction<LoomDatabase>;

/** Rows per multi-row insert (well under SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 200;

/** What creating a deployment takes. */
export interface NewDeployment {
  readonly model: string;
  readonly strategy: DeploymentStrategy;
  /** Registry versions, stable first; arm names come from the strategy. */
  readonly versions: readonly number[];
  readonly actor: string;
  readonly reason?: string | null;
}

/** A state change of an active deployment (see DeploymentStore#transition). */
export interface Transition {
  readonly action: 'step_advanced' | 'promote' | 'rollback';
  readonly actor: string;
  readonly reason?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly step?: number;
  readonly state?: DeploymentState;
  readonly finalArm?: string | null;
  /** Refuse (return null) unless the deployment is still at this revision. */
  readonly expectRevision?: number;
}

/** One assignment with the value of the outcome it was joined with (undefined value: no such outcome yet). */
export interface JoinedAssignment extends Assignment {
  readonly outcome: { readonly value: number | readonly number[] | null; readonly timestamp: number } | null;
}

/**
 * Deployments on the metadata store (SQLite, the embedded default, or PostgreSQL): deployments with their arms and
 * state, the append-only event trail (who, when, why), request assignments and feedback outcomes. At most one
 * deployment per model is active: creating one marks the previous one `replaced`. Every state change is a
 * compare-and-set on `revision` inside a transaction with its event, so a controller and a CLI user racing to roll
 * back and promote cannot both win.
 *
 * @example
 * const store = new DeploymentStore((await ws.metadata()).db);
 * const canary = DeploymentStrategy.create({ kind: 'canary', steps: [10, 100] });
 * const d = await store.create({ model: 'churn', strategy: canary, versions: [1, 2], actor: 'alice' });
 */
export class DeploymentStore {
  readonly db: Kysely<LoomDatabase>;
  readonly #now: () => number;

  constructor(db: Kysely<LoomDatabase>, options: { now?: () => number } = {}) {
    this.db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Creates an active deployment, replacing the model's active one (recorded on both). @throws LOOM_ERR_DEPLOY_INVALID_SPEC */
  async create(input: NewDeployment): Promise<Deployment> {
    checkArms(input.strategy, input.versions.length);
    const names = strategyDescriptor(input.strategy).armNames(input.strategy, input.versions.length);
    const arms: DeploymentArm[] = input.versions.map((version, i) => ({ name: names[i], version }));
    const id = `dep-${randomBytes(6).toString('hex')}`;
    const now = this.#now();
    return this.db.transaction().execute(async (trx) => {
      const active = await trx.selectFrom('deployments').selectAll().where('model', '=', input.model).where('state', '=', 'active').execute();
      for (const row of active) {
        await trx.updateTable('deployments').set({ state: 'replaced', updated_at: now, revision: Number(row.revision) + 1 }).where('id', '=', row.id).execute();
        await trx.updateTable('model_deployments').set({ status: 'replaced', updated_at: now }).where('id', 'like', `${row.id}/%`).execute();
        await this.#event(trx, { deploymentId: row.id, model: row.model, action: 'replaced', actor: input.actor, reason: `replaced by ${id}`, details: { by: id } }, now);
      }
      await trx
        .insertInto('deployments')
        .values({ id, model: input.model, kind: input.strategy.kind, spec_json: JSON.stringify(input.strategy), arms_json: JSON.stringify(arms), state: 'active', step: 0, step_started_at: now, final_arm: null, revision: 1, created_at: now, updated_at: now, created_by: input.actor })
        .execute();
      // The registry's lineage lists where each version is deployed: one row per arm.
      for (const arm of arms) {
        await trx
          .insertInto('model_deployments')
          .values({ id: `${id}/${arm.name}`, model: input.model, version: arm.version, alias: null, environment: 'serving', strategy: input.strategy.kind, status: 'active', details_json: JSON.stringify({ deployment: id, arm: arm.name }), created_at: now, updated_at: now, created_by: input.actor })
          .execute();
      }
      await this.#event(trx, { deploymentId: id, model: input.model, action: 'created', actor: input.actor, reason: input.reason ?? null, toStep: 0, details: { strategy: input.strategy, arms } }, now);
      return deploymentFromRow((await trx.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  async get(id: string): Promise<Deployment | null> {
    const row = await this.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : deploymentFromRow(row);
  }

  /** The model's newest deployment (whatever its state), or null. */
  async current(model: string): Promise<Deployment | null> {
    const row = await this.db.selectFrom('deployments').selectAll().where('model', '=', model).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? null : deploymentFromRow(row);
  }

  /** A deployment by id, else the newest of the model so named. @throws LOOM_ERR_DEPLOY_NOT_FOUND */
  async find(idOrModel: string): Promise<Deployment> {
    const found = (await this.get(idOrModel)) ?? (await this.current(idOrModel));
    if (found === null) throw new LoomError('DEPLOY_NOT_FOUND', { name: idOrModel }, { details: { field: 'deployment' } });
    return found;
  }

  /** Every model's newest deployment. */
  async currentAll(): Promise<Deployment[]> {
    const rows = await this.db.selectFrom('deployments').selectAll().orderBy('model').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const seen = new Set<string>();
    const out: Deployment[] = [];
    for (const row of rows) {
      if (seen.has(row.model)) continue;
      seen.add(row.model);
      out.push(deploymentFromRow(row));
    }
    return out;
  }

  /** A model's deployments, newest first. */
  async list(model: string): Promise<Deployment[]> {
    return (await this.db.selectFrom('deployments').selectAll().where('model', '=', model).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(deploymentFromRow);
  }

  /**
   * Applies a state change to an active deployment with its event, atomically. Returns the new state, or null when
   * `expectRevision` was given and another writer changed the deployment first.
   * @throws LOOM_ERR_DEPLOY_NOT_FOUND, LOOM_ERR_DEPLOY_NOT_ACTIVE
   */
  async transition(id: string, t: Transition): Promise<Deployment | null> {
    const now = this.#now();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new LoomError('DEPLOY_NOT_FOUND', { name: id }, { details: { field: 'deployment' } });
      if (t.expectRevision !== undefined && Number(row.revision) !== t.expectRevision) return null;
      if (row.state !== 'active') {
        if (t.expectRevision !== undefined) return null;
        throw new LoomError('DEPLOY_NOT_ACTIVE', { id, name: row.model, state: row.state.replace('_', ' '), action: t.action === 'step_advanced' ? 'advanced' : t.action === 'promote' ? 'promoted' : 'rolled back' }, { details: { field: 'deployment', state: row.state } });
      }
      const step = t.step ?? Number(row.step);
      const updated = await trx
        .updateTable('deployments')
        .set({ state: t.state ?? 'active', step, step_started_at: step !== Number(row.step) ? now : Number(row.step_started_at), final_arm: t.finalArm ?? row.final_arm, revision: Number(row.revision) + 1, updated_at: now })
        .where('id', '=', id)
        .where('revision', '=', Number(row.revision))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return null;
      if (t.state !== undefined && t.state !== 'active') await trx.updateTable('model_deployments').set({ status: t.state, updated_at: now }).where('id', 'like', `${id}/%`).execute();
      await this.#event(trx, { deploymentId: id, model: row.model, action: t.action, actor: t.actor, reason: t.reason ?? null, fromStep: Number(row.step), toStep: step, arm: t.finalArm ?? null, details: t.details ?? {} }, now);
      return deploymentFromRow((await trx.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  /** Appends an event without changing state (e.g. a guardrail breach observed while already rolling back). */
  async recordEvent(deployment: Deployment, event: { action: string; actor: string; reason?: string | null; arm?: string | null; details?: Readonly<Record<string, unknown>> }): Promise<void> {
    await this.#event(this.db, { deploymentId: deployment.id, model: deployment.model, fromStep: deployment.step, toStep: deployment.step, ...event }, this.#now());
  }

  /** The audit trail, oldest first. */
  async events(id: string): Promise<DeploymentEvent[]> {
    return (await this.db.selectFrom('deployment_events').selectAll().where('deployment_id', '=', id).orderBy('id').execute()).map(eventFromRow);
  }

  /** Stores assignments (a repeated (deployment, request, arm) is ignored). */
  async appendAssignments(assignments: readonly Assignment[]): Promise<void> {
    for (let i = 0; i < assignments.length; i += CHUNK) {
      const rows = assignments.slice(i, i + CHUNK).map(assignmentRow);
      await this.db.insertInto('deployment_assignments').values(rows).onConflict((oc) => oc.columns(['deployment_id', 'request_id', 'arm']).doNothing()).execute();
    }
  }

  /** A deployment's assignments, in request order. */
  async assignments(id: string): Promise<Assignment[]> {
    return (await this.db.selectFrom('deployment_assignments').selectAll().where('deployment_id', '=', id).orderBy('created_at').orderBy('request_id').orderBy('arm').execute()).map(assignmentFromRow);
  }

  /**
   * Stores outcomes durably: resolved once committed. A repeated (request_id, outcome) keeps the first value and
   * counts as a duplicate. Outcomes for request ids with no assignment yet are kept and join when it arrives.
   */
  async recordOutcomes(outcomes: readonly Outcome[]): Promise<{ inserted: number; duplicates: number }> {
    const now = this.#now();
    let inserted = 0;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < outcomes.length; i += CHUNK) {
        const rows = outcomes.slice(i, i + CHUNK).map((o) => ({ request_id: o.requestId, outcome: o.outcome, value_json: o.value === null ? null : JSON.stringify(o.value), timestamp: o.timestamp, received_at: now }));
        const result = await trx.insertInto('deployment_outcomes').values(rows).onConflict((oc) => oc.columns(['request_id', 'outcome']).doNothing()).executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
    });
    return { inserted, duplicates: outcomes.length - inserted };
  }

  /** Every outcome recorded for a request id. */
  async outcomesOf(requestId: string): Promise<Outcome[]> {
    const rows = await this.db.selectFrom('deployment_outcomes').selectAll().where('request_id', '=', requestId).orderBy('outcome').execute();
    return rows.map((r) => ({ requestId: r.request_id, outcome: r.outcome, value: r.value_json === null ? null : (JSON.parse(r.value_json) as number | number[]), timestamp: Number(r.timestamp) }));
  }

  /** A deployment's assignments, each joined with its request's `outcome` (null when none arrived yet). */
  async joined(id: string, outcome: string): Promise<JoinedAssignment[]> {
    const rows = await this.db
      .selectFrom('deployment_assignments as a')
      .leftJoin('deployment_outcomes as o', (j) => j.onRef('o.request_id', '=', 'a.request_id').on('o.outcome', '=', outcome))
      .selectAll('a')
      .select(['o.value_json as o_value', 'o.timestamp as o_timestamp', 'o.outcome as o_outcome'])
      .where('a.deployment_id', '=', id)
      .orderBy('a.created_at')
      .orderBy('a.request_id')
      .orderBy('a.arm')
      .execute();
    return rows.map((r) => ({
      ...assignmentFromRow(r),
      outcome: r.o_outcome === null ? null : { value: r.o_value === null ? null : (JSON.parse(r.o_value) as number | number[]), timestamp: Number(r.o_timestamp) },
    }));
  }

  async #event(db: Db, e: { deploymentId: string; model: string; action: string; actor: string; reason?: string | null; fromStep?: number | null; toStep?: number | null; arm?: string | null; details?: Readonly<Record<string, unknown>> }, now: number): Promise<void> {
    await db
      .insertInto('deployment_events')
      .values({ deployment_id: e.deploymentId, model: e.model, action: e.action, from_step: e.fromStep ?? null, to_step: e.toStep ?? null, arm: e.arm ?? null, actor: e.actor, reason: e.reason ?? null, details_json: JSON.stringify(e.details ?? {}), created_at: now })
      .execute();
  }
}
