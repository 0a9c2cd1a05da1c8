//! Units, their rooms and beds, and the stays on beds for the occupancy calendar.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::events::Event;
use sportello_kernel::{Context, Error, Reason, Result};
use uuid::Uuid;

use super::HousingService;
use crate::domain::{self, CheckedUnit};
use crate::events;
use crate::interface::*;
use crate::store::{bed, bed_stay, room, unit};

/// The longest calendar asked at once, in days.
const MAX_CALENDAR_DAYS: i64 = 400;

impl HousingService {
    pub(super) async fn add_unit(&self, ctx: &Context, req: AddUnit) -> Result<Unit> {
        let tenant = ctx.tenant()?;
        let territories = self.tenant_territory_codes(ctx).await?;
        let mut refusals = sportello_kernel::error::Refusals::default();
        let checked = refusals.take(domain::check_unit(&req.unit, &territories));
        let rooms = refusals.take(domain::check_rooms(&req.rooms));
        refusals.finish()?;
        let (Some(checked), Some(rooms)) = (checked, rooms) else {
            return Err(Error::internal("checked input missing"));
        };
        let now = ctx.now();
        let id = UnitId::new().uuid();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        unit::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(id),
            kind: Set(req.unit.kind.as_str().to_owned()),
            ownership: Set(req.unit.ownership.as_str().to_owned()),
            accessible: Set(req.unit.accessible),
            state: Set(UnitState::Available.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..described(checked)?
        }
        .insert(tx.conn())
        .await?;
        insert_rooms(&tx, id, 0, 0, &rooms).await?;
        let unit = load_units(&tx, &[id], ctx.today()).await?.remove(0);
        self.emit_unit(&tx, ctx, &unit).await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub(super) async fn update_unit(&self, ctx: &Context, req: UpdateUnit) -> Result<Unit> {
        let tenant = ctx.tenant()?;
        let territories = self.tenant_territory_codes(ctx).await?;
        let mut refusals = sportello_kernel::error::Refusals::default();
        let checked = refusals.take(domain::check_unit(&req.unit, &territories));
        if req.state == UnitState::Occupied {
            refusals.note(
                Error::on(
                    "state",
                    Reason::TransitionNotAllowed {
                        from: "AVAILABLE".into(),
                        to: "OCCUPIED".into(),
                    },
                )
                .saying("a unit reads occupied when its beds are; set it available"),
            );
        }
        refusals.finish()?;
        let checked = checked.ok_or_else(|| Error::internal("checked input missing"))?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<unit::Entity>(unit::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if req.state == UnitState::Withdrawn && found.state != UnitState::Withdrawn.as_str() {
            // Stays that have not ended keep the unit in use.
            let in_use = tx
                .scoped::<bed_stay::Entity>()?
                .filter(bed_stay::Column::UnitId.eq(req.id.uuid()))
                .filter(bed_stay::Column::EndsOn.gt(today))
                .one(tx.conn())
                .await?;
            if in_use.is_some() {
                return Err(Error::on(
                    "state",
                    Reason::TransitionNotAllowed {
                        from: found.state.clone(),
                        to: "WITHDRAWN".into(),
                    },
                )
                .saying("households are placed in the unit: end their placements first"));
            }
        }
        let mut model = described(checked)?;
        model.kind = Set(req.unit.kind.as_str().to_owned());
        model.ownership = Set(req.unit.ownership.as_str().to_owned());
        model.accessible = Set(req.unit.accessible);
        model.state = Set(req.state.as_str().to_owned());
        model.updated_at = Set(ctx.now());
        tx.update_versioned::<unit::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        let unit = load_units(&tx, &[req.id.uuid()], today).await?.remove(0);
        self.emit_unit(&tx, ctx, &unit).await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub(super) async fn add_room(&self, ctx: &Context, req: AddRoom) -> Result<Unit> {
        let tenant = ctx.tenant()?;
        let rooms = domain::check_rooms(std::slice::from_ref(&req.room))?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<unit::Entity>(unit::Column::Id, req.unit_id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        let existing = tx
            .scoped::<room::Entity>()?
            .filter(room::Column::UnitId.eq(found.id))
            .all(tx.conn())
            .await?;
        let beds = tx
            .scoped::<bed::Entity>()?
            .filter(bed::Column::UnitId.eq(found.id))
            .all(tx.conn())
            .await?;
        insert_rooms(&tx, found.id, existing.len(), beds.len(), &rooms).await?;
        tx.update_versioned::<unit::Entity>(
            found.id,
            Some(req.expected_version),
            unit::ActiveModel {
                updated_at: Set(ctx.now()),
                ..Default::default()
            },
        )
        .await?;
        let unit = load_units(&tx, &[found.id], ctx.today()).await?.remove(0);
        self.emit_unit(&tx, ctx, &unit).await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub(super) async fn get_unit(&self, ctx: &Context, req: UnitId) -> Result<Unit> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.find::<unit::Entity>(unit::Column::Id, req.uuid())
            .await?;
        let unit = load_units(&tx, &[req.uuid()], ctx.today()).await?.remove(0);
        tx.finish().await?;
        Ok(unit)
    }

    pub(super) async fn list_units(&self, ctx: &Context, req: ListUnits) -> Result<Paged<Unit>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<unit::Entity>()?;
        if let Some(code) = req.territory_code.as_deref() {
            select = select.filter(unit::Column::TerritoryCode.eq(code.trim()));
        }
        // `OCCUPIED` is read, not stored: it is filtered after reading.
        let wanted = req.state;
        if let Some(state) = wanted {
            let stored = match state {
                UnitState::Occupied => UnitState::Available,
                other => other,
            };
            select = select.filter(unit::Column::State.eq(stored.as_str()));
        }
        let rows = tx.page(select, unit::Column::Id, &req.page).await?;
        let ids: Vec<Uuid> = rows.items.iter().map(|u| u.id).collect();
        let mut units = load_units(&tx, &ids, today).await?;
        tx.finish().await?;
        if let Some(state) = wanted {
            // Available units with no bed free today read occupied, and the other way round.
            units.retain(|u| u.state == state);
        }
        Ok(Paged {
            items: units,
            has_next_page: rows.has_next_page,
        })
    }

    pub(super) async fn list_stays(&self, ctx: &Context, req: ListStays) -> Result<Vec<BedStay>> {
        let tenant = ctx.tenant()?;
        let from = sportello_kernel::dates::filter_date("from", req.from)?;
        let to = sportello_kernel::dates::filter_date("to", req.to)?;
        if to <= from || (to - from).num_days() > MAX_CALENDAR_DAYS {
            return Err(Error::on(
                "to",
                Reason::DateOutOfRange {
                    min: (from + chrono::Duration::days(1)).to_string(),
                    max: (from + chrono::Duration::days(MAX_CALENDAR_DAYS)).to_string(),
                },
            ));
        }
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx
            .scoped::<bed_stay::Entity>()?
            .filter(bed_stay::Column::StartsOn.lt(to))
            .filter(bed_stay::Column::EndsOn.gt(from));
        if let Some(unit) = req.unit_id {
            tx.find::<unit::Entity>(unit::Column::Id, unit.uuid())
                .await?;
            select = select.filter(bed_stay::Column::UnitId.eq(unit.uuid()));
        }
        let rows = select
            .order_by_asc(bed_stay::Column::UnitId)
            .order_by_asc(bed_stay::Column::BedId)
            .order_by_asc(bed_stay::Column::StartsOn)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(rows
            .into_iter()
            .map(|s| BedStay {
                unit_id: UnitId::from(s.unit_id),
                bed_id: BedId::from(s.bed_id),
                placement_id: PlacementId::from(s.placement_id),
                household_id: HouseholdId::from(s.household_id),
                starts_on: s.starts_on,
                ends_on: s.ends_on,
            })
            .collect())
    }

    /// Tells analytics the unit's beds and whether it takes placements.
    pub(super) async fn emit_unit(&self, tx: &Tx, ctx: &Context, unit: &Unit) -> Result<()> {
        let keyer = events::keyer(tx, &self.pseudonyms, ctx).await?;
        let open = matches!(unit.state, UnitState::Available | UnitState::Occupied);
        let pseudonym = keyer.object("unit", unit.id.uuid());
        events::emit_for_object(
            tx,
            &keyer,
            ("unit", unit.id.uuid()),
            &unit.territory_code,
            ctx.today(),
            Some(pseudonym.clone()),
            Event::HousingUnitChanged {
                unit: pseudonym,
                beds: unit.beds,
                open,
            },
        )
        .await
    }
}

/// The described columns of a unit.
fn described(checked: CheckedUnit) -> Result<unit::ActiveModel> {
    Ok(unit::ActiveModel {
        name: Set(checked.name),
        owner: Set(checked.owner),
        address: Set(checked.address),
        territory_code: Set(checked.territory_code),
        shared_spaces: Set(serde_json::to_string(&checked.shared_spaces).map_err(Error::internal)?),
        house_rules: Set(checked.house_rules),
        ..Default::default()
    })
}

/// Inserts rooms after the unit's `rooms_before` rooms and `beds_before` beds; beds are labelled
/// by their number in the unit ("1", "2"…).
async fn insert_rooms(
    tx: &Tx,
    unit: Uuid,
    rooms_before: usize,
    beds_before: usize,
    rooms: &[(String, u32)],
) -> Result<()> {
    let tenant = tx.tenant()?.uuid();
    let mut bed_number = beds_before;
    for (i, (name, beds)) in rooms.iter().enumerate() {
        let room_id = RoomId::new().uuid();
        room::ActiveModel {
            tenant_id: Set(tenant),
            id: Set(room_id),
            unit_id: Set(unit),
            name: Set(name.clone()),
            position: Set((rooms_before + i) as i32),
        }
        .insert(tx.conn())
        .await?;
        for _ in 0..*beds {
            bed_number += 1;
            bed::ActiveModel {
                tenant_id: Set(tenant),
                id: Set(BedId::new().uuid()),
                unit_id: Set(unit),
                room_id: Set(room_id),
                label: Set(bed_number.to_string()),
                position: Set(bed_number as i32),
            }
            .insert(tx.conn())
            .await?;
        }
    }
    Ok(())
}

/// Units by id (in the order given), with their rooms, beds and today's placements.
pub(super) async fn load_units(tx: &Tx, ids: &[Uuid], today: NaiveDate) -> Result<Vec<Unit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let units = tx
        .scoped::<unit::Entity>()?
        .filter(unit::Column::Id.is_in(ids.to_vec()))
        .all(tx.conn())
        .await?;
    let rooms = tx
        .scoped::<room::Entity>()?
        .filter(room::Column::UnitId.is_in(ids.to_vec()))
        .order_by_asc(room::Column::Position)
        .all(tx.conn())
        .await?;
    let beds = tx
        .scoped::<bed::Entity>()?
        .filter(bed::Column::UnitId.is_in(ids.to_vec()))
        .order_by_asc(bed::Column::Position)
        .all(tx.conn())
        .await?;
    let stays = tx
        .scoped::<bed_stay::Entity>()?
        .filter(bed_stay::Column::UnitId.is_in(ids.to_vec()))
        .filter(bed_stay::Column::StartsOn.lte(today))
        .filter(bed_stay::Column::EndsOn.gt(today))
        .all(tx.conn())
        .await?;
    let on_bed: HashMap<Uuid, Uuid> = stays.iter().map(|s| (s.bed_id, s.placement_id)).collect();
    let mut beds_of_room: BTreeMap<Uuid, Vec<Bed>> = BTreeMap::new();
    for b in beds {
        beds_of_room.entry(b.room_id).or_default().push(Bed {
            id: BedId::from(b.id),
            label: b.label,
            placement_id: on_bed.get(&b.id).copied().map(PlacementId::from),
        });
    }
    let mut rooms_of_unit: HashMap<Uuid, Vec<Room>> = HashMap::new();
    for r in rooms {
        rooms_of_unit.entry(r.unit_id).or_default().push(Room {
            id: RoomId::from(r.id),
            name: r.name,
            beds: beds_of_room.remove(&r.id).unwrap_or_default(),
        });
    }
    let mut by_id: HashMap<Uuid, unit::Model> = units.into_iter().map(|u| (u.id, u)).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(u) = by_id.remove(id) else {
            continue;
        };
        let rooms = rooms_of_unit.remove(id).unwrap_or_default();
        let beds = rooms.iter().map(|r| r.beds.len() as u32).sum::<u32>();
        let vacant = rooms
            .iter()
            .flat_map(|r| &r.beds)
            .filter(|b| b.placement_id.is_none())
            .count() as u32;
        let stored = UnitState::parse(&u.state)
            .ok_or_else(|| Error::internal("unknown unit state stored"))?;
        let state = if stored == UnitState::Available && beds > 0 && vacant == 0 {
            UnitState::Occupied
        } else {
            stored
        };
        out.push(Unit {
            id: UnitId::from(u.id),
            name: u.name,
            kind: UnitKind::parse(&u.kind).ok_or_else(|| Error::internal("unknown unit kind"))?,
            ownership: Ownership::parse(&u.ownership)
                .ok_or_else(|| Error::internal("unknown ownership"))?,
            owner: u.owner,
            address: u.address,
            territory_code: u.territory_code,
            accessible: u.accessible,
            shared_spaces: serde_json::from_str(&u.shared_spaces).map_err(Error::internal)?,
            house_rules: u.house_rules,
            state,
            rooms,
            beds,
            vacant_beds: vacant,
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        });
    }
    Ok(out)
}
