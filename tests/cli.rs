//! The command-line contract: exit codes, config errors with positions, determinism,
//! `rules`, `explain`, `init`, custom rules and ignores.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The binary with a scrubbed environment: no CI/GitHub variables leak into tests.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("devops-maturity").unwrap();
    for k in ci_variables() {
        cmd.env_remove(k);
    }
    cmd
}

/// Variables of this process that would change the binary's behaviour.
fn ci_variables() -> Vec<String> {
    std::env::vars()
        .map(|(k, _)| k)
        .filter(|k| {
            k.starts_with("GITHUB_") || k.starts_with("INPUT_") || k == "CI" || k == "NO_COLOR"
        })
        .collect()
}

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn small_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "README.md",
        "# Demo\n## Install\n`pip install .`\n## Usage\nrun it\n## Tests\n`pytest`\n",
    );
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n",
    );
    write(dir.path(), "demo/__init__.py", "print('hi')\n");
    write(
        dir.path(),
        "tests/test_demo.py",
        "def test_x():\n    assert True\n",
    );
    dir
}

/// Writes `yaml` as the configuration and scans: the scan must stop with exit code 2 (a
/// configuration error). Returns stderr.
fn config_error(repo: &Path, yaml: &str) -> String {
    write(repo, ".devops-maturity.yml", yaml);
    let out = bin().arg("--quiet").arg(repo).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{yaml}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The control `id` of a JSON report.
fn control(report: &Value, id: &str) -> Value {
    common::control(report, id).clone()
}

/// Runs the binary with `args`, then the scanned folder `root`.
fn run_on(root: &Path, args: &[&str]) -> std::process::Output {
    bin().args(args).arg(root).output().unwrap()
}

fn scan_json(root: &Path, extra: &[&str]) -> (i32, Value) {
    let args = [&["scan", "--format", "json", "--no-progress"], extra].concat();
    let out = run_on(root, &args);
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, json)
}

#[test]
fn json_report_has_the_documented_shape() {
    let repo = small_repo();
    let (code, j) = scan_json(repo.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["tool"]["name"], "devops-maturity");
    for key in [
        "root",
        "profile",
        "stacks",
        "score",
        "level",
        "min_score",
        "passed",
        "categories",
        "findings",
        "skipped",
        "stats",
    ] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    assert_eq!(j["stacks"][0]["id"], "python");
    assert_eq!(j["stacks"][0]["evidence"][0]["path"], "pyproject.toml");
    let cats = j["categories"].as_array().unwrap();
    assert_eq!(cats.len(), 13);
    let docs = cats.iter().find(|c| c["id"] == "docs").unwrap();
    let readme = docs["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "docs-readme")
        .unwrap();
    assert_eq!(readme["status"], "pass");
    assert_eq!(readme["evidence"][0]["path"], "README.md");
    // Every finding is a failed control, ordered by impact.
    let impacts: Vec<f64> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["impact"].as_f64().unwrap())
        .collect();
    assert!(impacts.windows(2).all(|w| w[0] >= w[1]), "{impacts:?}");
    assert_eq!(j["stats"]["files"], 4);
}

#[test]
fn exit_1_below_min_score_and_reports_still_written() {
    let repo = small_repo();
    let json = repo.path().join("out.json");
    let sarif = repo.path().join("out.sarif");
    let out = bin()
        .args(["scan", "--quiet", "--min-score", "10", "--json"])
        .arg(&json)
        .arg("--sarif")
        .arg(&sarif)
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "--quiet prints nothing");
    let j: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["passed"], false);
    assert_eq!(j["min_score"], 10.0);
    assert!(sarif.exists());
}

#[test]
fn exit_0_at_or_above_min_score() {
    let repo = small_repo();
    bin()
        .args(["--quiet", "--min-score", "0"])
        .arg(repo.path())
        .assert()
        .code(0);
}

#[test]
fn exit_2_for_usage_errors() {
    bin()
        .args(["scan", "--min-score", "eleven"])
        .assert()
        .code(2);
    bin().args(["scan", "--min-score", "11"]).assert().code(2);
    bin().args(["scan", "--format", "xml"]).assert().code(2);
    bin().args(["explain", "no-such-rule"]).assert().code(2);
}

#[test]
fn sarif_category_flag_and_per_folder_default() {
    let dir = tempfile::tempdir().unwrap();
    let repo = small_repo();
    for pkg in ["packages/api", "packages/web"] {
        for f in ["README.md", "pyproject.toml", "demo/__init__.py"] {
            let content = fs::read_to_string(repo.path().join(f)).unwrap();
            write(dir.path(), &format!("{pkg}/{f}"), &content);
        }
    }
    let id_of = |args: &[&str]| -> String {
        let out = bin()
            .current_dir(dir.path())
            .args(["scan", "--quiet", "--sarif", "out.sarif"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let sarif = fs::read_to_string(dir.path().join("out.sarif")).unwrap();
        let v: Value = serde_json::from_str(&sarif).unwrap();
        v["runs"][0]["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Default: the root's category for the current directory, one per folder below it.
    assert_eq!(id_of(&[]), "devops-maturity/");
    assert_eq!(id_of(&["."]), "devops-maturity/");
    assert_eq!(id_of(&["./packages/api/"]), "devops-maturity/packages/api/");
    assert_eq!(id_of(&["packages/web"]), "devops-maturity/packages/web/");
    let absolute = dir.path().join("packages/web");
    assert_eq!(
        id_of(&[absolute.to_str().unwrap()]),
        "devops-maturity/packages/web/"
    );
    // Given: the category, `/` appended when missing; also on stdout with --format sarif.
    assert_eq!(
        id_of(&["--sarif-category", "monorepo/api", "packages/api"]),
        "monorepo/api/"
    );
    assert_eq!(id_of(&["--sarif-category=dm/", "."]), "dm/");
    let out = bin()
        .current_dir(dir.path())
        .args([
            "--format",
            "sarif",
            "--sarif-category",
            "stdout",
            "packages/api",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["runs"][0]["automationDetails"]["id"], "stdout/");
    // Invalid: a usage error (exit 2) that names the option.
    let long = "c".repeat(256);
    for bad in ["", "/", "a\u{7}b", "a\u{202e}b", long.as_str()] {
        let out = bin()
            .current_dir(dir.path())
            .args([
                "scan",
                "--quiet",
                "--sarif",
                "bad.sarif",
                "--sarif-category",
                bad,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--sarif-category"), "{stderr}");
        assert!(!dir.path().join("bad.sarif").exists());
    }
}

#[test]
fn exit_2_for_config_errors_with_file_line_and_column() {
    let repo = small_repo();
    let err = config_error(repo.path(), "min-score: 3\nexclud:\n  - x\n");
    assert!(
        err.contains(".devops-maturity.yml:2:1: unknown field `exclud`"),
        "{err}"
    );

    let stderr = config_error(repo.path(), "rules:\n  docs-readme: {enabled: maybe}\n");
    assert!(stderr.contains(".devops-maturity.yml:2:"));

    let stderr = config_error(repo.path(), "rules:\n  no-such-rule: {enabled: false}\n");
    assert!(stderr.contains("unknown rule id \"no-such-rule\""));

    let missing = repo.path().join("nope.yml");
    bin()
        .arg("--config")
        .arg(&missing)
        .arg(repo.path())
        .assert()
        .code(2);
}

#[test]
fn exit_3_when_the_root_cannot_be_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .arg(dir.path().join("does-not-exist"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot scan"));
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    bin().arg(&file).assert().code(3);
}

#[test]
fn json_is_byte_identical_whatever_the_thread_count() {
    let repo = small_repo();
    for i in 0..200 {
        write(
            repo.path(),
            &format!("pkg{}/mod{i}.py", i % 9),
            "import logging\nprint('x')\n",
        );
    }
    let render = |threads: &str| {
        let out = run_on(
            repo.path(),
            &["--format", "json", "--no-progress", "--threads", threads],
        );
        let mut j: Value = serde_json::from_slice(&out.stdout).unwrap();
        // Wall time is the one field that differs between identical runs.
        j["stats"]["duration_ms"] = Value::from(0);
        serde_json::to_string(&j).unwrap()
    };
    let one = render("1");
    assert_eq!(one, render("2"));
    assert_eq!(one, render("7"));
}

#[test]
fn rules_and_explain_are_generated_from_rule_metadata() {
    let out = bin().args(["rules", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "docs-readme" && r["category"] == "docs"));
    for r in rules {
        let id = r["id"].as_str().unwrap();
        let out = bin().args(["explain", id]).output().unwrap();
        assert!(out.status.success(), "explain {id}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("{id}: ")), "{text}");
        assert!(
            text.contains("Why:") && text.contains("Remediation:"),
            "{text}"
        );
    }
    let text = bin().arg("rules").output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("docs-readme"));
}

#[test]
fn init_writes_a_valid_config_and_refuses_to_overwrite() {
    let repo = small_repo();
    bin().arg("init").arg(repo.path()).assert().code(0);
    let path = repo.path().join(".devops-maturity.yml");
    assert!(fs::read_to_string(&path).unwrap().contains("min-score: 0"));
    bin().arg("init").arg(repo.path()).assert().code(2);
    bin()
        .arg("init")
        .arg("--force")
        .arg(repo.path())
        .assert()
        .code(0);
    // The written file is a valid configuration.
    bin().arg("--quiet").arg(repo.path()).assert().code(0);
}

#[test]
fn custom_rules_ignores_and_disabled_rules() {
    let repo = small_repo();
    write(
        repo.path(),
        "docs/adr/0001-record.md",
        "# Record decisions\n",
    );
    write(
        repo.path(),
        ".devops-maturity.yml",
        "custom-rules:\n  - id: adr-folder\n    title: Decisions recorded\n    category: docs\n    check:\n      file-exists: ['docs/adr/*.md']\n  - id: uses-structlog\n    title: structlog\n    category: observability\n    weight: 2\n    check:\n      file-contains: {glob: '**/*.py', regex: 'import structlog'}\nignore:\n  - {rule: docs-license, reason: 'internal tool, not distributed'}\nrules:\n  docs-contributing: {enabled: false}\n",
    );
    let (_, j) = scan_json(repo.path(), &[]);
    let control = |id: &str| control(&j, id);
    let adr = control("adr-folder");
    assert_eq!(adr["status"], "pass");
    assert_eq!(adr["evidence"][0]["path"], "docs/adr/0001-record.md");
    let structlog = control("uses-structlog");
    assert_eq!(structlog["status"], "fail");
    assert_eq!(structlog["weight"], 2);
    let licence = control("docs-license");
    assert_eq!(licence["status"], "na");
    assert!(licence["message"]
        .as_str()
        .unwrap()
        .contains("internal tool"));
    assert_eq!(j["ignored"][0]["rule"], "docs-license");
    assert_eq!(
        control("docs-contributing")["message"],
        "disabled by configuration"
    );
}

#[test]
fn custom_policy_rules_fail_where_the_forbidden_file_or_pattern_is() {
    let repo = small_repo();
    let config = "custom-rules:\n  \
        - id: no-private-keys\n    title: No private keys\n    category: security\n    check:\n      \
          file-absent: ['**/*.pem', '**/id_rsa']\n  \
        - id: no-latest-images\n    title: Images are pinned\n    category: deployment\n    check:\n      \
          file-not-contains: {glob: 'k8s/**/*.yaml', regex: 'image: \\S+:latest'}\n";
    write(repo.path(), ".devops-maturity.yml", config);
    let (_, clean) = scan_json(repo.path(), &[]);
    assert_eq!(control(&clean, "no-private-keys")["status"], "pass");
    assert_eq!(control(&clean, "no-latest-images")["status"], "pass");

    write(
        repo.path(),
        "ops/tls/server.pem",
        "-----BEGIN CERTIFICATE-----\n",
    );
    write(repo.path(), "deploy/id_rsa", "not really a key\n");
    write(
        repo.path(),
        "k8s/api/deployment.yaml",
        "kind: Deployment\nspec:\n  image: example/api:latest\n",
    );
    // Outside the glob: not the policy's business.
    write(
        repo.path(),
        "compose.yaml",
        "services:\n  db:\n    image: postgres:latest\n",
    );
    let (_, dirty) = scan_json(repo.path(), &[]);
    let keys = control(&dirty, "no-private-keys");
    assert_eq!(keys["status"], "fail", "{keys}");
    assert_eq!(
        keys["message"],
        "a file matches **/*.pem, **/id_rsa (2 files)"
    );
    let paths: Vec<&str> = keys["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["deploy/id_rsa", "ops/tls/server.pem"]);
    let latest = control(&dirty, "no-latest-images");
    assert_eq!(latest["status"], "fail", "{latest}");
    assert_eq!(latest["evidence"].as_array().unwrap().len(), 1);
    assert_eq!(latest["evidence"][0]["path"], "k8s/api/deployment.yaml");
    assert_eq!(latest["evidence"][0]["line"], 3);

    let stderr = config_error(
        repo.path(),
        "custom-rules:\n  - id: both\n    title: Both\n    category: docs\n    check:\n      \
         file-exists: ['a']\n      file-absent: ['b']\n",
    );
    assert!(
        stderr.contains(
            "exactly one of file-exists, file-contains, file-absent or file-not-contains"
        ),
        "{stderr}"
    );
}

#[test]
fn a_failing_required_control_exits_1_whatever_the_score() {
    let repo = small_repo();
    write(
        repo.path(),
        ".devops-maturity.yml",
        "rules:\n  docs-license: {required: true}\n  docs-readme: {required: true}\n",
    );
    let (code, j) = scan_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(j["passed"], false);
    assert_eq!(j["required_failed"], serde_json::json!(["docs-license"]));
    assert_eq!(control(&j, "docs-license")["required"], true);
    assert_eq!(control(&j, "docs-readme")["required"], true);
    assert!(control(&j, "ci-configured").get("required").is_none());
    let out = run_on(repo.path(), &["scan", "--no-progress"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL required: docs-license\n"), "{text}");

    // Ignoring the control (with a reason) takes it out of the gate, visibly.
    write(
        repo.path(),
        ".devops-maturity.yml",
        "rules:\n  docs-license: {required: true}\nignore:\n  - {rule: docs-license, reason: internal}\n",
    );
    let (code, j) = scan_json(repo.path(), &[]);
    assert_eq!(code, 0);
    assert!(j.get("required_failed").is_none(), "{j}");
}

#[test]
fn a_badge_goes_to_a_file_or_to_stdout() {
    let repo = small_repo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("badge.json");
    let out = bin()
        .args(["scan", "--no-progress", "--quiet", "--badge"])
        .arg(&file)
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let badge: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let (_, j) = scan_json(repo.path(), &[]);
    let score = j["score"].as_f64().unwrap();
    assert_eq!(
        badge["message"],
        format!("{score:.1}/10 · {}", j["level"]["name"].as_str().unwrap())
    );
    let out = run_on(repo.path(), &["scan", "--no-progress", "--badge", "-"]);
    let stdout: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stdout, badge);
    let out = run_on(
        repo.path(),
        &["scan", "--no-progress", "--badge", "-", "--json", "-"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn custom_rule_with_oversized_regex_is_a_config_error() {
    let repo = small_repo();
    let stderr = config_error(repo.path(), "custom-rules:\n  - id: huge\n    title: Huge\n    category: docs\n    check:\n      file-contains: {glob: '*', regex: '(a{1000}){1000}'}\n");
    assert!(stderr.contains("invalid regex"));
}

#[test]
fn text_report_is_plain_when_not_a_terminal() {
    let repo = small_repo();
    let out = bin().arg(repo.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("DevOps maturity: "), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped");
}

#[test]
fn rules_doc_is_generated_from_the_rule_metadata() {
    let out = bin()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let committed =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md")).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `devops-maturity | head`: the pipe closes before the report is written.
    let repo = small_repo();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("devops-maturity"));
    for k in ci_variables() {
        cmd.env_remove(k);
    }
    let mut child = cmd
        .args(["--no-progress", "--format", "json"])
        .arg(repo.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn a_second_run_does_not_read_the_first_runs_reports() {
    let repo = small_repo();
    let run = || {
        let out = bin()
            .current_dir(repo.path())
            .args(["scan", "--format", "json", "--no-progress"])
            .args(["--markdown", "summary.md", "--json", "tests/../r.json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let mut json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["stats"]["duration_ms"] = Value::Null;
        json
    };
    let first = run();
    assert!(repo.path().join("summary.md").exists());
    let second = run();
    let skipped: Vec<&str> = second["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().contains("report"))
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, vec!["r.json", "summary.md"]);
    // Apart from the two skipped reports, the second run sees what the first saw.
    let mut expected = first.clone();
    expected["skipped"] = second["skipped"].clone();
    expected["stats"]["skipped"] = second["stats"]["skipped"].clone();
    assert!(second == expected, "the second run scored differently");
}

#[test]
fn a_report_sent_to_dash_goes_to_stdout_instead_of_a_file_named_dash() {
    let repo = small_repo();
    let out = bin()
        .current_dir(repo.path())
        .args(["scan", "--quiet", "--sarif", "-", "--json", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!repo.path().join("-").exists());
    assert!(repo.path().join("r.json").exists());
    // Two reports cannot share stdout.
    let out = bin()
        .current_dir(repo.path())
        .args(["scan", "--json", "-", "--markdown", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_category_weighted_zero_is_reported_but_raises_no_finding() {
    let repo = small_repo();
    let sarif = repo.path().join("r.sarif");
    let (_, before) = scan_json(repo.path(), &[]);
    let docs_gaps = |json: &Value| {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["category"] == "docs")
            .count()
    };
    assert!(docs_gaps(&before) > 0, "the tiny repository has docs gaps");
    write(
        repo.path(),
        ".devops-maturity.yml",
        "categories:\n  docs: {weight: 0}\n",
    );
    let (code, after) = scan_json(repo.path(), &["--sarif", sarif.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(docs_gaps(&after), 0);
    let docs = after["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "docs")
        .unwrap();
    assert_eq!(docs["weight"], 0.0);
    assert!(docs["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["status"] == "fail"));
    let sarif: Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    let docs_results = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("docs-"))
        .count();
    assert_eq!(docs_results, 0);
}

#[test]
fn ignore_paths_and_rules_take_globs_and_unmatched_entries_are_reported() {
    let repo = small_repo();
    write(
        repo.path(),
        "compose.yaml",
        "services:\n  api:\n    image: example/api:1.2.3\n",
    );
    let (_, before) = scan_json(repo.path(), &[]);
    assert_eq!(
        control(&before, "compose-restart-policies")["status"],
        "fail"
    );

    write(
        repo.path(),
        ".devops-maturity.yml",
        "ignore:\n  - {rule: compose-restart-policies, path: '*.yaml', reason: 'local dev only'}\n  - {rule: 'compose-*', path: 'deploy/**', reason: 'stale entry'}\n",
    );
    let out = run_on(repo.path(), &["scan", "--format", "json", "--no-progress"]);
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let restart = control(&j, "compose-restart-policies");
    assert_eq!(restart["status"], "na", "{restart}");
    assert!(restart["message"]
        .as_str()
        .unwrap()
        .contains("local dev only"));
    assert!(!j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "compose-restart-policies"));
    let unmatched = j["ignored_unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert_eq!(unmatched[0]["rule"], "compose-*");
    assert_eq!(unmatched[0]["path"], "deploy/**");

    // Text mode: the stale entry is a warning on stderr; the scan still succeeds.
    let out = bin()
        .arg("--no-progress")
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: ignore entry (rule \"compose-*\", path \"deploy/**\") matched no failed control"),
        "{stderr}"
    );
    assert!(!stderr.contains("local dev only"), "{stderr}");

    // A rule glob that names no rule is a configuration error, like an unknown id.
    let stderr = config_error(
        repo.path(),
        "ignore:\n  - {rule: 'compse-*', reason: typo}\n",
    );
    assert!(stderr.contains("matches no rule id"));

    // An invalid glob is a configuration error with its position.
    let stderr = config_error(
        repo.path(),
        "ignore:\n  - rule: compose-restart-policies\n    path: 'deploy/[a'\n    reason: r\n",
    );
    assert!(stderr.contains(".devops-maturity.yml:3:11: "), "{stderr}");
    assert!(stderr.contains("invalid glob"), "{stderr}");
}

#[test]
fn inline_ignore_comments_silence_findings_where_they_are_written() {
    let repo = small_repo();
    // The marker is spliced in so that this test file holds no directive of its own.
    let dockerfile = "# @@ ignore[dockerfile-multi-stage] build tools are needed at run time\n\
                      FROM python:3.12\n\
                      RUN pip install flask  # @@ ignore[dockerfile-package-cache-hygiene]\n\
                      # @@ ignore[no-such-rule] typo\n\
                      CMD [\"python\", \"-m\", \"app\"]\n"
        .replace("@@", "devops-maturity:");
    write(repo.path(), "Dockerfile", &dockerfile);
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("summary.md");
    let out = bin()
        .args(["scan", "--format", "json", "--no-progress", "--markdown"])
        .arg(&md)
        .arg(repo.path())
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();

    // The comment above FROM covers the finding on the FROM line.
    let stage = control(&j, "dockerfile-multi-stage");
    assert_eq!(stage["status"], "na", "{stage}");
    assert_eq!(
        stage["message"],
        "ignored by an inline comment at Dockerfile:1: build tools are needed at run time"
    );
    let ignored = j["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert_eq!(ignored[0]["rule"], "dockerfile-multi-stage");
    assert_eq!(ignored[0]["path"], "Dockerfile");
    assert_eq!(ignored[0]["line"], 1);

    // No reason: not applied, and said so; a rule id no rule has is said too.
    assert_eq!(
        control(&j, "dockerfile-package-cache-hygiene")["status"],
        "fail"
    );
    assert_eq!(control(&j, "dockerfile-non-root-user")["status"], "fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: Dockerfile:3: inline ignore without a reason is not applied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: Dockerfile:4: inline ignore names \"no-such-rule\""),
        "{stderr}"
    );
    let summary = fs::read_to_string(&md).unwrap();
    assert!(
        summary.contains("| `dockerfile-multi-stage` | `Dockerfile:1` (inline comment) | build tools are needed at run time |"),
        "{summary}"
    );
}

#[test]
fn baseline_reports_what_changed_and_can_gate_on_a_lower_score() {
    let repo = small_repo();
    let base = tempfile::tempdir().unwrap();
    let baseline = base.path().join("base.json");
    let out = bin()
        .args(["scan", "--quiet", "--json"])
        .arg(&baseline)
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // The change under review commits an .env file.
    write(
        repo.path(),
        ".env",
        "DATABASE_URL=postgres://app:hunter2@db/app\n",
    );
    let with_baseline = |extra: &[&str]| {
        let mut args = vec!["--baseline", baseline.to_str().unwrap()];
        args.extend_from_slice(extra);
        scan_json(repo.path(), &args)
    };
    let (code, json) = with_baseline(&[]);
    assert_eq!(code, 0, "without the gate a lower score only shows");
    let b = &json["baseline"];
    assert!(b["delta"].as_f64().unwrap() < 0.0, "{b}");
    let sum = b["score"].as_f64().unwrap() + b["delta"].as_f64().unwrap();
    assert!((sum - json["score"].as_f64().unwrap()).abs() < 1e-9, "{b}");
    assert!(b["new_findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "sec-env-not-committed"));
    assert!(b["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "security"));
    assert_eq!(json["passed"], true);

    let (code, json) = with_baseline(&["--fail-on-regression"]);
    assert_eq!(code, 1);
    assert_eq!(json["passed"], false);
    let out = bin()
        .args([
            "scan",
            "--format",
            "markdown",
            "--fail-on-regression",
            "--baseline",
        ])
        .arg(&baseline)
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## Since the baseline"), "{md}");
    assert!(md.contains("is below the baseline's"), "{md}");
    assert!(md.contains("`sec-env-not-committed`"), "{md}");

    // The baseline itself scanned against itself: no change, no failure.
    let (code, json) = scan_json(base.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert!(code == 0 || code == 1);
    assert!(json["baseline"].is_object());
}

#[test]
fn a_bad_baseline_is_a_usage_error() {
    let repo = small_repo();
    let bad = repo.path().join("bad.json");
    fs::write(&bad, "{\n  \"schema_version\": 1,\n  \"score\": []\n}\n").unwrap();
    let out = bin()
        .args(["scan", "--quiet", "--baseline"])
        .arg(&bad)
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json: line 3 column"), "{err}");
    // --fail-on-regression needs a baseline.
    let out = run_on(repo.path(), &["scan", "--quiet", "--fail-on-regression"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_level_leaves_out_lighter_results() {
    let repo = small_repo();
    let results = |extra: &[&str]| -> Vec<String> {
        let out = bin()
            .args(["scan", "--format", "sarif"])
            .args(extra)
            .arg(repo.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["level"].as_str().unwrap().to_string())
            .collect()
    };
    let all = results(&[]);
    assert!(all.iter().any(|l| l == "note"), "{all:?}");
    let warnings = results(&["--sarif-level", "warning"]);
    assert!(!warnings.is_empty() && warnings.len() < all.len());
    assert!(warnings.iter().all(|l| l != "note"), "{warnings:?}");
    let errors = results(&["--sarif-level", "error"]);
    assert!(errors.iter().all(|l| l == "error"), "{errors:?}");
    let out = run_on(repo.path(), &["scan", "--sarif-level", "info"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A monorepo: two packages, the CI and the security policy at the root.
fn monorepo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    // One workspace lockfile for every package.
    write(root, "yarn.lock", "# yarn lockfile v1\n");
    write(
        root,
        "SECURITY.md",
        "# Security\n\nReport issues to security@example.com.\n",
    );
    write(
        root,
        ".github/workflows/orders.yml",
        "name: orders\non:\n  push:\n    paths: ['services/orders/**']\n  pull_request:\n    paths: ['services/orders/**']\njobs:\n  test:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: services/orders\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n",
    );
    write(
        root,
        ".github/workflows/billing.yml",
        "name: billing\non:\n  push:\n    paths: ['services/billing/**']\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run build\n        working-directory: services/billing\n",
    );
    write(
        root,
        ".github/workflows/lint.yml",
        "name: lint\non: [pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run lint\n        working-directory: services/billing\n",
    );
    for pkg in ["services/orders", "services/billing"] {
        write(
            root,
            &format!("{pkg}/package.json"),
            r#"{"name":"x","scripts":{"test":"jest","lint":"eslint .","build":"tsc"},"devDependencies":{"jest":"29"}}"#,
        );
    }
    tmp
}

#[test]
fn a_repository_root_lists_its_workspace_packages() {
    let repo = monorepo();
    write(
        repo.path(),
        "pnpm-workspace.yaml",
        "packages:\n  - 'services/*'\n",
    );
    let (code, j) = scan_json(repo.path(), &[]);
    assert_eq!(code, 0);
    let paths: Vec<&str> = j["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["services/billing", "services/orders"]);
    assert_eq!(j["packages"][1]["manifest"], "services/orders/package.json");
    let out = bin()
        .args(["--no-progress", "--format", "text"])
        .arg(repo.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("workspace of 2 packages: services/billing, services/orders"),
        "{text}"
    );
    // A package's own scan does not list its siblings.
    let (_, j) = scan_json(&repo.path().join("services/orders"), &[]);
    assert!(j.get("packages").is_none(), "{}", j["packages"]);
}

#[test]
fn each_package_is_scored_as_its_own_package_scan() {
    let repo = monorepo();
    write(
        repo.path(),
        "pnpm-workspace.yaml",
        "packages:\n  - 'services/*'\n",
    );
    // A package whose own configuration is broken is reported, not fatal.
    write(
        repo.path(),
        "services/billing/.devops-maturity.yml",
        "min-score: [\n",
    );
    let (code, j) = scan_json(repo.path(), &["--each-package"]);
    assert_eq!(code, 0, "{j}");
    let packages = j["packages"].as_array().unwrap();
    let billing = &packages[0];
    assert_eq!(billing["path"], "services/billing");
    assert!(billing.get("scan").is_none());
    let error = billing["error"].as_str().unwrap();
    assert!(
        error.starts_with("not scored: ") && error.contains(".devops-maturity.yml"),
        "{error}"
    );
    // The orders package's entry is what its own scan reports.
    let orders = &packages[1]["scan"];
    let (_, alone) = scan_json(&repo.path().join("services/orders"), &[]);
    assert_eq!(orders["score"], alone["score"]);
    assert_eq!(orders["level"], alone["level"]);
    assert_eq!(orders["profile"], alone["profile"]["value"]);
    assert_eq!(
        orders["findings"].as_u64().unwrap() as usize,
        alone["findings"].as_array().unwrap().len()
    );
    assert_eq!(orders["top_finding"]["rule"], alone["findings"][0]["rule"]);
    assert_eq!(
        orders["categories"]["ci"],
        control_category_score(&alone, "ci")
    );
    // The root's own score and gate are unchanged by the package scans.
    let (_, root_only) = scan_json(repo.path(), &[]);
    assert_eq!(j["score"], root_only["score"]);
    let out = bin()
        .args(["--no-progress", "--each-package", "--format", "markdown"])
        .arg(repo.path())
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## Workspace packages"), "{md}");
    assert!(md.contains("| `services/billing` | — |"), "{md}");
    assert!(md.contains("| `services/orders` | "), "{md}");
}

fn control_category_score(report: &Value, id: &str) -> Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()["score"]
        .clone()
}

#[test]
fn a_root_command_of_another_stack_does_not_count_for_a_package() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let workflow = |steps: &str| {
        format!(
            "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n{steps}"
        )
    };
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("      - run: cargo test --workspace\n      - run: make lint\n"),
    );
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n",
    );
    write(
        root,
        "web/package.json",
        r#"{"name":"web","scripts":{"test":"jest"},"devDependencies":{"jest":"29"}}"#,
    );
    write(root, "web/src/app.test.js", "test('x', () => {});\n");
    // A toolchain pin shared from the root is the repository's, not the package's stack.
    write(root, "global.json", r#"{"sdk": {"version": "8.0.100"}}"#);
    // The root's `cargo test` tests the Rust crates, not the Node package.
    let (_, j) = scan_json(&root.join("web"), &[]);
    let stacks: Vec<&str> = j["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(stacks, ["node"]);
    let tests = control(&j, "ci-runs-tests");
    assert_eq!(tests["status"], "fail", "{tests}");
    // A root command of the package's own stack, or of no one stack, still counts.
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("      - run: cargo test --workspace\n      - run: npm test --workspaces\n"),
    );
    let (_, j) = scan_json(&root.join("web"), &[]);
    let tests = control(&j, "ci-runs-tests");
    assert_eq!(tests["status"], "pass", "{tests}");
    assert_eq!(tests["evidence"][0]["line"], 9, "{tests}");
    // Scanned alone, the repository root runs both.
    let (_, j) = scan_json(root, &[]);
    assert_eq!(control(&j, "ci-runs-tests")["evidence"][0]["line"], 8);
}

#[test]
fn a_root_command_filtered_to_other_node_packages_does_not_count() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let workflow = |run: &str| {
        format!(
            "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: {run}\n"
        )
    };
    for (pkg, name) in [("packages/server", "@trpc/server"), ("www", "www")] {
        write(
            root,
            &format!("{pkg}/package.json"),
            &format!(
                r#"{{"name":"{name}","scripts":{{"test":"vitest run"}},"devDependencies":{{"vitest":"2"}}}}"#
            ),
        );
        write(
            root,
            &format!("{pkg}/src/a.test.ts"),
            "test('x', () => {});\n",
        );
    }
    let tests_status = |pkg: &str| {
        let (_, j) = scan_json(&root.join(pkg), &[]);
        control(&j, "ci-runs-tests")["status"].clone()
    };
    // tRPC's shape: the root runs the tests of ./packages only.
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("pnpm --filter=./packages/** test"),
    );
    assert_eq!(tests_status("packages/server"), "pass");
    assert_eq!(tests_status("www"), "fail");
    // By name, and excluded by name.
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("pnpm --filter=www test"),
    );
    assert_eq!(tests_status("www"), "pass");
    assert_eq!(tests_status("packages/server"), "fail");
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("turbo run test --filter=!www"),
    );
    assert_eq!(tests_status("www"), "fail");
    // No filter, or a git-range filter, may run every package.
    write(root, ".github/workflows/ci.yml", &workflow("pnpm -r test"));
    assert_eq!(tests_status("www"), "pass");
    write(
        root,
        ".github/workflows/ci.yml",
        &workflow("turbo run test --filter=...[HEAD^1]"),
    );
    assert_eq!(tests_status("www"), "pass");
}

#[test]
fn a_package_is_scanned_with_its_repositorys_shared_files() {
    let repo = monorepo();
    let orders = repo.path().join("services/orders");
    let (code, j) = scan_json(&orders, &[]);
    assert_eq!(code, 0);
    assert_eq!(j["package"], "services/orders");
    // The root's workflow runs the package's tests, seen from the package.
    let tests = control(&j, "ci-runs-tests");
    assert_eq!(tests["status"], "pass", "{tests}");
    assert_eq!(
        tests["evidence"][0]["path"],
        "../../.github/workflows/orders.yml"
    );
    assert_eq!(tests["evidence"][0]["line"], 16);
    assert_eq!(control(&j, "sec-security-policy")["status"], "pass");
    let readme = control(&j, "docs-readme");
    assert_eq!(readme["status"], "fail");
    assert!(
        readme["message"]
            .as_str()
            .unwrap()
            .contains("no README in the package services/orders"),
        "{readme}"
    );
    let locked = control(&j, "lockfiles-committed");
    assert_eq!(locked["status"], "pass", "{locked}");
    assert_eq!(locked["evidence"][0]["path"], "../../yarn.lock");
    // Another package's steps are not this package's: billing's lint and build do not count,
    // and billing's workflow (filtered to its own paths) is left out, with the reason.
    assert_eq!(control(&j, "ci-runs-lint")["status"], "fail");
    // Billing's lint job (all its steps in services/billing) is not judged for orders.
    let timeouts = control(&j, "ci-job-timeouts");
    let cited: Vec<&str> = timeouts["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(cited, ["../../.github/workflows/orders.yml"], "{timeouts}");
    assert_eq!(control(&j, "ci-builds-artifact")["status"], "fail");
    let skipped = j["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == "../../.github/workflows/billing.yml"
                && s["reason"].as_str().unwrap().contains("services/orders")),
        "{skipped:?}"
    );

    // SARIF locations are repository paths.
    let out = run_on(&orders, &["--format", "sarif", "--no-progress"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::sarif_schema_errors(&sarif), Vec::<String>::new());
    let uris = common::sarif_uris(&sarif);
    assert!(uris.contains(&".github/workflows/lint.yml"), "{uris:?}");
    assert!(uris.iter().all(|u| !u.contains("..")), "{uris:?}");

    // --standalone scans the folder alone.
    let (_, alone) = scan_json(&orders, &["--standalone"]);
    assert!(alone.get("package").is_none());
    assert_eq!(control(&alone, "ci-configured")["status"], "fail");
    assert_eq!(control(&alone, "sec-security-policy")["status"], "fail");
    assert_eq!(control(&alone, "lockfiles-committed")["status"], "fail");
}

#[test]
fn a_packages_own_file_wins_over_the_repositorys() {
    let repo = monorepo();
    let orders = repo.path().join("services/orders");
    write(&orders, "SECURITY.md", "# Security\n\nSee the team page.\n");
    let (_, j) = scan_json(&orders, &[]);
    let policy = control(&j, "sec-security-policy");
    let paths: Vec<&str> = policy["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["SECURITY.md"], "{policy}");
}

#[test]
fn a_package_without_its_own_configuration_uses_the_repositorys() {
    let repo = monorepo();
    let orders = repo.path().join("services/orders");
    write(repo.path(), ".devops-maturity.yml", "min-score: 9.5\n");
    let (code, j) = scan_json(&orders, &[]);
    assert_eq!((code, j["min_score"].as_f64()), (1, Some(9.5)));
    // The package's own file comes first.
    write(&orders, ".devops-maturity.yml", "min-score: 0\n");
    let (code, j) = scan_json(&orders, &[]);
    assert_eq!((code, j["min_score"].as_f64()), (0, Some(0.0)));
}

/// tRPC's main workflow (trpc/trpc): the packages are built from the root through Turborepo;
/// the e2e job builds each example in `examples/${{ matrix.dir }}`.
const TRPC_MAIN: &str = "name: main\non:\n  push:\n    branches: [main, next]\n  pull_request:\n    branches: ['*']\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: pnpm/action-setup@v4\n      - run: pnpm install --frozen-lockfile\n      - run: pnpm turbo --filter \"./packages/**\" build typecheck\n  e2e:\n    runs-on: ubuntu-latest\n    needs: build\n    strategy:\n      matrix:\n        dir: [next-prisma-starter, minimal]\n    steps:\n      - uses: actions/checkout@v4\n      - run: pnpm install --frozen-lockfile\n      - working-directory: examples/${{ matrix.dir }}\n        run: pnpm build\n      - working-directory: examples/${{ matrix.dir }}\n        run: pnpm test-e2e\n";

fn trpc_like() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    write(
        root,
        "pnpm-workspace.yaml",
        "packages:\n  - 'packages/*'\n  - 'examples/*'\n",
    );
    write(root, ".github/workflows/main.yml", TRPC_MAIN);
    write(
        root,
        "packages/server/package.json",
        r#"{"name":"@trpc/server","version":"11.0.0","scripts":{"build":"rollup --config rollup.config.ts"}}"#,
    );
    write(
        root,
        "examples/minimal/package.json",
        r#"{"name":"@examples/minimal","private":true,"scripts":{"build":"tsc","test-e2e":"start-server-and-test 'tsx server' 3000 'tsx client'"}}"#,
    );
    tmp
}

#[test]
fn a_run_time_working_directory_is_still_another_packages_folder() {
    let repo = trpc_like();
    let root = repo.path();
    // packages/server is built by the root's Turborepo step, not by the examples' `pnpm build`.
    let (_, j) = scan_json(&root.join("packages/server"), &[]);
    let build = control(&j, "ci-builds-artifact");
    assert_eq!(build["status"], "pass", "{build}");
    let lines: Vec<&Value> = build["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"] == "../../.github/workflows/main.yml")
        .map(|e| &e["line"])
        .collect();
    assert_eq!(lines, [14], "{build}");
    // An example is built by the e2e job's step.
    let (_, j) = scan_json(&root.join("examples/minimal"), &[]);
    let build = control(&j, "ci-builds-artifact");
    assert!(
        build["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["line"] == 25),
        "{build}"
    );
    // Without the Turborepo step, nothing builds packages/server.
    let main = TRPC_MAIN.replace(
        "      - run: pnpm turbo --filter \"./packages/**\" build typecheck\n",
        "",
    );
    write(root, ".github/workflows/main.yml", &main);
    let (_, j) = scan_json(&root.join("packages/server"), &[]);
    assert_eq!(control(&j, "ci-builds-artifact")["status"], "fail");
}

#[test]
fn dependabot_entries_of_other_modules_do_not_update_a_package() {
    // gofiber/contrib: one gomod entry per module directory, not every module listed.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        ".github/dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: \"github-actions\"\n    directory: \"/\"\n    schedule:\n      interval: \"daily\"\n  - package-ecosystem: \"gomod\"\n    directory: \"/v3/casbin/\" # Location of package manifests\n    schedule:\n      interval: \"daily\"\n  - package-ecosystem: \"gomod\"\n    directory: \"/v3/jwt/\" # Location of package manifests\n    schedule:\n      interval: \"daily\"\n",
    );
    write(
        root,
        "go.work",
        "go 1.25.0\n\nuse (\n./v3/casbin\n./v3/jwt\n./v3/websocket\n)\n",
    );
    for m in ["casbin", "jwt", "websocket"] {
        write(
            root,
            &format!("v3/{m}/go.mod"),
            &format!("module github.com/gofiber/contrib/v3/{m}\n\ngo 1.25.0\n"),
        );
    }
    let (_, j) = scan_json(&root.join("v3/casbin"), &[]);
    assert_eq!(control(&j, "deps-update-coverage")["status"], "pass");
    let (_, j) = scan_json(&root.join("v3/websocket"), &[]);
    let coverage = control(&j, "deps-update-coverage");
    assert_eq!(coverage["status"], "fail", "{coverage}");
    assert!(
        coverage["message"].as_str().unwrap().ends_with(": gomod"),
        "{coverage}"
    );
    // A pattern reaching the module covers it.
    write(
        root,
        ".github/dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: gomod\n    directories: [\"/v3/*\"]\n    schedule:\n      interval: daily\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: daily\n",
    );
    let (_, j) = scan_json(&root.join("v3/websocket"), &[]);
    assert_eq!(control(&j, "deps-update-coverage")["status"], "pass");
}

#[test]
fn renovate_ignore_paths_can_leave_a_package_out() {
    // trpc/trpc's .github/renovate.json ignores the examples.
    let repo = trpc_like();
    let root = repo.path();
    write(
        root,
        ".github/renovate.json",
        "{\n  \"$schema\": \"https://docs.renovatebot.com/renovate-schema.json\",\n  \"extends\": [\"config:base\", \":preserveSemverRanges\"],\n  \"ignorePaths\": [\"**/node_modules/**\", \"**/examples/**\"],\n  \"ignoreDeps\": [\"@swc/core\"],\n  \"updateInternalDeps\": true\n}\n",
    );
    let (_, j) = scan_json(&root.join("examples/minimal"), &[]);
    let coverage = control(&j, "deps-update-coverage");
    assert_eq!(coverage["status"], "fail", "{coverage}");
    assert!(
        coverage["message"].as_str().unwrap().contains("npm"),
        "{coverage}"
    );
    assert_eq!(
        coverage["evidence"][0]["path"],
        "../../.github/renovate.json"
    );
    assert_eq!(coverage["evidence"][0]["line"], 4, "{coverage}");
    let (_, j) = scan_json(&root.join("packages/server"), &[]);
    assert_eq!(control(&j, "deps-update-coverage")["status"], "pass");
    // The repository root is not ignored.
    let (_, j) = scan_json(root, &[]);
    assert_eq!(control(&j, "deps-update-coverage")["status"], "pass");
}

#[test]
fn a_root_cargo_command_for_other_crates_does_not_count_for_a_crate() {
    // tokio-rs/axum's test-msrv job tests three of the workspace's crates.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let workflow = |run: &str| {
        format!(
            "name: CI\non:\n  push:\n    branches:\n    - main\n  pull_request: {{}}\njobs:\n  test-msrv:\n    runs-on: ubuntu-24.04\n    steps:\n    - uses: actions/checkout@v4\n    - name: Run tests\n      run: >\n{run}"
        )
    };
    write(
        root,
        ".github/workflows/CI.yml",
        &workflow("        cargo +${{ env.MSRV }}\n        test\n        -p axum\n        -p axum-extra\n        -p axum-core\n        --all-features\n        --locked\n"),
    );
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"axum\", \"axum-*\"]\nresolver = \"2\"\n",
    );
    for c in ["axum", "axum-core", "axum-macros"] {
        write(
            root,
            &format!("{c}/Cargo.toml"),
            &format!("[package]\nname = \"{c}\"\nversion = \"0.8.0\"\n"),
        );
        write(
            root,
            &format!("{c}/src/lib.rs"),
            "#[cfg(test)]\nmod tests { #[test] fn t() {} }\n",
        );
    }
    let (_, j) = scan_json(&root.join("axum-core"), &[]);
    let tests = control(&j, "ci-runs-tests");
    assert_eq!(tests["status"], "pass", "{tests}");
    assert_eq!(tests["evidence"][0]["line"], 14, "{tests}");
    let (_, j) = scan_json(&root.join("axum-macros"), &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "fail");
    // The repository root runs it.
    let (_, j) = scan_json(root, &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "pass");
    // A workspace-wide command counts for every crate, unless it excludes one.
    write(
        root,
        ".github/workflows/CI.yml",
        &workflow("        cargo test --workspace --exclude axum-core\n"),
    );
    let (_, j) = scan_json(&root.join("axum-macros"), &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "pass");
    let (_, j) = scan_json(&root.join("axum-core"), &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "fail");
    // A command for another crate's manifest is that crate's.
    write(
        root,
        ".github/workflows/CI.yml",
        &workflow("        cargo\n        test\n        --manifest-path ./axum-core/Cargo.toml\n"),
    );
    let (_, j) = scan_json(&root.join("axum-core"), &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "pass");
    let (_, j) = scan_json(&root.join("axum-macros"), &[]);
    assert_eq!(control(&j, "ci-runs-tests")["status"], "fail");
}

#[test]
fn trusted_actions_from_the_config_reach_the_pinning_rule() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: my-org/setup@v1\n",
    );
    let (_, report) = scan_json(repo.path(), &[]);
    assert_eq!(control(&report, "actions-pinned-sha")["status"], "fail");
    write(
        repo.path(),
        ".devops-maturity.yml",
        "trusted-actions: [my-org/*]\n",
    );
    let (_, report) = scan_json(repo.path(), &[]);
    let c = control(&report, "actions-pinned-sha");
    assert_eq!(c["status"], "pass", "{c}");
    assert_eq!(c["evidence"][0]["line"], 6);
}

/// The fix a JSON report's finding for `rule` carries (panics when there is none).
fn finding_fix<'a>(report: &'a Value, rule: &str) -> &'a str {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .and_then(|f| f["fix"].as_str())
        .unwrap_or_else(|| panic!("{rule}: a fix built for the repository"))
}

/// The CI and CodeQL workflows and the Dependabot file suggested to a repository without them,
/// once committed, pass the controls they answer: the suggestions are checked by the same rules
/// that asked for them.
#[test]
fn the_suggested_fixes_pass_the_controls_that_asked_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "web/package.json",
        r#"{"name": "web", "scripts": {"lint": "eslint .", "test": "vitest run", "build": "vite build"}}"#,
    );
    write(root, "web/package-lock.json", "{}");
    write(root, "web/src/main.ts", "export const x = 1;\n");
    write(root, "web/src/main.test.ts", "test('x', () => {});\n");
    write(
        root,
        "api/pyproject.toml",
        "[project]\nname = \"api\"\n[dependency-groups]\ndev = [\"pytest\", \"ruff\"]\n",
    );
    write(root, "api/uv.lock", "version = 1\n");
    write(root, "api/app.py", "print('x')\n");
    write(root, "api/tests/test_app.py", "def test_x():\n    pass\n");
    let (_, before) = scan_json(root, &[]);
    let fix_of = |rule: &str| finding_fix(&before, rule).to_string();
    let fix = fix_of("ci-configured");
    assert!(
        fix.contains("npm ci") && fix.contains("uv sync --locked"),
        "{fix}"
    );
    write(root, ".github/workflows/ci.yml", &fix);
    let dependabot = fix_of("deps-update-tool");
    write(root, ".github/dependabot.yml", &dependabot);
    write(root, ".github/workflows/codeql.yml", &fix_of("sec-sast"));
    let (_, after) = scan_json(root, &[]);
    for id in [
        "ci-configured",
        "ci-runs-on-pull-requests",
        "ci-runs-tests",
        "ci-runs-lint",
        "ci-builds-artifact",
        "ci-dependency-cache",
        "ci-job-timeouts",
        "ci-concurrency",
        "actions-pinned-sha",
        "workflow-permissions",
        "deps-update-tool",
        "deps-update-coverage",
        "sec-sast",
    ] {
        let c = common::control(&after, id);
        assert_eq!(
            c["status"], "pass",
            "{id}: {}\n{fix}\n{dependabot}",
            c["message"]
        );
    }
    assert!(after["score"].as_f64() > before["score"].as_f64());
}

/// A workflow that tests nothing gets test and lint jobs to add; added, they pass the controls.
#[test]
fn the_suggested_test_and_lint_jobs_pass_once_added() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "go.mod", "module example.com/x\n\ngo 1.22\n");
    write(root, "main.go", "package main\n\nfunc main() {}\n");
    write(root, "main_test.go", "package main\n");
    let hello = "on:\n  push:\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hello\n";
    write(root, ".github/workflows/hello.yml", hello);
    let (_, before) = scan_json(root, &[]);
    let mut added = String::from("on:\n  push:\n  pull_request:\njobs:\n");
    for rule in ["ci-runs-tests", "ci-runs-lint"] {
        let fix = finding_fix(&before, rule);
        let (first, jobs) = fix.split_once('\n').unwrap();
        assert_eq!(
            first,
            "# .github/workflows/ci.yml (jobs to add under jobs:)"
        );
        added.push_str(jobs);
    }
    write(root, ".github/workflows/ci.yml", &added);
    let (_, after) = scan_json(root, &[]);
    for id in ["ci-runs-tests", "ci-runs-lint"] {
        let c = common::control(&after, id);
        assert_eq!(c["status"], "pass", "{id}: {}\n{added}", c["message"]);
    }
}

/// `fix RULE`: the repository's own fix on stdout (ready for `> FILE`), the control's message
/// on stderr; nothing to print when the rule passes; an unknown rule is a usage error.
#[test]
fn fix_prints_the_rules_fix_for_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "go.mod", "module example.com/x\n\ngo 1.22\n");
    write(root, "main.go", "package main\n\nfunc main() {}\n");
    let out = run_on(root, &["fix", "ci-configured"]);
    assert_eq!(out.status.code(), Some(0));
    let workflow = String::from_utf8(out.stdout).unwrap();
    assert!(
        workflow.starts_with("# .github/workflows/ci.yml\n") && workflow.contains("go test"),
        "{workflow}"
    );
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("no CI pipeline is configured"), "{said}");
    // Committed as printed, the rule passes and `fix` has nothing to say on stdout.
    write(root, ".github/workflows/ci.yml", &workflow);
    let out = run_on(root, &["fix", "ci-configured"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to fix"));
    // A rule with only a generic snippet prints it.
    let out = run_on(root, &["fix", "sec-security-policy"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# SECURITY.md"));
    let out = run_on(root, &["fix", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
}
