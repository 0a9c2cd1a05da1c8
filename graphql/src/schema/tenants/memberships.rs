//! Inputs of tenants, invitations and memberships.

use super::*;

#[derive(InputObject)]
pub struct CreateTenantInput {
    pub name: String,
    pub kind: TenantKind,
    /// Receives the invitation to become the tenant's first administrator.
    pub admin_email: String,
}

#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    pub roles: Vec<Role>,
    /// ISTAT codes to limit the roles to; empty or absent for every territory.
    #[graphql(default)]
    pub territories: Vec<String>,
    /// The language of the invitation e-mail: `it` (default), `en`, `fr`, `ar`, `ro`.
    pub language: Option<String>,
}

#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    pub email: String,
    /// The language of the e-mail: `it` (default), `en`, `fr`, `ar`, `ro`.
    pub language: Option<String>,
}

#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The token of the link in the reset e-mail.
    pub token: String,
    pub new_password: String,
}

#[derive(InputObject)]
pub struct AcceptInvitationInput {
    pub token: String,
    pub password: String,
    /// Needed when the invitation creates a new account.
    pub display_name: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateMembershipInput {
    pub id: ID,
    /// The `version` the change is based on; a stale one is `CONFLICT`.
    pub expected_version: i32,
    pub roles: Vec<Role>,
    #[graphql(default)]
    pub territories: Vec<String>,
}
