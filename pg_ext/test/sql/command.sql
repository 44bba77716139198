-- odx_command on the known-answer fixture (targets and values worked by hand
-- in fixtures/known_answer/EXPECTED.md, "Targets and the Command Center").
BEGIN;
SELECT c -> 'revenue_mtd' ->> 'billed' AS billed_mtd, c -> 'revenue_mtd' ->> 'target_to_date' AS target_to_date,
       c ->> 'collection_rate' AS collection_rate, c ->> 'no_show_bleed' AS bleed, c ->> 'net_profit' AS net_profit
FROM odx_command(1, '2026-06-01', '2026-06-30') c;
-- the alert strip, critical first
SELECT a ->> 'metric' AS metric, a ->> 'clinic_id' AS clinic, a ->> 'actual' AS actual, a ->> 'target' AS target,
       a ->> 'severity' AS severity
FROM jsonb_array_elements(odx_command(1, '2026-06-01', '2026-06-30') -> 'alerts') a;
-- the leaderboard, by billed
SELECT r ->> 'rank' AS rank, r ->> 'clinic_id' AS clinic, r ->> 'billed' AS billed,
       r ->> 'worst_no_show' AS worst_no_show, r ->> 'largest_ar_90' AS largest_ar_90, r ->> 'alerts' AS alerts
FROM jsonb_array_elements(odx_command(1, '2026-06-01', '2026-06-30') -> 'leaderboard') r;
-- mid-month: 55,000 prorated over 15 of 30 days
SELECT odx_command(1, '2026-06-01', '2026-06-15') -> 'revenue_mtd' ->> 'target_to_date' AS target_to_date;
-- bad input: a typed error, the backend survives
SELECT odx_command(1, '2026-06-30', '2026-06-01');
ROLLBACK;
SELECT 1 AS still_connected;
-- a rate target on too little volume is insufficient data, with its volume
SELECT e ->> 'target_id' AS id, e ->> 'metric' AS metric, e ->> 'status' AS status,
       e -> 'volume' ->> 'volume' AS volume, e -> 'volume' ->> 'min' AS min
FROM jsonb_array_elements(odx_command(1, '2026-06-01', '2026-06-30') -> 'targets' -> 'evaluations') e
WHERE jsonb_typeof(e -> 'volume') = 'object';
-- judged on any volume: the no-show and collection-rate alerts come back
SELECT a ->> 'metric' AS metric, a ->> 'clinic_id' AS clinic, a ->> 'severity' AS severity
FROM jsonb_array_elements(odx_command(1, '2026-06-01', '2026-06-30', min_appointments => 0, min_invoices => 0,
                                      min_capacity_hours => 0) -> 'alerts') a;
-- a negative minimum is refused
SELECT odx_command(1, '2026-06-01', '2026-06-30', min_invoices => -1);
