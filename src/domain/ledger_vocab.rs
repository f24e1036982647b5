//! Vocabularies of the seed's funding and cultivation ledger (issue 12):
//! projects, honours, evaluation reviews, the registration lifecycle,
//! membership and standardization. Same rules as enums.rs: a stored code,
//! a Chinese and an English label, aliases as ledgers write them.

use super::enums::{vocabulary, UnknownValue, Vocabulary};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

vocabulary! {
    /// Kind of project or funding (项目类型).
    ProjectKind ("项目类型", "project kind") {
        Venture => "venture", "公益创投", "Charity venture", ["创投", "公益创投项目"];
        Purchase => "purchase", "政府购买服务", "Government purchase of services", ["购买服务", "政府购买"];
        Commissioned => "commissioned", "委托", "Commissioned", ["委托项目"];
        WelfareLottery => "welfare_lottery", "福彩公益金", "Welfare-lottery fund", ["福彩", "福利彩票公益金"];
        CommunityFund => "community_fund", "社区基金", "Community foundation", ["社区基金会", "community foundation"];
        Other => "other", "其他", "Other", ["其它"];
    }
}

vocabulary! {
    /// Service domain of a project (服务领域); multi-valued.
    ProjectDomain ("服务领域", "project domain") {
        Elderly => "elderly", "为老", "Older people", ["为老服务", "老年人"];
        Disability => "disability", "助残", "Disability", ["助残服务", "残疾人"];
        Youth => "youth", "青少年", "Youth", ["青少年服务"];
        WomenChildren => "women_children", "妇女儿童", "Women and children";
        Relief => "relief", "救助帮困", "Relief", ["社会救助", "帮困"];
        ElderlyCare => "elderly_care", "养老服务", "Elderly care", ["养老"];
        ChildProtection => "child_protection", "儿童保障", "Child protection", ["儿童福利"];
        Governance => "governance", "社区治理", "Community governance", ["治理"];
        Other => "other", "其他", "Other", ["其它"];
    }
}

vocabulary! {
    /// Project status; it moves forward only, one step at a time.
    ProjectStatus ("项目状态", "project status") {
        Applied => "applied", "申报", "Applied", ["已申报", "申请"];
        Approved => "approved", "立项", "Approved", ["已立项"];
        Running => "running", "实施", "Running", ["实施中", "执行"];
        Closed => "closed", "结项", "Closed", ["已结项"];
        Evaluated => "evaluated", "评估", "Evaluated", ["已评估"];
    }
}

impl ProjectStatus {
    /// The next step of 申报 → 立项 → 实施 → 结项 → 评估.
    pub fn next(self) -> Option<ProjectStatus> {
        let all = Self::all();
        let i = all.iter().position(|s| *s == self)?;
        all.get(i + 1).copied()
    }

    /// Money is committed from 立项 on; an application alone is a request.
    pub fn is_funded(self) -> bool {
        self != ProjectStatus::Applied
    }
}

vocabulary! {
    /// National social-organization grade (等级评估), awarded by civil
    /// affairs: a separate assessment from the federation's evaluation.
    NationalGrade ("等级评估", "national grade") {
        A1 => "1a", "1A", "1A", ["1a级", "一级"];
        A2 => "2a", "2A", "2A", ["2a级", "二级"];
        A3 => "3a", "3A", "3A", ["3a级", "三级"];
        A4 => "4a", "4A", "4A", ["4a级", "AAAA", "四级"];
        A5 => "5a", "5A", "5A", ["5a级", "AAAAA", "五级"];
    }
}

vocabulary! {
    /// Honour kind (荣誉类型).
    HonourKind ("荣誉类型", "honour kind") {
        BrandOrg => "brand_org", "品牌组织", "Brand organization", ["品牌社会组织", "品牌社区社会组织"];
        DemonstrationOrg => "demonstration_org", "示范型社区社会组织", "Demonstration organization", ["示范型", "示范组织"];
        QualityProject => "quality_project", "优质项目", "Quality project";
        InnovativeProject => "innovative_project", "创新项目", "Innovative project";
        AdvancedPerson => "advanced_person", "先进人物", "Advanced individual", ["先进个人"];
    }
}

impl HonourKind {
    /// Who the honour goes to.
    pub fn recipient(self) -> RecipientKind {
        match self {
            HonourKind::BrandOrg | HonourKind::DemonstrationOrg => RecipientKind::Organization,
            HonourKind::QualityProject | HonourKind::InnovativeProject => RecipientKind::Project,
            HonourKind::AdvancedPerson => RecipientKind::Person,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecipientKind {
    Organization,
    Project,
    Person,
}

vocabulary! {
    /// Level of the awarding body (荣誉级别).
    AwardLevel ("荣誉级别", "award level") {
        National => "national", "国家", "National", ["国家级", "全国"];
        Province => "province", "省", "Province", ["省级"];
        City => "city", "市", "City", ["市级", "市(州)"];
        County => "county", "县", "County", ["县级", "县(市、区)", "区"];
        Township => "township", "乡镇", "Township", ["乡镇(街道)", "街道"];
    }
}

vocabulary! {
    /// How an organization left (退出方式): they differ in law.
    ExitKind ("退出方式", "exit kind") {
        Deregistered => "deregistered", "注销", "Deregistered", ["注销登记"];
        Revoked => "revoked", "撤销登记", "Registration revoked", ["撤销"];
        FilingCancelled => "filing_cancelled", "取消备案", "Filing cancelled", ["撤销备案"];
        Dissolved => "dissolved", "自行解散", "Dissolved", ["解散"];
        Merged => "merged", "合并", "Merged", ["被合并"];
    }
}

vocabulary! {
    /// Organization form (组织形式) of a registered organization.
    OrgForm ("组织形式", "organization form") {
        Association => "association", "社会团体", "Association", ["社团"];
        ServiceInstitution => "service_institution", "社会服务机构", "Social service institution", ["民办非企业单位", "民非"];
        Foundation => "foundation", "基金会", "Foundation";
        Other => "other", "其他", "Other", ["其它"];
    }
}

impl OrgForm {
    /// Read from a civil-affairs credit code (position 1 = 5): position 2
    /// is 1 association, 2 service institution, 3 foundation, 9 other.
    pub fn from_credit_code(code: &str) -> Option<OrgForm> {
        let mut chars = code.trim().chars();
        if chars.next()? != '5' {
            return None;
        }
        match chars.next()? {
            '1' => Some(OrgForm::Association),
            '2' => Some(OrgForm::ServiceInstitution),
            '3' => Some(OrgForm::Foundation),
            '9' => Some(OrgForm::Other),
            _ => None,
        }
    }
}

vocabulary! {
    /// Federation membership status (会员状态).
    MembershipStatus ("会员状态", "membership status") {
        Enrolled => "enrolled", "在册", "Enrolled", ["会员", "正常"];
        Suspended => "suspended", "暂停", "Suspended", ["暂停会籍"];
        Withdrawn => "withdrawn", "退会", "Withdrawn", ["已退会"];
    }
}

vocabulary! {
    /// Type flags for the seed's 2025 targets (枢纽型、平台型、品牌型).
    OrgType ("组织类型标识", "organization type") {
        Hub => "hub", "枢纽型", "Hub";
        Platform => "platform", "平台型", "Platform";
        Brand => "brand", "品牌型", "Brand";
    }
}

vocabulary! {
    /// Items of the standardization checklist (规范化建设).
    ChecklistItem ("规范化项目", "standardization item") {
        Charter => "charter", "有章程", "Has a charter", ["章程"];
        Democratic => "democratic", "民主决策", "Democratic decisions";
        Finance => "finance", "财务制度", "Financial rules", ["财务管理制度"];
        Disclosure => "disclosure", "信息公开", "Information disclosure";
        Reports => "reports", "向两委报告", "Reports to the committees", ["向村(社区)两委报告"];
        Supervision => "supervision", "接受监督", "Accepts supervision";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_codes_and_labels() {
        fn check<V: Vocabulary + PartialEq + fmt::Debug>() {
            for v in V::all() {
                assert_eq!(V::parse(v.code()).unwrap(), *v);
                assert_eq!(V::parse(v.zh()).unwrap(), *v);
                assert_eq!(V::parse(v.en()).unwrap(), *v);
            }
        }
        check::<ProjectKind>();
        check::<ProjectDomain>();
        check::<ProjectStatus>();
        check::<NationalGrade>();
        check::<HonourKind>();
        check::<AwardLevel>();
        check::<ExitKind>();
        check::<OrgForm>();
        check::<MembershipStatus>();
        check::<OrgType>();
        check::<ChecklistItem>();
        assert_eq!(NationalGrade::parse("AAAA").unwrap(), NationalGrade::A4);
        assert_eq!(NationalGrade::parse("５Ａ").unwrap(), NationalGrade::A5);
        assert_eq!(OrgForm::parse("民办非企业单位").unwrap(), OrgForm::ServiceInstitution);
    }

    #[test]
    fn grade_is_no_evaluation_result() {
        // Issue 9.13: 5A is the national grade, never a synonym of 优秀.
        assert!(crate::domain::EvalResult::parse("5A").is_err());
        assert!(crate::domain::EvalResult::parse("1A").is_err());
    }

    #[test]
    fn status_moves_forward_one_step() {
        assert_eq!(ProjectStatus::Applied.next(), Some(ProjectStatus::Approved));
        assert_eq!(ProjectStatus::Evaluated.next(), None);
        assert!(!ProjectStatus::Applied.is_funded());
    }

    #[test]
    fn form_from_credit_code() {
        assert_eq!(OrgForm::from_credit_code("51420000MJH200395N"), Some(OrgForm::Association));
        assert_eq!(OrgForm::from_credit_code("52420000MJH233402K"), Some(OrgForm::ServiceInstitution));
        assert_eq!(OrgForm::from_credit_code("91110000600037341L"), None);
        assert_eq!(OrgForm::from_credit_code(""), None);
    }
}
