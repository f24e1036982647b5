//! The federation's records, their validation, queries and reports.
//! Pure data and rules: no tokio, no ratatui, no sled.

pub mod activity;
pub mod activity_query;
pub mod demo;
mod demo_activities;
pub mod demo_ledger;
pub mod divisions;
pub mod enums;
pub mod evaluation;
pub mod ids;
pub mod input;
pub mod ledger_report;
pub mod ledger_vocab;
pub mod lifecycle;
mod personal;
pub mod projects;
pub mod query;
pub mod records;
pub mod report;
pub mod text;
pub mod text_index;
pub mod validate;

pub use activity::{
    Activity, ActivityError, ActivityKind, Committee, MajorActivityRule, MajorReason, Period, ReportChannel,
    ReportStatus, ReviewResult, TargetGroup, WorkReport,
};
pub use enums::*;
pub use evaluation::{Checklist, Evaluation, EvaluationSettings};
pub use ids::RecordId;
pub use ledger_vocab::*;
pub use lifecycle::{StatusChange, StatusChangeRequest};
pub use projects::{Honour, Incubation, Project, ServiceGiven};
pub use records::*;
