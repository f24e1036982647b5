//! The sync tab's two views (F6): the peers with their sharing, and the
//! network as this node sees it, a tree of every federation held (the same
//! data as `hubsync network`).

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SyncView {
    #[default]
    Peers,
    Network,
}

impl App {
    pub(super) fn toggle_sync_view(&mut self) {
        self.sync_view = match self.sync_view {
            SyncView::Peers => SyncView::Network,
            SyncView::Network => SyncView::Peers,
        };
        // Each view is its own list: start at its top.
        self.selected[Tab::Sync] = 0;
    }

    /// Nodes heard on the LAN that are not peers (nor this node), in the
    /// order heard: listed after the peers, never trusted until added.
    pub fn lan_unknown(&self) -> Vec<&crate::sync::discovery::Sighting> {
        self.data
            .lan
            .iter()
            .filter(|s| !self.data.peers.iter().any(|p| p.node_id == s.node_id))
            .filter(|s| self.node_id.as_deref() != Some(s.node_id.to_string().as_str()))
            .collect()
    }

    /// Where a known peer was last heard on the LAN, if it was.
    pub fn lan_sighting(&self, peer: &crate::sync::NodeId) -> Option<&crate::sync::discovery::Sighting> {
        self.data.lan.iter().find(|s| &s.node_id == peer)
    }

    /// The federation row selected in the network view.
    pub fn selected_federation(&self) -> Option<&crate::ops::network::FedRow> {
        self.data.network.as_ref()?.federations.get(self.selected[Tab::Sync])
    }
}

/// Short names of the federations whose rosters are held, when more than
/// one is (a hub); empty otherwise, and the lists show no federation column.
pub(super) fn roster_federations(d: &Data) -> HashMap<RecordId, String> {
    let held: HashSet<&RecordId> = d.orgs.iter().map(|r| &r.federation).filter(|f| !f.as_str().is_empty()).collect();
    if held.len() < 2 {
        return HashMap::new();
    }
    let names: HashMap<&str, &str> =
        d.network.iter().flat_map(|n| n.federations.iter()).map(|f| (f.id.as_str(), f.name.as_str())).collect();
    held.into_iter()
        .map(|f| {
            let name = names.get(f.as_str()).copied().unwrap_or(f.as_str());
            (f.clone(), crate::domain::query::short_federation_name(name).to_string())
        })
        .collect()
}
