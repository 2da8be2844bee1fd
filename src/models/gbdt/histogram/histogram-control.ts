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
 * `result`. For a shared request (OP.build, OP.scan; see takeItems), `from` is its number of threads, `part` the
 * worker's part, and block t holds part t's end (`partEnd`) and its next item (`next`).
 */
export const SLOT = { seq: 0, done: 1, from: 2, to: 3, count: 4, out: 5, status: 6, quit: 7, ready: 8, begin: 9, pairs: 10, op: 11, result: 12, next: 13, part: 14, partEnd: 15 } as const;
/**
 * `SLOT.op` values: build the `to` listed units (HistogramWorkspace.build), taken by part; gather the pairs of list positions
 * `from .. to` (gatherRange); partition list positions `from .. to` by feature `out` (partitionRange), the left
 * count going to `result`; run rows `from .. to` of the gradient pass (GradientPassRunner); load the gradient pairs
 * of rows `from .. to` (loadPairs) from the Float64 gradients at byte `begin` and hessians at byte `count` of the
 * training buffers' shared memory; search the `to` listed features, taken by part, of the split-search area with the
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

/**
 * Thread `part`'s share of a shared request over items `0 .. n` on `threads` threads. Part t is items
 * `partEnd(t − 1) .. partEnd(t)` (SLOT.partEnd of control block t; part 0 starts at 0), cut by the caller into
 * parts of about equal work. The thread takes the items of its own part first, one at a time from the part's
 * counter (SLOT.next of block t), then whatever is left of the other parts, from theirs. So a feature is built by
 * the same thread from one leaf to the next and its lanes, counts and histogram stay in that core's cache, while a
 * thread that finishes early still takes work from a slower one. Taking every item from one shared counter instead
 * moved features between threads from leaf to leaf, and their lines between cores: for a 10 % leaf of 800,000 rows
 * × 28 features, 2 threads took 3.3–4.5 ms per build against 1.4–2.3 ms this way and 2.9 ms on one thread
 * (bench/gbdt/histogram-threads-bench.ts, 2026-11-27).
 */
export function takeItems(control: Int32Array, part: number, threads: number, run: (item: number) => void): void {
  for (let i = 0; i < threads; i++) {
    const from = (part + i) % threads;
    const start = from === 0 ? 0 : control[(from - 1) * CONTROL_SLOTS + SLOT.partEnd];
    const end = control[from * CONTROL_SLOTS + SLOT.partEnd];
    const at = from * CONTROL_SLOTS + SLOT.next;
    for (let k = start + Atomics.add(control, at, 1); k < end; k = start + Atomics.add(control, at, 1)) run(k);
  }
}
