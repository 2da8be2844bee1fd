import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLogBase } from './event-log-base.js';
import type { AppendResult, EventLogCapabilities, EventRecord } from './event-log.js';

/** A backend without live delivery that keeps events in memory, to check what the base does on its own. */
class BatchOnlyLog extends EventLogBase {
  readonly backend = 'batch-only';
  readonly capabilities: EventLogCapabilities = { live: false, atomicAppend: true };
  readonly stored: string[] = [];
  released = 0;

  protected override maxEventBytes = 16;
  protected async appendSerialized(_stream: string, payloads: readonly string[]): Promise<AppendResult> {
    this.stored.push(...payloads);
    return { firstOffset: this.stored.length - payloads.length, lastOffset: this.stored.length - 1 };
  }
  protected async readFrom(): Promise<EventRecord[]> {
    return [];
  }
  protected async lengthOf(): Promise<number> {
    return this.stored.length;
  }
  protected async listStreams(): Promise<string[]> {
    return ['b', 'a.b', 'A'];
  }
  protected async writeCommit(): Promise<void> {}
  protected async readCommit(): Promise<number> {
    return 0;
  }
  protected async release(): Promise<void> {
    this.released++;
  }
}

test('subscribe on a backend without live delivery throws STORAGE_NOT_SUPPORTED naming the backend', async () => {
  const log = new BatchOnlyLog();
  await assert.rejects(log.subscribe('s', 0, () => undefined, new AbortController().signal), {
    code: 'LOOM_ERR_STORAGE_NOT_SUPPORTED',
    details: { backend: 'batch-only', operation: 'subscribe' },
  });
});

test('the base serializes events once, enforces the backend size limit and sorts stream names', async () => {
  const log = new BatchOnlyLog();
  assert.deepEqual(await log.append('s', [{ a: 1 }, 'x', Number.NaN]), { firstOffset: 0, lastOffset: 2 });
  assert.deepEqual(log.stored, ['{"a":1}', '"x"', 'null']);
  await assert.rejects(log.append('s', ['x'.repeat(15)]), { code: 'LOOM_ERR_EVENTS_INVALID_ARGUMENT', details: { field: 'events[0]' } });
  assert.equal(log.stored.length, 3);
  assert.deepEqual(await log.streams(), ['A', 'a.b', 'b']);
});

test('close releases once', async () => {
  const log = new BatchOnlyLog();
  await Promise.all([log.close(), log.close()]);
  assert.equal(log.released, 1);
});
