//! Which certificate authorities an https client trusts: the system's bundle, or what
//! `SSL_CERT_FILE` and `SSL_CERT_DIR` name, read once, bounded, and refused when unusable.

use crate::error::Error;

/// The roots an https client trusts, each read once. `SSL_CERT_FILE` when set (and
/// `SSL_CERT_DIR` too, unless it is the folder that file is in: on Debian /etc/ssl/certs holds
/// the same certificates again, one file each, ~150 files); else `SSL_CERT_DIR`; else the
/// system's bundle file alone. `None`: leave it to the platform verifier (macOS, Windows, or no
/// bundle found). A variable that names what cannot be read, or holds no certificate, is an
/// error that says so (exit 2): a mistyped path is never passed over in silence.
#[cfg(all(unix, not(target_os = "macos")))]
pub(super) fn roots() -> Result<Option<Vec<reqwest::Certificate>>, Error> {
    use std::path::PathBuf;
    let var = |name| {
        crate::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let (env_file, env_dir) = (var("SSL_CERT_FILE"), var("SSL_CERT_DIR"));
    let dir_too = match (&env_file, &env_dir) {
        (Some(f), Some(d)) => f.parent() != Some(d.as_path()),
        _ => true,
    };
    let mut ders = Vec::new();
    if let Some(file) = &env_file {
        ders.extend(files::file(file).map_err(|why| files::bad("SSL_CERT_FILE", file, &why))?);
    }
    if let (Some(dir), true) = (&env_dir, dir_too) {
        ders.extend(files::folder(dir).map_err(|why| files::bad("SSL_CERT_DIR", dir, &why))?);
    }
    if env_file.is_none() && env_dir.is_none() {
        // The system's bundle: what cannot be read leaves it to the platform.
        if let Some(bundle) = openssl_probe::probe().cert_file {
            ders = files::file(&bundle).unwrap_or_default();
        }
    }
    let roots: Vec<reqwest::Certificate> = ders
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der).ok())
        .collect();
    Ok((!roots.is_empty()).then_some(roots))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub(super) fn roots() -> Result<Option<Vec<reqwest::Certificate>>, Error> {
    Ok(None)
}

/// Reading trusted certificates named by `SSL_CERT_FILE` and `SSL_CERT_DIR`: PEM, from
/// regular files of a bounded size (a FIFO would block for ever, `/dev/zero` never end).
#[cfg(all(unix, not(target_os = "macos")))]
mod files {
    use std::io::Read;
    use std::path::Path;

    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    use crate::error::Error;

    /// The largest trust file read (Debian's whole bundle is about 200 KB).
    const MAX_FILE: u64 = 16 * 1024 * 1024;
    /// The most files of a trust folder read.
    const MAX_FILES: usize = 10_000;

    pub(super) fn bad(var: &str, path: &Path, why: &str) -> Error {
        Error::BadInput(format!(
            "{var}={}: {why}; fix or unset {var} (it names the certificate authorities to trust, \
             in PEM)",
            path.display()
        ))
    }

    fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
        if !meta.is_file() {
            return Err("not a regular file".into());
        }
        if meta.len() > MAX_FILE {
            return Err(format!(
                "{} bytes, more than a trust file holds (at most {MAX_FILE})",
                meta.len()
            ));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read it: {e}"))?;
        Ok(CertificateDer::pem_slice_iter(&bytes)
            .filter_map(Result::ok)
            .collect())
    }

    /// The certificates of one PEM file: at least one.
    pub(super) fn file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let found = certificates(path)?;
        if found.is_empty() {
            return Err("it holds no PEM certificate".into());
        }
        Ok(found)
    }

    /// The certificates of the regular files of a folder (what is not PEM is passed over): at
    /// least one in all.
    pub(super) fn folder(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read it: {e}"))?;
        let mut found = Vec::new();
        for entry in entries.flatten().take(MAX_FILES) {
            found.extend(certificates(&entry.path()).unwrap_or_default());
        }
        if found.is_empty() {
            return Err("no file in it holds a PEM certificate".into());
        }
        Ok(found)
    }
}
