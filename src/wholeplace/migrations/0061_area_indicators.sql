-- Small-area indicators (issue 16): one value per indicator and area (LSOA), with the
-- source and date the user gave. Importing an indicator replaces its values.
CREATE TABLE area_indicators (
    indicator VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    value DECIMAL(18, 4) NOT NULL,
    PRIMARY KEY (indicator, code)
);
CREATE TABLE indicator_sources (
    indicator VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    as_of VARCHAR NOT NULL,       -- the date or period the figures are for, as given
    higher_is VARCHAR NOT NULL,   -- 'worse' or 'better' or 'neutral': how to read a rank
    counts BOOLEAN NOT NULL,      -- a count of people: under 5 is suppressed in reports
    file VARCHAR NOT NULL,
    areas INTEGER NOT NULL
);
