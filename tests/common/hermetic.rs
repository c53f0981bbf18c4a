//! The environment a child `miiflow` must not inherit from a developer's shell: the one list,
//! shared by the tests (`tests/cli/support.rs`) and the benchmark (`benches/perf.rs`).

/// Variables that would change what a test sees or what a benchmark measures (a key or base
/// URL of the developer's, colour switches, backtraces, proxies: loopback only; and a CI
/// runner's job summary and shard variables, which a batch reads).
pub(crate) const SCRUB: &[&str] = &[
    "MIIFLOW_API_KEY",
    "MIIFLOW_BASE_URL",
    "MIIFLOW_PROFILE",
    "MIIFLOW_CONFIG_DIR",
    "MIIFLOW_DATA_DIR",
    "MIIFLOW_HISTORY",
    "NO_COLOR",
    "CLICOLOR_FORCE",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "GITHUB_STEP_SUMMARY",
    "CI_NODE_INDEX",
    "CI_NODE_TOTAL",
    "CIRCLE_NODE_INDEX",
    "CIRCLE_NODE_TOTAL",
    "BUILDKITE_PARALLEL_JOB",
    "BUILDKITE_PARALLEL_JOB_COUNT",
    "CLOUD_RUN_TASK_INDEX",
    "CLOUD_RUN_TASK_COUNT",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// `cmd` without any of [`SCRUB`].
#[allow(dead_code)] // the tests use the list with assert_cmd's own Command
pub(crate) fn scrubbed(cmd: &mut std::process::Command) -> &mut std::process::Command {
    for var in SCRUB {
        cmd.env_remove(var);
    }
    cmd
}
