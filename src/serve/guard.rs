//! Who may talk to the preview. Every answer checks the request's `Host`: a loopback name or
//! the bound address only, so a web page whose domain is made to resolve to 127.0.0.1 (DNS
//! rebinding) gets nothing. The websocket also checks `Origin`: only the preview's own pages
//! may follow it, since its messages quote the site's sources when a build fails. Browsers
//! always send both headers; a client without `Origin` is not a web page.

use std::net::{IpAddr, SocketAddr};

use axum::http::Uri;
use axum::http::uri::Authority;

/// The address the preview is served on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Allowed {
    pub address: SocketAddr,
}

impl Allowed {
    /// Whether `host` (a `Host` header: name or address, maybe a port) names this server.
    pub(super) fn host(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<Authority>() else {
            return false;
        };
        self.host_name(authority.host())
    }

    /// Whether `origin` (an `Origin` header) is a page of this server.
    pub(super) fn origin(&self, origin: &str) -> bool {
        let Ok(uri) = origin.parse::<Uri>() else {
            return false;
        };
        let port = uri
            .port_u16()
            .or_else(|| (uri.scheme_str() == Some("http")).then_some(80));
        uri.scheme_str() == Some("http")
            && uri.host().is_some_and(|host| self.host_name(host))
            && port == Some(self.address.port())
    }

    fn host_name(&self, host: &str) -> bool {
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<IpAddr>() {
            // Bound to every address, the server is reachable at any of the machine's: a
            // rebinding attack needs a name, so any literal address is safe to accept.
            Ok(ip) => {
                ip.is_loopback() || ip == self.address.ip() || self.address.ip().is_unspecified()
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(address: &str) -> Allowed {
        Allowed {
            address: address.parse().unwrap(),
        }
    }

    #[test]
    fn hosts_are_loopback_names_or_the_bound_address() {
        let local = allowed("127.0.0.1:1111");
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:1111",
            "[::1]:1111",
            "127.0.0.2",
        ] {
            assert!(local.host(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "",
            "a b",
        ] {
            assert!(!local.host(host), "{host}");
        }
        let lan = allowed("192.168.1.5:1111");
        assert!(lan.host("192.168.1.5:1111"));
        assert!(!lan.host("192.168.1.6:1111"));
        assert!(!lan.host("rebind.example:1111"));
        let any = allowed("0.0.0.0:1111");
        assert!(any.host("10.0.0.7:1111"));
        assert!(!any.host("rebind.example:1111"));
    }

    #[test]
    fn origins_are_the_servers_own_pages() {
        let local = allowed("127.0.0.1:1111");
        assert!(local.origin("http://127.0.0.1:1111"));
        assert!(local.origin("http://localhost:1111"));
        for origin in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "https://127.0.0.1:1111",
            "http://evil.example:1111",
            "null",
            "",
        ] {
            assert!(!local.origin(origin), "{origin}");
        }
    }
}
