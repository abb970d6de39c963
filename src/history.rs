//! Git history facts (tags, commits, merges) for the release and delivery rules.

use serde::Serialize;
use std::path::Path;

/// What the history rules saw, for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// A git repository with readable history was found.
    pub available: bool,
    /// The clone is shallow: history metrics are N/A.
    pub shallow: bool,
    /// Why history is unavailable, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// History read from the repository at the scanned root.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub summary: Summary,
}

impl History {
    /// Reads history at `root`. Never fails: problems become a message in the summary.
    pub fn load(_root: &Path) -> History {
        History {
            summary: Summary {
                available: false,
                shallow: false,
                message: Some("git history is not analysed yet".into()),
            },
        }
    }
}
