-- Password resets by e-mail: a single-use token (only its SHA-256 is stored) valid for a short
-- time. A user's newer request replaces the older ones (they are marked used).
CREATE TABLE password_resets (
    id          BLOB PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
