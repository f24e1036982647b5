//! Deterministic, realistic demo data: Sichuan division codes, ~170
//! organizations per county and ~10 per community, valid credit codes,
//! people, liaisons, venues with a few conflicting bookings, trainings with
//! attendance. Same seed, same data.

use super::activity::{Activity, WorkReport};
use super::divisions::SICHUAN_COUNTIES;
use super::enums::*;
use super::evaluation::Evaluation;
use super::ids::RecordId;
use super::records::*;
use super::validate::name_key;
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};

const STREETS: &[&str] = &[
    "春熙",
    "书院",
    "合江亭",
    "水井坊",
    "牛市口",
    "东光",
    "莲新",
    "沙河",
    "督院",
    "盐市口",
    "少城",
    "草堂",
    "府南",
    "光华",
    "玉林",
    "望江",
    "浆洗",
    "簇桥",
    "金花",
    "火车南站",
];
const TOWNS: &[&str] =
    &["永宁", "柳城", "万春", "寿安", "花源", "新兴", "太平", "白云", "龙泉", "石羊", "三星", "安仁"];
const COMMUNITY_WORDS: &[&str] = &[
    "和平", "幸福", "光明", "团结", "友谊", "锦华", "东升", "金桂", "玉泉", "桃园", "竹林", "银杏", "新华", "长青",
    "花园", "荷塘", "清水", "红星",
];
const ORG_STEMS: &[&str] = &[
    "阳光",
    "夕阳红",
    "邻里",
    "巾帼",
    "银龄",
    "红色",
    "心连心",
    "爱心",
    "同心",
    "彩虹",
    "暖阳",
    "向日葵",
    "乐龄",
    "绿色",
    "和美",
];
const ORG_KINDS: &[(&str, Category)] = &[
    ("志愿服务队", Category::ResidentServices),
    ("为老服务站", Category::ResidentServices),
    ("公益协会", Category::Charity),
    ("慈善互助会", Category::Charity),
    ("邻里互助会", Category::MutualAid),
    ("调解会", Category::MutualAid),
    ("舞蹈队", Category::CultureSports),
    ("书画社", Category::CultureSports),
    ("合唱团", Category::CultureSports),
    ("太极拳协会", Category::CultureSports),
    ("种植技术协会", Category::RuralTech),
    ("养殖合作社", Category::RuralTech),
    ("读书会", Category::Other),
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const GIVEN: &[&str] = &[
    "秀英", "桂英", "建华", "志强", "丽", "敏", "静", "伟", "芳", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "霞", "平", "刚", "玉兰",
];

pub struct DemoData {
    pub federation: Federation,
    pub orgs: Vec<Organization>,
    pub people: Vec<Person>,
    pub liaisons: Vec<LiaisonAssignment>,
    pub venues: Vec<Venue>,
    pub bookings: Vec<Booking>,
    pub trainings: Vec<Training>,
    pub attendance: Vec<Attendance>,
    /// A year of activities up to `today`, a few planned after it.
    pub activities: Vec<Activity>,
    pub work_reports: Vec<WorkReport>,
    pub projects: Vec<super::projects::Project>,
    pub honours: Vec<super::projects::Honour>,
    pub incubations: Vec<super::projects::Incubation>,
}

/// A valid unified social credit code for a civil-affairs registration.
fn credit_code(rng: &mut ChaCha8Rng, county: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const OW: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut code = format!("5{}{}", ["1", "2", "9"][rng.random_range(0..3)], county);
    let org: String = (0..8).map(|_| ALPHABET[rng.random_range(0..10)] as char).collect();
    let sum: u32 = org.chars().zip(OW).map(|(c, w)| c.to_digit(36).unwrap_or(0) * w).sum();
    let c17 = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    };
    code.push_str(&org);
    code.push(c17);
    let s: u32 = code.bytes().zip(W).map(|(b, w)| ALPHABET.iter().position(|a| *a == b).unwrap_or(0) as u32 * w).sum();
    code.push(ALPHABET[((31 - s % 31) % 31) as usize] as char);
    code
}

fn person_name(rng: &mut ChaCha8Rng) -> String {
    format!("{}{}", SURNAMES.choose(rng).unwrap_or(&"王"), GIVEN.choose(rng).unwrap_or(&"芳"))
}

fn mobile(rng: &mut ChaCha8Rng) -> String {
    format!(
        "1{}{:08}",
        ["38", "39", "58", "59", "86", "87", "77", "35"][rng.random_range(0..8)],
        rng.random_range(0..100_000_000u64)
    )
}

/// The counties the demo fills, in code order, with how many organizations
/// each gets: ~170 (DOMAIN.md) while Sichuan's 183 county-level units
/// suffice, more per county beyond 31,110 organizations, so every code the
/// demo writes is a real county with its name.
fn county_list(org_count: usize) -> (Vec<(&'static str, &'static str)>, usize) {
    let counties = SICHUAN_COUNTIES.len();
    let per_county = ORGS_PER_COUNTY.max(org_count.div_ceil(counties));
    (SICHUAN_COUNTIES[..org_count.div_ceil(per_county).clamp(1, counties)].to_vec(), per_county)
}

const ORGS_PER_COUNTY: usize = 170;

/// The day `generate` takes as today, so tests and benchmarks see the same data.
pub const DEMO_TODAY: (i32, u32, u32) = (2025, 11, 1);

impl DemoData {
    /// The demo as of a fixed day (`DEMO_TODAY`), for tests and benchmarks.
    pub fn generate(seed: u64, org_count: usize) -> DemoData {
        let (y, m, d) = DEMO_TODAY;
        DemoData::generate_on(seed, org_count, NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
    }

    /// The demo with its dates around `today` (founding, exits, assignments,
    /// bookings and trainings in the current period), so a fresh demo's report
    /// has figures. The caller reads the clock; this never does.
    pub fn generate_on(seed: u64, org_count: usize, today: NaiveDate) -> DemoData {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // Draws added later come from their own stream, so the main one (and
        // with it every name and code) stays what it was for a seed.
        let mut extra = ChaCha8Rng::seed_from_u64(seed ^ 0x00de_0a55_1a95);
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let (counties, per_county) = county_list(org_count);
        let (level, division, name) = if counties.len() == 1 {
            (Level::County, counties[0].0.to_string(), format!("{}社区社会组织联合会", counties[0].1))
        } else {
            (Level::Province, "510000".to_string(), "四川省社区社会组织联合会".to_string())
        };
        let federation = Federation {
            id: RecordId::from_rng(&mut rng),
            name,
            level,
            division,
            parent: String::new(),
            contact_name: person_name(&mut rng),
            contact_phone: mobile(&mut rng),
        };
        let mut orgs = Vec::with_capacity(org_count);
        let mut names = HashSet::new();
        let mut communities: Vec<(String, String, String)> = Vec::new();
        for i in 0..org_count {
            let (county, _) = &counties[(i / per_county).min(counties.len() - 1)];
            let within = i % per_county;
            let township_no = within / 50;
            let community_no = within / 10;
            let urban = community_no % 3 != 2;
            // Kept inside the standard's ranges (街道 001–099, 镇 100–199; 社区
            // 001–199, 村 200–399) however many organizations a county gets.
            let township_code = if urban { 1 + township_no % 99 } else { 100 + township_no % 100 };
            let village_code = if urban { 1 + community_no % 199 } else { 200 + community_no % 200 };
            let division = format!("{county}{township_code:03}{village_code:03}");
            let township = if urban {
                format!("{}街道", STREETS[(township_no + i / per_county) % STREETS.len()])
            } else {
                format!("{}镇", TOWNS[(township_no + i / per_county) % TOWNS.len()])
            };
            let community = format!(
                "{}{}",
                COMMUNITY_WORDS[(community_no * 7 + i / per_county) % COMMUNITY_WORDS.len()],
                if urban { "社区" } else { "村" }
            );
            if within % 10 == 0 {
                communities.push((division.clone(), township.clone(), community.clone()));
            }
            let (kind, category) = ORG_KINDS[rng.random_range(0..ORG_KINDS.len())];
            let mut org_name = format!("{community}{}{kind}", ORG_STEMS[rng.random_range(0..ORG_STEMS.len())]);
            let mut n = 2;
            while !names.insert(name_key(&org_name)) {
                org_name = format!("{community}{}{kind}{n}", ORG_STEMS[rng.random_range(0..ORG_STEMS.len())]);
                n += 1;
            }
            let roll = rng.random_range(0..100);
            let legal_status = match roll {
                0..15 => LegalStatus::Registered,
                15..95 => LegalStatus::Filed,
                _ => LegalStatus::Incubating,
            };
            let mut o = Organization::new(&org_name, category, legal_status, &division);
            o.id = RecordId::from_rng(&mut rng);
            o.township = township;
            o.community = community.clone();
            o.address = format!("{community}{}号", rng.random_range(1..300));
            o.founded = Some(today - Duration::days(rng.random_range(1..4000)));
            o.head_name = person_name(&mut rng);
            o.head_phone = mobile(&mut rng);
            o.members = Some(rng.random_range(8..120));
            o.scope = format!("{}等服务", category.zh());
            match legal_status {
                LegalStatus::Registered => o.credit_code = credit_code(&mut rng, county),
                LegalStatus::Filed => o.filing_number = format!("{}备{:04}", &division[..9], within + 1),
                LegalStatus::Incubating => {}
            }
            o.party_status = match rng.random_range(0..100) {
                0..20 => PartyStatus::Own,
                20..45 => PartyStatus::Joint,
                45..60 => PartyStatus::Dispatched,
                _ => PartyStatus::Uncovered,
            };
            if o.party_status == PartyStatus::Own {
                o.party_members = Some(rng.random_range(3..12).min(o.members.unwrap_or(3)));
                o.party_in_charter = true;
            }
            if rng.random_range(0..4) == 0 {
                o.mass_orgs = vec![MassOrg::WomensFederation];
            }
            if rng.random_range(0..20) == 0 {
                o.brand_year = Some(rng.random_range(2019..2026));
            }
            if rng.random_range(0..3) == 0 {
                let s = |r: &mut ChaCha8Rng| r.random_range(12..=25u8);
                o.evaluations.insert(
                    "2024".into(),
                    Evaluation {
                        basic: s(&mut rng),
                        activities: s(&mut rng),
                        contribution: s(&mut rng),
                        influence: s(&mut rng),
                        ..Default::default()
                    },
                );
            }
            match rng.random_range(0..100) {
                0..6 => o.lifecycle = Lifecycle::Dormant,
                6..9 => {
                    o.lifecycle = Lifecycle::Exited;
                    // Exited after it was founded, before today.
                    let founded = o.founded.unwrap_or(today - Duration::days(400));
                    let span = (today - founded).num_days().max(2);
                    o.exit_date = Some(founded + Duration::days(rng.random_range(1..span)));
                    o.exit_reason = ["长期不开展活动", "负责人迁出", "并入其他组织"][rng.random_range(0..3)].into();
                }
                _ => {}
            }
            orgs.push(o);
        }

        // People: a head per organization is on the record; liaisons, social
        // workers and volunteers as people records.
        let mut people = Vec::new();
        let mut liaisons = Vec::new();
        let liaison_count = (org_count / 8).max(1);
        for _ in 0..liaison_count {
            let mut p = Person::new(&person_name(&mut rng));
            p.id = RecordId::from_rng(&mut rng);
            p.phone = mobile(&mut rng);
            p.party_member = true;
            p.roles = vec![if rng.random_range(0..3) == 0 { Role::Instructor } else { Role::Liaison }];
            people.push(p);
        }
        let dispatched: Vec<&Organization> =
            orgs.iter().filter(|o| o.party_status == PartyStatus::Dispatched).collect();
        for (k, o) in dispatched.iter().enumerate() {
            let p = &people[k % liaison_count];
            let role =
                if p.roles.contains(&Role::Instructor) { AssignmentRole::Instructor } else { AssignmentRole::Liaison };
            liaisons.push(LiaisonAssignment {
                id: RecordId::from_rng(&mut rng),
                person: p.id.clone(),
                organization: o.id.clone(),
                role,
                dispatched_by: format!("{}党工委", o.township),
                from: today - Duration::days(rng.random_range(30..700)),
                to: None,
                end_reason: String::new(),
            });
        }
        // Assignments that ended (they no longer cover their organization),
        // and joint branches that also have a liaison.
        for o in &orgs {
            let roll = extra.random_range(0..100);
            let ended = o.party_status == PartyStatus::Uncovered && roll < 8;
            let joint_too = o.party_status == PartyStatus::Joint && roll < 20;
            if (!ended && !joint_too) || o.lifecycle == Lifecycle::Exited {
                continue;
            }
            let p = &people[extra.random_range(0..liaison_count)];
            let from = today - Duration::days(extra.random_range(200..700));
            liaisons.push(LiaisonAssignment {
                id: RecordId::from_rng(&mut extra),
                person: p.id.clone(),
                organization: o.id.clone(),
                role: AssignmentRole::Liaison,
                dispatched_by: format!("{}党工委", o.township),
                from,
                to: ended.then(|| today - Duration::days(extra.random_range(1..150))),
                end_reason: if ended { "工作调动".into() } else { String::new() },
            });
        }
        for k in 0..(org_count / 10).max(2) {
            let mut p = Person::new(&person_name(&mut rng));
            p.id = RecordId::from_rng(&mut rng);
            p.phone = mobile(&mut rng);
            p.party_member = rng.random_range(0..3) == 0;
            p.organization = Some(orgs[(k * 7) % orgs.len().max(1)].id.clone()).filter(|_| !orgs.is_empty());
            if k % 4 == 0 {
                p.roles = vec![Role::SocialWorker];
                p.social_worker_grade =
                    Some(if k % 8 == 0 { SocialWorkerGrade::Assistant } else { SocialWorkerGrade::Intermediate });
            } else {
                p.roles = vec![Role::Volunteer];
            }
            people.push(p);
        }

        // A venue per township-sized group of communities, bookings over a month.
        let mut venues = Vec::new();
        let mut bookings = Vec::new();
        for (division, township, _) in communities.iter().step_by(5) {
            let v = Venue {
                id: RecordId::from_rng(&mut rng),
                name: format!("{township}党群服务中心"),
                kind: VenueKind::PartyMassCentre,
                address: format!("{township}{}号", rng.random_range(1..200)),
                division: division[..9].to_string(),
                capacity: Some(rng.random_range(30..200)),
                facilities: "会议室、活动室、投影".into(),
                opening_hours: "周一至周六 9:00–17:00".into(),
                owner: format!("{township}办事处"),
            };
            if venues.iter().any(|x: &Venue| name_key(&x.name) == name_key(&v.name)) {
                continue;
            }
            for d in 0..6 {
                let start = rng.random_range(9..16);
                let org = orgs.choose(&mut rng).map(|o| o.id.clone());
                bookings.push(Booking {
                    id: RecordId::from_rng(&mut rng),
                    venue: v.id.clone(),
                    organization: org,
                    date: today - Duration::days(d * 5),
                    start: format!("{start:02}:00"),
                    end: format!("{:02}:00", start + 2),
                    purpose: ["排练", "议事协商", "志愿者培训", "读书分享"][rng.random_range(0..4)].into(),
                    expected: Some(rng.random_range(10..60)),
                    status: if rng.random_range(0..5) == 0 {
                        BookingStatus::Requested
                    } else {
                        BookingStatus::Confirmed
                    },
                });
            }
            venues.push(v);
        }
        // Two offline confirmations of one slot: the conflict merges produce.
        if let Some(v) = venues.first() {
            for purpose in ["社区议事会", "舞蹈排练"] {
                bookings.push(Booking {
                    id: RecordId::from_rng(&mut rng),
                    venue: v.id.clone(),
                    organization: orgs.first().map(|o| o.id.clone()),
                    date: today + Duration::days(3),
                    start: "14:00".into(),
                    end: "16:00".into(),
                    purpose: purpose.into(),
                    expected: Some(30),
                    status: BookingStatus::Confirmed,
                });
            }
        }

        // Trainings with sessions and attendance.
        let mut trainings = Vec::new();
        let mut attendance = Vec::new();
        let topics = [
            ("社区社会组织党建示范培训", TrainingFormat::Demonstration, Topic::PartyBuilding),
            ("社区社会组织培育发展网上课堂", TrainingFormat::Online, Topic::Cultivation),
            ("项目策划与能力建设工作坊", TrainingFormat::OnSite, Topic::Capacity),
            ("财务与日常运作新媒体教学", TrainingFormat::NewMedia, Topic::Operations),
        ];
        for (k, (title, format, topic)) in topics.iter().enumerate() {
            let mut t = Training {
                id: RecordId::from_rng(&mut rng),
                title: title.to_string(),
                format: *format,
                topics: vec![*topic],
                audience: vec![Role::Head, Role::Liaison, Role::SocialWorker],
                trainer: person_name(&mut rng),
                venue: venues.get(k).map(|v| v.id.clone()),
                sessions: BTreeMap::new(),
            };
            for s in 0..3 {
                let sid = RecordId::from_rng(&mut rng);
                let session = Session {
                    // Within the current year (a January demo bunches them up).
                    date: (today - Duration::days(60 - 7 * s - 14 * k as i64)).max(year_start),
                    start: "09:00".into(),
                    end: "12:00".into(),
                    venue: None,
                };
                for p in people.iter().skip(k).step_by(3).take(25) {
                    let status = match rng.random_range(0..10) {
                        0 => AttendanceStatus::NoShow,
                        1 => AttendanceStatus::Registered,
                        _ => AttendanceStatus::Attended,
                    };
                    let attended = status == AttendanceStatus::Attended;
                    attendance.push(Attendance {
                        id: RecordId::attendance(&sid, &p.id),
                        training: t.id.clone(),
                        session: sid.clone(),
                        person: p.id.clone(),
                        organization: p.organization.clone(),
                        status,
                        signed_in: attended
                            .then(|| session.date.and_hms_opt(8, 50 + rng.random_range(0..9), 0))
                            .flatten(),
                        hours: if attended { session.hours() } else { 0.0 },
                    });
                }
                t.sessions.insert(sid, session);
            }
            trainings.push(t);
        }
        let (activities, work_reports) = super::demo_activities::generate(seed, today, &orgs, &people, &trainings);
        let ledger = super::demo_ledger::LedgerDemo::generate(seed, &mut orgs, &people, today);
        DemoData {
            federation,
            orgs,
            people,
            liaisons,
            venues,
            bookings,
            trainings,
            attendance,
            activities,
            work_reports,
            projects: ledger.projects,
            honours: ledger.honours,
            incubations: ledger.incubations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        // Large enough that rare combinations (an exit soon after founding)
        // occur, and beyond 183 × 170 so counties take more than 170 each.
        let big = DemoData::generate(11, 32_000).orgs;
        for o in &big {
            assert!(!has_errors(&o.validate()), "{}: {:?}", o.name, o.validate());
            // Every county the demo writes is named in reports (issue 9).
            let county = &o.division[..6];
            assert!(crate::domain::divisions::county_name(county).is_some(), "{county} has no name");
            assert!(crate::domain::divisions::CommunityKind::of(&o.division).is_some(), "{}", o.division);
        }
        let counties: HashSet<&str> = big.iter().map(|o| &o.division[..6]).collect();
        assert_eq!(counties.len(), 183, "all of Sichuan's county-level units");
        let a = DemoData::generate(7, 400);
        let b = DemoData::generate(7, 400);
        assert_eq!(a.orgs, b.orgs);
        assert_eq!(a.attendance, b.attendance);
        assert_ne!(DemoData::generate(8, 400).orgs, a.orgs);
        assert_eq!(a.orgs.len(), 400);
        let counties: HashSet<&str> = a.orgs.iter().map(|o| &o.division[..6]).collect();
        assert_eq!(counties.len(), 3, "~170 per county");
        for o in &a.orgs {
            assert!(!has_errors(&o.validate()), "{}: {:?}", o.name, o.validate());
        }
        for p in &a.people {
            assert!(!has_errors(&p.validate()), "{:?}", p.validate());
        }
        for r in &a.bookings {
            assert!(!has_errors(&r.validate()));
        }
        for t in &a.trainings {
            assert!(!has_errors(&t.validate()));
        }
        for x in &a.attendance {
            assert!(!has_errors(&x.validate()));
        }
        let names: HashSet<String> = a.orgs.iter().map(|o| name_key(&o.name)).collect();
        assert_eq!(names.len(), a.orgs.len(), "names unique");
        assert!(!crate::domain::report::booking_conflicts(&a.bookings).is_empty(), "a conflict to resolve");
    }

    #[test]
    fn every_county_the_demo_can_generate_has_a_name() {
        for orgs in [1, 169, 170, 171, 23_000, 23_200, 31_000, 31_110, 31_111, 100_000, 1_000_000] {
            let (counties, per_county) = county_list(orgs);
            assert!(per_county * counties.len() >= orgs, "{orgs}: every organization has a county");
            assert_eq!(counties.len(), orgs.div_ceil(per_county), "{orgs}: no county left empty");
            assert!(counties.len() <= 183 && (orgs <= 31_110) == (per_county == 170), "{orgs}");
            for (code, name) in &counties {
                assert_eq!(crate::domain::divisions::county_name(code), Some(*name), "{orgs}: {code}");
            }
        }
        assert_eq!(county_list(31_000).1, 170, "~170 per county up to the province's size");
    }

    #[test]
    fn a_year_of_activities_relative_to_today() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 15).unwrap();
        let a = DemoData::generate_on(5, 2_000, today);
        assert_eq!(a.activities, DemoData::generate_on(5, 2_000, today).activities, "deterministic");
        assert!(a.activities.len() > 2_000 * 3, "{}", a.activities.len());
        for x in &a.activities {
            assert!(!has_errors(&x.validate()), "{}: {:?}", x.title, x.validate());
            assert!(x.date > today - Duration::days(366) && x.date < today + Duration::days(31), "{}", x.date);
        }
        for r in &a.work_reports {
            assert!(!has_errors(&r.validate()), "{:?}", r.validate());
            assert_eq!(r.period, crate::domain::Period::Half(2026, 2));
        }
        let rule = crate::domain::MajorActivityRule::standard();
        let rows: Vec<_> = a.activities.iter().map(crate::domain::activity_query::ActivityRow::from_activity).collect();
        let due = crate::domain::activity_query::reports_due(&rows, &rule, today);
        assert!(due.iter().any(|d| d.overdue) && due.iter().any(|d| !d.overdue), "overdue and upcoming reports");
        assert!(a.activities.iter().any(|x| x.organizations.len() > 1), "joint activities");
        assert!(a.activities.iter().any(|x| x.report_status == Some(crate::domain::ReportStatus::Acknowledged)));
        assert!(a.activities.iter().any(|x| x.volunteer_hours() > 0.0));
    }
}
