//! Envelope encryption of personal data at rest, and the key store that holds the tenants' keys
//! apart from the data.
//!
//! The hierarchy: every tenant has versioned key-encryption keys (KEK) and one blind-index key,
//! all held by a [`KeyStore`] (a directory of files, [`FileKeyStore`], or memory,
//! [`MemoryKeyStore`]) and never by a service's database. A service gives each person a random
//! 256-bit data key ([`Key::random`]), stores it wrapped by the tenant's current KEK together
//! with that KEK's version ([`TenantKeys::wrap`]), and encrypts the person's protected values
//! under it with associated data that names the tenant, the person, the row and the column
//! ([`seal`], [`open`]): a value copied to another row or column does not decrypt. Destroying a
//! person's wrapped key makes every value sealed under it unreadable (crypto-shredding).
//!
//! The cipher is AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce per value, from the
//! RustCrypto `aes-gcm` crate; the blind index is HMAC-SHA-256 (RFC 2104) under the tenant's
//! index key, which rotation of the KEKs does not change. See `docs/adr/0004-field-encryption.md`.
//!
//! Keys are never logged: [`Key`] and [`TenantKeys`] print as `…`, and errors name no key.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;
use zeroize::Zeroize;

use crate::{Error, Result, TenantId};

/// Bytes of a key (AES-256, HMAC-SHA-256).
pub const KEY_LEN: usize = 32;
/// Bytes of an AES-GCM nonce, stored before each ciphertext.
pub const NONCE_LEN: usize = 12;
/// Bytes of an AES-GCM authentication tag, stored after each ciphertext.
pub const TAG_LEN: usize = 16;

/// A 256-bit secret key. Zeroed when dropped; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; KEY_LEN]);

impl Key {
    /// A fresh key from the operating system's random source.
    pub fn random() -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A key from exactly [`KEY_LEN`] bytes; anything else is refused.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let bytes: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| Error::internal("a key must be 32 bytes"))?;
        Ok(Self(bytes))
    }

    /// A key given in base64 (standard alphabet, padding optional), e.g. the master key of the
    /// key store from the environment.
    pub fn from_base64(text: &str) -> Result<Self> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text.trim().trim_end_matches('='))
            .map_err(|_| Error::internal("a key must be base64"))?;
        Self::from_slice(&bytes)
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_slice().into())
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}

/// Encrypts `plaintext` under `key`, binding `aad` (associated data, not stored): returns
/// nonce ‖ ciphertext ‖ tag, [`NONCE_LEN`] + len + [`TAG_LEN`] bytes.
pub fn seal(key: &Key, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = key
        .cipher()
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::internal("encryption failed"))?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts what [`seal`] returned under the same key and associated data. Another key, other
/// associated data (another row, column, person or tenant) or an altered byte is refused with an
/// internal error that names nothing.
pub fn open(key: &Key, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(Error::internal("a sealed value is too short"));
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce
        .try_into()
        .map_err(|_| Error::internal("a sealed value is too short"))?;
    key.cipher()
        .decrypt(&Nonce::from(nonce), Payload { msg: body, aad })
        .map_err(|_| Error::internal("a sealed value does not open under its key"))
}

/// One tenant's keys: the key-encryption keys by version (the highest is current) and the
/// blind-index key.
#[derive(Clone)]
pub struct TenantKeys {
    tenant: TenantId,
    keks: BTreeMap<u32, Key>,
    index: Key,
}

impl fmt::Debug for TenantKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantKeys")
            .field("tenant", &self.tenant)
            .field("versions", &self.keks.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl TenantKeys {
    fn new(tenant: TenantId, keks: BTreeMap<u32, Key>, index: Key) -> Result<Self> {
        if keks.is_empty() {
            return Err(Error::internal("a tenant has no key-encryption key"));
        }
        Ok(Self {
            tenant,
            keks,
            index,
        })
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The version new data keys are wrapped with (the highest).
    pub fn current(&self) -> u32 {
        self.keks.keys().next_back().copied().unwrap_or(0)
    }

    /// Whether this version is known.
    pub fn has(&self, version: u32) -> bool {
        self.keks.contains_key(&version)
    }

    /// Wraps the data key of `subject` (a person) under the current KEK: `(version, wrapped)`.
    pub fn wrap(&self, subject: Uuid, key: &Key) -> Result<(u32, Vec<u8>)> {
        let version = self.current();
        let kek = self
            .keks
            .get(&version)
            .ok_or_else(|| Error::internal("no current key-encryption key"))?;
        let wrapped = seal(kek, &self.wrap_aad(subject, version), key.as_bytes())?;
        Ok((version, wrapped))
    }

    /// Unwraps the data key of `subject` wrapped under KEK `version`.
    pub fn unwrap(&self, subject: Uuid, version: u32, wrapped: &[u8]) -> Result<Key> {
        let kek = self
            .keks
            .get(&version)
            .ok_or_else(|| Error::internal("unknown key-encryption key version"))?;
        let mut bytes = open(kek, &self.wrap_aad(subject, version), wrapped)?;
        let key = Key::from_slice(&bytes);
        bytes.zeroize();
        key
    }

    /// The keyed blind index of `value` in `domain` (e.g. `codice_fiscale`): lowercase hex of
    /// HMAC-SHA-256 under the tenant's index key, equal for equal values of one tenant and
    /// unrelated across tenants and domains. Stable across KEK rotation.
    pub fn blind_index(&self, domain: &str, value: &str) -> Result<String> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.index.as_bytes())
            .map_err(Error::internal)?;
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    fn wrap_aad(&self, subject: Uuid, version: u32) -> Vec<u8> {
        let mut aad = b"sportello/data-key/v1\0".to_vec();
        aad.extend_from_slice(self.tenant.uuid().as_bytes());
        aad.extend_from_slice(subject.as_bytes());
        aad.extend_from_slice(&version.to_be_bytes());
        aad
    }
}

/// Where the tenants' key-encryption and blind-index keys live: never the database of the data
/// they protect.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// The tenant's keys, created (KEK version 1 and the index key) on first use.
    async fn load(&self, tenant: TenantId) -> Result<TenantKeys>;
    /// Adds a KEK version (the current one plus one) and returns the keys with it. Earlier
    /// versions stay, so data keys wrapped under them stay readable until re-wrapped.
    async fn rotate(&self, tenant: TenantId) -> Result<TenantKeys>;
}

/// Keys held in memory only, for tests and in-memory runs: lost when the process ends, and with
/// them everything sealed under them.
#[derive(Default)]
pub struct MemoryKeyStore {
    tenants: Mutex<HashMap<TenantId, TenantKeys>>,
}

#[async_trait]
impl KeyStore for MemoryKeyStore {
    async fn load(&self, tenant: TenantId) -> Result<TenantKeys> {
        let mut tenants = self.tenants.lock().await;
        if let Some(keys) = tenants.get(&tenant) {
            return Ok(keys.clone());
        }
        let keys = TenantKeys::new(tenant, BTreeMap::from([(1, Key::random())]), Key::random())?;
        tenants.insert(tenant, keys.clone());
        Ok(keys)
    }

    async fn rotate(&self, tenant: TenantId) -> Result<TenantKeys> {
        let mut keys = self.load(tenant).await?;
        let next = keys.current() + 1;
        keys.keks.insert(next, Key::random());
        self.tenants.lock().await.insert(tenant, keys.clone());
        Ok(keys)
    }
}

/// Keys in a directory: one sub-directory per tenant holding `index.key` and `kek-<version>.key`,
/// each file written once (to a temporary file with mode 0600, flushed, then linked into place
/// only if absent) and never rewritten, so that two processes creating or rotating at the same
/// time cannot overwrite each other's key: the loser reads the winner's. With a master key (from
/// the environment) every file holds its key sealed under it, bound to the tenant and the file
/// name; without, the raw 32 bytes, and the directory's permissions are the protection.
#[derive(Clone)]
pub struct FileKeyStore {
    dir: PathBuf,
    master: Option<Key>,
}

impl fmt::Debug for FileKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileKeyStore")
            .field("dir", &self.dir)
            .field("master", &self.master.as_ref().map(|_| "…"))
            .finish()
    }
}

impl FileKeyStore {
    /// A store in `dir` (created with mode 0700 if missing), its files sealed under `master`
    /// when given.
    pub fn open(dir: impl Into<PathBuf>, master: Option<Key>) -> Result<Self> {
        let dir = dir.into();
        create_private_dir(&dir)?;
        Ok(Self { dir, master })
    }

    fn tenant_dir(&self, tenant: TenantId) -> PathBuf {
        self.dir.join(tenant.uuid().simple().to_string())
    }

    fn file_aad(tenant: TenantId, name: &str) -> Vec<u8> {
        let mut aad = b"sportello/key-file/v1\0".to_vec();
        aad.extend_from_slice(tenant.uuid().as_bytes());
        aad.extend_from_slice(name.as_bytes());
        aad
    }

    fn read_key(&self, tenant: TenantId, path: &Path) -> Result<Key> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let bytes = std::fs::read(path).map_err(|e| io_error("read", &e))?;
        match (&self.master, bytes.len()) {
            (_, KEY_LEN) => Key::from_slice(&bytes),
            (Some(master), n) if n == NONCE_LEN + KEY_LEN + TAG_LEN => {
                let mut clear = open(master, &Self::file_aad(tenant, &name), &bytes)?;
                let key = Key::from_slice(&clear);
                clear.zeroize();
                key
            }
            (None, _) => Err(Error::unavailable(
                "the key store's files are sealed: configure its master key",
            )),
            _ => Err(Error::internal("a key file is malformed")),
        }
    }

    /// Writes `key` to `name` unless the file exists; returns whether it wrote.
    fn create_key(&self, tenant: TenantId, name: &str, key: &Key) -> Result<bool> {
        let dir = self.tenant_dir(tenant);
        create_private_dir(&dir)?;
        let content = match &self.master {
            Some(master) => seal(master, &Self::file_aad(tenant, name), key.as_bytes())?,
            None => key.as_bytes().to_vec(),
        };
        let temp = dir.join(format!(".{name}.{}", Uuid::new_v4().simple()));
        write_private(&temp, &content)?;
        let linked = std::fs::hard_link(&temp, dir.join(name));
        std::fs::remove_file(&temp).ok();
        match linked {
            Ok(()) => {
                sync_dir(&dir);
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(io_error("link", &e)),
        }
    }

    fn load_blocking(&self, tenant: TenantId) -> Result<TenantKeys> {
        let dir = self.tenant_dir(tenant);
        if !dir.join("index.key").exists() {
            self.create_key(tenant, "index.key", &Key::random())?;
        }
        if !dir.join(kek_name(1)).exists() {
            self.create_key(tenant, &kek_name(1), &Key::random())?;
        }
        let index = self.read_key(tenant, &dir.join("index.key"))?;
        let mut keks = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| io_error("list", &e))? {
            let entry = entry.map_err(|e| io_error("list", &e))?;
            let name = entry.file_name();
            let Some(version) = name.to_str().and_then(kek_version) else {
                continue;
            };
            keks.insert(version, self.read_key(tenant, &entry.path())?);
        }
        TenantKeys::new(tenant, keks, index)
    }

    fn rotate_blocking(&self, tenant: TenantId) -> Result<TenantKeys> {
        loop {
            let keys = self.load_blocking(tenant)?;
            let next = keys.current() + 1;
            // Another process that rotated at the same instant took `next`: read again.
            if self.create_key(tenant, &kek_name(next), &Key::random())? {
                return self.load_blocking(tenant);
            }
        }
    }
}

#[async_trait]
impl KeyStore for FileKeyStore {
    async fn load(&self, tenant: TenantId) -> Result<TenantKeys> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.load_blocking(tenant))
            .await
            .map_err(Error::internal)?
    }

    async fn rotate(&self, tenant: TenantId) -> Result<TenantKeys> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.rotate_blocking(tenant))
            .await
            .map_err(Error::internal)?
    }
}

fn kek_name(version: u32) -> String {
    format!("kek-{version:06}.key")
}

fn kek_version(name: &str) -> Option<u32> {
    name.strip_prefix("kek-")?
        .strip_suffix(".key")?
        .parse()
        .ok()
}

fn io_error(what: &str, e: &std::io::Error) -> Error {
    // The path stays out of the message: it names a tenant.
    Error::unavailable(format!(
        "key store: cannot {what} a key file ({})",
        e.kind()
    ))
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| io_error("create", &e))
}

fn write_private(path: &Path, content: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| io_error("write", &e))?;
    file.write_all(content)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error("write", &e))
}

fn sync_dir(dir: &Path) {
    // Makes the new name durable; a failure leaves the file in place, only less durable.
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().ok();
    }
}

/// The tenants' keys as a service uses them: read from the store once and kept in memory for
/// `ttl` (so that a request reads no file), read again sooner when a data key names a version
/// not yet known (another process rotated).
#[derive(Clone)]
pub struct Keyring {
    store: Arc<dyn KeyStore>,
    ttl: Duration,
    cache: Arc<RwLock<HashMap<TenantId, Cached>>>,
}

/// A tenant's keys and when they were read from the store.
type Cached = (Instant, Arc<TenantKeys>);

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring").field("ttl", &self.ttl).finish()
    }
}

impl Keyring {
    /// Keys from `store`, kept in memory for `ttl` (how long another process's rotation may
    /// take to be seen here: data keys created meanwhile are wrapped under the previous version).
    pub fn new(store: Arc<dyn KeyStore>, ttl: Duration) -> Self {
        Self {
            store,
            ttl,
            cache: Arc::default(),
        }
    }

    /// A keyring over a fresh [`MemoryKeyStore`].
    pub fn memory() -> Self {
        Self::new(Arc::new(MemoryKeyStore::default()), Duration::from_secs(60))
    }

    /// The tenant's keys, from memory when read less than `ttl` ago.
    pub async fn tenant(&self, tenant: TenantId) -> Result<Arc<TenantKeys>> {
        if let Some((at, keys)) = self.cache.read().await.get(&tenant)
            && at.elapsed() < self.ttl
        {
            return Ok(keys.clone());
        }
        self.refresh(tenant).await
    }

    /// The tenant's keys, including KEK `version`: read again from the store when the cached
    /// ones do not have it.
    pub async fn with_version(&self, tenant: TenantId, version: u32) -> Result<Arc<TenantKeys>> {
        let keys = self.tenant(tenant).await?;
        if keys.has(version) {
            return Ok(keys);
        }
        self.refresh(tenant).await
    }

    /// Adds a KEK version to the tenant (see [`KeyStore::rotate`]) and uses it from now on.
    pub async fn rotate(&self, tenant: TenantId) -> Result<Arc<TenantKeys>> {
        let keys = Arc::new(self.store.rotate(tenant).await?);
        self.cache
            .write()
            .await
            .insert(tenant, (Instant::now(), keys.clone()));
        Ok(keys)
    }

    async fn refresh(&self, tenant: TenantId) -> Result<Arc<TenantKeys>> {
        let keys = Arc::new(self.store.load(tenant).await?);
        self.cache
            .write()
            .await
            .insert(tenant, (Instant::now(), keys.clone()));
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> TenantId {
        TenantId::new()
    }

    #[test]
    fn a_sealed_value_opens_under_its_key_and_associated_data_only() {
        let key = Key::random();
        let sealed = seal(&key, b"row-1/notes", b"diabete, permesso scaduto").expect("seal");
        assert_eq!(sealed.len(), NONCE_LEN + 25 + TAG_LEN);
        assert!(
            !sealed.windows(7).any(|w| w == b"diabete"),
            "the ciphertext holds no clear text"
        );
        assert_eq!(
            open(&key, b"row-1/notes", &sealed).expect("open"),
            b"diabete, permesso scaduto"
        );
        assert!(open(&Key::random(), b"row-1/notes", &sealed).is_err());
        assert!(open(&key, b"row-2/notes", &sealed).is_err());
        let mut altered = sealed.clone();
        altered[NONCE_LEN] ^= 1;
        assert!(open(&key, b"row-1/notes", &altered).is_err());
        assert!(open(&key, b"row-1/notes", &sealed[..NONCE_LEN + 3]).is_err());
        // A fresh nonce every time: equal values do not give equal ciphertexts.
        assert_ne!(
            seal(&key, b"a", b"x").expect("seal"),
            seal(&key, b"a", b"x").expect("seal")
        );
    }

    #[test]
    fn keys_are_never_printed() {
        let key = Key::random();
        assert_eq!(format!("{key:?}"), "Key(…)");
        let keys = TenantKeys::new(tenant(), BTreeMap::from([(1, key.clone())]), key.clone())
            .expect("keys");
        let printed = format!("{keys:?}");
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert!(!printed.contains(&hex) && !printed.contains(&format!("{:?}", key.0)));
    }

    #[tokio::test]
    async fn a_wrapped_data_key_unwraps_for_its_subject_and_version_only() {
        let store = MemoryKeyStore::default();
        let t = tenant();
        let keys = store.load(t).await.expect("load");
        let person = Uuid::now_v7();
        let dek = Key::random();
        let (version, wrapped) = keys.wrap(person, &dek).expect("wrap");
        assert_eq!(version, 1);
        assert_eq!(keys.unwrap(person, 1, &wrapped).expect("unwrap"), dek);
        assert!(keys.unwrap(Uuid::now_v7(), 1, &wrapped).is_err());
        assert!(keys.unwrap(person, 2, &wrapped).is_err());
        let other = store.load(tenant()).await.expect("other tenant");
        assert!(other.unwrap(person, 1, &wrapped).is_err());
    }

    #[tokio::test]
    async fn rotation_adds_a_version_and_keeps_the_old_ones_and_the_index_key() {
        let store = MemoryKeyStore::default();
        let t = tenant();
        let before = store.load(t).await.expect("load");
        let person = Uuid::now_v7();
        let dek = Key::random();
        let (_, wrapped) = before.wrap(person, &dek).expect("wrap");
        let after = store.rotate(t).await.expect("rotate");
        assert_eq!(after.current(), 2);
        assert_eq!(after.unwrap(person, 1, &wrapped).expect("old version"), dek);
        let (v2, rewrapped) = after.wrap(person, &dek).expect("rewrap");
        assert_eq!(v2, 2);
        assert_eq!(after.unwrap(person, 2, &rewrapped).expect("new"), dek);
        assert_eq!(
            before
                .blind_index("codice_fiscale", "RSSMRA85T10A562S")
                .expect("index"),
            after
                .blind_index("codice_fiscale", "RSSMRA85T10A562S")
                .expect("index")
        );
    }

    #[test]
    fn the_blind_index_depends_on_tenant_domain_and_value() {
        let a = TenantKeys::new(
            tenant(),
            BTreeMap::from([(1, Key::random())]),
            Key::random(),
        )
        .expect("a");
        let b = TenantKeys::new(
            tenant(),
            BTreeMap::from([(1, Key::random())]),
            Key::random(),
        )
        .expect("b");
        let cf = "RSSMRA85T10A562S";
        assert_eq!(
            a.blind_index("cf", cf).expect("index"),
            a.blind_index("cf", cf).expect("index")
        );
        assert_eq!(a.blind_index("cf", cf).expect("index").len(), 64);
        assert_ne!(
            a.blind_index("cf", cf).expect("index"),
            b.blind_index("cf", cf).expect("index")
        );
        assert_ne!(
            a.blind_index("cf", cf).expect("index"),
            a.blind_index("cf_key", cf).expect("index")
        );
        assert_ne!(
            a.blind_index("cf", cf).expect("index"),
            a.blind_index("cf", "RSSMRA85T10A562T").expect("index")
        );
        assert!(!a.blind_index("cf", cf).expect("index").contains("RSS"));
    }

    #[tokio::test]
    async fn the_file_store_keeps_keys_across_opens_with_private_files() {
        let dir = tempfile::tempdir().expect("dir");
        let t = tenant();
        let store = FileKeyStore::open(dir.path().join("keys"), None).expect("open");
        let first = store.load(t).await.expect("load");
        let person = Uuid::now_v7();
        let dek = Key::random();
        let (_, wrapped) = first.wrap(person, &dek).expect("wrap");
        let rotated = store.rotate(t).await.expect("rotate");
        assert_eq!(rotated.current(), 2);

        let reopened = FileKeyStore::open(dir.path().join("keys"), None).expect("open");
        let again = reopened.load(t).await.expect("load again");
        assert_eq!(again.current(), 2);
        assert_eq!(again.unwrap(person, 1, &wrapped).expect("unwrap"), dek);
        assert_eq!(
            again.blind_index("cf", "X").expect("index"),
            first.blind_index("cf", "X").expect("index"),
            "the index key is kept"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let tenant_dir = dir.path().join("keys").join(t.uuid().simple().to_string());
            let mut names = Vec::new();
            for entry in std::fs::read_dir(&tenant_dir).expect("list") {
                let entry = entry.expect("entry");
                let mode = entry.metadata().expect("meta").permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{:?}", entry.file_name());
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
            names.sort();
            assert_eq!(names, ["index.key", "kek-000001.key", "kek-000002.key"]);
            let mode = std::fs::metadata(&tenant_dir)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[tokio::test]
    async fn with_a_master_key_the_files_hold_no_raw_key_and_need_it() {
        let dir = tempfile::tempdir().expect("dir");
        let t = tenant();
        let master = Key::random();
        let store = FileKeyStore::open(dir.path(), Some(master.clone())).expect("open");
        let keys = store.load(t).await.expect("load");
        let file = dir
            .path()
            .join(t.uuid().simple().to_string())
            .join("index.key");
        let content = std::fs::read(&file).expect("read");
        assert_eq!(content.len(), NONCE_LEN + KEY_LEN + TAG_LEN);
        let without = FileKeyStore::open(dir.path(), None).expect("open");
        assert!(
            without.load(t).await.is_err(),
            "sealed files need the master key"
        );
        let wrong = FileKeyStore::open(dir.path(), Some(Key::random())).expect("open");
        assert!(
            wrong.load(t).await.is_err(),
            "another master key opens nothing"
        );
        let again = FileKeyStore::open(dir.path(), Some(master)).expect("open");
        assert_eq!(
            again
                .load(t)
                .await
                .expect("load")
                .blind_index("d", "v")
                .expect("index"),
            keys.blind_index("d", "v").expect("index")
        );
    }

    #[tokio::test]
    async fn a_keyring_sees_a_version_another_process_added() {
        let dir = tempfile::tempdir().expect("dir");
        let t = tenant();
        let store = FileKeyStore::open(dir.path(), None).expect("open");
        let ring = Keyring::new(Arc::new(store.clone()), Duration::from_secs(3600));
        assert_eq!(ring.tenant(t).await.expect("keys").current(), 1);
        // Another process (here: another store on the same directory) rotates.
        let other = FileKeyStore::open(dir.path(), None).expect("open");
        other.rotate(t).await.expect("rotate");
        assert_eq!(ring.tenant(t).await.expect("cached").current(), 1);
        assert!(ring.with_version(t, 2).await.expect("refreshed").has(2));
        assert_eq!(ring.rotate(t).await.expect("rotate").current(), 3);
        assert_eq!(ring.tenant(t).await.expect("cached").current(), 3);
    }
}
