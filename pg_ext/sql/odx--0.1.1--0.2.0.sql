-- odx 0.1.1 -> 0.2.0: the domains of the second seed document, starting with
-- accounting: odx_accounting (jsonb) and odx_accounting_by_branch (table).
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
