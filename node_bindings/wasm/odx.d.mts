// The types of @odx/engine/wasm: the addon's own declarations (index.d.ts,
// generated from core's types), re-exported. The WebAssembly build has the
// addon's pure functions and plan/finish, not its Engine.
export {
  validateScope, toCsv, checkTargets, plan, finish, Plan,
  financial, operations, accounting, lab, staff, clinical, patients, inventory,
  command, digest, benchmark, networkOverview, insightsScope, authorize,
  forecastRevenue, forecastNoShows, forecastChurn, compare,
} from '../index.js';
export type * from '../index.js';
