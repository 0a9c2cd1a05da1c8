-- Referrals to directory services, and personalised autonomy plans with goals and steps.

CREATE TABLE referrals (
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL,
    case_id         BLOB NOT NULL,
    service_id      BLOB NOT NULL,
    need_ids        TEXT NOT NULL,
    status          TEXT NOT NULL,
    override_reason TEXT,
    feedback        TEXT,
    sent_by         BLOB NOT NULL,
    sent_at         TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX referrals_by_case ON referrals (tenant_id, case_id);

CREATE TABLE plan_goals (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    case_id     BLOB NOT NULL,
    title       TEXT NOT NULL,
    need_ids    TEXT NOT NULL,
    status      TEXT NOT NULL,
    review_on   TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX plan_goals_by_case ON plan_goals (tenant_id, case_id);

CREATE TABLE plan_steps (
    tenant_id   BLOB NOT NULL,
    id          BLOB NOT NULL,
    goal_id     BLOB NOT NULL,
    title       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_on      TEXT,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES plan_goals (tenant_id, id)
);
CREATE INDEX plan_steps_by_goal ON plan_steps (tenant_id, goal_id);
