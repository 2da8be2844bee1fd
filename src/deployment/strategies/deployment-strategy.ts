import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';
import { AB, type AbStrategy } from './ab-strategy.js';
import { BANDIT, type BanditStrategy } from './bandit-strategy.js';
import { BLUE_GREEN, type BlueGreenStrategy } from './blue-green-strategy.js';
import { CANARY, type CanaryStrategy } from './canary-strategy.js';
import { INTERLEAVING, type InterleavingStrategy } from './interleaving-strategy.js';
import { SHADOW, type ShadowStrategy } from './shadow-strategy.js';
import { SINGLE, type SingleStrategy } from './single-strategy.js';
import type { StrategyDescriptor } from './strategy-descriptor.js';

/** How a deployment routes a model's traffic: a `kind`-discriminated, immutable spec (JSON-serializable). */
export type DeploymentStrategy = SingleStrategy | BlueGreenStrategy | CanaryStrategy | ShadowStrategy | AbStrategy | BanditStrategy | InterleavingStrategy;
export type StrategyKind = DeploymentStrategy['kind'];

/** Every strategy kind, by name. @internal */
export const DEPLOYMENT_STRATEGIES: ReadonlyMap<string, StrategyDescriptor<DeploymentStrategy>> = new Map(
  ([SINGLE, BLUE_GREEN, CANARY, SHADOW, AB, BANDIT, INTERLEAVING] as StrategyDescriptor<never>[]).map((d) => [d.kind, d as unknown as StrategyDescriptor<DeploymentStrategy>]),
);

/** The strategy kinds, in docs order. */
export const STRATEGY_KINDS: readonly StrategyKind[] = [...DEPLOYMENT_STRATEGIES.keys()] as StrategyKind[];

/** The descriptor of a parsed strategy. @internal */
export function strategyDescriptor<S extends DeploymentStrategy>(spec: S): StrategyDescriptor<S> {
  return DEPLOYMENT_STRATEGIES.get(spec.kind) as unknown as StrategyDescriptor<S>;
}

/**
 * Companion of DeploymentStrategy: `create` validates a spec (filling defaults) and returns it frozen; `is` tells a
 * parsed spec of one kind.
 *
 * @example
 * const canary = DeploymentStrategy.create({ kind: 'canary', steps: [5, 25, 50, 100], min_requests: 200,
 *   guardrails: { error_rate: { max: 0.02, budget: 3 }, latency_p99: { max_ms: 150 } } });
 * DeploymentStrategy.is(canary, 'canary'); // true
 */
export const DeploymentStrategy = Object.freeze({
  /**
   * @param arms when given, also checks the spec against that many versions (arm count, per-arm weights).
   * @throws LOOM_ERR_DEPLOY_INVALID_SPEC naming the field
   */
  create(input: unknown, arms?: number): DeploymentStrategy {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidSpec('(spec)', 'it must be an object with a kind');
    const kind = (input as { kind?: unknown }).kind;
    const descriptor = typeof kind === 'string' ? DEPLOYMENT_STRATEGIES.get(kind) : undefined;
    if (descriptor === undefined) throw invalidSpec('kind', `${JSON.stringify(kind ?? null)} is not a strategy; use one of ${STRATEGY_KINDS.join(', ')}`);
    const parsed = descriptor.zod.safeParse(input);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error, '(spec)');
      throw invalidSpec(issue.field, issue.problem);
    }
    const spec = deepFreeze(parsed.data);
    if (arms !== undefined) checkArms(spec, arms);
    return spec;
  },
  is<K extends StrategyKind>(value: unknown, kind: K): value is Extract<DeploymentStrategy, { kind: K }> {
    return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === kind;
  },
});

/** @throws LOOM_ERR_DEPLOY_INVALID_SPEC when `count` versions do not fit the strategy. */
export function checkArms(spec: DeploymentStrategy, count: number): void {
  const d = strategyDescriptor(spec);
  if (count < d.arms.min || count > d.arms.max) {
    const want = d.arms.min === d.arms.max ? `${d.arms.min}` : `${d.arms.min} to ${d.arms.max}`;
    throw invalidSpec('arms', `a ${spec.kind} deployment takes ${want} version${d.arms.max === 1 ? '' : 's'} (the stable one first, then --challenger), got ${count}`);
  }
  const problem = d.check?.(spec, count) ?? null;
  if (problem !== null) throw invalidSpec(problem[0], problem[1]);
}

function invalidSpec(field: string, problem: string): LoomError {
  return new LoomError('DEPLOY_INVALID_SPEC', { field, problem }, { details: { field } });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
