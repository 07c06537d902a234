-- The ALPS self-assessment (wholeplace.framework): the place's changes to the shipped
-- framework, its assessments and answers, the improvement plan, and the files linked as
-- evidence. Every write is also in audit_log (framework.*).

-- One row per change the place makes to the shipped framework; the place's version after
-- the change is `version` (1, 2, ...), written <id>/<edition>+<version>.
CREATE TABLE framework_changes (
    version INTEGER PRIMARY KEY,
    base VARCHAR NOT NULL,             -- the shipped framework changed, <id>/<edition>
    action VARCHAR NOT NULL,           -- add | edit | retire
    statement_id VARCHAR NOT NULL,
    statement_json VARCHAR NOT NULL,   -- the statement after the change
    reason VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);

-- An assessment keeps the framework it was started with, whole, so later changes to the
-- place's framework never change what its answers meant.
CREATE TABLE framework_assessments (
    name VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    framework_version VARCHAR NOT NULL,
    framework_json VARCHAR NOT NULL
);

CREATE TABLE framework_answers (
    assessment VARCHAR NOT NULL,
    partner VARCHAR NOT NULL,
    statement_id VARCHAR NOT NULL,
    answer VARCHAR NOT NULL,           -- met | partly | not_met | n/a
    evidence VARCHAR,                  -- a link or file name
    note VARCHAR,
    answered_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,           -- "command line", or the file imported
    PRIMARY KEY (assessment, partner, statement_id)
);

-- The improvement plan: who closes each gap, and by when (kept across assessments).
CREATE TABLE framework_plan (
    statement_id VARCHAR PRIMARY KEY,
    owner VARCHAR,
    due DATE,
    note VARCHAR
);

-- Appraisals and agreements linked as evidence; read again at every check.
CREATE TABLE framework_documents (
    kind VARCHAR NOT NULL,             -- appraisal | agreement | pool
    file VARCHAR NOT NULL,             -- absolute path
    sha256 VARCHAR NOT NULL,           -- when linked
    linked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, file)
);
