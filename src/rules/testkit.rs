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
