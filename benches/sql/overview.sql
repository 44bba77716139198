-- The Network Hub's overview of one day written by hand, as an analyst would
-- without odx: organization $1, local date $2. One row per branch and a
-- network row (clinic_id NULL): the branch's name and city (the grid shows
-- them), appointments on (booked, arrived, completed, no-show), billed
-- (issued, partially paid, paid), the no-show rate, and whether the branch is
-- active. Money and rates as numeric. The same rows as
-- odx_network_overview_rows and the same numbers as odx_network_overview
-- (the benchmark checks every one before it times anything).
WITH c AS MATERIALIZED (
    SELECT cl.id AS clinic_id, cl.name AS branch_name, cl.city, cl.status = 'active' AS active,
           $2::date::timestamp AT TIME ZONE cl.timezone AS t0,
           ($2::date + 1)::timestamp AT TIME ZONE cl.timezone AS t1
    FROM app.organization_clinics oc JOIN app.clinics cl ON cl.id = oc.clinic_id
    WHERE oc.organization_id = $1
),
a AS (
    SELECT c.clinic_id,
           count(*) FILTER (WHERE a.status IN ('booked', 'arrived', 'completed', 'no_show')) AS scheduled,
           count(*) FILTER (WHERE a.status = 'no_show') AS no_show
    FROM c JOIN app.appointments a ON a.clinic_id = c.clinic_id AND a.starts_at >= c.t0 AND a.starts_at < c.t1
    GROUP BY 1
),
b AS (
    SELECT c.clinic_id, sum(i.total) AS billed
    FROM c JOIN app.invoices i ON i.clinic_id = c.clinic_id AND i.issued_at >= c.t0 AND i.issued_at < c.t1
    WHERE i.status IN ('issued', 'partially_paid', 'paid')
    GROUP BY 1
),
rows AS (
    SELECT c.clinic_id, c.branch_name, c.city, c.active, coalesce(a.scheduled, 0) AS scheduled, coalesce(a.no_show, 0) AS no_show,
           coalesce(b.billed, 0) AS billed
    FROM c LEFT JOIN a USING (clinic_id) LEFT JOIN b USING (clinic_id)
)
SELECT clinic_id, branch_name, city, active, scheduled::int8 AS appointments, billed,
       no_show::numeric / nullif(scheduled, 0) AS no_show_rate
FROM rows
UNION ALL
SELECT NULL, NULL, NULL, NULL, sum(scheduled)::int8, sum(billed), sum(no_show)::numeric / nullif(sum(scheduled), 0)
FROM rows
