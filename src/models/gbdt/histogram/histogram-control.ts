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
 * `out`, `status` (STATUS), `quit` (1: exit) and `ready` (1 once the worker serves).
 */
export const SLOT = { seq: 0, done: 1, from: 2, to: 3, count: 4, out: 5, status: 6, quit: 7, ready: 8, begin: 9, pairs: 10 } as const;
/** `SLOT.status` values. */
export const STATUS = { ok: 0, failed: 1 } as const;
/**
 * Polls of a shared slot before sleeping on it (about a millisecond). A worker that sleeps between the builds of one
 * tree must be woken for each (a futex wake), and on a busy machine the scheduler can run the woken worker in the
 * caller's place for a whole time slice: with 2,000 polls, 2-thread training on the synthetic 800k × 28 set spent
 * 9.1 s of a 35 s loop handing out builds, and the loop was no faster than on 1 thread. With 200,000 polls the
 * worker is still polling when the next build arrives (0.5 s handing out, loop 24.8 s against 35.6 s on 1 thread,
 * same load). Polling between builds uses the core the caller asked for with num_threads, as OpenMP runtimes do.
 */
export const SPINS = 200_000;
/** Polls when there are more threads than cores: a polling thread would then hold a core another thread needs. */
export const SPINS_OVERSUBSCRIBED = 2000;
