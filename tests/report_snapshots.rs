//! Snapshots of what users read: the SARIF, the markdown summary and the JSON report of
//! `tests/fixtures/demo-service`, and (with `--ignored`, next to `../shared`) of the two shared
//! fixture repositories.
//!
//! Deterministic by construction: a temporary copy without `.git` (no history), no
//! environment (links are fixed), the duration zeroed, the root and the version redacted.
//! Rules change the snapshots on purpose: review with `cargo insta review`, or accept with
//! `INSTA_UPDATE=always cargo test --test report_snapshots -- --include-ignored`.

mod common;

use devops_maturity::cli::{scan_options, ScanArgs};
use devops_maturity::report::{json, markdown, sarif, Report};
use devops_maturity::rules::Rule;
use devops_maturity::scan::{scan, Scanned};
use serde_json::Value;
use std::path::{Path, PathBuf};

const BLOB: &str = "https://github.com/acme/demo/blob/0123456789abcdef0123456789abcdef01234567";

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &to);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Scans a temporary copy of `tree`.
fn scan_copy(tree: &Path) -> (Report, Vec<Rule>) {
    scan_copy_with(tree, false)
}

/// Scans a temporary copy of `tree`, with `--each-package` when `each_package`.
fn scan_copy_with(tree: &Path, each_package: bool) -> (Report, Vec<Rule>) {
    assert!(tree.is_dir(), "{} is missing", tree.display());
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    copy_dir(tree, &root);
    // Through the CLI's defaults, so new scan options keep their default here.
    let args = ScanArgs {
        path: Some(root),
        min_score: Some(5.0),
        threads: Some(2),
        no_progress: true,
        quiet: true,
        each_package,
        ..ScanArgs::default()
    };
    let Scanned { report, rules } =
        scan(&scan_options(&args)).unwrap_or_else(|e| panic!("scan of {}: {e}", tree.display()));
    (report, rules)
}

fn redact_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// The SARIF with `tool.driver.rules` reduced to the rule ids: every rule's help text would
/// otherwise repeat in every snapshot (one descriptor is snapshotted on its own below).
fn sarif_for_snapshot(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(&redact_version(text)).unwrap();
    let driver = &mut v["runs"][0]["tool"]["driver"];
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    driver["rules"] = Value::from(ids);
    v
}

fn links() -> markdown::Links {
    markdown::Links {
        blob_base: Some(BLOB.to_string()),
        path_prefix: String::new(),
    }
}

fn json_value(report: &Report) -> Value {
    let mut v: Value = serde_json::from_str(&json::render(report)).unwrap();
    v["stats"]["duration_ms"] = Value::from(0);
    v["root"] = Value::from("[root]");
    v["tool"]["version"] = Value::from("[version]");
    v
}

fn snapshot_all(name: &str, tree: &Path) {
    let (report, rules) = scan_copy(tree);
    let sarif_text = sarif::render(&report, &rules);
    let parsed: Value = serde_json::from_str(&sarif_text).unwrap();
    assert_eq!(parsed["version"], "2.1.0");
    assert_eq!(common::sarif_schema_errors(&parsed), Vec::<String>::new());
    insta::assert_json_snapshot!(format!("{name}_sarif"), sarif_for_snapshot(&sarif_text));
    insta::assert_snapshot!(
        format!("{name}_summary"),
        redact_version(&markdown::render(&report, &rules, &links()))
    );
    insta::assert_json_snapshot!(format!("{name}_json"), json_value(&report));
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn demo_service() {
    snapshot_all(
        "demo_service",
        &manifest_dir().join("tests/fixtures/demo-service"),
    );
}

/// A workspace scored with `--each-package`: the summary's package table and the JSON's
/// `packages`, each package scanned with the root's shared CI and policies.
#[test]
fn workspace_monorepo_each_package() {
    let (report, rules) = scan_copy_with(
        &manifest_dir().join("tests/fixtures/workspace-monorepo"),
        true,
    );
    insta::assert_snapshot!(
        "workspace_monorepo_summary",
        redact_version(&markdown::render(&report, &rules, &links()))
    );
    insta::assert_json_snapshot!(
        "workspace_monorepo_packages",
        json_value(&report)["packages"].clone()
    );
}

#[test]
fn sarif_rule_descriptor() {
    let (report, rules) = scan_copy(&manifest_dir().join("tests/fixtures/demo-service"));
    let v: Value = serde_json::from_str(&sarif::render(&report, &rules)).unwrap();
    let descriptors = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(descriptors.len(), rules.len(), "every rule is described");
    let readme = descriptors
        .iter()
        .find(|d| d["id"] == "docs-readme")
        .unwrap_or(&descriptors[0]);
    insta::assert_json_snapshot!("sarif_rule_descriptor", readme);
}

#[test]
fn demo_service_summary_without_links_shows_paths_as_code() {
    let (report, rules) = scan_copy(&manifest_dir().join("tests/fixtures/demo-service"));
    let md = markdown::render(&report, &rules, &markdown::Links::default());
    assert!(
        !md.contains("](http"),
        "no links without the runner's variables"
    );
    assert!(md.contains("`README.md"), "paths are shown as code");
}

#[test]
fn snapshots_are_stable_across_runs() {
    let tree = manifest_dir().join("tests/fixtures/demo-service");
    let (a, rules) = scan_copy(&tree);
    let (b, _) = scan_copy(&tree);
    assert_eq!(sarif::render(&a, &rules), sarif::render(&b, &rules));
    assert_eq!(
        markdown::render(&a, &rules, &links()),
        markdown::render(&b, &rules, &links())
    );
    assert_eq!(json_value(&a), json_value(&b));
}

fn shared_tree(name: &str) -> PathBuf {
    manifest_dir()
        .join("../shared/fixtures")
        .join(name)
        .join("tree")
}

#[test]
#[ignore = "needs ../shared"]
fn shared_agent_api() {
    snapshot_all("agent_api", &shared_tree("agent-api"));
}

#[test]
#[ignore = "needs ../shared"]
fn shared_americano() {
    snapshot_all("americano", &shared_tree("americano"));
}
