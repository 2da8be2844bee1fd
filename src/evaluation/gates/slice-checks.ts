import type { EvaluationReport } from '../evaluation-report.js';
import type { GateCheck } from './evaluate-gate.js';
import type { SliceRule } from './gate-rule.js';
import { estimateInterval, fmt, snap, Unavailable, type Interval } from './gate-interval.js';
import { higherIsBetter, PRIMARY_METRIC } from './metric-direction.js';

/**
 * The checks of `no slice worse by …`: every slice present in both reports (same column and name) with a finite
 * metric loses at most `by` (direction-aware). Failing slices are returned; when all pass, only the closest call.
 * @throws Unavailable when no slice could be compared. @internal
 */
export function sliceChecks(rule: SliceRule, challenger: EvaluationReport, champion: EvaluationReport): GateCheck[] {
  const metric = rule.metric ?? PRIMARY_METRIC[challenger.task];
  const higher = higherIsBetter(metric) ?? true;
  const championSlices = new Map(champion.slices.map((s) => [`${s.column ?? ''}\u0000${s.name}`, s]));
  const checks: GateCheck[] = [];
  const drops: number[] = [];
  for (const slice of challenger.slices) {
    const other = championSlices.get(`${slice.column ?? ''}\u0000${slice.name}`);
    const mine = slice.metrics[metric];
    const theirs = other?.metrics[metric];
    if (other === undefined || mine === undefined || theirs === undefined || !Number.isFinite(mine.value) || !Number.isFinite(theirs.value)) continue;
    let own: Interval;
    try {
      own = estimateInterval(mine, `challenger ${metric} on slice "${slice.name}"`, rule.confidence);
    } catch (err) {
      if (!(err instanceof Unavailable)) throw err;
      checks.push({ subject: slice.name, passed: false, observed: err.message });
      drops.push(Number.POSITIVE_INFINITY);
      continue;
    }
    // The drop is how much worse the challenger is; lenient uses its best interval bound, strict its worst.
    const best = higher ? own.hi : own.lo;
    const worst = higher ? own.lo : own.hi;
    const bound = rule.confidence === null ? own.value : rule.confidence.mode === 'lenient' ? best : worst;
    const drop = higher ? theirs.value - bound : bound - theirs.value;
    const excess = snap(drop - rule.by, Math.max(1, Math.abs(theirs.value)));
    const passed = rule.inclusive ? excess < 0 : excess <= 0;
    const shown = rule.confidence === null ? fmt(own.value) : `${fmt(own.value)} [${fmt(own.lo)}, ${fmt(own.hi)}]`;
    drops.push(drop);
    checks.push({ subject: slice.name, passed, observed: `${metric} ${shown} vs champion ${fmt(theirs.value)}: worse by ${fmt(drop)}${passed ? '' : ` > ${fmt(rule.by)}`}` });
  }
  if (checks.length === 0) {
    throw new Unavailable(`no slice of the challenger report has a counterpart with a finite ${metric} in the champion report (${challenger.slices.length} vs ${champion.slices.length} slices)`);
  }
  // Report the failing slices and, when all pass, only the closest call (a long list helps nobody).
  const failing = checks.filter((c) => !c.passed);
  if (failing.length > 0) return failing;
  let closest = 0;
  for (let i = 1; i < drops.length; i++) if (drops[i] > drops[closest]) closest = i;
  return [{ ...checks[closest], subject: `${checks.length} slices compared; closest: ${checks[closest].subject}` }];
}
