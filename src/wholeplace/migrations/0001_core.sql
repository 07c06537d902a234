-- The place itself: settings, the audit log, partners and areas.
CREATE TABLE settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE SEQUENCE audit_seq START 1;
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    happened_at TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    file VARCHAR,
    sha256 VARCHAR,
    rows BIGINT,
    detail VARCHAR
);

CREATE TABLE partners (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    "group" VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    population_served BIGINT
);

CREATE TABLE areas (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    population BIGINT
);

CREATE TABLE boundaries (
    code VARCHAR PRIMARY KEY,
    geometry VARCHAR NOT NULL  -- GeoJSON geometry of the area
);
