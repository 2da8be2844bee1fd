import { LoomError } from '../core/errors/index.js';
import { loadDatasetFrame } from '../data/versions/load-dataset-frame.js';
import { resolveVersion } from '../data/versions/resolve-version.js';
import { describeExpected, describeObserved } from '../validation/expectations/describe-result.js';
import { expectationColumn } from '../validation/expectations/expectation.js';
import { generateSuite } from '../validation/suites/generate-suite.js';
import { runSuite } from '../validation/suites/run-suite.js';
import { saveSuite, saveSuiteResult } from '../validation/suites/suite-store.js';
import { Suite } from '../validation/suites/suite.js';
import type { DemoValidationRun } from './demo-report.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/** The suite the demo generates from the reference period. */
export const DEMO_SUITE = 'churn-customers';

/**
 * Step 5: generates a validation suite from the reference period's profile, stores it, and runs it on both periods
 * (storing each result). The generated `between` checks on timestamp columns are left out: every later period has
 * later timestamps, so they would fail without saying anything about the data. On the reference period the suite
 * passes; on the current one the drifted features (a new region, higher prices, less usage, more tickets) break
 * their distribution and set expectations.
 */
export const validateDriftStep: DemoStep = Object.freeze({
  name: 'validate',
  title: 'generate a suite from the reference period and run it on both periods',
  async run(ctx: DemoContext) {
    const reference = ctx.report.datasets.find((d) => d.role === 'reference');
    const current = ctx.report.datasets.find((d) => d.role === 'current');
    if (reference === undefined || current === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the validate step needs the split step before it' });
    const version = await resolveVersion(ctx.ws, `${reference.name}@${reference.version}`);
    const generated = generateSuite(DEMO_SUITE, version.schema, version.profile, { generatedFrom: { dataset: version.dataset, version: version.id } });
    const timestamps = new Set(version.schema.columns.filter((c) => c.type === 'timestamp').map((c) => c.name));
    const kept = generated.expectations.filter((e) => !(e.kind === 'between' && timestamps.has(e.column)));
    const suite = Suite.create({ name: DEMO_SUITE, expectations: kept, meta: generated.meta });
    const { db } = await ctx.ws.metadata();
    const stored = await saveSuite(db, suite);
    // Freshness is measured against the end of the world's observation window, not the wall clock, so re-runs agree.
    const now = Date.parse(ctx.state.world?.manifest.config.end ?? new Date(0).toISOString());
    const runs: DemoValidationRun[] = [];
    for (const part of [reference, current]) {
      const target = `${part.name}@${part.version}`;
      const { frame } = await loadDatasetFrame(ctx.ws, target);
      const result = runSuite(suite, frame, { now });
      await saveSuiteResult(db, { hash: stored.hash, target, result });
      const { evaluated, successful, failed, warnings } = result.statistics;
      const failures = result.results
        .filter((r) => !r.success)
        .map((r) => ({ kind: r.expectation.kind, column: expectationColumn(r.expectation), expected: describeExpected(r), observed: describeObserved(r) }));
      runs.push({ role: part.role, target, success: result.success, evaluated, passed: successful, failed, warnings, failures });
    }
    ctx.report.validation = {
      suite: suite.name,
      hash: stored.hash,
      expectations: suite.expectations.length,
      generatedFrom: `${version.dataset}@${version.id}`,
      droppedTimestampRanges: generated.expectations.length - kept.length,
      runs,
      driftDetected: runs[0].success && !runs[1].success,
    };
    ctx.report.next = [...ctx.report.next, `loom validate suite show ${DEMO_SUITE}`, `loom validate run ${DEMO_SUITE} ${current.name} --failures-only`];
  },
});
