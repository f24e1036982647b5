//! A spreadsheet as the importer sees it: rows of text cells, each row with the
//! number the user sees beside it (the physical line of a CSV file, the row of
//! an Excel sheet), read from CSV (any line ends, any of the three encodings)
//! or from an .xlsx/.xls/.ods workbook.

use super::import::ImportError;

/// One row of cells and the number a person finds it under.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// CSV: the physical line the row starts on (line 1 is the first line).
    /// Workbook: the Excel row number.
    pub line: usize,
    pub cells: Vec<String>,
    /// Cells the workbook holds as errors (#N/A, #DIV/0!): column and the error.
    pub bad_cells: Vec<(usize, String)>,
}

/// The rows of one CSV file or one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name for workbooks; empty for CSV.
    pub sheet: String,
    /// What the bytes were: an encoding for CSV, the workbook format otherwise.
    pub source: &'static str,
    pub rows: Vec<TableRow>,
}

/// Is this a workbook (zip: xlsx/ods; OLE2: xls) rather than text?
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads CSV bytes. Row numbers are counted from the text itself (every `\n`,
/// and a `\r` not followed by `\n`), so CRLF files, blank lines and quoted cells
/// holding line breaks all give the line a text editor or Excel shows.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ImportError> {
    let (text, encoding) = super::decode(bytes);
    let line_starts = line_starts(&text);
    let line_at = |byte: u64| line_starts.partition_point(|&start| start <= byte as usize);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // The reader's position is where the record starts, before any blank lines it skipped.
                let begin = record.position().map_or(start, |p| p.byte());
                let begin = skip_line_ends(&text, begin as usize);
                rows.push(TableRow {
                    line: line_at(begin as u64),
                    cells: record.iter().map(str::to_string).collect(),
                    bad_cells: Vec::new(),
                });
            }
            Err(e) => {
                let at = e.position().map_or(start, |p| p.byte());
                return Err(ImportError::Csv { line: line_at(at), detail: e.to_string() });
            }
        }
    }
    Ok(Table { sheet: String::new(), source: encoding, rows })
}

/// Byte offsets where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        let ends_line = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(i + 1);
        }
    }
    starts
}

fn skip_line_ends(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// Which row is the header: title rows ("XX街道社区社会组织备案台账", merged
/// across the sheet) sit above it. The first of the first 30 rows holding a
/// required header wins; else the row naming the most known headers; else the first.
pub fn find_header(rows: &[TableRow], is_known: impl Fn(&str) -> bool, is_required: impl Fn(&str) -> bool) -> usize {
    let window = &rows[..rows.len().min(30)];
    if let Some(i) = window.iter().position(|r| r.cells.iter().any(|c| is_required(c))) {
        return i;
    }
    window
        .iter()
        .map(|r| r.cells.iter().filter(|c| is_known(c)).count())
        .enumerate()
        .max_by_key(|&(i, known)| (known, std::cmp::Reverse(i)))
        .filter(|&(_, known)| known > 0)
        .map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<usize> {
        read_csv(text.as_bytes()).unwrap().rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn lines_counted_from_the_text() {
        assert_eq!(lines("a\nb\nc\n"), vec![1, 2, 3]);
        assert_eq!(lines("a\r\nb\r\nc\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("a\r\n\r\nb\r\n"), vec![1, 3]);
        assert_eq!(lines("a\n\"x\r\ny\"\nb"), vec![1, 2, 4]);
        assert_eq!(lines("a\rb\r"), vec![1, 2]);
    }

    #[test]
    fn header_found_below_title_rows() {
        let rows: Vec<TableRow> = [vec!["玉林街道社区社会组织台账", "", ""], vec!["序号", "组织名称", "负责人"]]
            .iter()
            .enumerate()
            .map(|(i, c)| TableRow { line: i + 1, cells: c.iter().map(|s| s.to_string()).collect(), bad_cells: vec![] })
            .collect();
        assert_eq!(find_header(&rows, |c| c == "组织名称" || c == "负责人", |c| c == "组织名称"), 1);
    }
}
