/** Statistics: tests, ROC/DeLong, calibration, decision curves, ICC, Table 1. */
export * from './distributions.js';
export * from './hypothesis-tests.js';
export * from './shapiro-wilk.js';
export * from './roc.js';
export * from './calibration.js';
export * from './calibration-validation.js';
export * from './icc.js';
export { quantileType7 } from './validate.js';
export * from './table1.js';
