import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../../core/module-worker.js';
import { LoomError } from '../../../core/errors/index.js';
import { featureValue, type FeatureColumn } from '../data/feature-matrix.js';
import type { GbdtModel } from '../gbdt-model.js';
import { writeLightGbmModel } from '../io/write-lightgbm-model.js';
import { addRowShap } from './add-row-shap.js';
import type { TreeShapOptions } from './tree-shap.js';

/**
 * Fewer rows are explained on the calling thread alone. A worker takes 0.1–0.4 s to start, and a row of a
 * 100-tree Adult model takes about 0.8 ms, so 2,048 rows are 1.6 s of work.
 */
export const MIN_ROWS_FOR_SHAP_THREADS = 2048;
/** Rows per block that a thread takes at a time. */
const BLOCK_ROWS = 64;

/** Slots of the shared control block: the next block to take, blocks completed, and a failure flag. */
export const SHAP_CONTROL = { next: 0, completed: 1, failed: 2 } as const;

/** What a TreeSHAP worker gets: the model as LightGBM text, the shared rows, output and control. @internal */
export interface ShapWorkerData {
  readonly modelText: string;
  /** Row-major feature values, numRows × numFeatures (Float64). */
  readonly rows: SharedArrayBuffer;
  /** treeShap's layout, numRows × width (Float64). */
  readonly out: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly numRows: number;
  readonly numFeatures: number;
  readonly numIterations: number | undefined;
}

/** The threads treeShap uses for `numRows` rows when `numThreads` are asked for (0 or undefined: every core). */
export function shapThreadsFor(numThreads: number | undefined, numRows: number): number {
  if (numRows < MIN_ROWS_FOR_SHAP_THREADS) return 1;
  return numThreads === undefined || numThreads <= 0 ? availableParallelism() : numThreads;
}

/**
 * Explains blocks of rows until none is left, taking block numbers from the shared counter: the calling thread and
 * every worker run this side by side. Each row is computed by the same code whichever thread takes it, so the
 * contributions are the same bits for any thread count. @internal
 */
export function explainBlocks(model: GbdtModel, data: ShapWorkerData, control: Int32Array): void {
  const rows = new Float64Array(data.rows);
  const out = new Float64Array(data.out);
  const width = model.numOutputs * (data.numFeatures + 1);
  const row = new Float64Array(data.numFeatures);
  const options: TreeShapOptions = data.numIterations === undefined ? {} : { numIterations: data.numIterations };
  const blocks = Math.ceil(data.numRows / BLOCK_ROWS);
  for (;;) {
    const block = Atomics.add(control, SHAP_CONTROL.next, 1);
    if (block >= blocks || Atomics.load(control, SHAP_CONTROL.failed) === 1) return;
    const end = Math.min(data.numRows, (block + 1) * BLOCK_ROWS);
    for (let i = block * BLOCK_ROWS; i < end; i++) {
      row.set(rows.subarray(i * data.numFeatures, (i + 1) * data.numFeatures));
      addRowShap(model, row, out, i * width, options);
    }
    Atomics.add(control, SHAP_CONTROL.completed, 1);
    Atomics.notify(control, SHAP_CONTROL.completed);
  }
}

/**
 * treeShap over `threads` threads: the rows of `columns` (model feature order) go into shared memory, row-major,
 * `threads − 1` workers start, and every thread, this one included, takes blocks of rows until none is left. This
 * thread does not wait for the workers to start: if it finishes first, they find nothing left. The result goes into
 * `result` (treeShap's layout, zeroed). `start` starts one worker (tests give their own).
 * @throws LOOM_ERR_GBDT_SHAP_THREADS_FAILED when a worker failed in the middle of a block
 */
export function treeShapInThreads(model: GbdtModel, columns: readonly FeatureColumn[], numRows: number, result: Float64Array, options: TreeShapOptions, threads: number, start: (data: ShapWorkerData) => Worker = (data) => startModuleWorker(import.meta.url, 'shap-worker', data)): void {
  const numFeatures = columns.length;
  const data: ShapWorkerData = {
    modelText: writeLightGbmModel(model),
    rows: new SharedArrayBuffer(8 * numRows * numFeatures),
    out: new SharedArrayBuffer(result.byteLength),
    control: new SharedArrayBuffer(4 * 3),
    numRows,
    numFeatures,
    numIterations: options.numIterations,
  };
  const rows = new Float64Array(data.rows);
  for (let i = 0; i < numRows; i++) for (let f = 0; f < numFeatures; f++) rows[i * numFeatures + f] = featureValue(columns[f], i);
  const control = new Int32Array(data.control);
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < threads; t++) {
      const worker = start(data);
      // A worker that cannot start takes no block; the calling thread then explains every row.
      worker.on('error', () => {});
      worker.unref();
      workers.push(worker);
    }
    explainBlocks(model, data, control);
    const blocks = Math.ceil(numRows / BLOCK_ROWS);
    for (;;) {
      const completed = Atomics.load(control, SHAP_CONTROL.completed);
      if (Atomics.load(control, SHAP_CONTROL.failed) === 1) throw new LoomError('GBDT_SHAP_THREADS_FAILED', { problem: 'a worker failed while it explained a block of rows' });
      if (completed >= blocks) break;
      Atomics.wait(control, SHAP_CONTROL.completed, completed, 50);
    }
  } finally {
    // Blocks left for nobody: a worker that starts late finds none.
    Atomics.store(control, SHAP_CONTROL.next, 1 << 30);
    for (const worker of workers) void worker.terminate();
  }
  result.set(new Float64Array(data.out));
}
