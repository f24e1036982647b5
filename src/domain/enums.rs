//! Closed vocabularies from DOMAIN.md. Each value has a stable stored code
//! (English, snake case), a Chinese and an English label; parsing accepts any
//! of the three (and a few common aliases) so that Chinese spreadsheets and
//! English scripts both work.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Display language of labels and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// What every vocabulary offers: its values, stored codes and labels.
pub trait Vocabulary: Sized + Copy + PartialEq + 'static {
    /// Chinese and English name of the vocabulary itself, for error messages.
    const NAME: (&'static str, &'static str);
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
    fn aliases(self) -> &'static [&'static str];

    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// Accepts the stored code, either label or an alias, ignoring case,
    /// surrounding space and full-width forms.
    fn parse(text: &str) -> Result<Self, UnknownValue> {
        let folded = crate::domain::validate::fold_width(text.trim()).to_lowercase();
        Self::all()
            .iter()
            .copied()
            .find(|v| {
                v.code() == folded
                    || v.zh() == folded
                    || v.en().to_lowercase() == folded
                    || v.aliases().iter().any(|a| a.to_lowercase() == folded)
            })
            .ok_or_else(|| UnknownValue {
                vocabulary: Self::NAME,
                given: text.trim().to_string(),
                expected: Self::all().iter().map(|v| format!("{}/{}", v.zh(), v.code())).collect::<Vec<_>>().join(", "),
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {} ({}) '{given}'; expected one of: {expected}", vocabulary.1, vocabulary.0)]
pub struct UnknownValue {
    pub vocabulary: (&'static str, &'static str),
    pub given: String,
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident ($zh_name:literal, $en_name:literal) {
        $($variant:ident => $code:literal, $zh:literal, $en:literal $(, [$($alias:literal),*])?;)+
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Vocabulary for $name {
            const NAME: (&'static str, &'static str) = ($zh_name, $en_name);
            fn all() -> &'static [Self] { &[$($name::$variant),+] }
            fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            fn zh(self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            fn en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($($alias),*)?]),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.zh()) }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> { <$name as Vocabulary>::parse(s) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.code()) }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$name as Vocabulary>::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Lets other domain modules declare their vocabularies the same way.
pub(crate) use vocabulary;

vocabulary! {
    /// Level in the five-level network (五级联动).
    Level ("层级", "level") {
        Province => "province", "省", "Province", ["省级"];
        City => "city", "市", "City", ["市级", "市(州)", "州"];
        County => "county", "县", "County", ["县级", "县(市、区)", "区", "县区"];
        Township => "township", "乡镇", "Township", ["乡镇(街道)", "街道", "乡镇级"];
        Community => "community", "社区", "Community", ["村(社区)", "村", "村社区"];
    }
}

vocabulary! {
    /// 组织类别: the seed's activity domains.
    Category ("组织类别", "category") {
        ResidentServices => "resident_services", "为民服务", "Resident services", ["resident services"];
        Charity => "charity", "公益慈善", "Charity";
        MutualAid => "mutual_aid", "邻里互助", "Mutual aid", ["mutual aid"];
        CultureSports => "culture_sports", "文体娱乐", "Culture & sports", ["culture and sports", "culture"];
        RuralTech => "rural_tech", "农村生产技术服务", "Rural production technology", ["农村生产技术", "rural tech"];
        Other => "other", "其他", "Other", ["其它"];
    }
}

vocabulary! {
    /// Sichuan's 2023 filing rules group filed organizations by service type.
    ServiceType ("服务类型", "service type") {
        DailyLife => "daily_life", "生活服务类", "Daily-life services", ["生活服务"];
        CommunityAffairs => "community_affairs", "社区事务类", "Community affairs", ["社区事务"];
        CultureSports => "culture_sports", "文体活动类", "Culture and sports", ["文体活动"];
        Charity => "charity", "公益慈善类", "Charity", ["公益慈善"];
    }
}

vocabulary! {
    /// Legal status: registered with civil affairs, filed with a township, or incubating.
    LegalStatus ("法律状态", "legal status") {
        Registered => "registered", "登记", "Registered", ["登记成立", "已登记", "民政登记"];
        Filed => "filed", "备案", "Filed", ["已备案", "备案管理", "已备案未登记", "街道备案", "乡镇备案"];
        Incubating => "incubating", "培育中", "Incubating", ["培育", "孵化中", "待备案"];
    }
}

vocabulary! {
    /// Party organization status (党组织情况).
    PartyStatus ("党组织情况", "party organization status") {
        Own => "own", "单独建立", "Own party organization", ["单独组建", "独立建立", "单独建立党组织", "单独组建党组织"];
        Joint => "joint", "联合组建", "Joint organization", ["联合建立", "联合组建党组织", "联合建立党组织"];
        Dispatched => "dispatched", "选派党建工作指导员/联络员", "Instructor or liaison dispatched", ["选派", "选派指导员", "选派联络员", "选派党建工作指导员", "选派党建联络员", "选派党建工作联络员", "选派党建指导员", "instructor", "liaison"];
        Uncovered => "uncovered", "未覆盖", "Not covered", ["无", "未建立", "未建立党组织", "未覆盖党组织", "none", "not covered"];
    }
}

vocabulary! {
    /// Mass organizations set up inside an organization.
    MassOrg ("群团组织", "mass organization") {
        TradeUnion => "trade_union", "工会", "Trade union", ["union"];
        YouthLeague => "youth_league", "共青团", "Youth League", ["团组织", "团支部"];
        WomensFederation => "womens_federation", "妇联", "Women's federation", ["妇女组织"];
    }
}

vocabulary! {
    /// Incubation services received (孵化服务).
    IncubationService ("孵化服务", "incubation service") {
        Venue => "venue", "场地", "Venue";
        Training => "training", "培训", "Training";
        Information => "information", "信息", "Information";
        Planning => "planning", "策划", "Planning";
    }
}

vocabulary! {
    /// Lifecycle; exited records are kept, never hard-deleted (退出机制).
    Lifecycle ("状态", "status") {
        Active => "active", "活跃", "Active", ["正常", "运行"];
        Dormant => "dormant", "休眠", "Dormant", ["停止活动", "不活跃"];
        Exited => "exited", "已退出", "Exited", ["退出", "注销", "撤销"];
    }
}

vocabulary! {
    /// Evaluation result (考核评价结果). The national 1A–5A grade is a
    /// different assessment (funding::NationalGrade), never an alias here.
    EvalResult ("评价结果", "evaluation result") {
        Excellent => "excellent", "优秀", "Excellent", ["A"];
        Good => "good", "良好", "Good", ["B"];
        Pass => "pass", "合格", "Pass", ["C"];
        Fail => "fail", "不合格", "Fail", ["D"];
    }
}

vocabulary! {
    /// Roles of a person.
    Role ("角色", "role") {
        Instructor => "instructor", "党建工作指导员", "Party-building instructor", ["指导员"];
        Liaison => "liaison", "联络员", "Liaison", ["党建联络员"];
        Head => "head", "负责人", "Organization head", ["法定代表人", "会长"];
        SocialWorker => "social_worker", "社会工作者", "Social worker", ["社工"];
        CommunityWorker => "community_worker", "社区工作者", "Community worker", ["社区干部"];
        CivilAffairsAssistant => "civil_affairs_assistant", "民政助理员", "Civil affairs assistant";
        ChildrenDirector => "children_director", "儿童主任", "Children's director";
        Volunteer => "volunteer", "志愿者", "Volunteer";
    }
}

vocabulary! {
    /// Social-worker qualification, which sets the continuing-education hours.
    SocialWorkerGrade ("社工职业资格", "social-worker grade") {
        Assistant => "assistant", "助理社会工作师", "Assistant social worker", ["助理社工师"];
        Intermediate => "intermediate", "社会工作师", "Social worker", ["社工师"];
        Senior => "senior", "高级社会工作师", "Senior social worker", ["高级社工师"];
    }
}

impl SocialWorkerGrade {
    /// Continuing-education hours required per three-year period.
    pub fn required_hours(self) -> f64 {
        match self {
            SocialWorkerGrade::Assistant => 72.0,
            _ => 90.0,
        }
    }
}

vocabulary! {
    /// Role in a liaison assignment: instructors come from outside, liaisons are designated inside.
    AssignmentRole ("选派类型", "assignment role") {
        Instructor => "instructor", "党建工作指导员", "Instructor", ["指导员"];
        Liaison => "liaison", "联络员", "Liaison", ["党建联络员"];
    }
}

vocabulary! {
    /// Kind of venue (阵地).
    VenueKind ("场地类型", "venue kind") {
        PartyMassCentre => "party_mass_centre", "党群服务中心", "Party-mass service centre";
        CommunityFacility => "community_facility", "城乡社区综合服务设施", "Community service facility", ["社区综合服务设施"];
        SocialWorkStation => "social_work_station", "社会工作服务站", "Social-work station", ["社工站"];
        IncubationBase => "incubation_base", "孵化基地", "Incubation base";
        Other => "other", "其他", "Other", ["其它"];
    }
}

vocabulary! {
    BookingStatus ("预约状态", "booking status") {
        Requested => "requested", "已申请", "Requested", ["申请", "待确认"];
        Confirmed => "confirmed", "已确认", "Confirmed", ["确认"];
        Cancelled => "cancelled", "已取消", "Cancelled", ["取消", "canceled"];
    }
}

vocabulary! {
    TrainingFormat ("培训形式", "training format") {
        Demonstration => "demonstration", "示范培训", "Demonstration training";
        Online => "online", "网上课堂", "Online class", ["线上"];
        NewMedia => "new_media", "新媒体教学", "New-media teaching", ["new media"];
        OnSite => "on_site", "现场", "On-site workshop", ["现场教学", "on-site"];
    }
}

vocabulary! {
    Topic ("培训主题", "training topic") {
        PartyBuilding => "party_building", "党的建设", "Party building", ["党建"];
        Cultivation => "cultivation", "培育发展", "Cultivation";
        Capacity => "capacity", "能力建设", "Capacity building";
        Operations => "operations", "日常运作", "Operations", ["日常运营"];
    }
}

vocabulary! {
    /// Participant status, after the nonprofit CRM model.
    AttendanceStatus ("出勤状态", "attendance status") {
        Registered => "registered", "已报名", "Registered", ["报名"];
        Attended => "attended", "已签到", "Attended", ["签到", "出席"];
        NoShow => "no_show", "缺席", "No-show", ["no show", "未到"];
        Cancelled => "cancelled", "已取消", "Cancelled", ["取消"];
    }
}

/// Multi-valued vocabularies are stored as one comma-separated string of
/// codes: a concurrent edit then shows as a conflict on one field the user can
/// resolve, instead of two list edits interleaving.
pub mod code_list {
    use super::Vocabulary;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<V: Vocabulary, S: Serializer>(values: &[V], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&join(values))
    }

    pub fn deserialize<'de, V: Vocabulary, D: Deserializer<'de>>(d: D) -> Result<Vec<V>, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    pub fn join<V: Vocabulary>(values: &[V]) -> String {
        values.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
    }

    /// Splits on ASCII and Chinese separators; keeps order, drops repeats.
    pub fn parse<V: Vocabulary + PartialEq>(text: &str) -> Result<Vec<V>, super::UnknownValue> {
        let mut out = Vec::new();
        for part in text.split([',', '，', '、', ';', '；', '/', '|']) {
            if part.trim().is_empty() {
                continue;
            }
            let v = V::parse(part)?;
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }

    pub fn labels<V: Vocabulary>(values: &[V], lang: super::Lang) -> String {
        let sep = match lang {
            super::Lang::Zh => "、",
            super::Lang::En => ", ",
        };
        values.iter().map(|v| v.label(lang)).collect::<Vec<_>>().join(sep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_labels_and_aliases() {
        assert_eq!(Category::parse("公益慈善").unwrap(), Category::Charity);
        assert_eq!(Category::parse(" charity ").unwrap(), Category::Charity);
        assert_eq!(Category::parse("Culture and Sports").unwrap(), Category::CultureSports);
        assert_eq!(LegalStatus::parse("登记成立").unwrap(), LegalStatus::Registered);
        assert_eq!(Level::parse("county").unwrap(), Level::County);
        let err = Category::parse("hobby").unwrap_err();
        assert!(err.to_string().contains("'hobby'"), "{err}");
        assert!(err.to_string().contains("公益慈善"), "{err}");
    }

    #[test]
    fn code_lists_round_trip_and_dedupe() {
        let v: Vec<MassOrg> = code_list::parse("工会、妇联,工会").unwrap();
        assert_eq!(v, vec![MassOrg::TradeUnion, MassOrg::WomensFederation]);
        assert_eq!(code_list::join(&v), "trade_union,womens_federation");
        assert_eq!(code_list::labels(&v, Lang::Zh), "工会、妇联");
    }

    #[test]
    fn every_code_is_unique_and_parses_back() {
        fn check<V: Vocabulary + PartialEq + fmt::Debug>() {
            for v in V::all() {
                assert_eq!(V::parse(v.code()).unwrap(), *v);
                assert_eq!(V::parse(v.zh()).unwrap(), *v);
                assert_eq!(V::parse(v.en()).unwrap(), *v);
            }
        }
        check::<Level>();
        check::<Category>();
        check::<ServiceType>();
        check::<LegalStatus>();
        check::<PartyStatus>();
        check::<MassOrg>();
        check::<IncubationService>();
        check::<Lifecycle>();
        check::<EvalResult>();
        check::<Role>();
        check::<SocialWorkerGrade>();
        check::<AssignmentRole>();
        check::<VenueKind>();
        check::<BookingStatus>();
        check::<TrainingFormat>();
        check::<Topic>();
        check::<AttendanceStatus>();
    }
}
