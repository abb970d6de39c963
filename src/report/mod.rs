//! The report: one model (serialized as the versioned JSON) that every renderer reads.

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::detect::{ProfileDetection, Stack};
use crate::rules::{Category, Effort, Evidence, Status};
use crate::score::Level;
use crate::walk::Skipped;
use serde::Serialize;

/// Bumped on any incompatible change of the JSON report.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    /// The scanned path as given on the command line.
    pub root: String,
    pub profile: ProfileDetection,
    pub stacks: Vec<Stack>,
    pub score: f64,
    pub level: Level,
    pub min_score: f64,
    pub passed: bool,
    pub categories: Vec<CategoryReport>,
    /// Failed controls, most impactful first (rule weight × category weight).
    pub findings: Vec<Finding>,
    /// Controls left out by the configuration's `ignore:` list, with the reason given.
    pub ignored: Vec<Ignored>,
    /// `ignore:` entries that matched no failed control in this scan: stale or mistyped.
    /// Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_unmatched: Vec<UnmatchedIgnore>,
    pub skipped: Vec<Skipped>,
    pub history: crate::history::Summary,
    pub stats: Stats,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

impl ToolInfo {
    pub fn current() -> Self {
        ToolInfo {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryReport {
    pub id: Category,
    pub title: &'static str,
    pub weight: f64,
    pub score: Option<f64>,
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub weight: u8,
    pub evidence: Vec<Evidence>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub weight: u8,
    /// Rule weight × category weight: the order of the roadmap.
    pub impact: f64,
    pub effort: Effort,
    pub security: bool,
    pub message: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub reason: String,
}

/// An `ignore:` entry as written in the configuration (`rule` may be a glob).
#[derive(Debug, Clone, Serialize)]
pub struct UnmatchedIgnore {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub skipped: u64,
    /// Wall time of the scan: the one field that differs between identical runs.
    pub duration_ms: u64,
}

impl Report {
    pub fn controls(&self) -> impl Iterator<Item = (&CategoryReport, &Control)> {
        self.categories
            .iter()
            .flat_map(|c| c.controls.iter().map(move |ctl| (c, ctl)))
    }
}
