/**
 * The control block through which HistogramThreads drives its workers: per worker, CONTROL_SLOTS Int32 slots in the
 * shared workspace memory, read and written with Atomics. Kept free of imports so a worker starts quickly.
 */

/** Int32 slots per thread. */
export const CONTROL_SLOTS = 16;
/** Most threads a workspace has control slots for. */
export const MAX_HISTOGRAM_THREADS = 64;
/**
 * Slot offsets: `seq` (request number, written last by the caller), `done` (last request finished), the request's
 * unit range `from`/`to`, rows `begin`/`count`, the byte address of their gradient `pairs` and histogram buffer
 * `out`, `status` (STATUS), `quit` (1: exit), `ready` (1 once the worker serves), the request's `op` (OP) and its
 * `result`. `next`, in the calling thread's block (slot 0) only, is the next item of a shared request (OP.build,
 * OP.scan): every thread takes items with Atomics.add until they run out.
 */
export const SLOT = { seq: 0, done: 1, from: 2, to: 3, count: 4, out: 5, status: 6, quit: 7, ready: 8, begin: 9, pairs: 10, op: 11, result: 12, next: 13 } as const;
/**
 * `SLOT.op` values: build units taken from `next` until `to` (HistogramWorkspace.build); gather the pairs of list positions
 * `from .. to` (gatherRange); partition list positions `from .. to` by feature `out` (partitionRange), the left
 * count going to `result`; run rows `from .. to` of the gradient pass (GradientPassRunner); load the gradient pairs
 * of rows `from .. to` (loadPairs) from the Float64 gradients at byte `begin` and hessians at byte `count` of the
 * training buffers' shared memory; search the listed features taken from `next` until `to` of the split-search area with the
 * smaller child in histogram buffer `out` and the larger in `pairs` (-1: none), see parallel-split-scan.ts.
 */
export const OP = { build: 0, gather: 1, partition: 2, gradients: 3, load: 4, scan: 5 } as const;
/** `SLOT.status` values. */
export const STATUS = { ok: 0, failed: 1 } as const;
/**
 * Polls of a shared slot before sleeping on it (about a millisecond), so a worker is usually still polling when the
 * next build of the same tree arrives and is not woken through a futex, as OpenMP runtimes keep their threads
 * spinning. Measured on the synthetic 800k × 28 set, 2 threads, medians of 5 alternating runs on an idle machine
 * (2026-11-27): 22.0 s against 22.5 s with 2,000 polls, a small gain; under a load of 3–6 from other processes
 * single runs varied from 21 to 80 s either way, so no claim is made there.
 */
export const SPINS = 200_000;
/** Polls when there are more threads than cores: a polling thread would then hold a core another thread needs. */
export const SPINS_OVERSUBSCRIBED = 2000;
