//! The lists the console's pickers offer: countries and languages as the services accept them
//! (`sportello_kernel::iso`, docs/reference-data.md), and the municipalities in force (ISTAT).
//! The same for every tenant; no tenant data.

use async_graphql::{Context, Object, SimpleObject};
use sportello_kernel::iso;

use super::{GqlResult, IntoGql, services};

/// A country a record may name, or one of the two ICAO codes a citizenship may be.
#[derive(SimpleObject)]
pub struct Country {
    /// The code stored and accepted: ISO 3166-1 alpha-2 (`MA`; `XK` for Kosovo), or `XXA` /
    /// `XXX` for a citizenship.
    code: String,
    /// ISO 3166-1 alpha-3 (`MAR`), also accepted as input; the code itself for `XXA` / `XXX`.
    alpha3: String,
    /// English name (iso-codes); the console shows the name in its own language.
    name: String,
    /// True for the ICAO Doc 9303 codes `XXA` (stateless person) and `XXX` (unspecified
    /// nationality): a citizenship on its own, never a country of birth.
    citizenship_only: bool,
}

/// A municipality in force, as a territory may name it.
#[derive(SimpleObject)]
pub struct Municipality {
    /// ISTAT code, 6 digits (3 for the province, 3 for the municipality).
    istat_code: String,
    /// Official name as ISTAT writes it (`Bolzano/Bozen` where there are two languages).
    name: String,
}

/// A language a record may name.
#[derive(SimpleObject)]
pub struct Language {
    /// The code stored: ISO 639-1 when the language has one (`fa`), else ISO 639-3 (`prs`).
    code: String,
    /// ISO 639-3 (`fas`); this, the ISO 639-2/B code (`per`) and `code` are all accepted.
    alpha3: String,
    /// English reference name of ISO 639-3.
    name: String,
    /// Whether ISO 639-3 types it as living (not extinct, historical, ancient or constructed).
    living: bool,
}

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Every country a country of birth or a citizenship may be, by code, then the two ICAO
    /// citizenship codes (`citizenshipOnly`). Members of a tenant.
    async fn countries(&self, ctx: &Context<'_>) -> GqlResult<Vec<Country>> {
        let (_, rc) = services(ctx)?;
        rc.ctx.require_member().gql()?;
        let icao = [
            (iso::STATELESS, "Stateless person"),
            (iso::UNKNOWN_NATIONALITY, "Unspecified nationality"),
        ];
        Ok(iso::countries()
            .iter()
            .map(|c| Country {
                code: c.code.to_owned(),
                alpha3: c.alpha_3.to_owned(),
                name: c.name.to_owned(),
                citizenship_only: false,
            })
            .chain(icao.into_iter().map(|(code, name)| Country {
                code: code.to_owned(),
                alpha3: code.to_owned(),
                name: name.to_owned(),
                citizenship_only: true,
            }))
            .collect())
    }

    /// Every municipality in force in the bundled ISTAT list (docs/reference-data.md), by code:
    /// the codes `addTerritory` accepts, with their official names. Members of a tenant.
    async fn municipalities(&self, ctx: &Context<'_>) -> GqlResult<Vec<Municipality>> {
        let (_, rc) = services(ctx)?;
        rc.ctx.require_member().gql()?;
        Ok(sportello_tenancy::domain::municipalities_in_force()
            .into_iter()
            .map(|(code, name)| Municipality {
                istat_code: code.to_owned(),
                name: name.to_owned(),
            })
            .collect())
    }

    /// Every language a record may name (ISO 639-3 without its special codes), by ISO 639-3
    /// code. Members of a tenant.
    async fn languages(&self, ctx: &Context<'_>) -> GqlResult<Vec<Language>> {
        let (_, rc) = services(ctx)?;
        rc.ctx.require_member().gql()?;
        Ok(iso::languages()
            .iter()
            .map(|l| Language {
                code: l.code.to_owned(),
                alpha3: l.alpha_3.to_owned(),
                name: l.name.to_owned(),
                living: l.living,
            })
            .collect())
    }
}
