/** Harmonisation of features across centres and scanners (ComBat). */
export * from './combat.js';
