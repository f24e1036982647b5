//! Exports: one sheet per record kind, with Chinese headers by default. The
//! organization sheet is the filing ledger (备案管理台账) a federation sends
//! to the civil affairs bureau.

use crate::domain::*;
use std::collections::HashMap;

/// A header row and string rows, written as CSV, JSON or XLSX.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Names of records referenced by id, so exports show names, not ids.
#[derive(Default)]
pub struct Names {
    pub orgs: HashMap<RecordId, String>,
    pub people: HashMap<RecordId, String>,
    pub venues: HashMap<RecordId, String>,
    pub trainings: HashMap<RecordId, String>,
}

impl Names {
    fn of(map: &HashMap<RecordId, String>, id: &Option<RecordId>) -> String {
        id.as_ref().map(|i| map.get(i).cloned().unwrap_or_else(|| i.to_string())).unwrap_or_default()
    }
}

fn yes(b: bool, lang: Lang) -> String {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
    .into()
}

fn headers(lang: Lang, cols: &[(&str, &str)]) -> Vec<String> {
    cols.iter().map(|(zh, en)| lang.pick(*zh, *en).to_string()).collect()
}

/// The filing ledger: one row per organization, exited ones included.
pub fn orgs_sheet(orgs: &[Organization], settings: &EvaluationSettings, lang: Lang) -> Sheet {
    let mut sorted: Vec<&Organization> = orgs.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.division, &a.township, &a.community, &a.name).cmp(&(&b.division, &b.township, &b.community, &b.name))
    });
    let l = lang;
    let rows = sorted
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let latest = o.evaluations.iter().next_back();
            vec![
                (i + 1).to_string(),
                o.name.clone(),
                o.credit_code.clone(),
                o.filing_number.clone(),
                o.category.label(l).into(),
                o.service_type.map(|s| s.label(l).to_string()).unwrap_or_default(),
                o.legal_status.label(l).into(),
                o.division.clone(),
                o.township.clone(),
                o.community.clone(),
                o.address.clone(),
                o.founded.map(|d| d.to_string()).unwrap_or_default(),
                o.filing_date.map(|d| d.to_string()).unwrap_or_default(),
                o.registration_date.map(|d| d.to_string()).unwrap_or_default(),
                o.filing_authority.clone(),
                o.head_name.clone(),
                o.head_phone.clone(),
                o.contact_name.clone(),
                o.contact_phone.clone(),
                o.members.map(|m| m.to_string()).unwrap_or_default(),
                o.scope.clone(),
                o.party_status.label(l).into(),
                o.party_members.map(|m| m.to_string()).unwrap_or_default(),
                yes(o.party_in_charter, l),
                code_list::labels(&o.mass_orgs, l),
                o.brand_year.map(|y| y.to_string()).unwrap_or_default(),
                latest
                    .map(|(y, e)| format!("{y} {} {}", e.total(), e.effective_result(settings).label(l)))
                    .unwrap_or_default(),
                o.lifecycle.label(l).into(),
                o.exit_date.map(|d| d.to_string()).unwrap_or_default(),
                o.exit_reason.clone(),
                o.exit_kind.map(|k| k.label(l).to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("备案管理台账".into(), "Filing ledger".into()),
        headers: headers(
            lang,
            &[
                ("序号", "No."),
                ("组织名称", "Name"),
                ("统一社会信用代码", "Credit code"),
                ("备案编号", "Filing number"),
                ("组织类别", "Category"),
                ("服务类型", "Service type"),
                ("法律状态", "Legal status"),
                ("行政区划代码", "Division code"),
                ("所属街道/乡镇", "Township"),
                ("所属社区/村", "Community"),
                ("地址", "Address"),
                ("成立日期", "Founded"),
                ("备案日期", "Filing date"),
                ("登记日期", "Registration date"),
                ("备案机关", "Filing authority"),
                ("负责人", "Head"),
                ("联系电话", "Phone"),
                ("联系人", "Contact person"),
                ("联系人电话", "Contact phone"),
                ("成员人数", "Members"),
                ("业务范围", "Scope"),
                ("党组织情况", "Party organization"),
                ("正式党员人数", "Party members"),
                ("党建入章", "Party building in charter"),
                ("群团组织", "Mass organizations"),
                ("品牌/示范年份", "Brand year"),
                ("最近考核", "Latest evaluation"),
                ("状态", "Status"),
                ("退出日期", "Exit date"),
                ("退出原因", "Exit reason"),
                ("退出方式", "Exit kind"),
            ],
        ),
        rows,
    }
}

/// People; party membership only when the user asks for it (PIPL art. 28).
pub fn people_sheet(people: &[Person], names: &Names, lang: Lang, with_party: bool) -> Sheet {
    let mut cols = vec![
        ("姓名", "Name"),
        ("电话", "Phone"),
        ("角色", "Roles"),
        ("所属组织", "Organization"),
        ("社工职业资格", "Social-worker grade"),
        ("备注", "Notes"),
    ];
    if with_party {
        cols.insert(2, ("党员", "Party member"));
    }
    let rows = people
        .iter()
        .map(|p| {
            let mut row = vec![
                p.name.clone(),
                p.phone.clone(),
                code_list::labels(&p.roles, lang),
                Names::of(&names.orgs, &p.organization),
                p.social_worker_grade.map(|g| g.label(lang).to_string()).unwrap_or_default(),
                p.notes.clone(),
            ];
            if with_party {
                row.insert(2, yes(p.party_member, lang));
            }
            row
        })
        .collect();
    Sheet { name: lang.pick("人员".into(), "People".into()), headers: headers(lang, &cols), rows }
}

pub fn liaisons_sheet(list: &[LiaisonAssignment], names: &Names, lang: Lang) -> Sheet {
    let rows = list
        .iter()
        .map(|a| {
            vec![
                Names::of(&names.people, &Some(a.person.clone())),
                Names::of(&names.orgs, &Some(a.organization.clone())),
                a.role.label(lang).into(),
                a.dispatched_by.clone(),
                a.from.to_string(),
                a.to.map(|d| d.to_string()).unwrap_or_default(),
                a.end_reason.clone(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("指导员联络员".into(), "Liaisons".into()),
        headers: headers(
            lang,
            &[
                ("人员", "Person"),
                ("组织", "Organization"),
                ("类型", "Role"),
                ("选派单位", "Dispatched by"),
                ("开始日期", "From"),
                ("结束日期", "To"),
                ("结束原因", "End reason"),
            ],
        ),
        rows,
    }
}

pub fn venues_sheet(list: &[Venue], lang: Lang) -> Sheet {
    let rows = list
        .iter()
        .map(|v| {
            vec![
                v.name.clone(),
                v.kind.label(lang).into(),
                v.address.clone(),
                v.division.clone(),
                v.capacity.map(|c| c.to_string()).unwrap_or_default(),
                v.facilities.clone(),
                v.opening_hours.clone(),
                v.owner.clone(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("场地".into(), "Venues".into()),
        headers: headers(
            lang,
            &[
                ("场地名称", "Name"),
                ("场地类型", "Kind"),
                ("地址", "Address"),
                ("行政区划代码", "Division code"),
                ("容纳人数", "Capacity"),
                ("设施", "Facilities"),
                ("开放时间", "Opening hours"),
                ("管理单位", "Owner"),
            ],
        ),
        rows,
    }
}

pub fn bookings_sheet(list: &[Booking], names: &Names, lang: Lang) -> Sheet {
    let rows = list
        .iter()
        .map(|b| {
            vec![
                Names::of(&names.venues, &Some(b.venue.clone())),
                Names::of(&names.orgs, &b.organization),
                b.date.to_string(),
                b.start.clone(),
                b.end.clone(),
                b.purpose.clone(),
                b.expected.map(|e| e.to_string()).unwrap_or_default(),
                b.status.label(lang).into(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("场地预约".into(), "Bookings".into()),
        headers: headers(
            lang,
            &[
                ("场地", "Venue"),
                ("组织", "Organization"),
                ("日期", "Date"),
                ("开始", "Start"),
                ("结束", "End"),
                ("用途", "Purpose"),
                ("预计人数", "Expected"),
                ("状态", "Status"),
            ],
        ),
        rows,
    }
}

pub fn trainings_sheet(list: &[Training], names: &Names, lang: Lang) -> Sheet {
    let mut rows = Vec::new();
    for t in list {
        for (sid, s) in t.sessions_in_order() {
            rows.push(vec![
                t.title.clone(),
                t.format.label(lang).into(),
                code_list::labels(&t.topics, lang),
                t.trainer.clone(),
                Names::of(&names.venues, &t.venue),
                sid.to_string(),
                s.date.to_string(),
                s.start.clone(),
                s.end.clone(),
                format!("{:.1}", s.hours()),
            ]);
        }
    }
    Sheet {
        name: lang.pick("培训".into(), "Trainings".into()),
        headers: headers(
            lang,
            &[
                ("培训名称", "Title"),
                ("培训形式", "Format"),
                ("培训主题", "Topics"),
                ("授课人", "Trainer"),
                ("场地", "Venue"),
                ("课次", "Session"),
                ("日期", "Date"),
                ("开始", "Start"),
                ("结束", "End"),
                ("学时", "Hours"),
            ],
        ),
        rows,
    }
}

pub fn attendance_sheet(list: &[Attendance], names: &Names, lang: Lang) -> Sheet {
    let rows = list
        .iter()
        .map(|a| {
            vec![
                Names::of(&names.trainings, &Some(a.training.clone())),
                a.session.to_string(),
                Names::of(&names.people, &Some(a.person.clone())),
                Names::of(&names.orgs, &a.organization),
                a.status.label(lang).into(),
                a.signed_in.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                format!("{:.1}", a.hours),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("签到".into(), "Attendance".into()),
        headers: headers(
            lang,
            &[
                ("培训", "Training"),
                ("课次", "Session"),
                ("人员", "Person"),
                ("组织", "Organization"),
                ("状态", "Status"),
                ("签到时间", "Signed in"),
                ("学时", "Hours"),
            ],
        ),
        rows,
    }
}

/// CSV with a UTF-8 BOM (so Excel opens Chinese correctly), or GB18030.
pub fn to_csv(sheet: &Sheet, gb18030: bool) -> Vec<u8> {
    to_csv_titled(sheet, None, gb18030)
}

/// The CSV with a title row above the header, as ledgers from Excel have
/// it (the title in the first cell, the rest of the row empty): the
/// importers skip it when they look for the header.
pub fn to_csv_titled(sheet: &Sheet, title: Option<&str>, gb18030: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(title) = title {
        let mut row = vec![String::new(); sheet.headers.len().max(1)];
        row[0] = title.to_string();
        let _ = w.write_record(&row);
    }
    let _ = w.write_record(&sheet.headers);
    for r in &sheet.rows {
        let _ = w.write_record(r);
    }
    let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    if gb18030 {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// An .xlsx workbook: bold frozen header, columns sized to their content.
/// Text cut to what a spreadsheet cell holds, marked with "…". The importers
/// refuse longer cells, but a record from a peer or an older version may
/// still hold one, and one cell must not fail the whole ledger.
pub(crate) fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let max = crate::domain::validate::CELL_MAX_CHARS;
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let mut cut: String = text.chars().take(max - 1).collect();
            cut.push('…');
            std::borrow::Cow::Owned(cut)
        }
    }
}

pub fn to_xlsx(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    to_xlsx_sheets(std::slice::from_ref(sheet))
}

/// A workbook of several sheets in order (the records first, where the
/// importers look for them).
pub fn to_xlsx_sheets(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for sheet in sheets {
        add_sheet(&mut book, sheet)?;
    }
    book.save_to_buffer()
}

fn add_sheet(book: &mut rust_xlsxwriter::Workbook, sheet: &Sheet) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::Format;
    let ws = book.add_worksheet();
    ws.set_name(&sheet.name)?;
    let bold = Format::new().set_bold();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, fit_cell(cell))?;
        }
    }
    for c in 0..sheet.headers.len() {
        let widest = std::iter::once(&sheet.headers[c])
            .chain(sheet.rows.iter().filter_map(|r| r.get(c)))
            .map(|s| unicode_width::UnicodeWidthStr::width(s.as_str()))
            .max()
            .unwrap_or(8);
        ws.set_column_width(c as u16, (widest.clamp(6, 40) + 2) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
