import { LoomError } from '../core/errors/index.js';
import { columnValue } from '../core/frame/column-ops.js';
import type { Column } from '../core/frame/column.js';

/** What a model predicts. `ranking`: a score per row that orders the rows of each query (objective lambdarank). */
export type ModelTask = 'binary' | 'multiclass' | 'regression' | 'ranking';

/** The task and, for classification, the class names in output order (sorted by code point, as strings). */
export interface TaskInfo {
  readonly task: ModelTask;
  readonly classes: readonly string[] | null;
}

const CLASSIFICATION_OBJECTIVES = new Set(['binary', 'multiclass', 'softmax', 'multiclassova']);
const RANKING_OBJECTIVES = new Set(['lambdarank']);

/**
 * Decides the task from the target column, or from an explicit objective: a category, string or bool target is
 * classification (binary for two classes, multiclass for more); a numeric target is regression unless the objective
 * is a classification one, when its distinct values are the classes. A ranking objective (lambdarank) makes a
 * ranking task, whose numeric target holds relevance grades.
 *
 * @throws LOOM_ERR_MODEL_TARGET_INVALID for a target with one class, no values, or text under a regression objective.
 */
export function inferTask(target: Column, objective: string | undefined): TaskInfo {
  const numeric = target.type === 'float' || target.type === 'int';
  const wantsClasses = objective !== undefined && CLASSIFICATION_OBJECTIVES.has(objective);
  if (numeric && objective !== undefined && RANKING_OBJECTIVES.has(objective)) {
    if (countValues(target) === 0) throw invalid(target.name, 'it has no values');
    return { task: 'ranking', classes: null };
  }
  if (numeric && !wantsClasses) {
    if (countValues(target) === 0) throw invalid(target.name, 'it has no values');
    return { task: 'regression', classes: null };
  }
  if (!numeric && objective !== undefined && !wantsClasses) {
    throw invalid(target.name, `the objective "${objective}" needs a numeric target, but "${target.name}" is ${target.type}; use a classification objective or a numeric column`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < target.length; i++) {
    const v = columnValue(target, i);
    if (v !== null) seen.add(String(v));
  }
  const classes = [...seen].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined); // 'false' < 'true' as text too
  if (classes.length < 2) throw invalid(target.name, `it has ${classes.length} class${classes.length === 1 ? ` ("${classes[0]}")` : 'es'}; classification needs at least two`);
  return { task: classes.length === 2 ? 'binary' : 'multiclass', classes };
}

function countValues(column: Column): number {
  let n = 0;
  for (let i = 0; i < column.length; i++) if (columnValue(column, i) !== null) n++;
  return n;
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('MODEL_TARGET_INVALID', { field, task: 'training', problem }, { details: { field } });
}
