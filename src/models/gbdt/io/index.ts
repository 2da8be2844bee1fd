// LightGBM's text model format: read a model LightGBM wrote, write one LightGBM loads (docs/lightgbm-format.md).
export { readLightGbmModel } from './read-lightgbm-model.js';
export { writeLightGbmModel } from './write-lightgbm-model.js';
