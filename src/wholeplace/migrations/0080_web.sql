-- The web application's users and their sessions (docs/web.md).
-- password: scrypt, as "scrypt$n$r$p$salt_hex$hash_hex"; role: administrator, partner analyst,
-- partnership member, board viewer; partner: the partner an analyst works for.
CREATE TABLE web_users (
    username VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    partner VARCHAR,
    password VARCHAR NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

-- Server-side sessions: the cookie holds a random token; only its sha256 is stored.
CREATE TABLE web_sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    csrf VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
