//! Uniqueness of what the analytics service lets a role query, over a generated population.
//!
//! "What any role can query" means here, for the roles that see no case data:
//!
//! - every cell of the four shared views (`sharedView`), at both levels, for the whole period
//!   and for each month: every member of every tenant and every coordination-table member;
//! - every row of `tenantStatistics` as a tenant administrator gets it: every measure, broken
//!   down by every combination of up to three dimensions, for the whole period and each month.
//!
//! Each published cell and each row must count at least `k` distinct people (`k` = 5, or 10 for
//! a row or cell of a health or legal need). Out of the claim, on purpose: operators and
//! coordinators, whose figures are exact (they see the people's records anyway; a
//! territory-limited one sees only their territories), the tenant-wide `indicators` (totals of
//! the tenant and period, no person attribute), and combinations of several answers (the shared
//! views' differencing is `sdc::attack`'s subject; the administrator's rows are protected one by
//! one, docs/privacy.md).
//!
//! The test also fails when a coarsening is undone: the facts table must hold exactly the
//! documented columns and no day, and every month a breakdown returns must be a month.

// Tests inspect the store directly.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeSet, HashMap, HashSet};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ConnectionTrait;
use sportello_analytics::{
    Analytics, AnalyticsService, CellStatus, Dimension, DisclosureParams, Level, Measure, Period,
    SharedQuery, SharedView, StatisticsQuery,
};
use sportello_kernel::bus::Envelope;
use sportello_kernel::db::StoreConfig;
use sportello_kernel::events::{Event, EventKind, Pseudonym, Record, Subject};
use sportello_kernel::{Actor, Context, Role, TenantId, UserId};
use uuid::Uuid;

/// Every dimension of a breakdown; `exhaustive` fails to compile when one is added.
const DIMENSIONS: [Dimension; 8] = [
    Dimension::Territory,
    Dimension::Month,
    Dimension::Sex,
    Dimension::AgeBand,
    Dimension::CountryOfBirth,
    Dimension::Need,
    Dimension::Intervention,
    Dimension::ReferralStatus,
];

#[allow(dead_code)]
fn exhaustive(d: Dimension) {
    match d {
        Dimension::Territory
        | Dimension::Month
        | Dimension::Sex
        | Dimension::AgeBand
        | Dimension::CountryOfBirth
        | Dimension::Need
        | Dimension::Intervention
        | Dimension::ReferralStatus => {}
    }
}

const MEASURES: [Measure; 5] = [
    Measure::PeopleReached,
    Measure::NewCases,
    Measure::Needs,
    Measure::Interventions,
    Measure::Referrals,
];

/// The columns a fact keeps (docs/privacy.md, "What a fact exposes"); nothing finer than a month.
const FACT_COLUMNS: [&str; 14] = [
    "tenant_id",
    "event_id",
    "event_type",
    "person",
    "month",
    "territory",
    "age_band",
    "sex",
    "country_of_birth",
    "need",
    "intervention",
    "status",
    "case_key",
    "fact_key",
];

const MONTHS: [&str; 4] = ["2026-01", "2026-02", "2026-03", "2026-04"];
const SPECIAL: [&str; 2] = ["health", "documents_legal"];

/// One generated fact, as the test knows it (the truth the answers are checked against).
#[derive(Clone, Debug)]
struct Truth {
    tenant: Uuid,
    person: String,
    kind: EventKind,
    month: String,
    territory: String,
    sex: String,
    age_band: String,
    country: String,
    need: Option<String>,
    intervention: Option<String>,
    status: Option<String>,
}

impl Truth {
    fn key(&self, d: Dimension) -> String {
        match d {
            Dimension::Territory => self.territory.clone(),
            Dimension::Month => self.month.clone(),
            Dimension::Sex => self.sex.clone(),
            Dimension::AgeBand => self.age_band.clone(),
            Dimension::CountryOfBirth => self.country.clone(),
            Dimension::Need => self.need.clone().unwrap_or_default(),
            Dimension::Intervention => self.intervention.clone().unwrap_or_default(),
            Dimension::ReferralStatus => self.status.clone().unwrap_or_default(),
        }
    }

    fn counts_for(&self, measure: Measure) -> bool {
        match measure {
            Measure::PeopleReached => true,
            Measure::NewCases => self.kind == EventKind::CaseOpened,
            Measure::Needs => self.kind == EventKind::NeedRecorded,
            Measure::Interventions => self.kind == EventKind::InterventionDone,
            Measure::Referrals => self.kind == EventKind::ReferralChanged,
        }
    }
}

/// Picks from `items` with the given weights.
fn pick<'a>(rng: &mut StdRng, items: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.random_range(0..total);
    for (item, weight) in items {
        if at < *weight {
            return item;
        }
        at -= weight;
    }
    items[0].0
}

/// A population like a consortium's desks in four months: 320 people over four municipalities
/// in one tenant, 140 over two in another; both sexes, every age band, ten countries of birth
/// with the weights of a desk's users, cases, needs, interventions and referrals by day.
fn population() -> (Vec<Envelope>, Vec<Truth>) {
    let mut rng = StdRng::seed_from_u64(13);
    let tenants = [
        (
            Uuid::now_v7(),
            320,
            vec![("052022", 5), ("052028", 2), ("052003", 2), ("052011", 1)],
        ),
        (Uuid::now_v7(), 140, vec![("048017", 3), ("048001", 1)]),
    ];
    let ages = [
        ("0-17", 2),
        ("18-24", 5),
        ("25-34", 8),
        ("35-44", 6),
        ("45-54", 3),
        ("55-64", 2),
        ("65+", 1),
        ("unknown", 1),
    ];
    let countries = [
        ("MA", 8),
        ("AL", 6),
        ("UA", 5),
        ("CN", 3),
        ("SN", 3),
        ("NG", 3),
        ("PK", 3),
        ("BD", 2),
        ("EG", 2),
        ("ER", 1),
    ];
    let needs = [
        ("documents_legal", 6),
        ("housing", 4),
        ("work", 4),
        ("language", 3),
        ("health", 2),
        ("school", 2),
        ("welfare", 2),
        ("digital", 1),
    ];
    let interventions = [
        ("orientation", 4),
        ("mediation", 2),
        ("legal_advice", 2),
        ("referral", 1),
    ];
    let mut envelopes = Vec::new();
    let mut truth = Vec::new();
    for (tenant, people, territories) in &tenants {
        for n in 0..*people {
            let person = format!("{tenant}-p{n}");
            let territory = pick(&mut rng, territories).to_owned();
            let sex = pick(&mut rng, &[("F", 1), ("M", 1)]).to_owned();
            let age_band = pick(&mut rng, &ages).to_owned();
            let country = pick(&mut rng, &countries).to_owned();
            let first = rng.random_range(0..MONTHS.len());
            let mut events = vec![Event::CaseOpened {
                case: Pseudonym::new(format!("{person}-case")),
                case_territory: territory.clone(),
            }];
            for _ in 0..rng.random_range(1..=3) {
                events.push(Event::NeedRecorded {
                    need: pick(&mut rng, &needs).into(),
                    source: "expressed".into(),
                });
            }
            for _ in 0..rng.random_range(0..=2) {
                events.push(Event::InterventionDone {
                    intervention: pick(&mut rng, &interventions).into(),
                });
            }
            if rng.random_bool(0.4) {
                events.push(Event::ReferralChanged {
                    status: pick(&mut rng, &[("sent", 2), ("completed", 1)]).into(),
                });
            }
            for (i, event) in events.into_iter().enumerate() {
                // The case opens first; the rest follow in the same or later months, on any day.
                let month = if i == 0 {
                    first
                } else {
                    rng.random_range(first..MONTHS.len())
                };
                let day = rng.random_range(1..=28);
                let occurred_on = format!("{}-{day:02}", MONTHS[month]);
                let (need, intervention, status) = match &event {
                    Event::NeedRecorded { need, .. } => (Some(need.clone()), None, None),
                    Event::InterventionDone { intervention } => {
                        (None, Some(intervention.clone()), None)
                    }
                    Event::ReferralChanged { status } => (None, None, Some(status.clone())),
                    _ => (None, None, None),
                };
                truth.push(Truth {
                    tenant: *tenant,
                    person: person.clone(),
                    kind: event.kind(),
                    month: MONTHS[month].into(),
                    territory: territory.clone(),
                    sex: sex.clone(),
                    age_band: age_band.clone(),
                    country: country.clone(),
                    need,
                    intervention,
                    status,
                });
                let id = Uuid::now_v7();
                let record = Record {
                    event_id: id,
                    producer: Some("test".into()),
                    occurred_on: occurred_on.parse().expect("date"),
                    fact: None,
                    subject: Subject {
                        person: Pseudonym::new(person.clone()),
                        age_band: age_band.clone(),
                        sex: Some(sex.clone()),
                        country_of_birth: Some(country.clone()),
                        territory: territory.clone(),
                    },
                    event,
                };
                envelopes.push(Envelope {
                    id,
                    tenant_id: *tenant,
                    event_type: record.event.kind().as_str().into(),
                    payload: record.to_payload().expect("payload"),
                });
            }
        }
    }
    (envelopes, truth)
}

fn actor(tenant: Uuid, role: Role) -> Context {
    Context {
        tenant: Some(TenantId(tenant)),
        actor: Actor {
            user_id: Some(UserId(Uuid::now_v7())),
            roles: vec![role],
            ..Actor::default()
        },
        request_id: "test".into(),
        traceparent: None,
        ..Context::default()
    }
}

/// Every combination of up to three dimensions, in the order of `DIMENSIONS`.
fn breakdowns() -> Vec<Vec<Dimension>> {
    let mut out = vec![vec![]];
    for (i, a) in DIMENSIONS.iter().enumerate() {
        out.push(vec![*a]);
        for (j, b) in DIMENSIONS.iter().enumerate().skip(i + 1) {
            out.push(vec![*a, *b]);
            for c in DIMENSIONS.iter().skip(j + 1) {
                out.push(vec![*a, *b, *c]);
            }
        }
    }
    out
}

/// The periods asked for: the whole span and each month.
fn periods() -> Vec<(String, String)> {
    let mut out = vec![(MONTHS[0].to_owned(), MONTHS[MONTHS.len() - 1].to_owned())];
    out.extend(MONTHS.iter().map(|m| (m.to_string(), m.to_string())));
    out
}

/// The rows of every breakdown `ctx` may ask for that single out fewer than `k` people, as
/// `(measure, by, period, keys, people)`.
async fn isolating_rows(
    service: &AnalyticsService,
    ctx: &Context,
    truth: &[Truth],
    params: DisclosureParams,
) -> Vec<String> {
    let tenant = ctx.tenant.expect("tenant").uuid();
    let mut found = Vec::new();
    let mut rows_seen = 0;
    for measure in MEASURES {
        for by in breakdowns() {
            for (from, to) in periods() {
                let rows = service
                    .statistics(
                        ctx,
                        StatisticsQuery {
                            measure,
                            by: by.clone(),
                            period: Period {
                                from: Some(from.clone()),
                                to: Some(to.clone()),
                            },
                        },
                    )
                    .await
                    .expect("statistics");
                // The people behind each combination of the dimensions' values.
                let mut people: HashMap<Vec<String>, HashSet<&str>> = HashMap::new();
                for t in truth.iter().filter(|t| {
                    t.tenant == tenant
                        && t.counts_for(measure)
                        && t.month.as_str() >= from.as_str()
                        && t.month.as_str() <= to.as_str()
                }) {
                    let keys = by.iter().map(|d| t.key(*d)).collect();
                    people.entry(keys).or_default().insert(&t.person);
                }
                for row in rows {
                    rows_seen += 1;
                    if let Some(i) = by.iter().position(|d| *d == Dimension::Month) {
                        assert!(
                            MONTHS.contains(&row.keys[i].as_str()),
                            "a breakdown by month returned {:?}",
                            row.keys
                        );
                    }
                    let count = people.get(&row.keys).map_or(0, |p| p.len()) as u64;
                    let special = by
                        .iter()
                        .zip(&row.keys)
                        .any(|(d, k)| *d == Dimension::Need && SPECIAL.contains(&k.as_str()));
                    let k = if special {
                        params.special_threshold
                    } else {
                        params.threshold
                    };
                    if count < k {
                        found.push(format!(
                            "{measure:?} by {by:?} {from}..{to}: {:?} = {count} people",
                            row.keys
                        ));
                    }
                }
            }
        }
    }
    assert!(rows_seen > 0, "no row answered at all");
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_combination_a_role_can_query_isolates_fewer_than_k_people() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = StoreConfig {
        url: format!("sqlite://{}/analytics.db?mode=rwc", dir.path().display()),
        schema: "analytics".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 1,
    };
    let params = DisclosureParams::default();
    let service = AnalyticsService::open(&config, true, params)
        .await
        .expect("open the store");
    let (envelopes, truth) = population();
    for batch in envelopes.chunks(500) {
        service.ingest(batch).await.expect("ingest");
    }
    let tenants: BTreeSet<Uuid> = truth.iter().map(|t| t.tenant).collect();

    // Without protection, many would be singled out: most people are unique on territory, sex,
    // age band and country of birth alone.
    let mut groups: HashMap<(Uuid, &str, &str, &str, &str), HashSet<&str>> = HashMap::new();
    for t in &truth {
        groups
            .entry((t.tenant, &t.territory, &t.sex, &t.age_band, &t.country))
            .or_default()
            .insert(&t.person);
    }
    let people: HashSet<&str> = truth.iter().map(|t| t.person.as_str()).collect();
    let unique = groups.values().filter(|p| p.len() == 1).count();
    assert!(
        unique * 5 > people.len(),
        "the population is too coarse to test anything: {unique} of {} unique",
        people.len()
    );

    // 1. The store keeps the documented columns and no day.
    let db = sea_orm::Database::connect(format!("sqlite://{}/analytics.db", dir.path().display()))
        .await
        .expect("connect");
    let columns: BTreeSet<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT name FROM pragma_table_info('facts')",
        ))
        .await
        .expect("columns")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect();
    let expected: BTreeSet<String> = FACT_COLUMNS.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        columns, expected,
        "the facts keep other columns than documented"
    );
    let months: BTreeSet<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT DISTINCT month FROM facts UNION SELECT DISTINCT month FROM cells \
             UNION SELECT DISTINCT month FROM cell_members",
        ))
        .await
        .expect("months")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("month"))
        .collect();
    let expected: BTreeSet<String> = MONTHS.iter().map(|m| m.to_string()).collect();
    assert_eq!(months, expected, "a stored month is not a month");

    // 2. A tenant administrator's breakdowns, every one of them.
    for tenant in &tenants {
        let admin = actor(*tenant, Role::TenantAdmin);
        let found = isolating_rows(&service, &admin, &truth, params).await;
        assert!(
            found.is_empty(),
            "{} rows single out fewer than k people, e.g. {:?}",
            found.len(),
            found.first()
        );
    }
    // The same check finds the rows an operator gets exactly, so it is not blind.
    let first = *tenants.first().expect("a tenant");
    let operator = isolating_rows(&service, &actor(first, Role::Operator), &truth, params).await;
    assert!(
        operator.len() > 100,
        "exact figures should single out people: {}",
        operator.len()
    );

    // 3. Every published cell of every shared view, both levels, whole period and each month.
    let member = actor(first, Role::Operator);
    let mut published = 0;
    for view in SharedView::ALL {
        for level in [Level::Municipality, Level::Consortium] {
            for (from, to) in periods() {
                let table = service
                    .shared_view(
                        &member,
                        SharedQuery {
                            view,
                            level: Some(level),
                            period: Period {
                                from: Some(from.clone()),
                                to: Some(to.clone()),
                            },
                        },
                    )
                    .await
                    .expect("shared view");
                for cell in table.cells {
                    assert!(MONTHS.contains(&cell.month.as_str()), "{cell:?}");
                    if cell.status != CellStatus::Published {
                        assert!(cell.value.is_none() || cell.value == Some(0), "{cell:?}");
                        continue;
                    }
                    published += 1;
                    let people: HashSet<&str> = truth
                        .iter()
                        .filter(|t| {
                            t.tenant == cell.tenant_id
                                && t.month == cell.month
                                && cell.territory.as_ref().is_none_or(|c| *c == t.territory)
                                && match view {
                                    SharedView::PeopleByTerritoryMonth => true,
                                    SharedView::NeedsByTerritoryMonth => {
                                        t.need.is_some() && t.need == cell.category
                                    }
                                    SharedView::InterventionsByTerritoryMonth => {
                                        t.intervention.is_some() && t.intervention == cell.category
                                    }
                                    SharedView::NewCasesByTerritoryMonth => {
                                        t.kind == EventKind::CaseOpened
                                    }
                                    SharedView::HousedByTerritoryMonth => {
                                        t.kind == EventKind::HousingPlacementStarted
                                    }
                                }
                        })
                        .map(|t| t.person.as_str())
                        .collect();
                    let special = view == SharedView::NeedsByTerritoryMonth
                        && cell
                            .category
                            .as_deref()
                            .is_some_and(|c| SPECIAL.contains(&c));
                    let k = if special {
                        params.special_threshold
                    } else {
                        params.threshold
                    };
                    assert!(
                        people.len() as u64 >= k,
                        "{view:?} {level:?} publishes {cell:?} over {} people",
                        people.len()
                    );
                }
            }
        }
    }
    assert!(
        published > 50,
        "too few published cells to test: {published}"
    );
}
