/**
 * The shared word through which a TrialPool hands a fold's worker the pruning verdict after each step. Two Int32
 * slots: [0] is 1 once the verdict is in, [1] is 1 when it says stop.
 *
 * The worker clears [0] before it posts its score (`armVerdict`), then sleeps until [0] is 1 (`awaitVerdict`). The
 * pool writes [1], then [0], then notifies (`giveVerdict`). The wait loops on the word, not on the wake-up:
 * `Atomics.notify` wakes a sleeper whatever the word holds, and the notify of one step can land late. When the pool
 * sets [0] and is descheduled before its notify, the worker sees 1 without sleeping, trains the next iteration,
 * clears [0] and sleeps; the late notify then wakes it with no verdict for that step. Returning on that wake-up let a
 * fold run one step ahead of the others (seen once in CI, on a loaded host, as the pruner getting step 4 twice).
 * @internal
 */
export function verdictWord(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** Worker side, before posting a score: no verdict yet. */
export function armVerdict(word: Int32Array): void {
  Atomics.store(word, 0, 0);
}

/** Worker side: sleeps until the verdict for the step last armed is in; true means stop training. */
export function awaitVerdict(word: Int32Array): boolean {
  while (Atomics.load(word, 0) === 0) Atomics.wait(word, 0, 0);
  return Atomics.load(word, 1) === 1;
}

/** Pool side: gives the verdict and wakes the worker. */
export function giveVerdict(word: Int32Array, stop: boolean): void {
  Atomics.store(word, 1, stop ? 1 : 0);
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}
