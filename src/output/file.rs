//! `-o FILE`: settled before anything is sent, replaced only by a complete 2xx answer.
//!
//! The answer goes to a temporary file beside the target, which is renamed over it at the
//! end: a failed, cut-short or interrupted run leaves FILE as it was (the temporary file is
//! removed on every exit but SIGKILL). A new file gets the umask's mode, an existing one keeps
//! its mode, and a symlink stays a symlink (its target is replaced). Targets that are not
//! regular files (`/dev/null`, a FIFO) are written directly, and so is a path through one of
//! this process's open descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`): it is
//! opened to append, never truncated or renamed over, so `-o /dev/stdout >> ci.log` adds to
//! the log as the shell's `>>` does.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

pub(crate) struct OutputFile {
    /// As the user wrote it, for messages.
    shown: PathBuf,
    sink: Sink,
    /// A direct output's reader went away (`-o /dev/stdout | head`): later writes are dropped,
    /// as for stdout itself.
    closed: bool,
    /// Bytes written so far.
    written: u64,
}

enum Sink {
    /// A temporary file, renamed over `target` by [`OutputFile::commit`].
    Replace {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
    /// A device or FIFO: written as the answer arrives.
    Direct(std::fs::File),
}

/// An OS error's words without the path of our temporary file.
fn why(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e.kind().to_string(),
    }
}

/// True when `path` names one of this process's open descriptors (`/dev/stdout`,
/// `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, `/proc/PID/fd/N` of this process), itself
/// or through symlinks: such a path is the shell's redirection, to be written through.
pub(crate) fn through_descriptor(path: &Path) -> bool {
    fn named(p: &Path) -> bool {
        let Some(text) = p.to_str() else {
            return false;
        };
        let own = format!("/proc/{}/fd/", std::process::id());
        let fd = [
            "/dev/fd/",
            "/proc/self/fd/",
            "/proc/thread-self/fd/",
            own.as_str(),
        ]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix));
        matches!(text, "/dev/stdout" | "/dev/stderr")
            || fd.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
    if !cfg!(unix) {
        return false;
    }
    let mut p = path.to_owned();
    for _ in 0..40 {
        if named(&p) {
            return true;
        }
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&p) {
                Ok(link) => {
                    p = match p.parent() {
                        Some(dir) if link.is_relative() => dir.join(link),
                        _ => link,
                    }
                }
                Err(_) => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Opens a path through a descriptor to append (never to truncate).
pub(crate) fn open_through(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().append(true).open(path)
}

impl OutputFile {
    /// Checks and prepares FILE; any problem is bad input (exit 2), found before sending.
    pub(crate) fn create(path: &Path) -> Result<OutputFile, Error> {
        let shown = path.to_owned();
        let bad = |why: String| Error::BadInput(format!("-o {}: {why}", shown.display()));
        if through_descriptor(path) {
            let file = open_through(path).map_err(|e| bad(format!("cannot write: {}", why(&e))))?;
            return Ok(OutputFile {
                shown,
                sink: Sink::Direct(file),
                closed: false,
                written: 0,
            });
        }
        let target = crate::fs::resolve(path).map_err(bad)?;
        let existing = std::fs::metadata(&target).ok();
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(bad("is a folder; give a file name".into()));
            }
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| bad(format!("cannot write: {}", why(&e))))?;
                return Ok(OutputFile {
                    shown,
                    sink: Sink::Direct(file),
                    closed: false,
                    written: 0,
                });
            }
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".miiflow-output-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Created with 0666 less the umask, as any new file; an existing file's mode is
            // copied below, explicitly, once the file exists.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(&dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => bad(format!("no such folder: {}", dir.display())),
            _ => bad(format!("cannot write: {}", why(&e))),
        })?;
        if let Some(meta) = &existing {
            tmp.as_file()
                .set_permissions(meta.permissions())
                .map_err(|e| bad(format!("cannot keep its permissions: {}", why(&e))))?;
        }
        Ok(OutputFile {
            shown,
            sink: Sink::Replace { tmp, target },
            closed: false,
            written: 0,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.shown
    }

    /// True when FILE is written as the answer arrives (a device, a FIFO, a descriptor),
    /// not replaced at the end.
    pub(crate) fn is_direct(&self) -> bool {
        matches!(self.sink, Sink::Direct(_))
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = match &mut self.sink {
            Sink::Replace { tmp, .. } => tmp.write_all(bytes),
            Sink::Direct(file) => file.write_all(bytes),
        };
        self.written += bytes.len() as u64;
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.is_direct() => {
                self.closed = true;
                Ok(())
            }
            other => other
                .map_err(|e| anyhow::anyhow!("cannot write {}: {}", self.shown.display(), why(&e))),
        }
    }

    /// Bytes written so far.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// True once a direct output's reader went away.
    pub(crate) fn closed(&self) -> bool {
        self.closed
    }

    /// The open file of a direct output (a device, a FIFO, a descriptor), to write to as a
    /// stream; `None` for a file that is replaced at the end.
    pub(crate) fn into_file(self) -> Option<std::fs::File> {
        match self.sink {
            Sink::Direct(file) => Some(file),
            Sink::Replace { .. } => None,
        }
    }

    /// The answer is complete: FILE becomes it.
    pub(crate) fn commit(self) -> anyhow::Result<()> {
        let shown = self.shown;
        match self.sink {
            Sink::Replace { tmp, target } => {
                tmp.persist(&target).map_err(|e| {
                    anyhow::anyhow!("cannot write {}: {}", shown.display(), why(&e.error))
                })?;
            }
            Sink::Direct(mut file) => file
                .flush()
                .map_err(|e| anyhow::anyhow!("cannot write {}: {}", shown.display(), why(&e)))?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_through_our_descriptors_are_told_from_files() {
        for path in ["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/7"] {
            assert!(through_descriptor(Path::new(path)), "{path}");
        }
        let own = format!("/proc/{}/fd/1", std::process::id());
        assert!(through_descriptor(Path::new(&own)));
        for path in [
            "/dev/null",
            "/proc/self/fd/",
            "/dev/fd/x",
            "results.jsonl",
            "/proc/1/fd/1",
        ] {
            assert!(!through_descriptor(Path::new(path)), "{path}");
        }
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
        assert!(through_descriptor(&link), "a symlink to /dev/stdout");
    }
}
