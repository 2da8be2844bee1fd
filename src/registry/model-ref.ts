import { LoomError } from '../core/errors/index.js';

/** The stages a version can be in. A stage is a label for people and filters; aliases are what serving follows. */
export const MODEL_STAGES = ['none', 'staging', 'production', 'archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** Registered model names: letters, digits, `.`, `_`, `-`; up to 128 characters; never `@`. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Alias names: a lowercase letter first, then lowercase letters, digits, `_`, `-`; up to 64 characters. */
export const ALIAS_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** Aliases with a fixed meaning in references, which cannot be set. */
export const RESERVED_ALIASES: readonly string[] = ['latest'];

/** A parsed model reference: a name plus a version number, an alias, or nothing (the latest version). */
export type ModelRef =
  | { readonly kind: 'latest'; readonly name: string }
  | { readonly kind: 'version'; readonly name: string; readonly version: number }
  | { readonly kind: 'alias'; readonly name: string; readonly alias: string };

/**
 * Parses `name`, `name@latest`, `name@<version>` or `name@<alias>`.
 *
 * @throws LOOM_ERR_REGISTRY_REF_INVALID
 * @example
 * parseModelRef('churn@champion'); // { kind: 'alias', name: 'churn', alias: 'champion' }
 */
export function parseModelRef(ref: string): ModelRef {
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  if (!MODEL_NAME.test(name)) throw new LoomError('REGISTRY_REF_INVALID', { ref, problem: `"${name}" is not a model name` }, { details: { field: 'ref' } });
  if (at < 0) return { kind: 'latest', name };
  const tail = ref.slice(at + 1);
  if (tail === 'latest') return { kind: 'latest', name };
  if (/^[0-9]+$/.test(tail)) {
    const version = Number(tail);
    if (!Number.isSafeInteger(version) || version < 1) throw new LoomError('REGISTRY_REF_INVALID', { ref, problem: 'versions count from 1' }, { details: { field: 'ref' } });
    return { kind: 'version', name, version };
  }
  if (!ALIAS_NAME.test(tail)) throw new LoomError('REGISTRY_REF_INVALID', { ref, problem: `"${tail}" is neither a version number nor an alias name` }, { details: { field: 'ref' } });
  return { kind: 'alias', name, alias: tail };
}

/** Formats a reference back to text. */
export function formatModelRef(ref: ModelRef): string {
  return ref.kind === 'latest' ? ref.name : ref.kind === 'version' ? `${ref.name}@${ref.version}` : `${ref.name}@${ref.alias}`;
}

/** @throws LOOM_ERR_REGISTRY_NAME_INVALID */
export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name)) {
    throw new LoomError('REGISTRY_NAME_INVALID', { what: 'model name', value: name, problem: 'use letters, digits, ".", "_" and "-" (up to 128 characters, starting with a letter or digit)' }, { details: { field: 'name' } });
  }
  return name;
}

/** @throws LOOM_ERR_REGISTRY_NAME_INVALID for a malformed, all-digit or reserved alias. */
export function checkAliasName(alias: string): string {
  if (!ALIAS_NAME.test(alias)) {
    throw new LoomError('REGISTRY_NAME_INVALID', { what: 'alias', value: alias, problem: 'start with a lowercase letter, then lowercase letters, digits, "_" or "-" (up to 64 characters)' }, { details: { field: 'alias' } });
  }
  if (RESERVED_ALIASES.includes(alias)) {
    throw new LoomError('REGISTRY_NAME_INVALID', { what: 'alias', value: alias, problem: `"${alias}" is reserved (name@latest always means the newest version)` }, { details: { field: 'alias' } });
  }
  return alias;
}

/** @throws LOOM_ERR_REGISTRY_NAME_INVALID */
export function checkStage(stage: string): ModelStage {
  if (!(MODEL_STAGES as readonly string[]).includes(stage)) {
    throw new LoomError('REGISTRY_NAME_INVALID', { what: 'stage', value: stage, problem: `use one of ${MODEL_STAGES.join(', ')}` }, { details: { field: 'stage' } });
  }
  return stage as ModelStage;
}

/** @throws LOOM_ERR_REGISTRY_INVALID_OPTION unless `text` is a whole number ≥ 1. */
export function parseVersionNumber(text: string | number, field = 'version'): number {
  const version = typeof text === 'number' ? text : /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new LoomError('REGISTRY_INVALID_OPTION', { field, problem: `"${text}" is not a version number (1, 2, …)` }, { details: { field } });
  }
  return version;
}
