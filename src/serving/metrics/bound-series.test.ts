import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { BoundHistogram, CounterBindings } from './bound-series.js';
import { counterValue } from './serving-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [Record<string, string>, number][] = [
  [{ route: '/a', model: 'm' }, 0.0005],
  [{ route: '/a', model: 'm' }, 0.001], // on a bound: counts in that bucket (le is inclusive)
  [{ route: '/a', model: 'm' }, 0.5],
  [{ route: '/a', model: 'm' }, 7], // above every bound: +Inf only
  [{ route: '/b', model: 'q"u\\o\nte' }, 0.02],
  [{ route: '/a', model: 'm' }, 0],
  [{ route: '/b', model: 'q"u\\o\nte' }, 0.02],
];

test('a BoundHistogram renders exactly as prom-client\'s Histogram after the same observations', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const bound = new BoundHistogram({ name: 'h_seconds', help: 'Help with "quotes" and \\ backslash.', labelNames: ['route', 'model'], buckets: BUCKETS, registers: [ours] });
  const reference = new Histogram({ name: 'h_seconds', help: 'Help with "quotes" and \\ backslash.', labelNames: ['route', 'model'], buckets: BUCKETS, registers: [theirs] });
  const first = bound.bind({ route: '/a', model: 'm' });
  for (const [labels, value] of OBSERVED) {
    // Half through a bound series (the same one as bind() gives again), half through observe(labels, v).
    if (labels.route === '/a' && value < 1) first.observe(value);
    else bound.observe(labels, value);
    reference.observe(labels, value);
  }
  assert.equal(bound.bind({ route: '/a', model: 'm' }), first, 'one series per label values');
  const text = await ours.metrics();
  assert.equal(text, await theirs.metrics());
  assert.ok(text.includes('h_seconds_bucket{le="0.001",route="/a",model="m"} 3'), text);
  assert.ok(text.includes('h_seconds_bucket{le="+Inf",route="/a",model="m"} 5'), text);
  assert.ok(text.includes('h_seconds_sum{route="/b",model="q\\"u\\\\o\\nte"} 0.04'), text);
  // The object form too, but for prom-client's exemplar slots (always empty here: Loom records no exemplars).
  const objects = async (r: Registry) => (await r.getMetricsAsJSON()).map((m) => ({ ...m, values: m.values.map((value) => { const { exemplar: _e, ...v } = value as typeof value & { exemplar?: unknown }; return v; }) }));
  assert.deepEqual(await objects(ours), await objects(theirs));
  bound.reset();
  reference.reset();
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('bound histograms refuse what prom-client refuses: unknown label names and values that are not finite', () => {
  const h = new BoundHistogram({ name: 'h', help: 'h', labelNames: ['route'], buckets: BUCKETS, registers: [new Registry()] });
  assert.throws(() => h.bind({ route: '/a', status: '200' } as never), /status/);
  const series = h.bind({ route: '/a' });
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) assert.throws(() => series.observe(bad), TypeError);
});

test('bound counter series add up with inc() on the same labels, and every reader sees the pending counts', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const bindings = new CounterBindings('c_total', ['route', 'status']);
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['route', 'status'], registers: [ours], collect: bindings.collect });
  const reference = new Counter({ name: 'c_total', help: 'c', labelNames: ['route', 'status'], registers: [theirs] });
  const ok = bindings.bind({ route: '/a', status: '200' });
  assert.equal(bindings.bind({ route: '/a', status: '200' }), ok);
  ok.add(1);
  ok.add(2.5);
  counter.inc({ route: '/a', status: '200' }, 4);
  counter.inc({ route: '/a', status: '400' });
  reference.inc({ route: '/a', status: '200' }, 7.5);
  reference.inc({ route: '/a', status: '400' });
  assert.equal(await counterValue(counter, { route: '/a', status: '200' }), 7.5);
  ok.add(1);
  reference.inc({ route: '/a', status: '200' }, 1);
  // The 400 series was created first here and the 200 series first in the reference: compare as sets of lines.
  const lines = async (r: Registry) => (await r.metrics()).split('\n').sort();
  assert.deepEqual(await lines(ours), await lines(theirs));
  assert.ok((await ours.metrics()).includes('c_total{route="/a",status="200"} 8.5'));
  // Nothing pending is counted twice.
  assert.equal(await counterValue(counter, { route: '/a', status: '200' }), 8.5);
  assert.throws(() => bindings.bind({ route: '/a', code: 'x' }), /code/);
});
