-- Every spend line says what kind of figure it is (issue 10), so a map never adds a net
-- figure to a gross one, or capital to revenue, without saying so:
--   basis    'gross'    gross expenditure (before fees, charges and grants are taken off)
--            'net'      net current expenditure (after them: Revenue Outturn, RS)
--            'payments' payments made (councils' "spend over £500" files)
--   account  'revenue' or 'capital'
-- Lines written before this migration are gross revenue, except the two kinds whose
-- source says otherwise: RS outturn lines ("£ thousand NCE") and the lines summed from
-- transactions ("spend over £500 transactions: N payments").
ALTER TABLE spend_lines ADD COLUMN basis VARCHAR DEFAULT 'gross';
ALTER TABLE spend_lines ADD COLUMN account VARCHAR DEFAULT 'revenue';

UPDATE spend_lines SET basis = 'net' WHERE source LIKE '%£ thousand NCE%';
UPDATE spend_lines SET basis = 'payments'
WHERE source LIKE 'spend over £500 transactions: % payments';

-- Income a return states beside its figures (fees and charges, other income, specific
-- grants), so that gross and net can both be shown. Never part of the spend total. It
-- belongs to the lines it came with: replacing a partner's lines of a year and account
-- replaces its income too.
CREATE TABLE spend_income (
    partner VARCHAR NOT NULL,
    year VARCHAR NOT NULL,
    service VARCHAR,                   -- taxonomy code; NULL for income of the whole body
    kind VARCHAR NOT NULL,             -- 'fees and charges', 'other income', 'specific grants'
    source_service VARCHAR NOT NULL,   -- the return's own line
    amount_gbp DECIMAL(18, 2) NOT NULL,  -- income as a positive amount
    account VARCHAR NOT NULL DEFAULT 'revenue',
    source VARCHAR,
    source_row BIGINT
);
