//! `hubsync org add|edit|show|list|exit|resolve`.

use super::table::{Format, Table};
use super::{refs, Ctx};
use crate::domain::input;
use crate::domain::query::short_federation_name;
use crate::domain::report::CoverageStatus;
use crate::domain::validate::{self, mask_phone};
use crate::domain::*;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use std::collections::HashSet;

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    /// 新增组织 (add an organization)
    Add(OrgFields),
    /// 修改组织,只改给出的字段 (edit: only the given fields change)
    Edit {
        /// 编号或组织名称 (id or exact name)
        target: String,
        #[command(flatten)]
        fields: OrgFields,
    },
    /// 查看组织全部字段及冲突 (show every field and any conflicts)
    Show {
        /// 编号或组织名称 (id or exact name)
        target: String,
        /// 输出格式; json/csv 给出全部字段,键为字段代码 (json/csv: every field, keyed by field code)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 列出组织 (list organizations)
    List(ListArgs),
    /// 组织退出,记录保留 (exit: the record is kept)
    Exit {
        /// 编号或名称 (id or exact name)
        target: String,
        /// 退出日期
        #[arg(long)]
        date: String,
        /// 退出原因
        #[arg(long)]
        reason: String,
        /// 退出方式 (exit kind): 注销|撤销登记|取消备案|自行解散|合并
        #[arg(long)]
        kind: Option<String>,
    },
    /// 解决并发修改冲突 (settle a conflicted field with the chosen value)
    Resolve {
        /// 编号或组织名称 (id or exact name)
        target: String,
        /// 字段代码,如 head_name (field code, e.g. head_name)
        field: String,
        /// 保留的值,须为冲突值之一 (the value to keep: one of the conflicting values)
        value: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct OrgFields {
    /// 组织名称
    #[arg(long)]
    pub name: Option<String>,
    /// 组织类别: 为民服务|公益慈善|邻里互助|文体娱乐|农村生产技术服务|其他
    #[arg(long)]
    pub category: Option<String>,
    /// 服务类型: 生活服务类|社区事务类|文体活动类|公益慈善类
    #[arg(long)]
    pub service_type: Option<String>,
    /// 法律状态: 登记|备案|培育中
    #[arg(long)]
    pub legal_status: Option<String>,
    /// 统一社会信用代码
    #[arg(long)]
    pub credit_code: Option<String>,
    /// 备案编号
    #[arg(long)]
    pub filing_number: Option<String>,
    /// 行政区划代码 (6/9/12 digits)
    #[arg(long)]
    pub division: Option<String>,
    /// 所属街道/乡镇
    #[arg(long)]
    pub township: Option<String>,
    /// 所属社区/村
    #[arg(long)]
    pub community: Option<String>,
    /// 地址 (address)
    #[arg(long)]
    pub address: Option<String>,
    /// 成立日期 (2019-03-05, 2019/3/5, 2019年3月5日, 2019.3.5)
    #[arg(long)]
    pub founded: Option<String>,
    /// 备案日期 (when the township filed it; not the founding date)
    #[arg(long)]
    pub filing_date: Option<String>,
    /// 登记日期 (when civil affairs registered it)
    #[arg(long)]
    pub registration_date: Option<String>,
    /// 备案机关 (the sub-district office or township that filed it)
    #[arg(long)]
    pub filing_authority: Option<String>,
    /// 负责人
    #[arg(long)]
    pub head_name: Option<String>,
    /// 负责人电话
    #[arg(long)]
    pub head_phone: Option<String>,
    /// 联系人 (the ledger's contact, when not the head)
    #[arg(long)]
    pub contact_name: Option<String>,
    /// 联系人电话
    #[arg(long)]
    pub contact_phone: Option<String>,
    /// 成员人数 ("30", "30人", "约50")
    #[arg(long)]
    pub members: Option<String>,
    /// 业务范围
    #[arg(long)]
    pub scope: Option<String>,
    /// 党组织情况: 单独建立|联合组建|选派|未覆盖
    #[arg(long)]
    pub party_status: Option<String>,
    /// 正式党员人数
    #[arg(long)]
    pub party_members: Option<String>,
    /// 党建入章: 是|否
    #[arg(long)]
    pub party_in_charter: Option<String>,
    /// 群团组织: 工会,共青团,妇联
    #[arg(long)]
    pub mass_orgs: Option<String>,
    /// 品牌/示范组织年份
    #[arg(long)]
    pub brand_year: Option<String>,
    /// 孵化平台层级
    #[arg(long)]
    pub incubation_level: Option<String>,
    /// 孵化服务: 场地,培训,信息,策划
    #[arg(long)]
    pub incubation_services: Option<String>,
    /// 考核评价 YEAR:基本条件,活动情况,社会贡献,社区影响力 (each 0–25), repeatable
    #[arg(long = "eval")]
    pub evaluations: Vec<String>,
    /// 状态: 活跃|休眠
    #[arg(long)]
    pub lifecycle: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// 按名称、社区、街道、负责人、代码筛选 (substring)
    #[arg(long)]
    pub filter: Option<String>,
    /// 组织类别 (category): 为民服务|公益慈善|邻里互助|文体娱乐|农村生产技术服务|其他
    #[arg(long)]
    pub category: Option<String>,
    /// 法律状态
    #[arg(long)]
    pub status: Option<String>,
    /// 状态 (lifecycle): 活跃|休眠|已退出
    #[arg(long)]
    pub lifecycle: Option<String>,
    /// 行政区划代码前缀
    #[arg(long)]
    pub division: Option<String>,
    /// 只列出未覆盖党的工作的组织 (only those without Party-building coverage)
    #[arg(long)]
    pub uncovered: bool,
    /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 最多列出几行 (at most this many rows)
    #[arg(long)]
    pub limit: Option<usize>,
    /// 显示完整电话 (show full phone numbers)
    #[arg(long)]
    pub show_phones: bool,
}

/// Applies every given flag through the shared field parser; all bad
/// fields are reported together.
fn apply(f: &OrgFields, o: &mut Organization) -> Result<()> {
    let given: [(&str, &Option<String>); 27] = [
        ("name", &f.name),
        ("category", &f.category),
        ("service_type", &f.service_type),
        ("legal_status", &f.legal_status),
        ("credit_code", &f.credit_code),
        ("filing_number", &f.filing_number),
        ("division", &f.division),
        ("township", &f.township),
        ("community", &f.community),
        ("address", &f.address),
        ("founded", &f.founded),
        ("filing_date", &f.filing_date),
        ("registration_date", &f.registration_date),
        ("filing_authority", &f.filing_authority),
        ("head_name", &f.head_name),
        ("head_phone", &f.head_phone),
        ("contact_name", &f.contact_name),
        ("contact_phone", &f.contact_phone),
        ("members", &f.members),
        ("scope", &f.scope),
        ("party_status", &f.party_status),
        ("party_members", &f.party_members),
        ("party_in_charter", &f.party_in_charter),
        ("mass_orgs", &f.mass_orgs),
        ("brand_year", &f.brand_year),
        ("incubation_level", &f.incubation_level),
        ("incubation_services", &f.incubation_services),
    ];
    let mut errors: Vec<String> = Vec::new();
    for (key, value) in given {
        if let Some(text) = value {
            if let Err(m) = input::set_org_field(o, key, text) {
                errors.push(format!("--{}: {m}", key.replace('_', "-")));
            }
        }
    }
    for e in &f.evaluations {
        match parse_evaluation(e) {
            Ok((year, ev)) => {
                o.evaluations.insert(year, ev);
            }
            Err(m) => errors.push(m),
        }
    }
    if let Some(l) = &f.lifecycle {
        match Lifecycle::parse(l) {
            Ok(Lifecycle::Exited) => errors.push("请用 hubsync org exit 办理退出 (use `org exit` to exit)".into()),
            Ok(v) => o.lifecycle = v,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        bail!("{}", errors.join("\n"))
    }
}

/// A refused save names the flags of its fields, as a bad flag does.
fn flags(e: crate::ops::OpError) -> anyhow::Error {
    match e {
        crate::ops::OpError::Invalid(fields) => {
            let lines: Vec<String> =
                fields.iter().map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.message)).collect();
            anyhow::anyhow!("{}", lines.join("\n"))
        }
        other => other.into(),
    }
}

/// "2024:20,22,18,20" -> ("2024", Evaluation).
fn parse_evaluation(text: &str) -> Result<(String, Evaluation), String> {
    let bad = || format!("考核评价 '{text}' 应为 年份:基本条件,活动情况,社会贡献,社区影响力 (YEAR:a,b,c,d)");
    let (year, scores) = text.split_once(':').ok_or_else(bad)?;
    let parts: Vec<u8> =
        scores.split(',').map(|s| s.trim().parse::<u8>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    if parts.len() != 4 {
        return Err(bad());
    }
    let ev = Evaluation {
        basic: parts[0],
        activities: parts[1],
        contribution: parts[2],
        influence: parts[3],
        ..Default::default()
    };
    Ok((year.trim().to_string(), ev))
}

pub fn run(ctx: &mut Ctx, cmd: OrgCmd) -> Result<()> {
    match cmd {
        OrgCmd::Add(fields) => {
            let (Some(name), Some(division)) = (&fields.name, &fields.division) else {
                bail!("新增组织需要 --name 和 --division (add needs --name and --division)");
            };
            let mut org = Organization::new(name, Category::Other, LegalStatus::Filed, division);
            apply(&fields, &mut org)?;
            let done = crate::ops::records::add(&mut ctx.env(), org).map_err(flags)?;
            super::print_field_warnings(&done.warnings);
            let org = done.record;
            outln!("{} {} 「{}」", ctx.t("已新增组织", "Added organization"), org.id, org.name);
        }
        OrgCmd::Edit { target, fields } => {
            let mut org = refs::org(ctx.store, &target)?;
            apply(&fields, &mut org)?;
            let done = crate::ops::records::edit(&mut ctx.env(), org).map_err(flags)?;
            super::print_field_warnings(&done.warnings);
            let org = done.record;
            outln!("{} {} 「{}」", ctx.t("已保存", "Saved"), org.id, org.name);
        }
        OrgCmd::Show { target, format } => {
            let org = refs::org(ctx.store, &target)?;
            if format != Format::Table {
                // One record: an object in JSON, a one-row table in CSV.
                match format {
                    Format::Json => outln!("{}", serde_json::to_string_pretty(&org)?),
                    _ => out!("{}", super::table::machine(&[&org], format, &|_| {})),
                }
                return Ok(());
            }
            out!("{}", show(ctx, &org)?);
        }
        OrgCmd::List(args) => list(ctx, &args)?,
        OrgCmd::Exit { target, date, reason, kind } => {
            let kind = kind.map(|k| ExitKind::parse(&k)).transpose()?;
            let cmd = crate::ops::orgs::Exit { org: target.into(), date: validate::parse_date(&date)?, reason, kind };
            let day = cmd.date;
            let done = crate::ops::orgs::exit(&mut ctx.env(), cmd)?;
            outln!("{}「{}」 {day}", ctx.t("组织已退出,记录保留", "Organization exited, record kept:"), done.org.name);
        }
        OrgCmd::Resolve { target, field, value } => {
            let cmd = crate::ops::records::Resolve {
                kind: Collection::Orgs,
                record: target.into(),
                field: field.clone(),
                value: serde_json::Value::String(value.clone()),
            };
            crate::ops::records::resolve(&mut ctx.env(), cmd)?;
            outln!("{} {field} = {value}", ctx.t("已解决冲突", "Conflict resolved:"));
        }
    }
    Ok(())
}

/// The read this command is, when it can run on a store opened in part.
pub fn partial_read(cmd: &OrgCmd) -> Option<crate::ops::orgs::Read> {
    match cmd {
        OrgCmd::Show { target, .. } => Some(crate::ops::orgs::Read::Show(target.as_str().into())),
        OrgCmd::List(_) => Some(crate::ops::orgs::Read::List),
        _ => None,
    }
}

fn show(ctx: &Ctx, o: &Organization) -> Result<String> {
    let l = ctx.lang;
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let rows: Vec<(&str, &str, String)> = vec![
        ("编号", "id", o.id.to_string()),
        ("组织名称", "name", o.name.clone()),
        ("组织类别", "category", o.category.label(l).into()),
        ("服务类型", "service type", opt(o.service_type.map(|v| v.label(l).to_string()))),
        ("法律状态", "legal status", o.legal_status.label(l).into()),
        ("统一社会信用代码", "credit code", o.credit_code.clone()),
        ("备案编号", "filing number", o.filing_number.clone()),
        ("行政区划代码", "division", o.division.clone()),
        ("所属街道/乡镇", "township", o.township.clone()),
        ("所属社区/村", "community", o.community.clone()),
        ("地址", "address", o.address.clone()),
        ("成立日期", "founded", opt(o.founded.map(|d| d.to_string()))),
        ("备案日期", "filing date", opt(o.filing_date.map(|d| d.to_string()))),
        ("登记日期", "registration date", opt(o.registration_date.map(|d| d.to_string()))),
        ("备案机关", "filing authority", o.filing_authority.clone()),
        ("负责人", "head", o.head_name.clone()),
        ("联系电话", "phone", o.head_phone.clone()),
        ("联系人", "contact person", o.contact_name.clone()),
        ("联系人电话", "contact phone", o.contact_phone.clone()),
        ("成员人数", "members", opt(o.members.map(|v| v.to_string()))),
        ("业务范围", "scope", o.scope.clone()),
        ("党组织情况", "party organization", o.party_status.label(l).into()),
        ("党建覆盖(今日)", "Party-building coverage (today)", coverage_text(ctx, o)),
        ("正式党员人数", "party members", opt(o.party_members.map(|v| v.to_string()))),
        (
            "党建入章",
            "party building in charter",
            ctx.t(if o.party_in_charter { "是" } else { "否" }, if o.party_in_charter { "yes" } else { "no" }).into(),
        ),
        ("群团组织", "mass organizations", code_list::labels(&o.mass_orgs, l)),
        ("品牌/示范年份", "brand year", opt(o.brand_year.map(|v| v.to_string()))),
        ("孵化平台", "incubation level", opt(o.incubation_level.map(|v| v.label(l).to_string()))),
        ("孵化服务", "incubation services", code_list::labels(&o.incubation_services, l)),
        ("状态", "status", o.lifecycle.label(l).into()),
        ("退出日期", "exit date", opt(o.exit_date.map(|d| d.to_string()))),
        ("退出原因", "exit reason", o.exit_reason.clone()),
    ];
    let mut out = String::new();
    for (zh, en, v) in rows {
        let label = ctx.t(zh, en);
        out.push_str(&format!("{}  {}\n", super::table::pad(label, 18), v));
    }
    let settings = ctx.store.evaluation_settings();
    for (year, e) in &o.evaluations {
        out.push_str(&format!(
            "{}  {year}: {}/{}/{}/{} = {} {}\n",
            super::table::pad(ctx.t("考核评价", "evaluation"), 18),
            e.basic,
            e.activities,
            e.contribution,
            e.influence,
            e.total(),
            e.effective_result(&settings).label(l)
        ));
    }
    for c in ctx.store.conflicts::<Organization>(&o.id)? {
        let values: Vec<String> = c.values.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_string)).collect();
        out.push_str(&format!(
            "{} {}: {}  (hubsync org resolve {} {} VALUE)\n",
            ctx.t("⚠ 并发修改冲突", "⚠ conflict"),
            c.field,
            values.join(" | "),
            o.id,
            c.field
        ));
    }
    Ok(out)
}

/// Coverage as the report counts it today: the assignments in force decide dispatch.
fn coverage_text(ctx: &Ctx, o: &Organization) -> String {
    let (liaisons, _) = ctx.store.all_readable::<LiaisonAssignment>();
    let today = ctx.clock.today();
    let in_force = liaisons.iter().filter(|a| a.organization == o.id && a.is_active_on(today)).count();
    let s = CoverageStatus::of(o, in_force > 0);
    let mut text = match (s.organization, s.work) {
        (true, _) => ctx.t("党组织覆盖、党的工作覆盖", "organization and work coverage").to_string(),
        (false, true) => ctx.t("党的工作覆盖(选派)", "work coverage (by assignment)").to_string(),
        (false, false) => ctx.t("未覆盖", "not covered").to_string(),
    };
    if in_force > 0 {
        text.push_str(&format!(" · {} {in_force}", ctx.t("在岗指导员/联络员", "assignments in force")));
    } else if o.party_status == PartyStatus::Dispatched {
        text.push_str(ctx.t(" · 登记为选派但无在岗选派记录", " · recorded as dispatched, no assignment in force"));
    }
    text
}

fn name_of<'a>(names: &'a std::collections::BTreeMap<RecordId, String>, fed: &'a RecordId) -> &'a str {
    names.get(fed).map_or(fed.as_str(), String::as_str)
}

/// The flags as the list filter (every bad value named).
fn org_filter(args: &ListArgs) -> Result<crate::domain::query::OrgFilter> {
    Ok(crate::domain::query::OrgFilter {
        text: args.filter.clone().unwrap_or_default(),
        category: args.category.as_deref().map(Category::parse).transpose()?,
        legal_status: args.status.as_deref().map(LegalStatus::parse).transpose()?,
        lifecycle: args.lifecycle.as_deref().map(Lifecycle::parse).transpose()?,
        division_prefix: args.division.as_deref().unwrap_or_default().trim().to_string(),
        uncovered: args.uncovered,
        dispatched: HashSet::new(),
    })
}

fn list(ctx: &mut Ctx, args: &ListArgs) -> Result<()> {
    let query = crate::ops::orgs::ListOrgs { filter: org_filter(args)?, limit: args.limit };
    let listed = crate::ops::orgs::list(&mut ctx.env(), query)?;
    super::warn_left_out(ctx.lang, &listed.unreadable);
    let (kept, total, names) = (listed.orgs, listed.total, listed.federations);
    if args.format != Format::Table {
        let show_phones = args.show_phones;
        let mask = move |m: &mut serde_json::Map<String, serde_json::Value>| {
            if !show_phones {
                super::table::mask_field(m, "head_phone");
                super::table::mask_field(m, "contact_phone");
            }
        };
        // Whose roster each organization is on, as the field codes
        // `federation` (its id) and `federation_name`; in the header of an
        // empty list too.
        let whose: std::collections::HashMap<String, (String, String)> = kept
            .iter()
            .map(|(o, fed)| (o.id.to_string(), (fed.to_string(), name_of(&names, fed).to_string())))
            .collect();
        let with_federation = |m: &mut serde_json::Map<String, serde_json::Value>| {
            mask(m);
            let found = m.get("id").and_then(|v| v.as_str()).and_then(|id| whose.get(id));
            let text = |t: Option<&String>| t.map_or(serde_json::Value::Null, |t| serde_json::Value::String(t.clone()));
            m.insert("federation".into(), text(found.map(|f| &f.0)));
            m.insert("federation_name".into(), text(found.map(|f| &f.1)));
        };
        let refs: Vec<&Organization> = kept.iter().map(|(o, _)| o).collect();
        out!("{}", super::table::machine(&refs, args.format, &with_federation));
        return Ok(());
    }
    // A hub holds several federations' rosters: then each row says whose.
    let several = names.len() > 1;
    let l = ctx.lang;
    let mut headers = vec![ctx.t("编号", "id"), ctx.t("组织名称", "name")];
    if several {
        headers.push(ctx.t("所属联合会", "federation"));
    }
    headers.extend([
        ctx.t("类别", "category"),
        ctx.t("法律状态", "legal status"),
        ctx.t("所属社区", "community"),
        ctx.t("负责人", "head"),
        ctx.t("电话", "phone"),
        ctx.t("党组织", "party"),
        ctx.t("状态", "status"),
    ]);
    let mut t = Table::for_people(&headers);
    for (o, fed) in &kept {
        let phone = if args.show_phones { o.head_phone.clone() } else { mask_phone(&o.head_phone) };
        let mut row = vec![o.id.to_string(), o.name.clone()];
        if several {
            row.push(short_federation_name(name_of(&names, fed)).to_string());
        }
        row.extend([
            o.category.label(l).into(),
            o.legal_status.label(l).into(),
            if o.community.is_empty() { o.division.clone() } else { o.community.clone() },
            o.head_name.clone(),
            if o.head_phone.is_empty() { String::new() } else { phone },
            o.party_status.label(l).into(),
            o.lifecycle.label(l).into(),
        ]);
        t.push(row);
    }
    out!("{}", t.render_text());
    if args.format == Format::Table {
        outln!("{} {} / {}", ctx.t("共", "total"), kept.len(), total);
    }
    Ok(())
}
