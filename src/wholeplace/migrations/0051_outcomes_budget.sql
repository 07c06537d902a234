-- The budget profile against actuals (issue 15): each intervention's budget by month and the
-- actual spend by month (NULL: not spent yet). Each import replaces every row.
CREATE TABLE outcomes_budget (
    intervention VARCHAR NOT NULL,
    month VARCHAR NOT NULL,       -- YYYY-MM
    budget DECIMAL(18,2) NOT NULL,
    actual DECIMAL(18,2),
    file VARCHAR NOT NULL,
    PRIMARY KEY (intervention, month)
);
