//! The action end to end: the built binary run the way the runner runs the container, in a
//! temporary workspace holding `tests/fixtures/demo-service`.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
const BLOB: &str =
    "https://github.com/acme/orders-api/blob/0123456789abcdef0123456789abcdef01234567";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A runner's view: the workspace and the file-command files outside it.
struct Runner {
    ws: TempDir,
    files: TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: HashMap<String, String>,
}

impl Runner {
    fn new() -> Runner {
        Runner::with_fixture_at(".")
    }

    /// The demo service copied to `sub` inside the workspace.
    fn with_fixture_at(sub: &str) -> Runner {
        let ws = tempfile::tempdir().unwrap();
        copy_dir(
            &manifest_dir().join("tests/fixtures/demo-service"),
            &ws.path().join(sub),
        );
        let files = tempfile::tempdir().unwrap();
        Runner { ws, files }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.ws.path().join(rel)
    }

    /// Runs again with the same report `input` (name, file) as `first`: the score is the
    /// same and the report the first run wrote is listed as skipped, never read as evidence.
    fn assert_second_run_skips(&self, first: &Run, input: (&str, &str)) {
        let again = self.run(&[input]);
        assert_eq!(again.outputs["score"], first.outputs["score"]);
        let json = read_json(&self.path("devops-maturity.json"));
        assert!(
            json["skipped"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["path"] == input.1),
            "{}",
            json["skipped"]
        );
    }

    /// Writes the repository's `.devops-maturity.yml`.
    fn configure(&self, yaml: &str) {
        std::fs::write(self.path(".devops-maturity.yml"), yaml).unwrap();
    }

    fn run(&self, inputs: &[(&str, &str)]) -> Run {
        let summary = self.files.path().join("step_summary");
        let output = self.files.path().join("set_output");
        std::fs::write(&summary, "").unwrap();
        std::fs::write(&output, "").unwrap();
        let mut cmd = Command::cargo_bin("devops-maturity").unwrap();
        // Nothing from the machine running the tests: no GITHUB_*, CI, INPUT_*, NO_COLOR.
        cmd.env_clear()
            .arg("action")
            .current_dir(self.files.path())
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_WORKSPACE", self.ws.path())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "acme/orders-api")
            .env("GITHUB_SHA", SHA);
        for (k, v) in inputs {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            summary: std::fs::read_to_string(&summary).unwrap(),
            outputs: parse_outputs(&std::fs::read_to_string(&output).unwrap()),
        }
    }
}

/// `$GITHUB_OUTPUT` as the runner parses it: `name=value` or `name<<DELIM` … `DELIM`.
fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            assert!(
                delim.starts_with("ghadelimiter_") && delim.len() > 20,
                "{line}"
            );
            let mut value = Vec::new();
            loop {
                let l = lines.next().unwrap_or_else(|| panic!("no end for {name}"));
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        } else {
            panic!("unparseable output line {line:?}");
        }
    }
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Annotation lines of a kind (`error`, `warning`, `notice`).
fn annotations<'a>(stdout: &'a str, kind: &str) -> Vec<&'a str> {
    let prefix_props = format!("::{kind} ");
    let prefix_bare = format!("::{kind}::");
    stdout
        .lines()
        .filter(|l| l.starts_with(&prefix_props) || l.starts_with(&prefix_bare))
        .collect()
}

#[test]
fn passing_run_writes_reports_summary_outputs_and_annotations() {
    let runner = Runner::new();
    let run = runner.run(&[("INPUT_MIN-SCORE", "0.1")]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );

    // Reports in the workspace, SARIF valid against the official schema.
    let report = read_json(&runner.path("devops-maturity.json"));
    let sarif = read_json(&runner.path("devops-maturity.sarif"));
    assert_eq!(common::sarif_schema_errors(&sarif), Vec::<String>::new());
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "devops-maturity/");
    let results = run0["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "the demo service has gaps");
    assert_eq!(results.len(), findings.len());
    for r in results {
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1, "{r}");
        let loc = &locations[0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("./") && !uri.contains("://"));
        assert!(
            runner.path(uri).exists(),
            "{uri} is not a file of the repository"
        );
        assert!(loc["region"]["startLine"].as_i64().unwrap() >= 1);
    }

    // Outputs, parsed like the runner parses them.
    let score: f64 = run.outputs["score"].parse().unwrap();
    assert_eq!(score, report["score"].as_f64().unwrap());
    assert_eq!(
        run.outputs["level"],
        report["level"]["name"].as_str().unwrap()
    );
    assert_eq!(run.outputs["passed"], "true");
    assert_eq!(run.outputs["findings"], findings.len().to_string());
    assert_eq!(run.outputs["sarif-file"], "devops-maturity.sarif");
    assert_eq!(run.outputs["sarif-category"], "devops-maturity/");
    assert_eq!(run.outputs["json-file"], "devops-maturity.json");

    // The summary: headline, gate, category table, roadmap, links to the commit.
    assert!(run
        .summary
        .starts_with(&format!("# DevOps maturity: {score:.1}/10")));
    assert!(run.summary.contains("✅ **Passed:**"), "{}", run.summary);
    assert!(run.summary.contains("## Scores by category"));
    assert!(run.summary.contains("| CI pipeline |"));
    assert!(run.summary.contains("## Roadmap"));
    assert!(run.summary.contains("**Key strengths**"));
    assert!(run.summary.contains("**Primary gaps**"));
    assert!(run.summary.contains(&format!("]({BLOB}/")), "no blob links");
    assert!(run.summary.contains("<details><summary>All "));

    // Annotations: at most 10 per type, most impactful first, escaped.
    let errors = annotations(&run.stdout, "error");
    let warnings = annotations(&run.stdout, "warning");
    assert!(errors.len() <= 10 && warnings.len() <= 10);
    assert!(!errors.is_empty() || !warnings.is_empty());
    let first_rule = findings[0]["rule"].as_str().unwrap();
    let first = errors.first().or(warnings.first()).unwrap();
    assert!(first.contains(&format!("({first_rule})::")), "{first}");
    for a in errors.iter().chain(&warnings) {
        let (props, _data) = a.split_once(' ').unwrap().1.split_once("::").unwrap();
        for prop in props.split(',') {
            let (key, value) = prop.split_once('=').unwrap();
            assert!(["file", "line", "title"].contains(&key), "{a}");
            assert!(!value.contains(':') && !value.contains(','), "{a}");
        }
    }
    assert_eq!(annotations(&run.stdout, "notice").len(), 1);

    // The text report is printed with workflow commands stopped.
    let stop = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .expect("stop-commands around the report");
    assert!(stop.len() >= 32);
    assert!(run.stdout.contains(&format!("\n::{stop}::\n")));
}

#[test]
fn below_min_score_exits_1_after_writing_every_report() {
    let runner = Runner::new();
    let run = runner.run(&[("INPUT_MIN-SCORE", "10")]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let sarif = read_json(&runner.path("devops-maturity.sarif"));
    assert_eq!(common::sarif_schema_errors(&sarif), Vec::<String>::new());
    assert!(runner.path("devops-maturity.json").is_file());
    assert_eq!(run.outputs["passed"], "false");
    assert!(run.summary.contains("❌ **Failed:**"), "{}", run.summary);
    let errors = annotations(&run.stdout, "error");
    assert!(errors.len() <= 10, "{errors:?}");
    assert!(
        errors[0].starts_with("::error title=DevOps maturity gate failed::DevOps maturity ")
            && errors[0].contains(" is below the minimum score of 10.0. The job summary"),
        "{errors:?}"
    );
}

#[test]
fn a_failing_required_control_fails_the_job_whatever_the_score() {
    let runner = Runner::new();
    runner.configure(
        "rules:\n  ci-docker-build: {required: true}\n  ci-configured: {required: true}\n",
    );
    let run = runner.run(&[]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_eq!(run.outputs["passed"], "false");
    let report = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(
        report["required_failed"],
        serde_json::json!(["ci-docker-build"])
    );
    assert!(
        run.summary.contains(
            "❌ **Failed:** required control `ci-docker-build` fails (Container image built in CI)."
        ),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("| ❌ fail (required control) |"),
        "{}",
        run.summary
    );
    let errors = annotations(&run.stdout, "error");
    assert!(
        errors[0].contains("required control ci-docker-build fails (Container image built in CI)"),
        "{errors:?}"
    );

    // Once it passes, the gate says what it checked.
    runner.configure("rules:\n  ci-configured: {required: true}\n");
    let run = runner.run(&[]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.summary.contains(" passes all 1 required controls."),
        "{}",
        run.summary
    );
}

#[test]
fn invalid_inputs_exit_2_with_a_clear_error_and_no_reports() {
    let runner = Runner::new();
    for (k, v, says) in [
        ("INPUT_MIN-SCORE", "eleven", "min-score"),
        ("INPUT_SUMMARY", "yes please", "summary"),
        ("INPUT_PROFILE", "website", "profile"),
        ("INPUT_SARIF-FILE", "../escaped.sarif", "sarif-file"),
        ("INPUT_JSON-FILE", "/etc/devops-maturity.json", "json-file"),
        ("INPUT_CATEGORY", "dm\u{7}/api", "category"),
        ("INPUT_FAIL-ON-REGRESSION", "true", "fail-on-regression"),
        ("INPUT_BASELINE", "missing.json", "baseline"),
        ("INPUT_SARIF-LEVEL", "info", "sarif-level"),
        (
            "INPUT_MARKDOWN-FILE",
            "devops-maturity.json",
            "markdown-file",
        ),
        ("INPUT_BADGE-FILE", "devops-maturity.sarif", "badge-file"),
        ("INPUT_BADGE-FILE", "../badge.json", "badge-file"),
    ] {
        let run = runner.run(&[(k, v)]);
        assert_eq!(run.code, 2, "{k}={v}: {}", run.stdout);
        let error = annotations(&run.stdout, "error");
        assert_eq!(error.len(), 1, "{}", run.stdout);
        assert!(error[0].contains(says), "{}", error[0]);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert!(!runner.path("devops-maturity.sarif").exists());
        assert!(run.outputs.is_empty() && run.summary.is_empty());
    }
    assert!(!runner
        .ws
        .path()
        .parent()
        .unwrap()
        .join("escaped.sarif")
        .exists());
}

#[test]
fn an_invalid_configuration_exits_2_without_injecting_commands() {
    let runner = Runner::new();
    runner.configure("min-score: [\"\n::error::injected\"]\nunknown-key: 1\n");
    let run = runner.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let errors = annotations(&run.stdout, "error");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(errors[0].contains("invalid configuration"), "{}", errors[0]);
    for line in run.stdout.lines().chain(run.stderr.lines()) {
        assert!(!line.starts_with("::error::injected"), "{line}");
    }
}

#[test]
fn a_report_path_that_is_a_symlink_out_of_the_workspace_is_refused() {
    let runner = Runner::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim");
    std::fs::write(&target, "keep me").unwrap();
    std::os::unix::fs::symlink(&target, runner.path("devops-maturity.sarif")).unwrap();
    std::os::unix::fs::symlink(outside.path(), runner.path("reports")).unwrap();
    let run = runner.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let run = runner.run(&[
        ("INPUT_SARIF-FILE", "reports/x.sarif"),
        ("INPUT_JSON-FILE", "reports/x.json"),
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!outside.path().join("x.sarif").exists());
}

#[test]
fn underscore_inputs_and_nested_output_paths_work() {
    let runner = Runner::new();
    let run = runner.run(&[
        ("INPUT_SARIF_FILE", "out/scan/dm.sarif"),
        ("INPUT_JSON-FILE", "out/dm.json"),
        ("INPUT_SUMMARY", "false"),
        ("INPUT_ANNOTATIONS", "FALSE"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(runner.path("out/scan/dm.sarif").is_file());
    assert!(runner.path("out/dm.json").is_file());
    assert_eq!(run.outputs["sarif-file"], "out/scan/dm.sarif");
    assert_eq!(run.outputs["json-file"], "out/dm.json");
    assert!(run.summary.is_empty());
    assert!(annotations(&run.stdout, "error").is_empty());
    assert!(annotations(&run.stdout, "warning").is_empty());

    // An absolute path inside the workspace (what `${{ github.workspace }}/…` becomes).
    let absolute = runner.path("abs/dm.sarif");
    let run = runner.run(&[("INPUT_SARIF-FILE", absolute.to_str().unwrap())]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(absolute.is_file());
    assert_eq!(run.outputs["sarif-file"], "abs/dm.sarif");
}

#[test]
fn a_scanned_subfolder_gives_repository_relative_locations() {
    let runner = Runner::with_fixture_at("services/orders");
    let run = runner.run(&[("INPUT_PATH", "services/orders")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let sarif = read_json(&runner.path("devops-maturity.sarif"));
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("services/orders/"), "{uri}");
        assert!(runner.path(uri).exists(), "{uri}");
    }
    assert!(run.summary.contains(&format!("]({BLOB}/services/orders/")));
    for a in annotations(&run.stdout, "warning") {
        if a.contains("file=") {
            assert!(a.contains("file=services/orders/"), "{a}");
        }
    }
}

#[test]
fn a_scanned_package_shares_the_workspace_roots_files() {
    // The demo service as a package: its pipeline moved to the repository root, where GitHub
    // runs it; the root also holds the security policy. The workspace has no `.git` folder.
    let runner = Runner::with_fixture_at("services/orders");
    std::fs::rename(
        runner.path("services/orders/.github"),
        runner.path(".github"),
    )
    .unwrap();
    std::fs::write(
        runner.path("SECURITY.md"),
        "# Security\n\nMail security@example.com.\n",
    )
    .unwrap();
    let run = runner.run(&[("INPUT_PATH", "services/orders")]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(json["package"], "services/orders");
    let policy = common::control(&json, "sec-security-policy");
    assert_eq!(policy["status"], "pass", "{policy}");
    assert_eq!(policy["evidence"][0]["path"], "../../SECURITY.md");
    // Every location (SARIF, annotations, summary links) is a workspace path that exists.
    let sarif = read_json(&runner.path("devops-maturity.sarif"));
    let uris = common::sarif_uris(&sarif);
    assert!(
        uris.iter().any(|u| u.starts_with(".github/workflows/")),
        "{uris:?}"
    );
    for uri in &uris {
        assert!(runner.path(uri).exists(), "{uri}");
    }
    for a in annotations(&run.stdout, "warning") {
        assert!(!a.contains(".."), "{a}");
    }
    assert!(run
        .summary
        .contains(&format!("]({BLOB}/.github/workflows/")));
    assert!(run.summary.contains("package `services/orders`"));
    assert!(!run.summary.contains("../"));

    let alone = runner.run(&[
        ("INPUT_PATH", "services/orders"),
        ("INPUT_STANDALONE", "true"),
    ]);
    assert_eq!(alone.code, 0, "{}", alone.stdout);
    let json = read_json(&runner.path("devops-maturity.json"));
    assert!(json.get("package").is_none());
    assert!(
        alone.outputs["score"].parse::<f64>().unwrap()
            < run.outputs["score"].parse::<f64>().unwrap()
    );
}

#[test]
fn the_packages_output_lists_workspace_packages_from_the_repository_root() {
    let runner = Runner::with_fixture_at("platform/services/orders");
    std::fs::write(
        runner.path("platform/package.json"),
        r#"{"private": true, "workspaces": ["services/*", "tools/*"]}"#,
    )
    .unwrap();
    // A folder the pattern matches but without a manifest is not a package.
    std::fs::create_dir_all(runner.path("platform/services/notes")).unwrap();
    std::fs::write(
        runner.path("platform/services/notes/README.md"),
        "# notes\n",
    )
    .unwrap();
    let run = runner.run(&[("INPUT_PATH", "platform")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let packages: Vec<String> = serde_json::from_str(&run.outputs["packages"]).unwrap();
    assert_eq!(packages, ["platform/services/orders"]);
    // Each entry is a path the next job can scan.
    assert!(runner.path(&packages[0]).join("package.json").exists());
    let json = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(json["packages"][0]["path"], "services/orders");
    assert_eq!(json["packages"][0]["declared_in"], "package.json");
    assert!(
        run.summary
            .contains("declares a workspace of 1 package (`services/orders`)"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("## Workspace packages"));

    // each-package scores it in the same step: a table in the summary, a score in the JSON.
    let run = runner.run(&[("INPUT_PATH", "platform"), ("INPUT_EACH-PACKAGE", "true")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = read_json(&runner.path("devops-maturity.json"));
    let scored = &json["packages"][0]["scan"];
    assert!(scored["score"].as_f64().unwrap() > 0.0, "{scored}");
    let row = format!(
        "| `services/orders` | {:.1}/10 |",
        scored["score"].as_f64().unwrap()
    );
    assert!(
        run.summary.contains("## Workspace packages"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains(&row), "{row}\n{}", run.summary);
    // The gate and the score outputs stay the scanned folder's.
    assert_eq!(
        run.outputs["score"],
        format!("{:.1}", json["score"].as_f64().unwrap())
    );
}

#[test]
fn each_scanned_folder_gets_its_own_sarif_category() {
    let runner = Runner::with_fixture_at("services/orders");
    copy_dir(
        &manifest_dir().join("tests/fixtures/demo-service"),
        &runner.path("services/billing"),
    );
    let category = |inputs: &[(&str, &str)], sarif: &str| {
        let mut all = vec![("INPUT_SARIF-FILE", sarif), ("INPUT_CATEGORY", "")];
        all.extend_from_slice(inputs);
        let run = runner.run(&all);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        let sarif = read_json(&runner.path(sarif));
        assert_eq!(common::sarif_schema_errors(&sarif), Vec::<String>::new());
        let id = sarif["runs"][0]["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            run.outputs["sarif-category"], id,
            "the output is the SARIF's id"
        );
        id
    };

    // Default: one category per folder (a matrix over `path` keeps every folder's alerts).
    let orders = category(&[("INPUT_PATH", "./services/orders/")], "orders.sarif");
    assert_eq!(orders, "devops-maturity/services/orders/");
    let billing = category(&[("INPUT_PATH", "services/billing")], "billing.sarif");
    assert_eq!(billing, "devops-maturity/services/billing/");
    let absolute = runner.path("services/orders");
    let orders_abs = category(&[("INPUT_PATH", absolute.to_str().unwrap())], "abs.sarif");
    assert_eq!(orders_abs, orders, "an absolute path names the same folder");

    // Given: used as the category, with the trailing slash the empty run id needs.
    let given = category(
        &[
            ("INPUT_PATH", "services/orders"),
            ("INPUT_CATEGORY", " monorepo/orders "),
        ],
        "given.sarif",
    );
    assert_eq!(given, "monorepo/orders/");

    // Invalid: exit 2 before any report is written.
    let long = "c".repeat(256);
    for bad in ["orders\u{1b}[31m", "/", long.as_str()] {
        let run = runner.run(&[
            ("INPUT_PATH", "services/orders"),
            ("INPUT_CATEGORY", bad),
            ("INPUT_SARIF-FILE", "bad.sarif"),
        ]);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stdout);
        let errors = annotations(&run.stdout, "error");
        assert_eq!(errors.len(), 1, "{}", run.stdout);
        assert!(errors[0].contains("category"), "{}", errors[0]);
        assert!(!runner.path("bad.sarif").exists());
        assert!(run.outputs.is_empty());
    }

    // Declared in action.yml, as an input and as an output.
    let action = std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
    assert!(action.contains("\n  category:\n"));
    assert!(action.contains("\n  sarif-category:\n"));
}

/// uid/gid of a file we create: 0 when the tests run as root.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().uid() == 0
}

#[test]
fn reports_belong_to_the_workspace_owner() {
    use std::os::unix::fs::MetadataExt;
    if !running_as_root() {
        eprintln!("note: not root; the runner's root container case cannot be reproduced");
        return;
    }
    let runner = Runner::new();
    std::os::unix::fs::chown(runner.ws.path(), Some(1001), Some(121)).unwrap();
    let run = runner.run(&[("INPUT_SARIF-FILE", "reports/dm.sarif")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    for f in ["reports", "reports/dm.sarif", "devops-maturity.json"] {
        let m = std::fs::metadata(runner.path(f)).unwrap();
        assert_eq!((m.uid(), m.gid()), (1001, 121), "{f}");
    }
}

#[test]
fn history_is_read_in_a_workspace_owned_by_another_user() {
    let git = |dir: &Path, args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
    };
    let runner = Runner::new();
    match git(runner.ws.path(), &["init", "-q", "-b", "main"]) {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("note: git is not available; skipped");
            return;
        }
    }
    git(runner.ws.path(), &["add", "-A"]).unwrap();
    git(runner.ws.path(), &["commit", "-q", "-m", "feat: first"]).unwrap();
    if running_as_root() {
        // The runner's checkout belongs to uid 1001 while the container runs as root: git
        // itself would refuse it ("dubious ownership").
        let status = std::process::Command::new("chown")
            .args(["-R", "1001:121"])
            .arg(runner.ws.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let run = runner.run(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(
        report["history"]["available"], true,
        "{}",
        report["history"]
    );
}

/// Program headers of an ELF64 little-endian file: true when one is PT_INTERP (a dynamic
/// loader is needed).
fn has_interpreter(elf: &[u8]) -> bool {
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    assert_eq!(elf[4], 2, "not ELF64");
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..phnum).any(|i| {
        let p = phoff + i * phentsize;
        u32::from_le_bytes(elf[p..p + 4].try_into().unwrap()) == 3
    })
}

#[test]
#[ignore = "slow: release build"]
fn release_binary_is_static_and_runs_alone() {
    let root = manifest_dir();
    let out_dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("bash")
        .arg(root.join("scripts/build-static.sh"))
        .arg(out_dir.path())
        .current_dir(&root)
        // Linkage is what is tested; LTO and one codegen unit only make the build ~3× slower.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .status()
        .unwrap();
    assert!(status.success(), "scripts/build-static.sh failed");
    let bin = out_dir.path().join("devops-maturity");
    let elf = std::fs::read(&bin).unwrap();
    assert!(!has_interpreter(&elf), "the binary needs a dynamic loader");
    if let Ok(o) = std::process::Command::new("ldd").arg(&bin).output() {
        let text =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(
            text.contains("not a dynamic executable") || text.contains("statically linked"),
            "ldd: {text}"
        );
    }

    // Alone in an empty folder with an empty environment.
    let empty = tempfile::tempdir().unwrap();
    let alone = empty.path().join("devops-maturity");
    std::fs::copy(&bin, &alone).unwrap();
    let o = std::process::Command::new(&alone)
        .arg("--version")
        .env_clear()
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("devops-maturity "));

    // In a chroot holding nothing but the binary, like the FROM scratch image. The child's
    // environment is empty, so chroot(8) is looked up here.
    let chroot = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chroot"))
            .find(|p| p.is_file())
    });
    let chroot = match chroot {
        Some(c) if running_as_root() => c,
        _ => {
            eprintln!("note: not root or no chroot(8): the empty-root run is skipped");
            return;
        }
    };
    let o = std::process::Command::new(&chroot)
        .arg(empty.path())
        .args(["/devops-maturity", "--version"])
        .env_clear()
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The action inside the empty root: scan the root itself (nothing but the binary).
    std::fs::create_dir_all(empty.path().join("github/workspace")).unwrap();
    let o = std::process::Command::new(&chroot)
        .arg(empty.path())
        .args(["/devops-maturity", "action"])
        .env_clear()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", "/github/workspace")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(empty
        .path()
        .join("github/workspace/devops-maturity.sarif")
        .is_file());
}

#[test]
fn a_baseline_shows_the_change_and_fail_on_regression_gates_on_it() {
    let runner = Runner::new();
    let first = runner.run(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.outputs["score-delta"], "");
    std::fs::create_dir_all(runner.path("base")).unwrap();
    std::fs::copy(
        runner.path("devops-maturity.json"),
        runner.path("base/report.json"),
    )
    .unwrap();
    // The pull request deletes the CI workflow.
    std::fs::remove_file(runner.path(".github/workflows/ci.yml")).unwrap();
    let inputs = [
        ("INPUT_BASELINE", "base/report.json"),
        ("INPUT_FAIL-ON-REGRESSION", "true"),
    ];
    let run = runner.run(&inputs);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.outputs["passed"], "false");
    assert!(
        run.outputs["score-delta"].starts_with('-'),
        "{:?}",
        run.outputs
    );
    assert!(
        run.summary.contains("## Since the baseline"),
        "{}",
        run.summary
    );
    let since = run.summary.split("## Since the baseline").nth(1).unwrap();
    let since = since.split("## Executive summary").next().unwrap();
    assert!(since.contains("(`ci-configured`)"), "{since}");
    let json = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(json["baseline"]["file"], "base/report.json");
    // The baseline is a report: listed as skipped, never read as evidence.
    assert!(json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["path"] == "base/report.json"));
    // Without the gate the same drop only shows.
    let run = runner.run(&inputs[..1]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.outputs["passed"], "true");
}

#[test]
fn the_markdown_report_can_be_written_to_a_file_and_category_scores_are_an_output() {
    let runner = Runner::new();
    let run = runner.run(&[("INPUT_MARKDOWN-FILE", "reports/maturity.md")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(runner.path("reports/maturity.md")).unwrap();
    assert_eq!(written, run.summary);
    assert_eq!(run.outputs["markdown-file"], "reports/maturity.md");
    // No workspace declared: an empty list, still valid JSON for `fromJSON`.
    assert_eq!(run.outputs["packages"], "[]");
    let scores: Value = serde_json::from_str(&run.outputs["category-scores"]).unwrap();
    let json = read_json(&runner.path("devops-maturity.json"));
    for c in json["categories"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(scores[id], c["score"], "{id}");
    }
    // A second run does not read the first run's markdown as evidence.
    runner.assert_second_run_skips(&run, ("INPUT_MARKDOWN-FILE", "reports/maturity.md"));
}

#[test]
fn a_badge_file_is_written_for_shields_io_and_never_read_back_as_evidence() {
    let runner = Runner::new();
    let run = runner.run(&[("INPUT_BADGE-FILE", "public/badge.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.outputs["badge-file"], "public/badge.json");
    let badge = read_json(&runner.path("public/badge.json"));
    let json = read_json(&runner.path("devops-maturity.json"));
    assert_eq!(badge["schemaVersion"], 1);
    assert_eq!(badge["label"], "DevOps maturity");
    assert_eq!(
        badge["message"],
        format!(
            "{}/10 · {}",
            run.outputs["score"],
            json["level"]["name"].as_str().unwrap()
        )
    );
    runner.assert_second_run_skips(&run, ("INPUT_BADGE-FILE", "public/badge.json"));
    // Without the input: no file, an empty output.
    let plain = Runner::new().run(&[]);
    assert_eq!(plain.outputs["badge-file"], "");
}

/// The names of a README table's first column (`| \`name\` | …`) in the section `heading`.
fn readme_table_names(heading: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let start = readme.find(heading).expect("the README has the section");
    readme[start + heading.len()..]
        .lines()
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| {
            l.strip_prefix("| `")?
                .split_once('`')
                .map(|(n, _)| n.to_string())
        })
        .collect()
}

/// The keys of action.yml's `inputs` or `outputs`.
fn action_yml_keys(section: &str) -> Vec<String> {
    let text = std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
    let action: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    let map = action[section].as_mapping().expect("a mapping");
    map.keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn action_yml_the_readme_and_the_binary_agree_on_inputs_and_outputs() {
    let inputs = sorted(action_yml_keys("inputs"));
    let outputs = sorted(action_yml_keys("outputs"));
    assert!(inputs.contains(&"min-score".to_string()), "{inputs:?}");
    assert!(outputs.contains(&"score".to_string()), "{outputs:?}");
    assert_eq!(sorted(readme_table_names("\n### Inputs\n")), inputs);
    assert_eq!(sorted(readme_table_names("\n### Outputs\n")), outputs);

    // A run with every optional report writes every declared output (some empty), and
    // nothing that is not declared: a step's outputs are only those action.yml lists.
    let runner = Runner::new();
    let first = runner.run(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    std::fs::copy(
        runner.path("devops-maturity.json"),
        runner.path("base.json"),
    )
    .unwrap();
    let run = runner.run(&[
        ("INPUT_MARKDOWN-FILE", "m.md"),
        ("INPUT_BADGE-FILE", "b.json"),
        ("INPUT_BASELINE", "base.json"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sorted(run.outputs.keys().cloned().collect()), outputs);
}
