-- Payments of big clean files read in one parallel pass that have no department,
-- description or reference column (the usual "spend over £500" export). Storing them
-- in transaction_rows, whose department, description, reference, sheet and line would
-- all be empty, cost 1-2 s of CPU per 10M rows: the cost is the table having the
-- columns, not writing them. Every reader goes through the views below, which give
-- both tables' rows the same columns.

-- No primary key or index: this table holds hundreds of millions of rows.
CREATE TABLE transaction_rows_lean (
    file_id BIGINT NOT NULL,
    partner VARCHAR NOT NULL,
    paid_on DATE NOT NULL,
    amount_gbp DECIMAL(18, 2) NOT NULL,  -- negative for credits
    supplier VARCHAR,
    service_area VARCHAR,
    expense_type VARCHAR
);

-- Every stored payment, with transaction_rows' columns.
CREATE VIEW transaction_payments AS
SELECT file_id, partner, paid_on, amount_gbp, supplier, department, service_area,
    expense_type, description, reference, sheet, source_row
FROM transaction_rows
UNION ALL
SELECT file_id, partner, paid_on, amount_gbp, supplier, CAST(NULL AS VARCHAR),
    service_area, expense_type, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT)
FROM transaction_rows_lean;

-- As in 0031, reading both tables.
CREATE OR REPLACE VIEW transactions AS
SELECT r.file_id, r.partner, fy_label(fy_start(r.paid_on)) AS year,
    r.paid_on, r.amount_gbp, r.supplier, s.supplier_key, r.department, r.service_area,
    r.expense_type, r.description, r.reference, m.service, m.mapped, m.customer_group,
    m.area, CASE WHEN pk.id <> r.partner THEN pk.id END AS counterparty, r.sheet,
    r.source_row
FROM transaction_payments r
JOIN transaction_mapping m
    ON m.file_id = r.file_id
    AND m.department IS NOT DISTINCT FROM r.department
    AND m.service_area IS NOT DISTINCT FROM r.service_area
    AND m.expense_type IS NOT DISTINCT FROM r.expense_type
LEFT JOIN transaction_suppliers s ON s.supplier = r.supplier
LEFT JOIN partner_keys pk ON pk.k = s.supplier_key;
