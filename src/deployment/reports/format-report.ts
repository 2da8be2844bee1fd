import { table } from '../../cli/cli-output.js';
import type { ExperimentReport } from './experiment-report.js';

/**
 * The report as text for a terminal: deployment line, arms table, guardrails, the strategy's analysis, outcome fit,
 * recent events and the verdict.
 * @example
 * console.log(formatExperimentReport(await experimentReport(store, await store.find('churn'))));
 */
export function formatExperimentReport(r: ExperimentReport): string {
  const d = r.deployment;
  const num = (x: number | null, digits = 3) => (x === null ? '' : Number.isInteger(x) ? String(x) : x.toFixed(digits));
  const lines: string[] = [];
  lines.push(`deployment ${d.id}  model ${d.model}  ${d.strategy.kind}  ${d.state}${d.percent === null ? '' : `  step ${d.step + 1} (${d.percent}%)`}`);
  lines.push('');
  lines.push(table(['arm', 'version', 'units', 'requests', 'failed', 'fallbacks', 'p50 ms', 'p99 ms', 'mean score'], r.arms.map((a) => [a.name, a.version, a.units, a.requests, a.failures, a.fallbacks, num(a.latencyP50Ms, 1), num(a.latencyP99Ms, 1), num(a.meanScore, 4)])));
  if (r.guardrails.length > 0) {
    lines.push('', table(['arm', 'guardrail', 'observed', 'limit', 'ok'], r.guardrails.map((g) => [g.arm, g.guardrail, num(g.observed, 4), num(g.limit, 4), g.ok ? 'yes' : 'BREACH'])));
  }
  if (r.ab !== null) {
    const p = r.ab.metric.kind === 'proportion';
    lines.push('', `metric ${r.ab.metric.outcome} (${r.ab.metric.kind}), alpha ${r.ab.alpha}`);
    lines.push(table(['arm', 'units', p ? 'conversions' : 'variance', p ? 'rate' : 'mean'], r.ab.arms.map((a) => [a.arm, a.units, p ? a.conversions : num(a.variance, 4), num(a.estimate, 4)])));
    for (const c of r.ab.comparisons) {
      lines.push(`${c.treatment} vs ${c.control}: diff ${num(c.difference, 4)}  ${c.test.kind} = ${num(c.test.statistic, 3)}${c.test.df === null ? '' : ` (df ${num(c.test.df, 1)})`}  p = ${num(c.test.pValue, 4)}  CI [${num(c.test.ci.low, 4)}, ${num(c.test.ci.high, 4)}]  mSPRT p = ${num(c.sequential.pValue, 4)}  always-valid CI [${num(c.sequential.ci.low, 4)}, ${num(c.sequential.ci.high, 4)}]${c.sampleSize === null ? '' : `  n/arm for mde ${num(c.sampleSize.mde, 4)}: ${c.sampleSize.perArm}`}`);
    }
    if (r.ab.srm !== null) lines.push(`sample ratio: χ² = ${num(r.ab.srm.chiSquare, 3)}, p = ${num(r.ab.srm.pValue, 4)}${r.ab.srm.mismatch ? '  MISMATCH' : ''}`);
  }
  if (r.bandit !== null) lines.push('', table(['arm', 'pulls', 'rewards', 'posterior mean', 'IPS', 'SNIPS'], r.bandit.map((a) => [a.arm, a.pulls, a.rewards, num(a.posteriorMean, 4), num(a.ips, 4), num(a.snips, 4)])));
  if (r.interleaving !== null) {
    const i = r.interleaving;
    lines.push('', `interleaving: ${i.impressions} impressions, ${i.clicked} clicked; A wins ${i.winsA}, B wins ${i.winsB}, ties ${i.ties}; Δ = ${num(i.delta, 4)}, p = ${num(i.pValue, 4)}`);
  }
  if (r.shadow !== null) lines.push('', `shadow: ${r.shadow.requests} requests, ${r.shadow.rows} rows, agreement ${num(r.shadow.agreementRate, 4)}, mean |Δscore| ${num(r.shadow.meanAbsDelta, 4)}, ${r.shadow.failures} failures`);
  if (r.outcomes !== null) {
    lines.push('', `outcome ${r.outcomes[0]?.outcome ?? ''} (joined on request id):`);
    lines.push(table(['arm', 'labelled', 'positive rate', 'mean score', 'brier', 'log loss'], r.outcomes.map((o) => [o.arm, o.labelled, num(o.positiveRate, 4), num(o.meanScore, 4), num(o.brier, 4), num(o.logLoss, 4)])));
  }
  const trail = r.events.slice(-8);
  if (trail.length > 0) lines.push('', 'events:', ...trail.map((e) => `  ${new Date(e.createdAt).toISOString().slice(0, 19)}  ${e.action.padEnd(16)} ${e.actor}${e.reason === null ? '' : `  ${e.reason}`}`));
  lines.push('', `verdict: ${r.verdict}`);
  return lines.join('\n');
}
