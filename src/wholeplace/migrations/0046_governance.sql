-- The partnership's governance register (issue 14): delivery models, boards, data flows,
-- information-sharing agreements and risks, as imported from one YAML file. Importing a
-- register replaces the one before; the audit log keeps each import. Each item is kept as the
-- JSON that `wholeplace governance report --json` prints under its section.
CREATE TABLE governance_items (
    section VARCHAR NOT NULL,   -- delivery_models, boards, data_flows, agreements or risks
    position INTEGER NOT NULL,  -- order in the file
    item_id VARCHAR,            -- the item's id (the service of a delivery model)
    item VARCHAR NOT NULL,      -- JSON
    file VARCHAR NOT NULL
);
