//! Storage plumbing shared by every service: connecting to SQLite or PostgreSQL, running a
//! service's migrations, and the one choke point through which tenant-owned rows are reached.
//!
//! On PostgreSQL each service lives in its own schema. Migrations run as the owner given by the
//! database URL; requests are served through a second pool that signs in as the application role,
//! which is neither owner nor superuser, so row-level security applies. The scope of a transaction
//! (tenant, user, invitation token) is set with `set_config(…, true)`: it lasts for that
//! transaction only and can never travel with a pooled connection into the next request.

// This module is the choke point: the raw and unfiltered sea-orm entry points that clippy.toml
// disallows elsewhere are used here to build the scoped ones, set the scope and run migrations.
#![allow(clippy::disallowed_methods)]

use std::time::Duration;

use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DeleteMany, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, Select, Statement, TransactionTrait, UpdateMany, Value,
    sea_query::{Query, SelectStatement},
};
use sea_orm_migration::MigratorTrait;

use crate::{Error, Result, TenantId, UserId};

mod page;
mod schema;

pub use page::{Page, Paged};
pub use schema::{Global, SqlMigration, TenantOwned, Versioned};

/// Where a service keeps its data.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// `sqlite://…` or `postgres://…`; on PostgreSQL, the owner that runs migrations.
    pub url: String,
    /// The PostgreSQL schema of the service (ignored on SQLite).
    pub schema: String,
    /// The PostgreSQL role requests are served by.
    pub app_role: String,
    /// Its password, if the server asks for one.
    pub app_password: Option<String>,
    pub max_connections: u32,
}

/// The scope a transaction works in. On PostgreSQL it becomes transaction-local settings that the
/// row-level security policies read; with no scope set, tenant tables yield no rows at all.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Global tables only (tenants, users).
    Global,
    /// One tenant's rows.
    Tenant(TenantId),
    /// A user's own rows across tenants (their memberships), nothing else.
    User(UserId),
    /// The single invitation whose token digest is given.
    InvitationToken(String),
    /// A background task of a service that works across tenants on the tables that grant it by
    /// name (`app.scope`), e.g. the outbox relay or the analytics ingestion; nothing else.
    Service(&'static str),
}

/// A service's database: an owner pool for migrations and a serving pool for requests.
#[derive(Clone)]
pub struct Db {
    serving: DatabaseConnection,
    backend: DbBackend,
}

impl Db {
    /// Connects, runs the given migrations as owner, and opens the serving pool.
    pub async fn open<M: MigratorTrait>(config: &StoreConfig, migrate: bool) -> Result<Self> {
        let owner = connect(&config.url, None, 2).await?;
        let backend = owner.get_database_backend();
        if backend == DbBackend::Postgres {
            let schema = quote_ident(&config.schema)?;
            let role = quote_ident(&config.app_role)?;
            if migrate {
                owner
                    .execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                    .await?;
            }
            owner.close().await.ok();
            let owner = connect(&config.url, Some(&config.schema), 2).await?;
            if migrate {
                M::up(&owner, None).await?;
                ensure_app_role(&owner, &config.app_role, config.app_password.as_deref()).await?;
                owner
                    .execute_unprepared(&format!(
                        "GRANT USAGE ON SCHEMA {schema} TO {role};
                         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                         REVOKE ALL ON {schema}.{table} FROM {role};",
                        table = quote_ident(&M::migration_table_name().to_string())?
                    ))
                    .await?;
            }
            owner.close().await.ok();
            let url = with_user(
                &config.url,
                &config.app_role,
                config.app_password.as_deref(),
            )?;
            let serving = connect(&url, Some(&config.schema), config.max_connections).await?;
            Ok(Self { serving, backend })
        } else {
            if migrate {
                M::up(&owner, None).await?;
            }
            owner.close().await.ok();
            // sqlx turns foreign keys on; the journal stays SQLite's default rollback journal
            // (`PRAGMA journal_mode` reads `delete`, checked by `erasure::*`). SQLite has one
            // writer at a time, and two deferred transactions that both read then write deadlock
            // (SQLITE_BUSY without waiting); one connection makes requests queue instead.
            let serving = connect(&config.url, None, 1).await?;
            Ok(Self { serving, backend })
        }
    }

    /// Connects as the owner without migrating, for maintenance commands (audit verification)
    /// that must see every tenant's rows. Never used to serve requests.
    pub async fn open_owner(config: &StoreConfig) -> Result<Self> {
        let schema = (!config.url.starts_with("sqlite:")).then_some(config.schema.as_str());
        let serving = connect(&config.url, schema, config.max_connections.clamp(1, 2)).await?;
        let backend = serving.get_database_backend();
        Ok(Self { serving, backend })
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Opens a transaction in the given scope. Every request path uses exactly one, and ends it
    /// explicitly: [`Tx::commit`] after writing, [`Tx::finish`] after only reading.
    ///
    /// Opening runs to completion in a task of its own even if the caller is dropped meanwhile
    /// (a client that disconnects, a field whose sibling failed): a `BEGIN` abandoned in flight
    /// would otherwise leave the connection inside a transaction the driver does not know about,
    /// and the next request's `BEGIN` would run inside it. Once opened, a transaction nobody ends
    /// is rolled back when its [`Tx`] is dropped.
    pub async fn begin(&self, scope: Scope) -> Result<Tx> {
        let db = self.clone();
        to_completion(async move {
            match db.open_tx(scope.clone()).await? {
                Some(tx) => Ok(tx),
                // The connection was closed for carrying another transaction's state; the
                // pool hands out another one.
                None => db
                    .open_tx(scope)
                    .await?
                    .ok_or_else(|| Error::unavailable("database connections carry stale state")),
            }
        })
        .await
    }

    /// A transaction in `scope`, or `None` when the connection it got was stale and closed.
    async fn open_tx(&self, scope: Scope) -> Result<Option<Tx>> {
        let tx = self.serving.begin().await?;
        // From here on a failure drops the `Tx`, which rolls the transaction back.
        let tenant = match &scope {
            Scope::Tenant(tenant) => Some(*tenant),
            _ => None,
        };
        let tx = Tx {
            tx: Some(tx),
            tenant,
            backend: self.backend,
            deferred: Default::default(),
        };
        if self.backend == DbBackend::Postgres {
            let none = String::new;
            let (tenant, user, token, service) = match scope {
                Scope::Global => (none(), none(), none(), none()),
                Scope::Tenant(tenant) => (tenant.to_string(), none(), none(), none()),
                Scope::User(user) => (none(), user.to_string(), none(), none()),
                Scope::InvitationToken(digest) => (none(), none(), digest, none()),
                Scope::Service(name) => (none(), none(), none(), name.to_owned()),
            };
            let row = tx
                .conn()
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    SET_SCOPE,
                    [tenant.into(), user.into(), token.into(), service.into()],
                ))
                .await?
                .ok_or_else(|| Error::internal("the scope statement returned no row"))?;
            if !row.try_get::<bool>("", "fresh")? {
                tracing::warn!(
                    "pooled connection carried another transaction's writes or scope; closing it"
                );
                // Closing ends whatever the connection carried; the driver discards it.
                tx.conn()
                    .execute_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT pg_terminate_backend(pg_backend_pid())",
                    ))
                    .await
                    .ok();
                return Ok(None);
            }
        }
        Ok(Some(tx))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.serving
            .ping()
            .await
            .map_err(|_| Error::unavailable("database unavailable"))
    }

    /// On SQLite, copies every page of the write-ahead log into the database file and truncates
    /// the log (`PRAGMA wal_checkpoint(TRUNCATE)`), so that the log no longer holds page images
    /// written before the last commit: after an erasure, deleted values are gone from both files
    /// (with `secure_delete`, see [`sqlite_pragmas`]). Returns false when a reader kept the
    /// checkpoint from completing (SQLite's next automatic checkpoint finishes it). A no-op that
    /// returns true on PostgreSQL, whose write-ahead log is the server's (docs/privacy.md).
    ///
    /// Source: <https://www.sqlite.org/pragma.html#pragma_wal_checkpoint>.
    pub async fn checkpoint(&self) -> Result<bool> {
        if self.backend != DbBackend::Sqlite {
            return Ok(true);
        }
        let row = self
            .serving
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ))
            .await?;
        // One row: busy (1 when the checkpoint could not complete), log pages, pages copied.
        let busy: i64 = match row {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok(busy == 0)
    }

    /// The serving pool, for tests and diagnostics that must see what a request would see.
    pub fn serving_connection(&self) -> &DatabaseConnection {
        &self.serving
    }
}

/// A transaction in a scope. Tenant-owned rows are reached only through [`Tx::scoped`] and its
/// siblings, which always add the tenant filter; on PostgreSQL row-level security is the second wall.
///
/// It ends with [`Tx::commit`] or [`Tx::finish`]; dropped without either (an early return on an
/// error, a request abandoned mid-way), it is rolled back by a task of its own, awaited there
/// before the connection goes back to the pool.
pub struct Tx {
    /// Always present while the `Tx` is in use; taken only by the methods that end it.
    tx: Option<DatabaseTransaction>,
    tenant: Option<TenantId>,
    backend: DbBackend,
    /// Writes that wait for the end of the transaction ([`Tx::defer`]).
    deferred: std::sync::Mutex<Deferred>,
}

/// Statements [`Tx::defer`] keeps for the end of the transaction, and the keys already taken.
#[derive(Default)]
struct Deferred {
    statements: Vec<Statement>,
    keys: std::collections::HashSet<uuid::Uuid>,
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(tx) = self.tx.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(err) = tx.rollback().await {
                        // A driver's error text can quote row data: the conversion logs only its
                        // kind and SQLSTATE.
                        let _ = Error::from(err);
                        tracing::warn!("rollback of an abandoned transaction failed");
                    }
                });
            }
            // Without a runtime the driver queues the rollback for the connection's return.
            Err(_) => drop(tx),
        }
    }
}

/// Runs a step that must not be cut in half (opening, committing, rolling back a transaction) in
/// a task of its own, so that it completes even when the caller's future is dropped.
async fn to_completion<T: Send + 'static>(
    step: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    tokio::spawn(step).await.map_err(|err| {
        tracing::error!(error = %err, "transaction step did not complete");
        Error::internal("transaction step did not complete")
    })?
}

/// Where a [`Tx::scoped_statement`] names the tenant of its scope.
pub const SCOPE_TENANT: &str = ":tenant";

impl Tx {
    /// The database the transaction runs on.
    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    fn scope_tenant(&self) -> Result<TenantId> {
        // A tenant query outside a tenant scope is a bug, never a reason to return everything.
        self.tenant
            .ok_or_else(|| Error::internal("tenant-owned query outside a tenant scope"))
    }

    /// `SELECT … WHERE tenant_id = <scope tenant>`.
    pub fn scoped<E: TenantOwned>(&self) -> Result<Select<E>> {
        let tenant = self.scope_tenant()?;
        #[allow(
            clippy::disallowed_methods,
            reason = "the choke point itself: the tenant filter is added here"
        )]
        let all = E::find();
        Ok(all.filter(E::tenant_column().eq(tenant.uuid())))
    }

    /// `SELECT <nothing yet> FROM … WHERE tenant_id = <scope tenant>`, for a subquery
    /// (`column.in_subquery(…)`); add the columns it returns.
    pub fn scoped_subquery<E: TenantOwned>(&self) -> Result<SelectStatement> {
        let tenant = self.scope_tenant()?;
        Ok(Query::select()
            .from(E::default())
            .and_where(E::tenant_column().eq(tenant.uuid()))
            .to_owned())
    }

    /// The distinct tenants that have rows of `E` matching `condition`, for a background task that
    /// finds its work across tenants in its [`Scope::Service`] scope (row-level security decides
    /// which rows that scope sees) and then does it tenant by tenant, each in its own scope.
    pub async fn tenants_with<E: TenantOwned>(
        &self,
        condition: sea_orm::Condition,
    ) -> Result<Vec<uuid::Uuid>> {
        #[allow(
            clippy::disallowed_methods,
            reason = "reads only the tenant column, across the tenants the service scope may see"
        )]
        let all = E::find();
        Ok(all
            .select_only()
            .column(E::tenant_column())
            .filter(condition)
            .distinct()
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    /// `SELECT …` on a table that belongs to no tenant. Tenant tables cannot be named here: they
    /// are reached through [`Tx::scoped`].
    pub fn global<E: Global>(&self) -> Select<E> {
        #[allow(
            clippy::disallowed_methods,
            reason = "the entity belongs to no tenant (the Global bound)"
        )]
        E::find()
    }

    /// `UPDATE … WHERE tenant_id = <scope tenant>`.
    pub fn scoped_update<E: TenantOwned>(&self) -> Result<UpdateMany<E>> {
        let tenant = self.scope_tenant()?;
        Ok(E::update_many().filter(E::tenant_column().eq(tenant.uuid())))
    }

    /// `DELETE … WHERE tenant_id = <scope tenant>`.
    pub fn scoped_delete<E: TenantOwned>(&self) -> Result<DeleteMany<E>> {
        let tenant = self.scope_tenant()?;
        Ok(E::delete_many().filter(E::tenant_column().eq(tenant.uuid())))
    }

    /// A raw statement on tenant-owned tables, for the queries the query builder cannot express.
    /// It is written with `?` for each of `values`, in order, and [`SCOPE_TENANT`] wherever the
    /// tenant goes (`WHERE tenant_id = :tenant`, `VALUES (:tenant, ?, ?)`): the tenant is always
    /// bound from the scope, never passed by the caller. Outside a tenant scope, or for a
    /// statement that never names the tenant, it is refused. `?` and `:tenant` must not appear
    /// inside string literals of the statement.
    pub fn scoped_statement(&self, sql: &str, values: Vec<Value>) -> Result<Statement> {
        let tenant = self.scope_tenant()?;
        let mut given = values.into_iter();
        let mut bound = Vec::new();
        let mut out = String::with_capacity(sql.len() + 16);
        let mut named_tenant = false;
        let placeholder = |out: &mut String, value: Value, bound: &mut Vec<Value>| {
            bound.push(value);
            if self.backend == DbBackend::Postgres {
                out.push('$');
                out.push_str(&bound.len().to_string());
            } else {
                out.push('?');
            }
        };
        let mut rest = sql;
        while let Some(c) = rest.chars().next() {
            if c == '?' {
                let value = given
                    .next()
                    .ok_or_else(|| Error::internal("scoped statement: more `?` than values"))?;
                placeholder(&mut out, value, &mut bound);
                rest = &rest[1..];
            } else if let Some(after) = rest.strip_prefix(SCOPE_TENANT)
                && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                && !out.ends_with(':')
            {
                placeholder(&mut out, tenant.uuid().into(), &mut bound);
                named_tenant = true;
                rest = after;
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if given.next().is_some() {
            return Err(Error::internal("scoped statement: more values than `?`"));
        }
        if !named_tenant {
            return Err(Error::internal(
                "scoped statement that never names the tenant of its scope",
            ));
        }
        Ok(Statement::from_sql_and_values(self.backend, out, bound))
    }

    /// Runs a [`Tx::scoped_statement`] and returns its rows.
    pub async fn query_scoped(&self, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
        let statement = self.scoped_statement(sql, values)?;
        let rows = self.conn().query_all_raw(statement).await?;
        Ok(rows)
    }

    /// Runs a [`Tx::scoped_statement`] and returns the number of rows it changed.
    pub async fn execute_scoped(&self, sql: &str, values: Vec<Value>) -> Result<u64> {
        let statement = self.scoped_statement(sql, values)?;
        let done = self.conn().execute_raw(statement).await?;
        Ok(done.rows_affected())
    }

    /// Moves the transaction into a tenant's scope, e.g. right after creating that tenant, so that
    /// both changes commit together.
    pub async fn enter_tenant(&mut self, tenant: TenantId) -> Result<()> {
        if self.backend == DbBackend::Postgres {
            self.conn()
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT set_config('app.tenant_id', $1, true)",
                    [tenant.to_string().into()],
                ))
                .await?;
        }
        self.tenant = Some(tenant);
        Ok(())
    }

    /// Serialises this transaction with every other one that locks any of the same keys, until
    /// commit or rollback: for invariants no constraint can express (e.g. no overlapping bookings
    /// of one operator). Keys are taken in sorted order so two transactions cannot deadlock on
    /// them. On SQLite, whose writers are serialised already, it does nothing.
    pub async fn lock_keys(&self, keys: &[String]) -> Result<()> {
        if self.backend != DbBackend::Postgres {
            return Ok(());
        }
        let tenant = self.scope_tenant()?;
        let mut keys: Vec<String> = keys.iter().map(|k| format!("{tenant}:{k}")).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            self.conn()
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                    [key.into()],
                ))
                .await?;
        }
        Ok(())
    }

    /// One tenant-owned row by id, or `NOT_FOUND` — also when it belongs to another tenant.
    pub async fn find<E: TenantOwned>(
        &self,
        id_column: E::Column,
        id: uuid::Uuid,
    ) -> Result<E::Model> {
        self.scoped::<E>()?
            .filter(id_column.eq(id))
            .one(self.conn())
            .await?
            .ok_or_else(Error::not_found)
    }

    /// Like [`Tx::find`], and locks the row until this transaction ends (`SELECT … FOR UPDATE` on
    /// PostgreSQL), for checks that later writes depend on: a case that must still be open when a
    /// child is added, a state transition. On SQLite, whose writers are serialised (one serving
    /// connection per store), the whole transaction already runs alone.
    pub async fn find_for_update<E: TenantOwned>(
        &self,
        id_column: E::Column,
        id: uuid::Uuid,
    ) -> Result<E::Model> {
        let mut select = self.scoped::<E>()?.filter(id_column.eq(id));
        if self.backend == DbBackend::Postgres {
            select = select.lock_exclusive();
        }
        select.one(self.conn()).await?.ok_or_else(Error::not_found)
    }

    /// Updates one versioned row with the columns set in `changes`, and raises its version by
    /// one, in a single conditional statement (`UPDATE … SET …, version = version + 1 WHERE
    /// tenant_id = … AND id = … AND version = <expected>`): two updates based on the same version
    /// cannot both succeed. With `expected` absent (a change no client reading is behind), only
    /// the version is raised. A stale `expected` is `CONFLICT` on `expectedVersion` with the
    /// current version, and changes nothing; a missing row is `NOT_FOUND`. Returns the row as
    /// stored.
    pub async fn update_versioned<E: Versioned>(
        &self,
        id: uuid::Uuid,
        expected: Option<i32>,
        changes: E::ActiveModel,
    ) -> Result<E::Model> {
        let version = E::version_column();
        let mut update = self
            .scoped_update::<E>()?
            .set(changes)
            .col_expr(
                version,
                sea_orm::ExprTrait::add(sea_orm::sea_query::Expr::col(version), 1),
            )
            .filter(E::id_column().eq(id));
        if let Some(expected) = expected {
            update = update.filter(version.eq(expected));
        }
        let done = update.exec(self.conn()).await?;
        let current = self.find::<E>(E::id_column(), id).await?;
        if done.rows_affected == 0 {
            let now = match sea_orm::ModelTrait::get(&current, version) {
                Value::Int(Some(v)) => v,
                Value::BigInt(Some(v)) => i32::try_from(v).unwrap_or(i32::MAX),
                _ => return Err(Error::internal("version column is not an integer")),
            };
            return Err(Error::stale(now));
        }
        Ok(current)
    }

    /// Deletes one tenant-owned row by id, or `NOT_FOUND`.
    pub async fn delete<E: TenantOwned>(&self, id_column: E::Column, id: uuid::Uuid) -> Result<()> {
        let result = self
            .scoped_delete::<E>()?
            .filter(id_column.eq(id))
            .exec(self.conn())
            .await?;
        if result.rows_affected == 0 {
            Err(Error::not_found())
        } else {
            Ok(())
        }
    }

    /// Runs a query one page at a time, keyset-paginated on the time-ordered id, oldest first.
    pub async fn page<E: EntityTrait>(
        &self,
        select: Select<E>,
        id_column: E::Column,
        page: &Page,
    ) -> Result<Paged<E::Model>> {
        self.page_ordered(select, id_column, page, false).await
    }

    /// Like [`Tx::page`], newest first (timelines).
    pub async fn page_newest_first<E: EntityTrait>(
        &self,
        select: Select<E>,
        id_column: E::Column,
        page: &Page,
    ) -> Result<Paged<E::Model>> {
        self.page_ordered(select, id_column, page, true).await
    }

    async fn page_ordered<E: EntityTrait>(
        &self,
        select: Select<E>,
        id_column: E::Column,
        page: &Page,
        newest_first: bool,
    ) -> Result<Paged<E::Model>> {
        let first = page.size();
        let ordered = if newest_first {
            select.order_by_desc(id_column)
        } else {
            select.order_by_asc(id_column)
        };
        let mut select = ordered.limit(u64::from(first) + 1);
        if let Some(after) = page.after {
            select = select.filter(if newest_first {
                id_column.lt(after)
            } else {
                id_column.gt(after)
            });
        }
        let mut rows = select.all(self.conn()).await?;
        let has_next_page = rows.len() > first as usize;
        rows.truncate(first as usize);
        Ok(Paged {
            items: rows,
            has_next_page,
        })
    }

    /// The tenant of this transaction, for stamping new rows.
    pub fn tenant(&self) -> Result<TenantId> {
        self.scope_tenant()
    }

    /// Whether this transaction works in one tenant's scope (asking is no error, and logs nothing).
    pub fn in_tenant_scope(&self) -> bool {
        self.tenant.is_some()
    }

    /// The connection to run statements on. Tenant-owned queries must be built with
    /// [`Tx::scoped`]; global tables (tenants, users) are queried directly.
    pub fn conn(&self) -> &DatabaseTransaction {
        self.tx
            .as_ref()
            .expect("a transaction is present until it ends")
    }

    /// Keeps a write for the end of the transaction: [`Tx::commit`] (and [`Tx::finish`], which
    /// then commits) runs every kept write before committing, on PostgreSQL all of them in one
    /// statement (one round trip), in the order they were kept. For writes nothing in the
    /// transaction reads back and that no later decision depends on: audit entries, outbox
    /// events. A write whose `key` was already kept in this transaction is left out (the same
    /// audit entry twice). A kept write that fails fails the commit, and the transaction is
    /// rolled back; a transaction rolled back or dropped discards them.
    ///
    /// On PostgreSQL each statement must be an `INSERT`, `UPDATE` or `DELETE` with `$n`
    /// placeholders, so that it can stand in a `WITH` clause.
    pub fn defer(&self, statement: Statement, key: Option<uuid::Uuid>) {
        let mut deferred = self
            .deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if key.is_some_and(|k| !deferred.keys.insert(k)) {
            return;
        }
        deferred.statements.push(statement);
    }

    /// Runs the kept writes ([`Tx::defer`]) now rather than at commit, e.g. before reading back
    /// what they wrote.
    pub async fn flush(&self) -> Result<()> {
        let statements = std::mem::take(
            &mut self
                .deferred
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .statements,
        );
        if statements.is_empty() {
            return Ok(());
        }
        if self.backend == DbBackend::Postgres {
            self.conn().execute_raw(combined(statements)).await?;
        } else {
            for statement in statements {
                self.conn().execute_raw(statement).await?;
            }
        }
        Ok(())
    }

    fn has_deferred(&self) -> bool {
        !self
            .deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .statements
            .is_empty()
    }

    /// Commits, after the kept writes ([`Tx::defer`]). Once started, the commit completes even if
    /// the caller is dropped: abandoned half way, the driver would follow the `COMMIT` already
    /// sent with a `ROLLBACK` outside any transaction.
    pub async fn commit(mut self) -> Result<()> {
        if self.has_deferred() {
            // A failed write drops `self`, which rolls the transaction back.
            self.flush().await?;
        }
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        to_completion(async move { tx.commit().await.map_err(Error::from) }).await
    }

    /// Rolls back, discarding every change and every kept write.
    pub async fn rollback(mut self) -> Result<()> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        to_completion(async move { tx.rollback().await.map_err(Error::from) }).await
    }

    /// Ends a transaction that only read: rolls it back (nothing it did is kept) and waits until
    /// the database has ended it, so the connection goes back to the pool outside a transaction.
    /// A read that kept writes ([`Tx::defer`], e.g. the audit entry of the read) commits them.
    pub async fn finish(self) -> Result<()> {
        if self.has_deferred() {
            return self.commit().await;
        }
        self.rollback().await
    }
}

/// PostgreSQL statements as one: all but the last in a `WITH` clause, placeholders renumbered.
/// Data-modifying statements in `WITH` run exactly once whether or not anything reads them.
fn combined(mut statements: Vec<Statement>) -> Statement {
    if statements.len() == 1 {
        return statements.pop().expect("one statement");
    }
    let mut sql = String::from("WITH ");
    let mut values: Vec<Value> = Vec::new();
    let last = statements.len() - 1;
    for (i, statement) in statements.into_iter().enumerate() {
        let text = renumbered(&statement.sql, values.len());
        if i < last {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("deferred_{i} AS ({text})"));
        } else {
            sql.push(' ');
            sql.push_str(&text);
        }
        if let Some(v) = statement.values {
            values.extend(v.0);
        }
    }
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// `sql` with every placeholder `$n` outside quotes made `$(n + offset)`.
fn renumbered(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                let n: usize = n.parse().unwrap_or(0);
                out.push_str(&format!("${}", n + offset));
            }
            None => out.push(c),
        }
    }
    out
}

async fn connect(url: &str, schema: Option<&str>, max: u32) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max.max(1))
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if let Some(schema) = schema {
        options.set_schema_search_path(schema.to_owned());
    }
    options.map_sqlx_postgres_pool_opts(|pool| {
        pool.after_release(|conn, _| Box::pin(outside_any_transaction(conn)))
    });
    options.map_sqlx_sqlite_opts(sqlite_pragmas);
    Database::connect(options).await.map_err(|err| {
        tracing::warn!(error = %err, "cannot connect to database");
        Error::unavailable("cannot connect to database")
    })
}

/// Settings of every SQLite connection beyond sqlx's defaults (foreign keys on, WAL):
///
/// - `secure_delete = ON`: content that is deleted or overwritten (a rectified value, an erased
///   record) is zeroed in the database file instead of staying readable in free space. Page
///   images written before the change remain in the write-ahead log until a checkpoint copies
///   the pages back (every 1,000 pages by default) and the log is reset.
/// - `journal_size_limit = 0`: the write-ahead log is truncated each time it is reset after a
///   checkpoint, so old page images do not linger in the file's unused tail.
///
/// Source: <https://www.sqlite.org/pragma.html#pragma_secure_delete>.
fn sqlite_pragmas(
    options: sea_orm::sqlx::sqlite::SqliteConnectOptions,
) -> sea_orm::sqlx::sqlite::SqliteConnectOptions {
    options
        .pragma("secure_delete", "ON")
        .pragma("journal_size_limit", "0")
}

/// Sets a transaction's scope, and says whether the transaction is fresh: nothing written
/// (`pg_current_xact_id_if_assigned()` is null) and no scope set before this statement. A
/// connection that fails the check carries state from elsewhere (a `BEGIN` the driver does not
/// know about, a setting made for the whole session) and is closed rather than used. The check
/// reads the settings in a subquery that is evaluated before the outer `set_config`s
/// (`OFFSET 0` keeps the planner from merging the two). One statement, one round trip: the
/// check costs nothing beyond the scope, unlike a check when the connection is handed back.
const SET_SCOPE: &str = "SELECT before.fresh, \
     set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), \
     set_config('app.invitation_token', $3, true), set_config('app.scope', $4, true) \
     FROM (SELECT pg_current_xact_id_if_assigned() IS NULL \
     AND coalesce(current_setting('app.tenant_id', true), '') = '' \
     AND coalesce(current_setting('app.user_id', true), '') = '' \
     AND coalesce(current_setting('app.invitation_token', true), '') = '' \
     AND coalesce(current_setting('app.scope', true), '') = '' AS fresh OFFSET 0) AS before";

/// Whether a PostgreSQL connection handed back to the pool is outside any transaction the driver
/// began; one that is not is closed rather than reused. Transactions end explicitly
/// ([`Tx::commit`], [`Tx::finish`], the rollback of a dropped [`Tx`]), so this only ever catches
/// a bug; state the driver cannot see is caught when the connection is next used
/// ([`SET_SCOPE`]).
async fn outside_any_transaction(
    conn: &mut sea_orm::sqlx::PgConnection,
) -> std::result::Result<bool, sea_orm::sqlx::Error> {
    use sea_orm::sqlx::Connection;
    if conn.is_in_transaction() {
        tracing::warn!("connection returned to the pool inside a transaction; closing it");
        return Ok(false);
    }
    Ok(true)
}

async fn ensure_app_role(
    conn: &DatabaseConnection,
    role: &str,
    password: Option<&str>,
) -> Result<()> {
    let exists = || async {
        Ok::<_, Error>(
            conn.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT 1 AS one FROM pg_roles WHERE rolname = $1",
                [role.to_owned().into()],
            ))
            .await?
            .is_some(),
        )
    };
    if exists().await? {
        return Ok(());
    }
    let ident = quote_ident(role)?;
    let password = match password {
        Some(p) => format!(" PASSWORD '{}'", p.replace('\'', "''")),
        None => String::new(),
    };
    let created = conn
        .execute_unprepared(&format!(
            "CREATE ROLE {ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS{password}"
        ))
        .await;
    match created {
        Ok(_) => Ok(()),
        // Another process created it in the meantime: roles belong to the whole cluster, and two
        // services (or two databases' migrations) creating it at once fail with "already exists"
        // or with a unique violation on `pg_authid`, depending on timing.
        Err(err) if exists().await? => {
            tracing::debug!(%err, "the application role was created concurrently");
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}

/// Quotes a PostgreSQL identifier taken from configuration, refusing anything unusual.
pub fn quote_ident(name: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(format!("\"{name}\""))
    } else {
        Err(Error::on("database", crate::Reason::BadConfiguration))
    }
}

/// The same URL, signing in as another user.
fn with_user(url: &str, user: &str, password: Option<&str>) -> Result<String> {
    let mut parsed: reqwest::Url = url
        .parse()
        .map_err(|_| Error::on("database_url", crate::Reason::BadConfiguration))?;
    let bad = |_| Error::on("database_url", crate::Reason::BadConfiguration);
    parsed.set_username(user).map_err(bad)?;
    parsed.set_password(password).map_err(bad)?;
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_outside_quotes_only() {
        assert_eq!(
            renumbered(
                "INSERT INTO t (a, b) VALUES ($1, $12) WHERE x = '$1' AND \"$2\" = $2",
                3
            ),
            "INSERT INTO t (a, b) VALUES ($4, $15) WHERE x = '$1' AND \"$2\" = $5"
        );
        assert_eq!(
            renumbered("SELECT 'it''s $1', $1", 1),
            "SELECT 'it''s $1', $2"
        );
    }

    #[test]
    fn kept_writes_become_one_statement_with_their_values_in_order() {
        let one = |sql: &str, values: Vec<Value>| {
            Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
        };
        let statement = combined(vec![
            one(
                "INSERT INTO a (x, y) VALUES ($1, $2)",
                vec![1.into(), 2.into()],
            ),
            one("INSERT INTO b (x) VALUES ($1)", vec![3.into()]),
            one("UPDATE c SET x = $1 WHERE y = $2", vec![4.into(), 5.into()]),
        ]);
        assert_eq!(
            statement.sql,
            "WITH deferred_0 AS (INSERT INTO a (x, y) VALUES ($1, $2)), \
             deferred_1 AS (INSERT INTO b (x) VALUES ($3)) UPDATE c SET x = $4 WHERE y = $5"
        );
        let values: Vec<Value> = statement.values.expect("values").0;
        assert_eq!(
            values,
            vec![1.into(), 2.into(), 3.into(), 4.into(), 5.into()]
        );
        let single = combined(vec![one("DELETE FROM a WHERE x = $1", vec![1.into()])]);
        assert_eq!(single.sql, "DELETE FROM a WHERE x = $1");
    }

    /// Writes a value, overwrites it with a shorter one, checkpoints, and returns whether the
    /// database file still holds the first value's bytes.
    async fn leaves_overwritten_value(secure: bool) -> bool {
        let path =
            std::env::temp_dir().join(format!("sportello-secure-{}.db", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = if secure {
            connect(&url, None, 1).await.expect("connect")
        } else {
            Database::connect(url.as_str()).await.expect("connect")
        };
        // Long enough that the shorter value written in the freed space does not cover its
        // start, which is what the scan looks for.
        let planted = format!("PLANTED-PERMIT-4471-XK9Q {}", "x".repeat(200));
        let needle = &planted.as_bytes()[..24];
        for sql in [
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)".to_owned(),
            format!("INSERT INTO notes (id, body) VALUES (1, '{planted}')"),
            "INSERT INTO notes (id, body) VALUES (2, 'another row that stays')".to_owned(),
            "UPDATE notes SET body = 'rectified' WHERE id = 1".to_owned(),
            "PRAGMA wal_checkpoint(TRUNCATE)".to_owned(),
        ] {
            db.execute_unprepared(&sql).await.expect(&sql);
        }
        db.close().await.expect("close");
        let mut bytes = std::fs::read(&path).expect("read the database file");
        for suffix in ["-wal", "-shm"] {
            let side = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(more) = std::fs::read(&side) {
                bytes.extend(more);
            }
            std::fs::remove_file(&side).ok();
        }
        std::fs::remove_file(&path).ok();
        bytes.windows(needle.len()).any(|w| w == needle)
    }

    /// Whether the file at `path` plus `suffix` holds `needle`.
    fn holds(path: &std::path::Path, suffix: &str, needle: &[u8]) -> bool {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        std::fs::read(file).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
    }

    #[tokio::test]
    async fn a_checkpoint_after_a_delete_leaves_nothing_in_the_write_ahead_log() {
        let path = std::env::temp_dir().join(format!("sportello-wal-{}.db", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Db {
            serving: connect(&url, None, 1).await.expect("connect"),
            backend: DbBackend::Sqlite,
        };
        let needle = b"ERASED-PERSON-PERMIT-5520-QZ";
        for sql in [
            "PRAGMA journal_mode = WAL".to_owned(),
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)".to_owned(),
            format!(
                "INSERT INTO notes (id, body) VALUES (1, '{}')",
                String::from_utf8_lossy(needle)
            ),
            "INSERT INTO notes (id, body) VALUES (2, 'another row that stays')".to_owned(),
            "DELETE FROM notes WHERE id = 1".to_owned(),
        ] {
            db.serving.execute_unprepared(&sql).await.expect(&sql);
        }
        // Control: the log still holds the page as it was before the delete.
        assert!(
            holds(&path, "-wal", needle),
            "control: the log should hold it"
        );
        assert!(
            db.checkpoint().await.expect("checkpoint"),
            "checkpoint completed"
        );
        for suffix in ["", "-wal", "-shm"] {
            assert!(!holds(&path, suffix, needle), "left in {suffix:?}");
        }
        db.serving.close().await.expect("close");
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
        }
    }

    #[tokio::test]
    async fn an_overwritten_value_is_gone_from_the_sqlite_files() {
        // The control shows the test can see a leftover value: without secure delete, the
        // rectified value stays in the page's free space.
        assert!(
            leaves_overwritten_value(false).await,
            "control: SQLite without secure_delete should keep the old bytes"
        );
        assert!(
            !leaves_overwritten_value(true).await,
            "the overwritten value is still readable in the database files"
        );
    }
}
