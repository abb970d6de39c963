//! Helpers for rule unit tests: build a tiny repository in memory and run one rule on it.
#![allow(dead_code)] // Not every helper is used by every category.

use super::{Context, Outcome, Rule, Status};
use crate::detect;
use crate::history::History;
use crate::index::Index;

/// Runs `rule` on a repository made of `files` (path, text), with detected stacks/profile.
pub fn run(rule: &Rule, files: &[(&str, &str)]) -> Outcome {
    run_with_history(rule, files, &History::default())
}

pub fn run_with_history(rule: &Rule, files: &[(&str, &str)], history: &History) -> Outcome {
    let index = Index::from_files(files);
    let stacks = detect::stacks(&index);
    let profile = detect::profile(&index, &stacks).value;
    rule.run(&Context {
        index: &index,
        stacks: &stacks,
        profile,
        history,
        trusted_actions: None,
    })
}

/// Asserts the rule passes on `files`; returns the outcome for further checks.
#[track_caller]
pub fn assert_pass(rule: &Rule, files: &[(&str, &str)]) -> Outcome {
    let o = run(rule, files);
    assert_eq!(o.status, Status::Pass, "{}: {:?}", rule.id, o);
    assert!(!o.evidence.is_empty(), "{}: a pass needs evidence", rule.id);
    o
}

/// Asserts the rule fails on `files`; returns the outcome for further checks.
#[track_caller]
pub fn assert_fail(rule: &Rule, files: &[(&str, &str)]) -> Outcome {
    let o = run(rule, files);
    assert_eq!(o.status, Status::Fail, "{}: {:?}", rule.id, o);
    o
}

/// Asserts the rule passes (`pass`) or fails on files built at run time (owned strings), as
/// table-driven tests make them; `case` names the row in the failure message.
#[track_caller]
pub fn assert_verdict(rule: &Rule, files: &[(String, String)], pass: bool, case: &str) {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let o = run(rule, &refs);
    let want = if pass { Status::Pass } else { Status::Fail };
    assert_eq!(o.status, want, "{}: {case}: {:?}", rule.id, o);
}

/// Asserts the rule is not applicable on `files`.
#[track_caller]
pub fn assert_na(rule: &Rule, files: &[(&str, &str)]) -> Outcome {
    let o = run(rule, files);
    assert_eq!(o.status, Status::Na, "{}: {:?}", rule.id, o);
    o
}

/// The rule with `id` from a category's list.
#[track_caller]
pub fn rule<'a>(rules: &'a [Rule], id: &str) -> &'a Rule {
    rules
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Whether the outcome cites `path` at `line` among its evidence.
pub fn cites(outcome: &Outcome, path: &str, line: u32) -> bool {
    outcome
        .evidence
        .iter()
        .any(|e| e.path == path && e.line == Some(line))
}

/// The outcome's evidence as (path, line) pairs, in order.
pub fn locations(outcome: &Outcome) -> Vec<(&str, Option<u32>)> {
    outcome
        .evidence
        .iter()
        .map(|e| (e.path.as_str(), e.line))
        .collect()
}

/// The rule's snippet for `stack`.
#[track_caller]
pub fn stack_snippet(rule: &Rule, stack: crate::detect::StackId) -> &'static str {
    rule.snippets
        .iter()
        .find(|(id, _)| *id == stack)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("{}: no snippet for {stack:?}", rule.id))
}

/// A snippet cut at its header lines (`# file`, `// file`, `<!-- file -->` at the start of a
/// line): each header with the text under it.
pub fn sections(snippet: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in snippet.lines() {
        if ["# ", "// ", "<!-- "].iter().any(|h| line.starts_with(h)) {
            out.push((line, String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The file a snippet, or one of its header lines, names: the first word of its first line
/// after the comment marker (`# `, `// `, `-- `, `<!-- `).
pub fn snippet_path(snippet: &str) -> &str {
    snippet
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches(['#', '/', '-', '<', '!', ' '])
        .split_whitespace()
        .next()
        .unwrap_or("")
}

/// The text under the first header of `snippet` that contains `file`.
#[track_caller]
pub fn section(snippet: &str, file: &str) -> String {
    sections(snippet)
        .into_iter()
        .find(|(header, _)| header.contains(file))
        .map(|(_, body)| body)
        .unwrap_or_else(|| panic!("no section for {file} in:\n{snippet}"))
}

/// A pull-request workflow whose one job runs `steps` (a snippet's `- run:`/`- uses:` lines).
pub fn workflow_with_steps(steps: &str) -> String {
    let mut w = String::from(
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n",
    );
    for line in steps.lines().filter(|l| !l.trim().is_empty()) {
        w.push_str("      ");
        w.push_str(line);
        w.push('\n');
    }
    w
}
