//! The backup file, version 1 (docs/RELIABILITY.md, "Backups").
//!
//! ```text
//! header   16 bytes  magic "HUBSYNC-BACKUP\n\0"
//!           4 bytes  format version, u32 little-endian (1)
//!           8 bytes  body length, u64 little-endian
//! body     sections, each:
//!           1 byte   kind (1 manifest, 2 document, 3 signatures, 4 metadata, 5 file)
//!           4 bytes  name length, u32 LE, then the name (UTF-8)
//!           8 bytes  content length, u64 LE, then the content
//! trailer  32 bytes  SHA-256 of header and body
//! ```
//!
//! The manifest comes first: JSON with the format, the hubsync version, the
//! time, the node id, the home federation and every document's heads.
//! Documents are named by id and hold `AutoCommit::save` bytes; the
//! signatures section is `[hash 32][length u32 LE][record]` repeated;
//! metadata sections are named by key; files by their path in the data
//! directory (`identity/key.der`, `peers.json`...). A reader checks the
//! magic, the version, the length, the checksum and then every section
//! before it writes anything.

use super::Damage;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const MAGIC: &[u8; 16] = b"HUBSYNC-BACKUP\n\0";
pub const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 16 + 4 + 8;
const CHECKSUM: usize = 32;

const MANIFEST: u8 = 1;
const DOCUMENT: u8 = 2;
const SIGNATURES: u8 = 3;
const METADATA: u8 = 4;
const FILE: u8 = 5;

/// What the file says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The hubsync version that wrote it.
    pub hubsync: String,
    /// When, by the writing node's clock (local time).
    pub created: chrono::NaiveDateTime,
    /// The node whose identity the file holds.
    pub node_id: String,
    pub home: Option<String>,
    /// Document id -> heads (hex), checked against each document on restore.
    pub documents: BTreeMap<String, Vec<String>>,
    pub signatures: usize,
}

/// Change hash -> signature record.
pub type Signature = ([u8; 32], Vec<u8>);

/// A backup's content, in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contents {
    pub docs: Vec<(String, Vec<u8>)>,
    pub sigs: Vec<Signature>,
    pub meta: Vec<(String, Vec<u8>)>,
    /// Path in the data directory (with `/`) -> bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

fn section(out: &mut Vec<u8>, kind: u8, name: &str, content: &[u8]) {
    out.push(kind);
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&(content.len() as u64).to_le_bytes());
    out.extend_from_slice(content);
}

/// The whole file's bytes.
pub fn encode(manifest: &Manifest, contents: &Contents) -> Vec<u8> {
    let mut body = Vec::new();
    let manifest = serde_json::to_vec(manifest).expect("a manifest serializes");
    section(&mut body, MANIFEST, "", &manifest);
    for (id, bytes) in &contents.docs {
        section(&mut body, DOCUMENT, id, bytes);
    }
    let mut sigs = Vec::new();
    for (hash, record) in &contents.sigs {
        sigs.extend_from_slice(hash);
        sigs.extend_from_slice(&(record.len() as u32).to_le_bytes());
        sigs.extend_from_slice(record);
    }
    section(&mut body, SIGNATURES, "", &sigs);
    for (key, value) in &contents.meta {
        section(&mut body, METADATA, key, value);
    }
    for (path, bytes) in &contents.files {
        section(&mut body, FILE, path, bytes);
    }
    let mut out = Vec::with_capacity(HEADER + body.len() + CHECKSUM);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Reads a backup file's bytes, checking everything checkable without
/// loading the documents.
pub fn decode(bytes: &[u8]) -> Result<(Manifest, Contents), Damage> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Damage::NotABackup);
    }
    if bytes.len() < HEADER {
        return Err(Damage::Truncated { expected: HEADER as u64 + CHECKSUM as u64, actual: bytes.len() as u64 });
    }
    let version = u32::from_le_bytes(bytes[16..20].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(Damage::UnknownFormat(version));
    }
    let body_len = u64::from_le_bytes(bytes[20..28].try_into().expect("8 bytes"));
    let expected = (HEADER as u64).saturating_add(body_len).saturating_add(CHECKSUM as u64);
    let actual = bytes.len() as u64;
    if actual < expected {
        return Err(Damage::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(Damage::TrailingBytes { expected, actual });
    }
    let end = HEADER + body_len as usize;
    if Sha256::digest(&bytes[..end]).as_slice() != &bytes[end..] {
        return Err(Damage::Checksum);
    }
    let mut body = &bytes[HEADER..end];
    let mut manifest: Option<Manifest> = None;
    let mut contents = Contents::default();
    while !body.is_empty() {
        let (kind, name, content, rest) = read_section(body)?;
        body = rest;
        match kind {
            MANIFEST if manifest.is_none() => {
                manifest = Some(
                    serde_json::from_slice(content).map_err(|e| Damage::Malformed(format!("清单 (manifest): {e}")))?,
                )
            }
            MANIFEST => return Err(Damage::Malformed("两份清单 (two manifests)".into())),
            _ if manifest.is_none() => {
                return Err(Damage::Malformed("清单不在开头 (the manifest is not first)".into()))
            }
            DOCUMENT => contents.docs.push((name, content.to_vec())),
            SIGNATURES => contents.sigs.extend(read_signatures(content)?),
            METADATA => contents.meta.push((name, content.to_vec())),
            FILE => contents.files.push((name, content.to_vec())),
            other => return Err(Damage::Malformed(format!("未知的段类型 {other} (unknown section kind)"))),
        }
    }
    let manifest = manifest.ok_or_else(|| Damage::Malformed("没有清单 (no manifest)".into()))?;
    if manifest.format != FORMAT_VERSION {
        return Err(Damage::UnknownFormat(manifest.format));
    }
    Ok((manifest, contents))
}

type Section<'a> = (u8, String, &'a [u8], &'a [u8]);

fn read_section(bytes: &[u8]) -> Result<Section<'_>, Damage> {
    let cut = || Damage::Malformed("段不完整 (a section is cut short)".into());
    let (&kind, rest) = bytes.split_first().ok_or_else(cut)?;
    let name_len = u32::from_le_bytes(rest.get(..4).ok_or_else(cut)?.try_into().expect("4 bytes")) as usize;
    let rest = &rest[4..];
    let name = rest.get(..name_len).ok_or_else(cut)?;
    let name = std::str::from_utf8(name)
        .map_err(|_| Damage::Malformed("段名不是 UTF-8 (a section name is not UTF-8)".into()))?
        .to_string();
    let rest = &rest[name_len..];
    let len = u64::from_le_bytes(rest.get(..8).ok_or_else(cut)?.try_into().expect("8 bytes"));
    let rest = &rest[8..];
    let len = usize::try_from(len).ok().filter(|l| *l <= rest.len()).ok_or_else(cut)?;
    Ok((kind, name, &rest[..len], &rest[len..]))
}

fn read_signatures(mut bytes: &[u8]) -> Result<Vec<Signature>, Damage> {
    let cut = || Damage::Malformed("签名段不完整 (the signatures section is cut short)".into());
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let hash: [u8; 32] = bytes.get(..32).ok_or_else(cut)?.try_into().expect("32 bytes");
        let len = u32::from_le_bytes(bytes.get(32..36).ok_or_else(cut)?.try_into().expect("4 bytes")) as usize;
        let record = bytes.get(36..36 + len).ok_or_else(cut)?;
        out.push((hash, record.to_vec()));
        bytes = &bytes[36 + len..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Manifest, Contents) {
        let manifest = Manifest {
            format: FORMAT_VERSION,
            hubsync: "0.1.0".into(),
            created: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            node_id: "n".into(),
            home: Some("fed".into()),
            documents: BTreeMap::from([("fed/orgs".to_string(), vec!["ab".to_string()])]),
            signatures: 1,
        };
        let contents = Contents {
            docs: vec![("fed/orgs".into(), vec![1, 2, 3])],
            sigs: vec![([7; 32], vec![9; 70])],
            meta: vec![("x:authors:fed".into(), b"{}".to_vec())],
            files: vec![("peers.json".into(), b"{\"peers\":[]}".to_vec())],
        };
        (manifest, contents)
    }

    #[test]
    fn a_file_reads_back_as_written() {
        let (m, c) = sample();
        assert_eq!(decode(&encode(&m, &c)).unwrap(), (m, c));
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused() {
        let (m, c) = sample();
        let bytes = encode(&m, &c);
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "cut at {len}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(decode(&b).is_err(), "flipped byte {i}");
        }
    }

    #[test]
    fn a_newer_format_is_named() {
        let (m, c) = sample();
        let mut bytes = encode(&m, &c);
        bytes[16] = 2;
        assert!(matches!(decode(&bytes), Err(Damage::UnknownFormat(2))));
    }
}
