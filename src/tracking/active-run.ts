import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Kysely } from 'kysely';
import { LoomError } from '../core/errors/index.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Workspace } from '../storage/workspace.js';
import { encodeParamValue, type ParamValue } from './param-value.js';
import type { RunArtifact, RunDataset, RunStatus } from './run-record.js';
import { checkArtifactPath, checkKey } from './tracking-names.js';
import { writeMetricBatch } from './write-metric-batch.js';

/** Buffering and liveness settings of a run. */
export interface RunBufferOptions {
  /** Flush once this many metric points are buffered (default 1000). */
  readonly batchSize?: number;
  /** Flush buffered points at least this often, in ms (default 1000). */
  readonly flushIntervalMs?: number;
  /** Refresh the run's heartbeat at least this often, in ms (default 10 000). */
  readonly heartbeatMs?: number;
}

/** A status a run can end with. */
export type EndStatus = Exclude<RunStatus, 'running'>;

/** The runs this process owns and keeps alive, so the stale-run reaper never fails them. @internal */
export const LIVE_RUNS = new Set<string>();

/**
 * A run in progress, returned by `startRun`. Metric points are buffered in memory and written in one transaction
 * per batch (every `batchSize` points, every `flushIntervalMs`, and on flush()/end()). A point is acknowledged,
 * and survives `kill -9`, once a flush that included it has resolved. Params, tags, datasets and artifacts are
 * written at once.
 *
 * While the run is open a timer refreshes its heartbeat. If the process dies, the next Loom command that reads runs
 * marks it `failed` (at once on the same machine, whose process table shows the process gone; after the heartbeat
 * goes stale on another machine). Always `await run.end()` (or `run.fail(err)`): buffered points not yet flushed are
 * lost if the process exits without it.
 */
export class ActiveRun {
  readonly id: string;
  readonly name: string;
  readonly experiment: string;
  readonly #ws: Workspace;
  readonly #db: Kysely<LoomDatabase>;
  readonly #batchSize: number;
  readonly #heartbeatMs: number;
  readonly #timer: NodeJS.Timeout;
  #keyNames: string[] = [];
  readonly #keyIndex = new Map<string, number>();
  readonly #nextStep = new Map<string, number>();
  #keys: number[] = [];
  #values: number[] = [];
  #steps: number[] = [];
  #timestamps: number[] = [];
  #chain: Promise<void> = Promise.resolve();
  #backgroundQueued = false;
  readonly #params = new Map<string, string>();
  #lastHeartbeat: number;
  #status: RunStatus = 'running';

  /** @internal Use startRun. */
  constructor(ws: Workspace, db: Kysely<LoomDatabase>, info: { id: string; name: string; experiment: string; startTime: number }, options: RunBufferOptions = {}) {
    this.id = info.id;
    this.name = info.name;
    this.experiment = info.experiment;
    this.#ws = ws;
    this.#db = db;
    this.#batchSize = positive('batchSize', options.batchSize ?? 1000);
    this.#heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? 10_000);
    this.#lastHeartbeat = info.startTime;
    this.#timer = setInterval(() => this.#tick(), positive('flushIntervalMs', options.flushIntervalMs ?? 1000));
    this.#timer.unref();
    LIVE_RUNS.add(this.id);
  }

  /** `running` until end() or fail(). */
  get status(): RunStatus {
    return this.#status;
  }

  /** The params this run has logged, as stored (text). */
  get params(): ReadonlyMap<string, string> {
    return this.#params;
  }

  /** Metric points buffered and not yet acknowledged. */
  get pending(): number {
    return this.#values.length;
  }

  /**
   * Buffers one metric point. `step` defaults to one past this key's previous step in this run (0 first); `timestamp`
   * (epoch ms) to now. NaN and ±Infinity are kept. Returns at once; see flush() for durability.
   *
   * @throws LOOM_ERR_TRACKING_INVALID_VALUE (not a number, bad step), LOOM_ERR_TRACKING_INVALID_NAME, LOOM_ERR_TRACKING_RUN_ENDED
   * @example
   * for (let epoch = 0; epoch < 10; epoch++) run.logMetric('loss', 1 / (epoch + 1), epoch);
   */
  logMetric(key: string, value: number, step?: number, timestamp?: number): void {
    this.#open();
    let k = this.#keyIndex.get(key);
    if (k === undefined) {
      checkKey('Metric', key);
      k = this.#keyNames.length;
      this.#keyNames.push(key);
      this.#keyIndex.set(key, k);
    }
    if (typeof value !== 'number') throw new LoomError('TRACKING_INVALID_VALUE', { field: `metrics.${key}`, problem: `${JSON.stringify(value)} is not a number` }, { details: { field: `metrics.${key}` } });
    const s = step ?? this.#nextStep.get(key) ?? 0;
    if (!Number.isSafeInteger(s) || s < 0) throw new LoomError('TRACKING_INVALID_VALUE', { field: `metrics.${key}.step`, problem: `step ${s} is not an integer ≥ 0` }, { details: { field: 'step' } });
    const t = timestamp ?? Date.now();
    if (!Number.isSafeInteger(t) || t < 0) throw new LoomError('TRACKING_INVALID_VALUE', { field: `metrics.${key}.timestamp`, problem: `timestamp ${t} is not epoch milliseconds` }, { details: { field: 'timestamp' } });
    this.#nextStep.set(key, s + 1);
    this.#keys.push(k);
    this.#values.push(value);
    this.#steps.push(s);
    this.#timestamps.push(t);
    if (this.#values.length >= this.#batchSize) this.#backgroundFlush();
  }

  /** Buffers several metrics at one step (default: each key's next step). */
  logMetrics(metrics: Readonly<Record<string, number>>, step?: number, timestamp?: number): void {
    const t = timestamp ?? Date.now();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, step, t);
  }

  /**
   * Writes params at once. Params are write-once: logging a key again with the same value is a no-op, with another
   * value an error.
   * @throws LOOM_ERR_TRACKING_PARAM_CONFLICT, LOOM_ERR_TRACKING_INVALID_NAME, LOOM_ERR_TRACKING_INVALID_VALUE
   */
  async logParams(params: Readonly<Record<string, ParamValue>>): Promise<void> {
    this.#open();
    await this.#serial(async () => {
      for (const [key, value] of await writeParams(this.#db, this.id, params)) this.#params.set(key, value);
    });
  }

  /** Writes one param; see logParams. */
  logParam(key: string, value: ParamValue): Promise<void> {
    return this.logParams({ [key]: value });
  }

  /** Sets tags at once (a tag can be overwritten). */
  async setTags(tags: Readonly<Record<string, ParamValue>>): Promise<void> {
    this.#open();
    await this.#serial(() => writeTags(this.#db, this.id, tags));
  }

  /** Sets one tag; see setTags. */
  setTag(key: string, value: ParamValue): Promise<void> {
    return this.setTags({ [key]: value });
  }

  /** Records dataset versions the run used (lineage). */
  async logDatasets(datasets: readonly RunDataset[]): Promise<void> {
    this.#open();
    await this.#serial(() => writeDatasets(this.#db, this.id, datasets));
  }

  /**
   * Stores bytes (or UTF-8 text) in the artifact store and records them under `path` in the run; a second call with
   * the same path replaces the entry.
   */
  async logArtifact(path: string, data: Uint8Array | string): Promise<RunArtifact> {
    this.#open();
    checkArtifactPath(path);
    const put = await (await this.#ws.artifacts()).put(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    const record = { path, hash: put.hash, bytes: put.bytes, createdAt: Date.now() };
    await this.#serial(async () => {
      await this.#db
        .insertInto('run_artifacts')
        .values({ run_id: this.id, path, hash: record.hash, bytes: record.bytes, created_at: record.createdAt })
        .onConflict((oc) => oc.columns(['run_id', 'path']).doUpdateSet({ hash: record.hash, bytes: record.bytes, created_at: record.createdAt }))
        .execute();
    });
    return record;
  }

  /** Logs every file under `dir` as `<prefix>/<relative path>` (for example a model directory under `model`). */
  async logArtifactDir(dir: string, prefix: string): Promise<RunArtifact[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const out: RunArtifact[] = [];
    for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
      const file = join(entry.parentPath, entry.name);
      out.push(await this.logArtifact(`${prefix}/${relative(dir, file).split(sep).join('/')}`, await readFile(file)));
    }
    return out;
  }

  /**
   * Writes every buffered point in one transaction and refreshes the heartbeat. When it resolves, those points are
   * durable (acknowledged).
   */
  flush(): Promise<void> {
    return this.#serial(() => this.#flushNow());
  }

  /**
   * Flushes, then marks the run ended with `status` (default `finished`) and an optional message. Idempotent after
   * the first call.
   */
  async end(status: EndStatus = 'finished', message?: string): Promise<void> {
    if (this.#status !== 'running') return;
    if (!['finished', 'failed', 'killed'].includes(status)) {
      throw new LoomError('TRACKING_INVALID_VALUE', { field: 'status', problem: `"${status}" is not one of finished, failed, killed` }, { details: { field: 'status' } });
    }
    clearInterval(this.#timer);
    try {
      await this.#serial(async () => {
        await this.#flushNow();
        const now = Date.now();
        await this.#db
          .updateTable('runs')
          .set({ status, end_time: now, heartbeat_at: now, status_message: message === undefined ? null : message.slice(0, 2000) })
          .where('id', '=', this.id)
          .execute();
      });
      this.#status = status;
    } finally {
      LIVE_RUNS.delete(this.id);
    }
  }

  /** Ends the run as `failed`, recording the error's code and message. */
  fail(error: unknown): Promise<void> {
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e?.message === 'string' ? `${typeof e.code === 'string' ? `${e.code}: ` : ''}${e.message}` : String(error);
    return this.end('failed', message);
  }

  #open(): void {
    if (this.#status !== 'running') throw new LoomError('TRACKING_RUN_ENDED', { run: this.id, status: this.#status }, { details: { field: 'run' } });
  }

  #tick(): void {
    if (this.#values.length > 0 || Date.now() - this.#lastHeartbeat >= this.#heartbeatMs) this.#backgroundFlush();
  }

  /** Runs writes one after another, in call order. */
  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /**
   * A flush nobody awaits (batch full, timer). At most one is queued at a time. A failure leaves the points in the
   * buffer, so the next flush retries them and an awaited flush()/end() reports a lasting problem.
   */
  #backgroundFlush(): void {
    if (this.#backgroundQueued) return;
    this.#backgroundQueued = true;
    this.#serial(() => {
      this.#backgroundQueued = false;
      return this.#flushNow();
    }).catch(() => undefined);
  }

  async #flushNow(): Promise<void> {
    const batch = { keyNames: this.#keyNames, keys: this.#keys, values: this.#values, steps: this.#steps, timestamps: this.#timestamps };
    this.#keys = [];
    this.#values = [];
    this.#steps = [];
    this.#timestamps = [];
    const now = Date.now();
    try {
      await this.#db.transaction().execute(async (trx) => {
        if (batch.values.length > 0) await writeMetricBatch(trx, this.id, batch);
        // A live run that another process marked stale (its heartbeat stalled, e.g. during a long synchronous
        // training loop) is revived: it is plainly alive.
        const updated = await trx
          .updateTable('runs')
          .set({ heartbeat_at: now, status: 'running', status_message: null, end_time: null })
          .where('id', '=', this.id)
          .where((eb) => eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'failed'), eb('status_message', 'like', `${STALE_MESSAGE_PREFIX}%`)])]))
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw new LoomError('TRACKING_RUN_ENDED', { run: this.id, status: 'ended elsewhere' }, { details: { field: 'run' } });
      });
      this.#lastHeartbeat = now;
    } catch (err) {
      // Put the points back in front, so a retry (or end()) writes them; nothing is acknowledged twice.
      this.#keys = [...batch.keys, ...this.#keys];
      this.#values = [...batch.values, ...this.#values];
      this.#steps = [...batch.steps, ...this.#steps];
      this.#timestamps = [...batch.timestamps, ...this.#timestamps];
      throw err;
    }
  }
}

/** The status_message prefix of runs the reaper failed for a stopped heartbeat. @internal */
export const STALE_MESSAGE_PREFIX = 'stale:';

async function writeParams(db: Kysely<LoomDatabase>, runId: string, params: Readonly<Record<string, ParamValue>>): Promise<[string, string][]> {
  const rows = Object.entries(params).map(([key, value]) => {
    checkKey('Param', key);
    const { text, number } = encodeParamValue(`params.${key}`, value);
    return { run_id: runId, key, value: text, num_value: number };
  });
  if (rows.length === 0) return [];
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('run_params').select(['key', 'value']).where('run_id', '=', runId).where('key', 'in', rows.map((r) => r.key)).execute();
    const known = new Map(existing.map((r) => [r.key, r.value]));
    for (const row of rows) {
      const before = known.get(row.key);
      if (before !== undefined && before !== row.value) {
        throw new LoomError('TRACKING_PARAM_CONFLICT', { key: row.key, run: runId, existing: before, value: row.value }, { details: { field: `params.${row.key}` } });
      }
    }
    const fresh = rows.filter((r) => !known.has(r.key));
    if (fresh.length > 0) await trx.insertInto('run_params').values(fresh).execute();
  });
  return rows.map((r) => [r.key, r.value]);
}

async function writeTags(db: Kysely<LoomDatabase>, runId: string, tags: Readonly<Record<string, ParamValue>>): Promise<void> {
  const rows = Object.entries(tags).map(([key, value]) => {
    checkKey('Tag', key);
    const { text, number } = encodeParamValue(`tags.${key}`, value);
    return { run_id: runId, key, value: text, num_value: number };
  });
  if (rows.length === 0) return;
  await db
    .insertInto('run_tags')
    .values(rows)
    .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), num_value: eb.ref('excluded.num_value') })))
    .execute();
}

async function writeDatasets(db: Kysely<LoomDatabase>, runId: string, datasets: readonly RunDataset[]): Promise<void> {
  if (datasets.length === 0) return;
  for (const d of datasets) {
    for (const field of ['role', 'dataset', 'version'] as const) {
      if (typeof d[field] !== 'string' || d[field] === '') throw new LoomError('TRACKING_INVALID_VALUE', { field: `datasets.${field}`, problem: 'give non-empty text' }, { details: { field: `datasets.${field}` } });
    }
  }
  await db
    .insertInto('run_datasets')
    .values(datasets.map((d) => ({ run_id: runId, role: d.role, dataset: d.dataset, version: d.version })))
    .onConflict((oc) => oc.columns(['run_id', 'role', 'dataset']).doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })))
    .execute();
}

function positive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new LoomError('TRACKING_INVALID_VALUE', { field, problem: `${value} is not a positive number` }, { details: { field } });
  return value;
}
