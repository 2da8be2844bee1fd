import { LoomError } from '../../core/errors/index.js';
import { suggestName } from '../../models/gbdt/params/suggest-name.js';
import type { EvaluationReport, FairnessReport } from '../evaluation-report.js';
import type { CompareRule, Gate, GateConfidence, GateExpr, GateRule } from './gate-rule.js';
import { estimateInterval, finite, fmt, point, round, snap, Unavailable, type Interval } from './gate-interval.js';
import { sliceChecks } from './slice-checks.js';

/** The reports a gate reads. `champion` is null when the target alias has no holder yet (a first promotion). */
export interface GateReports {
  readonly challenger: EvaluationReport;
  readonly champion: EvaluationReport | null;
}

/** One check of a rule: one sensitive column, one slice, or the rule itself. */
export interface GateCheck {
  /** What was checked: the rule's subject (`sex` for a fairness rule, a slice name), or `` for a plain rule. */
  readonly subject: string;
  readonly passed: boolean;
  /** Human-readable figures, e.g. `auc 0.8123 [0.8001, 0.8245] >= 0.8262`. */
  readonly observed: string;
}

/** The outcome of one rule. A rule that needs the champion is `skipped` when there is none. */
export interface GateRuleOutcome {
  readonly line: number;
  readonly rule: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped, or what passed. */
  readonly reason: string;
  readonly checks: readonly GateCheck[];
}

/** The verdict of a gate: passed when no rule failed. */
export interface GateResult {
  readonly passed: boolean;
  readonly failed: number;
  readonly skipped: number;
  readonly rules: readonly GateRuleOutcome[];
}

/**
 * Applies a gate to the challenger's evaluation report (and the champion's, for rules that compare). Rules are
 * checked in order and all are reported, so a refusal lists every failed rule, not only the first.
 *
 * Confidence clauses (see docs/decisions/0004-gate-confidence.md): each challenger reference contributes its
 * bootstrap interval, rescaled to the rule's level with normal quantiles when the report used another level; champion
 * references and numbers are exact. `(p% CI)` fails a rule only when every value in the interval breaks it;
 * `(p% CI, strict)` passes it only when every value keeps it.
 *
 * @throws LOOM_ERR_GATE_DATA_MISMATCH when the gate compares with the champion and the two reports were made on
 *   different data (dataset reference or row count).
 * @example
 * const result = evaluateGate(parseGate('auc >= champion.auc - 0.005 (95% CI)'), { challenger, champion });
 * if (!result.passed) console.log(result.rules.filter((r) => r.status === 'failed'));
 */
export function evaluateGate(gate: Gate, reports: GateReports): GateResult {
  const { challenger, champion } = reports;
  if (champion !== null && gate.rules.some(usesChampion)) {
    if (challenger.data.ref !== champion.data.ref || challenger.data.rows !== champion.data.rows) {
      throw new LoomError(
        'GATE_DATA_MISMATCH',
        {
          challenger: describeModel(challenger, 'challenger'),
          champion: describeModel(champion, 'champion'),
          challengerData: `${challenger.data.ref}, ${challenger.data.rows} rows`,
          championData: `${champion.data.ref}, ${champion.data.rows} rows`,
        },
        { details: { field: 'evaluation', challenger: challenger.data, champion: champion.data } },
      );
    }
  }
  const rules = gate.rules.map((rule) => evaluateRule(rule, challenger, champion));
  const failed = rules.filter((r) => r.status === 'failed').length;
  return Object.freeze({ passed: failed === 0, failed, skipped: rules.filter((r) => r.status === 'skipped').length, rules });
}

function evaluateRule(rule: GateRule, challenger: EvaluationReport, champion: EvaluationReport | null): GateRuleOutcome {
  const base = { line: rule.line, rule: rule.text };
  if (usesChampion(rule) && champion === null) {
    return { ...base, status: 'skipped', reason: 'no champion yet: a rule that compares with the champion applies from the second promotion on', checks: [] };
  }
  try {
    const checks = rule.kind === 'slice' ? sliceChecks(rule, challenger, champion!) : compareChecks(rule, challenger, champion);
    const bad = checks.filter((c) => !c.passed);
    if (bad.length === 0) return { ...base, status: 'passed', reason: checks.map(describeCheck).join('; '), checks };
    return { ...base, status: 'failed', reason: bad.map(describeCheck).join('; '), checks };
  } catch (err) {
    if (!(err instanceof Unavailable)) throw err;
    return { ...base, status: 'failed', reason: err.message, checks: [] };
  }
}

function describeCheck(check: GateCheck): string {
  return check.subject === '' ? check.observed : `${check.subject}: ${check.observed}`;
}

function compareChecks(rule: CompareRule, challenger: EvaluationReport, champion: EvaluationReport | null): GateCheck[] {
  const subjects = needsSensitiveBinding(rule.left) || needsSensitiveBinding(rule.right) ? challenger.fairness.map((f) => f.sensitive) : [null];
  if (subjects.length === 0) throw new Unavailable('the challenger report has no fairness figures (evaluate with a sensitive column)');
  return subjects.map((sensitive) => {
    const context: Context = { challenger, champion, sensitive, confidence: rule.confidence };
    try {
      const left = evalExpr(rule.left, context);
      const right = evalExpr(rule.right, context);
      const passed = holds(rule.op, left, right, rule.confidence);
      return { subject: sensitive ?? '', passed, observed: `${show(left, rule.left)} ${rule.op} ${show(right, rule.right)}${passed ? '' : verdictNote(rule.op, rule.confidence)}` };
    } catch (err) {
      if (sensitive === null || !(err instanceof Unavailable)) throw err;
      return { subject: sensitive, passed: false, observed: err.message };
    }
  });
}

/** Whether `left op right` holds at the rule's confidence. */
function holds(op: CompareRule['op'], left: Interval, right: Interval, confidence: GateConfidence | null): boolean {
  const scale = Math.max(1, Math.abs(left.value), Math.abs(right.value));
  if (confidence === null) return compare(op, snap(left.value - right.value, scale));
  const lo = snap(left.lo - right.hi, scale);
  const hi = snap(left.hi - right.lo, scale);
  // Lenient: some value of the difference keeps the rule; strict: every value does.
  const greater = op === '>=' || op === '>';
  if (confidence.mode === 'lenient') return compare(op, greater ? hi : lo);
  return compare(op, greater ? lo : hi);
}

function compare(op: CompareRule['op'], difference: number): boolean {
  switch (op) {
    case '>=':
      return difference >= 0;
    case '>':
      return difference > 0;
    case '<=':
      return difference <= 0;
    case '<':
      return difference < 0;
  }
}

function verdictNote(op: CompareRule['op'], confidence: GateConfidence | null): string {
  if (confidence === null) return ' is false';
  const pct = `${round(confidence.level * 100)}%`;
  return confidence.mode === 'lenient' ? ` is false across the whole ${pct} interval` : ` is not certain at ${pct} (strict)`;
}

interface Context {
  readonly challenger: EvaluationReport;
  readonly champion: EvaluationReport | null;
  /** The sensitive column a fairness reference without `[column]` reads. */
  readonly sensitive: string | null;
  readonly confidence: GateConfidence | null;
}

function evalExpr(expr: GateExpr, context: Context): Interval {
  switch (expr.kind) {
    case 'number':
      return point(expr.value);
    case 'neg': {
      const x = evalExpr(expr.operand, context);
      return { value: -x.value, lo: -x.hi, hi: -x.lo };
    }
    case 'abs': {
      const x = evalExpr(expr.operand, context);
      const lo = x.lo <= 0 && x.hi >= 0 ? 0 : Math.min(Math.abs(x.lo), Math.abs(x.hi));
      return { value: Math.abs(x.value), lo, hi: Math.max(Math.abs(x.lo), Math.abs(x.hi)) };
    }
    case 'binary': {
      const a = evalExpr(expr.left, context);
      const b = evalExpr(expr.right, context);
      return combine(expr.op, a, b);
    }
    case 'ref':
      return evalRef(expr, context);
  }
}

function combine(op: '+' | '-' | '*' | '/', a: Interval, b: Interval): Interval {
  if (op === '+') return { value: a.value + b.value, lo: a.lo + b.lo, hi: a.hi + b.hi };
  if (op === '-') return { value: a.value - b.value, lo: a.lo - b.hi, hi: a.hi - b.lo };
  if (op === '/' && b.lo <= 0 && b.hi >= 0) throw new Unavailable('division by a value that is (or may be) zero');
  const f = op === '*' ? (x: number, y: number) => x * y : (x: number, y: number) => x / y;
  const corners = [f(a.lo, b.lo), f(a.lo, b.hi), f(a.hi, b.lo), f(a.hi, b.hi)];
  return { value: f(a.value, b.value), lo: Math.min(...corners), hi: Math.max(...corners) };
}

function evalRef(ref: Extract<GateExpr, { kind: 'ref' }>, context: Context): Interval {
  const report = ref.side === 'challenger' ? context.challenger : context.champion;
  if (report === null) throw new Unavailable('there is no champion report');
  const useInterval = context.confidence !== null && ref.side === 'challenger';
  const target = ref.target;
  if (target.kind === 'metric') {
    const estimate = report.metrics[target.metric];
    if (estimate === undefined) {
      const known = Object.keys(report.metrics);
      throw new Unavailable(`the ${ref.side} report has no metric "${target.metric}"${nearest(target.metric, known)} (it has ${known.join(', ') || 'none'})`);
    }
    return estimateInterval(estimate, `${ref.side} ${target.metric}`, useInterval ? context.confidence! : null);
  }
  if (target.kind === 'cost') {
    if (report.costs === null) throw new Unavailable(`the ${ref.side} report has no expected cost (evaluate with a cost matrix)`);
    if (ref.side === 'champion' && context.challenger.costs !== null && !sameMatrix(context.challenger.costs.matrix, report.costs.matrix)) {
      throw new Unavailable('the two reports use different cost matrices, so their costs are not comparable');
    }
    const value = target.at === 'chosen' ? report.costs.chosen_expected_cost : report.costs.default_expected_cost;
    return finite(value, `${ref.side} cost`);
  }
  const sensitive = target.sensitive ?? context.sensitive;
  const fairness = report.fairness.find((f) => f.sensitive === sensitive);
  if (fairness === undefined) {
    const known = report.fairness.map((f) => f.sensitive);
    throw new Unavailable(`the ${ref.side} report has no fairness figures for "${sensitive}"${nearest(sensitive ?? '', known)}`);
  }
  const value = (fairness as FairnessReport & Record<string, unknown>)[target.measure];
  if (typeof value !== 'number') throw new Unavailable(`the ${ref.side} report has no ${target.measure} for "${sensitive}"`);
  if (!useInterval || fairness.intervals === undefined) return finite(value, `${ref.side} ${target.measure}`);
  const ci = fairness.intervals[target.measure];
  if (ci === undefined || ci === null) throw new Unavailable(`the ${ref.side} report has no confidence interval for ${target.measure} of "${sensitive}"`);
  const level = report.bootstrap?.level ?? Object.values(report.metrics)[0]?.level ?? 0.95;
  return estimateInterval({ value, ci, level }, `${ref.side} ${target.measure}`, context.confidence);
}

/** True when some rule of the gate reads the champion's report (so a first promotion skips it). */
export function gateUsesChampion(gate: Gate): boolean {
  return gate.rules.some(usesChampion);
}

function usesChampion(rule: GateRule): boolean {
  if (rule.kind === 'slice') return true;
  return mentionsChampion(rule.left) || mentionsChampion(rule.right);
}

function mentionsChampion(expr: GateExpr): boolean {
  switch (expr.kind) {
    case 'number':
      return false;
    case 'ref':
      return expr.side === 'champion';
    case 'neg':
    case 'abs':
      return mentionsChampion(expr.operand);
    case 'binary':
      return mentionsChampion(expr.left) || mentionsChampion(expr.right);
  }
}

function needsSensitiveBinding(expr: GateExpr): boolean {
  switch (expr.kind) {
    case 'number':
      return false;
    case 'ref':
      return expr.target.kind === 'fairness' && expr.target.sensitive === null;
    case 'neg':
    case 'abs':
      return needsSensitiveBinding(expr.operand);
    case 'binary':
      return needsSensitiveBinding(expr.left) || needsSensitiveBinding(expr.right);
  }
}

function sameMatrix(a: { tn: number; fp: number; fn: number; tp: number }, b: { tn: number; fp: number; fn: number; tp: number }): boolean {
  return a.tn === b.tn && a.fp === b.fp && a.fn === b.fn && a.tp === b.tp;
}

function show(x: Interval, expr: GateExpr): string {
  const label = expr.kind === 'number' ? '' : expr.kind === 'ref' ? `${expr.text} ` : '';
  return x.lo === x.hi ? `${label}${fmt(x.value)}` : `${label}${fmt(x.value)} [${fmt(x.lo)}, ${fmt(x.hi)}]`;
}

function describeModel(report: EvaluationReport, role: string): string {
  return report.model.name !== undefined && report.model.version !== undefined ? `${report.model.name}@${report.model.version}` : `the ${role} (${report.model.hash.slice(0, 12)})`;
}

function nearest(name: string, known: readonly string[]): string {
  const near = suggestName(name, known);
  return near === null ? '' : ` (did you mean "${near}"?)`;
}
