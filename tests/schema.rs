//! The published JSON Schemas (docs/schema/): fresh, and true to what the tool writes and reads.
//! Reports the binary writes must validate against the report schema; configurations the
//! parser accepts must validate against the config schema, and ones it rejects must not.

use assert_cmd::Command;
use devops_maturity::config::Config;
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

/// The binary with a scrubbed environment: no CI/GitHub variables leak into tests.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("devops-maturity").unwrap();
    for (k, _) in std::env::vars() {
        if k.starts_with("GITHUB_") || k.starts_with("INPUT_") || k == "CI" || k == "NO_COLOR" {
            cmd.env_remove(k);
        }
    }
    cmd
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed(kind: &str) -> Value {
    let path = manifest_dir().join(format!("docs/schema/{kind}.schema.json"));
    serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
}

/// Schema violations of `instance` (empty when valid), at most a few.
fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The report schema with `additionalProperties: false` on every object that lists its
/// properties. The published schema leaves objects open (fields may be added within schema
/// version 1); the strict copy makes sure every field the tool writes is described, under the
/// name serde gives it.
fn strict(schema: &Value) -> Value {
    fn close(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    let mut s = schema.clone();
    close(&mut s);
    s
}

fn assert_valid_report(report: &Value, what: &str) {
    let schema = committed("report");
    let errs = errors(&schema, report);
    assert!(
        errs.is_empty(),
        "{what} violates the report schema: {errs:#?}"
    );
    let errs = errors(&strict(&schema), report);
    assert!(
        errs.is_empty(),
        "{what} has fields the report schema does not describe: {errs:#?}"
    );
}

#[test]
fn schema_files_are_generated_from_the_types() {
    for kind in ["report", "config"] {
        let out = bin().args(["schema", kind]).output().unwrap();
        assert!(out.status.success(), "schema {kind}: {out:?}");
        let file = format!("docs/schema/{kind}.schema.json");
        let on_disk = fs::read_to_string(manifest_dir().join(&file)).unwrap_or_default();
        assert!(
            on_disk == String::from_utf8_lossy(&out.stdout),
            "{file} is stale: run `cargo run -- schema {kind} > {file}`"
        );
    }
}

#[test]
fn an_unknown_schema_is_a_usage_error() {
    bin().args(["schema", "sarif"]).assert().code(2);
}

#[test]
fn the_schemas_are_draft_2020_12_with_an_id() {
    let meta = "https://json-schema.org/draft/2020-12/schema";
    for kind in ["report", "config"] {
        let s = committed(kind);
        assert_eq!(s["$schema"], meta, "{kind}");
        let id = s["$id"].as_str().unwrap();
        assert!(
            id.ends_with(&format!("/docs/schema/{kind}.schema.json")),
            "{id}"
        );
        assert!(
            s["title"].is_string() && s["description"].is_string(),
            "{kind}"
        );
        // A valid schema by the meta-schema, not only one the validator compiles.
        assert!(
            jsonschema::meta::is_valid(&s),
            "{kind} schema is not a valid 2020-12 schema"
        );
    }
}

fn run_json(args: &[&str]) -> Value {
    let out = bin()
        .args(["--no-progress", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn first_rule(report: &Value, pick: impl Fn(&Value) -> bool) -> String {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["controls"].as_array().unwrap())
        .find(|c| pick(c))
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .expect("a matching control")
}

#[test]
fn demo_service_reports_validate_against_the_report_schema() {
    let demo = manifest_dir().join("tests/fixtures/demo-service");
    let demo = demo.to_str().unwrap();
    let plain = run_json(&[demo]);
    assert_valid_report(&plain, "the demo-service report");

    // Every optional part: a baseline comparison, ignored controls and a stale ignore entry.
    let tmp = tempfile::tempdir().unwrap();
    let baseline = tmp.path().join("baseline.json");
    fs::write(&baseline, serde_json::to_string(&plain).unwrap()).unwrap();
    let failing = plain["findings"][0]["rule"].as_str().unwrap().to_owned();
    let passing = first_rule(&plain, |c| c["status"] == "pass");
    let config = tmp.path().join("config.yml");
    fs::write(
        &config,
        format!(
            "min-score: 9.5\nignore:\n  - {{rule: {failing}, reason: not here}}\n  \
             - {{rule: {passing}, path: nowhere, reason: stale}}\n"
        ),
    )
    .unwrap();
    let full = run_json(&[
        demo,
        "--config",
        config.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--fail-on-regression",
    ]);
    for key in ["baseline", "ignored_unmatched"] {
        assert!(
            full.get(key).is_some(),
            "{key} missing: the test lost its teeth"
        );
    }
    assert!(!full["ignored"].as_array().unwrap().is_empty());
    assert_valid_report(&full, "the demo-service report with baseline and ignores");

    // The schema has teeth: a misspelt status or a missing field is caught.
    let mut broken = plain.clone();
    broken["categories"][0]["controls"][0]["status"] = "passed".into();
    assert!(!errors(&committed("report"), &broken).is_empty());
    let mut broken = plain;
    broken.as_object_mut().unwrap().remove("findings");
    assert!(!errors(&committed("report"), &broken).is_empty());
}

#[test]
fn json_snapshots_validate_against_the_report_schema() {
    let dir = manifest_dir().join("tests/snapshots");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("_json.snap") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // The insta header: `---`, metadata, `---`, then the snapshot.
        let body = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(_, body)| body)
            .unwrap_or_else(|| panic!("{name}: no insta header"));
        let report: Value = serde_json::from_str(body).unwrap();
        assert_valid_report(&report, &name);
        seen += 1;
    }
    assert_eq!(seen, 3, "expected the three JSON report snapshots");
}

/// A YAML configuration as the JSON value a YAML language server validates.
fn yaml(text: &str) -> Value {
    yaml_serde::from_str(text).unwrap()
}

#[test]
fn the_init_config_validates_against_the_config_schema() {
    let tmp = tempfile::tempdir().unwrap();
    bin().arg("init").arg(tmp.path()).assert().success();
    let text = fs::read_to_string(tmp.path().join(".devops-maturity.yml")).unwrap();
    let errs = errors(&committed("config"), &yaml(&text));
    assert!(errs.is_empty(), "{errs:#?}");
}

/// Every option, as the README's configuration section shows them: its first YAML block, read
/// from the README itself so the documented example cannot drift from what the parser takes.
fn readme_config_example() -> String {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("\n## Configuration\n")
        .expect("a Configuration section")..];
    let block = &section[section.find("```yaml\n").expect("a YAML example") + 8..];
    block[..block.find("```").expect("the block ends")].to_string()
}

#[test]
fn the_readme_config_example_parses_and_validates_against_the_config_schema() {
    let example = readme_config_example();
    for key in [
        "trusted-actions",
        "custom-rules",
        "file-not-contains",
        "ignore",
    ] {
        assert!(example.contains(key), "the README example shows {key}");
    }
    let config = Config::parse(&example, "README.md").expect("the parser accepts it");
    devops_maturity::rules::custom::build(&config.custom_rules).expect("its custom rules build");
    let errs = errors(&committed("config"), &yaml(&example));
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn configs_the_parser_rejects_the_schema_rejects() {
    let schema = committed("config");
    let cases = [
        // deny_unknown_fields ⇔ additionalProperties: false, at every level.
        "min-score: 5\nprofle: cli\n",
        "min_score: 5\n",
        "categories:\n  ci: {weight: 3, enabled: true}\n",
        "rules:\n  ci-job-timeouts: {disabled: true}\n",
        "ignore:\n  - {rule: docs-license, reason: x, because: y}\n",
        "custom-rules:\n  - {id: a, title: A, category: docs, check: {file-exists: [a]}, extra: 1}\n",
        // Values the parser validates.
        "profile: server\n",
        "min-score: 11\n",
        "max-file-size: 999999999999\n",
        "categories:\n  cd: {weight: 3}\n",
        "categories:\n  ci: {weight: 101}\n",
        "rules:\n  ci-job-timeouts: {weight: 11}\n",
        "ignore:\n  - {rule: docs-license}\n",
        "ignore:\n  - {rule: docs-license, reason: \"  \"}\n",
        "custom-rules:\n  - {id: Bad_Id, title: A, category: docs, check: {file-exists: [a]}}\n",
        "custom-rules:\n  - {id: a, title: A, category: nope, check: {file-exists: [a]}}\n",
        "custom-rules:\n  - {id: a, title: A, category: docs, weight: 0, check: {file-exists: [a]}}\n",
        "custom-rules:\n  - {id: a, title: A, category: docs, check: {}}\n",
        "custom-rules:\n  - {id: a, title: A, category: docs, \
         check: {file-exists: [a], file-contains: {glob: a, regex: b}}}\n",
    ];
    for case in cases {
        // Custom rules are checked when they are built, after parsing.
        let tool_rejects = Config::parse(case, "c.yml")
            .map_err(|e| e.to_string())
            .and_then(|c| devops_maturity::rules::custom::build(&c.custom_rules).map(|_| ()))
            .is_err();
        assert!(tool_rejects, "the tool accepts {case:?}");
        assert!(
            !errors(&schema, &yaml(case)).is_empty(),
            "the schema accepts {case:?}, which the tool rejects"
        );
    }
}

#[test]
fn an_empty_config_is_valid() {
    let errs = errors(&committed("config"), &yaml("{}"));
    assert!(errs.is_empty(), "{errs:#?}");
}
