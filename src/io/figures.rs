//! The report for machines and for the bureau: a long CSV of stable codes
//! and an indicator workbook with a sheet per figure, broken down per
//! county and township, each sheet stating its base and as-of date.
//!
//! To add a figure to the workbook, write a `fn(&Book) -> FigureSheet` and
//! list it in `SHEETS`.

mod work;

use crate::domain::report::{Area, Counts, Report};
use crate::domain::{Federation, Lang, Level, Vocabulary};
use serde::Serialize;

/// One cell of a figure sheet; numbers stay numbers in the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(usize),
    Num(f64),
    /// A ratio 0–1 shown as a percentage; None (no base) shows as `—`.
    Rate(Option<f64>),
    /// A decimal that may have no value (`—`).
    Maybe(Option<f64>),
}

/// A sheet: title, the base and date it is computed on, a header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSheet {
    pub name: String,
    pub title: String,
    pub base: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What every sheet function gets.
pub struct Book<'a> {
    pub report: &'a Report,
    pub federation: Option<&'a Federation>,
    pub lang: Lang,
}

impl Book<'_> {
    pub fn t(&self, zh: &str, en: &str) -> String {
        self.lang.pick(zh, en).to_string()
    }

    /// The line under every title: as-of date, reporting year, federation.
    fn dated(&self, base: &str) -> String {
        let r = self.report;
        format!(
            "{}: {base} · {} {} · {} {}-01-01 – {} · {}",
            self.t("统计口径", "Base"),
            self.t("截至", "as of"),
            r.as_of,
            self.t("报告年度", "reporting year"),
            r.year,
            r.as_of,
            self.federation.map(|f| f.name.as_str()).unwrap_or_default()
        )
    }

    fn surviving(&self) -> String {
        self.t(
            "截至日期存续的组织(活跃+休眠),已退出的另计",
            "organizations surviving at the as-of date (active + dormant); exited ones apart",
        )
    }

    /// Total row, then each county followed by its townships.
    fn areas(&self) -> Vec<&Area> {
        let r = self.report;
        let mut out = vec![&r.total];
        for c in &r.counties {
            out.push(c);
            out.extend(r.townships.iter().filter(|t| t.county == c.code));
        }
        out
    }

    fn area_headers(&self, rest: &[(&str, &str)]) -> Vec<String> {
        let mut h = vec![
            self.t("层级", "Level"),
            self.t("县(市、区)", "County"),
            self.t("乡镇(街道)", "Township"),
            self.t("区划代码", "Division code"),
        ];
        h.extend(rest.iter().map(|(zh, en)| self.t(zh, en)));
        h
    }

    fn area_cells(&self, a: &Area) -> Vec<Cell> {
        let r = self.report;
        let county_name =
            |code: &str| r.counties.iter().find(|c| c.code == code).map(|c| c.name.clone()).unwrap_or_default();
        let (level, county, township) = match a.level {
            Level::Township => (self.t("乡镇(街道)", "Township"), county_name(&a.county), a.name.clone()),
            Level::County if !a.code.is_empty() => (self.t("县(市、区)", "County"), a.name.clone(), String::new()),
            _ => (self.t("合计", "Total"), a.name.clone(), String::new()),
        };
        vec![Cell::Text(level), Cell::Text(county), Cell::Text(township), Cell::Text(a.code.clone())]
    }

    fn area_sheet(
        &self,
        name: (&str, &str),
        base: String,
        columns: &[(&str, &str)],
        cells: impl Fn(&Area) -> Vec<Cell>,
    ) -> FigureSheet {
        let rows = self
            .areas()
            .into_iter()
            .map(|a| {
                let mut row = self.area_cells(a);
                row.extend(cells(a));
                row
            })
            .collect();
        FigureSheet {
            name: self.t(name.0, name.1),
            title: self.t(name.0, name.1),
            base: self.dated(&base),
            headers: self.area_headers(columns),
            rows,
        }
    }
}

fn vocab_columns<K: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    K::all().iter().map(|k| (k.zh(), k.en())).collect()
}

fn count_cells<K: Vocabulary + Ord + Serialize>(c: &Counts<K>) -> Vec<Cell> {
    K::all().iter().map(|k| Cell::Int(c.get(*k))).collect()
}

fn overview(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("组织概况", "Organizations"),
        b.surviving(),
        &[
            ("存续", "Surviving"),
            ("活跃", "Active"),
            ("休眠", "Dormant"),
            ("已退出(累计)", "Exited (to date)"),
            ("本年新增", "New this year"),
            ("本年退出", "Exited this year"),
        ],
        |a| {
            let x = &a.base;
            [x.surviving, x.active, x.dormant, x.exited, x.new_in_year, x.exited_in_year].map(Cell::Int).to_vec()
        },
    )
}

fn by_category(b: &Book) -> FigureSheet {
    let mut cols = vocab_columns::<crate::domain::Category>();
    cols.push(("合计", "Total"));
    b.area_sheet(("按类别", "By category"), b.surviving(), &cols, |a| {
        let mut row = count_cells(&a.by_category);
        row.push(Cell::Int(a.by_category.total()));
        row
    })
}

fn by_legal_status(b: &Book) -> FigureSheet {
    let mut cols = vocab_columns::<crate::domain::LegalStatus>();
    cols.push(("合计", "Total"));
    b.area_sheet(("按法律状态", "By legal status"), b.surviving(), &cols, |a| {
        let mut row = count_cells(&a.by_legal_status);
        row.push(Cell::Int(a.by_legal_status.total()));
        row
    })
}

fn coverage(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("党建覆盖", "Party coverage"),
        format!(
            "{}; {}",
            b.surviving(),
            b.t(
                "党组织覆盖=单独建立+联合组建;党的工作覆盖=党组织覆盖或截至日有在岗指导员/联络员",
                "organization coverage = own + joint; work coverage = organization coverage or an instructor/liaison assignment in force at the as-of date"
            )
        ),
        &[
            ("存续组织", "Surviving"),
            ("单独建立", "Own"),
            ("联合组建", "Joint"),
            ("党组织覆盖", "Organization coverage"),
            ("党组织覆盖率", "Organization coverage rate"),
            ("有在岗指导员/联络员", "With an assignment in force"),
            ("仅靠选派覆盖", "By assignment alone"),
            ("党的工作覆盖", "Work coverage"),
            ("党的工作覆盖率", "Work coverage rate"),
        ],
        |a| {
            let c = &a.coverage;
            vec![
                Cell::Int(c.base),
                Cell::Int(c.own),
                Cell::Int(c.joint),
                Cell::Int(c.organization_covered),
                Cell::Rate(c.organization_rate),
                Cell::Int(c.dispatched),
                Cell::Int(c.dispatched_only),
                Cell::Int(c.work_covered),
                Cell::Rate(c.work_rate),
            ]
        },
    )
}

fn liaisons(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("指导员联络员", "Liaisons"),
        b.t(
            "截至日期在岗的选派,所派往的组织截至当日存续",
            "assignments in force at the as-of date, to organizations surviving then",
        ),
        &[
            ("在岗选派", "Assignments in force"),
            ("指导员/联络员人数", "People"),
            ("人均负责组织数", "Organizations per person"),
        ],
        |a| {
            vec![
                Cell::Int(a.assignments),
                Cell::Int(a.liaisons),
                Cell::Maybe(crate::domain::report::ratio(a.assignments as f64, a.liaisons as f64)),
            ]
        },
    )
}

fn training(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("培训", "Trainings"),
        b.t(
            "报告年度内(1月1日至截至日)的签到,按签到所属组织的区划",
            "sign-ins of the reporting year (1 January to the as-of date), by the division of the organization signed in for",
        ),
        &[
            ("培训期数", "Trainings"),
            ("课次", "Sessions"),
            ("签到人次", "Attendances"),
            ("人数", "People"),
            ("学时", "Hours"),
        ],
        |a| {
            let t = &a.training;
            vec![Cell::Int(t.trainings), Cell::Int(t.sessions), Cell::Int(t.attendances), Cell::Int(t.people), Cell::Num(t.hours)]
        },
    )
}

fn venues(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("场地使用", "Venue use"),
        b.t(
            "场地按其区划;报告年度内已确认的预约",
            "venues by their division; confirmed bookings of the reporting year",
        ),
        &[("场地数", "Venues"), ("已确认预约", "Confirmed bookings"), ("预约时长(小时)", "Booked hours")],
        |a| vec![Cell::Int(a.venues.venues), Cell::Int(a.venues.bookings), Cell::Num(a.venues.hours)],
    )
}

fn density(b: &Book) -> FigureSheet {
    b.area_sheet(
        ("密度", "Density"),
        b.t(
            "截至日存续的组织按所在社区/村计;目标为平均值:城市社区10个、农村5个;只计记录中出现的社区/村",
            "surviving organizations per community; the target is an average, 10 per urban and 5 per rural community; only communities the records name",
        ),
        &[
            ("社区/村数", "Communities"),
            ("城市社区", "Urban"),
            ("农村", "Rural"),
            ("社区内组织数", "Organizations in communities"),
            ("平均每社区", "Average"),
            ("中位数", "Median"),
            ("目标(平均)", "Target (average)"),
            ("是否达标", "Meets target"),
            ("低于自身目标的社区", "Communities below their own target"),
        ],
        |a| {
            let d = &a.density;
            vec![
                Cell::Int(d.communities),
                Cell::Int(d.urban),
                Cell::Int(d.rural),
                Cell::Int(d.organizations),
                Cell::Maybe(d.average),
                Cell::Maybe(d.median),
                Cell::Maybe(d.target),
                Cell::Text(match d.meets_target {
                    Some(true) => b.t("是", "yes"),
                    Some(false) => b.t("否", "no"),
                    None => "—".into(),
                }),
                Cell::Int(d.below_target),
            ]
        },
    )
}

fn list_sheet(
    b: &Book,
    name: (&str, &str),
    base: String,
    headers: &[(&str, &str)],
    rows: Vec<Vec<Cell>>,
) -> FigureSheet {
    FigureSheet {
        name: b.t(name.0, name.1),
        title: b.t(name.0, name.1),
        base: b.dated(&base),
        headers: headers.iter().map(|(zh, en)| b.t(zh, en)).collect(),
        rows,
    }
}

fn org_rows(list: &[crate::domain::report::OrgRef]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|o| {
            vec![
                Cell::Text(o.name.clone()),
                Cell::Text(o.township.clone()),
                Cell::Text(o.community.clone()),
                Cell::Text(o.division.clone()),
                Cell::Text(o.id.to_string()),
            ]
        })
        .collect()
}

const ORG_COLUMNS: &[(&str, &str)] = &[
    ("组织名称", "Name"),
    ("所属街道/乡镇", "Township"),
    ("所属社区/村", "Community"),
    ("区划代码", "Division code"),
    ("编号", "Id"),
];

fn uncovered(b: &Book) -> FigureSheet {
    list_sheet(
        b,
        ("未覆盖组织", "Not covered"),
        b.t(
            "截至日存续、既无党组织也无在岗指导员/联络员的组织",
            "surviving organizations with neither a Party organization nor an assignment in force",
        ),
        ORG_COLUMNS,
        org_rows(&b.report.uncovered),
    )
}

fn dispatched_unrecorded(b: &Book) -> FigureSheet {
    list_sheet(
        b,
        ("选派待核实", "Dispatch to check"),
        b.t(
            "党组织情况登记为“选派”,但截至日无在岗选派记录,未计入覆盖",
            "recorded as dispatched but with no assignment in force at the as-of date; not counted as covered",
        ),
        ORG_COLUMNS,
        org_rows(&b.report.dispatched_unrecorded),
    )
}

/// Each instructor and liaison, the most loaded first, with the organizations
/// assigned (the statistics tab's liaison view exports this sheet).
pub fn liaison_load(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .liaison_load
        .iter()
        .map(|x| {
            let names: Vec<&str> = x.assigned.iter().map(|o| o.name.as_str()).collect();
            vec![
                Cell::Text(x.name.clone()),
                Cell::Text(x.role.label(b.lang).into()),
                Cell::Int(x.organizations),
                Cell::Text(names.join("、")),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("联络员负荷", "Liaison load"),
        b.t(
            "截至日在岗的选派;有指导员/联络员角色而无在岗选派的人员计 0",
            "assignments in force at the as-of date; people holding the role with none in force count 0",
        ),
        &[("姓名", "Name"), ("类型", "Role"), ("负责组织数", "Organizations"), ("负责组织", "Organizations assigned")],
        rows,
    )
}

/// One line per township with the figures the statistics tab's township
/// view shows: standing, category, legal status, both coverages, the
/// assignments in force and density against the 10/5 target.
pub fn townships(b: &Book) -> FigureSheet {
    let r = b.report;
    let county_name =
        |code: &str| r.counties.iter().find(|c| c.code == code).map(|c| c.name.clone()).unwrap_or_default();
    let mut headers: Vec<(&str, &str)> = vec![
        ("县(市、区)", "County"),
        ("乡镇(街道)", "Township"),
        ("区划代码", "Division code"),
        ("存续", "Surviving"),
        ("活跃", "Active"),
        ("休眠", "Dormant"),
        ("已退出(累计)", "Exited (to date)"),
    ];
    headers.extend(vocab_columns::<crate::domain::Category>());
    headers.extend(vocab_columns::<crate::domain::LegalStatus>());
    headers.extend([
        ("党组织覆盖率", "Organization coverage rate"),
        ("党的工作覆盖率", "Work coverage rate"),
        ("在岗选派", "Assignments in force"),
        ("社区/村数", "Communities"),
        ("平均每社区", "Average"),
        ("目标(平均)", "Target (average)"),
        ("是否达标", "Meets target"),
    ]);
    let rows = r
        .townships
        .iter()
        .map(|a| {
            let mut row =
                vec![Cell::Text(county_name(&a.county)), Cell::Text(a.name.clone()), Cell::Text(a.code.clone())];
            row.extend([a.base.surviving, a.base.active, a.base.dormant, a.base.exited].map(Cell::Int));
            row.extend(count_cells(&a.by_category));
            row.extend(count_cells(&a.by_legal_status));
            let d = &a.density;
            row.extend([
                Cell::Rate(a.coverage.organization_rate),
                Cell::Rate(a.coverage.work_rate),
                Cell::Int(a.assignments),
                Cell::Int(d.communities),
                Cell::Maybe(d.average),
                Cell::Maybe(d.target),
                Cell::Text(match d.meets_target {
                    Some(true) => b.t("是", "yes"),
                    Some(false) => b.t("否", "no"),
                    None => "—".into(),
                }),
            ]);
            row
        })
        .collect();
    list_sheet(
        b,
        ("各乡镇概况", "Townships"),
        format!(
            "{}; {}",
            b.surviving(),
            b.t(
                "密度目标为平均值:城市社区10个、农村5个",
                "the density target is an average: 10 per urban and 5 per rural community"
            )
        ),
        &headers,
        rows,
    )
}

/// One sheet as CSV for a spreadsheet (UTF-8 with a BOM): its title and
/// base line, a blank line, then the header and rows as the workbook shows
/// them (rates as percentages, `—` where there is no base).
pub fn sheet_csv(sheet: &FigureSheet) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let _ = w.write_record([&sheet.title]);
    let _ = w.write_record([&sheet.base]);
    let _ = w.write_record([""]);
    let _ = w.write_record(&sheet.headers);
    for row in &sheet.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Int(n) => n.to_string(),
                Cell::Num(x) => crate::domain::report::decimal(Some(*x)),
                Cell::Rate(r) => crate::domain::report::percent(*r),
                Cell::Maybe(x) => crate::domain::report::decimal(*x),
            })
            .collect();
        let _ = w.write_record(&cells);
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(w.into_inner().unwrap_or_default());
    out
}

fn attendance_rates(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .attendance_rates
        .iter()
        .map(|x| vec![Cell::Text(x.title.clone()), Cell::Int(x.expected), Cell::Int(x.attended), Cell::Rate(x.rate)])
        .collect();
    list_sheet(
        b,
        ("培训出勤率", "Attendance rates"),
        b.t(
            "报告年度内的课次;应到=已报名+已签到+缺席(已取消不计)",
            "sessions of the reporting year; expected = registered + attended + no-show (cancelled not expected)",
        ),
        &[("培训", "Training"), ("应到", "Expected"), ("实到", "Attended"), ("出勤率", "Rate")],
        rows,
    )
}

fn below_density(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .below_density
        .iter()
        .map(|d| {
            vec![
                Cell::Text(d.name.clone()),
                Cell::Text(d.township.clone()),
                Cell::Text(d.code.clone()),
                Cell::Text(match d.kind {
                    crate::domain::divisions::CommunityKind::Urban => b.t("城市社区", "urban"),
                    crate::domain::divisions::CommunityKind::Rural => b.t("农村", "rural"),
                }),
                Cell::Int(d.organizations),
                Cell::Int(d.target),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("密度提示", "Density advice"),
        b.t(
            "低于自身目标的社区/村;目标是乡镇、县的平均值,此表仅供参考",
            "communities below their own target; the target is an average over a township or county, so this is advice",
        ),
        &[
            ("社区/村", "Community"),
            ("街道/乡镇", "Township"),
            ("区划代码", "Division code"),
            ("类型", "Kind"),
            ("存续组织", "Surviving"),
            ("目标", "Target"),
        ],
        rows,
    )
}

fn evaluations(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .evaluations
        .iter()
        .map(|(year, c)| {
            let mut row = vec![Cell::Text(year.clone())];
            row.extend(count_cells(c));
            row
        })
        .collect();
    let mut cols = vec![("年度", "Year")];
    cols.extend(vocab_columns::<crate::domain::EvalResult>());
    list_sheet(
        b,
        ("考核评价", "Evaluations"),
        b.t("截至日已成立的组织", "organizations founded by the as-of date"),
        &cols,
        rows,
    )
}

/// The workbook's sheets, in order. Add a figure here.
pub const SHEETS: &[fn(&Book) -> FigureSheet] = &[
    overview,
    by_category,
    by_legal_status,
    coverage,
    liaisons,
    training,
    venues,
    density,
    uncovered,
    dispatched_unrecorded,
    liaison_load,
    attendance_rates,
    below_density,
    evaluations,
    work::activity_kinds,
    work::activity_targets,
    work::reports_due,
    work::volunteer_hours,
    work::quiet,
    work::funding,
    work::ranking,
    work::honours,
    work::flows,
    work::gaps,
];

pub fn sheets(report: &Report, federation: Option<&Federation>, lang: Lang) -> Vec<FigureSheet> {
    let book = Book { report, federation, lang };
    SHEETS.iter().map(|f| f(&book)).collect()
}

/// Writes the sheets as one workbook: title, base line, bold frozen header.
pub fn to_xlsx(sheets: &[FigureSheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let percent = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0");
    const HEADER_ROW: u32 = 3;
    for sheet in sheets {
        let ws = book.add_worksheet();
        // Excel limits sheet names to 31 characters.
        ws.set_name(sheet.name.chars().take(31).collect::<String>())?;
        ws.write_string_with_format(0, 0, &sheet.title, &title)?;
        ws.write_string(1, 0, &sheet.base)?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(HEADER_ROW, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, crate::io::export::fit_cell(s)).map(|_| ())?,
                    Cell::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ())?,
                    Cell::Num(x) => ws.write_number_with_format(r, c, *x, &decimal).map(|_| ())?,
                    Cell::Rate(Some(x)) => ws.write_number_with_format(r, c, *x, &percent).map(|_| ())?,
                    Cell::Maybe(Some(x)) => ws.write_number_with_format(r, c, *x, &decimal).map(|_| ())?,
                    Cell::Rate(None) | Cell::Maybe(None) => ws.write_string(r, c, "—").map(|_| ())?,
                }
            }
        }
        for c in 0..sheet.headers.len() {
            let widest = std::iter::once(unicode_width::UnicodeWidthStr::width(sheet.headers[c].as_str()))
                .chain(sheet.rows.iter().filter_map(|r| match r.get(c) {
                    Some(Cell::Text(s)) => Some(unicode_width::UnicodeWidthStr::width(s.as_str())),
                    _ => None,
                }))
                .max()
                .unwrap_or(8);
            ws.set_column_width(c as u16, (widest.clamp(8, 40) + 2) as f64)?;
        }
        ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    }
    book.save_to_buffer()
}

/// The long CSV: one row per number, keyed by stable codes, whatever the
/// display language: `as_of,scope,code,name,figure,item,value`. `scope` is
/// `total`, `county` or `township`; `value` is empty when a figure has no
/// base (a rate over nothing).
pub fn to_csv(r: &Report) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["as_of", "scope", "code", "name", "figure", "item", "value"]);
    let as_of = r.as_of.to_string();
    let mut emit = |scope: &str, a: &Area| {
        let acts = r.work.activities_under(&a.code);
        let figures: [(&str, serde_json::Value); 12] = [
            ("base", serde_json::to_value(&a.base).unwrap_or_default()),
            ("by_category", serde_json::to_value(&a.by_category).unwrap_or_default()),
            ("by_legal_status", serde_json::to_value(&a.by_legal_status).unwrap_or_default()),
            ("coverage", serde_json::to_value(&a.coverage).unwrap_or_default()),
            ("liaisons", serde_json::json!({"assignments": a.assignments, "people": a.liaisons})),
            ("training", serde_json::to_value(&a.training).unwrap_or_default()),
            ("venues", serde_json::to_value(&a.venues).unwrap_or_default()),
            ("density", serde_json::to_value(&a.density).unwrap_or_default()),
            (
                "by_lifecycle",
                serde_json::json!({"active": a.base.active, "dormant": a.base.dormant, "exited": a.base.exited}),
            ),
            ("activities", serde_json::to_value(&acts).unwrap_or_default()),
            ("activities_by_kind", serde_json::to_value(&acts.by_kind).unwrap_or_default()),
            ("activities_by_target", serde_json::to_value(&acts.by_target).unwrap_or_default()),
        ];
        for (figure, value) in figures {
            let Some(map) = value.as_object() else { continue };
            for (item, v) in map {
                let text = match v {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                let _ = w.write_record([as_of.as_str(), scope, &a.code, &a.name, figure, item, &text]);
            }
        }
    };
    emit("total", &r.total);
    for a in &r.counties {
        emit("county", a);
    }
    for a in &r.townships {
        emit("township", a);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::DemoData;
    use crate::domain::report::Inputs;

    fn report(d: &DemoData) -> Report {
        Report::compute(&Inputs {
            federation: Some(&d.federation),
            orgs: &d.orgs,
            people: &d.people,
            liaisons: &d.liaisons,
            venues: &d.venues,
            bookings: &d.bookings,
            trainings: &d.trainings,
            attendance: &d.attendance,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            evaluation: &Default::default(),
        })
    }

    #[test]
    fn every_sheet_states_its_base_and_date_and_names_places() {
        let d = DemoData::generate(3, 400);
        let r = report(&d);
        let sheets = sheets(&r, Some(&d.federation), Lang::Zh);
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        for wanted in
            ["组织概况", "按类别", "按法律状态", "党建覆盖", "指导员联络员", "培训", "场地使用", "密度", "未覆盖组织"]
        {
            assert!(names.contains(&wanted), "{wanted} in {names:?}");
        }
        for s in &sheets {
            assert!(s.base.contains("统计口径") && s.base.contains("截至 2025-12-31"), "{}: {}", s.name, s.base);
            assert!(s.rows.iter().all(|r| r.len() == s.headers.len()), "{}: ragged rows", s.name);
        }
        let coverage = sheets.iter().find(|s| s.name == "党建覆盖").unwrap();
        assert_eq!(coverage.rows.len(), 1 + r.counties.len() + r.townships.len(), "total, counties, townships");
        // Counties and townships by name, not by code.
        let township_row = coverage.rows.iter().find(|row| row[0] == Cell::Text("乡镇(街道)".into())).unwrap();
        let (Cell::Text(county), Cell::Text(township)) = (&township_row[1], &township_row[2]) else { panic!() };
        assert!(county.ends_with('区') || county.ends_with('县') || county.ends_with('市'), "{county}");
        assert!(township.ends_with("街道") || township.ends_with('镇'), "{township}");
        assert!(matches!(coverage.rows[0][12], Cell::Rate(Some(_))), "the total's work coverage rate");
        let bytes = to_xlsx(&sheets).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let english = super::sheets(&r, Some(&d.federation), Lang::En);
        assert_eq!(english[3].name, "Party coverage");
    }

    #[test]
    fn an_empty_federation_writes_dashes_not_numbers() {
        let r = Report::compute(&Inputs {
            federation: None,
            orgs: &[],
            people: &[],
            liaisons: &[],
            venues: &[],
            bookings: &[],
            trainings: &[],
            attendance: &[],
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            evaluation: &Default::default(),
        });
        let coverage = sheets(&r, None, Lang::Zh).into_iter().find(|s| s.name == "党建覆盖").unwrap();
        assert_eq!(coverage.rows.len(), 1, "only the total");
        assert_eq!(coverage.rows[0][8], Cell::Rate(None));
        to_xlsx(&[coverage]).unwrap();
    }
}
