-- odx 0.1.1 -> 0.2.0: the domains of the second seed document, each as
-- odx_<domain> (jsonb) and odx_<domain>_by_branch (table): accounting, lab, staff, clinical, patients, inventory; odx_command, the Command Center; odx_compare, a domain against its previous period with each branch's share; odx_forecast_revenue, odx_forecast_no_shows and odx_forecast_churn, forecasts with their backtested errors; odx_digest, odx_benchmark and odx_network_overview, the console read-outs; odx_insights_scope and odx_authorize, the policy rules.
-- Written by hand; a test compares the catalog after this upgrade with a
-- fresh CREATE EXTENSION odx at 0.2.0, so the two cannot drift.
\echo Use "ALTER EXTENSION odx UPDATE TO '0.2.0'" to load this file. \quit

CREATE FUNCTION "odx_accounting"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_accounting_wrapper';

COMMENT ON FUNCTION odx_accounting(bigint[], date, date, text) IS
'The cash-basis P&L of the clinics over from_date..to_date, computed by odx-core: receipts, direct cost, opex by category, payroll, net profit, expense ratio; { degraded, totals, groups }. group_by: clinic (default), doctor (overheads on the doctor_id null row) or none. Since 0.2.0.';

CREATE FUNCTION "odx_accounting_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date
) RETURNS TABLE (
	"clinic_id" bigint,
	"receipts" NUMERIC,
	"materials_cost" NUMERIC,
	"lab_cost" NUMERIC,
	"direct_cost" NUMERIC,
	"opex" NUMERIC,
	"payroll" NUMERIC,
	"total_costs" NUMERIC,
	"net_profit" NUMERIC,
	"expense_ratio" NUMERIC
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_accounting_by_branch_wrapper';

COMMENT ON FUNCTION odx_accounting_by_branch(bigint[], date, date) IS
'One row per branch of odx_accounting: money as numeric, the expense ratio NULL when there are no receipts. Since 0.2.0.';

CREATE FUNCTION "odx_lab"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_lab_wrapper';

COMMENT ON FUNCTION odx_lab(bigint[], date, date, text) IS
'Lab cases of the clinics, computed by odx-core: open and overdue as of the end of to_date, cases sent and their cost, cases received in range and the average turnaround in days, each per vendor too; { degraded, totals, groups }. Lab cases have no doctor: group_by doctor puts them on the doctor_id null row. Since 0.2.0.';

CREATE FUNCTION "odx_lab_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date
) RETURNS TABLE (
	"clinic_id" bigint,
	"open_cases" bigint,
	"overdue_cases" bigint,
	"overdue_share" NUMERIC,
	"cases_sent" bigint,
	"lab_cost" NUMERIC,
	"cases_received" bigint,
	"avg_turnaround_days" NUMERIC
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_lab_by_branch_wrapper';

COMMENT ON FUNCTION odx_lab_by_branch(bigint[], date, date) IS
'One row per branch of odx_lab over every vendor: counts as bigint, cost and turnaround as numeric, the overdue share and turnaround NULL when there is no data. Since 0.2.0.';

CREATE FUNCTION "odx_staff"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_staff_wrapper';

COMMENT ON FUNCTION odx_staff(bigint[], date, date, text) IS
'Staff of the clinics, computed by odx-core: headcount by role (active users hired by to_date), attendance, leave and off days, attendance and absenteeism rates, late arrivals (more than 10 minutes), present and on leave on to_date, payroll paid in range, billed and revenue per staff; { degraded, totals, groups }. Staff belong to the branch: group_by doctor puts them on the doctor_id null row. Since 0.2.0.';

CREATE FUNCTION "odx_staff_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date
) RETURNS TABLE (
	"clinic_id" bigint,
	"headcount" bigint,
	"present_days" bigint,
	"absent_days" bigint,
	"leave_days" bigint,
	"off_days" bigint,
	"attendance_rate" NUMERIC,
	"absenteeism_rate" NUMERIC,
	"late_arrivals" bigint,
	"present_today" bigint,
	"on_leave_today" bigint,
	"payroll_cost" NUMERIC,
	"payroll_entries" bigint,
	"billed" NUMERIC,
	"revenue_per_staff" NUMERIC
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_staff_by_branch_wrapper';

COMMENT ON FUNCTION odx_staff_by_branch(bigint[], date, date) IS
'One row per branch of odx_staff (the per-role headcount is in odx_staff): counts as bigint, money and rates as numeric, rates NULL without attendance days and revenue per staff NULL without staff. Since 0.2.0.';

CREATE FUNCTION "odx_clinical"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_clinical_wrapper';

COMMENT ON FUNCTION odx_clinical(bigint[], date, date, text) IS
'Treatment plans, quotations and procedures of the clinics, computed by odx-core: plans created in range (not draft), accepted, acceptance rate (and per doctor), pipeline value, average plan value, completion rate, quotation conversion, the top 10 procedures billed by volume and by revenue; { degraded, totals, groups }. group_by doctor: plans by their doctor, quotations by their plan''s doctor, procedures by their invoice''s doctor. Since 0.2.0.';

CREATE FUNCTION "odx_clinical_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date
) RETURNS TABLE (
	"clinic_id" bigint,
	"plans_created" bigint,
	"plans_accepted" bigint,
	"acceptance_rate" NUMERIC,
	"pipeline_value" NUMERIC,
	"plan_value" NUMERIC,
	"avg_plan_value" NUMERIC,
	"accepted_value" NUMERIC,
	"completed_value" NUMERIC,
	"completion_rate" NUMERIC,
	"quotation_conversion" NUMERIC
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_clinical_by_branch_wrapper';

COMMENT ON FUNCTION odx_clinical_by_branch(bigint[], date, date) IS
'One row per branch of odx_clinical (the per-doctor acceptance and top procedure lists are in odx_clinical): counts as bigint, money and rates as numeric, rates and the average NULL when their denominator is zero. Since 0.2.0.';

CREATE FUNCTION "odx_patients"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic',
	"active_window_months" INT DEFAULT 18
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_patients_wrapper';

COMMENT ON FUNCTION odx_patients(bigint[], date, date, text, integer) IS
'Patients of the clinics, computed by odx-core: patients on file, active (a completed visit in the active_window_months up to to_date, 18 by default), new and returning in range and the returning share, recall due in range and overdue (due before to_date, not seen since), churn risk (last completed visit 9 calendar months or more before to_date, nothing booked after it) and churn_list, the 100 most valuable at-risk patients by lifetime billed; { degraded, totals, groups }. Patients belong to the branch: group_by doctor puts them on the doctor_id null row. Since 0.2.0.';

CREATE FUNCTION "odx_patients_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"active_window_months" INT DEFAULT 18
) RETURNS TABLE (
	"clinic_id" bigint,
	"patients_on_file" bigint,
	"active_patients" bigint,
	"new_patients" bigint,
	"returning_patients" bigint,
	"returning_share" NUMERIC,
	"recall_due" bigint,
	"recall_overdue" bigint,
	"churn_risk" bigint
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_patients_by_branch_wrapper';

COMMENT ON FUNCTION odx_patients_by_branch(bigint[], date, date, integer) IS
'One row per branch of odx_patients (the ranked at-risk list is in odx_patients): counts as bigint, returning_share as numeric (NULL when nobody was seen in range). Since 0.2.0.';

CREATE FUNCTION "odx_inventory"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_inventory_wrapper';

COMMENT ON FUNCTION odx_inventory(bigint[], date, date, text) IS
'Inventory of the clinics, computed by odx-core: stock as of the end of to_date (qty_on_hand less later movements) and its value, out of stock and low stock (per branch and sku), batches expiring within 30 days after to_date and expired, consumption per day over the range and days of cover, reorder needs (out, low or under 14 days of cover, the least cover first) and rebalance: whole-unit transfers of a sku from a branch with more than 90 days of cover (keeping 60 days, above its reorder level) to a branch needing a reorder (up to 30 days of cover); { degraded, totals, groups }. Stock belongs to the branch: group_by doctor puts it on the doctor_id null row. Since 0.2.0.';

CREATE FUNCTION "odx_inventory_by_branch"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date
) RETURNS TABLE (
	"clinic_id" bigint,
	"items" bigint,
	"skus" bigint,
	"stock_value" NUMERIC,
	"out_of_stock" bigint,
	"low_stock" bigint,
	"expiring" bigint,
	"expiring_value" NUMERIC,
	"expired" bigint,
	"expired_value" NUMERIC,
	"daily_consumption_value" NUMERIC,
	"days_of_cover" NUMERIC,
	"reorder_needed" bigint
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_inventory_by_branch_wrapper';

COMMENT ON FUNCTION odx_inventory_by_branch(bigint[], date, date) IS
'One row per branch of odx_inventory (the reorder list and the rebalance suggestions are in odx_inventory): counts as bigint, money and days of cover as numeric (NULL without consumption). Since 0.2.0.';

CREATE FUNCTION "odx_command"(
	"organization_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_command_wrapper';

COMMENT ON FUNCTION odx_command(bigint, date, date) IS
'The Command Center of an organization over from_date..to_date, computed by odx-core: revenue_mtd (billed from the first of to_date''s month against the network revenue_monthly target prorated by elapsed days), billed, collected, collection_rate, no_show_rate, no_show_bleed, net_profit and expense_ratio of the range, the alerts of app.ops_targets judged on the month to date (warning within 10% of the target, critical beyond), every target''s evaluation, and the leaderboard of branches by billed with the worst no-show rate and the largest AR over 90 days flagged; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_insights_scope"(
	"user_id" bigint,
	"organization_id" bigint DEFAULT NULL,
	"focus_clinic_id" bigint DEFAULT NULL
) RETURNS jsonb
STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_insights_scope_wrapper';

COMMENT ON FUNCTION odx_insights_scope(bigint, bigint, bigint) IS
'The console scope of a user, decided by odx-core from app.user_organization_assignments and app.organization_clinics: { user_id, organization_id, role, level, focus, clinic_ids, active_clinic_ids }. org_admin gets every branch of the organization (inactive ones included, for history), branch_manager its branch; anyone else is refused (42501, ODX_NO_CONSOLE_ACCESS), as is a focus branch outside the scope (42501, ODX_FORBIDDEN_SCOPE). Since 0.2.0.';

CREATE FUNCTION "odx_authorize"(
	"user_id" bigint,
	"action" jsonb,
	"resource" jsonb
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_authorize_wrapper';

COMMENT ON FUNCTION odx_authorize(bigint, jsonb, jsonb) IS
'One permission decision of the organization layer, by odx-core: { allowed, reason } for a user, an action ({"action": "clinic_admin", "permission": ...} | {"action": "open_module", "module": ...} | {"action": "view_insights" | "view_template" | "create_template" | "edit_template" | "delete_template" | "change_plan" | "set_role_defaults"}) and a resource ({"kind": "clinic", "clinic_id": ...} | {"kind": "organization", "organization_id": ...} | {"kind": "template", "organization_id": ..., "clinic_id": null | ...}). Since 0.2.0.';

CREATE FUNCTION "odx_digest"(
	"organization_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_digest_wrapper';

COMMENT ON FUNCTION odx_digest(bigint, date, date) IS
'The digest facts of an organization over from_date..to_date, computed by odx-core: the deterministic input a language model would narrate. billed, collected, net_profit and revenue attainment; anomalies (every target breach of the Command Center, then every branch worse than the median of the branches by more than 25% of it on a driver KPI) and the three highest-impact actions (PKR at stake, over every branch and driver); { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_benchmark"(
	"organization_id" bigint,
	"clinic_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_benchmark_wrapper';

COMMENT ON FUNCTION odx_benchmark(bigint, bigint, date, date) IS
'One branch benchmarked against the median of its organization''s branches over from_date..to_date, computed by odx-core: per driver KPI (collection_rate, no_show_rate, avg_ticket, doctor and chair utilization, margin, expense_ratio, ar90_share, lab_overdue_share) its value, the median, the gap, whether it is worse, and the PKR it would gain by reaching the median where computable, ranked by that impact; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_network_overview"(
	"organization_id" bigint,
	"day" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_network_overview_wrapper';

COMMENT ON FUNCTION odx_network_overview(bigint, date) IS
'The Network Hub overview of an organization on one day (each branch''s local date), computed by odx-core: appointments, billed, active branches and the no-show rate, for the network and per branch; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_compare"(
	"domain" TEXT,
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"active_window_months" INT DEFAULT 18
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_compare_wrapper';

COMMENT ON FUNCTION odx_compare(text, bigint[], date, date, integer) IS
'A domain''s report (financial, operations, accounting, lab, staff, clinical, patients or inventory) of the clinics over from_date..to_date against the previous period of the same length (ending the day before from_date), computed by odx-core: per headline measure of the network and of each branch its kind (amount, count, rate, average, days), current, previous, change (points for a rate) and change_rate, and for the additive kinds each branch''s share of the network now and before; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_forecast_revenue"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_revenue_wrapper';

COMMENT ON FUNCTION odx_forecast_revenue(bigint[], date) IS
'The month-end revenue forecast of the clinics at as_of, computed by odx-core: billed from the first of the month through as_of plus, for each remaining day, the mean billed of its weekday over the 28 days through as_of, for the network and each branch; never without its error: mape (network) and branch_mape, the mean absolute percentage error of the same projection made at the same day of each of the three previous months, every backtest case listed; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_forecast_no_shows"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_no_shows_wrapper';

COMMENT ON FUNCTION odx_forecast_no_shows(bigint[], date) IS
'The no-show risk of the clinics'' appointments in the 7 days after as_of, computed by odx-core: per branch and doctor the appointments on the books, the no-show rate of the 90 days before (the doctor''s shrunk toward the branch''s by 20 appointments), the expected no-shows and the PKR at stake at the average ticket; never without its error: wape and bias of the same prediction for each of the four previous weeks against the no-shows that happened, every case listed; { degraded, ... }. Since 0.2.0.';

CREATE FUNCTION "odx_forecast_churn"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_churn_wrapper';

COMMENT ON FUNCTION odx_forecast_churn(bigint[], date) IS
'The churn list of the clinics at as_of, computed by odx-core: patients whose last completed visit is 9 calendar months or more before as_of with nothing booked after it (at_risk for the network and each branch, and the 100 most valuable by lifetime billed), read as a prediction that they will not come back within 6 months; never without its error: precision (the share of the patients lapsed at a past cut who stayed away for the 6 months after it) and recall (the share of the patients lapsed at the horizon''s end that were lapsed at the cut), pooled over three cuts whose horizons end at as_of and one and two months before, every case listed; { degraded, ... }. Since 0.2.0.';
