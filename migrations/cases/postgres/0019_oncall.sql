-- On call (sportello_cases::service::oncall): linguistic-cultural mediation requested by
-- organisations the tenant works with (schools, social services, clinics) and legal
-- consultations asked by operators, answered by the tenant's mediators and legal advisors.

-- The tenant's activation and response targets, in minutes (one row per tenant, id = tenant).
CREATE TABLE oncall_settings (
    tenant_id                   uuid NOT NULL,
    id                          uuid NOT NULL,
    version                     integer NOT NULL DEFAULT 1,
    urgent_activation_minutes   integer NOT NULL,
    normal_activation_minutes   integer NOT NULL,
    legal_response_minutes      integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- A mediator's languages, territories and availability (id = the mediator's user id).
CREATE TABLE mediator_profiles (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    -- ISO 639-1 codes, comma-separated.
    languages       text NOT NULL,
    -- Dialects or varieties as the mediator names them (free text, may be empty).
    dialects        text NOT NULL,
    -- ISTAT codes the mediator works in, comma-separated; empty: every territory.
    territories     text NOT NULL,
    available       boolean NOT NULL,
    max_active      integer NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE requester_organisations (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    name            text NOT NULL,
    -- SCHOOL, SOCIAL_SERVICE, CLINIC or OTHER.
    kind            text NOT NULL,
    address         text NOT NULL,
    territory_code  text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- A requester account's organisation (id = the requester's user id).
CREATE TABLE requester_members (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    organisation_id uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES requester_organisations (tenant_id, id)
);

CREATE TABLE mediation_requests (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    version             integer NOT NULL DEFAULT 1,
    organisation_id     uuid,
    requested_by        uuid NOT NULL,
    -- ISO 639-1 code of the language asked for, and the dialect or variety (may be empty).
    language            text NOT NULL,
    dialect             text NOT NULL,
    place_name          text NOT NULL,
    address             text NOT NULL,
    territory_code      text NOT NULL,
    starts_at           timestamptz NOT NULL,
    window_ends_at      timestamptz NOT NULL,
    duration_minutes    integer NOT NULL,
    -- ENROLMENT, PARENT_TEACHER_MEETING, SOCIAL_ASSESSMENT, HEALTH_VISIT or OTHER.
    purpose             text NOT NULL,
    -- URGENT or NORMAL.
    urgency             text NOT NULL,
    -- What the requester chose to share about the person (first name, age, class): shown to
    -- the mediator who is offered or holds the request, every read audited.
    shared_details      text NOT NULL,
    -- OPEN, CONFIRMED, DONE, CLOSED or CANCELLED.
    status              text NOT NULL,
    mediator_id         uuid,
    confirmed_at        timestamptz,
    report_minutes      integer,
    report_outcome      text,
    done_at             timestamptz,
    closed_at           timestamptz,
    cancelled_at        timestamptz,
    -- REQUESTER, MEDIATOR or COORDINATOR.
    cancelled_by        text,
    cancel_reason       text,
    created_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX mediation_requests_organisation ON mediation_requests (tenant_id, organisation_id);
CREATE INDEX mediation_requests_mediator ON mediation_requests (tenant_id, mediator_id);

-- The mediators a request was offered to, and their answers.
CREATE TABLE mediation_offers (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    request_id      uuid NOT NULL,
    mediator_id     uuid NOT NULL,
    -- OFFERED, DECLINED, ACCEPTED or WITHDRAWN (another accepted, or the request ended).
    status          text NOT NULL,
    offered_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, request_id, mediator_id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES mediation_requests (tenant_id, id)
);

CREATE INDEX mediation_offers_mediator ON mediation_offers (tenant_id, mediator_id);

CREATE TABLE legal_consultations (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    asked_by        uuid NOT NULL,
    case_id         uuid,
    -- PERMIT, CITIZENSHIP, FAMILY_REUNIFICATION, ASYLUM, WORK or OTHER.
    category        text NOT NULL,
    urgency         text NOT NULL,
    -- OPEN, TAKEN, ANSWERED or CLOSED.
    status          text NOT NULL,
    advisor_id      uuid,
    taken_at        timestamptz,
    answered_at     timestamptz,
    closed_at       timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX legal_consultations_case ON legal_consultations (tenant_id, case_id);

-- The question, answers and follow-ups of a consultation, in order.
CREATE TABLE legal_messages (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    consultation_id uuid NOT NULL,
    author_id       uuid NOT NULL,
    -- QUESTION, ANSWER or FOLLOW_UP.
    kind            text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES legal_consultations (tenant_id, id)
);

CREATE INDEX legal_messages_consultation ON legal_messages (tenant_id, consultation_id, created_at);

-- Answered questions the advisor rewrote without personal data, for operators to search.
CREATE TABLE legal_knowledge (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    consultation_id uuid,
    category        text NOT NULL,
    question        text NOT NULL,
    answer          text NOT NULL,
    -- The question and answer folded (lower case, no accents) for search.
    search_text     text NOT NULL,
    published_by    uuid NOT NULL,
    published_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['oncall_settings', 'mediator_profiles', 'requester_organisations',
                             'requester_members', 'mediation_requests', 'mediation_offers',
                             'legal_consultations', 'legal_messages', 'legal_knowledge'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;

-- The deadline (a procedure's next_due_on) for which the person was reminded and the staff
-- member following it alerted, so that each coming deadline is notified once.
ALTER TABLE procedures ADD COLUMN notified_for date;
-- The reminder task finds the tenants with procedures to notify (app.scope = 'reminders',
-- SELECT only), as it does for appointments.
CREATE POLICY reminders ON procedures FOR SELECT
    USING (current_setting('app.scope', true) = 'reminders');
