//! `miiflow api [-X METHOD] PATH [ITEM…]`: an authenticated request to any path of the API, as
//! `gh api` does, with everything `run` has: the key, the base URL and its origin rule, the
//! output rules, exit codes, retries and timeouts.

use crate::cli::ApiArgs;
use crate::context::Context;
use crate::engine::single::{self, Given, Single, What};
use crate::engine::{Asked, Expect};
use crate::error::Error;
use crate::input::Source;

pub(crate) fn run(ctx: &Context, args: ApiArgs) -> anyhow::Result<()> {
    let single = Single {
        what: What::Call {
            method: args.method.as_deref().map(method).transpose()?,
            path: args.path.clone(),
        },
        items: &args.items,
        given: Given::Input(args.input.as_deref().map(Source::from_arg)),
        act: args.out.act(),
        shown: args.out.shown(),
        asked: Asked {
            net: args.net.net(),
            jq: args.out.jq.clone(),
            expect: Expect::None,
            no_history: true,
        },
    };
    single::run(ctx, single)
}

/// `-X METHOD` (without it: GET, or POST when there is a body).
fn method(m: &str) -> Result<reqwest::Method, Error> {
    reqwest::Method::from_bytes(m.to_ascii_uppercase().as_bytes())
        .map_err(|_| Error::BadInput(format!("-X '{m}': not an HTTP method")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(method("delete").unwrap(), reqwest::Method::DELETE);
        assert_eq!(method("get").unwrap(), reqwest::Method::GET);
        assert!(method("GE T").is_err());
    }
}
