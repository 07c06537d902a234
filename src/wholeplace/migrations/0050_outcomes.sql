-- The outcomes framework and its data (issue 15). The framework is kept as the YAML text
-- imported (one row; each import replaces it, the audit log keeps each). Observations belong
-- to a dataset, which goes draft -> reviewed -> approved; every step is kept in
-- outcomes_assurance, and only approved datasets reach a public report.
CREATE TABLE outcomes_framework (
    text VARCHAR NOT NULL,
    file VARCHAR NOT NULL
);

CREATE TABLE outcomes_datasets (
    dataset VARCHAR PRIMARY KEY,
    file VARCHAR NOT NULL,
    status VARCHAR NOT NULL,      -- draft, reviewed or approved
    reviewed_by VARCHAR,
    approved_by VARCHAR,
    quality_exception VARCHAR     -- why a dataset below the quality threshold was approved
);

CREATE TABLE outcomes_observations (
    dataset VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    area VARCHAR NOT NULL,
    value VARCHAR NOT NULL,       -- the exact decimal as given
    numerator BIGINT,
    denominator BIGINT,
    note VARCHAR NOT NULL
);

CREATE TABLE outcomes_assurance (
    dataset VARCHAR NOT NULL,
    step INTEGER NOT NULL,        -- order within the dataset's history
    happened_at TIMESTAMP NOT NULL,
    action VARCHAR NOT NULL,      -- imported, reopened, reviewed, approved
    by_whom VARCHAR,
    note VARCHAR,
    status VARCHAR NOT NULL       -- the status after the step
);
