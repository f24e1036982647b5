//! The wire format of a sync session: the control messages (`Intro`,
//! `Offers`, JSON in length-prefixed frames) and the frames of a document
//! stream (nothing, a sync message, a message with its changes' signature
//! records, or a refusal).

use super::authorship;
use super::limits::{Budget, Limits};
use super::offers::Delta;
use super::transport::{self, read_frame, write_frame};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub(super) struct Intro {
    pub(super) home: Option<String>,
    /// A joining node's invitation secret and the name it gives itself.
    #[serde(default)]
    pub(super) join: Option<(String, String)>,
    /// Hash of the copy we hold of the accepting side's last offers.
    #[serde(default)]
    pub(super) holds: Option<String>,
    /// A joiner with a short code: its name and first exchange message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) short: Option<super::short::ShortJoin>,
    /// The connecting node would keep the connection for its next session
    /// (`Offers::keeps`); a node built before ignores it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) keep: bool,
    /// The compact form of the offers this node reads (`compact::VERSION`);
    /// 0, as a node built before sends, for JSON only.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) compact: u8,
    /// The connecting node ends documents quietly on a kept connection
    /// (`Offers::quiet_ends`); a node built before sends nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) quiet_ends: bool,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
pub(super) struct Offers {
    pub(super) home: Option<String>,
    /// Document id -> digest of its heads (64 bits of SHA-256 over the sorted
    /// heads), as a delta from what the other side last received.
    pub(super) docs: Delta,
    /// Hash of the copy we hold of the other side's last offers.
    pub(super) holds: Option<String>,
    /// Authors lists of federations offered whose digest changed since the
    /// copy the other side holds (`~authors/<fed>` entries of `docs`).
    #[serde(default)]
    pub(super) lists: Vec<authorship::AuthorList>,
    /// Sent by a serving node that finishes its control stream once it has
    /// taken the client's offers in (`offers_taken_in`); a node built before
    /// that sends false, and the client then does not wait for it.
    #[serde(default)]
    pub(super) confirms: bool,
    /// The serving node's answer to `Intro::keep`: it will serve another
    /// session on this connection. The session then ends in-band: the
    /// client finishes its control stream once its documents are done, the
    /// server finishes its own once the session is recorded. A node built
    /// before sends nothing, and the client closes the connection as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) keeps: bool,
    /// The serving node kept its sync states from the last session on this
    /// kept connection (it ended clean): the client may keep its own too, and
    /// its first message of a document then carries what changed since. A
    /// node built before sends nothing, and both sides start from disk.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) resumes: bool,
    /// The serving node's answer to `Intro::quiet_ends`, on a kept
    /// connection only: in this session a side that answers a sync message
    /// with nothing ends the document. It is then in sync with what the
    /// message said, and the other side sends nothing more (an edit made
    /// meanwhile goes in the next session): the connecting side sends one
    /// last empty frame without a store trip or waiting for a reply, and the
    /// serving side takes an empty frame after the first as the end. Saves
    /// the closing round of both sides quiet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) quiet_ends: bool,
    /// These offers came in the compact form: the peer reads it, so our
    /// answer goes in it too. Not part of the message.
    #[serde(skip)]
    pub(super) came_compact: bool,
}

pub(super) async fn send_json<T: Serialize>(send: &mut quinn::SendStream, value: &T) -> Result<u64> {
    let bytes = serde_json::to_vec(value)?;
    write_frame(send, &bytes).await?;
    Ok(bytes.len() as u64 + 4)
}

pub(super) async fn recv_json<T: for<'de> Deserialize<'de>>(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
    kind: transport::Frame,
) -> Result<(T, u64)> {
    let bytes = transport::read_frame_of(recv, limits, budget, kind).await?;
    let value = serde_json::from_slice(&bytes).context("malformed control message")?;
    Ok((value, bytes.len() as u64 + 4))
}

/// Our offers, in the compact form when `compact` (the peer reads it) and
/// they fit it, else as JSON.
pub(super) async fn send_offers(send: &mut quinn::SendStream, offers: &Offers, compact: bool) -> Result<u64> {
    match compact.then(|| super::compact::encode(offers)).flatten() {
        Some(bytes) => {
            write_frame(send, &bytes).await?;
            Ok(bytes.len() as u64 + 4)
        }
        None => send_json(send, offers).await,
    }
}

/// The peer's offers, in either form.
pub(super) async fn recv_offers(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<(Offers, u64)> {
    let bytes = transport::read_frame_of(recv, limits, budget, transport::Frame::Offers).await?;
    let offers = match bytes.first() {
        Some(&super::compact::TAG) => super::compact::decode(&bytes, limits.max_offers)?,
        _ => serde_json::from_slice(&bytes).context("malformed control message")?,
    };
    Ok((offers, bytes.len() as u64 + 4))
}

/// Waits until the serving side has taken in our offers (it finishes its
/// end of the control stream then). Closing the connection before that
/// would drop offers still unread there: when no document differs, an
/// authors list (a revocation) that was the session's only news is lost.
pub(super) async fn offers_taken_in(recv: &mut quinn::RecvStream, limits: &Limits) -> Result<()> {
    let mut rest = [0u8; 1];
    match tokio::time::timeout(limits.read_timeout, recv.read(&mut rest)).await {
        Ok(Ok(None)) => Ok(()),
        Ok(Ok(Some(_))) => bail!("对方在控制流上多发了数据 (unexpected data on the control stream)"),
        Ok(Err(e)) => Err(e).context("对方未确认收到本方的提供清单 (peer did not confirm our offers)"),
        Err(_) => bail!("对方未确认收到本方的提供清单:超时 (peer did not confirm our offers in time)"),
    }
}

/// Frame tags inside a document stream.
const NONE: u8 = 0;
const MSG: u8 = 1;
pub(super) const ERR: u8 = 2;
/// A message followed by the signature records of its changes.
const SIGNED: u8 = 3;

/// A sync message with the signature records of the changes it carries.
#[derive(Debug, Default)]
pub struct Signed {
    pub msg: Vec<u8>,
    pub sigs: Vec<(automerge::ChangeHash, Vec<u8>)>,
}

impl Signed {
    /// `u32` length of the message, the message, then per record: 32 bytes
    /// of change hash, `u16` length, the record.
    fn encode(&self, frame: &mut Vec<u8>) {
        frame.extend_from_slice(&(self.msg.len() as u32).to_be_bytes());
        frame.extend_from_slice(&self.msg);
        for (hash, record) in &self.sigs {
            frame.extend_from_slice(&hash.0);
            frame.extend_from_slice(&(record.len().min(u16::MAX as usize) as u16).to_be_bytes());
            frame.extend_from_slice(&record[..record.len().min(u16::MAX as usize)]);
        }
    }

    fn decode(bytes: &[u8]) -> Result<Signed> {
        let bad = || anyhow::anyhow!("malformed signed frame from peer");
        let len = u32::from_be_bytes(bytes.get(..4).ok_or_else(bad)?.try_into()?) as usize;
        let msg = bytes.get(4..4 + len).ok_or_else(bad)?.to_vec();
        let mut rest = &bytes[4 + len..];
        let mut sigs = Vec::new();
        while !rest.is_empty() {
            let hash: [u8; 32] = rest.get(..32).ok_or_else(bad)?.try_into()?;
            let n = u16::from_be_bytes(rest.get(32..34).ok_or_else(bad)?.try_into()?) as usize;
            let record = rest.get(34..34 + n).ok_or_else(bad)?.to_vec();
            sigs.push((automerge::ChangeHash(hash), record));
            rest = &rest[34 + n..];
        }
        Ok(Signed { msg, sigs })
    }
}

/// One frame of a document stream: nothing to send, a message (with the
/// signatures of its changes when it has any), or an error.
pub(super) async fn send_msg(send: &mut quinn::SendStream, msg: Option<&Signed>) -> Result<u64> {
    let mut frame = Vec::with_capacity(1 + msg.map_or(0, |m| m.msg.len()));
    match msg {
        Some(m) if m.sigs.is_empty() => {
            frame.push(MSG);
            frame.extend_from_slice(&m.msg);
        }
        Some(m) => {
            frame.push(SIGNED);
            m.encode(&mut frame);
        }
        None => frame.push(NONE),
    }
    write_frame(send, &frame).await?;
    Ok(frame.len() as u64 + 4)
}

pub(super) async fn recv_msg(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<(Option<Signed>, u64)> {
    let frame = read_frame(recv, limits, budget).await?;
    let n = frame.len() as u64 + 4;
    match frame.split_first() {
        Some((&NONE, _)) => Ok((None, n)),
        Some((&MSG, rest)) => Ok((Some(Signed { msg: rest.to_vec(), sigs: Vec::new() }), n)),
        Some((&SIGNED, rest)) => Ok((Some(Signed::decode(rest)?), n)),
        Some((&ERR, rest)) => {
            bail!("peer refused: {}", super::text::clean(&String::from_utf8_lossy(rest), super::text::ERROR_CHARS))
        }
        _ => bail!("malformed frame from peer"),
    }
}
