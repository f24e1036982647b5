//! Text in, typed fields out: one place that turns what a person typed (a
//! CLI flag, a spreadsheet cell, a form field) into a record field, with the
//! same tolerance for real-world forms and the same messages everywhere.

use super::enums::*;
use super::records::*;
use super::validate;

/// A field a person can type: its key, labels, header aliases, whether required.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Other spreadsheet headers meaning the same column.
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl FieldSpec {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// Does a spreadsheet header name this field?
    pub fn matches_header(&self, header: &str) -> bool {
        let h = header_key(header);
        h == header_key(self.key)
            || h == header_key(self.zh)
            || h == header_key(self.en)
            || self.aliases.iter().any(|a| h == header_key(a))
    }
}

/// Headers compared without case, spaces, full-width forms or "*" / "(必填)" marks.
pub fn header_key(header: &str) -> String {
    validate::fold_width(header)
        .replace("(必填)", "")
        .replace("(选填)", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | '/' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

macro_rules! spec {
    ($key:literal, $zh:literal, $en:literal, [$($a:literal),*], $req:literal) => {
        FieldSpec { key: $key, zh: $zh, en: $en, aliases: &[$($a),*], required: $req }
    };
}

pub const ORG_FIELDS: &[FieldSpec] = &[
    spec!("name", "组织名称", "Name", ["名称", "社会组织名称", "社区社会组织名称", "组织全称", "organization"], true),
    spec!("category", "组织类别", "Category", ["类别", "活动类别", "类型"], false),
    spec!("service_type", "服务类型", "Service type", ["备案类型", "服务类别"], false),
    spec!("legal_status", "法律状态", "Legal status", ["登记备案情况", "登记状态", "管理方式", "status"], false),
    spec!("credit_code", "统一社会信用代码", "Credit code", ["信用代码", "社会信用代码", "uscc"], false),
    spec!("filing_number", "备案编号", "Filing number", ["备案号", "备案证号"], false),
    spec!("division", "行政区划代码", "Division code", ["区划代码", "所属区划", "division"], true),
    spec!("township", "所属街道/乡镇", "Township", ["所属街道", "街道", "乡镇", "街道(乡镇)", "所属乡镇"], false),
    spec!("community", "所属社区/村", "Community", ["所属社区", "社区", "村", "社区(村)"], false),
    spec!("address", "地址", "Address", ["活动地址", "住所", "办公地址"], false),
    spec!("founded", "成立日期", "Founded", ["成立时间", "成立年月", "备案日期", "登记日期"], false),
    spec!("head_name", "负责人", "Head", ["负责人姓名", "法定代表人", "联系人"], false),
    spec!("head_phone", "联系电话", "Phone", ["负责人电话", "电话", "手机", "联系方式", "phone"], false),
    spec!("members", "成员人数", "Members", ["会员数", "人数", "成员数", "会员人数"], false),
    spec!("scope", "业务范围", "Scope", ["活动内容", "服务内容", "主要活动"], false),
    spec!("party_status", "党组织情况", "Party organization", ["党建情况", "党组织建设情况", "党组织"], false),
    spec!("party_members", "正式党员人数", "Party members", ["党员人数", "党员数"], false),
    spec!("party_in_charter", "党建入章", "Party building in charter", ["党建工作写入章程"], false),
    spec!("mass_orgs", "群团组织", "Mass organizations", ["工青妇组织"], false),
    spec!("brand_year", "品牌/示范年份", "Brand year", ["品牌年份", "示范年份"], false),
    spec!("incubation_level", "孵化平台", "Incubation level", ["孵化层级"], false),
    spec!("incubation_services", "孵化服务", "Incubation services", [], false),
    spec!("lifecycle", "状态", "Status", ["运行状态", "活动状态", "lifecycle"], false),
];

pub const PERSON_FIELDS: &[FieldSpec] = &[
    spec!("name", "姓名", "Name", ["名字", "人员姓名"], true),
    spec!("phone", "电话", "Phone", ["联系电话", "手机", "手机号"], false),
    spec!("party_member", "党员", "Party member", ["是否党员", "政治面貌"], false),
    spec!("roles", "角色", "Roles", ["身份", "职务"], false),
    spec!("organization", "所属组织", "Organization", ["组织", "组织名称", "单位"], false),
    spec!("social_worker_grade", "社工职业资格", "Social-worker grade", ["社工资格", "职业资格"], false),
    spec!("notes", "备注", "Notes", [], false),
];

pub const VENUE_FIELDS: &[FieldSpec] = &[
    spec!("name", "场地名称", "Name", ["名称", "阵地名称"], true),
    spec!("kind", "场地类型", "Kind", ["类型", "阵地类型"], false),
    spec!("address", "地址", "Address", [], false),
    spec!("division", "行政区划代码", "Division code", ["区划代码"], false),
    spec!("capacity", "容纳人数", "Capacity", ["容量", "可容纳人数"], false),
    spec!("facilities", "设施", "Facilities", ["设施设备"], false),
    spec!("opening_hours", "开放时间", "Opening hours", [], false),
    spec!("owner", "管理单位", "Owner", ["产权单位", "所属单位"], false),
];

fn opt<T>(text: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

fn e<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, String> {
    r.map_err(|x| x.to_string())
}

/// Party status as spreadsheets write it: "有"/"已建立" mean own, "无" uncovered.
fn party_status(text: &str) -> Result<PartyStatus, String> {
    match validate::fold_width(text).trim() {
        "有" | "已建立" | "已成立" => Ok(PartyStatus::Own),
        "" => Ok(PartyStatus::Uncovered),
        other => e(PartyStatus::parse(other)),
    }
}

/// Legal status, also read off "已登记"/"街道备案" style cells.
fn legal_status(text: &str) -> Result<LegalStatus, String> {
    let t = validate::fold_width(text);
    let t = t.trim();
    if let Ok(v) = LegalStatus::parse(t) {
        return Ok(v);
    }
    if t.contains("登记") {
        Ok(LegalStatus::Registered)
    } else if t.contains("备案") {
        Ok(LegalStatus::Filed)
    } else if t.contains("培育") || t.contains("孵化") {
        Ok(LegalStatus::Incubating)
    } else {
        e(LegalStatus::parse(t))
    }
}

/// Sets one organization field from text. An empty text clears optional fields.
pub fn set_org_field(o: &mut Organization, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    match key {
        "name" => o.name = validate::normalize_name(t),
        "category" => o.category = if t.is_empty() { Category::Other } else { e(Category::parse(t))? },
        "service_type" => o.service_type = opt(t, |v| e(ServiceType::parse(v)))?,
        "legal_status" => o.legal_status = legal_status(t)?,
        "credit_code" => {
            o.credit_code = opt(t, |v| e(validate::check_credit_code(v)).map(|c| c.code))?.unwrap_or_default()
        }
        "filing_number" => o.filing_number = validate::fold_width(t),
        "division" => o.division = e(validate::check_division(t))?,
        "township" => o.township = t.to_string(),
        "community" => o.community = t.to_string(),
        "address" => o.address = t.to_string(),
        "founded" => o.founded = opt(t, |v| e(validate::parse_date(v)))?,
        "head_name" => o.head_name = t.to_string(),
        "head_phone" => o.head_phone = opt(t, |v| e(validate::normalize_phone(v)))?.unwrap_or_default(),
        "members" => o.members = opt(t, |v| e(validate::parse_count(v)))?,
        "scope" => o.scope = t.to_string(),
        "party_status" => o.party_status = party_status(t)?,
        "party_members" => o.party_members = opt(t, |v| e(validate::parse_count(v)))?,
        "party_in_charter" => o.party_in_charter = e(validate::parse_bool(t))?,
        "mass_orgs" => o.mass_orgs = e(code_list::parse(t))?,
        "brand_year" => {
            o.brand_year = opt(t, |v| {
                v.parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| format!("年份 '{v}' 无效 (not a year)"))
            })?
        }
        "incubation_level" => o.incubation_level = opt(t, |v| e(Level::parse(v)))?,
        "incubation_services" => o.incubation_services = e(code_list::parse(t))?,
        "lifecycle" => o.lifecycle = if t.is_empty() { Lifecycle::Active } else { e(Lifecycle::parse(t))? },
        other => return Err(format!("未知字段 {other} (unknown field)")),
    }
    Ok(())
}

/// The text a form shows for an organization field (the inverse of `set_org_field`).
pub fn org_field_text(o: &Organization, key: &str, lang: Lang) -> String {
    let opt = |v: Option<String>| v.unwrap_or_default();
    match key {
        "name" => o.name.clone(),
        "category" => o.category.label(lang).into(),
        "service_type" => opt(o.service_type.map(|v| v.label(lang).into())),
        "legal_status" => o.legal_status.label(lang).into(),
        "credit_code" => o.credit_code.clone(),
        "filing_number" => o.filing_number.clone(),
        "division" => o.division.clone(),
        "township" => o.township.clone(),
        "community" => o.community.clone(),
        "address" => o.address.clone(),
        "founded" => opt(o.founded.map(|d| d.to_string())),
        "head_name" => o.head_name.clone(),
        "head_phone" => o.head_phone.clone(),
        "members" => opt(o.members.map(|v| v.to_string())),
        "scope" => o.scope.clone(),
        "party_status" => o.party_status.label(lang).into(),
        "party_members" => opt(o.party_members.map(|v| v.to_string())),
        "party_in_charter" => (if o.party_in_charter { "是" } else { "否" }).into(),
        "mass_orgs" => code_list::labels(&o.mass_orgs, lang),
        "brand_year" => opt(o.brand_year.map(|v| v.to_string())),
        "incubation_level" => opt(o.incubation_level.map(|v| v.label(lang).into())),
        "incubation_services" => code_list::labels(&o.incubation_services, lang),
        "lifecycle" => o.lifecycle.label(lang).into(),
        _ => String::new(),
    }
}

/// Sets one person field from text; `organization` is resolved by the caller.
pub fn set_person_field(p: &mut Person, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    match key {
        "name" => p.name = validate::normalize_name(t),
        "phone" => p.phone = opt(t, |v| e(validate::normalize_phone(v)))?.unwrap_or_default(),
        "party_member" => {
            p.party_member = match t {
                "中共党员" | "党员" | "预备党员" => true,
                "群众" | "团员" | "共青团员" => false,
                other => e(validate::parse_bool(other))?,
            }
        }
        "roles" => p.roles = e(code_list::parse(t))?,
        "social_worker_grade" => p.social_worker_grade = opt(t, |v| e(SocialWorkerGrade::parse(v)))?,
        "notes" => p.notes = t.to_string(),
        "organization" => {}
        other => return Err(format!("未知字段 {other} (unknown field)")),
    }
    Ok(())
}

/// Sets one venue field from text.
pub fn set_venue_field(v: &mut Venue, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    match key {
        "name" => v.name = validate::normalize_name(t),
        "kind" => v.kind = if t.is_empty() { VenueKind::Other } else { e(VenueKind::parse(t))? },
        "address" => v.address = t.to_string(),
        "division" => v.division = opt(t, |x| e(validate::check_division(x)))?.unwrap_or_default(),
        "capacity" => v.capacity = opt(t, |x| e(validate::parse_count(x)))?,
        "facilities" => v.facilities = t.to_string(),
        "opening_hours" => v.opening_hours = t.to_string(),
        "owner" => v.owner = t.to_string(),
        other => return Err(format!("未知字段 {other} (unknown field)")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_aliases_in_any_width_and_marks() {
        let name = &ORG_FIELDS[0];
        assert!(name.matches_header("组织名称*"));
        assert!(name.matches_header(" 社会组织名称(必填) "));
        assert!(name.matches_header("Name"));
        assert!(ORG_FIELDS.iter().any(|f| f.key == "head_phone" && f.matches_header("联系电话")));
        assert!(!name.matches_header("地址"));
    }

    #[test]
    fn org_fields_from_messy_text() {
        let mut o = Organization::new("x", Category::Other, LegalStatus::Filed, "510104001001");
        set_org_field(&mut o, "members", "约５０人").unwrap();
        assert_eq!(o.members, Some(50));
        set_org_field(&mut o, "legal_status", "街道备案").unwrap();
        assert_eq!(o.legal_status, LegalStatus::Filed);
        set_org_field(&mut o, "party_status", "有").unwrap();
        assert_eq!(o.party_status, PartyStatus::Own);
        set_org_field(&mut o, "founded", "2019.3.5").unwrap();
        assert_eq!(org_field_text(&o, "founded", Lang::Zh), "2019-03-05");
        assert!(set_org_field(&mut o, "credit_code", "51420000MJH2003664").unwrap_err().contains("校验位"));
        assert!(set_org_field(&mut o, "category", "爱好").is_err());
        for f in ORG_FIELDS {
            let text = org_field_text(&o, f.key, Lang::Zh);
            let mut copy = o.clone();
            set_org_field(&mut copy, f.key, &text).unwrap_or_else(|e| panic!("{}: {e}", f.key));
            assert_eq!(copy, o, "{} round-trips through its text", f.key);
        }
    }

    #[test]
    fn person_party_membership_from_political_status() {
        let mut p = Person::new("x");
        set_person_field(&mut p, "party_member", "中共党员").unwrap();
        assert!(p.party_member);
        set_person_field(&mut p, "party_member", "群众").unwrap();
        assert!(!p.party_member);
    }
}
