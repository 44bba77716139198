-- June read on June 15 at noon in Karachi (EXPECTED.md, "A month in
-- progress"): nothing after the instant counts; the report states it.
SELECT r ->> 'as_of' AS as_of, r ->> 'as_of_date' AS as_of_date,
       r -> 'totals' ->> 'billed' AS billed, r -> 'totals' ->> 'outstanding' AS outstanding,
       r -> 'totals' -> 'ar_aging' ->> '90+' AS ar_90
FROM odx_financial(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30', as_of => '2026-06-15 12:00+05') r;
-- no booked appointment of June 16-30 is missed
SELECT r -> 'totals' ->> 'scheduled' AS scheduled, r -> 'totals' -> 'appointments' ->> 'missed' AS missed
FROM odx_operations(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30', as_of => '2026-06-15 12:00+05') r;
SELECT clinic_id, open_cases, overdue_cases
FROM odx_lab_by_branch(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30', as_of => '2026-06-15 12:00+05');
-- the revenue target prorated over 15 of 30 days; the alerts of that day
SELECT c -> 'revenue_mtd' ->> 'elapsed_days' AS elapsed, c -> 'revenue_mtd' ->> 'target_to_date' AS target_to_date,
       (SELECT string_agg(a ->> 'metric' || ':' || coalesce(a ->> 'clinic_id', 'network') || ':' || (a ->> 'severity'), ', ')
        FROM jsonb_array_elements(c -> 'alerts') a) AS alerts
FROM odx_command(1, '2026-06-01', '2026-06-30', as_of => '2026-06-15 12:00+05') c;
-- a period wholly in the future: zeroed range figures, balances of that day
SELECT r -> 'totals' ->> 'billed' AS billed, r ->> 'as_of_date' AS as_of_date
FROM odx_financial(ARRAY[1, 2]::bigint[], '2026-06-01', '2026-06-30', as_of => '2026-05-20 12:00+05') r;
-- the default is the transaction's timestamp: June 2026 is closed by now
SELECT r ->> 'as_of' AS as_of FROM odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30') r;
-- an instant Postgres can hold but odx cannot place
SELECT odx_financial(ARRAY[1]::bigint[], '2026-06-01', '2026-06-30', as_of => 'infinity');
