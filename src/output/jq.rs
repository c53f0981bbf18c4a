//! `--jq`: a jq filter (jaq) applied in-process. The filter runs on a thread of its own with a
//! large stack, so that the caller can give up on it (Ctrl-C, `--timeout`) while it runs;
//! input depth and output size are bounded, so a hostile answer cannot crash or exhaust us.

use std::sync::Arc;

use super::pretty::pretty_json;

type Filter = jaq_core::compile::Filter<jaq_core::Native<jaq_core::data::JustLut<jaq_json::Val>>>;

/// How deep an answer given to a filter may nest (jq's own parser stops at 10,000).
pub(crate) const MAX_DEPTH: usize = 10_000;

/// The filter's thread: deep values recurse, and a stack this size holds [`MAX_DEPTH`]
/// levels with room to spare (it is reserved, not committed, until used).
const STACK: usize = 512 * 1024 * 1024;

/// A compiled `--jq` filter.
#[derive(Clone)]
pub(crate) struct Jq {
    filter: Arc<Filter>,
}

/// How results are printed, as jq's -r and -c do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Render {
    pub(crate) raw: bool,
    pub(crate) compact: bool,
    pub(crate) color: bool,
}

/// Why a filter gave no result.
#[derive(Debug)]
pub(crate) enum JqError {
    /// The answer is not JSON, or nests deeper than [`MAX_DEPTH`].
    Input(String),
    /// The filter failed (jq's own error).
    Filter(String),
    /// The results grew past the buffer limit.
    TooLarge(usize),
}

impl std::fmt::Display for JqError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JqError::Input(m) | JqError::Filter(m) => f.write_str(m),
            JqError::TooLarge(limit) => write!(
                f,
                "the filter's results exceed {} ({})",
                crate::limits::show_size(*limit as u64),
                crate::limits::BUFFER_ENV
            ),
        }
    }
}

impl std::error::Error for JqError {}

impl Jq {
    /// Compiles a filter; errors are usage errors (exit 2), found before anything is sent.
    pub(crate) fn compile(code: &str) -> Result<Jq, String> {
        use jaq_core::load::{Arena, File, Loader};
        vet(code).map_err(|why| format!("--jq '{}': {why}", short(code)))?;
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errs| {
                use jaq_core::load::Error;
                // Each error says what was expected and where (the rest of the filter from there).
                let at = |rest: &str| match rest.is_empty() {
                    true => "at the end".to_owned(),
                    false => format!("at '{}'", rest.chars().take(20).collect::<String>()),
                };
                let what: Vec<String> = errs
                    .into_iter()
                    .flat_map(|(_, e)| match e {
                        Error::Io(io) => io.into_iter().map(|(p, m)| format!("{p}: {m}")).collect(),
                        Error::Lex(lex) => lex
                            .into_iter()
                            .map(|(expect, rest)| {
                                format!("expected {} {}", expect.as_str(), at(rest))
                            })
                            .collect(),
                        Error::Parse(parse) => parse
                            .into_iter()
                            .map(|(expect, rest)| {
                                format!("expected {} {}", expect.as_str(), at(rest))
                            })
                            .collect::<Vec<_>>(),
                    })
                    .collect();
                format!("--jq '{code}': {}", what.join("; "))
            })?;
        let filter = jaq_core::Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let names: Vec<String> = errs
                    .into_iter()
                    .flat_map(|(_, es)| es.into_iter().map(|(name, _)| name.to_string()))
                    .collect();
                format!("--jq '{code}': unknown name(s): {}", names.join(", "))
            })?;
        Ok(Jq {
            filter: Arc::new(filter),
        })
    }

    /// Runs the filter on a JSON body and renders each result as jq would, stopping at
    /// `limit` bytes of results. Blocking: see [`Jq::run`] for the stoppable form.
    pub(crate) fn apply(
        &self,
        body: &[u8],
        render: Render,
        limit: usize,
    ) -> Result<Vec<u8>, JqError> {
        use jaq_core::{Ctx, Vars, data, unwrap_valr};
        let depth = crate::json::max_depth(body);
        if depth > MAX_DEPTH {
            return Err(JqError::Input(format!(
                "--jq: the answer nests {depth} levels deep; the filter takes at most {MAX_DEPTH}"
            )));
        }
        let input = jaq_json::read::parse_single(body)
            .map_err(|e| JqError::Input(format!("--jq: the answer is not JSON ({e})")))?;
        let ctx = Ctx::<data::JustLut<jaq_json::Val>>::new(&self.filter.lut, Vars::new([]));
        let mut out = Vec::new();
        for result in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = result.map_err(|e| JqError::Filter(format!("--jq: {e}")))?;
            match &value {
                jaq_json::Val::TStr(s) if render.raw => out.extend_from_slice(s),
                _ => {
                    let text = value.to_string();
                    match (render.compact, pretty_json(text.as_bytes(), render.color)) {
                        (false, Some(p)) => out.extend_from_slice(&p[..p.len() - 1]),
                        _ => out.extend_from_slice(text.as_bytes()),
                    }
                }
            }
            out.push(b'\n');
            if out.len() > limit {
                return Err(JqError::TooLarge(limit));
            }
        }
        Ok(out)
    }

    /// [`Jq::apply`] on a thread of its own: the caller's future can be dropped (Ctrl-C, a
    /// timeout) while the filter runs. The thread then ends with the process.
    pub(crate) async fn run(
        &self,
        body: bytes::Bytes,
        render: Render,
        limit: usize,
    ) -> Result<Vec<u8>, JqError> {
        let jq = self.clone();
        let depth = crate::json::max_depth(&body);
        on_own_thread(depth, move || jq.apply(&body, render, limit))
            .await
            .unwrap_or_else(|e| Err(JqError::Filter(format!("--jq: {e}"))))
    }
}

/// The longest filter taken, in bytes: a filter is a command-line word.
const MAX_FILTER: usize = 64 * 1024;

/// How deep a filter may nest (pipes, brackets, calls): evaluating it recurses that deep.
pub(crate) const MAX_NESTING: usize = 500;

/// A filter as an error message quotes it.
fn short(code: &str) -> String {
    match code.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &code[..at]),
        None => code.to_owned(),
    }
}

/// Refuses, before anything is sent, the filters whose evaluation could recurse without a
/// bound and crash the process (a stack overflow is not an error Rust can recover from): a
/// filter nested more than [`MAX_NESTING`] levels (5,000 pipes), and a filter that defines a
/// recursive function (`def f: [f]; f`). jq's own recursive builtins (`recurse`, `walk`,
/// `paths`, `..`) recurse only as deep as the answer, which is bounded ([`MAX_DEPTH`]). A
/// filter that does not parse is left to the compiler, whose words are better.
fn vet(code: &str) -> Result<(), String> {
    use jaq_core::load::{Lexer, Parser};
    if code.len() > MAX_FILTER {
        return Err(format!(
            "the filter is {} bytes long; at most {MAX_FILTER} are taken",
            code.len()
        ));
    }
    let Ok(tokens) = Lexer::new(code).lex() else {
        return Ok(());
    };
    let Ok(term) = Parser::new(&tokens).parse(|p| p.term()) else {
        return Ok(());
    };
    walk(&term, 0, &mut Vec::new(), None)
}

/// The terms a destructuring pattern holds (object keys may be computed).
fn in_pattern<'a, 's>(
    p: &'a jaq_core::load::parse::Pattern<&'s str>,
    out: &mut Vec<&'a jaq_core::load::parse::Term<&'s str>>,
) {
    use jaq_core::load::parse::Pattern;
    match p {
        Pattern::Var(_) => {}
        Pattern::Arr(ps) => ps.iter().for_each(|p| in_pattern(p, out)),
        Pattern::Obj(kv) => kv.iter().for_each(|(k, p)| {
            out.push(k);
            in_pattern(p, out);
        }),
    }
}

/// A call to `name` with `arity` arguments, inside the definitions of `defining`: refused
/// unless it is the innermost one's call from a tail position.
fn check_call(
    name: &str,
    arity: usize,
    defining: &[(&str, usize)],
    tail: Option<(&str, usize)>,
) -> Result<(), String> {
    let me = (name, arity);
    if defining.contains(&me) && tail != Some(me) {
        return Err(format!(
            "it defines '{name}' in terms of itself; a recursive definition could recurse \
             without end and crash, so it is not run (jq's recurse, walk, paths, until and \
             while do this work within bounds)"
        ));
    }
    Ok(())
}

/// Walks a parsed filter (see [`vet`]): `depth` levels in, inside the definitions of
/// `defining` (name and arity), whose bodies must not call them — except the innermost one
/// from a tail position (`tail`: the whole body, the right of a pipe, a branch), which jaq runs
/// without growing the stack (`def f: f; f` loops until `--timeout`, it does not crash).
fn walk<'s>(
    term: &jaq_core::load::parse::Term<&'s str>,
    depth: usize,
    defining: &mut Vec<(&'s str, usize)>,
    tail: Option<(&'s str, usize)>,
) -> Result<(), String> {
    use jaq_core::load::lex::StrPart;
    use jaq_core::load::parse::{BinaryOp, Term};
    use jaq_core::path::Part;
    if depth > MAX_NESTING {
        return Err(format!(
            "the filter nests more than {MAX_NESTING} levels deep; a filter this deep could \
             exhaust the stack"
        ));
    }
    let d = depth + 1;
    let all = |terms: &mut dyn Iterator<Item = &Term<&'s str>>,
               defining: &mut Vec<(&'s str, usize)>| {
        for t in terms {
            walk(t, d, defining, None)?;
        }
        Ok(())
    };
    match term {
        Term::Id | Term::Recurse | Term::Num(_) | Term::Var(_) | Term::Break(_) => Ok(()),
        Term::Str(_, parts) => all(
            &mut parts.iter().filter_map(|p| match p {
                StrPart::Term(t) => Some(t),
                _ => None,
            }),
            defining,
        ),
        Term::Arr(t) => all(&mut t.iter().map(|b| b.as_ref()), defining),
        Term::Obj(pairs) => all(
            &mut pairs
                .iter()
                .flat_map(|(k, v)| std::iter::once(k).chain(v.iter())),
            defining,
        ),
        Term::Neg(t) | Term::Label(_, t) => walk(t, d, defining, None),
        Term::BinOp(l, BinaryOp::Pipe(pattern), r) => {
            let mut keys = Vec::new();
            if let Some(p) = pattern {
                in_pattern(p, &mut keys);
            }
            all(&mut std::iter::once(l.as_ref()).chain(keys), defining)?;
            walk(r, d, defining, tail)
        }
        Term::BinOp(l, _, r) => all(&mut [l.as_ref(), r.as_ref()].into_iter(), defining),
        Term::Fold(_, t, pattern, args) => {
            let mut keys = Vec::new();
            in_pattern(pattern, &mut keys);
            all(
                &mut std::iter::once(t.as_ref()).chain(keys).chain(args.iter()),
                defining,
            )
        }
        Term::TryCatch(t, c) => all(
            &mut std::iter::once(t.as_ref()).chain(c.iter().map(|b| b.as_ref())),
            defining,
        ),
        Term::IfThenElse(branches, otherwise) => {
            all(&mut branches.iter().map(|(c, _)| c), defining)?;
            for branch in branches
                .iter()
                .map(|(_, t)| t)
                .chain(otherwise.iter().map(|b| b.as_ref()))
            {
                walk(branch, d, defining, tail)?;
            }
            Ok(())
        }
        Term::Def(defs, rest) => {
            for def in defs {
                let me = (def.name, def.args.len());
                defining.push(me);
                let checked = walk(&def.body, d, defining, Some(me));
                defining.pop();
                checked?;
            }
            walk(rest, d, defining, tail)
        }
        Term::Call(name, args) => {
            check_call(name, args.len(), defining, tail)?;
            all(&mut args.iter(), defining)
        }
        Term::Path(t, path) => {
            let parts = path.0.iter().flat_map(|(part, _)| match part {
                Part::Index(i) => vec![i],
                Part::Range(a, b) => a.iter().chain(b.iter()).collect(),
            });
            all(&mut std::iter::once(t.as_ref()).chain(parts), defining)
        }
    }
}

/// How deep a value may nest to be filtered on the runtime's blocking threads (their stack:
/// [`crate::client::runtime`]'s); deeper ones get a thread of their own with a stack for
/// [`MAX_DEPTH`] levels. (A thread per filter cost a batch line ~120 µs: a 10,000-line batch
/// with `--jq` or `--expect` took 3× as long as without.)
const SHALLOW: usize = 64;

/// Runs `work` (a filter, a schema check: they recurse into a value `depth` levels deep) off
/// the async threads, with a stack that holds it; the caller's future can be dropped while it
/// runs (the work then ends on its own, or with the process).
pub(crate) async fn on_own_thread<T: Send + 'static>(
    depth: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    if depth <= SHALLOW {
        return tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| format!("the filter stopped: {e}"));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("jq".into())
        .stack_size(STACK)
        .spawn(move || {
            let _ = tx.send(work());
        })
        .map_err(|e| format!("cannot start the filter: {e}"))?;
    rx.await.map_err(|_| "the filter stopped".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_LIMIT: usize = usize::MAX;

    #[test]
    fn jq_keeps_big_numbers_and_raw_strings() {
        let jq = Jq::compile(".n, .s").unwrap();
        let render = Render {
            raw: true,
            ..Render::default()
        };
        let out = jq
            .apply(
                br#"{"n":1234567890123456789012345,"s":"a\"b"}"#,
                render,
                NO_LIMIT,
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1234567890123456789012345\na\"b\n"
        );
        assert!(Jq::compile(".[").is_err());
        assert!(Jq::compile("nosuchfn").is_err());
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let jq = Jq::compile(".").unwrap();
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = jq
            .apply(deep.as_bytes(), Render::default(), NO_LIMIT)
            .unwrap_err();
        assert!(err.to_string().contains("levels deep"), "{err}");
        let endless = Jq::compile("range(1e15)").unwrap();
        let err = endless.apply(b"null", Render::default(), 1000).unwrap_err();
        assert!(matches!(err, JqError::TooLarge(1000)), "{err}");
    }

    #[test]
    fn answers_at_the_shallow_bound_are_filtered_on_the_blocking_threads() {
        let jq = Jq::compile("[paths] | length").unwrap();
        let deep = format!("{}{}", "[".repeat(SHALLOW), "]".repeat(SHALLOW));
        let out = crate::client::runtime()
            .unwrap()
            .block_on(jq.run(deep.into(), Render::default(), NO_LIMIT))
            .unwrap();
        assert_eq!(out, format!("{}\n", SHALLOW - 1).as_bytes());
    }

    #[test]
    fn the_deepest_allowed_answer_is_filtered_on_its_thread() {
        let jq = Jq::compile("[..] | length").unwrap();
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let out = crate::client::runtime()
            .unwrap()
            .block_on(jq.run(deep.into(), Render::default(), NO_LIMIT))
            .unwrap();
        assert_eq!(out, format!("{MAX_DEPTH}\n").as_bytes());
    }
}
