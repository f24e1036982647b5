//! The device identity: a key pair and a self-signed certificate, made on
//! first use. The node id is the SHA-256 of the certificate (as Syncthing's
//! device id), written in base32 groups with a check character per group so
//! a person reading it aloud or comparing it catches a typo.

use anyhow::{bail, Context, Result};
use data_encoding::BASE32_NOPAD;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub [u8; 32]);

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Luhn mod 32 over base32 characters.
fn check_char(group: &[u8]) -> u8 {
    let n = 32;
    let mut factor = 1;
    let mut sum = 0;
    for c in group {
        let code = ALPHABET.iter().position(|a| a == c).unwrap_or(0);
        let mut addend = factor * code;
        factor = if factor == 2 { 1 } else { 2 };
        addend = addend / n + addend % n;
        sum += addend;
    }
    ALPHABET[(n - sum % n) % n]
}

impl NodeId {
    pub fn of_certificate(der: &[u8]) -> NodeId {
        NodeId(Sha256::digest(der).into())
    }

    /// Parses the grouped form; accepts lower case, spaces and missing dashes.
    pub fn parse(text: &str) -> Result<NodeId> {
        let clean: Vec<u8> = text.to_uppercase().bytes().filter(|b| b.is_ascii_alphanumeric()).collect();
        if clean.len() != 56 {
            bail!("节点编号 '{}' 长度不对,应为56个字母数字 (node id must have 56 characters)", text.trim());
        }
        let mut raw = Vec::with_capacity(52);
        for (i, chunk) in clean.chunks(14).enumerate() {
            let (body, check) = chunk.split_at(13);
            if check_char(body) != check[0] {
                bail!("节点编号第{}组校验不符,请核对 (node id group {} does not check; a typo?)", i + 1, i + 1);
            }
            raw.extend_from_slice(body);
        }
        let bytes = BASE32_NOPAD.decode(&raw).context("节点编号含无效字符 (invalid characters in node id)")?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| anyhow::anyhow!("节点编号无效 (invalid node id)"))?;
        Ok(NodeId(arr))
    }

    /// A short form for logs and lists.
    pub fn short(&self) -> String {
        self.to_string()[..7].to_string()
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b32 = BASE32_NOPAD.encode(&self.0).into_bytes();
        let mut with_checks = Vec::with_capacity(56);
        for chunk in b32.chunks(13) {
            with_checks.extend_from_slice(chunk);
            with_checks.push(check_char(chunk));
        }
        let groups: Vec<String> = with_checks.chunks(7).map(|g| String::from_utf8_lossy(g).into_owned()).collect();
        f.write_str(&groups.join("-"))
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({})", self.short())
    }
}

impl serde::Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NodeId::parse(&s).map_err(serde::de::Error::custom)
    }
}

pub struct Identity {
    pub key_der: Vec<u8>,
    pub cert_der: Vec<u8>,
    pub node_id: NodeId,
}

impl Identity {
    /// Loads the identity of a data directory, creating it on first use.
    pub fn load_or_create(dir: &Path) -> Result<Identity> {
        let folder = dir.join("identity");
        let (key_path, cert_path) = (folder.join("key.der"), folder.join("cert.der"));
        if key_path.exists() && cert_path.exists() {
            let key_der =
                std::fs::read(&key_path).with_context(|| format!("无法读取 {} (cannot read)", key_path.display()))?;
            let cert_der =
                std::fs::read(&cert_path).with_context(|| format!("无法读取 {} (cannot read)", cert_path.display()))?;
            let node_id = NodeId::of_certificate(&cert_der);
            return Ok(Identity { key_der, cert_der, node_id });
        }
        crate::private_fs::create_dir(dir).with_context(|| format!("无法创建 {} (cannot create)", dir.display()))?;
        crate::private_fs::create_dir(&folder)
            .with_context(|| format!("无法创建 {} (cannot create)", folder.display()))?;
        let key = rcgen::KeyPair::generate().context("无法生成密钥 (key generation failed)")?;
        let cert = rcgen::CertificateParams::new(vec!["hubsync".to_string()])?.self_signed(&key)?;
        let key_der = key.serialize_der();
        let cert_der = cert.der().to_vec();
        write_private(&key_path, &key_der)?;
        write_private(&cert_path, &cert_der)?;
        Ok(Identity { node_id: NodeId::of_certificate(&cert_der), key_der, cert_der })
    }
}

/// Writes a file readable by the owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::private_fs::write_atomic(path, bytes, true)
        .with_context(|| format!("无法写入 {} (cannot write)", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_round_trip_and_catch_typos() {
        let dir = tempfile::TempDir::new().unwrap();
        let id = Identity::load_or_create(dir.path()).unwrap();
        assert_eq!(Identity::load_or_create(dir.path()).unwrap().node_id, id.node_id, "stable across opens");
        let text = id.node_id.to_string();
        assert_eq!(text.len(), 63, "{text}");
        assert_eq!(NodeId::parse(&text).unwrap(), id.node_id);
        assert_eq!(NodeId::parse(&text.to_lowercase().replace('-', " ")).unwrap(), id.node_id);
        let mut typo = text.into_bytes();
        typo[3] = if typo[3] == b'A' { b'B' } else { b'A' };
        assert!(NodeId::parse(&String::from_utf8(typo).unwrap()).unwrap_err().to_string().contains("校验"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("identity/key.der")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key readable by the owner only");
        }
    }
}
