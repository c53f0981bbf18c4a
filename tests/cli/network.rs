//! Proxies and TLS (issue 9, items 16–18): the key never goes to a proxy in clear text, a
//! broken proxy is named as such and not retried, TLS failures say what is wrong, once.

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn tls_server(cert: &Path, key: &Path) -> Server {
    Server::with(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ])
}

#[test]
fn an_untrusted_certificate_says_so_once_and_a_private_ca_can_be_trusted() {
    let dir = temp();
    let (ca, cert, key) = private_ca(dir.path(), "IP:127.0.0.1,DNS:localhost");
    let server = tls_server(&cert, &key);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "not signed by an authority this machine trusts");
    assert_contains(&err, "SSL_CERT_FILE");
    assert!(
        !err.contains("retrying") && !err.contains("UnknownIssuer"),
        "{err}"
    );

    let out = server
        .miiflow()
        .env("SSL_CERT_FILE", &ca)
        .args(["run", "agent_1", "a=1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stdout(&out), r#""output":{"a":"1"}"#);
}

#[test]
fn a_certificate_for_another_name_is_named() {
    let dir = temp();
    let (ca, cert, key) = private_ca(dir.path(), "DNS:api.example.com");
    let server = tls_server(&cert, &key);
    let out = server
        .miiflow()
        .env("SSL_CERT_FILE", &ca)
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = stderr(&out);
    assert_contains(
        &err,
        "its certificate is for another host name, not 127.0.0.1",
    );
    assert!(!err.contains("retrying"), "{err}");
}

#[test]
fn loopback_is_reached_directly_whatever_the_proxy_variables_say() {
    let server = Server::start();
    let proxy = Server::start();
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        let out = server
            .miiflow()
            .env(var, &proxy.url)
            .args(["run", "agent_1", "a=1"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{var}: {}", stderr(&out));
    }
    assert_eq!(server.requests().len(), 4);
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
}

#[test]
fn an_unusable_proxy_variable_is_an_error() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .env("HTTPS_PROXY", "http://user:hunter2@[bad")
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_contains(&err, "HTTPS_PROXY: not a usable proxy URL");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn a_proxy_that_is_down_is_named_and_not_retried() {
    let port = closed_port();
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        &format!("through the proxy http://127.0.0.1:{port} (from HTTPS_PROXY)"),
    );
    assert!(!err.contains("retrying"), "{err}");
}

#[test]
fn a_proxy_asking_for_credentials_is_named() {
    let proxy = RawServer::fixed("407 Proxy Authentication Required", "");
    // https through a CONNECT tunnel, and plain http (allowed here) through the proxy.
    for (base, extra) in [
        ("https://api.example.com", &[][..]),
        ("http://api.example.com", &["--allow-http"][..]),
    ] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .env("ALL_PROXY", &proxy.url)
            .args(["run", "agent_1", "--base-url", base])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{base}: {}", stderr(&out));
        let err = stderr(&out);
        assert_contains(&err, &format!("the proxy {} (from ALL_PROXY)", proxy.url));
        assert_contains(&err, "asks for credentials (HTTP 407)");
        assert!(!err.contains("retrying"), "{err}");
    }
}

#[test]
fn a_plain_http_run_reads_no_trust_store() {
    let server = Server::start();
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=open,openat", "-o", "/dev/stderr"])
        .arg(assert_cmd::cargo::cargo_bin("miiflow"))
        .args(["run", "agent_1", "a=1"])
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .env("MIIFLOW_CONFIG_DIR", temp().path())
        .output()
        .expect("strace runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let opened = stderr(&out);
    assert_contains(&opened, "openat(");
    let certs: Vec<&str> = opened
        .lines()
        .filter(|l| l.contains("/etc/ssl") || l.contains("/usr/lib/ssl") || l.contains("/certs"))
        .collect();
    assert!(certs.is_empty(), "{certs:#?}");
}

/// Every path under `dir` that a traced run opened, and how often.
fn opened_under(trace: &str, dir: &str) -> Vec<String> {
    trace
        .lines()
        .filter(|l| l.contains("open") && !l.contains("ENOENT"))
        .filter_map(|l| l.split('"').nth(1))
        .filter(|p| p.starts_with(dir))
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_https_run_reads_its_trust_store_once() {
    let dir = temp();
    let (ca, cert, key) = private_ca(dir.path(), "IP:127.0.0.1");
    let server = tls_server(&cert, &key);
    let url = server.url.replacen("http://", "https://", 1);
    let traced = |env: &[(&str, &str)]| {
        let mut cmd = Command::new("strace");
        cmd.args(["-f", "-e", "trace=open,openat", "-o", "/dev/stderr"])
            .arg(assert_cmd::cargo::cargo_bin("miiflow"))
            .args(["run", "agent_1", "a=1", "--retries", "0"])
            .env("MIIFLOW_BASE_URL", &url)
            .env("MIIFLOW_API_KEY", KEY)
            .env("MIIFLOW_CONFIG_DIR", dir.path().join("config"))
            .env("MIIFLOW_HISTORY", "off")
            .env_remove("SSL_CERT_FILE")
            .env_remove("SSL_CERT_DIR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("strace runs")
    };
    // The private CA's file, beside other PEM files in its folder, named by both variables as
    // Debian's layout does: the file is read once and the folder is not read again.
    let folder = dir.path().to_str().unwrap();
    let out = traced(&[
        ("SSL_CERT_FILE", ca.to_str().unwrap()),
        ("SSL_CERT_DIR", folder),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let opened: Vec<String> = opened_under(&stderr(&out), folder)
        .into_iter()
        .filter(|p| p.ends_with(".pem"))
        .collect();
    assert_eq!(opened, [ca.to_str().unwrap()], "{opened:#?}");
    // The system's store, when the variables name it as this machine's environment may: one
    // bundle file, not the ~150 files of its folder.
    if Path::new("/etc/ssl/certs/ca-certificates.crt").exists() {
        let out = traced(&[
            ("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"),
            ("SSL_CERT_DIR", "/etc/ssl/certs"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(6),
            "the test CA is not trusted there"
        );
        let opened = opened_under(&stderr(&out), "/etc/ssl");
        assert_eq!(
            opened,
            ["/etc/ssl/certs/ca-certificates.crt"],
            "{opened:#?}"
        );
        let out = traced(&[]);
        assert_eq!(out.status.code(), Some(6));
        assert_eq!(opened_under(&stderr(&out), "/etc/ssl").len(), 1);
    }
}
