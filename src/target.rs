//! What a run is sent to: an agent or a workflow (Miiflow's two contracts). Pure.

use crate::error::Error;

/// What a run is sent to: Miiflow publishes two contracts (see docs/API.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunTarget {
    /// `POST {base}/api/v1/agent_run` with `{"agent_id": ID, "input": …}`.
    Agent(String),
    /// `POST {base}/v1/workflows/{ID}/run` with `{"input": …}`.
    Workflow(String),
}

impl RunTarget {
    /// A workflow id becomes one path segment and must never change the path: `/`, `?`, `#`,
    /// `\` and `.`/`..` are refused; anything else is percent-encoded.
    pub(crate) fn workflow(id: &str) -> Result<RunTarget, Error> {
        let bad = id.is_empty()
            || id == "."
            || id == ".."
            || id
                .chars()
                .any(|c| matches!(c, '/' | '?' | '#' | '\\') || c.is_control());
        if bad {
            return Err(Error::BadInput(format!(
                "workflow id '{}': an id is one path segment (no /, ?, #, \\ or ..)",
                crate::output::safe::escape_controls(id)
            )));
        }
        Ok(RunTarget::Workflow(id.to_owned()))
    }

    pub(crate) fn id(&self) -> &str {
        match self {
            RunTarget::Agent(id) | RunTarget::Workflow(id) => id,
        }
    }
}

/// An agent with no id yet: only a history entry being filled in starts from it.
impl Default for RunTarget {
    fn default() -> RunTarget {
        RunTarget::Agent(String::new())
    }
}

/// The kind's name, as the history records it and messages say it.
impl RunTarget {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            RunTarget::Agent(_) => "agent",
            RunTarget::Workflow(_) => "workflow",
        }
    }

    /// A recorded kind and id (`history rerun`): an unknown kind is an agent, as before
    /// workflows were recorded.
    pub(crate) fn recorded(kind: &str, id: &str) -> RunTarget {
        match kind {
            "workflow" => RunTarget::Workflow(id.to_owned()),
            _ => RunTarget::Agent(id.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_ids_are_one_path_segment() {
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a\\b", "a\nb"] {
            assert!(RunTarget::workflow(bad).is_err(), "{bad:?}");
        }
        let t = RunTarget::workflow("wf 1%").unwrap();
        assert_eq!((t.kind(), t.id()), ("workflow", "wf 1%"));
    }

    #[test]
    fn recorded_kinds_come_back_as_targets() {
        assert_eq!(
            RunTarget::recorded("workflow", "wf_7"),
            RunTarget::Workflow("wf_7".into())
        );
        assert_eq!(
            RunTarget::recorded("agent", "a"),
            RunTarget::Agent("a".into())
        );
        assert_eq!(RunTarget::recorded("", "a"), RunTarget::Agent("a".into()));
    }
}
