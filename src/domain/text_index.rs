//! Search keys laid end to end in one buffer, so that the lists of a year
//! of activities at province scale (372,000 rows) filter per keystroke in
//! one pass of a vectorized substring search (memchr's memmem) over the
//! keys, each held once, rather than one `str::contains` per row. Built
//! once per load; a load after a sync builds it again.

use memchr::memmem;
use std::collections::HashMap;

/// Search keys by id; `intern` gives equal keys one id (activities repeat
/// their titles: the monthly patrol, the weekly consultation).
#[derive(Debug, Clone, Default)]
pub struct Keys {
    text: String,
    /// Where each key starts in `text`, and one past the last key's end.
    starts: Vec<usize>,
    ids: HashMap<String, u32>,
}

impl Keys {
    pub fn new() -> Keys {
        Keys { text: String::new(), starts: vec![0], ids: HashMap::new() }
    }

    /// Adds a key (a new id even if an equal key was added before).
    pub fn push(&mut self, key: &str) -> u32 {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.text.push_str(key);
        self.starts.push(self.text.len());
        (self.starts.len() - 2) as u32
    }

    /// The id of `key`, added when it is new.
    pub fn intern(&mut self, key: &str) -> u32 {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        let id = self.push(key);
        self.ids.insert(key.to_string(), id);
        id
    }

    /// How many keys (equal ones interned count once).
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        &self.text[self.starts[i]..self.starts[i + 1]]
    }

    /// Which keys hold `needle`, by id: exactly `get(id).contains(needle)`
    /// for every id (a match across two keys' boundary is no match). An
    /// empty needle is held by every key.
    pub fn holding(&self, needle: &str) -> Vec<bool> {
        let mut hit = vec![needle.is_empty(); self.len()];
        if needle.is_empty() {
            return hit;
        }
        let finder = memmem::Finder::new(needle.as_bytes());
        let hay = self.text.as_bytes();
        let mut at = 0;
        while let Some(found) = finder.find(&hay[at..]) {
            let pos = at + found;
            // The key `pos` falls in: the last start at or before it.
            let key = self.starts.partition_point(|s| *s <= pos) - 1;
            let end = self.starts[key + 1];
            if pos + needle.len() <= end {
                hit[key] = true;
                // Once is enough: on to the next key.
                at = end;
            } else {
                at = pos + 1;
            }
            if at >= hay.len() {
                break;
            }
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holding_is_contains_for_every_key() {
        let words = ["夜间治安巡逻", "", "yjzaxl", "垃圾分类", "夜间治安巡逻", "ab", "ba", "aba", "巡逻", "a"];
        let mut keys = Keys::new();
        let ids: Vec<u32> = words.iter().map(|w| keys.intern(w)).collect();
        assert_eq!(ids[0], ids[4], "equal keys are held once");
        assert_eq!(keys.len(), words.len() - 1);
        for needle in
            ["", "夜", "巡逻", "逻垃", "lj", "a", "ab", "aba", "bab", "逻y", "xl垃", "夜间治安巡逻", "yjzaxl垃圾分类"]
        {
            let hit = keys.holding(needle);
            for (w, id) in words.iter().zip(&ids) {
                assert_eq!(hit[*id as usize], w.contains(needle), "{w:?} holds {needle:?}");
            }
        }
    }

    #[test]
    fn pushed_keys_keep_their_own_ids() {
        let mut keys = Keys::new();
        let a = keys.push("和平");
        let b = keys.push("和平");
        assert_ne!(a, b);
        assert_eq!(keys.get(b), "和平");
        assert_eq!(keys.holding("和平"), vec![true, true]);
        assert!(Keys::default().holding("x").is_empty());
    }
}
