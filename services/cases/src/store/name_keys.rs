//! The duplicate search's blocking keys (`person_name_keys`): written with a person, and the
//! candidates of a search selected and ranked on them.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, Value};
use sportello_kernel::Result;
use sportello_kernel::db::Tx;
use uuid::Uuid;

use super::{person, person_name_key};
use crate::domain::names::{CandidateKeys, person_name_keys};

/// Replaces the blocking keys of `person` with those of its stored name key and skeleton, and
/// its territory, in the transaction that writes the person.
pub async fn write(tx: &Tx, person: &person::Model) -> Result<()> {
    tx.scoped_delete::<person_name_key::Entity>()?
        .filter(person_name_key::Column::PersonId.eq(person.id))
        .exec(tx.conn())
        .await?;
    let keys = person_name_keys(&person.name_key, &person.name_skeleton);
    if keys.is_empty() {
        return Ok(());
    }
    let tenant = tx.tenant()?.uuid();
    let rows = keys.into_iter().map(|key| person_name_key::ActiveModel {
        tenant_id: Set(tenant),
        key: Set(key),
        person_id: Set(person.id),
        territory_code: Set(person.territory_code.clone()),
    });
    person_name_key::Entity::insert_many(rows)
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

/// The ids of the persons of the scope's tenant with at least one of `keys.select`, in
/// `territories` when it is not empty, by the number of `keys.rank` they have (most first),
/// then by id; at most `cap`. `names::rank_candidates` states the same rule in Rust.
pub async fn candidates(
    tx: &Tx,
    keys: &CandidateKeys,
    territories: &[String],
    cap: usize,
) -> Result<Vec<Uuid>> {
    if keys.select.is_empty() {
        return Ok(Vec::new());
    }
    let marks = |n: usize| vec!["?"; n].join(", ");
    let mut values: Vec<Value> = keys.rank.iter().map(|k| k.as_str().into()).collect();
    let mut sql = format!(
        "SELECT person_id FROM person_name_keys WHERE tenant_id = :tenant AND key IN ({})",
        marks(keys.rank.len())
    );
    if !territories.is_empty() {
        sql.push_str(&format!(
            " AND territory_code IN ({})",
            marks(territories.len())
        ));
        values.extend(territories.iter().map(|t| t.as_str().into()));
    }
    sql.push_str(&format!(
        " GROUP BY person_id HAVING MAX(CASE WHEN key IN ({}) THEN 1 ELSE 0 END) = 1 \
         ORDER BY COUNT(*) DESC, person_id LIMIT {cap}",
        marks(keys.select.len())
    ));
    values.extend(keys.select.iter().map(|k| k.as_str().into()));
    tx.query_scoped(&sql, values)
        .await?
        .iter()
        .map(|row| Ok(row.try_get::<Uuid>("", "person_id")?))
        .collect()
}
