-- The forecasts on the known-answer fixture, each with its measured error:
-- mid-June revenue projected by weekday means (tests/tests/console.rs works
-- 40,000 and 7,000 by hand), the no-show risk of the week after, and the
-- churn list at the end of 2026 with its precision and recall (EXPECTED.md,
-- "The churn forecast").
BEGIN;
SELECT f -> 'network' ->> 'projected' AS network, f ->> 'remaining_days' AS remaining_days,
       round((f ->> 'mape')::numeric, 4) AS mape, jsonb_array_length(f -> 'backtest') AS cases
FROM odx_forecast_revenue(ARRAY[1, 2]::bigint[], '2026-06-15') f;
SELECT b ->> 'clinic_id' AS clinic, b ->> 'billed_to_date' AS to_date, b ->> 'projected' AS projected,
       round((b ->> 'mape')::numeric, 4) AS mape
FROM jsonb_array_elements(odx_forecast_revenue(ARRAY[1, 2]::bigint[], '2026-06-15') -> 'branches') b;
SELECT c ->> 'clinic_id' AS clinic, c ->> 'cut' AS cut, c ->> 'projected' AS projected, c ->> 'actual' AS actual
FROM jsonb_array_elements(odx_forecast_revenue(ARRAY[1, 2]::bigint[], '2026-06-15') -> 'backtest') c;
SELECT f ->> 'from' AS from_date, f ->> 'to' AS to_date, f -> 'network' ->> 'booked' AS booked,
       f -> 'network' ->> 'expected_no_shows' AS expected, jsonb_array_length(f -> 'backtest') AS cases,
       f ? 'wape' AS carries_its_error
FROM odx_forecast_no_shows(ARRAY[1, 2]::bigint[], '2026-06-15') f;
SELECT f -> 'network' ->> 'at_risk' AS at_risk, f ->> 'horizon_months' AS horizon_months,
       round((f ->> 'precision')::numeric, 4) AS "precision", round((f ->> 'recall')::numeric, 4) AS recall,
       (SELECT string_agg(p ->> 'patient_id', ',') FROM jsonb_array_elements(f -> 'list') p) AS list
FROM odx_forecast_churn(ARRAY[1, 2]::bigint[], '2026-12-31') f;
SELECT c ->> 'clinic_id' AS clinic, c ->> 'cut' AS cut, c ->> 'horizon_end' AS horizon_end,
       c ->> 'flagged' AS flagged, c ->> 'won_back' AS won_back, c ->> 'lapsed' AS lapsed
FROM jsonb_array_elements(odx_forecast_churn(ARRAY[1, 2]::bigint[], '2026-12-31') -> 'backtest') c;
ROLLBACK;
-- an unknown clinic, an infinite date: typed errors, the backend survives
SELECT odx_forecast_no_shows(ARRAY[999]::bigint[], '2026-06-15');
SELECT odx_forecast_revenue(ARRAY[1]::bigint[], 'infinity');
SELECT odx_forecast_churn(ARRAY[1, NULL]::bigint[], '2026-12-31');
SELECT 1 AS still_connected;
