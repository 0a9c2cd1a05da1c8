//! Referrals to services of the directory.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReferralStatus", remote = "sportello_cases::ReferralStatus")]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Rejected,
    Completed,
    Failed,
}

/// A referral of the case to a service of the directory, followed to its outcome.
pub struct Referral(pub cases::Referral);

#[Object]
impl Referral {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Referral, self.0.id.uuid())
    }
    async fn status(&self) -> ReferralStatus {
        self.0.status.into()
    }
    async fn service(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<crate::schema::types::DirectoryService> {
        let (svc, rc) = services(ctx)?;
        svc.tenancy
            .get_directory_service(&rc.ctx, self.0.service_id)
            .await
            .gql()
            .map(crate::schema::types::DirectoryService)
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    /// Why a coordinator sent it without the person's sharing consent.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    async fn feedback(&self) -> Option<&str> {
        self.0.feedback.as_deref()
    }
    async fn sent_at(&self) -> DateTime<Utc> {
        self.0.sent_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(InputObject)]
pub struct SendReferralInput {
    pub case_id: ID,
    pub service_id: ID,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    /// Coordinators only: why the referral goes ahead without the person's sharing consent.
    pub override_reason: Option<String>,
}
