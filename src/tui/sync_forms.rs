//! Forms of the sync tab: a peer, an invitation, what is shared with a peer.

use super::forms::{yes_no, yes_no_choices, Choice, Form, FormField, FormKind};
use super::i18n::{self, T};
use crate::domain::*;

pub fn new_peer() -> Form {
    let fields = vec![
        FormField::text("node_id", i18n::FIELD_NODE_ID, "", true),
        FormField::text("name", i18n::NAME, "", true),
        FormField::text("addr", i18n::FIELD_ADDR, "", false),
    ];
    Form::new(FormKind::NewPeer, i18n::FORM_NEW_PEER, fields)
}

/// The peer form for a node heard on the LAN: its node id and best
/// address filled in, the name left to the secretary (the node's
/// announcement says nothing of who it is; docs/PRIVACY.md).
/// A node speaking another protocol version gets no address (as the peer
/// list does not take one from it, docs/SYNC.md).
pub fn peer_from_lan(s: &crate::sync::discovery::Sighting) -> Form {
    let addr = Some(s)
        .filter(|s| s.protocol == crate::sync::discovery::PROTOCOL_VERSION)
        .and_then(|s| crate::sync::discovery::best_addr(&s.addrs))
        .map(|a| a.to_string())
        .unwrap_or_default();
    let fields = vec![
        FormField::text("node_id", i18n::FIELD_NODE_ID, &s.node_id.to_string(), true),
        FormField::text("name", i18n::NAME, "", true),
        FormField::text("addr", i18n::FIELD_ADDR, &addr, false),
    ];
    let mut form = Form::new(FormKind::NewPeer, i18n::FORM_NEW_PEER, fields);
    form.focus = 1;
    form
}

pub fn new_invite(lang: Lang) -> Form {
    let fields = vec![
        FormField::text("addr", i18n::FIELD_ADDR, "", true),
        FormField::select("write", i18n::FIELD_WRITE, yes_no(true, lang), true, yes_no_choices()),
    ];
    Form::new(FormKind::NewInvite, i18n::FORM_NEW_INVITE, fields)
}

/// How a collection is shared with a peer, as the sharing form offers it.
const SHARE: [T; 5] = [
    T("不共享", "not shared"),
    T("只读", "read"),
    T("读写", "read/write"),
    T("只读·含下级联合会", "read, and federations below"),
    T("读写·含下级联合会", "read/write, and federations below"),
];

/// The private document (party membership, sensitive personal data) is
/// shared only by choosing it here: "all" never covers it.
const SHARE_PRIVATE: [T; 3] = [
    T("不共享", "not shared"),
    T("只读·含党员敏感信息", "read: sensitive party data"),
    T("读写·含党员敏感信息", "read/write: sensitive party data"),
];

/// The collections the sharing form lists, after "all".
fn shared_collections() -> impl Iterator<Item = Collection> {
    Collection::ALL.into_iter().filter(|c| !matches!(c, Collection::Meta | Collection::Private))
}

/// The sharing form of a peer: all (except the private document), each
/// collection (ours, or with the federations below: `tree:`), and the
/// private document by its own explicit choice.
pub fn grants(lang: Lang, peer: &crate::sync::Peer) -> Form {
    use crate::sync::Grant;
    let held = |key: &str| peer.grants.get(key).copied();
    let choice = |key: &str| match (held(&format!("tree:{key}")), held(key)) {
        (Some(Grant::Write), _) => 4,
        (Some(Grant::Read), _) => 3,
        (None, Some(Grant::Write)) => 2,
        (None, Some(Grant::Read)) => 1,
        (None, None) => 0,
    };
    let options: Vec<Choice> = SHARE.iter().map(|t| (*t).into()).collect();
    let mut fields = vec![FormField::select(
        "*",
        T("全部(党员信息除外)", "All (not party data)"),
        SHARE[choice("*")].get(lang),
        true,
        options.clone(),
    )];
    for c in shared_collections() {
        let label = T(c.label(Lang::Zh), c.label(Lang::En));
        fields.push(FormField::select(c.code(), label, SHARE[choice(c.code())].get(lang), true, options.clone()));
    }
    let private = match held("private") {
        Some(Grant::Write) => 2,
        Some(Grant::Read) => 1,
        None => 0,
    };
    fields.push(FormField::select(
        "private",
        T("党员信息(敏感)", "Party data (sensitive)"),
        SHARE_PRIVATE[private].get(lang),
        true,
        SHARE_PRIVATE.iter().map(|t| (*t).into()).collect(),
    ));
    Form::new(FormKind::Grants(peer.node_id.to_string()), i18n::FORM_GRANTS, fields)
}

impl Form {
    /// The grants a sharing form sets: for each collection both its own key
    /// and its `tree:` key (one of them at most granted).
    pub fn to_grants(&self, lang: Lang) -> Vec<(String, Option<crate::sync::Grant>)> {
        use crate::sync::Grant;
        let mut out = Vec::new();
        for f in &self.fields {
            if f.key == "private" {
                let at = SHARE_PRIVATE.iter().position(|t| t.get(lang) == f.input.text()).unwrap_or(0);
                out.push(("private".to_string(), [None, Some(Grant::Read), Some(Grant::Write)][at]));
                continue;
            }
            let at = SHARE.iter().position(|t| t.get(lang) == f.input.text()).unwrap_or(0);
            let (own, tree) = match at {
                1 => (Some(Grant::Read), None),
                2 => (Some(Grant::Write), None),
                3 => (None, Some(Grant::Read)),
                4 => (None, Some(Grant::Write)),
                _ => (None, None),
            };
            out.push((f.key.to_string(), own));
            out.push((format!("tree:{}", f.key), tree));
        }
        out
    }

    /// (node id, name, address) of a new peer.
    pub fn to_peer(&mut self, lang: Lang) -> Option<(crate::sync::NodeId, String, Option<String>)> {
        self.clear_errors();
        let id = self.parsed("node_id", |t| crate::sync::NodeId::parse(t).map_err(|e| e.to_string()));
        let addr = self.value("addr").trim().to_string();
        if !addr.is_empty() && !addr.contains(':') {
            self.mark("addr", i18n::ADDR_FORMAT.get(lang).into());
        }
        let name = self.value("name").trim().to_string();
        let ok = self.complete(lang);
        (ok && id.is_some()).then(|| (id.expect("checked"), name, (!addr.is_empty()).then_some(addr)))
    }

    /// (address, write access) of an invitation.
    pub fn to_invite(&mut self, lang: Lang) -> Option<(String, bool)> {
        self.clear_errors();
        let addr = self.value("addr").trim().to_string();
        if !addr.contains(':') {
            self.mark("addr", i18n::ADDR_FORMAT.get(lang).into());
        }
        let write = validate::parse_bool(self.value("write")).unwrap_or(false);
        self.complete(lang).then_some((addr, write))
    }
}
