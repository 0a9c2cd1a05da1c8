-- Housing: units with their rooms and beds, the waiting list and the tenant's priority rule, the
-- audit of rules and scores, placements with their stays on beds, the path to autonomy and the
-- follow-ups after exit. Runs inside the service's own schema. Every table has tenant_id leading
-- its primary key, and row-level security enabled and forced with a policy on the
-- transaction-local setting app.tenant_id; a missing setting matches no row.

-- Equality on uuid inside a GiST exclusion constraint (bed_stays below).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE units (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL,
    ownership       text NOT NULL,
    owner           text NOT NULL,
    address         text NOT NULL,
    territory_code  text NOT NULL,
    accessible      boolean NOT NULL,
    shared_spaces   text NOT NULL,
    house_rules     text,
    state           text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX units_by_territory ON units (tenant_id, territory_code, id);

CREATE TABLE rooms (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    unit_id     uuid NOT NULL,
    name        text NOT NULL,
    position    integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX rooms_by_unit ON rooms (tenant_id, unit_id, position);

CREATE TABLE beds (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    unit_id     uuid NOT NULL,
    room_id     uuid NOT NULL,
    label       text NOT NULL,
    position    integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id)
);
CREATE INDEX beds_by_unit ON beds (tenant_id, unit_id, position);

CREATE TABLE priority_rules (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    version     integer NOT NULL,
    rule        text NOT NULL,
    reason      text NOT NULL,
    by_user     uuid NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, version)
);

CREATE TABLE applications (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    household_id        uuid NOT NULL,
    status              text NOT NULL,
    applied_on          date NOT NULL,
    minors              integer NOT NULL,
    eviction_notice_on  date,
    income_band         text NOT NULL,
    -- The health-or-disability fact, sealed (AES-256-GCM) under a data key of its own, wrapped
    -- under the tenant's key-encryption key of version key_version.
    health_sealed       bytea NOT NULL,
    wrapped_key         bytea NOT NULL,
    key_version         integer NOT NULL,
    note                text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX applications_one_open_per_household ON applications (tenant_id, household_id)
    WHERE status IN ('WAITING', 'PLACED');
CREATE INDEX applications_by_status ON applications (tenant_id, status, id);

CREATE TABLE score_changes (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    application_id  uuid NOT NULL,
    cause           text NOT NULL,
    before_score    integer,
    after_score     integer NOT NULL,
    rule_version    integer NOT NULL,
    by_user         uuid,
    at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id)
);
CREATE INDEX score_changes_by_application ON score_changes (tenant_id, application_id, at);

CREATE TABLE placements (
    tenant_id                   uuid NOT NULL,
    id                          uuid NOT NULL,
    household_id                uuid NOT NULL,
    application_id              uuid,
    unit_id                     uuid NOT NULL,
    bed_ids                     text NOT NULL,
    starts_on                   date NOT NULL,
    planned_end_on              date NOT NULL,
    monthly_contribution_cents  bigint NOT NULL,
    deposit_cents               bigint NOT NULL,
    rules_signed_on             date,
    responsible_user_id         uuid NOT NULL,
    exit_on                     date,
    exit_destination            text,
    autonomy_reached            boolean,
    extensions                  text NOT NULL,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    version                     integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id),
    CHECK (planned_end_on > starts_on)
);
CREATE INDEX placements_by_unit ON placements (tenant_id, unit_id, id);
CREATE INDEX placements_by_household ON placements (tenant_id, household_id, id);

-- One stay per bed and night: the database refuses a stay whose days overlap another's on the
-- same bed, whatever the requests racing (23P01, exclusion_violation).
CREATE TABLE bed_stays (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    placement_id    uuid NOT NULL,
    unit_id         uuid NOT NULL,
    bed_id          uuid NOT NULL,
    household_id    uuid NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
    FOREIGN KEY (tenant_id, bed_id) REFERENCES beds (tenant_id, id),
    CHECK (ends_on > starts_on),
    CONSTRAINT bed_stays_no_overlap EXCLUDE USING gist (
        tenant_id WITH =, bed_id WITH =, daterange(starts_on, ends_on) WITH &&
    )
);
CREATE INDEX bed_stays_by_placement ON bed_stays (tenant_id, placement_id);
CREATE INDEX bed_stays_by_unit ON bed_stays (tenant_id, unit_id, starts_on);

CREATE TABLE milestones (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    placement_id    uuid NOT NULL,
    kind            text NOT NULL,
    reached_on      date NOT NULL,
    case_id         uuid,
    goal_id         uuid,
    note            text,
    recorded_by     uuid NOT NULL,
    recorded_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id)
);
CREATE INDEX milestones_by_placement ON milestones (tenant_id, placement_id, reached_on);

CREATE TABLE follow_ups (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    placement_id        uuid NOT NULL,
    household_id        uuid NOT NULL,
    months              integer NOT NULL,
    due_on              date NOT NULL,
    responsible_user_id uuid NOT NULL,
    recorded_on         date,
    still_housed        boolean,
    destination         text,
    version             integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
    UNIQUE (tenant_id, placement_id, months)
);
CREATE INDEX follow_ups_by_due ON follow_ups (tenant_id, due_on, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['units', 'rooms', 'beds', 'priority_rules', 'applications',
                             'score_changes', 'placements', 'bed_stays', 'milestones',
                             'follow_ups'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;
