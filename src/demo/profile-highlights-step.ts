import { LoomError } from '../core/errors/index.js';
import type { ColumnProfile } from '../data/profile/profile.js';
import type { DatasetVersion } from '../data/versions/dataset-version.js';
import { resolveVersion } from '../data/versions/resolve-version.js';
import type { DemoHighlight } from './demo-report.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/** Numeric columns whose mean the demo compares between the reference and current periods. */
const COMPARED = ['monthly_charges', 'usage_hours_30d', 'support_tickets_90d'] as const;

/**
 * Step 4: reads the stored profiles and picks what a person should notice: null counts and ingest transforms
 * (pseudonymized email, trimmed plan values) of the customers, the churn share of the labels, the event mix, and
 * how the current period's means and categories moved from the reference period's.
 */
export const profileHighlightsStep: DemoStep = Object.freeze({
  name: 'profile',
  title: 'read the profiles for highlights',
  async run(ctx: DemoContext) {
    const byRole = new Map<string, DatasetVersion>();
    for (const d of ctx.report.datasets) byRole.set(d.role, await resolveVersion(ctx.ws, `${d.name}@${d.version}`));
    const customers = byRole.get('customers');
    if (customers === undefined) throw new LoomError('CORE_INTERNAL', { problem: 'the profile step needs the ingest step before it' });
    const out: DemoHighlight[] = [];
    for (const c of customers.profile.columns) {
      if (c.nulls > 0) out.push({ dataset: customers.dataset, column: c.name, text: `${c.nulls} nulls (${pct(c.nulls / customers.rows)}), left in on purpose` });
    }
    if (customers.source.kind === 'file') {
      for (const t of customers.source.transforms) {
        if (t.kind === 'pseudonymize') out.push({ dataset: customers.dataset, column: t.column, text: 'tagged pii: replaced by HMAC-SHA256 pseudonyms at ingest' });
        if (t.kind === 'trim-whitespace') out.push({ dataset: customers.dataset, column: t.column, text: 'some values had stray spaces; ingest trimmed them' });
      }
    }
    const labels = byRole.get('labels');
    const churned = labels && column(labels, 'churned')?.categorical?.top.find((t) => t.value === 'true');
    if (labels && churned) out.push({ dataset: labels.dataset, column: 'churned', text: `${pct(churned.count / labels.rows)} of customers churned within ${ctx.state.world?.manifest.config.horizonDays ?? '?'} days` });
    const events = byRole.get('events');
    const types = events && column(events, 'event_type')?.categorical?.top;
    if (events && types) out.push({ dataset: events.dataset, column: 'event_type', text: types.map((t) => `${t.value} ${t.count}`).join(', ') });
    const reference = byRole.get('reference');
    const current = byRole.get('current');
    if (reference && current) {
      for (const name of COMPARED) {
        const before = column(reference, name)?.numeric?.mean;
        const after = column(current, name)?.numeric?.mean;
        if (before !== undefined && after !== undefined) {
          out.push({ dataset: current.dataset, column: name, text: `mean ${before.toFixed(2)} → ${after.toFixed(2)} (${signedPct(after / before - 1)}) after the drift date` });
        }
      }
      const seen = new Set(column(reference, 'region')?.categorical?.top.map((t) => t.value) ?? []);
      const unseen = (column(current, 'region')?.categorical?.top ?? []).filter((t) => !seen.has(t.value));
      if (unseen.length > 0) out.push({ dataset: current.dataset, column: 'region', text: `new values after the drift date: ${unseen.map((t) => `${t.value} (${t.count})`).join(', ')}` });
    }
    ctx.report.highlights = [...ctx.report.highlights, ...out];
  },
});

function column(version: DatasetVersion, name: string): ColumnProfile | undefined {
  return version.profile.columns.find((c) => c.name === name);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function signedPct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(100 * x).toFixed(0)}%`;
}
