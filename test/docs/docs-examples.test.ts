import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

// Every ```ts block in README.md and docs/*.md runs as written (with `from 'loom-ml'` pointing at this checkout),
// in a fresh working directory, and must exit 0. A block fenced as ```ts no-run is only shown.
// A line `console.log(x); // → v` must print exactly `v` (up to an optional ` (remark)`), in order.

const repo = resolve(import.meta.dirname, '../..');
const entry = new URL('../../src/index.ts', import.meta.url).href;
const work = mkdtempSync(join(tmpdir(), 'loom-docs-'));
after(() => rmSync(work, { recursive: true, force: true }));

const files = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Block {
  readonly line: number;
  readonly code: string;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = pattern.exec(markdown); m !== null; m = pattern.exec(markdown)) {
    out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return out;
}

/** Expected stdout lines from `console.log(...); // → expected` comments, in order. */
function expectedLines(code: string): string[] {
  return code
    .split('\n')
    .map((l) => /^\s*console\.log\(.*\);\s*\/\/ → (.*)$/.exec(l)?.[1])
    .filter((v): v is string => v !== undefined)
    .map((v) => v.replace(/ \(.*\)$/, '').trim());
}

for (const file of files) {
  let text: string;
  try {
    text = readFileSync(join(repo, file), 'utf8');
  } catch {
    continue;
  }
  const found = blocks(text);
  if (found.length === 0) continue;
  describe(`examples in ${file}`, () => {
    for (const block of found) {
      test(`block at line ${block.line}`, () => {
        const dir = mkdtempSync(join(work, 'ex-'));
        const script = join(dir, 'example.mts');
        writeFileSync(script, block.code.replaceAll("from 'loom-ml'", `from ${JSON.stringify(entry)}`));
        const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx/esm'), script], { cwd: dir, encoding: 'utf8', env: { ...process.env, LOOM_HOME: join(dir, '.loom') }, timeout: 120_000 });
        assert.equal(run.status, 0, `${file}:${block.line} failed:\n${run.stderr}`);
        const expected = expectedLines(block.code);
        if (expected.length > 0) assert.deepEqual(run.stdout.trimEnd().split('\n').slice(0, expected.length), expected);
      });
    }
  });
}
