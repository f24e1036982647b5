//! `hubsync doc list|export|import|repair|compact`.

use super::table::{Format, Table};
use super::Ctx;
use crate::store::DocId;
use anyhow::{Context, Result};
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
    /// 导出文档的标准 Automerge 字节 (write a document's standard Automerge bytes)
    Export {
        /// 文档编号 (document id)
        doc: String,
        /// 写入的文件 (file to write)
        file: PathBuf,
    },
    /// 合并 Automerge 字节 (merge Automerge bytes into the document they name)
    Import {
        /// Automerge 文件 (an Automerge file)
        file: PathBuf,
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
                ctx.t("文档", "document"),
                ctx.t("类型", "collection"),
                ctx.t("记录", "records"),
                ctx.t("磁盘字节", "bytes"),
                ctx.t("增量", "pieces"),
                ctx.t("头", "heads"),
            ]);
            for d in ctx.store.documents() {
                let heads = d.heads.iter().map(|h| h[..12.min(h.len())].to_string()).collect::<Vec<_>>().join(" ");
                t.push(vec![
                    d.id.to_string(),
                    d.collection.into(),
                    d.records.to_string(),
                    d.bytes_on_disk.to_string(),
                    d.pieces.to_string(),
                    heads,
                ]);
            }
            for (doc, why) in ctx.store.damaged() {
                t.push(vec![
                    doc.to_string(),
                    doc.collection().code().into(),
                    "—".into(),
                    "—".into(),
                    "—".into(),
                    format!("{}: {why}", ctx.t("已损坏", "damaged")),
                ]);
            }
            out!("{}", t.render(format));
        }
        DocCmd::Export { doc, file } => {
            let doc = DocId::parse(&doc).map_err(anyhow::Error::msg)?;
            let bytes = ctx.store.export_doc(&doc)?;
            std::fs::write(ctx.path(&file), &bytes)
                .with_context(|| format!("无法写入 {} (cannot write)", file.display()))?;
            outln!("{} {doc} → {} ({} bytes)", ctx.t("已导出", "Exported"), file.display(), bytes.len());
        }
        DocCmd::Import { file } => {
            let bytes =
                std::fs::read(ctx.path(&file)).with_context(|| format!("无法读取 {} (cannot read)", file.display()))?;
            let doc = ctx.store.import_doc(&bytes).with_context(|| format!("{}", file.display()))?;
            outln!("{} {} → {doc}", ctx.t("已合并", "Merged"), file.display());
        }
        DocCmd::Repair { doc } => {
            let doc = DocId::parse(&doc).map_err(anyhow::Error::msg)?;
            let moved = ctx.store.repair_doc(&doc)?;
            outln!(
                "{} {doc}: {moved} {}",
                ctx.t("已移入隔离区,请从对等方重新同步", "moved to quarantine; sync it again from a peer"),
                ctx.t("个键", "keys")
            );
        }
        DocCmd::Compact => {
            let (before, after) = ctx.store.compact_and_vacuum()?;
            outln!(
                "{} {} → {} bytes",
                if ctx.lang == crate::domain::Lang::Zh { "已压缩整理" } else { "Compacted" },
                before,
                after
            );
        }
    }
    Ok(())
}
