import { LoomError } from '../../../core/errors/index.js';
import { deepFreeze } from '../pipeline/deep-freeze.js';
import type { FittedStep, PreprocessStep } from './preprocess-step.js';
import { STEP_DEFINITIONS, type AnyStepDefinition } from './step-registry.js';
import { firstIssue } from '../../../core/zod-issue.js';

/**
 * Validates step options and returns the step with defaults filled, deep-frozen.
 * @throws LOOM_ERR_PREPROCESS_STEP_INVALID naming the step (`label`) and the offending option (details.field)
 */
export function parseStep(json: unknown, label: string): PreprocessStep {
  const definition = lookup(json, (field, problem) => stepError(label, field, problem));
  const parsed = definition.specSchema.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'step');
    throw stepError(label, field, problem);
  }
  return deepFreeze(dropUndefined(parsed.data)) as PreprocessStep;
}

/**
 * Validates one stored fitted step (`path` locates it, e.g. `steps.2`) and returns it deep-frozen.
 * @throws LOOM_ERR_MODEL_STATE_INVALID (details.field = the dotted path of the problem)
 */
export function parseFittedStep(json: unknown, path: string): FittedStep {
  const fail = (field: string, problem: string): LoomError => {
    const at = `${path}.${field}`;
    return new LoomError('MODEL_STATE_INVALID', { what: 'pipeline', field: at, problem }, { details: { field: at } });
  };
  const definition = lookup(json, fail);
  const parsed = definition.fittedSchema.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'step');
    throw fail(field, problem);
  }
  const problem = definition.checkFitted?.(parsed.data) ?? null;
  if (problem !== null) throw fail(problem[0], problem[1]);
  return deepFreeze(dropUndefined(parsed.data)) as FittedStep;
}

function lookup(json: unknown, fail: (field: string, problem: string) => LoomError): AnyStepDefinition {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  const definition = typeof kind === 'string' ? STEP_DEFINITIONS.get(kind) : undefined;
  if (definition === undefined) {
    throw fail('kind', `${kind === undefined ? 'no kind was given' : `unknown kind ${JSON.stringify(kind)}`}; known kinds: ${[...STEP_DEFINITIONS.keys()].join(', ')}`);
  }
  return definition;
}

function stepError(step: string, field: string, problem: string): LoomError {
  return new LoomError('PREPROCESS_STEP_INVALID', { step, field, problem }, { details: { field } });
}

/** zod keeps optional keys given as `undefined`; dropping them keeps stored JSON canonical. */
function dropUndefined<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  }
  return value;
}
