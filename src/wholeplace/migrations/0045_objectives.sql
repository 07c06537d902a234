-- The partners' policy objectives and the customer groups they serve (issue 14).
-- Customer groups are the ones the spend map names: spend lines carry a customer_group label,
-- and spend_labels lists the labels of a group as spend files write them.
CREATE TABLE customer_groups (
    name VARCHAR PRIMARY KEY,
    description VARCHAR,
    spend_labels VARCHAR[] NOT NULL
);

-- One row per objective; re-importing a partner's objectives replaces them.
CREATE TABLE objectives (
    partner VARCHAR NOT NULL,
    objective VARCHAR NOT NULL,
    customer_group VARCHAR NOT NULL,   -- customer_groups.name
    outcome VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,        -- increase, reduce or maintain
    target VARCHAR,
    measure VARCHAR NOT NULL,
    resource VARCHAR,                  -- a scarce resource the objective draws on, if stated
    file VARCHAR NOT NULL,
    sheet VARCHAR,
    source_row BIGINT NOT NULL
);
