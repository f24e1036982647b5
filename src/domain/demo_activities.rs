//! A year of activities and work reports for the demo: what organizations
//! of each category typically do, a few joint and major activities (some
//! reported, some acknowledged, some overdue), named volunteers with hours
//! on a quarter of them, a few planned after `today`, and roughly one in ten
//! active organizations with nothing logged (the quiet-organization signal).
//! Its own random stream, so adding it changed none of the older demo data.

use super::activity::*;
use super::enums::*;
use super::ids::RecordId;
use super::records::{Organization, Person, Training};
use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// (title, kind, targets) an organization of a category typically runs.
fn menu(category: Category) -> &'static [(&'static str, ActivityKind, &'static [TargetGroup])] {
    use ActivityKind as K;
    use TargetGroup as T;
    match category {
        Category::ResidentServices => &[
            ("邻里守望敲门行动", K::VolunteerService, &[T::Elderly]),
            ("为老助餐志愿服务", K::VolunteerService, &[T::Elderly]),
            ("夜间治安巡逻", K::Patrol, &[T::AllResidents]),
            ("垃圾分类宣传引导", K::WasteSorting, &[T::AllResidents]),
        ],
        Category::Charity => &[
            ("困难家庭走访慰问", K::Care, &[T::InNeed]),
            ("关爱留守儿童课后陪伴", K::Care, &[T::Children]),
            ("爱心义卖", K::VolunteerService, &[T::AllResidents]),
        ],
        Category::MutualAid => &[
            ("有事好商量居民议事会", K::Consultation, &[T::AllResidents]),
            ("邻里纠纷调解", K::Mediation, &[T::AllResidents]),
            ("应急避险演练", K::EmergencyDrill, &[T::AllResidents, T::Elderly]),
        ],
        Category::CultureSports => &[
            ("广场舞展演", K::CultureSports, &[T::Women, T::Elderly]),
            ("社区书画展", K::CultureSports, &[T::AllResidents]),
            ("青少年暑期合唱营", K::CultureSports, &[T::Youth]),
        ],
        Category::RuralTech => {
            &[("果树修剪技术培训", K::Lecture, &[T::AllResidents]), ("农机安全讲座", K::Lecture, &[T::AllResidents])]
        }
        Category::Other => {
            &[("亲子共读", K::CultureSports, &[T::Children, T::Women]), ("反诈宣传讲座", K::Lecture, &[T::Elderly])]
        }
    }
}

pub(super) fn generate(
    seed: u64,
    today: NaiveDate,
    orgs: &[Organization],
    people: &[Person],
    trainings: &[Training],
) -> (Vec<Activity>, Vec<WorkReport>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xAC71_0000_0000_0011);
    let rule = MajorActivityRule::standard();
    let volunteers: Vec<&Person> = people.iter().filter(|p| p.roles.contains(&Role::Volunteer)).collect();
    let mut activities = Vec::new();
    let mut reports = Vec::new();
    // The last half-year that has ended: the period work reports are asked for.
    let half = if today.month() > 6 { Period::Half(today.year(), 1) } else { Period::Half(today.year() - 1, 2) };
    for (i, o) in orgs.iter().enumerate() {
        let count = match o.lifecycle {
            Lifecycle::Exited => 0,
            Lifecycle::Dormant => rng.random_range(0..2),
            Lifecycle::Active if rng.random_range(0..10) == 0 => 0,
            Lifecycle::Active => rng.random_range(1..=8),
        };
        let options = menu(o.category);
        for k in 0..count {
            let (title, kind, targets) = options[rng.random_range(0..options.len())];
            // Dormant organizations' last activity lies over half a year back.
            let back =
                if o.lifecycle == Lifecycle::Dormant { rng.random_range(200..365) } else { rng.random_range(0..365) };
            // One in fifty is planned a few weeks ahead.
            let date = if rng.random_range(0..50) == 0 {
                today + Duration::days(rng.random_range(1..30))
            } else {
                today - Duration::days(back)
            };
            let mut a = Activity::new(RecordId::from_rng(&mut rng), &o.division, date, title, kind);
            a.id = RecordId::from_rng(&mut rng);
            a.organizations = vec![o.id.clone()];
            if k == 0 && rng.random_range(0..15) == 0 {
                // A joint activity with the next organization of the community.
                if let Some(next) = orgs.get(i + 1).filter(|n| n.division == o.division) {
                    a.organizations.push(next.id.clone());
                }
            }
            let start = [9u32, 14, 19][rng.random_range(0..3)];
            let length = rng.random_range(1..=3u32);
            a.start = Some(format!("{start:02}:00"));
            a.end = Some(format!("{:02}:{}", start + length, if rng.random_range(0..2) == 0 { "00" } else { "30" }));
            a.targets = targets.to_vec();
            a.headcount =
                Some(if rng.random_range(0..40) == 0 { rng.random_range(101..300) } else { rng.random_range(8..80) });
            a.beneficiaries = Some(rng.random_range(5..120));
            a.place = format!("{}活动室", o.community);
            a.fundraising = title == "爱心义卖";
            a.outside_speakers = kind == ActivityKind::Lecture && rng.random_range(0..2) == 0;
            if kind == ActivityKind::Lecture && rng.random_range(0..10) == 0 {
                a.training = trainings.first().map(|t| t.id.clone());
            }
            if !volunteers.is_empty() && rng.random_range(0..4) == 0 {
                let hours = a.max_hours();
                for _ in 0..rng.random_range(2..=5) {
                    let p = volunteers[rng.random_range(0..volunteers.len())];
                    a.participants.insert(p.id.clone(), hours);
                }
            }
            a.set_major(rule.suggests_major(&a));
            if a.major && a.date <= today {
                match rng.random_range(0..10) {
                    // Never reported: overdue.
                    0 => {}
                    n => {
                        let on = a.date - Duration::days(rng.random_range(1..7));
                        let via = [ReportChannel::Written, ReportChannel::Message, ReportChannel::Phone][n % 3];
                        let to = format!("{}党工委", o.township);
                        a.record_report(&to, on, via).expect("major");
                        if n > 3 {
                            a.acknowledge("街道社会事务办", on + Duration::days(1)).expect("reported");
                        }
                    }
                }
            }
            activities.push(a);
        }
        if o.lifecycle == Lifecycle::Active && rng.random_range(0..5) != 0 {
            let on = half.last_day() + Duration::days(rng.random_range(3..20));
            let mut r = WorkReport::new(o.id.clone(), &o.division, half, on.min(today));
            r.id = RecordId::from_rng(&mut rng);
            r.reported_to = format!("{}、{}两委", o.township, o.community);
            r.summary = format!("{}开展活动{}次", half.label(Lang::Zh), count);
            if rng.random_range(0..5) < 3 {
                let result = [
                    ReviewResult::Satisfied,
                    ReviewResult::Satisfied,
                    ReviewResult::Basically,
                    ReviewResult::Unsatisfied,
                ][rng.random_range(0..4)];
                let reviewed = (r.reported_on + Duration::days(rng.random_range(1..20))).min(today.max(r.reported_on));
                r.record_review(result, reviewed, "社区两委、居民代表", "").expect("reviewer given");
            }
            reports.push(r);
        }
    }
    (activities, reports)
}
