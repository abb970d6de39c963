//! The two repositories rebuilt from hand-written audits (`../shared/fixtures`): the scan must
//! land near the audit's score and reproduce its facts with the cited file as evidence.
//! Run with `cargo test -- --include-ignored` (CI does); a fresh clone has no `../shared`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How a fact of the audit shows in our report.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A practice that is there: the rule passes (citing the fact's file when it names one).
    Pass(&'static str),
    /// A practice that is missing: the rule fails or is not applicable.
    Gap(&'static str),
    /// A problem that is there (a hard-coded secret): the rule fails citing the fact's file.
    Flags(&'static str),
    /// No rule can see it from files (e.g. branch protection lives in GitHub's settings).
    Unmapped(&'static str),
}
use Expect::*;

const AGENT_API: &[(&str, Expect)] = &[
    ("ci-workflow", Pass("ci-configured")),
    ("ci-service-containers", Pass("ci-service-containers")),
    ("ci-migration-test", Pass("deploy-migrations-tested")),
    ("ci-integration-tests", Gap("ci-runs-integration-tests")),
    ("ci-docker-build", Gap("ci-docker-build")),
    ("security-scanning", Gap("sec-sast")),
    ("hardcoded-secret", Flags("sec-no-hardcoded-secrets")),
    (
        "branch-protection",
        Unmapped("a repository setting, not a file"),
    ),
    ("unit-tests", Pass("tests-present")),
    ("integration-tests", Pass("tests-integration")),
    ("dockerfile", Pass("dockerfile-base-image-pinned")),
    ("dockerfile-non-root-user", Pass("dockerfile-non-root-user")),
    ("dockerfile-healthcheck", Pass("dockerfile-healthcheck")),
    ("dockerfile-multi-stage", Gap("dockerfile-multi-stage")),
    ("dockerignore", Gap("dockerignore-present")),
    ("docker-compose", Pass("compose-healthchecks")),
    ("compose-restart-policies", Gap("compose-restart-policies")),
    ("compose-resource-limits", Gap("compose-resource-limits")),
    ("compose-app-service", Gap("compose-app-service")),
    ("compose-networks-logging", Gap("compose-named-networks")),
    ("db-migrations", Pass("deploy-migrations-versioned")),
    ("structured-logging", Pass("obs-structured-logging")),
    ("health-endpoint", Pass("obs-health-endpoint")),
    ("metrics-endpoint", Gap("obs-metrics")),
    ("tracing", Gap("obs-tracing")),
    ("alerting", Gap("obs-alert-rules")),
    ("log-aggregation", Gap("obs-log-aggregation")),
    ("error-tracking-sentry", Gap("obs-error-tracking")),
    ("graceful-shutdown", Pass("rel-graceful-shutdown")),
    ("retry-logic", Pass("rel-retries")),
    ("circuit-breaker", Gap("rel-circuit-breakers")),
    ("deploy-automation", Gap("deploy-automated")),
    ("staging-environment", Gap("deploy-staging")),
    ("rollback-docs", Pass("deploy-docs")),
    ("automated-rollback", Gap("deploy-rollback")),
    ("iac", Gap("iac-present")),
    ("backup-automation", Gap("rel-disaster-recovery")),
    ("env-example", Pass("dx-env-example")),
    ("config-validation", Pass("rel-config-validation")),
    ("secrets-manager", Gap("sec-secrets-manager")),
    ("incident-runbooks", Gap("rel-incident-response")),
    (
        "feature-branch",
        Unmapped("the checked-out branch is not a practice"),
    ),
];

const AMERICANO: &[(&str, Expect)] = &[
    ("ci-workflow", Gap("ci-configured")),
    ("quality-gates", Gap("ci-runs-on-pull-requests")),
    ("test-scripts", Pass("tests-script")),
    ("coverage-threshold", Pass("tests-coverage-threshold")),
    ("unit-tests", Pass("tests-present")),
    ("integration-tests", Pass("tests-integration")),
    ("performance-tests", Pass("tests-performance")),
    ("e2e-tests", Pass("tests-e2e")),
    ("load-tests", Gap("tests-load")),
    ("security-scanning", Gap("sec-sast")),
    ("dependabot", Gap("deps-update-tool")),
    ("env-example", Pass("dx-env-example")),
    ("secrets-manager", Gap("sec-secrets-manager")),
    ("env-separation", Gap("deploy-staging")),
    (
        "performance-monitoring-code",
        Unmapped("a hand-written monitor class is not a metrics library"),
    ),
    (
        "search-analytics",
        Unmapped("product analytics are not a DevOps practice"),
    ),
    ("console-logging", Flags("obs-console-logging")),
    ("structured-logging", Gap("obs-structured-logging")),
    ("error-tracking-sentry", Gap("obs-error-tracking")),
    ("metrics-endpoint", Gap("obs-metrics")),
    ("dashboards", Gap("obs-dashboards")),
    ("log-aggregation", Gap("obs-log-aggregation")),
    ("alerting-on-call", Gap("obs-alert-rules")),
    ("health-endpoint", Gap("obs-health-endpoint")),
    (
        "api-error-handling",
        Unmapped("application error classes are not detectable in general"),
    ),
    (
        "caching",
        Unmapped("caching is an application design choice"),
    ),
    ("rate-limiting", Gap("sec-rate-limiting")),
    ("pwa", Unmapped("a PWA manifest is not a DevOps practice")),
    ("db-migrations", Pass("deploy-migrations-versioned")),
    ("db-seeding", Pass("dx-seed-data")),
    ("migration-ci-testing", Gap("deploy-migrations-tested")),
    ("dockerfile", Gap("dockerfile-multi-stage")),
    ("kubernetes-manifests", Gap("k8s-manifests-or-helm")),
    ("iac", Gap("iac-present")),
    ("deploy-automation", Gap("deploy-automated")),
    ("deployment-docs", Gap("deploy-docs")),
    ("staging-environment", Gap("deploy-staging")),
    ("automated-rollback", Gap("deploy-rollback")),
    ("release-tags", Gap("release-semver-tags")),
    ("feature-flags", Gap("rel-feature-flags")),
    ("disaster-recovery-doc", Gap("rel-disaster-recovery")),
    ("runbooks", Gap("rel-runbooks")),
];

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures")
}

/// Builds the fixture with its history (history.sh) in a temp dir and scans it.
fn scan_fixture(name: &str) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join(name);
    let status = std::process::Command::new("bash")
        .arg(shared().join(name).join("history.sh"))
        .arg(&repo)
        .status()
        .expect("bash runs history.sh");
    assert!(status.success(), "history.sh {name} failed");
    let mut cmd = Command::cargo_bin("devops-maturity").unwrap();
    for (k, _) in std::env::vars() {
        if k.starts_with("GITHUB_") || k.starts_with("INPUT_") || k == "CI" {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args(["scan", "--format", "json", "--no-progress"])
        .arg(&repo)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, serde_json::from_slice(&out.stdout).unwrap())
}

fn control<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["controls"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {id} in the report"))
}

fn cites(control: &Value, path: &str) -> bool {
    control["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["path"] == path)
}

fn check(name: &str, table: &[(&str, Expect)]) {
    let expected: yaml_serde::Value = yaml_serde::from_str(
        &std::fs::read_to_string(shared().join(name).join("expected.yml")).unwrap(),
    )
    .unwrap();
    let (_dir, report) = scan_fixture(name);

    // The report's shape: what other tools read.
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["categories"].as_array().unwrap().len(), 13);
    assert!(
        report["history"]["available"].as_bool().unwrap(),
        "history.sh made a git repo"
    );

    let facts = expected["facts"].as_sequence().unwrap();
    assert_eq!(
        facts.len(),
        table.len(),
        "every fact of {name} has a row in the table"
    );
    let mut reproduced = 0;
    let mut misses = Vec::new();
    for fact in facts {
        let id = fact["id"].as_str().unwrap();
        let evidence = fact["evidence"].as_str();
        let present = fact["present"].as_bool().unwrap();
        let (_, expect) = table
            .iter()
            .find(|(f, _)| *f == id)
            .unwrap_or_else(|| panic!("fact {id} has no row"));
        let ok = match *expect {
            Pass(rule) => {
                assert!(present, "{id}: Pass needs a present fact");
                let c = control(&report, rule);
                c["status"] == "pass" && evidence.is_none_or(|p| cites(c, p))
            }
            Gap(rule) => {
                assert!(!present, "{id}: Gap needs an absent fact");
                let c = control(&report, rule);
                c["status"] == "fail" || c["status"] == "na"
            }
            Flags(rule) => {
                let c = control(&report, rule);
                c["status"] == "fail" && evidence.is_none_or(|p| cites(c, p))
            }
            Unmapped(_) => false,
        };
        if ok {
            reproduced += 1;
        } else {
            misses.push(match expect {
                Unmapped(why) => format!("{id} (no rule: {why})"),
                other => format!("{id} ({other:?})"),
            });
        }
    }
    let rate = reproduced as f64 / facts.len() as f64;
    let score = report["score"].as_f64().unwrap();
    let audit = expected["score_10"].as_f64().unwrap();
    println!(
        "{name}: score {score} vs audit {audit}; facts reproduced {reproduced}/{} = {:.0} %; missed: {}",
        facts.len(),
        rate * 100.0,
        misses.join(", ")
    );
    assert!(
        (score - audit).abs() <= 1.0,
        "{name}: score {score}, audit {audit}"
    );
    assert!(
        rate >= 0.85,
        "{name}: only {:.0} % of facts reproduced",
        rate * 100.0
    );
}

#[test]
#[ignore = "needs ../shared"]
fn agent_api_matches_its_audit() {
    check("agent-api", AGENT_API);
}

#[test]
#[ignore = "needs ../shared"]
fn americano_matches_its_audit() {
    check("americano", AMERICANO);
}
