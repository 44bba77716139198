// The documented mapping of core's JSON to JavaScript's, written out here
// independently of the addon: camelCase keys, groups -> perBranch, rates as
// numbers (and the other non-money decimals, such as days), money as strings. Used by the tests and the benchmark to compare
// the extension's jsonb with the addon's reports.
const RATES = new Set(['collection_rate', 'margin', 'share', 'no_show_rate', 'cancel_rate', 'arrival_rate',
  'completion_rate', 'doctor_utilization', 'chair_utilization', 'expense_ratio', 'overdue_share',
  'attendance_rate', 'absenteeism_rate', 'acceptance_rate', 'completion_rate', 'quotation_conversion', 'returning_share', 'daily_consumption', 'days_of_cover',
  'avg_turnaround_days', 'attainment', 'revenue_attainment', 'miss', 'change_rate', 'previous_share',
  'mape', 'branch_mape', 'error', 'wape', 'bias', 'risk', 'expected_no_shows', 'predicted',
  'precision', 'recall']);
// A comparison's measure carries numbers when its kind is one of these.
const NUMBER_KINDS = new Set(['count', 'rate', 'days']);
const MEASURE_VALUES = new Set(['current', 'previous', 'change']);
export function asJs(v) {
  if (Array.isArray(v)) return v.map(asJs);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  const numbers = NUMBER_KINDS.has(v.kind);
  for (const [k, x] of Object.entries(v)) {
    const key = k === 'groups' ? 'perBranch' : k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
    const number = RATES.has(k) || (numbers && MEASURE_VALUES.has(k));
    out[key] = number ? (x === null ? null : Number(x)) : asJs(x);
  }
  return out;
}
