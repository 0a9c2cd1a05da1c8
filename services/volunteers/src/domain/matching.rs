//! Matching volunteers to a task: which candidates qualify and in what order they are proposed,
//! with the reasons for each. Pure: the store pre-filters candidates (status, skill, territory,
//! language, minors) and counts their load; this module checks every rule again and ranks.
//!
//! The order, best first: a volunteer available for the whole task window before one who is not;
//! then the higher level in the task's language (native above C2 … A1); then the lighter load
//! (open offers and assigned tasks in the coming four weeks); then the older record (the smaller
//! id), so that the order is stable.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use sportello_kernel::time::Zone;

use crate::interface::{
    Availability, LanguageLevel, MatchReason, SpokenLanguage, VolunteerStatus, WeeklySlot,
};

/// The days ahead in which assigned tasks and open offers count as a volunteer's load.
pub const LOAD_WINDOW_DAYS: i64 = 28;

/// What matching needs to know of a task.
#[derive(Clone, Debug)]
pub struct TaskNeeds {
    pub skill: String,
    /// ISO 639 code.
    pub language: String,
    /// ISTAT code.
    pub territory: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub involves_minors: bool,
}

/// What matching needs to know of a volunteer.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: uuid::Uuid,
    pub status: VolunteerStatus,
    pub skills: Vec<String>,
    pub territories: Vec<String>,
    pub languages: Vec<SpokenLanguage>,
    pub availability: Availability,
    pub works_with_minors: bool,
    pub minors_check_on: Option<NaiveDate>,
    /// Open offers and assigned tasks in the coming [`LOAD_WINDOW_DAYS`] days, this task aside.
    pub load: u32,
}

/// A qualifying candidate's place in the ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub id: uuid::Uuid,
    /// Higher is better: 1000 when available, plus 100 per language level (A1 = 1 … native = 7),
    /// minus the load (at most 99), so the score orders exactly as the rules above.
    pub score: i32,
    pub reasons: Vec<MatchReason>,
}

/// 1 for A1 up to 7 for a native speaker.
pub fn level_rank(level: LanguageLevel) -> i32 {
    match level {
        LanguageLevel::A1 => 1,
        LanguageLevel::A2 => 2,
        LanguageLevel::B1 => 3,
        LanguageLevel::B2 => 4,
        LanguageLevel::C1 => 5,
        LanguageLevel::C2 => 6,
        LanguageLevel::Native => 7,
    }
}

/// Whether the volunteer's availability covers the whole window, read in the tenant's zone: the
/// window must start and end on the same local day, and a slot of that day must contain it.
/// The slots of that day are the day's exception if there is one (none: unavailable all day),
/// else the weekly slots of its weekday.
pub fn covers(
    availability: &Availability,
    zone: &Zone,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> bool {
    let start = zone.local(starts_at).naive_local();
    let end = zone.local(ends_at).naive_local();
    let day = start.date();
    // A window ending at midnight ends on its day.
    let end_time = if end.date() == day {
        end.time()
    } else if end.date() == day.succ_opt().unwrap_or(day) && end.time() == NaiveTime::MIN {
        NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
    } else {
        return false;
    };
    let inside = |slot: &WeeklySlot| slot.from <= start.time() && end_time <= slot.to;
    match availability.exceptions.iter().find(|e| e.on == day) {
        Some(exception) => exception.slots.iter().any(inside),
        None => {
            let weekday = day.weekday().number_from_monday();
            availability
                .weekly
                .iter()
                .filter(|s| u32::from(s.weekday) == weekday)
                .any(inside)
        }
    }
}

/// Whether a volunteer may be proposed for, or offered, a task at all: active, and, when the task
/// involves minors, willing to work with minors with the check seen.
pub fn eligible(candidate: &Candidate, involves_minors: bool) -> bool {
    candidate.status == VolunteerStatus::Active
        && (!involves_minors
            || (candidate.works_with_minors && candidate.minors_check_on.is_some()))
}

/// The candidate's place for the task, or `None` when a rule excludes them (not active, without
/// the minors check for a task with minors, without the skill, the territory or the language).
pub fn rank_one(task: &TaskNeeds, zone: &Zone, candidate: &Candidate) -> Option<Ranked> {
    if !eligible(candidate, task.involves_minors)
        || !candidate.skills.contains(&task.skill)
        || !candidate.territories.contains(&task.territory)
    {
        return None;
    }
    let level = candidate
        .languages
        .iter()
        .find(|l| l.code == task.language)?
        .level;
    let available = covers(&candidate.availability, zone, task.starts_at, task.ends_at);
    let mut reasons = vec![
        MatchReason::Skill,
        MatchReason::Territory,
        MatchReason::Language { level },
    ];
    if available {
        reasons.push(MatchReason::Available);
    }
    if task.involves_minors {
        reasons.push(MatchReason::MinorsCheck);
    }
    reasons.push(MatchReason::Load {
        tasks: candidate.load,
    });
    let load = i32::try_from(candidate.load.min(99)).unwrap_or(99);
    let score = if available { 1000 } else { 0 } + 100 * level_rank(level) - load;
    Some(Ranked {
        id: candidate.id,
        score,
        reasons,
    })
}

/// The qualifying candidates, best first, at most `first` of them.
pub fn rank(task: &TaskNeeds, zone: &Zone, candidates: &[Candidate], first: usize) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .filter_map(|c| rank_one(task, zone, c))
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    ranked.truncate(first);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interface::DateException;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    /// Wednesday 13 January 2027, 10:00–11:00 in Rome (UTC+1).
    fn task() -> TaskNeeds {
        TaskNeeds {
            skill: "LANGUAGE_SUPPORT".into(),
            language: "ar".into(),
            territory: "052022".into(),
            starts_at: at("2027-01-13T09:00:00Z"),
            ends_at: at("2027-01-13T10:00:00Z"),
            involves_minors: false,
        }
    }

    fn wednesday_mornings() -> Availability {
        Availability {
            weekly: vec![WeeklySlot {
                weekday: 3,
                from: time(9, 0),
                to: time(12, 0),
            }],
            exceptions: vec![],
        }
    }

    fn candidate(n: u128, level: LanguageLevel) -> Candidate {
        Candidate {
            id: uuid::Uuid::from_u128(n),
            status: VolunteerStatus::Active,
            skills: vec!["LANGUAGE_SUPPORT".into()],
            territories: vec!["052022".into()],
            languages: vec![SpokenLanguage {
                code: "ar".into(),
                level,
            }],
            availability: wednesday_mornings(),
            works_with_minors: false,
            minors_check_on: None,
            load: 0,
        }
    }

    fn ids(ranked: &[Ranked]) -> Vec<u128> {
        ranked.iter().map(|r| r.id.as_u128()).collect()
    }

    #[test]
    fn availability_comes_first_then_level_then_load() {
        let zone = Zone::default();
        let unavailable = Candidate {
            availability: Availability::default(),
            ..candidate(1, LanguageLevel::Native)
        };
        let busy = Candidate {
            load: 3,
            ..candidate(2, LanguageLevel::C1)
        };
        let free = candidate(3, LanguageLevel::C1);
        let beginner = candidate(4, LanguageLevel::A2);
        let ranked = rank(&task(), &zone, &[unavailable, busy, free, beginner], 10);
        assert_eq!(ids(&ranked), [3, 2, 4, 1]);
        assert_eq!(
            ranked[0].reasons,
            [
                MatchReason::Skill,
                MatchReason::Territory,
                MatchReason::Language {
                    level: LanguageLevel::C1
                },
                MatchReason::Available,
                MatchReason::Load { tasks: 0 },
            ]
        );
        assert!(!ranked[3].reasons.contains(&MatchReason::Available));
        assert_eq!(ids(&rank(&task(), &zone, &candidates_of(5), 2)).len(), 2);
    }

    fn candidates_of(n: u128) -> Vec<Candidate> {
        (1..=n).map(|i| candidate(i, LanguageLevel::B1)).collect()
    }

    #[test]
    fn rules_exclude_suspended_unskilled_elsewhere_and_other_languages() {
        let zone = Zone::default();
        let suspended = Candidate {
            status: VolunteerStatus::Suspended,
            ..candidate(1, LanguageLevel::Native)
        };
        let withdrawn = Candidate {
            status: VolunteerStatus::Withdrawn,
            ..candidate(2, LanguageLevel::Native)
        };
        let unskilled = Candidate {
            skills: vec!["TRANSPORT".into()],
            ..candidate(3, LanguageLevel::Native)
        };
        let elsewhere = Candidate {
            territories: vec!["048017".into()],
            ..candidate(4, LanguageLevel::Native)
        };
        let other_language = Candidate {
            languages: vec![SpokenLanguage {
                code: "ti".into(),
                level: LanguageLevel::Native,
            }],
            ..candidate(5, LanguageLevel::Native)
        };
        let good = candidate(6, LanguageLevel::B1);
        let ranked = rank(
            &task(),
            &zone,
            &[
                suspended,
                withdrawn,
                unskilled,
                elsewhere,
                other_language,
                good,
            ],
            10,
        );
        assert_eq!(ids(&ranked), [6]);
    }

    #[test]
    fn a_task_with_minors_needs_the_check_seen() {
        let zone = Zone::default();
        let with_minors = TaskNeeds {
            involves_minors: true,
            ..task()
        };
        let willing_unchecked = Candidate {
            works_with_minors: true,
            ..candidate(1, LanguageLevel::Native)
        };
        let checked_unwilling = Candidate {
            minors_check_on: NaiveDate::from_ymd_opt(2026, 10, 1),
            ..candidate(2, LanguageLevel::Native)
        };
        let checked = Candidate {
            works_with_minors: true,
            minors_check_on: NaiveDate::from_ymd_opt(2026, 10, 1),
            ..candidate(3, LanguageLevel::A1)
        };
        let all = [willing_unchecked, checked_unwilling, checked];
        let ranked = rank(&with_minors, &zone, &all, 10);
        assert_eq!(ids(&ranked), [3]);
        assert!(ranked[0].reasons.contains(&MatchReason::MinorsCheck));
        // Without minors, every one of them qualifies, best level first.
        assert_eq!(ids(&rank(&task(), &zone, &all, 10)), [1, 2, 3]);
    }

    #[test]
    fn windows_are_read_in_the_tenants_zone_and_exceptions_override() {
        let rome = Zone::default();
        let weekly = wednesday_mornings();
        // 09:00–10:00 UTC is 10:00–11:00 in Rome: inside 09:00–12:00.
        assert!(covers(
            &weekly,
            &rome,
            at("2027-01-13T09:00:00Z"),
            at("2027-01-13T10:00:00Z")
        ));
        // 11:30–12:30 in Rome runs past the slot.
        assert!(!covers(
            &weekly,
            &rome,
            at("2027-01-13T10:30:00Z"),
            at("2027-01-13T11:30:00Z")
        ));
        // In Lima (UTC−5) the same instants are 04:00–05:00: outside.
        let lima = Zone::parse("timeZone", "America/Lima").expect("zone");
        assert!(!covers(
            &weekly,
            &lima,
            at("2027-01-13T09:00:00Z"),
            at("2027-01-13T10:00:00Z")
        ));
        // Summer time: 09:00 UTC on Wednesday 14 July 2027 is 11:00 in Rome.
        assert!(covers(
            &weekly,
            &rome,
            at("2027-07-14T09:00:00Z"),
            at("2027-07-14T09:30:00Z")
        ));
        // A day off overrides the weekly slot; a day's own slots replace it.
        let day = NaiveDate::from_ymd_opt(2027, 1, 13).expect("day");
        let off = Availability {
            exceptions: vec![DateException {
                on: day,
                slots: vec![],
            }],
            ..weekly.clone()
        };
        assert!(!covers(
            &off,
            &rome,
            at("2027-01-13T09:00:00Z"),
            at("2027-01-13T10:00:00Z")
        ));
        let friday = NaiveDate::from_ymd_opt(2027, 1, 15).expect("day");
        let extra = Availability {
            exceptions: vec![DateException {
                on: friday,
                slots: vec![WeeklySlot {
                    weekday: 0,
                    from: time(14, 0),
                    to: time(18, 0),
                }],
            }],
            ..weekly
        };
        assert!(covers(
            &extra,
            &rome,
            at("2027-01-15T14:00:00Z"),
            at("2027-01-15T16:00:00Z")
        ));
        // A window across midnight is covered by no one day's slot.
        let evenings = Availability {
            weekly: vec![WeeklySlot {
                weekday: 3,
                from: time(18, 0),
                to: time(23, 59),
            }],
            exceptions: vec![],
        };
        assert!(!covers(
            &evenings,
            &rome,
            at("2027-01-13T21:00:00Z"),
            at("2027-01-13T23:30:00Z")
        ));
    }
}
