//! The client's address behind reverse proxies. The direct peer is the client unless it is one of
//! the trusted proxies; then the address comes from the forwarding header those proxies write,
//! walked from the right (the hop nearest to us) past every trusted hop. An untrusted peer's
//! headers are never read, so a client cannot choose the address its sign-in failures count
//! against.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Which header the trusted proxies write the client's address into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, Traefik, Caddy, Envoy).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl ForwardedHeader {
    fn name(self) -> &'static str {
        match self {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
        }
    }
}

/// The reverse proxies whose forwarding header is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    /// Parses CIDRs (`10.0.0.0/8`, `fd00::/8`) or single addresses (`192.0.2.10`). The error
    /// names the entry that is neither.
    pub fn parse(entries: &[String], header: ForwardedHeader) -> Result<Self, String> {
        let nets = entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                IpNet::from_str(entry)
                    .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("`{entry}` is not an IP address or a CIDR"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { nets, header })
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The address of the client behind `peer`: the peer itself unless it is trusted; otherwise
    /// the first untrusted address of the forwarding chain from the right. A missing or malformed
    /// header leaves the peer.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let values: Vec<&str> = headers
            .get_all(self.header.name())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            return peer;
        }
        // Repeated headers are one list, in order (RFC 9110, section 5.3).
        let joined = values.join(",");
        // Only as far as needed: what lies left of the first untrusted hop is the client's word.
        let mut client = peer;
        for element in joined.split(',').rev() {
            let hop = match self.header {
                ForwardedHeader::XForwardedFor => parse_node(element.trim()),
                ForwardedHeader::Forwarded => forwarded_for(element),
            };
            let Some(ip) = hop.map(|ip| ip.to_canonical()) else {
                return peer;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// The `for=` node of one RFC 7239 element, e.g. `for=192.0.2.60;proto=https`.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    let value = element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim())
    })?;
    let value = match value.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"')?,
        None => value,
    };
    parse_node(value)
}

/// An address, optionally with a port: `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`,
/// `[2001:db8::1]`, `[2001:db8::1]:4711`. Obfuscated identifiers (`_hidden`, `unknown`) are not
/// addresses.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(node) {
        return Some(ip);
    }
    if let Ok(addr) = SocketAddr::from_str(node) {
        return Some(addr.ip());
    }
    let inner = node.strip_prefix('[')?.strip_suffix(']')?;
    IpAddr::from_str(inner).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                axum::http::HeaderName::from_str(name).expect("name"),
                value.parse().expect("value"),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn proxies(entries: &[&str], header: ForwardedHeader) -> TrustedProxies {
        let entries: Vec<String> = entries.iter().map(|s| s.to_string()).collect();
        TrustedProxies::parse(&entries, header).expect("valid proxies")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let none = TrustedProxies::default();
        let spoofed = headers("x-forwarded-for", &["198.51.100.1"]);
        assert_eq!(
            none.client_address(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
        let some = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        assert_eq!(
            some.client_address(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_peer_forwards_the_first_untrusted_hop_from_the_right() {
        let trusted = proxies(
            &["10.0.0.0/8", "192.0.2.10"],
            ForwardedHeader::XForwardedFor,
        );
        // The client wrote a fake first entry; the proxies appended the real ones.
        let chain = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.7, 10.1.1.1"]);
        assert_eq!(
            trusted.client_address(ip("192.0.2.10"), &chain),
            ip("203.0.113.7")
        );
        let repeated = headers("x-forwarded-for", &["1.2.3.4", "203.0.113.7"]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.5"), &repeated),
            ip("203.0.113.7")
        );
        // Every hop trusted: the leftmost is the client.
        let internal = headers("x-forwarded-for", &["10.2.2.2, 10.1.1.1"]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.5"), &internal),
            ip("10.2.2.2")
        );
        // Garbage left of the client's address is never read.
        let garbage = headers("x-forwarded-for", &["<script>, 203.0.113.7"]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.5"), &garbage),
            ip("203.0.113.7")
        );
        let ported = headers("x-forwarded-for", &["[2001:db8::7]:4711, 198.51.100.3:80"]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.5"), &ported),
            ip("198.51.100.3")
        );
    }

    #[test]
    fn a_missing_or_malformed_header_leaves_the_peer() {
        let trusted = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let peer = ip("10.0.0.5");
        assert_eq!(trusted.client_address(peer, &HeaderMap::new()), peer);
        for bad in ["", "not-an-address", "203.0.113.7,,10.1.1.1", "unknown"] {
            let h = headers("x-forwarded-for", &[bad]);
            assert_eq!(trusted.client_address(peer, &h), peer, "{bad:?}");
        }
        // Only the configured header is read.
        let other = headers("forwarded", &["for=203.0.113.7"]);
        assert_eq!(trusted.client_address(peer, &other), peer);
    }

    #[test]
    fn rfc_7239_forwarded_elements_are_read() {
        let trusted = proxies(&["10.0.0.0/8", "fd00::/8"], ForwardedHeader::Forwarded);
        let h = headers(
            "forwarded",
            &[
                r#"for=198.51.100.1, for="[2001:db8:cafe::17]:4711";proto=https, For=10.1.1.1;by=10.0.0.1"#,
            ],
        );
        assert_eq!(
            trusted.client_address(ip("fd00::1"), &h),
            ip("2001:db8:cafe::17")
        );
        for bad in ["for=_hidden", "proto=https", r#"for="198.51.100.1"#] {
            let h = headers("forwarded", &[bad]);
            assert_eq!(
                trusted.client_address(ip("10.0.0.5"), &h),
                ip("10.0.0.5"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_proxies() {
        let trusted = proxies(&["127.0.0.1"], ForwardedHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["203.0.113.7"]);
        assert_eq!(
            trusted.client_address(ip("::ffff:127.0.0.1"), &h),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn bad_entries_are_named() {
        let err = TrustedProxies::parse(
            &["10.0.0.0/8".into(), "10.0.0/8".into()],
            ForwardedHeader::XForwardedFor,
        )
        .err()
        .unwrap_or_default();
        assert!(err.contains("10.0.0/8"), "{err}");
        assert!(
            TrustedProxies::parse(&["10.0.0.0/33".into()], ForwardedHeader::XForwardedFor).is_err()
        );
    }
}
