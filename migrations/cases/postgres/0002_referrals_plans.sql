-- Referrals to directory services, and personalised autonomy plans with goals and steps.

CREATE TABLE referrals (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    case_id         uuid NOT NULL,
    service_id      uuid NOT NULL,
    need_ids        text NOT NULL,
    status          text NOT NULL,
    override_reason text,
    feedback        text,
    sent_by         uuid NOT NULL,
    sent_at         timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX referrals_by_case ON referrals (tenant_id, case_id);

CREATE TABLE plan_goals (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    case_id     uuid NOT NULL,
    title       text NOT NULL,
    need_ids    text NOT NULL,
    status      text NOT NULL,
    review_on   date,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX plan_goals_by_case ON plan_goals (tenant_id, case_id);

CREATE TABLE plan_steps (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    goal_id     uuid NOT NULL,
    title       text NOT NULL,
    owner       text NOT NULL,
    due_on      date,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES plan_goals (tenant_id, id)
);
CREATE INDEX plan_steps_by_goal ON plan_steps (tenant_id, goal_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['referrals', 'plan_goals', 'plan_steps'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
