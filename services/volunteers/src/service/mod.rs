//! The volunteers service: authorisation, transaction boundaries and the rules of the register,
//! tasks, training and pacts. Every operation checks the caller's role again (the generated
//! router and client checked it first) and runs in one transaction in the tenant's scope.
//!
//! This file holds the service, its constructor and the helpers every part shares; each part's
//! operations live in their own file, as inherent methods that the `Volunteers` implementation
//! below calls.

use std::collections::BTreeSet;

use async_trait::async_trait;
use sportello_kernel::crypto::Keyring;
use sportello_kernel::db::{Db, StoreConfig};
use sportello_kernel::pseudonym::Pseudonyms;
use sportello_kernel::{Context, Result, TenantId};
use sportello_tenancy::{ListTerritories, Page, TenancyClient};

use crate::events;
use crate::interface::*;
use crate::store::Migrator;

mod hours;
mod pacts;
mod register;
mod tasks;
mod training;

/// The volunteers service on its own store.
#[derive(Clone)]
pub struct VolunteersService {
    db: Db,
    tenancy: TenancyClient,
    /// The tenant keys for the pseudonyms of events, from the tenancy service.
    pseudonyms: Pseudonyms,
    /// The tenants' keys, held apart from the store: certificate verification codes are derived
    /// from each tenant's index key (see `training.rs`).
    keyring: Keyring,
}

impl VolunteersService {
    /// Opens the store, running migrations first when `migrate` is set.
    pub async fn open(config: &StoreConfig, migrate: bool, tenancy: TenancyClient) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            pseudonyms: Pseudonyms::new(std::sync::Arc::new(tenancy.clone()), events::PRODUCER),
            tenancy,
            keyring: Keyring::memory(),
        })
    }

    /// Uses the installation's key store (`Config::keyring`) for the keys that derive
    /// certificate verification codes; without it they live in memory and change when the
    /// process restarts (codes already printed still verify, their digest is stored).
    pub fn with_keyring(mut self, keyring: Keyring) -> Self {
        self.keyring = keyring;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The ISTAT codes of the caller's tenant's municipalities, from the tenancy service.
    async fn tenant_territory_codes(&self, ctx: &Context) -> Result<BTreeSet<String>> {
        let mut codes = BTreeSet::new();
        let mut after = None;
        loop {
            let page = self
                .tenancy
                .list_territories(
                    ctx,
                    ListTerritories {
                        page: Page {
                            first: Page::MAX,
                            after,
                        },
                        istat_code: None,
                        name_contains: None,
                    },
                )
                .await?;
            codes.extend(page.items.iter().map(|t| t.istat_code.clone()));
            match (page.has_next_page, page.items.last()) {
                (true, Some(last)) => after = Some(last.id.uuid()),
                _ => return Ok(codes),
            }
        }
    }
}

/// Every operation but `ready` calls the inherent method of the same name in its part's file
/// (inherent methods take precedence over the trait's).
#[async_trait]
impl Volunteers for VolunteersService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    // ── The register ───────────────────────────────────────────────────────────────────────
    async fn add_volunteer(&self, ctx: &Context, req: AddVolunteer) -> Result<Volunteer> {
        self.add_volunteer(ctx, req).await
    }

    async fn get_volunteer(&self, ctx: &Context, req: VolunteerId) -> Result<Volunteer> {
        self.get_volunteer(ctx, req).await
    }

    async fn set_volunteer_status(
        &self,
        ctx: &Context,
        req: SetVolunteerStatus,
    ) -> Result<Volunteer> {
        self.set_volunteer_status(ctx, req).await
    }

    async fn volunteer_history(
        &self,
        ctx: &Context,
        req: VolunteerId,
    ) -> Result<Vec<StatusChange>> {
        self.volunteer_history(ctx, req).await
    }

    async fn my_volunteer(&self, ctx: &Context, req: ()) -> Result<Volunteer> {
        self.my_volunteer(ctx, req).await
    }

    async fn language_volunteers(
        &self,
        ctx: &Context,
        req: LanguageVolunteers,
    ) -> Result<Vec<sportello_kernel::UserId>> {
        self.language_volunteers(ctx, req).await
    }

    async fn list_volunteers(
        &self,
        ctx: &Context,
        req: ListVolunteers,
    ) -> Result<Paged<Volunteer>> {
        self.list_volunteers(ctx, req).await
    }

    async fn list_skills(&self, ctx: &Context, req: ()) -> Result<Vec<Skill>> {
        self.list_skills(ctx, req).await
    }

    async fn update_volunteer(&self, ctx: &Context, req: UpdateVolunteer) -> Result<Volunteer> {
        self.update_volunteer(ctx, req).await
    }

    async fn update_my_volunteer(
        &self,
        ctx: &Context,
        req: UpdateMyVolunteer,
    ) -> Result<Volunteer> {
        self.update_my_volunteer(ctx, req).await
    }

    async fn submit_volunteer_application(
        &self,
        ctx: &Context,
        req: VolunteerApplication,
    ) -> Result<()> {
        self.submit_volunteer_application(ctx, req).await
    }

    async fn public_volunteer_form(
        &self,
        ctx: &Context,
        req: TenantId,
    ) -> Result<PublicVolunteerForm> {
        self.public_volunteer_form(ctx, req).await
    }

    async fn invite_volunteer(&self, ctx: &Context, req: VolunteerId) -> Result<Volunteer> {
        self.invite_volunteer(ctx, req).await
    }

    async fn add_skill(&self, ctx: &Context, req: AddSkill) -> Result<Skill> {
        self.add_skill(ctx, req).await
    }

    async fn set_skill_retired(&self, ctx: &Context, req: SetSkillRetired) -> Result<Skill> {
        self.set_skill_retired(ctx, req).await
    }

    // ── Tasks, delegations and hours ───────────────────────────────────────────────────────

    async fn request_task(&self, ctx: &Context, req: RequestTask) -> Result<Task> {
        self.request_task(ctx, req).await
    }

    async fn get_task(&self, ctx: &Context, req: TaskId) -> Result<Task> {
        self.get_task(ctx, req).await
    }

    async fn list_tasks(&self, ctx: &Context, req: ListTasks) -> Result<Paged<Task>> {
        self.list_tasks(ctx, req).await
    }

    async fn set_task_status(&self, ctx: &Context, req: SetTaskStatus) -> Result<Task> {
        self.set_task_status(ctx, req).await
    }

    async fn task_matches(&self, ctx: &Context, req: TaskMatches) -> Result<Vec<TaskMatch>> {
        self.task_matches(ctx, req).await
    }

    async fn offer_task(&self, ctx: &Context, req: OfferTask) -> Result<Vec<TaskOffer>> {
        self.offer_task(ctx, req).await
    }

    async fn task_offers(&self, ctx: &Context, req: TaskId) -> Result<Vec<TaskOffer>> {
        self.task_offers(ctx, req).await
    }

    async fn accept_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        self.accept_task(ctx, req).await
    }

    async fn decline_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        self.decline_task(ctx, req).await
    }

    async fn my_tasks(&self, ctx: &Context, req: Page) -> Result<Paged<MyTask>> {
        self.my_tasks(ctx, req).await
    }

    async fn log_hours(&self, ctx: &Context, req: LogHours) -> Result<HoursEntry> {
        self.log_hours(ctx, req).await
    }

    async fn my_hours(&self, ctx: &Context, req: Page) -> Result<Paged<HoursEntry>> {
        self.my_hours(ctx, req).await
    }

    async fn list_hours(&self, ctx: &Context, req: ListHours) -> Result<Paged<HoursEntry>> {
        self.list_hours(ctx, req).await
    }

    async fn approve_hours(&self, ctx: &Context, req: DecideHours) -> Result<HoursEntry> {
        self.approve_hours(ctx, req).await
    }

    async fn reject_hours(&self, ctx: &Context, req: DecideHours) -> Result<HoursEntry> {
        self.reject_hours(ctx, req).await
    }

    async fn add_delegation(&self, ctx: &Context, req: AddDelegation) -> Result<Delegation> {
        self.add_delegation(ctx, req).await
    }

    async fn list_delegations(&self, ctx: &Context, req: VolunteerId) -> Result<Vec<Delegation>> {
        self.list_delegations(ctx, req).await
    }

    // ── Training ───────────────────────────────────────────────────────────────────────────
    async fn create_course(&self, ctx: &Context, req: CourseInput) -> Result<Course> {
        self.create_course(ctx, req).await
    }

    async fn update_course(&self, ctx: &Context, req: UpdateCourse) -> Result<Course> {
        self.update_course(ctx, req).await
    }

    async fn get_course(&self, ctx: &Context, req: CourseId) -> Result<Course> {
        self.get_course(ctx, req).await
    }

    async fn list_courses(&self, ctx: &Context, req: ListCourses) -> Result<Paged<Course>> {
        self.list_courses(ctx, req).await
    }

    async fn add_session(&self, ctx: &Context, req: AddSession) -> Result<CourseSession> {
        self.add_session(ctx, req).await
    }

    async fn list_sessions(&self, ctx: &Context, req: CourseId) -> Result<Vec<CourseSession>> {
        self.list_sessions(ctx, req).await
    }

    async fn update_session(&self, ctx: &Context, req: UpdateSession) -> Result<CourseSession> {
        self.update_session(ctx, req).await
    }

    async fn cancel_session(&self, ctx: &Context, req: CancelSession) -> Result<CourseSession> {
        self.cancel_session(ctx, req).await
    }

    async fn sessions_between(
        &self,
        ctx: &Context,
        req: SessionsBetween,
    ) -> Result<Vec<DatedSession>> {
        self.sessions_between(ctx, req).await
    }

    async fn enrol(&self, ctx: &Context, req: Enrol) -> Result<Enrolment> {
        self.enrol(ctx, req).await
    }

    async fn enrol_me(&self, ctx: &Context, req: CourseId) -> Result<Enrolment> {
        self.enrol_me(ctx, req).await
    }

    async fn withdraw_enrolment(&self, ctx: &Context, req: EnrolmentId) -> Result<Enrolment> {
        self.withdraw_enrolment(ctx, req).await
    }

    async fn get_enrolment(&self, ctx: &Context, req: EnrolmentId) -> Result<Enrolment> {
        self.get_enrolment(ctx, req).await
    }

    async fn list_enrolments(
        &self,
        ctx: &Context,
        req: ListEnrolments,
    ) -> Result<Paged<Enrolment>> {
        self.list_enrolments(ctx, req).await
    }

    async fn record_attendance(
        &self,
        ctx: &Context,
        req: AttendanceSheet,
    ) -> Result<Vec<Attendance>> {
        self.record_attendance(ctx, req).await
    }

    async fn session_attendance(
        &self,
        ctx: &Context,
        req: CourseSessionId,
    ) -> Result<Vec<Attendance>> {
        self.session_attendance(ctx, req).await
    }

    async fn issue_certificate(&self, ctx: &Context, req: EnrolmentId) -> Result<Certificate> {
        self.issue_certificate(ctx, req).await
    }

    async fn get_certificate(&self, ctx: &Context, req: CertificateId) -> Result<Certificate> {
        self.get_certificate(ctx, req).await
    }

    async fn open_courses(&self, ctx: &Context, req: ()) -> Result<Vec<OpenCourse>> {
        self.open_courses(ctx, req).await
    }

    async fn my_courses(&self, ctx: &Context, req: ()) -> Result<Vec<MyCourse>> {
        self.my_courses(ctx, req).await
    }

    async fn my_certificates(&self, ctx: &Context, req: ()) -> Result<Vec<Certificate>> {
        self.my_certificates(ctx, req).await
    }

    async fn verify_certificate(&self, ctx: &Context, req: String) -> Result<CertificateCheck> {
        self.verify_certificate(ctx, req).await
    }

    // ── Collaboration pacts ────────────────────────────────────────────────────────────────
    async fn add_pact(&self, ctx: &Context, req: PactInput) -> Result<Pact> {
        self.add_pact(ctx, req).await
    }

    async fn update_pact(&self, ctx: &Context, req: UpdatePact) -> Result<Pact> {
        self.update_pact(ctx, req).await
    }

    async fn get_pact(&self, ctx: &Context, req: PactId) -> Result<Pact> {
        self.get_pact(ctx, req).await
    }

    async fn list_pacts(&self, ctx: &Context, req: ListPacts) -> Result<Paged<Pact>> {
        self.list_pacts(ctx, req).await
    }

    async fn set_pact_status(&self, ctx: &Context, req: SetPactStatus) -> Result<Pact> {
        self.set_pact_status(ctx, req).await
    }

    async fn pact_history(&self, ctx: &Context, req: PactId) -> Result<Vec<PactStatusChange>> {
        self.pact_history(ctx, req).await
    }

    async fn add_pact_report(&self, ctx: &Context, req: AddPactReport) -> Result<PactReport> {
        self.add_pact_report(ctx, req).await
    }

    async fn list_pact_reports(
        &self,
        ctx: &Context,
        req: ListPactReports,
    ) -> Result<Paged<PactReport>> {
        self.list_pact_reports(ctx, req).await
    }

    async fn list_public_pacts(
        &self,
        ctx: &Context,
        req: ListPublicPacts,
    ) -> Result<Paged<PublicPact>> {
        self.list_public_pacts(ctx, req).await
    }
}
