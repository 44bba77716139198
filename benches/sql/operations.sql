-- The operations report written by hand, as an analyst would without odx:
-- clinics $1, appointments starting on local dates $2..$3 (inclusive).
-- One row per branch and a network row (clinic_id NULL), the same numbers as
-- odx_operations (the benchmark checks every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id,
           $2::date::timestamp AT TIME ZONE timezone AS t0,
           ($3::date + 1)::timestamp AT TIME ZONE timezone AS t1
    FROM app.clinics WHERE id = ANY($1::bigint[])
),
weekdays AS (
    SELECT extract(isodow FROM d)::int AS wd, count(*) AS n
    FROM generate_series($2::date, $3::date, interval '1 day') d GROUP BY 1
),
appts AS (
    SELECT a.clinic_id,
           count(*) FILTER (WHERE a.status = 'booked') AS booked,
           count(*) FILTER (WHERE a.status = 'arrived') AS arrived,
           count(*) FILTER (WHERE a.status = 'completed') AS completed,
           count(*) FILTER (WHERE a.status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE a.status = 'no_show') AS no_show,
           count(*) FILTER (WHERE a.status = 'booked'
                              AND a.starts_at + make_interval(mins => a.duration_min) < c.t1) AS missed,
           coalesce(sum(greatest(a.duration_min, 0)) FILTER (WHERE a.status IN ('booked', 'arrived', 'completed', 'no_show')
                                                      AND a.doctor_id IS NOT NULL), 0) AS doctor_minutes,
           coalesce(sum(greatest(a.duration_min, 0)) FILTER (WHERE a.status IN ('booked', 'arrived', 'completed', 'no_show')
                                                      AND a.room_id IS NOT NULL), 0) AS chair_minutes
    FROM c JOIN app.appointments a ON a.clinic_id = c.clinic_id AND a.starts_at >= c.t0 AND a.starts_at < c.t1
    GROUP BY a.clinic_id
),
-- each patient's first completed visit at the clinic, and whether they were seen in range
visits AS (
    SELECT a.clinic_id, a.patient_id, min(a.starts_at) AS first_at, bool_or(a.starts_at >= c.t0) AS seen
    FROM c JOIN app.appointments a ON a.clinic_id = c.clinic_id AND a.starts_at < c.t1
    WHERE a.status = 'completed'
    GROUP BY a.clinic_id, a.patient_id
),
patients AS (
    SELECT v.clinic_id, count(*) FILTER (WHERE v.first_at >= c.t0) AS new_patients,
           count(*) FILTER (WHERE v.first_at < c.t0) AS returning_patients
    FROM visits v JOIN c ON c.clinic_id = v.clinic_id
    WHERE v.seen
    GROUP BY v.clinic_id
),
tickets AS (
    SELECT i.clinic_id, sum(i.total) AS billed, count(*) AS invoices
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at >= c.t0 AND i.issued_at < c.t1
    WHERE i.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY i.clinic_id
),
doctor_capacity AS (
    SELECT s.clinic_id, sum(extract(epoch FROM s.ends - s.starts)::bigint / 60 * w.n) AS minutes
    FROM app.doctor_schedules s JOIN weekdays w ON w.wd = s.weekday
    WHERE s.clinic_id = ANY($1::bigint[]) AND s.ends > s.starts
    GROUP BY s.clinic_id
),
chair_capacity AS (
    SELECT h.clinic_id,
           sum(extract(epoch FROM h.closes - h.opens)::bigint / 60 * w.n)
             * (SELECT count(*) FROM app.rooms r WHERE r.clinic_id = h.clinic_id AND r.active) AS minutes
    FROM app.clinic_hours h JOIN weekdays w ON w.wd = h.weekday
    WHERE h.clinic_id = ANY($1::bigint[]) AND h.closes > h.opens
    GROUP BY h.clinic_id
),
branch AS (
    SELECT c.clinic_id,
           coalesce(a.booked, 0) AS booked, coalesce(a.arrived, 0) AS arrived, coalesce(a.completed, 0) AS completed,
           coalesce(a.cancelled, 0) AS cancelled, coalesce(a.no_show, 0) AS no_show, coalesce(a.missed, 0) AS missed,
           coalesce(a.doctor_minutes, 0) AS doctor_minutes, coalesce(a.chair_minutes, 0) AS chair_minutes,
           coalesce(p.new_patients, 0) AS new_patients, coalesce(p.returning_patients, 0) AS returning_patients,
           coalesce(t.billed, 0) AS billed, coalesce(t.invoices, 0) AS invoices,
           coalesce(dc.minutes, 0) AS doctor_capacity, coalesce(cc.minutes, 0) AS chair_capacity
    FROM c
    LEFT JOIN appts a ON a.clinic_id = c.clinic_id
    LEFT JOIN patients p ON p.clinic_id = c.clinic_id
    LEFT JOIN tickets t ON t.clinic_id = c.clinic_id
    LEFT JOIN doctor_capacity dc ON dc.clinic_id = c.clinic_id
    LEFT JOIN chair_capacity cc ON cc.clinic_id = c.clinic_id
),
result AS (
    SELECT *, booked + arrived + completed + cancelled + no_show AS total,
           booked + arrived + completed + no_show AS scheduled
    FROM (SELECT * FROM branch
          UNION ALL
          SELECT NULL, sum(booked), sum(arrived), sum(completed), sum(cancelled), sum(no_show), sum(missed),
                 sum(doctor_minutes), sum(chair_minutes), sum(new_patients), sum(returning_patients), sum(billed),
                 sum(invoices), sum(doctor_capacity), sum(chair_capacity)
          FROM branch) b
),
priced AS (
    SELECT *, round(billed / nullif(invoices, 0), 2) AS avg_ticket FROM result
)
SELECT clinic_id,
       total::int8 AS total, booked::int8 AS booked, arrived::int8 AS arrived, completed::int8 AS completed,
       cancelled::int8 AS cancelled, no_show::int8 AS no_show, missed::int8 AS missed, scheduled::int8 AS scheduled,
       (no_show::numeric / nullif(scheduled, 0))::text AS no_show_rate,
       (cancelled::numeric / nullif(total, 0))::text AS cancel_rate,
       ((arrived + completed)::numeric / nullif(scheduled, 0))::text AS arrival_rate,
       (completed::numeric / nullif(scheduled, 0))::text AS completion_rate,
       avg_ticket::text AS avg_ticket,
       CASE WHEN no_show = 0 THEN 0 ELSE no_show * avg_ticket END::text AS no_show_bleed,
       new_patients::int8 AS new_patients, returning_patients::int8 AS returning_patients,
       doctor_minutes::int8 AS doctor_booked_minutes, doctor_capacity::int8 AS doctor_capacity_minutes,
       (doctor_minutes::numeric / nullif(doctor_capacity, 0))::text AS doctor_utilization,
       chair_minutes::int8 AS chair_booked_minutes, chair_capacity::int8 AS chair_capacity_minutes,
       (chair_minutes::numeric / nullif(chair_capacity, 0))::text AS chair_utilization
FROM priced
