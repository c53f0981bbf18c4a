//! RESULTS, the file a batch writes with `-o`: the result-line format (`line`), the journal a
//! batch appends to and `--resume` reads back (`journal`), the input records both stand for
//! (`records`: JSON lines or CSV), `results merge` (`merge`), and results files read
//! whole in line order (`read`: what `results diff` and `results report` read).

pub(crate) mod journal;
pub(crate) mod line;
pub(crate) mod merge;
pub(crate) mod read;
pub(crate) mod records;
