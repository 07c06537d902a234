-- Publishing (docs/web.md "Publishing"): releases, their versions and pre-release access lists,
-- and sign-in failures counted by address.
--
-- From this migration on, web_users.password holds an argon2id hash ("$argon2id$...", as
-- argon2-cffi writes it); a scrypt hash of 0080 still verifies and is replaced on the next
-- successful sign-in.
CREATE TABLE web_releases (
    id VARCHAR PRIMARY KEY,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One row per version. A version whose publish_at (UTC) has passed is published, and the
-- service refuses every change to it: a correction is a new version with a note.
-- content: the figures as they were when the version was last prepared (JSON), so a
-- published version never changes when the place's data does.
CREATE TABLE web_release_versions (
    release_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    year VARCHAR NOT NULL,
    items VARCHAR NOT NULL,
    content VARCHAR NOT NULL,
    note VARCHAR,
    publish_on DATE,
    publish_at TIMESTAMP,
    prepared_by VARCHAR NOT NULL,
    prepared_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP,
    PRIMARY KEY (release_id, version)
);

-- Who may read a scheduled version in the pre-release window (usernames of web_users).
CREATE TABLE web_release_access (
    release_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    username VARCHAR NOT NULL,
    PRIMARY KEY (release_id, version, username)
);

-- Failed sign-ins from one address within the current window, and the time until which
-- that address may not sign in at all.
CREATE TABLE web_login_addresses (
    ip VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failure TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
