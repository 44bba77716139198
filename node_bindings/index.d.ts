/* auto-generated: core's answers (odx_core::typescript), then the addon's own declarations (NAPI-RS) */
/* eslint-disable */

/**
 * A console answer that could not be computed: a table or column it reads
 * is missing. Every other answer has `degraded: false`.
 */
export interface Degraded {
  /** Always true. */
  degraded: true
  /** Which call. */
  module: string
  /** The missing relations (`app.table` or `app.table.column`). */
  missing: Array<string>
  /** Always null. */
  totals: null
  /** Always empty. */
  perBranch: []
}

/** Rows kept out of the KPIs for bad values. */
export interface AccountingDataQuality {
  /**
   * Invoices issued in range whose status is not listed (their materials
   * are not a direct cost).
   */
  unknownInvoiceStatus: number
  /** Lab cases sent in range whose status is not listed (kept out of lab cost). */
  unknownLabStatus: number
}

/** Every accounting KPI of one group (or of the totals). */
export interface AccountingMetrics {
  /** Payments paid in range (the financial `collected`, cash basis). */
  receipts: string
  /** How many payments. */
  payments: number
  /** Sum of qty x unit_cost of items on billed invoices issued in range. */
  materialsCost: string
  /** Sum of `lab_cases.cost` sent in range, not cancelled. */
  labCost: string
  /** materials_cost + lab_cost (as in financial). */
  directCost: string
  /** Expenses spent in range (`spent_on`). */
  opex: string
  /** `opex` by category: the listed ones always, then any other. */
  opexByCategory: Array<OpexLine>
  /** Payroll paid in range (`paid_on`, whatever month it is for). */
  payroll: string
  /** How many payroll rows. */
  payrollEntries: number
  /** direct_cost + opex + payroll. */
  totalCosts: string
  /** receipts - total_costs (cash basis). */
  netProfit: string
  /** total_costs / receipts; null when receipts are zero or negative. */
  expenseRatio: number | null
  /** Rows kept out for bad values. */
  dataQuality: AccountingDataQuality
}

/** One suggested action. */
export interface Action {
  /** 1 = the highest impact. */
  rank: number
  /** The branch. */
  clinicId: number
  /** The branch's name. */
  branchName: string
  /** The branch's city. */
  city: string
  /** The driver it moves. */
  driver: Driver
  /** What to do (a stable code, e.g. `confirm_appointments`). */
  action: string
  /** The branch's value. */
  value: string
  /** The median it should reach. */
  median: string
  /** PKR at stake over the range. */
  impact: string
}

/** AR by aging bucket; the four always sum to `outstanding` exactly. */
export interface AgingAmounts {
  /** Issued 0 to 30 days before `to`. */
  '0-30': string
  /** 31 to 60 days. */
  '31-60': string
  /** 61 to 90 days. */
  '61-90': string
  /** 91 days or more. */
  '90+': string
}

/** An alert: a breached target. */
export interface Alert {
  /** The metric. */
  metric: TargetMetric
  /** The branch; none for the network. */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /** The actual. */
  actual: string
  /** The (prorated) target. */
  target: string
  /** How bad. */
  severity: Severity
  /** The miss as a fraction of the target (none for a zero target). */
  miss: number | null
}

/** One anomaly. */
export interface Anomaly {
  /** What kind. */
  kind: AnomalyKind
  /** The branch (none: the network). */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /** The target metric (target breaches). */
  metric: TargetMetric | null
  /** The driver (outliers). */
  driver: Driver | null
  /** The actual value. */
  value: string
  /** The target or the median it is judged against. */
  reference: string
  /** Critical for a critical breach or an outlier twice `OUTLIER_GAP` off. */
  severity: Severity
}

/** What kind of anomaly. */
export type AnomalyKind = "target_breach" | "outlier"

/** Appointments by status over appointments starting in range. */
export interface AppointmentCounts {
  /** Still `booked`. */
  booked: number
  /** `arrived`. */
  arrived: number
  /** `completed`. */
  completed: number
  /** `cancelled`. */
  cancelled: number
  /** `no_show`. */
  noShow: number
  /**
   * `booked` appointments that ended before the as-of instant: never
   * resolved (a data-quality leak). A subset of `booked`.
   */
  missed: number
  /** All appointments with a listed status. */
  total: number
}

/** One at-risk patient of the churn list. */
export interface AtRiskPatient {
  /** The patient's branch. */
  clinicId: number
  /** `patients.id`. */
  patientId: number
  /** Billed over the patient's whole history up to the end of `to`. */
  lifetimeBilled: string
  /** Local date of the last completed visit. */
  lastVisitOn: string
}

/** What a calendar comparison sets the month against. */
export type Basis = "previous_month" | "same_month_last_year"

/** A branch benchmarked against the scope's branches. */
export interface Benchmark {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The branch. */
  clinicId: number
  /** The branch's name. */
  branchName: string
  /** The branch's city. */
  city: string
  /** First day of the range. */
  from: string
  /** Last day. */
  to: string
  /** The instant the range was read at (`crate::Report::as_of`). */
  asOf: string
  /** The branches compared with (the scope, the branch included). */
  clinicIds: Array<number>
  /** Every driver, ranked. */
  drivers: Array<DriverGap>
}

/** One measure of one branch, with its share of the network. */
export type BranchChange = { clinicId: number; branchName: string; city: string; share: number | null; previousShare: number | null } & (({ metric: string; kind: "amount" | "average"; current: string | null; previous: string | null; change: string | null; changeRate: number | null }) | ({ metric: string; kind: "count" | "rate" | "days"; current: number | null; previous: number | null; change: number | null; changeRate: number | null }))

/**
 * Whose row a `GroupRow` is (its schema: the row is the key and the
 * metrics side by side).
 */
export interface BranchKey {
  /** The branch (clinic id). */
  clinicId: number
  /** The branch's name (`clinics.name`). */
  branchName: string
  /** The branch's city. */
  city: string
  /**
   * The doctor when grouping by doctor (`null` for appointments or
   * invoices with no doctor, and always `null` when grouping by clinic).
   */
  doctorId: number | null
  /**
   * The doctor's name (`users.name`; `null` without a doctor or a known
   * name).
   */
  doctorName: string | null
}

/** A whole month against another calendar month. */
export interface CalendarComparison {
  /** Against what. */
  basis: Basis
  /** First day of the month compared with. */
  previousFrom: string
  /** Last day of the month compared with. */
  previousTo: string
  /** The network's headline measures. */
  totals: Array<Change>
  /** Every branch's, as in `Comparison::groups`. */
  perBranch: Array<BranchChange>
}

/** One measure now and in the previous period: amounts and averages (PKR) are decimal strings; counts, rates and days are numbers. */
export type Change = ({ metric: string; kind: "amount" | "average"; current: string | null; previous: string | null; change: string | null; changeRate: number | null }) | ({ metric: string; kind: "count" | "rate" | "days"; current: number | null; previous: number | null; change: number | null; changeRate: number | null })

/** One backtest case: one branch (or the network) at one past cut. */
export interface ChurnCase {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** The day the list was drawn up at (its end). */
  cut: string
  /** The horizon's last day. */
  horizonEnd: string
  /** Patients lapsed at the cut: the list then, by the visit rule. */
  flagged: number
  /** Of them, those who completed a visit within the horizon. */
  wonBack: number
  /** Of them, those who did not: `flagged - won_back`, the list's hits. */
  stayedAway: number
  /** Patients lapsed at the horizon's end. */
  lapsed: number
  /** `stayed_away / flagged`. */
  precision: number | null
  /** `stayed_away / lapsed`. */
  recall: number | null
}

/** The churn list at the as-of date with its measured error. */
export interface ChurnForecast {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The last day of data. */
  asOf: string
  /** Months within which a listed patient is predicted not to come back. */
  horizonMonths: number
  /** How the list is drawn up and what it predicts. */
  method: string
  /** The network. */
  network: ChurnRisk
  /** Each branch, ascending. */
  branches: Array<ChurnRisk>
  /**
   * The network's most valuable at-risk patients (lifetime billed,
   * highest first), at most 100.
   */
  list: Array<AtRiskPatient>
  /**
   * The network's precision over every backtest cut (the error to quote
   * with the list).
   */
  precision: number | null
  /** The network's recall over every backtest cut. */
  recall: number | null
  /** Every backtest case, cut by cut (network first). */
  backtest: Array<ChurnCase>
}

/** The churn risk of a branch (or of the network) at the as-of date. */
export interface ChurnRisk {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /**
   * Patients on the churn list (all of them; the list shows the
   * `CHURN_LIST_LEN` most valuable).
   */
  atRisk: number
  /**
   * The backtest's precision for this branch (or the network): of the
   * patients flagged at the cuts, the share that stayed away; `None`
   * without a flagged patient.
   */
  precision: number | null
  /**
   * The backtest's recall: of the patients lapsed at the horizons' ends,
   * the share flagged at the cuts; `None` without a lapsed patient.
   */
  recall: number | null
}

/** Rows kept out of the KPIs for bad values. */
export interface ClinicalDataQuality {
  /** Plans created in range whose status is not listed (not counted, nor their procedures). */
  unknownPlanStatus: number
  /**
   * Procedures of plans created in range whose status is not listed (their
   * fees count in the plan value only).
   */
  unknownProcedureStatus: number
  /** Quotations created in range whose status is not listed (not counted). */
  unknownQuotationStatus: number
}

/** Every clinical KPI of one group (or of the totals). */
export interface ClinicalMetrics {
  /** Plans created in range, not draft. */
  plansCreated: number
  /** Of those, accepted, in progress or completed. */
  plansAccepted: number
  /** plans_accepted / plans_created; null without plans. */
  acceptanceRate: number | null
  /** Fees of planned procedures on those plans that are proposed, accepted or in progress. */
  pipelineValue: string
  /** Fees of every procedure on those plans. */
  planValue: string
  /** plan_value / plans_created, rounded to paisa; null without plans. */
  avgPlanValue: string | null
  /** Fees of every procedure on the accepted plans. */
  acceptedValue: string
  /** Fees of the completed procedures on the accepted plans. */
  completedValue: string
  /** completed_value / accepted_value; null when nothing was accepted. */
  completionRate: number | null
  /** Quotations created in range by status. */
  quotations: QuotationCounts
  /** accepted / (sent + accepted + rejected + expired); null without any. */
  quotationConversion: number | null
  /** Acceptance per doctor (plans' doctors, by id; no doctor first). */
  acceptanceByDoctor: Array<DoctorAcceptance>
  /** The top `TOP_PROCEDURES` codes by billed volume (ties by code). */
  topProceduresByVolume: Array<ProcedureLine>
  /** The top `TOP_PROCEDURES` codes by billed revenue (ties by code). */
  topProceduresByRevenue: Array<ProcedureLine>
  /** Rows kept out for bad values. */
  dataQuality: ClinicalDataQuality
}

/** The Command Center of a scope. */
export interface CommandCenter {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** First day of the range. */
  from: string
  /** Last day of the range. */
  to: string
  /**
   * The instant balances and the month to date are read at: the end of
   * `to`, or `now` for a period in progress (`Report::as_of`).
   */
  asOf: string
  /** The last local date the figures reach (`Report::as_of_date`). */
  asOfDate: string
  /** The branches, ascending. */
  clinicIds: Array<number>
  /** Revenue month to date against target. */
  revenueMtd: RevenueMtd
  /** Billed over the range. */
  billed: string
  /** Collected over the range. */
  collected: string
  /** collected / billed. */
  collectionRate: number | null
  /** No-show rate over the range. */
  noShowRate: number | null
  /**
   * No-show bleed (PKR) over the range: the sum of the leaderboard's
   * (each branch's no-shows at its own average ticket); none when no
   * branch's can be priced.
   */
  noShowBleed: string | null
  /** Cash-basis net profit over the range (none without accounting). */
  netProfit: string | null
  /** Expense ratio over the range. */
  expenseRatio: number | null
  /** The alert strip (critical first). */
  alerts: Array<Alert>
  /** Every target judged. */
  targets: TargetsReport
  /** The branches ranked by billed. */
  leaderboard: Array<LeaderRow>
  /**
   * What could not be shown and why: the missing relations of a part
   * not computed (e.g. `app.payroll`: no net profit or expense ratio; a
   * missing lab table: lab targets not judged). Empty when complete.
   */
  missing: Array<string>
  /**
   * When the scope is some of the organization's branches (a branch
   * manager, `?branch=`): the whole network over the same range, as
   * aggregates only (never another branch's row), for "your branch
   * against the network average". `None` for the whole network.
   */
  networkAverage: NetworkAverage | null
}

/** A domain report against its previous period, with each branch's share. */
export interface Comparison {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The domain. */
  domain: Domain
  /** First day of the period. */
  from: string
  /** Last day of the period. */
  to: string
  /** The instant the period was read at (`crate::Report::as_of`). */
  asOf: string
  /** First day of the previous period. */
  previousFrom: string
  /** Last day of the previous period (the day before `from`). */
  previousTo: string
  /** The branches, ascending. */
  clinicIds: Array<number>
  /** The network's headline measures. */
  totals: Array<Change>
  /**
   * Every branch's headline measures, branch by branch in the order of
   * `totals`.
   */
  perBranch: Array<BranchChange>
  /**
   * For a whole calendar month, the same against the previous calendar
   * month and against the same month last year (each read as far into
   * itself as the month is: `now` moved back a month, a year); empty for
   * any other range.
   */
  calendar: Array<CalendarComparison>
}

/** An authorization decision. */
export interface Decision {
  /** Whether the action is allowed. */
  allowed: boolean
  /** Why. */
  reason: Reason
}

/** The digest's facts. */
export interface Digest {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** First day of the range. */
  from: string
  /** Last day. */
  to: string
  /** The instant the range was read at (`crate::Report::as_of`). */
  asOf: string
  /** The branches. */
  clinicIds: Array<number>
  /** Billed over the range. */
  billed: string
  /** Collected over the range. */
  collected: string
  /** Cash-basis net profit over the range (none without accounting). */
  netProfit: string | null
  /** Revenue month to date against target. */
  revenueAttainment: number | null
  /**
   * Target breaches (critical first), then outliers (critical first, then
   * by branch and driver).
   */
  anomalies: Array<Anomaly>
  /**
   * The three highest-impact actions over every branch (ties by branch,
   * then driver).
   */
  actions: Array<Action>
}

/** One doctor's plan acceptance. */
export interface DoctorAcceptance {
  /** The plan's doctor (null for plans without one). */
  doctorId: number | null
  /** Plans created in range, not draft. */
  plansCreated: number
  /** Of those, accepted, in progress or completed. */
  plansAccepted: number
  /** plans_accepted / plans_created. */
  acceptanceRate: number | null
}

/** A domain (console module). */
export type Domain = "financial" | "operations" | "accounting" | "lab" | "staff" | "clinical" | "patients" | "inventory"

/** A driver KPI benchmarked across branches. */
export type Driver = "collection_rate" | "no_show_rate" | "avg_ticket" | "doctor_utilization" | "chair_utilization" | "margin" | "expense_ratio" | "ar90_share" | "lab_overdue_share"

/** One driver of one branch against the median. */
export interface DriverGap {
  /** The driver. */
  driver: Driver
  /** The branch's value (none: no data). */
  value: string | null
  /** The median of the branches that have a value. */
  median: string | null
  /** How many branches have a value. */
  branches: number
  /** value - median. */
  gap: string | null
  /** Whether the branch is on the worse side of the median. */
  worse: boolean
  /**
   * PKR the branch would gain over the range by reaching the median (0
   * when it is at or better than it); none where no PKR figure follows
   * from the reports.
   */
  impact: string | null
  /** 1 = the largest impact (drivers without one rank after, by driver). */
  rank: number
}

/** One target judged. */
export interface Evaluation {
  /** `ops_targets.id`. */
  targetId: number
  /** The metric. */
  metric: TargetMetric
  /** The branch; none for the network. */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /** The actual (none: no data). */
  actual: string | null
  /**
   * The target compared with: for `revenue_monthly`, prorated by elapsed
   * days (rounded to the paisa).
   */
  target: string
  /** The stored target value. */
  targetValue: string
  /** Met, breached or no data. */
  status: TargetStatus
  /**
   * The miss as a fraction of the target (breached only; none for a zero
   * target).
   */
  miss: number | null
  /** For a breach. */
  severity: Severity | null
  /**
   * For a rate target, the volume it stands on (appointments scheduled,
   * invoices billed, capacity hours) and the minimum it needs.
   */
  volume: VolumeCheck | null
}

/** Rows that did not fit the schema's lists and were kept out of the KPIs. */
export interface FinancialDataQuality {
  /** Invoices issued in range whose status is not a listed one. */
  unknownInvoiceStatus: number
  /** Receivable invoices (issued by the as-of) whose status is not listed. */
  unknownReceivableStatus: number
  /** Payments whose method is not listed (still collected, under `unknown`). */
  unknownPaymentMethod: number
  /** Open invoices whose payer is not listed (still AR, under `unknown`). */
  unknownPayer: number
  /** Lab cases whose status is not listed (kept out of lab cost). */
  unknownLabStatus: number
}

/** Every financial KPI of one group (or of the totals). */
export interface FinancialMetrics {
  /** Sum of `invoices.total` issued in range whose status is not draft or void. */
  billed: string
  /** Number of those invoices. */
  invoiceCount: number
  /** billed / invoice_count, rounded to paisa; null without invoices. */
  avgTicket: string | null
  /** Sum of `payments.amount` paid in range (cash basis, refunds negative). */
  collected: string
  /**
   * collected / billed; null when nothing was billed. May exceed 1 when old
   * AR is collected.
   */
  collectionRate: number | null
  /**
   * AR as of `to`: over billed invoices issued by then, the sum of positive
   * balances (total - payments paid by then).
   */
  outstanding: string
  /** `outstanding` split by payer. */
  outstandingByPayer: PayerAmounts
  /** Number of invoices with a positive balance. */
  openInvoices: number
  /** The sum of negative balances (overpayments), as a positive amount. */
  credits: string
  /** `outstanding` by age: local date `to` - local issue date. */
  arAging: AgingAmounts
  /** Sum of qty x unit_cost of items on billed invoices issued in range. */
  materialsCost: string
  /** Sum of `lab_cases.cost` sent in range, not cancelled. */
  labCost: string
  /** materials_cost + lab_cost. */
  directCost: string
  /** billed - direct_cost. */
  grossProfit: string
  /** gross_profit / billed; null when nothing was billed. */
  margin: number | null
  /** Collected per payment method with its share of collected. */
  paymentMix: Array<PaymentShare>
  /** Invoices issued in range by every status (draft and void included). */
  statusCounts: InvoiceStatusCounts
  /** Billed and collected over time. */
  trend: Trend
  /** Rows kept out for bad category values. */
  dataQuality: FinancialDataQuality
}

/** Width of a trend bucket. */
export type Granularity = "day" | "month"

/** How a domain report splits its rows. */
export type GroupBy = "clinic" | "doctor" | "none"

/** What the console may show a principal. */
export interface InsightsScope {
  /** The user. */
  userId: number
  /** The organization. */
  organizationId: number
  /** The principal's role in it. */
  role: OrgRole
  /**
   * `network` for an org admin, `branch` for a branch manager (a focus
   * branch does not change the principal's altitude).
   */
  level: Level
  /** The branch the request focused on, when it named one. */
  focus: number | null
  /**
   * The city the request focused on, when it named one (the scope is
   * then the principal's branches in it).
   */
  focusCity: string | null
  /**
   * The clinics of the scope, ascending (inactive branches included:
   * their history stays visible).
   */
  clinicIds: Array<number>
  /** The active ones among them. */
  activeClinicIds: Array<number>
}

/** Rows kept out of the KPIs for bad values. */
export interface InventoryDataQuality {
  /** Movements in range whose kind is not listed (they still move the stock). */
  unknownMovementKind: number
  /** Items whose stock as of `to` is negative (counted out of stock). */
  negativeStock: number
}

/** Every inventory KPI of one group (or of the totals). */
export interface InventoryMetrics {
  /** Item rows (batches). */
  items: number
  /** Distinct (branch, sku) positions. */
  skus: number
  /** Value of the stock on hand as of the end of `to` (batches with stock). */
  stockValue: string
  /** Positions with no stock (qty <= 0). */
  outOfStock: number
  /** Positions with 0 < qty <= reorder level. */
  lowStock: number
  /**
   * Batches with stock expiring within `EXPIRING_WITHIN_DAYS` days after
   * `to`, and their value.
   */
  expiring: number
  /** Value of the expiring batches. */
  expiringValue: string
  /** Batches expired on or before `to`, and the value still on the shelf. */
  expired: number
  /** Value of the expired batches with stock. */
  expiredValue: string
  /** Value consumed per day over the range. */
  dailyConsumptionValue: string
  /** stock_value / daily_consumption_value; null without consumption. */
  daysOfCover: number | null
  /** Positions that are out, low, or under `REORDER_COVER_DAYS` days of cover. */
  reorderNeeded: number
  /** Those positions, the least cover first (at most `INVENTORY_LIST_LEN`). */
  reorderItems: Array<ReorderLine>
  /**
   * Transfers between the group's branches that cover a reorder from a
   * branch with more than `SENDER_OVER_COVER_DAYS` days of cover, never
   * leaving the sender short; by sku (at most `INVENTORY_LIST_LEN`).
   * Empty for one branch.
   */
  rebalance: Array<RebalanceLine>
  /** Rows kept out for bad values. */
  dataQuality: InventoryDataQuality
}

/** Invoices issued in range, counted by every status. */
export interface InvoiceStatusCounts {
  /** Drafts. */
  draft: number
  /** Issued, unpaid. */
  issued: number
  /** Partly paid. */
  partiallyPaid: number
  /** Paid. */
  paid: number
  /** Voided. */
  void: number
  /** Any other status text (bad data). */
  unknown: number
}

/** Cases kept out of the KPIs for bad values. */
export interface LabDataQuality {
  /** Cases sent on or before `to` whose status is not listed. */
  unknownStatus: number
  /** Cases `received` without a `received_on` date (not open, no turnaround). */
  receivedWithoutDate: number
  /** Cases received in range before they were sent (no turnaround). */
  receivedBeforeSent: number
}

/** Every lab KPI of one group (or of the totals). */
export interface LabMetrics {
  /**
   * Cases out at the lab as of the end of `to`: sent on or before `to`,
   * status `sent`, or `received` after `to`.
   */
  openCases: number
  /** Open cases whose `due_on` is before `to`. */
  overdueCases: number
  /** overdue_cases / open_cases; null when nothing is open. */
  overdueShare: number | null
  /** Cases sent in range, not cancelled. */
  casesSent: number
  /** Their cost (the financial `lab_cost`). */
  labCost: string
  /** Cases received in range. */
  casesReceived: number
  /**
   * Mean of `received_on - sent_on` in days over the cases received in
   * range; null when none was.
   */
  avgTurnaroundDays: number | null
  /** Per vendor, by name; only vendors with a case that counts. */
  byVendor: Array<LabVendorLine>
  /** Cases kept out for bad values. */
  dataQuality: LabDataQuality
}

/** One vendor's lab KPIs. */
export interface LabVendorLine {
  /** The vendor (trimmed; blank is `unspecified`: `crate::category::label`). */
  vendor: string
  /**
   * Cases out at the lab as of the end of `to`: sent on or before `to`,
   * status `sent`, or `received` after `to`.
   */
  openCases: number
  /** Open cases whose `due_on` is before `to`. */
  overdueCases: number
  /** overdue_cases / open_cases; null when nothing is open. */
  overdueShare: number | null
  /** Cases sent in range, not cancelled. */
  casesSent: number
  /** Their cost (the financial `lab_cost`). */
  labCost: string
  /** Cases received in range. */
  casesReceived: number
  /**
   * Mean of `received_on - sent_on` in days over the cases received in
   * range; null when none was.
   */
  avgTurnaroundDays: number | null
}

/** One branch on the leaderboard. */
export interface LeaderRow {
  /** 1 = most billed. */
  rank: number
  /** The branch. */
  clinicId: number
  /** The branch's name. */
  branchName: string
  /** The branch's city. */
  city: string
  /** Billed over the range. */
  billed: string
  /** Collected over the range. */
  collected: string
  /** collected / billed. */
  collectionRate: number | null
  /** No-show rate over the range. */
  noShowRate: number | null
  /** No-show bleed (PKR) over the range. */
  noShowBleed: string | null
  /** AR over 90 days at the as-of instant. */
  ar90: string
  /** Cash-basis net profit over the range (none without accounting). */
  netProfit: string | null
  /** This branch has the worst no-show rate. */
  worstNoShow: boolean
  /** This branch has the largest AR over 90 days. */
  largestAr90: boolean
  /** How many alerts name this branch. */
  alerts: number
}

/** The altitude of a console scope. */
export type Level = "network" | "branch"

/**
 * The least volume a rate target is judged on: below it a rate says too
 * little (one no-show in three appointments is 33%), and its evaluation is
 * `insufficient_data`, never an alert. Money and count targets
 * (`revenue_monthly`, `ar_90_max`, `lab_overdue_max`) and the expense ratio
 * (a ratio of money) have no minimum.
 */
export interface MinVolume {
  /**
   * Appointments scheduled (not cancelled) under `noshow_rate_max`
   * (default `MinVolume::DEFAULT`: 20).
   */
  appointments: number
  /** Invoices billed under `collection_rate_min` (default 10). */
  invoices: number
  /** Doctor capacity hours under `utilization_min` (default 40). */
  capacityHours: number
}

/**
 * The whole organization over the range, as one branch on average and as
 * network rates (merged counts, never an average of branch rates).
 */
export interface NetworkAverage {
  /** The organization's branches (inactive ones included). */
  branches: number
  /** Billed per branch (the network's billed / branches, to the paisa). */
  billedPerBranch: string
  /** Collected per branch. */
  collectedPerBranch: string
  /** Cash-basis net profit per branch (none without accounting). */
  netProfitPerBranch: string | null
  /** The network's collection rate. */
  collectionRate: number | null
  /** The network's no-show rate. */
  noShowRate: number | null
  /** The network's expense ratio. */
  expenseRatio: number | null
}

/** The Network Hub's overview of one day. */
export interface NetworkOverview {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The day (each branch's local date). */
  date: string
  /** The branches, ascending. */
  clinicIds: Array<number>
  /** Active branches among them. */
  activeBranches: number
  /**
   * Appointments of the day that are on (booked, arrived, completed or
   * no-show; not cancelled).
   */
  appointments: number
  /** Billed on the day. */
  billed: string
  /** No-show rate of the day (merged counts, never an average of rates). */
  noShowRate: number | null
  /** Per branch. */
  branches: Array<OverviewRow>
}

/** One backtest week of one branch (or of the network). */
export interface NoShowCase {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** First day of the week. */
  from: string
  /** Last day of the week. */
  to: string
  /** Predicted no-shows. */
  predicted: number
  /** No-shows that happened. */
  actual: number
}

/** The no-show risk of the upcoming days with its measured error. */
export interface NoShowForecast {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The last day of data. */
  asOf: string
  /** First upcoming day. */
  from: string
  /** Last upcoming day. */
  to: string
  /** How it is predicted. */
  method: string
  /** The network. */
  network: NoShowRisk
  /** Per branch. */
  branches: Array<NoShowRisk>
  /** Per branch and doctor, the most expected no-shows first. */
  doctors: Array<NoShowRisk>
  /** `sum |predicted - actual| / sum actual` over the backtest's branch-weeks. */
  wape: number | null
  /** `(sum predicted - sum actual) / sum actual` over them. */
  bias: number | null
  /** Every backtest case, week by week (network first). */
  backtest: Array<NoShowCase>
}

/**
 * The no-show risk of one branch and doctor (or of a branch, or of the
 * network) over the upcoming days.
 */
export interface NoShowRisk {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /**
   * The doctor (`None` for appointments without one, and on branch and
   * network rows).
   */
  doctorId: number | null
  /** The doctor's name, when known. */
  doctorName: string | null
  /** Appointments on the books (not cancelled). */
  booked: number
  /** The no-show rate they are expected at. */
  risk: number | null
  /**
   * booked x risk, to hundredths (a branch's and the network's are the
   * sums of their doctors').
   */
  expectedNoShows: number
  /** expected_no_shows x the average ticket of the history, to paisa. */
  atStake: string | null
}

/** Rows kept out of the KPIs for bad values. */
export interface OperationsDataQuality {
  /** Appointments whose status is not a listed value. */
  unknownAppointmentStatus: number
  /** Appointments with a negative duration (counted, but zero minutes). */
  negativeDurations: number
  /**
   * Appointments longer than `MAX_DURATION_MIN` (a working day): bad
   * data, counted as appointments but kept out of utilization.
   */
  implausibleDurations: number
  /** Schedule rows with a weekday outside 1..=7 or `ends <= starts`. */
  invalidSchedules: number
  /** Opening-hours rows with a weekday outside 1..=7 or `closes <= opens`. */
  invalidOpeningHours: number
}

/** Every operations KPI of one group (or of the totals). */
export interface OperationsMetrics {
  /** Appointments starting in range by status. */
  appointments: AppointmentCounts
  /** All appointments minus cancelled. */
  scheduled: number
  /** no_show / scheduled. */
  noShowRate: number | null
  /** cancelled / all appointments. */
  cancelRate: number | null
  /** (arrived + completed) / scheduled. */
  arrivalRate: number | null
  /** completed / scheduled. */
  completionRate: number | null
  /** The group's financial avg_ticket: billed / invoice_count, rounded to paisa. */
  avgTicket: string | null
  /**
   * no_show x avg_ticket (PKR); 0 without no-shows, null when there are
   * no-shows but no ticket to price them.
   */
  noShowBleed: string | null
  /** Patients whose first ever completed appointment at the clinic is in range. */
  newPatients: number
  /** Other distinct patients with a completed appointment in range. */
  returningPatients: number
  /** Minutes of non-cancelled appointments in range that have a doctor. */
  doctorBookedMinutes: number
  /** For each date in range, the doctors' schedule minutes on its weekday. */
  doctorCapacityMinutes: number
  /** doctor_booked_minutes / doctor_capacity_minutes. */
  doctorUtilization: number | null
  /** Minutes of non-cancelled appointments in range that have a room. */
  chairBookedMinutes: number
  /**
   * Active rooms x the clinic's opening minutes of each date in range
   * (0 on doctor rows: chairs belong to the clinic).
   */
  chairCapacityMinutes: number
  /** chair_booked_minutes / chair_capacity_minutes. */
  chairUtilization: number | null
  /** Rows kept out for bad values. */
  dataQuality: OperationsDataQuality
}

/** Operating expenses of one category. */
export interface OpexLine {
  /** The category (see `expense_category`). */
  category: string
  /** How many expense rows. */
  expenses: number
  /** Their sum. */
  amount: string
  /** amount / opex; null when opex is zero. */
  share: number | null
}

/** A role of the organization layer (`user_organization_assignments.role`). */
export type OrgRole = "org_admin" | "branch_manager"

/** One branch on the network overview. */
export interface OverviewRow {
  /** The branch. */
  clinicId: number
  /** The branch's name. */
  branchName: string
  /** The branch's city. */
  city: string
  /** Whether the branch is active. */
  active: boolean
  /**
   * Appointments of the day that are on: booked, arrived, completed or
   * no-show (the operations `scheduled`; cancelled ones are not counted).
   */
  appointments: number
  /** Billed on the day. */
  billed: string
  /** No-show rate of the day. */
  noShowRate: number | null
}

/** Every patients KPI of one group (or of the totals). */
export interface PatientsMetrics {
  /** Patient records of the branch. */
  patientsOnFile: number
  /**
   * Distinct patients with a completed visit in the active window (the
   * scope's `active_window_months` up to `to`, 18 by default).
   */
  activePatients: number
  /** Patients seen in range whose first ever completed visit is in range. */
  newPatients: number
  /** Patients seen in range whose first completed visit is before it. */
  returningPatients: number
  /** returning / (new + returning); null when nobody was seen. */
  returningShare: number | null
  /** Patients whose `recall_due_on` is in range. */
  recallDue: number
  /**
   * Patients whose `recall_due_on` is before `to` with no completed visit
   * on or after it (up to the end of `to`).
   */
  recallOverdue: number
  /**
   * Patients seen before whose last completed visit is
   * `CHURN_AFTER_MONTHS` calendar months or more before `to`, with
   * nothing booked after `to`.
   */
  churnRisk: number
  /**
   * The most valuable of them (lifetime billed, highest first), at most
   * `CHURN_LIST_LEN`.
   */
  churnList: Array<AtRiskPatient>
  /**
   * Patients seen before whose last completed visit is
   * `CHURN_AFTER_MONTHS` calendar months or more before `to`, booked or not (`churn_risk` is those of them
   * with nothing booked).
   */
  lapsed: number
  /**
   * Patients whose last completed visit before `from` is
   * `CHURN_AFTER_MONTHS` calendar months or more before the day before
   * `from`: lapsed when the range
   * began.
   */
  lapsedAtStart: number
  /** Of `lapsed_at_start`, those with a completed visit in the range. */
  wonBack: number
}

/** AR by payer (`payer` column text as keys). */
export interface PayerAmounts {
  /** Patients' own balances. */
  self: string
  /** Insurers' balances. */
  insurance: string
  /** Balances of invoices whose payer is not a listed value. */
  unknown: string
}

/** `payments.method`. */
export type PaymentMethod = "cash" | "card" | "bank_transfer" | "insurance" | "wallet" | "unknown"

/** Collected through one payment method. */
export interface PaymentShare {
  /** The method. */
  method: PaymentMethod
  /** Number of payments (refunds included). */
  payments: number
  /** Sum of amounts, refunds negative. */
  amount: string
  /** amount / collected; null when nothing was collected. */
  share: number | null
}

/** One procedure code's billed volume and revenue. */
export interface ProcedureLine {
  /** The code (trimmed; blank is `unspecified`). */
  procedureCode: string
  /** Sum of qty on billed invoices issued in range. */
  volume: number
  /** Sum of qty x unit_price on those items. */
  revenue: string
}

/** One projection of month-end billed. */
export interface Projection {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** The branch's name (none: the network). */
  branchName: string | null
  /** The branch's city (none: the network). */
  city: string | null
  /** Billed from the first of the month through the cut. */
  billedToDate: string
  /** Projected billed of the whole month, to paisa. */
  projected: string
  /**
   * The backtest's MAPE of this branch (or of the network); `None`
   * without a month that billed anything.
   */
  mape: number | null
}

/** Quotations created in range by status. */
export interface QuotationCounts {
  /** Not sent (kept out of the conversion). */
  draft: number
  /** Sent, no answer yet. */
  sent: number
  /** Accepted. */
  accepted: number
  /** Rejected. */
  rejected: number
  /** Expired. */
  expired: number
}

/** Why a decision went the way it did (a stable code for the UI and logs). */
export type Reason = "org_admin" | "clinic_admin" | "branch_manager" | "branch_staff" | "outside_organization" | "network_only" | "org_template_protected" | "not_permitted" | "wrong_resource" | "inactive_user"

/** A suggested transfer of one sku between two branches. */
export interface RebalanceLine {
  /** The sku. */
  sku: string
  /** The sending branch (more than `SENDER_OVER_COVER_DAYS` days of cover). */
  fromClinicId: number
  /** The sending branch's name. */
  fromBranchName: string
  /** The receiving branch (needs a reorder). */
  toClinicId: number
  /** The receiving branch's name. */
  toBranchName: string
  /**
   * Whole units: min(what the sender holds above
   * `SENDER_KEEPS_COVER_DAYS` days of cover, what brings the receiver to
   * `RECEIVER_TARGET_COVER_DAYS` days of cover).
   */
  qty: string
}

/** A (branch, sku) that needs a reorder. */
export interface ReorderLine {
  /** The branch. */
  clinicId: number
  /** The branch's name. */
  branchName: string
  /** The branch's city. */
  city: string
  /** The sku (trimmed). */
  sku: string
  /** Stock as of the end of `to`. */
  qtyOnHand: string
  /** Consumption per day over the range; null when none was consumed. */
  dailyConsumption: number | null
  /** qty_on_hand / daily_consumption; null without consumption, 0 when out. */
  daysOfCover: number | null
}

/**
 * A domain report: totals over the whole scope, and one row per group with
 * the same fields. Totals are finished from merged facts, never from rows.
 */
export interface Report<M> {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** First day of the range. */
  from: string
  /** Last day of the range. */
  to: string
  /**
   * The instant every balance, "today", "missed" and "overdue" was read
   * at, and where the range's facts stop: the earlier of the end of `to`
   * (local midnight of `to + 1`) and the `now` of the call. For a period
   * in progress it is `now`.
   */
  asOf: string
  /**
   * The last local date the range's facts reach: `to` for a closed
   * period, the date of `now` for one in progress (before `from` for a
   * period wholly in the future, whose range figures are zero).
   */
  asOfDate: string
  /** The grouping of `groups`. */
  groupBy: GroupBy
  /** The clinics of the scope, ascending. */
  clinicIds: Array<number>
  /** The whole scope. */
  totals: M
  /** One row per clinic (or per clinic and doctor); empty for `none`. */
  perBranch: Array<BranchKey & M>
  /**
   * What the report did without (`app.table` or `app.table.column`):
   * the figures that read it are left out (null, their parts zero) and
   * every other figure is whole. A database without
   * `appointments.room_id` or `rooms` gets an operations report without
   * chair utilization. Empty when complete.
   */
  missing: Array<string>
}

/** One backtest case: a projection made in a past month against its actual. */
export interface RevenueCase {
  /** The branch; `None` for the network. */
  clinicId: number | null
  /** First day of the month. */
  monthStart: string
  /** The cut the projection was made at. */
  cut: string
  /** The projection. */
  projected: string
  /** What the month billed. */
  actual: string
  /** `|projected - actual| / actual`; `None` when nothing was billed. */
  error: number | null
}

/** A month-end revenue projection with its measured error. */
export interface RevenueForecast {
  /** False: the answer could be computed (see `Degraded`). */
  degraded: false
  /** The cut: the last day of data. */
  asOf: string
  /** First day of the month projected. */
  monthStart: string
  /** Last day of the month projected. */
  monthEnd: string
  /** Days of the month still to come. */
  remainingDays: number
  /** How it is projected. */
  method: string
  /** The network. */
  network: Projection
  /** Each branch, ascending. */
  branches: Array<Projection>
  /** The network's MAPE over the backtest months (the error to quote). */
  mape: number | null
  /** The branches' MAPE over every branch and backtest month. */
  branchMape: number | null
  /** Every backtest case, network first, month by month. */
  backtest: Array<RevenueCase>
}

/** Revenue month to date against the network target. */
export interface RevenueMtd {
  /** First day of the month. */
  monthStart: string
  /**
   * Elapsed days (through the as-of date: for "this month" on the 15th,
   * 15).
   */
  elapsedDays: number
  /** Days of the month. */
  monthDays: number
  /** Billed month to date. */
  billed: string
  /** The network's monthly revenue target, when one is set (the first by id). */
  targetMonthly: string | null
  /** That target prorated by elapsed days. */
  targetToDate: string | null
  /** billed / target_to_date. */
  attainment: number | null
}

/** Active headcount of one role. */
export interface RoleHeadcount {
  /** The role (`users.role`). */
  role: UserRole
  /** Active users of that role, hired by `to`. */
  staff: number
}

/** How bad a breach is. */
export type Severity = "warning" | "critical"

/** Rows kept out of the KPIs for bad values. */
export interface StaffDataQuality {
  /** Active users whose role is not listed (counted in headcount under `other`). */
  unknownRole: number
  /** Users whose status is neither active nor inactive (not counted). */
  unknownUserStatus: number
  /** Attendance days in range whose status is not listed (not counted). */
  unknownAttendanceStatus: number
}

/** Every staff KPI of one group (or of the totals). */
export interface StaffMetrics {
  /** Active users assigned to the branch, hired by `to`. */
  headcount: number
  /**
   * `headcount` by role, every listed role in schema order (an unlisted
   * role counts as `other`).
   */
  headcountByRole: Array<RoleHeadcount>
  /** Attendance days in range with status present. */
  presentDays: number
  /** ... absent. */
  absentDays: number
  /** ... leave. */
  leaveDays: number
  /** ... off. */
  offDays: number
  /** present / (present + absent); null without such days. */
  attendanceRate: number | null
  /** absent / (present + absent); null without such days. */
  absenteeismRate: number | null
  /** Present days in range more than `LATE_AFTER_MINUTES` late. */
  lateArrivals: number
  /** Staff present on `to`. */
  presentToday: number
  /** Staff on leave on `to`. */
  onLeaveToday: number
  /** Payroll paid in range (`paid_on`; the accounting `payroll`). */
  payrollCost: string
  /** How many payroll rows. */
  payrollEntries: number
  /** Billed in range (the financial `billed`). */
  billed: string
  /** billed / headcount, rounded to paisa; null without staff. */
  revenuePerStaff: string | null
  /** Rows kept out for bad values. */
  dataQuality: StaffDataQuality
}

/** A target's metric. */
export type TargetMetric = "revenue_monthly" | "noshow_rate_max" | "collection_rate_min" | "utilization_min" | "ar_90_max" | "expense_ratio_max" | "lab_overdue_max"

/**
 * One target as an org admin sets it (`PUT /targets`): a branch's
 * (`clinic_id`) or the network's (`None`).
 */
export interface TargetSetting {
  /**
   * The branch, or `null` for a network target (judged against the
   * whole organization only).
   */
  clinicId: number | null
  /** The metric's stored name. */
  metric: string
  /**
   * The target: PKR for `revenue_monthly` and `ar_90_max`, a fraction
   * (0.12 = 12%) for the rates, a count for `lab_overdue_max`; at most
   * four decimals (`numeric(14,4)`).
   */
  value: string
  /** `monthly` (the only period the evaluation reads). */
  period: string
}

/** Where a target stands. */
export type TargetStatus = "met" | "breached" | "no_data" | "insufficient_data"

/** Targets that could not be judged (kept out, counted). */
export interface TargetsDataQuality {
  /** Rows whose metric odx does not know. */
  unknownMetric: number
  /** Rows whose period is not `monthly`. */
  unknownPeriod: number
  /** Rows of a branch outside the scope (never judged here). */
  outsideScope: number
  /**
   * Network rows (no clinic) not judged because the scope is not the
   * whole organization: a network target is judged only against the
   * organization's total, never against one branch or a few.
   */
  networkNotInScope: number
}

/**
 * Every target of a scope judged, and the alerts (critical first, then by
 * miss, largest first).
 */
export interface TargetsReport {
  /** First day of the month to date. */
  monthStart: string
  /** The last day of the range asked. */
  to: string
  /**
   * The last local date the actuals reach (`to`, or today for a month in
   * progress).
   */
  asOfDate: string
  /** Elapsed days of the month (through the as-of date). */
  elapsedDays: number
  /** Days of the month. */
  monthDays: number
  /** The least volume a rate target was judged on. */
  minVolume: MinVolume
  /** One per target row judged, in target id order. */
  evaluations: Array<Evaluation>
  /** The breaches. */
  alerts: Array<Alert>
  /** Rows kept out. */
  dataQuality: TargetsDataQuality
}

/**
 * Billed and collected per day (ranges up to 62 days) or per calendar month,
 * every bucket present, zero-filled.
 */
export interface Trend {
  /** `day` or `month`. */
  granularity: Granularity
  /** The buckets in date order. */
  points: Array<TrendPoint>
}

/** One trend bucket. */
export interface TrendPoint {
  /** First day of the bucket. */
  start: string
  /** Last day of the bucket (inclusive). */
  end: string
  /** Billed in the bucket. */
  billed: string
  /** Collected in the bucket. */
  collected: string
}

/** `users.role`. */
export type UserRole = "clinic_admin" | "doctor" | "receptionist" | "hygienist" | "assistant" | "other" | "unknown"

/** The volume a rate target stands on. */
export interface VolumeCheck {
  /** The volume of the month to date. */
  volume: number
  /** The least it needs to be judged. */
  min: number
}

/** The financial report, or what it misses. */
export type FinancialReport = Report<FinancialMetrics> | Degraded

/** The operations report, or what it misses. */
export type OperationsReport = Report<OperationsMetrics> | Degraded

/** The accounting report, or what it misses. */
export type AccountingReport = Report<AccountingMetrics> | Degraded

/** The lab report, or what it misses. */
export type LabReport = Report<LabMetrics> | Degraded

/** The staff report, or what it misses. */
export type StaffReport = Report<StaffMetrics> | Degraded

/** The clinical report, or what it misses. */
export type ClinicalReport = Report<ClinicalMetrics> | Degraded

/** The patients report, or what it misses. */
export type PatientsReport = Report<PatientsMetrics> | Degraded

/** The inventory report, or what it misses. */
export type InventoryReport = Report<InventoryMetrics> | Degraded

/** The Command Center when it could be computed. */
export type CommandCenterReady = CommandCenter

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * Reads Postgres itself (a read replica in production) and computes reports
 * with the same statements as the extension.
 */
export declare class Engine {
  /**
   * The financial report: billed, collected, the collection rate, AR (by payer and aging bucket, as of the end of the range), payment mix, direct cost, gross profit and margin, and the billing trend.
   *
   * Read from Postgres, for a scope.
   */
  financial(params: ScopeParams): Promise<FinancialReport>
  /**
   * The operations report: appointments by status, no-show, cancel, arrival and completion rates, the no-show bleed, new and returning patients, doctor and chair utilization.
   *
   * Read from Postgres, for a scope.
   */
  operations(params: ScopeParams): Promise<OperationsReport>
  /**
   * The accounting report (cash-basis P&L): receipts, direct cost, opex by category, payroll, net profit, expense ratio.
   *
   * Read from Postgres, for a scope.
   */
  accounting(params: ScopeParams): Promise<AccountingReport>
  /**
   * The lab report: open and overdue cases, turnaround, cost, per vendor.
   *
   * Read from Postgres, for a scope.
   */
  lab(params: ScopeParams): Promise<LabReport>
  /**
   * The staff report: headcount by role, attendance and absenteeism, late arrivals, present and on leave, payroll, revenue per staff.
   *
   * Read from Postgres, for a scope.
   */
  staff(params: ScopeParams): Promise<StaffReport>
  /**
   * The clinical report: treatment plans and their acceptance (also per doctor), pipeline, completion, quotation conversion, top procedures billed.
   *
   * Read from Postgres, for a scope.
   */
  clinical(params: ScopeParams): Promise<ClinicalReport>
  /**
   * The patients report: active (over the active window), new and returning, recall due and overdue, churn risk and the most valuable at-risk patients.
   *
   * Read from Postgres, for a scope.
   */
  patients(params: ScopeParams): Promise<PatientsReport>
  /**
   * The inventory report: stock, expiry, days of cover, reorder needs and cross-branch rebalance suggestions.
   *
   * Read from Postgres, for a scope.
   */
  inventory(params: ScopeParams): Promise<InventoryReport>
  /**
   * Connects a bounded pool to `url` (`postgres://...`) and checks it with
   * one round trip. `options`: `{ maxConnections = 8, queryTimeoutMs =
   * 30000, connectTimeoutMs = 5000, statementConcurrency = 3 }`. A database that cannot be reached
   * rejects with `ODX_DB_UNAVAILABLE` after at most `connectTimeoutMs`.
   */
  static connect(url: string, options?: EngineOptions): Promise<Engine>
  /**
   * A domain's report of `{ domain, clinicIds, from, to,
   * allowedClinicIds? }` against the previous period of the same length,
   * with each branch's share (see `compare`).
   */
  compare(params: CompareParams): Promise<Comparison | Degraded>
  /**
   * The month-end revenue forecast of `{ clinicIds, asOf,
   * allowedClinicIds? }` with its backtest (see `forecastRevenue`).
   */
  forecastRevenue(params: ForecastParams): Promise<RevenueForecast | Degraded>
  /**
   * The no-show risk of the week after `{ clinicIds, asOf,
   * allowedClinicIds? }` with its backtest (see `forecastNoShows`).
   */
  forecastNoShows(params: ForecastParams): Promise<NoShowForecast | Degraded>
  /**
   * The churn list of `{ clinicIds, asOf, allowedClinicIds? }` with its
   * backtest (see `forecastChurn`).
   */
  forecastChurn(params: ForecastParams): Promise<ChurnForecast | Degraded>
  /**
   * The Command Center of `{ organizationId, from, to, clinicIds?,
   * allowedClinicIds? }`: revenue month to date against target, the
   * range's collection rate, no-show bleed and net profit, the alert strip
   * and the branch leaderboard; every domain runs once over all branches.
   */
  command(params: ConsoleParams): Promise<CommandCenterReady | Degraded>
  /**
   * The digest facts of `{ organizationId, from, to, clinicIds?,
   * allowedClinicIds? }`: the anomalies and the three highest-impact
   * actions (see `digest`).
   */
  digest(params: ConsoleParams): Promise<Digest | Degraded>
  /**
   * One branch benchmarked against the median of the organization's
   * branches: `{ organizationId, clinicId, from, to, clinicIds?,
   * allowedClinicIds? }` (see `benchmark`).
   */
  benchmark(params: BenchmarkParams): Promise<Benchmark | Degraded>
  /**
   * The network overview of one day: `{ organizationId, date, clinicIds?,
   * allowedClinicIds? }` (see `networkOverview`).
   */
  networkOverview(params: OverviewParams): Promise<NetworkOverview | Degraded>
  /**
   * The console scope of `{ userId, organizationId?, focusClinicId? }`,
   * read from the org layer's tables (see `insightsScope`).
   */
  insightsScope(params: UserScopeParams): Promise<InsightsScope | Degraded>
  /**
   * One permission decision for `{ userId, action, resource }`, read
   * from the org layer's tables (see `authorize`).
   */
  authorize(params: AuthorizeParams): Promise<Decision | Degraded>
  /** Closes the pool; later calls reject with `ODX_DB_UNAVAILABLE`. */
  close(): Promise<void>
}

/**
 * A read with the server's own database client: what `plan(read, params)`
 * returns. `statements` are the next round's (run them, in one read-only
 * REPEATABLE READ transaction for the whole plan, and hand their rows to
 * `finish`); `done` once the answer is known. The answer is the engine's
 * for the same request: the same statements, folded by the same code.
 */
export declare class Plan {
  /** The statements of the next round, in order (empty once done). */
  get statements(): Array<Statement>
  /** Whether the answer is known. */
  get done(): boolean
}

/**
 * The accounting report (cash-basis P&L): receipts, direct cost, opex by category, payroll, net profit, expense ratio.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function accounting(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): AccountingReport

/**
 * One permission decision over rows the caller holds (`{ users,
 * user_organization_assignments, organization_clinics, clinics }`) for `{
 * userId, action, resource }`: `{ allowed, reason }`.
 */
export declare function authorize(rows: Record<string, Array<Record<string, unknown>>>, params: AuthorizeParams): Decision

/** What `authorize` takes. */
export interface AuthorizeParams {
  /** The user. */
  userId: number
  /** What the user asks to do. */
  action: { action: 'clinic_admin'; permission: string } | { action: 'open_module'; module: 'overview' | 'analytics' | 'branch_management' | 'staff_permissions' | 'shared_templates' | 'billing' } | { action: 'view_insights' | 'view_template' | 'create_template' | 'edit_template' | 'delete_template' | 'change_plan' | 'set_role_defaults' }
  /** What it is about. */
  resource: { kind: 'clinic'; clinicId: number } | { kind: 'organization'; organizationId: number } | { kind: 'template'; organizationId: number; clinicId?: number | null }
}

/**
 * One branch benchmarked against the median of the organization's
 * branches (or `clinicIds` of them), over rows the caller holds (the
 * tables `command` reads), for `{ organizationId, clinicId, from, to,
 * clinicIds?, allowedClinicIds? }`. Only `clinicId` must be allowed: the
 * other branches are seen through their median only.
 */
export declare function benchmark(rows: Record<string, Array<Record<string, unknown>>>, params: BenchmarkParams): Benchmark | Degraded

/** What `benchmark` takes: a console request and the branch benchmarked. */
export interface BenchmarkParams {
  /** The organization. */
  organizationId: number
  /** The branch benchmarked (must be allowed). */
  clinicId: number
  /** First local date, `YYYY-MM-DD`. */
  from: string
  /** Last local date, `YYYY-MM-DD`. */
  to: string
  /** The branches compared (default: all of the organization's). */
  clinicIds?: Array<number>
  /** The principal's branches: `clinicId` must be one of them. */
  allowedClinicIds?: Array<number>
  /**
   * The instant the report is read at: an ISO 8601 instant with its
   * offset (`new Date().toISOString()`) or epoch milliseconds (default: the
   * call's time). A period still in progress at it is read as of it; the
   * report states the `asOf` it used.
   */
  asOf?: string | number | null
}

/**
 * An organization's target set as an org admin sends it (`PUT /targets`:
 * `[{ clinicId, metric, value, period? }]`, `clinicId` null for a network
 * target, `value` a decimal string or a number), checked by core against
 * `branches` (the organization's): every metric known, `monthly`, each
 * branch the organization's, one target per branch (or network) and
 * metric, values in range. Returns the set as it is to be stored
 * (canonical metric names, values as decimal strings); a bad target is
 * `ODX_INVALID_ARGUMENT` naming it (`targets[2].value`).
 */
export declare function checkTargets(targets: Array<{ clinicId?: number | null, metric: string, value: string | number, period?: string }>, branches: Array<number>): Array<TargetSetting>

/**
 * The clinical report: treatment plans and their acceptance (also per doctor), pipeline, completion, quotation conversion, top procedures billed.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function clinical(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): ClinicalReport

/**
 * The Command Center of rows the caller already holds (`{ clinics,
 * organization_clinics, ops_targets, invoices, invoice_items, payments,
 * lab_cases, appointments, doctor_schedules, clinic_hours, rooms, expenses,
 * payroll }`) for `{ organizationId, from, to, clinicIds?,
 * allowedClinicIds? }`: every branch of the organization unless
 * `clinicIds` names some (`ODX_FORBIDDEN_SCOPE` for one that is not its
 * branch or not allowed).
 */
export declare function command(rows: Record<string, Array<Record<string, unknown>>>, params: ConsoleParams): CommandCenterReady | Degraded

/**
 * A domain's report over rows the caller holds, against the previous
 * period of the same length: `{ domain, clinicIds, from, to, ... }` (as
 * `ScopeParams`, with `domain` one of financial, operations, accounting,
 * lab, staff, clinical, patients, inventory). Per headline measure of the
 * network (`totals`) and of each branch (`perBranch`): `kind` (amount,
 * count, rate, average, days), `current`, `previous`, `change` (points for
 * a rate), `changeRate`, and for amounts and counts each branch's `share`
 * of the network and its `previousShare`. Amounts and averages are decimal
 * strings; counts, rates and days are numbers.
 */
export declare function compare(rows: Record<string, Array<Record<string, unknown>>>, params: CompareParams): Comparison

/**
 * What `compare` takes: a scope and the domain compared (`groupBy` is
 * ignored: a comparison is always by branch).
 */
export interface CompareParams {
  /** The domain. */
  domain: 'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory'
  /** The branches (clinic ids). */
  clinicIds: Array<number>
  /** First local date, `YYYY-MM-DD`. */
  from: string
  /**
   * Last local date, `YYYY-MM-DD`; the previous period ends the day
   * before `from` and has as many days.
   */
  to: string
  /**
   * The principal's branches: any other requested branch is refused with
   * `ODX_FORBIDDEN_SCOPE`.
   */
  allowedClinicIds?: Array<number>
  /** The patients domain's active window in months, 1 to 120 (default 18). */
  activeWindowMonths?: number
  /**
   * The instant the report is read at: an ISO 8601 instant with its
   * offset (`new Date().toISOString()`) or epoch milliseconds (default: the
   * call's time). A period still in progress at it is read as of it; the
   * report states the `asOf` it used.
   */
  asOf?: string | number | null
}

/** What the console calls of an organization take. */
export interface ConsoleParams {
  /** The organization. */
  organizationId: number
  /** First local date, `YYYY-MM-DD`. */
  from: string
  /**
   * Last local date, `YYYY-MM-DD` (balances and the month to date are as
   * of its end, or of `asOf` when that is earlier).
   */
  to: string
  /**
   * Some of its branches (default: all of them); one that is not its
   * branch is refused with `ODX_FORBIDDEN_SCOPE`.
   */
  clinicIds?: Array<number>
  /** The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`. */
  allowedClinicIds?: Array<number>
  /**
   * The instant the report is read at: an ISO 8601 instant with its
   * offset (`new Date().toISOString()`) or epoch milliseconds (default: the
   * call's time). A period still in progress at it is read as of it; the
   * report states the `asOf` it used.
   */
  asOf?: string | number | null
  /**
   * The least volume a rate target is judged on (each absent: 20
   * appointments, 10 invoices, 40 capacity hours); below it the
   * evaluation is `insufficient_data`, never an alert.
   */
  minVolume?: { appointments?: number; invoices?: number; capacityHours?: number } | null
}

/**
 * The digest facts of rows the caller holds (the tables `command` reads)
 * for `{ organizationId, from, to, clinicIds?, allowedClinicIds? }`: the
 * anomalies and the three highest-impact actions.
 */
export declare function digest(rows: Record<string, Array<Record<string, unknown>>>, params: ConsoleParams): Digest | Degraded

/** `Engine.connect`'s options. */
export interface EngineOptions {
  /** Pool size (default 8). */
  maxConnections?: number
  /**
   * Time limit in ms of each statement, of each call, and of a call's wait
   * for a free connection under load (default 30000).
   */
  queryTimeoutMs?: number
  /** Time limit to reach the database in ms (default 5000). */
  connectTimeoutMs?: number
  /**
   * How many connections one call may read on at once (default 3; 1
   * reads every statement on one connection). A call's independent
   * statements run on idle connections of the pool that share its
   * snapshot; it never waits for one, and the pool keeps this many open.
   */
  statementConcurrency?: number
}

/**
 * The financial report: billed, collected, the collection rate, AR (by payer and aging bucket, as of the end of the range), payment mix, direct cost, gross profit and margin, and the billing trend.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function financial(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): FinancialReport

/**
 * Folds the rows of `plan.statements` (one array of row objects per
 * statement, in order, as the driver returns them: `bigint` as text or
 * number) into the plan: the answer when nothing more is needed (a report
 * with `degraded: false`, or `{ degraded: true, module, missing }`), or
 * `null` when `plan.statements` holds another round.
 */
export declare function finish(plan: Plan, rows: Array<Array<Record<string, unknown>>>): any

/**
 * The churn list of rows the caller holds, for `{ clinicIds, asOf,
 * allowedClinicIds? }`: patients 9 months or more since their last visit
 * with nothing booked, the most valuable first, always with the precision
 * and recall of the same rule at three past cuts (every `backtest` case).
 */
export declare function forecastChurn(rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams): ChurnForecast

/**
 * The no-show risk of the upcoming week in rows the caller holds, for `{
 * clinicIds, asOf, allowedClinicIds? }`: per branch and doctor, always with
 * the error measured on the four previous weeks (`wape`, `bias`, every
 * `backtest` case).
 */
export declare function forecastNoShows(rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams): NoShowForecast

/** What the forecasts take. */
export interface ForecastParams {
  /** The branches (clinic ids). */
  clinicIds: Array<number>
  /** The last day of data, `YYYY-MM-DD`. */
  asOf: string
  /**
   * The principal's branches: any other requested branch is refused with
   * `ODX_FORBIDDEN_SCOPE`.
   */
  allowedClinicIds?: Array<number>
}

/**
 * The month-end revenue forecast of rows the caller holds, for `{
 * clinicIds, asOf, allowedClinicIds? }`: billed to date and projected per
 * branch and for the network, always with the error measured on the three
 * previous months (`mape`, `branchMape`, every `backtest` case).
 */
export declare function forecastRevenue(rows: Record<string, Array<Record<string, unknown>>>, params: ForecastParams): RevenueForecast

/**
 * The console scope of a user over rows the caller holds (`{
 * user_organization_assignments, organization_clinics, clinics }`) for `{
 * userId, organizationId?, focusClinicId? }`: org_admin -> every branch of
 * the organization, branch_manager -> its branch; `ODX_NO_CONSOLE_ACCESS`
 * for anyone else, `ODX_FORBIDDEN_SCOPE` for a focus outside the scope.
 */
export declare function insightsScope(rows: Record<string, Array<Record<string, unknown>>>, params: UserScopeParams): InsightsScope

/**
 * The inventory report: stock, expiry, days of cover, reorder needs and cross-branch rebalance suggestions.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function inventory(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): InventoryReport

/**
 * The lab report: open and overdue cases, turnaround, cost, per vendor.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function lab(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): LabReport

/**
 * The network overview of one day over rows the caller holds (the tables
 * `command` reads) for `{ organizationId, date, clinicIds?,
 * allowedClinicIds? }`.
 */
export declare function networkOverview(rows: Record<string, Array<Record<string, unknown>>>, params: OverviewParams): NetworkOverview | Degraded

/**
 * The operations report: appointments by status, no-show, cancel, arrival and completion rates, the no-show bleed, new and returning patients, doctor and chair utilization.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function operations(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): OperationsReport

/** What `networkOverview` takes. */
export interface OverviewParams {
  /** The organization. */
  organizationId: number
  /** The day, `YYYY-MM-DD` (each branch's local date). */
  date: string
  /** Some of its branches (default: all of them). */
  clinicIds?: Array<number>
  /** The principal's branches: any other is refused with `ODX_FORBIDDEN_SCOPE`. */
  allowedClinicIds?: Array<number>
}

/**
 * The patients report: active (over the active window), new and returning, recall due and overdue, churn risk and the most valuable at-risk patients.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function patients(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): PatientsReport

/**
 * The plan of a read with the caller's own client: `read` is a domain
 * (`financial` ... `inventory`), `compare`, `command`, `digest`,
 * `benchmark`, `networkOverview`, `forecastRevenue`, `forecastNoShows`,
 * `forecastChurn`, `insightsScope` or `authorize`, and `params` what the
 * engine's method of that name takes (checked the same way: a bad one is
 * refused here, before any statement). A domain takes three rounds, a
 * console read-out four or five.
 */
export declare function plan(read: 'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory' | 'compare' | 'command' | 'digest' | 'benchmark' | 'networkOverview' | 'forecastRevenue' | 'forecastNoShows' | 'forecastChurn' | 'insightsScope' | 'authorize', params: object): Plan

/** What every report call takes. */
export interface ScopeParams {
  /** The branches (clinic ids). */
  clinicIds: Array<number>
  /** First local date, `YYYY-MM-DD`. */
  from: string
  /**
   * Last local date, `YYYY-MM-DD` (balances are as of its end, or of
   * `asOf` when that is earlier).
   */
  to: string
  /** `clinic` (default), `doctor` or `none`. */
  groupBy?: 'clinic' | 'doctor' | 'none'
  /**
   * The principal's branches: any other requested branch is refused with
   * `ODX_FORBIDDEN_SCOPE`.
   */
  allowedClinicIds?: Array<number>
  /** The patients domain's active window in months, 1 to 120 (default 18). */
  activeWindowMonths?: number
  /**
   * The instant the report is read at: an ISO 8601 instant with its
   * offset (`new Date().toISOString()`) or epoch milliseconds (default: the
   * call's time). A period still in progress at it is read as of it; the
   * report states the `asOf` it used.
   */
  asOf?: string | number | null
}

/**
 * The staff report: headcount by role, attendance and absenteeism, late arrivals, present and on leave, payroll, revenue per staff.
 *
 * Over rows the caller already holds (the domain's tables, with the schema's column names), for a scope.
 */
export declare function staff(rows: Record<string, Array<Record<string, unknown>>>, params: ScopeParams): StaffReport

/**
 * One statement of a [`crate::Plan`] round, for the caller's own client:
 * `client.query(s.text, s.values)` (`pg`) or `sql.unsafe(s.text, s.values)`
 * (postgres.js).
 */
export interface Statement {
  /** The SQL text, parameters `$1`, `$2` ... (each cast in the text). */
  text: string
  /**
   * The values in order: `bigint[]` as an array of numbers, `text[]` as
   * an array of strings, `timestamptz` as an RFC 3339 string, `bigint`,
   * `bool` and `text` as themselves.
   */
  values: Array<any>
  /**
   * The Postgres type of each value (`bigint[]`, `text[]`, `text`,
   * `bigint`, `bool`, `timestamptz`).
   */
  types: Array<string>
}

/**
 * Any per-branch table as CSV text: `table` is an array of row objects
 * (a report's `perBranch`, a Command Center's `leaderboard`, a benchmark's
 * `drivers`, a churn list ...). The header is every key met, in the order
 * first met; nested objects become dotted columns (`arAging.90+`), an
 * array inside a row is one cell of JSON, null an empty cell; money keeps
 * its exact decimal text. Quoting is RFC 4180 (the `csv` crate).
 *
 * `kind` names what the rows are (a domain for a report's `perBranch`, or
 * `leaderboard`, `overview`, `drivers`, `actions`, `anomalies`, `alerts`):
 * rates are then percentages to one decimal and means rounded; lists keyed
 * by a name (`paymentMix` by method ...) become columns, other lists (the
 * trend) are left out.
 */
export declare function toCsv(table: Array<object>, kind?: 'financial' | 'operations' | 'accounting' | 'lab' | 'staff' | 'clinical' | 'patients' | 'inventory' | 'leaderboard' | 'overview' | 'drivers' | 'actions' | 'anomalies' | 'alerts' | null): string

/** What `insightsScope` takes. */
export interface UserScopeParams {
  /** The user. */
  userId: number
  /** The organization (needed only for a user with console roles in several). */
  organizationId?: number
  /** Narrow the scope to this branch. */
  focusClinicId?: number
  /**
   * Narrow the scope to its branches in this city (trimmed,
   * case-insensitive; a city with none of them is `ODX_FORBIDDEN_SCOPE`).
   */
  focusCity?: string
}

/**
 * A validated scope: `{ clinicIds, from, to, groupBy, days }`.
 *
 * Checks the arguments the way every call does: `clinicIds` (integers),
 * `from` and `to` (`YYYY-MM-DD`, `from <= to`, at most ten years), `groupBy`
 * (`clinic` | `doctor` | `none`), and, when given, that every clinic is in
 * `allowedClinicIds` (`ODX_FORBIDDEN_SCOPE` otherwise).
 */
export declare function validateScope(params: ScopeParams): ValidScope

/** `validateScope`'s answer. */
export interface ValidScope {
  /** The branches, ascending, without duplicates. */
  clinicIds: Array<number>
  /** First local date. */
  from: string
  /** Last local date. */
  to: string
  /** The grouping. */
  groupBy: 'clinic' | 'doctor' | 'none'
  /** Days in the range. */
  days: number
  /** The patients domain's active window in months. */
  activeWindowMonths: number
}
