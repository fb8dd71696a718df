/** How many cases each property tries: the CI part keeps them few, the full suite many. */
export const RUNS = process.env.RUNFLOW_HARDENING_MODE === 'full' ? 1_000 : 150;
/** Fixed unless asked otherwise, so a failure can be replayed. */
export const SEED = Number(process.env.RUNFLOW_HARDENING_SEED) || 20261122;
