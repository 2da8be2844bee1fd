import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import { DEFAULT_DEPLOYMENT_REFRESH_MS } from '../../deployment/routing/router-defaults.js';
import type { PredictionLogAck, ServedModel } from '../../serving/index.js';
import { DEFAULT_ALIAS_REFRESH_MS, DEFAULT_BODY_LIMIT } from '../../serving/serving-defaults.js';
import type { GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly models: string[];
  readonly modelDir: string[];
  readonly maxBatchSize: string;
  readonly maxWaitMs: string;
  readonly maxQueue: string;
  readonly cacheSize: string;
  readonly fallback: string[];
  readonly fallbackDefault: string[];
  readonly bodyLimit: string;
  readonly aliasRefreshMs: string;
  readonly log: boolean;
  readonly logSample: string;
  readonly logStream: string;
  readonly logAck: string;
  readonly deployments: boolean;
  readonly deploymentRefreshMs: string;
}

/** Registers `loom serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve models over HTTP: V2 Open Inference Protocol, Loom predict, Prometheus /metrics; runs until SIGINT/SIGTERM')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--models <refs...>', 'registry references to load at start and serve by default, e.g. churn@champion adult@3 (other registered models are loaded on first request)', [])
    .option('--model-dir <name=dir>', 'also serve a model directory under a name; repeat for more', collect, [])
    .option('--max-batch-size <n>', 'micro-batching: most rows per model call and online feature read (1 = off)', '1')
    .option('--max-wait-ms <ms>', 'micro-batching: longest a request waits for others (0 = a batch is what one event-loop turn read)', '0')
    .option('--max-queue <n>', 'micro-batching: rows waiting per model before requests get 503', '10000')
    .option('--fallback <name=ref>', 'answer from another model (e.g. churn=churn@2) when a served model fails; repeatable', collect, [])
    .option('--fallback-default <name=value>', 'answer fixed values when a served model fails: name=value for every output, name:output=value for one; repeatable', collect, [])
    .option('--cache-size <n>', 'cache this many successful /v1 predict answers (LRU by model hash and inputs; 0 = off)', '0')
    .option('--body-limit <bytes>', 'largest request body (bigger ones get 413)', String(DEFAULT_BODY_LIMIT))
    .option('--alias-refresh-ms <ms>', 'how long an alias resolution is trusted before the registry is asked again (hot swap delay)', String(DEFAULT_ALIAS_REFRESH_MS))
    .option('--no-log', 'do not write predictions to the event log')
    .option('--log-sample <rate>', 'fraction of requests whose predictions are logged (1 = all)', '1')
    .option('--log-stream <name>', 'event stream of the prediction log', 'predictions')
    .option('--log-ack <mode>', `when a prediction counts as acknowledged: async (answer at once, log in the background) or logged (answer only once it is in the event log, so every 200 survives kill -9)`, 'async')
    .option('--no-deployments', 'ignore deployments (canary, A/B, shadow…): requests go to each model\'s default version')
    .option('--deployment-refresh-ms <ms>', 'how often deployment changes made elsewhere (loom deploy …) are picked up', String(DEFAULT_DEPLOYMENT_REFRESH_MS))
    .action(async (opts: ServeOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const port = integer(opts.port, 'port', 0, 65535);
      await withWorkspace(async (ws) => {
        // The server is loaded when it starts, not for every `loom` start (see cli/main.ts).
        const [{ DeploymentStore, TrafficRouter }, { ModelRegistry }, { openServingFeatures }, { ModelRepository, PREDICTION_LOG_ACKS, PredictionLog, ServingMetrics, createServingApp }, { fallbacksFromFlags }] = await Promise.all([
          import('../../deployment/index.js'),
          import('../../registry/index.js'),
          import('../../serving/enrichment/index.js'),
          import('../../serving/index.js'),
          import('../../serving/fallback/fallback-flags.js'),
        ]);
        const registry = await ModelRegistry.open(ws);
        const repository = new ModelRepository({ registry, aliasRefreshMs: integer(opts.aliasRefreshMs, 'alias-refresh-ms', 0, 3_600_000) });
        const loaded: ServedModel[] = [];
        for (const spec of opts.modelDir) {
          const eq = spec.indexOf('=');
          if (eq <= 0 || eq === spec.length - 1) throw new LoomError('SERVING_INVALID_OPTION', { field: 'model-dir', problem: `"${spec}" is not name=dir` }, { details: { field: 'model-dir' } });
          loaded.push(await repository.addDirectory(spec.slice(0, eq), spec.slice(eq + 1)));
        }
        for (const ref of opts.models) loaded.push(await repository.serve(ref));
        const metrics = new ServingMetrics();
        const sampleRate = Number(opts.logSample);
        if (!(sampleRate >= 0 && sampleRate <= 1)) throw new LoomError('SERVING_INVALID_OPTION', { field: 'log-sample', problem: `"${opts.logSample}" is not a fraction between 0 and 1` }, { details: { field: 'log-sample' } });
        if (!(PREDICTION_LOG_ACKS as readonly string[]).includes(opts.logAck)) throw new LoomError('SERVING_INVALID_OPTION', { field: 'log-ack', problem: `"${opts.logAck}" is not one of ${PREDICTION_LOG_ACKS.join(', ')}` }, { details: { field: 'log-ack' } });
        const predictionLog = opts.log ? new PredictionLog(await ws.events(), { sampleRate, stream: opts.logStream, ack: opts.logAck as PredictionLogAck }, metrics) : null;
        // Deployments route requests that name no version; the controller's automatic promotions move the champion alias.
        const deployments = opts.deployments
          ? await TrafficRouter.open({
              store: new DeploymentStore((await ws.metadata()).db),
              actor: registry.principal.name,
              refreshMs: integer(opts.deploymentRefreshMs, 'deployment-refresh-ms', 10, 3_600_000),
              onPromoted: async (d) => {
                const winner = d.arms.find((a) => a.name === d.finalArm);
                if (winner !== undefined) await registry.setAlias(d.model, 'champion', winner.version, { reason: `deployment ${d.id} promoted ${winner.name}` });
              },
            })
          : null;
        // Predict requests may send `entities`: their features are read from the online store.
        const featureStore = await openServingFeatures(ws);
        const app = createServingApp({
          repository,
          featureStore,
          metrics,
          predictionLog,
          deployments,
          bodyLimit: integer(opts.bodyLimit, 'body-limit', 1024, 1 << 30),
          fallbacks: fallbacksFromFlags(opts.fallback, opts.fallbackDefault, loaded),
          ...(integer(opts.cacheSize, 'cache-size', 0, 10_000_000) > 0 ? { cacheSize: integer(opts.cacheSize, 'cache-size', 0, 10_000_000) } : {}),
          batching: { maxBatchSize: integer(opts.maxBatchSize, 'max-batch-size', 1, 1_000_000), maxWaitMs: integer(opts.maxWaitMs, 'max-wait-ms', 0, 60_000), maxQueue: integer(opts.maxQueue, 'max-queue', 1, 100_000_000) },
        });
        const url = await app.listen({ port, host: opts.host });
        const models = loaded.map((m) => ({ name: m.name, version: m.version, alias: m.alias, hash: m.modelHash }));
        const routed = deployments === null ? [] : (await deployments.store.currentAll()).filter((d) => d.state === 'active').map((d) => ({ id: d.id, model: d.model, strategy: d.strategy.kind, arms: d.arms }));
        if (global.json) process.stdout.write(`${JSON.stringify({ url, host: opts.host, port: Number(new URL(url).port), models, prediction_log: predictionLog === null ? null : { stream: predictionLog.stream, sample_rate: sampleRate, ack: predictionLog.ack }, deployments: routed, online_features: featureStore !== null })}\n`);
        else {
          process.stdout.write(`serving at ${url}\n`);
          for (const m of models) process.stdout.write(`  ${m.name} version ${m.version}${m.alias === null ? '' : ` (@${m.alias})`}  POST ${url}/v2/models/${m.name}/infer  POST ${url}/v1/models/${m.name}/predict\n`);
          for (const d of routed) process.stdout.write(`  deployment ${d.id}: ${d.model} by ${d.strategy} (${d.arms.map((a) => `${a.name}=v${a.version}`).join(', ')}); feedback POST ${url}/v1/feedback\n`);
          process.stdout.write(`  metrics ${url}/metrics; Ctrl-C stops\n`);
        }
        if (!['127.0.0.1', '::1', 'localhost'].includes(opts.host)) process.stderr.write(`warning: listening on ${opts.host} without authentication; put it behind an authenticating proxy\n`);
        const signal = await new Promise<string>((resolve) => {
          process.once('SIGINT', () => resolve('SIGINT'));
          process.once('SIGTERM', () => resolve('SIGTERM'));
        });
        await app.close();
        await featureStore?.close();
        process.stderr.write(`stopped on ${signal}\n`);
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(text: string, field: string, min: number, max: number): number {
  const v = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new LoomError('SERVING_INVALID_OPTION', { field, problem: `"${text}" is not a whole number from ${min} to ${max}` }, { details: { field } });
  return v;
}
