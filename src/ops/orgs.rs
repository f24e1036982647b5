//! Organizations (社区社会组织).

use super::{refs, Check, Env, OpResult, Ref};
use crate::domain::{validate, Collection, ExitKind, Organization};
use crate::io::import::filing_scope_of;
use crate::store::Store;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exit {
    pub org: Ref,
    pub date: NaiveDate,
    pub reason: String,
    /// 注销, 撤销登记, 取消备案, 自行解散 or 合并; they differ in law.
    #[serde(default)]
    pub kind: Option<ExitKind>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exited {
    pub org: Organization,
}

/// Marks an organization exited (退出机制); the record is kept.
pub fn exit(env: &mut Env, cmd: Exit) -> OpResult<Exited> {
    let org = refs::org(env.store, &cmd.org)?;
    let mut check = Check::default();
    if cmd.reason.trim().is_empty() {
        check.fail("exit_reason", "退出原因不能为空 (a reason is required)");
    }
    check.done()?;
    let org = env.store.atomically(|s| {
        let mut org = s.exit_org(&org.id, cmd.date, &cmd.reason)?;
        if let Some(kind) = cmd.kind {
            org.exit_as(kind, cmd.date, &cmd.reason);
            s.update(&org)?;
        }
        Ok::<_, crate::store::StoreError>(org)
    })?;
    Ok(Exited { org })
}

/// Rules across records a single add or edit must obey, as the importer does
/// for a file (issue 9 point 6): a credit code belongs to one organization,
/// a filing number to one organization in its township. The clashing field is
/// named so a form marks it. Exited organizations keep their numbers.
/// Checked only when a number, or where it counts, is new to the record.
pub fn check_numbers_free(store: &Store, org: &Organization) -> OpResult<()> {
    let code = org.credit_code.trim().to_uppercase();
    let filing = org.filing_number.trim();
    if code.is_empty() && filing.is_empty() {
        return Ok(());
    }
    let scope = filing_scope_of(&org.division, &org.township);
    // An edit that keeps the numbers, and where a filing number counts, adds
    // no clash: not checked again. A clash a peer's roster brought then
    // blocks no unrelated edit, and an edit does not scan every
    // organization (~120 ms of ~150 through a node at 31,000).
    let kept = |o: &Organization| {
        o.credit_code.trim().to_uppercase() == code
            && o.filing_number.trim() == filing
            && filing_scope_of(&o.division, &o.township) == scope
    };
    if store.get::<Organization>(&org.id).ok().flatten().is_some_and(|stored| kept(&stored)) {
        return Ok(());
    }
    let mut check = Check::default();
    for row in store.scan(Collection::Orgs, &["name", "credit_code", "filing_number", "division", "township"]) {
        if row.id == org.id {
            continue;
        }
        let v: Vec<String> = row.values.into_iter().map(Option::unwrap_or_default).collect();
        let [name, their_code, their_filing, division, township] =
            <[String; 5]>::try_from(v).expect("five fields scanned");
        if !code.is_empty() && their_code.trim().eq_ignore_ascii_case(&code) {
            check.fail("credit_code", validate::credit_code_held(&code, &name));
        }
        if !filing.is_empty() && their_filing.trim() == filing && filing_scope_of(&division, &township) == scope {
            check.fail("filing_number", validate::filing_number_held(filing, &name));
        }
    }
    check.done()
}

/// `org list`: which organizations a filter keeps.
#[derive(Debug, Clone, Default)]
pub struct ListOrgs {
    /// Text, category, legal status, lifecycle, division prefix, uncovered
    /// (its `dispatched` set is filled here, from the assignments in force today).
    pub filter: crate::domain::query::OrgFilter,
    /// At most this many read in full.
    pub limit: Option<usize>,
}

/// The kept organizations in full, by division then name, each with the
/// federation whose roster holds it; `total` counts every one kept before
/// the limit; `federations` names every federation whose roster is held
/// (its id when its meta document is not).
#[derive(Debug, Clone, Default)]
pub struct OrgList {
    pub orgs: Vec<(Organization, crate::domain::RecordId)>,
    pub total: usize,
    pub federations: std::collections::BTreeMap<crate::domain::RecordId, String>,
    /// Rows that matched but could not be read in full (a damaged record).
    pub unreadable: Vec<super::Unreadable>,
}

/// The filter runs over the list rows (cached per document, so a running
/// node answers from memory); only the rows kept, up to the limit, are read
/// in full.
pub fn list(env: &mut Env, mut query: ListOrgs) -> OpResult<OrgList> {
    let store = &mut *env.store;
    // Opened in part (store::scoped): the federations' names and the
    // private fields of the rows printed; the rows themselves come from disk.
    store.need_collections(&[Collection::Meta, Collection::Private])?;
    if query.filter.uncovered {
        store.need_collections(&[Collection::Liaisons])?;
        let (liaisons, _) = store.all_readable::<crate::domain::LiaisonAssignment>();
        query.filter.dispatched = crate::domain::report::dispatched_orgs(&liaisons, env.clock.today());
    }
    let rows = store.org_rows();
    let kept = query.filter.apply(&rows);
    let mut out = OrgList { total: kept.len(), ..Default::default() };
    for fed in store.stored_doc_ids(Some(Collection::Orgs)).iter().map(|d| d.federation()) {
        if let std::collections::btree_map::Entry::Vacant(e) = out.federations.entry(fed) {
            let name = store.federation_record(e.key()).map_or_else(|| e.key().to_string(), |f| f.name);
            e.insert(name);
        }
    }
    // A row whose record does not read in full (a value a peer broke) is
    // named and left out, and takes no place under the limit; past the
    // limit rows are not read, so such a record there still counts in `total`.
    let limit = query.limit.unwrap_or(usize::MAX);
    let mut next = 0;
    while out.orgs.len() < limit && next < kept.len() {
        let batch = &kept[next..next + (limit - out.orgs.len()).min(kept.len() - next)];
        next += batch.len();
        if store.is_partial() {
            // Only the documents of the rows about to be read.
            let ids: std::collections::HashSet<&crate::domain::RecordId> = batch.iter().map(|i| &rows[*i].id).collect();
            let docs = store.org_row_docs(|r| ids.contains(&r.id));
            store.need_docs(&docs)?;
        }
        for row in batch.iter().map(|i| &rows[*i]) {
            match store.get::<Organization>(&row.id) {
                Ok(Some(o)) => out.orgs.push((o, row.federation.clone())),
                Ok(None) => out.total -= 1,
                Err(e) => {
                    out.total -= 1;
                    let mut left_out = super::Unreadable::from(&e);
                    left_out.record.get_or_insert_with(|| row.id.to_string());
                    out.unreadable.push(left_out);
                }
            }
        }
    }
    Ok(out)
}

/// A read command that can run on a store opened in part
/// (`Store::open_partial`): the front end opens so when no node runs.
#[derive(Debug, Clone)]
pub enum Read {
    /// `org show`: the record as the user named it.
    Show(Ref),
    /// `org list`: `list` loads what it prints itself.
    List,
}

/// Loads what the read needs into a store opened in part (nothing in a
/// full one); `org list` loads the documents of the rows it prints itself. `org show` prints the record, its conflicts, today's coverage
/// (every assignment), its evaluations' results (the settings), its private
/// fields: those collections in full, and of the organizations only the
/// documents holding a row with that id or that name (every one, so an
/// ambiguous name is still reported as such), found through the list rows.
pub fn prepare_read(store: &mut Store, read: &Read) -> OpResult<()> {
    if !store.is_partial() {
        return Ok(());
    }
    match read {
        Read::Show(r) => {
            store.need_collections(&[
                Collection::Meta,
                Collection::Private,
                Collection::Settings,
                Collection::Liaisons,
            ])?;
            let text = r.0.trim();
            let key = crate::domain::validate::name_key(text);
            let docs = store
                .org_row_docs(|row| row.id.as_str() == text || crate::domain::validate::name_key(&row.name) == key);
            store.need_docs(&docs)?;
        }
        Read::List => {
            // The rows now, so a document whose rows on disk are stale is
            // loaded (and its damage found) before anything is printed.
            store.need_collections(&[Collection::Meta, Collection::Private])?;
            store.org_rows();
        }
    }
    Ok(())
}
