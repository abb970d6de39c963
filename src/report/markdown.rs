//! The markdown job summary (filled by the action issue).

use super::Report;
use crate::rules::Rule;

/// Where links to files point (GitHub blob URLs when the runner tells us).
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub blob_base: Option<String>,
}

pub fn render(report: &Report, _rules: &[Rule], _links: &Links) -> String {
    format!(
        "# DevOps maturity: {:.1}/10 (level {} {})\n",
        report.score, report.level.number, report.level.name
    )
}

/// Reference documentation of every rule, generated from the rule metadata.
pub fn rules_doc(rules: &[Rule]) -> String {
    let mut out = String::from("# Rules\n\n");
    for r in rules {
        out.push_str(&format!("## `{}`\n\n{}\n\n", r.id, r.help_markdown()));
    }
    out
}
