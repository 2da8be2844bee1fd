import type { Kysely } from 'kysely';
import { LoomError } from '../../core/errors/index.js';
import type { LoomDatabase } from '../../storage/metadata/database.js';
import type { TrialParams } from './search-space.js';
import type { TrialRecord, TrialState } from './trial-record.js';

/** Intermediate-value rows per INSERT statement. */
const INTERMEDIATE_ROWS_PER_INSERT = 1000;

/** Reads and writes a study's rows in the metadata store (any backend). */
export class StudyStore {
  constructor(readonly db: Kysely<LoomDatabase>, readonly study: string) {}

  /**
   * Creates the study, or checks that an existing one has the same fingerprint. Trials left `running` by a dead
   * process become `interrupted` (they do not count towards the budget and a resume runs them again under the same numbers and params).
   * @throws LOOM_ERR_TUNING_SPACE_MISMATCH
   */
  async open(spaceJson: string, settingsJson: string, fingerprint: string, direction: string, now: number): Promise<{ resumed: boolean }> {
    const row = await this.db.selectFrom('tuning_studies').selectAll().where('name', '=', this.study).executeTakeFirst();
    if (row === undefined) {
      await this.db.insertInto('tuning_studies').values({ name: this.study, space_json: spaceJson, settings_json: settingsJson, fingerprint, direction, parent_run_id: null, created_at: now, updated_at: now }).execute();
      return { resumed: false };
    }
    if (row.fingerprint !== fingerprint) {
      const problem = row.space_json !== spaceJson ? 'the search space differs' : `the settings differ: stored ${row.settings_json}`;
      throw new LoomError('TUNING_SPACE_MISMATCH', { study: this.study, problem }, { details: { field: row.space_json !== spaceJson ? 'space' : 'settings' } });
    }
    await this.db.updateTable('tuning_trials').set({ state: 'interrupted', message: 'its process stopped before the trial finished', finished_at: now }).where('study', '=', this.study).where('state', '=', 'running').execute();
    return { resumed: true };
  }

  async setParentRun(runId: string, now: number): Promise<void> {
    await this.db.updateTable('tuning_studies').set({ parent_run_id: runId, updated_at: now }).where('name', '=', this.study).execute();
  }

  async trials(): Promise<(TrialRecord & { runId: string | null; message: string | null })[]> {
    const rows = await this.db.selectFrom('tuning_trials').selectAll().where('study', '=', this.study).orderBy('number').execute();
    const steps = await this.db.selectFrom('tuning_intermediate_values').selectAll().where('study', '=', this.study).orderBy('step').execute();
    const byTrial = new Map<number, Map<number, number>>();
    for (const s of steps) {
      const m = byTrial.get(Number(s.number)) ?? new Map<number, number>();
      m.set(Number(s.step), Number(s.value));
      byTrial.set(Number(s.number), m);
    }
    return rows.map((r) => ({
      number: Number(r.number),
      state: r.state as TrialState,
      params: JSON.parse(r.params_json) as TrialParams,
      value: r.value === null ? null : Number(r.value),
      intermediate: byTrial.get(Number(r.number)) ?? new Map(),
      runId: r.run_id,
      message: r.message,
    }));
  }

  async startTrial(number: number, params: TrialParams, runId: string, now: number): Promise<void> {
    await this.db.insertInto('tuning_trials').values({ study: this.study, number, state: 'running', params_json: JSON.stringify(params), value: null, run_id: runId, message: null, started_at: now, finished_at: null }).execute();
  }

  /** Runs an interrupted trial again under its number: a new run, state `running`, its old scores dropped. */
  async restartTrial(number: number, runId: string, now: number): Promise<void> {
    await this.db.deleteFrom('tuning_intermediate_values').where('study', '=', this.study).where('number', '=', number).execute();
    await this.db.updateTable('tuning_trials').set({ state: 'running', value: null, run_id: runId, message: null, started_at: now, finished_at: null }).where('study', '=', this.study).where('number', '=', number).execute();
  }

  /** Stores a trial's intermediate scores; a step stored before is overwritten (CV re-reports a step per fold). */
  async addIntermediate(number: number, values: readonly (readonly [number, number])[]): Promise<void> {
    // 4 parameters a row: chunks keep each statement under SQLite's 32766 and PostgreSQL's 65535 parameter limits.
    for (let start = 0; start < values.length; start += INTERMEDIATE_ROWS_PER_INSERT) {
      const rows = values.slice(start, start + INTERMEDIATE_ROWS_PER_INSERT).map(([step, value]) => ({ study: this.study, number, step, value }));
      await this.db.insertInto('tuning_intermediate_values').values(rows).onConflict((oc) => oc.columns(['study', 'number', 'step']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))).execute();
    }
  }

  async finishTrial(number: number, state: TrialState, value: number | null, message: string | null, now: number): Promise<void> {
    await this.db.updateTable('tuning_trials').set({ state, value, message, finished_at: now }).where('study', '=', this.study).where('number', '=', number).execute();
  }
}
