//! Security headers on every response of every listener, errors and fallbacks included: a
//! Content-Security-Policy that the built console satisfies (its own scripts, styles, fonts and
//! images only), no framing, no MIME sniffing, no referrer, and HSTS when the installation is
//! reached over HTTPS only.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The console's policy. Styles set by React and ECharts go through the CSSOM (`element.style`),
/// which `style-src` does not restrict; the console injects no `<style>` element and no inline
/// script. `data:` images are the icons that bootstrap-italia's CSS embeds.
pub const CONSOLE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// GraphiQL (development only, `graphiql`) is bundled with the console and loads nothing from
/// another host: the console's policy, except that its stylesheet embeds its fonts as `data:`.
pub const GRAPHIQL_CSP: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// One year, the preload lists' minimum.
const HSTS: &str = "max-age=31536000";

/// What the layer adds besides the constant headers.
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    pub hsts: bool,
    /// GraphiQL is served, under its own policy.
    pub graphiql: bool,
}

/// Adds the headers to the response; headers a handler set itself are kept.
pub async fn layer(State(settings): State<SecurityHeaders>, req: Request, next: Next) -> Response {
    let csp = if settings.graphiql && req.uri().path() == "/graphiql" {
        GRAPHIQL_CSP
    } else {
        CONSOLE_CSP
    };
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, csp);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    if settings.hsts {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}
