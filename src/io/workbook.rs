//! Workbooks in (.xlsx, .xls, .xlsb, .ods) through calamine: each sheet becomes
//! a `Table` whose rows carry their Excel row numbers. Date cells become
//! `YYYY-MM-DD`, whole numbers lose Excel's ".0" (a phone stored as a number
//! stays 13812345678), error cells are reported, not read as text.

use super::import::ImportError;
use super::table::{Table, TableRow};
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;

/// Every sheet of the workbook, in the workbook's order.
pub fn read_sheets(bytes: &[u8]) -> Result<Vec<Table>, ImportError> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| ImportError::Workbook(format!("无法打开工作簿 (cannot open the workbook): {e}")))?;
    let source = match &book {
        calamine::Sheets::Xls(_) => "XLS",
        calamine::Sheets::Xlsx(_) => "XLSX",
        calamine::Sheets::Xlsb(_) => "XLSB",
        calamine::Sheets::Ods(_) => "ODS",
    };
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::Workbook(format!("工作表「{name}」无法读取 (cannot read sheet {name}): {e}")))?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let first_col = range.start().map_or(0, |(_, col)| col as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                // Cells left of the used range are blank; keep columns where Excel has them.
                let mut row =
                    TableRow { line: first_row + i + 1, cells: vec![String::new(); first_col], bad_cells: vec![] };
                for cell in cells {
                    match cell_text(cell) {
                        Ok(text) => row.cells.push(text),
                        Err(e) => {
                            row.bad_cells.push((row.cells.len(), e));
                            row.cells.push(String::new());
                        }
                    }
                }
                row
            })
            .collect();
        tables.push(Table { sheet: name, source, rows });
    }
    Ok(tables)
}

/// A cell as the text a person would have typed for it.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Phones, counts and years are stored as numbers: 13812345678.0 must read as 13812345678.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => (if *b { "是" } else { "否" }).to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) => s.get(..10).filter(|_| s.len() > 10 && s.contains('T')).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("单元格为错误值 {e} (the cell holds an Excel error)")),
    })
}
