import type { FeaturePlan, PlanChange } from './feature-plan.js';

const SYMBOL: Readonly<Record<PlanChange['action'], string>> = { add: '+', change: '~', remove: '-', unchanged: ' ' };

/**
 * The plan as Terraform-style text: one block per added (+), changed (~) or removed (-) entity or view, with its
 * field-level lines; breaking lines are marked, and the last line counts the changes.
 */
export function formatPlan(plan: FeaturePlan): string {
  const blocks = plan.changes.filter((c) => c.action !== 'unchanged').map(formatChange);
  if (blocks.length === 0) return 'No changes. The registered features match the config.';
  return ['Loom will apply these changes:', '', ...blocks, '', `Plan: ${plan.add} to add, ${plan.change} to change, ${plan.remove} to remove.`].join('\n');
}

function formatChange(c: PlanChange): string {
  const label = c.kind === 'entity' ? 'entity' : c.kind === 'on-demand-view' ? 'on-demand view' : 'view';
  const short = (v: string | null) => (v === null ? '' : v.slice(0, 12));
  const version =
    c.kind === 'entity'
      ? ''
      : c.action === 'add'
        ? `  version ${short(c.toVersion)}`
        : c.action === 'change'
          ? c.newVersion
            ? `  version ${short(c.fromVersion)} → ${short(c.toVersion)}`
            : '  (in place)'
          : '';
  const lines = [`  ${SYMBOL[c.action]} ${label} ${c.name}${version}`];
  for (const d of c.diffs) {
    const value = d.op === '+' ? `: ${d.to}` : d.op === '-' ? `: ${d.from}` : `: ${d.from} → ${d.to}`;
    lines.push(`      ${d.op} ${d.path}${value}${d.breaking && c.action === 'change' ? '   (breaking)' : ''}`);
  }
  if (c.usedBy.length > 0) lines.push(`      used by ${c.usedBy.map((u) => `${u.model} v${u.modelVersion}`).join(', ')}`);
  return lines.join('\n');
}
