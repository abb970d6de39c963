//! Comparison with an earlier JSON report (`--baseline`): what a change did to the score.
//!
//! A pull request is judged against the report of its base branch: the score may not drop
//! (`--fail-on-regression`), and the summary says which gaps it opened and which it closed.

use super::Report;
use crate::score::round1;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// A baseline larger than this is refused: a schema-1 report of even a huge monorepo is a few
/// MB, and the file may come from the checked-out (untrusted) tree.
pub const MAX_BASELINE_BYTES: u64 = 32 << 20;

/// The part of an earlier JSON report the comparison reads. Every schema-1 report has it;
/// unknown fields are ignored, so a report from a newer 1.x tool still loads.
#[derive(Debug, Deserialize)]
pub struct Earlier {
    schema_version: u32,
    score: f64,
    categories: Vec<EarlierCategory>,
    findings: Vec<EarlierFinding>,
}

#[derive(Debug, Deserialize)]
struct EarlierCategory {
    id: String,
    score: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct EarlierFinding {
    rule: String,
}

/// What changed since the baseline. Lists are sorted (the report stays deterministic).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Comparison {
    /// The baseline file as given.
    pub file: String,
    /// The baseline's overall score.
    pub score: f64,
    /// This score minus the baseline's, one decimal.
    pub delta: f64,
    /// Categories whose score changed (either side may be N/A).
    pub categories: Vec<CategoryChange>,
    /// Rules that fail now and did not fail in the baseline.
    pub new_findings: Vec<String>,
    /// Rules that failed in the baseline and do not fail now.
    pub resolved: Vec<String>,
    /// A lower score than the baseline's fails the run (`--fail-on-regression`).
    pub gate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CategoryChange {
    pub id: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl Comparison {
    /// The score dropped (by at least the 0.1 the scores are rounded to).
    pub fn regressed(&self) -> bool {
        self.delta < 0.0
    }

    /// The run fails because of this comparison.
    pub fn fails(&self) -> bool {
        self.gate && self.regressed()
    }

    /// `+0.4`, `−0.3`, `±0.0`.
    pub fn delta_text(&self) -> String {
        if self.delta > 0.0 {
            format!("+{:.1}", self.delta)
        } else if self.delta < 0.0 {
            format!("\u{2212}{:.1}", -self.delta)
        } else {
            "±0.0".to_string()
        }
    }
}

/// Reads a baseline report. Errors name the file (and line and column for invalid JSON).
pub fn load(path: &Path) -> Result<Earlier, String> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_BASELINE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > MAX_BASELINE_BYTES {
        return Err(format!(
            "{shown} is larger than {} MiB: not a devops-maturity report",
            MAX_BASELINE_BYTES >> 20
        ));
    }
    parse(&bytes).map_err(|e| format!("{shown}: {e}"))
}

fn parse(bytes: &[u8]) -> Result<Earlier, String> {
    let earlier: Earlier = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "line {} column {}: not a devops-maturity JSON report ({})",
            e.line(),
            e.column(),
            crate::cli::one_line(&e.to_string())
        )
    })?;
    if earlier.schema_version != super::SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} is not supported (this tool reads {})",
            earlier.schema_version,
            super::SCHEMA_VERSION
        ));
    }
    if !(0.0..=10.0).contains(&earlier.score) {
        return Err(format!("score {} is not between 0 and 10", earlier.score));
    }
    Ok(earlier)
}

/// Compares this report with the baseline; `gate`: a lower score fails the run.
pub fn compare(earlier: &Earlier, now: &Report, file: &str, gate: bool) -> Comparison {
    let mut categories: Vec<CategoryChange> = now
        .categories
        .iter()
        .filter_map(|c| {
            let id = c.id.id().to_string();
            let before = earlier
                .categories
                .iter()
                .find(|e| e.id == id)
                .and_then(|e| e.score);
            (before != c.score).then_some(CategoryChange {
                id,
                before,
                after: c.score,
            })
        })
        .collect();
    categories.sort_by(|a, b| a.id.cmp(&b.id));
    let failed_then: std::collections::BTreeSet<&str> =
        earlier.findings.iter().map(|f| f.rule.as_str()).collect();
    let failed_now: std::collections::BTreeSet<&str> =
        now.findings.iter().map(|f| f.rule).collect();
    Comparison {
        file: file.to_string(),
        score: earlier.score,
        delta: round1(now.score - earlier.score),
        categories,
        new_findings: failed_now
            .difference(&failed_then)
            .map(|s| s.to_string())
            .collect(),
        resolved: failed_then
            .difference(&failed_now)
            .map(|s| s.to_string())
            .collect(),
        gate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn earlier(json: &str) -> Earlier {
        parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn invalid_baselines_are_errors_with_a_position() {
        let e = parse(b"{\n  \"schema_version\": 1,\n  \"score\": \"x\"\n}").unwrap_err();
        assert!(e.starts_with("line 3 column"), "{e}");
        let e = parse(br#"{"schema_version": 2, "score": 1, "categories": [], "findings": []}"#)
            .unwrap_err();
        assert!(e.contains("schema_version 2"), "{e}");
        let e = parse(br#"{"schema_version": 1, "score": 11, "categories": [], "findings": []}"#)
            .unwrap_err();
        assert!(e.contains("score 11"), "{e}");
        assert!(parse(b"[]").is_err());
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let e = earlier(
            r#"{"schema_version": 1, "score": 5.5, "extra": {"a": 1},
                "categories": [{"id": "ci", "score": null, "controls": []}],
                "findings": [{"rule": "ci-configured", "impact": 3}]}"#,
        );
        assert_eq!(e.score, 5.5);
        assert_eq!(e.categories[0].score, None);
        assert_eq!(e.findings[0].rule, "ci-configured");
    }

    #[test]
    fn oversized_baselines_are_refused_before_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_BASELINE_BYTES + 1).unwrap();
        let e = load(&p).unwrap_err();
        assert!(e.contains("larger than 32 MiB"), "{e}");
        let e = load(&dir.path().join("missing.json")).unwrap_err();
        assert!(e.starts_with("cannot read"), "{e}");
    }
}
