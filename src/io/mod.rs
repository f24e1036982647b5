//! Spreadsheets in and out: CSV decoding (UTF-8, UTF-8 with BOM, GBK/GB18030),
//! roster import plans with per-line errors, CSV/JSON/XLSX export.

pub mod activity_export;
pub mod activity_import;
pub mod export;
pub mod figures;
pub mod import;
pub mod ledger_import;
pub mod table;
pub mod workbook;

/// Decodes a CSV file's bytes, detecting the encoding: a UTF-8 BOM, valid
/// UTF-8, else GB18030 (a superset of GBK, which Excel writes on Chinese Windows).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "GB18030/GBK")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_three_encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("组织名称,负责人\n阳光,张三\n");
        assert_eq!(decode(&gbk), ("组织名称,负责人\n阳光,张三\n".to_string(), "GB18030/GBK"));
        assert_eq!(decode("名称\n".as_bytes()).1, "UTF-8");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("名称\n".as_bytes());
        assert_eq!(decode(&bom), ("名称\n".to_string(), "UTF-8 (BOM)"));
    }
}
