// @odx/engine/wasm: the addon's pure functions and plan/finish, from the
// WebAssembly build of the same Rust (core, the statement planner, odx-js),
// for a runtime that cannot load a native addon (a Cloudflare Worker) and
// for plain Node. Same names, same arguments, same answers, same ODX_*
// codes as the addon; only the Engine (which opens its own connections) is
// the addon's alone: with WebAssembly, run plan's statements on your own
// client (pg, postgres.js) and hand the rows to finish.
//
// Values cross as JSON text: each argument is read through JSON.stringify,
// as the addon reads it (a Date becomes its ISO instant), and a failure is
// thrown as an Error with its `code`. The clock is JavaScript's (Date.now(),
// for a read without asOf). This module holds no state but the glue's; the
// entry for the runtime (./worker.mjs, ./node.mjs) instantiates it first.
import * as glue from './pkg/odx.js';

/** An Error with an odx code, as the addon throws. */
function fault(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

// What the WebAssembly threw (the JSON text of { code, message }) as the
// addon's Error; anything else is rethrown as it is.
function rethrown(e) {
  if (typeof e === 'string') {
    let f;
    try {
      f = JSON.parse(e);
    } catch {
      return fault('ODX_INTERNAL', e);
    }
    if (f && typeof f.code === 'string') return fault(f.code, String(f.message));
  }
  return e;
}

function call(work) {
  try {
    return work();
  } catch (e) {
    throw rethrown(e);
  }
}

// An argument as JSON text, read as the addon reads it: undefined stays
// undefined; a function or symbol, or what JSON.stringify cannot write (a
// BigInt, a cycle, a throwing toJSON), is ODX_INVALID_ARGUMENT naming it.
function json(value, what) {
  if (value === undefined) return undefined;
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw fault('ODX_INVALID_ARGUMENT', `${what}: must be a JSON value, not a function or symbol`);
  }
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw fault('ODX_INVALID_ARGUMENT', `${what}: cannot be read as JSON (${String(e)})`);
  }
  return text;
}

// A string argument (undefined when undefined or null).
function text(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw fault('ODX_INVALID_ARGUMENT', `${what}: must be a string, not ${json(value, what) ?? String(value)}`);
  }
  return value;
}

// The rows of a pure read: an object of tables; anything else is left for
// odx to refuse, after the params are checked (as the addon does).
function tables(rows) {
  return typeof rows === 'object' && rows !== null && !Array.isArray(rows) ? json(rows, 'rows') : undefined;
}

function parsed(answer) {
  return JSON.parse(answer);
}

function overRows(read, rows, params) {
  const p = json(params, 'params');
  return parsed(call(() => glue.overRows(read, tables(rows), p, Date.now())));
}


/** A validated scope (see the addon's validateScope). */
export function validateScope(params) {
  return parsed(call(() => glue.validateScope(json(params, 'params'), Date.now())));
}

/** Any per-branch table as CSV text (see the addon's toCsv). */
export function toCsv(table, kind) {
  const k = text(kind, 'kind');
  return call(() => glue.toCsv(Array.isArray(table) ? json(table, 'table') : undefined, k));
}

/** A target set checked against the organization's branches (see the addon's checkTargets). */
export function checkTargets(targets, branches) {
  const b = json(branches, 'branches');
  return parsed(call(() => glue.checkTargets(json(targets, 'targets'), b)));
}

// The pure reads over rows the caller holds, by the addon's names.
export const financial = (rows, params) => overRows('financial', rows, params);
export const operations = (rows, params) => overRows('operations', rows, params);
export const accounting = (rows, params) => overRows('accounting', rows, params);
export const lab = (rows, params) => overRows('lab', rows, params);
export const staff = (rows, params) => overRows('staff', rows, params);
export const clinical = (rows, params) => overRows('clinical', rows, params);
export const patients = (rows, params) => overRows('patients', rows, params);
export const inventory = (rows, params) => overRows('inventory', rows, params);
export const command = (rows, params) => overRows('command', rows, params);
export const digest = (rows, params) => overRows('digest', rows, params);
export const benchmark = (rows, params) => overRows('benchmark', rows, params);
export const networkOverview = (rows, params) => overRows('networkOverview', rows, params);
export const insightsScope = (rows, params) => overRows('insightsScope', rows, params);
export const authorize = (rows, params) => overRows('authorize', rows, params);
export const forecastRevenue = (rows, params) => overRows('forecastRevenue', rows, params);
export const forecastNoShows = (rows, params) => overRows('forecastNoShows', rows, params);
export const forecastChurn = (rows, params) => overRows('forecastChurn', rows, params);
export const compare = (rows, params) => overRows('compare', rows, params);

const inner = new WeakMap();

/** A read with the server's own database client (see the addon's Plan). */
export class Plan {
  constructor(token) {
    if (!inner.has(token)) throw fault('ODX_INVALID_ARGUMENT', 'Plan: made by plan(read, params), not new');
    inner.set(this, inner.get(token));
    inner.delete(token);
  }

  /** The statements of the next round, in order (empty once done). */
  get statements() {
    return parsed(call(() => inner.get(this).statements));
  }

  /** Whether the answer is known. */
  get done() {
    return inner.get(this).done;
  }
}

/** The plan of a read with the caller's own client (see the addon's plan). */
export function plan(read, params) {
  const r = text(read, 'read');
  const p = json(params, 'params');
  const token = {};
  inner.set(token, call(() => glue.plan(r, p, Date.now())));
  return new Plan(token);
}

/** Folds the rows of plan.statements: the answer, or null when another round is needed (see the addon's finish). */
export function finish(plan, rows) {
  const p = inner.get(plan);
  if (p === undefined) throw fault('ODX_INVALID_ARGUMENT', 'plan: must be a Plan made by plan(read, params)');
  return parsed(call(() => p.finish(json(rows, 'rows'))));
}
