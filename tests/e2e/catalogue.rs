//! The second wall on PostgreSQL: every tenant table has row-level security enabled and forced with
//! a policy; requests are served by a role that is neither owner nor superuser; with no tenant set
//! a query sees nothing; a pooled connection never carries one tenant's setting into the next.

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait,
};

use crate::helpers::{Backend, Topology, spawn_alfa_and_beta};

async fn strings(conn: &impl ConnectionTrait, sql: &str) -> Vec<Vec<String>> {
    let rows = conn
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect(sql);
    rows.iter()
        .map(|row| {
            (0..row.column_names().len())
                .map(|i| {
                    row.try_get_by_index::<Option<String>>(i)
                        .expect("text column")
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

async fn one(conn: &impl ConnectionTrait, sql: &str) -> String {
    strings(conn, sql)
        .await
        .first()
        .and_then(|r| r.first().cloned())
        .unwrap_or_default()
}

async fn set_tenant(conn: &impl ConnectionTrait, tenant: &str) {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config('app.tenant_id', $1, true)",
        [tenant.to_owned().into()],
    ))
    .await
    .expect("set tenant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_guards_every_tenant_table_on_postgres() {
    let (app, a, b) = spawn_alfa_and_beta(Backend::Postgres, Topology::AllInOne).await;
    let owner_url = app.config.database_url.clone().expect("database url");
    let mut owner_options = ConnectOptions::new(owner_url.clone());
    owner_options.max_connections(1);
    let owner = Database::connect(owner_options)
        .await
        .expect("owner connection");

    // Every table with a tenant_id column: RLS enabled, forced, and at least one policy.
    let tables = strings(
        &owner,
        "SELECT n.nspname || '.' || c.relname, c.relrowsecurity::text, c.relforcerowsecurity::text,
                (SELECT count(*) FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname)::text
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute att ON att.attrelid = c.oid AND att.attname = 'tenant_id' AND NOT att.attisdropped
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         ORDER BY 1",
    )
    .await;
    // In byte order, whatever the database's collation.
    let mut names: Vec<&str> = tables.iter().map(|t| t[0].as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "analytics.activity_facts",
            "analytics.cell_members",
            "analytics.cells",
            "analytics.erased_people",
            "analytics.facts",
            "analytics.processed_events",
            "analytics.statistics_consent",
            "analytics.targets",
            "cases.appointments",
            "cases.audit_heads",
            "cases.audit_log",
            "cases.audit_pending",
            "cases.cases",
            "cases.consents",
            "cases.encounters",
            "cases.households",
            "cases.interventions",
            "cases.legal_consultations",
            "cases.legal_knowledge",
            "cases.legal_messages",
            "cases.mediation_offers",
            "cases.mediation_requests",
            "cases.mediator_profiles",
            "cases.messages",
            "cases.need_types",
            "cases.needs",
            "cases.oncall_settings",
            "cases.outbox",
            "cases.outcome_offers",
            "cases.person_keys",
            "cases.person_name_keys",
            "cases.persons",
            "cases.plan_goals",
            "cases.plan_steps",
            "cases.procedure_types",
            "cases.procedures",
            "cases.referrals",
            "cases.requester_members",
            "cases.requester_organisations",
            "cases.tenant_keys",
            "housing.applications",
            "housing.bed_stays",
            "housing.beds",
            "housing.follow_ups",
            "housing.milestones",
            "housing.outbox",
            "housing.placements",
            "housing.priority_rules",
            "housing.rooms",
            "housing.score_changes",
            "housing.units",
            "tenancy.api_token_uses",
            "tenancy.api_tokens",
            "tenancy.desks",
            "tenancy.directory_services",
            "tenancy.invitations",
            "tenancy.memberships",
            "tenancy.messages",
            "tenancy.oidc_providers",
            "tenancy.organizations",
            "tenancy.places",
            "tenancy.pseudonym_keys",
            "tenancy.territories",
            "volunteers.attendances",
            "volunteers.certificates",
            "volunteers.course_sessions",
            "volunteers.courses",
            "volunteers.enrolments",
            "volunteers.outbox",
            "volunteers.pact_reports",
            "volunteers.pact_status_changes",
            "volunteers.pacts",
            "volunteers.skills",
            "volunteers.task_offers",
            "volunteers.volunteer_delegations",
            "volunteers.volunteer_hours",
            "volunteers.volunteer_status_changes",
            "volunteers.volunteer_tasks",
            "volunteers.volunteers",
        ]
    );
    for t in &tables {
        assert_eq!(
            (t[1].as_str(), t[2].as_str()),
            ("true", "true"),
            "{} lacks enabled+forced RLS",
            t[0]
        );
        assert!(
            t[3].parse::<u32>().unwrap_or(0) >= 1,
            "{} has no policy",
            t[0]
        );
    }

    // The serving role is neither superuser nor owner, cannot bypass RLS, and is the only role
    // the running server is connected as.
    let role = strings(
        &owner,
        "SELECT rolsuper::text, rolbypassrls::text FROM pg_roles WHERE rolname = 'sportello_app'",
    )
    .await;
    assert_eq!(role, vec![vec!["false".to_owned(), "false".to_owned()]]);
    assert_eq!(
        one(
            &owner,
            "SELECT count(*)::text FROM pg_tables WHERE tableowner = 'sportello_app'"
        )
        .await,
        "0"
    );
    let users = strings(
        &owner,
        "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .await;
    assert_eq!(users, vec![vec!["sportello_app".to_owned()]]);

    // As the serving role, one pooled connection: no tenant set → no rows at all.
    let mut app_url: reqwest::Url = owner_url.parse().expect("url");
    app_url.set_username("sportello_app").expect("user");
    let mut options = ConnectOptions::new(app_url.to_string());
    options
        .max_connections(1)
        .min_connections(1)
        .set_schema_search_path("tenancy");
    let pooled: DatabaseConnection = Database::connect(options).await.expect("app connection");
    assert_eq!(
        one(&owner, "SELECT count(*)::text FROM tenancy.territories").await,
        "2"
    );
    for table in [
        "territories",
        "desks",
        "places",
        "memberships",
        "invitations",
    ] {
        assert_eq!(
            one(&pooled, &format!("SELECT count(*)::text FROM {table}")).await,
            "0",
            "{table} leaks without a tenant"
        );
    }

    let tenant_uuid = |global: &str| {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(global)
            .expect("id");
        String::from_utf8(raw)
            .expect("utf-8")
            .split_once(':')
            .expect("kind")
            .1
            .to_owned()
    };
    let (ta, tb) = (tenant_uuid(&a.tenant_id), tenant_uuid(&b.tenant_id));

    // Tenant A, then tenant B, on the same pooled connection.
    let tx = pooled.begin().await.expect("begin");
    set_tenant(&tx, &ta).await;
    assert_eq!(
        strings(&tx, "SELECT istat_code FROM territories").await,
        vec![vec!["052022".to_owned()]]
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        one(
            &pooled,
            "SELECT coalesce(current_setting('app.tenant_id', true), '')"
        )
        .await,
        ""
    );
    assert_eq!(
        one(&pooled, "SELECT count(*)::text FROM territories").await,
        "0"
    );
    let tx = pooled.begin().await.expect("begin");
    set_tenant(&tx, &tb).await;
    assert_eq!(
        strings(&tx, "SELECT istat_code FROM territories").await,
        vec![vec!["048017".to_owned()]]
    );
    // Writing into another tenant is refused by the policy's check.
    let forged = tx
        .execute_unprepared(&format!(
            "INSERT INTO territories (tenant_id, id, istat_code, name, created_at) VALUES ('{ta}', gen_random_uuid(), '052012', 'x', now())"
        ))
        .await;
    assert!(forged.is_err(), "inserted a row for another tenant");
    tx.rollback().await.expect("rollback");
    // A rolled-back transaction leaves nothing behind either.
    assert_eq!(
        one(&pooled, "SELECT count(*)::text FROM territories").await,
        "0"
    );
    pooled.close().await.ok();
    owner.close().await.ok();
}
