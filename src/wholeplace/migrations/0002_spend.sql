-- Spend lines as imported, and one row per import (partner x year x file).
CREATE SEQUENCE spend_import_seq START 1;
CREATE TABLE spend_imports (
    import_id BIGINT PRIMARY KEY DEFAULT nextval('spend_import_seq'),
    partner VARCHAR NOT NULL,
    year VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    total_gbp DECIMAL(18, 2) NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE spend_lines (
    import_id BIGINT NOT NULL,
    partner VARCHAR NOT NULL,
    year VARCHAR NOT NULL,
    service VARCHAR NOT NULL,          -- taxonomy code
    source_service VARCHAR NOT NULL,   -- the partner's own name or code, as imported
    subservice VARCHAR,
    area VARCHAR,
    customer_group VARCHAR,
    amount_gbp DECIMAL(18, 2) NOT NULL,
    counterparty VARCHAR,
    is_estimate BOOLEAN NOT NULL DEFAULT FALSE,
    estimate_method VARCHAR,
    source VARCHAR,
    source_row BIGINT
);
