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
        header_candidate(header).is_some_and(|k| self.matches_key(&k))
    }

    /// Is the header this field's own code or label? It beats another
    /// field's alias: English "Status" is the lifecycle, not `legal_status`'s alias.
    pub fn labels_header(&self, header: &str) -> bool {
        header_candidate(header).is_some_and(|k| self.labels_key(&k))
    }

    /// `matches_header` for a header already turned into its `header_key`
    /// (once per cell, not once per label of every field).
    pub fn matches_key(&self, key: &str) -> bool {
        self.labels_key(key) || self.aliases.iter().any(|a| key == header_key(a))
    }

    /// `labels_header` for a header already turned into its `header_key`.
    pub fn labels_key(&self, key: &str) -> bool {
        key == header_key(self.key) || key == header_key(self.zh) || key == header_key(self.en)
    }
}

/// The header keys of a list of fields, worked out once per file rather than
/// once per cell and field.
pub struct HeaderKeys {
    labels: Vec<[String; 3]>,
    aliases: Vec<Vec<String>>,
}

impl HeaderKeys {
    pub fn new(specs: &[FieldSpec]) -> HeaderKeys {
        HeaderKeys {
            labels: specs.iter().map(|s| [header_key(s.key), header_key(s.zh), header_key(s.en)]).collect(),
            aliases: specs.iter().map(|s| s.aliases.iter().map(|a| header_key(a)).collect()).collect(),
        }
    }

    /// The field a header names: by its own code or label first (English
    /// "Status" is the lifecycle, not `legal_status`'s alias), else by alias.
    pub fn field_of(&self, header: &str) -> Option<usize> {
        let key = header_candidate(header)?;
        self.labels.iter().position(|l| l.contains(&key)).or_else(|| self.aliases.iter().position(|a| a.contains(&key)))
    }

    /// Does the header name field `i`, by label or alias?
    pub fn names(&self, i: usize, header: &str) -> bool {
        header_candidate(header).is_some_and(|k| self.labels[i].contains(&k) || self.aliases[i].contains(&k))
    }
}

/// Longer than any header a field answers to, with every mark and space
/// around it. A longer cell (a note, a pasted paragraph in a title row) is
/// never a header: normalizing it for every label of every field made a
/// roster with one 70 KB cell in its first rows take half a second to read.
const MAX_HEADER_BYTES: usize = 256;

/// The `header_key` of a cell that may be a header; None for one too long
/// to be.
pub fn header_candidate(cell: &str) -> Option<String> {
    (cell.len() <= MAX_HEADER_BYTES).then(|| header_key(cell))
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
    spec!(
        "legal_status",
        "法律状态",
        "Legal status",
        ["登记/备案", "登记或备案", "登记备案情况", "登记状态", "管理方式", "status"],
        false
    ),
    spec!("credit_code", "统一社会信用代码", "Credit code", ["信用代码", "社会信用代码", "uscc"], false),
    spec!("filing_number", "备案编号", "Filing number", ["备案号", "备案证号"], false),
    spec!("division", "行政区划代码", "Division code", ["区划代码", "所属区划", "division"], true),
    spec!("township", "所属街道/乡镇", "Township", ["所属街道", "街道", "乡镇", "街道(乡镇)", "所属乡镇"], false),
    spec!("community", "所属社区/村", "Community", ["所属社区", "社区", "村", "社区(村)"], false),
    spec!("address", "地址", "Address", ["活动地址", "住所", "办公地址"], false),
    spec!("founded", "成立日期", "Founded", ["成立时间", "成立年月"], false),
    spec!("filing_date", "备案日期", "Filing date", ["备案时间"], false),
    spec!("registration_date", "登记日期", "Registration date", ["登记时间", "成立登记日期"], false),
    spec!("filing_authority", "备案机关", "Filing authority", ["备案单位", "备案部门"], false),
    spec!("head_name", "负责人", "Head", ["负责人姓名", "法定代表人"], false),
    spec!("head_phone", "联系电话", "Phone", ["负责人电话", "电话", "手机", "联系方式", "phone"], false),
    spec!("contact_name", "联系人", "Contact person", ["联系人姓名"], false),
    spec!("contact_phone", "联系人电话", "Contact phone", ["联系人手机", "联系人联系方式"], false),
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

/// Headers only a ledger has: columns combining two fields. Not form fields.
pub const ORG_COMBINED_FIELDS: &[FieldSpec] = &[spec!(
    "code_or_filing",
    "统一社会信用代码/备案编号",
    "Credit code or filing number",
    [
        "统一社会信用代码或备案编号",
        "信用代码/备案编号",
        "社会信用代码/备案编号",
        "统一社会信用代码/备案号",
        "代码/编号"
    ],
    false
)];

/// An exited organization's exit, as a ledger (and our export) writes it.
/// Not form fields: exiting is its own action (`org exit`, F8).
pub const ORG_EXIT_FIELDS: &[FieldSpec] = &[
    spec!("exit_date", "退出日期", "Exit date", ["退出时间"], false),
    spec!("exit_reason", "退出原因", "Exit reason", ["退出理由"], false),
    spec!("exit_kind", "退出方式", "Exit kind", ["退出类型"], false),
];

/// What an organization import maps headers to: the form's fields and the combined columns.
pub fn org_import_fields() -> &'static [FieldSpec] {
    static FIELDS: std::sync::OnceLock<Vec<FieldSpec>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| ORG_FIELDS.iter().chain(ORG_COMBINED_FIELDS).chain(ORG_EXIT_FIELDS).copied().collect())
}

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

/// Every field's text fits a spreadsheet cell, and a name fits a name, so
/// whatever is accepted can be exported again.
fn check_field_length(key: &str, text: &str) -> Result<(), String> {
    let max = if key == "name" { validate::NAME_MAX_CHARS } else { validate::CELL_MAX_CHARS };
    e(validate::check_length(text, max))
}

fn e<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, String> {
    r.map_err(|x| x.to_string())
}

/// Party status as ledgers write it ("单独建立党组织", "选派党建联络员", "未建立").
/// Values match whole (never by substring), so a negative such as "未单独建立"
/// can never read as its positive; "有"/"已建立" read as own, with a warning.
fn party_status(text: &str) -> Result<PartyStatus, String> {
    let t = validate::fold_width(text);
    match t.trim() {
        "" => Ok(PartyStatus::Uncovered),
        t if PARTY_EXISTS.contains(&t) => Ok(PartyStatus::Own),
        t => PartyStatus::parse(t).map_err(|_| {
            format!(
                "党组织情况 '{t}' 无法识别,可填: {} (unknown Party organization status; accepted: own, joint, dispatched, uncovered)",
                PARTY_WORDINGS.join("、")
            )
        }),
    }
}

/// Words saying a party organization exists without saying whether own or joint.
const PARTY_EXISTS: &[&str] = &["有", "已建立", "已成立", "已组建"];
const PARTY_WORDINGS: &[&str] =
    &["单独建立党组织", "联合组建党组织", "选派党建工作指导员", "选派党建联络员", "已建立", "有", "未建立", "无"];

/// Legal status as a cell states it: a status, or only what the organization is not
/// ("未登记"), which the row's codes settle (`resolve_legal_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalReading {
    Is(LegalStatus),
    Not(LegalStatus),
}

const LEGAL_WORDINGS: &[&str] = &["已登记", "未登记", "已备案", "已备案未登记", "培育中", "待备案", "未备案"];

/// Reads a legal-status cell. Whole values only: "未登记" is never "登记".
pub fn legal_reading(text: &str) -> Result<LegalReading, String> {
    let t = validate::fold_width(text);
    let t = t.trim();
    match t {
        "未登记" | "未注册" | "unregistered" => return Ok(LegalReading::Not(LegalStatus::Registered)),
        "未备案" | "unfiled" => return Ok(LegalReading::Not(LegalStatus::Filed)),
        _ => {}
    }
    LegalStatus::parse(t).map(LegalReading::Is).map_err(|_| {
        format!(
            "法律状态 '{t}' 无法识别,可填: {} (unknown legal status; accepted: registered, filed, incubating)",
            LEGAL_WORDINGS.join("、")
        )
    })
}

/// The legal status a reading gives, with the row's codes: "未登记" with a filing
/// number is filed, without one incubating (said in the warning); "未备案" with a
/// credit code is registered.
pub fn resolve_legal_status(
    reading: LegalReading,
    credit_code: &str,
    filing_number: &str,
) -> (LegalStatus, Option<String>) {
    match reading {
        LegalReading::Is(s) => (s, None),
        LegalReading::Not(LegalStatus::Registered) if !filing_number.is_empty() => (LegalStatus::Filed, None),
        LegalReading::Not(LegalStatus::Filed) if !credit_code.is_empty() => (LegalStatus::Registered, None),
        LegalReading::Not(_) => (
            LegalStatus::Incubating,
            Some("未登记也未备案(无信用代码、无备案编号),按培育中导入 (neither registered nor filed: read as incubating)".into()),
        ),
    }
}

/// A warning about a value that was read but may not say what the ledger meant.
pub fn org_field_warning(key: &str, text: &str) -> Option<String> {
    let t = validate::fold_width(text);
    match key {
        "party_status" if PARTY_EXISTS.contains(&t.trim()) => Some(format!(
            "党组织情况 '{}' 未说明单独建立还是联合组建,按单独建立导入,请核对 (read as own party organization; it may be a joint one)",
            t.trim()
        )),
        _ => None,
    }
}

/// What a combined 统一社会信用代码/备案编号 cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOrFiling {
    Empty,
    CreditCode(String),
    FilingNumber(String),
}

/// Tells a credit code from a filing number by the GB 32100 check: a value that
/// passes is a code; 18 characters of the code alphabet failing it are a
/// mistyped code (an error, never a filing number); anything else a filing number.
pub fn code_or_filing(text: &str) -> Result<CodeOrFiling, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(CodeOrFiling::Empty);
    }
    match validate::check_credit_code(t) {
        Ok(c) => Ok(CodeOrFiling::CreditCode(c.code)),
        Err(e) if validate::looks_like_credit_code(t) => Err(format!(
            "{} — 18位信用代码字符,不能当作备案编号 (18 credit-code characters failing the check: a mistyped credit code, not a filing number)",
            e.0
        )),
        Err(_) => Ok(CodeOrFiling::FilingNumber(validate::fold_width(t))),
    }
}

/// Sets one organization field from text. An empty text clears optional fields.
pub fn set_org_field(o: &mut Organization, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    check_field_length(key, t)?;
    match key {
        "name" => o.name = validate::normalize_name(t),
        "category" => o.category = if t.is_empty() { Category::Other } else { e(Category::parse(t))? },
        "service_type" => o.service_type = opt(t, |v| e(ServiceType::parse(v)))?,
        "legal_status" if t.is_empty() => {
            o.legal_status = if !o.credit_code.is_empty() {
                LegalStatus::Registered
            } else if !o.filing_number.is_empty() {
                LegalStatus::Filed
            } else {
                LegalStatus::Incubating
            }
        }
        "legal_status" => {
            let reading = legal_reading(t)?;
            o.legal_status = resolve_legal_status(reading, &o.credit_code, &o.filing_number).0;
        }
        "credit_code" => {
            o.credit_code = opt(t, |v| e(validate::check_credit_code(v)).map(|c| c.code))?.unwrap_or_default()
        }
        "filing_number" => o.filing_number = validate::fold_width(t),
        "code_or_filing" => match code_or_filing(t)? {
            CodeOrFiling::Empty => {}
            CodeOrFiling::CreditCode(code) => o.credit_code = code,
            CodeOrFiling::FilingNumber(number) => o.filing_number = number,
        },
        "filing_date" => o.filing_date = opt(t, |v| e(validate::parse_date(v)))?,
        "registration_date" => o.registration_date = opt(t, |v| e(validate::parse_date(v)))?,
        "filing_authority" => o.filing_authority = t.to_string(),
        "contact_name" => o.contact_name = t.to_string(),
        "contact_phone" => o.contact_phone = opt(t, |v| e(validate::normalize_phone(v)))?.unwrap_or_default(),
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
        "exit_date" => o.exit_date = opt(t, |v| e(validate::parse_date(v)))?,
        "exit_reason" => o.exit_reason = t.to_string(),
        "exit_kind" => o.exit_kind = opt(t, |v| e(super::ledger_vocab::ExitKind::parse(v)))?,
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
        "filing_date" => opt(o.filing_date.map(|d| d.to_string())),
        "registration_date" => opt(o.registration_date.map(|d| d.to_string())),
        "filing_authority" => o.filing_authority.clone(),
        "code_or_filing" => {
            if o.credit_code.is_empty() {
                o.filing_number.clone()
            } else {
                o.credit_code.clone()
            }
        }
        "head_name" => o.head_name.clone(),
        "head_phone" => o.head_phone.clone(),
        "contact_name" => o.contact_name.clone(),
        "contact_phone" => o.contact_phone.clone(),
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
    check_field_length(key, t)?;
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
    check_field_length(key, t)?;
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
        for spec in [ORG_FIELDS, ORG_COMBINED_FIELDS, ORG_EXIT_FIELDS, PERSON_FIELDS, VENUE_FIELDS].concat() {
            for label in [spec.key, spec.zh, spec.en].iter().chain(spec.aliases) {
                assert!(label.len() * 2 < MAX_HEADER_BYTES, "{label}: room for marks around it");
            }
        }
        // However long the cell, it is read once, and a paragraph is no header.
        assert!(!name.matches_header(&format!("组织名称{}", "说明".repeat(200))));
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
