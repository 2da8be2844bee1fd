import { LoomError } from '../../core/errors/index.js';
import type { FeatureType } from '../definitions/feature-types.js';
import { computeOnDemand, type FeatureValue, type OnDemandInput, type OnDemandView } from '../definitions/on-demand-view.js';
import type { OnlineCell, OnlineStatus } from './online-view-read.js';

/**
 * @internal Computes an on-demand view for one entity of an online request with computeOnDemand, the function offline
 * retrieval calls per entity row (retrieval/on-demand-offline.ts): the transform sees the request columns (from
 * `request`, as offline reads them from the entity rows) and its input features by name, each input being the online
 * value under the offline TTL rule (null unless PRESENT, as offline gives null outside the TTL).
 *
 * Status of each output: PRESENT when the transform returned a value; when it returned null, the worst status among
 * the inputs (OUTSIDE_TTL before NOT_FOUND), or PRESENT when every input was present (a genuine null).
 *
 * @throws LOOM_ERR_FEATURES_REQUEST_COLUMN_MISSING, LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST (a request value of the
 *   wrong type), LOOM_ERR_FEATURES_ON_DEMAND_FAILED
 */
export function onDemandOnline(view: OnDemandView, request: Readonly<Record<string, unknown>>, inputs: ReadonlyMap<string, OnlineCell>, index: number): Map<string, OnlineCell> {
  const row: Record<string, FeatureValue> = {};
  for (const r of view.request) {
    if (!Object.hasOwn(request, r.name) || request[r.name] === undefined) {
      throw new LoomError('FEATURES_REQUEST_COLUMN_MISSING', { view: view.name, column: r.name, available: Object.keys(request).join(', ') || '(none)' }, { details: { field: r.name, index } });
    }
    row[r.name] = requestValue(request[r.name], r.type, r.name, index);
  }
  let worst: OnlineStatus = 'PRESENT';
  for (const ref of view.inputs) {
    const cell = inputs.get(ref)!;
    row[ref.split(':')[1]] = cell.value;
    if (cell.status === 'OUTSIDE_TTL' || (cell.status === 'NOT_FOUND' && worst === 'PRESENT')) worst = cell.status;
  }
  const out = computeOnDemand(view, row as OnDemandInput, `request entity ${index}`);
  const cells = new Map<string, OnlineCell>();
  for (const f of view.features) cells.set(f.name, { value: out[f.name], status: out[f.name] === null ? worst : 'PRESENT', eventTs: null });
  return cells;
}

/** A request value as the transform sees it offline: numbers, booleans, strings, and timestamps as Dates. */
function requestValue(raw: unknown, type: FeatureType, field: string, index: number): FeatureValue {
  if (raw === null) return null;
  const bad = (what: string) => new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: `entities[${index}].${field}`, problem: `it must be ${what}` }, { details: { field, index } });
  switch (type) {
    case 'float':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw bad('a finite number');
      return raw;
    case 'int':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw bad('an integer');
      return raw;
    case 'bool':
      if (typeof raw !== 'boolean') throw bad('true or false');
      return raw;
    case 'string':
      if (typeof raw !== 'string') throw bad('a string');
      return raw;
    case 'timestamp': {
      const ms = typeof raw === 'number' ? raw : typeof raw === 'string' && /(Z|z|[+-]\d{2}(:?\d{2})?)$/.test(raw.trim()) ? Date.parse(raw) : Number.NaN;
      if (!Number.isFinite(ms)) throw bad('an ISO-8601 time with a zone or epoch ms');
      return new Date(ms);
    }
  }
}
