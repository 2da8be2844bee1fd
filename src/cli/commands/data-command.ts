import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import type { ColumnProfile } from '../../data/profile/profile.js';
import type { DatasetVersion } from '../../data/index.js';
import { withWorkspace } from '../with-workspace.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';

/** The data layer, loaded when a data command runs rather than for every `loom` start (see cli/main.ts). */
const dataLayer = () => import('../../data/index.js');

/**
 * Registers `loom data ingest | list | show | profile | split`. Every command honours the global `--json` (result
 * on stdout) and reports failures as coded errors through the program's error handler.
 */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('ingest, inspect, profile and split datasets');

  data
    .command('ingest <file>')
    .description('ingest a CSV, Parquet, JSON Lines or JSON file as a new immutable dataset version')
    .requiredOption('--name <name>', 'dataset name')
    .option('--format <format>', 'csv | parquet | jsonl | json (default: from the extension)')
    .option('--timestamp <column>', 'parse this column as a timestamp and tag it `timestamp`')
    .option('--tag <tags>', 'column tags: col=pii,col2=target,col3=sensitive (pii columns need LOOM_PII_KEY)')
    .option('--append', "append the file's rows to the latest version")
    .option('--description <text>', 'dataset description')
    .action(async (file: string, opts: { name: string; format?: string; timestamp?: string; tag?: string; append?: boolean; description?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { ingestDataset } = await dataLayer();
        const result = await ingestDataset(
          ws,
          { path: file, name: opts.name, format: opts.format, timestamp: opts.timestamp, tags: opts.tag ?? {}, append: opts.append, description: opts.description },
          global.json ? undefined : progressBar(),
        );
        emit(global, { dataset: result.dataset, version: result.version, rows: result.rows, columns: result.columns, created: result.created }, () =>
          [
            result.version,
            `${result.created ? 'created' : 'unchanged (identical content already stored)'}: ${result.dataset}@${result.version.slice(0, 12)}, ${result.rows} rows × ${result.columns} columns`,
          ].join('\n'),
        );
      });
    });

  data
    .command('list')
    .description('list datasets')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { listDatasets } = await dataLayer();
        const datasets = await listDatasets(ws);
        emit(global, datasets, () =>
          datasets.length === 0
            ? 'no datasets yet; `loom data ingest <file> --name <name>` creates one'
            : table(
                ['name', 'latest', 'versions', 'rows', 'columns', 'updated'],
                datasets.map((d) => [d.name, d.latestVersion?.slice(0, 12), d.versions, d.rows, d.columns, new Date(d.updatedAt).toISOString()]),
              ),
        );
      });
    });

  data
    .command('show <ref>')
    .description('show a dataset version (name or name@version): schema, source and the list of versions')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { listVersions, resolveVersion } = await dataLayer();
        const version = await resolveVersion(ws, ref);
        // Verifies the blob, so a corrupt artifact is reported here rather than at training time.
        await (await ws.artifacts()).localPath(version.blobHash);
        const versions = await listVersions(ws, version.dataset);
        emit(global, { ...summary(version), schema: version.schema, source: version.source, versions: versions.map(summary) }, () => showText(version, versions));
      });
    });

  data
    .command('profile <ref>')
    .description('per-column statistics of a dataset version')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { resolveVersion } = await dataLayer();
        const version = await resolveVersion(ws, ref);
        emit(global, version.profile, () => `${version.dataset}@${version.id.slice(0, 12)}: ${version.profile.rows} rows\n${profileTableText(version.profile.columns)}`);
      });
    });

  data
    .command('split <ref>')
    .description('split a dataset version into new datasets')
    .requiredOption('--by <kind>', 'random | stratified | group | time')
    .requiredOption('--into <names>', 'comma-separated names of the parts, e.g. train,valid')
    .option('--column <column>', 'label (stratified), group key (group) or timestamp (time) column')
    .option('--fractions <list>', 'comma-separated fractions, e.g. 0.8,0.2 (default: an even split over the parts)')
    .option('--cutoffs <list>', 'time split: comma-separated ISO times or epoch ms where parts start')
    .option('--seed <n>', 'random seed (default: the workspace seed)')
    .action(async (ref: string, opts: { by: string; into: string; column?: string; fractions?: string; cutoffs?: string; seed?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const names = opts.into.split(',').map((s) => s.trim()).filter((s) => s !== '');
        const { splitDataset, SplitSpec } = await dataLayer();
        const spec = SplitSpec.create(specFromOptions(opts, names.length, ws.config.seed));
        const parts = await splitDataset(ws, ref, spec, names, global.json ? undefined : progressBar());
        emit(global, { spec, parts }, () => table(['dataset', 'version', 'rows', 'created'], parts.map((p) => [p.dataset, p.version.slice(0, 12), p.rows, p.created])));
      });
    });
}

function specFromOptions(opts: { by: string; column?: string; fractions?: string; cutoffs?: string; seed?: string }, parts: number, defaultSeed: number): unknown {
  const numbers = (text: string, field: string): number[] =>
    text.split(',').map((s) => {
      const v = Number(s.trim());
      if (s.trim() === '' || !Number.isFinite(v)) throw new LoomError('DATA_INVALID_SPLIT', { field, problem: `"${s}" is not a number` }, { details: { field } });
      return v;
    });
  const fractions = opts.fractions ? numbers(opts.fractions, 'fractions') : parts > 0 ? Array.from({ length: parts }, () => 1 / parts) : undefined;
  const seed = opts.seed === undefined ? defaultSeed : Number(opts.seed);
  switch (opts.by) {
    case 'random':
      return { kind: 'random', fractions, seed };
    case 'stratified':
    case 'group':
      return { kind: opts.by, column: opts.column, fractions, seed };
    case 'time': {
      if (opts.cutoffs) {
        const cutoffs = opts.cutoffs.split(',').map((s) => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : Date.parse(s.trim())));
        if (cutoffs.some((c) => !Number.isFinite(c))) throw new LoomError('DATA_INVALID_SPLIT', { field: 'cutoffs', problem: 'use ISO-8601 times or epoch ms' }, { details: { field: 'cutoffs' } });
        return { kind: 'time', column: opts.column, cutoffs };
      }
      return { kind: 'time', column: opts.column, fractions };
    }
    default:
      throw new LoomError('DATA_INVALID_SPLIT', { field: 'by', problem: `"${opts.by}" is not one of random, stratified, group, time` }, { details: { field: 'by' } });
  }
}

function summary(v: DatasetVersion): Record<string, unknown> {
  return { dataset: v.dataset, version: v.id, parent: v.parentId, rows: v.rows, columns: v.schema.columns.length, blob: v.blobHash, createdAt: new Date(v.createdAt).toISOString() };
}

function showText(v: DatasetVersion, versions: readonly DatasetVersion[]): string {
  const schema = table(
    ['column', 'type', 'nullable', 'tags', 'categories'],
    v.schema.columns.map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no', c.tags.join(','), c.categories ? `${c.categories.length}` : '']),
  );
  const source = v.source.kind === 'file' ? `${v.source.format} ${v.source.path} (${v.source.bytes} bytes, sha256 ${v.source.sourceSha256.slice(0, 12)})` : `split part ${v.source.part} of ${v.source.parent.dataset}@${v.source.parent.version.slice(0, 12)}`;
  const transforms = v.source.kind === 'file' && v.source.transforms.length > 0 ? `\ntransforms: ${v.source.transforms.map((t) => `${t.column}:${t.kind}`).join(', ')}` : '';
  const history = table(['version', 'parent', 'rows', 'created'], versions.map((x) => [x.id.slice(0, 12), x.parentId?.slice(0, 12), x.rows, new Date(x.createdAt).toISOString()]));
  return `${v.dataset}@${v.id}\n${v.rows} rows × ${v.schema.columns.length} columns\nsource: ${source}${transforms}\n\n${schema}\n\nversions:\n${history}`;
}

function profileTableText(columns: readonly ColumnProfile[]): string {
  const fmt = (x: number | undefined): string => (x === undefined ? '' : Number.isInteger(x) ? String(x) : x.toPrecision(4));
  return table(
    ['column', 'type', 'count', 'nulls', 'distinct', 'min', 'median', 'max', 'mean', 'std', 'top'],
    columns.map((c) => {
      const n = c.numeric;
      const top = c.categorical?.top.slice(0, 3).map((t) => `${t.value} (${t.count})`).join(', ') ?? '';
      const shown = c.type === 'timestamp' && n ? [n.min, n.quantiles[4], n.max].map((t) => new Date(t).toISOString()) : [fmt(n?.min), fmt(n?.quantiles[4]), fmt(n?.max)];
      return [c.name, c.type, c.count, c.nulls, c.distinct, ...shown, fmt(n?.mean), fmt(n?.std), top];
    }),
  );
}
