/**
 * The IBSI 1 mode of `habitat extract` (`--standard ibsi`), a module of its own
 * so that the command loads the IBSI 1 engine only when asked for it.
 */
export { extractIbsi, IBSI_CONFIGS } from '../../core/node.js';
