import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LoomError } from '../../../core/errors/index.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS, SLOT, SPINS, SPINS_OVERSUBSCRIBED, STATUS } from './histogram-control.js';
import type { HistogramWorkspace } from './histogram-workspace.js';

/** How long a worker may take to start (load its code) before training gives up, ms. */
const START_TIMEOUT_MS = 60_000;
/** Leaves with fewer rows are built on the calling thread alone; waking workers would cost more than they save. */
const MIN_ROWS_PER_DISPATCH = 2048;

/**
 * Worker threads that build histograms with the learner: per leaf, the calling thread gathers the gradients into
 * the shared workspace, cuts the unit list (features and row-wise groups) into contiguous ranges of about equal
 * work, hands ranges 1… to the workers through the workspace's control block (Atomics, no messages), builds range 0
 * itself, then waits for the rest. Each unit is built by exactly one thread with the same code and order, so trees
 * are bit for bit the same for any thread count. Split selection stays on the calling thread.
 *
 * The workers are started once per training and stopped by close(), which the learner's owner calls in `finally`.
 * A worker that fails reports it in its slot, and the build throws LOOM_ERR_GBDT_THREADS_FAILED.
 */
export class HistogramThreads {
  readonly #workspace: HistogramWorkspace;
  readonly #workers: Worker[];
  readonly #cost: Float64Array;
  readonly #cut: Int32Array;
  readonly #spins: number;
  #seq = 0;
  #closed = false;

  private constructor(workspace: HistogramWorkspace, workers: Worker[], spins: number) {
    this.#workspace = workspace;
    this.#spins = spins;
    this.#workers = workers;
    this.#cost = new Float64Array(workspace.units.length + 1);
    this.#cut = new Int32Array(workers.length + 2);
  }

  /**
   * Starts `numThreads − 1` workers on `workspace` (at most MAX_HISTOGRAM_THREADS − 1).
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker cannot be started
   */
  static start(workspace: HistogramWorkspace, numThreads: number): HistogramThreads {
    const count = Math.min(numThreads, MAX_HISTOGRAM_THREADS) - 1;
    const spins = count + 1 > availableParallelism() ? SPINS_OVERSUBSCRIBED : SPINS;
    const workers: Worker[] = [];
    try {
      for (let slot = 1; slot <= count; slot++) {
        const worker = startWorker({ layout: workspace.layout, slot, spins });
        // Errors are reported through the control block; the listener keeps them from becoming uncaught.
        worker.on('error', () => Atomics.store(workspace.control, slot * CONTROL_SLOTS + SLOT.status, STATUS.failed));
        worker.unref();
        workers.push(worker);
      }
    } catch (cause) {
      for (const worker of workers) void worker.terminate();
      throw new LoomError('GBDT_THREADS_FAILED', { problem: 'a worker thread could not be started' }, { cause });
    }
    return new HistogramThreads(workspace, workers, spins);
  }

  /**
   * Builds the first `n` units of `workspace.units` (features or row-wise groups) over the rows `indices[begin ..
   * begin+count)`, whose gradient pairs are at byte `pairsAt` (HistogramWorkspace.gather), into histogram buffer `outId`.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  build(n: number, begin: number, count: number, outId: number, pairsAt: number = this.#workspace.layout.pairsAt): void {
    const workspace = this.#workspace;
    const threads = this.#workers.length + 1;
    if (count < MIN_ROWS_PER_DISPATCH || n < 2) {
      workspace.build(0, n, begin, count, outId, pairsAt);
      return;
    }
    // Cut the prefix sums of the units' work into equal parts.
    const cost = this.#cost;
    cost[0] = 0;
    for (let k = 0; k < n; k++) cost[k + 1] = cost[k] + workspace.unitCost(workspace.units[k], count);
    const cut = this.#cut;
    cut[0] = 0;
    let k = 0;
    for (let t = 1; t < threads; t++) {
      const target = (cost[n] * t) / threads;
      while (k < n && cost[k + 1] - target < target - cost[k]) k++;
      cut[t] = Math.max(k, cut[t - 1]);
    }
    cut[threads] = n;
    const control = workspace.control;
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) {
      const base = t * CONTROL_SLOTS;
      control[base + SLOT.from] = cut[t];
      control[base + SLOT.to] = cut[t + 1];
      control[base + SLOT.begin] = begin;
      control[base + SLOT.count] = count;
      control[base + SLOT.out] = outId;
      control[base + SLOT.pairs] = pairsAt;
      Atomics.store(control, base + SLOT.seq, seq);
      Atomics.notify(control, base + SLOT.seq);
    }
    workspace.build(0, cut[1], begin, count, outId, pairsAt);
    for (let t = 1; t < threads; t++) this.#await(t, seq);
  }

  #await(slot: number, seq: number): void {
    const control = this.#workspace.control;
    const base = slot * CONTROL_SLOTS;
    let spins = 0;
    let since = 0;
    for (;;) {
      const done = Atomics.load(control, base + SLOT.done);
      if (done === seq) break;
      if (Atomics.load(control, base + SLOT.status) !== STATUS.ok) {
        throw new LoomError('GBDT_THREADS_FAILED', { problem: `histogram worker ${slot} failed` });
      }
      if (++spins <= this.#spins) continue;
      // Timed, so a worker that fails without answering is noticed through its status slot, and one that never
      // starts through its ready slot (its error event cannot be delivered while this thread waits).
      if (Atomics.load(control, base + SLOT.ready) === 0) {
        since = since === 0 ? Date.now() : since;
        if (Date.now() - since > START_TIMEOUT_MS) throw new LoomError('GBDT_THREADS_FAILED', { problem: `histogram worker ${slot} did not start within ${START_TIMEOUT_MS / 1000} s` });
      }
      Atomics.wait(control, base + SLOT.done, done, 50);
    }
    if (Atomics.load(control, base + SLOT.status) !== STATUS.ok) {
      throw new LoomError('GBDT_THREADS_FAILED', { problem: `histogram worker ${slot} failed` });
    }
  }

  /** Asks every worker to exit and terminates it. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const control = this.#workspace.control;
    for (let slot = 1; slot <= this.#workers.length; slot++) {
      const base = slot * CONTROL_SLOTS;
      Atomics.store(control, base + SLOT.quit, 1);
      Atomics.add(control, base + SLOT.seq, 1);
      Atomics.notify(control, base + SLOT.seq);
    }
    for (const worker of this.#workers) void worker.terminate();
  }
}

/**
 * Starts the worker entry beside this file. Built, that is histogram-worker.js. Running from source under tsx,
 * Node 20 workers do not inherit `--import tsx`, so a small bootstrap registers tsx's loader in the worker and then
 * imports histogram-worker.ts; if that fails it marks the worker's slot failed, because the caller is blocked
 * waiting and cannot receive the worker's error event.
 */
function startWorker(workerData: { layout: HistogramWorkspace['layout']; slot: number; spins: number }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./histogram-worker.js', import.meta.url), { workerData });
  const entry = new URL('./histogram-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const status = (workerData.layout.controlAt >> 2) + workerData.slot * CONTROL_SLOTS + SLOT.status;
  const done = status - SLOT.status + SLOT.done;
  const bootstrap = [
    `const { workerData } = require('node:worker_threads');`,
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); }).catch(() => {`,
    `  const control = new Int32Array(workerData.layout.memory.buffer);`,
    `  Atomics.store(control, ${status}, ${STATUS.failed});`,
    `  Atomics.notify(control, ${done});`,
    `});`,
  ].join('\n');
  return new Worker(bootstrap, { eval: true, workerData });
}
