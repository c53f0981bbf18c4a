//! `miiflow results`: what a batch's results files become after the batch — `merge` (the
//! shards as one file), `diff` (what changed since another run) and `report` (an HTML page).

use crate::cli::{FailOnArg, ResultsCommand, ResultsDiffArgs, ResultsMergeArgs, ResultsReportArgs};
use crate::error::{Error, code};
use crate::output::safe::Mask;
use crate::report::compared::{self, DiffJunit, JsonStream, Listed};
use crate::report::diff::{self, Compare, FailOn, Source, Tally};
use crate::results::merge::{self, Merge};
use crate::results::read::{Merged, Ordered};
use crate::ui::Ui;

/// `mask` gives the active key's mask (the key, when one is set up, is masked in everything
/// quoted from the files): asked only by the commands that quote.
pub(crate) fn run(ui: &Ui, command: ResultsCommand, mask: &dyn Fn() -> Mask) -> anyhow::Result<()> {
    match command {
        ResultsCommand::Merge(args) => self::merge(ui, &args),
        ResultsCommand::Diff(args) => self::diff(ui, &args, &mask()),
        ResultsCommand::Report(args) => self::report(ui, &args, &mask()),
    }
}

fn merge(ui: &Ui, args: &ResultsMergeArgs) -> anyhow::Result<()> {
    merge::merge(
        ui,
        Merge {
            files: &args.files,
            output: args.output.as_deref(),
            input: args.input.as_deref(),
            format: args.batch_format.map(Into::into),
        },
    )
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> FailOn {
        match f {
            FailOnArg::Regression => FailOn::Regression,
            FailOnArg::Change => FailOn::Change,
            FailOnArg::Latency => FailOn::Latency,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// How wide a listed side is quoted in `--json`, JUnit and the HTML page, in characters.
const QUOTED: usize = 300;

/// The batch file's lines, read alongside the results for their first fields.
struct Inputs {
    reader: crate::results::records::Reader,
    next: u64,
    mask: Mask,
}

impl Inputs {
    /// `--input`: the batch file, opened (refused as `results merge --input` refuses it).
    fn open(args: &ResultsDiffArgs, mask: &Mask) -> anyhow::Result<Option<Inputs>> {
        let Some(path) = &args.input else {
            return Ok(None);
        };
        let source = crate::input::Source::from_arg(path);
        let format = crate::results::records::format(&source, args.batch_format.map(Into::into));
        Ok(Some(Inputs {
            reader: crate::results::records::open(&source, format)?.reader,
            next: 1,
            mask: mask.clone(),
        }))
    }

    fn fields(&mut self, n: u64) -> Option<String> {
        while self.next <= n {
            let (record, _) = self.reader.next(self.next)?;
            self.next += 1;
            if self.next > n {
                return record.first_fields().map(|f| self.mask.apply(&f));
            }
        }
        None
    }
}

fn compare(ratio: f64, floor: std::time::Duration, jq: Option<&str>) -> anyhow::Result<Compare> {
    if !ratio.is_finite() || ratio <= 1.0 {
        return Err(Error::BadInput(format!(
            "--latency-ratio {ratio}: must be more than 1 (1.5: slower at 1.5× the base's time)"
        ))
        .into());
    }
    Ok(Compare {
        jq: jq
            .map(crate::output::jq::Jq::compile)
            .transpose()
            .map_err(Error::BadInput)?,
        ratio,
        floor,
        limit: crate::limits::buffer()?,
    })
}

/// A file this command writes is none of those it reads: it would be replaced by what was
/// made from it.
fn not_read(flag: &str, out: &std::path::Path, read: &[&std::path::Path]) -> Result<(), Error> {
    match read.iter().find(|r| crate::fs::same_place(out, r)) {
        Some(r) => Err(Error::BadInput(format!(
            "{flag} {}: is {}, which this command reads; write it to another file",
            out.display(),
            r.display()
        ))),
        None => Ok(()),
    }
}

fn diff(ui: &Ui, args: &ResultsDiffArgs, mask: &Mask) -> anyhow::Result<()> {
    // Everything that can refuse the diff, before a word is said.
    if let Some(junit) = &args.junit {
        let read = [args.base.as_path(), args.new.as_path()];
        let read: Vec<&std::path::Path> = read.into_iter().chain(args.input.as_deref()).collect();
        not_read("--junit", junit, &read)?;
    }
    let compare = compare(args.latency_ratio, args.latency_floor, args.jq.as_deref())?;
    let mut base = Ordered::open(&args.base, mask)?;
    let mut new = Ordered::open(&args.new, mask)?;
    let mut inputs = Inputs::open(args, mask)?;
    let mut junit = args.junit.as_deref().map(DiffJunit::create).transpose()?;
    let fail_on = FailOn::from(args.fail_on);
    let mut json = match args.json {
        true => Some(JsonStream::start(ui, &args.base, &args.new)?),
        false => None,
    };
    let mut listed = Listed::default();
    let mut more = (0u64, 0u64);
    let tally = diff::diff(&mut base, &mut new, &compare, &mut |v| {
        if ui.closed() {
            // `--json | head`: no one reads on; the diff stops, and says so by its exit code.
            return Err(Error::ReaderGone.into());
        }
        if !v.differs() {
            return Ok(());
        }
        let noted = v.note(&compare, QUOTED);
        let fields = inputs.as_mut().and_then(|i| i.fields(v.line));
        if let Some(j) = &mut json {
            j.line(ui, &compared::line_json(&noted, fields.as_deref()))?;
        }
        if let Some(j) = &mut junit {
            j.case(&noted)?;
        }
        let (group, count) = match noted.kind {
            diff::Kind::Regressed => (listed.regressed.len(), &mut more.0),
            _ => (listed.others.len(), &mut more.1),
        };
        if group >= compared::LISTED {
            *count += 1;
        }
        listed.keep(&noted, fields.as_deref());
        Ok(())
    })?;
    let met = fail_on.met(&tally);
    let exit = if met.is_some() {
        code::FAILURE
    } else {
        code::OK
    };
    if let Some(j) = json {
        let closing = compared::closing_json(
            &tally,
            compare.ratio,
            compare.floor,
            fail_on,
            met.as_ref(),
            exit,
        );
        j.finish(ui, closing)?;
    } else {
        say_diff(ui, args, &tally, &listed, more);
    }
    // What stdout's reader did not get is no verdict: not 0, not the gate's 1.
    if ui.closed() {
        return Err(Error::ReaderGone.into());
    }
    let suite = format!("{} → {}", args.base.display(), args.new.display());
    if let Some(j) = junit {
        j.finish(&suite, &tally)?;
    }
    let md = compared::markdown(
        &args.base.display().to_string(),
        &args.new.display().to_string(),
        &tally,
        &listed,
        fail_on,
        met.as_ref(),
    );
    crate::report::summary::append_to_job_summary(ui, &md);
    match met {
        Some(m) => Err(Error::Batch {
            code: code::FAILURE,
            message: format!(
                "{} line(s) {} since {}; the first, line {} (--fail-on {})",
                m.count,
                m.what,
                args.base.display(),
                m.first,
                fail_on.key()
            ),
        }
        .into()),
        None => Ok(()),
    }
}

/// The terminal's form: the counts, the latency, the table (on stdout: it is the answer).
fn say_diff(ui: &Ui, args: &ResultsDiffArgs, t: &Tally, listed: &Listed, more: (u64, u64)) {
    let width = console::Term::stdout()
        .size_checked()
        .map_or(100, |(_, w)| usize::from(w))
        .max(40);
    let mut lines = vec![format!("{} → {}", args.base.display(), args.new.display())];
    lines.extend(compared::counts_in_words(t));
    lines.push(format!(
        "  latency {}",
        compared::latency_in_words(t).join(" · ")
    ));
    if t.base_untimed + t.new_untimed > 0 {
        lines.push(format!(
            "  ({} base and {} new lines have no time: not sent, or written before results \
             recorded durations)",
            t.base_untimed, t.new_untimed
        ));
    }
    lines.extend(compared::table(listed, more, width));
    let mut text = lines.join("\n");
    text.push('\n');
    let _ = ui.out(text.as_bytes());
}

fn report(ui: &Ui, args: &ResultsReportArgs, mask: &Mask) -> anyhow::Result<()> {
    let mut read: Vec<&std::path::Path> = args.files.iter().map(|p| p.as_path()).collect();
    read.extend(args.baseline.as_deref());
    not_read("-o", &args.output, &read)?;
    let compare = compare(
        1.5,
        std::time::Duration::from_millis(50),
        args.jq.as_deref(),
    )?;
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        files.push(Ordered::open(path, mask)?);
    }
    let mut base = args
        .baseline
        .as_deref()
        .map(|p| Ordered::open(p, mask))
        .transpose()?;
    let mut out = crate::output::OutputFile::create(&args.output)?;
    let mut new = Merged::new(files)?;
    let mut summary = crate::report::summary::Summary::default();
    let mut listed = Listed::default();
    // Each line of the run counted as the batch counted it; with a baseline, judged too.
    let mut counting = Counting {
        inner: &mut new,
        summary: &mut summary,
    };
    let tally = match &mut base {
        Some(base) => Some(diff::diff(base, &mut counting, &compare, &mut |v| {
            if v.differs() {
                listed.keep(&v.note(&compare, QUOTED), None);
            }
            Ok(())
        })?),
        None => {
            while counting.next()?.is_some() {}
            None
        }
    };
    let name = names(&args.files);
    let closing = crate::report::summary::Closing {
        summary: &summary,
        name: &name,
        // Files hold no batch's wall time: the page says none.
        wall: std::time::Duration::ZERO,
        shard: None,
        not_run: None,
        exit: crate::batch::exit_of(&summary),
    };
    let base_name = args.baseline.as_deref().map(|p| p.display().to_string());
    let met = tally.as_ref().and_then(|t| FailOn::Regression.met(t));
    let page = crate::report::html::page(&crate::report::html::Page {
        closing: &closing,
        timed: false,
        diff: tally.as_ref().map(|t| crate::report::html::Since {
            base: base_name.as_deref().unwrap_or_default(),
            tally: t,
            listed: &listed,
            fail_on: FailOn::Regression,
            met: met.as_ref(),
        }),
    });
    out.write(page.as_bytes())?;
    out.commit()?;
    if !ui.quiet() {
        ui.tell(&format!(
            "{}: a report of {} line(s), {} failed",
            args.output.display(),
            summary.done,
            summary.failed
        ));
    }
    Ok(())
}

/// The files' names as the page's title says them.
fn names(files: &[std::path::PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

/// A source that counts every result it hands on in the summary, as a batch counts its
/// lines (the one count every report renders).
struct Counting<'a> {
    inner: &'a mut Merged,
    summary: &'a mut crate::report::summary::Summary,
}

impl Source for Counting<'_> {
    fn next(&mut self) -> Result<Option<crate::results::read::ResultLine>, Error> {
        let next = self.inner.next()?;
        if let Some(r) = &next {
            self.summary.count(r.line, &r.outcome, r.took);
            self.summary.lines = self.summary.lines.max(r.line);
        }
        Ok(next)
    }
}
