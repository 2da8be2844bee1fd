import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { armVerdict, awaitVerdict, giveVerdict, verdictWord } from './verdict-word.js';

/** A worker that arms the word, then posts what awaitVerdict returns. */
function sleeper(word: Int32Array): { worker: Worker; verdict: Promise<boolean> } {
  const entry = new URL('./verdict-word.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `const { parentPort, workerData } = require('node:worker_threads');
import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })
  .then((m) => { const word = new Int32Array(workerData); m.armVerdict(word); parentPort.postMessage(m.awaitVerdict(word)); });`;
  const worker = new Worker(code, { eval: true, workerData: word.buffer });
  const verdict = new Promise<boolean>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, verdict };
}

/** Notifies the word until a sleeper wakes (notify answers 1), or gives up after `ms`. */
async function wakeSleeper(word: Int32Array, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (Atomics.notify(word, 0) === 1) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

test('a notify without a verdict (a late one from the step before) does not end the wait; the verdict does', async () => {
  const word = verdictWord();
  const { worker, verdict } = sleeper(word);
  let returned = false;
  void verdict.then(() => (returned = true), () => (returned = true));
  try {
    // The first wake-up finds no verdict: the worker must go back to sleep, so a second notify finds it asleep.
    assert.ok(await wakeSleeper(word, 20_000), 'the worker never slept on the word');
    assert.ok(await wakeSleeper(word, 5_000), 'after a wake-up with no verdict the worker did not sleep again');
    assert.equal(returned, false);
    giveVerdict(word, true);
    assert.equal(await verdict, true);
  } finally {
    await worker.terminate();
  }
});

test('a verdict given before the worker sleeps is taken at once, and says whether to stop', () => {
  const word = verdictWord();
  armVerdict(word);
  giveVerdict(word, false);
  assert.equal(awaitVerdict(word), false);
  armVerdict(word);
  giveVerdict(word, true);
  assert.equal(awaitVerdict(word), true);
});
