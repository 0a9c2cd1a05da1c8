//! The audit log's tamper evidence across the sealer: what `sportello audit verify` names in the
//! sealed chain, what the window before sealing allows, and that reads of one tenant do not wait
//! for its chain.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::cases::{audit_verify, rows, story};
use crate::helpers::{Backend, Topology, literal, operators, spawn_alfa_and_beta, uuid_of};
use crate::on_backends;

const READ_PERSON: &str = "query($id: ID!) { node(id: $id) { ... on Person { givenNames } } }";

/// Runs one statement as an attacker with the owner's access would: past the triggers that keep
/// the log append-only.
async fn tamper(conn: &DatabaseConnection, backend: Backend, sql: &str) {
    let batch = match backend {
        Backend::Sqlite => format!(
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; {sql};"
        ),
        // One batch, so the setting and the statement share a connection.
        Backend::Postgres => {
            format!("BEGIN; SET LOCAL session_replication_role = replica; {sql}; COMMIT;")
        }
    };
    conn.execute_unprepared(&batch).await.expect("tamper");
}

/// An entry added past the head, an entry altered and an entry deleted are each named, in the
/// tenant whose chain they broke; the other tenant's chain still verifies.
async fn verify_names_an_inserted_an_altered_and_a_deleted_sealed_entry(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let t = story(&op_b, "Olena", "Kovalenko", "048017").await;
    op_a.ok(READ_PERSON, json!({ "id": s.person })).await;
    op_b.ok(READ_PERSON, json!({ "id": t.person })).await;
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
    assert!(report.contains("2 tenants"), "{report}");
    let (conn, schema) = app.store_owner(backend, "cases").await;
    let (ta, tb) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));
    let (la, lb) = (literal(backend, ta), literal(backend, tb));
    let head = |tenant: String| {
        let (conn, schema) = (conn.clone(), schema.clone());
        async move {
            rows(
                &conn,
                &format!(
                    "SELECT CAST(seq AS TEXT) FROM {schema}audit_heads WHERE tenant_id = {tenant}"
                ),
            )
            .await
            .join("")
            .parse::<i64>()
            .expect("head")
        }
    };
    let (head_a, head_b) = (head(la.clone()).await, head(lb.clone()).await);
    assert!(head_a >= 3 && head_b >= 3, "{head_a} {head_b}");

    // Inserted: a copy of alfa's last entry, linked to it, one past the head.
    tamper(
        &conn,
        backend,
        &format!(
            "INSERT INTO {schema}audit_log \
             (tenant_id, seq, at, actor, action, object_type, object_id, fields, prev_hash, hash) \
             SELECT tenant_id, seq + 1, at, actor, action, object_type, object_id, fields, hash, hash \
             FROM {schema}audit_log WHERE tenant_id = {la} AND seq = {head_a}"
        ),
    )
    .await;
    let (ok, report) = audit_verify(&app);
    assert!(!ok, "verification passed after an insertion: {report}");
    assert!(
        report.contains(&format!(
            "tenant {ta}: audit entry {} inserted after the chain's head",
            head_a + 1
        )),
        "{report}"
    );
    assert!(!report.contains(&tb.to_string()), "{report}");
    tamper(
        &conn,
        backend,
        &format!(
            "DELETE FROM {schema}audit_log WHERE tenant_id = {la} AND seq = {}",
            head_a + 1
        ),
    )
    .await;
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");

    // Altered in alfa, deleted in beta: each named in its own tenant.
    tamper(
        &conn,
        backend,
        &format!(
            "UPDATE {schema}audit_log SET fields = 'names' WHERE tenant_id = {la} AND seq = 2"
        ),
    )
    .await;
    tamper(
        &conn,
        backend,
        &format!("DELETE FROM {schema}audit_log WHERE tenant_id = {lb} AND seq = 2"),
    )
    .await;
    let (ok, report) = audit_verify(&app);
    assert!(!ok, "verification passed after tampering: {report}");
    assert!(
        report.contains(&format!("tenant {ta}: audit entry 2 altered")),
        "{report}"
    );
    assert!(
        report.contains(&format!("tenant {tb}: audit entry 2 entry missing")),
        "{report}"
    );
}

on_backends!(verify_names_an_inserted_an_altered_and_a_deleted_sealed_entry);

/// While a transaction holds alfa's audit head (as a sealer does), alfa's reads still complete:
/// their entries wait, unsealed, and the sealer chains them once the head is free. In that
/// window an entry cannot be changed without getting past the triggers, but one deleted by the
/// owner leaves no trace: verification passes (see docs/privacy.md, "Audit log").
async fn reads_of_a_tenant_do_not_wait_for_its_chain(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let s = story(&op_a, "Amina", "El Idrissi", "052022").await;
    let t = story(&op_b, "Olena", "Kovalenko", "048017").await;
    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
    let (conn, _) = app.store_owner(backend, "cases").await;
    let (ta, tb) = (uuid_of(&a.tenant_id), uuid_of(&b.tenant_id));
    let head_b = rows(
        &conn,
        &format!("SELECT CAST(seq AS TEXT) FROM cases.audit_heads WHERE tenant_id = '{tb}'"),
    )
    .await
    .join("");
    let pending = |tenant: Uuid, what: &'static str| {
        let conn = conn.clone();
        async move {
            rows(
                &conn,
                &format!(
                    "SELECT CAST(id AS TEXT) FROM cases.audit_pending \
                     WHERE tenant_id = '{tenant}' AND action || ':' || object_type || ':' || fields LIKE '{what}%' \
                     ORDER BY id"
                ),
            )
            .await
        }
    };

    let lock = conn.begin().await.expect("begin");
    let held = lock
        .query_all_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT CAST(seq AS TEXT) FROM cases.audit_heads WHERE tenant_id = '{ta}' FOR UPDATE"),
        ))
        .await
        .expect("lock the head");
    assert_eq!(held.len(), 1, "alfa's head exists and is held");
    let head_a: i64 = held[0]
        .try_get_by_index::<String>(0)
        .expect("seq")
        .parse()
        .expect("seq");

    // Two reads of alfa complete while its head is held; a wait for the lock would never end.
    tokio::time::timeout(Duration::from_secs(60), async {
        op_a.ok(READ_PERSON, json!({ "id": s.person })).await;
        op_a.ok(
            "query($id: ID!) { node(id: $id) { ... on Case { encounters { nodes { id } } } } }",
            json!({ "id": s.case }),
        )
        .await;
    })
    .await
    .expect("a read waited for the audit head's lock");
    let person_reads = pending(ta, "read:person:names").await;
    assert_eq!(person_reads.len(), 1, "{person_reads:?}");
    assert_eq!(pending(ta, "read:person:encounters").await.len(), 1);
    // Beta's read is not held by alfa's head either, and is written in beta's name only.
    op_b.ok(READ_PERSON, json!({ "id": t.person })).await;
    assert_eq!(pending(ta, "read:person").await.len(), 2);
    let beta_reads = rows(
        &conn,
        &format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases.audit_log WHERE tenant_id = '{tb}' \
             AND seq > {head_b} AND action = 'read' AND object_type = 'person'"
        ),
    )
    .await
    .join("")
    .parse::<usize>()
    .expect("count")
        + pending(tb, "read:person").await.len();
    assert_eq!(beta_reads, 1, "beta's read is audited once");

    // In the window: changing a pending entry is refused; deleting one is possible to the owner.
    let changed = conn
        .execute_unprepared(&format!(
            "UPDATE cases.audit_pending SET fields = 'birth' WHERE tenant_id = '{ta}'"
        ))
        .await;
    assert!(changed.is_err(), "a pending entry was changed");
    conn.execute_unprepared(&format!(
        "DELETE FROM cases.audit_pending WHERE tenant_id = '{ta}' AND id = '{}'",
        person_reads[0]
    ))
    .await
    .expect("delete a pending entry");
    lock.rollback().await.expect("release the head");

    let (ok, report) = audit_verify(&app);
    assert!(ok, "{report}");
    let sealed = rows(
        &conn,
        &format!(
            "SELECT action || ':' || object_type || ':' || fields FROM cases.audit_log \
             WHERE tenant_id = '{ta}' AND seq > {head_a} AND action = 'read' ORDER BY seq"
        ),
    )
    .await;
    assert_eq!(sealed, ["read:person:encounters"], "{sealed:?}");
    assert!(pending(ta, "").await.is_empty());
}

on_backends!(reads_of_a_tenant_do_not_wait_for_its_chain:
    postgres => (Backend::Postgres, Topology::AllInOne),
    postgres_distributed => (Backend::Postgres, Topology::Distributed),
);

/// `synchronous_commit` as the serving role sees it inside the transaction.
async fn commit_setting(tx: &sportello_kernel::db::Tx) -> String {
    let row = tx
        .conn()
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT current_setting('synchronous_commit') AS s",
        ))
        .await
        .expect("setting")
        .expect("row");
    row.try_get::<String>("", "s").expect("text")
}

/// A read's audit entry commits asynchronously; a change entry in the same transaction, before or
/// after it, keeps the commit durable; a read alone leaves the next transaction on the
/// connection's own setting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_entry_relaxes_the_commit_and_a_change_entry_restores_it() {
    use sportello_cases::audit::{Audit, append};
    use sportello_kernel::db::{Db, Scope, StoreConfig};
    use sportello_kernel::{Context, TenantId};

    let app = crate::helpers::TestApp::spawn(Backend::Postgres, Topology::AllInOne).await;
    let store = StoreConfig {
        url: app.config.database_url_for("cases"),
        schema: "cases".into(),
        app_role: app.config.database_app_role.clone(),
        app_password: app.config.database_app_password.clone(),
        max_connections: 1,
    };
    let db = Db::open::<sportello_cases::store::Migrator>(&store, false)
        .await
        .expect("cases store");
    let tenant = TenantId(Uuid::now_v7());
    let ctx = Context::internal("cases", tenant, "audit-durability");
    let entry = |action| Audit {
        action,
        object_type: "person",
        object_id: Uuid::now_v7(),
        fields: &["names"],
    };
    let backend = sea_orm::DbBackend::Postgres;

    // Entries are written when the transaction commits, or when it flushes them.
    let append_now = async |tx: &sportello_kernel::db::Tx, action| {
        append(tx, backend, &ctx, entry(action))
            .await
            .expect("append");
        tx.flush().await.expect("flush");
    };

    // Read, then change, then read again.
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    let durable = commit_setting(&tx).await;
    assert_ne!(durable, "off", "the server's own setting is durable");
    append(&tx, backend, &ctx, entry("read"))
        .await
        .expect("read");
    assert_eq!(commit_setting(&tx).await, durable, "kept until the commit");
    tx.flush().await.expect("flush");
    assert_eq!(commit_setting(&tx).await, "off");
    append_now(&tx, "read").await;
    append_now(&tx, "update").await;
    assert_eq!(commit_setting(&tx).await, durable);
    append_now(&tx, "read").await;
    assert_eq!(commit_setting(&tx).await, durable);
    tx.commit().await.expect("commit");

    // The same entries written together (one statement), in either order of read and change.
    for actions in [["read", "update", "read"], ["update", "read", "read"]] {
        let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
        for action in actions {
            append(&tx, backend, &ctx, entry(action))
                .await
                .expect("append");
        }
        tx.flush().await.expect("flush");
        assert_eq!(commit_setting(&tx).await, durable, "{actions:?}");
        tx.commit().await.expect("commit");
    }
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    append(&tx, backend, &ctx, entry("read"))
        .await
        .expect("read");
    append(&tx, backend, &ctx, entry("read"))
        .await
        .expect("read");
    tx.flush().await.expect("flush");
    assert_eq!(commit_setting(&tx).await, "off", "reads alone");
    tx.commit().await.expect("commit");

    // A read alone, then the next transaction on the same (only) connection.
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    append_now(&tx, "read").await;
    assert_eq!(commit_setting(&tx).await, "off");
    tx.commit().await.expect("commit");
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    assert_eq!(commit_setting(&tx).await, durable);
    append_now(&tx, "update").await;
    assert_eq!(commit_setting(&tx).await, durable);
    tx.commit().await.expect("commit");
}
