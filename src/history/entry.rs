//! One run, as recorded: the entry every recorder takes (a single run's, a batch line's, an MCP
//! call's), masked and cut once when it is finished.

use std::time::Duration;

use crate::target::RunTarget;

/// The most of an answer kept per entry; a longer answer is cut there and flagged.
pub(crate) const MAX_ANSWER: usize = 1024 * 1024;

/// One run, as recorded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    pub(crate) profile: String,
    pub(crate) base_url: String,
    /// `POST /api/v1/agent_run`, `POST /v1/workflows/ID/run`.
    pub(crate) endpoint: String,
    /// The agent or workflow run.
    pub(crate) target: RunTarget,
    pub(crate) input: bytes::Bytes,
    pub(crate) status: Option<u16>,
    /// The answer as received (capped at [`MAX_ANSWER`]).
    pub(crate) output: Vec<u8>,
    pub(crate) output_cut: bool,
    pub(crate) duration: Duration,
    pub(crate) exit: u8,
    /// Why the run failed, when it did.
    pub(crate) error: Option<String>,
    /// For a batch line: the batch input's name and the line.
    pub(crate) batch: Option<(String, u64)>,
    /// The expectations the answer was checked against (`--expect …`), as given.
    pub(crate) expect: Option<String>,
    /// What asked for the run when not the command line: `mcp` (a tool call), with the tool.
    pub(crate) via: Option<String>,
}

/// How much more than [`MAX_ANSWER`] is kept until the answer is masked: a key that starts
/// before the cut is then whole, and masked, before the answer is cut to its size.
pub(super) const MASK_ROOM: usize = 4096;

impl Entry {
    /// Replaces the key wherever the answer or the error repeats it, then cuts the answer to
    /// [`MAX_ANSWER`]: masked first, cut after, so no part of a key across the cut is kept.
    pub(crate) fn mask(&mut self, key: &crate::credentials::ApiKey) {
        use crate::output::safe::{Masker, cut_partial, mask};
        let (secret, masked) = (key.expose(), key.masked());
        if key.maskable() {
            self.output = Masker::all(secret, &masked, &self.output);
            if let Some(e) = &mut self.error {
                *e = mask(e, secret, &masked);
            }
        }
        if self.output.len() > MAX_ANSWER || self.output_cut {
            self.output_cut = true;
            self.output.truncate(MAX_ANSWER);
            if key.maskable() {
                // What is left at the cut may be the start of a key whose rest was cut off.
                let keep = cut_partial(&self.output, secret.as_bytes());
                self.output.truncate(keep);
            }
        }
    }

    /// The entry of a run that ended: how long it took, its exit code, why it failed (when
    /// it did); then the key masked in the answer and the error, the answer cut to size.
    pub(crate) fn finish(
        &mut self,
        took: Duration,
        exit: u8,
        error: Option<String>,
        key: &crate::credentials::ApiKey,
    ) {
        self.duration = took;
        self.exit = exit;
        self.error = error;
        self.mask(key);
    }

    /// Keeps the start of an answer (a little more than [`MAX_ANSWER`], until [`Entry::mask`]
    /// masks it and cuts it to size), flagging a cut.
    pub(crate) fn keep_output(&mut self, bytes: &[u8]) {
        let room = (MAX_ANSWER + MASK_ROOM).saturating_sub(self.output.len());
        if bytes.len() > room {
            self.output_cut = true;
        }
        self.output
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}
