-- odx 0.1.0 -> 0.1.1: adds odx_day_start(time_zone, day), the local-midnight
-- cut odx uses for every day boundary, as a helper for SQL users.
-- Written by hand; a test compares the catalog after this upgrade with a
-- fresh CREATE EXTENSION odx at 0.1.1, so the two cannot drift.
\echo Use "ALTER EXTENSION odx UPDATE TO '0.1.1'" to load this file. \quit

CREATE FUNCTION "odx_day_start"(
	"time_zone" TEXT,
	"day" date
) RETURNS timestamp with time zone
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'odx_day_start_wrapper';

COMMENT ON FUNCTION odx_day_start(text, date) IS
'The first instant of local date day in time_zone (a clinic''s timezone; blank means Asia/Karachi), as odx cuts days: local midnight, or the first instant after a daylight-saving gap.';
