//! Time as the desks live it: the installation's [`Clock`] and each tenant's [`Zone`].
//!
//! Instants are stored and compared in UTC; days, months, weekly recurrences and reminder lead
//! times are computed in the tenant's zone (IANA name, `Europe/Rome` by default) with the
//! time-zone database of `chrono-tz`, so that 00:40 on the 1st in Rome is in the new month and
//! a weekly 10:00 stays 10:00 across a clock change.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// The installation's clock: the system clock, or one that started at a chosen instant and runs
/// from there (configuration `clock_start`, honoured in test builds only). The request's
/// [`crate::Context`] carries it to every service, which reads it when it needs the time, so
/// instants stamped on rows follow the order in which things were done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Clock {
    /// Milliseconds added to the system clock.
    offset_ms: i64,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `start` now and runs at the system clock's pace.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            offset_ms: (start - Utc::now()).num_milliseconds(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms)
    }

    /// True for the system clock.
    pub fn is_system(&self) -> bool {
        self.offset_ms == 0
    }
}

/// A tenant's time zone, by its IANA name. `Europe/Rome` unless the tenant chose another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(Tz::Europe__Rome)
    }
}

impl Zone {
    /// The zone of a tenant that chose none.
    pub const DEFAULT_NAME: &'static str = "Europe/Rome";

    /// A zone by its IANA name (`Europe/Rome`, `America/Lima`…), or `INVALID_INPUT` on `field`.
    pub fn parse(field: &str, name: &str) -> Result<Zone> {
        Tz::from_str(name.trim())
            .map(Zone)
            .map_err(|_| Error::on(field, crate::Reason::NotATimeZone))
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The local date-time of an instant.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.0)
    }

    /// The local day of an instant.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }

    /// The instant of a local date-time. Of the two instants of an hour repeated when clocks go
    /// back, the first; an hour skipped when clocks go forward is read as the hour after it.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => {
                let later = local + Duration::hours(1);
                match self.0.from_local_datetime(&later) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
                    // No zone skips two hours in a row; fall back to reading the wall time as UTC.
                    LocalResult::None => local.and_utc(),
                }
            }
        }
    }

    /// `at` moved by a local (wall-clock) duration: `weeks(1)` after Monday 10:00 is the next
    /// Monday 10:00, `hours(-24)` before 10:00 is 10:00 the day before, whatever clock change lies
    /// between.
    pub fn shift_local(&self, at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
        self.instant(self.local(at).naive_local() + by)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Tz::from_str(&name)
            .map(Zone)
            .map_err(|_| serde::de::Error::custom("unknown time zone"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn days_and_months_are_cut_in_the_zone() {
        let rome = Zone::default();
        // 00:00:40 on 1 December in Rome is 23:00:40 UTC on 30 November.
        let at = utc("2026-11-30T23:00:40Z");
        assert_eq!(rome.date_of(at).to_string(), "2026-12-01");
        let lima = Zone::parse("timeZone", "America/Lima").unwrap_or_default();
        assert_eq!(lima.date_of(at).to_string(), "2026-11-30");
        assert_eq!(lima.name(), "America/Lima");
        assert_eq!(
            Zone::parse("timeZone", "Mars/Olympus")
                .err()
                .and_then(|e| e.field),
            Some("timeZone".to_owned())
        );
    }

    #[test]
    fn a_weekly_hour_survives_both_clock_changes_in_rome() {
        let rome = Zone::default();
        // 10:00 in Rome on Tuesday 23 March 2027 (UTC+1); clocks go forward on 28 March.
        let first = utc("2027-03-23T09:00:00Z");
        let next = rome.shift_local(first, Duration::weeks(1));
        assert_eq!(next, utc("2027-03-30T08:00:00Z"));
        // 10:00 on 26 October 2027 (UTC+2); clocks go back on 31 October.
        let before = utc("2027-10-26T08:00:00Z");
        assert_eq!(
            rome.shift_local(before, Duration::weeks(1)),
            utc("2027-11-02T09:00:00Z")
        );
        // A reminder 24 hours ahead is at the same local hour the day before.
        assert_eq!(
            rome.shift_local(utc("2027-03-29T08:00:00Z"), Duration::hours(-24)),
            utc("2027-03-28T08:00:00Z")
        );
        // 02:30 on 28 March 2027 does not exist in Rome: read as 03:30.
        let skipped = NaiveDate::from_ymd_opt(2027, 3, 28)
            .and_then(|d| d.and_hms_opt(2, 30, 0))
            .unwrap_or_default();
        assert_eq!(rome.instant(skipped), utc("2027-03-28T01:30:00Z"));
    }

    #[test]
    fn a_clock_can_start_elsewhere_and_runs_on() {
        let start = utc("2026-11-30T23:00:40Z");
        let clock = Clock::starting_at(start);
        let read = clock.now();
        assert!(read >= start && read - start < Duration::seconds(5));
        assert!(Clock::system().is_system() && !clock.is_system());
        let zone: Zone = serde_json::from_str("\"Asia/Tokyo\"").unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&zone).ok().as_deref(),
            Some("\"Asia/Tokyo\"")
        );
        assert!(serde_json::from_str::<Zone>("\"Nowhere\"").is_err());
    }
}
