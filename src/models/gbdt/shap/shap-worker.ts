// Entry of a TreeSHAP worker thread (started by shap-threads.ts): reads the model, then explains blocks of rows from
// the shared row-major values into the shared output, taking block numbers from the shared counter until none is
// left. A failure inside a block is reported in the control block; before the first block, the worker just stops
// and the calling thread explains the rows itself.
import { workerData } from 'node:worker_threads';
import { readLightGbmModel } from '../io/read-lightgbm-model.js';
import { explainBlocks, SHAP_CONTROL, type ShapWorkerData } from './shap-threads.js';

const data = workerData as ShapWorkerData;
const control = new Int32Array(data.control);
const model = readLightGbmModel(data.modelText);
try {
  explainBlocks(model, data, control);
} catch {
  Atomics.store(control, SHAP_CONTROL.failed, 1);
  Atomics.notify(control, SHAP_CONTROL.completed);
}
