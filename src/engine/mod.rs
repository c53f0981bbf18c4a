//! The engine: a command's request planned once ([`plan`]: the server, the key, the network
//! options, the filter and expectations, where it is recorded), sent by a [`Job`] built in one
//! place (the sender, the one body reader, `--jq` with its deadline, `-v` traces), and ended as
//! one outcome that each surface renders: the printer of `run` and `api` ([`mod@print`]), a batch
//! line, an MCP result. [`single`] is a single request as the command line asks for it, with
//! `--curl` and `--dry-run`; [`record`] its history entry.

mod job;
pub(crate) mod plan;
mod print;
mod record;
mod send;
pub(crate) mod single;

pub(crate) use job::{Called, Collect, Fetched, Job, Pace, Setup, head, is_events};
pub(crate) use plan::{Act, Asked, Expect, Net, Plan, Shown};
pub(crate) use record::entry;
pub(crate) use send::{Exchanged, send};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Request, RunTarget};

    #[test]
    fn a_runs_entry_keeps_the_inputs_own_bytes_and_the_target() {
        let base = reqwest::Url::parse("https://api.miiflow.ai/").unwrap();
        let input = b"{\"n\": 1.50, \"big\": 12345678901234567890}".to_vec();
        let target = RunTarget::Workflow("wf 7".into());
        let req = Request::run(&base, &target, input.clone());
        let e = entry("ci", &base, &req, &target);
        assert_eq!(e.input, input, "the input, byte for byte");
        assert_eq!(e.endpoint, "POST /v1/workflows/wf%207/run");
        assert_eq!(
            (e.profile.as_str(), e.base_url.as_str()),
            ("ci", "https://api.miiflow.ai")
        );
        assert_eq!(e.target, target);
        let agent = RunTarget::Agent("agent_a".into());
        let req = Request::run(&base, &agent, b"[1,2]".to_vec());
        assert_eq!(entry("ci", &base, &req, &agent).input, b"[1,2]".to_vec());
    }
}
