-- The policy rules in SQL on the known-answer fixture: console scopes and
-- permission decisions, decided by odx-core from the org layer's rows.
BEGIN;
-- org_admin: both branches (level network); the branch manager: Dubai only
SELECT odx_insights_scope(90) ->> 'level' AS level, odx_insights_scope(90) -> 'clinic_ids' AS clinics;
SELECT odx_insights_scope(91) ->> 'level' AS level, odx_insights_scope(91) -> 'clinic_ids' AS clinics;
-- a focus branch narrows an org_admin's scope
SELECT odx_insights_scope(90, focus_clinic_id => 1) -> 'clinic_ids' AS clinics;
-- console roles in two organizations: name one
SELECT odx_insights_scope(93, 2) ->> 'organization_id' AS organization;
SELECT r.a ->> 'action' AS action, r.c ->> 'kind' AS kind, d ->> 'allowed' AS allowed, d ->> 'reason' AS reason
FROM (VALUES
    ('{"action": "clinic_admin", "permission": "appointments.edit"}'::jsonb, '{"kind": "clinic", "clinic_id": 2}'::jsonb, 90),
    ('{"action": "view_insights"}', '{"kind": "clinic", "clinic_id": 1}', 91),
    ('{"action": "change_plan"}', '{"kind": "organization", "organization_id": 1}', 91),
    ('{"action": "manage_targets"}', '{"kind": "organization", "organization_id": 1}', 90),
    ('{"action": "manage_targets"}', '{"kind": "organization", "organization_id": 1}', 91),
    ('{"action": "view_insights"}', '{"kind": "organization", "organization_id": 1}', 95),
    ('{"action": "clinic_admin", "permission": "appointments.edit"}', '{"kind": "clinic", "clinic_id": 1}', 95),
    ('{"action": "delete_template"}', '{"kind": "template", "organization_id": 1}', 21)
) r(a, c, u), odx_authorize(r.u, r.a, r.c) d;
ROLLBACK;
-- refusals: typed errors, the backend survives
SELECT odx_insights_scope(11);
-- NULL in, NULL out
SELECT odx_insights_scope(NULL) IS NULL AS null_in_null_out, odx_insights_scope(NULL, 1, 2, 'x') IS NULL AS with_options;
-- a deactivated head of operations keeps an org_admin assignment: no console
SELECT odx_insights_scope(95);
SELECT odx_insights_scope(91, NULL, 1);
SELECT odx_insights_scope(93);
SELECT odx_insights_scope(NULL);
SELECT odx_authorize(999, '{"action": "change_plan"}', '{"kind": "organization", "organization_id": 1}');
SELECT odx_authorize(90, '{"action": "fly"}', '{"kind": "organization", "organization_id": 1}');
SELECT 1 AS still_connected;
-- an unknown organization is refused, never a zeroed report
SELECT odx_command(424242, '2026-06-01', '2026-06-30');
SELECT odx_digest(424242, '2026-06-01', '2026-06-30');
SELECT odx_network_overview(424242, '2026-06-20');
SELECT * FROM odx_network_overview_rows(424242, '2026-06-20');
SELECT odx_benchmark(424242, 1, '2026-06-01', '2026-06-30');
