//! Seed corpora for the cargo-fuzz targets in fuzz/: real inputs of each
//! entry point, written as a user's machine would produce them (a store's
//! exported documents and stored pieces, the first messages of a sync, the
//! filing ledger exported as CSV in UTF-8 and GB18030 with CRLF, and as XLSX
//! with a notes sheet, a title row and date cells).
//!
//!     cargo run --example fuzz_seeds -- fuzz/corpus     # what fuzz/seed.sh runs
//!
//! Stored-state and sync seeds start with one mode byte (base or piece;
//! write grant or not), as the targets read them.

use hubsync::domain::*;
use hubsync::io::export::{orgs_sheet, to_csv, to_xlsx};
use hubsync::store::Store;
use std::path::{Path, PathBuf};

#[path = "../tests/fixtures/store.rs"]
mod fixture_store;
use fixture_store::filled_store;

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into()));
    let dir = tempfile::TempDir::new().unwrap();
    let mut store = filled_store(dir.path());
    let doc_id = store.doc_ids(Some(Collection::Orgs)).remove(0);

    // Documents as `doc export` writes them.
    for (i, d) in store.doc_ids(None).iter().enumerate() {
        write(&out, "doc_import", &format!("seed-doc-{i}"), &store.export_doc(d).unwrap());
    }

    // Sync: the first message, and the answer carrying changes to an empty peer.
    let first = store.sync_generate("peer", &doc_id).unwrap().unwrap();
    let empty = tempfile::TempDir::new().unwrap();
    let mut other = Store::open(empty.path()).unwrap();
    other.ensure_doc(&doc_id).unwrap();
    other.sync_receive("a", &doc_id, &first, true).unwrap();
    let reply = other.sync_generate("a", &doc_id).unwrap().unwrap();
    store.sync_receive("peer", &doc_id, &reply, true).unwrap();
    let changes = store.sync_generate("peer", &doc_id).unwrap().unwrap();
    for (name, msg) in [("first", &first), ("reply", &reply), ("changes", &changes)] {
        for grant in [0u8, 1] {
            write(&out, "sync_message", &format!("seed-{name}-grant{grant}"), &[&[grant][..], msg].concat());
        }
    }

    // Stored state: the bases and pieces the store itself wrote.
    let orgs = store.all_readable::<Organization>().0;
    drop(store);
    let db = sled::open(dir.path().join("db")).unwrap();
    let docs = db.open_tree("docs").unwrap();
    for (i, entry) in docs.iter().enumerate() {
        let (key, value) = entry.unwrap();
        let mode = if key.windows(2).any(|w| w == b"\0b") { 0u8 } else { 1 };
        write(&out, "stored_state", &format!("seed-{i}-mode{mode}"), &[&[mode][..], &value].concat());
    }

    // Rosters: the filing ledger the store exports, and ledgers as offices write them.
    let sheet = orgs_sheet(&orgs, &EvaluationSettings::default(), Lang::Zh);
    write(&out, "roster_csv", "seed-export-utf8", &to_csv(&sheet, false));
    write(&out, "roster_csv", "seed-export-gb18030", &to_csv(&sheet, true));
    write(&out, "roster_csv", "seed-ledger-gbk-crlf", &gbk(&LEDGER.replace('\n', "\r\n")));
    write(&out, "roster_csv", "seed-ledger-titled", TITLED.as_bytes());
    write(&out, "roster_xlsx", "seed-export", &to_xlsx(&sheet).unwrap());
    write(&out, "roster_xlsx", "seed-ledger", &ledger_workbook());
    write(&out, "roster_csv", "seed-ledger-xlsx", &ledger_workbook());

    // Relayed sync: mutation scripts over the genuine relayed message the
    // target builds itself (a mode byte, then its arguments).
    for (name, script) in [
        ("untouched", &[0u8][..]),
        ("message-flip", &[0, 0, 0x40, 1]),
        ("signature-flip", &[1, 0, 0, 0x30, 2]),
        ("signature-dropped", &[2, 0]),
        ("signed-by-a-stranger", &[3, 1]),
        ("signature-moved", &[4, 0, 1]),
    ] {
        write(&out, "relayed_sync", &format!("seed-{name}"), script);
    }

    // Inputs kept from earlier hostile runs go to every target.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for entry in std::fs::read_dir(kept).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = format!("seed-kept-{}", path.file_name().unwrap().to_string_lossy());
        for target in ["roster_csv", "roster_xlsx", "doc_import"] {
            write(&out, target, &name, &bytes);
        }
        for target in ["stored_state", "sync_message"] {
            write(&out, target, &name, &[&[1u8][..], &bytes].concat());
        }
        // Mode 5: the bytes are the relayed message itself.
        write(&out, "relayed_sync", &name, &[&[5u8][..], &bytes].concat());
    }
}

fn write(out: &Path, target: &str, name: &str, bytes: &[u8]) {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

fn ledger_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "1. 组织名称须与备案证书一致").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("台账").unwrap();
    ws.merge_range(0, 0, 0, 5, "锦江区玉林街道社区社会组织备案管理台账", &Format::new()).unwrap();
    for (c, h) in
        ["序号", "组织名称", "统一社会信用代码/备案编号", "成立日期", "联系电话", "成员人数"].iter().enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy/m/d");
    for (r, (name, code)) in
        [("玉林社区夕阳红舞蹈队", "玉林备001"), ("锦江区阳光助老协会", "51420000MJH200395N")].iter().enumerate()
    {
        let r = r as u32 + 2;
        ws.write_number(r, 0, f64::from(r - 1)).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *code).unwrap();
        ws.write_datetime_with_format(r, 3, ExcelDateTime::from_ymd(2019, 3, 5).unwrap(), &date).unwrap();
        ws.write_number(r, 4, 13812345678.0).unwrap();
        ws.write_number(r, 5, 30.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

const LEDGER: &str = "\
序号,组织名称,组织类别,统一社会信用代码,备案编号,行政区划代码,所属街道,所属社区,成立时间,负责人,联系电话,会员数,党组织情况
1,玉林社区夕阳红舞蹈队 ,文体娱乐,,玉林备001,510104001002,玉林街道,玉林社区,2019/3/5,李红,138-1234-5678,30人,联合组建
2,望江社区邻里互助会,邻里互助,,望江备002,５１０１０４００２００１,望江街道,望江社区,2019年3月5日,张伟,139 0000 1111,约50,未覆盖
3,,公益慈善,,,510104001002,,,2020-01-01,,,,
6,锦江区阳光助老协会,为民服务,51420000MJH200395N,,510104,,,2018-06-01,赵六,028-8765 4321,１２０人,单独建立
";

const TITLED: &str = "\
锦江区社区社会组织备案台账（2025年）,,,,
填报单位：锦江区民政局,,,,
组织名称,组织类别,登记状态,行政区划代码,\"成员人数\"
\"水井坊社区书画社\",文体娱乐,备案,510104002001,约50
\"望江社区\"\"邻里\"\"互助会\",邻里互助,登记,510104,12
";
