//! The client's address behind a reverse proxy. `X-Forwarded-For` is believed
//! only when the socket peer is a trusted proxy (`--trusted-proxy CIDR`); then the
//! right-most address in the header that is not itself a trusted proxy is the
//! client (addresses further left were written by the client and may be forged).

use std::net::IpAddr;

/// An address block such as `10.0.0.0/8`, `192.0.2.1` or `2001:db8::/32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (a, p) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("{s:?} is not an address or CIDR block"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: prefix length must be 0–{max}"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl Cidr {
    /// Whether `ip` is inside the block (IPv4-mapped IPv6 counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let shift = |bits: u32, total: u32| total.saturating_sub(bits);
        match (canonical(self.addr), canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let s = shift(u32::from(self.prefix), 32);
                s >= 32 || (u32::from(n) >> s) == (u32::from(a) >> s)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let s = shift(u32::from(self.prefix), 128);
                s >= 128 || (u128::from(n) >> s) == (u128::from(a) >> s)
            }
            _ => false,
        }
    }
}

/// The client address for a request that came from `peer` carrying the given
/// `X-Forwarded-For` header values (in order).
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[Cidr],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A malformed entry ends the walk: nothing left of it can be trusted.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// `192.0.2.1`, `192.0.2.1:1234`, `2001:db8::1` or `[2001:db8::1]:1234`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(sa) = hop.parse::<std::net::SocketAddr>() {
        return Some(sa.ip());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_parses_and_matches() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.255.1.2")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.1.1")));
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.1")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.jp".parse::<Cidr>().is_err());
    }

    #[test]
    fn right_most_untrusted_hop_is_the_client() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        // Client → CDN-like proxy 10.0.0.2 → our proxy 10.0.0.1 → us.
        assert_eq!(
            client_address(ip("10.0.0.1"), ["198.51.100.7, 10.0.0.2"], &trusted),
            ip("198.51.100.7")
        );
        // A forged left-most entry does not win over the real one.
        assert_eq!(
            client_address(ip("10.0.0.1"), ["1.2.3.4", "198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // An untrusted peer's header is ignored entirely.
        assert_eq!(
            client_address(ip("203.0.113.9"), ["1.2.3.4"], &trusted),
            ip("203.0.113.9")
        );
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(client_address(ip("10.0.0.1"), [], &trusted), ip("10.0.0.1"));
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            client_address(ip("10.0.0.1"), ["198.51.100.7, junk, 10.0.0.3"], &trusted),
            ip("10.0.0.3")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), ["[2001:db8::5]:443"], &trusted),
            ip("2001:db8::5")
        );
    }
}
