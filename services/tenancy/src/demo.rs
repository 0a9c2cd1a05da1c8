//! The demo consortium created on a fresh installation when the demo is enabled, through the same
//! operations a real onboarding uses.

use sportello_kernel::{Actor, Context, Result, Role};

use crate::interface::*;
use crate::service::TenancyService;

/// Documented demo credentials (README). Never enable the demo on a real installation.
pub const PLATFORM_ADMIN: (&str, &str) = ("piattaforma@demo.sportello.it", "Torre-Grossa-2026");
pub const TENANT_ADMIN: (&str, &str) = ("admin@demo.sportello.it", "Via-Francigena-2026");
pub const OPERATOR: (&str, &str) = ("operatore@demo.sportello.it", "Elsa-Fiume-2026");
pub const CONSORTIUM: &str = "Società della Salute Alta Val d'Elsa (demo)";

/// Seeds the demo consortium if the installation has no tenant yet. Returns true if it did.
pub async fn seed(service: &TenancyService) -> Result<bool> {
    if !service.is_empty().await? {
        return Ok(false);
    }
    let platform = service
        .bootstrap_user(
            PLATFORM_ADMIN.0,
            "Amministrazione piattaforma",
            PLATFORM_ADMIN.1,
            true,
        )
        .await?;
    let platform_ctx = Context {
        actor: Actor {
            user_id: Some(platform.id),
            platform_admin: true,
            ..Actor::default()
        },
        request_id: "demo-seed".into(),
        ..Context::default()
    };
    let created = service
        .create_tenant(
            &platform_ctx,
            CreateTenant {
                name: CONSORTIUM.into(),
                kind: TenantKind::Consortium,
                admin_email: TENANT_ADMIN.0.into(),
            },
        )
        .await?;
    let anonymous = Context::anonymous("demo-seed");
    let admin = service
        .accept_invitation(
            &anonymous,
            AcceptInvitation {
                token: created.admin_invitation.token,
                password: TENANT_ADMIN.1.into(),
                display_name: Some("Giulia Bianchi".into()),
            },
        )
        .await?;
    let admin_ctx = Context {
        tenant: Some(created.tenant.id),
        actor: Actor {
            user_id: Some(admin.user.id),
            roles: vec![Role::TenantAdmin],
            ..Actor::default()
        },
        request_id: "demo-seed".into(),
        traceparent: None,
        ..Context::default()
    };
    let mut territories = Vec::new();
    for (code, name) in [
        ("052022", "Poggibonsi"),
        ("052012", "Colle di Val d'Elsa"),
        ("052028", "San Gimignano"),
    ] {
        territories.push(
            service
                .add_territory(
                    &admin_ctx,
                    AddTerritory {
                        istat_code: code.into(),
                        name: Some(name.into()),
                    },
                )
                .await?,
        );
    }
    service
        .add_desk(
            &admin_ctx,
            AddDesk {
                territory_id: territories[0].id,
                name: "Sportello Immigrazione Poggibonsi".into(),
                kind: DeskKind::Fixed,
                address: Some("Piazza Cavour 2, 53036 Poggibonsi SI".into()),
                opening_hours: Some("lun e mer 9:00-13:00, gio 14:30-17:30".into()),
                languages: vec!["it".into(), "en".into(), "fr".into(), "ar".into()],
            },
        )
        .await?;
    let diffuse = service
        .add_desk(
            &admin_ctx,
            AddDesk {
                territory_id: territories[1].id,
                name: "Sportello diffuso Valdelsa".into(),
                kind: DeskKind::Diffuse,
                address: None,
                opening_hours: Some("su appuntamento".into()),
                languages: vec!["it".into(), "ro".into(), "ar".into()],
            },
        )
        .await?;
    service
        .add_place(
            &admin_ctx,
            AddPlace {
                desk_id: diffuse.id,
                name: "Istituto comprensivo Colle di Val d'Elsa".into(),
                kind: PlaceKind::School,
                address: None,
            },
        )
        .await?;
    let invitation = service
        .invite_user(
            &admin_ctx,
            InviteUser {
                email: OPERATOR.0.into(),
                roles: vec![Role::Operator],
                territories: vec![],
                language: None,
            },
        )
        .await?;
    service
        .accept_invitation(
            &anonymous,
            AcceptInvitation {
                token: invitation.token,
                password: OPERATOR.1.into(),
                display_name: Some("Karim Haddad".into()),
            },
        )
        .await?;
    tracing::info!("demo consortium created");
    Ok(true)
}
