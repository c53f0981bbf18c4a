//! Which proxy a request goes through, decided here rather than inside reqwest, so that
//! miiflow can say so: the variables curl reads (`https_proxy`/`HTTPS_PROXY`, `http_proxy`/
//! `HTTP_PROXY`, `all_proxy`/`ALL_PROXY`, `no_proxy`/`NO_PROXY`).
//!
//! Loopback targets are always reached directly (as Go and many tools do): a plain-http run to
//! this machine must never carry the key to a proxy elsewhere. An unparsable variable that
//! would apply is an error, not silently skipped.

use std::net::IpAddr;

use reqwest::Url;

use crate::error::Error;
use crate::request::is_loopback;

/// The proxy a request goes through, and the variable that said so.
#[derive(Debug, Clone)]
pub(crate) struct Proxy {
    pub(crate) url: Url,
    pub(crate) var: &'static str,
}

impl Proxy {
    /// `http://proxy:3128 (from HTTPS_PROXY)`, with any password hidden.
    pub(crate) fn describe(&self) -> String {
        format!("{} (from {})", redact(&self.url), self.var)
    }
}

use crate::request::redact;

/// The proxy for `target` from the environment, or `None` to connect directly.
pub(crate) fn for_target(target: &Url) -> Result<Option<Proxy>, Error> {
    for_target_with(target, &|name| crate::env::var(name))
}

/// [`for_target`] with the environment given (the fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_for_target(
    target: &Url,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>, Error> {
    for_target_with(target, env)
}

fn for_target_with(
    target: &Url,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>, Error> {
    if is_loopback(target) {
        return Ok(None);
    }
    let get = |name: &'static str| {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| (name, v))
    };
    let no_proxy = get("no_proxy").or_else(|| get("NO_PROXY"));
    if let Some((_, list)) = &no_proxy
        && bypassed(target, list)
    {
        return Ok(None);
    }
    let chosen = match target.scheme() {
        "https" => get("https_proxy").or_else(|| get("HTTPS_PROXY")),
        _ => get("http_proxy").or_else(|| get("HTTP_PROXY")),
    }
    .or_else(|| get("all_proxy").or_else(|| get("ALL_PROXY")));
    let Some((var, text)) = chosen else {
        return Ok(None);
    };
    let bad = |why: &str| {
        Error::BadInput(format!(
            "{var}: not a usable proxy URL ({why}); fix or unset it"
        ))
    };
    let text = text.trim();
    // curl reads a proxy without a scheme as http://.
    let full = match text.contains("://") {
        true => text.to_owned(),
        false => format!("http://{text}"),
    };
    let url = Url::parse(&full).map_err(|e| bad(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        "socks5" | "socks5h" | "socks4" => {
            return Err(bad("SOCKS proxies are not supported; use an HTTP proxy"));
        }
        other => return Err(bad(&format!("the scheme '{other}' is not a proxy scheme"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    Ok(Some(Proxy { url, var }))
}

/// `no_proxy`: `*`, host names (matching the host and its subdomains, with or without a
/// leading dot), IP addresses and CIDR ranges, comma-separated; ports are ignored.
fn bypassed(target: &Url, list: &str) -> bool {
    let host = target
        .host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let ip: Option<IpAddr> = host.parse().ok();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.to_ascii_lowercase();
            if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
                return in_range(ip, net, bits);
            }
            let name = entry.trim_start_matches("*.").trim_start_matches('.');
            let name = match name.rsplit_once(':') {
                Some((n, port)) if port.chars().all(|c| c.is_ascii_digit()) && !n.contains(':') => {
                    n
                }
                _ => name,
            };
            let name = name.trim_start_matches('[').trim_end_matches(']');
            host == name || host.ends_with(&format!(".{name}"))
        })
}

fn in_range(ip: IpAddr, net: &str, bits: &str) -> bool {
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(target: &str, vars: &[(&str, &str)]) -> Result<Option<String>, String> {
        let env = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        for_target_with(&Url::parse(target).unwrap(), &env)
            .map(|p| p.map(|p| p.describe()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn loopback_is_always_direct() {
        let all = [
            ("ALL_PROXY", "http://proxy.example:3128"),
            ("http_proxy", "http://p:1"),
        ];
        for target in [
            "http://127.0.0.1:9/",
            "http://localhost:9/",
            "http://[::1]:9/",
        ] {
            assert_eq!(choose(target, &all), Ok(None), "{target}");
        }
    }

    #[test]
    fn the_variable_for_the_scheme_then_all_proxy() {
        let vars = [
            ("https_proxy", "http://tls-proxy:1"),
            ("http_proxy", "plain-proxy:2"),
            ("ALL_PROXY", "http://all:3"),
        ];
        assert_eq!(
            choose("https://api.miiflow.ai/", &vars).unwrap().unwrap(),
            "http://tls-proxy:1 (from https_proxy)"
        );
        assert_eq!(
            choose("http://example.com/", &vars).unwrap().unwrap(),
            "http://plain-proxy:2 (from http_proxy)"
        );
        assert_eq!(
            choose("https://x.io/", &vars[2..]).unwrap().unwrap(),
            "http://all:3 (from ALL_PROXY)"
        );
        assert_eq!(
            choose("https://x.io/", &[("HTTPS_PROXY", "http://u:secret@p:1")])
                .unwrap()
                .unwrap(),
            "http://u:xxxxx@p:1 (from HTTPS_PROXY)"
        );
    }

    #[test]
    fn no_proxy_entries() {
        let proxy = ("HTTPS_PROXY", "http://p:1");
        for (list, target, bypass) in [
            ("*", "https://api.miiflow.ai/", true),
            ("miiflow.ai", "https://api.miiflow.ai/", true),
            (".miiflow.ai", "https://api.miiflow.ai/", true),
            ("api.miiflow.ai:443", "https://api.miiflow.ai/", true),
            ("other.ai, miiflow.ai", "https://api.miiflow.ai/", true),
            ("flow.ai", "https://api.miiflow.ai/", false),
            ("10.0.0.0/8", "https://10.1.2.3/", true),
            ("10.0.0.0/8", "https://11.1.2.3/", false),
            ("fd00::/8", "https://[fd00::1]/", true),
        ] {
            let got = choose(target, &[proxy, ("NO_PROXY", list)]).unwrap();
            assert_eq!(got.is_none(), bypass, "{list} {target}");
        }
    }

    #[test]
    fn unusable_values_are_errors_naming_the_variable() {
        for value in ["http://", "ftp://p:1", "socks5://p:1", "http://[bad"] {
            let err = choose("https://x.io/", &[("HTTPS_PROXY", value)]).unwrap_err();
            assert!(
                err.starts_with("HTTPS_PROXY: not a usable proxy URL"),
                "{value}: {err}"
            );
        }
    }
}
