-- Housing: units with their rooms and beds, the waiting list and the tenant's priority rule, the
-- audit of rules and scores, placements with their stays on beds, the path to autonomy and the
-- follow-ups after exit. Every table has tenant_id leading its primary key.

CREATE TABLE units (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    ownership       TEXT NOT NULL,
    owner           TEXT NOT NULL,
    address         TEXT NOT NULL,
    territory_code  TEXT NOT NULL,
    accessible      INTEGER NOT NULL,
    shared_spaces   TEXT NOT NULL,
    house_rules     TEXT,
    state           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX units_by_territory ON units (tenant_id, territory_code, id);

CREATE TABLE rooms (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    unit_id     BLOB NOT NULL,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX rooms_by_unit ON rooms (tenant_id, unit_id, position);

CREATE TABLE beds (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    unit_id     BLOB NOT NULL,
    room_id     BLOB NOT NULL,
    label       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id)
);
CREATE INDEX beds_by_unit ON beds (tenant_id, unit_id, position);

CREATE TABLE priority_rules (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    version     INTEGER NOT NULL,
    rule        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    by_user     BLOB NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, version)
);

CREATE TABLE applications (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    household_id        BLOB NOT NULL,
    status              TEXT NOT NULL,
    applied_on          TEXT NOT NULL,
    minors              INTEGER NOT NULL,
    eviction_notice_on  TEXT,
    income_band         TEXT NOT NULL,
    -- The health-or-disability fact, sealed (AES-256-GCM) under a data key of its own, wrapped
    -- under the tenant's key-encryption key of version key_version.
    health_sealed       BLOB NOT NULL,
    wrapped_key         BLOB NOT NULL,
    key_version         INTEGER NOT NULL,
    note                TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX applications_one_open_per_household ON applications (tenant_id, household_id)
    WHERE status IN ('WAITING', 'PLACED');
CREATE INDEX applications_by_status ON applications (tenant_id, status, id);

CREATE TABLE score_changes (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    application_id  BLOB NOT NULL,
    cause           TEXT NOT NULL,
    before_score    INTEGER,
    after_score     INTEGER NOT NULL,
    rule_version    INTEGER NOT NULL,
    by_user         BLOB,
    at              TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id)
);
CREATE INDEX score_changes_by_application ON score_changes (tenant_id, application_id, at);

CREATE TABLE placements (
    tenant_id                   BLOB NOT NULL,
    id                          BLOB NOT NULL,
    household_id                BLOB NOT NULL,
    application_id              BLOB,
    unit_id                     BLOB NOT NULL,
    bed_ids                     TEXT NOT NULL,
    starts_on                   TEXT NOT NULL,
    planned_end_on              TEXT NOT NULL,
    monthly_contribution_cents  INTEGER NOT NULL,
    deposit_cents               INTEGER NOT NULL,
    rules_signed_on             TEXT,
    responsible_user_id         BLOB NOT NULL,
    exit_on                     TEXT,
    exit_destination            TEXT,
    autonomy_reached            INTEGER,
    extensions                  TEXT NOT NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    version                     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id),
    CHECK (planned_end_on > starts_on)
);
CREATE INDEX placements_by_unit ON placements (tenant_id, unit_id, id);
CREATE INDEX placements_by_household ON placements (tenant_id, household_id, id);

-- One stay per bed and night: the triggers below refuse a stay whose days overlap another's on
-- the same bed (SQLite has one writer, so the check and the write cannot interleave).
CREATE TABLE bed_stays (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    placement_id    BLOB NOT NULL,
    unit_id         BLOB NOT NULL,
    bed_id          BLOB NOT NULL,
    household_id    BLOB NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
    FOREIGN KEY (tenant_id, bed_id) REFERENCES beds (tenant_id, id),
    CHECK (ends_on > starts_on)
);
CREATE INDEX bed_stays_by_placement ON bed_stays (tenant_id, placement_id);
CREATE INDEX bed_stays_by_unit ON bed_stays (tenant_id, unit_id, starts_on);

CREATE TABLE milestones (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    placement_id    BLOB NOT NULL,
    kind            TEXT NOT NULL,
    reached_on      TEXT NOT NULL,
    case_id         BLOB,
    goal_id         BLOB,
    note            TEXT,
    recorded_by     BLOB NOT NULL,
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id)
);
CREATE INDEX milestones_by_placement ON milestones (tenant_id, placement_id, reached_on);

CREATE TABLE follow_ups (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    placement_id        BLOB NOT NULL,
    household_id        BLOB NOT NULL,
    months              INTEGER NOT NULL,
    due_on              TEXT NOT NULL,
    responsible_user_id BLOB NOT NULL,
    recorded_on         TEXT,
    still_housed        INTEGER,
    destination         TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
    UNIQUE (tenant_id, placement_id, months)
);
CREATE INDEX follow_ups_by_due ON follow_ups (tenant_id, due_on, id);

CREATE TRIGGER bed_stays_no_overlap_insert BEFORE INSERT ON bed_stays
WHEN EXISTS (SELECT 1 FROM bed_stays s WHERE s.tenant_id = NEW.tenant_id AND s.bed_id = NEW.bed_id
             AND s.starts_on < NEW.ends_on AND NEW.starts_on < s.ends_on)
BEGIN
    SELECT RAISE(ABORT, 'bed_stays_no_overlap');
END;

CREATE TRIGGER bed_stays_no_overlap_update BEFORE UPDATE OF starts_on, ends_on, bed_id ON bed_stays
WHEN EXISTS (SELECT 1 FROM bed_stays s WHERE s.tenant_id = NEW.tenant_id AND s.bed_id = NEW.bed_id
             AND s.id <> NEW.id AND s.starts_on < NEW.ends_on AND NEW.starts_on < s.ends_on)
BEGIN
    SELECT RAISE(ABORT, 'bed_stays_no_overlap');
END;
