import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JetStreamNames } from './jetstream-names.js';

test('Loom names map to JetStream names and back, per namespace', () => {
  const plain = new JetStreamNames();
  const ws1 = new JetStreamNames('ws1');
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['orders.v1', 'LOOM_orders~v1', 'LOOM-ws1_orders~v1'],
    ['a-b_c', 'LOOM_a-b_c', 'LOOM-ws1_a-b_c'],
    ['OFFSETS', 'LOOM_OFFSETS', 'LOOM-ws1_OFFSETS'],
  ];
  for (const [loom, js, jsNs] of cases) {
    assert.equal(plain.stream(loom), js);
    assert.equal(ws1.stream(loom), jsNs);
    assert.equal(plain.subject(loom), `loom.stream.${js}`);
    assert.equal(plain.loomStream(js), loom);
    assert.equal(ws1.loomStream(jsNs), loom);
    assert.equal(plain.loomStream(jsNs), null, 'a namespaced stream is not in the default namespace');
    assert.equal(ws1.loomStream(js), null);
  }
  assert.equal(plain.offsetsStream, 'LOOMOFFSETS');
  assert.equal(ws1.offsetSubject('monitor.v2', 'orders.v1'), 'loom.offsets.LOOMOFFSETS-ws1.monitor~v2.orders~v1');
  assert.equal(plain.loomStream(plain.offsetsStream), null, 'the offsets stream is never listed as an event stream');
  assert.ok(ws1.owns('LOOMOFFSETS-ws1') && ws1.owns('LOOM-ws1_x') && !ws1.owns('LOOM-ws2_x') && !ws1.owns('LOOM_x'));
});

test('names that differ only in ".", "-" or "_" stay distinct', () => {
  const names = new JetStreamNames();
  const mapped = ['a.b', 'a-b', 'a_b', 'ab'].map((n) => names.stream(n));
  assert.equal(new Set(mapped).size, 4);
});

test('a namespace must be 1–32 letters or digits', () => {
  for (const bad of ['', 'has_underscore', 'has-dash', 'x'.repeat(33), 'dot.ted']) {
    assert.throws(() => new JetStreamNames(bad), { code: 'LOOM_ERR_CONFIG_INVALID' }, bad);
  }
});
