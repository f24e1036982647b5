//! `hubsync person ...` and `hubsync liaison ...`.

use super::table::{Format, Table};
use super::{print_field_warnings, refs, Ctx};
use crate::domain::validate::{self, mask_phone};
use crate::domain::*;
use crate::ops;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum PersonCmd {
    /// 新增人员 (add a person)
    Add(PersonFields),
    /// 修改人员 (edit: only the given fields change)
    Edit {
        /// 编号或名称 (id or exact name)
        target: String,
        #[command(flatten)]
        fields: PersonFields,
    },
    /// 查看人员 (show a person)
    Show {
        /// 编号或姓名 (id or exact name)
        target: String,
        /// 输出格式; json/csv 给出全部字段,键为字段代码 (json/csv: every field, keyed by field code)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 列出人员 (list people)
    List {
        /// 按姓名或电话筛选 (filter by name or phone)
        #[arg(long)]
        filter: Option<String>,
        /// 角色
        #[arg(long)]
        role: Option<String>,
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// 显示完整电话 (show full phone numbers)
        #[arg(long)]
        show_phones: bool,
    },
    /// 删除个人信息 (forget a person: clear name, phone, notes, party membership,
    /// and the same person as an organization head or federation contact)
    Forget {
        /// 编号或名称 (id or exact name)
        target: String,
        /// 确认执行;不加时只列出将清除的内容 (do it; without this, only show what would be cleared)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct PersonFields {
    /// 姓名
    #[arg(long)]
    pub name: Option<String>,
    /// 电话,可带空格或横线 (phone; spaces and dashes are fine)
    #[arg(long)]
    pub phone: Option<String>,
    /// 是否党员 (stored apart from the shared roster)
    #[arg(long)]
    pub party_member: Option<String>,
    /// 角色: 党建工作指导员,联络员,负责人,社会工作者,社区工作者,民政助理员,儿童主任,志愿者
    #[arg(long)]
    pub roles: Option<String>,
    /// 所属组织 (id or name)
    #[arg(long)]
    pub org: Option<String>,
    /// 社工职业资格: 助理社会工作师|社会工作师|高级社会工作师
    #[arg(long)]
    pub social_worker_grade: Option<String>,
    /// 备注 (notes)
    #[arg(long)]
    pub notes: Option<String>,
}

fn apply(ctx: &Ctx, f: &PersonFields, p: &mut Person) -> Result<()> {
    let mut errors = Vec::new();
    if let Some(n) = &f.name {
        p.name = validate::normalize_name(n);
    }
    if let Some(v) = &f.phone {
        match if v.trim().is_empty() { Ok(String::new()) } else { validate::normalize_phone(v) } {
            Ok(x) => p.phone = x,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Some(v) = &f.party_member {
        match validate::parse_bool(v) {
            Ok(x) => p.party_member = x,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Some(v) = &f.roles {
        match code_list::parse::<Role>(v) {
            Ok(x) => p.roles = x,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Some(v) = &f.org {
        if v.trim().is_empty() {
            p.organization = None;
        } else {
            match refs::org(ctx.store, v) {
                Ok(o) => p.organization = Some(o.id),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if let Some(v) = &f.social_worker_grade {
        match if v.trim().is_empty() { Ok(None) } else { SocialWorkerGrade::parse(v).map(Some) } {
            Ok(x) => p.social_worker_grade = x,
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Some(v) = &f.notes {
        p.notes = v.trim().to_string();
    }
    if errors.is_empty() {
        Ok(())
    } else {
        bail!("{}", errors.join("\n"))
    }
}

pub fn run_person(ctx: &mut Ctx, cmd: PersonCmd) -> Result<()> {
    match cmd {
        PersonCmd::Add(fields) => {
            let Some(name) = &fields.name else { bail!("新增人员需要 --name (add needs --name)") };
            let mut p = Person::new(name);
            apply(ctx, &fields, &mut p)?;
            print_field_warnings(&ops::records::add(&mut ctx.env(), p.clone())?.warnings);
            outln!("{} {} 「{}」", ctx.t("已新增人员", "Added person"), p.id, p.name);
        }
        PersonCmd::Edit { target, fields } => {
            let mut p = refs::person(ctx.store, &target)?;
            apply(ctx, &fields, &mut p)?;
            print_field_warnings(&ops::records::edit(&mut ctx.env(), p.clone())?.warnings);
            outln!("{} {} 「{}」", ctx.t("已保存", "Saved"), p.id, p.name);
        }
        PersonCmd::Show { target, format } => {
            let p = refs::person(ctx.store, &target)?;
            if format != Format::Table {
                // One record: an object in JSON, a one-row table in CSV.
                match format {
                    Format::Json => outln!("{}", serde_json::to_string_pretty(&p)?),
                    _ => out!("{}", super::table::machine(&[&p], format, &|_| {})),
                }
                return Ok(());
            }
            let org = match &p.organization {
                Some(id) => ctx.store.get::<Organization>(id)?.map(|o| o.name).unwrap_or_else(|| id.to_string()),
                None => String::new(),
            };
            let l = ctx.lang;
            for (label, value) in [
                (ctx.t("编号", "id"), p.id.to_string()),
                (ctx.t("姓名", "name"), p.name.clone()),
                (ctx.t("电话", "phone"), p.phone.clone()),
                (
                    ctx.t("党员", "party member"),
                    ctx.t(if p.party_member { "是" } else { "否" }, if p.party_member { "yes" } else { "no" }).into(),
                ),
                (ctx.t("角色", "roles"), code_list::labels(&p.roles, l)),
                (ctx.t("所属组织", "organization"), org),
                (
                    ctx.t("社工职业资格", "social-worker grade"),
                    p.social_worker_grade.map(|g| g.label(l).to_string()).unwrap_or_default(),
                ),
                (ctx.t("备注", "notes"), p.notes.clone()),
            ] {
                outln!("{}  {value}", super::table::pad(label, 14));
            }
        }
        PersonCmd::List { filter, role, format, show_phones } => {
            let role = role.map(|r| Role::parse(&r)).transpose()?;
            let (people, errors) = ctx.store.all_readable::<Person>();
            for e in errors {
                errln!("警告 (warning): {e}");
            }
            let org_names = org_names(ctx);
            let mut t = Table::for_people(&[
                ctx.t("编号", "id"),
                ctx.t("姓名", "name"),
                ctx.t("电话", "phone"),
                ctx.t("角色", "roles"),
                ctx.t("所属组织", "organization"),
            ]);
            let needle = filter.map(|f| validate::fold_width(f.trim()).to_lowercase());
            let mut people: Vec<_> = people
                .into_iter()
                .filter(|p| {
                    needle
                        .as_ref()
                        .is_none_or(|n| p.name.to_lowercase().contains(n.as_str()) || p.phone.contains(n.as_str()))
                })
                .filter(|p| role.is_none_or(|r| p.roles.contains(&r)))
                .collect();
            people.sort_by(|a, b| a.name.cmp(&b.name));
            if format != Format::Table {
                // Party membership stays out of lists (PIPL art. 28; `person show` has it).
                let adjust = move |m: &mut serde_json::Map<String, serde_json::Value>| {
                    m.remove("party_member");
                    if !show_phones {
                        super::table::mask_field(m, "phone");
                    }
                };
                out!("{}", super::table::machine(&people.iter().collect::<Vec<_>>(), format, &adjust));
                return Ok(());
            }
            for p in &people {
                t.push(vec![
                    p.id.to_string(),
                    p.name.clone(),
                    if show_phones { p.phone.clone() } else { mask_phone(&p.phone) },
                    code_list::labels(&p.roles, ctx.lang),
                    p.organization.as_ref().and_then(|id| org_names.get(id).cloned()).unwrap_or_default(),
                ]);
            }
            out!("{}", t.render_text());
        }
        PersonCmd::Forget { target, yes } => forget(ctx, &target, yes)?,
    }
    Ok(())
}

fn forget(ctx: &mut Ctx, target: &str, yes: bool) -> Result<()> {
    let done = crate::ops::people::forget(
        &mut ctx.env(),
        crate::ops::people::Forget { person: crate::ops::Ref::from(target), confirmed: yes },
    )?;
    let plan = &done.plan;
    outln!(
        "{} {} → 「{}」",
        ctx.t(
            if done.done { "已删除个人信息" } else { "将删除个人信息" },
            if done.done { "Forgot" } else { "Would forget" }
        ),
        done.person,
        plan.placeholder
    );
    for c in &plan.cleared {
        outln!("  {}  {}  {}", c.doc, c.record, c.fields.join(", "));
    }
    outln!(
        "{}",
        ctx.t(
            "说明: 当前数据中已清除;Automerge 的修改历史(本机及已同步的对等方)仍保留旧值,压缩不会移除历史。\n      对等方在下次同步时得到清除后的数据。",
            "Note: cleared from the current data; Automerge's change history (here and on peers that synced)\n      still holds the old values, and compaction keeps history. Peers get the cleared data at their next sync."
        )
    );
    if !done.shared_with.is_empty() {
        outln!("{}: {}", ctx.t("已共享给这些对等方", "Shared with these peers"), done.shared_with.join(", "));
    }
    if !done.done {
        bail!("{}", ctx.t("未执行: 加 --yes 确认 (nothing changed)", "nothing changed: add --yes to do it"));
    }
    Ok(())
}

/// Organization names by id, read cheaply for cross references.
pub fn org_names(ctx: &Ctx) -> std::collections::HashMap<RecordId, String> {
    ctx.store
        .scan(Collection::Orgs, &["name"])
        .into_iter()
        .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
        .collect()
}

fn person_names(ctx: &Ctx) -> std::collections::HashMap<RecordId, String> {
    ctx.store
        .scan(Collection::People, &["name"])
        .into_iter()
        .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
        .collect()
}

#[derive(Subcommand, Debug)]
pub enum LiaisonCmd {
    /// 选派指导员/联络员 (assign a person to an organization)
    Assign {
        /// 人员 (id or name)
        person: String,
        /// 组织 (id or name)
        org: String,
        /// instructor|liaison (指导员|联络员)
        #[arg(long)]
        role: String,
        /// 开始日期 (default today)
        #[arg(long)]
        from: Option<String>,
        /// 选派单位 (the dispatching Party organization)
        #[arg(long, default_value = "")]
        dispatched_by: String,
    },
    /// 结束选派 (end an assignment)
    End {
        /// 编号 (id)
        id: String,
        /// 结束日期 (end date), e.g. 2025-06-30
        #[arg(long)]
        to: String,
        /// 原因 (reason)
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 列出选派 (list assignments)
    List {
        /// 只列出在岗的 (only active ones)
        #[arg(long)]
        active: bool,
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run_liaison(ctx: &mut Ctx, cmd: LiaisonCmd) -> Result<()> {
    match cmd {
        LiaisonCmd::Assign { person, org, role, from, dispatched_by } => {
            let cmd = ops::liaisons::Assign {
                person: person.into(),
                org: org.into(),
                role: ops::liaisons::parse_role(&role)?,
                from: from.map(|d| validate::parse_date(&d)).transpose()?,
                dispatched_by,
            };
            let done = ops::liaisons::assign(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            outln!("{} {}: {} → {}", ctx.t("已选派", "Assigned"), done.assignment.id, done.person_name, done.org_name);
        }
        LiaisonCmd::End { id, to, reason } => {
            let cmd = ops::liaisons::End { assignment: id.into(), to: validate::parse_date(&to)?, reason };
            let done = ops::liaisons::end(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            outln!("{} {}", ctx.t("选派已结束", "Assignment ended"), done.assignment.id);
        }
        LiaisonCmd::List { active, format } => {
            let today = ctx.clock.today();
            let (list, errors) = ctx.store.all_readable::<LiaisonAssignment>();
            for e in errors {
                errln!("警告 (warning): {e}");
            }
            let (orgs, people) = (org_names(ctx), person_names(ctx));
            let mut t = Table::for_people(&[
                ctx.t("编号", "id"),
                ctx.t("人员", "person"),
                ctx.t("组织", "organization"),
                ctx.t("类型", "role"),
                ctx.t("选派单位", "dispatched by"),
                ctx.t("开始", "from"),
                ctx.t("结束", "to"),
            ]);
            let mut list: Vec<_> = list.into_iter().filter(|a| !active || a.is_active_on(today)).collect();
            list.sort_by_key(|a| std::cmp::Reverse(a.from));
            if format != Format::Table {
                out!("{}", super::table::machine(&list.iter().collect::<Vec<_>>(), format, &|_| {}));
                return Ok(());
            }
            for a in &list {
                t.push(vec![
                    a.id.to_string(),
                    people.get(&a.person).cloned().unwrap_or_else(|| a.person.to_string()),
                    orgs.get(&a.organization).cloned().unwrap_or_else(|| a.organization.to_string()),
                    a.role.label(ctx.lang).into(),
                    a.dispatched_by.clone(),
                    a.from.to_string(),
                    a.to.map(|d| d.to_string()).unwrap_or_default(),
                ]);
            }
            out!("{}", t.render_text());
        }
    }
    Ok(())
}
