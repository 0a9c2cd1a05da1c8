//! Training: courses and co-design workshops, sessions, enrolments with a waiting list,
//! attendance sheets, certificates of attendance (PDF) and their public verification.

use async_graphql::{Enum, OneofObject, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_volunteers as vol;

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::CourseKind")]
/// A training course, or a co-design workshop (laboratorio di co-progettazione).
pub enum CourseKind {
    Course,
    Workshop,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CourseAudience", remote = "sportello_volunteers::Audience")]
/// Whom a course is for. Volunteers enrol themselves only in courses for `VOLUNTEERS`.
pub enum Audience {
    Operators,
    Volunteers,
    Citizens,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::EnrolmentStatus")]
/// Holding a place, waiting for one (first come, first served), or withdrawn (final).
pub enum EnrolmentStatus {
    Enrolled,
    Waiting,
    Withdrawn,
}

/// A training course or co-design workshop.
pub struct Course {
    pub course: vol::Course,
    /// Sessions read with the course (a volunteer's own courses), else asked for when selected.
    pub sessions: Option<Vec<vol::CourseSession>>,
}

impl Course {
    pub fn new(course: vol::Course) -> Self {
        Self {
            course,
            sessions: None,
        }
    }
}

#[Object]
impl Course {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Course, self.course.id.uuid())
    }
    /// Raised by one on every change; an update sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.course.version
    }
    async fn kind(&self) -> CourseKind {
        self.course.kind.into()
    }
    async fn title(&self) -> &str {
        &self.course.title
    }
    async fn audience(&self) -> Audience {
        self.course.audience.into()
    }
    /// The planned length of the whole course, in minutes.
    async fn planned_minutes(&self) -> u32 {
        self.course.planned_minutes
    }
    async fn trainer(&self) -> &str {
        &self.course.trainer
    }
    /// Places; enrolments beyond them wait.
    async fn capacity(&self) -> u32 {
        self.course.capacity
    }
    /// The completion rule: sessions attended over sessions held, in percent.
    async fn min_attendance_percent(&self) -> u32 {
        self.course.min_attendance_percent
    }
    /// Participants holding a place now.
    async fn enrolled(&self) -> u32 {
        self.course.enrolled
    }
    /// Participants on the waiting list now.
    async fn waiting(&self) -> u32 {
        self.course.waiting
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.course.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.course.updated_at
    }
    /// The course's sessions, earliest first (cancelled ones too). Staff; a volunteer reads
    /// them through `openCourses` and `myCourses`.
    async fn sessions(&self, ctx: &Context<'_>) -> GqlResult<Vec<CourseSession>> {
        let sessions = match &self.sessions {
            Some(sessions) => sessions.clone(),
            None => {
                let (svc, rc) = services(ctx)?;
                svc.volunteers
                    .list_sessions(&rc.ctx, self.course.id)
                    .await
                    .gql()?
            }
        };
        Ok(sessions
            .into_iter()
            .map(|s| CourseSession(s, None))
            .collect())
    }
    /// The course's enrolments in the order they were made. Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn enrolments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<EnrolmentStatus>,
    ) -> GqlResult<Connection<String, Enrolment>> {
        let (svc, rc) = services(ctx)?;
        let course_id = self.course.id;
        let fetch = |page| {
            svc.volunteers.list_enrolments(
                &rc.ctx,
                vol::ListEnrolments {
                    course_id,
                    status: status.map(Into::into),
                    page,
                },
            )
        };
        paginate(first, after, fetch, |e| e.id.uuid(), Enrolment).await
    }
}

/// One session of a course. Instants are UTC; the console shows them in the tenant's zone.
/// The course is carried when read with it (the calendar).
pub struct CourseSession(pub vol::CourseSession, pub Option<vol::Course>);

#[Object]
impl CourseSession {
    async fn id(&self) -> ID {
        ids::encode(Kind::CourseSession, self.0.id.uuid())
    }
    /// Raised by one on every change; a change sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn course_id(&self) -> ID {
        ids::encode(Kind::Course, self.0.course_id.uuid())
    }
    /// The session's course (staff).
    async fn course(&self, ctx: &Context<'_>) -> GqlResult<Course> {
        if let Some(course) = &self.1 {
            return Ok(Course::new(course.clone()));
        }
        let (svc, rc) = services(ctx)?;
        let course = svc
            .volunteers
            .get_course(&rc.ctx, self.0.course_id)
            .await
            .gql()?;
        Ok(Course::new(course))
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
    async fn online_url(&self) -> Option<&str> {
        self.0.online_url.as_deref()
    }
    /// Whether its attendance sheet was recorded.
    async fn held(&self) -> bool {
        self.0.held
    }
    /// Whether it was cancelled (final): it takes no attendance and does not count in the
    /// completion rule.
    async fn cancelled(&self) -> bool {
        self.0.cancelled_at.is_some()
    }
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
    /// Why it was cancelled.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// The attendance recorded at this session. Staff only.
    async fn attendance(&self, ctx: &Context<'_>) -> GqlResult<Vec<Attendance>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc
            .volunteers
            .session_attendance(&rc.ctx, self.0.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Attendance::from).collect())
    }
}

/// A participant's enrolment in a course, with their attendance so far.
pub struct Enrolment(pub vol::Enrolment);

#[Object]
impl Enrolment {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Enrolment, self.0.id.uuid())
    }
    async fn course_id(&self) -> ID {
        ids::encode(Kind::Course, self.0.course_id.uuid())
    }
    /// The volunteer of the register, when the participant is one.
    async fn volunteer_id(&self) -> Option<ID> {
        self.0
            .volunteer_id
            .map(|v| ids::encode(Kind::Volunteer, v.uuid()))
    }
    async fn participant_name(&self) -> &str {
        &self.0.participant_name
    }
    async fn participant_email(&self) -> Option<&str> {
        self.0.participant_email.as_deref()
    }
    async fn status(&self) -> EnrolmentStatus {
        self.0.status.into()
    }
    /// 1 for the first on the waiting list; none unless waiting.
    async fn waiting_position(&self) -> Option<u32> {
        self.0.waiting_position
    }
    /// Sessions of the course whose attendance was recorded.
    async fn sessions_held(&self) -> u32 {
        self.0.sessions_held
    }
    async fn sessions_attended(&self) -> u32 {
        self.0.sessions_attended
    }
    /// Minutes of the sessions attended.
    async fn minutes_attended(&self) -> u32 {
        self.0.minutes_attended
    }
    /// Every session held, and attended over held at least the course's rule.
    async fn completed(&self) -> bool {
        self.0.completed
    }
    async fn certificate_id(&self) -> Option<ID> {
        self.0
            .certificate_id
            .map(|c| ids::encode(Kind::Certificate, c.uuid()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Whether one participant was present at one session.
#[derive(SimpleObject)]
pub struct Attendance {
    pub session_id: ID,
    pub enrolment_id: ID,
    pub present: bool,
    pub recorded_at: DateTime<Utc>,
}

impl From<vol::Attendance> for Attendance {
    fn from(a: vol::Attendance) -> Self {
        Self {
            session_id: ids::encode(Kind::CourseSession, a.session_id.uuid()),
            enrolment_id: ids::encode(Kind::Enrolment, a.enrolment_id.uuid()),
            present: a.present,
            recorded_at: a.recorded_at,
        }
    }
}

/// Hours from minutes, to the hundredth.
fn hours(minutes: u32) -> f64 {
    (f64::from(minutes) / 60.0 * 100.0).round() / 100.0
}

/// A certificate of attendance: what it certified, as it was when issued.
pub struct Certificate(pub vol::Certificate);

#[Object]
impl Certificate {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Certificate, self.0.id.uuid())
    }
    async fn enrolment_id(&self) -> ID {
        ids::encode(Kind::Enrolment, self.0.enrolment_id.uuid())
    }
    async fn participant_name(&self) -> &str {
        &self.0.participant_name
    }
    async fn course_title(&self) -> &str {
        &self.0.course_title
    }
    async fn course_kind(&self) -> CourseKind {
        self.0.course_kind.into()
    }
    /// Minutes of the sessions attended.
    async fn minutes_attended(&self) -> u32 {
        self.0.minutes_attended
    }
    /// The same, in hours (to the hundredth).
    async fn hours_attended(&self) -> f64 {
        hours(self.0.minutes_attended)
    }
    async fn sessions_attended(&self) -> u32 {
        self.0.sessions_attended
    }
    async fn sessions_held(&self) -> u32 {
        self.0.sessions_held
    }
    /// Local day of the first session held.
    async fn first_day(&self) -> NaiveDate {
        self.0.first_day
    }
    /// Local day of the last session held.
    async fn last_day(&self) -> NaiveDate {
        self.0.last_day
    }
    /// Local day of issue.
    async fn issued_on(&self) -> NaiveDate {
        self.0.issued_on
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    /// The code a third party checks with `verifyCertificate`.
    async fn verification_code(&self) -> &str {
        &self.0.code
    }
    /// The public page that checks the code: `/verifica/<code>`.
    async fn verification_path(&self) -> String {
        crate::certificate::verification_path(&self.0.code)
    }
    /// The whole address of that page, as printed on the PDF: the installation's `public_url`
    /// followed by the path (`https://sportello.example.it/verifica/<code>`); the path alone
    /// where `public_url` is not set.
    async fn verification_url(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let (svc, _) = services(ctx)?;
        Ok(crate::certificate::verification_url(
            &self.0.code,
            svc.public_url.as_deref(),
        ))
    }
}

/// A volunteer's own enrolment with its course and sessions.
#[derive(SimpleObject)]
pub struct MyCourse {
    pub course: Course,
    pub enrolment: Enrolment,
}

/// The public answer about a verification code: for an unknown or forged code only
/// `valid: false`, every other field empty.
#[derive(SimpleObject)]
pub struct CertificateCheck {
    pub valid: bool,
    /// The issuing organisation: the name of the consortium or municipality whose desks held
    /// the course.
    pub issued_by: Option<String>,
    pub participant_name: Option<String>,
    pub course_title: Option<String>,
    /// Hours attended (to the hundredth).
    pub hours: Option<f64>,
    /// Local day of issue.
    pub issued_on: Option<NaiveDate>,
}

/// What is given about a course.
#[derive(InputObject)]
pub struct CourseInput {
    pub kind: CourseKind,
    /// 1–200 characters.
    pub title: String,
    pub audience: Audience,
    /// The planned length of the whole course, in minutes (1–60000).
    pub planned_minutes: i32,
    /// The trainer's name.
    pub trainer: String,
    /// Places, 1–10000.
    pub capacity: i32,
    /// Sessions attended over sessions held, in percent (1–100); 75 when left out.
    pub min_attendance_percent: Option<i32>,
}

impl From<CourseInput> for vol::CourseInput {
    fn from(i: CourseInput) -> Self {
        Self {
            kind: i.kind.into(),
            title: i.title,
            audience: i.audience.into(),
            planned_minutes: count(i.planned_minutes),
            trainer: i.trainer,
            capacity: count(i.capacity),
            min_attendance_percent: i.min_attendance_percent.map(count),
        }
    }
}

/// A change of a course, at the version the caller saw.
#[derive(InputObject)]
pub struct UpdateCourseInput {
    pub id: ID,
    pub course: CourseInput,
    pub expected_version: i32,
}

/// A new session: `endsAt` after `startsAt`, at most 12 hours later; a place, an online address,
/// or both.
#[derive(InputObject)]
pub struct AddCourseSessionInput {
    pub course_id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_url: Option<String>,
}

/// A change of a session at the version the caller saw: the same rules as a new one.
#[derive(InputObject)]
pub struct UpdateCourseSessionInput {
    pub id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub expected_version: i32,
}

/// The cancellation of a session, with its reason (1–500 characters).
#[derive(InputObject)]
pub struct CancelCourseSessionInput {
    pub id: ID,
    pub reason: String,
    pub expected_version: i32,
}

/// A participant who is not in the register: an operator, a citizen.
#[derive(InputObject)]
pub struct NamedParticipantInput {
    pub name: String,
    pub email: Option<String>,
}

/// Who takes part: a volunteer of the register, or a named person.
#[derive(OneofObject)]
pub enum ParticipantInput {
    VolunteerId(ID),
    Person(NamedParticipantInput),
}

/// An enrolment by staff; beyond the course's capacity it waits.
#[derive(InputObject)]
pub struct EnrolInput {
    pub course_id: ID,
    pub participant: ParticipantInput,
}

/// One line of an attendance sheet.
#[derive(InputObject)]
pub struct AttendanceEntryInput {
    pub enrolment_id: ID,
    pub present: bool,
}

/// The attendance sheet of one session: a line per enrolled participant (those left out are
/// recorded absent). Replaces the sheet recorded before.
#[derive(InputObject)]
pub struct AttendanceSheetInput {
    pub session_id: ID,
    pub entries: Vec<AttendanceEntryInput>,
}

#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// The tenant's courses and workshops, by kind or audience. Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        kind: Option<CourseKind>,
        audience: Option<Audience>,
    ) -> GqlResult<Connection<String, Course>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| {
            svc.volunteers.list_courses(
                &rc.ctx,
                vol::ListCourses {
                    kind: kind.map(Into::into),
                    audience: audience.map(Into::into),
                    page,
                },
            )
        };
        paginate(first, after, fetch, |c| c.id.uuid(), Course::new).await
    }

    /// The tenant's course sessions starting on the local days `from`..=`to` (the tenant's
    /// clock; at most 92 days, else `INVALID_INPUT` `OUT_OF_RANGE` on `to`), by start, each
    /// with its course. Cancelled sessions are included (`cancelled`). Staff only.
    async fn course_sessions(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> GqlResult<Vec<CourseSession>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc
            .volunteers
            .sessions_between(&rc.ctx, vol::SessionsBetween { from, to })
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|d| CourseSession(d.session, Some(d.course)))
            .collect())
    }

    /// The PDF certificate of attendance, in Italian: `{filename, contentType, contentBase64}`.
    /// Staff, or the volunteer it certifies.
    async fn certificate_pdf(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> GqlResult<super::super::analytics::ExportFile> {
        let (svc, rc) = services(ctx)?;
        let id: vol::CertificateId = ids::decode(Kind::Certificate, &id).gql()?;
        let certificate = svc.volunteers.get_certificate(&rc.ctx, id).await.gql()?;
        let tenant = rc.ctx.tenant().gql()?;
        let tenant_name = svc
            .tenancy
            .tenant_names(&rc.ctx, vec![tenant])
            .await
            .gql()?
            .into_iter()
            .next()
            .map(|t| t.name)
            .unwrap_or_default();
        let filename = crate::certificate::filename(&certificate);
        let public_url = svc.public_url.clone();
        // Shaping and subsetting take a while: off the request threads.
        let bytes = tokio::task::spawn_blocking(move || {
            crate::certificate::to_pdf(&certificate, &tenant_name, public_url.as_deref())
        })
        .await
        .map_err(|e| to_gql(sportello_kernel::Error::internal(e)))?
        .gql()?;
        Ok(super::super::analytics::ExportFile {
            filename,
            content_type: "application/pdf".to_owned(),
            content_base64: base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                bytes,
            ),
        })
    }

    /// The courses for volunteers the signed-in volunteer may enrol in, with their `sessions`
    /// (volunteers only; other participants' enrolments stay staff-only).
    async fn open_courses(&self, ctx: &Context<'_>) -> GqlResult<Vec<Course>> {
        let (svc, rc) = services(ctx)?;
        let courses = svc.volunteers.open_courses(&rc.ctx, ()).await.gql()?;
        Ok(courses
            .into_iter()
            .map(|c| Course {
                course: c.course,
                sessions: Some(c.sessions),
            })
            .collect())
    }

    /// The signed-in volunteer's own enrolments, with their courses and sessions.
    async fn my_courses(&self, ctx: &Context<'_>) -> GqlResult<Vec<MyCourse>> {
        let (svc, rc) = services(ctx)?;
        let mine = svc.volunteers.my_courses(&rc.ctx, ()).await.gql()?;
        Ok(mine
            .into_iter()
            .map(|m| MyCourse {
                course: Course {
                    course: m.course,
                    sessions: Some(m.sessions),
                },
                enrolment: Enrolment(m.enrolment),
            })
            .collect())
    }

    /// The signed-in volunteer's own certificates.
    async fn my_certificates(&self, ctx: &Context<'_>) -> GqlResult<Vec<Certificate>> {
        let (svc, rc) = services(ctx)?;
        let mine = svc.volunteers.my_certificates(&rc.ctx, ()).await.gql()?;
        Ok(mine.into_iter().map(Certificate).collect())
    }

    /// Checks a certificate's verification code, without signing in. A forged or unknown code
    /// answers `valid: false` and nothing else.
    async fn verify_certificate(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> GqlResult<CertificateCheck> {
        let (svc, rc) = services(ctx)?;
        // Longer than any code: not worth a call.
        if code.len() > 100 {
            return Ok(CertificateCheck {
                valid: false,
                issued_by: None,
                participant_name: None,
                course_title: None,
                hours: None,
                issued_on: None,
            });
        }
        let check = svc
            .volunteers
            .verify_certificate(&rc.ctx, code)
            .await
            .gql()?;
        Ok(CertificateCheck {
            valid: check.valid,
            issued_by: check.issued_by,
            participant_name: check.participant_name,
            course_title: check.course_title,
            hours: check.minutes_attended.map(hours),
            issued_on: check.issued_on,
        })
    }
}

#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Creates a course or workshop. Refusals are `INVALID_INPUT` naming the field.
    async fn create_course(&self, ctx: &Context<'_>, input: CourseInput) -> GqlResult<Course> {
        let (svc, rc) = services(ctx)?;
        let course = svc
            .volunteers
            .create_course(&rc.ctx, input.into())
            .await
            .gql()?;
        Ok(Course::new(course))
    }

    /// Changes a course at `expectedVersion` (stale: `CONFLICT`). A capacity below the
    /// participants enrolled is `INVALID_INPUT` on `capacity`; a larger one moves the first
    /// waiting participants in.
    async fn update_course(
        &self,
        ctx: &Context<'_>,
        input: UpdateCourseInput,
    ) -> GqlResult<Course> {
        let (svc, rc) = services(ctx)?;
        let req = vol::UpdateCourse {
            id: ids::decode(Kind::Course, &input.id).gql()?,
            course: input.course.into(),
            expected_version: input.expected_version,
        };
        let course = svc.volunteers.update_course(&rc.ctx, req).await.gql()?;
        Ok(Course::new(course))
    }

    /// Adds a session to a course.
    async fn add_course_session(
        &self,
        ctx: &Context<'_>,
        input: AddCourseSessionInput,
    ) -> GqlResult<CourseSession> {
        let (svc, rc) = services(ctx)?;
        let req = vol::AddSession {
            course_id: ids::decode(Kind::Course, &input.course_id).gql()?,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: input.place,
            online_url: input.online_url,
        };
        Ok(CourseSession(
            svc.volunteers.add_session(&rc.ctx, req).await.gql()?,
            None,
        ))
    }

    /// Changes a session's times, place or online address at `expectedVersion` (stale:
    /// `CONFLICT` `STALE_VERSION`). A cancelled session is `SESSION_CANCELLED`; one whose
    /// attendance is recorded cannot start in the future. Refusals name the field.
    async fn update_course_session(
        &self,
        ctx: &Context<'_>,
        input: UpdateCourseSessionInput,
    ) -> GqlResult<CourseSession> {
        let (svc, rc) = services(ctx)?;
        let req = vol::UpdateSession {
            id: ids::decode(Kind::CourseSession, &input.id).gql()?,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: input.place,
            online_url: input.online_url,
            expected_version: input.expected_version,
        };
        Ok(CourseSession(
            svc.volunteers.update_session(&rc.ctx, req).await.gql()?,
            None,
        ))
    }

    /// Cancels a session with a reason (final): it takes no attendance and leaves the
    /// completion rule. One whose attendance is recorded is `CONFLICT` `SESSION_HELD`, one
    /// cancelled already `ALREADY_CANCELLED`, a stale `expectedVersion` `STALE_VERSION`.
    async fn cancel_course_session(
        &self,
        ctx: &Context<'_>,
        input: CancelCourseSessionInput,
    ) -> GqlResult<CourseSession> {
        let (svc, rc) = services(ctx)?;
        let req = vol::CancelSession {
            id: ids::decode(Kind::CourseSession, &input.id).gql()?,
            reason: input.reason,
            expected_version: input.expected_version,
        };
        Ok(CourseSession(
            svc.volunteers.cancel_session(&rc.ctx, req).await.gql()?,
            None,
        ))
    }

    /// Enrols a volunteer or a named person; beyond capacity the enrolment is `WAITING` with
    /// its position. A volunteer already enrolled is `ALREADY_EXISTS` on `volunteerId`.
    async fn enrol(&self, ctx: &Context<'_>, input: EnrolInput) -> GqlResult<Enrolment> {
        let (svc, rc) = services(ctx)?;
        let participant = match input.participant {
            ParticipantInput::VolunteerId(id) => vol::Participant::Volunteer(
                ids::decode_input(Kind::Volunteer, &id, "volunteerId").gql()?,
            ),
            ParticipantInput::Person(p) => vol::Participant::Person {
                name: p.name,
                email: p.email,
            },
        };
        let req = vol::Enrol {
            course_id: ids::decode(Kind::Course, &input.course_id).gql()?,
            participant,
        };
        Ok(Enrolment(svc.volunteers.enrol(&rc.ctx, req).await.gql()?))
    }

    /// The signed-in volunteer enrols in a course for volunteers (volunteers only).
    async fn enrol_me(&self, ctx: &Context<'_>, course_id: ID) -> GqlResult<Enrolment> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Course, &course_id).gql()?;
        Ok(Enrolment(svc.volunteers.enrol_me(&rc.ctx, id).await.gql()?))
    }

    /// Withdraws an enrolment; the first waiting participant takes the place freed.
    async fn withdraw_enrolment(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Enrolment> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Enrolment, &id).gql()?;
        Ok(Enrolment(
            svc.volunteers.withdraw_enrolment(&rc.ctx, id).await.gql()?,
        ))
    }

    /// Records a session's attendance sheet (replacing the one recorded before). A line naming
    /// no enrolled participant of the course is `INVALID_INPUT` on `entries`; a session not yet
    /// started on `sessionId`.
    async fn record_attendance(
        &self,
        ctx: &Context<'_>,
        input: AttendanceSheetInput,
    ) -> GqlResult<Vec<Attendance>> {
        let (svc, rc) = services(ctx)?;
        let entries = input
            .entries
            .iter()
            .map(|e| {
                Ok(vol::AttendanceEntry {
                    enrolment_id: ids::decode_input(Kind::Enrolment, &e.enrolment_id, "entries")?,
                    present: e.present,
                })
            })
            .collect::<sportello_kernel::Result<Vec<_>>>()
            .gql()?;
        let req = vol::AttendanceSheet {
            session_id: ids::decode(Kind::CourseSession, &input.session_id).gql()?,
            entries,
        };
        let rows = svc.volunteers.record_attendance(&rc.ctx, req).await.gql()?;
        Ok(rows.into_iter().map(Attendance::from).collect())
    }

    /// Issues the certificate of attendance of a completed enrolment, once. Not completed:
    /// `INVALID_INPUT` on `enrolmentId`.
    async fn issue_certificate(
        &self,
        ctx: &Context<'_>,
        enrolment_id: ID,
    ) -> GqlResult<Certificate> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Enrolment, &enrolment_id).gql()?;
        Ok(Certificate(
            svc.volunteers.issue_certificate(&rc.ctx, id).await.gql()?,
        ))
    }
}
