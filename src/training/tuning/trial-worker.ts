import { parentPort, workerData } from 'node:worker_threads';
import { asLoomError } from '../../core/errors/index.js';
import { Frame } from '../../core/frame/frame.js';
import type { Column } from '../../core/frame/column.js';
import { evaluateGbdtFold, prepareObjective, type GbdtObjectiveSpec } from './gbdt-objective.js';
import type { TrialParams } from './search-space.js';
import { armVerdict, awaitVerdict } from './verdict-word.js';

/** Runs folds of GBDT trials sent by a TrialPool; reports each step and blocks on the shared control word for the verdict. */
const data = workerData as { columns: Column[]; spec: GbdtObjectiveSpec; control: SharedArrayBuffer };
const control = new Int32Array(data.control);
const prepared = prepareObjective(new Frame(data.columns), data.spec);

parentPort!.on('message', (msg: { number: number; fold: number; params: TrialParams }) => {
  try {
    const result = evaluateGbdtFold(prepared, data.spec, msg.params, msg.fold, (step, value) => {
      armVerdict(control);
      parentPort!.postMessage({ kind: 'report', number: msg.number, step, value });
      return awaitVerdict(control);
    });
    parentPort!.postMessage({ kind: 'done', number: msg.number, result });
  } catch (err) {
    const e = asLoomError(err);
    parentPort!.postMessage({ kind: 'error', number: msg.number, code: e.code, message: e.message });
  }
});
