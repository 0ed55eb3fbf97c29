/** Learning: logistic regression, LASSO, SVM, scaler, splits, feature selection. */
export * from './logistic.js';
export * from './lasso.js';
export * from './svm.js';
export * from './scaler.js';
export * from './split.js';
export * from './selection.js';
export * from './optimism.js';
