//! Training: courses and co-design workshops, their sessions, enrolments with a waiting list,
//! attendance per session, and certificates of attendance with a verification code.
//!
//! Places: a course holds `capacity` participants `ENROLLED`; later enrolments are `WAITING`,
//! in the order they were made (ids are time-ordered). Every change that can free or add a
//! place (a withdrawal, a larger capacity) moves the first waiting participants in, under the
//! course's row lock, so two concurrent enrolments never both take the last place.
//!
//! Completion: a session counts as held once its attendance sheet is recorded. An enrolment is
//! complete when every session of the course not cancelled is held and the sessions attended
//! are at least `min_attendance_percent` of those held (75% unless the course says otherwise).
//! A cancelled session takes no attendance (one held cannot be cancelled), so it counts neither
//! in the sessions to hold nor in the denominator.
//!
//! Verification codes: `<tenant>-<secret>`, both Crockford base32. The tenant part lets the
//! public check open the one tenant's scope without scanning (row-level security stays on);
//! the secret is 120 bits of HMAC-SHA-256 of the certificate's id under the tenant's index key,
//! which the key store holds apart from this database. The store keeps only the SHA-256 of the
//! code, so a copy of the database yields no valid code, and the code can be printed again on
//! every download of the PDF.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::error::Refusals;
use sportello_kernel::{Context, Error, Reason, Result, Role, TenantId};
use sportello_tenancy::domain::{Name, optional_text};
use uuid::Uuid;

use super::VolunteersService;
use super::register::{find_volunteer, own_volunteer};
use crate::domain::no_such_volunteer;
use crate::events;
use crate::interface::*;
use crate::store::{attendance, certificate, course, course_session, enrolment, volunteer};

/// The most minutes a course may plan (1000 hours).
const MAX_PLANNED_MINUTES: u32 = 60_000;
/// The most places a course may have.
const MAX_CAPACITY: u32 = 10_000;
/// The longest session.
const MAX_SESSION_HOURS: i64 = 12;
/// The most lines of one attendance sheet.
const MAX_SHEET: usize = MAX_CAPACITY as usize;
/// The domain of the tenant's index key that derives verification codes.
const CODE_DOMAIN: &str = "volunteers/certificate-code";
/// Crockford's base32 alphabet (no I, L, O, U).
const BASE32: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl VolunteersService {
    pub(super) async fn create_course(&self, ctx: &Context, req: CourseInput) -> Result<Course> {
        let tenant = ctx.tenant()?;
        let checked = check_course(req)?;
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = course::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(CourseId::new().uuid()),
            kind: Set(checked.kind.as_str().to_owned()),
            title: Set(checked.title),
            audience: Set(checked.audience.as_str().to_owned()),
            planned_minutes: Set(to_i32(checked.planned_minutes)),
            trainer: Set(checked.trainer),
            capacity: Set(to_i32(checked.capacity)),
            min_attendance_percent: Set(to_i32(checked.min_attendance_percent)),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_course(model, 0, 0)
    }

    pub(super) async fn update_course(&self, ctx: &Context, req: UpdateCourse) -> Result<Course> {
        let tenant = ctx.tenant()?;
        let checked = check_course(req.course)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<course::Entity>(course::Column::Id, req.id.uuid())
            .await?;
        let (enrolled, _) = counts(&tx, found.id).await?;
        if checked.capacity < enrolled {
            return Err(Error::on(
                "capacity",
                Reason::OutOfRange {
                    min: i64::from(enrolled),
                    max: i64::from(MAX_CAPACITY),
                },
            )
            .saying("withdraw enrolments before lowering the capacity below them"));
        }
        let mut model = found.into_active_model();
        model.kind = Set(checked.kind.as_str().to_owned());
        model.title = Set(checked.title);
        model.audience = Set(checked.audience.as_str().to_owned());
        model.planned_minutes = Set(to_i32(checked.planned_minutes));
        model.trainer = Set(checked.trainer);
        model.capacity = Set(to_i32(checked.capacity));
        model.min_attendance_percent = Set(to_i32(checked.min_attendance_percent));
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<course::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        promote(&tx, ctx, &model).await?;
        let (enrolled, waiting) = counts(&tx, model.id).await?;
        tx.commit().await?;
        to_course(model, enrolled, waiting)
    }

    pub(super) async fn get_course(&self, ctx: &Context, req: CourseId) -> Result<Course> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_course(&tx, req).await?;
        let (enrolled, waiting) = counts(&tx, found.id).await?;
        tx.finish().await?;
        to_course(found, enrolled, waiting)
    }

    pub(super) async fn list_courses(
        &self,
        ctx: &Context,
        req: ListCourses,
    ) -> Result<Paged<Course>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<course::Entity>()?;
        if let Some(kind) = req.kind {
            select = select.filter(course::Column::Kind.eq(kind.as_str()));
        }
        if let Some(audience) = req.audience {
            select = select.filter(course::Column::Audience.eq(audience.as_str()));
        }
        let rows = tx.page(select, course::Column::Id, &req.page).await?;
        let tally = counts_of(&tx, rows.items.iter().map(|c| c.id).collect()).await?;
        tx.finish().await?;
        rows.try_map(|c| {
            let (enrolled, waiting) = tally.get(&c.id).copied().unwrap_or_default();
            to_course(c, enrolled, waiting)
        })
    }

    pub(super) async fn add_session(
        &self,
        ctx: &Context,
        req: AddSession,
    ) -> Result<CourseSession> {
        let tenant = ctx.tenant()?;
        let now = ctx.now();
        let ((starts_at, ends_at), (place, online_url)) =
            check_session(req.starts_at, req.ends_at, req.place, req.online_url, now)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        find_course(&tx, req.course_id).await?;
        let model = course_session::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(CourseSessionId::new().uuid()),
            course_id: Set(req.course_id.uuid()),
            starts_at: Set(starts_at),
            ends_at: Set(ends_at),
            place: Set(place),
            online_url: Set(online_url),
            created_at: Set(now),
            version: Set(1),
            cancelled_at: Set(None),
            cancel_reason: Set(None),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_session(model, false))
    }

    pub(super) async fn update_session(
        &self,
        ctx: &Context,
        req: UpdateSession,
    ) -> Result<CourseSession> {
        let tenant = ctx.tenant()?;
        let now = ctx.now();
        let ((starts_at, ends_at), (place, online_url)) =
            check_session(req.starts_at, req.ends_at, req.place, req.online_url, now)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = lock_session(&tx, req.id).await?;
        if found.cancelled_at.is_some() {
            return Err(Error::on("id", Reason::SessionCancelled));
        }
        let held = held_of(&tx, vec![found.id]).await?.contains(&found.id);
        if held && starts_at > now {
            return Err(Error::on(
                "startsAt",
                Reason::TimeOutOfRange {
                    min: "2000-01-01T00:00Z".to_owned(),
                    max: now.format("%Y-%m-%dT%H:%MZ").to_string(),
                },
            )
            .saying("the session's attendance is recorded: it cannot start in the future"));
        }
        let mut model = found.into_active_model();
        model.starts_at = Set(starts_at);
        model.ends_at = Set(ends_at);
        model.place = Set(place);
        model.online_url = Set(online_url);
        let model = tx
            .update_versioned::<course_session::Entity>(
                req.id.uuid(),
                Some(req.expected_version),
                model,
            )
            .await?;
        tx.commit().await?;
        Ok(to_session(model, held))
    }

    pub(super) async fn cancel_session(
        &self,
        ctx: &Context,
        req: CancelSession,
    ) -> Result<CourseSession> {
        let tenant = ctx.tenant()?;
        let reason = optional_text("reason", Some(req.reason))?.ok_or_else(|| {
            Error::on("reason", Reason::Required).saying("say why the session is cancelled")
        })?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = lock_session(&tx, req.id).await?;
        if found.cancelled_at.is_some() {
            return Err(Error::on("id", Reason::AlreadyCancelled));
        }
        if held_of(&tx, vec![found.id]).await?.contains(&found.id) {
            return Err(Error::on("id", Reason::SessionHeld)
                .saying("the session's attendance is recorded: it took place"));
        }
        let mut model = found.into_active_model();
        model.cancelled_at = Set(Some(ctx.now()));
        model.cancel_reason = Set(Some(reason));
        let model = tx
            .update_versioned::<course_session::Entity>(
                req.id.uuid(),
                Some(req.expected_version),
                model,
            )
            .await?;
        tx.commit().await?;
        Ok(to_session(model, false))
    }

    pub(super) async fn sessions_between(
        &self,
        ctx: &Context,
        req: SessionsBetween,
    ) -> Result<Vec<DatedSession>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
        let latest = today + Duration::days(3 * 366);
        for (field, day) in [("from", req.from), ("to", req.to)] {
            if day < earliest || day > latest {
                return Err(Error::on(
                    field,
                    Reason::DateOutOfRange {
                        min: earliest.to_string(),
                        max: latest.to_string(),
                    },
                ));
            }
        }
        if req.to < req.from {
            return Err(Error::on("to", Reason::PeriodReversed));
        }
        if (req.to - req.from).num_days() + 1 > MAX_CALENDAR_DAYS {
            return Err(Error::on(
                "to",
                Reason::OutOfRange {
                    min: 1,
                    max: MAX_CALENDAR_DAYS,
                },
            )
            .saying("at most 92 days at a time"));
        }
        let start = ctx
            .time_zone
            .instant(req.from.and_time(chrono::NaiveTime::MIN));
        let end = ctx
            .time_zone
            .instant((req.to + Duration::days(1)).and_time(chrono::NaiveTime::MIN));
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let sessions = tx
            .scoped::<course_session::Entity>()?
            .filter(course_session::Column::StartsAt.gte(start))
            .filter(course_session::Column::StartsAt.lt(end))
            .order_by_asc(course_session::Column::StartsAt)
            .order_by_asc(course_session::Column::Id)
            .all(tx.conn())
            .await?;
        let held = held_of(&tx, sessions.iter().map(|s| s.id).collect()).await?;
        let course_ids: BTreeSet<Uuid> = sessions.iter().map(|s| s.course_id).collect();
        let courses = match course_ids.is_empty() {
            true => Vec::new(),
            false => {
                tx.scoped::<course::Entity>()?
                    .filter(
                        course::Column::Id.is_in(course_ids.iter().copied().collect::<Vec<_>>()),
                    )
                    .all(tx.conn())
                    .await?
            }
        };
        let tally = counts_of(&tx, course_ids.into_iter().collect()).await?;
        tx.finish().await?;
        let mut by_id = BTreeMap::new();
        for c in courses {
            let (enrolled, waiting) = tally.get(&c.id).copied().unwrap_or_default();
            by_id.insert(c.id, to_course(c, enrolled, waiting)?);
        }
        sessions
            .into_iter()
            .map(|s| {
                let course = by_id
                    .get(&s.course_id)
                    .cloned()
                    .ok_or_else(|| Error::internal("a session without its course"))?;
                let is_held = held.contains(&s.id);
                Ok(DatedSession {
                    course,
                    session: to_session(s, is_held),
                })
            })
            .collect()
    }

    pub(super) async fn list_sessions(
        &self,
        ctx: &Context,
        req: CourseId,
    ) -> Result<Vec<CourseSession>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_course(&tx, req).await?;
        let facts = Facts::load(&tx, found).await?;
        tx.finish().await?;
        Ok(facts.sessions())
    }

    pub(super) async fn enrol(&self, ctx: &Context, req: Enrol) -> Result<Enrolment> {
        let tenant = ctx.tenant()?;
        let participant = match req.participant {
            Participant::Volunteer(id) => Checked::Volunteer(id),
            Participant::Person { name, email } => Checked::Person {
                name: Name::parse("name", &name)?.into_string(),
                email: match email.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(typed) => Some(sportello_kernel::contact::email("email", typed)?),
                },
            },
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<course::Entity>(course::Column::Id, req.course_id.uuid())
            .await?;
        let (volunteer_id, name, email) = match participant {
            Checked::Volunteer(id) => {
                let v = find_volunteer(&tx, id)
                    .await
                    .map_err(|_| no_such_volunteer("volunteerId"))?;
                may_enrol(&v, "volunteerId")?;
                (Some(v.id), full_name(&v), v.email)
            }
            Checked::Person { name, email } => (None, name, email),
        };
        let model =
            insert_enrolment(&tx, ctx, &found, volunteer_id, name, email, "volunteerId").await?;
        let facts = Facts::load(&tx, found).await?;
        tx.commit().await?;
        facts.enrolment(model)
    }

    pub(super) async fn enrol_me(&self, ctx: &Context, req: CourseId) -> Result<Enrolment> {
        let tenant = ctx.tenant()?;
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let me = me(&tx, ctx, &email).await?;
        let found = tx
            .find_for_update::<course::Entity>(course::Column::Id, req.uuid())
            .await?;
        // Courses for others answer like courses that do not exist.
        if found.audience != Audience::Volunteers.as_str() {
            return Err(Error::not_found());
        }
        let model = insert_enrolment(
            &tx,
            ctx,
            &found,
            Some(me.id),
            full_name(&me),
            me.email.clone(),
            "courseId",
        )
        .await?;
        let facts = Facts::load(&tx, found).await?;
        tx.commit().await?;
        facts.enrolment(model)
    }

    pub(super) async fn withdraw_enrolment(
        &self,
        ctx: &Context,
        req: EnrolmentId,
    ) -> Result<Enrolment> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let seen = find_enrolment(&tx, req).await?;
        let found = tx
            .find_for_update::<course::Entity>(course::Column::Id, seen.course_id)
            .await?;
        // Read again under the course's lock.
        let current = find_enrolment(&tx, req).await?;
        if current.status == EnrolmentStatus::Withdrawn.as_str() {
            return Err(Error::on(
                "enrolmentId",
                Reason::TransitionNotAllowed {
                    from: current.status.clone(),
                    to: EnrolmentStatus::Withdrawn.as_str().to_owned(),
                },
            ));
        }
        // A certificate was issued on this enrolment: it stays, and so does the enrolment it
        // certifies (withdrawing would also give its place to someone waiting, in a course done).
        let certified = tx
            .scoped::<certificate::Entity>()?
            .filter(certificate::Column::EnrolmentId.eq(current.id))
            .one(tx.conn())
            .await?
            .is_some();
        if certified {
            return Err(Error::on(
                "enrolmentId",
                Reason::TransitionNotAllowed {
                    from: "CERTIFIED".to_owned(),
                    to: EnrolmentStatus::Withdrawn.as_str().to_owned(),
                },
            ));
        }
        set_status(&tx, ctx, &[current.id], EnrolmentStatus::Withdrawn).await?;
        promote(&tx, ctx, &found).await?;
        let model = find_enrolment(&tx, req).await?;
        let facts = Facts::load(&tx, found).await?;
        tx.commit().await?;
        facts.enrolment(model)
    }

    pub(super) async fn get_enrolment(&self, ctx: &Context, req: EnrolmentId) -> Result<Enrolment> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = find_enrolment(&tx, req).await?;
        let found = tx
            .find::<course::Entity>(course::Column::Id, model.course_id)
            .await?;
        let facts = Facts::load(&tx, found).await?;
        tx.finish().await?;
        facts.enrolment(model)
    }

    pub(super) async fn list_enrolments(
        &self,
        ctx: &Context,
        req: ListEnrolments,
    ) -> Result<Paged<Enrolment>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_course(&tx, req.course_id).await?;
        let mut select = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::CourseId.eq(found.id));
        if let Some(status) = req.status {
            select = select.filter(enrolment::Column::Status.eq(status.as_str()));
        }
        let rows = tx.page(select, enrolment::Column::Id, &req.page).await?;
        let facts = Facts::load(&tx, found).await?;
        tx.finish().await?;
        rows.try_map(|m| facts.enrolment(m))
    }

    pub(super) async fn record_attendance(
        &self,
        ctx: &Context,
        req: AttendanceSheet,
    ) -> Result<Vec<Attendance>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        if req.entries.len() > MAX_SHEET {
            return Err(Error::on(
                "entries",
                Reason::TooMany {
                    max: MAX_SHEET as u32,
                },
            ));
        }
        let mut given: BTreeMap<Uuid, bool> = BTreeMap::new();
        for entry in &req.entries {
            if given
                .insert(entry.enrolment_id.uuid(), entry.present)
                .is_some()
            {
                return Err(Error::on("entries", Reason::Repeated));
            }
        }
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let session = tx
            .find::<course_session::Entity>(course_session::Column::Id, req.session_id.uuid())
            .await?;
        if session.starts_at > now {
            return Err(Error::on(
                "sessionId",
                Reason::TimeOutOfRange {
                    min: "2000-01-01T00:00Z".to_owned(),
                    max: now.format("%Y-%m-%dT%H:%MZ").to_string(),
                },
            )
            .saying("the session has not started yet"));
        }
        // The course's lock keeps enrolments still while the sheet is written.
        let course = tx
            .find_for_update::<course::Entity>(course::Column::Id, session.course_id)
            .await?;
        // Read again under the course's lock: a cancellation takes it too.
        let session = tx
            .find::<course_session::Entity>(course_session::Column::Id, session.id)
            .await?;
        if session.cancelled_at.is_some() {
            return Err(Error::on("sessionId", Reason::SessionCancelled)
                .saying("a cancelled session takes no attendance"));
        }
        let enrolled: Vec<Uuid> = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::CourseId.eq(session.course_id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
            .order_by_asc(enrolment::Column::Id)
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        if given.keys().any(|id| !enrolled.contains(id)) {
            return Err(Error::on("entries", Reason::UnknownId)
                .saying("every line names an enrolled participant of the session's course"));
        }
        require_certified_unchanged(&tx, session.id, &enrolled, &given).await?;
        tx.scoped_delete::<attendance::Entity>()?
            .filter(attendance::Column::SessionId.eq(session.id))
            .exec(tx.conn())
            .await?;
        let mut out = Vec::with_capacity(enrolled.len());
        for enrolment_id in enrolled {
            let present = given.get(&enrolment_id).copied().unwrap_or(false);
            attendance::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(Uuid::now_v7()),
                session_id: Set(session.id),
                enrolment_id: Set(enrolment_id),
                present: Set(present),
                recorded_at: Set(now),
                recorded_by: Set(user.uuid()),
            }
            .insert(tx.conn())
            .await?;
            out.push(Attendance {
                session_id: CourseSessionId(session.id),
                enrolment_id: EnrolmentId(enrolment_id),
                present,
                recorded_at: now,
            });
        }
        self.emit_training_facts(&tx, ctx, &course, &session)
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The events of a recorded sheet: `attendance_recorded` for the session (its fact: a sheet
    /// recorded again replaces it), and `course_completed` for every enrolment the course's rule
    /// now counts as completed (its fact is the enrolment's: recorded again, it is counted
    /// once), dated the session's local day. A completion that a corrected sheet undoes stays
    /// counted in analytics.
    async fn emit_training_facts(
        &self,
        tx: &Tx,
        ctx: &Context,
        course: &course::Model,
        session: &course_session::Model,
    ) -> Result<()> {
        let on = ctx.time_zone.date_of(session.starts_at);
        let (kind, audience) = (course.kind.clone(), course.audience.clone());
        let about = events::About {
            kind: "session",
            id: session.id,
            territory: "",
        };
        let (k, a) = (kind.clone(), audience.clone());
        events::emit(
            tx,
            &self.pseudonyms,
            ctx,
            about,
            on,
            Some(("session", session.id)),
            |keyer| sportello_kernel::events::Event::AttendanceRecorded {
                session: keyer.object("session", session.id),
                course_kind: k,
                audience: a,
            },
        )
        .await?;
        let facts = Facts::load(tx, course.clone()).await?;
        let enrolled = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::CourseId.eq(course.id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
            .all(tx.conn())
            .await?;
        for m in enrolled {
            let (id, volunteer) = (m.id, m.volunteer_id);
            if !facts.enrolment(m)?.completed {
                continue;
            }
            // A volunteer is counted by the pseudonym of their record, anyone else by the
            // enrolment's.
            let about = match volunteer {
                Some(v) => events::About {
                    kind: "volunteer",
                    id: v,
                    territory: "",
                },
                None => events::About {
                    kind: "participant",
                    id,
                    territory: "",
                },
            };
            let (k, a) = (kind.clone(), audience.clone());
            events::emit(
                tx,
                &self.pseudonyms,
                ctx,
                about,
                on,
                Some(("enrolment", id)),
                |_| sportello_kernel::events::Event::CourseCompleted {
                    course_kind: k,
                    audience: a,
                },
            )
            .await?;
        }
        Ok(())
    }

    pub(super) async fn session_attendance(
        &self,
        ctx: &Context,
        req: CourseSessionId,
    ) -> Result<Vec<Attendance>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let session = tx
            .find::<course_session::Entity>(course_session::Column::Id, req.uuid())
            .await?;
        let rows = tx
            .scoped::<attendance::Entity>()?
            .filter(attendance::Column::SessionId.eq(session.id))
            .order_by_asc(attendance::Column::EnrolmentId)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(rows
            .into_iter()
            .map(|a| Attendance {
                session_id: CourseSessionId(a.session_id),
                enrolment_id: EnrolmentId(a.enrolment_id),
                present: a.present,
                recorded_at: a.recorded_at,
            })
            .collect())
    }

    pub(super) async fn issue_certificate(
        &self,
        ctx: &Context,
        req: EnrolmentId,
    ) -> Result<Certificate> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let id = CertificateId::new();
        let code = self.code_of(tenant, id).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let seen = find_enrolment(&tx, req).await?;
        let found = tx
            .find_for_update::<course::Entity>(course::Column::Id, seen.course_id)
            .await?;
        let current = find_enrolment(&tx, req).await?;
        let facts = Facts::load(&tx, found).await?;
        let enrolment = facts.enrolment(current.clone())?;
        if enrolment.certificate_id.is_some() {
            return Err(Error::on("enrolmentId", Reason::AlreadyExists)
                .saying("the enrolment has its certificate"));
        }
        if enrolment.status != EnrolmentStatus::Enrolled {
            return Err(Error::on(
                "enrolmentId",
                Reason::TransitionNotAllowed {
                    from: current.status.clone(),
                    to: "CERTIFIED".to_owned(),
                },
            ));
        }
        if !enrolment.completed {
            return Err(Error::on(
                "enrolmentId",
                Reason::OutOfRange {
                    min: i64::from(facts.course.min_attendance_percent),
                    max: 100,
                },
            )
            .saying("the course is not held in full, or attendance is below its rule"));
        }
        let held = facts.held_sessions();
        let (first, last) = match (held.first(), held.last()) {
            (Some(first), Some(last)) => (
                ctx.time_zone.date_of(first.starts_at),
                ctx.time_zone.date_of(last.starts_at),
            ),
            _ => return Err(Error::internal("a completed enrolment without sessions")),
        };
        let now = ctx.now();
        let model = certificate::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(id.uuid()),
            enrolment_id: Set(current.id),
            volunteer_id: Set(current.volunteer_id),
            code_hash: Set(sportello_kernel::secret::digest(&code)),
            participant_name: Set(current.participant_name.clone()),
            course_title: Set(facts.course.title.clone()),
            course_kind: Set(facts.course.kind.clone()),
            minutes_attended: Set(to_i32(enrolment.minutes_attended)),
            sessions_attended: Set(to_i32(enrolment.sessions_attended)),
            sessions_held: Set(to_i32(enrolment.sessions_held)),
            first_day: Set(first),
            last_day: Set(last),
            issued_on: Set(ctx.today()),
            issued_at: Set(now),
            issued_by: Set(user.uuid()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_certificate(model, code)
    }

    pub(super) async fn get_certificate(
        &self,
        ctx: &Context,
        req: CertificateId,
    ) -> Result<Certificate> {
        let tenant = ctx.tenant()?;
        let staff = [Role::TenantAdmin, Role::Coordinator, Role::Operator]
            .into_iter()
            .any(|r| ctx.has_role(r));
        let email = match staff {
            true => None,
            false => Some(self.own_email(ctx).await?),
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = tx
            .find::<certificate::Entity>(certificate::Column::Id, req.uuid())
            .await?;
        if let Some(email) = email {
            // A volunteer reads only their own: another's answers like none.
            let me = me(&tx, ctx, &email).await?;
            if model.volunteer_id != Some(me.id) {
                return Err(Error::not_found());
            }
        }
        tx.commit().await?;
        let code = self.code_of(tenant, req).await?;
        to_certificate(model, code)
    }

    pub(super) async fn open_courses(&self, ctx: &Context, _req: ()) -> Result<Vec<OpenCourse>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<course::Entity>()?
            .filter(course::Column::Audience.eq(Audience::Volunteers.as_str()))
            .order_by_desc(course::Column::Id)
            .limit_rows(Page::MAX)
            .all(tx.conn())
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
        let tally = counts_of(&tx, ids.clone()).await?;
        let mut sessions: BTreeMap<Uuid, Vec<course_session::Model>> = BTreeMap::new();
        if !ids.is_empty() {
            for s in tx
                .scoped::<course_session::Entity>()?
                .filter(course_session::Column::CourseId.is_in(ids))
                .order_by_asc(course_session::Column::StartsAt)
                .order_by_asc(course_session::Column::Id)
                .all(tx.conn())
                .await?
            {
                sessions.entry(s.course_id).or_default().push(s);
            }
        }
        let held = held_of(&tx, sessions.values().flatten().map(|s| s.id).collect()).await?;
        tx.finish().await?;
        rows.into_iter()
            .map(|c| {
                let (enrolled, waiting) = tally.get(&c.id).copied().unwrap_or_default();
                let own = sessions.remove(&c.id).unwrap_or_default();
                Ok(OpenCourse {
                    course: to_course(c, enrolled, waiting)?,
                    sessions: own
                        .into_iter()
                        .map(|s| {
                            let is_held = held.contains(&s.id);
                            to_session(s, is_held)
                        })
                        .collect(),
                })
            })
            .collect()
    }

    pub(super) async fn my_courses(&self, ctx: &Context, _req: ()) -> Result<Vec<MyCourse>> {
        let tenant = ctx.tenant()?;
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let me = me(&tx, ctx, &email).await?;
        let mine = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::VolunteerId.eq(me.id))
            .order_by_asc(enrolment::Column::Id)
            .all(tx.conn())
            .await?;
        let mut out = Vec::with_capacity(mine.len());
        for model in mine {
            let found = tx
                .find::<course::Entity>(course::Column::Id, model.course_id)
                .await?;
            let facts = Facts::load(&tx, found).await?;
            out.push(MyCourse {
                course: facts.course()?,
                enrolment: facts.enrolment(model)?,
                sessions: facts.sessions(),
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn my_certificates(
        &self,
        ctx: &Context,
        _req: (),
    ) -> Result<Vec<Certificate>> {
        let tenant = ctx.tenant()?;
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let me = me(&tx, ctx, &email).await?;
        let rows = tx
            .scoped::<certificate::Entity>()?
            .filter(certificate::Column::VolunteerId.eq(me.id))
            .order_by_asc(certificate::Column::Id)
            .all(tx.conn())
            .await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(rows.len());
        for model in rows {
            let code = self.code_of(tenant, CertificateId(model.id)).await?;
            out.push(to_certificate(model, code)?);
        }
        Ok(out)
    }

    pub(super) async fn verify_certificate(
        &self,
        ctx: &Context,
        req: String,
    ) -> Result<CertificateCheck> {
        let Some((tenant, code)) = parse_code(&req) else {
            return Ok(CertificateCheck::default());
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .scoped::<certificate::Entity>()?
            .filter(certificate::Column::CodeHash.eq(sportello_kernel::secret::digest(&code)))
            .one(tx.conn())
            .await?;
        tx.finish().await?;
        let Some(c) = found else {
            return Ok(CertificateCheck::default());
        };
        let issuer =
            super::register::public_profile(&self.tenancy, &super::register::internal(ctx, tenant))
                .await?;
        Ok(CertificateCheck {
            valid: true,
            issued_by: Some(issuer.name),
            participant_name: Some(c.participant_name),
            course_title: Some(c.course_title),
            minutes_attended: Some(to_u32(c.minutes_attended)),
            issued_on: Some(c.issued_on),
        })
    }

    /// The verification code of a certificate: derived from the tenant's index key, so it is
    /// the same on every read and never stored.
    async fn code_of(&self, tenant: TenantId, id: CertificateId) -> Result<String> {
        let keys = self.keyring.tenant(tenant).await?;
        let mac = keys.blind_index(CODE_DOMAIN, &id.uuid().to_string())?;
        let secret: Vec<u8> = (0..15)
            .map(|i| u8::from_str_radix(mac.get(2 * i..2 * i + 2).unwrap_or("00"), 16))
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::internal)?;
        Ok(format!(
            "{}-{}",
            base32(tenant.uuid().as_bytes()),
            base32(&secret)
        ))
    }
}

/// The signed-in volunteer's record ([`own_volunteer`]). Two requests of one volunteer that
/// arrive together (two fields of one query) may both link the account on first use; the one
/// that loses reads the record the other linked.
async fn me(tx: &Tx, ctx: &Context, email: &str) -> Result<volunteer::Model> {
    match own_volunteer(tx, ctx, email).await {
        Err(e) if matches!(*e.reason, Reason::StaleVersion { .. }) => tx
            .scoped::<volunteer::Entity>()?
            .filter(volunteer::Column::UserId.eq(ctx.user()?.uuid()))
            .filter(volunteer::Column::Status.eq(VolunteerStatus::Active.as_str()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::not_found),
        other => other,
    }
}

/// A participant checked, before the course is locked.
enum Checked {
    Volunteer(VolunteerId),
    Person { name: String, email: Option<String> },
}

/// A course's input with every field checked.
struct CheckedCourse {
    kind: CourseKind,
    title: String,
    audience: Audience,
    planned_minutes: u32,
    trainer: String,
    capacity: u32,
    min_attendance_percent: u32,
}

/// Checks a course's fields: `title` and `trainer` 1–200 characters, `plannedMinutes`
/// 1–60000, `capacity` 1–10000, `minAttendancePercent` 1–100 (default 75). `INVALID_INPUT`
/// naming every field at fault.
fn check_course(input: CourseInput) -> Result<CheckedCourse> {
    let mut refusals = Refusals::default();
    let title = refusals.take(Name::parse("title", &input.title));
    let trainer = refusals.take(Name::parse("trainer", &input.trainer));
    let mut within = |field: &str, value: u32, max: u32| {
        if !(1..=max).contains(&value) {
            refusals.note(Error::on(
                field,
                Reason::OutOfRange {
                    min: 1,
                    max: i64::from(max),
                },
            ));
        }
        value
    };
    let planned_minutes = within("plannedMinutes", input.planned_minutes, MAX_PLANNED_MINUTES);
    let capacity = within("capacity", input.capacity, MAX_CAPACITY);
    let min_attendance_percent = within(
        "minAttendancePercent",
        input
            .min_attendance_percent
            .unwrap_or(DEFAULT_MIN_ATTENDANCE_PERCENT),
        100,
    );
    refusals.finish()?;
    let missing = || Error::internal("a refused course field passed the check");
    Ok(CheckedCourse {
        kind: input.kind,
        title: title.ok_or_else(missing)?.into_string(),
        audience: input.audience,
        planned_minutes,
        trainer: trainer.ok_or_else(missing)?.into_string(),
        capacity,
        min_attendance_percent,
    })
}

/// A session's times and where it is held, every field at fault named in one answer (see
/// [`check_session_times`] and [`check_where`]).
#[allow(clippy::type_complexity)]
fn check_session(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: Option<String>,
    online_url: Option<String>,
    now: DateTime<Utc>,
) -> Result<(
    (DateTime<Utc>, DateTime<Utc>),
    (Option<String>, Option<String>),
)> {
    let mut refusals = Refusals::default();
    let times = refusals.take(check_session_times(starts_at, ends_at, now));
    let location = refusals.take(check_where(place, online_url));
    refusals.finish()?;
    match (times, location) {
        (Some(times), Some(location)) => Ok((times, location)),
        _ => Err(Error::internal("a refused session field passed the check")),
    }
}

/// A session's instants: the start from 1 January 2000 to two years ahead of `now`; the end
/// after the start (`PERIOD_REVERSED` on `endsAt`) and at most 12 hours later.
fn check_session_times(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let starts_at = sportello_kernel::dates::instant_within(
        "startsAt",
        starts_at,
        earliest,
        now + Duration::days(731),
    )?;
    if ends_at <= starts_at {
        return Err(Error::on("endsAt", Reason::PeriodReversed));
    }
    let ends_at = sportello_kernel::dates::instant_within(
        "endsAt",
        ends_at,
        starts_at,
        starts_at + Duration::hours(MAX_SESSION_HOURS),
    )?;
    Ok((starts_at, ends_at))
}

/// Refuses to enrol a suspended or withdrawn volunteer (`TRANSITION_NOT_ALLOWED` on `field`).
fn may_enrol(v: &volunteer::Model, field: &str) -> Result<()> {
    let blocked = [VolunteerStatus::Suspended, VolunteerStatus::Withdrawn]
        .iter()
        .any(|s| s.as_str() == v.status);
    if blocked {
        return Err(Error::on(
            field,
            Reason::TransitionNotAllowed {
                from: v.status.clone(),
                to: EnrolmentStatus::Enrolled.as_str().to_owned(),
            },
        ));
    }
    Ok(())
}

fn full_name(v: &volunteer::Model) -> String {
    format!("{} {}", v.given_names, v.family_names)
        .trim()
        .to_owned()
}

/// Inserts an enrolment in a course locked by the caller: `ENROLLED` while places are left,
/// else `WAITING`. A volunteer already enrolled or waiting is `ALREADY_EXISTS` on `field`.
async fn insert_enrolment(
    tx: &Tx,
    ctx: &Context,
    found: &course::Model,
    volunteer_id: Option<Uuid>,
    name: String,
    email: Option<String>,
    field: &str,
) -> Result<enrolment::Model> {
    if let Some(v) = volunteer_id {
        let already = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::CourseId.eq(found.id))
            .filter(enrolment::Column::VolunteerId.eq(v))
            .filter(enrolment::Column::Status.ne(EnrolmentStatus::Withdrawn.as_str()))
            .one(tx.conn())
            .await?;
        if already.is_some() {
            return Err(Error::on(field, Reason::AlreadyExists)
                .saying("the volunteer is enrolled in this course already"));
        }
    }
    let (enrolled, _) = counts(tx, found.id).await?;
    let status = if enrolled < to_u32(found.capacity) {
        EnrolmentStatus::Enrolled
    } else {
        EnrolmentStatus::Waiting
    };
    let now = ctx.now();
    Ok(enrolment::ActiveModel {
        tenant_id: Set(ctx.tenant()?.uuid()),
        id: Set(EnrolmentId::new().uuid()),
        course_id: Set(found.id),
        volunteer_id: Set(volunteer_id),
        participant_name: Set(name),
        participant_email: Set(email),
        status: Set(status.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(tx.conn())
    .await?)
}

/// Moves the first waiting participants of a locked course into the places left.
async fn promote(tx: &Tx, ctx: &Context, found: &course::Model) -> Result<()> {
    let (enrolled, waiting) = counts(tx, found.id).await?;
    let free = to_u32(found.capacity).saturating_sub(enrolled);
    if free == 0 || waiting == 0 {
        return Ok(());
    }
    let first: Vec<Uuid> = tx
        .scoped::<enrolment::Entity>()?
        .filter(enrolment::Column::CourseId.eq(found.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waiting.as_str()))
        .order_by_asc(enrolment::Column::Id)
        .limit_rows(u64::from(free))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    set_status(tx, ctx, &first, EnrolmentStatus::Enrolled).await
}

async fn set_status(tx: &Tx, ctx: &Context, ids: &[Uuid], status: EnrolmentStatus) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.scoped_update::<enrolment::Entity>()?
        .col_expr(enrolment::Column::Status, Expr::value(status.as_str()))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(ctx.now()))
        .filter(enrolment::Column::Id.is_in(ids.to_vec()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// A small extension: `LIMIT n` on a select.
trait LimitRows: Sized {
    fn limit_rows(self, n: impl Into<u64>) -> Self;
}

impl<E: sea_orm::EntityTrait> LimitRows for sea_orm::Select<E> {
    fn limit_rows(self, n: impl Into<u64>) -> Self {
        sea_orm::QuerySelect::limit(self, n.into())
    }
}

/// Participants enrolled and waiting in one course.
async fn counts(tx: &Tx, course_id: Uuid) -> Result<(u32, u32)> {
    Ok(counts_of(tx, vec![course_id])
        .await?
        .get(&course_id)
        .copied()
        .unwrap_or_default())
}

/// Participants enrolled and waiting, by course.
async fn counts_of(tx: &Tx, courses: Vec<Uuid>) -> Result<BTreeMap<Uuid, (u32, u32)>> {
    let mut out = BTreeMap::new();
    if courses.is_empty() {
        return Ok(out);
    }
    let rows = tx
        .scoped::<enrolment::Entity>()?
        .filter(enrolment::Column::CourseId.is_in(courses))
        .filter(enrolment::Column::Status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .all(tx.conn())
        .await?;
    for e in rows {
        let entry: &mut (u32, u32) = out.entry(e.course_id).or_default();
        if e.status == EnrolmentStatus::Enrolled.as_str() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    Ok(out)
}

/// A session, read under its course's row lock (the lock a sheet and a cancellation both take).
async fn lock_session(tx: &Tx, id: CourseSessionId) -> Result<course_session::Model> {
    let seen = tx
        .find::<course_session::Entity>(course_session::Column::Id, id.uuid())
        .await?;
    tx.find_for_update::<course::Entity>(course::Column::Id, seen.course_id)
        .await?;
    tx.find::<course_session::Entity>(course_session::Column::Id, id.uuid())
        .await
}

/// The sessions among `sessions` whose attendance sheet was recorded.
async fn held_of(tx: &Tx, sessions: Vec<Uuid>) -> Result<BTreeSet<Uuid>> {
    if sessions.is_empty() {
        return Ok(BTreeSet::new());
    }
    let rows: Vec<Uuid> = tx
        .scoped::<attendance::Entity>()?
        .select_only()
        .column(attendance::Column::SessionId)
        .distinct()
        .filter(attendance::Column::SessionId.is_in(sessions))
        .into_tuple()
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().collect())
}

/// Refuses a sheet that changes the attendance recorded for a participant whose certificate was
/// issued (`TRANSITION_NOT_ALLOWED` on `entries`): the certificate states the hours it was
/// issued on, and stays true. A session not recorded before may still be.
async fn require_certified_unchanged(
    tx: &Tx,
    session: Uuid,
    enrolled: &[Uuid],
    given: &BTreeMap<Uuid, bool>,
) -> Result<()> {
    let certified: Vec<Uuid> = tx
        .scoped::<certificate::Entity>()?
        .filter(certificate::Column::EnrolmentId.is_in(enrolled.to_vec()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|c| c.enrolment_id)
        .collect();
    if certified.is_empty() {
        return Ok(());
    }
    let recorded = tx
        .scoped::<attendance::Entity>()?
        .filter(attendance::Column::SessionId.eq(session))
        .filter(attendance::Column::EnrolmentId.is_in(certified))
        .all(tx.conn())
        .await?;
    let changed = recorded
        .iter()
        .any(|a| given.get(&a.enrolment_id).copied().unwrap_or(false) != a.present);
    if changed {
        return Err(Error::on(
            "entries",
            Reason::TransitionNotAllowed {
                from: "CERTIFIED".to_owned(),
                to: "ATTENDANCE_CHANGED".to_owned(),
            },
        )
        .saying("a certificate was issued on this attendance: it cannot change"));
    }
    Ok(())
}

/// A session's place and online address: at least one (`REQUIRED` on `place`), each at most
/// 500 characters.
fn check_where(
    place: Option<String>,
    online_url: Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let place = optional_text("place", place)?;
    let online_url = optional_text("onlineUrl", online_url)?;
    if place.is_none() && online_url.is_none() {
        return Err(
            Error::on("place", Reason::Required).saying("give a place or an online address")
        );
    }
    Ok((place, online_url))
}

async fn find_course(tx: &Tx, id: CourseId) -> Result<course::Model> {
    tx.find::<course::Entity>(course::Column::Id, id.uuid())
        .await
}

async fn find_enrolment(tx: &Tx, id: EnrolmentId) -> Result<enrolment::Model> {
    tx.find::<enrolment::Entity>(enrolment::Column::Id, id.uuid())
        .await
}

/// What a course's enrolments are read with: its sessions, the attendance recorded, the
/// waiting list's order and the certificates issued.
struct Facts {
    course: course::Model,
    sessions: Vec<course_session::Model>,
    /// Sessions held (a sheet recorded).
    held: BTreeSet<Uuid>,
    /// Sessions each enrolment was present at.
    present: BTreeMap<Uuid, BTreeSet<Uuid>>,
    /// Waiting enrolments, first first.
    waiting: Vec<Uuid>,
    /// Certificate by enrolment.
    certificates: BTreeMap<Uuid, Uuid>,
    enrolled: u32,
}

impl Facts {
    async fn load(tx: &Tx, course: course::Model) -> Result<Self> {
        let sessions = tx
            .scoped::<course_session::Entity>()?
            .filter(course_session::Column::CourseId.eq(course.id))
            .order_by_asc(course_session::Column::StartsAt)
            .order_by_asc(course_session::Column::Id)
            .all(tx.conn())
            .await?;
        let mut held = BTreeSet::new();
        let mut present: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
        if !sessions.is_empty() {
            let rows = tx
                .scoped::<attendance::Entity>()?
                .filter(
                    attendance::Column::SessionId
                        .is_in(sessions.iter().map(|s| s.id).collect::<Vec<_>>()),
                )
                .all(tx.conn())
                .await?;
            for a in rows {
                held.insert(a.session_id);
                if a.present {
                    present
                        .entry(a.enrolment_id)
                        .or_default()
                        .insert(a.session_id);
                }
            }
        }
        let enrolments = tx
            .scoped::<enrolment::Entity>()?
            .filter(enrolment::Column::CourseId.eq(course.id))
            .filter(enrolment::Column::Status.ne(EnrolmentStatus::Withdrawn.as_str()))
            .order_by_asc(enrolment::Column::Id)
            .all(tx.conn())
            .await?;
        let waiting: Vec<Uuid> = enrolments
            .iter()
            .filter(|e| e.status == EnrolmentStatus::Waiting.as_str())
            .map(|e| e.id)
            .collect();
        let enrolled = to_u32(i32::try_from(enrolments.len() - waiting.len()).unwrap_or(i32::MAX));
        let certificates = tx
            .scoped::<certificate::Entity>()?
            .filter(
                certificate::Column::EnrolmentId.in_subquery(
                    tx.scoped_subquery::<enrolment::Entity>()?
                        .column(enrolment::Column::Id)
                        .and_where(enrolment::Column::CourseId.eq(course.id))
                        .to_owned(),
                ),
            )
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|c| (c.enrolment_id, c.id))
            .collect();
        Ok(Self {
            course,
            sessions,
            held,
            present,
            waiting,
            certificates,
            enrolled,
        })
    }

    fn course(&self) -> Result<Course> {
        to_course(
            self.course.clone(),
            self.enrolled,
            u32::try_from(self.waiting.len()).unwrap_or(u32::MAX),
        )
    }

    fn sessions(&self) -> Vec<CourseSession> {
        self.sessions
            .iter()
            .map(|s| to_session(s.clone(), self.held.contains(&s.id)))
            .collect()
    }

    fn held_sessions(&self) -> Vec<&course_session::Model> {
        self.sessions
            .iter()
            .filter(|s| self.held.contains(&s.id))
            .collect()
    }

    fn enrolment(&self, m: enrolment::Model) -> Result<Enrolment> {
        let status = EnrolmentStatus::parse(&m.status)
            .ok_or_else(|| Error::internal("unknown enrolment status"))?;
        let attended: Vec<&course_session::Model> = match self.present.get(&m.id) {
            Some(at) => self
                .sessions
                .iter()
                .filter(|s| at.contains(&s.id))
                .collect(),
            None => Vec::new(),
        };
        let minutes: i64 = attended
            .iter()
            .map(|s| (s.ends_at - s.starts_at).num_minutes())
            .sum();
        let held = self.held.len() as u32;
        let attended_count = attended.len() as u32;
        let rule = to_u32(self.course.min_attendance_percent);
        // Cancelled sessions are neither to be held nor in the denominator.
        let to_hold = self
            .sessions
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .count();
        let completed =
            held > 0 && self.held.len() == to_hold && attended_count * 100 >= rule * held;
        let waiting_position = self
            .waiting
            .iter()
            .position(|id| *id == m.id)
            .filter(|_| status == EnrolmentStatus::Waiting)
            .map(|p| p as u32 + 1);
        Ok(Enrolment {
            id: EnrolmentId(m.id),
            course_id: CourseId(m.course_id),
            volunteer_id: m.volunteer_id.map(VolunteerId),
            participant_name: m.participant_name,
            participant_email: m.participant_email,
            status,
            waiting_position,
            sessions_held: held,
            sessions_attended: attended_count,
            minutes_attended: u32::try_from(minutes).unwrap_or(0),
            completed,
            certificate_id: self.certificates.get(&m.id).copied().map(CertificateId),
            created_at: m.created_at,
        })
    }
}

fn to_course(m: course::Model, enrolled: u32, waiting: u32) -> Result<Course> {
    Ok(Course {
        id: CourseId(m.id),
        kind: CourseKind::parse(&m.kind).ok_or_else(|| Error::internal("unknown course kind"))?,
        title: m.title,
        audience: Audience::parse(&m.audience)
            .ok_or_else(|| Error::internal("unknown course audience"))?,
        planned_minutes: to_u32(m.planned_minutes),
        trainer: m.trainer,
        capacity: to_u32(m.capacity),
        min_attendance_percent: to_u32(m.min_attendance_percent),
        enrolled,
        waiting,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn to_session(m: course_session::Model, held: bool) -> CourseSession {
    CourseSession {
        id: CourseSessionId(m.id),
        course_id: CourseId(m.course_id),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        place: m.place,
        online_url: m.online_url,
        held,
        version: m.version,
        cancelled_at: m.cancelled_at,
        cancel_reason: m.cancel_reason,
    }
}

fn to_certificate(m: certificate::Model, code: String) -> Result<Certificate> {
    Ok(Certificate {
        id: CertificateId(m.id),
        enrolment_id: EnrolmentId(m.enrolment_id),
        participant_name: m.participant_name,
        course_title: m.course_title,
        course_kind: CourseKind::parse(&m.course_kind)
            .ok_or_else(|| Error::internal("unknown course kind"))?,
        minutes_attended: to_u32(m.minutes_attended),
        sessions_attended: to_u32(m.sessions_attended),
        sessions_held: to_u32(m.sessions_held),
        first_day: m.first_day,
        last_day: m.last_day,
        issued_on: m.issued_on,
        issued_at: m.issued_at,
        code,
    })
}

/// Counts are checked to fit before they are stored.
fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_u32(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Crockford base32 of `bytes`, without padding (the last character carries the bits left).
fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads a code as printed (any case, spaces around ignored): its tenant and the code in its
/// canonical form. `None` for anything that is not `<26 characters>-<24 characters>` of
/// Crockford base32.
fn parse_code(text: &str) -> Option<(TenantId, String)> {
    let code = text.trim().to_ascii_uppercase();
    let (tenant, secret) = code.split_once('-')?;
    if tenant.len() != 26
        || secret.len() != 24
        || !code.bytes().all(|b| b == b'-' || BASE32.contains(&b))
    {
        return None;
    }
    let mut bytes = Vec::with_capacity(17);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in tenant.bytes() {
        let value = BASE32.iter().position(|x| *x == c)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    let uuid = Uuid::from_slice(bytes.get(..16)?).ok()?;
    Some((TenantId(uuid), code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CourseInput {
        CourseInput {
            kind: CourseKind::Workshop,
            title: " Co-progettazione  dei servizi ".into(),
            audience: Audience::Operators,
            planned_minutes: 480,
            trainer: "Giulia Neri".into(),
            capacity: 20,
            min_attendance_percent: None,
        }
    }

    #[test]
    fn a_course_is_cleaned_and_takes_the_default_rule() {
        let checked = check_course(input()).expect("valid");
        assert_eq!(checked.title, "Co-progettazione dei servizi");
        assert_eq!(checked.min_attendance_percent, 75);
    }

    #[test]
    fn each_refusal_of_a_course_names_its_field() {
        let cases = [
            (
                CourseInput {
                    title: " ".into(),
                    ..input()
                },
                "title",
            ),
            (
                CourseInput {
                    capacity: 0,
                    ..input()
                },
                "capacity",
            ),
            (
                CourseInput {
                    planned_minutes: 0,
                    ..input()
                },
                "plannedMinutes",
            ),
            (
                CourseInput {
                    min_attendance_percent: Some(101),
                    ..input()
                },
                "minAttendancePercent",
            ),
            (
                CourseInput {
                    trainer: String::new(),
                    ..input()
                },
                "trainer",
            ),
        ];
        for (bad, field) in cases {
            let err = check_course(bad).err().expect(field);
            assert_eq!(err.field.as_deref(), Some(field));
        }
        let all_bad = CourseInput {
            title: " ".into(),
            trainer: String::new(),
            capacity: 0,
            min_attendance_percent: Some(101),
            ..input()
        };
        let err = check_course(all_bad).err().expect("refused");
        assert_eq!(
            err.refused_fields(),
            ["title", "trainer", "capacity", "minAttendancePercent"]
        );
        let now = Utc::now();
        let session = check_session(now, now, None, None, now).expect_err("refused");
        assert_eq!(session.refused_fields(), ["endsAt", "place"]);
    }

    #[test]
    fn session_times_must_run_forward_within_twelve_hours() {
        let now = Utc::now();
        let start = now - Duration::days(3);
        assert!(check_session_times(start, start + Duration::hours(2), now).is_ok());
        let reversed = check_session_times(start, start, now).expect_err("reversed");
        assert_eq!(reversed.field.as_deref(), Some("endsAt"));
        let long = check_session_times(start, start + Duration::hours(13), now).expect_err("long");
        assert_eq!(long.field.as_deref(), Some("endsAt"));
        let far = check_session_times(now + Duration::days(1000), now + Duration::days(1001), now)
            .expect_err("far");
        assert_eq!(far.field.as_deref(), Some("startsAt"));
    }

    #[test]
    fn a_code_carries_its_tenant_and_forgeries_are_not_read() {
        let tenant = TenantId(Uuid::now_v7());
        let code = format!(
            "{}-{}",
            base32(tenant.uuid().as_bytes()),
            base32(&[7u8; 15])
        );
        assert_eq!(code.len(), 26 + 1 + 24);
        let (read, canonical) = parse_code(&format!("  {} ", code.to_lowercase())).expect("read");
        assert_eq!(read, tenant);
        assert_eq!(canonical, code);
        for bad in [
            "",
            "abc",
            "x-y",
            &code.replace('-', ""),
            &format!("{code}0"),
        ] {
            assert!(parse_code(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn base32_follows_crockford() {
        assert_eq!(base32(&[0]), "00");
        assert_eq!(base32(&[0xff]), "ZW");
        assert_eq!(base32(b"\x00\x44\x32\x14\xc7"), "01234567");
    }
}
