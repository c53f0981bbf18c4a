//! The faults `miiflow-mock --fault` can inject, one per `agent_run` request, in order.

use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a JSON error body.
    Status(u16),
    /// 429 with `Retry-After: SECS`.
    RateLimit(u64),
    /// Close the connection without an answer.
    Drop,
    /// Promise the whole body in `Content-Length`, send half, close.
    Truncate,
    /// Wait this long before answering normally.
    Slow(Duration),
    /// Answer 307 to this URL.
    Redirect(String),
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Fault, String> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let number = |a: Option<&str>| -> Result<u64, String> {
            a.ok_or_else(|| format!("fault '{s}' needs a number after ':'"))?
                .parse()
                .map_err(|_| format!("fault '{s}': not a number"))
        };
        match name {
            "drop" => Ok(Fault::Drop),
            "truncate" => Ok(Fault::Truncate),
            "slow" => Ok(Fault::Slow(Duration::from_millis(number(arg)?))),
            "redirect" => Ok(Fault::Redirect(
                arg.ok_or_else(|| format!("fault '{s}' needs a URL"))?
                    .to_owned(),
            )),
            "429" if arg.is_some() => Ok(Fault::RateLimit(number(arg)?)),
            code => match code.parse::<u16>() {
                Ok(c) if (100..=599).contains(&c) && arg.is_none() => Ok(Fault::Status(c)),
                _ => Err(format!(
                    "unknown fault '{s}': use STATUS, 429:SECS, drop, truncate, slow:MS or redirect:URL"
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_faults() {
        assert_eq!("500".parse(), Ok(Fault::Status(500)));
        assert_eq!("429:2".parse(), Ok(Fault::RateLimit(2)));
        assert_eq!("drop".parse(), Ok(Fault::Drop));
        assert_eq!(
            "slow:150".parse(),
            Ok(Fault::Slow(Duration::from_millis(150)))
        );
        assert_eq!(
            "redirect:http://127.0.0.1:9/x".parse(),
            Ok(Fault::Redirect("http://127.0.0.1:9/x".into()))
        );
        for bad in ["", "700", "slow", "slow:x", "boom", "500:1"] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }
}
