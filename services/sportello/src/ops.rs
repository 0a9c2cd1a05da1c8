//! Operational endpoints every process serves: `/healthz` (the process runs), `/readyz` (its
//! dependencies answer) and `/metrics` (Prometheus; on the admin listener when `admin_listen` is
//! set, on the public port only in development otherwise).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

type CheckFuture = Pin<Box<dyn Future<Output = sportello_kernel::Result<()>> + Send>>;

/// A named readiness check.
#[derive(Clone)]
pub struct Check {
    pub name: std::borrow::Cow<'static, str>,
    pub run: Arc<dyn Fn() -> CheckFuture + Send + Sync>,
}

impl Check {
    pub fn new<F, Fut>(name: impl Into<std::borrow::Cow<'static, str>>, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = sportello_kernel::Result<()>> + Send + 'static,
    {
        Self {
            name: name.into(),
            run: Arc::new(move || Box::pin(f())),
        }
    }
}

/// The process-wide Prometheus recorder (metrics recorders are global by nature).
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .clone()
}

/// `/healthz`, `/readyz`, and `/metrics` when `metrics` is set.
pub fn router(checks: Vec<Check>, metrics: bool) -> Router {
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(move || {
                let checks = checks.clone();
                async move {
                    let mut report = serde_json::Map::new();
                    let mut ready = true;
                    for check in &checks {
                        let ok = (check.run)().await.is_ok();
                        ready &= ok;
                        report.insert(
                            check.name.to_string(),
                            if ok { "ok" } else { "unavailable" }.into(),
                        );
                    }
                    let status = if ready {
                        StatusCode::OK
                    } else {
                        StatusCode::SERVICE_UNAVAILABLE
                    };
                    (status, axum::Json(serde_json::Value::Object(report))).into_response()
                }
            }),
        );
    if !metrics {
        return router;
    }
    let handle = metrics_handle();
    router.route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move {
                match handle {
                    Some(handle) => (StatusCode::OK, handle.render()).into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        }),
    )
}
