//! devops-maturity: scores how mature a repository's DevOps practice is, with evidence.
//!
//! The pipeline flows one way: [`walk`] reads the tree once into an [`index::Index`],
//! [`detect`] finds stacks and the profile, [`rules`] turn the index into control results,
//! [`score`] weighs them, and [`report`] renders JSON, SARIF, markdown and text.

pub mod cli;
pub mod config;
pub mod detect;
pub mod escape;
pub mod github;
pub mod history;
pub mod index;
pub mod model;
pub mod pattern;
pub mod report;
pub mod repository;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod score;
pub mod suppress;
pub mod walk;
pub mod workspace;

/// Process exit codes: a contract with users' scripts and with the action.
pub mod exit {
    /// Scanned, and the score is at least the minimum.
    pub const OK: i32 = 0;
    /// Scanned, and the score is below the minimum.
    pub const BELOW_MIN_SCORE: i32 = 1;
    /// Usage or configuration error.
    pub const USAGE: i32 = 2;
    /// The scan could not be completed.
    pub const SCAN_FAILED: i32 = 3;
}
