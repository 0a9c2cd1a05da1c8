//! The rules of housing that need no store: the priority score and its explanation, the order of
//! the waiting list, the checks of what staff type, the days of follow-ups.

use std::cmp::Ordering;

use chrono::{Datelike, Months, NaiveDate};
use sportello_kernel::error::Object;
use sportello_kernel::error::Refusals;
use sportello_kernel::{Error, Reason, Result};

use crate::interface::*;

/// The longest name, owner, address or room name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest free text (house rules, a note), in characters.
pub const MAX_TEXT: usize = 4000;
/// Beds of one room.
pub const MAX_BEDS_PER_ROOM: u32 = 12;
/// Rooms given at once.
pub const MAX_ROOMS: usize = 30;
/// Points one fact may give under a rule.
pub const MAX_POINTS: u32 = 1000;
/// The longest a placement may be planned for at once, in months (renewed by extensions).
pub const MAX_PLACEMENT_MONTHS: u32 = 60;
/// Months after an exit at which a household is followed up.
pub const FOLLOW_UP_MONTHS: [u32; 2] = [6, 12];

/// The facts a score is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub minors: u32,
    pub eviction_notice: bool,
    pub income_band: IncomeBand,
    pub health_or_disability: bool,
    pub applied_on: NaiveDate,
}

/// Whole calendar months from `from` to `to` (0 when `to` is earlier), a month ending on the
/// same day of a later month or, when that month is shorter, on its last day (as
/// [`add_months`]): 31 January to 27 February is 0, to 28 February 1.
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if months > 0 && add_months(from, months as u32) > to {
        months -= 1;
    }
    months.max(0) as u32
}

/// `day` plus `months` calendar months, clamped to the month's last day (31 August + 6 months
/// is the last day of February).
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// The score of an application on `today` under `rule`, with one term per fact (in the order of
/// [`PriorityFactor::ALL`]); the score is the sum of the terms' points.
pub fn score(rule: &PriorityRule, facts: &Facts, today: NaiveDate) -> (u32, Vec<ScoreTerm>) {
    let months = whole_months(facts.applied_on, today).min(rule.max_months_waiting);
    let income = match facts.income_band {
        IncomeBand::VeryLow => rule.income_very_low,
        IncomeBand::Low => rule.income_low,
        IncomeBand::Medium => rule.income_medium,
        IncomeBand::High => rule.income_high,
        IncomeBand::Unknown => 0,
    };
    let terms = vec![
        ScoreTerm {
            factor: PriorityFactor::Minors,
            quantity: facts.minors,
            points: facts.minors.saturating_mul(rule.per_minor),
        },
        ScoreTerm {
            factor: PriorityFactor::EvictionNotice,
            quantity: u32::from(facts.eviction_notice),
            points: if facts.eviction_notice {
                rule.eviction_notice
            } else {
                0
            },
        },
        ScoreTerm {
            factor: PriorityFactor::IncomeBand,
            quantity: 1,
            points: income,
        },
        ScoreTerm {
            factor: PriorityFactor::MonthsWaiting,
            quantity: months,
            points: months.saturating_mul(rule.per_month_waiting),
        },
        ScoreTerm {
            factor: PriorityFactor::HealthOrDisability,
            quantity: u32::from(facts.health_or_disability),
            points: if facts.health_or_disability {
                rule.health_or_disability
            } else {
                0
            },
        },
    ];
    let total = terms
        .iter()
        .fold(0u32, |sum, t| sum.saturating_add(t.points));
    (total, terms)
}

/// The order of the waiting list: the higher score first; on equal scores the earlier entry,
/// then the application's id (time-ordered, so the earlier typed).
pub fn list_order(a: (u32, NaiveDate, uuid::Uuid), b: (u32, NaiveDate, uuid::Uuid)) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

/// Checks a new rule's points (0 to [`MAX_POINTS`] each; at most 240 months) and its reason.
pub fn check_rule(req: &SetPriorityRule) -> Result<PriorityRule> {
    let mut refusals = Refusals::default();
    for (field, value) in [
        ("perMinor", req.per_minor),
        ("evictionNotice", req.eviction_notice),
        ("incomeVeryLow", req.income_very_low),
        ("incomeLow", req.income_low),
        ("incomeMedium", req.income_medium),
        ("incomeHigh", req.income_high),
        ("healthOrDisability", req.health_or_disability),
        ("perMonthWaiting", req.per_month_waiting),
    ] {
        refusals.take(points(field, value, MAX_POINTS));
    }
    refusals.take(points("maxMonthsWaiting", req.max_months_waiting, 240));
    refusals.take(text("reason", &req.reason, MAX_TEXT));
    refusals.finish()?;
    Ok(PriorityRule {
        per_minor: req.per_minor,
        eviction_notice: req.eviction_notice,
        income_very_low: req.income_very_low,
        income_low: req.income_low,
        income_medium: req.income_medium,
        income_high: req.income_high,
        health_or_disability: req.health_or_disability,
        per_month_waiting: req.per_month_waiting,
        max_months_waiting: req.max_months_waiting,
        ..PriorityRule::default()
    })
}

fn points(field: &str, value: u32, max: u32) -> Result<u32> {
    if value > max {
        return Err(Error::on(
            field,
            Reason::OutOfRange {
                min: 0,
                max: i64::from(max),
            },
        ));
    }
    Ok(value)
}

/// A required text: trimmed, not empty, at most `max` characters, no control characters but
/// line breaks and tabs.
pub fn text(field: &str, input: &str, max: usize) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Error::on(field, Reason::Required));
    }
    if text.chars().count() > max {
        return Err(Error::on(field, Reason::TooLong { max: max as u32 }));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(Error::on(field, Reason::ControlCharacters));
    }
    Ok(text.to_owned())
}

/// An optional text: `None` for absent or blank, else as [`text`].
pub fn optional_text(field: &str, input: Option<&str>, max: usize) -> Result<Option<String>> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, max).map(Some),
    }
}

/// A checked unit description.
pub struct CheckedUnit {
    pub name: String,
    pub owner: String,
    pub address: String,
    pub territory_code: String,
    pub shared_spaces: Vec<String>,
    pub house_rules: Option<String>,
}

/// Checks a unit's description against the tenant's municipalities, every field at once.
pub fn check_unit(
    input: &UnitInput,
    territories: &std::collections::BTreeSet<String>,
) -> Result<CheckedUnit> {
    let mut refusals = Refusals::default();
    let name = refusals.take(text("name", &input.name, MAX_NAME));
    let owner = refusals.take(text("owner", &input.owner, MAX_NAME));
    let address = refusals.take(text("address", &input.address, MAX_NAME));
    let code = input.territory_code.trim();
    let territory_code = if code.is_empty() {
        refusals.note(Error::on("territoryCode", Reason::Required));
        None
    } else if !territories.contains(code) {
        refusals.note(Error::on(
            "territoryCode",
            Reason::NoSuch {
                object: Object::Territory,
            },
        ));
        None
    } else {
        Some(code.to_owned())
    };
    let mut spaces = Vec::new();
    if input.shared_spaces.len() > 20 {
        refusals.note(Error::on("sharedSpaces", Reason::TooMany { max: 20 }));
    }
    for space in input.shared_spaces.iter().take(20) {
        match optional_text("sharedSpaces", Some(space), MAX_NAME) {
            Ok(Some(s)) if !spaces.contains(&s) => spaces.push(s),
            Ok(_) => {}
            Err(err) => refusals.note(err),
        }
    }
    let house_rules = refusals.take(optional_text(
        "houseRules",
        input.house_rules.as_deref(),
        MAX_TEXT,
    ));
    refusals.finish()?;
    Ok(CheckedUnit {
        name: name.unwrap_or_default(),
        owner: owner.unwrap_or_default(),
        address: address.unwrap_or_default(),
        territory_code: territory_code.unwrap_or_default(),
        shared_spaces: spaces,
        house_rules: house_rules.flatten(),
    })
}

/// Checks rooms to add: 1 to [`MAX_ROOMS`], each named, with 1 to [`MAX_BEDS_PER_ROOM`] beds.
pub fn check_rooms(rooms: &[NewRoom]) -> Result<Vec<(String, u32)>> {
    if rooms.is_empty() {
        return Err(Error::on("rooms", Reason::Required).saying("a unit needs a room with a bed"));
    }
    if rooms.len() > MAX_ROOMS {
        return Err(Error::on(
            "rooms",
            Reason::TooMany {
                max: MAX_ROOMS as u32,
            },
        ));
    }
    rooms
        .iter()
        .map(|r| {
            let name = text("rooms", &r.name, MAX_NAME)?;
            if !(1..=MAX_BEDS_PER_ROOM).contains(&r.beds) {
                return Err(Error::on(
                    "rooms",
                    Reason::OutOfRange {
                        min: 1,
                        max: i64::from(MAX_BEDS_PER_ROOM),
                    },
                )
                .saying("a room has 1 to 12 beds"));
            }
            Ok((name, r.beds))
        })
        .collect()
}

/// A placement's days: the start within a year back and five years ahead of `today`, the
/// planned end after the start and at most [`MAX_PLACEMENT_MONTHS`] later.
pub fn check_period(
    refusals: &mut Refusals,
    starts_on: NaiveDate,
    planned_end_on: NaiveDate,
    today: NaiveDate,
) {
    let start_ok = refusals
        .take(sportello_kernel::dates::date_within(
            "startsOn",
            starts_on,
            add_months(today, 0) - chrono::Duration::days(366),
            add_months(today, 60),
        ))
        .is_some();
    if start_ok {
        refusals.take(check_end("plannedEndOn", starts_on, planned_end_on));
    }
}

/// A planned end after `starts_on` and at most [`MAX_PLACEMENT_MONTHS`] later.
pub fn check_end(field: &str, starts_on: NaiveDate, end: NaiveDate) -> Result<NaiveDate> {
    sportello_kernel::dates::date_within(
        field,
        end,
        starts_on + chrono::Duration::days(1),
        add_months(starts_on, MAX_PLACEMENT_MONTHS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    #[test]
    fn months_are_whole_calendar_months() {
        assert_eq!(whole_months(day(2027, 1, 31), day(2027, 2, 27)), 0);
        assert_eq!(whole_months(day(2027, 1, 31), day(2027, 2, 28)), 1);
        assert_eq!(whole_months(day(2027, 1, 31), day(2027, 3, 30)), 1);
        assert_eq!(whole_months(day(2027, 1, 31), day(2027, 3, 31)), 2);
        assert_eq!(whole_months(day(2027, 1, 15), day(2027, 1, 14)), 0);
        assert_eq!(whole_months(day(2026, 1, 15), day(2027, 1, 15)), 12);
        assert_eq!(add_months(day(2027, 8, 31), 6), day(2028, 2, 29));
        assert_eq!(add_months(day(2026, 8, 31), 6), day(2027, 2, 28));
    }

    #[test]
    fn the_score_is_the_sum_of_its_explained_terms() {
        let rule = PriorityRule::default();
        let facts = Facts {
            minors: 2,
            eviction_notice: true,
            income_band: IncomeBand::Low,
            health_or_disability: false,
            applied_on: day(2026, 1, 10),
        };
        let (total, terms) = score(&rule, &facts, day(2026, 4, 9));
        // 2 × 10 + 30 + 15 + 2 months × 1 + 0.
        assert_eq!(total, 67);
        assert_eq!(total, terms.iter().map(|t| t.points).sum::<u32>());
        assert_eq!(terms[3].quantity, 2);
        // Months are capped by the rule.
        let (capped, _) = score(&rule, &facts, day(2030, 1, 1));
        assert_eq!(capped, 20 + 30 + 15 + 24);
    }

    #[test]
    fn ties_go_to_the_earlier_entry() {
        let a = (50, day(2026, 1, 1), uuid::Uuid::from_u128(2));
        let b = (50, day(2026, 2, 1), uuid::Uuid::from_u128(1));
        let c = (60, day(2026, 3, 1), uuid::Uuid::from_u128(3));
        let mut list = vec![a, b, c];
        list.sort_by(|x, y| list_order(*x, *y));
        assert_eq!(list, vec![c, a, b]);
    }

    #[test]
    fn a_rule_names_every_field_at_fault() {
        let err = check_rule(&SetPriorityRule {
            expected_version: 0,
            per_minor: 5000,
            eviction_notice: 1,
            income_very_low: 1,
            income_low: 1,
            income_medium: 1,
            income_high: 1,
            health_or_disability: 1,
            per_month_waiting: 1,
            max_months_waiting: 999,
            reason: " ".into(),
        })
        .unwrap_err();
        assert_eq!(
            err.refused_fields(),
            ["perMinor", "maxMonthsWaiting", "reason"]
        );
    }
}
