import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LoomError, isLoomError } from '../../core/errors/index.js';
import type { ColumnTag } from '../../core/frame/column.js';
import type { Frame } from '../../core/frame/frame.js';
import type { Schema } from '../../core/schema/schema.js';
import type { Workspace } from '../../storage/workspace.js';
import {
  describeExpected,
  describeObserved,
  expectationColumn,
  generateSuite,
  listSuites,
  loadSuite,
  runSuite,
  saveSuite,
  saveSuiteResult,
  Suite,
  type ExpectationResult,
  type SuiteResult,
} from '../../validation/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

/** The data layer, loaded when a validate command runs rather than for every `loom` start (see cli/main.ts). */
const dataLayer = () => import('../../data/index.js');

/** Exit code of `loom validate run` when an error-severity expectation fails (2 is reserved for errors). */
export const EXIT_VALIDATION_FAILED = 1;

/**
 * Registers `loom validate`: `suite create|show|import|list` and `run`. Every command takes the global `--json`.
 * `run` exits 0 when every error-severity expectation passes, 1 when one fails, and 2 on bad input.
 */
export function registerValidateCommands(program: Command): void {
  const validate = program.command('validate').description('data validation: expectation suites and their results');
  const suite = validate.command('suite').description('create, inspect, edit and list expectation suites');

  suite
    .command('create <suite>')
    .description('generate a suite from a dataset version\'s profile and store it')
    .requiredOption('--from <dataset>', 'dataset, optionally @version (default: latest)')
    .option('--row-tolerance <fraction>', 'relative tolerance of the row_count expectation', parseFraction, 0.1)
    .option('--max-set-size <n>', 'largest number of distinct values that gets an in_set expectation', parseCount, 50)
    .action(async (name: string, opts: { from: string; rowTolerance: number; maxSetSize: number }, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const { resolveVersion } = await dataLayer();
        const version = await resolveVersion(ws, opts.from);
        const generated = generateSuite(checkSuiteName(name), version.schema, version.profile, {
          generatedFrom: { dataset: version.dataset, version: version.id },
          rowCountTolerance: opts.rowTolerance,
          maxSetSize: opts.maxSetSize,
        });
        const stored = await saveSuite((await ws.metadata()).db, generated);
        const kinds = countKinds(generated);
        const summary = { suite: generated.name, hash: stored.hash, expectations: generated.expectations.length, kinds, generatedFrom: generated.meta.generatedFrom };
        emit(globals(cmd), summary, () =>
          [
            `suite ${generated.name}: ${generated.expectations.length} expectations from ${version.dataset}@${version.id.slice(0, 12)} (${version.rows} rows)`,
            table(['kind', 'count'], Object.entries(kinds)),
            `edit: loom validate suite show ${generated.name} > suite.json, then loom validate suite import ${generated.name} --file suite.json`,
          ].join('\n'),
        );
      });
    });

  suite
    .command('show <suite>')
    .description('print a suite as JSON, ready to edit and import')
    .action(async (name: string) => {
      await withWorkspace(async (ws) => {
        const stored = await loadSuite((await ws.metadata()).db, name);
        process.stdout.write(`${JSON.stringify(stored.suite, null, 2)}\n`);
      });
    });

  suite
    .command('import <suite>')
    .description('validate a suite JSON file and store it under <suite> (replacing a suite of that name)')
    .requiredOption('--file <path>', 'suite JSON, as printed by `suite show`')
    .action(async (name: string, opts: { file: string }, cmd: Command) => {
      const suiteName = checkSuiteName(name);
      const parsed = Suite.parse({ ...readSuiteFile(opts.file), name: suiteName });
      await withWorkspace(async (ws) => {
        const stored = await saveSuite((await ws.metadata()).db, parsed);
        emit(globals(cmd), { suite: parsed.name, hash: stored.hash, expectations: parsed.expectations.length }, () =>
          `suite ${parsed.name}: imported ${parsed.expectations.length} expectations (hash ${stored.hash.slice(0, 12)})`,
        );
      });
    });

  suite
    .command('list')
    .description('list stored suites')
    .action(async (_opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const suites = await listSuites((await ws.metadata()).db);
        emit(globals(cmd), suites, () =>
          suites.length === 0
            ? 'no suites yet: loom validate suite create <suite> --from <dataset>'
            : table(
                ['suite', 'expectations', 'generated from', 'hash', 'updated'],
                suites.map((s) => [s.name, s.expectations, s.generatedFrom === null ? '' : shortRef(s.generatedFrom), s.hash.slice(0, 12), new Date(s.updatedAt).toISOString()]),
              ),
        );
      });
    });

  validate
    .command('run <suite> <target>')
    .description('run a suite on a dataset (name[@version]) or a file (CSV, Parquet, JSONL); exit 1 if an error-severity expectation fails')
    .option('--format <format>', 'file format when <target> is a file and its extension does not tell')
    .option('--tag <col=tag,...>', 'column tags for a file target (default: the tags of the dataset the suite was generated from)')
    .option('--timestamp <column>', 'timestamp column for a file target (default: as in the suite\'s dataset)')
    .option('--now <iso>', 'the instant freshness is measured against (default: now)')
    .option('--failures-only', 'list only failed expectations in the table')
    .action(async (name: string, target: string, opts: RunOptions, cmd: Command) => {
      const now = opts.now === undefined ? Date.now() : parseInstant(opts.now);
      await withWorkspace(async (ws) => {
        const db = (await ws.metadata()).db;
        const stored = await loadSuite(db, name);
        const { loadDatasetFrame } = await dataLayer();
        const { frame, label } = looksLikeFile(target)
          ? { frame: await readFileTarget(ws, stored.suite, target, opts), label: resolve(target) }
          : await loadDatasetFrame(ws, target).then(({ version, frame: f }) => ({ frame: f, label: `${version.dataset}@${version.id}` }));
        const result = runSuite(stored.suite, frame, { now });
        await saveSuiteResult(db, { hash: stored.hash, target: label, result, now });
        emit(globals(cmd), result, () => renderResult(result, label, opts.failuresOnly === true));
        if (!result.success) process.exitCode = EXIT_VALIDATION_FAILED;
      });
    });
}

interface RunOptions {
  readonly format?: string;
  readonly tag?: string;
  readonly timestamp?: string;
  readonly now?: string;
  readonly failuresOnly?: boolean;
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** A target is a file when it exists as one, has a path separator, or ends in a table-file extension. */
function looksLikeFile(target: string): boolean {
  if (existsSync(target) && statSync(target).isFile()) return true;
  return /[\\/]/.test(target) || /\.(csv|tsv|txt|parquet|jsonl|ndjson|json)(\.gz)?$/i.test(target);
}

/**
 * Reads a file target through ingest's normalization. Without --tag/--timestamp it reuses the tags of the dataset
 * version the suite was generated from (for the columns the file has), so the file is normalized exactly as the
 * reference was: trailing dots on the target, PII pseudonymization, timestamp parsing.
 */
async function readFileTarget(ws: Workspace, suite: Suite, path: string, opts: RunOptions): Promise<Frame> {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new LoomError('DATA_FILE_NOT_FOUND', { path, cwd: process.cwd() }, { details: { field: 'target' } });
  }
  const { readTableFile, resolveVersion } = await dataLayer();
  if (opts.tag !== undefined || opts.timestamp !== undefined || suite.meta.generatedFrom === undefined) {
    return readTableFile(path, { format: opts.format, tags: opts.tag, timestamp: opts.timestamp });
  }
  const origin = suite.meta.generatedFrom;
  const reference = await resolveVersion(ws, `${origin.dataset}@${origin.version}`).catch((err: unknown) => {
    if (isLoomError(err, 'DATA_DATASET_NOT_FOUND') || isLoomError(err, 'DATA_VERSION_NOT_FOUND')) return null;
    throw err;
  });
  if (reference === null) return readTableFile(path, { format: opts.format });
  let { tags, timestamp } = referenceTags(reference.schema);
  // A reference column the file lacks is reported by column_exists, not by the reader: drop its tag and read again.
  for (;;) {
    try {
      return await readTableFile(path, { format: opts.format, tags, timestamp });
    } catch (err) {
      const missing = isLoomError(err, 'FRAME_COLUMN_NOT_FOUND') ? err.details?.field : undefined;
      if (missing === undefined || (!(missing in tags) && missing !== timestamp)) throw err;
      tags = Object.fromEntries(Object.entries(tags).filter(([column]) => column !== missing));
      if (missing === timestamp) timestamp = undefined;
    }
  }
}

function referenceTags(schema: Schema): { tags: Record<string, ColumnTag[]>; timestamp: string | undefined } {
  const tags: Record<string, ColumnTag[]> = {};
  let timestamp: string | undefined;
  for (const column of schema.columns) {
    if (column.tags.includes('timestamp') && column.type === 'timestamp') timestamp = column.name;
    const rest = column.tags.filter((t) => t !== 'timestamp');
    if (rest.length > 0) tags[column.name] = [...rest];
  }
  return { tags, timestamp };
}

function readSuiteFile(path: string): Record<string, unknown> {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new LoomError('DATA_FILE_NOT_FOUND', { path, cwd: process.cwd() }, { details: { field: 'file' } });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LoomError('VALIDATION_SUITE_INVALID', { field: 'suite', problem: `the file is not valid JSON (${(err as Error).message})` }, { cause: err, details: { field: 'suite' } });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new LoomError('VALIDATION_SUITE_INVALID', { field: 'suite', problem: 'the file must hold a JSON object with "expectations"' }, { details: { field: 'suite' } });
  }
  return json as Record<string, unknown>;
}

function checkSuiteName(name: string): string {
  Suite.parse({ name, expectations: [] });
  return name;
}

function countKinds(suite: Suite): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const e of suite.expectations) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  return kinds;
}

function renderResult(result: SuiteResult, label: string, failuresOnly: boolean): string {
  const shown = failuresOnly ? result.results.filter((r) => !r.success) : result.results;
  const rows = shown.map((r) => [mark(r), r.expectation.kind, expectationColumn(r.expectation) ?? '', describeExpected(r), describeObserved(r), describeFailures(r)]);
  const { evaluated, successful, failed, warnings } = result.statistics;
  return [
    table(['', 'kind', 'column', 'expected', 'observed', 'failures'], rows),
    '',
    `${result.success ? '✔ passed' : '✘ failed'}: suite ${result.suite} on ${shortRef(label)}: ${successful}/${evaluated} passed, ${failed} failed, ${warnings} warnings`,
  ].join('\n');
}

function mark(r: ExpectationResult): string {
  if (r.success) return '✔';
  return r.expectation.severity === 'warn' ? '⚠' : '✘';
}

function describeFailures(r: ExpectationResult): string {
  if (r.unexpectedCount === 0) return '';
  const sample = r.failures.slice(0, 3).map((f) => `#${f.row}=${JSON.stringify(f.value)}`).join(' ');
  return `${r.unexpectedCount} (${Number(r.unexpectedPercent.toPrecision(3))}%) ${sample}`;
}

function shortRef(ref: string): string {
  const at = ref.lastIndexOf('@');
  return at > 0 && /^[0-9a-f]{64}$/.test(ref.slice(at + 1)) ? ref.slice(0, at + 13) : ref;
}

function parseFraction(text: string): number {
  const x = Number(text);
  if (!(x >= 0 && x < 1)) throw new LoomError('VALIDATION_INVALID_OPTION', { option: 'row-tolerance', problem: 'use a fraction in [0, 1)' }, { details: { field: 'row-tolerance' } });
  return x;
}

function parseCount(text: string): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < 0) throw new LoomError('VALIDATION_INVALID_OPTION', { option: 'max-set-size', problem: 'use a whole number ≥ 0' }, { details: { field: 'max-set-size' } });
  return x;
}

function parseInstant(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new LoomError('VALIDATION_INVALID_OPTION', { option: 'now', problem: `"${text}" is not an ISO-8601 instant` }, { details: { field: 'now' } });
  return ms;
}
