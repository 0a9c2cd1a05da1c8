//! The ways out: SMTP with `lettre`, and one generic HTTP SMS provider.

use async_trait::async_trait;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::{Content, MessageLanguage};

/// Why a try failed, by class only (no server text: it may quote the recipient).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (server unreachable, 4xx SMTP answer, HTTP 5xx or 429).
    Temporary(&'static str),
    /// Refused for good (5xx SMTP answer, HTTP 4xx, an address that cannot be written).
    Permanent(&'static str),
}

impl SendError {
    /// `unreachable`, `timeout`, `deferred`, `rejected`, `invalid_recipient`, `empty`, …
    pub fn class(&self) -> &'static str {
        match self {
            SendError::Temporary(c) | SendError::Permanent(c) => c,
        }
    }
}

/// One channel's way out.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends one message to `to` (an e-mail address or an E.164 number).
    async fn send(
        &self,
        to: &str,
        content: &Content,
        language: MessageLanguage,
    ) -> Result<(), SendError>;
}

/// E-mail over SMTP (`lettre`): `smtp://host:port` (STARTTLS when offered), `smtps://host:port`
/// (implicit TLS), credentials in the URL's user part.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `url` as above; `from` the sender (`Sportello <noreply@comune.example.it>`).
    /// Errors name the setting that is wrong.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| {
                "messages.smtp_url is not an SMTP address (smtp://host:port or smtps://host:port)"
                    .to_owned()
            })?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|_| {
            "messages.from is not an e-mail address (Sportello <noreply@example.it>)".to_owned()
        })?;
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Transport for SmtpMailer {
    async fn send(
        &self,
        to: &str,
        content: &Content,
        language: MessageLanguage,
    ) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| SendError::Permanent("invalid_recipient"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(content.subject.clone())
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                language.code().to_owned(),
            ));
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(content.text.clone());
        let email = match &content.html {
            Some(html) => builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
            None => builder.singlepart(text),
        }
        .map_err(|_| SendError::Permanent("unwritable"))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent("rejected")),
            Err(e) if e.is_transient() => Err(SendError::Temporary("deferred")),
            Err(e) if e.is_timeout() => Err(SendError::Temporary("timeout")),
            Err(_) => Err(SendError::Temporary("unreachable")),
        }
    }
}

/// SMS through a generic HTTP provider: `POST <url>` with `{"to": "+39…", "text": "…"}` as JSON
/// and, when a token is configured, `Authorization: Bearer <token>`. 2xx is sent; 429 and 5xx
/// are tried again; any other 4xx is a refusal of the number.
pub struct HttpSms {
    client: reqwest::Client,
    url: String,
    /// Never printed.
    token: Option<String>,
}

impl HttpSms {
    /// Errors name the setting that is wrong.
    pub fn new(url: &str, token: Option<String>) -> Result<Self, String> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err("messages.sms_url must be an http:// or https:// address".to_owned());
        }
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| format!("cannot build the SMS client: {e}"))?;
        Ok(Self {
            client,
            url: url.to_owned(),
            token,
        })
    }
}

#[async_trait]
impl Transport for HttpSms {
    async fn send(
        &self,
        to: &str,
        content: &Content,
        _language: MessageLanguage,
    ) -> Result<(), SendError> {
        let mut request = self
            .client
            .post(&self.url)
            .json(&serde_json::json!({ "to": to, "text": content.text }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                SendError::Temporary("timeout")
            } else {
                SendError::Temporary("unreachable")
            }
        })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.as_u16() == 429 || status.is_server_error() {
            Err(SendError::Temporary("deferred"))
        } else {
            Err(SendError::Permanent("rejected"))
        }
    }
}
