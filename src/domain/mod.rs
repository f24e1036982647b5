//! The federation's records, their validation, queries and reports.
//! Pure data and rules: no tokio, no ratatui, no sled.

pub mod activity;
pub mod activity_query;
pub mod demo;
pub mod divisions;
pub mod enums;
pub mod ids;
pub mod input;
mod personal;
pub mod query;
pub mod records;
pub mod report;
pub mod validate;

pub use activity::{
    Activity, ActivityError, ActivityKind, Committee, MajorActivityRule, MajorReason, Period, ReportChannel,
    ReportStatus, ReviewResult, TargetGroup, WorkReport,
};
pub use enums::*;
pub use ids::RecordId;
pub use records::*;
