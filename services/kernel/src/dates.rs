//! The ranges dates and instants must fall in when a service accepts them, one per kind of date,
//! so that every date stored and every date returned has a four-digit year and a plausible value.
//!
//! Shapes: an *instant* is a `DateTime<Utc>` (RFC 3339 on the wire, any offset, compared in UTC);
//! a *date* is a calendar day, `NaiveDate` (`YYYY-MM-DD`). "Today" is the UTC date; a date that
//! must not be in the future may be one day ahead of it, because the desks work in Italian time
//! (UTC+1, UTC+2 in summer). A date that must not be in the past ([`planned_date`]) is checked
//! against the caller's today, the tenant's local date (`Context::today`). Bounds are inclusive.
//!
//! | kind | earliest | latest | used for |
//! | --- | --- | --- | --- |
//! | [`past_date`] | 1900-01-01 | today (+1 day) | birth dates |
//! | [`document_date`] | 1900-01-01 | today + 30 years | permit expiry |
//! | [`happened`] | 2000-01-01T00:00Z | now + 5 minutes | encounters, interventions |
//! | [`planned_date`] | the tenant's today | today + 5 years | plan reviews, step due dates |
//! | [`booking`] | now | now + 2 years | appointment starts (every occurrence) |
//!
//! A permit's expiry ([`document_date`]) may be past: an expired permit is a fact a desk records.
//! | [`filter`], [`filter_date`] | 1900-01-01 | 2100-12-31 | list filters, analytics periods |

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use crate::{Error, Result};

/// A person's age in whole years on `on`, from the birth date as known: the year alone, the
/// year and month, or the whole date (`month` 1–12, `day` 1–31). `None` when not born yet on
/// `on`, or when the date does not exist.
///
/// A part left out is read as its **latest** possible value: the year alone as 31 December of
/// that year, the year and month as the month's last day. The age is then the youngest the
/// person can be, so a minor never counts as an adult (for protection, a desk must treat
/// someone who may be 17 as 17). Someone known to be born in 2008 is 17 throughout 2026 and
/// 18 from 1 January 2027 (as DESIGN says: "minor until the end of the year they turn 18").
/// One rule for the household's minors, the age bands of analytics events and any other age.
pub fn age_on(year: i32, month: Option<u32>, day: Option<u32>, on: NaiveDate) -> Option<i32> {
    use chrono::Datelike;
    let month_known = month.unwrap_or(12);
    let birth = match day {
        Some(d) => NaiveDate::from_ymd_opt(year, month_known, d)?,
        // The last day of the month: the day before the first of the next one.
        None => NaiveDate::from_ymd_opt(year, month_known, 1)?
            .checked_add_months(Months::new(1))?
            .pred_opt()?,
    };
    if on < birth {
        return None;
    }
    let mut age = on.year() - birth.year();
    // Not yet had this year's birthday (29 February: on 1 March in common years).
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    Some(age)
}

/// The earliest year of any date.
pub const MIN_YEAR: i32 = 1900;
/// The latest year of any date.
pub const MAX_YEAR: i32 = 2100;
/// The earliest year of something done at a desk (encounters, interventions).
pub const WORK_MIN_YEAR: i32 = 2000;
/// How far in the future a thing that happened may be (clocks differ).
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// How far ahead an appointment may be booked.
pub const BOOKING_AHEAD_MONTHS: u32 = 24;
/// How far ahead a plan date may be.
pub const PLAN_AHEAD_MONTHS: u32 = 60;
/// How far ahead a document may expire.
pub const DOCUMENT_AHEAD_MONTHS: u32 = 360;

/// Today's date in UTC.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

fn shifted(day: NaiveDate, ahead: bool, months: u32) -> NaiveDate {
    let by = Months::new(months);
    let out = if ahead {
        day.checked_add_months(by)
    } else {
        day.checked_sub_months(by)
    };
    out.unwrap_or(day)
}

/// A date between `earliest` and `latest`, or `INVALID_INPUT` on `field`.
pub fn date_within(
    field: &str,
    value: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Result<NaiveDate> {
    if (earliest..=latest).contains(&value) {
        Ok(value)
    } else {
        Err(Error::on(
            field,
            crate::Reason::DateOutOfRange {
                min: earliest.format("%Y-%m-%d").to_string(),
                max: latest.format("%Y-%m-%d").to_string(),
            },
        ))
    }
}

/// An instant between `earliest` and `latest`, or `INVALID_INPUT` on `field`.
pub fn instant_within(
    field: &str,
    value: DateTime<Utc>,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    if (earliest..=latest).contains(&value) {
        Ok(value)
    } else {
        Err(Error::on(
            field,
            crate::Reason::TimeOutOfRange {
                min: earliest.format("%Y-%m-%dT%H:%MZ").to_string(),
                max: latest.format("%Y-%m-%dT%H:%MZ").to_string(),
            },
        ))
    }
}

/// A date already past: from 1900 to today (one day's tolerance for Italian time).
pub fn past_date(field: &str, value: NaiveDate) -> Result<NaiveDate> {
    let latest = today() + Duration::days(1);
    date_within(field, value, first_day(MIN_YEAR), latest)
}

/// The date a document expires: from 1900 to 30 years from today.
pub fn document_date(field: &str, value: NaiveDate) -> Result<NaiveDate> {
    let latest = shifted(today(), true, DOCUMENT_AHEAD_MONTHS);
    date_within(field, value, first_day(MIN_YEAR), latest)
}

/// When something done at a desk happened: from 2000 to `now` (give or take clock skew).
pub fn happened(field: &str, value: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let earliest = start_of(first_day(WORK_MIN_YEAR));
    instant_within(field, value, earliest, now + CLOCK_SKEW)
}

/// A date in a plan (a goal's review, a step's due date): from `today` to five years ahead.
/// `today` is the tenant's local date ([`crate::Context::today`]), so a desk in Rome may plan
/// for today from midnight in Rome. A day before `today` is `INVALID_INPUT` on `field`
/// ("the date is in the past"); a day beyond five years, the range's message.
pub fn planned_date(field: &str, value: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    if value < today {
        return Err(Error::on(
            field,
            crate::Reason::DateInPast {
                today: today.format("%Y-%m-%d").to_string(),
            },
        ));
    }
    date_within(field, value, today, shifted(today, true, PLAN_AHEAD_MONTHS))
}

/// The start of a booking: from `now` to two years ahead.
pub fn booking(field: &str, value: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let latest = end_of(shifted(now.date_naive(), true, BOOKING_AHEAD_MONTHS));
    if value < now {
        return Err(Error::on(field, crate::Reason::StartInPast));
    }
    instant_within(field, value, now, latest)
}

/// A bound of a filter: within the years 1900–2100.
pub fn filter(field: &str, value: DateTime<Utc>) -> Result<DateTime<Utc>> {
    instant_within(
        field,
        value,
        start_of(first_day(MIN_YEAR)),
        end_of(last_day(MAX_YEAR)),
    )
}

/// A day bounding a filter or a period: within the years 1900–2100.
pub fn filter_date(field: &str, value: NaiveDate) -> Result<NaiveDate> {
    date_within(field, value, first_day(MIN_YEAR), last_day(MAX_YEAR))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug>) -> Option<String> {
        r.err().and_then(|e| e.field)
    }

    #[test]
    fn every_bound_formats_with_a_four_digit_year() {
        let now = Utc::now();
        for t in [
            start_of(first_day(MIN_YEAR)),
            end_of(last_day(MAX_YEAR)),
            end_of(shifted(now.date_naive(), true, BOOKING_AHEAD_MONTHS)) + Duration::days(1),
        ] {
            let text = t.to_rfc3339();
            assert!(DateTime::parse_from_rfc3339(&text).is_ok(), "{text}");
            assert_eq!(text.find('-'), Some(4), "{text}");
        }
    }

    #[test]
    fn dates_outside_their_range_name_the_field() {
        let far = NaiveDate::from_ymd_opt(9999, 12, 20).unwrap_or_default();
        let old = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap_or_default();
        assert_eq!(field(past_date("birth", far)).as_deref(), Some("birth"));
        assert_eq!(field(past_date("birth", old)).as_deref(), Some("birth"));
        assert!(past_date("birth", today()).is_ok());
        assert_eq!(
            field(planned_date("dueOn", far, today())).as_deref(),
            Some("dueOn")
        );
        assert!(planned_date("dueOn", today(), today()).is_ok());
        // The day before the caller's today is past, whatever the UTC date.
        let local = today() + Duration::days(1);
        assert_eq!(
            field(planned_date("reviewOn", today(), local)).as_deref(),
            Some("reviewOn")
        );
        assert!(planned_date("reviewOn", local, local).is_ok());
        assert_eq!(field(filter_date("from", far)).as_deref(), Some("from"));
        assert_eq!(field(document_date("x", far)).as_deref(), Some("x"));
        let now = Utc::now();
        let start = far.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc();
        assert_eq!(
            field(booking("startsAt", start, now)).as_deref(),
            Some("startsAt")
        );
        assert_eq!(
            field(booking("startsAt", now - Duration::hours(1), now)).as_deref(),
            Some("startsAt")
        );
        assert!(booking("startsAt", now + Duration::days(700), now).is_ok());
        assert_eq!(
            field(happened("occurredAt", start, now)).as_deref(),
            Some("occurredAt")
        );
        assert_eq!(
            field(happened("occurredAt", start_of(old), now)).as_deref(),
            Some("occurredAt")
        );
        assert!(happened("occurredAt", now, now).is_ok());
        assert_eq!(field(filter("to", start_of(old))).as_deref(), Some("to"));
        assert!(filter("to", now).is_ok());
    }
}
