//! The cases benchmark's fixtures: names from several origins and scripts, a deterministic
//! generator, and a small GraphQL client that keeps its session and hands it to the load tasks.

use std::sync::Arc;

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::cookie::{CookieStore as _, Jar};
use serde_json::{Value, json};
use uuid::Uuid;

/// Given names as written, from several origins; a few in their own script.
pub(crate) const GIVEN: &[&str] = &[
    // Arabic
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Omar",
    "Fatima",
    "Khadija",
    "Amina",
    "Karim",
    "Said",
    "Nour",
    "Rachid",
    "Samira",
    "محمد",
    "فاطمة",
    // West African
    "Mamadou",
    "Ousmane",
    "Aminata",
    "Ibrahima",
    "Fatoumata",
    "Moussa",
    "Abdoulaye",
    "Awa",
    "Kofi",
    "Chinedu",
    "Ngozi",
    "Adama",
    // Eastern European
    "Olena",
    "Andriy",
    "Ion",
    "Elena",
    "Natalia",
    "Oksana",
    "Dmytro",
    "Mihai",
    "Vasile",
    "Irina",
    "Олена",
    "Андрій",
    // South Asian
    "Rahul",
    "Priya",
    "Mohammad Asif",
    "Shahid",
    "Rubina",
    "Harpreet",
    "Gurpreet",
    "Anjali",
    "Imran",
    "Nasreen",
    "Sandeep",
    "Farzana",
    // Latin American
    "José Luis",
    "María",
    "Juan Carlos",
    "Carmen",
    "Luis",
    "Ana Lucía",
    "Diego",
    "Rosa",
    "Jorge",
    "Valentina",
    // Chinese
    "Wei",
    "Li Na",
    "Xiaoming",
    "Jun",
    "Mei",
    "Hui",
];

/// Family names as written, with a country of birth and a first language that go with them.
pub(crate) const FAMILY: &[(&str, &str, &str)] = &[
    // Arabic
    ("El Idrissi", "MA", "ar"),
    ("Haddad", "SY", "ar"),
    ("Benali", "DZ", "ar"),
    ("El Amrani", "MA", "ar"),
    ("Bouzid", "TN", "ar"),
    ("Mansour", "EG", "ar"),
    ("Khalil", "EG", "ar"),
    ("Saleh", "SY", "ar"),
    ("Benjelloun", "MA", "ar"),
    ("Hassan", "SD", "ar"),
    ("Abdel Rahman", "EG", "ar"),
    ("Cherkaoui", "MA", "ar"),
    ("Ait Said", "MA", "zgh"),
    ("حداد", "LB", "ar"),
    // West African
    ("Diallo", "GN", "ff"),
    ("Traoré", "ML", "bm"),
    ("Coulibaly", "CI", "fr"),
    ("Keita", "ML", "bm"),
    ("Sow", "SN", "wo"),
    ("Ndiaye", "SN", "wo"),
    ("Diop", "SN", "wo"),
    ("Camara", "GN", "fr"),
    ("Mensah", "GH", "ak"),
    ("Okafor", "NG", "ig"),
    ("Adeyemi", "NG", "yo"),
    ("Ouédraogo", "BF", "mos"),
    ("Bah", "GM", "ff"),
    ("Sylla", "GN", "fr"),
    // Eastern European
    ("Kovalenko", "UA", "uk"),
    ("Shevchenko", "UA", "uk"),
    ("Popescu", "RO", "ro"),
    ("Ionescu", "RO", "ro"),
    ("Bondarenko", "UA", "uk"),
    ("Melnyk", "UA", "uk"),
    ("Petrenko", "UA", "uk"),
    ("Rusu", "MD", "ro"),
    ("Ciobanu", "MD", "ro"),
    ("Kravchenko", "UA", "uk"),
    ("Nowak", "PL", "pl"),
    ("Kowalski", "PL", "pl"),
    ("Hoxha", "AL", "sq"),
    ("Шевченко", "UA", "uk"),
    // South Asian
    ("Singh", "IN", "pa"),
    ("Kaur", "IN", "pa"),
    ("Khan", "PK", "ur"),
    ("Ahmed", "BD", "bn"),
    ("Hossain", "BD", "bn"),
    ("Rahman", "BD", "bn"),
    ("Sharma", "IN", "hi"),
    ("Patel", "IN", "gu"),
    ("Chowdhury", "BD", "bn"),
    ("Islam", "BD", "bn"),
    ("Akhtar", "PK", "ur"),
    ("Malik", "PK", "ur"),
    ("Begum", "BD", "bn"),
    ("Kumar", "IN", "hi"),
    // Latin American
    ("García", "PE", "es"),
    ("Rodríguez", "CO", "es"),
    ("Pérez", "EC", "es"),
    ("Gonzales", "PE", "es"),
    ("Quispe", "PE", "qu"),
    ("Mamani", "BO", "es"),
    ("Flores", "SV", "es"),
    ("Torres", "EC", "es"),
    ("Ramírez", "DO", "es"),
    ("da Silva", "BR", "pt"),
    ("Santos", "BR", "pt"),
    ("Vargas", "CO", "es"),
    ("Castillo", "PE", "es"),
    // Chinese
    ("Wang", "CN", "zh"),
    ("Li", "CN", "zh"),
    ("Zhang", "CN", "zh"),
    ("Liu", "CN", "zh"),
    ("Chen", "CN", "zh"),
    ("Yang", "CN", "zh"),
    ("Huang", "CN", "zh"),
    ("Zhou", "CN", "zh"),
    ("Wu", "CN", "zh"),
    ("Hu", "CN", "zh"),
    ("王", "CN", "zh"),
    ("陈", "CN", "zh"),
];

/// Another spelling of a name of [`GIVEN`] or [`FAMILY`] as another document or office writes
/// it: another transliteration (`Youssef`/`Yusuf`, `Zhang`/`Chang`), the name in Latin for one
/// in its script, a dropped particle (`El Idrissi`/`Idrissi`, `da Silva`/`Silva`), a joined or
/// split compound (`Abdel Rahman`/`Abdelrahman`, `Li Na`/`Lina`), no diacritics.
const VARIANTS: &[(&str, &str)] = &[
    ("Mohamed", "Muhammad"),
    ("Ahmed", "Ahmad"),
    ("Youssef", "Yusuf"),
    ("Omar", "Umar"),
    ("Fatima", "Fatma"),
    ("Khadija", "Khadidja"),
    ("Amina", "Aminah"),
    ("Karim", "Kareem"),
    ("Said", "Saeed"),
    ("Nour", "Noor"),
    ("Rachid", "Rashid"),
    ("Samira", "Sameera"),
    ("محمد", "Mohammed"),
    ("فاطمة", "Fatima"),
    ("Mamadou", "Mamadu"),
    ("Ousmane", "Usman"),
    ("Aminata", "Aminatou"),
    ("Fatoumata", "Fatumata"),
    ("Moussa", "Musa"),
    ("Andriy", "Andrii"),
    ("Elena", "Yelena"),
    ("Natalia", "Nataliya"),
    ("Oksana", "Oxana"),
    ("Dmytro", "Dmitro"),
    ("Irina", "Iryna"),
    ("Олена", "Olena"),
    ("Андрій", "Andrii"),
    ("Mohammad Asif", "Muhammad Asif"),
    ("Shahid", "Shaheed"),
    ("Rubina", "Rubeena"),
    ("Harpreet", "Harprit"),
    ("Gurpreet", "Gurprit"),
    ("Nasreen", "Nasrin"),
    ("Sandeep", "Sandip"),
    ("José Luis", "Jose Luis"),
    ("María", "Maria"),
    ("Juan Carlos", "Juancarlos"),
    ("Luis", "Luiz"),
    ("Ana Lucía", "Analucia"),
    ("Li Na", "Lina"),
    ("Xiaoming", "Xiao Ming"),
    ("El Idrissi", "Idrissi"),
    ("Haddad", "Hadad"),
    ("Benali", "Ben Ali"),
    ("El Amrani", "Amrani"),
    ("Bouzid", "Buzid"),
    ("Mansour", "Mansur"),
    ("Khalil", "Khaleel"),
    ("Saleh", "Salih"),
    ("Benjelloun", "Ben Jelloun"),
    ("Hassan", "Hasan"),
    ("Abdel Rahman", "Abdelrahman"),
    ("Cherkaoui", "Cherkawi"),
    ("Ait Said", "Aitsaid"),
    ("حداد", "Haddad"),
    ("Diallo", "Dialo"),
    ("Traoré", "Traore"),
    ("Coulibaly", "Kulibali"),
    ("Keita", "Keyta"),
    ("Ndiaye", "N'Diaye"),
    ("Camara", "Kamara"),
    ("Mensah", "Mensa"),
    ("Ouédraogo", "Ouedraogo"),
    ("Bah", "Ba"),
    ("Sylla", "Silla"),
    ("Kovalenko", "Kowalenko"),
    ("Shevchenko", "Ševčenko"),
    ("Ionescu", "Ionesco"),
    ("Melnyk", "Melnik"),
    ("Rusu", "Russu"),
    ("Kravchenko", "Kravtchenko"),
    ("Nowak", "Novak"),
    ("Kowalski", "Kovalski"),
    ("Шевченко", "Shevchenko"),
    ("Kaur", "Kour"),
    ("Hossain", "Hussain"),
    ("Rahman", "Rehman"),
    ("Chowdhury", "Choudhury"),
    ("Akhtar", "Akhter"),
    ("Begum", "Begom"),
    ("García", "Garcia"),
    ("Rodríguez", "Rodrigues"),
    ("Pérez", "Peres"),
    ("Gonzales", "Gonzalez"),
    ("Ramírez", "Ramires"),
    ("da Silva", "Silva"),
    ("Zhang", "Chang"),
    ("Huang", "Hwang"),
    ("Zhou", "Chou"),
    ("王", "Wang"),
    ("陈", "Chen"),
];

/// Another spelling of a person's given and family names (see [`VARIANTS`]); when neither has
/// one, the two in the other order, as documents that disagree on which is which write them.
pub(crate) fn variant(given: &str, family: &str) -> (String, String) {
    let other = |name: &str| {
        VARIANTS
            .iter()
            .find(|(written, _)| *written == name)
            .map(|(_, v)| (*v).to_owned())
    };
    match (other(given), other(family)) {
        (None, None) => (family.to_owned(), given.to_owned()),
        (g, f) => (
            g.unwrap_or_else(|| given.to_owned()),
            f.unwrap_or_else(|| family.to_owned()),
        ),
    }
}

/// A deterministic linear congruential generator (Knuth's MMIX constants).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A GraphQL client that keeps its cookies and echoes the CSRF token, like the console. Used to
/// build the data set; its [`Session`] then serves the load generators.
#[derive(Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    jar: Arc<Jar>,
    base: reqwest::Url,
    endpoint: String,
    csrf: Option<String>,
}

impl Client {
    pub(crate) fn new(base: &str) -> anyhow::Result<Client> {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .no_proxy()
            .build()
            .context("build the HTTP client")?;
        Ok(Client {
            http,
            jar,
            base: base.parse().context("server URL")?,
            endpoint: format!("{base}/graphql"),
            csrf: None,
        })
    }

    pub(crate) async fn gql(&self, query: &str, variables: &Value) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .post(&self.endpoint)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        let resp = req.send().await.context("POST /graphql")?;
        resp.json().await.context("GraphQL response body")
    }

    /// Runs an operation that must succeed and returns its data.
    pub(crate) async fn ok(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let mut resp = self.gql(query, &variables).await?;
        if let Some(errors) = resp.get("errors") {
            bail!("GraphQL errors for {query}: {errors}");
        }
        Ok(resp["data"].take())
    }

    /// Signs in with `login` or `acceptInvitation` and keeps the CSRF token.
    pub(crate) async fn sign_in(
        &mut self,
        mutation: &str,
        field: &str,
        variables: Value,
    ) -> anyhow::Result<()> {
        let data = self.ok(mutation, variables).await?;
        let token = data[field]["csrfToken"]
            .as_str()
            .ok_or_else(|| anyhow!("{field} returned no CSRF token: {data}"))?;
        self.csrf = Some(token.to_owned());
        Ok(())
    }

    pub(crate) async fn accept(&mut self, token: &str, password: &str) -> anyhow::Result<()> {
        self.sign_in(
            "mutation($t: String!, $p: String!) { acceptInvitation(input: {token: $t, password: $p, displayName: \"Bench\"}) { csrfToken } }",
            "acceptInvitation",
            json!({ "t": token, "p": password }),
        )
        .await
    }

    /// The signed-in session (cookies and CSRF token), to be sent by any HTTP client.
    pub(crate) fn session(&self) -> anyhow::Result<Session> {
        let cookie = self
            .jar
            .cookies(&self.base)
            .ok_or_else(|| anyhow!("no session cookie"))?
            .to_str()
            .context("session cookie")?
            .to_owned();
        let csrf = self.csrf.clone().ok_or_else(|| anyhow!("not signed in"))?;
        Ok(Session { cookie, csrf })
    }
}

/// A signed-in operator's cookies and CSRF token. The load generators send them from plain HTTP
/// clients (one connection per client task), so that any task can act for any operator.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    cookie: String,
    csrf: String,
}

/// An HTTP client for one load task: no cookie store, no proxy, keep-alive connections.
pub(crate) fn load_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .build()
        .context("build the HTTP client")
}

/// Posts one GraphQL operation as `session`; returns the whole response (data and errors).
pub(crate) async fn post(
    http: &reqwest::Client,
    endpoint: &str,
    session: &Session,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let resp = http
        .post(endpoint)
        .header(reqwest::header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .context("POST /graphql")?;
    resp.json().await.context("GraphQL response body")
}

pub(crate) fn str_at<'a>(value: &'a Value, path: &[&str]) -> anyhow::Result<&'a str> {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v.as_str()
        .ok_or_else(|| anyhow!("no string at {} in {value}", path.join(".")))
}

pub(crate) fn encode_id(kind: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

pub(crate) fn decode_id(kind: &str, id: &str) -> anyhow::Result<Uuid> {
    let raw = URL_SAFE_NO_PAD
        .decode(id)
        .context("global id is base64url")?;
    let text = String::from_utf8(raw).context("global id is UTF-8")?;
    let uuid = text
        .strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(|| anyhow!("{text} is not a {kind} id"))?;
    uuid.parse().context("global id holds a UUID")
}
