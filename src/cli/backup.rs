//! `hubsync backup FILE` and `hubsync restore FILE [DIR]` (ops::backup).

use super::Ctx;
use crate::domain::Lang;
use crate::ops::backup::{self, Backup, Restore};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Writes the backup; with a node running, this runs inside it.
pub fn run_backup(ctx: &mut Ctx, file: &Path) -> Result<()> {
    let target = ctx.path(file);
    let done = backup::backup(&mut ctx.env(), Backup { file: target })?;
    let lang = ctx.lang;
    outln!(
        "{} {} ({} {}, {} {}, {} {}, {})",
        lang.pick("已备份到", "Backed up to"),
        file.display(),
        done.documents,
        lang.pick("个文档", "documents"),
        done.federations,
        lang.pick("个联合会", "federations"),
        done.signatures,
        lang.pick("个签名", "signatures"),
        human_bytes(done.bytes),
    );
    outln!("{} {}", lang.pick("节点编号", "Node id"), done.node_id);
    for (doc, why) in &done.left_out {
        errln!(
            "{}: {doc} ({why}); {}",
            lang.pick("警告: 已损坏的文档未备份", "warning: a damaged document is not in the backup"),
            lang.pick("请运行 hubsync doc repair 并从对等方重新同步", "run `hubsync doc repair` and sync it again")
        );
    }
    errln!(
        "{}",
        lang.pick("提示: 备份文件含本节点的身份密钥和全部名册 (含党员信息),请像保管公章一样保管,不要通过聊天软件发送 (the file holds this node's key and every roster: keep it safe)",
            "note: the file holds this node's identity key and every roster, Party membership included: keep it as safe as the office seal, never send it by chat"
        )
    );
    Ok(())
}

/// Restores into a new data directory; needs no store and no node.
pub fn run_restore(lang: Lang, file: &Path, dir: PathBuf) -> Result<()> {
    let done = backup::restore(Restore { file: file.to_path_buf(), dir })?;
    outln!(
        "{} {} ({} {}, {} {})",
        lang.pick("已恢复到", "Restored into"),
        done.dir.display(),
        done.documents,
        lang.pick("个文档", "documents"),
        done.signatures,
        lang.pick("个签名", "signatures"),
    );
    outln!("{} {}", lang.pick("备份时间", "Backup made at"), done.created.format("%Y-%m-%d %H:%M"));
    outln!("{} {}", lang.pick("节点编号 (与原设备相同)", "Node id (the same as the old device)"), done.node_id);
    outln!(
        "{}",
        lang.pick("本机以原设备的身份继续工作,对等方照常信任;请勿再让原设备同步。备份之后的修改会在与对等方同步时取回。",
            "This machine carries on as the old device: peers keep trusting it. Do not let the old device sync again. Changes made after the backup come back from the peers at the next sync."
        )
    );
    Ok(())
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}
