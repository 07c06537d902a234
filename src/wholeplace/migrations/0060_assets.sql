-- The shared asset register (issue 16): every partner's buildings and land in one layout
-- (docs/assets.md). Importing a partner's register replaces that partner's rows; the audit
-- log keeps each import.
CREATE TABLE assets (
    partner VARCHAR NOT NULL,
    ref VARCHAR NOT NULL,          -- the partner's asset reference, else the UPRN, else "row N"
    row_number INTEGER NOT NULL,   -- the row of the file it came from
    uprn VARCHAR,
    name VARCHAR NOT NULL,
    address VARCHAR NOT NULL,
    postcode VARCHAR NOT NULL,
    easting DECIMAL(9, 0),         -- British National Grid metres
    northing DECIMAL(9, 0),
    longitude DECIMAL(10, 6),      -- WGS 84 degrees
    latitude DECIMAL(10, 6),
    tenure VARCHAR NOT NULL,
    use VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    gia_m2 DECIMAL(12, 2),
    cost_energy DECIMAL(18, 2),
    cost_rates DECIMAL(18, 2),
    cost_maintenance DECIMAL(18, 2),
    cost_other DECIMAL(18, 2),
    cost_total DECIMAL(18, 2),
    utilisation DECIMAL(5, 1),     -- per cent of the space in use
    condition VARCHAR,             -- A to D
    backlog DECIMAL(18, 2),
    lease_end DATE,
    surplus BOOLEAN NOT NULL,
    areas VARCHAR NOT NULL,        -- JSON list of the codes of the place's areas holding it
    file VARCHAR NOT NULL,
    PRIMARY KEY (partner, ref)
);
