-- Payments are stored once, as the file gave them; what is derived from them (the
-- financial year, the service from the file's mapping, the normalised supplier and
-- whether the supplier is another partner) is the `transactions` view. So an import is
-- one pass over the file, and a partner added later turns its payments into
-- eliminations without rewriting any payment.

-- No primary key or index: this table holds hundreds of millions of rows.
CREATE TABLE transaction_rows (
    file_id BIGINT NOT NULL,
    partner VARCHAR NOT NULL,
    paid_on DATE NOT NULL,
    amount_gbp DECIMAL(18, 2) NOT NULL,  -- negative for credits
    supplier VARCHAR,
    department VARCHAR,
    service_area VARCHAR,
    expense_type VARCHAR,
    description VARCHAR,
    reference VARCHAR,
    sheet VARCHAR,
    source_row BIGINT                    -- NULL for files read in one parallel pass
);

-- How each file's department / service area / expense type values were mapped.
CREATE TABLE transaction_mapping (
    file_id BIGINT NOT NULL,
    department VARCHAR,
    service_area VARCHAR,
    expense_type VARCHAR,
    service VARCHAR NOT NULL,            -- taxonomy code (OTH when unmapped)
    mapped BOOLEAN NOT NULL,
    customer_group VARCHAR,
    area VARCHAR
);

-- Every supplier name seen, and the name normalised for matching across partners.
CREATE TABLE transaction_suppliers (
    supplier VARCHAR NOT NULL,
    supplier_key VARCHAR
);

-- Each file's payments summed by partner, financial year, mapping values and the
-- partner of the place paid (if any): spend lines are rebuilt from these small totals,
-- so importing one month does not re-read the year's payments.
CREATE TABLE transaction_totals (
    file_id BIGINT NOT NULL,
    partner VARCHAR NOT NULL,
    year VARCHAR NOT NULL,
    department VARCHAR,
    service_area VARCHAR,
    expense_type VARCHAR,
    counterparty VARCHAR,
    amount_gbp DECIMAL(18, 2) NOT NULL,
    payments BIGINT NOT NULL,
    credits_gbp DECIMAL(18, 2) NOT NULL
);

INSERT INTO transaction_totals
SELECT file_id, partner, year, department, service_area, expense_type, counterparty,
    sum(amount_gbp), count(*), coalesce(sum(amount_gbp) FILTER (WHERE amount_gbp < 0), 0)
FROM transactions
GROUP BY ALL;

INSERT INTO transaction_rows
SELECT file_id, partner, paid_on, amount_gbp, supplier, department, service_area,
    expense_type, description, reference, sheet, source_row
FROM transactions;

INSERT INTO transaction_mapping
SELECT DISTINCT file_id, department, service_area, expense_type, service, mapped,
    customer_group, area
FROM transactions;

INSERT INTO transaction_suppliers
SELECT DISTINCT supplier, supplier_key FROM transactions WHERE supplier IS NOT NULL;

DROP TABLE transactions;

-- Defined once here and used by the view and by the importer's SQL.
-- A supplier (or partner) name normalised for matching: case, punctuation, a leading
-- "The" and legal suffixes ignored.
CREATE MACRO supplier_key(name) AS nullif(trim(regexp_replace(regexp_replace(trim(
    regexp_replace(upper(name), '[^A-Z0-9]+', ' ', 'g')), '^THE ', ''),
    ' (LIMITED|LTD|PLC|LLP|CIC)$', '')), '');
-- The financial year (April to March) of a date, as the calendar year it starts in,
-- and its label (2024 -> '2024/25').
CREATE MACRO fy_start(d) AS year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END;
CREATE MACRO fy_label(y) AS CAST(y AS VARCHAR) || '/' || lpad(CAST((y + 1) % 100 AS VARCHAR), 2, '0');

-- Each partner's name as a supplier key: one partner per key (the first id, should two
-- partners' names normalise alike).
CREATE VIEW partner_keys AS
SELECT supplier_key(name) AS k, min(id) AS id FROM partners GROUP BY 1;

CREATE VIEW transactions AS
SELECT r.file_id, r.partner, fy_label(fy_start(r.paid_on)) AS year,
    r.paid_on, r.amount_gbp, r.supplier, s.supplier_key, r.department, r.service_area,
    r.expense_type, r.description, r.reference, m.service, m.mapped, m.customer_group,
    m.area, CASE WHEN pk.id <> r.partner THEN pk.id END AS counterparty, r.sheet,
    r.source_row
FROM transaction_rows r
JOIN transaction_mapping m
    ON m.file_id = r.file_id
    AND m.department IS NOT DISTINCT FROM r.department
    AND m.service_area IS NOT DISTINCT FROM r.service_area
    AND m.expense_type IS NOT DISTINCT FROM r.expense_type
LEFT JOIN transaction_suppliers s ON s.supplier = r.supplier
LEFT JOIN partner_keys pk ON pk.k = s.supplier_key;
