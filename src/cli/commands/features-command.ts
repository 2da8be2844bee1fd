import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EntityRowsInput, RegisteredView, ViewSpec } from '../../features/index.js';
import { formatDuration } from '../../features/definitions/duration.js';
import { FEATURE_CONFIG_FILE, loadFeatureConfig } from '../../features/definitions/load-feature-config.js';
import { specFields } from '../../features/definitions/view-spec.js';
import { formatPlan } from '../../features/registry/format-plan.js';
import { parseFeatureRef } from '../../features/retrieval/feature-refs.js';
import { LoomError } from '../../core/errors/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';
import { registerFeaturesStreamCommand } from './features-stream-command.js';

/** The feature store, loaded when a features command runs rather than for every `loom` start (see cli/main.ts). */
const featureStore = () => import('../../features/index.js');

/**
 * Registers `loom features apply | list | show | materialize | stream | get | training-set`. Every command honours `--json`; failures are coded
 * errors. `apply` prints a Terraform-style plan; `training-set` shows DuckDB's progress on stderr.
 */
export function registerFeaturesCommands(program: Command): void {
  const features = program.command('features').description('register feature definitions from loom.config.ts and build point-in-time training sets');

  features
    .command('apply')
    .description('register the entities and views of loom.config.ts; prints the plan (added, changed, removed)')
    .option('--config <file>', 'the config module', FEATURE_CONFIG_FILE)
    .option('--dry-run', 'print the plan without applying it')
    .option('--new-version', 'allow breaking changes to views that registered models use (they keep their version)')
    .action(async (opts: { config: string; dryRun?: boolean; newVersion?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { config, baseDir, path } = await loadFeatureConfig(opts.config);
        const { applyFeatures } = await featureStore();
        const result = await applyFeatures(ws, config, { baseDir, dryRun: opts.dryRun, newVersion: opts.newVersion });
        emit(global, { config: path, ...result }, () => {
          const text = formatPlan(result.plan);
          if (result.applied) return `${text}\n\nApplied.`;
          return opts.dryRun && result.plan.add + result.plan.change + result.plan.remove > 0 ? `${text}\n\nDry run: nothing applied.` : text;
        });
      });
    });

  features
    .command('list')
    .description('list registered entities and views')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { listEntities, listFeatureViews } = await featureStore();
        const entities = await listEntities(ws);
        const views = await listFeatureViews(ws);
        emit(global, { entities, views: views.map(viewSummary) }, () =>
          views.length === 0 && entities.length === 0
            ? `no features registered yet; write ${FEATURE_CONFIG_FILE} and run \`loom features apply\``
            : [
                table(['entity', 'join keys'], entities.map((e) => [e.name, e.joinKeys.map((k) => `${k.name}:${k.type}`).join(', ')])),
                '',
                table(
                  ['view', 'kind', 'version', 'features', 'entities', 'ttl', 'owner', 'updated'],
                  views.map((v) => {
                    const s = viewSummary(v);
                    return [v.name, v.kind, v.latestVersion.slice(0, 12), s.features.length, s.entities.join(', '), s.ttl ?? '', v.owner, new Date(v.updatedAt).toISOString()];
                  }),
                ),
              ].join('\n'),
        );
      });
    });

  features
    .command('show <view>')
    .description('show a view (name or name@version): features, source, TTL, metadata and versions')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { featureFreshness, getFeatureView, listViewVersions } = await featureStore();
        const { view, version } = await getFeatureView(ws, ref);
        const versions = await listViewVersions(ws, view.name);
        const freshness = view.kind === 'feature-view' ? ((await featureFreshness(ws, { view: view.name }))[0] ?? null) : null;
        const value = {
          ...viewSummary(view),
          freshness,
          version: version.version,
          spec: version.spec,
          tags: view.tags,
          description: view.description,
          versions: versions.map((v) => ({ version: v.version, latest: v.version === view.latestVersion, retained: v.retained, createdAt: new Date(v.createdAt).toISOString() })),
        };
        emit(global, value, () => showText(view, version.version, version.spec, value.versions) + freshnessText(freshness));
      });
    });

  features
    .command('materialize [views...]')
    .description('write the latest value per entity of each feature view (or the named ones) into the online store')
    .option('--start <time>', 'only rows with event time after this (ISO-8601 with zone)')
    .option('--end <time>', 'only rows with event time up to this (default now)')
    .option('--incremental', 'start after each view\'s stored high-water mark (all history on the first run)')
    .action(async (views: string[], opts: { start?: string; end?: string; incremental?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { materializeFeatures } = await featureStore();
        const result = await materializeFeatures(ws, {
          views: views.length > 0 ? views : undefined,
          start: opts.start === undefined ? undefined : cliTime(opts.start, '--start'),
          end: opts.end === undefined ? undefined : cliTime(opts.end, '--end'),
          incremental: opts.incremental,
          progress: global.json ? undefined : progressBar(),
        });
        const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
        emit(global, result, () =>
          result.views.length === 0
            ? 'no feature views to materialize; run `loom features apply` first'
            : [
                `online store: ${result.store}`,
                table(
                  ['view', 'version', 'from', 'to', 'entities read', 'written', 'aggregate states', 'high-water mark'],
                  result.views.map((v) => [v.view, v.version.slice(0, 12), iso(v.start) || '(all)', iso(v.end), v.rows, v.written, v.aggregates === null ? '' : `${v.aggregates.written}/${v.aggregates.rows}`, iso(v.highWaterMark)]),
                ),
              ].join('\n'),
        );
      });
    });

  registerFeaturesStreamCommand(features);

  features
    .command('get <view-or-refs>')
    .description('read online feature values: a view name (its features and aggregates) or comma-separated refs view:feature (on-demand too)')
    .requiredOption('--entity <key=value,...>', 'an entity\'s join keys, e.g. customer_id=7 (repeat for several entities)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--at <time>', 'request time the TTL is applied at (ISO-8601 with zone; default now)')
    .option('--request <key=value,...>', 'request data of on-demand views, values as JSON (amount=50,big=true); once for all entities or once per entity', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--config <file>', 'config module with on-demand transforms (default: loom.config.ts when present)')
    .action(async (target: string, opts: { entity: string[]; at?: string; request: string[]; config?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { getFeatureView, getOnlineFeatures, listFeatureViews } = await featureStore();
        let refs: string[];
        if (target.includes(':')) refs = target.split(',').map((s) => s.trim()).filter((s) => s !== '');
        else {
          const { version } = await getFeatureView(ws, target);
          const spec = version.spec;
          refs = specFields(spec).map((f) => `${target}:${f.name}`);
        }
        const entities = opts.entity.map(parseEntityOption);
        if (opts.request.length > 1 && opts.request.length !== entities.length) {
          throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: '--request', problem: `give it once for all entities or once per entity (${entities.length})` }, { details: { field: '--request' } });
        }
        const requestData = opts.request.length === 0 ? undefined : entities.map((_, i) => parseRequestOption(opts.request[opts.request.length === 1 ? 0 : i]));
        const onDemand = new Set((await listFeatureViews(ws)).filter((v) => v.kind === 'on-demand-view').map((v) => v.name));
        const configPath = opts.config ?? (refs.some((r) => onDemand.has(safeView(r))) && existsSync(FEATURE_CONFIG_FILE) ? FEATURE_CONFIG_FILE : undefined);
        const config = configPath === undefined ? undefined : (await loadFeatureConfig(configPath)).config;
        const result = await getOnlineFeatures(ws, { entities, requestData, config, features: refs, now: opts.at === undefined ? undefined : cliTime(opts.at, '--at') });
        const out = result.rows.map((r, i) => ({ entity: entities[i], values: r.values, statuses: r.statuses, eventTimestamps: r.eventTimestamps }));
        emit(global, { features: result.features, refs: result.refs, rows: out }, () =>
          table(
            ['entity', 'feature', 'value', 'status', 'event time'],
            out.flatMap((r) => result.features.map((f) => [Object.entries(r.entity).map(([k, v]) => `${k}=${v}`).join(','), f, formatValue(r.values[f]), r.statuses[f], r.eventTimestamps[f]?.toISOString() ?? ''])),
          ),
        );
      });
    });

  features
    .command('training-set')
    .description('build a point-in-time correct training set: entity rows + features as of each row\'s time, to Parquet')
    .requiredOption('--entities <file|dataset>', 'entity rows: a Parquet/CSV/JSONL file, or a dataset name[@version]')
    .requiredOption('--features <refs>', 'comma-separated refs: view:feature, view@version:feature or view:*')
    .option('--out <file.parquet>', 'the Parquet file to write')
    .option('--dataset <name>', 'store the set as a new version of this dataset, recording its feature refs for the models trained on it')
    .option('--tag <col=tag,...>', 'with --dataset: column tags, e.g. churned=target')
    .option('--drop <columns>', 'with --dataset: comma-separated entity-row columns to leave out (e.g. event_timestamp)')
    .option('--timestamp-column <name>', 'the entity rows\' UTC time column', 'event_timestamp')
    .option('--full-names', 'name output columns view__feature')
    .option('--filter-created', 'serve only rows whose created timestamp is <= the entity time (no late or corrected rows)')
    .option('--config <file>', 'config module with on-demand transforms (default: loom.config.ts when present)')
    .option('--memory-limit <size>', 'DuckDB memory limit before spilling to disk, e.g. 4GB', '2GB')
    .action(
      async (
        opts: { entities: string; features: string; out?: string; dataset?: string; tag?: string; drop?: string; timestampColumn: string; fullNames?: boolean; filterCreated?: boolean; config?: string; memoryLimit: string },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        await withWorkspace(async (ws) => {
          const { buildTrainingSet, getHistoricalFeatures, listFeatureViews } = await featureStore();
          const refs = opts.features.split(',').map((s) => s.trim()).filter((s) => s !== '');
          // A name that looks like a file is a path (a missing file is then DATA_FILE_NOT_FOUND, not an unknown dataset).
          const looksLikeFile = existsSync(resolve(opts.entities)) || /[\\/]|\.(csv|tsv|txt|parquet|pq|jsonl|ndjson|json)(\.gz)?$/i.test(opts.entities);
          const entities: EntityRowsInput = looksLikeFile ? { path: opts.entities } : { dataset: opts.entities };
          const onDemand = new Set((await listFeatureViews(ws)).filter((v) => v.kind === 'on-demand-view').map((v) => v.name));
          const needsConfig = refs.some((r) => onDemand.has(safeView(r)));
          const configPath = opts.config ?? (needsConfig && existsSync(FEATURE_CONFIG_FILE) ? FEATURE_CONFIG_FILE : undefined);
          const config = configPath === undefined ? undefined : (await loadFeatureConfig(configPath)).config;
          if ((opts.out === undefined) === (opts.dataset === undefined)) {
            throw new LoomError('FEATURES_TRAINING_SET_INVALID', { field: '--out', problem: 'give exactly one of --out <file.parquet> and --dataset <name>' }, { details: { field: 'out' } });
          }
          const common = {
            entities,
            features: refs,
            timestampColumn: opts.timestampColumn,
            fullNames: opts.fullNames,
            filterCreated: opts.filterCreated,
            config,
            memoryLimit: opts.memoryLimit,
            progress: global.json ? undefined : progressBar(),
          };
          if (opts.dataset !== undefined) {
            const drop = (opts.drop ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
            const set = await buildTrainingSet(ws, { ...common, dataset: opts.dataset, tags: opts.tag, drop });
            emit(global, set, () =>
              [
                `stored ${set.rows} rows × ${set.columns.length} columns as ${set.dataset}@${set.version.slice(0, 12)}${set.created ? '' : ' (identical to an existing version)'}`,
                `feature refs recorded for models trained on it: ${set.features.map((f) => f.ref).join(', ')}`,
                table(['view', 'version', 'source'], set.views.map((v) => [v.view, v.version.slice(0, 12), v.source])),
              ].join('\n'),
            );
            return;
          }
          const result = await getHistoricalFeatures(ws, { ...common, out: opts.out });
          emit(global, { out: result.out, rows: result.rows, columns: result.columns, entities: result.entities, views: result.views, features: result.features }, () =>
            [
              `wrote ${result.rows} rows × ${result.columns.length} columns to ${result.out}`,
              `entity rows: ${result.entities}`,
              table(['view', 'version', 'source'], result.views.map((v) => [v.view, v.version.slice(0, 12), v.source])),
            ].join('\n'),
          );
        });
      },
    );
}

function safeView(ref: string): string {
  try {
    return parseFeatureRef(ref).view;
  } catch {
    return '';
  }
}

function viewSummary(v: RegisteredView): { name: string; kind: string; latestVersion: string; features: string[]; entities: string[]; ttl: string | null; owner: string; updatedAt: string } {
  const spec = v.spec;
  return {
    name: v.name,
    kind: v.kind,
    latestVersion: v.latestVersion,
    features: specFields(spec).map((f) => `${f.name}:${f.type}`),
    entities: spec.kind === 'feature-view' ? spec.entities.map((e) => e.name) : [],
    ttl: spec.kind === 'feature-view' && spec.ttlMs !== null ? formatDuration(spec.ttlMs) : null,
    owner: v.owner,
    updatedAt: new Date(v.updatedAt).toISOString(),
  };
}

function showText(view: RegisteredView, version: string, spec: ViewSpec, versions: readonly { version: string; latest: boolean; retained: boolean; createdAt: string }[]): string {
  const lines = [`${view.name}@${version}`, `kind: ${spec.kind}`];
  if (spec.kind === 'feature-view') {
    const source = spec.source.kind === 'file' ? spec.source.path : spec.source.kind === 'dataset' ? `dataset ${spec.source.dataset}` : spec.source.kind === 'sql' ? `sql: ${spec.source.query}` : `stream ${spec.source.stream}`;
    lines.push(
      `entities: ${spec.entities.map((e) => `${e.name} (${e.joinKeys.map((k) => `${k.name}:${k.type}`).join(', ')})`).join(', ')}`,
      `source: ${source}`,
      `timestamp: ${spec.timestamp}${spec.createdTimestamp ? `, created: ${spec.createdTimestamp}` : ''}`,
      `ttl: ${spec.ttlMs === null ? 'none' : formatDuration(spec.ttlMs)}`,
    );
  } else {
    lines.push(`request: ${spec.request.map((f) => `${f.name}:${f.type}`).join(', ') || '(none)'}`, `inputs: ${spec.inputs.join(', ') || '(none)'}`, `transform sha256: ${spec.transformSha256}`);
  }
  if (view.owner) lines.push(`owner: ${view.owner}`);
  if (view.description) lines.push(`description: ${view.description}`);
  if (Object.keys(view.tags).length > 0) lines.push(`tags: ${Object.entries(view.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const fields = spec.kind === 'feature-view' ? [...spec.features.map((f) => [f.name, f.type, '']), ...spec.aggregations.map((a) => [a.name, a.fn === 'count' || a.fn === 'distinct' ? 'int' : 'float', `${a.fn}(${a.column ?? '*'}) over ${formatDuration(a.windowMs)}`])] : spec.features.map((f) => [f.name, f.type, 'on demand']);
  lines.push('', table(['feature', 'type', 'computed as'], fields), '', 'versions:', table(['version', 'latest', 'retained', 'created'], versions.map((v) => [v.version.slice(0, 12), v.latest ? 'yes' : '', v.retained ? 'yes' : '', v.createdAt])));
  return lines.join('\n');
}

function cliTime(text: string, field: string): number {
  const ms = /^-?\d+$/.test(text) ? Number(text) : /\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$/.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field, problem: `"${text}" is not an ISO-8601 time with a zone (e.g. 2024-05-01T00:00:00Z) or epoch ms` }, { details: { field } });
  return ms;
}

function parseEntityOption(text: string): Record<string, string> {
  const entity: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: '--entity', problem: `"${part}" is not key=value` }, { details: { field: '--entity' } });
    entity[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return entity;
}

function parseRequestOption(text: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseEntityOption(text))) {
    try {
      data[key] = JSON.parse(value);
    } catch {
      data[key] = value;
    }
  }
  return data;
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return v instanceof Date ? v.toISOString() : String(v);
}

function freshnessText(f: { lastMaterializedAt: number | null; highWaterMark: number | null; lagMs: number | null; rows: number } | null): string {
  if (f === null) return '';
  if (f.lastMaterializedAt === null) return '\n\nonline: never materialized (run `loom features materialize`)';
  return `\n\nonline: materialized up to ${new Date(f.highWaterMark!).toISOString()} at ${new Date(f.lastMaterializedAt).toISOString()}, lag ${Math.round(f.lagMs! / 1000)} s, ${f.rows} rows written`;
}
