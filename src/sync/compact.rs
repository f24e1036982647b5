//! The offers in a compact binary form, for peers that say they read it
//! (`Intro::compact`). A full list of a province's ~800 documents is ~45 KB
//! of JSON, most of it the federation id repeated in every document id and
//! digests written in hex. Here the ids are front-coded (each one says how
//! many leading bytes it shares with the one before: in key order, the
//! federation and collection), digests and hashes travel as raw bytes, and
//! the frame is postcard (varint lengths). The authors lists stay JSON inside
//! it: they are rare, and carry signatures over their JSON form.
//!
//! Offers this form cannot carry exactly (a digest that is not the 16 hex
//! digits a node writes) go as JSON: `encode` says None and the sender falls
//! back; the receiver reads either, by the first byte of the frame.

use super::offers::{Delta, WireMap};
use super::wire::Offers;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// First byte of a compact offers frame; JSON begins with `{`.
pub(super) const TAG: u8 = 0xC1;

/// The form this node reads and writes, as `Intro::compact` announces it.
/// A later form with other fields takes the next number.
pub(super) const VERSION: u8 = 1;

/// 64 bits of SHA-256 over a document's heads (`Store::heads_digest`), or
/// over an authors list.
const DIGEST: usize = 8;
/// An offer map's hash (`offers::map_hash`): 96 bits.
const HASH: usize = 12;

#[derive(Serialize, Deserialize)]
struct Frame {
    home: Option<String>,
    base: Option<[u8; HASH]>,
    set: Vec<Entry>,
    removed: Vec<Key>,
    holds: Option<[u8; HASH]>,
    /// JSON of the authors lists; empty when there are none.
    lists: Vec<u8>,
    confirms: bool,
    keeps: bool,
    resumes: bool,
    quiet_ends: bool,
}

/// A key as the bytes it shares with the key before it and the rest.
#[derive(Serialize, Deserialize)]
struct Key {
    shared: u8,
    rest: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: Key,
    /// None for the empty digest of a document not loaded.
    digest: Option<[u8; DIGEST]>,
}

/// The offers in the compact form, tag first; None when a value does not fit
/// it (then they go as JSON).
pub(super) fn encode(offers: &Offers) -> Option<Vec<u8>> {
    let digest = |v: &str| if v.is_empty() { Some(None) } else { raw::<DIGEST>(v).map(Some) };
    let hash = |h: &Option<String>| match h {
        None => Some(None),
        Some(h) => raw::<HASH>(h).map(Some),
    };
    let keys = front_code(offers.docs.set.keys().map(String::as_str));
    let set = keys
        .into_iter()
        .zip(offers.docs.set.values())
        .map(|(key, v)| Some(Entry { key, digest: digest(v)? }))
        .collect::<Option<Vec<_>>>()?;
    let lists = if offers.lists.is_empty() { Vec::new() } else { serde_json::to_vec(&offers.lists).ok()? };
    let frame = Frame {
        home: offers.home.clone(),
        base: hash(&offers.docs.base)?,
        set,
        removed: front_code(offers.docs.removed.iter().map(String::as_str)),
        holds: hash(&offers.holds)?,
        lists,
        confirms: offers.confirms,
        keeps: offers.keeps,
        resumes: offers.resumes,
        quiet_ends: offers.quiet_ends,
    };
    postcard::to_extend(&frame, vec![TAG]).ok()
}

/// Offers from a compact frame (tag first). `limit`: the most bytes of keys
/// and digests it may expand to, so a few bytes on the wire cannot claim
/// gigabytes (each key may repeat 255 bytes of the one before).
pub(super) fn decode(bytes: &[u8], limit: usize) -> Result<Offers> {
    let malformed = "对方的提供清单格式不对 (malformed compact offers from peer)";
    let Some((&TAG, body)) = bytes.split_first() else { bail!(malformed) };
    let (frame, rest): (Frame, &[u8]) = postcard::take_from_bytes(body).context(malformed)?;
    if !rest.is_empty() {
        bail!("{malformed}: {} trailing bytes", rest.len());
    }
    let mut budget = limit;
    let mut expand = Expander::default();
    let mut set = WireMap::new();
    for Entry { key, digest } in frame.set {
        let key = expand.next(key, &mut budget).context(malformed)?;
        budget = budget.checked_sub(2 * DIGEST).context(malformed)?;
        set.insert(key, digest.map(hex::encode).unwrap_or_default());
    }
    let mut expand = Expander::default();
    let removed = frame.removed.into_iter().map(|k| expand.next(k, &mut budget)).collect::<Option<Vec<_>>>();
    let lists = if frame.lists.is_empty() {
        Vec::new()
    } else {
        serde_json::from_slice(&frame.lists).context("对方的作者名单格式不对 (malformed authors lists from peer)")?
    };
    Ok(Offers {
        home: frame.home,
        docs: Delta { base: frame.base.map(hex::encode), set, removed: removed.context(malformed)? },
        holds: frame.holds.map(hex::encode),
        lists,
        confirms: frame.confirms,
        keeps: frame.keeps,
        resumes: frame.resumes,
        quiet_ends: frame.quiet_ends,
        came_compact: true,
    })
}

/// The `N` bytes lowercase hex `text` stands for, if it is exactly that (so
/// the receiver's `hex::encode` gives back the same string).
fn raw<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).ok()?;
    (hex::encode(out) == text).then_some(out)
}

fn front_code<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<Key> {
    let mut before = "";
    keys.map(|key| {
        let mut shared = before.bytes().zip(key.bytes()).take(u8::MAX as usize).take_while(|(a, b)| a == b).count();
        // The rest must be a whole string: never split a character.
        while !key.is_char_boundary(shared) {
            shared -= 1;
        }
        before = key;
        Key { shared: shared as u8, rest: key[shared..].to_string() }
    })
    .collect()
}

/// Undoes `front_code`, one key at a time.
#[derive(Default)]
struct Expander {
    before: String,
}

impl Expander {
    fn next(&mut self, key: Key, budget: &mut usize) -> Option<String> {
        let shared = key.shared as usize;
        let head = self.before.get(..shared)?;
        let full = [head, &key.rest].concat();
        *budget = budget.checked_sub(full.len())?;
        self.before.clone_from(&full);
        Some(full)
    }
}

#[cfg(test)]
mod tests {
    use super::super::authorship::AuthorList;
    use super::super::identity::NodeId;
    use super::*;
    use proptest::prelude::*;

    fn offers(set: &[(&str, &str)], removed: &[&str]) -> Offers {
        Offers {
            home: Some("fed0000000000001".into()),
            docs: Delta {
                base: Some("00112233445566778899aabb".into()),
                set: set.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                removed: removed.iter().map(|k| k.to_string()).collect(),
            },
            holds: None,
            lists: Vec::new(),
            confirms: true,
            keeps: false,
            resumes: true,
            quiet_ends: true,
            came_compact: false,
        }
    }

    fn same(a: &Offers, b: &Offers) -> bool {
        serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
    }

    #[test]
    fn a_province_list_reads_back_the_same_at_a_third_of_the_json() {
        let ids: Vec<String> = (0..800).map(|i| format!("fed00000000{:05x}/orgs/{}", i / 40, 440100 + i)).collect();
        let digests: Vec<String> =
            (0..800u64).map(|i| format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15))).collect();
        let set: Vec<(&str, &str)> = ids.iter().zip(&digests).map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut o = offers(&set, &["fed0000000000001/orgs/甲乙", "fed0000000000001/orgs/甲丙"]);
        o.lists.push(AuthorList {
            fed: "fed0000000000001".into(),
            founder: NodeId([7; 32]),
            entries: Default::default(),
            revoked: Default::default(),
            certs: [(NodeId([8; 32]), "-----BEGIN CERTIFICATE-----".to_string())].into(),
        });
        let bytes = encode(&o).expect("fits");
        let back = decode(&bytes, 1 << 20).unwrap();
        assert!(same(&o, &back) && back.came_compact);
        let json = serde_json::to_vec(&o).unwrap().len();
        assert!(bytes.len() * 3 < json, "{} bytes against {json} of JSON", bytes.len());
    }

    #[test]
    fn values_it_cannot_carry_exactly_go_as_json() {
        assert!(encode(&offers(&[("a", "")], &[])).is_some(), "the empty digest of a document not loaded");
        for odd in ["0011", "00112233445566ZZ", "00112233445566AA"] {
            assert!(encode(&offers(&[("a", odd)], &[])).is_none(), "{odd}");
        }
        let mut o = offers(&[], &[]);
        o.holds = Some("stale".into());
        assert!(encode(&o).is_none());
    }

    #[test]
    fn a_frame_that_claims_more_than_the_limit_is_refused() {
        let long = "x".repeat(255);
        let many: Vec<String> = (0..100).map(|i| format!("{long}{i:03}")).collect();
        let set: Vec<(&str, &str)> = many.iter().map(|k| (k.as_str(), "")).collect();
        let bytes = encode(&offers(&set, &[])).unwrap();
        assert!(bytes.len() < 2_000, "{}", bytes.len());
        assert!(decode(&bytes, 20_000).is_err(), "~28 KB of keys from {} bytes", bytes.len());
        assert!(decode(&bytes, 40_000).is_ok());
    }

    #[test]
    fn damaged_frames_are_errors_naming_the_offers() {
        let bytes = encode(&offers(&[("fed1/orgs/1", "0011223344556677")], &["fed1/orgs/2"])).unwrap();
        for cut in 0..bytes.len() {
            let e = decode(&bytes[..cut], 1 << 20).err().expect("cut short");
            assert!(e.to_string().contains("offers"), "{e}");
        }
        assert!(decode(&[bytes.clone(), vec![0]].concat(), 1 << 20).is_err(), "trailing bytes");
        // A key that shares more than the key before it holds, or splits a character.
        for (first, shared) in [("ab", 9), ("甲", 1)] {
            let key = |shared, rest: &str| Entry { key: Key { shared, rest: rest.into() }, digest: None };
            let frame = Frame {
                home: None,
                base: None,
                set: vec![key(0, first), key(shared, "x")],
                removed: Vec::new(),
                holds: None,
                lists: Vec::new(),
                confirms: false,
                keeps: false,
                resumes: false,
                quiet_ends: false,
            };
            let bytes = postcard::to_extend(&frame, vec![TAG]).unwrap();
            assert!(decode(&bytes, 1 << 20).is_err(), "{first} {shared}");
        }
    }

    proptest! {
        #[test]
        fn any_offers_that_fit_read_back_the_same(
            keys in proptest::collection::btree_map("(甲|a|b|/|[0-9]){0,300}", proptest::option::of(any::<[u8; 8]>()), 0..40),
            removed in proptest::collection::vec("(甲|乙|a|/){0,12}", 0..6),
        ) {
            let digests: Vec<(String, String)> = keys.iter().map(|(k, d)| (k.clone(), d.map(hex::encode).unwrap_or_default())).collect();
            let set: Vec<(&str, &str)> = digests.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let removed: Vec<&str> = removed.iter().map(String::as_str).collect();
            let o = offers(&set, &removed);
            let back = decode(&encode(&o).unwrap(), 1 << 24).unwrap();
            prop_assert!(same(&o, &back));
        }

        #[test]
        fn any_bytes_decode_or_fail_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&[&[TAG][..], &bytes].concat(), 4096);
        }
    }
}
