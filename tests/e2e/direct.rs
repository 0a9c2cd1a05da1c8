//! The role matrix holds inside each service, not only in the gateway: calls that bypass the
//! gateway and reach a service over its internal transport, correctly signed with the internal
//! secret, are refused with `FORBIDDEN` when the actor's roles are not allowed, for every
//! operation of every service.

use serde_json::Value;
use sportello::Role;
use sportello_kernel::rpc::{HttpTransport, InternalKeys};
use sportello_kernel::{Access, Actor, Context, ErrorCode, Role as TenantRole, TenantId, UserId};

use crate::helpers::{Backend, SECRET, TestApp, Topology};

/// A signed-in actor of some tenant holding exactly `roles`.
fn actor_with(roles: Vec<TenantRole>) -> Context {
    Context {
        tenant: Some(TenantId::new()),
        actor: Actor {
            user_id: Some(UserId::new()),
            roles,
            ..Actor::default()
        },
        request_id: "direct-call-test".into(),
        traceparent: None,
        ..Context::default()
    }
}

/// The error code of a call through the transport; `None` when the call succeeds.
async fn error_code(
    transport: &HttpTransport,
    op: &str,
    actor: &Context,
    request: &Value,
) -> Option<ErrorCode> {
    transport
        .call::<Value, Value>(op, actor, request)
        .await
        .map_err(|e| e.code)
        .err()
}

/// The roles an operation refuses; `None` when it refuses no role (open to anyone, or to any
/// signed-in user with a rule on the data inside the service).
fn refused_roles(access: Access) -> Option<Vec<TenantRole>> {
    let refused: Vec<TenantRole> = TenantRole::ALL
        .into_iter()
        .filter(|r| access.refuses(&[*r]))
        .collect();
    match access {
        Access::Public | Access::SignedIn => None,
        // Every role is allowed: a signed-in user holding none in the tenant is not.
        _ if refused.is_empty() => Some(Vec::new()),
        _ => Some(refused),
    }
}

#[tokio::test]
async fn every_service_refuses_a_forbidden_role_on_its_internal_transport() {
    let app = TestApp::spawn(Backend::Sqlite, Topology::Distributed).await;
    let keys = InternalKeys::new(SECRET.as_bytes());
    let mut checked = 0;
    for service in Role::SERVICES {
        let url = app
            .config
            .service_url(service)
            .expect("the distributed topology gives every service a URL");
        let transport = HttpTransport::new(url, service.name(), keys.clone()).expect("transport");
        let operations = sportello::operations(service);
        assert!(
            !operations.is_empty(),
            "{} declares no operation",
            service.name()
        );
        for (op, access) in operations {
            let Some(roles) = refused_roles(*access) else {
                continue;
            };
            // Whatever the request says: the roles are checked before it is even read.
            let refused =
                error_code(&transport, op, &actor_with(roles.clone()), &Value::Null).await;
            assert_eq!(
                refused,
                Some(ErrorCode::Forbidden),
                "{}.{op} with roles {roles:?}",
                service.name()
            );
            checked += 1;
        }
        // The same transport reaches the service: an allowed role gets past the roles and is
        // stopped by the malformed request instead.
        let (op, access) = operations
            .iter()
            .find(|(_, a)| matches!(a, Access::Roles(_)))
            .expect("an operation limited to roles");
        let Access::Roles(allowed) = access else {
            unreachable!()
        };
        let permitted = actor_with(allowed.to_vec());
        let answer = error_code(&transport, op, &permitted, &Value::Bool(true)).await;
        assert_eq!(
            answer,
            Some(ErrorCode::InvalidInput),
            "{}.{op} with an allowed role",
            service.name()
        );
    }
    assert!(checked > 40, "only {checked} operations checked");
}

#[tokio::test]
async fn a_platform_administrator_without_a_membership_is_refused_tenant_operations() {
    let app = TestApp::spawn(Backend::Sqlite, Topology::Distributed).await;
    let keys = InternalKeys::new(SECRET.as_bytes());
    let mut admin = actor_with(Vec::new());
    admin.actor.platform_admin = true;
    for service in Role::SERVICES {
        let url = app.config.service_url(service).expect("service URL");
        let transport = HttpTransport::new(url, service.name(), keys.clone()).expect("transport");
        for (op, access) in sportello::operations(service) {
            if !matches!(access, Access::Roles(_)) {
                continue;
            }
            assert_eq!(
                error_code(&transport, op, &admin, &Value::Null).await,
                Some(ErrorCode::Forbidden),
                "{}.{op} for a platform administrator",
                service.name()
            );
        }
    }
}
