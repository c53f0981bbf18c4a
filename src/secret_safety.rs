//! The key never shows through any surface that quotes a server: one property test drives
//! every renderer — the stderr reason and the Ui, RESULTS' line, the JUnit file, the summary
//! JSON, the job summary's Markdown, the history entry, an MCP tool error, an unmet
//! expectation — with the key at every offset around each renderer's cut, and cuts of every
//! length for the quoting type itself.

use std::time::Duration;

use crate::output::safe::{Mask, Quoted};
use crate::report::junit::Junit;
use crate::report::summary::{Closing, Summary};
use crate::results::line::Outcome;

const KEY: &str = "mk_live_2f8c1e9a7b3d4c65aa91f0";
const MASKED: &str = "mk_…91f0";

/// The longest run of the key's characters in `text` (escapes a format adds taken out first:
/// Markdown's backslashes, JSON's and XML's are undone by their parsers before this).
fn longest_run(text: &str) -> usize {
    let text = text.replace('\\', "");
    (1..=KEY.len())
        .rev()
        .find(|n| (0..=KEY.len() - n).any(|i| text.contains(&KEY[i..i + n])))
        .unwrap_or(0)
}

/// A server's error answer with the key at `offset` characters into its message.
fn answer(offset: usize) -> String {
    let before: String = "é, <b>&_*|`".chars().cycle().take(offset).collect();
    serde_json::json!({ "error": { "message": format!("{before}{KEY} and more after it") } })
        .to_string()
}

/// Everything each surface makes of `answer`.
fn rendered(answer: &str, dir: &std::path::Path, n: u64) -> Vec<(&'static str, String)> {
    let mask = Mask::new(KEY, MASKED);
    let key = crate::credentials::ApiKey::parse(KEY).unwrap();
    let mut out = Vec::new();
    // stderr: the reason of an error answer, and the Ui that says it.
    let reason = crate::output::reason::status_reason(500, answer.as_bytes(), &|t| mask.apply(t));
    let ui = crate::ui::Ui::buffered(crate::ui::Terminal::default(), false);
    ui.mask_key(mask.clone());
    ui.warn(answer);
    out.push(("reason", reason));
    out.push(("stderr", ui.written().1));
    // A batch line's outcome as the engine makes it (masked when made), then each report.
    let failed = Outcome::Failed {
        error: mask.apply(answer),
        code: 6,
        sent: true,
    };
    let refused = Outcome::Answer {
        status: 500,
        body: crate::output::embed(mask.apply(answer).as_bytes()),
        filter_error: None,
        unmet: Some(mask.apply(answer)),
    };
    let path = dir.join(format!("junit-{n}.xml"));
    let mut junit = Junit::create(&path, key.clone()).unwrap();
    let mut summary = Summary::default();
    for (line, outcome) in [(1, &failed), (2, &refused)] {
        out.push((
            "RESULTS",
            String::from_utf8(outcome.to_line(line, None)).unwrap(),
        ));
        junit.case(line, Some("case"), outcome, Some(Duration::from_millis(5)));
        summary.count(line, outcome, Some(Duration::from_millis(5)));
    }
    let closing = Closing {
        summary: &summary,
        name: "in.jsonl",
        wall: Duration::from_secs(1),
        shard: None,
        not_run: None,
        exit: 1,
    };
    out.push(("summary JSON", closing.to_json().to_string()));
    out.push(("job summary", closing.to_markdown()));
    junit.finish(&closing).unwrap();
    out.push(("JUnit", std::fs::read_to_string(&path).unwrap()));
    // The history: an entry of the whole answer, and of an error quoting it.
    let mut entry = crate::history::Entry {
        output: answer.as_bytes().to_vec(),
        ..Default::default()
    };
    entry.finish(Duration::ZERO, 1, Some(answer.to_owned()), &key);
    out.push((
        "history answer",
        String::from_utf8_lossy(&entry.output).into_owned(),
    ));
    out.push(("history error", entry.error.unwrap_or_default()));
    // An MCP tool error.
    let def = crate::mcp::tools::ToolDef {
        name: "t".into(),
        alias: "t".into(),
        target: crate::request::RunTarget::Agent("agent_t".into()),
        items: Vec::new(),
        description: String::new(),
        params: Vec::new(),
        output: None,
    };
    let mcp = crate::mcp::serve::refused(500, answer.as_bytes(), &def, "default", &mask);
    out.push(("MCP", mcp));
    // An unmet expectation quoting what it yielded.
    let expect = crate::expect::Expectations::compile(&[".error.message".into()], None)
        .unwrap()
        .unwrap();
    let unmet = crate::client::runtime()
        .unwrap()
        .block_on(expect.check(answer.as_bytes().to_vec().into(), None, &mask))
        .unwrap_err();
    out.push(("--expect", unmet.to_string()));
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Across the cuts of every renderer (120, 300, 1,024, 2,048 characters), no surface
    /// shows more of the key than its masked form does (`mk_` and its last four characters).
    #[test]
    fn no_surface_shows_the_key_at_any_offset(offset in 0usize..2200, near in 0usize..12) {
        // Half of the cases put the key just before one of the cuts.
        let cuts = [120usize, 300, 1024, 2048];
        let offset = match offset % 2 {
            0 => cuts[offset / 2 % cuts.len()].saturating_sub(near + 20),
            _ => offset,
        };
        let dir = tempfile::tempdir().unwrap();
        for (surface, text) in rendered(&answer(offset), dir.path(), 1) {
            proptest::prop_assert!(
                longest_run(&text) <= 4,
                "{surface} shows the key (offset {offset}): {text}"
            );
        }
    }

    /// The quoting type itself: any cut of any text, the key anywhere in it.
    #[test]
    fn a_quote_is_cut_after_masking_at_any_length(offset in 0usize..400, max in 0usize..420) {
        let text = answer(offset);
        let mask = Mask::new(KEY, MASKED);
        for quoted in [Quoted::new(&text, &mask).cut(max), Quoted::start_of(text.as_bytes(), max, &mask)] {
            let shown = quoted.to_string();
            proptest::prop_assert!(longest_run(&shown) <= 4, "{shown}");
        }
    }
}

/// The test can fail: a surface that cut before masking would show the key's start.
#[test]
fn the_run_finder_sees_a_key_cut_short() {
    let cut = &KEY[..KEY.len() - 3];
    assert!(longest_run(&format!("x{cut}")) > 4);
    assert!(longest_run(&format!("quoted: {MASKED}")) <= 4);
    assert!(
        longest_run("mk\\_live\\_2f8c1e9a") > 4,
        "Markdown's escapes are seen through"
    );
}
