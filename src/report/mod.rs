//! What a batch reports at its end: the counts and classes (`summary`), the latency
//! histogram (`latency`), the JUnit file (`junit`), and what is said on stderr (`said`).

pub(crate) mod junit;
pub(crate) mod latency;
pub(crate) mod said;
pub(crate) mod summary;
