-- Parameters as data: a place's own values for shipped parameters (see wholeplace.parameters).
-- One row per overridden parameter; every change is also in audit_log (parameters.set/reset).
CREATE TABLE parameter_overrides (
    name VARCHAR PRIMARY KEY,          -- e.g. discount_rate.green_book
    value_json VARCHAR NOT NULL,       -- {"YYYY-MM-DD": value}, rates as decimal strings
    reason VARCHAR NOT NULL,           -- why the place uses its own value
    set_at TIMESTAMP NOT NULL,
    set_by VARCHAR NOT NULL
);
