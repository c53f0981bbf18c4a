//! RESULTS, the file a batch writes with `-o`: the result-line format (`line`), the journal a
//! batch appends to and `--resume` reads back (`journal`), the input records both stand for
//! (`records`: JSON lines or CSV), and `results merge` (`merge`).

pub(crate) mod journal;
pub(crate) mod line;
pub(crate) mod merge;
pub(crate) mod records;
