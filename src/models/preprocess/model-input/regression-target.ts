import { LoomError } from '../../../core/errors/index.js';
import { isValid } from '../../../core/frame/validity.js';
import { checkTargetLength, isTargetColumn, targetField, type TargetInput } from './target-input.js';

/** A regression target as finite numbers. */
export interface RegressionTarget {
  readonly field: string;
  /** A new array the caller owns. */
  readonly values: Float64Array;
}

/**
 * Reads a numeric target: a float, int or bool column (bool as 0/1), or an array of numbers. Every value must be a
 * finite number.
 *
 * @throws LOOM_ERR_MODEL_INPUT_INVALID (wrong length), LOOM_ERR_MODEL_TARGET_INVALID (a non-numeric column or value,
 *   a missing or non-finite value); details.field = the target field.
 */
export function readRegressionTarget(y: TargetInput, rows: number, fallbackField = 'y'): RegressionTarget {
  const field = targetField(y, fallbackField);
  checkTargetLength(y, rows, field);
  const values = new Float64Array(rows);
  if (isTargetColumn(y)) {
    if (y.type !== 'float' && y.type !== 'int' && y.type !== 'bool') {
      throw targetError(field, `it is a ${y.type} column, and regression needs numbers; use a classifier, or convert the column to numbers`);
    }
    for (let i = 0; i < rows; i++) {
      if (!isValid(y.validity, i)) throw targetError(field, `row ${i} has no value; drop unlabelled rows before fitting`, i);
      values[i] = y.values[i];
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const v = (y as ArrayLike<unknown>)[i];
      if (typeof v !== 'number') {
        throw targetError(field, v === null || v === undefined ? `row ${i} has no value; drop unlabelled rows before fitting` : `row ${i} is the ${typeof v} ${JSON.stringify(v)}, and regression needs numbers`, i);
      }
      values[i] = v;
    }
  }
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(values[i])) throw targetError(field, `row ${i} is ${values[i]}; every target value must be a finite number`, i);
  }
  return { field, values };
}

function targetError(field: string, problem: string, row?: number): LoomError {
  return new LoomError('MODEL_TARGET_INVALID', { field, task: 'regression', problem }, { details: row === undefined ? { field } : { field, row } });
}
