import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countNulls } from '../../core/frame/index.js';
import { parseTagOption } from './column-tags.js';
import { detectFormat } from './file-format.js';
import { readTableFile } from './read-table-file.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ADULT_TEST = join(import.meta.dirname, '../../../../shared/datasets/adult-test.csv.gz');

test('Adult test: 16,281 rows, `?` as null, target labels lose their trailing dot', async () => {
  const frame = await readTableFile(ADULT_TEST, { tags: 'income=target' });
  assert.equal(frame.length, 16281);
  assert.equal(frame.columns.length, 15);
  const income = frame.column('income');
  assert.ok(income.type === 'category');
  assert.deepEqual(income.dictionary, ['<=50K', '>50K']);
  assert.deepEqual(income.tags, ['target']);
  let positives = 0;
  for (const code of income.codes) if (code === 1) positives++;
  assert.equal(positives, 3846);
  assert.equal(countNulls(frame.column('workclass').validity, frame.length), 963);
  assert.equal(frame.column('age').type, 'int');
});

test('trims padding, reads `?`/empty as null and padded numbers as numbers', async () => {
  const path = file('pad.csv', 'id,x,name,label\n1, 2.5 , Ann ,yes.\n2,?, Bob,no.\n3,,?,yes.\n4, 7,Cy ,no\n');
  const frame = await readTableFile(path, { tags: { label: ['target'] } });
  assert.deepEqual(frame.toRecords(), [
    { id: 1, x: 2.5, name: 'Ann', label: 'yes.' },
    { id: 2, x: null, name: 'Bob', label: 'no.' },
    { id: 3, x: null, name: null, label: 'yes.' },
    { id: 4, x: 7, name: 'Cy', label: 'no' },
  ]);
});

test('a ragged CSV is DATA_PARSE_FAILED naming the line', async () => {
  const path = file('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,9,9\n');
  await assert.rejects(readTableFile(path), (err: any) => err.code === 'LOOM_ERR_DATA_PARSE_FAILED' && err.details.line === 4);
  let big = 'a,b,c\n';
  for (let i = 0; i < 30000; i++) big += `${i},x${i % 5},${i / 4}\n`;
  big += '1,2,3,4\n';
  const late = file('ragged-late.csv', big);
  await assert.rejects(readTableFile(late), (err: any) => err.code === 'LOOM_ERR_DATA_PARSE_FAILED' && err.details.line === 30002);
});

test('missing, empty and unknown-format files are coded errors', async () => {
  await assert.rejects(readTableFile(join(dir, 'nope.csv')), { code: 'LOOM_ERR_DATA_FILE_NOT_FOUND' });
  await assert.rejects(readTableFile(file('empty.csv', '')), { code: 'LOOM_ERR_DATA_EMPTY' });
  await assert.rejects(readTableFile(file('header-only.csv', 'a,b\n')), { code: 'LOOM_ERR_DATA_EMPTY' });
  await assert.rejects(readTableFile(file('data.xyz', 'a\n1\n')), { code: 'LOOM_ERR_DATA_UNKNOWN_FORMAT' });
  await assert.rejects(readTableFile(file('data2.xyz', 'a\n1\n'), { format: 'excel' }), { code: 'LOOM_ERR_DATA_UNKNOWN_FORMAT' });
  assert.equal(detectFormat('x.csv.gz'), 'csv');
  assert.equal(detectFormat('x.ndjson'), 'jsonl');
  assert.equal(detectFormat('x.bin', 'parquet'), 'parquet');
});

test('pii columns are HMAC-SHA256 pseudonyms equal to node:crypto, and need LOOM_PII_KEY', async () => {
  const path = file('pii.csv', 'email,score\nann@example.com,1\nbob@example.com,2\n');
  const key = 'k'.repeat(80); // longer than the block: exercises the hashed-key path
  const frame = await readTableFile(path, { tags: 'email=pii', env: { LOOM_PII_KEY: key } });
  const expected = ['ann@example.com', 'bob@example.com'].map((v) => createHmac('sha256', key).update(v).digest('hex'));
  assert.deepEqual(frame.toRecords().map((r) => r.email), expected);
  const short = await readTableFile(path, { tags: 'email=pii', env: { LOOM_PII_KEY: 'secret' } });
  assert.equal(short.toRecords()[0].email, createHmac('sha256', 'secret').update('ann@example.com').digest('hex'));
  await assert.rejects(readTableFile(path, { tags: 'email=pii', env: {} }), (err: any) => err.code === 'LOOM_ERR_DATA_PII_KEY_MISSING' && err.details.field === 'email');
});

test('JSON Lines with a timestamp column and embeddings', async () => {
  const path = file('e.jsonl', '{"at":"2024-03-01T10:00:00Z","v":[1.5,2],"n":1}\n{"at":"2024-03-02","v":[3,4],"n":null}\n');
  const frame = await readTableFile(path, { timestamp: 'at' });
  assert.deepEqual(frame.toRecords(), [
    { at: '2024-03-01T10:00:00.000Z', v: [1.5, 2], n: 1 },
    { at: '2024-03-02T00:00:00.000Z', v: [3, 4], n: null },
  ]);
  assert.deepEqual(frame.column('at').tags, ['timestamp']);
  const bad = file('bad-ts.csv', 'at,x\n2024-01-01,1\nyesterday,2\n');
  await assert.rejects(readTableFile(bad, { timestamp: 'at' }), { code: 'LOOM_ERR_DATA_TIMESTAMP_INVALID' });
  await assert.rejects(readTableFile(bad, { timestamp: 'nope' }), { code: 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND' });
});

test('--tag parsing rejects unknown tags', () => {
  assert.deepEqual(parseTagOption('a=pii,b=target,a=id'), { a: ['pii', 'id'], b: ['target'] });
  assert.throws(() => parseTagOption('a=secret'), (err: any) => err.code === 'LOOM_ERR_DATA_INVALID_TAG' && err.details.column === 'a');
  assert.throws(() => parseTagOption('justacolumn'), { code: 'LOOM_ERR_DATA_INVALID_TAG' });
});

test('a value beyond the sniffer sample that breaks the guessed type makes DuckDB sniff the whole file', async () => {
  let csv = 'a,b\n';
  for (let i = 0; i < 25000; i++) csv += `${i},${i % 3}\n`;
  csv += 'x1,5\n';
  const frame = await readTableFile(file('late-type.csv', csv));
  assert.deepEqual(frame.columns.map((c) => c.type), ['string', 'int']);
  assert.deepEqual(frame.toRecords(25000), [{ a: 'x1', b: 5 }]);
});
