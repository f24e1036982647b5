//! `hubsync doc list|export|import|repair|compact`.

use super::progress::with_bar;
use super::table::{Cell, Format, Table};
use super::Ctx;
use crate::ops;
use crate::store::DocId;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum DocCmd {
    /// 列出文档 (list documents with ids, sizes and heads)
    List {
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 导出文档的标准 Automerge 字节 (write a document's standard Automerge bytes, or every document with --all)
    Export {
        /// 文档编号 (document id)
        #[arg(required_unless_present = "all")]
        doc: Option<String>,
        /// 写入的文件 (file to write)
        #[arg(required_unless_present = "all")]
        file: Option<PathBuf>,
        /// 把全部文档导出到此目录,每个文档一个文件 (write every document into this folder, one file each)
        #[arg(long, value_name = "DIR", conflicts_with_all = ["doc", "file"])]
        all: Option<PathBuf>,
    },
    /// 合并 Automerge 字节 (merge a file, or every .automerge file in a folder, into the documents they name)
    Import {
        /// Automerge 文件或目录 (an Automerge file, or a folder of them)
        path: PathBuf,
    },
    /// 丢弃损坏的文档以便从对等方重新同步 (drop a damaged document so a peer can resend it)
    Repair {
        /// 文档编号 (document id)
        doc: String,
    },
    /// 压缩所有文档并整理磁盘空间 (compact every document and vacuum the database)
    Compact,
}

pub fn run(ctx: &mut Ctx, cmd: DocCmd) -> Result<()> {
    match cmd {
        DocCmd::List { format } => {
            let mut t = Table::new(&[
                ("document", ctx.t("文档", "document")),
                ("collection", ctx.t("类型", "collection")),
                ("records", ctx.t("记录", "records")),
                ("bytes_on_disk", ctx.t("磁盘字节", "bytes")),
                ("pieces", ctx.t("增量", "pieces")),
                // Heads in full for scripts (space-separated), their first 12 digits for people.
                ("heads", ctx.t("头", "heads")),
                ("damaged", ""),
            ]);
            for d in ctx.store.documents() {
                let short = d.heads.iter().map(|h| h[..12.min(h.len())].to_string()).collect::<Vec<_>>().join(" ");
                t.push(vec![
                    Cell::text(d.id.to_string()),
                    Cell::text(d.collection),
                    Cell::int(d.records),
                    Cell::int(d.bytes_on_disk),
                    Cell::int(d.pieces),
                    Cell::new(short, d.heads.join(" ")),
                    Cell::none(),
                ]);
            }
            for (doc, why) in ctx.store.damaged() {
                t.push(vec![
                    Cell::text(doc.to_string()),
                    Cell::text(doc.collection().code()),
                    Cell::none_shown("—"),
                    Cell::none_shown("—"),
                    Cell::none_shown("—"),
                    Cell::new(format!("{}: {why}", ctx.t("已损坏", "damaged")), serde_json::Value::Null),
                    Cell::text(why.to_string()),
                ]);
            }
            out!("{}", t.render(format));
        }
        DocCmd::Export { all: Some(dir), .. } => {
            let target = ctx.path(&dir);
            let done =
                with_bar(ctx.t("导出文档", "exporting"), |p| ops::docs::export_all(&mut ctx.env(), &target, p))?;
            let bytes: usize = done.iter().map(|e| e.bytes).sum();
            outln!(
                "{} {} {} → {} ({bytes} bytes)",
                ctx.t("已导出", "Exported"),
                done.len(),
                ctx.t("个文档", "documents"),
                dir.display()
            );
        }
        DocCmd::Export { doc, file, all: None } => {
            let (Some(doc), Some(file)) = (doc, file) else {
                anyhow::bail!("请给出文档编号和文件,或 --all 目录 (give a document id and a file, or --all DIR)");
            };
            let doc = DocId::parse(&doc).map_err(anyhow::Error::msg)?;
            let target = ctx.path(&file);
            let done = ops::docs::export(&mut ctx.env(), &doc, &target)?;
            outln!("{} {doc} → {} ({} bytes)", ctx.t("已导出", "Exported"), file.display(), done.bytes);
        }
        DocCmd::Import { path } if ctx.path(&path).is_dir() => {
            let source = ctx.path(&path);
            let done =
                with_bar(ctx.t("合并文档", "merging"), |p| ops::docs::import_dir(&mut ctx.env(), &source, p))?;
            for m in &done.merged {
                outln!("{} {} → {}", ctx.t("已合并", "Merged"), shown(&path, &m.file), m.doc);
            }
            for (file, why) in &done.failed {
                errln!("{} {}: {why}", ctx.t("未能合并", "not merged"), shown(&path, file));
            }
            if !done.failed.is_empty() {
                anyhow::bail!(
                    "{} {} {},{} {} (files not merged; the others are)",
                    done.failed.len(),
                    ctx.t("个文件未能合并", "files not merged"),
                    ctx.t("其余已合并", "the rest merged"),
                    done.merged.len(),
                    ctx.t("个", "")
                );
            }
        }
        DocCmd::Import { path } => {
            let source = ctx.path(&path);
            let done = ops::docs::import(&mut ctx.env(), &source)?;
            outln!("{} {} → {}", ctx.t("已合并", "Merged"), path.display(), done.doc);
        }
        DocCmd::Repair { doc } => {
            let doc = DocId::parse(&doc).map_err(anyhow::Error::msg)?;
            let moved = ops::docs::repair(&mut ctx.env(), &doc)?;
            outln!(
                "{} {doc}: {moved} {}",
                ctx.t("已移入隔离区,请从对等方重新同步", "moved to quarantine; sync it again from a peer"),
                ctx.t("个键", "keys")
            );
        }
        DocCmd::Compact => {
            let (before, after) = ops::docs::compact(&mut ctx.env())?;
            outln!("{} {} → {} bytes", ctx.lang.pick("已压缩整理", "Compacted"), before, after);
        }
    }
    Ok(())
}

/// A file in a folder, shown under the folder as the user typed it.
fn shown(typed_dir: &std::path::Path, file: &std::path::Path) -> String {
    match file.file_name() {
        Some(name) => typed_dir.join(name).display().to_string(),
        None => file.display().to_string(),
    }
}
