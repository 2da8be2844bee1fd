import type { JoinKey } from '../definitions/entity.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';

/** @internal The online table of a view version: `view@<first 16 hex of the version>`. */
export function onlineTable(view: string, version: string): string {
  return `${view}@${version.slice(0, 16)}`;
}

/** @internal A view's join keys in key order (entities in order, then each entity's keys). */
export function viewJoinKeys(spec: FeatureViewSpec): JoinKey[] {
  return spec.entities.flatMap((e) => e.joinKeys.map((k) => ({ name: k.name, type: k.type })));
}

/** @internal The online table of a view version's window-aggregate states: `view@<16 hex>#agg`. */
export function aggregateTable(view: string, version: string): string {
  return `${onlineTable(view, version)}#agg`;
}
