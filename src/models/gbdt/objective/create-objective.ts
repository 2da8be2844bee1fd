import type { GbdtObjectiveName, GbdtParams } from '../params/gbdt-param-table.js';
import { BinaryLogloss } from './binary-logloss.js';
import { MulticlassSoftmax } from './multiclass-softmax.js';
import { Lambdarank } from './lambdarank.js';
import type { Objective } from './objective.js';
import { RegressionHuber } from './regression-huber.js';
import { RegressionL1 } from './regression-l1.js';
import { RegressionL2 } from './regression-l2.js';
import { RegressionPoisson } from './regression-poisson.js';
import { RegressionQuantile } from './regression-quantile.js';

/** Every objective by name. The param table lists the same names, so a resolved objective always has a factory. */
export const OBJECTIVES: ReadonlyMap<GbdtObjectiveName, (p: GbdtParams) => Objective> = new Map<GbdtObjectiveName, (p: GbdtParams) => Objective>([
  ['regression', () => new RegressionL2()],
  ['regression_l1', () => new RegressionL1()],
  ['huber', (p) => new RegressionHuber(p.alpha)],
  ['quantile', (p) => new RegressionQuantile(p.alpha)],
  ['poisson', (p) => new RegressionPoisson(p.poisson_max_delta_step)],
  ['binary', (p) => new BinaryLogloss(p.sigmoid, p.is_unbalance, p.scale_pos_weight)],
  ['multiclass', (p) => new MulticlassSoftmax(p.num_class)],
  ['lambdarank', (p) => new Lambdarank(p.sigmoid, p.lambdarank_norm, p.lambdarank_truncation_level, p.label_gain)],
]);

/** A fresh objective for resolved params; call `init` with the labels before training. */
export function createObjective(p: GbdtParams): Objective {
  return OBJECTIVES.get(p.objective)!(p);
}
