import { Worker } from 'node:worker_threads';
import type { Frame } from '../../core/frame/frame.js';
import type { GbdtObjectiveSpec, GbdtTrialResult } from './gbdt-objective.js';
import type { TrialParams } from './search-space.js';
import type { TrialExecutor, TrialOutcome } from './trial-executor.js';

interface Slot {
  worker: Worker;
  readonly control: Int32Array;
  job: { number: number; report: (step: number, value: number) => boolean; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void } | null;
}

type WorkerMessage =
  | { kind: 'report'; number: number; step: number; value: number }
  | { kind: 'done'; number: number; result: GbdtTrialResult }
  | { kind: 'error'; number: number; code: string; message: string };

/**
 * GBDT trials on `parallel` worker threads. Each worker gets a copy of the frame's columns and cuts the same folds.
 * After every boosting iteration a worker posts its score and waits on a shared Int32Array until this thread has asked
 * the pruner, so pruning sees the latest scores of all running trials while the worker's training loop stays synchronous.
 */
export class TrialPool implements TrialExecutor {
  readonly slots: number;
  readonly #slots: Slot[];

  readonly #workerData: { readonly columns: Frame['columns']; readonly spec: GbdtObjectiveSpec };
  #closed = false;

  constructor(frame: Frame, spec: GbdtObjectiveSpec, parallel: number) {
    this.slots = parallel;
    this.#workerData = { columns: frame.columns, spec };
    this.#slots = Array.from({ length: parallel }, () => {
      const control = new Int32Array(new SharedArrayBuffer(8));
      const slot: Slot = { worker: null as unknown as Worker, control, job: null };
      this.#spawn(slot);
      return slot;
    });
  }

  /** Starts (or, after a crash, restarts) the worker of a slot. */
  #spawn(slot: Slot): void {
    const worker = startWorker({ ...this.#workerData, control: slot.control.buffer });
    slot.worker = worker;
    worker.on('message', (m: WorkerMessage) => this.#onMessage(slot, m));
    worker.on('error', (err) => this.#fail(slot, err));
    worker.on('exit', (code) => {
      this.#fail(slot, new Error(`trial worker exited with code ${code}`));
      if (!this.#closed) this.#spawn(slot);
    });
  }

  run(number: number, params: TrialParams, report: (step: number, value: number) => boolean): Promise<TrialOutcome> {
    const slot = this.#slots.find((s) => s.job === null);
    if (slot === undefined) throw new Error('TrialPool.run called with every worker busy');
    return new Promise((resolve, reject) => {
      slot.job = { number, report, resolve, reject };
      slot.worker.postMessage({ number, params });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #onMessage(slot: Slot, m: WorkerMessage): void {
    const job = slot.job;
    if (job === null || job.number !== m.number) return;
    if (m.kind === 'report') {
      let prune = false;
      try {
        prune = job.report(m.step, m.value);
      } finally {
        Atomics.store(slot.control, 1, prune ? 1 : 0);
        Atomics.store(slot.control, 0, 1);
        Atomics.notify(slot.control, 0);
      }
      return;
    }
    slot.job = null;
    if (m.kind === 'done') job.resolve({ value: m.result.value, pruned: m.result.pruned });
    else job.reject(Object.assign(new Error(`${m.code}: ${m.message}`), { code: m.code }));
  }

  #fail(slot: Slot, err: unknown): void {
    const job = slot.job;
    slot.job = null;
    job?.reject(err);
  }
}

function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./trial-worker.js', import.meta.url), { workerData });
  const entry = new URL('./trial-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
