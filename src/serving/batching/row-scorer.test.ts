import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../../data/ingest/ingest-dataset.js';
import { Workspace } from '../../storage/workspace.js';
import { loadModel, trainModel, type LoadedModel } from '../../training/index.js';
import { buildInputFrame } from '../input-columns.js';
import { ModelRepository } from '../model-repository.js';
import { createServingApp } from '../serving-app.js';
import { RecordsDecoder } from '../loom/records-decoder.js';
import { RowScorer } from './row-scorer.js';

const home = mkdtempSync(join(tmpdir(), 'loom-row-scorer-'));
const ws = Workspace.open({ overrides: { home } });
let modelDir = '';
let loaded: LoadedModel;

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

before(async () => {
  const rnd = random(7);
  const lines = ['x,n,c,flag,y'];
  for (let i = 0; i < 600; i++) {
    const x = rnd() * 10;
    const n = Math.floor(rnd() * 40);
    const c = ['red', 'green', 'blue', 'teal'][Math.floor(rnd() * 4)];
    const flag = rnd() < 0.5;
    const miss = rnd() < 0.1;
    const score = x + (c === 'red' ? 3 : c === 'blue' ? -2 : 0) + (flag ? 1.5 : 0) + n / 10 + rnd() * 3;
    lines.push(`${miss ? '' : x.toFixed(3)},${n},${rnd() < 0.05 ? '' : c},${flag},${score > 8 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(home, 'rows.csv'), `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'rows.csv'), name: 'rows', tags: 'y=target' });
  modelDir = (await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 20, num_leaves: 7, min_data_in_leaf: 5 }, out: join(home, 'm') })).modelDir;
  loaded = await loadModel(modelDir);
});
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

/** Random records over the signature: nulls, -0, boundary values, unseen categories. */
function records(count: number, seed: number): Record<string, unknown>[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const r: Record<string, unknown> = {};
    for (const spec of loaded.artifact.manifest.inputSignature.columns) {
      const u = rnd();
      if (u < 0.08) r[spec.name] = null;
      else if (spec.type === 'float') r[spec.name] = u < 0.12 ? -0 : rnd() * 14 - 2;
      else if (spec.type === 'int') r[spec.name] = u < 0.12 ? -0 : Math.floor(rnd() * 60) - 10;
      else if (spec.type === 'bool') r[spec.name] = rnd() < 0.5;
      else if (spec.type === 'category') r[spec.name] = pick(['red', 'green', 'blue', 'teal', 'mauve', '']);
      else throw new Error(`unexpected column type ${spec.type}`);
    }
    out.push(r);
  }
  return out;
}

test('the signature has the column types this test covers', () => {
  assert.deepEqual(loaded.artifact.manifest.inputSignature.columns.map((c) => [c.name, c.type]), [['x', 'float'], ['n', 'int'], ['c', 'category'], ['flag', 'bool']]);
});

test('RowScorer gives the bits of the batch path on 2000 random records (one batch, and one row at a time), warmed or not', () => {
  const scorer = RowScorer.forModel(loaded);
  assert.ok(scorer !== null);
  // warm() scores a row of missing values (categories too) and leaves nothing behind that changes a later score.
  scorer.warm();
  const rows = records(2000, 11);
  const names = loaded.artifact.manifest.inputSignature.columns.map((c) => c.name);
  const columns = new Map(names.map((name) => [name, rows.map((r) => r[name])]));
  const batch = loaded.predict(buildInputFrame(loaded.artifact.manifest.inputSignature, columns, rows.length, null));
  const k = loaded.outputs;
  const distinct = new Set<number>();
  rows.forEach((record, i) => {
    const fast = scorer.score(record);
    assert.ok(fast !== null, `record ${i} is valid`);
    const single = loaded.predict(buildInputFrame(loaded.artifact.manifest.inputSignature, new Map(names.map((n) => [n, [record[n]]])), 1, null));
    for (let j = 0; j < k; j++) {
      assert.ok(Object.is(fast[j], batch[i * k + j]), `record ${i} output ${j}: ${fast[j]} vs batch ${batch[i * k + j]}`);
      assert.ok(Object.is(fast[j], single[j]), `record ${i} output ${j}: ${fast[j]} vs one-row frame ${single[j]}`);
      distinct.add(fast[j]);
    }
  });
  assert.ok(distinct.size > 20, `the records reach many leaves (${distinct.size} distinct outputs)`);
  // The same rows written by `features` and walked together (the micro-batched single-record path).
  const matrix = new Float64Array(rows.length * scorer.width);
  rows.forEach((record, i) => assert.ok(scorer.features(record, matrix, i * scorer.width)));
  const together = scorer.scoreRows(matrix, rows.length);
  for (let i = 0; i < rows.length * k; i++) assert.ok(Object.is(together[i], batch[i]), `entry ${i}: ${together[i]} vs batch ${batch[i]}`);
});

test('RowScorer refuses records the signature check refuses (the general path then reports them)', () => {
  const scorer = RowScorer.forModel(loaded)!;
  const good = { x: 1.5, n: 3, c: 'red', flag: true };
  assert.ok(scorer.score(good) !== null);
  for (const bad of [null, [], 'x', { ...good, x: 'NaN' }, { ...good, n: 1.5 }, { ...good, flag: 1 }, { ...good, c: 7 }, { x: 1.5, n: 3, c: 'red' }]) {
    assert.equal(scorer.score(bad), null, JSON.stringify(bad));
  }
});

test('a column named like a member of Object.prototype is read from the record itself, never inherited', async () => {
  const lines = ['valueOf,x,y'];
  for (let i = 0; i < 200; i++) lines.push(`${i % 7},${(i * 37) % 11},${(i % 7) + ((i * 37) % 11) > 8 ? 'yes' : 'no'}`);
  writeFileSync(join(home, 'proto.csv'), `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'proto.csv'), name: 'proto', tags: 'y=target' });
  const model = await loadModel((await trainModel(ws, { data: 'proto', target: 'y', params: { num_iterations: 5, num_leaves: 4, min_data_in_leaf: 5 }, out: join(home, 'proto-model') })).modelDir);
  const scorer = RowScorer.forModel(model)!;
  // Every object inherits a valueOf function: a record without its own valueOf is missing the column.
  assert.equal(scorer.score({ x: 3 }), null);
  assert.equal(scorer.score({ valueOf: null, x: 3 }) !== null, true);
  const signature = model.artifact.manifest.inputSignature;
  for (const v of [0, 6]) {
    const batch = model.predict(buildInputFrame(signature, new Map([['valueOf', [v]], ['x', [3]]]), 1, null));
    assert.ok(Object.is(scorer.score({ valueOf: v, x: 3 })![0], batch[0]), `valueOf ${v}`);
  }
});

test('the served single-record answer equals the general path, and bad records keep their 400', async () => {
  const repository = new ModelRepository();
  await repository.addDirectory('rows', modelDir);
  const app = createServingApp({ repository });
  try {
    const rows = records(50, 23);
    const padding = { x: 1, n: 1, c: 'red', flag: false };
    // Request ids that JSON must escape: the single-record answer is written as text, not by JSON.stringify.
    const ids = ['r1', 'quote"back\\slash', 'line\u2028sep\ttab', 'ü€😀'];
    for (const [i, record] of rows.entries()) {
      const id = ids[i % ids.length];
      const one = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record], id } });
      // A second, invalid record with partial=true sends the request down the general path.
      const two = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record, { ...padding, n: 0.5 }], id, partial: true } });
      assert.equal(one.statusCode, 200);
      const a = one.json();
      const b = two.json();
      assert.deepEqual(a.predictions, [b.predictions[0]]);
      assert.equal(b.errors.length, 1);
      assert.deepEqual({ ...a, predictions: null, errors: null }, { ...b, predictions: null, errors: null });
      // The bytes JSON.stringify would write for the same answer: same key order, escapes and number formatting.
      assert.equal(one.body, JSON.stringify(a));
      assert.equal(one.headers['content-type'], two.headers['content-type']);
      assert.equal(a.request_id, id);
    }
    // Many valid records in one request take the same path (walked together): the general path's predictions.
    const many = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: rows, id: 'many' } });
    const general = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [...rows, { x: 'bad' }], id: 'many', partial: true } });
    assert.equal(many.statusCode, 200);
    assert.deepEqual(many.json().predictions, general.json().predictions.slice(0, rows.length));
    assert.equal(many.body, JSON.stringify(many.json()));
    // With micro-batching on, the same single-record requests sent together are scored together, with the same answers.
    const batchedApp = createServingApp({ repository, batching: { maxBatchSize: 16, maxWaitMs: 50 } });
    try {
      const unbatched = await Promise.all(rows.map((record) => app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record], id: 'same' } })));
      const batched = await Promise.all(rows.map((record) => batchedApp.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record], id: 'same' } })));
      assert.deepEqual(batched.map((r) => r.body), unbatched.map((r) => r.body));
      const badInBatch = await Promise.all([{ ...padding, n: 2.5 }, padding].map((record) => batchedApp.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [record] } })));
      assert.deepEqual(badInBatch.map((r) => [r.statusCode, r.json().details?.field]), [[400, 'n'], [200, undefined]]);
      // 50 records in batches of at most 16: 4 model calls (and one for the good record of the last pair).
      const metrics = await batchedApp.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /loom_serving_batch_rows_count\{[^}]*\} 5\n/);
    } finally {
      await batchedApp.close();
    }
    const bad = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [{ ...padding, n: 2.5 }] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'LOOM_ERR_SERVING_INVALID_RECORD');
    assert.equal(bad.json().details.field, 'n');
    const missing = await app.inject({ method: 'POST', url: '/v1/models/rows/predict', payload: { records: [{ x: 1 }], partial: true } });
    assert.equal(missing.statusCode, 200);
    assert.deepEqual(missing.json().predictions, [null]);
  } finally {
    await app.close();
  }
});

test('V2 infer of one row answers with the bits of the batch path (two rows), for the same random records', async () => {
  const repository = new ModelRepository();
  await repository.addDirectory('rows', modelDir);
  const app = createServingApp({ repository });
  const datatype: Record<string, string> = { float: 'FP64', int: 'INT64', bool: 'BOOL', category: 'BYTES' };
  const columns = loaded.artifact.manifest.inputSignature.columns;
  const infer = (rows: Record<string, unknown>[]) => app.inject({
    method: 'POST',
    url: '/v2/models/rows/infer',
    payload: { inputs: columns.map((c) => ({ name: c.name, shape: [rows.length, 1], datatype: datatype[c.type], data: rows.map((r) => r[c.name]) })) },
  });
  try {
    const padding = { x: 1, n: 1, c: 'red', flag: false };
    let answered = 0;
    for (const record of records(60, 29)) {
      const one = await infer([record]);
      const two = await infer([record, padding]);
      assert.equal(one.statusCode, two.statusCode, JSON.stringify(record));
      if (one.statusCode !== 200) {
        // A row the RowScorer refuses gets the full check's 400 (V2 errors are {error}), as the two-row request does.
        assert.deepEqual([one.json().error !== undefined, one.statusCode], [true, 400]);
        continue;
      }
      answered++;
      // The answers' JSON is written as text: the bytes JSON.stringify writes for the same object.
      assert.equal(one.body, JSON.stringify(one.json()));
      assert.equal(two.body, JSON.stringify(two.json()));
      const a = one.json().outputs;
      const b = two.json().outputs;
      assert.equal(a.length, b.length);
      a.forEach((o: { name: string; data: number[] }, j: number) => {
        assert.equal(o.name, b[j].name);
        assert.ok(Object.is(o.data[0], b[j].data[0]), `${JSON.stringify(record)}: ${o.data[0]} vs ${b[j].data[0]}`);
      });
    }
    assert.ok(answered > 30, `most records are valid V2 rows (${answered})`);
  } finally {
    await app.close();
  }
});

/** The records JSON.parse reads from `bytes` and the rows RowScorer.features writes for them, or null when the general path would not score them all. */
function parsedRows(scorer: RowScorer, bytes: Buffer): { records: Record<string, unknown>[]; rows: Float64Array } | null {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'records') return null;
  const records = (body as { records: unknown }).records;
  if (!Array.isArray(records) || records.length === 0) return null;
  const rows = new Float64Array(records.length * scorer.width);
  return records.every((record, i) => scorer.features(record, rows, i * scorer.width)) ? { records, rows } : null;
}

/** JSON text for `records` with random spacing, key order and spellings of numbers (the same or other values). */
function spelled(records: readonly Record<string, unknown>[], rnd: () => number): string {
  const space = () => [' ', '\n', '\t', '\r', '', '', '', '  '][Math.floor(rnd() * 8)];
  const number = (v: number): string => {
    const u = rnd();
    if (u < 0.4) return JSON.stringify(v);
    if (u < 0.55) return v.toExponential();
    if (u < 0.65) return v.toExponential().toUpperCase().replace('E', rnd() < 0.5 ? 'E' : 'e');
    if (u < 0.75) return Number.isInteger(v) ? `${v}.0${rnd() < 0.5 ? '00' : ''}` : v.toPrecision(17);
    if (u < 0.85) return `${Math.round(v * 1000)}e-3`;
    return ['0.30000000000000004', '-0', '-0.0', '1e400', '-1e400', '1e-400', '5e-324', '123456789012345678901234567890', '9007199254740993', '1.5', '0.1e1', '100E-2'][Math.floor(rnd() * 12)];
  };
  const value = (v: unknown): string => (typeof v === 'number' ? number(v) : JSON.stringify(v));
  const fields = (r: Record<string, unknown>) => Object.keys(r).sort(() => rnd() - 0.5).map((k) => `${space()}${JSON.stringify(k)}${space()}:${space()}${value(r[k])}${space()}`);
  return `${space()}{${space()}"records"${space()}:${space()}[${records.map((r) => `${space()}{${fields(r).join(',')}}${space()}`).join(',')}]${space()}}${space()}`;
}

test('the body decoder writes the rows JSON.parse + RowScorer.features give, or declines; plain JSON.stringify bodies are never declined', () => {
  const scorer = RowScorer.forModel(loaded)!;
  const decoder = scorer.decoder!;
  const rnd = random(31);
  const names = loaded.artifact.manifest.inputSignature.columns.map((c) => c.name);
  let kept = 0;
  const check = (bytes: Buffer, label: string): boolean => {
    // Every other body also keeps the fields' values (for the prediction log): they are JSON.parse's values.
    const keep = kept++ % 2 === 0;
    const n = decoder.decode(bytes, 1000, keep);
    const expected = parsedRows(scorer, bytes);
    if (n === 0) return false;
    assert.ok(expected !== null, `${label}: decoded ${n} records of a body the general path refuses: ${bytes.toString('utf8')}`);
    assert.equal(n * scorer.width, expected.rows.length, label);
    for (let i = 0; i < expected.rows.length; i++) assert.ok(Object.is(decoder.rows[i], expected.rows[i]), `${label}: value ${i} ${decoder.rows[i]} vs ${expected.rows[i]} in ${bytes.toString('utf8')}`);
    assert.equal(decoder.values === null, !keep);
    if (keep) names.forEach((name, c) => expected.records.forEach((record, r) => assert.ok(Object.is(decoder.values![c][r], record[name]), `${label}: ${name} of record ${r}: ${String(decoder.values![c][r])} vs ${String(record[name])}`)));
    return true;
  };
  // JSON.stringify's own bodies: nulls, -0 (written 0), unseen categories, the empty string.
  for (let i = 0; i < 300; i++) {
    const body = Buffer.from(JSON.stringify({ records: records(1 + (i % 3), 100 + i) }));
    assert.ok(check(body, `stringified ${i}`), `body ${i} is decoded: ${body.toString('utf8')}`);
  }
  // Other spacing, key orders and number spellings, valid or not: whatever is decoded is what JSON.parse reads.
  let decoded = 0;
  for (let i = 0; i < 2000; i++) if (check(Buffer.from(spelled(records(1 + (i % 2), 5000 + i), rnd)), `spelled ${i}`)) decoded++;
  assert.ok(decoded > 1000, `${decoded} of 2000 respelled bodies decoded`);
  // One byte changed, added or removed, including bytes that are not UTF-8: never a different reading.
  const interesting = Buffer.from('"{}[],:\\ \t0123456789eE.-+ntrufalsx\u00fc');
  let mutated = 0;
  for (let i = 0; i < 4000; i++) {
    const body = Buffer.from(JSON.stringify({ records: records(1, 9000 + i) }));
    const at = Math.floor(rnd() * body.length);
    const byte = rnd() < 0.1 ? 0xff : interesting[Math.floor(rnd() * interesting.length)];
    const u = rnd();
    const changed = u < 0.4 ? Buffer.concat([body.subarray(0, at), Buffer.of(byte), body.subarray(at + 1)]) : u < 0.7 ? Buffer.concat([body.subarray(0, at), Buffer.of(byte), body.subarray(at)]) : Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
    if (check(changed, `mutated ${i}`)) mutated++;
  }
  assert.ok(mutated > 100, `${mutated} of 4000 mutated bodies still decoded`);
});

test('the body decoder declines what it does not read itself, and the general path reports', () => {
  const decoder = RowScorer.forModel(loaded)!.decoder!;
  const good = { x: 1.5, n: 3, c: 'red', flag: true };
  const declined = [
    '', '[]', '{}', '{"records":[]}', '{"records":{}}', `\ufeff${JSON.stringify({ records: [good] })}`,
    JSON.stringify({ records: [good], partial: true }), JSON.stringify({ partial: true, records: [good] }), JSON.stringify({ records: [good], id: 'r' }),
    JSON.stringify({ records: [good] }).replace('}]}', '}],"records":[]}'), JSON.stringify({ records: [good] }) + 'x', JSON.stringify({ records: [good, 7] }),
    JSON.stringify({ records: [{ ...good, extra: 1 }] }), JSON.stringify({ records: [{ x: 1.5, n: 3, c: 'red' }] }), '{"records":[{"x":1.5,"n":3,"c":"red","flag":true,"x":2}]}',
    JSON.stringify({ records: [{ ...good, c: 're\\d' }] }), '{"records":[{"x":1.5,"n":3,"c":"\\u0072ed","flag":true}]}', '{"records":[{"\\u0078":1.5,"n":3,"c":"red","flag":true}]}',
    JSON.stringify({ records: [{ ...good, c: 'ünseen' }] }), JSON.stringify({ records: [{ ...good, c: 'tab\there' }] }), '{"records":[{"x":1.5,"n":3,"c":"red\t","flag":true}]}',
    JSON.stringify({ records: [{ ...good, n: 1.5 }] }), JSON.stringify({ records: [{ ...good, n: 2 ** 53 }] }), JSON.stringify({ records: [{ ...good, x: 'NaN' }] }), '{"records":[{"x":1e400,"n":3,"c":"red","flag":true}]}',
    '{"records":[{"x":NaN,"n":3,"c":"red","flag":true}]}', '{"records":[{"x":01,"n":3,"c":"red","flag":true}]}', '{"records":[{"x":1.,"n":3,"c":"red","flag":true}]}', '{"records":[{"x":.5,"n":3,"c":"red","flag":true}]}',
    '{"records":[{"x":+1,"n":3,"c":"red","flag":true}]}', '{"records":[{"x":1e,"n":3,"c":"red","flag":true}]}', JSON.stringify({ records: [{ ...good, flag: 1 }] }), JSON.stringify({ records: [{ ...good, c: 7 }] }),
    '{"records":[{"x":1.5,"n":3,"c":"red","flag":tru}]}', '{"records":[{"x":1.5,"n":3,"c":"red","flag":nul}]}', '{"records":[{"x":1.5,"n":3,"c":"red","flag":true,}]}', '{"records":[{"x":1.5,"n":3,"c":"red","flag":true}],}',
    `{"records":[{"x":1${'0'.repeat(80)},"n":3,"c":"red","flag":true}]}`,
  ];
  for (const text of declined) assert.equal(decoder.decode(Buffer.from(text), 1000), 0, text);
  // Invalid UTF-8 in a category: it reads as U+FFFD, which the general path looks up.
  assert.equal(decoder.decode(Buffer.concat([Buffer.from('{"records":[{"x":1.5,"n":3,"c":"re'), Buffer.of(0xff), Buffer.from('","flag":true}]}')]), 1000), 0);
  // At most maxRecords records; the general path answers a request over the limit with its error.
  const three = Buffer.from(JSON.stringify({ records: [good, good, good] }));
  assert.equal(decoder.decode(three, 2), 0);
  assert.equal(decoder.decode(three, 3), 3);
  // A long number (beyond the fast path's digits) and a tiny one are read as JSON.parse reads them.
  assert.equal(decoder.decode(Buffer.from('{"records":[{"x":0.30000000000000004,"n":3e0,"c":null,"flag":null}]}'), 1000), 1);
  assert.deepEqual(Array.from(decoder.rows.subarray(0, decoder.width)), [0.30000000000000004, 3, -1, Number.NaN]);
});

test('a string column the model does not look up is only checked, and kept for the log when it is ASCII', () => {
  const decoder = new RecordsDecoder([{ name: 'note', type: 'string', slot: -1, dictionary: null }, { name: 'x', type: 'float', slot: 0, dictionary: null }], 1);
  const body = (note: string) => Buffer.from(`{"records":[{"note":${JSON.stringify(note)},"x":2.5},{"x":-0,"note":"b"}]}`);
  assert.equal(decoder.decode(body('plain text'), 10, true), 2);
  assert.deepEqual(decoder.values, [['plain text', 'b'], [2.5, -0]]);
  assert.ok(Object.is(decoder.values![1][1], -0));
  assert.deepEqual(Array.from(decoder.rows.subarray(0, 2)), [2.5, -0]);
  // Beyond ASCII: read (and not kept) without the log; declined with it, and JSON.parse reads it for the log.
  assert.equal(decoder.decode(body('naïve'), 10, false), 2);
  assert.equal(decoder.values, null);
  assert.equal(decoder.decode(body('naïve'), 10, true), 0);
  // A column named __proto__ is never read from bytes: the parsed path refuses such a body (prototype poisoning).
  const proto = new RecordsDecoder([{ name: '__proto__', type: 'float', slot: 0, dictionary: null }], 1);
  assert.equal(proto.decode(Buffer.from('{"records":[{"__proto__":1}]}'), 10), 0);
});
