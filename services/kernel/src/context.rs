//! The context every service call carries: which tenant, which actor, which request.

use serde::{Deserialize, Serialize};

use crate::{Error, Result, TenantId, UserId};

/// A role granted by a membership in a tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    TenantAdmin,
    Coordinator,
    Operator,
    Volunteer,
    TableMember,
    ExternalRequester,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::TenantAdmin,
        Role::Coordinator,
        Role::Operator,
        Role::Volunteer,
        Role::TableMember,
        Role::ExternalRequester,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantAdmin => "TENANT_ADMIN",
            Role::Coordinator => "COORDINATOR",
            Role::Operator => "OPERATOR",
            Role::Volunteer => "VOLUNTEER",
            Role::TableMember => "TABLE_MEMBER",
            Role::ExternalRequester => "EXTERNAL_REQUESTER",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Who is acting. Roles and territories are those of the membership in the context's tenant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    /// Runs the installation: creates tenants, sees no case data.
    #[serde(default)]
    pub platform_admin: bool,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// ISTAT codes the roles are limited to; empty means every territory of the tenant.
    #[serde(default)]
    pub territories: Vec<String>,
}

/// Carried by every service call, in-process or over the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The one tenant this request works in, if any.
    pub tenant: Option<TenantId>,
    pub actor: Actor,
    pub request_id: String,
    /// W3C `traceparent` of the caller's span, when tracing is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

impl Context {
    /// A context with no tenant and no user (sign-in, invitation acceptance, readiness).
    pub fn anonymous(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            ..Self::default()
        }
    }

    /// The tenant of this request, or an error when the request has none.
    pub fn tenant(&self) -> Result<TenantId> {
        self.tenant
            .ok_or_else(|| Error::new(crate::ErrorCode::Forbidden, "choose a tenant first"))
    }

    /// The signed-in user, or an error.
    pub fn user(&self) -> Result<UserId> {
        self.actor.user_id.ok_or_else(Error::unauthenticated)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.tenant.is_some() && self.actor.roles.contains(&role)
    }

    /// Succeeds when the actor holds at least one of the roles in the context's tenant.
    pub fn require_any(&self, roles: &[Role]) -> Result<TenantId> {
        self.user()?;
        let tenant = self.tenant()?;
        if roles.iter().any(|r| self.actor.roles.contains(r)) {
            Ok(tenant)
        } else {
            Err(Error::forbidden())
        }
    }

    /// Succeeds for a member of the context's tenant, whatever the role.
    pub fn require_member(&self) -> Result<TenantId> {
        self.user()?;
        let tenant = self.tenant()?;
        if self.actor.roles.is_empty() {
            Err(Error::forbidden())
        } else {
            Ok(tenant)
        }
    }

    pub fn require_platform_admin(&self) -> Result<UserId> {
        let user = self.user()?;
        if self.actor.platform_admin {
            Ok(user)
        } else {
            Err(Error::forbidden())
        }
    }

    /// True when the actor's roles are not limited to the given territory.
    pub fn covers_territory(&self, istat_code: &str) -> bool {
        self.actor.territories.is_empty() || self.actor.territories.iter().any(|t| t == istat_code)
    }
}
