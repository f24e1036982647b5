//! Workbook sheets of what organizations do and how they are funded,
//! evaluated and honoured (issues 11 and 12; docs/REPORTS.md). Each states
//! its base and as-of date like the other sheets.

use super::{count_cells, list_sheet, vocab_columns, Book, Cell, FigureSheet};
use crate::domain::report::work::{ActivityTotals, HoursBy};
use crate::domain::{ActivityKind, ChecklistItem, TargetGroup, Vocabulary};

fn activity_columns(a: &ActivityTotals) -> Vec<Cell> {
    vec![
        Cell::Int(a.activities),
        Cell::Int(a.major),
        Cell::Int(a.participants as usize),
        Cell::Int(a.beneficiaries as usize),
        Cell::Num(a.volunteer_hours),
    ]
}

const ACTIVITY_COLUMNS: &[(&str, &str)] = &[
    ("活动次数", "Activities"),
    ("重大活动", "Major"),
    ("参与人次", "Participants"),
    ("受益人次", "Beneficiaries"),
    ("志愿服务时长", "Volunteer hours"),
];

fn activity_base(b: &Book) -> String {
    b.t(
        "报告年度1月1日至截止日的活动,按牵头组织所在乡镇计;联合举办的活动只计一次;志愿服务时长不含已计为培训学时的部分",
        "activities from 1 January of the reporting year to the as-of date, counted in the lead organization's township; a joint activity once; volunteer hours exclude those already counted as training hours",
    )
}

pub(super) fn activity_kinds(b: &Book) -> FigureSheet {
    let mut cols = ACTIVITY_COLUMNS.to_vec();
    cols.extend(vocab_columns::<ActivityKind>());
    b.area_sheet(("活动(按类型)", "Activities by type"), activity_base(b), &cols, |a| {
        let t = b.report.work.activities_under(&a.code);
        let mut row = activity_columns(&t);
        row.extend(count_cells(&t.by_kind));
        row
    })
}

pub(super) fn activity_targets(b: &Book) -> FigureSheet {
    let mut cols = vec![("活动次数", "Activities")];
    cols.extend(vocab_columns::<TargetGroup>());
    let base = format!(
        "{}; {}",
        activity_base(b),
        b.t("面向多类对象的活动在每类各计一次", "an activity for several groups counts once in each")
    );
    b.area_sheet(("活动(按服务对象)", "Activities by target group"), base, &cols, |a| {
        let t = b.report.work.activities_under(&a.code);
        let mut row = vec![Cell::Int(t.activities)];
        row.extend(count_cells(&t.by_target));
        row
    })
}

pub(super) fn reports_due(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .work
        .reports_due
        .iter()
        .map(|d| {
            vec![
                Cell::Text(d.title.clone()),
                Cell::Text(d.organization.clone()),
                Cell::Text(d.division.clone()),
                Cell::Text(d.date.to_string()),
                Cell::Text(d.due.to_string()),
                Cell::Text(if d.overdue { b.t("逾期", "overdue") } else { b.t("待报告", "due") }),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("重大活动报告", "Major reports due"),
        b.t(
            "标为重大活动、尚未报告的活动;应报告日=活动日期减本会规则的提前天数,早于截止日为逾期",
            "activities marked major whose report is not made; due = the activity's date less the rule's days; before the as-of date: overdue",
        ),
        &[
            ("活动名称", "Activity"),
            ("牵头组织", "Lead organization"),
            ("区划代码", "Division code"),
            ("活动日期", "Date"),
            ("应报告日", "Due"),
            ("状态", "Status"),
        ],
        rows,
    )
}

pub(super) fn volunteer_hours(b: &Book) -> FigureSheet {
    let w = &b.report.work;
    let rows = w
        .hours
        .iter()
        .map(|h| {
            let (group, name) = match h.by {
                HoursBy::Township => (b.t("乡镇(街道)", "Township"), h.name.clone()),
                HoursBy::Community => (b.t("社区/村", "Community"), h.name.clone()),
                HoursBy::Kind => (
                    b.t("活动类型", "Type"),
                    ActivityKind::parse(&h.key).map(|k| k.label(b.lang).to_string()).unwrap_or_default(),
                ),
                HoursBy::Organization => (b.t("牵头组织", "Lead organization"), h.name.clone()),
            };
            vec![
                Cell::Text(group),
                Cell::Text(name),
                Cell::Text(h.key.clone()),
                Cell::Int(h.activities),
                Cell::Num(h.hours),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("志愿服务时长", "Volunteer hours"),
        format!(
            "{}; {} {:.1}",
            activity_base(b),
            b.t("已计为培训学时、此处不再计入的小时数", "hours already counted as training hours, left out here:"),
            w.hours_counted_as_training
        ),
        &[
            ("分组", "Grouped by"),
            ("名称", "Name"),
            ("代码", "Code"),
            ("活动次数", "Activities"),
            ("志愿服务时长", "Volunteer hours"),
        ],
        rows,
    )
}

pub(super) fn quiet(b: &Book) -> FigureSheet {
    let w = &b.report.work;
    let rows = w
        .quiet
        .iter()
        .map(|q| {
            vec![
                Cell::Text(q.name.clone()),
                Cell::Text(q.township.clone()),
                Cell::Text(q.division.clone()),
                Cell::Text(q.last.map_or_else(|| b.t("从未登记", "never"), |d| d.to_string())),
                Cell::Text(q.id.to_string()),
            ]
        })
        .collect();
    let base = match b.lang {
        crate::domain::Lang::Zh => format!(
            "状态为活跃、成立已满{}个月、截止日前{}个月内没有登记活动的组织;仅为标记休眠的建议,不自动更改",
            w.quiet_months, w.quiet_months
        ),
        crate::domain::Lang::En => format!(
            "active organizations founded over {} months ago with no activity recorded in the {} months to the as-of date; a suggestion to mark them dormant, never applied",
            w.quiet_months, w.quiet_months
        ),
    };
    list_sheet(
        b,
        ("长期无活动", "No recent activity"),
        base,
        &[
            ("组织名称", "Name"),
            ("所属街道/乡镇", "Township"),
            ("区划代码", "Division code"),
            ("最近活动", "Last activity"),
            ("编号", "Id"),
        ],
        rows,
    )
}

fn yuan(fen: i64) -> Cell {
    Cell::Num(fen as f64 / 100.0)
}

pub(super) fn funding(b: &Book) -> FigureSheet {
    let mut rows = Vec::new();
    if let Some(f) = &b.report.work.ledger.funding {
        let mut line = |group: String, name: String, projects: usize, fen: i64| {
            rows.push(vec![Cell::Text(group), Cell::Text(name), Cell::Int(projects), yuan(fen)]);
        };
        line(b.t("合计", "Total"), String::new(), f.total.projects, f.total.fen);
        line(
            b.t("社区社会组织承接", "Led by community social organizations"),
            crate::domain::report::percent(f.community_share),
            f.to_community_orgs.projects,
            f.to_community_orgs.fen,
        );
        for (k, x) in &f.by_kind {
            line(b.t("项目类型", "Kind"), k.label(b.lang).into(), x.projects, x.fen);
        }
        for (d, x) in &f.by_domain {
            line(b.t("服务领域", "Domain"), d.label(b.lang).into(), x.projects, x.fen);
        }
        for (c, x) in &f.by_county {
            let name = b.report.counties.iter().find(|a| &a.code == c).map_or_else(|| c.clone(), |a| a.name.clone());
            line(b.t("县(市、区)", "County"), name, x.projects, x.fen);
        }
        for (a, x) in &f.by_area {
            line(b.t("城乡", "Urban/rural"), a.label(b.lang).into(), x.projects, x.fen);
        }
        for o in &f.by_organization {
            line(b.t("承接组织", "Lead organization"), o.name.clone(), o.funds.projects, o.funds.fen);
        }
    }
    list_sheet(
        b,
        ("项目资金", "Project funds"),
        b.t(
            "报告年度、已立项及以后阶段的项目(申报中的不计),每个项目按牵头组织计一次;一个项目涉及多个领域时在每个领域各计,领域各行之和可大于合计;金额单位:元",
            "projects of the reporting year from 立项 on (applications not counted), each once for its lead; a project in two domains counts in both, so domains may sum above the total; amounts in yuan",
        ),
        &[("分组", "Grouped by"), ("名称", "Name"), ("项目数", "Projects"), ("金额(元)", "Amount (yuan)")],
        rows,
    )
}

pub(super) fn ranking(b: &Book) -> FigureSheet {
    let w = &b.report.work;
    let township = |code: &str| {
        b.report.townships.iter().find(|a| a.code == code).map_or_else(|| code.to_string(), |a| a.name.clone())
    };
    let mut rows = Vec::new();
    for (code, list) in &w.ledger.ranking {
        for r in list {
            rows.push(vec![
                Cell::Text(township(code)),
                Cell::Int(r.rank),
                Cell::Text(r.entry.name.clone()),
                Cell::Num(r.entry.score),
                Cell::Text(r.entry.result.label(b.lang).into()),
                Cell::Text(r.entry.national_grade.map(|g| g.label(b.lang).to_string()).unwrap_or_default()),
                Cell::Maybe(r.previous),
                Cell::Maybe(r.change),
            ]);
        }
    }
    let year = w.ledger.ranking_year.map_or_else(|| "—".to_string(), |y| y.to_string());
    list_sheet(
        b,
        ("考核排名", "Evaluation ranking"),
        format!(
            "{} {year}; {}",
            b.t("考核年度", "evaluation year"),
            b.t(
                "截止日已成立的组织,按本会权重计算的加权分在乡镇内排名(同分同名次),同比为与上一年度加权分之差;等级评估(1A–5A)单列",
                "organizations founded by the as-of date, ranked within their township by the score under the federation's weights (ties share a rank); change = score less the year before; the national 1A–5A grade is its own column",
            )
        ),
        &[
            ("乡镇(街道)", "Township"),
            ("名次", "Rank"),
            ("组织名称", "Organization"),
            ("加权分", "Score"),
            ("评定结果", "Result"),
            ("等级评估", "National grade"),
            ("上年加权分", "Score the year before"),
            ("同比变化", "Change"),
        ],
        rows,
    )
}

pub(super) fn honours(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .work
        .ledger
        .honours
        .iter()
        .map(|h| {
            vec![
                Cell::Int(h.year.max(0) as usize),
                Cell::Text(h.level.label(b.lang).into()),
                Cell::Text(h.kind.label(b.lang).into()),
                Cell::Text(h.title.clone()),
                Cell::Text(h.recipient.clone()),
                Cell::Text(h.organization.clone()),
                Cell::Text(h.awarded_by.clone()),
                Cell::Text(h.date.map(|d| d.to_string()).unwrap_or_default()),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("荣誉名单", "Honours"),
        b.t(
            "截至报告年度的荣誉,新的在前,同年按级别从高到低",
            "honours up to the reporting year, newest first, highest level first",
        ),
        &[
            ("年度", "Year"),
            ("级别", "Level"),
            ("类别", "Kind"),
            ("荣誉名称", "Title"),
            ("获得者", "Recipient"),
            ("所属组织", "Organization"),
            ("授予单位", "Awarded by"),
            ("日期", "Date"),
        ],
        rows,
    )
}

pub(super) fn flows(b: &Book) -> FigureSheet {
    let rows = b
        .report
        .work
        .ledger
        .flows
        .iter()
        .map(|f| {
            let by_kind = f
                .exits_by_kind
                .iter()
                .map(|(k, n)| {
                    format!("{} {n}", k.map_or_else(|| b.t("未注明", "unstated"), |k| k.label(b.lang).into()))
                })
                .collect::<Vec<_>>()
                .join("、");
            vec![
                Cell::Int(f.year.max(0) as usize),
                Cell::Int(f.new),
                Cell::Int(f.registered_from_filed),
                Cell::Int(f.exited),
                Cell::Text(by_kind),
            ]
        })
        .collect();
    list_sheet(
        b,
        ("新增与退出", "New and exited"),
        b.t(
            "截至报告年度的五年;新增按成立日期(无则按首次备案/登记日期),备案转登记按状态变更记录,退出按退出日期及方式",
            "the five years to the reporting year; new by founding date (else the first filing or registration), 备案→登记 by the status history, exits by date and kind",
        ),
        &[
            ("年度", "Year"),
            ("新增", "New"),
            ("备案转登记", "Filed to registered"),
            ("退出", "Exited"),
            ("退出方式", "Exits by kind"),
        ],
        rows,
    )
}

pub(super) fn gaps(b: &Book) -> FigureSheet {
    let w = &b.report.work;
    let township = |code: &str| {
        b.report.townships.iter().find(|a| a.code == code).map_or_else(|| code.to_string(), |a| a.name.clone())
    };
    let rows = w
        .ledger
        .gaps
        .iter()
        .map(|g| {
            let mut row = vec![
                Cell::Text(township(&g.township)),
                Cell::Text(g.township.clone()),
                Cell::Int(g.organizations),
                Cell::Int(g.checked),
                Cell::Int(g.unchecked.len()),
                Cell::Int(g.with_gaps.len()),
            ];
            row.extend(g.missing.iter().map(|(_, n)| Cell::Int(*n)));
            row
        })
        .collect();
    let mut cols = vec![
        ("乡镇(街道)", "Township"),
        ("区划代码", "Division code"),
        ("存续组织", "Organizations"),
        ("已自查", "Checked"),
        ("未自查", "Not checked"),
        ("有短板", "With gaps"),
    ];
    cols.extend(ChecklistItem::all().iter().map(|i| (i.zh(), i.en())));
    list_sheet(
        b,
        ("规范化短板", "Standardization gaps"),
        format!(
            "{} {}; {}",
            b.t("自查年度", "checklist year"),
            w.ledger.gaps_year,
            b.t(
                "截止日存续的组织;各项列为已自查组织中缺该项的数量",
                "organizations surviving at the as-of date; each item column counts the checked organizations missing it",
            )
        ),
        &cols,
        rows,
    )
}
