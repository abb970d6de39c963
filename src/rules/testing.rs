//! Tests and coverage: tests per stack, a real `test` script, coverage measured and enforced,
//! end-to-end, integration, load and performance tests.

use super::observability::{
    app_sources, deps, grep, grep_file, is_yaml, lazy_gated, lazy_re, project_anchor, signal_hits,
    stack_of_ext, vendored_file, ALL_SOURCES,
};
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{json_key_line, StackId};
use crate::index::IndexedFile;
use crate::pattern::Gated;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Test files by convention
// ---------------------------------------------------------------------------------------------

/// Directory segments that hold test data or helpers, not tests.
const NOT_TESTS: &[&str] = &[
    "fixtures",
    "fixture",
    "testdata",
    "__mocks__",
    "__snapshots__",
    "mocks",
    "snapshots",
];

/// A test file (by [`test_file_stack`]) with its stack and the kinds of test its path says it
/// is. The kinds are decided once per scan: several rules filter the test files by them, and
/// a monorepo has tens of thousands.
pub(super) struct TestFile {
    index: usize,
    stack: StackId,
    /// Under a `unit` folder: cited first.
    unit: bool,
    integration: bool,
    e2e: bool,
    perf: bool,
}

impl TestFile {
    fn new(index: usize, f: &IndexedFile, pytest: &[PytestFiles]) -> Option<Self> {
        let stack = test_file_stack(f).or_else(|| pytest_module(f, pytest))?;
        Some(TestFile {
            index,
            stack,
            unit: has_seg(&f.path, &["unit", "unit_tests", "unittests", "unit-tests"]),
            integration: is_integration_test(f),
            e2e: is_e2e_test(f),
            perf: is_perf_test(f),
        })
    }

    /// Unit tests first when citing: the question "are there tests" is about them.
    fn cite_rank(&self) -> u8 {
        if self.unit {
            0
        } else if self.integration || self.e2e || self.perf {
            2
        } else {
            1
        }
    }
}

/// Test files with what is known about them, in path order; computed once.
fn test_files<'a>(ctx: &Context<'a>) -> impl Iterator<Item = (&'a IndexedFile, &'a TestFile)> {
    let index = ctx.index;
    let files = index.models.derived.test_files.get_or_init(|| {
        let pytest = pytest_python_files(index);
        index
            .files()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| TestFile::new(i, f, &pytest))
            .collect()
    });
    files.iter().map(|t| (&index.files()[t.index], t))
}

/// The stack a test file belongs to, by the conventions of each ecosystem.
fn test_file_stack(f: &IndexedFile) -> Option<StackId> {
    if !f.is_source() || vendored_file(f) {
        return None;
    }
    let stack = stack_of_ext(f.ext())?;
    // Runs for every source file: folders are compared ignoring ASCII case (the lists are
    // lowercase) instead of lowercasing the whole path.
    let name = f.name().to_ascii_lowercase();
    let dirs = || f.path[..f.path.len() - f.name().len()].split_terminator('/');
    if dirs().any(|d| is_one_of(d, NOT_TESTS)) {
        return None;
    }
    let in_dir = |names: &[&str]| dirs().any(|d| is_one_of(d, names));
    let orig = f.name();
    let is_test = match stack {
        StackId::Node => {
            name.contains(".test.")
                || name.contains(".spec.")
                // cal.com's `*.integration-test.ts`.
                || name.contains("integration-test.")
                || name.contains("integration_test.")
                || name.contains(".e2e-spec.")
                || name.contains(".e2e.")
                || in_dir(&[
                    "__tests__",
                    "test",
                    "tests",
                    "e2e",
                    "cypress",
                    "playwright",
                    "spec",
                ])
        }
        StackId::Python => {
            name != "__init__.py"
                && name != "conftest.py"
                && (name.starts_with("test_")
                    || name.ends_with("_test.py")
                    || in_dir(&["tests", "test"]))
        }
        StackId::Go => name.ends_with("_test.go"),
        // Cargo's integration tests; unit tests are found by the #[test] signal.
        StackId::Rust => in_dir(&["tests"]),
        StackId::Java => {
            let lower = f.path.to_ascii_lowercase();
            lower.contains("src/test/")
                || lower.contains("src/it/")
                || lower.contains("src/integrationtest/")
                || ["Test", "Tests", "IT", "Spec"].iter().any(|s| {
                    orig.rsplit_once('.')
                        .is_some_and(|(stem, _)| stem.ends_with(s) && stem.len() > s.len())
                })
        }
        StackId::Ruby => name.ends_with("_spec.rb") || name.ends_with("_test.rb"),
        StackId::Dotnet => {
            name.ends_with("tests.cs")
                || name.ends_with("test.cs")
                || dirs().any(|d| {
                    ends_with_ignore_case(d, ".tests")
                        || ends_with_ignore_case(d, ".test")
                        || d.eq_ignore_ascii_case("tests")
                })
        }
    };
    is_test.then_some(stack)
}

/// pytest's `python_files` of one configuration file: which modules under `dir` are tests
/// (chardet collects its tests from `test.py`).
struct PytestFiles {
    dir: String,
    names: globset::GlobSet,
}

/// Where pytest reads its options, and the section that holds them.
const PYTEST_CONFIGS: &[(&str, &str)] = &[
    ("pytest.ini", "[pytest]"),
    ("pyproject.toml", "[tool.pytest.ini_options]"),
    ("pyproject.toml", "[tool.pytest]"),
    ("tox.ini", "[pytest]"),
    ("setup.cfg", "[tool:pytest]"),
];

/// The `python_files` patterns of every pytest configuration in the tree. Patterns that
/// match any module (`*.py`) are left out: with them, `testpaths` decides, and the test
/// folders are found by convention already.
fn pytest_python_files(index: &crate::index::Index) -> Vec<PytestFiles> {
    let mut out = Vec::new();
    for (file, section) in PYTEST_CONFIGS {
        for f in index.named(file).filter(|f| !f.vendored) {
            let Some(value) = f.text().and_then(|t| python_files_value(t, section)) else {
                continue;
            };
            let mut names = globset::GlobSetBuilder::new();
            let mut any = false;
            for pattern in value
                .split(|c: char| c.is_whitespace() || c == ',')
                .map(|p| p.trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']')))
                .filter(|p| {
                    p.ends_with(".py") && !p.contains('/') && p.trim_start_matches('*') != ".py"
                })
            {
                if let Ok(g) = globset::Glob::new(pattern) {
                    names.add(g);
                    any = true;
                }
            }
            if let (true, Ok(names)) = (any, names.build()) {
                let dir = crate::index::parent_dir(&f.path).to_string();
                out.push(PytestFiles { dir, names });
            }
        }
    }
    out
}

/// The value of `python_files` in `section` of an ini or TOML file, continuation lines
/// (indented, ini) and a bracketed list over several lines (TOML) included.
fn python_files_value(text: &str, section: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|l| l.trim() != section).skip(1);
    let mut value = loop {
        let t = lines.next()?.trim();
        if t.starts_with('[') && t.ends_with(']') {
            return None; // the next section
        }
        if let Some(rest) = t.strip_prefix("python_files") {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) {
                break v.trim().to_string();
            }
        }
    };
    let open_list = value.starts_with('[') && !value.contains(']');
    if value.is_empty() || open_list {
        for l in lines.take(20) {
            let t = l.trim();
            if t.is_empty() || !(open_list || l.starts_with([' ', '\t'])) {
                break;
            }
            value.push(' ');
            value.push_str(t);
            if t.contains(']') {
                break;
            }
        }
    }
    Some(value)
}

/// A Python module that a pytest configuration's `python_files` names a test, under its folder.
fn pytest_module(f: &IndexedFile, pytest: &[PytestFiles]) -> Option<StackId> {
    if f.ext() != "py" || matches!(f.name(), "__init__.py" | "conftest.py") || vendored_file(f) {
        return None;
    }
    pytest
        .iter()
        .any(|p| {
            (p.dir.is_empty()
                || f.path
                    .strip_prefix(p.dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
                && p.names.is_match(f.name())
        })
        .then_some(StackId::Python)
}

/// `seg` equals one of `names` (lowercase), ignoring ASCII case: what lowercasing `seg` and
/// comparing would say, without the allocation.
fn is_one_of(seg: &str, names: &[&str]) -> bool {
    names.iter().any(|n| seg.eq_ignore_ascii_case(n))
}

/// `s` ends with `suffix` (lowercase ASCII), ignoring ASCII case.
fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    let (s, suffix) = (s.as_bytes(), suffix.as_bytes());
    s.len() >= suffix.len() && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn has_seg(path: &str, names: &[&str]) -> bool {
    path.split('/').any(|s| is_one_of(s, names))
}

const INTEGRATION_DIRS: &[&str] = &[
    "integration",
    "integration_tests",
    "integration-tests",
    "integrationtests",
    "integration_test",
    "integration-test",
    "integrationtest",
    "it",
];
const E2E_DIRS: &[&str] = &[
    "e2e",
    "e2e-tests",
    "e2e_tests",
    "end-to-end",
    "end_to_end",
    "cypress",
    "playwright",
];
const PERF_DIRS: &[&str] = &[
    "performance",
    "perf",
    "benchmark",
    "benchmarks",
    "bench",
    "benches",
    "load",
    "loadtest",
    "load-tests",
    "load_tests",
];

fn is_integration_test(f: &IndexedFile) -> bool {
    let name = f.name();
    let lower = name.to_ascii_lowercase();
    has_seg(&f.path, INTEGRATION_DIRS)
        || lower.contains("integration")
        || lower.contains(".int.test.")
        || lower.contains(".int.spec.")
        || lower.contains(".it.test.")
        || lower.contains(".it.spec.")
        // Rails request specs go through routing, controllers and the database (system and
        // feature specs drive a browser: end-to-end).
        || f.path.starts_with("spec/requests/")
        || f.path.contains("/spec/requests/")
        || name.ends_with("IT.java")
        || name.ends_with("IT.kt")
}

fn is_e2e_test(f: &IndexedFile) -> bool {
    let lower = f.name().to_ascii_lowercase();
    has_seg(&f.path, E2E_DIRS)
        || lower.contains(".e2e.")
        || lower.contains(".e2e-spec.")
        || lower.contains("_e2e_test.")
        || lower.starts_with("test_e2e")
        // Rails system and feature specs drive a browser.
        || f.path.contains("spec/system/")
        || f.path.contains("spec/features/")
        || f.path.contains("test/system/")
}

fn is_perf_test(f: &IndexedFile) -> bool {
    let lower = f.name().to_ascii_lowercase();
    has_seg(&f.path, PERF_DIRS)
        || [
            ".performance.",
            ".perf.",
            ".bench.",
            ".benchmark.",
            ".load.",
        ]
        .iter()
        .any(|s| lower.contains(s))
        || lower.starts_with("bench_")
        || lower.starts_with("benchmark_")
        || lower.contains("_benchmark")
}

/// Below this many lines of application code a stack is tooling, not a product to test.
const MIN_CODE_LINES: u64 = 50;

fn tests_present(ctx: &Context) -> Outcome {
    let mut code: BTreeMap<StackId, u64> = BTreeMap::new();
    let mut tests: BTreeMap<StackId, Vec<(&IndexedFile, &TestFile)>> = BTreeMap::new();
    let mut is_test_file = vec![false; ctx.index.files().len()];
    for (f, t) in test_files(ctx).filter(|(_, t)| ctx.has_stack(t.stack)) {
        tests.entry(t.stack).or_default().push((f, t));
        is_test_file[t.index] = true;
    }
    for (i, f, s) in app_sources(ctx) {
        if !is_test_file[i] {
            *code.entry(s).or_default() += u64::from(f.lines);
        }
    }
    let mut evidence = Vec::new();
    for (stack, files) in &mut tests {
        files.sort_by_key(|&(f, t)| (t.cite_rank(), f.path.as_str()));
        let n = files.len();
        evidence.extend(files.iter().take(5).map(|(f, _)| {
            Evidence::file(f.path.clone()).note(format!("{} test file ({n} in all)", stack.id()))
        }));
    }
    // In-source unit tests (Rust #[test], .NET [Fact]) count for their stack.
    for (id, stack) in [
        ("test-rust-unit", StackId::Rust),
        ("test-dotnet-attr", StackId::Dotnet),
    ] {
        if !ctx.has_stack(stack) {
            continue;
        }
        // A #[test] in tests/ is a test file, counted above; only the rest is in source.
        let hits: Vec<Evidence> = signal_hits(ctx, id, "unit tests in source")
            .into_iter()
            .filter(|e| ctx.index.file(&e.path).is_some_and(|f| !f.is_test))
            .collect();
        if !hits.is_empty() {
            tests.entry(stack).or_default();
            evidence.extend(hits.into_iter().take(5));
        }
    }
    let missing: Vec<(StackId, u64)> = code
        .iter()
        .filter(|(s, lines)| **lines >= MIN_CODE_LINES && !tests.contains_key(*s))
        .map(|(s, l)| (*s, *l))
        .collect();
    if tests.is_empty() && missing.is_empty() {
        return Outcome::na("no application code of a detected stack");
    }
    if missing.is_empty() {
        let stacks: Vec<&str> = tests.keys().map(|s| s.id()).collect();
        return Outcome::pass(format!("tests found for {}", stacks.join(", ")), evidence);
    }
    let what: Vec<String> = missing
        .iter()
        .map(|(s, l)| format!("{} ({l} lines of code)", s.id()))
        .collect();
    let anchors = missing
        .iter()
        .filter_map(|(s, _)| {
            ctx.stacks
                .iter()
                .find(|st| st.id == *s)
                .and_then(|st| st.evidence.first())
                .map(|e| Evidence::file(e.path.clone()).note(format!("no {} test files", s.id())))
        })
        .collect();
    Outcome::fail(format!("no tests for: {}", what.join(", ")), anchors)
}

// ---------------------------------------------------------------------------------------------
// package.json test script
// ---------------------------------------------------------------------------------------------

/// npm's `init` placeholder and other scripts that test nothing (`echo …`, `exit 0`, `true`).
fn is_placeholder_script(script: &str) -> bool {
    let s = script.trim();
    s.is_empty()
        || s.contains("no test specified")
        || s.split("&&")
            .flat_map(|p| p.split(';'))
            .flat_map(|p| p.split("||"))
            .map(str::trim)
            .all(|cmd| {
                cmd.is_empty()
                    || cmd.starts_with("echo ")
                    || cmd == "echo"
                    || cmd.starts_with("exit ")
                    || cmd == "true"
                    || cmd == ":"
            })
}

fn test_script(ctx: &Context) -> Outcome {
    let pkgs: Vec<&IndexedFile> = ctx
        .index
        .named("package.json")
        .filter(|f| !vendored_file(f))
        .collect();
    if pkgs.is_empty() {
        return Outcome::na("no package.json");
    }
    let (mut real, mut fake) = (Vec::new(), Vec::new());
    for f in &pkgs {
        let Some(text) = f.text() else { continue };
        let Some(json) = ctx.index.json(&f.path) else {
            continue;
        };
        let Some(script) = json.pointer("/scripts/test").and_then(|v| v.as_str()) else {
            continue;
        };
        let line = json_key_line(text, "test").unwrap_or(1);
        let e = Evidence::at(f.path.clone(), line).note(crate::model::ci::shorten(script));
        if is_placeholder_script(script) {
            fake.push(e);
        } else {
            real.push(e);
        }
    }
    if !real.is_empty() {
        Outcome::pass("package.json has a real test script", real)
    } else if !fake.is_empty() {
        Outcome::fail(
            "the test script is a placeholder (npm's \"no test specified\" or an echo)",
            fake,
        )
    } else {
        let anchor = pkgs
            .iter()
            .min_by_key(|f| (f.path.matches('/').count(), &f.path))
            .map(|f| Evidence::file(f.path.clone()).note("no scripts.test"));
        Outcome::fail(
            "no package.json defines scripts.test: `npm test` does nothing",
            anchor.into_iter().collect(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------------------------

/// Files where test runners and coverage tools are configured (besides CI).
fn is_test_config(f: &IndexedFile) -> bool {
    let name = f.name();
    matches!(
        name,
        "package.json"
            | "pyproject.toml"
            | "setup.cfg"
            | "tox.ini"
            | "pytest.ini"
            | ".coveragerc"
            | "noxfile.py"
            | "Makefile"
            | "makefile"
            | "GNUmakefile"
            | "justfile"
            | "Justfile"
            | ".justfile"
            | "Taskfile.yml"
            | "Taskfile.yaml"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "Gemfile"
            | ".simplecov"
            | "codecov.yml"
            | ".codecov.yml"
            | ".coveralls.yml"
            | "tarpaulin.toml"
            | ".tarpaulin.toml"
            | ".testcoverage.yml"
            | ".testcoverage.yaml"
            | "Directory.Build.props"
            | "coverlet.runsettings"
            | "nyc.config.js"
            | "karma.conf.js"
            | "sonar-project.properties"
    ) || name.starts_with("jest.config.")
        || name.starts_with("vitest.config.")
        || name.starts_with("vitest.workspace.")
        || name.starts_with("vite.config.")
        || name.starts_with(".nycrc")
        || name.starts_with(".c8rc")
        || name.ends_with(".csproj")
        || name.ends_with(".runsettings")
}

fn ci_paths(ctx: &Context) -> HashSet<String> {
    crate::model::ci::files(ctx.index)
        .into_iter()
        .map(|(_, f)| f.path.clone())
        .collect()
}

/// Files whose mere presence configures coverage collection.
const COVERAGE_FILES: &[&str] = &[
    ".coveragerc",
    "codecov.yml",
    ".codecov.yml",
    ".coveralls.yml",
    "tarpaulin.toml",
    ".tarpaulin.toml",
    ".simplecov",
    ".nycrc",
    ".nycrc.json",
    ".nycrc.yml",
    ".nycrc.yaml",
    ".c8rc",
    ".c8rc.json",
    ".testcoverage.yml",
];

fn coverage_threshold_evidence(ctx: &Context, ci: &HashSet<String>) -> Vec<Evidence> {
    static GENERIC: LazyLock<Gated> = lazy_gated!(
        r#"\bcoverageThreshold\b|["']?check-coverage["']?\s*[:=]\s*true|--check-coverage|--cov-fail-under|\bfail_under\s*=\s*\d|--fail-under|\bfail-under\s*=\s*\d|coverage\.thresholds|/p:Threshold=|<Threshold>\s*\d|go-test-coverage|\bminimum_coverage\b"#
    );
    static VITEST: LazyLock<Gated> = lazy_gated!(r"\bthresholds\s*:");
    static JVM: LazyLock<Gated> = lazy_gated!(
        r"<minimum>|\bviolationRules\b|jacocoTestCoverageVerification|\bminBound\s*\(|\bminimum\s*=\s*[\d.]|\bminValue\s*="
    );
    static TARGET: LazyLock<Gated> = lazy_gated!(r"^\s*target:\s*\S");
    static GO_THRESHOLD: LazyLock<Gated> = lazy_gated!(r"^\s*(?:threshold|total):\s*\S");
    let mut out = grep(ctx, |f| is_test_config(f) || ci.contains(&f.path), &GENERIC);
    out.extend(grep(
        ctx,
        |f| {
            let n = f.name();
            n.starts_with("vitest.") || n.starts_with("vite.config.")
        },
        &VITEST,
    ));
    out.extend(grep(
        ctx,
        |f| {
            matches!(f.name(), "pom.xml" | "build.gradle" | "build.gradle.kts")
                && f.text()
                    .is_some_and(|t| t.contains("jacoco") || t.contains("kover"))
        },
        &JVM,
    ));
    out.extend(grep(
        ctx,
        |f| matches!(f.name(), "codecov.yml" | ".codecov.yml"),
        &TARGET,
    ));
    out.extend(grep(
        ctx,
        |f| f.name().starts_with(".testcoverage."),
        &GO_THRESHOLD,
    ));
    out.extend(signal_hits(
        ctx,
        "test-ruby-coverage-min",
        "SimpleCov minimum",
    ));
    out
}

/// Commands and settings that collect coverage when the tests run.
static COVERAGE_RUN: LazyLock<Gated> = lazy_gated!(concat!(
    r#"--coverage\b|\bcollectCoverage["']?\s*:\s*true|--cov\b|--cov="#,
    r"|\bcoverage\s+(?:run|xml|report|lcov|json|combine)\b|(?:^|[\s\x22'=(&;])(?:nyc|c8)\s+[\w-]",
    r"|\s-cover(?:profile|pkg|mode)?\b|cargo[ -](?:llvm-cov|tarpaulin)|\bgrcov\b|jacoco|\bkover\b",
    r"|[Ss]imple[Cc]ov\.start\b|XPlat Code Coverage|CollectCoverage|codecov|coveralls",
    r"|--experimental-test-coverage|go-test-coverage"
));

/// Coverage configuration that measures nothing by itself: a `[tool.coverage]` table, a
/// vitest/jest `coverage: {…}` block, the plugin or tool as a dependency.
static COVERAGE_CONFIG: LazyLock<Gated> = lazy_gated!(concat!(
    r"\bcoverage\s*:\s*\{|\bnyc\b|\bc8\b|\bpytest-cov\b|^\s*\[tool\.coverage|^\s*\[coverage:",
    r"|[Ss]imple[Cc]ov|coverlet"
));

/// A `"name": "^1.2.3"` line of package.json: a dependency, not a script.
fn is_dependency_line(f: &IndexedFile, line: &str) -> bool {
    static DEP: LazyLock<Regex> =
        lazy_re!(r#"^\s*"[^"]+"\s*:\s*"(?:[\^~<>=*\d]|workspace:|npm:|latest|file:|link:|git)"#);
    f.name() == "package.json" && DEP.is_match(line)
}

/// `coverage: { …, enabled: true }` of a vitest/vite configuration: on for every run.
fn vitest_coverage_enabled(f: &IndexedFile) -> Option<Evidence> {
    static BLOCK: LazyLock<Regex> = lazy_re!(r"\bcoverage\s*:\s*\{");
    static ENABLED: LazyLock<Regex> = lazy_re!(r"\benabled\s*:\s*true\b");
    let text = f.text()?;
    let mut depth: Option<i64> = None;
    for (i, line) in text.lines().enumerate() {
        let rest = match depth {
            Some(_) => line,
            None => match BLOCK.find(line) {
                Some(m) => {
                    depth = Some(0);
                    &line[m.start()..]
                }
                None => continue,
            },
        };
        if ENABLED.is_match(rest) {
            return Some(
                Evidence::at(f.path.clone(), i as u32 + 1).note(crate::model::ci::shorten(line)),
            );
        }
        let d = depth.get_or_insert(0);
        *d += rest.matches('{').count() as i64 - rest.matches('}').count() as i64;
        if *d <= 0 {
            depth = None;
        }
    }
    None
}

fn coverage_measured(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no application stack detected");
    }
    let ci = ci_paths(ctx);
    let in_scope = |f: &IndexedFile| is_test_config(f) || ci.contains(&f.path);
    // Configuration files of coverage services name their tool (`codecov:`,
    // `sonar.coverage.jacoco.xmlReportPaths`) without running anything.
    let runs = |f: &IndexedFile| {
        in_scope(f)
            && (f.name() == ".simplecov"
                || !(COVERAGE_FILES.contains(&f.name()) || f.name() == "sonar-project.properties"))
    };
    // Coverage collected by a run: a CI step, a package script, tox/nox, a Makefile target,
    // `addopts = --cov`, `collectCoverage: true`, SimpleCov started by the test helper.
    let mut found: Vec<Evidence> = ctx
        .index
        .text_files()
        .filter(|f| !vendored_file(f) && runs(f))
        .flat_map(|f| {
            let mut ev: Vec<Evidence> = grep_file(f, &COVERAGE_RUN)
                .into_iter()
                .filter(|e| {
                    let line = e
                        .line
                        .and_then(|l| f.text()?.lines().nth((l as usize).checked_sub(1)?));
                    !line.is_some_and(|l| is_dependency_line(f, l))
                })
                .collect();
            let n = f.name();
            if n.starts_with("vitest.") || n.starts_with("vite.config.") {
                ev.extend(vitest_coverage_enabled(f));
            }
            ev
        })
        .collect();
    found.extend(signal_hits(ctx, "test-ruby-coverage", "SimpleCov started"));
    // Through the task files and scripts CI runs (`bash scripts/test.sh` running `coverage run`),
    // unless that line is already evidence (a package.json script is a test configuration).
    let through_ci: Vec<Evidence> = super::ci::find_commands(ctx.index, COVERAGE_RUN.regex())
        .iter()
        .filter(|f| {
            f.via.as_ref().is_some_and(|(path, line, _)| {
                !found
                    .iter()
                    .any(|e| e.path == *path && e.line == Some(*line))
            })
        })
        .flat_map(super::ci::Found::evidence)
        .collect();
    found.extend(through_ci);
    // Configuration: what a measuring run uses; on its own, a `[tool.coverage.run]` table or a
    // vitest `coverage` block does nothing until a run passes `--cov`/`--coverage`.
    let mut configured = grep(ctx, in_scope, &COVERAGE_CONFIG);
    configured.extend(
        ctx.index
            .text_files()
            .filter(|f| !vendored_file(f) && COVERAGE_FILES.contains(&f.name()))
            .map(|f| Evidence::file(f.path.clone()).note("coverage configuration")),
    );
    configured.extend(coverage_threshold_evidence(ctx, &ci));
    if !found.is_empty() {
        for e in configured {
            if !found.iter().any(|f| f.path == e.path && f.line == e.line) {
                found.push(e);
            }
        }
        return Outcome::pass("test coverage is measured", found);
    }
    if !configured.is_empty() {
        configured.dedup_by(|a, b| a.path == b.path && a.line == b.line);
        for e in &mut configured {
            let what = e.note.clone().unwrap_or_default();
            e.note = Some(format!(
                "{what} — configured, but no test run collects coverage"
            ));
        }
        return Outcome::fail(
            "coverage is configured but never measured: no CI step, script, tox/nox session or \
             test configuration runs the tests with coverage (--cov, --coverage, coverage run)",
            configured,
        );
    }
    Outcome::present(
        found,
        "test coverage is measured",
        "coverage is never measured: nobody knows which code the tests exercise",
        crate::model::ci::anchor(ctx.index),
    )
}

fn coverage_threshold(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no application stack detected");
    }
    let ci = ci_paths(ctx);
    Outcome::present(
        coverage_threshold_evidence(ctx, &ci),
        "a minimum coverage is enforced",
        "no coverage threshold: coverage can fall with every change and nothing fails",
        crate::model::ci::anchor(ctx.index),
    )
}

// ---------------------------------------------------------------------------------------------
// End-to-end, integration, load and performance tests
// ---------------------------------------------------------------------------------------------

const E2E_CONFIGS: &[&str] = &[
    "playwright.config.",
    "cypress.config.",
    "cypress.json",
    "wdio.conf.",
    ".testcaferc.",
    "nightwatch.conf.",
    "nightwatch.json",
    ".detoxrc",
    "detox.config.",
    "codecept.conf.",
    "protractor.conf.",
];

const E2E_DEPS: &[&str] = &[
    "npm:@playwright/test",
    "npm:cypress",
    "npm:@wdio/cli",
    "npm:webdriverio",
    "npm:testcafe",
    "npm:detox",
    "npm:nightwatch",
    "npm:codeceptjs",
    "pypi:pytest-playwright",
    "pypi:pytest-selenium",
    "pypi:pytest-splinter",
    "pypi:robotframework-seleniumlibrary",
    "pypi:robotframework-browser",
    "gem:capybara",
    "gem:cuprite",
    "maven:selenium-java",
    "maven:selenide",
    "maven:com.microsoft.playwright:playwright",
    "nuget:Microsoft.Playwright*",
    "nuget:Selenium.WebDriver",
];

fn e2e_tests(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = ctx
        .index
        .text_files()
        .filter(|f| !vendored_file(f) && E2E_CONFIGS.iter().any(|c| f.name().starts_with(c)))
        .map(|f| Evidence::file(f.path.clone()).note("end-to-end test configuration"))
        .collect();
    found.extend(deps(ctx, E2E_DEPS));
    let files: Vec<&IndexedFile> = test_files(ctx)
        .filter(|(_, t)| t.e2e)
        .map(|(f, _)| f)
        .collect();
    found.extend(
        files
            .iter()
            .take(5)
            .map(|f| Evidence::file(f.path.clone()).note("end-to-end test")),
    );
    // Browser automation used from test code (Selenium, Playwright, chromedp…).
    found.extend(
        ctx.index
            .signal("test-browser-automation")
            .iter()
            .filter(|h| {
                let f = &ctx.index.files()[h.file];
                f.is_test && !vendored_file(f)
            })
            .take(5)
            .map(|h| {
                Evidence::at(ctx.index.hit_path(h).to_string(), h.line)
                    .note("browser automation in a test")
            }),
    );
    // Tests of a release deployed to a cluster in CI: `helm test` runs the chart's test pods
    // against it, chart-testing's `ct install` installs and tests (podinfo's e2e workflow).
    static CLUSTER_TESTS: LazyLock<Regex> = lazy_re!(r"\bhelm\s+test\b|\bct\s+install\b");
    found.extend(
        super::ci::find_commands(ctx.index, &CLUSTER_TESTS)
            .iter()
            .flat_map(super::ci::Found::evidence),
    );
    Outcome::present(
        found,
        "end-to-end tests exercise the running application",
        "no end-to-end tests (Playwright, Cypress, Selenium, WebdriverIO…): nothing checks the \
         assembled application the way users use it",
        project_anchor(ctx),
    )
}

const INTEGRATION_DEPS: &[&str] = &[
    "npm:testcontainers",
    "npm:@testcontainers/*",
    "pypi:testcontainers*",
    "go:github.com/testcontainers/testcontainers-go*",
    "maven:org.testcontainers:*",
    "cargo:testcontainers*",
    "gem:testcontainers*",
    "nuget:Testcontainers*",
];

/// Compose files that run a stack for tests against real services (`docker-compose.test.yml`,
/// `docker-compose.relational.ci.yaml`): integration testing here, and what
/// `ci-runs-integration-tests` expects CI to start.
pub(super) fn test_compose_stacks(index: &crate::index::Index) -> Vec<&IndexedFile> {
    index
        .text_files()
        .filter(|f| {
            let n = f.name();
            !vendored_file(f)
                && is_yaml(f)
                && (n.starts_with("docker-compose.") || n.starts_with("compose."))
                && [".test.", ".ci.", ".integration.", ".it."]
                    .iter()
                    .any(|s| n.contains(s))
        })
        .collect()
}

fn integration_tests(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = test_files(ctx)
        .filter_map(|(f, t)| {
            if t.integration {
                Some(Evidence::file(f.path.clone()).note("integration test"))
            } else if t.stack == StackId::Rust {
                Some(Evidence::file(f.path.clone()).note("Cargo integration test (tests/)"))
            } else {
                None
            }
        })
        .collect();
    found.extend(signal_hits(
        ctx,
        "test-go-integration-tag",
        "integration build tag",
    ));
    found.extend(deps(ctx, INTEGRATION_DEPS));
    found.extend(
        test_compose_stacks(ctx.index)
            .into_iter()
            .map(|f| Evidence::file(f.path.clone()).note("compose stack for tests")),
    );
    if ctx.stacks.is_empty() && found.is_empty() {
        return Outcome::na("no application stack detected");
    }
    Outcome::present(
        found,
        "integration tests exercise real dependencies",
        "no integration tests (tests/integration, *.integration.test.*, *IT.java, \
         testcontainers…): components are only tested in isolation",
        project_anchor(ctx),
    )
}

const LOAD_DEPS: &[&str] = &[
    "npm:k6",
    "npm:@types/k6",
    "npm:artillery",
    "npm:autocannon",
    "npm:loadtest",
    "pypi:locust",
    "maven:io.gatling:*",
    "maven:io.gatling.highcharts:*",
    "maven:jmeter-maven-plugin",
    "go:github.com/tsenart/vegeta*",
    "nuget:NBomber*",
    "gem:ruby-jmeter",
];

fn load_evidence(ctx: &Context) -> Vec<Evidence> {
    static RUN: LazyLock<Gated> = lazy_gated!(
        r"\bk6\s+(?:run|cloud)\b|grafana/(?:setup-k6|k6|run-k6)-action|\bartillery\s+(?:run|quick)\b|\blocust\s+-|\bvegeta\s+attack\b|\bjmeter\s+-n\b|\bgatling:test\b|\bgatlingRun\b|\bhey\s+-[nzc]\b|\bwrk\s+-[tcd]\b|\bautocannon\s+-"
    );
    let ci = ci_paths(ctx);
    let mut found = signal_hits(ctx, "test-load-script", "load test script");
    found.extend(deps(ctx, LOAD_DEPS));
    found.extend(grep(
        ctx,
        |f| is_test_config(f) || ci.contains(&f.path),
        &RUN,
    ));
    for f in ctx.index.files().iter().filter(|f| !vendored_file(f)) {
        let name = f.name();
        let note = if name == "locustfile.py" {
            "Locust load test"
        } else if f.ext() == "jmx" {
            "JMeter test plan"
        } else if name.ends_with(".k6.js") || name.ends_with(".k6.ts") {
            "k6 script"
        } else if is_yaml(f)
            && f.text().is_some_and(|t| {
                t.contains("scenarios:")
                    && t.contains("config:")
                    && t.contains("target:")
                    && (t.contains("flow:") || t.contains("arrivalRate"))
            })
        {
            "Artillery scenario"
        } else {
            continue;
        };
        found.push(Evidence::file(f.path.clone()).note(note));
    }
    found
}

fn perf_test_files(ctx: &Context) -> Vec<Evidence> {
    test_files(ctx)
        .filter(|(_, t)| t.perf)
        .map(|(f, _)| Evidence::file(f.path.clone()).note("performance test"))
        .collect()
}

fn load_tests(ctx: &Context) -> Outcome {
    let found = load_evidence(ctx);
    if !found.is_empty() {
        return Outcome::pass("load tests drive traffic at the service", found);
    }
    let perf = perf_test_files(ctx);
    let mut message = String::from(
        "no load tests (k6, Locust, Artillery, Gatling, JMeter, vegeta): capacity and behaviour \
         under concurrent traffic are unknown",
    );
    if let Some(p) = perf.first() {
        // In-process timing tests are performance tests, not load tests: they measure code,
        // not a deployed service under concurrent traffic.
        message.push_str(&format!(
            "; {} in-process performance test(s) exist (e.g. {}) but they time code, they do not \
             load a running service",
            perf.len(),
            p.path
        ));
    }
    Outcome::fail(message, project_anchor(ctx).into_iter().collect())
}

const BENCH_DEPS: &[&str] = &[
    "pypi:pytest-benchmark",
    "pypi:asv",
    "pypi:pyperf",
    "pypi:pytest-codspeed",
    "npm:tinybench",
    "npm:benchmark",
    "npm:mitata",
    "cargo:criterion",
    "cargo:divan",
    "cargo:iai*",
    "maven:jmh-core",
    "nuget:BenchmarkDotNet*",
    "gem:benchmark-ips",
];

fn performance_tests(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no application stack detected");
    }
    let mut found = perf_test_files(ctx);
    found.extend(signal_hits(ctx, "test-benchmark", "benchmark"));
    // Benchmark harnesses kept beside the code: Cargo's benches/, bench scripts.
    found.extend(
        ctx.index
            .files()
            .iter()
            .filter(|f| !vendored_file(f))
            .filter(|f| {
                f.path.starts_with("benches/")
                    || f.path.contains("/benches/")
                    || (is_benchmark_script_name(f.name())
                        && matches!(f.ext(), "sh" | "py" | "js" | "ts" | "rs"))
                    // Vitest's benchmark files (`vitest bench` reads *.bench.ts), kept beside
                    // the code rather than among the tests.
                    || (matches!(f.ext(), "js" | "ts" | "mjs" | "mts" | "jsx" | "tsx")
                        && (f.name().contains(".bench.") || f.name().contains(".benchmark.")))
            })
            .map(|f| Evidence::file(f.path.clone()).note("benchmark")),
    );
    found.extend(deps(ctx, BENCH_DEPS));
    found.extend(load_evidence(ctx));
    let who = match ctx.profile {
        crate::detect::Profile::Service => "in production",
        _ => "by its users",
    };
    Outcome::present(
        found,
        "performance tests or benchmarks exist",
        format!("no performance tests or benchmarks: regressions in speed are found {who}"),
        project_anchor(ctx),
    )
}

/// A benchmark script by its name: `bench.py`, `benchmark.sh`, `perf.js`, `performance.py`
/// (charset-normalizer's `bin/performance.py` compares its speed with chardet's).
fn is_benchmark_script_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.starts_with("bench")
        || matches!(
            stem,
            "perf" | "performance" | "perftest" | "perf_test" | "perf-test" | "performance_test"
        )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "tests-present",
        title: "Tests exist for each stack",
        category: Category::Testing,
        weight: 9,
        applies: Applies::ALL,
        rationale: "Automated tests are what make every other practice safe: refactoring, \
            dependency updates and frequent deploys all rely on them.",
        passes_when: "Every detected stack with at least 50 lines of application code has test \
            files by its convention: *.test.*/*.spec.*/__tests__/ (Node), test_*.py/tests/ \
            or pytest's configured `python_files` (Python), *_test.go, tests/ or #[test] (Rust), src/test/ or *Test.java (JVM), \
            *_spec.rb/*_test.rb, *Tests.cs or [Fact]/[Test] (.NET).",
        remediation: "Add a test suite with the stack's standard runner and a first test for \
            the most important behaviour.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/health.test.ts\nimport request from 'supertest'\nimport { describe, it } from 'vitest'\nimport { app } from './app'\n\ndescribe('GET /health', () => {\n  it('answers 200', async () => {\n    await request(app).get('/health').expect(200)\n  })\n})"),
            (StackId::Python, "# tests/test_health.py\nfrom fastapi.testclient import TestClient\nfrom app.main import app\n\ndef test_health() -> None:\n    assert TestClient(app).get(\"/health\").status_code == 200"),
            (StackId::Go, "// internal/server/health_test.go\npackage server\n\nimport (\n\t\"net/http\"\n\t\"net/http/httptest\"\n\t\"testing\"\n)\n\nfunc TestHealth(t *testing.T) {\n\trec := httptest.NewRecorder()\n\tNewRouter().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, \"/healthz\", nil))\n\tif rec.Code != http.StatusOK {\n\t\tt.Fatalf(\"GET /healthz = %d, want 200\", rec.Code)\n\t}\n}"),
        ],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(tests_present),
    },
    Rule {
        id: "tests-script",
        title: "package.json has a real test script",
        category: Category::Testing,
        weight: 4,
        applies: Applies {
            profiles: &[],
            stacks: &[StackId::Node],
        },
        rationale: "`npm test` is the one command every Node contributor and CI template runs; \
            npm's placeholder makes it fail, an `echo` makes it pass without testing anything.",
        passes_when: "A package.json (root or workspace) defines `scripts.test` that is not \
            npm's placeholder (`echo \"Error: no test specified\" && exit 1`) or another \
            echo/exit-only command.",
        remediation: "Point `scripts.test` at the test runner.",
        snippet: Some("// package.json\n\"scripts\": {\n  \"test\": \"vitest run\",\n  \"test:coverage\": \"vitest run --coverage\"\n}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(test_script),
    },
    Rule {
        id: "tests-coverage",
        title: "Test coverage is measured",
        category: Category::Testing,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Coverage shows which code no test executes; measured in CI it makes gaps \
            visible in every pull request.",
        passes_when: "A test run collects coverage, in CI, package scripts, tox/nox, a Makefile \
            or always-on test configuration: jest --coverage/collectCoverage: true, vitest \
            --coverage/coverage.enabled: true, nyc/c8 wrapping the runner, --cov (also in \
            addopts), coverage run, go test -cover/-coverprofile, cargo llvm-cov/tarpaulin, \
            JaCoCo/Kover, SimpleCov.start, coverlet collection, or a Codecov/Coveralls upload. \
            Configuration nothing runs (a [tool.coverage] table, a coverage block without \
            enabled, the tool as a dependency, thresholds) fails with its lines.",
        remediation: "Collect coverage in the CI test step and publish the report.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// package.json (scripts): Jest collects coverage itself\n\"test:ci\": \"jest --ci --coverage\"\n// Vitest needs its provider first: npm install --save-dev @vitest/coverage-v8\n\"test:ci\": \"vitest run --coverage\""),
            (StackId::Python, "# .github/workflows/ci.yml (step)\n- run: pytest --cov=app --cov-report=xml\n- uses: codecov/codecov-action@18283e04ce6e62d37312384ff67231eb8fd56d24 # v5.4.3"),
            (StackId::Go, "# .github/workflows/ci.yml (steps)\n- run: go test -race -coverprofile=coverage.out ./...\n- run: go tool cover -func=coverage.out | tail -n 1"),
            (StackId::Rust, "# .github/workflows/ci.yml (steps)\n- run: rustup component add llvm-tools-preview && cargo install cargo-llvm-cov --locked\n- run: cargo llvm-cov --workspace --lcov --output-path lcov.info"),
            (StackId::Java, "<!-- pom.xml (build/plugins): `mvn verify` writes target/site/jacoco/ -->\n<plugin>\n  <groupId>org.jacoco</groupId>\n  <artifactId>jacoco-maven-plugin</artifactId>\n  <version>0.8.12</version>\n  <executions>\n    <execution><goals><goal>prepare-agent</goal></goals></execution>\n    <execution><id>report</id><phase>verify</phase><goals><goal>report</goal></goals></execution>\n  </executions>\n</plugin>\n<!-- Gradle: plugins { jacoco } and tasks.test { finalizedBy(tasks.jacocoTestReport) } -->"),
            (StackId::Ruby, "# spec/spec_helper.rb (first lines, before the app loads; Gemfile: gem \"simplecov\", require: false, group: :test)\nrequire \"simplecov\"\nSimpleCov.start"),
            (StackId::Dotnet, "# .github/workflows/ci.yml (step; the xUnit, NUnit and MSTest templates reference coverlet.collector)\n- run: dotnet test --collect:\"XPlat Code Coverage\""),
        ],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(coverage_measured),
    },
    Rule {
        id: "tests-coverage-threshold",
        title: "A minimum coverage is enforced",
        category: Category::Testing,
        weight: 6,
        applies: Applies::ALL,
        rationale: "A threshold turns coverage from a number into a gate: a change that drops \
            below it fails instead of silently eroding the suite.",
        passes_when: "A coverage threshold is configured: jest coverageThreshold, vitest \
            coverage.thresholds, nyc/c8 check-coverage, --cov-fail-under or coverage.py \
            fail_under, tarpaulin/llvm-cov --fail-under, JaCoCo violation rules or minimum, \
            Kover minBound, SimpleCov minimum_coverage, coverlet Threshold, go-test-coverage, \
            or a Codecov status target.",
        remediation: "Set the threshold a little below today's coverage and raise it over time.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// jest.config.js\nmodule.exports = {\n  coverageThreshold: { global: { lines: 80, branches: 70 } },\n}\n// vitest.config.ts: test: { coverage: { thresholds: { lines: 80, branches: 70 } } }"),
            (StackId::Python, "# pyproject.toml\n[tool.coverage.report]\nfail_under = 80\nshow_missing = true"),
            (StackId::Go, "# .testcoverage.yml (read by go-test-coverage)\nprofile: coverage.out\nthreshold:\n  total: 80\n# .github/workflows/ci.yml (steps)\n- run: go test -coverprofile=coverage.out ./...\n- run: go run github.com/vladopajic/go-test-coverage/v2@latest --config=.testcoverage.yml"),
            (StackId::Rust, "# .github/workflows/ci.yml (step, with cargo-llvm-cov installed)\n- run: cargo llvm-cov --workspace --fail-under-lines 80"),
            (StackId::Java, "<!-- pom.xml, in jacoco-maven-plugin's <executions>: `mvn verify` fails below 80 % of lines -->\n<execution>\n  <id>check</id>\n  <goals><goal>check</goal></goals>\n  <configuration>\n    <rules>\n      <rule>\n        <element>BUNDLE</element>\n        <limits>\n          <limit><counter>LINE</counter><value>COVEREDRATIO</value><minimum>0.80</minimum></limit>\n        </limits>\n      </rule>\n    </rules>\n  </configuration>\n</execution>"),
            (StackId::Ruby, "# spec/spec_helper.rb\nrequire \"simplecov\"\nSimpleCov.start do\n  minimum_coverage 80\nend"),
            (StackId::Dotnet, "# .github/workflows/ci.yml (step; the test project references coverlet.msbuild)\n- run: dotnet test /p:CollectCoverage=true /p:Threshold=80"),
        ],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(coverage_threshold),
    },
    Rule {
        id: "tests-e2e",
        title: "End-to-end tests",
        category: Category::Testing,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Unit tests pass while the assembled application is broken: routing, \
            configuration and front-end/back-end contracts are only checked end to end.",
        passes_when: "A Playwright, Cypress, WebdriverIO, TestCafe, Nightwatch, Detox or \
            CodeceptJS configuration or dependency exists, test files live in e2e/ (or \
            *.e2e.*, Rails system specs), test code drives a browser (Selenium, Playwright, \
            chromedp, Capybara), or CI tests a release deployed to a cluster (`helm test`, \
            chart-testing `ct install`).",
        remediation: "Cover the critical user journeys with a browser or API-level end-to-end \
            suite run against a started application in CI.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// playwright.config.ts\nimport { defineConfig } from '@playwright/test'\nexport default defineConfig({\n  testDir: './e2e',\n  webServer: { command: 'npm start', url: 'http://localhost:3000' },\n})"),
            (StackId::Python, "# tests/e2e/test_login.py (pip install pytest-playwright; pytest --base-url http://localhost:8000)\nfrom playwright.sync_api import Page, expect\n\ndef test_login(page: Page) -> None:\n    page.goto(\"/login\")\n    page.get_by_label(\"Email\").fill(\"user@example.com\")\n    page.get_by_role(\"button\", name=\"Sign in\").click()\n    expect(page.get_by_text(\"Welcome\")).to_be_visible()"),
        ],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(e2e_tests),
    },
    Rule {
        id: "tests-integration",
        title: "Integration tests",
        category: Category::Testing,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Mocks agree with whatever the test author believed; integration tests \
            against a real database, queue or HTTP server catch the mismatches.",
        passes_when: "Test files live in an integration folder (tests/integration, it/) or are \
            named *integration* / *IT.java, Cargo integration tests exist in tests/, Go tests \
            carry an integration build tag, testcontainers is declared, or a \
            docker-compose.test/ci file exists.",
        remediation: "Add integration tests that run against real dependencies (testcontainers \
            or CI service containers) and run them in CI.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// tests/integration/orders.test.ts\nimport { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql'\nimport { afterAll, beforeAll, expect, test } from 'vitest'\n\nlet pg: StartedPostgreSqlContainer\nbeforeAll(async () => {\n  pg = await new PostgreSqlContainer('postgres:16').start()\n}, 60_000)\nafterAll(() => pg.stop())\n\ntest('saves and reads an order', async () => {\n  const orders = createOrderRepository(pg.getConnectionUri())\n  await orders.save({ id: '1', total: 42 })\n  expect(await orders.find('1')).toMatchObject({ total: 42 })\n})"),
            (StackId::Python, "# tests/integration/test_repository.py\nimport pytest\nfrom testcontainers.postgres import PostgresContainer\n\n@pytest.fixture(scope=\"session\")\ndef db_url():\n    with PostgresContainer(\"postgres:16\") as pg:\n        yield pg.get_connection_url()"),
            (StackId::Go, "// internal/store/orders_integration_test.go (go test -tags=integration ./...)\n\n//go:build integration\n\npackage store\n\nfunc TestOrdersRoundTrip(t *testing.T) {\n\tctx := context.Background()\n\tpg, err := postgres.Run(ctx, \"postgres:16\") // testcontainers-go/modules/postgres\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tt.Cleanup(func() { _ = pg.Terminate(ctx) })\n\tdsn, err := pg.ConnectionString(ctx, \"sslmode=disable\")\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tstore := NewOrderStore(openDB(t, dsn))\n\t// store.Save(...), then store.Find(...)\n}"),
        ],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(integration_tests),
    },
    Rule {
        id: "tests-load",
        title: "Load tests",
        category: Category::Testing,
        weight: 2,
        applies: Applies::SERVICE,
        rationale: "Load tests show how the service behaves at and beyond expected traffic \
            before users do; in-process timing tests cannot reveal pool exhaustion or lock \
            contention.",
        passes_when: "A load-testing tool is used: k6 scripts (import from 'k6'), Locust, \
            Artillery scenarios, Gatling simulations, JMeter .jmx plans, NBomber, vegeta, or \
            a k6/artillery/locust/wrk/hey run in CI or the Makefile. Jest/pytest \"performance\" \
            tests that time code in-process are performance tests, not load tests.",
        remediation: "Write a k6 (or Locust) scenario for the main endpoints and run it against \
            staging before releases.",
        snippet: Some("// load/search.k6.js\nimport http from 'k6/http'\nimport { check } from 'k6'\nexport const options = { vus: 50, duration: '2m', thresholds: { http_req_duration: ['p(95)<500'] } }\nexport default function () {\n  check(http.get(`${__ENV.BASE_URL}/api/search?q=x`), { ok: (r) => r.status === 200 })\n}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(load_tests),
    },
    Rule {
        id: "tests-performance",
        title: "Performance tests or benchmarks",
        category: Category::Testing,
        weight: 2,
        applies: Applies::ALL,
        rationale: "Benchmarks and timing tests catch speed regressions in review instead of \
            in production.",
        passes_when: "Test files live in a performance/perf/bench(mark)s folder or are named \
            *.performance.* / *.perf.* / *.bench.*, a `benches/` folder or a benchmark script \
            (`bench*.sh`, `perf.py`, `performance.py` …) exists, Go Benchmark functions, \
            criterion/divan, JMH, BenchmarkDotNet or pytest-benchmark are used, or load tests \
            exist.",
        remediation: "Benchmark the hot paths with the stack's benchmark tool and compare \
            results in CI.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/search.bench.ts (Vitest; run with npx vitest bench)\nimport { bench } from 'vitest'\nimport { search } from './search'\n\nbench('search', () => {\n  search('query')\n})"),
            (StackId::Python, "# tests/benchmarks/test_search.py (pytest-benchmark)\nfrom app.search import search\n\n\ndef test_search(benchmark):\n    benchmark(search, \"query\")"),
            (StackId::Go, "// search_test.go\nfunc BenchmarkSearch(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tSearch(\"query\")\n\t}\n}"),
            (StackId::Rust, "// benches/search.rs (Cargo.toml: criterion in [dev-dependencies], and [[bench]] name = \"search\", harness = false)\nuse criterion::{criterion_group, criterion_main, Criterion};\n\nfn search(c: &mut Criterion) {\n    c.bench_function(\"search\", |b| b.iter(|| my_crate::search(\"query\")));\n}\n\ncriterion_group!(benches, search);\ncriterion_main!(benches);"),
            (StackId::Java, "// src/jmh/java/com/example/SearchBenchmark.java (JMH, e.g. with the me.champeau.jmh Gradle plugin)\npackage com.example;\n\nimport org.openjdk.jmh.annotations.Benchmark;\n\npublic class SearchBenchmark {\n    @Benchmark\n    public Object search() {\n        return Search.run(\"query\");\n    }\n}"),
            (StackId::Ruby, "# benchmarks/search_benchmark.rb (gem \"benchmark-ips\"; run with ruby benchmarks/search_benchmark.rb)\nrequire \"benchmark/ips\"\nrequire_relative \"../lib/search\"\n\nBenchmark.ips do |x|\n  x.report(\"search\") { Search.call(\"query\") }\nend"),
            (StackId::Dotnet, "// benchmarks/Search.Benchmarks/SearchBenchmarks.cs (BenchmarkDotNet; run with dotnet run -c Release)\nusing BenchmarkDotNet.Attributes;\n\npublic class SearchBenchmarks\n{\n    [Benchmark]\n    public object Search() => App.Search.Run(\"query\");\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(performance_tests),
    },
];

pub const SIGNALS: &[Signal] = &[
    Signal {
        id: "test-rust-unit",
        files: &["**/*.rs"],
        pattern: r"^[ \t]*#\[(?:cfg\(test\)|(?:test|tokio::test|rstest|test_case)\b)",
        skip_tests: false,
    },
    Signal {
        id: "test-dotnet-attr",
        files: &["**/*.{cs,fs,vb}"],
        pattern: r"^[ \t]*\[<?(?:Fact|Theory|Test|TestMethod|TestCase)\b",
        skip_tests: false,
    },
    Signal {
        id: "test-ruby-coverage",
        files: &["**/*.rb"],
        pattern: r"\bSimpleCov\.start\b|^[ \t]*require\s+['\x22]simplecov['\x22]",
        skip_tests: false,
    },
    Signal {
        id: "test-ruby-coverage-min",
        files: &["**/*.rb"],
        pattern: r"\bminimum_coverage\b",
        skip_tests: false,
    },
    Signal {
        id: "test-go-integration-tag",
        files: &["**/*_test.go"],
        pattern: r"^//\s*(?:go:build|\+build)\s.*\bintegration\b",
        skip_tests: false,
    },
    Signal {
        id: "test-browser-automation",
        files: ALL_SOURCES,
        pattern: concat!(
            r"\bfrom\s+['\x22](?:@playwright/test|puppeteer|selenium-webdriver|webdriverio)['\x22]",
            r"|\brequire\(\s*['\x22](?:@playwright/test|puppeteer|selenium-webdriver)['\x22]\s*\)|\bcy\.visit\(",
            r"|^[ \t]*(?:from|import)\s+(?:playwright|selenium|splinter)\b",
            r#"|"github\.com/(?:chromedp/chromedp|go-rod/rod|playwright-community/playwright-go|tebeka/selenium)""#,
            r"|\bimport\s+org\.openqa\.selenium\b|\bimport\s+com\.codeborne\.selenide\b|\bimport\s+com\.microsoft\.playwright\b",
            r"|\busing\s+Microsoft\.Playwright\b|\busing\s+OpenQA\.Selenium\b|\brequire\s+['\x22]capybara",
        ),
        skip_tests: false,
    },
    Signal {
        id: "test-load-script",
        files: ALL_SOURCES,
        pattern: concat!(
            r"\bfrom\s+['\x22]k6(?:/[\w/-]*)?['\x22]|\brequire\(\s*['\x22]k6(?:/[\w/-]*)?['\x22]\s*\)",
            r"|^[ \t]*from\s+locust\s+import\b|^[ \t]*import\s+locust\b",
            r"|\bextends\s+Simulation\b|^[ \t]*import\s+io\.gatling\.|\bNBomberRunner\b",
        ),
        skip_tests: false,
    },
    Signal {
        id: "test-benchmark",
        files: ALL_SOURCES,
        pattern: concat!(
            r"^func\s+Benchmark\w*\(\s*\w+\s+\*testing\.B\s*\)",
            r"|\bcriterion_group!\s*[({]|^[ \t]*#\[bench\]|^[ \t]*#\[divan::bench",
            r"|^[ \t]*@Benchmark\b|^[ \t]*\[Benchmark\b|@pytest\.mark\.benchmark\b|^[ \t]*def\s+test_\w*\(\s*benchmark\b",
            r"|\bBenchmark\.ips\b",
        ),
        skip_tests: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SVC: (&str, &str) = ("Procfile", "web: ./serve\n");

    fn code(lines: usize) -> String {
        "x = 1\n".repeat(lines)
    }

    #[test]
    fn pytest_python_files_name_test_modules() {
        let r = rule(RULES, "tests-present");
        let app = code(60);
        // chardet: `python_files = test.py` in setup.cfg's [tool:pytest].
        let cfg =
            "[metadata]\nname = chardet\n\n[tool:pytest]\naddopts = -v\npython_files = test.py\n";
        let o = assert_pass(
            r,
            &[
                ("setup.cfg", cfg),
                ("chardet/core.py", &app),
                ("test.py", "def test_a(): ...\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "test.py");
        // Without the option, the same tree has no tests.
        assert_fail(
            r,
            &[
                ("setup.cfg", "[tool:pytest]\naddopts = -v\n"),
                ("chardet/core.py", &app),
                ("test.py", "def test_a(): ...\n"),
            ],
        );
        // A TOML list over several lines; a pattern for every module (`*.py`) adds nothing,
        // and the patterns apply under the configuration's folder only.
        let toml = "[project]\nname = \"x\"\n[tool.pytest.ini_options]\npython_files = [\n  \"*.py\",\n  \"check_*.py\",\n]\n";
        let o = assert_pass(
            r,
            &[
                ("lib/pyproject.toml", toml),
                ("lib/x/core.py", &app),
                ("lib/x/check_core.py", ""),
                ("check_root.py", ""),
            ],
        );
        let cited: Vec<&str> = o.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(cited, ["lib/x/check_core.py"]);
        // ini continuation lines, in pytest.ini.
        assert_eq!(
            python_files_value(
                "[pytest]\npython_files =\n    test.py\n    *_check.py\nx = 1\n",
                "[pytest]"
            )
            .as_deref(),
            Some(" test.py *_check.py")
        );
        // The key of another section is not read.
        assert_eq!(
            python_files_value(
                "[pytest]\naddopts = -v\n[other]\npython_files = a.py\n",
                "[pytest]"
            ),
            None
        );
    }

    #[test]
    fn tests_present_per_stack_with_unit_tests_cited_first() {
        let r = rule(RULES, "tests-present");
        let app = code(60);
        let o = assert_pass(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("app/main.py", &app),
                ("tests/__init__.py", ""),
                ("tests/contract/test_api.py", "def test_a(): ...\n"),
                ("tests/unit/test_health.py", "def test_h(): ...\n"),
            ],
        );
        assert_eq!(o.evidence.len(), 2);
        assert!(o
            .evidence
            .iter()
            .any(|e| e.path == "tests/unit/test_health.py"));
        // Go code without _test.go fails, anchored at go.mod.
        let o = assert_fail(
            r,
            &[
                ("go.mod", "module x\n"),
                ("pkg/a.go", &code(80)),
                ("pkg/testdata/a_test.go", ""),
            ],
        );
        assert_eq!(
            o.evidence[0],
            Evidence::file("go.mod").note("no go test files")
        );
        assert!(o.message.contains("go (80 lines"), "{}", o.message);
        // Rust unit tests live in the source file.
        let o = assert_pass(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                ("src/lib.rs", &(code(60) + "#[cfg(test)]\nmod tests {}\n")),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(61));
        // A package.json for tooling only asks for no JS tests.
        assert_pass(
            r,
            &[
                ("package.json", "{}"),
                ("commitlint.config.js", &code(60)),
                ("go.mod", "module x\n"),
                ("a.go", &code(60)),
                ("a_test.go", ""),
            ],
        );
        assert_na(r, &[("README.md", "# docs\n")]);
    }

    #[test]
    fn test_script_real_or_placeholder() {
        let r = rule(RULES, "tests-script");
        let o = assert_pass(
            r,
            &[(
                "package.json",
                "{\n  \"scripts\": {\n    \"test\": \"jest\"\n  }\n}\n",
            )],
        );
        assert_eq!(o.evidence[0], Evidence::at("package.json", 3).note("jest"));
        let o = assert_fail(
            r,
            &[(
                "package.json",
                "{\n  \"scripts\": {\n    \"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"\n  }\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(
            r,
            &[("package.json", "{\"scripts\": {\"test\": \"echo ok\"}}")],
        );
        let o = assert_fail(
            r,
            &[("package.json", "{\"scripts\": {\"build\": \"tsc\"}}")],
        );
        assert_eq!(o.evidence[0].path, "package.json");
        assert_na(r, &[("go.mod", "module x\n")]);
    }

    #[test]
    fn coverage_measured_and_threshold() {
        let m = rule(RULES, "tests-coverage");
        let t = rule(RULES, "tests-coverage-threshold");
        let py = [(
            "pyproject.toml",
            "[project]\n[tool.pytest.ini_options]\naddopts = \"--cov=apps --cov-report=term\"\n",
        )];
        let o = assert_pass(m, &py);
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(t, &py);
        // Measured by a script CI runs from its working directory.
        let scripted = [
            ("backend/pyproject.toml", "[project]\nname = \"app\"\n"),
            (
                ".github/workflows/test.yml",
                "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: bash scripts/test.sh\n        working-directory: backend\n",
            ),
            ("backend/scripts/test.sh", "set -e\ncoverage run -m pytest\ncoverage report\n"),
        ];
        let o = assert_pass(m, &scripted);
        assert!(cites(&o, "backend/scripts/test.sh", 2), "{:?}", o.evidence);
        assert_fail(m, &scripted[..2]);
        let jest = [
            ("package.json", "{\"scripts\": {\"test\": \"jest\"}}"),
            ("apps/web/jest.config.ts", "const c = {\n  collectCoverageFrom: ['src/**'],\n  coverageThreshold: {\n    global: { lines: 80 },\n  },\n}\n"),
        ];
        let o = assert_pass(t, &jest);
        assert_eq!(
            o.evidence[0],
            Evidence::at("apps/web/jest.config.ts", 3).note("coverageThreshold: {")
        );
        // The threshold is only checked when a run collects coverage: plain `jest` does not.
        let o = assert_fail(m, &jest);
        assert_eq!(o.evidence[0].path, "apps/web/jest.config.ts");
        let mut jest_cov = jest;
        jest_cov[0].1 = "{\"scripts\": {\"test\": \"jest --coverage\"}}";
        assert_pass(m, &jest_cov);
        let go = [
            ("go.mod", "module x\n"),
            (
                ".github/workflows/ci.yml",
                "jobs:\n  t:\n    steps:\n      - run: go test -race -coverprofile=c.out ./...\n",
            ),
        ];
        assert_eq!(assert_pass(m, &go).evidence[0].line, Some(4));
        assert_fail(t, &go);
        assert_pass(
            t,
            &[("pom.xml", "<plugin><artifactId>jacoco-maven-plugin</artifactId>\n<minimum>0.80</minimum>\n</plugin>\n")],
        );
        assert_pass(
            t,
            &[
                ("Cargo.toml", "[package]\n"),
                (
                    "codecov.yml",
                    "coverage:\n  status:\n    project:\n      default:\n        target: 80%\n",
                ),
            ],
        );
        // A commented-out flag and `--coverage` in prose do not count.
        assert_fail(
            m,
            &[
                ("pyproject.toml", "[project]\n# addopts = \"--cov=x\"\n"),
                ("README.md", "run --coverage\n"),
            ],
        );
        assert_na(m, &[("README.md", "x")]);
    }

    #[test]
    fn coverage_configured_but_never_collected() {
        let m = rule(RULES, "tests-coverage");
        // flask: pyproject.toml [tool.coverage.run], tox runs plain `pytest -v`.
        let flask_pyproject = "[project]\nname = \"Flask\"\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n\n[tool.coverage.run]\nbranch = true\nsource = [\"flask\", \"tests\"]\n";
        let tox = "[tox]\nenvlist = py3{13,12}\n\n[testenv]\ncommands = pytest -v --tb=short --basetemp={envtmpdir} {posargs}\n";
        let o = assert_fail(m, &[("pyproject.toml", flask_pyproject), ("tox.ini", tox)]);
        assert_eq!(o.evidence[0].path, "pyproject.toml");
        assert_eq!(o.evidence[0].line, Some(7));
        assert!(o.message.contains("configured but never measured"), "{o:?}");
        // The same configuration with a session that measures it passes.
        let measured = tox.replace("commands = pytest", "commands = coverage run -m pytest");
        let o = assert_pass(
            m,
            &[("pyproject.toml", flask_pyproject), ("tox.ini", &measured)],
        );
        assert!(
            o.evidence.contains(&Evidence::at("tox.ini", 5).note(
                "commands = coverage run -m pytest -v --tb=short --basetemp={envtmpdir} {posargs}"
            )),
            "{o:?}"
        );
        // cal.com: a vitest coverage provider and a c8 devDependency; `vitest run` collects
        // nothing.
        let calcom_pkg = "{\n  \"scripts\": {\n    \"test\": \"TZ=UTC vitest run\"\n  },\n  \"devDependencies\": {\n    \"c8\": \"^7.13.0\"\n  }\n}\n";
        let vitest = "export default defineConfig({\n  test: {\n    coverage: {\n      provider: \"v8\",\n    },\n    testTimeout: 500000,\n  },\n});\n";
        let o = assert_fail(
            m,
            &[("package.json", calcom_pkg), ("vitest.config.ts", vitest)],
        );
        let at = locations(&o);
        assert_eq!(
            at,
            vec![("package.json", Some(6)), ("vitest.config.ts", Some(3))]
        );
        // Always-on configurations pass on their own.
        let enabled = vitest.replace(
            "provider: \"v8\",",
            "provider: \"v8\",\n      enabled: true,",
        );
        let o = assert_pass(
            m,
            &[("package.json", calcom_pkg), ("vitest.config.ts", &enabled)],
        );
        assert!(
            o.evidence
                .contains(&Evidence::at("vitest.config.ts", 5).note("enabled: true,")),
            "{o:?}"
        );
        // `enabled: true` of another block is not coverage's.
        let other = vitest.replace("testTimeout: 500000,", "browser: { enabled: true },");
        assert_fail(
            m,
            &[("package.json", calcom_pkg), ("vitest.config.ts", &other)],
        );
        assert_pass(
            m,
            &[(
                "package.json",
                "{\"scripts\": {\"test\": \"c8 vitest run\"}}",
            )],
        );
        // A coverage service's configuration uploads nothing by itself.
        let o = assert_fail(
            m,
            &[
                ("package.json", "{\"scripts\": {\"test\": \"vitest run\"}}"),
                ("codecov.yml", "codecov:\n  require_ci_to_pass: yes\n"),
                (
                    "sonar-project.properties",
                    "sonar.coverage.jacoco.xmlReportPaths=build/jacoco.xml\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, "codecov.yml");
        assert_pass(
            m,
            &[
                ("Gemfile", "gem 'simplecov'\n"),
                (".simplecov", "SimpleCov.start 'rails'\n"),
            ],
        );
        assert_pass(
            m,
            &[("package.json", "{\"jest\": {\"collectCoverage\": true}}")],
        );
        assert_pass(
            m,
            &[
                ("pytest.ini", "[pytest]\naddopts = --cov=app\n"),
                ("requirements.txt", "pytest-cov\n"),
            ],
        );
        assert_pass(
            m,
            &[
                ("Makefile", "test:\n\tcoverage run -m pytest\n"),
                ("pyproject.toml", "[tool.coverage.run]\n"),
            ],
        );
    }

    #[test]
    fn e2e_from_config_dirs_or_browser_code() {
        let r = rule(RULES, "tests-e2e");
        let next = ("next.config.ts", "export default {}\n");
        let o = assert_pass(
            r,
            &[
                next,
                ("package.json", "{}"),
                ("apps/web/playwright.config.ts", "export default {}\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "apps/web/playwright.config.ts");
        assert_pass(
            r,
            &[
                SVC,
                ("requirements.txt", "flask\n"),
                ("tests/ui/test_login.py", "from selenium import webdriver\n"),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                ("package.json", "{}"),
                ("test/app.e2e-spec.ts", "it('x')\n"),
            ],
        );
        // Selenium used outside tests (a scraper) is no e2e test.
        assert_fail(
            r,
            &[
                SVC,
                ("requirements.txt", "selenium\n"),
                ("app/scrape.py", "from selenium import webdriver\n"),
            ],
        );
        assert_na(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("tests/e2e/test_a.py", ""),
            ],
        );
    }

    #[test]
    fn helm_test_against_a_release_in_ci_is_an_end_to_end_test() {
        let r = rule(RULES, "tests-e2e");
        // stefanprodan/podinfo: the e2e workflow deploys to kind, then runs test/test.sh.
        let workflow = "name: e2e\n\non:\n  pull_request:\n\njobs:\n  kind-helm:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Setup Kubernetes\n        uses: helm/kind-action@ef37e7f390d99f746eb8b610417061a60e82a6cc # v1.14.0\n      - name: Deploy\n        run: ./test/deploy.sh\n      - name: Run integration tests\n        run: ./test/test.sh\n";
        let script = "#1 /usr/bin/env sh\n\nset -e\n\n# wait for podinfo\nkubectl rollout status deployment/podinfo --timeout=3m\n\n# test podinfo\nhelm test podinfo\n";
        let app = (
            "go.mod",
            "module github.com/stefanprodan/podinfo\n\nrequire github.com/gorilla/mux v1.8.1\n",
        );
        let main = ("cmd/podinfo/main.go", "package main\nimport \"net/http\"\nfunc main() { http.ListenAndServe(\":9898\", nil) }\n");
        let o = assert_pass(
            r,
            &[
                app,
                main,
                (".github/workflows/e2e.yml", workflow),
                ("test/test.sh", script),
            ],
        );
        assert!(cites(&o, "test/test.sh", 9), "{o:?}");
        // Waiting for the rollout alone tests nothing.
        let wait_only = script.replace("helm test podinfo\n", "");
        assert_fail(
            r,
            &[
                app,
                main,
                (".github/workflows/e2e.yml", workflow),
                ("test/test.sh", &wait_only),
            ],
        );
    }

    #[test]
    fn integration_tests_by_name_folder_or_testcontainers() {
        let r = rule(RULES, "tests-integration");
        let o = assert_pass(
            r,
            &[
                ("package.json", "{}"),
                ("src/lib/__tests__/search.integration.test.ts", "it('x')\n"),
                ("src/lib/__tests__/search.test.ts", "it('x')\n"),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(
            o.evidence[0].path,
            "src/lib/__tests__/search.integration.test.ts"
        );
        assert_pass(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("tests/integration/test_db.py", ""),
            ],
        );
        assert_pass(
            r,
            &[
                ("pom.xml", "<project/>"),
                ("src/test/java/a/RepoIT.java", "class RepoIT {}"),
            ],
        );
        assert_pass(
            r,
            &[(
                "go.mod",
                "module x\nrequire github.com/testcontainers/testcontainers-go v0.30.0\n",
            )],
        );
        assert_pass(
            r,
            &[
                ("go.mod", "module x\n"),
                ("db_test.go", "//go:build integration\n\npackage db\n"),
            ],
        );
        assert_fail(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("tests/unit/test_a.py", ""),
            ],
        );
    }

    #[test]
    fn integration_test_name_forms_and_rails_request_specs() {
        let r = rule(RULES, "tests-integration");
        // cal.com: vitest includes `packages/**/*.integration-test.ts`.
        let o = assert_pass(
            r,
            &[
                ("package.json", "{}"),
                (
                    "packages/lib/server/repository/user.integration-test.ts",
                    "import { describe } from \"vitest\";\n",
                ),
            ],
        );
        assert_eq!(
            o.evidence[0].path,
            "packages/lib/server/repository/user.integration-test.ts"
        );
        assert_pass(r, &[("package.json", "{}"), ("src/db.int.test.ts", "")]);
        // mastodon: request specs are integration tests.
        let o = assert_pass(
            r,
            &[
                ("Gemfile", "gem 'rails'\n"),
                (
                    "spec/requests/api/v1/statuses_spec.rb",
                    "RSpec.describe 'x' do\nend\n",
                ),
                (
                    "spec/models/account_spec.rb",
                    "RSpec.describe Account do\nend\n",
                ),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].path, "spec/requests/api/v1/statuses_spec.rb");
        // Model specs and an app's integration module are not integration tests; system specs
        // are end-to-end.
        assert_fail(
            r,
            &[
                ("Gemfile", "gem 'rails'\n"),
                ("spec/models/account_spec.rb", ""),
                ("spec/system/log_in_spec.rb", ""),
                ("packages/app-store/stripe.integration.ts", ""),
            ],
        );
        let e2e = rule(RULES, "tests-e2e");
        assert_pass(
            e2e,
            &[
                ("Gemfile", "gem 'rails'\n"),
                ("Procfile", "web: bundle exec puma -C config/puma.rb\n"),
                ("spec/system/log_in_spec.rb", ""),
            ],
        );
    }

    #[test]
    fn load_tests_are_not_in_process_performance_tests() {
        let r = rule(RULES, "tests-load");
        let next = ("next.config.ts", "export default {}\n");
        let o = assert_fail(
            r,
            &[
                next,
                ("package.json", "{}"),
                (
                    "src/__tests__/performance/search.performance.test.ts",
                    "it('is fast')\n",
                ),
            ],
        );
        assert!(
            o.message.contains("search.performance.test.ts"),
            "{}",
            o.message
        );
        let o = assert_pass(
            r,
            &[
                next,
                ("package.json", "{}"),
                ("load/search.js", "import http from 'k6/http'\n"),
            ],
        );
        assert_eq!(
            o.evidence[0],
            Evidence::at("load/search.js", 1).note("load test script")
        );
        assert_pass(
            r,
            &[SVC, ("locustfile.py", "from locust import HttpUser\n")],
        );
        assert_pass(r, &[SVC, ("perf/plan.jmx", "<jmeterTestPlan/>")]);
        assert_na(r, &[("pyproject.toml", "[project]\n")]);

        let p = rule(RULES, "tests-performance");
        let o = assert_pass(
            p,
            &[
                next,
                ("package.json", "{}"),
                (
                    "src/__tests__/performance/search.performance.test.ts",
                    "it('is fast')\n",
                ),
            ],
        );
        assert_eq!(
            o.evidence[0].path,
            "src/__tests__/performance/search.performance.test.ts"
        );
        assert_pass(
            p,
            &[
                ("go.mod", "module x\n"),
                ("a_test.go", "func BenchmarkX(b *testing.B) {}\n"),
            ],
        );
        assert_pass(
            p,
            &[(
                "Cargo.toml",
                "[package]\n[dev-dependencies]\ncriterion = \"0.5\"\n",
            )],
        );
        assert_fail(
            p,
            &[
                ("go.mod", "module x\n"),
                ("a_test.go", "func TestX(t *testing.T) {}\n"),
            ],
        );
    }

    #[test]
    fn benchmark_scripts_and_benches_count_as_performance_tests() {
        let r = rule(RULES, "tests-performance");
        let crate_files = ("Cargo.toml", "[package]\nname = \"x\"\n");
        let o = assert_pass(
            r,
            &[
                crate_files,
                ("src/lib.rs", "pub fn a() {}\n"),
                ("scripts/bench.sh", "hyperfine x\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "scripts/bench.sh");
        // charset-normalizer compares its speed in bin/performance.py.
        let py = ("setup.cfg", "[metadata]\nname = x\n");
        let o = assert_pass(r, &[py, ("bin/performance.py", "import timeit\n")]);
        assert_eq!(o.evidence[0].path, "bin/performance.py");
        for not_bench in [
            "perfect.py",
            "performances.py",
            "superbench.py",
            "performance-monitor.ts",
        ] {
            assert!(!is_benchmark_script_name(not_bench), "{not_bench}");
        }
        // A library's slow release is found by its users; a service's, in production.
        let o = assert_fail(r, &[py, ("x/core.py", "")]);
        assert!(o.message.ends_with("found by its users"), "{}", o.message);
        let o = assert_fail(r, &[py, ("Procfile", "web: x\n")]);
        assert!(o.message.ends_with("found in production"), "{}", o.message);
        assert_pass(
            r,
            &[
                crate_files,
                ("src/lib.rs", "pub fn a() {}\n"),
                ("benches/parse.rs", "fn main() {}\n"),
            ],
        );
        // A pattern written in a string is not a benchmark.
        assert_fail(
            r,
            &[
                crate_files,
                ("src/lib.rs", "const P: &str = \"criterion_group!\";\n"),
            ],
        );
    }

    /// Each stack's coverage snippets, applied to a repository that fails, make it pass.
    #[test]
    fn each_stacks_coverage_snippets_pass() {
        use crate::detect::StackId::*;
        let cov = rule(RULES, "tests-coverage");
        let min = rule(RULES, "tests-coverage-threshold");
        let node = |scripts: &str| {
            format!(
                r#"{{"name": "x", "scripts": {{"test": "jest"{scripts}}}, "devDependencies": {{"jest": "^29"}}}}"#
            )
        };
        let test = ("src/a.test.ts", "test('x', () => {})\n");
        assert_fail(cov, &[("package.json", &node("")), test]);
        for script in stack_snippet(cov, Node)
            .lines()
            .filter(|l| l.starts_with('"'))
        {
            assert_pass(
                cov,
                &[("package.json", &node(&format!(", {script}"))), test],
            );
        }
        assert_fail(min, &[("package.json", &node("")), test]);
        let jest = section(stack_snippet(min, Node), "jest.config.js");
        assert_pass(
            min,
            &[("package.json", &node("")), test, ("jest.config.js", &jest)],
        );

        let go = [("go.mod", "module x\n"), ("a_test.go", "package a\n")];
        fn go_ci<'a>(go: &[(&'a str, &'a str); 2], steps: &'a str) -> [(&'a str, &'a str); 3] {
            [go[0], go[1], (".github/workflows/ci.yml", steps)]
        }
        let plain = workflow_with_steps("- run: go test ./...");
        assert_fail(cov, &go_ci(&go, &plain));
        assert_fail(min, &go_ci(&go, &plain));
        let steps = workflow_with_steps(&section(stack_snippet(cov, Go), "ci.yml"));
        assert_pass(cov, &go_ci(&go, &steps));
        let snippet = stack_snippet(min, Go);
        let steps = workflow_with_steps(&section(snippet, "ci.yml"));
        let config = section(snippet, ".testcoverage.yml");
        assert_pass(min, &go_ci(&go, &steps));
        assert_pass(min, &[go[0], go[1], (".testcoverage.yml", &config)]);

        let rust = ("Cargo.toml", "[package]\nname = \"x\"\n");
        let ci = |stack, r: &Rule| workflow_with_steps(&section(stack_snippet(r, stack), "ci.yml"));
        assert_fail(cov, &[rust]);
        assert_pass(cov, &[rust, (".github/workflows/ci.yml", &ci(Rust, cov))]);
        assert_pass(min, &[rust, (".github/workflows/ci.yml", &ci(Rust, min))]);
        let dotnet = (
            "App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
        );
        assert_fail(cov, &[dotnet]);
        assert_pass(
            cov,
            &[dotnet, (".github/workflows/ci.yml", &ci(Dotnet, cov))],
        );
        assert_pass(
            min,
            &[dotnet, (".github/workflows/ci.yml", &ci(Dotnet, min))],
        );

        let pom = |plugins: &str| {
            format!("<project>\n<artifactId>x</artifactId>\n<build><plugins>\n{plugins}</plugins></build>\n</project>\n")
        };
        assert_fail(cov, &[("pom.xml", &pom(""))]);
        let jacoco = section(stack_snippet(cov, Java), "pom.xml");
        assert_pass(cov, &[("pom.xml", &pom(&jacoco))]);
        let check = section(stack_snippet(min, Java), "pom.xml");
        let with_check = jacoco.replace("</executions>", &format!("{check}</executions>"));
        assert_pass(min, &[("pom.xml", &pom(&with_check))]);

        let gemfile = (
            "Gemfile",
            "source \"https://rubygems.org\"\ngem \"simplecov\"\n",
        );
        assert_fail(
            cov,
            &[gemfile, ("spec/spec_helper.rb", "require \"rspec\"\n")],
        );
        for (r, file) in [(cov, "spec_helper.rb"), (min, "spec_helper.rb")] {
            let helper = section(stack_snippet(r, Ruby), file);
            assert_pass(r, &[gemfile, ("spec/spec_helper.rb", &helper)]);
        }
    }
}
