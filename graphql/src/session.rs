//! Browser sessions kept in the cache, their cookies, CSRF tokens and sign-in rate limits.
//!
//! The cookie holds a random token; the cache holds the session under the token's digest, so a
//! leaked cache yields no usable cookie. Any sign-in method (local password today, OpenID Connect
//! later) ends in [`Sessions::open`] with a user id: that is the one place a session is born.

use std::time::Duration;

use cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};
use sportello_kernel::cache::Cache;
use sportello_kernel::secret::{digest, random_token};
use sportello_kernel::{Error, Reason, Result, TenantId, UserId};
use sportello_tenancy::ResolvedActor;

pub const SESSION_COOKIE: &str = "sportello_session";
pub const CSRF_COOKIE: &str = "sportello_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the cache keeps for a signed-in browser.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    pub user_id: UserId,
    pub platform_admin: bool,
    /// The tenant this session works in; switched with `switchTenant`.
    pub tenant: Option<TenantId>,
    /// Must come back in the `X-CSRF-Token` header of every cookie-authenticated mutation.
    pub csrf: String,
    /// How the user signed in (`password`, later `oidc`).
    pub method: String,
    /// When the session started, in milliseconds since the epoch.
    #[serde(default)]
    pub issued_at: i64,
    /// The session's public id (random, no secret): how the user names it in their list of
    /// sessions ([`Sessions::list`]).
    #[serde(default)]
    pub id: String,
    /// The browser and system it was opened from, summarised from the `User-Agent` header
    /// ([`device_of`]); never the header itself.
    #[serde(default)]
    pub device: String,
    /// When the session was last used, in milliseconds since the epoch, to the minute
    /// ([`SEEN_PRECISION_MS`]).
    #[serde(default)]
    pub seen_at: i64,
    /// Where the browser goes to end the session at the identity provider too (OpenID Connect
    /// RP-Initiated Logout 1.0), for a session opened through a provider that offers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_logout: Option<String>,
}

/// How the session list sees a session: what [`Session`] holds, without its secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEntry {
    /// The digest under which the session is kept (never shown).
    key: String,
    pub id: String,
    pub device: String,
    pub method: String,
    /// Milliseconds since the epoch.
    pub issued_at: i64,
    /// Milliseconds since the epoch, to the minute.
    pub seen_at: i64,
}

/// How often a session's "last seen" time is written: at most once a minute per session.
pub const SEEN_PRECISION_MS: i64 = 60_000;

/// A session as [`Sessions::load`] finds it.
pub struct Loaded {
    pub session: Session,
    /// What the session's actor resolved to in its tenant, if still current.
    pub actor: Option<ResolvedActor>,
    /// The actors' generation read with the session, to keep a newly resolved actor under.
    pub generation: String,
}

/// A resolved actor kept beside its session, with the tenant and generation it is valid for.
#[derive(Serialize, Deserialize)]
struct KeptActor {
    tenant: TenantId,
    generation: String,
    resolved: ResolvedActor,
}

/// The counter that [`Sessions::actors_changed`] raises.
const ACTORS_GENERATION: &str = "actors-generation";

/// Longest life of a kept actor, a bound for changes made outside the gateway.
const ACTOR_TTL: Duration = Duration::from_secs(300);

/// Public volunteer applications accepted from one client address within [`APPLICATION_WINDOW`].
pub const APPLICATIONS_PER_ADDRESS: u64 = 5;
/// Public volunteer applications accepted for one tenant within [`APPLICATION_WINDOW`].
pub const APPLICATIONS_PER_TENANT: u64 = 50;
/// The window of the public applications' limits: one hour from the first counted.
pub const APPLICATION_WINDOW: Duration = Duration::from_secs(3600);
/// Password reset e-mails asked for one e-mail address within [`RESET_WINDOW`].
pub const RESETS_PER_ACCOUNT: u64 = 3;
/// Password reset requests, or failed resets, from one client address within [`RESET_WINDOW`].
pub const RESETS_PER_ADDRESS: u64 = 10;
pub const RESET_WINDOW: Duration = Duration::from_secs(3600);

/// Session and rate-limit settings.
#[derive(Clone, Debug)]
pub struct SessionSettings {
    pub ttl: Duration,
    pub cookie_secure: bool,
    /// Failed sign-ins allowed per account within the window.
    pub max_failures_per_account: u64,
    /// Failed sign-ins allowed per client address within the window.
    pub max_failures_per_address: u64,
    pub failure_window: Duration,
}

#[derive(Clone)]
pub struct Sessions {
    cache: Cache,
    settings: SessionSettings,
}

impl Sessions {
    pub fn new(cache: Cache, settings: SessionSettings) -> Self {
        Self { cache, settings }
    }

    fn key(token: &str) -> String {
        format!("session:{}", digest(token))
    }

    /// Starts a session and returns its token (for the cookie) and content.
    pub async fn open(
        &self,
        user_id: UserId,
        platform_admin: bool,
        tenant: Option<TenantId>,
        method: &str,
        device: String,
        provider_logout: Option<String>,
    ) -> Result<(String, Session)> {
        // `<user>.<random>`: the user part lets `load` read the user's "valid since" mark in the
        // same round trip; the random part is the secret.
        let token = format!("{}.{}", user_id.uuid().simple(), random_token());
        let now = chrono::Utc::now().timestamp_millis();
        let session = Session {
            user_id,
            platform_admin,
            tenant,
            csrf: random_token(),
            method: method.to_owned(),
            issued_at: now,
            id: random_token(),
            device,
            seen_at: now,
            provider_logout,
        };
        self.save(&token, &session).await?;
        self.index(&token, &session).await?;
        Ok((token, session))
    }

    /// The map of a user's sessions, by public id: what [`Sessions::list`] reads.
    fn index_key(user: UserId) -> String {
        format!("user-sessions:{user}")
    }

    /// Writes the session's entry in its user's map, which lives as long as the session last
    /// used.
    async fn index(&self, token: &str, session: &Session) -> Result<()> {
        let entry = SessionEntry {
            key: digest(token),
            id: session.id.clone(),
            device: session.device.clone(),
            method: session.method.clone(),
            issued_at: session.issued_at,
            seen_at: session.seen_at,
        };
        let value = serde_json::to_string(&entry).map_err(Error::internal)?;
        self.cache
            .map_set(
                &Self::index_key(session.user_id),
                &session.id,
                &value,
                self.settings.ttl,
            )
            .await
    }

    /// The user's sessions still alive, most recently used first. Entries of sessions that
    /// expired unused or were ended by [`Sessions::end_all_of`] are dropped from the map.
    pub async fn list(&self, user: UserId) -> Result<Vec<SessionEntry>> {
        let key = Self::index_key(user);
        let since = self
            .cache
            .get(&Self::valid_since_key(user))
            .await?
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(i64::MIN);
        let now = chrono::Utc::now().timestamp_millis();
        let ttl = self.settings.ttl.as_millis() as i64;
        let mut alive = Vec::new();
        let mut gone = Vec::new();
        for (field, value) in self.cache.map_all(&key).await? {
            match serde_json::from_str::<SessionEntry>(&value) {
                Ok(e) if e.issued_at >= since && e.seen_at + ttl > now => alive.push(e),
                _ => gone.push(field),
            }
        }
        let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
        self.cache.map_delete(&key, &gone).await?;
        alive.sort_by(|a, b| b.seen_at.cmp(&a.seen_at).then_with(|| a.id.cmp(&b.id)));
        Ok(alive)
    }

    /// Ends one of the user's sessions by its public id; `false` when it has none such.
    pub async fn end_one(&self, user: UserId, id: &str) -> Result<bool> {
        let Some(entry) = self.list(user).await?.into_iter().find(|e| e.id == id) else {
            return Ok(false);
        };
        self.cache.delete(&format!("session:{}", entry.key)).await?;
        self.cache
            .delete(&format!("session-actor:{}", entry.key))
            .await?;
        self.cache.map_delete(&Self::index_key(user), &[id]).await?;
        Ok(true)
    }

    pub async fn save(&self, token: &str, session: &Session) -> Result<()> {
        let value = serde_json::to_string(session).map_err(Error::internal)?;
        self.cache
            .set(&Self::key(token), &value, self.settings.ttl)
            .await
    }

    /// The session of a token, refreshing its expiry (sliding idle timeout), with the actor it
    /// resolved to if that is still current. One round trip to the cache: the session is read and
    /// refreshed together with the user's "valid since" mark (`end_all_of`), so a changed password
    /// still ends older sessions at once, and with the session's resolved actor and the actors'
    /// generation (`actors_changed`), so a removed member or changed roles take effect at once.
    pub async fn load(&self, token: &str) -> Result<Option<Loaded>> {
        let Some(user) = token_user(token) else {
            return Ok(None);
        };
        let actor_key = Self::actor_key(token);
        let (raw, companions) = self
            .cache
            .touch_with(
                &Self::key(token),
                self.settings.ttl,
                &[&Self::valid_since_key(user), &actor_key, ACTORS_GENERATION],
            )
            .await?;
        let [since, actor, generation] = <[Option<String>; 3]>::try_from(companions)
            .map_err(|_| Error::unavailable("cache answered an incomplete pipeline"))?;
        let Some(session) = raw.and_then(|raw| serde_json::from_str::<Session>(&raw).ok()) else {
            return Ok(None);
        };
        // Sessions older than the user's last password change are over.
        let ended = since
            .and_then(|since| since.parse::<i64>().ok())
            .is_some_and(|since| session.issued_at < since);
        if ended || session.user_id != user {
            self.close(token).await?;
            return Ok(None);
        }
        let mut session = session;
        let now = chrono::Utc::now().timestamp_millis();
        if now - session.seen_at >= SEEN_PRECISION_MS {
            session.seen_at = now;
            self.save(token, &session).await?;
            self.index(token, &session).await?;
        }
        let generation = generation.unwrap_or_default();
        let actor = actor
            .and_then(|raw| serde_json::from_str::<KeptActor>(&raw).ok())
            .filter(|kept| Some(kept.tenant) == session.tenant && kept.generation == generation)
            .map(|kept| kept.resolved);
        Ok(Some(Loaded {
            session,
            actor,
            generation,
        }))
    }

    /// Keeps what the session's actor resolved to in `tenant`, as of `generation` (the one
    /// [`Sessions::load`] read before the actor was resolved: a change made since makes it stale).
    pub async fn keep_actor(
        &self,
        token: &str,
        tenant: TenantId,
        generation: &str,
        resolved: &ResolvedActor,
    ) -> Result<()> {
        let kept = KeptActor {
            tenant,
            generation: generation.to_owned(),
            resolved: resolved.clone(),
        };
        let value = serde_json::to_string(&kept).map_err(Error::internal)?;
        let ttl = self.settings.ttl.min(ACTOR_TTL);
        self.cache.set(&Self::actor_key(token), &value, ttl).await
    }

    /// Makes every kept actor stale: called after any change of memberships, roles, territory
    /// limits or a tenant's settings, so the next request of every session resolves its actor
    /// again. Such changes are rare; each costs every active session one resolution.
    pub async fn actors_changed(&self) -> Result<()> {
        self.cache.bump(ACTORS_GENERATION).await.map(|_| ())
    }

    fn actor_key(token: &str) -> String {
        format!("session-actor:{}", digest(token))
    }

    fn valid_since_key(user: UserId) -> String {
        format!("sessions-valid-since:{user}")
    }

    /// Ends every session of the user started before now (e.g. after a password change).
    pub async fn end_all_of(&self, user: UserId) -> Result<()> {
        let now = chrono::Utc::now().timestamp_millis();
        // Kept far longer than any session can live, even refreshed.
        let keep = Duration::from_secs(400 * 24 * 3600);
        self.cache
            .set(&Self::valid_since_key(user), &now.to_string(), keep)
            .await?;
        self.cache.delete(&Self::index_key(user)).await
    }

    /// Ends the session of `token`, and drops it from its user's list.
    pub async fn close(&self, token: &str) -> Result<()> {
        let key = Self::key(token);
        let session = self
            .cache
            .get(&key)
            .await?
            .and_then(|raw| serde_json::from_str::<Session>(&raw).ok());
        self.cache.delete(&key).await?;
        self.cache.delete(&Self::actor_key(token)).await?;
        if let Some(session) = session.filter(|s| !s.id.is_empty()) {
            self.cache
                .map_delete(&Self::index_key(session.user_id), &[&session.id])
                .await?;
        }
        Ok(())
    }

    /// The `Set-Cookie` values that start a session in the browser.
    pub fn cookies(&self, token: &str, session: &Session) -> [String; 2] {
        let max_age = cookie::time::Duration::seconds(self.settings.ttl.as_secs() as i64);
        [
            self.cookie(SESSION_COOKIE, token, max_age),
            self.cookie(CSRF_COOKIE, &session.csrf, max_age),
        ]
    }

    /// The `Set-Cookie` values that end a session in the browser: the same attributes as
    /// [`Sessions::cookies`], since a browser only replaces a cookie whose name, path and domain
    /// match, and a production response must not carry a cookie without `Secure`.
    pub fn clearing_cookies(&self) -> [String; 2] {
        [SESSION_COOKIE, CSRF_COOKIE]
            .map(|name| self.cookie(name, "", cookie::time::Duration::ZERO))
    }

    /// The one place the cookies' attributes are decided.
    fn cookie(&self, name: &'static str, value: &str, max_age: cookie::time::Duration) -> String {
        let session = name == SESSION_COOKIE;
        Cookie::build((name, value.to_owned()))
            // The CSRF cookie is read by the console's script, which echoes it in the header.
            .http_only(session)
            .same_site(if session {
                SameSite::Lax
            } else {
                SameSite::Strict
            })
            .secure(self.settings.cookie_secure)
            .path("/")
            .max_age(max_age)
            .build()
            .to_string()
    }

    /// Refuses a sign-in attempt when the account or the address has failed too often.
    pub async fn check_attempts(&self, email: &str, address: &str) -> Result<()> {
        let account = self.count(&account_key(email)).await?;
        let from = self.count(&address_key(address)).await?;
        if account >= self.settings.max_failures_per_account
            || from >= self.settings.max_failures_per_address
        {
            return Err(Error::new(Reason::RateLimited)
                .saying("too many failed sign-in attempts: try again later"));
        }
        Ok(())
    }

    async fn record_failure(&self, email: &str, address: &str) -> Result<()> {
        self.cache
            .hit(&account_key(email), self.settings.failure_window)
            .await?;
        self.cache
            .hit(&address_key(address), self.settings.failure_window)
            .await?;
        Ok(())
    }

    /// Counts the outcome of a password check for `account` (an e-mail, or a user's own key) from
    /// `address`: a wrong password (reason `WRONG_PASSWORD` or `WRONG_CREDENTIALS`) is a failed sign-in, success clears
    /// the account's count, and any other error counts nothing.
    pub async fn count_attempt<T>(
        &self,
        account: &str,
        address: &str,
        outcome: Result<T>,
    ) -> Result<T> {
        match outcome {
            Ok(value) => {
                self.record_success(account).await?;
                Ok(value)
            }
            Err(err) => {
                if err.is_wrong_password() {
                    self.record_failure(account, address).await?;
                }
                Err(err)
            }
        }
    }

    /// Counts one public volunteer application from `address` to `tenant` and refuses it
    /// (`RATE_LIMITED`) beyond [`APPLICATIONS_PER_ADDRESS`] per address or
    /// [`APPLICATIONS_PER_TENANT`] per tenant within [`APPLICATION_WINDOW`]. Every attempt
    /// counts, whatever the service answers, so that the limit tells nothing about the register.
    pub async fn count_application(&self, tenant: TenantId, address: &str) -> Result<()> {
        let from = self
            .cache
            .hit(
                &format!("volunteer-applications:address:{}", digest(address)),
                APPLICATION_WINDOW,
            )
            .await?;
        let to = self
            .cache
            .hit(
                &format!("volunteer-applications:tenant:{}", tenant.uuid()),
                APPLICATION_WINDOW,
            )
            .await?;
        if from > APPLICATIONS_PER_ADDRESS || to > APPLICATIONS_PER_TENANT {
            return Err(
                Error::new(Reason::RateLimited).saying("too many applications: try again later")
            );
        }
        Ok(())
    }

    /// Whether cookies are sent only over HTTPS.
    pub fn cookie_secure(&self) -> bool {
        self.settings.cookie_secure
    }

    /// Keeps a started sign-in flow (see `crate::oidc`) under the digest of its `state`.
    pub async fn put_flow(&self, state_digest: &str, flow: &str, ttl: Duration) -> Result<()> {
        self.cache
            .set(&format!("oidc-flow:{state_digest}"), flow, ttl)
            .await
    }

    /// The flow of a `state`, once: a second callback with the same `state` finds nothing.
    pub async fn take_flow(&self, state_digest: &str) -> Result<Option<String>> {
        let claims = self
            .cache
            .hit(
                &format!("oidc-flow-taken:{state_digest}"),
                Duration::from_secs(900),
            )
            .await?;
        if claims != 1 {
            return Ok(None);
        }
        let key = format!("oidc-flow:{state_digest}");
        let flow = self.cache.get(&key).await?;
        self.cache.delete(&key).await?;
        Ok(flow)
    }

    /// Counts one password reset request for `email` from `address` and refuses it
    /// (`RATE_LIMITED`) beyond [`RESETS_PER_ACCOUNT`] per e-mail or [`RESETS_PER_ADDRESS`] per
    /// address within [`RESET_WINDOW`]. Every request counts, whether or not the account exists,
    /// so the limit tells nothing about accounts either.
    pub async fn count_reset_request(&self, email: &str, address: &str) -> Result<()> {
        let account = self
            .cache
            .hit(
                &format!(
                    "password-resets:account:{}",
                    digest(&email.trim().to_lowercase())
                ),
                RESET_WINDOW,
            )
            .await?;
        let from = self
            .cache
            .hit(
                &format!("password-resets:address:{}", digest(address)),
                RESET_WINDOW,
            )
            .await?;
        if account > RESETS_PER_ACCOUNT || from > RESETS_PER_ADDRESS {
            return Err(Error::new(Reason::RateLimited)
                .saying("too many password reset requests: try again later"));
        }
        Ok(())
    }

    /// Refuses a reset from an address with [`RESETS_PER_ADDRESS`] failed ones (a token that is
    /// not valid) within [`RESET_WINDOW`].
    pub async fn check_reset_attempts(&self, address: &str) -> Result<()> {
        if self.count(&reset_failures_key(address)).await? >= RESETS_PER_ADDRESS {
            return Err(Error::new(Reason::RateLimited)
                .saying("too many attempts to set a new password: try again later"));
        }
        Ok(())
    }

    /// Counts a reset refused for its token.
    pub async fn record_reset_failure(&self, address: &str) -> Result<()> {
        self.cache
            .hit(&reset_failures_key(address), RESET_WINDOW)
            .await?;
        Ok(())
    }

    async fn record_success(&self, email: &str) -> Result<()> {
        self.cache.delete(&account_key(email)).await
    }

    async fn count(&self, key: &str) -> Result<u64> {
        Ok(self
            .cache
            .get(key)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }
}

fn reset_failures_key(address: &str) -> String {
    format!("password-resets:failures:{}", digest(address))
}

// Keys hold digests, never the e-mail address itself.
fn account_key(email: &str) -> String {
    format!(
        "login-failures:account:{}",
        digest(&email.trim().to_lowercase())
    )
}

fn address_key(address: &str) -> String {
    format!("login-failures:address:{}", digest(address))
}

/// Reads one cookie from a `Cookie` request header.
pub fn read_cookie(header: &str, name: &str) -> Option<String> {
    Cookie::split_parse(header.to_owned())
        .filter_map(std::result::Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The user a session token names (`<user>.<random>`, see [`Sessions::open`]); `None` for a
/// token of another shape, which is then no session.
fn token_user(token: &str) -> Option<UserId> {
    let (user, _) = token.split_once('.')?;
    uuid::Uuid::try_parse(user).ok().map(UserId)
}

/// A short, human description of the browser and system of a `User-Agent` header, such as
/// "Firefox, Windows" or "Safari, iOS": enough for a user to tell their sessions apart, nothing
/// that identifies the device further. Empty when neither is recognised. The order of the
/// checks follows how browsers build the header (Edge and Opera also claim Chrome, Chrome also
/// claims Safari; iPadOS and Android also claim Linux or Mac OS).
pub fn device_of(user_agent: &str) -> String {
    const BROWSERS: [(&str, &str); 8] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&'static str, &'static str)]| {
        table
            .iter()
            .find(|(mark, _)| user_agent.contains(mark))
            .map(|(_, name)| *name)
    };
    let browser = find(&BROWSERS).or_else(|| {
        (user_agent.contains("Safari/") && user_agent.contains("Version/")).then_some("Safari")
    });
    [browser, find(&SYSTEMS)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(cookie_secure: bool) -> Sessions {
        Sessions::new(
            Cache::memory(),
            SessionSettings {
                ttl: Duration::from_secs(3600),
                cookie_secure,
                max_failures_per_account: 5,
                max_failures_per_address: 50,
                failure_window: Duration::from_secs(900),
            },
        )
    }

    /// Every attribute of a `Set-Cookie` value except its value, `Max-Age` and `Expires`.
    fn attributes(set_cookie: &str) -> (String, Vec<String>) {
        let mut parts = set_cookie.split(';').map(str::trim);
        let name = parts
            .next()
            .and_then(|p| p.split_once('='))
            .map(|(n, _)| n.to_owned())
            .unwrap_or_default();
        let mut attrs: Vec<String> = parts
            .filter(|p| {
                let p = p.to_ascii_lowercase();
                !p.starts_with("max-age") && !p.starts_with("expires")
            })
            .map(str::to_owned)
            .collect();
        attrs.sort();
        (name, attrs)
    }

    #[test]
    fn a_user_agent_is_summarised_as_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome, Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge, Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari, iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
                "Samsung Internet, Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0",
                "Firefox, macOS",
            ),
            ("curl/8.5.0", ""),
        ];
        for (agent, device) in cases {
            assert_eq!(device_of(agent), device, "{agent}");
        }
    }

    #[test]
    fn clearing_cookies_mirror_the_attributes_of_the_session_cookies() {
        for secure in [false, true] {
            let sessions = sessions(secure);
            let session = Session {
                user_id: UserId::new(),
                platform_admin: false,
                tenant: None,
                csrf: "csrf".into(),
                method: "password".into(),
                issued_at: 0,
                id: "id".into(),
                device: String::new(),
                seen_at: 0,
                provider_logout: None,
            };
            let set = sessions.cookies("token", &session);
            let cleared = sessions.clearing_cookies();
            for (set, cleared) in set.iter().zip(&cleared) {
                assert_eq!(attributes(set), attributes(cleared), "{set} / {cleared}");
                assert_eq!(set.contains("Secure"), secure, "{set}");
                assert!(cleared.contains("Max-Age=0"), "{cleared}");
                assert!(
                    cleared.starts_with(&format!("{}=;", attributes(set).0)),
                    "{cleared}"
                );
            }
            assert!(set[0].contains("HttpOnly") && set[0].contains("SameSite=Lax"));
            assert!(!set[1].contains("HttpOnly") && set[1].contains("SameSite=Strict"));
        }
    }
}
