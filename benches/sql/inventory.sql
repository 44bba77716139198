-- The inventory report written by hand, as an analyst would without odx:
-- clinics $1, local dates $2..$3 (inclusive; consumption over the range,
-- stock as of the end of $3). One row per branch and a network row
-- (clinic_id NULL), the same numbers as odx_inventory (the benchmark checks
-- every one before it times anything; the rebalance is odx's alone).
WITH c AS MATERIALIZED (
    SELECT id AS clinic_id, timezone FROM app.clinics WHERE id = ANY($1::bigint[])
),
mv AS (
    SELECT mv.item_id,
           coalesce(sum(mv.qty) FILTER (WHERE (mv.moved_at AT TIME ZONE c.timezone)::date > $3::date), 0) AS after_to,
           coalesce(-sum(mv.qty) FILTER (WHERE mv.kind = 'consumption'
               AND (mv.moved_at AT TIME ZONE c.timezone)::date BETWEEN $2::date AND $3::date), 0) AS consumed
    FROM app.inventory_movements mv JOIN app.inventory_items i ON i.id = mv.item_id JOIN c ON c.clinic_id = i.clinic_id
    GROUP BY mv.item_id
),
item AS (
    SELECT i.clinic_id, CASE WHEN btrim(i.sku) = '' THEN 'unspecified' ELSE btrim(i.sku) END AS sku,
           i.qty_on_hand - coalesce(mv.after_to, 0) AS qty, i.unit_cost, i.reorder_level,
           i.expires_on - $3::date AS expires_in, coalesce(mv.consumed, 0) AS consumed
    FROM app.inventory_items i JOIN c USING (clinic_id) LEFT JOIN mv ON mv.item_id = i.id
),
batches AS (
    SELECT clinic_id, count(*) AS items,
           count(*) FILTER (WHERE qty > 0 AND expires_in BETWEEN 1 AND 30) AS expiring,
           coalesce(sum(qty * unit_cost) FILTER (WHERE qty > 0 AND expires_in BETWEEN 1 AND 30), 0) AS expiring_value,
           count(*) FILTER (WHERE expires_in <= 0) AS expired,
           coalesce(sum(qty * unit_cost) FILTER (WHERE qty > 0 AND expires_in <= 0), 0) AS expired_value
    FROM item GROUP BY clinic_id
),
pos AS (
    SELECT clinic_id, sku, sum(qty) AS qty, max(reorder_level) AS reorder_level, sum(consumed) AS consumed,
           sum(CASE WHEN qty > 0 THEN qty * unit_cost ELSE 0 END) AS value, sum(consumed * unit_cost) AS consumed_value
    FROM item GROUP BY clinic_id, sku
),
stock AS (
    SELECT clinic_id, count(*) AS skus, sum(value) AS value, sum(consumed_value) AS consumed_value,
           count(*) FILTER (WHERE qty <= 0) AS out_of_stock,
           count(*) FILTER (WHERE qty > 0 AND qty <= reorder_level) AS low_stock,
           count(*) FILTER (WHERE qty <= reorder_level
                              OR (consumed > 0 AND qty * ($3::date - $2::date + 1) < 14 * consumed)) AS reorder
    FROM pos GROUP BY clinic_id
),
branch AS (
    SELECT c.clinic_id, coalesce(b.items, 0) AS items, coalesce(s.skus, 0) AS skus, coalesce(s.value, 0) AS value,
           coalesce(s.consumed_value, 0) AS consumed_value, coalesce(s.out_of_stock, 0) AS out_of_stock,
           coalesce(s.low_stock, 0) AS low_stock, coalesce(b.expiring, 0) AS expiring,
           coalesce(b.expiring_value, 0) AS expiring_value, coalesce(b.expired, 0) AS expired,
           coalesce(b.expired_value, 0) AS expired_value, coalesce(s.reorder, 0) AS reorder
    FROM c LEFT JOIN batches b USING (clinic_id) LEFT JOIN stock s USING (clinic_id)
),
result AS (
    SELECT * FROM branch
    UNION ALL
    SELECT NULL, sum(items), sum(skus), sum(value), sum(consumed_value), sum(out_of_stock), sum(low_stock),
           sum(expiring), sum(expiring_value), sum(expired), sum(expired_value), sum(reorder)
    FROM branch
)
SELECT r.clinic_id, coalesce(r.items, 0)::int8 AS items, coalesce(r.skus, 0)::int8 AS skus,
       round(coalesce(r.value, 0), 2)::text AS stock_value, coalesce(r.out_of_stock, 0)::int8 AS out_of_stock,
       coalesce(r.low_stock, 0)::int8 AS low_stock, coalesce(r.expiring, 0)::int8 AS expiring,
       round(coalesce(r.expiring_value, 0), 2)::text AS expiring_value, coalesce(r.expired, 0)::int8 AS expired,
       round(coalesce(r.expired_value, 0), 2)::text AS expired_value,
       round(coalesce(r.consumed_value, 0) / ($3::date - $2::date + 1), 2)::text AS daily_consumption_value,
       (r.value / nullif(r.consumed_value / ($3::date - $2::date + 1), 0))::text AS days_of_cover,
       coalesce(r.reorder, 0)::int8 AS reorder_needed
FROM result r
