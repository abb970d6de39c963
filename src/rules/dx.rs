//! Developer experience: git hooks, lint configuration, task runner, one-command setup,
//! reproducible environment, `.env` template, pinned toolchains, `.editorconfig`.

use super::compose_run;
use super::docs::{
    community_files, dep_line, is_vendored, readme_sections, Eco, TEST_CMD, USAGE_CMD,
};
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{json_key_line, StackId};
use crate::index::{Index, IndexedFile};
use crate::model::ci::{self, shorten};
use crate::model::compose::{self, ComposeFile, Service};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Files of the project itself: not vendored, not test fixtures.
fn own_files(index: &Index) -> impl Iterator<Item = &IndexedFile> {
    index.files().iter().filter(|f| !f.vendored && !f.is_test)
}

fn line_no(i: usize) -> u32 {
    i as u32 + 1
}

/// True when `line` holds `"key":` (a member name, not a string value).
fn has_member(line: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    line.match_indices(&quoted)
        .any(|(i, _)| line[i + quoted.len()..].trim_start().starts_with(':'))
}

/// Line of the first member `"key"` from the line of member `"parent"` on, in a JSON text.
fn json_member_line(text: &str, parent: &str, key: &str) -> Option<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| has_member(l, parent))?;
    let rest = &lines[start..];
    // On the parent's line only what follows the parent's name counts.
    let first = rest.first().and_then(|l| {
        l.find(&format!("\"{parent}\""))
            .map(|i| &l[i + parent.len() + 2..])
    });
    if parent != key && first.is_some_and(|l| has_member(l, key)) {
        return Some(line_no(start));
    }
    rest.iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| has_member(l, key))
        .map(|(i, _)| line_no(start + i))
        .or_else(|| (parent == key).then(|| line_no(start)))
}

/// Lines of a TOML/INI text as (section header, 1-based line, line), comments dropped.
pub(super) fn sectioned(text: &str) -> Vec<(String, u32, &str)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') && !t.contains('=') {
            section = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        }
        out.push((section.clone(), line_no(i), l));
    }
    out
}

/// First line of a TOML/INI text whose section header starts with `prefix`.
fn section_line(text: &str, prefix: &str) -> Option<u32> {
    text.lines()
        .position(|l| {
            let t = l.trim();
            t.starts_with('[') && t.trim_start_matches('[').trim_start().starts_with(prefix)
        })
        .map(line_no)
}

// =============================================================================================
// Task runners: targets with the line they are defined on and what they run.

#[derive(Debug, Clone)]
struct Target {
    path: String,
    name: String,
    line: u32,
    /// The commands the target runs (and its prerequisites), for classification.
    body: String,
    /// How a developer runs it: `make test`, `npm run lint`, `cargo clippy`.
    invoke: String,
    /// A file with real targets (not the built-in commands of a toolchain).
    declared: bool,
    runner: &'static str,
}

static MAKE_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"^([A-Za-z0-9][A-Za-z0-9_./ -]*?)\s*::?(?:[^=]|$)")
        .expect("constant regex")
});
static JUST_RECIPE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"^@?([A-Za-z_][A-Za-z0-9_-]*)(?:\s+[^:]*?)?:(?:[^=]|$)")
        .expect("constant regex")
});
static EARTH_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"^([a-z][A-Za-z0-9_-]*):\s*$").expect("constant regex")
});
static RAKE_TASK: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#"^\s*task\s*\(?\s*[:"']?([A-Za-z_][\w:-]*)"#).expect("constant regex")
});
static MAGE_FUNC: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"^func ([A-Z]\w*)\(").expect("constant regex"));
pub(super) static TOML_KEY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#"^\s*("[^"]+"|[A-Za-z0-9_.:-]+)\s*=\s*(.*)$"#).expect("constant regex")
});

/// Indented lines after line `i` (a recipe body).
fn indented_body(lines: &[&str], i: usize, tab_only: bool) -> String {
    lines[i + 1..]
        .iter()
        .take_while(|l| {
            l.trim().is_empty() || l.starts_with('\t') || (!tab_only && l.starts_with(' '))
        })
        .take(60)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

fn target(
    f: &IndexedFile,
    runner: &'static str,
    name: &str,
    line: u32,
    body: String,
    invoke: String,
) -> Target {
    Target {
        path: f.path.clone(),
        name: name.to_string(),
        line,
        body,
        invoke,
        declared: true,
        runner,
    }
}

fn make_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with('\t') || l.starts_with('#') {
            continue;
        }
        let Some(c) = MAKE_TARGET.captures(l) else {
            continue;
        };
        let deps = l
            .split_once(':')
            .map_or("", |(_, d)| d.split('#').next().unwrap_or(""));
        let body = format!(
            "{}\n{}",
            deps.trim().trim_start_matches(':'),
            indented_body(&lines, i, true)
        );
        for name in c[1].split_whitespace() {
            out.push(target(
                f,
                "Makefile",
                name,
                line_no(i),
                body.clone(),
                format!("make {name}"),
            ));
        }
    }
    out
}

fn just_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(c) = JUST_RECIPE.captures(l) else {
            continue;
        };
        let name = &c[1];
        if matches!(name, "set" | "alias" | "export" | "import" | "mod") {
            continue;
        }
        let deps = l.split_once(':').map_or("", |(_, d)| d);
        let body = format!("{deps}\n{}", indented_body(&lines, i, false));
        out.push(target(
            f,
            "justfile",
            name,
            line_no(i),
            body,
            format!("just {name}"),
        ));
    }
    out
}

fn taskfile_targets(index: &Index, f: &IndexedFile) -> Vec<Target> {
    let Some(Ok(y)) = index.yaml(&f.path) else {
        return Vec::new();
    };
    let Some(tasks) = y.root().and_then(|r| r.get("tasks")) else {
        return Vec::new();
    };
    tasks
        .entries()
        .iter()
        .filter_map(|(k, v)| {
            let name = k.as_str()?;
            let body = v
                .scalars()
                .iter()
                .map(|(s, _)| *s)
                .collect::<Vec<_>>()
                .join("\n");
            Some(target(
                f,
                "Taskfile",
                name,
                k.line,
                body,
                format!("task {name}"),
            ))
        })
        .collect()
}

/// The JavaScript package manager of the repository (lockfile or `packageManager`).
fn js_package_manager(index: &Index) -> &'static str {
    let declared = index
        .json("package.json")
        .and_then(|j| j.get("packageManager")?.as_str())
        .unwrap_or_default();
    for pm in ["pnpm", "yarn", "bun"] {
        if declared.starts_with(pm) {
            return pm;
        }
    }
    if index.exists("pnpm-lock.yaml") || index.exists("pnpm-workspace.yaml") {
        "pnpm"
    } else if index.exists("yarn.lock") {
        "yarn"
    } else if index.exists("bun.lockb") || index.exists("bun.lock") {
        "bun"
    } else {
        "npm"
    }
}

fn npm_targets(index: &Index, f: &IndexedFile, text: &str, pm: &str) -> Vec<Target> {
    let Some(json) = index.json(&f.path) else {
        return Vec::new();
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    // serde_json orders keys alphabetically; keep the file's order.
    let mut out: Vec<Target> = scripts
        .iter()
        .map(|(name, cmd)| {
            let line = json_member_line(text, "scripts", name).unwrap_or(1);
            let body = cmd.as_str().unwrap_or("").to_string();
            let invoke = if name == "test" || name == "start" || pm != "npm" {
                format!("{pm} {name}")
            } else {
                format!("npm run {name}")
            };
            target(f, "package.json scripts", name, line, body, invoke)
        })
        .collect();
    out.sort_by_key(|t| t.line);
    out
}

fn tox_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut bodies: HashMap<usize, String> = HashMap::new();
    for (section, line, l) in sectioned(text) {
        let t = l.trim();
        if t.starts_with('[') {
            let env = if section == "testenv" {
                Some("test".to_string())
            } else {
                section.strip_prefix("testenv:").map(str::to_string)
            };
            if let Some(env) = env {
                let invoke = if env == "test" {
                    "tox".to_string()
                } else {
                    format!("tox -e {env}")
                };
                out.push(target(f, "tox", &env, line, String::new(), invoke));
            }
            continue;
        }
        if let Some(last) = out.len().checked_sub(1) {
            if section == "testenv" || section.starts_with("testenv:") {
                bodies.entry(last).or_default().push_str(&format!("{t}\n"));
            }
        }
    }
    for (i, b) in bodies {
        if let Some(t) = out.get_mut(i) {
            t.body = b;
        }
    }
    out
}

fn nox_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut decorated = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("@nox.session") || t.starts_with("@session") {
            decorated = true;
        } else if decorated && t.starts_with("def ") {
            decorated = false;
            let name: String = t[4..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = indented_body(&lines, i, false);
            out.push(target(
                f,
                "nox",
                &name,
                line_no(i),
                body,
                format!("nox -s {name}"),
            ));
        }
    }
    out
}

fn rake_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let name = if let Some(c) = RAKE_TASK.captures(l) {
            c[1].to_string()
        } else if l.contains("RSpec::Core::RakeTask.new") {
            "spec".to_string()
        } else if l.contains("Rake::TestTask.new") || l.contains("Minitest::TestTask") {
            "test".to_string()
        } else if l.contains("RuboCop::RakeTask.new") {
            "rubocop".to_string()
        } else {
            continue;
        };
        out.push(target(
            f,
            "Rakefile",
            &name,
            line_no(i),
            l.trim().to_string(),
            format!("rake {name}"),
        ));
    }
    out
}

fn mage_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = MAGE_FUNC.captures(l) {
            let name = c[1].to_ascii_lowercase();
            let body = lines[i + 1..]
                .iter()
                .take_while(|b| !b.starts_with('}'))
                .take(60)
                .map(|b| b.trim())
                .collect::<Vec<_>>()
                .join("\n");
            out.push(target(
                f,
                "magefile",
                &name,
                line_no(i),
                body,
                format!("mage {name}"),
            ));
        }
    }
    out
}

/// Task tables in TOML files: `[tool.poe.tasks]`, `[tasks.x]` (mise), `[alias]` (cargo).
fn toml_targets(
    f: &IndexedFile,
    text: &str,
    tables: &[(&str, &str)],
    runner: &'static str,
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut sub: Option<usize> = None;
    for (section, line, l) in sectioned(text) {
        let t = l.trim();
        if t.starts_with('[') {
            sub = None;
            for (table, tool) in tables {
                let Some(rest) = section
                    .strip_prefix(table)
                    .and_then(|r| r.strip_prefix('.'))
                else {
                    continue;
                };
                let name = rest.trim_matches('"').to_string();
                if !name.is_empty() && !name.contains('.') {
                    out.push(target(
                        f,
                        runner,
                        &name,
                        line,
                        String::new(),
                        format!("{tool} {name}"),
                    ));
                    sub = Some(out.len() - 1);
                }
            }
            continue;
        }
        if let Some(i) = sub {
            out[i].body.push_str(&format!("{t}\n"));
            continue;
        }
        let matched = tables.iter().find(|(table, _)| {
            section == *table
                || (table.contains('*')
                    && table
                        .split_once('*')
                        .is_some_and(|(a, b)| section.starts_with(a) && section.ends_with(b)))
        });
        if let (Some((_, tool)), Some(c)) = (matched, TOML_KEY.captures(l)) {
            // Dotted keys (`test.cmd = "pytest"`) belong to the task `test`.
            let raw = &c[1];
            let name = if raw.starts_with('"') {
                raw.trim_matches('"')
            } else {
                raw.split('.').next().unwrap_or(raw)
            };
            if out.iter().any(|t| t.name == name && t.path == f.path) {
                continue;
            }
            out.push(target(
                f,
                runner,
                name,
                line,
                c[2].to_string(),
                format!("{tool} {name}"),
            ));
        }
    }
    out
}

fn earthly_targets(f: &IndexedFile, text: &str) -> Vec<Target> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = EARTH_TARGET.captures(l) {
            let name = &c[1];
            out.push(target(
                f,
                "Earthfile",
                name,
                line_no(i),
                indented_body(&lines, i, false),
                format!("earthly +{name}"),
            ));
        }
    }
    out
}

/// Targets of every task runner of the project, in path order.
fn task_targets(index: &Index) -> Vec<Target> {
    let mut out = Vec::new();
    let pm = js_package_manager(index);
    for f in own_files(index) {
        let Some(text) = f.text() else { continue };
        let name = f.name();
        match name {
            "Makefile" | "makefile" | "GNUmakefile" => out.extend(make_targets(f, text)),
            "justfile" | "Justfile" | ".justfile" | "JUSTFILE" => out.extend(just_targets(f, text)),
            "Taskfile.yml" | "Taskfile.yaml" | "taskfile.yml" | "taskfile.yaml"
            | "Taskfile.dist.yml" => out.extend(taskfile_targets(index, f)),
            "package.json" => out.extend(npm_targets(index, f, text, pm)),
            "tox.ini" => out.extend(tox_targets(f, text)),
            "noxfile.py" => out.extend(nox_targets(f, text)),
            "Rakefile" | "rakefile" | "Rakefile.rb" => out.extend(rake_targets(f, text)),
            "magefile.go" => out.extend(mage_targets(f, text)),
            "Earthfile" => out.extend(earthly_targets(f, text)),
            "pyproject.toml" => out.extend(toml_targets(
                f,
                text,
                &[
                    ("tool.poe.tasks", "poe"),
                    ("tool.pdm.scripts", "pdm run"),
                    ("tool.taskipy.tasks", "task"),
                    ("tool.rye.scripts", "rye run"),
                    ("tool.hatch.envs.*.scripts", "hatch run"),
                ],
                "pyproject tasks",
            )),
            "mise.toml" | ".mise.toml" => out.extend(toml_targets(
                f,
                text,
                &[("tasks", "mise run")],
                "mise tasks",
            )),
            "config.toml" | "config"
                if f.path.ends_with(".cargo/config.toml") || f.path.ends_with(".cargo/config") =>
            {
                out.extend(toml_targets(
                    f,
                    text,
                    &[("alias", "cargo")],
                    "cargo aliases",
                ))
            }
            _ => {}
        }
    }
    out
}

/// The standard commands a toolchain ships with, as targets of its manifest.
fn builtin_targets(ctx: &Context) -> Vec<Target> {
    let mut out = Vec::new();
    let mut push = |path: &str, line: u32, runner: &'static str, cmds: &[(&str, &str)]| {
        for (name, invoke) in cmds {
            out.push(Target {
                path: path.to_string(),
                name: name.to_string(),
                line,
                body: invoke.to_string(),
                invoke: invoke.to_string(),
                declared: false,
                runner,
            });
        }
    };
    if let Some(text) = ctx.index.text("Cargo.toml") {
        let line = text
            .lines()
            .position(|l| l.trim() == "[package]" || l.trim() == "[workspace]")
            .map_or(1, line_no);
        push(
            "Cargo.toml",
            line,
            "cargo",
            &[
                ("test", "cargo test"),
                ("clippy", "cargo clippy"),
                ("build", "cargo build"),
            ],
        );
    }
    // PEP 517: a declared build backend makes `python -m build` the standard build.
    if let Some(line) = ctx
        .index
        .text("pyproject.toml")
        .and_then(|t| section_line(t, "build-system"))
    {
        push(
            "pyproject.toml",
            line,
            "PEP 517",
            &[("build", "python -m build")],
        );
    }
    if let Some(text) = ctx.index.text("go.mod") {
        let line = text
            .lines()
            .position(|l| l.starts_with("module "))
            .map_or(1, line_no);
        push(
            "go.mod",
            line,
            "go",
            &[
                ("test", "go test ./..."),
                ("vet", "go vet ./..."),
                ("build", "go build ./..."),
            ],
        );
    }
    if let Some(f) = ctx.index.files().iter().find(|f| {
        !f.path.contains('/') && (f.ext() == "sln" || f.ext() == "csproj" || f.ext() == "fsproj")
    }) {
        push(
            &f.path,
            1,
            "dotnet",
            &[
                ("test", "dotnet test"),
                ("format", "dotnet format --verify-no-changes"),
                ("build", "dotnet build"),
            ],
        );
    }
    for (file, tool) in [
        ("pom.xml", "mvn"),
        ("build.gradle", "gradle"),
        ("build.gradle.kts", "gradle"),
    ] {
        let Some(text) = ctx.index.text(file) else {
            continue;
        };
        let (test, build) = if tool == "mvn" {
            ("mvn test", "mvn package")
        } else {
            ("gradle test", "gradle build")
        };
        push(file, 1, "build tool", &[("test", test), ("build", build)]);
        if let Some((i, l)) = text.lines().enumerate().find(|(_, l)| JVM_LINT.is_match(l)) {
            let plugin = JVM_LINT.find(l).map_or("lint plugin", |m| m.as_str());
            push(file, line_no(i), "build tool", &[("lint", plugin)]);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Test,
    Lint,
    Build,
}

impl Slot {
    fn label(self) -> &'static str {
        match self {
            Slot::Test => "test",
            Slot::Lint => "lint",
            Slot::Build => "build/run",
        }
    }
}

static LINT_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(concat!(
        r"(?:^|[\s;&|(/])(?:eslint|biome (?:check|lint|ci)|oxlint|ruff(?: check)?(?:\s|$)|flake8|pylint|mypy|pyright|golangci-lint",
        r"|go vet|staticcheck|cargo clippy|rubocop|standardrb|checkstyle|spotbugs|pmd|ktlint|detekt|dotnet format",
        r"|tsc --noEmit|prettier (?:--check|-c)|black --check|gofmt -l|cargo fmt (?:--all )?-- --check|cargo fmt --check",
        r"|pre-commit run|next lint|stylelint|shellcheck|hadolint|markdownlint|vue-tsc|svelte-check)\b"
    ))
    .expect("constant regex")
});
static BUILD_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(concat!(
        r"(?:^|[\s;&|(])(?:cargo build|go build|",
        node_script_run!(),
        r"build|next build",
        r"|vite build|webpack|rollup|esbuild|tsup|python3? -m build|uv build|poetry build|hatch build|docker build",
        r"|docker(?: |-)compose (?:[\w.-]+ )*?build|mvnw? (?:\S+ )*?package|gradlew? (?:\S+ )*?(?:build|assemble)",
        r"|dotnet (?:build|publish)|tsc(?:\s+-p|\s+-b|\s*$))\b"
    ))
    .expect("constant regex")
});
static JVM_LINT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"maven-checkstyle-plugin|maven-pmd-plugin|spotbugs|errorprone|error_prone|\bcheckstyle\b|\bpmd\b|ktlint|detekt|sonarlint")
        .expect("constant regex")
});

fn tokens(name: &str) -> Vec<String> {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn slots_of(t: &Target) -> Vec<Slot> {
    let toks = tokens(&t.name);
    let has = |set: &[&str]| toks.iter().any(|t| set.contains(&t.as_str()));
    let mut out = Vec::new();
    // `test-codegen` (Playwright's recorder) and `test:report` open tools; they run no test.
    let test_tool = has(&["codegen", "report"]);
    if !test_tool
        && (toks.iter().any(|t| t.starts_with("test"))
            || has(&[
                "spec", "specs", "e2e", "unittest", "pytest", "jest", "vitest",
            ])
            || TEST_CMD.is_match(&t.body))
    {
        out.push(Slot::Test);
    }
    // `format` alone rewrites files; `format:check`, `fmt-check`, `type-check` verify.
    let checking = has(&["check", "verify"]);
    let lint_name = toks.iter().any(|t| t.contains("lint"))
        || has(&[
            "vet",
            "clippy",
            "typecheck",
            "tc",
            "analyze",
            "analyse",
            "ruff",
            "eslint",
            "flake8",
            "pylint",
            "mypy",
            "rubocop",
            "staticcheck",
            "golangci",
            "checkstyle",
            "detekt",
            "ktlint",
            "precommit",
        ])
        || (checking && has(&["fmt", "format", "style", "types", "type"]));
    if lint_name || LINT_CMD.is_match(&t.body) {
        out.push(Slot::Lint);
    }
    if has(&[
        "build", "compile", "dist", "bundle", "package", "pack", "assemble", "run", "start", "dev",
        "serve", "server", "up", "develop",
    ]) || BUILD_CMD.is_match(&t.body)
        || USAGE_CMD.is_match(&t.body)
    {
        out.push(Slot::Build);
    }
    out
}

const ALL_SLOTS: [Slot; 3] = [Slot::Test, Slot::Lint, Slot::Build];

/// For each slot, the first target that fills it.
fn coverage<'t>(targets: &[&'t Target]) -> Vec<(Slot, &'t Target)> {
    let mut out = Vec::new();
    for slot in ALL_SLOTS {
        let canonical: &[&str] = match slot {
            Slot::Test => &["test", "tests"],
            Slot::Lint => &["lint"],
            Slot::Build => &["build"],
        };
        let fits = |t: &&&Target| slots_of(t).contains(&slot);
        let pick = targets
            .iter()
            .filter(fits)
            .find(|t| canonical.contains(&t.name.as_str()))
            .or_else(|| targets.iter().find(fits));
        if let Some(t) = pick {
            out.push((slot, *t));
        }
    }
    out
}

fn target_evidence(cov: &[(Slot, &Target)]) -> Vec<Evidence> {
    cov.iter()
        .map(|(slot, t)| {
            let note = if t.declared {
                format!("{}: `{}`", slot.label(), t.invoke)
            } else {
                format!(
                    "{}: `{}` (built into the toolchain)",
                    slot.label(),
                    t.invoke
                )
            };
            Evidence::at(t.path.clone(), t.line).note(note)
        })
        .collect()
}

fn task_runner(ctx: &Context) -> Outcome {
    let declared = task_targets(ctx.index);
    let builtin = builtin_targets(ctx);
    // Per file: one entry point that runs everything is the practice.
    let mut by_file: Vec<(&str, Vec<&Target>)> = Vec::new();
    for t in declared.iter().chain(builtin.iter()) {
        match by_file.iter_mut().find(|(p, _)| *p == t.path) {
            Some((_, v)) => v.push(t),
            None => by_file.push((t.path.as_str(), vec![t])),
        }
    }
    // Prefer files with declared targets, then the shallowest path.
    by_file.sort_by_key(|(p, v)| {
        (
            !v.iter().any(|t| t.declared),
            p.matches('/').count(),
            p.to_string(),
        )
    });
    if let Some((path, cov)) = by_file
        .iter()
        .map(|(p, v)| (*p, coverage(v)))
        .find(|(_, c)| c.len() == ALL_SLOTS.len())
    {
        return Outcome::pass(
            format!("{path} runs the tests, the linters and the build"),
            target_evidence(&cov),
        );
    }
    // Root-level runners together (a Makefile for lint next to cargo's built-ins).
    let root: Vec<&Target> = declared
        .iter()
        .chain(builtin.iter())
        .filter(|t| !t.path.contains('/'))
        .collect();
    let cov = coverage(&root);
    if cov.len() == ALL_SLOTS.len() && root.iter().any(|t| t.declared) {
        return Outcome::pass(
            "the root task runners cover test, lint and build",
            target_evidence(&cov),
        );
    }
    let best = by_file
        .iter()
        .map(|(p, v)| (*p, coverage(v)))
        .max_by_key(|(p, c)| (c.len(), std::cmp::Reverse(p.matches('/').count())));
    // A Makefile of the repository's own commands, unless there is one to extend instead.
    let fix = || {
        (!ctx.index.exists("Makefile"))
            .then(|| super::starter::makefile(ctx))
            .flatten()
    };
    let outcome = match best {
        Some((path, cov)) => {
            let missing: Vec<&str> = ALL_SLOTS
                .iter()
                .filter(|s| !cov.iter().any(|(c, _)| c == *s))
                .map(|s| s.label())
                .collect();
            let mut ev =
                vec![Evidence::file(path).note(format!("no {} target", missing.join(", ")))];
            ev.extend(target_evidence(&cov));
            Outcome::fail(
                format!("no single task runner entry point covers test, lint and build: {path} lacks {}", missing.join(", ")),
                ev,
            )
        }
        None => Outcome::fail(
            "no task runner (Makefile, justfile, Taskfile, package.json scripts, nox/tox, …)",
            ctx.index.repo_anchor().into_iter().collect(),
        ),
    };
    outcome.with_fix(fix())
}

// =============================================================================================
// dx-one-command-setup

/// Script stems that set a development environment up in one go.
const SETUP_SCRIPTS: &[&str] = &[
    "setup",
    "bootstrap",
    "dev-setup",
    "setup-dev",
    "setup_dev",
    "dev_setup",
    "init-dev",
    "dev",
    "start-dev",
    "local-setup",
    "setup-local",
];
const SETUP_SCRIPT_DIRS: &[&str] = &["", "scripts", "script", "bin", "tools", "hack", "dev"];

fn setup_target_names(t: &Target) -> bool {
    let name = t.name.to_ascii_lowercase();
    let toks = tokens(&name);
    let setupish = toks
        .iter()
        .any(|t| matches!(t.as_str(), "setup" | "bootstrap" | "provision" | "onboard"))
        || name == "init";
    match t.runner {
        // npm's `install` and `dev` are the package manager's and the framework's own.
        "package.json scripts" => setupish && !name.starts_with("pre") && !name.starts_with("post"),
        "Makefile" | "justfile" | "Taskfile" | "mise tasks" | "pyproject tasks" | "Rakefile" => {
            setupish
                || matches!(
                    name.as_str(),
                    "install" | "dev" | "up" | "develop" | "install-dev" | "dev-install"
                )
        }
        _ => false,
    }
}

fn compose_files(index: &Index) -> Vec<&IndexedFile> {
    own_files(index)
        .filter(|f| {
            let n = f.name().to_ascii_lowercase();
            (n.starts_with("docker-compose") || n.starts_with("compose"))
                && matches!(f.ext(), "yml" | "yaml")
        })
        .collect()
}

/// Folders of CI configuration: a compose file kept there is the pipeline's.
const CI_DIRS: &[&str] = &[
    ".github/",
    ".gitlab/",
    ".circleci/",
    ".buildkite/",
    ".woodpecker/",
    ".azure-pipelines/",
    ".azuredevops/",
];

/// The names `docker compose` reads without `-f`: a developer runs them without being told.
fn default_compose_name(path: &str) -> bool {
    let name = crate::index::file_name(path).to_ascii_lowercase();
    let stem = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or(&name);
    matches!(
        stem,
        "compose" | "docker-compose" | "compose.override" | "docker-compose.override"
    )
}

/// Compose files for local development, not the pipeline's own: a compose file is CI's when it
/// is kept in a CI folder (`.github/compose.yml`), is named for tests or CI
/// (`docker-compose.relational.ci.yaml`, see [`ComposeFile::is_test_only`]), or is one that CI
/// names with `-f` and no other file (README, Makefile, script) mentions.
fn dev_compose_files(index: &Index) -> Vec<&IndexedFile> {
    let mut files: Vec<&IndexedFile> = compose_files(index)
        .into_iter()
        .filter(|f| {
            let test_only = ComposeFile {
                path: f.path.clone(),
                ..ComposeFile::default()
            }
            .is_test_only();
            !test_only && !CI_DIRS.iter().any(|d| f.path.starts_with(d))
        })
        .collect();
    // Files CI names with `-f`; a default name is also what developers run.
    let mut named_by_ci: Vec<String> = Vec::new();
    for l in super::ci::command_lines(index) {
        for seg in l.text.split(['&', '|', ';']) {
            let Some(inv) = compose_run::parse(seg).filter(|i| !i.files.is_empty()) else {
                continue;
            };
            named_by_ci.extend(compose_run::files(index, &inv, &l.dir));
        }
    }
    let suspects: Vec<String> = files
        .iter()
        .filter(|f| named_by_ci.contains(&f.path) && !default_compose_name(&f.path))
        .map(|f| f.path.clone())
        .collect();
    if suspects.is_empty() {
        return files;
    }
    let ci_files: Vec<&str> = ci::files(index)
        .iter()
        .map(|(_, f)| f.path.as_str())
        .collect();
    let mut mentioned: Vec<&str> = Vec::new();
    for f in own_files(index) {
        if ci_files.contains(&f.path.as_str())
            || CI_DIRS.iter().any(|d| f.path.starts_with(d))
            || suspects.contains(&f.path)
        {
            continue;
        }
        let Some(text) = f.text() else { continue };
        for s in &suspects {
            if !mentioned.contains(&s.as_str()) && text.contains(crate::index::file_name(s)) {
                mentioned.push(s);
            }
        }
        if mentioned.len() == suspects.len() {
            break;
        }
    }
    files.retain(|f| !suspects.contains(&f.path) || mentioned.contains(&f.path.as_str()));
    files
}

/// A compose service that builds the project's own image (so `docker compose up` runs the
/// app): not a development tool (mail catcher, database admin UI, test runner) built locally.
fn compose_build_service(index: &Index, f: &IndexedFile) -> Option<(String, u32)> {
    let Some(Ok(y)) = index.yaml(&f.path) else {
        return None;
    };
    let root = y.root()?;
    let model = compose::from_root(&f.path, root);
    let services = root.get("services")?;
    services.entries().iter().find_map(|(k, v)| {
        let name = k.as_str().unwrap_or("?");
        if model.service(name).is_some_and(Service::is_dev_tool) {
            return None;
        }
        v.entry("build").map(|(bk, _)| (name.to_string(), bk.line))
    })
}

fn devcontainer_files(index: &Index) -> Vec<&IndexedFile> {
    own_files(index)
        .filter(|f| {
            f.path == ".devcontainer.json"
                || (f.path.starts_with(".devcontainer/") && f.name() == "devcontainer.json")
        })
        .collect()
}

static DEVCONTAINER_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r#""(postCreateCommand|onCreateCommand|updateContentCommand|postStartCommand)"\s*:"#,
    )
    .expect("constant regex")
});

fn one_command_setup(ctx: &Context) -> Outcome {
    let mut found = Vec::new();
    for t in task_targets(ctx.index) {
        if setup_target_names(&t) {
            found.push(Evidence::at(t.path.clone(), t.line).note(format!("`{}`", t.invoke)));
        }
    }
    for dir in SETUP_SCRIPT_DIRS {
        for f in ctx.index.children(dir) {
            let name = f.name().to_ascii_lowercase();
            let stem = name.split('.').next().unwrap_or("");
            let ext_ok = matches!(
                f.ext(),
                "" | "sh" | "bash" | "zsh" | "ps1" | "bat" | "cmd" | "py" | "rb"
            ) || !name.contains('.');
            // `dev` alone is too generic at the root of many repos; keep it in script folders
            // and as a Windows/shell script.
            let generic = stem == "dev" && dir.is_empty() && f.ext().is_empty();
            // A root setup.py is setuptools' build script, not an environment setup.
            let packaging = dir.is_empty() && name == "setup.py";
            if SETUP_SCRIPTS.contains(&stem)
                && ext_ok
                && !generic
                && !packaging
                && !is_blank_file(f)
            {
                found.push(Evidence::file(f.path.clone()).note("setup script"));
            }
        }
    }
    for f in devcontainer_files(ctx.index) {
        if let Some((i, l)) = f.text().and_then(|t| {
            t.lines()
                .enumerate()
                .find(|(_, l)| DEVCONTAINER_CMD.is_match(l))
        }) {
            found.push(
                Evidence::at(f.path.clone(), line_no(i))
                    .note(format!("dev container runs {}", shorten(l.trim()))),
            );
        } else {
            found.push(
                Evidence::file(f.path.clone())
                    .note("dev container: one click to a ready environment"),
            );
        }
    }
    for f in dev_compose_files(ctx.index) {
        if let Some((svc, line)) = compose_build_service(ctx.index, f) {
            found.push(
                Evidence::at(f.path.clone(), line)
                    .note(format!("`docker compose up` builds and starts `{svc}`")),
            );
        }
    }
    for p in [
        "Tiltfile",
        "skaffold.yaml",
        "skaffold.yml",
        "devspace.yaml",
        "garden.yml",
        "project.garden.yml",
    ] {
        if ctx.index.exists(p) {
            found.push(Evidence::file(p).note("inner-loop tool starts the whole stack"));
        }
    }
    if !found.is_empty() {
        return Outcome::pass(
            "a single command sets up and starts the development environment",
            found,
        );
    }
    // Anchor at the README's hand-written setup steps when there are some.
    let anchor = community_files(ctx, "readme").into_iter().find_map(|f| {
        let (_, line, _) = readme_sections(f.text()?)
            .into_iter()
            .find(|(w, _, _)| *w == "setup")?;
        Some(
            Evidence::at(f.path.clone(), line)
                .note("setup is a sequence of manual steps; no setup target or script"),
        )
    });
    Outcome::fail(
        "no one-command setup: no setup/bootstrap target or script, dev container or compose file that builds the app",
        anchor.or_else(|| ctx.index.repo_anchor()).into_iter().collect(),
    )
}

fn is_blank_file(f: &IndexedFile) -> bool {
    f.size == 0 || f.text().is_some_and(|t| t.trim().is_empty())
}

// =============================================================================================
// dx-pre-commit-hooks

const GIT_HOOKS: &[&str] = &[
    "pre-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-push",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-merge-commit",
    "post-rewrite",
];

/// Commands of a shell hook script, without the shebang and husky's boilerplate.
fn hook_commands(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty()
                && !t.starts_with('#')
                && !t.contains("husky.sh")
                && !t.starts_with(". \"$(dirname")
        })
        .map(|(i, l)| (line_no(i), l.trim().to_string()))
        .collect()
}

fn join_limited(items: &[String], max: usize) -> String {
    let mut v: Vec<String> = items.iter().take(max).cloned().collect();
    if items.len() > max {
        v.push(format!("… ({} in all)", items.len()));
    }
    v.join(", ")
}

/// `lint-staged` commands, for the note of the hook that runs it.
fn lint_staged_commands(ctx: &Context) -> Option<(Evidence, Vec<String>)> {
    let from_map = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|m| {
                m.values()
                    .flat_map(|c| match c {
                        serde_json::Value::String(s) => vec![s.clone()],
                        serde_json::Value::Array(a) => a
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for f in own_files(ctx.index) {
        let name = f.name();
        if name == "package.json" {
            if let Some(v) = ctx.index.json(&f.path).and_then(|j| j.get("lint-staged")) {
                let line = f
                    .text()
                    .and_then(|t| json_key_line(t, "lint-staged"))
                    .unwrap_or(1);
                return Some((Evidence::at(f.path.clone(), line), from_map(v)));
            }
        } else if name.starts_with(".lintstagedrc") || name.starts_with("lint-staged.config.") {
            let cmds = if matches!(f.ext(), "json" | "") {
                ctx.index.json(&f.path).map(from_map).unwrap_or_default()
            } else if matches!(f.ext(), "yml" | "yaml") {
                match ctx.index.yaml(&f.path) {
                    Some(Ok(y)) => y
                        .root()
                        .map(|r| {
                            r.entries()
                                .iter()
                                .flat_map(|(_, v)| v.strings().into_iter().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                }
            } else {
                Vec::new()
            };
            return Some((Evidence::file(f.path.clone()), cmds));
        }
    }
    None
}

fn pre_commit_hooks(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = Vec::new();
    let mut runs: Vec<String> = Vec::new();
    let mut problems: Vec<Evidence> = Vec::new();
    // pre-commit framework.
    for p in [".pre-commit-config.yaml", ".pre-commit-config.yml"] {
        let Some(parsed) = ctx.index.yaml(p) else {
            continue;
        };
        let Ok(y) = parsed else {
            problems.push(Evidence::file(p).note("could not be parsed as YAML"));
            continue;
        };
        let repos = y.root().and_then(|r| r.get("repos"));
        let mut ids = Vec::new();
        for repo in repos.map(|r| r.items()).unwrap_or_default() {
            for hook in repo.get("hooks").map(|h| h.items()).unwrap_or_default() {
                if let Some(id) = hook.get("id").and_then(|i| i.as_str()) {
                    ids.push(id.to_string());
                }
            }
        }
        let line = y.root().and_then(|r| r.key_line("repos")).unwrap_or(1);
        if ids.is_empty() {
            problems.push(Evidence::at(p, line).note("pre-commit configuration without hooks"));
        } else {
            found.push(
                Evidence::at(p, line).note(format!("pre-commit hooks: {}", join_limited(&ids, 12))),
            );
            runs.extend(ids);
        }
    }
    // husky (v5+: .husky/<hook> scripts).
    let lint_staged = lint_staged_commands(ctx);
    for f in ctx.index.children(".husky") {
        if !GIT_HOOKS.contains(&f.name()) {
            continue;
        }
        let cmds = hook_commands(f.text().unwrap_or(""));
        let Some((line, _)) = cmds.first() else {
            continue;
        };
        let mut what: Vec<String> = cmds.iter().map(|(_, c)| shorten(c)).collect();
        if what.iter().any(|c| c.contains("lint-staged")) {
            if let Some((_, ls)) = &lint_staged {
                if !ls.is_empty() {
                    what.push(format!("lint-staged runs {}", join_limited(ls, 6)));
                }
            }
        }
        found.push(Evidence::at(f.path.clone(), *line).note(format!(
            "husky {}: {}",
            f.name(),
            join_limited(&what, 4)
        )));
        runs.extend(cmds.into_iter().map(|(_, c)| c));
    }
    // package.json hook maps: husky v4, simple-git-hooks, yorkie.
    for f in own_files(ctx.index).filter(|f| f.name() == "package.json") {
        let Some(json) = ctx.index.json(&f.path) else {
            continue;
        };
        let text = f.text().unwrap_or("");
        for (key, hooks) in [
            ("husky", json.get("husky").and_then(|h| h.get("hooks"))),
            ("simple-git-hooks", json.get("simple-git-hooks")),
            ("gitHooks", json.get("gitHooks")),
        ] {
            let Some(map) = hooks.and_then(|h| h.as_object()) else {
                continue;
            };
            let cmds: Vec<String> = map
                .iter()
                .filter(|(k, _)| GIT_HOOKS.contains(&k.as_str()))
                .map(|(k, v)| format!("{k}: {}", shorten(v.as_str().unwrap_or("?"))))
                .collect();
            if !cmds.is_empty() {
                let line = json_key_line(text, key).unwrap_or(1);
                found.push(
                    Evidence::at(f.path.clone(), line)
                        .note(format!("{key}: {}", join_limited(&cmds, 4))),
                );
                runs.extend(cmds);
            }
        }
    }
    for p in [
        ".simple-git-hooks.json",
        "simple-git-hooks.json",
        ".simple-git-hooks.js",
        ".simple-git-hooks.cjs",
        "simple-git-hooks.js",
        "simple-git-hooks.cjs",
    ] {
        if ctx.index.exists(p) {
            found.push(Evidence::file(p).note("simple-git-hooks configuration"));
        }
    }
    // lefthook.
    for p in [
        "lefthook.yml",
        ".lefthook.yml",
        "lefthook.yaml",
        ".lefthook.yaml",
        ".config/lefthook.yml",
    ] {
        let Some(Ok(y)) = ctx.index.yaml(p) else {
            continue;
        };
        let Some(root) = y.root() else { continue };
        for (k, v) in root.entries() {
            let Some(hook) = k.as_str().filter(|h| GIT_HOOKS.contains(h)) else {
                continue;
            };
            let mut cmds: Vec<String> = Vec::new();
            for (name, c) in v.get("commands").map(|c| c.entries()).unwrap_or_default() {
                let run = c.get("run").and_then(|r| r.as_str()).unwrap_or("");
                cmds.push(format!(
                    "{} ({})",
                    name.as_str().unwrap_or("?"),
                    shorten(run)
                ));
            }
            for job in v.get("jobs").map(|j| j.items()).unwrap_or_default() {
                if let Some(run) = job.get("run").and_then(|r| r.as_str()) {
                    cmds.push(shorten(run));
                }
            }
            for (name, _) in v.get("scripts").map(|s| s.entries()).unwrap_or_default() {
                cmds.push(format!("script {}", name.as_str().unwrap_or("?")));
            }
            if !cmds.is_empty() {
                found.push(
                    Evidence::at(p, k.line)
                        .note(format!("lefthook {hook}: {}", join_limited(&cmds, 4))),
                );
                runs.extend(cmds);
            }
        }
    }
    // overcommit (Ruby).
    if let Some(Ok(y)) = ctx.index.yaml(".overcommit.yml") {
        if let Some(root) = y.root() {
            for (k, v) in root.entries() {
                let Some(hook) = k.as_str().filter(|h| {
                    matches!(
                        *h,
                        "PreCommit" | "CommitMsg" | "PrePush" | "PostCheckout" | "PostMerge"
                    )
                }) else {
                    continue;
                };
                let checks: Vec<String> = v
                    .entries()
                    .iter()
                    .filter_map(|(c, _)| c.as_str().filter(|c| *c != "ALL").map(str::to_string))
                    .collect();
                found.push(Evidence::at(".overcommit.yml", k.line).note(format!(
                    "overcommit {hook}: {}",
                    if checks.is_empty() {
                        "default checks".to_string()
                    } else {
                        join_limited(&checks, 6)
                    }
                )));
            }
        }
    }
    // cargo-husky (Rust): hooks generated from a dev-dependency.
    if let Some(text) = ctx.index.text("Cargo.toml") {
        if let Some(line) = dep_line(Eco::Cargo, text, "cargo-husky") {
            let l = text.lines().nth(line as usize - 1).unwrap_or("");
            found.push(
                Evidence::at("Cargo.toml", line)
                    .note(format!("cargo-husky: {}", shorten(l.trim()))),
            );
        }
    }
    // Versioned hook scripts enabled with `git config core.hooksPath`.
    for dir in [".githooks", ".git-hooks", "githooks", ".hooks"] {
        for f in ctx.index.children(dir) {
            if GIT_HOOKS.contains(&f.name()) {
                let cmds = hook_commands(f.text().unwrap_or(""));
                if let Some((line, _)) = cmds.first() {
                    let what: Vec<String> = cmds.iter().map(|(_, c)| shorten(c)).collect();
                    found.push(Evidence::at(f.path.clone(), *line).note(format!(
                        "{} (core.hooksPath): {}",
                        f.name(),
                        join_limited(&what, 4)
                    )));
                }
            }
        }
    }
    if !found.is_empty() {
        let summary = if runs.is_empty() {
            "git hooks are configured".to_string()
        } else {
            format!("git hooks run: {}", join_limited(&runs, 8))
        };
        return Outcome::pass(summary, found);
    }
    let anchor = problems
        .into_iter()
        .next()
        .or_else(|| {
            lint_staged.map(|(e, _)| e.note("lint-staged is configured, but no git hook runs it"))
        })
        .or_else(|| ctx.index.repo_anchor());
    Outcome::fail(
        "no git hooks: nothing checks formatting, lint or secrets before a commit",
        anchor.into_iter().collect(),
    )
}

// =============================================================================================
// dx-lint-config

/// Lines of CI, hook and task-runner files: where a linter may be run with its defaults.
fn automation_files<'a>(ctx: &Context<'a>) -> Vec<&'a IndexedFile> {
    let mut out: Vec<&IndexedFile> = ci::files(ctx.index).into_iter().map(|(_, f)| f).collect();
    for f in own_files(ctx.index) {
        let n = f.name();
        let depth = f.path.matches('/').count();
        let hook = f.path.starts_with(".husky/")
            || f.path.starts_with(".githooks/")
            || n.starts_with(".pre-commit-config")
            || n.contains("lefthook");
        let runner = matches!(
            n,
            "Makefile"
                | "makefile"
                | "GNUmakefile"
                | "justfile"
                | "Justfile"
                | ".justfile"
                | "Taskfile.yml"
                | "Taskfile.yaml"
                | "tox.ini"
                | "noxfile.py"
                | "package.json"
                | "Rakefile"
                | "magefile.go"
        );
        if (hook || runner || f.path.starts_with("scripts/")) && depth <= 3 {
            out.push(f);
        }
    }
    out
}

/// The command of a CI, hook or task line, without its YAML key (`- run: x` → `x`).
fn command_of(line: &str) -> &str {
    let t = line.trim().trim_start_matches("- ").trim_start();
    for key in ["run:", "entry:", "script:", "cmd:", "command:", "args:"] {
        if let Some(rest) = t.strip_prefix(key) {
            return rest.trim().trim_start_matches(['|', '>']).trim();
        }
    }
    t
}

/// First line per file that runs what `pred` looks for. Comments and YAML labels
/// (`name: clippy`) are not commands.
fn grep_files(files: &[&IndexedFile], pred: impl Fn(&str) -> bool) -> Vec<Evidence> {
    let mut out = Vec::new();
    for f in files {
        let Some(text) = f.text() else { continue };
        if let Some((i, l)) = text.lines().enumerate().find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            !t.starts_with('#')
                && !t.starts_with("//")
                && !t.starts_with("name:")
                && !t.starts_with("description:")
                && pred(l)
        }) {
            out.push(
                Evidence::at(f.path.clone(), line_no(i))
                    .note(format!("runs `{}`", shorten(command_of(l)))),
            );
        }
    }
    out
}

/// Own files whose name is one of `names`, or starts with one of `prefixes`.
fn files_named(ctx: &Context, names: &[&str], prefixes: &[&str], label: &str) -> Vec<Evidence> {
    own_files(ctx.index)
        .filter(|f| names.contains(&f.name()) || prefixes.iter().any(|p| f.name().starts_with(p)))
        .map(|f| Evidence::file(f.path.clone()).note(label.to_string()))
        .collect()
}

/// Own files named `name` whose text has a section starting with `section`.
fn toml_sections(ctx: &Context, names: &[&str], section: &str, label: &str) -> Vec<Evidence> {
    own_files(ctx.index)
        .filter(|f| names.contains(&f.name()))
        .filter_map(|f| {
            section_line(f.text()?, section)
                .map(|l| Evidence::at(f.path.clone(), l).note(label.to_string()))
        })
        .collect()
}

/// package.json members (`eslintConfig`, `prettier`) and dependencies.
fn package_json_keys(ctx: &Context, keys: &[&str], label: &str) -> Vec<Evidence> {
    own_files(ctx.index)
        .filter(|f| f.name() == "package.json")
        .filter_map(|f| {
            let text = f.text()?;
            keys.iter()
                .find_map(|k| json_key_line(text, k).or_else(|| dep_line(Eco::Npm, text, k)))
                .map(|l| Evidence::at(f.path.clone(), l).note(label.to_string()))
        })
        .collect()
}

struct StackLint {
    linters: Vec<Evidence>,
    formatters: Vec<Evidence>,
    /// Why the stack is uncovered beyond "nothing found".
    hint: Option<Evidence>,
}

static RUFF: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"\bruff\b").expect("constant regex"));
static BLACK: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"\bblack\b").expect("constant regex"));
static NODE_LINT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"\b(?:oxlint|biome (?:check|lint|ci))\b").expect("constant regex")
});
static GO_LINT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"golangci-lint|\bgo vet\b|\bgo-vet\b|\bstaticcheck\b|\brevive\b")
        .expect("constant regex")
});
static GO_FMT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"\bgofmt\b|\bgoimports\b|\bgofumpt\b|\bgo fmt\b")
        .expect("constant regex")
});

static RUST_LINT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"cargo[ -]clippy|clippy-check|clippy-action|\bid:\s*clippy\b")
        .expect("constant regex")
});
static RUST_FMT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"cargo[ -]fmt|rustfmt\s+--check|\bid:\s*fmt\b").expect("constant regex")
});

fn python_lint_line(l: &str) -> bool {
    static OTHER: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r"\b(?:flake8|pylint|pyflakes|prospector|pylama)\b")
            .expect("constant regex")
    });
    if OTHER.is_match(l) {
        return true;
    }
    // `ruff format` and the `ruff-format` hook format; anything else of ruff lints.
    let stripped = l
        .replace("ruff format", "")
        .replace("ruff-format", "")
        .replace("ruff-pre-commit", "")
        .replace("astral-sh/ruff", "");
    RUFF.is_match(&stripped)
}

fn lint_for(ctx: &Context, stack: StackId, auto: &[&IndexedFile]) -> StackLint {
    let mut hint = None;
    let (linters, formatters) = match stack {
        StackId::Node => {
            let mut lint = files_named(
                ctx,
                &[
                    ".eslintrc",
                    ".eslintrc.js",
                    ".eslintrc.cjs",
                    ".eslintrc.json",
                    ".eslintrc.yaml",
                    ".eslintrc.yml",
                ],
                &["eslint.config."],
                "ESLint configuration",
            );
            lint.extend(files_named(
                ctx,
                &[
                    "biome.json",
                    "biome.jsonc",
                    ".oxlintrc.json",
                    "oxlintrc.json",
                ],
                &[],
                "Biome/Oxlint configuration",
            ));
            lint.extend(package_json_keys(
                ctx,
                &["eslintConfig"],
                "ESLint configuration in package.json",
            ));
            lint.extend(package_json_keys(
                ctx,
                &["xo", "standard"],
                "zero-configuration linter (xo/standard)",
            ));
            lint.extend(grep_files(auto, |l| NODE_LINT_RUN.is_match(l)));
            let mut fmt = files_named(
                ctx,
                &[
                    ".prettierrc",
                    ".prettierrc.json",
                    ".prettierrc.yaml",
                    ".prettierrc.yml",
                    ".prettierrc.js",
                    ".prettierrc.cjs",
                    ".prettierrc.mjs",
                    ".prettierrc.toml",
                    ".prettierrc.json5",
                    "dprint.json",
                    ".dprint.json",
                    "biome.json",
                    "biome.jsonc",
                ],
                &["prettier.config."],
                "formatter configuration",
            );
            fmt.extend(package_json_keys(ctx, &["prettier"], "Prettier"));
            if lint.is_empty() {
                hint = package_json_keys(ctx, &["eslint"], "ESLint is a dependency, but there is no ESLint configuration file (ESLint 9 needs eslint.config.*)").into_iter().next();
            }
            (lint, fmt)
        }
        StackId::Python => {
            let mut lint = files_named(
                ctx,
                &[
                    "ruff.toml",
                    ".ruff.toml",
                    ".flake8",
                    ".pylintrc",
                    "pylintrc",
                ],
                &[],
                "linter configuration",
            );
            lint.extend(toml_sections(
                ctx,
                &["pyproject.toml"],
                "tool.ruff",
                "Ruff configuration",
            ));
            lint.extend(toml_sections(
                ctx,
                &["pyproject.toml"],
                "tool.pylint",
                "Pylint configuration",
            ));
            lint.extend(toml_sections(
                ctx,
                &["setup.cfg", "tox.ini"],
                "flake8",
                "flake8 configuration",
            ));
            lint.extend(grep_files(auto, python_lint_line));
            let mut fmt = toml_sections(
                ctx,
                &["pyproject.toml"],
                "tool.black",
                "Black configuration",
            );
            fmt.extend(toml_sections(
                ctx,
                &["pyproject.toml"],
                "tool.ruff.format",
                "Ruff formatter configuration",
            ));
            fmt.extend(toml_sections(
                ctx,
                &["pyproject.toml"],
                "tool.isort",
                "isort configuration",
            ));
            fmt.extend(grep_files(auto, |l| {
                l.contains("ruff format") || l.contains("ruff-format") || BLACK.is_match(l)
            }));
            let types = toml_sections(ctx, &["pyproject.toml"], "tool.mypy", "mypy configuration");
            fmt.extend(types);
            fmt.extend(files_named(
                ctx,
                &["mypy.ini", ".mypy.ini", "pyrightconfig.json"],
                &[],
                "type checker configuration",
            ));
            (lint, fmt)
        }
        StackId::Go => {
            let mut lint = files_named(
                ctx,
                &[
                    ".golangci.yml",
                    ".golangci.yaml",
                    ".golangci.toml",
                    ".golangci.json",
                    "staticcheck.conf",
                    "revive.toml",
                    ".revive.toml",
                ],
                &[],
                "Go linter configuration",
            );
            lint.extend(grep_files(auto, |l| GO_LINT_RUN.is_match(l)));
            let fmt = grep_files(auto, |l| GO_FMT_RUN.is_match(l));
            if lint.is_empty() {
                hint = ctx.index.first_existing(&["go.mod"]).map(|e| e.note("gofmt is built in, but nothing runs go vet, staticcheck or golangci-lint (`go test` runs only a few vet checks)"));
            }
            (lint, fmt)
        }
        StackId::Rust => {
            let mut lint = files_named(
                ctx,
                &["clippy.toml", ".clippy.toml"],
                &[],
                "Clippy configuration",
            );
            lint.extend(toml_sections(
                ctx,
                &["Cargo.toml"],
                "lints",
                "[lints] table",
            ));
            lint.extend(toml_sections(
                ctx,
                &["Cargo.toml"],
                "workspace.lints",
                "[workspace.lints] table",
            ));
            lint.extend(grep_files(auto, |l| RUST_LINT_RUN.is_match(l)));
            let mut fmt = files_named(
                ctx,
                &["rustfmt.toml", ".rustfmt.toml"],
                &[],
                "rustfmt configuration",
            );
            fmt.extend(grep_files(auto, |l| RUST_FMT_RUN.is_match(l)));
            if lint.is_empty() {
                hint = ctx.index.first_existing(&["Cargo.toml"]).map(|e| e.note("rustc's default lints apply, but nothing runs cargo clippy and no [lints] table sets a policy"));
            }
            (lint, fmt)
        }
        StackId::Java => {
            let mut lint = files_named(
                ctx,
                &[
                    "checkstyle.xml",
                    "pmd.xml",
                    "pmd-ruleset.xml",
                    "spotbugs-exclude.xml",
                    "detekt.yml",
                    "detekt-config.yml",
                ],
                &[],
                "Java/Kotlin linter configuration",
            );
            for f in own_files(ctx.index)
                .filter(|f| matches!(f.name(), "pom.xml" | "build.gradle" | "build.gradle.kts"))
            {
                if let Some((i, l)) = f
                    .text()
                    .and_then(|t| t.lines().enumerate().find(|(_, l)| JVM_LINT.is_match(l)))
                {
                    lint.push(
                        Evidence::at(f.path.clone(), line_no(i))
                            .note(format!("lint plugin: {}", shorten(l.trim()))),
                    );
                }
            }
            let mut fmt = Vec::new();
            for f in own_files(ctx.index)
                .filter(|f| matches!(f.name(), "pom.xml" | "build.gradle" | "build.gradle.kts"))
            {
                if let Some(i) = f.text().and_then(|t| {
                    t.lines().position(|l| {
                        l.contains("spotless")
                            || l.contains("google-java-format")
                            || l.contains("ktfmt")
                    })
                }) {
                    fmt.push(Evidence::at(f.path.clone(), line_no(i)).note("formatter plugin"));
                }
            }
            (lint, fmt)
        }
        StackId::Ruby => {
            let mut lint = files_named(
                ctx,
                &[".rubocop.yml", ".standard.yml"],
                &[],
                "RuboCop/Standard configuration",
            );
            for f in own_files(ctx.index)
                .filter(|f| f.name() == "Gemfile" || f.name().ends_with(".gemspec"))
            {
                let Some(text) = f.text() else { continue };
                for gem in ["rubocop", "standard"] {
                    if let Some(l) = dep_line(Eco::Gem, text, gem) {
                        lint.push(
                            Evidence::at(f.path.clone(), l)
                                .note(format!("{gem} gem (works with its defaults)")),
                        );
                    }
                }
            }
            lint.extend(grep_files(auto, |l| {
                l.contains("rubocop") || l.contains("standardrb")
            }));
            (lint, Vec::new())
        }
        StackId::Dotnet => {
            let mut lint = Vec::new();
            if let Some(t) = ctx.index.text(".editorconfig") {
                if let Some(i) = t.lines().position(|l| {
                    l.trim_start().starts_with("dotnet_diagnostic.")
                        || l.trim_start().starts_with("dotnet_analyzer_diagnostic")
                }) {
                    lint.push(
                        Evidence::at(".editorconfig", line_no(i))
                            .note(".NET analyzer severities (the analyzers' configuration file)"),
                    );
                }
            }
            lint.extend(files_named(
                ctx,
                &[".globalconfig", "stylecop.json"],
                &[],
                ".NET analyzer configuration",
            ));
            for f in own_files(ctx.index).filter(|f| {
                f.name().ends_with("proj")
                    || f.name() == "Directory.Build.props"
                    || f.name() == "Directory.Packages.props"
            }) {
                if let Some((i, l)) = f.text().and_then(|t| {
                    t.lines().enumerate().find(|(_, l)| {
                        [
                            "<AnalysisLevel>",
                            "<AnalysisMode>",
                            "<EnableNETAnalyzers>",
                            "<EnforceCodeStyleInBuild>",
                            "<TreatWarningsAsErrors>true",
                            "<CodeAnalysisRuleSet>",
                            "StyleCop.Analyzers",
                            "Roslynator",
                            "SonarAnalyzer",
                            "Meziantou.Analyzer",
                        ]
                        .iter()
                        .any(|k| l.contains(k))
                    })
                }) {
                    lint.push(
                        Evidence::at(f.path.clone(), line_no(i))
                            .note(format!("analyzers: {}", shorten(l.trim()))),
                    );
                }
            }
            lint.extend(grep_files(auto, |l| l.contains("dotnet format")));
            let fmt = files_named(
                ctx,
                &[".csharpierrc", ".csharpierrc.json", ".csharpierrc.yaml"],
                &[],
                "CSharpier configuration",
            );
            (lint, fmt)
        }
    };
    StackLint {
        linters,
        formatters,
        hint,
    }
}

/// Prefixes an evidence note with the role the file plays.
fn relabel(e: Evidence, role: &str) -> Evidence {
    let note = match &e.note {
        Some(n) => format!("{role}: {n}"),
        None => role.to_string(),
    };
    e.note(note)
}

/// A linter set up for each stack: the rule's snippets, and the fix for the stacks without one.
const LINT_SNIPPETS: &[(StackId, &str)] = &[
        (StackId::Node, "// eslint.config.mjs (npm install --save-dev eslint @eslint/js typescript-eslint)\nimport js from '@eslint/js'\nimport tseslint from 'typescript-eslint'\n\nexport default tseslint.config(js.configs.recommended, tseslint.configs.recommended)"),
        (StackId::Python, "# pyproject.toml\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = [\"E\", \"F\", \"I\", \"B\", \"UP\"]"),
        (StackId::Go, "# .golangci.yml (golangci-lint v2)\nversion: \"2\"\nlinters:\n  default: standard\n  enable: [gosec]"),
        (StackId::Rust, "# Cargo.toml\n[lints.clippy]\npedantic = { level = \"warn\", priority = -1 }\n# .github/workflows/ci.yml (step)\n- run: cargo clippy --all-targets -- -D warnings"),
        (StackId::Java, "<!-- pom.xml (build/plugins): `mvn verify` fails on Checkstyle violations -->\n<plugin>\n  <groupId>org.apache.maven.plugins</groupId>\n  <artifactId>maven-checkstyle-plugin</artifactId>\n  <version>3.6.0</version>\n  <configuration><configLocation>google_checks.xml</configLocation></configuration>\n  <executions><execution><goals><goal>check</goal></goals></execution></executions>\n</plugin>"),
        (StackId::Ruby, "# .rubocop.yml (Gemfile: gem \"rubocop\", require: false)\nAllCops:\n  NewCops: enable"),
        (StackId::Dotnet, "<!-- Directory.Build.props -->\n<Project>\n  <PropertyGroup>\n    <AnalysisLevel>latest-recommended</AnalysisLevel>\n    <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n  </PropertyGroup>\n</Project>"),
];

fn lint_config(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no language stack detected");
    }
    let auto = automation_files(ctx);
    let mut evidence = Vec::new();
    let mut covered = Vec::new();
    let mut uncovered = Vec::new();
    let mut no_formatter = Vec::new();
    for stack in ctx.stacks {
        let r = lint_for(ctx, stack.id, &auto);
        if r.linters.is_empty() {
            uncovered.push(stack.id);
            let anchor =
                r.hint.or_else(|| {
                    stack.evidence.first().cloned().map(|e| {
                        e.note(format!("no linter configured or run for {}", stack.id.id()))
                    })
                });
            evidence.extend(anchor);
        } else {
            covered.push(stack.id.id());
            evidence.extend(r.linters.into_iter().take(4).map(|e| relabel(e, "linter")));
            if r.formatters.is_empty()
                && !matches!(
                    stack.id,
                    StackId::Go | StackId::Rust | StackId::Ruby | StackId::Dotnet
                )
            {
                no_formatter.push(stack.id.id());
            }
            evidence.extend(
                r.formatters
                    .into_iter()
                    .take(2)
                    .map(|e| relabel(e, "formatter/type checker")),
            );
        }
    }
    let fmt_note = if no_formatter.is_empty() {
        String::new()
    } else {
        format!(
            " (no formatter configuration for {})",
            no_formatter.join(", ")
        )
    };
    if uncovered.is_empty() {
        Outcome::pass(
            format!(
                "a linter is configured or run for every stack: {}{fmt_note}",
                covered.join(", ")
            ),
            evidence,
        )
    } else {
        Outcome::fail(
            format!(
                "no linter configured or run for: {}{fmt_note}",
                uncovered
                    .iter()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence,
        )
        .with_fix(lint_fix(&uncovered))
    }
}

/// The linter snippet of each stack that lacks a linter, in detection order.
fn lint_fix(uncovered: &[StackId]) -> Option<String> {
    let parts: Vec<&str> = uncovered
        .iter()
        .filter_map(|s| LINT_SNIPPETS.iter().find(|(id, _)| id == s))
        .map(|(_, text)| *text)
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

// =============================================================================================
// dx-devcontainer

static DEVCONTAINER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r#""(image|dockerFile|dockerfile|build|dockerComposeFile|features|postCreateCommand)"\s*:"#,
    )
    .expect("constant regex")
});

fn devcontainer(ctx: &Context) -> Outcome {
    let mut found = Vec::new();
    for f in devcontainer_files(ctx.index) {
        let text = f.text().unwrap_or("");
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|l| {
                DEVCONTAINER_KEY
                    .captures(l)
                    .and_then(|c| c.get(1))
                    .map(|m| m.as_str())
            })
            .collect();
        let line = text
            .lines()
            .position(|l| DEVCONTAINER_KEY.is_match(l))
            .map_or(1, line_no);
        if keys.iter().any(|k| {
            matches!(
                *k,
                "image" | "dockerFile" | "dockerfile" | "build" | "dockerComposeFile"
            )
        }) {
            found.push(
                Evidence::at(f.path.clone(), line)
                    .note(format!("dev container ({})", keys.join(", "))),
            );
        }
    }
    let named: &[(&str, &str)] = &[
        (".gitpod.yml", "Gitpod workspace"),
        ("shell.nix", "Nix shell"),
        ("devbox.json", "Devbox environment"),
        ("devenv.nix", "devenv environment"),
        (".idx/dev.nix", "Project IDX environment"),
        ("Vagrantfile", "Vagrant VM"),
        ("docker-compose.dev.yml", "development compose file"),
        ("docker-compose.dev.yaml", "development compose file"),
        ("compose.dev.yml", "development compose file"),
        ("compose.dev.yaml", "development compose file"),
        (
            "docker-compose.override.yml",
            "development compose override",
        ),
        (
            "docker-compose.override.yaml",
            "development compose override",
        ),
        ("compose.override.yml", "development compose override"),
        ("compose.override.yaml", "development compose override"),
        ("Dockerfile.dev", "development Dockerfile"),
        ("dev.Dockerfile", "development Dockerfile"),
    ];
    // A compose file of development tools only (a mail catcher, a database admin UI) is no
    // environment to develop in.
    let tools_only = |p: &str| {
        ctx.index.compose_files().iter().any(|c| {
            c.path == p && !c.services.is_empty() && c.services.iter().all(Service::is_dev_tool)
        })
    };
    for (p, label) in named {
        if ctx.index.file(p).is_some_and(|f| !is_blank_file(f)) && !tools_only(p) {
            found.push(Evidence::file(*p).note(*label));
        }
    }
    if let Some(t) = ctx.index.text("flake.nix") {
        if let Some(i) = t.lines().position(|l| l.contains("devShell")) {
            found.push(Evidence::at("flake.nix", line_no(i)).note("Nix flake development shell"));
        }
    }
    if found.is_empty() {
        let anchor = ctx
            .index
            .under(".devcontainer")
            .first()
            .map(|f| {
                Evidence::file(f.path.clone())
                    .note("a .devcontainer folder without a usable devcontainer.json")
            })
            .or_else(|| ctx.index.repo_anchor());
        return Outcome::fail(
            "no dev container or reproducible environment (devcontainer.json, Nix, Devbox, Gitpod)",
            anchor.into_iter().collect(),
        );
    }
    Outcome::pass("a reproducible development environment is defined", found)
}

// =============================================================================================
// dx-env-example

const TEMPLATE_WORDS: &[&str] = &["example", "sample", "template", "dist", "defaults", "tmpl"];

fn is_env_template(f: &IndexedFile) -> bool {
    let n = f.name().to_ascii_lowercase();
    let envish = n.starts_with("env.") || n.contains(".env");
    envish && TEMPLATE_WORDS.iter().any(|w| n.contains(w))
}

static ENV_KEY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=").expect("constant regex")
});

/// Where the service reads configuration from the environment.
pub(super) fn env_reads(ctx: &Context) -> Vec<Evidence> {
    let builtin: HashMap<usize, u32> = ctx
        .index
        .signal("dx-env-builtin-js")
        .iter()
        .map(|h| (h.file, h.count))
        .collect();
    let mut out: Vec<Evidence> = Vec::new();
    for id in ENV_READ_SIGNALS {
        for h in ctx.index.signal(id) {
            let path = ctx.index.hit_path(h);
            let real = h
                .count
                .saturating_sub(builtin.get(&h.file).copied().unwrap_or(0));
            if real > 0 && !is_vendored(path) && !path.ends_with("build.rs") {
                out.push(
                    Evidence::at(path, h.line)
                        .note(format!("reads environment variables ({real} reference(s))")),
                );
            }
        }
    }
    out.sort();
    if let Some(text) = ctx.index.text(".gitignore") {
        if let Some(i) = text.lines().position(|l| {
            let t = l.trim().trim_start_matches('/');
            t == ".env"
                || t.starts_with(".env*")
                || t == "*.env"
                || t == ".env.local"
                || t == ".env.*"
        }) {
            out.push(
                Evidence::at(".gitignore", line_no(i))
                    .note("a local .env file is used (and ignored)"),
            );
        }
    }
    for f in compose_files(ctx.index) {
        if let Some(i) = f.text().and_then(|t| {
            t.lines()
                .position(|l| l.trim_start().starts_with("env_file:"))
        }) {
            out.push(Evidence::at(f.path.clone(), line_no(i)).note("compose loads an env file"));
        }
    }
    out
}

fn env_example(ctx: &Context) -> Outcome {
    let reads = env_reads(ctx);
    let templates: Vec<&IndexedFile> = own_files(ctx.index)
        .filter(|f| is_env_template(f))
        .collect();
    let with_keys: Vec<(&IndexedFile, usize)> = templates
        .iter()
        .map(|f| {
            (
                *f,
                f.text()
                    .map_or(0, |t| t.lines().filter(|l| ENV_KEY.is_match(l)).count()),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    if !with_keys.is_empty() {
        let ignored = reads.iter().any(|e| e.path == ".gitignore");
        let evidence = with_keys
            .iter()
            .map(|(f, n)| {
                let mut note = format!("{n} variable(s) documented");
                if ignored {
                    note.push_str("; .env is gitignored");
                }
                Evidence::file(f.path.clone()).note(note)
            })
            .collect();
        return Outcome::pass(
            "an environment template documents the configuration",
            evidence,
        );
    }
    let Some(first) = reads.into_iter().next() else {
        return Outcome::na("the code reads no configuration from the environment");
    };
    let mut ev = vec![first];
    if let Some(t) = templates.first() {
        ev.push(Evidence::file(t.path.clone()).note("the template lists no KEY=value line"));
    }
    Outcome::fail(
        "configuration comes from the environment, but no .env.example documents the variables",
        ev,
    )
}

// =============================================================================================
// dx-toolchain-pinned

/// Tool names of asdf/mise per stack.
fn tool_names(stack: StackId) -> &'static [&'static str] {
    match stack {
        StackId::Node => &["nodejs", "node"],
        StackId::Python => &["python"],
        StackId::Go => &["golang", "go"],
        StackId::Rust => &["rust"],
        StackId::Java => &["java"],
        StackId::Ruby => &["ruby"],
        StackId::Dotnet => &["dotnet", "dotnet-core"],
    }
}

/// Pins in version-manager files shared by every stack (.tool-versions, mise).
fn version_manager_pins(ctx: &Context, stack: StackId) -> Vec<Evidence> {
    let mut out = Vec::new();
    let names = tool_names(stack);
    for p in [
        ".tool-versions",
        "mise.toml",
        ".mise.toml",
        ".config/mise.toml",
        ".prototools",
    ] {
        let Some(text) = ctx.index.text(p) else {
            continue;
        };
        let found = text.lines().position(|l| {
            let t = l.trim();
            names.iter().any(|n| {
                t.strip_prefix(n).is_some_and(|rest| {
                    rest.starts_with([' ', '\t', '=']) || rest.starts_with("\" ")
                }) || t.starts_with(&format!("\"{n}\""))
            })
        });
        if let Some(i) = found {
            out.push(Evidence::at(p, line_no(i)).note(format!(
                "pinned in {p}: {}",
                shorten(text.lines().nth(i).unwrap_or("").trim())
            )));
        }
    }
    if ctx.index.exists("flake.nix") && ctx.index.exists("flake.lock") {
        out.push(Evidence::file("flake.lock").note("the Nix flake lock pins the toolchain"));
    }
    if ctx.index.exists("devbox.json") && ctx.index.exists("devbox.lock") {
        out.push(Evidence::file("devbox.lock").note("the Devbox lock pins the toolchain"));
    }
    out
}

fn first_line_in(f: &IndexedFile, pred: impl Fn(&str) -> bool) -> Option<(u32, &str)> {
    f.text()?
        .lines()
        .enumerate()
        .find(|(_, l)| pred(l))
        .map(|(i, l)| (line_no(i), l))
}

fn pins_for(ctx: &Context, stack: StackId) -> (Vec<Evidence>, Option<Evidence>) {
    let mut pins = version_manager_pins(ctx, stack);
    let mut hint = None;
    let cite = |f: &IndexedFile, line: u32, l: &str, what: &str| {
        Evidence::at(f.path.clone(), line).note(format!("{what}: {}", shorten(l.trim())))
    };
    match stack {
        StackId::Node => {
            pins.extend(files_named(
                ctx,
                &[".nvmrc", ".node-version"],
                &[],
                "Node version file",
            ));
            for f in own_files(ctx.index).filter(|f| f.name() == "package.json") {
                let Some(json) = ctx.index.json(&f.path) else {
                    continue;
                };
                let text = f.text().unwrap_or("");
                if json.get("engines").and_then(|e| e.get("node")).is_some() {
                    let line = json_member_line(text, "engines", "node").unwrap_or(1);
                    pins.push(
                        Evidence::at(f.path.clone(), line)
                            .note("engines.node declares the Node version"),
                    );
                }
                if json.get("volta").and_then(|v| v.get("node")).is_some() {
                    pins.push(
                        Evidence::at(
                            f.path.clone(),
                            json_member_line(text, "volta", "node").unwrap_or(1),
                        )
                        .note("Volta pins Node"),
                    );
                }
                if let Some(pm) = json.get("packageManager").and_then(|p| p.as_str()) {
                    hint.get_or_insert(
                        Evidence::at(
                            f.path.clone(),
                            json_key_line(text, "packageManager").unwrap_or(1),
                        )
                        .note(format!(
                            "packageManager pins {pm}, but not the Node version"
                        )),
                    );
                }
            }
        }
        StackId::Python => {
            pins.extend(files_named(
                ctx,
                &[".python-version", "runtime.txt"],
                &[],
                "Python version file",
            ));
            for f in own_files(ctx.index) {
                let found = match f.name() {
                    "pyproject.toml" => {
                        first_line_in(f, |l| l.trim_start().starts_with("requires-python"))
                            .map(|(n, l)| cite(f, n, l, "declared as a range, not an exact pin"))
                            .or_else(|| {
                                first_line_in(f, |l| {
                                    l.trim_start().starts_with("python =")
                                        || l.trim_start().starts_with("python=")
                                })
                                .map(|(n, l)| cite(f, n, l, "declared"))
                            })
                    }
                    "Pipfile" => first_line_in(f, |l| {
                        l.trim_start().starts_with("python_version")
                            || l.trim_start().starts_with("python_full_version")
                    })
                    .map(|(n, l)| cite(f, n, l, "declared")),
                    "setup.py" | "setup.cfg" => first_line_in(f, |l| l.contains("python_requires"))
                        .map(|(n, l)| cite(f, n, l, "declared as a range, not an exact pin")),
                    _ => None,
                };
                pins.extend(found);
            }
        }
        StackId::Go => {
            for f in own_files(ctx.index).filter(|f| f.name() == "go.mod") {
                if let Some((n, l)) = first_line_in(f, |l| l.starts_with("toolchain ")) {
                    pins.push(cite(f, n, l, "toolchain directive"));
                } else if let Some((n, l)) = first_line_in(f, |l| l.starts_with("go ")) {
                    pins.push(cite(
                        f,
                        n,
                        l,
                        "go directive (minimum version; Go 1.21+ fetches it)",
                    ));
                }
            }
        }
        StackId::Rust => {
            pins.extend(files_named(
                ctx,
                &["rust-toolchain.toml", "rust-toolchain"],
                &[],
                "rustup toolchain file",
            ));
            for f in own_files(ctx.index).filter(|f| f.name() == "Cargo.toml") {
                if let Some((n, l)) =
                    first_line_in(f, |l| l.trim_start().starts_with("rust-version"))
                {
                    pins.push(cite(
                        f,
                        n,
                        l,
                        "minimum supported Rust version declared, not an exact pin",
                    ));
                }
            }
        }
        StackId::Java => {
            pins.extend(files_named(
                ctx,
                &[".java-version", ".sdkmanrc", "toolchains.xml"],
                &[],
                "JDK version file",
            ));
            for f in own_files(ctx.index)
                .filter(|f| matches!(f.name(), "pom.xml" | "build.gradle" | "build.gradle.kts"))
            {
                let found = first_line_in(f, |l| {
                    l.contains("maven-toolchains-plugin")
                        || l.contains("toolchain {")
                        || l.contains("jvmToolchain")
                        || l.contains("languageVersion")
                })
                .map(|(n, l)| cite(f, n, l, "JDK toolchain"))
                .or_else(|| {
                    first_line_in(f, |l| {
                        l.contains("<maven.compiler.release>")
                            || l.contains("<java.version>")
                            || l.contains("<release>")
                            || l.contains("<maven.compiler.source>")
                            || l.contains("sourceCompatibility")
                    })
                    .map(|(n, l)| cite(f, n, l, "Java level declared"))
                });
                pins.extend(found);
            }
        }
        StackId::Ruby => {
            pins.extend(files_named(
                ctx,
                &[".ruby-version"],
                &[],
                "Ruby version file",
            ));
            for f in own_files(ctx.index).filter(|f| f.name() == "Gemfile") {
                if let Some((n, l)) = first_line_in(f, |l| {
                    l.trim_start().starts_with("ruby ") || l.trim_start().starts_with("ruby(")
                }) {
                    pins.push(cite(f, n, l, "Gemfile ruby directive"));
                }
            }
        }
        StackId::Dotnet => {
            for f in own_files(ctx.index).filter(|f| f.name() == "global.json") {
                if let Some((n, l)) =
                    first_line_in(f, |l| l.contains("\"version\"") || l.contains("\"sdk\""))
                {
                    pins.push(cite(f, n, l, "global.json pins the SDK"));
                }
            }
        }
    }
    (pins, hint)
}

fn toolchain_pinned(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no language stack detected");
    }
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    for stack in ctx.stacks {
        let (pins, hint) = pins_for(ctx, stack.id);
        if pins.is_empty() {
            missing.push(stack.id.id());
            evidence.extend(hint.or_else(|| {
                stack
                    .evidence
                    .first()
                    .cloned()
                    .map(|e| e.note(format!("no {} version pinned", stack.id.id())))
            }));
        } else {
            evidence.extend(pins.into_iter().take(3));
        }
    }
    if missing.is_empty() {
        Outcome::pass(
            "the toolchain version is declared for every stack",
            evidence,
        )
    } else {
        Outcome::fail(
            format!("toolchain version not pinned for: {}", missing.join(", ")),
            evidence,
        )
    }
}

// =============================================================================================
// dx-editorconfig

fn editorconfig(ctx: &Context) -> Outcome {
    let Some(f) = ctx.index.file(".editorconfig") else {
        let nested = own_files(ctx.index).find(|f| f.name() == ".editorconfig");
        let anchor = nested
            .map(|f| {
                Evidence::file(f.path.clone()).note("only a nested .editorconfig; none at the root")
            })
            .or_else(|| ctx.index.repo_anchor());
        return Outcome::fail("no .editorconfig at the root", anchor.into_iter().collect());
    };
    let text = f.text().unwrap_or("");
    let section = text.lines().position(|l| l.trim_start().starts_with('['));
    let property = section.and_then(|s| {
        text.lines()
            .skip(s + 1)
            .position(|l| l.contains('=') && !l.trim_start().starts_with(['#', ';']))
    });
    match (section, property) {
        (Some(s), Some(_)) => {
            let sections = text
                .lines()
                .filter(|l| l.trim_start().starts_with('['))
                .count();
            Outcome::pass(
                ".editorconfig sets editor defaults",
                vec![Evidence::at(".editorconfig", line_no(s))
                    .note(format!("{sections} section(s)"))],
            )
        }
        _ => Outcome::fail(
            ".editorconfig has no section with properties",
            vec![Evidence::file(".editorconfig").note("no [glob] section with settings")],
        ),
    }
}

/// Seed scripts and folders by the conventions of ORMs and frameworks.
fn is_seed_file(f: &IndexedFile) -> bool {
    let stem = f
        .name()
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // `SeedData.cs` and `DbSeeder.cs` as .NET names them, Laravel's `DatabaseSeeder.php`.
    let seed_name = matches!(
        stem.as_str(),
        "seed" | "seeds" | "seeddata" | "seeder" | "dbseeder" | "dataseeder" | "databaseseeder"
    ) || stem.starts_with("seed_")
        || stem.starts_with("seed-");
    let in_seed_dir = f
        .path
        .split('/')
        .rev()
        .skip(1)
        .any(|seg| matches!(seg, "seeds" | "seeders" | "seed"));
    (seed_name || in_seed_dir)
        && matches!(
            f.ext(),
            "ts" | "js"
                | "mjs"
                | "cjs"
                | "py"
                | "rb"
                | "sql"
                | "go"
                | "rs"
                | "java"
                | "kt"
                | "cs"
                | "exs"
                | "php"
                | "json"
                | "yml"
                | "yaml"
        )
}

fn seed_data(ctx: &Context) -> Outcome {
    if super::ci::database_evidence(ctx.index).is_empty() {
        return Outcome::na("no database in use");
    }
    let mut found: Vec<Evidence> = ctx
        .index
        .files()
        .iter()
        .filter(|f| !f.vendored && !f.is_test && is_seed_file(f))
        .map(|f| Evidence::file(f.path.clone()).note("seed data"))
        .collect();
    for f in ctx.index.named("package.json").filter(|f| !f.vendored) {
        if let Some(line) = f.text().and_then(|t| json_key_line(t, "seed")) {
            found.push(Evidence::at(f.path.clone(), line).note("seed command"));
        }
    }
    Outcome::present(
        found,
        "a local database can be seeded with data",
        "no seed data: every developer builds a usable local database by hand",
        ctx.index.repo_anchor(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "dx-pre-commit-hooks",
        title: "Git hooks check changes before commit",
        category: Category::Dx,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Hooks catch formatting, lint errors and committed secrets on the developer's \
            machine in seconds, instead of minutes later in CI or never.",
        passes_when: "A hook manager defines at least one hook: pre-commit (.pre-commit-config.yaml \
            with hooks), husky (.husky/<hook> or package.json husky.hooks), simple-git-hooks, \
            yorkie, lefthook, overcommit, cargo-husky, or hook scripts in .githooks/. The evidence \
            lists what the hooks run.",
        remediation: "Add a pre-commit configuration (any stack) or husky + lint-staged (Node) \
            that runs the formatter, the linter and a secret scanner.",
        snippet: Some("# .pre-commit-config.yaml\nrepos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-yaml\n      - id: check-added-large-files\n      - id: detect-private-key\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.21.2\n    hooks:\n      - id: gitleaks"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(pre_commit_hooks),
    },
    Rule {
        id: "dx-lint-config",
        title: "Linter configured for every stack",
        category: Category::Dx,
        weight: 6,
        applies: Applies::ALL,
        rationale: "A linter with a committed configuration gives every contributor and CI the \
            same rules, catching bugs and style drift before review.",
        passes_when: "Every detected stack has a linter, either configured (eslint.config.*, \
            .eslintrc*, biome.json; ruff/flake8/pylint config; .golangci.yml; clippy.toml or a \
            Cargo [lints] table; checkstyle/PMD/SpotBugs/detekt; .rubocop.yml; .NET analyzer \
            settings) or run with its defaults by CI, hooks or the task runner (ruff, go vet, \
            golangci-lint, cargo clippy, rubocop, dotnet format, biome, oxlint). ESLint needs a \
            config file. Formatters are reported but not required; .editorconfig does not count \
            except for .NET analyzer severities.",
        remediation: "Add the stack's linter configuration and run it in CI and in a pre-commit hook.",
        snippet: None,
        snippets: LINT_SNIPPETS,
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(lint_config),
    },
    Rule {
        id: "dx-task-runner",
        title: "Task runner with test, lint and build targets",
        category: Category::Dx,
        weight: 5,
        applies: Applies::ALL,
        rationale: "One documented entry point (`make test`, `npm run lint`) means developers and \
            CI run the same commands, and nobody has to reverse-engineer the pipeline.",
        passes_when: "One task runner file (Makefile, justfile, Taskfile, package.json scripts, \
            noxfile, tox.ini, Rakefile, magefile, Earthfile, poe/pdm/hatch/mise tasks, cargo \
            aliases), or the root runners together, has test, lint and build (or run) targets, \
            by name or by the command they run. The built-in commands of cargo, go and dotnet \
            (and Maven/Gradle with a lint plugin) count.",
        remediation: "Add a Makefile or justfile with `test`, `lint` and `build` targets that CI \
            calls too.",
        snippet: Some("# Makefile\n.PHONY: setup test lint build\nsetup:  ## install dependencies\n\tuv sync\ntest:\n\tuv run pytest\nlint:\n\tuv run ruff check . && uv run mypy .\nbuild:\n\tdocker build -t app ."),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(task_runner),
    },
    Rule {
        id: "dx-one-command-setup",
        title: "One-command local setup",
        category: Category::Dx,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "When setting up the service takes one command instead of a page of steps, \
            onboarding takes minutes and environments stop drifting apart.",
        passes_when: "A setup entry point exists: a setup/bootstrap/install/dev target (make, \
            just, task, mise, poe; `setup`/`bootstrap` in package.json), a setup script \
            (scripts/setup.sh, script/bootstrap, bin/setup, dev.sh/dev.bat), a dev container \
            (with its postCreateCommand), a development compose file that builds the app, or \
            Tilt/Skaffold/DevSpace. A compose file of CI's (under .github/, named for CI or \
            tests, or named with -f by CI and nothing else) is no local setup, and a mail \
            catcher or admin UI built locally is not the app. Libraries and CLIs are not asked: \
            their package manager is the setup.",
        remediation: "Add a `make setup` (or scripts/setup.sh) that installs dependencies, copies \
            the env template, starts backing services and migrates the database.",
        snippet: Some("# Makefile\nsetup:  ## one-command local setup\n\tcp -n .env.example .env || true\n\tdocker compose up -d\n\tuv sync\n\tuv run alembic upgrade head"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(one_command_setup),
    },
    Rule {
        id: "dx-devcontainer",
        title: "Reproducible development environment",
        category: Category::Dx,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A dev container or Nix/Devbox environment gives everyone the same tools and \
            versions, and makes Codespaces or a new laptop ready in one step.",
        passes_when: "A devcontainer.json (.devcontainer/, .devcontainer.json) with an image, \
            Dockerfile or compose file; a Nix flake dev shell or shell.nix; devbox.json; devenv; \
            .gitpod.yml; .idx/dev.nix; a Vagrantfile; or a development compose file \
            (docker-compose.dev.yml, compose.override.yml …; not one of development tools only, \
            like a mail catcher) or Dockerfile. Version files alone (.tool-versions) count for \
            toolchain pinning, not here.",
        remediation: "Add .devcontainer/devcontainer.json based on a devcontainers image with \
            the stack's features and a postCreateCommand that installs dependencies.",
        snippet: Some("// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/python:3.12\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
        snippets: &[
            (StackId::Node, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Python, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/python:1-3.12-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Go, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/go:1-1.23-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Rust, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/rust:1-1-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Java, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/java:1-21-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Ruby, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/ruby:1-3.3-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
            (StackId::Dotnet, "// .devcontainer/devcontainer.json\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/dotnet:1-8.0-bookworm\",\n  \"features\": {\"ghcr.io/devcontainers/features/docker-in-docker:2\": {}},\n  \"postCreateCommand\": \"make setup\"\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(devcontainer),
    },
    Rule {
        id: "dx-env-example",
        title: "Environment template (.env.example)",
        category: Category::Dx,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "A committed template lists every variable the service needs, with safe \
            placeholders, so setup does not depend on asking a colleague for their .env.",
        passes_when: "An env template with at least one KEY=value line exists anywhere in the \
            project (.env.example, .env.sample, .env.template, .env.dist, .env.defaults, \
            example.env, .env.*.example). Not applicable when the code reads no environment \
            configuration (process.env, os.environ/getenv, pydantic BaseSettings, os.Getenv, \
            env::var, System.getenv, ENV[], a gitignored .env, compose env_file).",
        remediation: "Commit .env.example with every variable and a placeholder value, and keep \
            .env in .gitignore.",
        snippet: Some("# .env.example (copy to .env)\nDATABASE_URL=postgresql://user:password@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0\nAPI_KEY=change-me"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(env_example),
    },
    Rule {
        id: "dx-toolchain-pinned",
        title: "Toolchain version pinned",
        category: Category::Dx,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A pinned language version makes \"works on my machine\" reproducible: \
            developers, CI and the container build with the same compiler or runtime.",
        passes_when: "Every detected stack declares its version: .nvmrc/.node-version/engines.node/\
            Volta (packageManager alone pins only the package manager); .python-version, \
            runtime.txt or requires-python (a range counts as declared); go.mod go/toolchain; \
            rust-toolchain(.toml) or rust-version; .java-version/.sdkmanrc/Gradle or Maven \
            toolchain or release level; .ruby-version or Gemfile ruby; global.json for .NET; or \
            .tool-versions/mise/Nix flake lock/Devbox lock for any stack.",
        remediation: "Commit a version file for each stack (.nvmrc, .python-version, \
            rust-toolchain.toml, global.json …) or one .tool-versions for all of them.",
        snippet: Some("# .tool-versions (asdf / mise)\nnodejs 22.11.0\npython 3.12.7"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(toolchain_pinned),
    },
    Rule {
        id: "dx-editorconfig",
        title: "EditorConfig",
        category: Category::Dx,
        weight: 2,
        applies: Applies::ALL,
        rationale: "An .editorconfig makes every editor use the same indentation, line endings \
            and final newline, which keeps diffs free of whitespace noise.",
        passes_when: "A root .editorconfig has at least one [glob] section with a property.",
        remediation: "Add an .editorconfig at the root.",
        snippet: Some("# .editorconfig\nroot = true\n\n[*]\nindent_style = space\nindent_size = 2\nend_of_line = lf\ninsert_final_newline = true\ntrim_trailing_whitespace = true"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(editorconfig),
    },
    Rule {
        id: "dx-seed-data",
        title: "Seed data for a local database",
        category: Category::Dx,
        weight: 2,
        applies: Applies::SERVICE,
        rationale: "A seeded local database lets a newcomer run and test the app on day one and \
            makes bug reports reproducible.",
        passes_when: "The app uses a database and has a seed script or folder (prisma/seed.ts, \
            db/seeds.rb, seeds/, seeders/, seed.py, a package.json \"seed\" entry …).",
        remediation: "Add an idempotent seed script with realistic sample data and a task to run it.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// prisma/seed.ts (package.json: \"prisma\": { \"seed\": \"tsx prisma/seed.ts\" }; run: npx prisma db seed)\nimport { PrismaClient } from '@prisma/client'\n\nconst prisma = new PrismaClient()\n\nasync function main() {\n  // An upsert, so seeding twice changes nothing.\n  await prisma.user.upsert({\n    where: { email: 'demo@example.com' },\n    update: {},\n    create: { email: 'demo@example.com', name: 'Demo user' },\n  })\n}\n\nmain().finally(() => prisma.$disconnect())"),
            (StackId::Python, "# scripts/seed.py (python -m scripts.seed; seeding twice changes nothing)\nfrom app.db import SessionLocal\nfrom app.models import User\n\n\ndef main() -> None:\n    with SessionLocal() as db:\n        if db.query(User).filter_by(email=\"demo@example.com\").first() is None:\n            db.add(User(email=\"demo@example.com\", name=\"Demo user\"))\n            db.commit()\n\n\nif __name__ == \"__main__\":\n    main()"),
            (StackId::Go, "// cmd/seed/main.go (go run ./cmd/seed; seeding twice changes nothing)\npackage main\n\nimport (\n\t\"database/sql\"\n\t\"log\"\n\t\"os\"\n\n\t_ \"github.com/jackc/pgx/v5/stdlib\"\n)\n\nfunc main() {\n\tdb, err := sql.Open(\"pgx\", os.Getenv(\"DATABASE_URL\"))\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\tdefer db.Close()\n\t_, err = db.Exec(`INSERT INTO users (email, name) VALUES ($1, $2)\n\t\tON CONFLICT (email) DO NOTHING`, \"demo@example.com\", \"Demo user\")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n}"),
            (StackId::Rust, "// src/bin/seed.rs (cargo run --bin seed; seeding twice changes nothing)\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n    let pool = sqlx::PgPool::connect(&std::env::var(\"DATABASE_URL\")?).await?;\n    sqlx::query(\"INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING\")\n        .bind(\"demo@example.com\")\n        .bind(\"Demo user\")\n        .execute(&pool)\n        .await?;\n    Ok(())\n}"),
            (StackId::Java, "-- src/main/resources/db/seed/dev-data.sql (in application-dev.properties:\n--   spring.sql.init.mode=always\n--   spring.sql.init.data-locations=classpath:db/seed/dev-data.sql\n--   spring.jpa.defer-datasource-initialization=true)\nINSERT INTO users (email, name) VALUES ('demo@example.com', 'Demo user')\nON CONFLICT (email) DO NOTHING;"),
            (StackId::Ruby, "# db/seeds.rb (bin/rails db:seed; seeding twice changes nothing)\nUser.find_or_create_by!(email: \"demo@example.com\") do |user|\n  user.name = \"Demo user\"\nend"),
            (StackId::Dotnet, "// Data/Seed.cs (EF Core 9+; in Program.cs: options.UseNpgsql(connection).UseSeeding(Seed.Run))\nusing Microsoft.EntityFrameworkCore;\n\npublic static class Seed\n{\n    // Runs on `dotnet ef database update`, Database.Migrate() and EnsureCreated().\n    public static void Run(DbContext context, bool _)\n    {\n        var users = context.Set<User>();\n        if (!users.Any(u => u.Email == \"demo@example.com\"))\n        {\n            users.Add(new User { Email = \"demo@example.com\", Name = \"Demo user\" });\n            context.SaveChanges();\n        }\n    }\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(seed_data),
    },
];

/// Per language: how code reads configuration from the environment.
pub const SIGNALS: &[Signal] = &[
    Signal {
        id: "dx-env-read-js",
        files: &["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,vue,svelte}"],
        pattern: r"process\.env\b|import\.meta\.env\.[A-Z_]|Deno\.env\.get\(|Bun\.env\.",
        skip_tests: true,
    },
    Signal {
        // Variables every JavaScript runtime or bundler sets: reading only these needs no template.
        id: "dx-env-builtin-js",
        files: &["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,vue,svelte}"],
        pattern: r"process\.env\.NODE_ENV\b|import\.meta\.env\.(?:MODE|DEV|PROD|SSR|BASE_URL)\b",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-py",
        files: &["**/*.py"],
        pattern: r"\bos\.environ\b|\bgetenv\(|\bBaseSettings\b|\benviron\.Env\(|\bload_dotenv\(|\bdotenv_values\(",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-go",
        files: &["**/*.go"],
        pattern: r"\bos\.Getenv\(|\bos\.LookupEnv\(|\benvconfig\.Process\(|\bviper\.AutomaticEnv\(|\benv\.Parse\(",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-rs",
        files: &["**/*.rs"],
        pattern: r"\benv::var(?:_os)?\(|\bdotenvy?::|\benvy::from_env",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-jvm",
        files: &["**/*.{java,kt,scala,groovy}"],
        pattern: r"\bSystem\.getenv\(",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-rb",
        files: &["**/*.rb"],
        pattern: r#"\bENV\[["']|\bENV\.fetch\("#,
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-cs",
        files: &["**/*.cs"],
        pattern: r"\bEnvironment\.GetEnvironmentVariable\(|\.AddEnvironmentVariables\(",
        skip_tests: true,
    },
    Signal {
        id: "dx-env-read-php",
        files: &["**/*.php"],
        pattern: r#"\bgetenv\(|\$_ENV\[|\benv\(['"]"#,
        skip_tests: true,
    },
];

const ENV_READ_SIGNALS: &[&str] = &[
    "dx-env-read-js",
    "dx-env-read-py",
    "dx-env-read-go",
    "dx-env-read-rs",
    "dx-env-read-jvm",
    "dx-env-read-rb",
    "dx-env-read-cs",
    "dx-env-read-php",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn note(o: &Outcome, i: usize) -> &str {
        o.evidence[i].note.as_deref().unwrap_or("")
    }

    #[test]
    fn pre_commit_framework_lists_hook_ids() {
        let r = rule(RULES, "dx-pre-commit-hooks");
        let cfg = "# hooks\nrepos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff\n      - id: ruff-format\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.21.2\n    hooks:\n      - id: gitleaks\n";
        let o = assert_pass(r, &[(".pre-commit-config.yaml", cfg)]);
        assert_eq!(o.evidence[0].line, Some(2));
        assert!(
            note(&o, 0).contains("ruff, ruff-format, gitleaks"),
            "{}",
            note(&o, 0)
        );
        // A configuration without hooks is no hook.
        let o = assert_fail(r, &[(".pre-commit-config.yaml", "repos: []\n")]);
        assert_eq!(o.evidence[0].path, ".pre-commit-config.yaml");
    }

    #[test]
    fn husky_with_lint_staged_and_other_managers() {
        let r = rule(RULES, "dx-pre-commit-hooks");
        let pkg = "{\n  \"devDependencies\": {\"husky\": \"^9\"},\n  \"lint-staged\": {\n    \"*.ts\": [\"eslint --fix\", \"prettier --write\"]\n  }\n}\n";
        let o = assert_pass(
            r,
            &[
                ("package.json", pkg),
                (
                    ".husky/pre-commit",
                    "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\nnpx lint-staged\n",
                ),
                (".husky/_/husky.sh", "x"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".husky/pre-commit", Some(4))
        );
        assert!(note(&o, 0).contains("eslint --fix"), "{}", note(&o, 0));
        // lint-staged with nothing that runs it.
        let o = assert_fail(r, &[("package.json", pkg)]);
        assert_eq!(o.evidence[0].line, Some(3));
        assert!(note(&o, 0).contains("no git hook runs it"));
        let o = assert_pass(
            r,
            &[(
                "lefthook.yml",
                "pre-push:\n  commands:\n    test:\n      run: go test ./...\n",
            )],
        );
        assert!(note(&o, 0).contains("go test"), "{}", note(&o, 0));
        assert_pass(
            r,
            &[(
                "package.json",
                "{\"simple-git-hooks\": {\"pre-commit\": \"npx lint-staged\"}}",
            )],
        );
        assert_pass(
            r,
            &[(".githooks/pre-commit", "#!/bin/sh\ncargo fmt --check\n")],
        );
        assert_fail(
            r,
            &[("README.md", "x"), (".husky/pre-commit", "# nothing yet\n")],
        );
    }

    #[test]
    fn lint_config_per_stack() {
        let r = rule(RULES, "dx-lint-config");
        let o = assert_pass(
            r,
            &[(
                "pyproject.toml",
                "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 100\n",
            )],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("pyproject.toml", Some(4))
        );
        // Run with defaults by CI counts; `ruff format` alone formats, it does not lint.
        assert_pass(
            r,
            &[
                ("requirements.txt", "x"),
                (
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  l:\n    steps:\n      - run: ruff check .\n",
                ),
            ],
        );
        assert_fail(
            r,
            &[
                ("requirements.txt", "x"),
                (
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  l:\n    steps:\n      - run: ruff format --check .\n",
                ),
            ],
        );
        let o = assert_fail(r, &[("Cargo.toml", "[package]\nname = \"x\"\n")]);
        assert!(note(&o, 0).contains("cargo clippy"), "{}", note(&o, 0));
        assert_pass(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                (
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  l:\n    steps:\n      - run: cargo clippy -- -D warnings\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[(
                "Cargo.toml",
                "[package]\n\n[lints.clippy]\npedantic = \"warn\"\n",
            )],
        );
        // ESLint as a dependency without a config file does not lint.
        let pkg = "{\n  \"scripts\": {\"lint\": \"next lint\"},\n  \"devDependencies\": {\n    \"eslint\": \"^9\"\n  }\n}\n";
        let o = assert_fail(r, &[("package.json", pkg)]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("package.json", Some(4))
        );
        assert_pass(
            r,
            &[
                ("package.json", pkg),
                ("eslint.config.mjs", "export default []\n"),
            ],
        );
        // Every stack must be covered: Python is, Node is not.
        let o = assert_fail(
            r,
            &[
                ("package.json", "{}"),
                ("api/pyproject.toml", "[tool.ruff]\n"),
            ],
        );
        assert!(
            o.message
                .starts_with("no linter configured or run for: node ("),
            "{}",
            o.message
        );
        // Step names and installed components are not runs of the linter.
        assert_fail(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                (
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  l:\n    name: fmt and clippy\n    steps:\n      - run: rustup component add clippy\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[("go.mod", "module x\n"), (".golangci.yml", "linters: {}\n")],
        );
        let o = assert_fail(r, &[("go.mod", "module x\n")]);
        assert!(note(&o, 0).contains("go vet"));
        assert_na(r, &[("README.md", "x")]);
    }

    #[test]
    fn missing_task_runner_gets_a_makefile_of_the_repositorys_commands() {
        let r = rule(RULES, "dx-task-runner");
        let files = [
            (
                "pyproject.toml",
                "[project]\nname = \"a\"\n[tool.ruff]\n[build-system]\nrequires = [\"hatchling\"]\n",
            ),
            ("uv.lock", "version = 1\n"),
        ];
        let o = assert_fail(r, &files);
        let mk = o.fix.expect("a Makefile");
        assert!(
            mk.contains("setup:  ## install dependencies\n\tuv sync --locked\n")
                && mk.contains("test:  ## run the tests\n\tuv run pytest\n"),
            "{mk}"
        );
        // Committed, it is the entry point the rule asks for.
        assert_pass(r, &[files[0], files[1], ("Makefile", &mk)]);
        // An existing Makefile is to be extended, not replaced.
        let o = assert_fail(r, &[files[0], files[1], ("Makefile", "test:\n\tpytest\n")]);
        assert_eq!(o.fix, None);
    }

    #[test]
    fn task_runner_targets_by_name_and_command() {
        let r = rule(RULES, "dx-task-runner");
        let mk = ".PHONY: test lint build\nVERSION := 1\n\ntest: ## run tests\n\tpytest\n\nlint:\n\truff check .\n\nbuild:\n\tdocker build .\n";
        let o = assert_pass(r, &[("pyproject.toml", "[project]\n"), ("Makefile", mk)]);
        let lines: Vec<Option<u32>> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(4), Some(7), Some(10)]);
        // Classified by the command when the name says nothing.
        assert_pass(
            r,
            &[("justfile", "set shell := [\"bash\", \"-c\"]\n\nverify:\n    cargo nextest run\nstyle-check:\n    ruff check .\nimage:\n    docker build .\n")],
        );
        let o = assert_fail(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("Makefile", "test:\n\tpytest\n"),
            ],
        );
        assert!(o.message.contains("lint, build/run"), "{}", o.message);
        assert_eq!(o.evidence[0].path, "Makefile");
        let o = assert_fail(r, &[("pyproject.toml", "[project]\n")]);
        assert_eq!(o.evidence[0].path, "pyproject.toml");
        // A setup target that installs clippy is no lint target.
        let o = assert_fail(
            r,
            &[(
                "Makefile",
                "setup:\n\trustup component add clippy\ntest:\n\tx\nbuild:\n\tx\n",
            )],
        );
        assert!(o.message.ends_with("lacks lint"), "{}", o.message);
        // cal.com's web app: Playwright's recorder is no test target.
        let o = assert_fail(
            r,
            &[(
                "package.json",
                r#"{"scripts": {"build": "next build", "lint": "next lint", "test-codegen": "yarn playwright codegen http://localhost:3000"}}"#,
            )],
        );
        assert!(o.message.ends_with("lacks test"), "{}", o.message);
        // `./...` is Go's package pattern, not a program being run.
        let o = assert_fail(
            r,
            &[(
                "Makefile",
                "test:\n\tgo test ./...\nlint:\n\tgo vet ./...\n",
            )],
        );
        assert!(o.message.ends_with("lacks build/run"), "{}", o.message);
        // tox envs next to a PEP 517 build backend.
        let o = assert_pass(
            r,
            &[
                ("pyproject.toml", "[build-system]\nrequires = [\"hatchling\"]\n"),
                ("tox.ini", "[tox]\nenv_list = py312, lint\n\n[testenv]\ncommands = pytest\n\n[testenv:lint]\ncommands = ruff check .\n"),
            ],
        );
        let lint = o
            .evidence
            .iter()
            .find(|e| e.path == "tox.ini" && e.line == Some(7));
        assert!(lint.is_some(), "{:?}", o.evidence);
        // npm scripts of a workspace package, with lines.
        let pkg = "{\n  \"scripts\": {\n    \"dev\": \"next dev\",\n    \"build\": \"next build\",\n    \"lint\": \"eslint .\",\n    \"test\": \"jest\"\n  }\n}\n";
        let o = assert_pass(
            r,
            &[
                ("package.json", "{\"scripts\": {\"dev\": \"x\"}}"),
                ("apps/web/package.json", pkg),
            ],
        );
        assert!(o.evidence.iter().all(|e| e.path == "apps/web/package.json"));
        // `build` is preferred over `dev` for the build slot.
        let lines: Vec<Option<u32>> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(4), Some(5), Some(6)]);
        // Toolchains with standard commands.
        let o = assert_pass(r, &[("Cargo.toml", "[package]\nname = \"x\"\n")]);
        assert!(note(&o, 0).contains("built into the toolchain"));
        assert_pass(r, &[("go.mod", "module x\n\ngo 1.22\n")]);
        // poe tasks in pyproject.toml and nox sessions.
        assert_pass(
            r,
            &[("pyproject.toml", "[tool.poe.tasks]\ntest = \"pytest\"\nlint.cmd = \"ruff check\"\nserve = \"uvicorn app:app\"\n")],
        );
        assert_pass(
            r,
            &[("noxfile.py", "import nox\n\n@nox.session\ndef tests(session):\n    session.run(\"pytest\")\n\n@nox.session\ndef lint(session):\n    session.run(\"ruff\", \"check\")\n\n@nox.session\ndef build(session):\n    session.run(\"uv\", \"build\")\n")],
        );
    }

    #[test]
    fn one_command_setup_for_services() {
        let r = rule(RULES, "dx-one-command-setup");
        let o = assert_pass(
            r,
            &[
                ("Dockerfile", "FROM x"),
                ("Makefile", "build:\n\tx\nsetup:\n\tuv sync\n"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("Makefile", Some(3))
        );
        assert_pass(
            r,
            &[
                ("Dockerfile", "FROM x"),
                ("script/bootstrap", "#!/bin/sh\nbundle install\n"),
            ],
        );
        assert_pass(r, &[("Dockerfile", "FROM x"), ("dev.bat", "start cmd\n")]);
        let o = assert_pass(
            r,
            &[(
                "docker-compose.yml",
                "services:\n  api:\n    build: .\n  db:\n    image: postgres\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        // Compose with backing services only, and hand-written README steps.
        let o = assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                (
                    "docker-compose.yml",
                    "services:\n  db:\n    image: postgres\n",
                ),
                ("README.md", "# X\n\n## Setup\n\n```sh\nuv sync\n```\n"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("README.md", Some(3))
        );
        // npm's `dev` is the framework's dev server, not a setup.
        assert_fail(
            r,
            &[
                ("next.config.js", "x"),
                ("package.json", "{\"scripts\": {\"dev\": \"next dev\"}}"),
            ],
        );
        assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                ("setup.py", "from setuptools import setup\nsetup()\n"),
            ],
        );
        assert_na(r, &[("Cargo.toml", "[package]"), ("src/lib.rs", "")]);
    }

    /// brocoders/nestjs-boilerplate: the e2e stack CI starts builds a mail catcher and the API
    /// from a test Dockerfile; the development compose file builds the app.
    const NEST_CI_WORKFLOW: &str = "name: NestJS API CI\n\non:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\n\njobs:\n  build:\n    runs-on: ubuntu-latest\n\n    steps:\n      - uses: actions/checkout@v6\n\n      # <database-relational-block>\n      - name: Run e2e tests for NestJS with TypeORM\n        id: relational\n        run: docker compose -f docker-compose.relational.ci.yaml --env-file env-example-relational -p ci-relational up --build --exit-code-from api\n";
    const NEST_CI_COMPOSE: &str = "services:\n  postgres:\n    image: postgres:17.5-alpine\n    expose:\n      - 5432\n    environment:\n      POSTGRES_USER: ${DATABASE_USERNAME}\n      POSTGRES_PASSWORD: ${DATABASE_PASSWORD}\n      POSTGRES_DB: ${DATABASE_NAME}\n\n  maildev:\n    build:\n      context: .\n      dockerfile: maildev.Dockerfile\n    expose:\n      - 1080\n      - 1025\n\n  # Uncomment to use redis\n  # redis:\n  #   image: redis:7-alpine\n  #   expose:\n  #     - 6379\n\n  api:\n    build:\n      context: .\n      dockerfile: relational.e2e.Dockerfile\n    env_file:\n      - env-example-relational\n";
    const NEST_DEV_COMPOSE: &str = "services:\n  postgres:\n    image: postgres:17.4-alpine\n    ports:\n      - ${DATABASE_PORT}:5432\n\n  maildev:\n    image: maildev/maildev:2.0.5\n    ports:\n      - ${MAIL_CLIENT_PORT}:1080\n      - ${MAIL_PORT}:1025\n\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    ports:\n      - ${APP_PORT}:${APP_PORT}\n";

    #[test]
    fn one_command_setup_leaves_out_ci_stacks_and_dev_tools() {
        let r = rule(RULES, "dx-one-command-setup");
        let service = ("Dockerfile", "FROM node:22\nCMD [\"npm\", \"start\"]\n");
        let ci = (".github/workflows/docker-e2e.yml", NEST_CI_WORKFLOW);
        // The CI stack alone sets nothing up for a developer, mail catcher or not.
        let o = assert_fail(
            r,
            &[
                service,
                ci,
                ("docker-compose.relational.ci.yaml", NEST_CI_COMPOSE),
            ],
        );
        assert!(!o.message.contains("maildev"), "{o:?}");
        // Next to it, the development compose file is the evidence, at its app's build.
        let o = assert_pass(
            r,
            &[
                service,
                ci,
                ("docker-compose.relational.ci.yaml", NEST_CI_COMPOSE),
                ("docker-compose.yaml", NEST_DEV_COMPOSE),
            ],
        );
        assert_eq!(locations(&o), [("docker-compose.yaml", Some(14))]);
        // A mail catcher built locally is not the app; the app after it is.
        let tools_first = NEST_CI_COMPOSE.replace(
            "dockerfile: relational.e2e.Dockerfile",
            "dockerfile: Dockerfile",
        );
        let o = assert_pass(r, &[service, ("compose.yaml", &tools_first)]);
        assert_eq!(locations(&o), [("compose.yaml", Some(26))]);
        assert!(note(&o, 0).contains("`api`"), "{o:?}");
        let tools_only = "services:\n  mailpit:\n    build: ./mailpit\n";
        assert_fail(r, &[service, ("compose.yaml", tools_only)]);
        // A compose file CI names with -f and nothing else mentions is CI's; a README that
        // tells developers to run it makes it theirs. One kept under .github/ is CI's.
        let stack = NEST_DEV_COMPOSE;
        let by_ci = NEST_CI_WORKFLOW.replace(
            "docker-compose.relational.ci.yaml",
            "docker-compose.stack.yaml",
        );
        let ci = (".github/workflows/docker-e2e.yml", by_ci.as_str());
        assert_fail(r, &[service, ci, ("docker-compose.stack.yaml", stack)]);
        assert_pass(
            r,
            &[
                service,
                ci,
                ("docker-compose.stack.yaml", stack),
                (
                    "README.md",
                    "# API\n\nRun `docker compose -f docker-compose.stack.yaml up`.\n",
                ),
            ],
        );
        assert_fail(r, &[service, (".github/compose.yaml", stack)]);
    }

    #[test]
    fn devcontainer_and_reproducible_environments() {
        let r = rule(RULES, "dx-devcontainer");
        let o = assert_pass(
            r,
            &[(".devcontainer/devcontainer.json", "// dev\n{\n  \"image\": \"mcr.microsoft.com/devcontainers/python:3.12\",\n  \"postCreateCommand\": \"make setup\"\n}\n")],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert!(note(&o, 0).contains("postCreateCommand"));
        assert_pass(
            r,
            &[(
                "flake.nix",
                "{\n  outputs = x: {\n    devShells.default = 1;\n  };\n}\n",
            )],
        );
        assert_pass(r, &[("devbox.json", "{\"packages\": [\"nodejs@20\"]}")]);
        let o = assert_fail(r, &[(".devcontainer/Dockerfile", "FROM x")]);
        assert_eq!(o.evidence[0].path, ".devcontainer/Dockerfile");
        // full-stack-fastapi-template: compose.override.yml is the development override.
        let o = assert_pass(
            r,
            &[
                ("compose.yml", "services:\n  db:\n    image: postgres:18\n  backend:\n    image: backend\n"),
                ("compose.override.yml", "services:\n  db:\n    ports:\n      - \"5432:5432\"\n\n  mailcatcher:\n    image: schickling/mailcatcher\n    ports:\n      - \"1080:1080\"\n      - \"1025:1025\"\n\n  backend:\n    ports:\n      - \"8000:8000\"\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n    command:\n      - fastapi\n      - run\n      - --reload\n      - \"app/main.py\"\n"),
            ],
        );
        assert_eq!(locations(&o), [("compose.override.yml", None)]);
        // An override that only adds a mail catcher is no development environment.
        assert_fail(
            r,
            &[(
                "docker-compose.override.yml",
                "services:\n  mailcatcher:\n    image: schickling/mailcatcher\n    ports:\n      - \"1080:1080\"\n",
            )],
        );
        // A flake that only builds a package has no dev shell; .tool-versions pins, no more.
        assert_fail(
            r,
            &[
                ("flake.nix", "{ outputs = x: { packages = 1; }; }"),
                (".tool-versions", "nodejs 20\n"),
            ],
        );
    }

    #[test]
    fn env_example_when_the_service_reads_the_environment() {
        let r = rule(RULES, "dx-env-example");
        let code = (
            "app/config.py",
            "import os\n\nDB = os.environ[\"DATABASE_URL\"]\n",
        );
        let o = assert_pass(
            r,
            &[
                ("Dockerfile", "FROM x"),
                code,
                ("deploy/.env.example", "# db\nDATABASE_URL=\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "deploy/.env.example");
        assert!(note(&o, 0).starts_with("1 variable"), "{}", note(&o, 0));
        let o = assert_fail(r, &[("Dockerfile", "FROM x"), code]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("app/config.py", Some(3))
        );
        // Pydantic settings and a gitignored .env also show environment configuration.
        let o = assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                (".gitignore", "node_modules\n.env\n"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".gitignore", Some(2))
        );
        // An empty template documents nothing.
        assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                code,
                (".env.example", "# fill me\n"),
            ],
        );
        // NODE_ENV alone is set by the runtime; tests reading env do not count.
        assert_na(
            r,
            &[
                ("Dockerfile", "FROM x"),
                (
                    "src/a.ts",
                    "if (process.env.NODE_ENV === 'production') {}\n",
                ),
                ("tests/a.test.ts", "process.env.X\n"),
            ],
        );
        assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                (
                    "src/a.ts",
                    "const k = process.env.API_KEY\nprocess.env.NODE_ENV\n",
                ),
            ],
        );
        // Libraries are not asked.
        assert_na(
            r,
            &[
                ("Cargo.toml", "[package]"),
                ("src/lib.rs", concat!("std::env::", "var(\"X\")")),
            ],
        );
    }

    #[test]
    fn toolchain_pinned_per_stack() {
        let r = rule(RULES, "dx-toolchain-pinned");
        assert_pass(r, &[("package.json", "{}"), (".nvmrc", "20\n")]);
        let o = assert_pass(
            r,
            &[(
                "package.json",
                "{\n  \"name\": \"x\",\n  \"engines\": {\n    \"node\": \">=20\"\n  }\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(4));
        let o = assert_fail(
            r,
            &[(
                "package.json",
                "{\n  \"packageManager\": \"pnpm@9.12.1\"\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert!(note(&o, 0).contains("pnpm@9.12.1"));
        let o = assert_pass(
            r,
            &[(
                "pyproject.toml",
                "[project]\nrequires-python = \">=3.11\"\n",
            )],
        );
        assert!(note(&o, 0).contains("range"), "{}", note(&o, 0));
        assert_pass(r, &[("go.mod", "module x\n\ngo 1.22\n")]);
        assert_pass(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                ("rust-toolchain.toml", "[toolchain]\nchannel = \"1.85\"\n"),
            ],
        );
        let o = assert_pass(
            r,
            &[
                ("requirements.txt", "x"),
                (".tool-versions", "nodejs 20.1.0\npython 3.12.1\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        let o = assert_fail(
            r,
            &[
                ("package.json", "{}"),
                (".python-version", "3.12\n"),
                ("requirements.txt", "x"),
            ],
        );
        assert_eq!(o.message, "toolchain version not pinned for: node");
        assert_fail(r, &[("app.csproj", "<Project/>")]);
        assert_na(r, &[("README.md", "x")]);
    }

    #[test]
    fn editorconfig_at_root() {
        let r = rule(RULES, "dx-editorconfig");
        let o = assert_pass(
            r,
            &[(
                ".editorconfig",
                "root = true\n\n[*]\nindent_style = space\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(r, &[(".editorconfig", "root = true\n")]);
        let o = assert_fail(
            r,
            &[("README.md", "x"), ("web/.editorconfig", "[*]\nx = 1\n")],
        );
        assert_eq!(o.evidence[0].path, "web/.editorconfig");
    }
    #[test]
    fn seed_data_when_a_database_is_used() {
        let r = rule(RULES, "dx-seed-data");
        let pkg = (
            "package.json",
            "{\n  \"dependencies\": {\"@prisma/client\": \"5\", \"next\": \"14\"}\n}\n",
        );
        let svc = ("next.config.js", "module.exports = {}\n");
        let o = assert_pass(r, &[pkg, svc, ("prisma/seed.ts", "main()\n")]);
        assert_eq!(o.evidence[0].path, "prisma/seed.ts");
        assert_fail(r, &[pkg, svc, ("src/app.ts", "x\n")]);
        // .NET names its seed class SeedData or DbSeeder.
        let csproj = (
            "Api.csproj",
            "<Project><PackageReference Include=\"Npgsql\" /></Project>\n",
        );
        let o = assert_pass(
            r,
            &[svc, csproj, ("Data/SeedData.cs", "class SeedData {}\n")],
        );
        assert_eq!(o.evidence[0].path, "Data/SeedData.cs");
        assert_fail(
            r,
            &[svc, csproj, ("Data/Seedling.cs", "class Seedling {}\n")],
        );
        assert_na(
            r,
            &[
                svc,
                ("package.json", "{\"dependencies\": {\"next\": \"14\"}}\n"),
            ],
        );
    }

    /// Each stack's linter snippet makes the rule pass; the fix names only the stacks without
    /// a linter.
    #[test]
    fn lint_snippets_pass_and_the_fix_covers_the_stacks_without_a_linter() {
        use crate::detect::StackId::*;
        let r = rule(RULES, "dx-lint-config");
        let manifests = [
            (Node, "package.json", "{\"name\": \"x\"}"),
            (Python, "pyproject.toml", "[project]\nname = \"x\"\n"),
            (Go, "go.mod", "module x\n"),
            (Rust, "Cargo.toml", "[package]\nname = \"x\"\n"),
            (
                Java,
                "pom.xml",
                "<project>\n<build><plugins>\n</plugins></build>\n</project>\n",
            ),
            (Ruby, "Gemfile", "source \"https://rubygems.org\"\n"),
            (
                Dotnet,
                "App.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
            ),
        ];
        for (stack, manifest, text) in manifests {
            let o = assert_fail(r, &[(manifest, text)]);
            let fix = o.fix.clone().expect("a fix");
            assert_eq!(fix, stack_snippet(r, stack), "{stack:?}");
            // Apply each file the snippet names; a section for the manifest is merged into it.
            let mut files: Vec<(String, String)> = vec![(manifest.into(), text.into())];
            for (header, body) in sections(&fix) {
                let path = snippet_path(header);
                let (path, body) = match path {
                    ".github/workflows/ci.yml" => (path.to_string(), workflow_with_steps(&body)),
                    "pom.xml" => (
                        path.into(),
                        text.replace("</plugins>", &format!("{body}</plugins>")),
                    ),
                    "pyproject.toml" | "Cargo.toml" => (path.into(), format!("{text}\n{body}")),
                    _ => (path.into(), body),
                };
                files.retain(|(p, _)| *p != path);
                files.push((path, body));
            }
            assert_verdict(r, &files, true, &format!("{stack:?} snippet applied"));
        }
        // Two stacks, only the second without a linter: the fix is that stack's alone.
        let o = assert_fail(
            r,
            &[
                ("package.json", "{\"name\": \"x\"}"),
                ("eslint.config.mjs", "export default []\n"),
                ("pyproject.toml", "[project]\nname = \"x\"\n"),
            ],
        );
        assert_eq!(o.fix.as_deref(), Some(stack_snippet(r, Python)));
        let o = assert_fail(
            r,
            &[
                ("package.json", "{\"name\": \"x\"}"),
                ("go.mod", "module x\n"),
            ],
        );
        let both = format!("{}\n\n{}", stack_snippet(r, Node), stack_snippet(r, Go));
        assert_eq!(o.fix.as_deref(), Some(both.as_str()));
    }

    /// Each stack's seed file, added to a service of that stack that uses a database, passes.
    #[test]
    fn seed_snippets_pass() {
        use crate::detect::StackId;
        let r = rule(RULES, "dx-seed-data");
        let manifest = |stack: StackId| {
            match stack {
            StackId::Node => ("package.json", "{\"dependencies\": {\"@prisma/client\": \"6\"}}\n"),
            StackId::Python => ("requirements.txt", "psycopg2-binary==2.9\n"),
            StackId::Go => ("go.mod", "module x\n\nrequire github.com/jackc/pgx/v5 v5.7.0\n"),
            StackId::Rust => ("Cargo.toml", "[package]\nname = \"x\"\n[dependencies]\nsqlx = \"0.8\"\n"),
            StackId::Java => ("pom.xml", "<project><artifactId>org.postgresql</artifactId></project>\n"),
            StackId::Ruby => ("Gemfile", "gem \"pg\"\n"),
            StackId::Dotnet => ("App.csproj", "<Project><PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\" /></Project>\n"),
        }
        };
        for stack in StackId::ALL {
            let (path, text) = manifest(stack);
            let service = [("Procfile", "web: ./serve\n"), (path, text)];
            assert_fail(r, &service);
            let snippet = stack_snippet(r, stack);
            let seed = snippet_path(snippet);
            let o = assert_pass(r, &[service[0], service[1], (seed, snippet)]);
            assert_eq!(o.evidence[0].path, seed, "{stack:?}");
        }
    }

    #[test]
    fn devcontainer_snippets_pass() {
        use crate::detect::StackId;
        let r = rule(RULES, "dx-devcontainer");
        assert_fail(r, &[("go.mod", "module x\n")]);
        for stack in StackId::ALL {
            let file = section(stack_snippet(r, stack), "devcontainer.json");
            assert_pass(r, &[(".devcontainer/devcontainer.json", &file)]);
        }
    }
}
