import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import type { GateResult } from '../../evaluation/gates/evaluate-gate.js';
import { parseGate } from '../../evaluation/gates/parse-gate.js';
import type { Gate } from '../../evaluation/gates/gate-rule.js';
import type { ModelVersion, RegistryEvent } from '../../registry/index.js';
import { readEvaluationFile } from '../../registry/attach-evaluation.js';
import { parseModelRef, parseVersionNumber } from '../../registry/model-ref.js';
import type { Workspace } from '../../storage/workspace.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';

/** The registry, loaded when a models command runs rather than for every `loom` start (see cli/main.ts). */
const openRegistry = async (ws: Workspace) => (await import('../../registry/model-registry.js')).ModelRegistry.open(ws);

/**
 * Registers `loom models`: register, list, show, versions, alias, promote, rollback, lineage, history, stage, update,
 * attach-eval, resolve and card. Every command takes the global `--json`. The actor recorded in the history is
 * LOOM_ACTOR (else the OS user); LOOM_ROLE sets its role (default admin for a local workspace).
 */
export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('model registry: versions, aliases, gated promotion, rollback, lineage');

  models
    .command('register <model-dir>')
    .description('register a model directory as the next version of --name (verified and copied into the artifact store)')
    .requiredOption('--name <name>', 'registered model name')
    .option('--run <run-id>', 'the tracking run that produced the model')
    .option('--eval <evaluation.json>', 'evaluation report of this model (from loom eval)')
    .option('--card <model-card.md>', 'model card (Markdown) to keep with the version (default: model-card.md beside --eval)')
    .option('--description <text>', 'version description')
    .option('--tag <key=value>', 'version tag; repeat for more', collect, [])
    .action(async (dir: string, opts: { name: string; run?: string; eval?: string; card?: string; description?: string; tag: string[] }, cmd: Command) => {
      const global = globals(cmd);
      const evaluation = opts.eval === undefined ? undefined : readEvaluationFile(opts.eval);
      const card = opts.card === undefined ? undefined : readTextFile(opts.card, 'model card', 'card');
      const tags = parseTags(opts.tag);
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const result = await registry.register(
          { dir, name: opts.name, runId: opts.run, evaluation, card, description: opts.description, tags: tags as Record<string, string> },
          global.json ? undefined : progressBar(),
        );
        const v = result.version;
        emit(global, { name: v.name, version: v.version, created: result.created, model_hash: v.modelHash, run_id: v.runId, bytes_stored: result.bytesStored, evaluation: evaluation !== undefined }, () =>
          [
            result.created ? `registered ${v.name}@${v.version} (${v.flavor} ${v.task}, model ${v.modelHash.slice(0, 12)})` : `${v.name}@${v.version} already holds this model (${v.modelHash.slice(0, 12)}); nothing new registered`,
            `next: loom models alias ${v.name} challenger ${v.version}`,
          ].join('\n'),
        );
      });
    });

  models
    .command('list')
    .description('list registered models with their aliases')
    .action(async (_opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const list = await (await openRegistry(ws)).list();
        emit(globals(cmd), list, () =>
          list.length === 0
            ? 'no registered models yet: loom models register <model-dir> --name <name>'
            : table(
                ['model', 'versions', 'latest', 'aliases', 'updated'],
                list.map((m) => [m.name, m.versions, m.latestVersion, formatAliases(m.aliases), iso(m.updatedAt)]),
              ),
        );
      });
    });

  models
    .command('show <ref>')
    .description('show a model (aliases, versions, recent history), or one version with name@version|alias')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const parsed = parseModelRef(ref);
        if (parsed.kind === 'latest' && !ref.includes('@')) {
          const model = await registry.get(parsed.name);
          const versions = await registry.versions(parsed.name);
          const history = await registry.history(parsed.name, 10);
          emit(globals(cmd), { ...model, versions, history }, () =>
            [
              `${model.name}${model.description === '' ? '' : `: ${model.description}`}`,
              `aliases: ${formatAliases(model.aliases) || '(none)'}`,
              versionTable(versions, model.aliases),
              '',
              'recent history:',
              historyTable(history),
            ].join('\n'),
          );
          return;
        }
        const version = await registry.find(ref);
        const evaluations = await registry.evaluations(version.name, version.version);
        const features = await registry.featureRefs(version.name, version.version);
        const aliases = Object.entries((await registry.get(version.name)).aliases).filter(([, v]) => v === version.version).map(([a]) => a);
        emit(globals(cmd), { ...version, aliases, evaluations, features }, () =>
          [
            `${version.name}@${version.version}  ${version.flavor} ${version.task}  stage ${version.stage}${aliases.length === 0 ? '' : `  aliases ${aliases.join(', ')}`}`,
            `model hash  ${version.modelHash}`,
            `run         ${version.runId ?? '(none)'}`,
            `registered  ${iso(version.createdAt)} by ${version.createdBy} from ${version.sourceDir}`,
            `inputs      ${version.signature.input.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`,
            `model card  ${version.cardBlob === null ? '(none)' : version.cardBlob.slice(0, 12)}`,
            `evaluations ${evaluations.length === 0 ? '(none)' : evaluations.map((e) => `${e.dataRef} (${e.dataRows} rows)`).join('; ')}`,
            `features    ${features.length === 0 ? '(none)' : features.map((f) => `${f.ref}@${f.viewVersion.slice(0, 12)}${f.column === f.feature ? '' : ` → ${f.column}`}`).join(', ')}`,
            ...(version.description === '' ? [] : [`description ${version.description}`]),
            ...(Object.keys(version.tags).length === 0 ? [] : [`tags        ${Object.entries(version.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`]),
          ].join('\n'),
        );
      });
    });

  models
    .command('versions <name>')
    .description('list the versions of a model, newest first')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const model = await registry.get(name);
        const versions = await registry.versions(name);
        emit(globals(cmd), versions, () => versionTable(versions, model.aliases));
      });
    });

  models
    .command('alias <name> <alias> [version]')
    .description('point an alias at a version (atomically), or remove it with --delete')
    .option('--expect <version|none>', 'move only if the alias now points at this version (none: only if unset)')
    .option('--delete', 'remove the alias')
    .option('--reason <text>', 'why, for the history')
    .action(async (name: string, alias: string, versionText: string | undefined, opts: { expect?: string; delete?: boolean; reason?: string }, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        if (opts.delete === true) {
          if (versionText !== undefined) throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'version', problem: '--delete takes no version' }, { details: { field: 'version' } });
          const removed = await registry.deleteAlias(name, alias, opts.reason);
          emit(globals(cmd), { name, alias, deleted: true, version: removed.version }, () => `removed ${name}@${alias} (was version ${removed.version})`);
          return;
        }
        if (versionText === undefined) throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'version', problem: 'give the version to point the alias at, or --delete' }, { details: { field: 'version' } });
        const version = parseVersionNumber(versionText);
        const expectVersion = opts.expect === undefined ? undefined : opts.expect === 'none' ? null : parseVersionNumber(opts.expect, 'expect');
        const move = await registry.setAlias(name, alias, version, { expectVersion, reason: opts.reason });
        emit(globals(cmd), move, () =>
          !move.changed ? `${name}@${alias} already points at version ${version}` : `${name}@${alias}: ${move.fromVersion === null ? '(new)' : `version ${move.fromVersion}`} → version ${move.toVersion}`,
        );
      });
    });

  models
    .command('promote <name>')
    .description('move --to (champion) to the version of --from (challenger) if the gate passes')
    .option('--from <alias>', 'alias whose version is promoted', 'challenger')
    .option('--to <alias>', 'alias that moves', 'champion')
    .option('--gate <file>', 'promotion gate (docs/registry.md, "Gate language")')
    .option('--force', 'promote even if the gate fails (needs --reason; audited)')
    .option('--reason <text>', 'why, for the history')
    .option('--challenger-eval <file>', 'evaluation report of the challenger to use instead of the attached one')
    .option('--champion-eval <file>', 'evaluation report of the champion to use instead of the attached one')
    .action(async (name: string, opts: PromoteOptions, cmd: Command) => {
      const global = globals(cmd);
      const gate = opts.gate === undefined ? undefined : readGate(opts.gate);
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        try {
          const result = await registry.promote({
            name,
            from: opts.from,
            to: opts.to,
            gate,
            force: opts.force,
            reason: opts.reason,
            challengerEvaluation: opts.challengerEval === undefined ? undefined : readEvaluationFile(opts.challengerEval),
            championEvaluation: opts.championEval === undefined ? undefined : readEvaluationFile(opts.championEval),
          });
          emit(global, result, () =>
            [
              ...(result.gate === null ? [] : [gateTable(result.gate), '']),
              !result.changed
                ? `${name}@${result.alias} already points at version ${result.toVersion}`
                : `${result.forced ? 'FORCED: ' : ''}${name}@${result.alias}: ${result.fromVersion === null ? '(new)' : `version ${result.fromVersion}`} → version ${result.toVersion}${result.forced ? ` (gate failed; reason: ${opts.reason})` : ''}`,
              ...(result.changed ? [`undo: loom models rollback ${name}${result.alias === 'champion' ? '' : ` --alias ${result.alias}`}`] : []),
            ].join('\n'),
          );
        } catch (err) {
          // Show every rule's verdict before the coded error, so the user sees all that failed, not only the first.
          const verdict = (err as LoomError).details?.gate as GateResult | undefined;
          if (!global.json && verdict !== undefined) process.stderr.write(`${gateTable(verdict)}\n\n`);
          throw err;
        }
      });
    });

  models
    .command('rollback <name>')
    .description('move an alias (champion) back to its previous holder')
    .option('--alias <alias>', 'the alias to roll back', 'champion')
    .option('--reason <text>', 'why, for the history')
    .action(async (name: string, opts: { alias: string; reason?: string }, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const move = await (await openRegistry(ws)).rollback(name, opts.alias, opts.reason);
        emit(globals(cmd), move, () => `${name}@${move.alias}: version ${move.fromVersion} → version ${move.toVersion} (rolled back)`);
      });
    });

  models
    .command('lineage <ref>')
    .description('datasets → run → version → deployments of name@version|alias')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const lineage = await (await openRegistry(ws)).lineage(ref);
        emit(globals(cmd), lineage, () =>
          [
            `datasets     ${lineage.datasets.length === 0 ? '(none recorded)' : lineage.datasets.map((d) => `${d.role}: ${d.name}@${d.version.slice(0, 12)}`).join(', ')}`,
            `  → run      ${lineage.run?.id ?? '(none)'}  (code ${lineage.code.gitSha?.slice(0, 12) ?? 'unknown'}, seed ${lineage.code.seed ?? 'none'}, trained ${lineage.code.trainedAt})`,
            `  → version  ${lineage.name}@${lineage.version}  model ${lineage.modelHash.slice(0, 12)}${lineage.aliases.length === 0 ? '' : `  aliases ${lineage.aliases.join(', ')}`}`,
            `  → deployed ${lineage.deployments.length === 0 ? '(no deployments)' : lineage.deployments.map((d) => `${d.environment} ${d.strategy} ${d.status}`).join('; ')}`,
            `evaluated on ${lineage.evaluations.length === 0 ? '(no reports)' : lineage.evaluations.map((e) => `${e.data} (${e.rows} rows)`).join('; ')}`,
          ].join('\n'),
        );
      });
    });

  models
    .command('history <name>')
    .description('who did what to a model, and when (newest first)')
    .option('--limit <n>', 'entries to show', '50')
    .action(async (name: string, opts: { limit: string }, cmd: Command) => {
      const limit = parseVersionNumber(opts.limit, 'limit');
      await withWorkspace(async (ws) => {
        const history = await (await openRegistry(ws)).history(name, limit);
        emit(globals(cmd), history, () => historyTable(history));
      });
    });

  models
    .command('stage <name> <version> <stage>')
    .description('move a version to a stage: none, staging, production, archived')
    .option('--archive-existing', 'moving to production archives the other production versions')
    .option('--reason <text>', 'why, for the history')
    .action(async (name: string, versionText: string, stage: string, opts: { archiveExisting?: boolean; reason?: string }, cmd: Command) => {
      const version = parseVersionNumber(versionText);
      await withWorkspace(async (ws) => {
        const result = await (await openRegistry(ws)).setStage(name, version, stage, opts);
        emit(globals(cmd), { name, version, stage: result.version.stage, archived: result.archived }, () =>
          `${name}@${version} is now ${result.version.stage}${result.archived.length === 0 ? '' : `; archived ${result.archived.map((v) => `@${v}`).join(', ')}`}`,
        );
      });
    });

  models
    .command('update <ref>')
    .description('set the description or tags of a model (name) or a version (name@version)')
    .option('--description <text>', 'new description')
    .option('--tag <key=value>', 'set a tag; repeat for more', collect, [])
    .option('--untag <key>', 'remove a tag; repeat for more', collect, [])
    .action(async (ref: string, opts: { description?: string; tag: string[]; untag: string[] }, cmd: Command) => {
      const tags: Record<string, string | null> = { ...parseTags(opts.tag) };
      for (const key of opts.untag) tags[key] = null;
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const parsed = parseModelRef(ref);
        const version = ref.includes('@') ? (await registry.find(ref)).version : undefined;
        await registry.update(parsed.name, version, { description: opts.description, tags });
        emit(globals(cmd), { name: parsed.name, version: version ?? null, updated: true }, () => `updated ${version === undefined ? parsed.name : `${parsed.name}@${version}`}`);
      });
    });

  models
    .command('attach-eval <ref> <evaluation.json>')
    .description('attach an evaluation report to a registered version (name@version|alias)')
    .action(async (ref: string, file: string, _opts: unknown, cmd: Command) => {
      const input = readEvaluationFile(file);
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const version = await registry.find(ref);
        const attached = await registry.attachEvaluation(version.name, version.version, input);
        emit(globals(cmd), attached, () => `attached the report on ${attached.dataRef} (${attached.dataRows} rows) to ${attached.name}@${attached.version}`);
      });
    });

  models
    .command('resolve <ref>')
    .description('print the verified model directory of name | name@version | name@alias (for predict, eval, serve)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const resolved = await (await openRegistry(ws)).resolve(ref);
        emit(globals(cmd), { name: resolved.name, version: resolved.version, alias: resolved.alias, model_hash: resolved.modelHash, dir: resolved.dir }, () => resolved.dir);
      });
    });

  models
    .command('card <ref>')
    .description('print the model card (Markdown) kept with a version')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      await withWorkspace(async (ws) => {
        const registry = await openRegistry(ws);
        const version = await registry.find(ref);
        const card = await registry.card(version.name, version.version);
        emit(globals(cmd), { name: version.name, version: version.version, card }, () => card ?? `${version.name}@${version.version} has no model card (register with --card)`);
      });
    });
}

interface PromoteOptions {
  readonly from: string;
  readonly to: string;
  readonly gate?: string;
  readonly force?: boolean;
  readonly reason?: string;
  readonly challengerEval?: string;
  readonly championEval?: string;
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'tag', problem: `"${pair}" is not key=value` }, { details: { field: 'tag' } });
    tags[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return tags;
}

function readTextFile(path: string, what: string, field: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new LoomError('REGISTRY_FILE_NOT_FOUND', { what, path, cwd: process.cwd() }, { details: { field } });
  return readFileSync(path, 'utf8');
}

function readGate(path: string): Gate {
  return parseGate(readTextFile(path, 'gate', 'gate'), path);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function formatAliases(aliases: Readonly<Record<string, number>>): string {
  return Object.entries(aliases)
    .map(([alias, version]) => `${alias}→${version}`)
    .join(', ');
}

function versionTable(versions: readonly ModelVersion[], aliases: Readonly<Record<string, number>>): string {
  if (versions.length === 0) return 'no versions';
  return table(
    ['version', 'stage', 'aliases', 'flavor', 'task', 'model', 'run', 'registered', 'by'],
    versions.map((v) => [
      v.version,
      v.stage,
      Object.entries(aliases).filter(([, n]) => n === v.version).map(([a]) => a).join(','),
      v.flavor,
      v.task,
      v.modelHash.slice(0, 12),
      v.runId ?? '',
      iso(v.createdAt),
      v.createdBy,
    ]),
  );
}

function historyTable(history: readonly RegistryEvent[]): string {
  if (history.length === 0) return '(empty)';
  return table(
    ['when', 'who', 'action', 'alias', 'from', 'to', 'version', 'reason'],
    history.map((e) => [iso(e.createdAt), e.actor, e.details.forced === true ? `${e.action} (forced)` : e.action, e.alias ?? '', e.fromVersion ?? '', e.toVersion ?? '', e.version ?? '', e.reason ?? '']),
  );
}

function gateTable(result: GateResult): string {
  const mark = { passed: '✔', failed: '✘', skipped: '–' } as const;
  return [
    table(['', 'line', 'rule', 'observed'], result.rules.map((r) => [mark[r.status], r.line, r.rule, r.reason])),
    `gate ${result.passed ? 'passed' : 'failed'}: ${result.rules.length - result.failed - result.skipped} passed, ${result.failed} failed, ${result.skipped} skipped`,
  ].join('\n');
}
