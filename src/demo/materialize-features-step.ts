import { LoomError } from '../core/errors/index.js';
import { materializeFeatures } from '../features/online/materialize-features.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/**
 * Step (materialize, after register): writes the window-aggregate states of the feature views the training sets read
 * into the workspace's online store, up to the world's observation window end, so a served model that was registered
 * with those refs can be enriched from `{ entities: [{ customer_id }] }`. Event time, not the wall clock, bounds the
 * run: the world's events end there. Re-running is idempotent: the compare-and-set on event time accepts a state that
 * is not older than the stored one, so a re-run rewrites the same values (and counts them as written).
 *
 * @example
 * await runDemo({ seed: 42, home: '.loom' }); // DEMO_STEPS runs it after register
 * // then: loom features get usage --entity customer_id=C000001 --at 2025-01-01T00:00:00Z
 */
export const materializeFeaturesStep: DemoStep = Object.freeze({
  name: 'materialize',
  title: 'materialize the feature views into the online store for serving',
  async run(ctx: DemoContext) {
    const store = ctx.report.featureStore;
    const world = ctx.state.world;
    if (store === undefined || store === null || world === undefined) {
      throw new LoomError('CORE_INTERNAL', { problem: 'the materialize step needs the feature-store features step before it' });
    }
    const end = Date.parse(world.manifest.config.end);
    const result = await materializeFeatures(ctx.ws, { views: store.views.map((v) => v.view), end, progress: ctx.progress() });
    ctx.report.featureStore = {
      ...store,
      materialization: {
        store: result.store,
        end: new Date(end).toISOString(),
        views: result.views.map((v) => ({ view: v.view, version: v.version, entities: v.rows + (v.aggregates?.rows ?? 0), written: v.written + (v.aggregates?.written ?? 0) })),
      },
    };
    // Window aggregates are read as of the request time; the world ended at `end`, so ask as of then (now, every window is empty).
    ctx.report.next = [...ctx.report.next, 'loom features list', `loom features get usage --entity customer_id=C000001 --at ${new Date(end).toISOString()}`];
  },
});
