import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoomError, LoomError } from '../core/errors/index.js';
import type { GateResult } from '../evaluation/gates/evaluate-gate.js';
import { parseGate } from '../evaluation/gates/parse-gate.js';
import { ModelRegistry } from '../registry/model-registry.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_MODEL } from './register-models-step.js';
import { DEMO_SENSITIVE } from './training-table-builder.js';

/**
 * The demo's promotion gate, in the gate language (docs/registry.md). The challenger replaces the champion only when
 * its AUC is not shown to be worse than the champion's beyond a 0.005 margin, it clears an absolute floor, its
 * expected cost at the decision threshold is not higher, and its true-positive rates across age bands are not shown
 * to differ by more than 0.15.
 */
export const DEMO_GATE = [
  '# loom demo: promote the churn challenger only if all of these hold',
  'auc >= champion.auc - 0.005 (95% CI)     # not worse than the champion beyond the margin',
  'auc >= 0.65                               # an absolute floor',
  'cost.default not higher                   # expected cost per customer at the decision threshold',
  `|fairness[${DEMO_SENSITIVE}].equal_opportunity_difference| <= 0.15 (95% CI)   # churners of every age band are found alike`,
  '',
].join('\n');

/**
 * Step 10 (promote): writes the gate to `<home>/demo/churn-gate.txt` and promotes `challenger` → `champion` through
 * it, reading the evaluation reports attached in the previous step. A failed gate is a finding, not an error: the
 * champion stays and the report lists each rule's verdict.
 */
export const promoteStep: DemoStep = Object.freeze({
  name: 'promote',
  title: 'promote challenger → champion through the gate',
  async run(ctx: DemoContext) {
    const models = ctx.report.models;
    if (models.length === 0 || models.some((m) => m.evaluation === null || m.registry === null)) {
      throw new LoomError('CORE_INTERNAL', { problem: 'the promote step needs the evaluate step before it' });
    }
    const dir = join(ctx.ws.config.home, 'demo');
    mkdirSync(dir, { recursive: true });
    const gateFile = join(dir, 'churn-gate.txt');
    writeFileSync(gateFile, DEMO_GATE);
    const gate = parseGate(DEMO_GATE, gateFile);
    const registry = await ModelRegistry.open(ctx.ws);
    let result: GateResult;
    let fromVersion: number | null;
    try {
      const promoted = await registry.promote({ name: DEMO_MODEL, from: 'challenger', to: 'champion', gate, reason: 'loom demo: gated promotion' });
      result = promoted.gate ?? { passed: true, failed: 0, skipped: 0, rules: [] };
      fromVersion = promoted.fromVersion;
    } catch (err) {
      if (!(isLoomError(err) && err.code === 'LOOM_ERR_GATE_FAILED')) throw err;
      result = (err.details as { gate: GateResult }).gate;
      fromVersion = (await registry.find(`${DEMO_MODEL}@champion`)).version;
    }
    const champion = (await registry.find(`${DEMO_MODEL}@champion`)).version;
    const holder = models.find((m) => m.registry!.version === champion);
    if (holder === undefined) throw new LoomError('CORE_INTERNAL', { problem: `champion is version ${champion}, which the demo did not register in this run` });
    ctx.report.promotion = {
      model: DEMO_MODEL,
      gateFile,
      passed: result.passed,
      rules: result.rules.map((r) => ({ rule: r.rule, status: r.status, reason: r.reason })),
      fromVersion,
      championVersion: champion,
      championRole: holder.role,
    };
    ctx.report.files = [...ctx.report.files, { what: 'promotion gate', path: gateFile }];
    ctx.report.next = [...ctx.report.next, `loom models lineage ${DEMO_MODEL}@champion`];
  },
});
