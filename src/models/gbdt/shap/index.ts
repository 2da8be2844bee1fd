// Exact TreeSHAP feature contributions for GBDT models, as LightGBM's predict_contrib (docs/shap.md).
export { treeShap } from './tree-shap.js';
export type { TreeShapOptions } from './tree-shap.js';
export { treeShapRow } from './tree-shap-row.js';
