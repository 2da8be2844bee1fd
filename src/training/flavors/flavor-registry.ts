import { LoomError } from '../../core/errors/index.js';
import type { ModelFlavor } from '../model-flavor.js';
import { BASELINE_FLAVOR } from './baseline-flavor.js';
import { FLAVOR_NAMES } from './flavor-names.js';
import { GBDT_FLAVOR } from './gbdt-flavor.js';
import { LINEAR_FLAVOR } from './linear-flavor.js';

/** Every model flavor by name: what `loom train --model` accepts and what a manifest's `flavor` may name. */
export const FLAVORS: ReadonlyMap<string, ModelFlavor> = new Map([GBDT_FLAVOR, LINEAR_FLAVOR, BASELINE_FLAVOR].map((f) => [f.name, f]));
if ([...FLAVORS.keys()].join() !== FLAVOR_NAMES.join()) throw new Error(`FLAVOR_NAMES (${FLAVOR_NAMES.join()}) must list the registered flavors (${[...FLAVORS.keys()].join()})`);

/** The flavor registered under `name`. @throws LOOM_ERR_TRAINING_INVALID_OPTION listing the known flavors */
export function findFlavor(name: string, field = 'model'): ModelFlavor {
  const flavor = FLAVORS.get(name);
  if (flavor === undefined) {
    throw new LoomError('TRAINING_INVALID_OPTION', { field, problem: `"${name}" is not a model flavor; use one of ${[...FLAVORS.keys()].join(', ')}` }, { details: { field } });
  }
  return flavor;
}
