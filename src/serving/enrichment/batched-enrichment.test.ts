import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoomError } from '../../core/errors/index.js';
import type { ServedModel } from '../served-model.js';
import { BatchedEnrichment, type GroupedEnrichment } from './batched-enrichment.js';
import type { EnrichedRecords } from './feature-enrichment.js';

// BatchedEnrichment's own rules, over an in-memory enrichment that records its calls (the online store's behaviour
// is tested against SQLite and Redis in test/e2e/features-serving.test.ts).

const model = { name: 'm', version: '1', modelHash: 'h' } as unknown as ServedModel;
const answer = (entities: readonly unknown[]): EnrichedRecords => ({ records: entities.map((e) => ({ ...(e as object), f: 1 })), statuses: entities.map(() => ({ f: 'PRESENT' })), errors: [] });

/** An enrichment whose group reads fail with `groupError` (when set) and whose single reads fail for entity id 13. */
function recording(groupError: () => Error | null) {
  const calls: string[] = [];
  let release: () => void = () => {};
  const gate = { closed: false };
  const inner: GroupedEnrichment = {
    async enrich(_model, entities) {
      calls.push(`alone ${entities.length}`);
      if (entities.some((e) => (e as { id: number }).id === 13)) throw new LoomError('FEATURES_ON_DEMAND_FAILED', { view: 'v', index: 0, problem: 'bad data' }, { details: { field: 'entities' } });
      return answer(entities);
    },
    async enrichGroups(_model, groups) {
      calls.push(`groups ${groups.map((g) => g.length).join(',')}`);
      if (gate.closed) await new Promise<void>((r) => (release = r));
      const error = groupError();
      if (error !== null) throw error;
      return groups.map(answer);
    },
    close: async () => {},
  };
  return { inner, calls, gate, release: () => release() };
}

test('a read that fails for one request is answered by reading each request alone; a store failure fails them all', async () => {
  const onDemand = recording(() => new LoomError('FEATURES_ON_DEMAND_FAILED', { view: 'v', index: 3, problem: 'bad data' }));
  const batched = new BatchedEnrichment(onDemand.inner, { maxBatchSize: 8 });
  const results = await Promise.allSettled([[{ id: 1 }], [{ id: 13 }], [{ id: 2 }, { id: 3 }]].map((entities) => batched.enrich(model, entities, { partial: false })));
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(onDemand.calls, ['groups 1,1,2', 'alone 1', 'alone 1', 'alone 2']);

  const down = recording(() => new LoomError('STORAGE_UNREACHABLE', { kind: 'Redis online store', uri: 'redis://x', problem: 'refused', env: 'LOOM_KV_URI' }));
  const failing = new BatchedEnrichment(down.inner, { maxBatchSize: 8 });
  const all = await Promise.allSettled([[{ id: 1 }], [{ id: 2 }]].map((entities) => failing.enrich(model, entities, { partial: true })));
  assert.deepEqual(all.map((r) => r.status === 'rejected' && (r.reason as LoomError).code), ['LOOM_ERR_STORAGE_UNREACHABLE', 'LOOM_ERR_STORAGE_UNREACHABLE']);
  assert.deepEqual(down.calls, ['groups 1,1']);
});

test('rows in reads not yet answered count against maxQueue; flushAll waits for them', async () => {
  const slow = recording(() => null);
  slow.gate.closed = true;
  const batched = new BatchedEnrichment(slow.inner, { maxBatchSize: 4, maxQueue: 3 });
  const first = [batched.enrich(model, [{ id: 1 }, { id: 2 }], { partial: false }), batched.enrich(model, [{ id: 3 }], { partial: false })];
  await new Promise((r) => setImmediate(r)); // the turn ends: the batch's read starts and waits at the gate
  assert.deepEqual(slow.calls, ['groups 2,1']);
  await assert.rejects(batched.enrich(model, [{ id: 4 }], { partial: false }), { code: 'LOOM_ERR_SERVING_OVERLOADED' });
  let flushed = false;
  const flushing = batched.flushAll().then(() => (flushed = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(flushed, false, 'flushAll waits for the read in flight');
  slow.release();
  await flushing;
  assert.deepEqual((await Promise.all(first)).map((r) => r.records), [[{ id: 1, f: 1 }, { id: 2, f: 1 }], [{ id: 3, f: 1 }]]);
  // Nothing waits now: the next request is taken.
  slow.gate.closed = false;
  assert.deepEqual((await batched.enrich(model, [{ id: 4 }], { partial: false })).records, [{ id: 4, f: 1 }]);
});
