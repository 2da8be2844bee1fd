import assert from 'node:assert/strict';
import { test } from 'node:test';
import { likeToGlob } from './compile-run-query.js';
import { parseRunQuery } from './parse-run-query.js';

test('precedence: not binds tighter than and, and tighter than or', () => {
  const q = parseRunQuery("not metrics.a > 1 and params.b = 'x' or tags.c in (1, 2)");
  assert.deepEqual(q, {
    kind: 'or',
    items: [
      {
        kind: 'and',
        items: [
          { kind: 'not', item: { kind: 'compare', field: { scope: 'metrics', key: 'a', position: 4 }, op: '>', value: { kind: 'number', value: 1, position: 16 } } },
          { kind: 'compare', field: { scope: 'params', key: 'b', position: 22 }, op: '=', value: { kind: 'string', value: 'x', position: 33 } },
        ],
      },
      { kind: 'in', field: { scope: 'tags', key: 'c', position: 40 }, values: [{ kind: 'number', value: 1, position: 51 }, { kind: 'number', value: 2, position: 54 }], negated: false },
    ],
  });
});

test('fields: scope aliases, bare attributes, backticked keys, dotted keys, operators spelled two ways', () => {
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ['metric.valid.auc >= -1.5e-3', { scope: 'metrics', key: 'valid.auc', op: '>=', value: -0.0015 }],
    ['metrics.`val loss` <> 2', { scope: 'metrics', key: 'val loss', op: '!=', value: 2 }],
    ['metrics.ndcg@10 == .5', { scope: 'metrics', key: 'ndcg@10', op: '=', value: 0.5 }],
    ["STATUS = 'finished'", { scope: 'attributes', key: 'status', op: '=', value: 'finished' }],
    ["run.run_id = 'ab'", { scope: 'attributes', key: 'id', op: '=', value: 'ab' }],
    ["datasets.NAME = 'x'", { scope: 'datasets', key: 'name', op: '=', value: 'x' }],
    ["params.note = 'it''s'", { scope: 'params', key: 'note', op: '=', value: "it's" }],
  ];
  for (const [text, expected] of cases) {
    const q = parseRunQuery(text);
    assert.equal(q.kind, 'compare', text);
    if (q.kind !== 'compare') continue;
    assert.deepEqual({ scope: q.field.scope, key: q.field.key, op: q.op, value: q.value.value }, expected, text);
  }
});

test('like, ilike, not in, is [not] null, parentheses and the empty query', () => {
  assert.deepEqual(parseRunQuery('').kind, 'and');
  assert.deepEqual(parseRunQuery('   '), { kind: 'and', items: [] });
  const like = parseRunQuery("tags.t not ilike 'A%'");
  assert.equal(like.kind === 'like' && like.caseInsensitive && like.negated, true);
  const isNull = parseRunQuery('metrics.x is not null');
  assert.deepEqual(isNull.kind === 'null' && isNull.negated, true);
  const notIn = parseRunQuery("params.p not in ('a')");
  assert.equal(notIn.kind === 'in' && notIn.negated, true);
  const nested = parseRunQuery('(metrics.a > 1 or metrics.b > 1) and metrics.c > 1');
  assert.equal(nested.kind, 'and');
});

test('syntax errors carry the 1-based position of the offending token', () => {
  const cases: ReadonlyArray<readonly [string, number]> = [
    ['metrics.auc >', 14],
    ['metrics.auc > 1 metrics.b > 2', 17],
    ['metrics. > 1', 9],
    ['foo.bar = 1', 1],
    ["metrics.a = 'x", 13],
    ['metrics.a = 1 and (', 20],
    ['metrics.a in 1', 14],
    ['metrics.a is 1', 14],
    ['metrics.a = $', 13],
    ['metrics.a = b', 13],
  ];
  for (const [text, position] of cases) {
    assert.throws(() => parseRunQuery(text), (err: { code?: string; details?: { position?: number } }) => {
      assert.equal(err.code, 'LOOM_ERR_TRACKING_QUERY_INVALID', text);
      assert.equal(err.details?.position, position, text);
      return true;
    });
  }
});

test('like patterns translate to GLOB with GLOB wildcards made literal', () => {
  assert.equal(likeToGlob('adam%'), 'adam*');
  assert.equal(likeToGlob('a_c'), 'a?c');
  assert.equal(likeToGlob('5*[x]?%'), '5[*][[]x][?]*');
});
