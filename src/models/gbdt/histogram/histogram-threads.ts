import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LoomError } from '../../../core/errors/index.js';
import type { SharedGradientMemory } from '../objective/gradient-kernel.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS, OP, SLOT, SPINS, SPINS_OVERSUBSCRIBED, STATUS, takeItems } from './histogram-control.js';
import type { HistogramWorkspace } from './histogram-workspace.js';

/**
 * Below this many rows training stays on one thread: the workers would cost more than they save. On Adult (32,561
 * rows, 500 iterations, 2026-11-27) 2 threads took 0.94–1.06 s against 0.85–0.89 s on one, however the work was shared
 * out; on KDD Cup 99 (116,468 rows) 2 threads gain.
 */
const MIN_ROWS_FOR_THREADS = 50_000;

/**
 * The threads a training on `numRows` rows uses when `numThreads` are asked for: 1 below MIN_ROWS_FOR_THREADS. Decide
 * it before laying out anything for threads (shared gradient buffers, row-wise and dense groups cut for threads), so
 * a training that stays on one thread is laid out as one asked for one thread is. (Warm in-process timings on Adult
 * did not differ measurably either way; the layout is the point.)
 */
export function threadsFor(numThreads: number, numRows: number): number {
  return numRows >= MIN_ROWS_FOR_THREADS ? numThreads : 1;
}

/**
 * Leaves with fewer rows are built on the calling thread alone; handing them out would cost more than it saves. The
 * workers poll between requests (SPINS), so a request costs about a microsecond. At 2,048 the synthetic set on 2
 * threads took 28.5 and 30.3 s against 27.1 and 24.7 s at 512 (alternating runs, 2026-11-27, noisy host).
 */
const MIN_ROWS_PER_DISPATCH = 512;
/**
 * Leaves with fewer rows have their gradient pairs gathered (and are partitioned) by the calling thread alone. Sharing
 * both out gave KDD Cup 99 on 2 threads 10.38 / 11.04 s against 10.69 / 11.49 s (alternating runs, idle machine,
 * 2026-11-27); on the synthetic set the runs varied more than the difference.
 */
const MIN_ROWS_PER_GATHER = 16384;
const MIN_ROWS_PER_PARTITION = 16384;
/** Rows of a shared gradient pass are cut at multiples of this (even, as the kernels take rows in pairs). */
const GRADIENT_ROW_STEP = 64;

/**
 * Worker threads that build histograms with the learner: per leaf, the calling thread gathers the gradients into
 * the shared workspace, hands the build to the workers through the workspace's control block (Atomics, no
 * messages), and every thread, this one included, builds the units (row-wise groups or features) of its own part of
 * the list and then helps with what is left of the others' (takeItems); this thread then waits for the rest. Each
 * unit is built by exactly one thread with the same code and order, so trees are bit for bit the same for any thread
 * count. Large leaves also have their gradient pairs gathered and their rows
 * partitioned by all threads, each an equal part of the rows (copies and a stable partition joined in order: the
 * same result as one thread). With shared training buffers the workers also run parts of each gradient pass and
 * load the gradient pairs, and they derive, subtract and scan feature ranges for the split search
 * (parallel-split-scan.ts); choosing the split stays on the calling thread. See decision 0007.
 *
 * The workers are started once per training and stopped by close(), which the learner's owner calls in `finally`.
 * A worker that fails reports it in its slot, and the build throws LOOM_ERR_GBDT_THREADS_FAILED.
 */
export class HistogramThreads {
  readonly #workspace: HistogramWorkspace;
  readonly #gradient: SharedGradientMemory | null;
  readonly #workers: Worker[];
  readonly #cut: Int32Array;
  /** Prefix sums of the items' work in #share. */
  readonly #cost: Float64Array;
  /** The split-search area's listed features (parallel-split-scan.ts), for the scan's work estimate. */
  readonly #scanFeatures: Int32Array;
  readonly #left: Int32Array;
  readonly #spins: number;
  /** Control slots of the workers that serve, in slot order, from index 1 (index 0 is this thread). */
  readonly #slots: Int32Array;
  #serving = 0;
  #seq = 0;
  #closed = false;

  private constructor(workspace: HistogramWorkspace, workers: Worker[], spins: number, gradient: SharedGradientMemory | null) {
    this.#workspace = workspace;
    this.#gradient = gradient;
    this.#spins = spins;
    this.#workers = workers;
    this.#cut = new Int32Array(workers.length + 2);
    const layout = workspace.layout;
    this.#cost = new Float64Array(workspace.units.length + 1);
    this.#scanFeatures = new Int32Array(layout.memory.buffer, layout.scanFeaturesAt, layout.numBins.length);
    this.#left = new Int32Array(workers.length + 1);
    this.#slots = new Int32Array(workers.length + 1);
  }

  /**
   * Starts `numThreads − 1` workers on `workspace` (at most MAX_HISTOGRAM_THREADS − 1), and on the training buffers'
   * shared memory `gradient` when given, so they also share the gradient pass and the loading of the pairs.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker cannot be started
   */
  static start(workspace: HistogramWorkspace, numThreads: number, gradient: SharedGradientMemory | null = null): HistogramThreads {
    const count = Math.min(numThreads, MAX_HISTOGRAM_THREADS) - 1;
    const spins = count + 1 > availableParallelism() ? SPINS_OVERSUBSCRIBED : SPINS;
    const workers: Worker[] = [];
    try {
      for (let slot = 1; slot <= count; slot++) {
        const worker = startWorker({ layout: workspace.layout, slot, spins, gradient });
        // Errors are reported through the control block; the listener keeps them from becoming uncaught.
        worker.on('error', () => Atomics.store(workspace.control, slot * CONTROL_SLOTS + SLOT.status, STATUS.failed));
        worker.unref();
        workers.push(worker);
      }
    } catch (cause) {
      for (const worker of workers) void worker.terminate();
      throw new LoomError('GBDT_THREADS_FAILED', { problem: 'a worker thread could not be started' }, { cause });
    }
    return new HistogramThreads(workspace, workers, spins, gradient);
  }

  /**
   * Runs a gradient pass over rows `0 .. rows` (RowSplitter): `local(from, to)` on this thread for the first part,
   * the workers' GradientPassRunner (which reads the pass from the descriptor the kernel wrote) for the others.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  gradients(rows: number, local: (from: number, to: number) => void): void {
    const threads = this.#gradient === null ? 1 : this.#ready() + 1;
    if (threads === 1) {
      local(0, rows);
      return;
    }
    const part = Math.ceil(rows / threads / GRADIENT_ROW_STEP) * GRADIENT_ROW_STEP;
    const cut = this.#cut;
    for (let t = 0; t <= threads; t++) cut[t] = Math.min(rows, t * part);
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) this.#dispatch(this.#slots[t], seq, OP.gradients, cut[t], cut[t + 1], 0, 0, 0, 0);
    local(0, cut[1]);
    for (let t = 1; t < threads; t++) this.#await(this.#slots[t], seq);
  }

  /**
   * Shares the split search of the first `n` listed features of the workspace's split-search area (already written)
   * out by features: every thread, this one through `local(k, k + 1)` and the workers through OP.scan, searches its
   * own part of the features, cut by bins as the build's units are by work, and then helps with the rest
   * (takeItems). See parallel-split-scan.ts.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  splitScan(n: number, smallId: number, largeId: number, local: (from: number, to: number) => void): void {
    const threads = n < 2 ? 1 : this.#ready() + 1;
    if (threads === 1) {
      local(0, n);
      return;
    }
    const numBins = this.#workspace.layout.numBins;
    const features = this.#scanFeatures;
    this.#share(threads, OP.scan, n, 0, 0, smallId, largeId, local, (k) => 16 + numBins[features[k]]);
  }

  /**
   * HistogramWorkspace.loadGradients with the copying shared out when `grad` and `hess` live in the shared training
   * buffers: the workers copy the later rows while this thread copies the first ones and sums every row, in row
   * order, so the totals are those of one thread.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  loadGradients(grad: Float64Array, hess: Float64Array): void {
    const workspace = this.#workspace;
    const shared = this.#gradient?.memory.buffer;
    const threads = shared === grad.buffer && shared === hess.buffer ? this.#ready() + 1 : 1;
    if (threads === 1) {
      workspace.loadGradients(grad, hess);
      return;
    }
    // Copying a row costs about twice summing it: with one worker, this thread copies a quarter of the rows.
    const n = workspace.layout.numRows;
    const mine = Math.max(0, Math.floor((2 * n / (threads - 1) - n) / (2 + 2 / (threads - 1))));
    const part = Math.ceil((n - mine) / (threads - 1));
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) {
      const from = Math.min(n, mine + (t - 1) * part);
      this.#dispatch(this.#slots[t], seq, OP.load, from, Math.min(n, from + part), grad.byteOffset, hess.byteOffset, 0, 0);
    }
    workspace.loadGradients(grad, hess, mine);
    for (let t = 1; t < threads; t++) this.#await(this.#slots[t], seq);
  }

  /**
   * Builds the first `n` units of `workspace.units` (features or row-wise groups) over the rows `indices[begin ..
   * begin+count)`, whose gradient pairs are at byte `pairsAt` (HistogramWorkspace.gather), into histogram buffer
   * `outId`. The units are cut into one part of about equal work (unitCost) per thread; each thread builds its own
   * part and then helps with what is left of the others' (takeItems). A unit's bits do not depend on which thread
   * builds it.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  build(n: number, begin: number, count: number, outId: number, pairsAt: number = this.#workspace.layout.pairsAt): void {
    const workspace = this.#workspace;
    const threads = this.#ready() + 1;
    if (count < MIN_ROWS_PER_DISPATCH || n < 2 || threads === 1) {
      workspace.build(0, n, begin, count, outId, pairsAt);
      return;
    }
    this.#share(threads, OP.build, n, begin, count, outId, pairsAt, (from, to) => workspace.build(from, to, begin, count, outId, pairsAt), (k) => workspace.unitCost(workspace.units[k], count));
  }

  /**
   * HistogramWorkspace.gather with the copying shared out: each thread gathers an equal part of the rows. Returns
   * the byte address of the pairs, for build().
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  gather(begin: number, count: number, inOrder: boolean): number {
    const workspace = this.#workspace;
    if (inOrder || count < MIN_ROWS_PER_GATHER) return workspace.gather(begin, count, inOrder);
    const threads = this.#ready() + 1;
    const cut = this.#cutRows(count, threads);
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) this.#dispatch(this.#slots[t], seq, OP.gather, cut[t], cut[t + 1], begin, count, 0, 0);
    workspace.gatherRange(begin, 0, cut[1]);
    for (let t = 1; t < threads; t++) this.#await(this.#slots[t], seq);
    return workspace.layout.pairsAt;
  }

  /**
   * HistogramWorkspace.partition with the rows shared out: each thread partitions an equal part of the leaf's rows,
   * then the parts are joined in order, so the rows end in exactly the order one thread gives. Returns the left count.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  partition(f: number, begin: number, count: number): number {
    const workspace = this.#workspace;
    if (count < MIN_ROWS_PER_PARTITION) return workspace.partition(f, begin, count);
    const threads = this.#ready() + 1;
    const cut = this.#cutRows(count, threads);
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) this.#dispatch(this.#slots[t], seq, OP.partition, cut[t], cut[t + 1], begin, count, f, 0);
    const left = this.#left;
    left[0] = workspace.partitionRange(f, begin, 0, cut[1]);
    for (let t = 1; t < threads; t++) {
      this.#await(this.#slots[t], seq);
      left[t] = this.#workspace.control[this.#slots[t] * CONTROL_SLOTS + SLOT.result];
    }
    return workspace.joinPartition(begin, threads, cut, left);
  }

  /**
   * How many workers serve (their slots are #slots[1 ..]). A worker still starting (loading its code takes tens to
   * hundreds of milliseconds) is not waited for: this thread builds its share until it is ready, which changes
   * nothing in the result.
   * @throws LOOM_ERR_GBDT_THREADS_FAILED when a worker failed
   */
  #ready(): number {
    const workers = this.#workers.length;
    if (this.#serving === workers) return workers;
    const control = this.#workspace.control;
    let n = 0;
    for (let slot = 1; slot <= workers; slot++) {
      const base = slot * CONTROL_SLOTS;
      if (Atomics.load(control, base + SLOT.status) !== STATUS.ok) throw new LoomError('GBDT_THREADS_FAILED', { problem: `histogram worker ${slot} failed` });
      if (Atomics.load(control, base + SLOT.ready) === 1) this.#slots[++n] = slot;
    }
    this.#serving = n;
    return n;
  }

  /**
   * Runs `op` over items `0 .. n` on `threads` threads: cuts the items into `threads` contiguous parts of about equal
   * `cost`, then every thread, this one through `local(k, k + 1)`, takes items of its own part and then of the
   * others' (takeItems). When this thread's item throws, it takes no more and waits for the workers (which take the
   * rest) before it rethrows, so no worker is still writing when the caller unwinds.
   */
  #share(threads: number, op: number, n: number, begin: number, count: number, outId: number, pairsAt: number, local: (from: number, to: number) => void, cost: (k: number) => number): void {
    const control = this.#workspace.control;
    const sums = this.#cost;
    sums[0] = 0;
    for (let k = 0; k < n; k++) sums[k + 1] = sums[k] + cost(k);
    let k = 0;
    for (let t = 0; t < threads; t++) {
      const target = (sums[n] * (t + 1)) / threads;
      while (k < n && sums[k + 1] - target < target - sums[k]) k++;
      Atomics.store(control, t * CONTROL_SLOTS + SLOT.partEnd, t === threads - 1 ? n : k);
      Atomics.store(control, t * CONTROL_SLOTS + SLOT.next, 0);
    }
    const seq = ++this.#seq;
    for (let t = 1; t < threads; t++) {
      Atomics.store(control, this.#slots[t] * CONTROL_SLOTS + SLOT.part, t);
      this.#dispatch(this.#slots[t], seq, op, threads, n, begin, count, outId, pairsAt);
    }
    let failure: { error: unknown } | null = null;
    try {
      takeItems(control, 0, threads, (item) => local(item, item + 1));
    } catch (error) {
      failure = { error };
    }
    for (let t = 1; t < threads; t++) this.#await(this.#slots[t], seq);
    if (failure !== null) throw failure.error;
  }

  /** Cuts `count` list positions into `threads` equal parts: part t is `cut[t] .. cut[t+1]`. */
  #cutRows(count: number, threads: number): Int32Array {
    const part = Math.ceil(count / threads);
    for (let t = 0; t <= threads; t++) this.#cut[t] = Math.min(count, t * part);
    return this.#cut;
  }

  /** Hands request `seq` to worker `slot`: the fields first, `seq` last (the worker starts when it sees it). */
  #dispatch(slot: number, seq: number, op: number, from: number, to: number, begin: number, count: number, outId: number, pairsAt: number): void {
    const control = this.#workspace.control;
    const base = slot * CONTROL_SLOTS;
    control[base + SLOT.op] = op;
    control[base + SLOT.from] = from;
    control[base + SLOT.to] = to;
    control[base + SLOT.begin] = begin;
    control[base + SLOT.count] = count;
    control[base + SLOT.out] = outId;
    control[base + SLOT.pairs] = pairsAt;
    Atomics.store(control, base + SLOT.seq, seq);
    Atomics.notify(control, base + SLOT.seq);
  }

  #await(slot: number, seq: number): void {
    const control = this.#workspace.control;
    const base = slot * CONTROL_SLOTS;
    let spins = 0;
    for (;;) {
      const done = Atomics.load(control, base + SLOT.done);
      if (done === seq) break;
      if (Atomics.load(control, base + SLOT.status) !== STATUS.ok) {
        throw new LoomError('GBDT_THREADS_FAILED', { problem: `histogram worker ${slot} failed` });
      }
      if (++spins <= this.#spins) continue;
      // Timed, so a worker that fails without answering is noticed through its status slot (its error event cannot
      // be delivered while this thread waits).
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
 * Node 20 workers do not inherit `--import`, so a small bootstrap registers tsx's loader in the worker and then
 * imports histogram-worker.ts; if that fails it marks the worker's slot failed, because the caller is blocked
 * waiting and cannot receive the worker's error event.
 */
function startWorker(workerData: { layout: HistogramWorkspace['layout']; slot: number; spins: number; gradient: SharedGradientMemory | null }): Worker {
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
