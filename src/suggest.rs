//! "Did you mean": the known words closest to a mistyped one. Pure.

/// The candidates close to `word` (a typo away: an edit distance of at most a third of the
/// word, and at least 1; or `word` is a prefix of it), closest first.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut found: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            let d = strsim::damerau_levenshtein(word, c);
            let prefix = word.len() >= 2 && c.starts_with(word);
            (d <= limit || prefix).then_some((d, c))
        })
        .collect();
    found.sort();
    found.dedup();
    found.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let commands = ["run", "login", "logout", "status", "keys", "history"];
        assert_eq!(closest("rn", commands), ["run"]);
        assert_eq!(closest("stauts", commands), ["status"]);
        assert_eq!(closest("log", commands), ["login", "logout"]);
        assert!(closest("zzzzzz", commands).is_empty());
        assert_eq!(closest("suport", ["support", "sales"]), ["support"]);
        assert!(
            closest("run", commands).is_empty(),
            "the word itself is no suggestion"
        );
    }
}
