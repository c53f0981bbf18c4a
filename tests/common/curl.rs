//! curl as a plain client of the stand-in (its answers seen as any client sees them), shared by
//! the CLI's tests and the stand-in's own.

/// `curl -sS ARGS`: the status code and the body.
pub(crate) fn curl(args: &[&str]) -> (u16, String) {
    let out = std::process::Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let (body, code) = text.rsplit_once('\n').expect("a status line");
    (code.parse().expect("a status"), body.to_owned())
}
