export { chiSquareSurvival } from './chi-square-distribution.js';
export { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma.js';
export { kolmogorovSurvival } from './kolmogorov-distribution.js';
export { ksTwoSampleExactPValue } from './ks-two-sample-exact.js';
export { logGamma } from './log-gamma.js';
export { logBeta, regularizedIncompleteBeta } from './incomplete-beta.js';
