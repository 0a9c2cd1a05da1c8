-- On call (sportello_cases::service::oncall): linguistic-cultural mediation requested by
-- organisations the tenant works with (schools, social services, clinics) and legal
-- consultations asked by operators, answered by the tenant's mediators and legal advisors.

-- The tenant's activation and response targets, in minutes (one row per tenant, id = tenant).
CREATE TABLE oncall_settings (
    tenant_id                   BLOB NOT NULL,
    id                          BLOB NOT NULL,
    version                     INTEGER NOT NULL DEFAULT 1,
    urgent_activation_minutes   INTEGER NOT NULL,
    normal_activation_minutes   INTEGER NOT NULL,
    legal_response_minutes      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- A mediator's languages, territories and availability (id = the mediator's user id).
CREATE TABLE mediator_profiles (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    -- ISO 639-1 codes, comma-separated.
    languages       TEXT NOT NULL,
    -- Dialects or varieties as the mediator names them (free text, may be empty).
    dialects        TEXT NOT NULL,
    -- ISTAT codes the mediator works in, comma-separated; empty: every territory.
    territories     TEXT NOT NULL,
    available       INTEGER NOT NULL,
    max_active      INTEGER NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE requester_organisations (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    name            TEXT NOT NULL,
    -- SCHOOL, SOCIAL_SERVICE, CLINIC or OTHER.
    kind            TEXT NOT NULL,
    address         TEXT NOT NULL,
    territory_code  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- A requester account's organisation (id = the requester's user id).
CREATE TABLE requester_members (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES requester_organisations (tenant_id, id)
);

CREATE TABLE mediation_requests (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    organisation_id     BLOB,
    requested_by        BLOB NOT NULL,
    -- ISO 639-1 code of the language asked for, and the dialect or variety (may be empty).
    language            TEXT NOT NULL,
    dialect             TEXT NOT NULL,
    place_name          TEXT NOT NULL,
    address             TEXT NOT NULL,
    territory_code      TEXT NOT NULL,
    starts_at           TEXT NOT NULL,
    window_ends_at      TEXT NOT NULL,
    duration_minutes    INTEGER NOT NULL,
    -- ENROLMENT, PARENT_TEACHER_MEETING, SOCIAL_ASSESSMENT, HEALTH_VISIT or OTHER.
    purpose             TEXT NOT NULL,
    -- URGENT or NORMAL.
    urgency             TEXT NOT NULL,
    -- What the requester chose to share about the person (first name, age, class): shown to
    -- the mediator who is offered or holds the request, every read audited.
    shared_details      TEXT NOT NULL,
    -- OPEN, CONFIRMED, DONE, CLOSED or CANCELLED.
    status              TEXT NOT NULL,
    mediator_id         BLOB,
    confirmed_at        TEXT,
    report_minutes      INTEGER,
    report_outcome      TEXT,
    done_at             TEXT,
    closed_at           TEXT,
    cancelled_at        TEXT,
    -- REQUESTER, MEDIATOR or COORDINATOR.
    cancelled_by        TEXT,
    cancel_reason       TEXT,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX mediation_requests_organisation ON mediation_requests (tenant_id, organisation_id);
CREATE INDEX mediation_requests_mediator ON mediation_requests (tenant_id, mediator_id);

-- The mediators a request was offered to, and their answers.
CREATE TABLE mediation_offers (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    request_id      BLOB NOT NULL,
    mediator_id     BLOB NOT NULL,
    -- OFFERED, DECLINED, ACCEPTED or WITHDRAWN (another accepted, or the request ended).
    status          TEXT NOT NULL,
    offered_at      TEXT NOT NULL,
    answered_at     TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, request_id, mediator_id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES mediation_requests (tenant_id, id)
);

CREATE INDEX mediation_offers_mediator ON mediation_offers (tenant_id, mediator_id);

CREATE TABLE legal_consultations (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    asked_by        BLOB NOT NULL,
    case_id         BLOB,
    -- PERMIT, CITIZENSHIP, FAMILY_REUNIFICATION, ASYLUM, WORK or OTHER.
    category        TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    -- OPEN, TAKEN, ANSWERED or CLOSED.
    status          TEXT NOT NULL,
    advisor_id      BLOB,
    taken_at        TEXT,
    answered_at     TEXT,
    closed_at       TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX legal_consultations_case ON legal_consultations (tenant_id, case_id);

-- The question, answers and follow-ups of a consultation, in order.
CREATE TABLE legal_messages (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    consultation_id BLOB NOT NULL,
    author_id       BLOB NOT NULL,
    -- QUESTION, ANSWER or FOLLOW_UP.
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES legal_consultations (tenant_id, id)
);

CREATE INDEX legal_messages_consultation ON legal_messages (tenant_id, consultation_id, created_at);

-- Answered questions the advisor rewrote without personal data, for operators to search.
CREATE TABLE legal_knowledge (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    consultation_id BLOB,
    category        TEXT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    -- The question and answer folded (lower case, no accents) for search.
    search_text     TEXT NOT NULL,
    published_by    BLOB NOT NULL,
    published_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The deadline (a procedure's next_due_on) for which the person was reminded and the staff
-- member following it alerted, so that each coming deadline is notified once.
ALTER TABLE procedures ADD COLUMN notified_for TEXT;
