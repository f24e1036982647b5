//! Whole documents: export and import their standard Automerge bytes (one,
//! or every document to and from a folder, e.g. a USB stick carried to a
//! node with no network), repair a damaged one, compact everything.

use super::{Env, OpResult};
use crate::store::DocId;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// The file extension of exported documents.
pub const EXTENSION: &str = "automerge";

pub use super::Progress;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub doc: DocId,
    pub file: PathBuf,
    pub bytes: usize,
}

/// A document's file name in an export folder: its id with `/` as `_`
/// (ids are hex, collection codes and division codes, so this is one-to-one
/// and safe on every file system).
pub fn file_name(doc: &DocId) -> String {
    format!("{}.{EXTENSION}", doc.to_string().replace('/', "_"))
}

/// Writes one document's bytes to `file`.
pub fn export(env: &mut Env, doc: &DocId, file: &Path) -> OpResult<Exported> {
    let bytes = env.store.export_doc(doc)?;
    std::fs::write(file, &bytes).with_context(|| format!("无法写入 {} (cannot write)", file.display()))?;
    Ok(Exported { doc: doc.clone(), file: file.to_path_buf(), bytes: bytes.len() })
}

/// Writes every document into `dir` (created if missing), one file each.
pub fn export_all(env: &mut Env, dir: &Path, progress: Progress) -> OpResult<Vec<Exported>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("无法创建目录 {} (cannot create the folder)", dir.display()))?;
    let docs: Vec<DocId> = env.store.documents().into_iter().map(|d| d.id).collect();
    let mut done = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        done.push(export(env, doc, &dir.join(file_name(doc)))?);
        progress(i + 1, docs.len());
    }
    Ok(done)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub file: PathBuf,
    pub doc: DocId,
}

/// Merges one file's bytes into the document they name (`_doc`).
pub fn import(env: &mut Env, file: &Path) -> OpResult<Merged> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {} (cannot read)", file.display()))?;
    let doc = env.store.import_doc(&bytes).with_context(|| file.display().to_string())?;
    Ok(Merged { file: file.to_path_buf(), doc })
}

/// What importing a folder did: every good file merged, every bad one named.
#[derive(Debug, Default)]
pub struct FolderImported {
    pub merged: Vec<Merged>,
    /// Files that could not be merged, and why; the others are merged
    /// regardless (a merge never loses anything, so a partial import is safe
    /// and the bad files can be fetched again).
    pub failed: Vec<(PathBuf, String)>,
}

/// Merges every `.automerge` file in `dir` (not its subfolders), in name order.
pub fn import_dir(env: &mut Env, dir: &Path, progress: Progress) -> OpResult<FolderImported> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("无法读取目录 {} (cannot read the folder)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case(EXTENSION)))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(anyhow::anyhow!(
            "目录 {} 中没有 .{EXTENSION} 文件 (no .{EXTENSION} files in the folder)",
            dir.display()
        )
        .into());
    }
    let mut out = FolderImported::default();
    for (i, file) in files.iter().enumerate() {
        match import(env, file) {
            Ok(m) => out.merged.push(m),
            Err(e) => out.failed.push((file.clone(), format!("{e:#}"))),
        }
        progress(i + 1, files.len());
    }
    Ok(out)
}

/// Moves a damaged document to quarantine so a peer can send it again;
/// the number of keys moved.
pub fn repair(env: &mut Env, doc: &DocId) -> OpResult<usize> {
    Ok(env.store.repair_doc(doc)?)
}

/// Compacts every document and vacuums the database in place; bytes on
/// disk before and after.
pub fn compact(env: &mut Env) -> OpResult<(u64, u64)> {
    Ok(env.store.compact_and_vacuum()?)
}
