//! The activities and projects tabs' strings, Chinese (default) and English.

use super::i18n::T;

pub const VIEW_ACTIVITIES: T = T("活动", "Activities");
pub const VIEW_DUE: T = T("重大活动待报告", "Major reports due");
pub const VIEW_REPORTS: T = T("向两委报告工作", "Work reports");
pub const VIEW_MISSING: T = T("未报告工作的组织", "No work report");
pub const VIEW_QUIET: T = T("长期无活动的组织", "Quiet organizations");
pub const VIEW_PROJECTS: T = T("项目", "Projects");
pub const VIEW_RANKING: T = T("考核排名", "Evaluation ranking");

pub const DATE: T = T("日期", "Date");
pub const TITLE: T = T("活动名称", "Title");
pub const KIND: T = T("类型", "Type");
pub const LEAD: T = T("组织", "Organization");
pub const PEOPLE: T = T("人数", "People");
pub const HOURS: T = T("时长", "Hours");
pub const REPORT: T = T("报告", "Report");
pub const DUE: T = T("应报告日", "Due");
pub const OVERDUE: T = T("已逾期", "overdue");
pub const NOT_YET: T = T("未到期", "upcoming");
pub const PERIOD: T = T("期间", "Period");
pub const REPORTED_ON: T = T("报告日", "Reported");
pub const REPORTED_TO: T = T("报告对象", "Reported to");
pub const REVIEW: T = T("评议", "Review");
pub const NOT_REVIEWED: T = T("未评议", "not reviewed");
pub const TOWNSHIP: T = T("乡镇(街道)", "Township");
pub const LAST_ACTIVITY: T = T("最近活动", "Last activity");
pub const NONE_YET: T = T("无", "none");
pub const MAJOR_MARK: T = T("重大", "major");
pub const CONDITIONS: T = T("条件", "conditions");

pub const PROJECT: T = T("项目名称", "Project");
pub const FUNDER: T = T("资助方", "Funder");
pub const YEAR: T = T("年度", "Year");
pub const AMOUNT: T = T("金额(元)", "Amount (yuan)");
pub const RANK: T = T("名次", "Rank");
pub const SCORE: T = T("得分", "Score");
pub const LAST_YEAR: T = T("上年", "Last year");
pub const CHANGE: T = T("变化", "Change");
pub const GRADE: T = T("等级", "Grade");
pub const RESULT: T = T("结果", "Result");
pub const RANKING_LOADING: T = T("正在计算排名…", "Computing the ranking…");
pub const RANKING_EMPTY: T =
    T("该年度没有考核记录。F4 录入考核,←→ 换年度", "No evaluations for this year. F4 enters one, ←→ changes the year");

pub const DETAIL_RECENT: T = T("近期活动", "Recent activities");
pub const DETAIL_WORK_REPORT: T = T("工作报告", "Work report");

pub const FORM_ACTIVITY: T = T("登记活动", "Log an activity");
pub const FORM_EDIT_ACTIVITY: T = T("修改活动", "Edit an activity");
pub const FORM_CONDITIONS: T = T("活动筛选条件", "Activity filter");
pub const FORM_PARTICIPANTS: T = T("登记参与者", "Log participants");
pub const FORM_REPORT_MAJOR: T = T("重大活动报告", "Report a major activity");
pub const FORM_ACKNOWLEDGE: T = T("报告已知悉", "Report acknowledged");
pub const FORM_WORK_REPORT: T = T("向两委报告工作", "Work report to the committees");
pub const FORM_REVIEW: T = T("两委及居民评议", "Review of a work report");
pub const FORM_PROJECT: T = T("新增项目", "New project");
pub const FORM_ADVANCE: T = T("项目推进", "Advance a project");
pub const FORM_EVALUATE: T = T("考核评价", "Evaluation");

pub const F_ORG: T = T("组织", "Organization");
pub const F_TITLE: T = T("活动名称", "Title");
pub const F_KIND: T = T("活动类型", "Type");
pub const F_DATE: T = T("日期", "Date");
pub const F_START: T = T("开始时间", "Starts");
pub const F_END: T = T("结束时间", "Ends");
pub const F_TARGETS: T = T("服务对象", "Target groups");
pub const F_PARTICIPANTS: T = T("参与者", "Participants");
pub const F_HOURS_EACH: T = T("每人志愿时长", "Hours each");
pub const F_HEADCOUNT: T = T("参与人数", "Headcount");
pub const F_BENEFICIARIES: T = T("受益人数", "Beneficiaries");
pub const F_VENUE: T = T("场地/地点", "Venue or place");
pub const F_MAJOR: T = T("重大活动", "Major activity");
pub const F_NOTES: T = T("备注", "Notes");
pub const F_PERIOD: T = T("期间", "Period");
pub const F_FROM: T = T("起始日期", "From");
pub const F_TO: T = T("截止日期", "To");
pub const F_TARGET: T = T("服务对象", "Target group");
pub const F_MAJOR_ONLY: T = T("只看重大活动", "Major only");
pub const F_WORK_PERIOD: T = T("工作报告期间", "Work-report period");
pub const F_QUIET_MONTHS: T = T("无活动月数", "Months without activity");
pub const F_PLACE: T = T("地点", "Place");
pub const F_PARTNERS: T = T("联合主办", "Joint organizers");
pub const F_REPORTED_TO: T = T("报告对象", "Reported to");
pub const F_VIA: T = T("报告方式", "How");
pub const F_BY: T = T("知悉人", "Acknowledged by");
pub const F_COMMITTEES: T = T("报告给", "Committees");
pub const F_SUMMARY: T = T("报告内容", "Summary");
pub const F_RESULT: T = T("评议结果", "Result");
pub const F_REVIEWER: T = T("评议人", "Reviewed by");
pub const F_NAME: T = T("项目名称", "Project name");
pub const F_PROJECT_KIND: T = T("项目类型", "Kind");
pub const F_FUNDER: T = T("资助方", "Funder");
pub const F_YEAR: T = T("年度", "Year");
pub const F_AMOUNT: T = T("金额(元)", "Amount (yuan)");
pub const F_DOMAINS: T = T("服务领域", "Domains");
pub const F_LEAD: T = T("承接组织", "Lead organization");
pub const F_STATUS: T = T("项目状态", "Status");
pub const F_TO_STATUS: T = T("推进到", "Move to");
pub const F_BASIC: T = T("基本条件(0–25,空=按自查)", "Basic (0–25, blank: checklist)");
pub const F_ACTIVITIES: T = T("活动情况(0–25)", "Activities (0–25)");
pub const F_CONTRIBUTION: T = T("社会贡献(0–25)", "Contribution (0–25)");
pub const F_INFLUENCE: T = T("社区影响力(0–25)", "Influence (0–25)");
pub const F_EVALUATOR: T = T("评价人", "Evaluator");
pub const F_COMMITTEE_REVIEW: T = T("两委评议", "Committees' review");
pub const F_RESIDENTS_REVIEW: T = T("居民评议", "Residents' review");
pub const F_NATIONAL_GRADE: T = T("等级评估(1A–5A)", "National grade (1A–5A)");
pub const F_EXIT_KIND: T = T("退出方式", "Exit kind");

pub const MAJOR_BY_RULE: T = T("按规则判断", "by the rule");
pub const NOT_MAJOR: T = T("不是重大活动", "not major");
pub const ALREADY_ACKNOWLEDGED: T = T("该活动的报告已知悉", "This report is already acknowledged");
pub const PROJECT_DONE: T = T("项目已到最后一步「评估」", "The project is already evaluated");
pub const BAD_MONTHS: T = T("月数至少为 1 (at least one month)", "at least one month");
pub const BAD_NUMBER: T = T("请填写整数 (a whole number)", "a whole number");
pub const FLOW_HINT: T = T(
    "Enter/F8: 应报告 → 已报告(报告对象、日期、方式)→ 已知悉",
    "Enter/F8: due → reported (to whom, when, how) → acknowledged",
);
pub const MISSING_HINT: T = T(
    "本期未向两委报告工作的在册组织。Enter 为所选组织记录报告,F11 换期间",
    "Active organizations with no work report in the period. Enter records one, F11 changes the period",
);
pub const QUIET_HINT: T = T(
    "在册组织在此期间没有任何活动记录(计划中的活动不算)。仅为建议:是否标记休眠由您决定。Enter 转到该组织修改状态,F11 改月数",
    "Active organizations with no activity logged in the span (planned ones do not count). A suggestion only: marking dormant is your decision. Enter goes to the organization, F11 changes the months",
);
pub const MONTHS: T = T("个月", "months");
pub const NOTHING_CHANGED: T = T("没有修改,未保存 (nothing changed)", "Nothing changed: not saved");
pub const PLANNED: T = T("计划中", "planned");

/// The label of an activity's stored field (conflict views).
pub fn activity_field(key: &str) -> Option<T> {
    Some(match key {
        "organizations" => F_ORG,
        "title" => F_TITLE,
        "kind" => F_KIND,
        "date" => F_DATE,
        "start" => F_START,
        "end" => F_END,
        "targets" => F_TARGETS,
        "participants" => F_PARTICIPANTS,
        "headcount" => F_HEADCOUNT,
        "beneficiaries" => F_BENEFICIARIES,
        "venue" => F_VENUE,
        "place" => F_PLACE,
        "major" => F_MAJOR,
        "notes" => F_NOTES,
        "reported_to" => F_REPORTED_TO,
        _ => return None,
    })
}

// The projects tab's honours, standardization and settings (issue 12.2, 12.3, 12.6).
pub const VIEW_HONOURS: T = T("荣誉与品牌", "Honours and brand");
pub const VIEW_GAPS: T = T("规范化建设缺项", "Standardization gaps");
pub const LEVEL: T = T("级别", "Level");
pub const HONOUR_KIND: T = T("荣誉类型", "Kind");
pub const HOLDER: T = T("获得者", "Holder");
pub const AWARDED_BY: T = T("授予单位", "Awarded by");
pub const GAPS: T = T("缺项", "Lacks");
pub const UNCHECKED: T = T("未自查", "no checklist");
pub const GAPS_LOADING: T = T("正在汇总自查…", "Gathering the checklists…");
pub const GAPS_EMPTY: T = T(
    "该年度各组织均无缺项。F4 录入自查,←→ 换年度",
    "No organization lacks anything this year. F4 records a checklist, ←→ changes the year",
);
pub const HONOURS_EMPTY: T = T("还没有荣誉记录。F4 记录荣誉", "No honours yet. F4 records one");
pub const CHECKED_OF: T = T("已自查", "checked");
pub const ORGS_COUNT: T = T("个组织", "organizations");
pub const BEHIND: T = T("所属组织", "Organization behind");

pub const FORM_HONOUR: T = T("记录荣誉", "Record an honour");
pub const FORM_EDIT_HONOUR: T = T("修改荣誉", "Edit an honour");
pub const FORM_CHECKLIST: T = T("规范化建设自查", "Standardization checklist");
pub const FORM_SETTINGS: T = T("考核权重与分档线", "Evaluation weights and cut-offs");

pub const F_HONOUR_KIND: T = T("荣誉类型", "Kind");
pub const F_LEVEL: T = T("级别", "Level");
pub const F_HONOUR_TITLE: T = T("荣誉名称", "Title");
pub const F_AWARDED_BY: T = T("授予单位", "Awarded by");
pub const F_HONOUR_ORG: T = T("获得组织", "Organization");
pub const F_HONOUR_PROJECT: T = T("获得项目", "Project");
pub const F_HONOUR_PERSON: T = T("获得个人", "Person");
pub const F_RECIPIENT: T = T("获得者(未登记时)", "Holder (not on record)");
pub const F_WEIGHT_BASIC: T = T("权重:基本条件(%)", "Weight: basic (%)");
pub const F_WEIGHT_ACTIVITIES: T = T("权重:活动情况(%)", "Weight: activities (%)");
pub const F_WEIGHT_CONTRIBUTION: T = T("权重:社会贡献(%)", "Weight: contribution (%)");
pub const F_WEIGHT_INFLUENCE: T = T("权重:社区影响力(%)", "Weight: influence (%)");
pub const F_EXCELLENT_FROM: T = T("优秀线(分)", "Excellent from");
pub const F_GOOD_FROM: T = T("良好线(分)", "Good from");
pub const F_PASS_FROM: T = T("合格线(分)", "Pass from");
pub const SETTINGS_HINT: T =
    T("四项权重之和为100;分档线 优秀>良好>合格", "The four weights sum to 100; excellent > good > pass");
