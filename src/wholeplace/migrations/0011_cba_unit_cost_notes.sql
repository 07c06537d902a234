-- Cost-benefit appraisal (issue 10): what the Unit Cost Database says in its notes, and where
-- its agencies fall in a place.
-- The transfer part of an entry's fiscal value (left out of public value) and the total public
-- value the workbook states, read from the note on the fiscal value cell or the Comment cell.
-- Entry-level, so repeated on each of the entry's value rows, as description is.
ALTER TABLE cba_unit_costs ADD COLUMN transfer_amount DECIMAL(38, 12);  -- in the fiscal year's prices
ALTER TABLE cba_unit_costs ADD COLUMN transfer_agency VARCHAR;
ALTER TABLE cba_unit_costs ADD COLUMN transfer_note VARCHAR;           -- the workbook's words
ALTER TABLE cba_unit_costs ADD COLUMN transfer_where VARCHAR;          -- the cell they are in
ALTER TABLE cba_unit_costs ADD COLUMN public_value_stated DECIMAL(38, 12);
ALTER TABLE cba_unit_costs ADD COLUMN public_value_year VARCHAR;       -- YYYY/YY
ALTER TABLE cba_unit_costs ADD COLUMN public_value_note VARCHAR;
ALTER TABLE cba_unit_costs ADD COLUMN public_value_where VARCHAR;

-- A place's own choice of partner for a workbook agency (`wholeplace unitcosts agencies set`),
-- over the documented mapping by partner type (docs/cba.md).
CREATE TABLE cba_agency_partners (
    agency_key VARCHAR PRIMARY KEY,    -- labels.match_key of "Level 1" or "Level 1 / Level 2"
    agency VARCHAR NOT NULL,           -- as the user wrote it
    partner_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL,
    set_by VARCHAR NOT NULL
);
