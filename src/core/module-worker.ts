import { Worker } from 'node:worker_threads';

/**
 * Starts the worker entry `name` that sits beside the module at `moduleUrl` (its `import.meta.url`): `<name>.js`
 * when Loom runs built. From the TypeScript sources, a bootstrap first registers tsx's ES module loader, since Node 20
 * workers do not inherit `--import`, and then imports `<name>.ts`. Only the ES module loader: see decision 0013.
 *
 * @example
 * const worker = startModuleWorker(import.meta.url, 'trial-worker', { columns, spec });
 */
export function startModuleWorker(moduleUrl: string, name: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, moduleUrl), { workerData });
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
