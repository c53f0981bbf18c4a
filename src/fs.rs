//! The files miiflow keeps: folders made private, atomic writes (a temporary file renamed
//! over the target, whose symlinks are followed — dangling ones too — so a symlink stays a
//! symlink), and the config lock.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// Follows symlinks (dangling ones too) to the file that will really be written.
pub(crate) fn resolve(path: &Path) -> Result<PathBuf, String> {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|e| e.to_string())?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err("too many levels of symbolic links".into())
}

/// Whether two paths name the same file: the same file when both exist (a hard link, a
/// symlink, `./x` and `x`), else the same name in the same folder once links are followed.
pub(crate) fn same_place(a: &Path, b: &Path) -> bool {
    if same_file::is_same_file(a, b).unwrap_or(false) {
        return true;
    }
    let place = |p: &Path| -> Option<PathBuf> {
        let p = resolve(p).ok()?;
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    matches!((place(a), place(b)), (Some(x), Some(y)) if x == y)
}

/// Creates a folder (and its parents) readable by its owner only, when it does not exist yet.
/// An existing folder is left as it is: its owner chose its mode.
pub(crate) fn ensure_dir(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// The folder that holds plain-file keys: created if needed, and kept 0700 whatever it was.
pub(crate) fn private_dir(path: &Path) -> anyhow::Result<()> {
    ensure_dir(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    Ok(())
}

/// Prefix of the temporary files that atomic writes rename into place.
pub(crate) const TEMP_PREFIX: &str = ".miiflow-";

/// Writes a file atomically with owner-only permissions: a temporary file in the same folder,
/// renamed over the old one. A symlink stays a symlink: the file it points to is replaced.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let path = &resolve(path).map_err(anyhow::Error::msg)?;
    let dir = path.parent().context("a file path has a folder")?;
    ensure_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    // tempfile creates files 0600 on Unix already; the contents go in only after that.
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// How long a command waits for another miiflow that is changing the config.
pub(crate) const LOCK_TIMEOUT_ENV: &str = "MIIFLOW_LOCK_TIMEOUT";
const LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Holds `config.lock` in the config folder: an advisory lock that serialises every change to
/// the config and the credentials folder among miiflow processes. Released on drop (and by
/// the OS when a process dies).
pub(crate) struct Lock {
    _file: std::fs::File,
}

pub(crate) fn lock(dir: &Path) -> anyhow::Result<Lock> {
    ensure_dir(dir)?;
    let path = dir.join("config.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let timeout = crate::env::var(LOCK_TIMEOUT_ENV)
        .and_then(|t| t.parse::<f64>().ok())
        .and_then(|t| std::time::Duration::try_from_secs_f64(t).ok())
        .unwrap_or(LOCK_TIMEOUT);
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another miiflow process has held {} for {} s while changing the config; \
                 nothing was changed. Try again when it is done (or raise {LOCK_TIMEOUT_ENV})",
                path.display(),
                timeout.as_secs_f64()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn writes_follow_symlinks_and_stay_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        // A dangling symlink: the file it names is made, the link stays a link.
        write_private(&link, b"a = 1\n").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"a = 1\n");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(resolve(&link).unwrap(), real);
    }

    #[cfg(unix)]
    #[test]
    fn private_folders_are_made_0700_and_existing_ones_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("a/b");
        ensure_dir(&made).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&made), 0o700);
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_dir(&made).unwrap();
        assert_eq!(mode(&made), 0o755, "an existing folder keeps its mode");
        private_dir(&made).unwrap();
        assert_eq!(mode(&made), 0o700, "except the credentials folder");
    }

    #[test]
    fn the_config_lock_is_held_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path()).unwrap();
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join("config.lock"))
            .unwrap();
        assert!(file.try_lock().is_err(), "held by the first");
        drop(held);
        assert!(file.try_lock().is_ok());
    }
}
