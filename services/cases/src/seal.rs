//! Field-level encryption of the cases store: the special categories of a person's record and
//! every free text that may carry them are sealed under the person's own data key
//! (`sportello_kernel::crypto`), which is stored here wrapped by the tenant's key-encryption
//! key; the tenant's keys live in the key store, never in this database.
//!
//! | table | sealed columns |
//! | --- | --- |
//! | `persons` | `codice_fiscale`, `permit_type`, `permit_number`, `permit_expiry_sealed` |
//! | `cases` | `reopen_reason` |
//! | `encounters` | `notes` |
//! | `referrals` | `override_reason`, `feedback` |
//! | `plan_goals`, `plan_steps` | `title` |
//!
//! A sealed value is base64 of nonce ‖ AES-256-GCM ciphertext ‖ tag, with associated data that
//! names the tenant, the person, the column and the row: copied to another row, column or
//! person it does not open. A row's `sealed` flag says whether its columns are sealed (1) or
//! still in clear from before (0); [`seal_all`] seals the latter in batches at start-up.
//! The codice fiscale is found through keyed blind indexes ([`CF_ISSUED`], [`CF_KEY`]).
//!
//! Every path that writes a sealed column opens the row it starts from, changes it, and seals
//! every sealed column of it again ([`Protected::seal`]); every path that returns a row opens it
//! ([`Protected::open`]). A path that changes no sealed column leaves them as stored.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, Condition, ConnectionTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use sportello_kernel::crypto::{self, Key, Keyring, TenantKeys};
use sportello_kernel::db::{Db, Scope, TenantOwned, Tx};
use sportello_kernel::{Error, Result, TenantId};
use uuid::Uuid;

use crate::store::{case, encounter, person, person_key, plan_goal, plan_step, referral};

/// Blind-index domain of the codice fiscale as issued (uniqueness).
pub const CF_ISSUED: &str = "codice_fiscale";
/// Blind-index domain of the codice fiscale's plain form (omocodia folded: lookup, "possibly the
/// same person").
pub const CF_KEY: &str = "codice_fiscale_key";

/// Rows sealed, or person keys re-wrapped, in one transaction.
pub const BATCH: u64 = 200;

/// The scope in which [`seal_all`] finds the tenants with rows in clear (row-level security
/// grants it reading the sealed tables across tenants, nothing else).
const SEAL_SCOPE: Scope = Scope::Service("seal");

/// One person's data key, unwrapped for the time of a request, with the tenant's keys (for the
/// blind indexes). Never printed.
pub struct PersonKey {
    tenant: Arc<TenantKeys>,
    person: Uuid,
    key: Key,
}

impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonKey(…)")
    }
}

impl PersonKey {
    /// The person whose key this is.
    pub fn person(&self) -> Uuid {
        self.person
    }

    fn aad(&self, column: &str, row: Uuid) -> Vec<u8> {
        let mut aad = b"sportello/cases-field/v1\0".to_vec();
        aad.extend_from_slice(self.tenant.tenant().uuid().as_bytes());
        aad.extend_from_slice(self.person.as_bytes());
        aad.extend_from_slice(row.as_bytes());
        aad.extend_from_slice(column.as_bytes());
        aad
    }

    /// `value` sealed for `column` (`table.column`) of row `row`, as stored: base64.
    pub fn seal(&self, column: &str, row: Uuid, value: &str) -> Result<String> {
        let sealed = crypto::seal(&self.key, &self.aad(column, row), value.as_bytes())?;
        Ok(base64::engine::general_purpose::STANDARD_NO_PAD.encode(sealed))
    }

    /// The clear value of what [`PersonKey::seal`] stored for the same column and row.
    pub fn open(&self, column: &str, row: Uuid, stored: &str) -> Result<String> {
        let sealed = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(stored)
            .map_err(|_| Error::internal("a sealed value is not base64"))?;
        let clear = crypto::open(&self.key, &self.aad(column, row), &sealed)?;
        String::from_utf8(clear).map_err(|_| Error::internal("a sealed value is not text"))
    }

    /// The blind index of `value` in `domain`, under the tenant's index key.
    pub fn blind_index(&self, domain: &str, value: &str) -> Result<String> {
        self.tenant.blind_index(domain, value)
    }

    fn seal_opt(&self, column: &str, row: Uuid, value: Option<&str>) -> Result<Option<String>> {
        value.map(|v| self.seal(column, row, v)).transpose()
    }

    fn open_opt(&self, column: &str, row: Uuid, value: Option<&str>) -> Result<Option<String>> {
        value.map(|v| self.open(column, row, v)).transpose()
    }
}

/// The cases service's access to its keys: the tenants' (through the cached [`Keyring`]) and
/// the persons' (in this store, wrapped).
#[derive(Clone, Debug)]
pub struct Vault {
    keyring: Keyring,
}

impl Vault {
    pub fn new(keyring: Keyring) -> Self {
        Self { keyring }
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// The blind index of `value` in `domain` for the transaction's tenant.
    pub async fn blind_index(&self, tx: &Tx, domain: &str, value: &str) -> Result<String> {
        self.keyring
            .tenant(tx.tenant()?)
            .await?
            .blind_index(domain, value)
    }

    /// A stored person key, unwrapped with the tenant's key-encryption key of its version.
    pub async fn unwrap(&self, tenant: TenantId, row: &person_key::Model) -> Result<PersonKey> {
        let version = u32::try_from(row.kek_version)
            .map_err(|_| Error::internal("a key-encryption key version is negative"))?;
        let keys = self.keyring.with_version(tenant, version).await?;
        Ok(PersonKey {
            key: keys.unwrap(row.id, version, &row.wrapped)?,
            tenant: keys,
            person: row.id,
        })
    }

    /// The person's key, or `None` if they have none (a record written before encryption and
    /// not yet sealed, or an erased person).
    pub async fn existing(&self, tx: &Tx, person: Uuid) -> Result<Option<PersonKey>> {
        let row = tx
            .scoped::<person_key::Entity>()?
            .filter(person_key::Column::Id.eq(person))
            .one(tx.conn())
            .await?;
        match row {
            Some(row) => Ok(Some(self.unwrap(tx.tenant()?, &row).await?)),
            None => Ok(None),
        }
    }

    /// The person's key, created (and stored wrapped under the tenant's current key-encryption
    /// key) if they have none yet.
    pub async fn key(&self, tx: &Tx, person: Uuid) -> Result<PersonKey> {
        if let Some(key) = self.existing(tx, person).await? {
            return Ok(key);
        }
        let tenant = tx.tenant()?;
        let keys = self.keyring.tenant(tenant).await?;
        let key = Key::random();
        let (version, wrapped) = keys.wrap(person, &key)?;
        person_key::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(person),
            kek_version: Set(version as i32),
            wrapped: Set(wrapped),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        Ok(PersonKey {
            tenant: keys,
            person,
            key,
        })
    }

    /// The keys of the given persons that have one, in one statement.
    pub async fn keys(&self, tx: &Tx, persons: &[Uuid]) -> Result<HashMap<Uuid, PersonKey>> {
        let mut out = HashMap::new();
        if persons.is_empty() {
            return Ok(out);
        }
        let rows = tx
            .scoped::<person_key::Entity>()?
            .filter(person_key::Column::Id.is_in(persons.iter().copied()))
            .all(tx.conn())
            .await?;
        let tenant = tx.tenant()?;
        for row in rows {
            out.insert(row.id, self.unwrap(tenant, &row).await?);
        }
        Ok(out)
    }

    /// Rows opened, each with the key of its person (`person_of`); the keys needed (those of
    /// rows with a sealed value) are loaded in one statement.
    pub async fn open_rows<M: Protected>(
        &self,
        tx: &Tx,
        rows: Vec<M>,
        person_of: impl Fn(&M) -> Uuid,
    ) -> Result<Vec<M>> {
        let mut needed: Vec<Uuid> = rows
            .iter()
            .filter(|r| r.needs_key())
            .map(&person_of)
            .collect();
        needed.sort();
        needed.dedup();
        let keys = self.keys(tx, &needed).await?;
        rows.into_iter()
            .map(|r| {
                let key = keys.get(&person_of(&r));
                r.open(key)
            })
            .collect()
    }

    /// Rows of one person opened with their key.
    pub async fn open_all<M: Protected>(
        &self,
        tx: &Tx,
        person: Uuid,
        rows: Vec<M>,
    ) -> Result<Vec<M>> {
        self.open_rows(tx, rows, |_| person).await
    }

    /// One row of a person opened with their key.
    pub async fn open_one<M: Protected>(&self, tx: &Tx, person: Uuid, row: M) -> Result<M> {
        let key = if row.needs_key() {
            self.existing(tx, person).await?
        } else {
            None
        };
        row.open(key.as_ref())
    }

    /// Persons opened, each with their own key.
    pub async fn open_persons(
        &self,
        tx: &Tx,
        rows: Vec<person::Model>,
    ) -> Result<Vec<person::Model>> {
        self.open_rows(tx, rows, |p| p.id).await
    }
}

/// A row of a table with sealed columns.
pub trait Protected: Sized {
    /// Whether it holds a sealed value, to open with its person's key.
    fn needs_key(&self) -> bool;
    /// The row with its sealed columns in clear (unchanged if not sealed). Without a key (the
    /// person was erased: crypto-shredding) its sealed values read as absent, never as
    /// ciphertext.
    fn open(self, key: Option<&PersonKey>) -> Result<Self>;
}

fn open_opt(
    key: Option<&PersonKey>,
    column: &str,
    row: Uuid,
    value: Option<&str>,
) -> Result<Option<String>> {
    match key {
        Some(key) => key.open_opt(column, row, value),
        None => Ok(None),
    }
}

fn open_text(key: Option<&PersonKey>, column: &str, row: Uuid, value: &str) -> Result<String> {
    match key {
        Some(key) => key.open(column, row, value),
        None => Ok(String::new()),
    }
}

/// An active model of a table with sealed columns.
pub trait Sealable {
    /// Seals every sealed column that is set (in clear), computes the blind indexes, and marks
    /// the row sealed. Every sealed column must be set: a path that writes one starts from the
    /// opened row.
    fn seal(&mut self, key: &PersonKey) -> Result<()>;
}

fn row_id(id: &ActiveValue<Uuid>) -> Result<Uuid> {
    match id {
        ActiveValue::Set(v) | ActiveValue::Unchanged(v) => Ok(*v),
        ActiveValue::NotSet => Err(Error::internal("sealing a row without its id")),
    }
}

fn clear<V: Clone + Into<sea_orm::Value>>(field: &ActiveValue<V>) -> Result<V> {
    match field {
        ActiveValue::Set(v) | ActiveValue::Unchanged(v) => Ok(v.clone()),
        ActiveValue::NotSet => Err(Error::internal("sealing a row without all its columns")),
    }
}

fn seal_opt_field(
    key: &PersonKey,
    column: &str,
    row: Uuid,
    field: &mut ActiveValue<Option<String>>,
) -> Result<()> {
    let value = clear(field)?;
    *field = Set(key.seal_opt(column, row, value.as_deref())?);
    Ok(())
}

fn seal_field(
    key: &PersonKey,
    column: &str,
    row: Uuid,
    field: &mut ActiveValue<String>,
) -> Result<()> {
    let value = clear(field)?;
    *field = Set(key.seal(column, row, &value)?);
    Ok(())
}

/// The sealed columns, as named in each value's associated data (`table.column`).
pub mod columns {
    pub const CODICE_FISCALE: &str = "persons.codice_fiscale";
    pub const PERMIT_TYPE: &str = "persons.permit_type";
    pub const PERMIT_NUMBER: &str = "persons.permit_number";
    pub const PERMIT_EXPIRY: &str = "persons.permit_expiry";
    pub const REOPEN_REASON: &str = "cases.reopen_reason";
    pub const NOTES: &str = "encounters.notes";
    pub const OVERRIDE_REASON: &str = "referrals.override_reason";
    pub const FEEDBACK: &str = "referrals.feedback";
    pub const GOAL_TITLE: &str = "plan_goals.title";
    pub const STEP_TITLE: &str = "plan_steps.title";
}

impl Protected for person::Model {
    fn needs_key(&self) -> bool {
        self.sealed == 1
            && (self.codice_fiscale.is_some()
                || self.permit_type.is_some()
                || self.permit_number.is_some()
                || self.permit_expiry_sealed.is_some())
    }

    fn open(self, key: Option<&PersonKey>) -> Result<Self> {
        if self.sealed != 1 {
            return Ok(self);
        }
        let id = self.id;
        let expiry = open_opt(
            key,
            columns::PERMIT_EXPIRY,
            id,
            self.permit_expiry_sealed.as_deref(),
        )?;
        let permit_expiry = expiry
            .map(|d| {
                d.parse::<chrono::NaiveDate>()
                    .map_err(|_| Error::internal("a sealed expiry is not a date"))
            })
            .transpose()?;
        Ok(Self {
            codice_fiscale: open_opt(
                key,
                columns::CODICE_FISCALE,
                id,
                self.codice_fiscale.as_deref(),
            )?,
            permit_type: open_opt(key, columns::PERMIT_TYPE, id, self.permit_type.as_deref())?,
            permit_number: open_opt(
                key,
                columns::PERMIT_NUMBER,
                id,
                self.permit_number.as_deref(),
            )?,
            permit_expiry,
            permit_expiry_sealed: None,
            sealed: 0,
            ..self
        })
    }
}

impl Sealable for person::ActiveModel {
    fn seal(&mut self, key: &PersonKey) -> Result<()> {
        let id = row_id(&self.id)?;
        let code = clear(&self.codice_fiscale)?;
        let code_key = clear(&self.codice_fiscale_key)?;
        self.codice_fiscale_index = Set(code
            .as_deref()
            .map(|c| key.blind_index(CF_ISSUED, c))
            .transpose()?);
        self.codice_fiscale_key = Set(code_key
            .as_deref()
            .map(|c| key.blind_index(CF_KEY, c))
            .transpose()?);
        seal_opt_field(key, columns::CODICE_FISCALE, id, &mut self.codice_fiscale)?;
        seal_opt_field(key, columns::PERMIT_TYPE, id, &mut self.permit_type)?;
        seal_opt_field(key, columns::PERMIT_NUMBER, id, &mut self.permit_number)?;
        let expiry = clear(&self.permit_expiry)?;
        self.permit_expiry_sealed = Set(key.seal_opt(
            columns::PERMIT_EXPIRY,
            id,
            expiry.map(|d| d.to_string()).as_deref(),
        )?);
        self.permit_expiry = Set(None);
        self.sealed = Set(1);
        Ok(())
    }
}

/// `Protected` and `Sealable` for a table whose sealed columns are all of one kind.
macro_rules! protected {
    ($module:ident, opt [$($ofield:ident => $ocolumn:path),*], text [$($tfield:ident => $tcolumn:path),*]) => {
        impl Protected for $module::Model {
            fn needs_key(&self) -> bool {
                self.sealed == 1 && ($(self.$ofield.is_some() ||)* $(!self.$tfield.is_empty() ||)* false)
            }

            fn open(self, key: Option<&PersonKey>) -> Result<Self> {
                if self.sealed != 1 {
                    return Ok(self);
                }
                let id = self.id;
                Ok(Self {
                    $($ofield: open_opt(key, $ocolumn, id, self.$ofield.as_deref())?,)*
                    $($tfield: open_text(key, $tcolumn, id, &self.$tfield)?,)*
                    sealed: 0,
                    ..self
                })
            }
        }

        impl Sealable for $module::ActiveModel {
            fn seal(&mut self, key: &PersonKey) -> Result<()> {
                let id = row_id(&self.id)?;
                $(seal_opt_field(key, $ocolumn, id, &mut self.$ofield)?;)*
                $(seal_field(key, $tcolumn, id, &mut self.$tfield)?;)*
                self.sealed = Set(1);
                Ok(())
            }
        }
    };
}

protected!(case, opt [reopen_reason => columns::REOPEN_REASON], text []);
protected!(encounter, opt [notes => columns::NOTES], text []);
protected!(referral, opt [override_reason => columns::OVERRIDE_REASON, feedback => columns::FEEDBACK], text []);
protected!(plan_goal, opt [], text [title => columns::GOAL_TITLE]);
protected!(plan_step, opt [], text [title => columns::STEP_TITLE]);

/// The persons of cases, for rows that hang from a case.
async fn persons_of_cases(tx: &Tx, cases: Vec<Uuid>) -> Result<HashMap<Uuid, Uuid>> {
    if cases.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid)> = tx
        .scoped::<case::Entity>()?
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::PersonId)
        .filter(case::Column::Id.is_in(cases))
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().collect())
}

/// Seals one batch of a table's rows still in clear, each under its person's key (created if
/// missing), locking them first; the version is left as it is (nothing a reader sees changes).
/// Returns how many rows it read.
async fn seal_batch<E>(
    vault: &Vault,
    tx: &Tx,
    sealed_column: E::Column,
    id_column: E::Column,
    person_of: impl AsyncPersonOf<E::Model>,
) -> Result<u64>
where
    E: TenantOwned,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: Sealable + ActiveModelTrait<Entity = E> + Send,
{
    let mut select = tx
        .scoped::<E>()?
        .filter(sealed_column.eq(0))
        .order_by_asc(id_column)
        .limit(BATCH);
    if tx.conn().get_database_backend() == sea_orm::DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    let rows = select.all(tx.conn()).await?;
    let persons = person_of.persons(tx, &rows).await?;
    for (row, person) in rows.iter().zip(persons) {
        let key = vault.key(tx, person).await?;
        let mut model = row.clone().into_active_model();
        model.seal(&key)?;
        model.update(tx.conn()).await?;
    }
    Ok(rows.len() as u64)
}

/// How [`seal_batch`] finds the person of each row.
trait AsyncPersonOf<M> {
    async fn persons(&self, tx: &Tx, rows: &[M]) -> Result<Vec<Uuid>>;
}

struct ById;
impl AsyncPersonOf<person::Model> for ById {
    async fn persons(&self, _tx: &Tx, rows: &[person::Model]) -> Result<Vec<Uuid>> {
        Ok(rows.iter().map(|r| r.id).collect())
    }
}

struct ByCase<F>(F);
impl<M, F: Fn(&M) -> Uuid> AsyncPersonOf<M> for ByCase<F> {
    async fn persons(&self, tx: &Tx, rows: &[M]) -> Result<Vec<Uuid>> {
        let cases: Vec<Uuid> = rows.iter().map(&self.0).collect();
        let map = persons_of_cases(tx, cases.clone()).await?;
        cases
            .iter()
            .map(|c| {
                map.get(c)
                    .copied()
                    .ok_or_else(|| Error::internal("a row's case is missing"))
            })
            .collect()
    }
}

struct ByGoal;
impl AsyncPersonOf<plan_step::Model> for ByGoal {
    async fn persons(&self, tx: &Tx, rows: &[plan_step::Model]) -> Result<Vec<Uuid>> {
        let goals: Vec<Uuid> = rows.iter().map(|r| r.goal_id).collect();
        let pairs: Vec<(Uuid, Uuid)> = if goals.is_empty() {
            Vec::new()
        } else {
            tx.scoped::<plan_goal::Entity>()?
                .select_only()
                .column(plan_goal::Column::Id)
                .column(plan_goal::Column::CaseId)
                .filter(plan_goal::Column::Id.is_in(goals.clone()))
                .into_tuple()
                .all(tx.conn())
                .await?
        };
        let case_of: HashMap<Uuid, Uuid> = pairs.into_iter().collect();
        let persons = persons_of_cases(tx, case_of.values().copied().collect()).await?;
        goals
            .iter()
            .map(|g| {
                case_of
                    .get(g)
                    .and_then(|c| persons.get(c))
                    .copied()
                    .ok_or_else(|| Error::internal("a step's goal or case is missing"))
            })
            .collect()
    }
}

/// The tenants with rows in clear in any sealed table.
async fn tenants_to_seal(db: &Db) -> Result<Vec<Uuid>> {
    let tx = db.begin(SEAL_SCOPE).await?;
    let clear = |c: sea_orm::sea_query::SimpleExpr| Condition::all().add(c);
    let mut tenants = tx
        .tenants_with::<person::Entity>(clear(person::Column::Sealed.eq(0)))
        .await?;
    tenants.extend(
        tx.tenants_with::<case::Entity>(clear(case::Column::Sealed.eq(0)))
            .await?,
    );
    tenants.extend(
        tx.tenants_with::<encounter::Entity>(clear(encounter::Column::Sealed.eq(0)))
            .await?,
    );
    tenants.extend(
        tx.tenants_with::<referral::Entity>(clear(referral::Column::Sealed.eq(0)))
            .await?,
    );
    tenants.extend(
        tx.tenants_with::<plan_goal::Entity>(clear(plan_goal::Column::Sealed.eq(0)))
            .await?,
    );
    tenants.extend(
        tx.tenants_with::<plan_step::Entity>(clear(plan_step::Column::Sealed.eq(0)))
            .await?,
    );
    tx.finish().await?;
    tenants.sort();
    tenants.dedup();
    Ok(tenants)
}

/// Seals every row still in clear (written before field encryption), tenant by tenant and
/// table by table, in batches of [`BATCH`] rows, each batch in its own transaction in the
/// tenant's scope, while requests go on. Idempotent: sealed rows are never selected again.
/// Returns how many rows it sealed.
pub async fn seal_all(db: &Db, vault: &Vault) -> Result<u64> {
    let mut total = 0;
    for tenant in tenants_to_seal(db).await? {
        let tenant = TenantId(tenant);
        macro_rules! drain {
            ($module:ident, $person_of:expr) => {
                loop {
                    let tx = db.begin(Scope::Tenant(tenant)).await?;
                    let n = seal_batch::<$module::Entity>(
                        vault,
                        &tx,
                        $module::Column::Sealed,
                        $module::Column::Id,
                        $person_of,
                    )
                    .await?;
                    tx.commit().await?;
                    total += n;
                    if n < BATCH {
                        break;
                    }
                }
            };
        }
        drain!(person, ById);
        drain!(case, ByCase(|c: &case::Model| c.id));
        drain!(encounter, ByCase(|e: &encounter::Model| e.case_id));
        drain!(referral, ByCase(|r: &referral::Model| r.case_id));
        drain!(plan_goal, ByCase(|g: &plan_goal::Model| g.case_id));
        drain!(plan_step, ByGoal);
    }
    Ok(total)
}

/// Runs [`seal_all`] until it succeeds, retrying with a growing pause; then ends.
pub async fn run(db: Db, vault: Vault) {
    let mut pause = Duration::from_millis(500);
    loop {
        match seal_all(&db, &vault).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(rows = n, "rows in clear sealed");
                }
                return;
            }
            Err(err) => {
                tracing::warn!(code = err.code.as_str(), "sealing rows in clear failed");
                pause = (pause * 2).min(Duration::from_secs(60));
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// What a rotation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rotation {
    /// The tenant's key-encryption key version now current.
    pub version: u32,
    /// Person keys re-wrapped under it.
    pub rewrapped: u64,
}

/// Re-wraps one batch of the tenant's person keys wrapped under a version below `version`;
/// returns how many it read. The rows are locked, re-wrapped and updated in one transaction
/// (a reader sees the old or the new wrapping, both valid).
async fn rewrap_batch(db: &Db, vault: &Vault, tenant: TenantId, version: u32) -> Result<u64> {
    let tx = db.begin(Scope::Tenant(tenant)).await?;
    let keys = vault.keyring.with_version(tenant, version).await?;
    let mut select = tx
        .scoped::<person_key::Entity>()?
        .filter(person_key::Column::KekVersion.lt(version as i32))
        .order_by_asc(person_key::Column::Id)
        .limit(BATCH);
    if tx.conn().get_database_backend() == sea_orm::DbBackend::Postgres {
        select = select.lock_exclusive();
    }
    let rows = select.all(tx.conn()).await?;
    for row in &rows {
        let old = u32::try_from(row.kek_version)
            .map_err(|_| Error::internal("a key-encryption key version is negative"))?;
        let key =
            vault
                .keyring
                .with_version(tenant, old)
                .await?
                .unwrap(row.id, old, &row.wrapped)?;
        let (new_version, wrapped) = keys.wrap(row.id, &key)?;
        tx.scoped_update::<person_key::Entity>()?
            .col_expr(
                person_key::Column::KekVersion,
                Expr::value(new_version as i32),
            )
            .col_expr(person_key::Column::Wrapped, Expr::value(wrapped))
            .filter(person_key::Column::Id.eq(row.id))
            .filter(person_key::Column::KekVersion.eq(row.kek_version))
            .exec(tx.conn())
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Re-wraps every person key of the tenant wrapped under a version below `version`, in batches
/// of [`BATCH`], while requests go on; returns how many.
pub async fn rewrap(db: &Db, vault: &Vault, tenant: TenantId, version: u32) -> Result<u64> {
    let mut total = 0;
    loop {
        let n = rewrap_batch(db, vault, tenant, version).await?;
        total += n;
        if n < BATCH {
            return Ok(total);
        }
    }
}

/// Rotates the tenant's key-encryption key: a new version in the key store, current from now
/// on in this process (other processes see it within their keyring's cache time), then every
/// person key re-wrapped under it in batches without stopping reads or writes. Keys of the
/// older versions stay in the key store, so a data key still wrapped under one (by a process
/// that had not seen the rotation yet) stays readable; running the rotation's re-wrap again
/// ([`rewrap`]) after the cache time catches those.
pub async fn rotate(db: &Db, vault: &Vault, tenant: TenantId) -> Result<Rotation> {
    let version = vault.keyring.rotate(tenant).await?.current();
    let mut rewrapped = rewrap(db, vault, tenant, version).await?;
    // A request of this process that read the tenant's keys just before the rotation may
    // commit a new person key under the previous version after the pass above: a last pass,
    // once such requests are over, catches it.
    tokio::time::sleep(SETTLE).await;
    rewrapped += rewrap(db, vault, tenant, version).await?;
    Ok(Rotation { version, rewrapped })
}

/// How long [`rotate`] waits before its last pass: longer than a request that creates a person
/// key takes between reading the tenant's keys and committing.
const SETTLE: Duration = Duration::from_millis(500);

#[cfg(test)]
mod tests {
    use sportello_kernel::crypto::{KeyStore, MemoryKeyStore};

    use super::*;

    async fn person_key(store: &MemoryKeyStore, tenant: TenantId, person: Uuid) -> PersonKey {
        PersonKey {
            tenant: Arc::new(store.load(tenant).await.expect("tenant keys")),
            person,
            key: Key::random(),
        }
    }

    #[tokio::test]
    async fn a_sealed_value_opens_only_in_its_own_row_column_person_and_tenant() {
        let store = MemoryKeyStore::default();
        let tenant = TenantId::new();
        let (person, row) = (Uuid::now_v7(), Uuid::now_v7());
        let key = person_key(&store, tenant, person).await;
        let sealed = key
            .seal(columns::NOTES, row, "diagnosi di tubercolosi")
            .expect("seal");
        assert!(!sealed.contains("tubercolosi"));
        assert_eq!(
            key.open(columns::NOTES, row, &sealed).expect("open"),
            "diagnosi di tubercolosi"
        );
        // Copied to another row, another column, another person's row or another tenant.
        assert!(key.open(columns::NOTES, Uuid::now_v7(), &sealed).is_err());
        assert!(key.open(columns::FEEDBACK, row, &sealed).is_err());
        let other = person_key(&store, tenant, Uuid::now_v7()).await;
        assert!(other.open(columns::NOTES, row, &sealed).is_err());
        let same_key_other_person = PersonKey {
            tenant: key.tenant.clone(),
            person: Uuid::now_v7(),
            key: key.key.clone(),
        };
        assert!(
            same_key_other_person
                .open(columns::NOTES, row, &sealed)
                .is_err()
        );
        let same_key_other_tenant = PersonKey {
            tenant: Arc::new(store.load(TenantId::new()).await.expect("keys")),
            person,
            key: key.key.clone(),
        };
        assert!(
            same_key_other_tenant
                .open(columns::NOTES, row, &sealed)
                .is_err()
        );
        assert_eq!(format!("{key:?}"), "PersonKey(…)");
    }

    #[tokio::test]
    async fn a_sealed_row_opens_with_its_key_and_reads_empty_without_it() {
        let store = MemoryKeyStore::default();
        let tenant = TenantId::new();
        let person = Uuid::now_v7();
        let key = person_key(&store, tenant, person).await;
        let id = Uuid::now_v7();
        let clear = encounter::Model {
            tenant_id: tenant.uuid(),
            id,
            case_id: Uuid::now_v7(),
            occurred_at: Utc::now(),
            channel: "desk".into(),
            language: None,
            mediator_present: false,
            duration_minutes: None,
            notes: Some("ricovero".into()),
            created_by: Uuid::now_v7(),
            created_at: Utc::now(),
            sealed: 0,
            version: 1,
        };
        let mut model = clear.clone().into_active_model();
        model.seal(&key).expect("seal");
        let ActiveValue::Set(Some(stored)) = model.notes.clone() else {
            panic!("the notes are set");
        };
        assert_ne!(stored, "ricovero");
        let sealed = encounter::Model {
            notes: Some(stored),
            sealed: 1,
            ..clear.clone()
        };
        assert!(sealed.needs_key());
        assert_eq!(sealed.clone().open(Some(&key)).expect("open"), clear);
        // Without the key (an erased person) the value is absent, never the ciphertext.
        assert_eq!(sealed.open(None).expect("open").notes, None);
        // A row in clear is left as it is.
        assert_eq!(clear.clone().open(None).expect("open"), clear);
    }
}
