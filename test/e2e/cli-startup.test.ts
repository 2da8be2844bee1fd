import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { loomCli, ROOT } from '../support/loom-cli.js';
import { staticImports } from '../support/static-imports.js';

// `loom` loads a command's machinery when that command runs (cli/main.ts), so `loom --help` and a command's own
// start do not wait for DuckDB, Fastify, the learners and the rest of the platform.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-startup-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);

/** Packages that start engines, servers or clients: none of them may load before a command runs. */
const ENGINE_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', 'fastify', 'kysely', 'prom-client', 'ioredis', 'bullmq', 'nats', 'pg', 'better-sqlite3'];
/** The machinery itself: learners, server, data engine, storage, training and the demo. */
const MACHINERY = ['src/models/gbdt/train-gbdt.ts', 'src/models/gbdt/histogram/', 'src/serving/serving-app.ts', 'src/data/duckdb/', 'src/storage/', 'src/training/train-model.ts', 'src/demo/'];

test('the CLI entry statically loads no engine package and none of the machinery', () => {
  const { files, packages } = staticImports(join(ROOT, 'src/cli/main.ts'));
  assert.deepEqual(ENGINE_PACKAGES.filter((p) => packages.has(p)), []);
  const machinery = [...files].map((f) => relative(ROOT, f)).filter((f) => MACHINERY.some((m) => f.startsWith(m)));
  assert.deepEqual(machinery, []);
  // The walk itself must see real imports: the entry reaches every command file and commander.
  assert.ok(packages.has('commander'));
  assert.ok([...files].some((f) => f.endsWith('src/cli/commands/serve-command.ts')));
});

test('the static walk finds what a command loads when it runs', () => {
  // The server's own module does load the engines: the check above is not vacuous.
  const { packages } = staticImports(join(ROOT, 'src/serving/serving-app.ts'));
  assert.ok(packages.has('fastify'));
});

test('`loom --help` lists every command; `loom train --help` lists the flavors and `loom serve --help` its defaults', async () => {
  const help = await loom(['--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const command of ['data', 'features', 'validate', 'train', 'predict', 'tune', 'eval', 'runs', 'experiments', 'models', 'serve', 'deploy', 'demo']) {
    assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
  }
  const train = await loom(['train', '--help']);
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, /model flavor: gbdt \| linear \| baseline/);
  // Help wraps its lines; compare with the whitespace collapsed.
  const serve = (await loom(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
  assert.match(serve, /--body-limit <bytes> largest request body \(bigger ones get 413\) \(default: "8388608"\)/);
  assert.match(serve, /--deployment-refresh-ms <ms> [^-]*\(default: "1000"\)/);
  const predict = (await loom(['predict', '--help'])).stdout.replace(/\s+/g, ' ');
  assert.match(predict, /--chunk-rows <n> rows read, checked and predicted at a time \(default 50000\)/);
});
