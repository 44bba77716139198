-- The staff report written by hand, as an analyst would without odx: clinics
-- $1, local dates $2..$3 (inclusive). One row per branch and a network row
-- (clinic_id NULL), the same numbers as odx_staff (the benchmark checks every
-- one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id,
           $2::date::timestamp AT TIME ZONE timezone AS t0,
           ($3::date + 1)::timestamp AT TIME ZONE timezone AS t1
    FROM app.clinics WHERE id = ANY($1::bigint[])
),
heads AS (
    SELECT u.clinic_id, count(*) AS headcount
    FROM app.users u
    WHERE u.clinic_id = ANY($1::bigint[]) AND u.status = 'active' AND (u.hired_on IS NULL OR u.hired_on <= $3::date)
    GROUP BY u.clinic_id
),
days AS (
    SELECT a.clinic_id,
           count(*) FILTER (WHERE a.status = 'present') AS present,
           count(*) FILTER (WHERE a.status = 'absent') AS absent,
           count(*) FILTER (WHERE a.status = 'leave') AS leave,
           count(*) FILTER (WHERE a.status = 'off') AS off,
           count(*) FILTER (WHERE a.status = 'present' AND a.late_minutes > 10) AS late,
           count(*) FILTER (WHERE a.status = 'present' AND a.day = $3::date) AS present_today,
           count(*) FILTER (WHERE a.status = 'leave' AND a.day = $3::date) AS on_leave_today
    FROM app.attendance_days a
    WHERE a.clinic_id = ANY($1::bigint[]) AND a.day BETWEEN $2::date AND $3::date
    GROUP BY a.clinic_id
),
payroll AS (
    SELECT w.clinic_id, count(*) AS entries, sum(w.gross) AS payroll
    FROM app.payroll w
    WHERE w.clinic_id = ANY($1::bigint[]) AND w.paid_on BETWEEN $2::date AND $3::date
    GROUP BY w.clinic_id
),
billed AS (
    SELECT i.clinic_id, sum(i.total) AS billed
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at >= c.t0 AND i.issued_at < c.t1
    WHERE i.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY i.clinic_id
),
branch AS (
    SELECT c.clinic_id, coalesce(h.headcount, 0) AS headcount, coalesce(d.present, 0) AS present,
           coalesce(d.absent, 0) AS absent, coalesce(d.leave, 0) AS leave, coalesce(d.off, 0) AS off,
           coalesce(d.late, 0) AS late, coalesce(d.present_today, 0) AS present_today,
           coalesce(d.on_leave_today, 0) AS on_leave_today, coalesce(w.payroll, 0) AS payroll,
           coalesce(w.entries, 0) AS entries, coalesce(b.billed, 0) AS billed
    FROM c LEFT JOIN heads h USING (clinic_id) LEFT JOIN days d USING (clinic_id)
    LEFT JOIN payroll w USING (clinic_id) LEFT JOIN billed b USING (clinic_id)
),
result AS (
    SELECT clinic_id, headcount, present, absent, leave, off, late, present_today, on_leave_today, payroll, entries,
           billed
    FROM branch
    UNION ALL
    SELECT NULL, coalesce(sum(headcount), 0), coalesce(sum(present), 0), coalesce(sum(absent), 0),
           coalesce(sum(leave), 0), coalesce(sum(off), 0), coalesce(sum(late), 0), coalesce(sum(present_today), 0),
           coalesce(sum(on_leave_today), 0), coalesce(sum(payroll), 0), coalesce(sum(entries), 0),
           coalesce(sum(billed), 0)
    FROM branch
)
SELECT r.clinic_id, r.headcount::int8 AS headcount, r.present::int8 AS present_days, r.absent::int8 AS absent_days,
       r.leave::int8 AS leave_days, r.off::int8 AS off_days,
       (r.present::numeric / nullif(r.present + r.absent, 0))::text AS attendance_rate,
       (r.absent::numeric / nullif(r.present + r.absent, 0))::text AS absenteeism_rate,
       r.late::int8 AS late_arrivals, r.present_today::int8 AS present_today,
       r.on_leave_today::int8 AS on_leave_today, r.payroll::text AS payroll_cost,
       r.entries::int8 AS payroll_entries, r.billed::text AS billed,
       round(r.billed / nullif(r.headcount, 0), 2)::text AS revenue_per_staff
FROM result r
