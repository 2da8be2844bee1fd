// Entry of a histogram worker thread (started by HistogramThreads): opens the shared workspace, then serves what its
// control slot asks for until told to quit: build feature ranges, gather or partition row ranges, run rows of a
// gradient pass or load their pairs (training buffers' shared memory), or search a feature range for splits.
// Failures are reported in the slot, never thrown.
import { workerData } from 'node:worker_threads';
import { GradientPassRunner, type SharedGradientMemory } from '../objective/gradient-kernel.js';
import { NumericalScan } from '../tree/numerical-scan-kernel.js';
import { scanFeatureRange, SplitScanArea } from '../tree/parallel-split-scan.js';
import { webAssemblyApi } from '../wasm/assembler.js';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS, OP, SLOT, STATUS, takeItems } from './histogram-control.js';
import { HistogramWorkspace } from './histogram-workspace.js';
import type { HistogramWorkspaceLayout } from './workspace-layout.js';
import { HistogramSubtractor } from './subtract-kernel.js';

const { layout, slot, spins: maxSpins, gradient } = workerData as { layout: HistogramWorkspaceLayout; slot: number; spins: number; gradient: SharedGradientMemory | null };
let runner: GradientPassRunner | null = null;
let search: { area: SplitScanArea; scan: NumericalScan; subtractor: HistogramSubtractor } | null = null;
// All blocks: a shared request's part counters live in the blocks of its parts (takeItems).
const control = new Int32Array(layout.memory.buffer, layout.controlAt, CONTROL_SLOTS * MAX_HISTOGRAM_THREADS);
const base = slot * CONTROL_SLOTS;

/** Serves build requests until the quit flag is set. */
function serve(workspace: HistogramWorkspace): void {
  let seen = 0;
  Atomics.store(control, base + SLOT.ready, 1);
  for (;;) {
    let spins = 0;
    let seq = Atomics.load(control, base + SLOT.seq);
    while (seq === seen) {
      if (++spins > maxSpins) Atomics.wait(control, base + SLOT.seq, seen);
      seq = Atomics.load(control, base + SLOT.seq);
    }
    seen = seq;
    if (Atomics.load(control, base + SLOT.quit) === 1) return;
    try {
      const op = control[base + SLOT.op];
      if (op === OP.gather) workspace.gatherRange(control[base + SLOT.begin], control[base + SLOT.from], control[base + SLOT.to]);
      else if (op === OP.gradients) runner!.run(control[base + SLOT.from], control[base + SLOT.to]);
      else if (op === OP.scan) splitScan(workspace, control[base + SLOT.from], control[base + SLOT.out], control[base + SLOT.pairs]);
      else if (op === OP.load) loadPairs(workspace, control[base + SLOT.begin], control[base + SLOT.count], control[base + SLOT.from], control[base + SLOT.to]);
      else if (op === OP.partition) control[base + SLOT.result] = workspace.partitionRange(control[base + SLOT.out], control[base + SLOT.begin], control[base + SLOT.from], control[base + SLOT.to]);
      else build(workspace, control[base + SLOT.from], control[base + SLOT.begin], control[base + SLOT.count], control[base + SLOT.out], control[base + SLOT.pairs]);
    } catch {
      Atomics.store(control, base + SLOT.status, STATUS.failed);
    }
    Atomics.store(control, base + SLOT.done, seq);
    Atomics.notify(control, base + SLOT.done);
  }
}

/** Loads rows `from .. to` of the gradients at byte `gradAt` and hessians at `hessAt` of the training buffers. */
function loadPairs(workspace: HistogramWorkspace, gradAt: number, hessAt: number, from: number, to: number): void {
  const buffer = gradient!.memory.buffer;
  workspace.loadPairs(new Float64Array(buffer, gradAt, layout.numRows), new Float64Array(buffer, hessAt, layout.numRows), from, to);
}

/** Builds this worker's part of the listed units, then helps with the others' (takeItems; HistogramThreads.build). */
function build(workspace: HistogramWorkspace, threads: number, begin: number, count: number, outId: number, pairsAt: number): void {
  takeItems(control, control[base + SLOT.part], threads, (k) => workspace.build(k, k + 1, begin, count, outId, pairsAt));
}

/**
 * Searches this worker's part of the listed features, then helps with the others' (takeItems;
 * parallel-split-scan.ts), with this worker's own scan and subtraction kernels.
 */
function splitScan(workspace: HistogramWorkspace, threads: number, smallId: number, largeId: number): void {
  const { area, scan, subtractor } = search!;
  takeItems(control, control[base + SLOT.part], threads, (k) => scanFeatureRange(workspace, area, scan, subtractor, k, k + 1, smallId, largeId));
}

/** Marks this worker failed; the caller notices it while waiting. */
function fail(): void {
  Atomics.store(control, base + SLOT.status, STATUS.failed);
  Atomics.notify(control, base + SLOT.done);
}

try {
  const workspace = HistogramWorkspace.open(layout);
  const wasm = webAssemblyApi();
  if (workspace === null || wasm === null) fail();
  else {
    // Every kernel is compiled before the worker says it is ready: compiled on a first request, it would keep the
    // calling thread waiting (about a millisecond for the gradient kernel).
    if (gradient !== null) runner = new GradientPassRunner(wasm, gradient, slot);
    search = { area: new SplitScanArea(workspace), scan: new NumericalScan(wasm, layout.memory, layout.pages, workspace.scanScratch(slot)), subtractor: new HistogramSubtractor(wasm, layout.memory, layout.pages) };
    serve(workspace);
  }
} catch {
  fail();
}
