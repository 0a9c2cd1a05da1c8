//! End-to-end tests: real servers on port 0, fresh databases, both backends, both topologies.
//! PostgreSQL and Redis are required (`SPORTELLO_TEST_POSTGRES_URL`, `SPORTELLO_TEST_REDIS_URL`);
//! the README's test command provides them. Nothing here skips a backend.

// Tests inspect and prepare the stores directly, as owner and across tenants.
#![allow(clippy::disallowed_methods)]

mod analytics;
mod audit;
mod cases;
mod catalogue;
mod direct;
mod distributed;
mod duplicates;
mod encryption;
mod erasure;
mod export;
mod hardening;
mod headers;
mod helpers;
mod housing;
mod isolation;
mod limits;
mod messages;
mod names;
mod oidc;
mod onboarding;
mod oncall;
mod pipeline;
mod procedures;
mod producers;
mod proxies;
mod races;
mod records;
mod retention;
mod sessions;
mod tokens;
mod transactions;
mod versions;
mod volunteers;
