//! `sportello`: the one binary. `serve` runs the gateway and every service (or the roles given);
//! `migrate` runs the schema migrations and exits.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sportello::{Config, Role};

#[derive(Parser)]
#[command(
    name = "sportello",
    version,
    about = "Sportello: help-desk networks for third-country nationals"
)]
struct Cli {
    /// Optional TOML configuration file; `SPORTELLO_*` variables override it.
    #[arg(long, env = "SPORTELLO_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gateway and services (all roles unless `--roles` narrows them).
    Serve {
        /// Comma-separated roles: `gateway` and the services; all of them by default.
        #[arg(long, default_value = Role::ALL_NAMES)]
        roles: String,
        /// Create the demo consortium on a fresh installation.
        #[arg(long)]
        demo: bool,
    },
    /// Run the schema migrations of the given roles' services and exit.
    Migrate {
        /// Comma-separated roles whose services are migrated; all of them by default.
        #[arg(long, default_value = Role::ALL_NAMES)]
        roles: String,
    },
    /// The audit log of the cases service.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The keys of field encryption (key store: `key_store` settings).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Rotate tenants' key-encryption keys and re-wrap every person key, without stopping the
    /// installation; waits `key_store.cache_secs` for running processes before a last pass.
    Rotate {
        /// A tenant's id; repeat for several.
        #[arg(long = "tenant", required = true)]
        tenants: Vec<sportello_kernel::TenantId>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk every tenant's hash chain; exit with failure at the first broken link of any tenant.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sportello: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref()).map_err(anyhow::Error::msg)?;
    let command = cli.command.unwrap_or(Command::Serve {
        roles: Role::ALL_NAMES.into(),
        demo: false,
    });
    let _telemetry = sportello::telemetry::init(&config)?;
    match command {
        Command::Serve { roles, demo } => {
            let roles = Role::parse_list(&roles).map_err(anyhow::Error::msg)?;
            config.demo |= demo;
            let started = std::time::Instant::now();
            let app = sportello::build_app(&config, &roles).await?;
            let addr = config.listen_addr().map_err(anyhow::Error::msg)?;
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let admin = match (
                app.admin,
                config.admin_listen_addr().map_err(anyhow::Error::msg)?,
            ) {
                (Some(router), Some(addr)) => {
                    let listener = tokio::net::TcpListener::bind(addr).await?;
                    tracing::info!(address = %listener.local_addr()?, "admin listener (metrics)");
                    Some(tokio::spawn(sportello::serve(
                        router,
                        listener,
                        shutdown_signal(),
                    )))
                }
                _ => None,
            };
            tracing::info!(
                address = %listener.local_addr()?,
                roles = ?roles,
                startup_ms = started.elapsed().as_millis() as u64,
                "sportello listening"
            );
            sportello::serve(app.public, listener, shutdown_signal()).await?;
            if let Some(admin) = admin {
                admin.await??;
            }
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let report = sportello::verify_audit(&config).await?;
            for broken in &report.broken {
                println!(
                    "tenant {}: audit entry {} {}",
                    broken.tenant, broken.seq, broken.reason
                );
            }
            println!(
                "{} tenants, {} entries checked ({} sealed before checking, {} written since and not checked)",
                report.tenants, report.entries, report.sealed_now, report.unsealed
            );
            if report.broken.is_empty() {
                Ok(())
            } else {
                anyhow::bail!("the audit log has been tampered with")
            }
        }
        Command::Keys {
            command: KeysCommand::Rotate { tenants },
        } => {
            for (tenant, rotation) in sportello::rotate_keys(&config, &tenants).await? {
                println!(
                    "tenant {tenant}: key version {} current, {} person keys re-wrapped",
                    rotation.version, rotation.rewrapped
                );
            }
            Ok(())
        }
        Command::Migrate { roles } => {
            let roles = Role::parse_list(&roles).map_err(anyhow::Error::msg)?;
            sportello::migrate(&config, &roles).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
