import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../core/module-worker.js';
import type { Frame } from '../../core/frame/frame.js';
import type { GbdtFoldResult, GbdtObjectiveSpec } from './gbdt-objective.js';
import type { TrialParams } from './search-space.js';
import type { TrialExecutor, TrialOutcome } from './trial-executor.js';
import { FoldBarrier } from './fold-barrier.js';
import { giveVerdict, verdictWord } from './verdict-word.js';

interface Slot {
  worker: Worker;
  readonly control: Int32Array;
  job: { readonly trial: FoldBarrier; readonly fold: number } | null;
}

type WorkerMessage =
  | { kind: 'report'; number: number; step: number; value: number }
  | { kind: 'done'; number: number; result: GbdtFoldResult }
  | { kind: 'error'; number: number; code: string; message: string };

/**
 * GBDT trials on worker threads: each trial's folds run side by side, one worker per fold (`parallel` × folds
 * workers), each with a copy of the frame's columns, cutting the same folds. After every boosting iteration a fold's
 * worker posts its score and sleeps on a shared verdict word (verdict-word.ts); once every fold still training has
 * reported that iteration, this thread asks the pruner with the mean across folds (a fold that stopped early counts
 * with its last score) and releases them all with the verdict. So pruning compares like with like, the mean over all folds at the
 * same iteration, while each worker's training loop stays synchronous.
 * `interrupt()` (a study's timeout) gives running trials `interruptGraceMs` to stop at their next report, then
 * terminates the workers still busy with the same trial (their run() rejects) and starts fresh ones.
 */
export class TrialPool implements TrialExecutor {
  readonly slots: number;
  readonly #folds: number;
  readonly #workers: Slot[];
  readonly #workerData: { readonly columns: Frame['columns']; readonly spec: GbdtObjectiveSpec };
  readonly #graceMs: number;
  #closed = false;

  constructor(frame: Frame, spec: GbdtObjectiveSpec, parallel: number, options: { readonly interruptGraceMs?: number } = {}) {
    this.slots = parallel;
    this.#folds = spec.folds;
    this.#graceMs = options.interruptGraceMs ?? 2000;
    this.#workerData = { columns: frame.columns, spec };
    this.#workers = Array.from({ length: parallel * spec.folds }, () => {
      const control = verdictWord();
      const slot: Slot = { worker: null as unknown as Worker, control, job: null };
      this.#spawn(slot);
      return slot;
    });
  }

  /** Starts (or, after a crash or an interrupt, restarts) the worker of a slot. */
  #spawn(slot: Slot): void {
    const worker = startModuleWorker(import.meta.url, 'trial-worker', { ...this.#workerData, control: slot.control.buffer });
    slot.worker = worker;
    worker.on('message', (m: WorkerMessage) => this.#onMessage(slot, m));
    worker.on('error', (err) => this.#fail(slot, err));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      this.#fail(slot, new Error(`trial worker exited with code ${code}`));
      if (!this.#closed) this.#spawn(slot);
    });
  }

  run(number: number, params: TrialParams, report: (step: number, value: number) => boolean): Promise<TrialOutcome> {
    const free = this.#workers.filter((s) => s.job === null).slice(0, this.#folds);
    if (free.length < this.#folds) throw new Error('TrialPool.run called with every worker busy');
    return new Promise((resolve, reject) => {
      const trial = new FoldBarrier(number, this.#folds, report, resolve, reject, (fold, stop) => {
        giveVerdict(free[fold].control, stop);
      });
      free.forEach((slot, fold) => {
        slot.job = { trial, fold };
        slot.worker.postMessage({ number, fold, params });
      });
    });
  }

  interrupt(): void {
    for (const slot of this.#workers) {
      const job = slot.job;
      if (job === null) continue;
      const timer = setTimeout(() => {
        if (slot.job === job) void slot.worker.terminate();
      }, this.#graceMs);
      timer.unref();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map((s) => s.worker.terminate()));
  }

  #onMessage(slot: Slot, m: WorkerMessage): void {
    const job = slot.job;
    if (job === null || job.trial.number !== m.number) return;
    if (m.kind === 'report') {
      job.trial.arrive(job.fold, m.step, m.value);
      return;
    }
    slot.job = null;
    if (m.kind === 'done') job.trial.finish(job.fold, m.result);
    else job.trial.fail(job.fold, Object.assign(new Error(`${m.code}: ${m.message}`), { code: m.code }));
  }

  #fail(slot: Slot, err: unknown): void {
    const job = slot.job;
    slot.job = null;
    job?.trial.fail(job.fold, err);
  }
}
