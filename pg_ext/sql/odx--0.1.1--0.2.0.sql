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

CREATE FUNCTION "odx_lab"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_lab_wrapper';

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

CREATE FUNCTION "odx_staff"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_staff_wrapper';

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

CREATE FUNCTION "odx_clinical"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_clinical_wrapper';

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

CREATE FUNCTION "odx_inventory"(
	"clinic_ids" bigint[],
	"from_date" date,
	"to_date" date,
	"group_by" TEXT DEFAULT 'clinic'
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_inventory_wrapper';

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

CREATE FUNCTION "odx_command"(
	"organization_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_command_wrapper';

CREATE FUNCTION "odx_insights_scope"(
	"user_id" bigint,
	"organization_id" bigint DEFAULT NULL,
	"focus_clinic_id" bigint DEFAULT NULL
) RETURNS jsonb
STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_insights_scope_wrapper';

CREATE FUNCTION "odx_authorize"(
	"user_id" bigint,
	"action" jsonb,
	"resource" jsonb
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_authorize_wrapper';

CREATE FUNCTION "odx_digest"(
	"organization_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_digest_wrapper';

CREATE FUNCTION "odx_benchmark"(
	"organization_id" bigint,
	"clinic_id" bigint,
	"from_date" date,
	"to_date" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_benchmark_wrapper';

CREATE FUNCTION "odx_network_overview"(
	"organization_id" bigint,
	"day" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_network_overview_wrapper';

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

CREATE FUNCTION "odx_forecast_revenue"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_revenue_wrapper';

CREATE FUNCTION "odx_forecast_no_shows"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_no_shows_wrapper';

CREATE FUNCTION "odx_forecast_churn"(
	"clinic_ids" bigint[],
	"as_of" date
) RETURNS jsonb
STRICT STABLE PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_forecast_churn_wrapper';

-- Every function's comment, from the extension itself (core's constants
-- interpolated): the same text a fresh install sets.
CREATE  FUNCTION "odx_function_comments"() RETURNS TABLE (
	"function" TEXT,  /* String */
	"comment" TEXT  /* String */
)
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'odx_function_comments_wrapper';

DO $odx$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM odx_function_comments() LOOP
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', r.function, r.comment);
    END LOOP;
END
$odx$;
