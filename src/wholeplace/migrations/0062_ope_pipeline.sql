-- One Public Estate targets and the disposal pipeline (issue 16). Each import replaces the
-- table it fills; the audit log keeps every import.
CREATE TABLE ope_targets (
    year VARCHAR PRIMARY KEY,          -- financial year, 2025/26
    receipts DECIMAL(18, 2) NOT NULL,  -- capital receipts targeted in the year
    savings DECIMAL(18, 2) NOT NULL    -- running-cost savings a year targeted by the year
);
CREATE TABLE ope_pipeline (
    partner VARCHAR NOT NULL,
    ref VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,            -- identified, agreed, marketed or disposed
    year VARCHAR NOT NULL,             -- the year of the receipt (expected, or when disposed)
    receipt DECIMAL(18, 2) NOT NULL,
    saving DECIMAL(18, 2) NOT NULL,    -- running cost saved a year once vacated
    PRIMARY KEY (partner, ref)
);
