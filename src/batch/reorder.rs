//! Results finish in any order; stdout gets them in input order. A [`Reorder`] holds the
//! finished results that wait for an earlier line, hands out the ones that are due, and skips
//! the lines of other shards (they never come). It counts the bytes it holds, so the driver
//! can stop starting lines while too much waits behind a slow one.

use std::collections::BTreeMap;

use crate::results::line::Outcome;
use crate::shard::Shard;

pub(crate) struct Reorder {
    /// The next line due on stdout.
    next: u64,
    shard: Option<Shard>,
    waiting: BTreeMap<u64, Outcome>,
    held: usize,
}

impl Reorder {
    pub(crate) fn new(shard: Option<Shard>) -> Reorder {
        Reorder {
            next: 1,
            shard,
            waiting: BTreeMap::new(),
            held: 0,
        }
    }

    /// Bytes of the results waiting.
    pub(crate) fn held(&self) -> usize {
        self.held
    }

    /// Line `n` finished.
    pub(crate) fn insert(&mut self, n: u64, outcome: Outcome) {
        self.held += outcome.size();
        if let Some(old) = self.waiting.insert(n, outcome) {
            self.held -= old.size();
        }
    }

    /// The next result due, if it has finished: lines of other shards are passed over.
    pub(crate) fn pop(&mut self) -> Option<(u64, Outcome)> {
        if let Some(s) = self.shard {
            self.next = s.next_from(self.next);
        }
        let outcome = self.waiting.remove(&self.next)?;
        self.held -= outcome.size();
        let n = self.next;
        self.next += 1;
        Some((n, outcome))
    }

    /// Everything still waiting, in line order (Ctrl-C: the finished lines are kept though
    /// some before them never finished).
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = (u64, Outcome)> + use<> {
        self.held = 0;
        std::mem::take(&mut self.waiting).into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Outcome {
        Outcome::Answer {
            status: 200,
            body: body.as_bytes().to_vec(),
            filter_error: None,
            unmet: None,
        }
    }

    fn lines(r: &mut Reorder) -> Vec<u64> {
        std::iter::from_fn(|| r.pop()).map(|(n, _)| n).collect()
    }

    #[test]
    fn results_come_out_in_input_order() {
        let mut r = Reorder::new(None);
        r.insert(2, answer("b"));
        r.insert(3, answer("c"));
        assert!(r.pop().is_none(), "line 1 is not done");
        r.insert(1, answer("a"));
        assert_eq!(lines(&mut r), [1, 2, 3]);
        r.insert(5, answer("e"));
        assert!(r.pop().is_none());
        r.insert(4, answer("d"));
        assert_eq!(lines(&mut r), [4, 5]);
    }

    #[test]
    fn lines_of_other_shards_are_passed_over() {
        let mut r = Reorder::new(Some(Shard { index: 2, count: 3 }));
        r.insert(5, answer("e"));
        assert!(r.pop().is_none(), "line 2 is due first");
        r.insert(2, answer("b"));
        assert_eq!(lines(&mut r), [2, 5]);
        let mut huge = Reorder::new(Some(Shard {
            index: 1,
            count: 100_000,
        }));
        huge.insert(1, answer("a"));
        huge.insert(100_001, answer("b"));
        assert_eq!(lines(&mut huge), [1, 100_001]);
    }

    #[test]
    fn held_bytes_follow_what_waits() {
        let mut r = Reorder::new(None);
        assert_eq!(r.held(), 0);
        r.insert(2, answer("0123456789"));
        let one = r.held();
        assert!(one >= 10);
        r.insert(3, answer("0123456789"));
        assert_eq!(r.held(), 2 * one);
        r.insert(1, answer("0123456789"));
        r.pop();
        r.pop();
        assert_eq!(r.held(), one);
        let drained: Vec<u64> = r.drain().map(|(n, _)| n).collect();
        assert_eq!((drained, r.held()), (vec![3], 0));
    }
}
