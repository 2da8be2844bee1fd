import { LoomError } from '../core/errors/index.js';
import { ModelRegistry } from '../registry/model-registry.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/** The registered model the demo's versions go to. */
export const DEMO_MODEL = 'churn';

/**
 * Step 8 (register): registers both models as versions of `churn` (verified artifacts, linked to their runs), then
 * points `champion` at the baseline and `challenger` at the GBDT: the story starts with the naive model in place and
 * a candidate to replace it. On a re-run, new versions are registered and the aliases are reset the same way.
 */
export const registerModelsStep: DemoStep = Object.freeze({
  name: 'register',
  title: 'register both models; baseline as champion, GBDT as challenger',
  async run(ctx: DemoContext) {
    const baseline = ctx.report.models.find((m) => m.role === 'baseline');
    const gbdt = ctx.report.models.find((m) => m.role === 'gbdt');
    if (baseline === undefined || gbdt === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the register step needs the train step before it' });
    const registry = await ModelRegistry.open(ctx.ws);
    const models = [];
    for (const [model, alias] of [[baseline, 'champion'], [gbdt, 'challenger']] as const) {
      const { version, created } = await registry.register(
        {
          dir: model.modelDir,
          name: DEMO_MODEL,
          ...(model.runId === null ? {} : { runId: model.runId }),
          description: model.role === 'baseline' ? 'class-prior baseline (ignores the features)' : `GBDT, ${Object.entries(model.params).map(([k, v]) => `${k}=${v}`).join(', ')}`,
          tags: { source: 'loom demo', role: model.role },
        },
        ctx.progress(),
      );
      await registry.setAlias(DEMO_MODEL, alias, version.version, { reason: `loom demo: the ${model.role} starts as ${alias}` });
      models.push({ ...model, registry: { name: DEMO_MODEL, version: version.version, created, alias } });
    }
    ctx.report.models = models;
    ctx.report.next = [...ctx.report.next, `loom models show ${DEMO_MODEL}`, `loom models history ${DEMO_MODEL}`];
  },
});
