import { userInfo } from 'node:os';
import { LoomError } from '../core/errors/index.js';

/** Roles, lowest first; each includes the permissions of the ones before it. */
export const REGISTRY_ROLES = ['viewer', 'data-scientist', 'deployer', 'admin'] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

/** Who is acting: recorded in the history and checked against the permission table. */
export interface Principal {
  readonly name: string;
  readonly role: RegistryRole;
}

/** Everything the registry lets a principal do. */
export type RegistryAction = 'read' | 'register' | 'evaluate' | 'update' | 'alias' | 'alias-protected' | 'stage' | 'stage-production' | 'promote' | 'rollback' | 'force';

/**
 * The lowest role allowed each action, in one table. Moving a protected alias (champion) and putting a version in
 * production are deployer actions; forcing a promotion past a failed gate is an admin action.
 */
export const REGISTRY_PERMISSIONS: Readonly<Record<RegistryAction, RegistryRole>> = {
  read: 'viewer',
  register: 'data-scientist',
  evaluate: 'data-scientist',
  update: 'data-scientist',
  alias: 'data-scientist',
  'alias-protected': 'deployer',
  stage: 'data-scientist',
  'stage-production': 'deployer',
  promote: 'deployer',
  rollback: 'deployer',
  force: 'admin',
};

/** Aliases whose moves need the deployer role: serving follows them. */
export const PROTECTED_ALIASES: readonly string[] = ['champion'];

/**
 * @throws LOOM_ERR_REGISTRY_FORBIDDEN when the principal's role is below the action's.
 */
export function authorize(principal: Principal, action: RegistryAction, model: string): void {
  const needed = REGISTRY_PERMISSIONS[action];
  if (REGISTRY_ROLES.indexOf(principal.role) >= REGISTRY_ROLES.indexOf(needed)) return;
  throw new LoomError('REGISTRY_FORBIDDEN', { actor: principal.name, role: principal.role, action, name: model, needed }, { details: { field: 'role', action, needed } });
}

/**
 * The principal of a local process: the name from LOOM_ACTOR, else the OS user; the role from LOOM_ROLE, else
 * `admin` (a local workspace belongs to whoever can write its files; the HTTP API authenticates its principals).
 *
 * @throws LOOM_ERR_REGISTRY_INVALID_OPTION for an unknown LOOM_ROLE.
 */
export function localPrincipal(env: Readonly<Record<string, string | undefined>> = process.env): Principal {
  let name = env.LOOM_ACTOR?.trim();
  if (name === undefined || name === '') {
    try {
      name = userInfo().username;
    } catch {
      name = 'unknown';
    }
  }
  const role = env.LOOM_ROLE?.trim() || 'admin';
  if (!(REGISTRY_ROLES as readonly string[]).includes(role)) {
    throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'LOOM_ROLE', problem: `"${role}" is not a role; use one of ${REGISTRY_ROLES.join(', ')}` }, { details: { field: 'LOOM_ROLE' } });
  }
  return { name, role: role as RegistryRole };
}
