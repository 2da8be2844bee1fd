import { LoomError } from '../../core/errors/index.js';
import { invalidDefinition } from './definition-error.js';
import type { Entity } from './entity.js';
import { viewFields, type FeatureView } from './feature-view.js';
import type { OnDemandView } from './on-demand-view.js';

/** What `defineConfig()` takes: the default export of `loom.config.ts`. */
export interface FeatureConfigInput {
  readonly entities?: readonly Entity[];
  /** Feature views and on-demand views; names are unique across both. */
  readonly views?: readonly (FeatureView | OnDemandView)[];
}

/** A validated feature config. */
export interface FeatureConfig {
  readonly kind: 'feature-config';
  readonly entities: readonly Entity[];
  readonly featureViews: readonly FeatureView[];
  readonly onDemandViews: readonly OnDemandView[];
}

/**
 * Validates a whole feature config: unique entity and view names, every view's entities declared, every on-demand
 * input naming a feature of a declared view.
 *
 * @throws LOOM_ERR_FEATURES_DUPLICATE_NAME, LOOM_ERR_FEATURES_UNKNOWN_ENTITY, LOOM_ERR_FEATURES_INVALID_DEFINITION
 * @example
 * // loom.config.ts
 * export default defineConfig({ entities: [customer], views: [customerStats, orderRatio] });
 */
export function defineConfig(input: FeatureConfigInput): FeatureConfig {
  if (input === null || typeof input !== 'object') throw invalidDefinition('config', 'config', 'pass an object { entities, views }');
  const entities = [...(input.entities ?? [])];
  const views = [...(input.views ?? [])];
  const entityNames = new Map<string, Entity>();
  for (const [i, e] of entities.entries()) {
    if (e?.kind !== 'entity') throw invalidDefinition('config', `entities.${i}`, 'expected an entity made by entity()');
    if (entityNames.has(e.name)) throw new LoomError('FEATURES_DUPLICATE_NAME', { kind: 'entity', name: e.name }, { details: { field: `entities.${i}`, name: e.name } });
    entityNames.set(e.name, e);
  }
  const viewNames = new Set<string>();
  for (const [i, v] of views.entries()) {
    if (v?.kind !== 'feature-view' && v?.kind !== 'on-demand-view') throw invalidDefinition('config', `views.${i}`, 'expected a view made by featureView() or onDemandView()');
    if (viewNames.has(v.name)) throw new LoomError('FEATURES_DUPLICATE_NAME', { kind: 'view', name: v.name }, { details: { field: `views.${i}`, name: v.name } });
    viewNames.add(v.name);
  }
  const featureViews = views.filter((v): v is FeatureView => v.kind === 'feature-view');
  const onDemandViews = views.filter((v): v is OnDemandView => v.kind === 'on-demand-view');
  for (const view of featureViews) {
    for (const e of view.entities) {
      const declared = entityNames.get(e.name);
      if (declared === undefined) {
        throw new LoomError('FEATURES_UNKNOWN_ENTITY', { view: view.name, entity: e.name, known: [...entityNames.keys()].join(', ') || '(none)' }, { details: { field: `views.${view.name}.entities` } });
      }
      if (JSON.stringify(declared.joinKeys) !== JSON.stringify(e.joinKeys)) {
        throw invalidDefinition(`view "${view.name}"`, 'entities', `entity "${e.name}" differs from the declared entity of that name`);
      }
    }
  }
  const byName = new Map(featureViews.map((v) => [v.name, v]));
  for (const od of onDemandViews) {
    for (const ref of od.inputs) {
      const [viewName, feature] = ref.split(':');
      const view = byName.get(viewName);
      if (view === undefined || !viewFields(view).some((f) => f.name === feature)) {
        throw invalidDefinition(`on-demand view "${od.name}"`, 'inputs', `"${ref}" is not a feature of a feature view in this config`);
      }
    }
  }
  return Object.freeze({ kind: 'feature-config' as const, entities: Object.freeze(entities), featureViews: Object.freeze(featureViews), onDemandViews: Object.freeze(onDemandViews) });
}
