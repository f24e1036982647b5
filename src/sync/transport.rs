//! QUIC with mutual TLS where trust is a pinned node id, not a CA: each side
//! presents its self-signed certificate and the other accepts it only if the
//! certificate's hash is a known peer. Messages are length-prefixed frames
//! with a hard size limit; every read has a timeout.

use super::identity::{Identity, NodeId};
use super::limits::{Budget, Limits};
use super::trust::Peers;
use anyhow::{bail, Context, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub const ALPN: &[u8] = b"hubsync/1";
/// Largest frame sent, and the default largest accepted (`Limits::max_frame`).
pub const MAX_FRAME: usize = 64 << 20;
/// A frame is read in pieces of this size, so memory follows the bytes that
/// arrived, not the length a peer declared.
const PIECE: usize = 64 << 10;
/// Concurrent document streams per connection.
pub const MAX_STREAMS: u32 = 64;

/// Who may connect: the peers in the data directory's peer list, read at
/// each handshake so `peer add/remove` applies to a running server. With no
/// directory (`pinned: None`), any server certificate: only for a join by
/// short code, whose exchange (`sync::short`) then authenticates the
/// certificate the handshake showed. Either way the TLS 1.3 signature proves
/// the other side holds the certificate's key.
pub struct PinnedPeers {
    pub pinned: Option<PathBuf>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    /// The node's clock, which judges whether an invitation is open.
    clock: HandshakeClock,
}

/// The node's clock as the handshake reads it: shared, because the endpoint
/// is made before `Node::with_clock` may replace the clock.
pub type HandshakeClock = Arc<std::sync::RwLock<Arc<dyn crate::clock::Clock>>>;

pub fn handshake_clock(clock: Arc<dyn crate::clock::Clock>) -> HandshakeClock {
    Arc::new(std::sync::RwLock::new(clock))
}

// By hand: a clock is not Debug (rustls asks its verifiers to be).
impl std::fmt::Debug for PinnedPeers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinnedPeers").field("pinned", &self.pinned).finish_non_exhaustive()
    }
}

impl PinnedPeers {
    fn check(&self, cert: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        let Some(dir) = &self.pinned else { return Ok(()) };
        let id = NodeId::of_certificate(cert);
        let known = Peers::load(dir).map(|p| p.get(&id).is_some()).unwrap_or(false);
        // An open invitation admits a stranger to the handshake; the session
        // then shares nothing until it presents the invitation's secret.
        let now = self.clock.read().map(|c| super::short::clock_seconds(&**c));
        if known || now.is_ok_and(|now| super::invite::pending(dir, now)) {
            Ok(())
        } else {
            tracing::warn!(node = %id, "refused an unknown or removed peer at the handshake");
            // Sent as the alert access_denied, which the connecting side
            // reads as "refused this node" (client::refused_close); any
            // other failed handshake keeps its own alert.
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
        }
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

impl ServerCertVerifier for PinnedPeers {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.check(end_entity).map(|_| ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.2 is not used".into()))
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.tls13(m, c, d)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}

impl ClientCertVerifier for PinnedPeers {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.check(end_entity).map(|_| ClientCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.2 is not used".into()))
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.tls13(m, c, d)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}

fn transport_config() -> Result<Arc<quinn::TransportConfig>> {
    let mut transport = quinn::TransportConfig::default();
    transport.max_concurrent_bidi_streams(MAX_STREAMS.into());
    transport.max_concurrent_uni_streams(0u32.into());
    transport.max_idle_timeout(Some(Duration::from_secs(60).try_into()?));
    transport.keep_alive_interval(Some(Duration::from_secs(15)));
    Ok(Arc::new(transport))
}

/// Our certificate and key, for either side of a handshake.
fn own_cert(identity: &Identity) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone()));
    (CertificateDer::from(identity.cert_der.clone()), key)
}

/// The client side: TLS 1.3 only, our certificate, servers checked by `verifier`.
fn client_config(identity: &Identity, verifier: Arc<PinnedPeers>) -> Result<quinn::ClientConfig> {
    let (cert, key) = own_cert(identity);
    let mut client = rustls::ClientConfig::builder_with_provider(verifier.provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(vec![cert], key)?;
    client.alpn_protocols = vec![ALPN.to_vec()];
    // A server of an earlier version still offers to resume TLS sessions,
    // which skips its peer-list check at the handshake: always a full one.
    client.resumption = rustls::client::Resumption::disabled();
    let mut config = quinn::ClientConfig::new(Arc::new(quinn::crypto::rustls::QuicClientConfig::try_from(client)?));
    config.transport_config(transport_config()?);
    Ok(config)
}

/// The client side of a join by short code (`Endpoint::connect_with`): our
/// certificate, any server's (see `PinnedPeers`).
pub fn unpinned_client(identity: &Identity) -> Result<quinn::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // No invitations are judged without a directory: any clock will do.
    let clock = handshake_clock(Arc::new(crate::clock::SystemClock));
    client_config(identity, Arc::new(PinnedPeers { pinned: None, provider, clock }))
}

/// One endpoint that both accepts and makes connections.
pub fn endpoint(
    identity: &Identity,
    dir: PathBuf,
    listen: std::net::SocketAddr,
    clock: HandshakeClock,
) -> Result<quinn::Endpoint> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let pinned = Arc::new(PinnedPeers { pinned: Some(dir), provider: provider.clone(), clock });
    let (cert, key) = own_cert(identity);
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(pinned.clone())
        .with_single_cert(vec![cert], key)?;
    server.alpn_protocols = vec![ALPN.to_vec()];
    // No TLS session resumption: a resumed handshake skips the client
    // certificate check, so a peer removed since would get as far as its
    // Intro. Every connection checks the peer list at the handshake; a
    // full handshake costs about a millisecond, once per kept connection.
    // (The builder makes no tickets either: its ticketer is a dummy.)
    server.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    let mut server_config =
        quinn::ServerConfig::with_crypto(Arc::new(quinn::crypto::rustls::QuicServerConfig::try_from(server)?));
    server_config.transport_config(transport_config()?);
    let mut endpoint =
        quinn::Endpoint::server(server_config, listen).with_context(|| format!("无法监听 {listen} (cannot listen)"))?;
    endpoint.set_default_client_config(client_config(identity, pinned)?);
    Ok(endpoint)
}

/// The node id of the other side of an established connection.
pub fn peer_node(conn: &quinn::Connection) -> Result<NodeId> {
    let identity = conn.peer_identity().context("no peer certificate")?;
    let certs =
        identity.downcast::<Vec<CertificateDer<'static>>>().map_err(|_| anyhow::anyhow!("unexpected peer identity"))?;
    let first = certs.first().context("empty peer certificate chain")?;
    Ok(NodeId::of_certificate(first))
}

/// The peer's certificate (its node id is the certificate's hash).
pub fn peer_cert(conn: &quinn::Connection) -> Result<Vec<u8>> {
    let identity = conn.peer_identity().context("no peer certificate")?;
    let certs =
        identity.downcast::<Vec<CertificateDer<'static>>>().map_err(|_| anyhow::anyhow!("unexpected peer identity"))?;
    Ok(certs.first().context("empty peer certificate chain")?.to_vec())
}

pub async fn write_frame(send: &mut quinn::SendStream, payload: &[u8]) -> Result<()> {
    if payload.len() > MAX_FRAME {
        bail!("message of {} bytes exceeds the {} byte limit", payload.len(), MAX_FRAME);
    }
    send.write_all(&(payload.len() as u32).to_be_bytes()).await?;
    send.write_all(payload).await?;
    Ok(())
}

/// Longest document id a document stream may open with.
pub const MAX_DOC_NAME: usize = 1024;

/// What a frame carries, for its size limit: only sync messages may be
/// large (a whole document); control frames are small, and an Intro is read
/// before the peer is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    Intro,
    Offers,
    DocName,
    Sync,
}

impl Frame {
    fn limit(self, limits: &Limits) -> usize {
        match self {
            Frame::Intro => limits.max_intro,
            Frame::Offers => limits.max_offers,
            Frame::DocName => MAX_DOC_NAME,
            Frame::Sync => limits.max_frame,
        }
    }
}

/// Reads one sync-message frame (`read_frame_of` with `Frame::Sync`).
pub async fn read_frame(recv: &mut quinn::RecvStream, limits: &Limits, budget: &mut Budget) -> Result<Vec<u8>> {
    read_frame_of(recv, limits, budget, Frame::Sync).await
}

/// Reads one frame of `kind`; a frame over its limit (refused on the
/// header), over the budget, or a silent peer is an error. The budget is
/// charged before the payload is read.
pub async fn read_frame_of(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
    kind: Frame,
) -> Result<Vec<u8>> {
    let mut len = [0u8; 4];
    tokio::time::timeout(limits.read_timeout, recv.read_exact(&mut len)).await.context("peer stalled (timeout)")??;
    let len = u32::from_be_bytes(len) as usize;
    let max = kind.limit(limits);
    if len > max {
        bail!("peer sent a {len} byte {kind:?} frame; the limit is {max}");
    }
    budget.charge(len as u64 + 4)?;
    let mut buf = Vec::new();
    while buf.len() < len {
        let start = buf.len();
        buf.resize(start + (len - start).min(PIECE), 0);
        tokio::time::timeout(limits.read_timeout, recv.read_exact(&mut buf[start..]))
            .await
            .context("peer stalled (timeout)")??;
    }
    Ok(buf)
}
