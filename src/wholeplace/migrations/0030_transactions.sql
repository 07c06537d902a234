-- Transaction-level spend ("spend over £500" files) and the files they came from.
CREATE SEQUENCE transaction_file_seq START 1;
CREATE TABLE transaction_files (
    file_id BIGINT PRIMARY KEY DEFAULT nextval('transaction_file_seq'),
    partner VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,   -- order-independent hash of the rows: same rows, same print
    rows BIGINT NOT NULL,
    total_gbp DECIMAL(18, 2) NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

-- No primary key or index: this table holds hundreds of millions of rows.
CREATE TABLE transactions (
    file_id BIGINT NOT NULL,
    partner VARCHAR NOT NULL,
    year VARCHAR NOT NULL,           -- financial year of paid_on, e.g. 2024/25
    paid_on DATE NOT NULL,
    amount_gbp DECIMAL(18, 2) NOT NULL,  -- negative for credits
    supplier VARCHAR,
    supplier_key VARCHAR,            -- supplier name normalised for matching across partners
    department VARCHAR,
    service_area VARCHAR,
    expense_type VARCHAR,
    description VARCHAR,
    reference VARCHAR,
    service VARCHAR NOT NULL,        -- taxonomy code (OTH when unmapped)
    mapped BOOLEAN NOT NULL,
    customer_group VARCHAR,
    area VARCHAR,
    counterparty VARCHAR,            -- a partner of the place, when the supplier is one
    sheet VARCHAR,
    source_row BIGINT
);
