-- The appraisal outcome lines an outcome links to (issue 15): each line's value as the
-- appraisal gave it when the framework was imported (appraisals are files, not kept in the
-- place). Each framework import replaces every row.
CREATE TABLE outcomes_appraisal_lines (
    outcome VARCHAR NOT NULL,
    appraisal VARCHAR NOT NULL,     -- the file as the framework names it
    line VARCHAR NOT NULL,          -- the outcome line's description in the appraisal
    appraisal_name VARCHAR NOT NULL,
    price_year VARCHAR NOT NULL,
    net_outcomes VARCHAR NOT NULL,  -- exact decimal, summed over the appraisal's years
    present_value DECIMAL(18,2) NOT NULL,
    PRIMARY KEY (outcome, appraisal, line)
);
