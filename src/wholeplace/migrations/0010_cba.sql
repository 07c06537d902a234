-- Cost-benefit appraisal: the place's imported Unit Cost Database and GDP deflator series.
-- One row per (entry, value kind); amounts keep 12 decimal places because some published
-- estimates are formulas such as =995/3 and must uprate to the same penny as the workbook.
CREATE TABLE cba_unit_costs (
    edition VARCHAR NOT NULL,          -- e.g. v1.4
    code VARCHAR NOT NULL,             -- e.g. CR1.0
    kind VARCHAR,                      -- fiscal | economic | social (NULL: entry with no value)
    amount DECIMAL(38, 12),            -- estimated value, in prices of price_year
    price_year VARCHAR,                -- YYYY/YY
    published_updated DECIMAL(38, 12), -- the workbook's own uprated value, as published
    description VARCHAR NOT NULL,
    unit VARCHAR,
    agency VARCHAR,
    agency_detail VARCHAR,
    category VARCHAR,
    detail VARCHAR,
    source VARCHAR,
    rag VARCHAR,
    comment VARCHAR,
    origin VARCHAR NOT NULL            -- file, sheet and row it was read from
);

CREATE TABLE cba_deflators (
    series VARCHAR NOT NULL,
    year VARCHAR NOT NULL,             -- YYYY/YY
    pct_change DECIMAL(38, 12) NOT NULL,
    idx DECIMAL(38, 20) NOT NULL,      -- chained index, first year = 100
    forecast BOOLEAN NOT NULL DEFAULT FALSE,
    source VARCHAR,
    PRIMARY KEY (series, year)
);
