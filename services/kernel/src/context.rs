//! The context every service call carries: which tenant, which actor, which request.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Error, Result, TenantId, UserId, Zone};

/// A role granted by a membership in a tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    TenantAdmin,
    Coordinator,
    Operator,
    Volunteer,
    TableMember,
    /// A person of an organisation the tenant works with (a school, a social service, a
    /// clinic) who requests mediation and sees only its organisation's requests.
    ExternalRequester,
    /// A linguistic-cultural mediator on call: sees only the mediation requests offered or
    /// assigned to them, with the minimum the requester shared, never a case.
    Mediator,
    /// A legal advisor on call: sees only the legal consultations of the tenant, never a case.
    LegalAdvisor,
}

impl Role {
    /// The roles that see case data (docs/privacy.md, "Who sees case data"): persons, cases and
    /// the exact figures about them.
    pub const CASE_DATA: [Role; 2] = [Role::Operator, Role::Coordinator];

    pub const ALL: [Role; 8] = [
        Role::TenantAdmin,
        Role::Coordinator,
        Role::Operator,
        Role::Volunteer,
        Role::TableMember,
        Role::ExternalRequester,
        Role::Mediator,
        Role::LegalAdvisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantAdmin => "TENANT_ADMIN",
            Role::Coordinator => "COORDINATOR",
            Role::Operator => "OPERATOR",
            Role::Volunteer => "VOLUNTEER",
            Role::TableMember => "TABLE_MEMBER",
            Role::ExternalRequester => "EXTERNAL_REQUESTER",
            Role::Mediator => "MEDIATOR",
            Role::LegalAdvisor => "LEGAL_ADVISOR",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Who may call an operation: declared once per operation in [`crate::service_interface!`],
/// checked by the client before the call leaves the caller and again by the router inside the
/// service. Rules that depend on data (a user's own memberships, a case's operator) stay in the
/// service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: readiness, sign-in, accepting an invitation by its token.
    Public,
    /// A signed-in user, whatever the tenant; the service decides on the data.
    SignedIn,
    /// Platform administrators only.
    PlatformAdmin,
    /// A signed-in user holding at least one of the roles in the context's tenant.
    Roles(&'static [Role]),
    /// A platform administrator, or a user holding one of the roles in the context's tenant.
    PlatformAdminOr(&'static [Role]),
    /// Another service's own call about the context's tenant ([`Context::internal`]), never a
    /// user: operations the gateway must never reach.
    Internal,
}

impl Access {
    /// Any member of the context's tenant, whatever the role.
    pub const MEMBER: Access = Access::Roles(&Role::ALL);

    /// Succeeds when the context may call an operation with this access.
    pub fn check(self, ctx: &Context) -> Result<()> {
        match self {
            Access::Public => Ok(()),
            Access::SignedIn => ctx.user().map(|_| ()),
            Access::PlatformAdmin => ctx.require_platform_admin().map(|_| ()),
            Access::Roles(roles) => ctx.require_any(roles).map(|_| ()),
            Access::PlatformAdminOr(_) if ctx.actor.platform_admin => ctx.user().map(|_| ()),
            Access::PlatformAdminOr(roles) => ctx.require_any(roles).map(|_| ()),
            Access::Internal => ctx.require_internal().map(|_| ()),
        }
    }

    /// Whether an actor with exactly these roles (in a tenant, not a platform administrator)
    /// is refused.
    pub fn refuses(self, roles: &[Role]) -> bool {
        match self {
            Access::Public | Access::SignedIn => false,
            Access::PlatformAdmin | Access::Internal => true,
            Access::Roles(allowed) | Access::PlatformAdminOr(allowed) => {
                !roles.iter().any(|r| allowed.contains(r))
            }
        }
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
    /// A service acting on its own behalf (no user, no roles): set only by
    /// [`Context::internal`], never from a session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
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
    /// The installation's clock ([`crate::Clock`]), set by the gateway; the system clock when
    /// absent.
    #[serde(default)]
    pub clock: crate::Clock,
    /// The tenant's time zone, resolved with the actor (`Europe/Rome` without a tenant): days,
    /// months, recurrences and reminders of this request follow it.
    #[serde(default)]
    pub time_zone: Zone,
}

impl Context {
    /// A context with no tenant and no user (sign-in, invitation acceptance, readiness).
    pub fn anonymous(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            ..Self::default()
        }
    }

    /// A service's own call to another service about one tenant (e.g. a producer asking for the
    /// tenant's pseudonym key). No user: operations open to users refuse it.
    pub fn internal(service: &str, tenant: TenantId, request_id: impl Into<String>) -> Self {
        Self {
            tenant: Some(tenant),
            actor: Actor {
                service: Some(service.to_owned()),
                ..Actor::default()
            },
            request_id: request_id.into(),
            ..Self::default()
        }
    }

    /// The installation's clock, read now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in the tenant's time zone.
    pub fn today(&self) -> NaiveDate {
        self.time_zone.date_of(self.now())
    }

    /// Succeeds for a service's own call ([`Context::internal`]) about a tenant.
    pub fn require_internal(&self) -> Result<TenantId> {
        if self.actor.service.is_none() || self.actor.user_id.is_some() {
            return Err(Error::forbidden());
        }
        self.tenant()
    }

    /// The tenant of this request, or an error when the request has none.
    pub fn tenant(&self) -> Result<TenantId> {
        self.tenant
            .ok_or_else(|| Error::new(crate::Reason::NoTenant))
    }

    /// The signed-in user, or an error.
    pub fn user(&self) -> Result<UserId> {
        self.actor.user_id.ok_or_else(Error::unauthenticated)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.tenant.is_some() && self.actor.roles.contains(&role)
    }

    /// Whether the actor holds a role that sees the tenant's case data ([`Role::CASE_DATA`]).
    /// Others (a tenant administrator, for one) get the tenant's figures only under the
    /// small-cell protection of the shared views.
    pub fn sees_case_data(&self) -> bool {
        Role::CASE_DATA.into_iter().any(|r| self.has_role(r))
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
