//! What a batch reports at its end: the counts and classes (`summary`), the latency
//! histogram (`latency`), the JUnit file (`junit`), what is said on stderr (`said`), and the
//! HTML page (`html`); and what changed between two runs of a suite (`diff`: the verdicts,
//! `compared`: the forms they are said in).

pub(crate) mod compared;
pub(crate) mod diff;
pub(crate) mod html;
pub(crate) mod junit;
pub(crate) mod latency;
pub(crate) mod said;
pub(crate) mod summary;
