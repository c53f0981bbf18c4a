//! The environment, read in one place: the process's variables are taken once, at the first
//! question, and every module asks here (the variables themselves are named beside the code
//! that gives them meaning, and listed in `miiflow --help`'s ENVIRONMENT). No other file reads
//! `std::env`'s variables; the shape test holds it so.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::sync::OnceLock;

fn snapshot() -> &'static HashMap<OsString, OsString> {
    static VARS: OnceLock<HashMap<OsString, OsString>> = OnceLock::new();
    VARS.get_or_init(|| std::env::vars_os().collect())
}

/// A variable as it is set (possibly empty, possibly not UTF-8).
pub(crate) fn var_os(name: impl AsRef<OsStr>) -> Option<OsString> {
    snapshot().get(name.as_ref()).cloned()
}

/// A variable that is set and UTF-8 (possibly empty).
pub(crate) fn var(name: impl AsRef<OsStr>) -> Option<String> {
    var_os(name).and_then(|v| v.into_string().ok())
}

/// A variable that is set, UTF-8 and not empty: set but empty is unset.
pub(crate) fn given(name: impl AsRef<OsStr>) -> Option<String> {
    var(name).filter(|v| !v.is_empty())
}
