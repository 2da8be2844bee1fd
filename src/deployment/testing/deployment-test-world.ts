import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestDataset } from '../../data/ingest/ingest-dataset.js';
import { ModelRegistry } from '../../registry/index.js';
import { ModelRepository } from '../../serving/model-repository.js';
import type { ModelSelector, ServedModel } from '../../serving/served-model.js';
import { createServingApp, type ServingApp } from '../../serving/serving-app.js';
import { Workspace } from '../../storage/workspace.js';
import { trainModel } from '../../training/index.js';
import type { Deployment } from '../deployment.js';
import { TrafficRouter } from '../routing/traffic-router.js';
import { DeploymentStore } from '../store/deployment-store.js';
import { DeploymentStrategy } from '../strategies/deployment-strategy.js';

/**
 * A small served world for deployment tests: a workspace with model `rows` registered three times (GBDT with 3, 5
 * and 7 leaves on a 300-row table), champion = 1, and serving apps routed by a TrafficRouter on the workspace's
 * metadata store. `broken` versions load normally but throw on every prediction (a failing challenger); `unloadable`
 * versions fail to load.
 * @internal
 */
export interface DeploymentTestWorld {
  readonly home: string;
  readonly ws: Workspace;
  readonly registry: ModelRegistry;
  readonly store: DeploymentStore;
  /** One input record of the table (row i). */
  record(i: number): Record<string, unknown>;
  serve(options?: { broken?: readonly string[]; unloadable?: readonly string[] }): Promise<{ app: ServingApp; router: TrafficRouter; repository: ModelRepository }>;
  deploy(strategy: unknown, versions: readonly number[]): Promise<Deployment>;
  close(): Promise<void>;
}

/** @internal */
export async function deploymentTestWorld(prefix = 'loom-deploy-'): Promise<DeploymentTestWorld> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const ws = Workspace.open({ overrides: { home } });
  const lines = ['x,c,y'];
  for (let i = 0; i < 300; i++) lines.push(`${i % 50},${['a', 'b'][i % 2]},${(i % 50) + (i % 7) > 24 ? 'hi' : 'lo'}`);
  writeFileSync(join(home, 'rows.csv'), `${lines.join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'rows.csv'), name: 'rows', tags: 'y=target' });
  const registry = await ModelRegistry.open(ws, { principal: { name: 'tester', role: 'admin' } });
  for (const leaves of [3, 5, 7]) {
    const { modelDir } = await trainModel(ws, { data: 'rows', target: 'y', params: { num_iterations: 4, num_leaves: leaves, min_data_in_leaf: 5 }, seed: leaves, out: join(home, `m${leaves}`) });
    await registry.register({ dir: modelDir, name: 'rows' });
  }
  await registry.setAlias('rows', 'champion', 1);
  const store = new DeploymentStore((await ws.metadata()).db);
  const apps: ServingApp[] = [];
  return {
    home,
    ws,
    registry,
    store,
    record: (i) => ({ x: i % 50, c: ['a', 'b'][i % 2] }),
    async serve(options = {}) {
      const broken = new Set(options.broken ?? []);
      const unloadable = new Set(options.unloadable ?? []);
      const repository = broken.size + unloadable.size === 0 ? new ModelRepository({ registry, aliasRefreshMs: 0 }) : new BrokenVersions(broken, unloadable, { registry, aliasRefreshMs: 0 });
      await repository.serve('rows@champion');
      const router = await TrafficRouter.open({ store, actor: 'tester', refreshMs: 0, writer: { flushIntervalMs: 5 } });
      const app = createServingApp({ repository, deployments: router });
      apps.push(app);
      return { app, router, repository };
    },
    deploy: (strategy, versions) => store.create({ model: 'rows', strategy: DeploymentStrategy.create(strategy), versions, actor: 'tester' }),
    async close() {
      for (const app of apps) await app.close();
      await ws.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A repository whose named versions throw on every prediction, or fail to load. */
class BrokenVersions extends ModelRepository {
  readonly #broken: ReadonlySet<string>;
  readonly #unloadable: ReadonlySet<string>;

  constructor(broken: ReadonlySet<string>, unloadable: ReadonlySet<string>, options: ConstructorParameters<typeof ModelRepository>[0]) {
    super(options);
    this.#broken = broken;
    this.#unloadable = unloadable;
  }

  override async get(name: string, selector: ModelSelector): Promise<ServedModel> {
    if (selector.version !== undefined && this.#unloadable.has(selector.version)) throw new Error(`version ${selector.version} does not load`);
    const served = await super.get(name, selector);
    if (!this.#broken.has(served.version)) return served;
    const model = new Proxy(served.model, {
      get(target, key, receiver) {
        if (key === 'predict') return () => {
          throw new Error(`version ${served.version} fails on every request`);
        };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return Object.freeze({ ...served, model });
  }
}
