//! Observability: structured logging, console/print density, error tracking, metrics, tracing,
//! health endpoints, alert rules and dashboards as code.
//!
//! Also home of the small helpers the testing and reliability rules share ([`deps`], [`grep`],
//! [`signal_hits`], [`is_vendored`]): they answer "does a manifest declare X", "which lines of
//! kept text match", "where did a content signal fire" the same way for the three categories.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{Profile, StackId};
use crate::index::{IndexedFile, JVM_SOURCE_ROOTS};
use crate::pattern::Gated;
use regex::Regex;
use std::sync::LazyLock;

/// A `LazyLock<Regex>` for a constant pattern, compiled on first use (the unit tests run
/// every check, so a broken pattern fails there, never on a user's repository).
macro_rules! lazy_re {
    ($p:expr $(,)?) => {
        std::sync::LazyLock::new(|| crate::pattern::regex($p).expect("constant pattern compiles"))
    };
}
pub(super) use lazy_re;

/// A `LazyLock<Gated>` for a constant pattern: a regex with a literal gate in front
/// ([`crate::pattern::Gated`]), for patterns searched in many files line by line.
macro_rules! lazy_gated {
    ($p:expr $(,)?) => {
        std::sync::LazyLock::new(|| {
            crate::pattern::Gated::new($p).expect("constant pattern compiles")
        })
    };
}
pub(super) use lazy_gated;

/// A built-in pattern with its gate ([`crate::pattern::Gated`]); tests compile every one.
pub(super) fn gated(pattern: &str) -> Gated {
    Gated::new(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// Vendored, generated or build-output trees: never evidence of the project's own practice.
/// Test fixtures are other (often fake) projects, not this one's practice.
pub(super) fn is_vendored(path: &str) -> bool {
    crate::index::is_vendored(path) || crate::index::is_fixture_path(path)
}

/// [`is_vendored`] for an indexed file, precomputed.
pub(super) fn vendored_file(f: &IndexedFile) -> bool {
    f.vendored || f.fixture
}

/// Prose documentation (where runbooks, SLOs and incident processes are written down).
pub(super) fn is_doc(f: &IndexedFile) -> bool {
    [
        "md", "markdown", "mdx", "rst", "adoc", "asciidoc", "txt", "org",
    ]
    .iter()
    .any(|e| f.ext().eq_ignore_ascii_case(e))
}

pub(super) fn is_yaml(f: &IndexedFile) -> bool {
    matches!(f.ext(), "yml" | "yaml")
}

/// Comment lines of the configuration formats we grep (`#`, `//`, `<!--`, `;`).
fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with("<!--") || t.starts_with(';')
}

/// Lines of a file's kept text matching `re`, comment lines skipped, with the line as note.
pub(super) fn grep_file(f: &IndexedFile, re: &Gated) -> Vec<Evidence> {
    let Some(text) = f.text() else {
        return Vec::new();
    };
    re.matching_lines(text)
        .filter(|(_, l)| !is_comment(l))
        .map(|(i, l)| Evidence::at(f.path.clone(), i as u32 + 1).note(crate::model::ci::shorten(l)))
        .collect()
}

/// Matching lines in every non-vendored file `pick` selects.
pub(super) fn grep(
    ctx: &Context,
    pick: impl Fn(&IndexedFile) -> bool,
    re: &Gated,
) -> Vec<Evidence> {
    ctx.index
        .text_files()
        .filter(|f| !vendored_file(f) && pick(f))
        .flat_map(|f| grep_file(f, re))
        .collect()
}

/// Where a content signal fired (first line per file), vendored trees left out.
pub(super) fn signal_hits(ctx: &Context, id: &str, note: &str) -> Vec<Evidence> {
    ctx.index
        .signal(id)
        .iter()
        .filter(|h| !is_vendored(ctx.index.hit_path(h)))
        .map(|h| Evidence::at(ctx.index.hit_path(h).to_string(), h.line).note(note))
        .collect()
}

/// Package ecosystems whose manifests we read for declared dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Eco {
    Npm,
    PyPI,
    Go,
    Cargo,
    Maven,
    Gem,
    NuGet,
}

fn manifest_eco(f: &IndexedFile) -> Option<Eco> {
    let name = f.name();
    Some(match name {
        "package.json" => Eco::Npm,
        "pyproject.toml" | "setup.py" | "setup.cfg" | "Pipfile" => Eco::PyPI,
        "go.mod" => Eco::Go,
        "Cargo.toml" => Eco::Cargo,
        "pom.xml" | "build.gradle" | "build.gradle.kts" | "libs.versions.toml" => Eco::Maven,
        "Gemfile" => Eco::Gem,
        "Directory.Packages.props" | "Directory.Build.props" | "packages.config" => Eco::NuGet,
        _ if name.ends_with(".gemspec") => Eco::Gem,
        _ if name.ends_with(".csproj")
            || name.ends_with(".fsproj")
            || name.ends_with(".vbproj") =>
        {
            Eco::NuGet
        }
        // requirements.txt, requirements-dev.txt, requirements/base.txt
        _ if name.ends_with(".txt")
            && (name.starts_with("requirements") || f.path.contains("requirements/")) =>
        {
            Eco::PyPI
        }
        _ => return None,
    })
}

/// A dependency we look for: `eco:name`, a trailing `*` makes `name` a prefix. Maven names are
/// `artifact`, `group:artifact` or `group:*`.
struct Spec<'a> {
    eco: Eco,
    name: &'a str,
    prefix: bool,
}

fn parse_spec(spec: &str) -> Option<Spec<'_>> {
    let (eco, name) = spec.split_once(':')?;
    let eco = match eco {
        "npm" => Eco::Npm,
        "pypi" => Eco::PyPI,
        "go" => Eco::Go,
        "cargo" => Eco::Cargo,
        "maven" => Eco::Maven,
        "gem" => Eco::Gem,
        "nuget" => Eco::NuGet,
        _ => return None,
    };
    let (name, prefix) = match name.strip_suffix('*') {
        Some(n) => (n, true),
        None => (name, false),
    };
    Some(Spec { eco, name, prefix })
}

/// Per-line regex for a spec in a line-oriented manifest (every ecosystem but npm and Cargo).
fn line_regex(spec: &Spec, file_name: &str) -> Option<Regex> {
    let esc = regex::escape(spec.name);
    let pattern = match spec.eco {
        Eco::PyPI => {
            // PEP 503: `-`, `_` and `.` are interchangeable and names are case-insensitive.
            let name: String = spec
                .name
                .split(['-', '_', '.'])
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join("[-_.]");
            let tail = if spec.prefix { r"[\w.-]*" } else { "" };
            format!(r#"(?i)(?:^\s*|["'])(?:{name}{tail})(?:\[[^\]]*\])?\s*(?:[<>=!~;@,"'\s]|$)"#)
        }
        Eco::Go => {
            let tail = if spec.prefix { r"\S*" } else { r"(?:/v\d+)?" };
            format!(r"^\s*(?:require\s+)?{esc}{tail}\s+v\d")
        }
        Eco::Maven => {
            let (group, artifact) = match spec.name.split_once(':') {
                Some((g, a)) => (Some(g), a),
                None => (None, spec.name),
            };
            let tail = if spec.prefix { r"[\w.-]*" } else { "" };
            let art = regex::escape(artifact);
            let xml = file_name == "pom.xml";
            match (group, artifact.is_empty() && spec.prefix) {
                // group:*  (artifact empty with prefix means "any artifact of the group")
                (Some(g), true) => {
                    let g = regex::escape(g);
                    if xml {
                        format!(r"<groupId>\s*{g}\s*</groupId>")
                    } else {
                        format!(r#"{g}:[\w.-]+|group\s*[=:]\s*["']{g}["']"#)
                    }
                }
                (g, _) => {
                    if xml {
                        format!(r"<artifactId>\s*{art}{tail}\s*</artifactId>")
                    } else {
                        let g = g.map(regex::escape).unwrap_or_else(|| r"[\w.-]+".into());
                        format!(
                            r#"{g}:{art}{tail}(?:[:'"@]|\s*$)|name\s*[=:]\s*["']{art}{tail}["']"#
                        )
                    }
                }
            }
        }
        Eco::Gem => {
            let tail = if spec.prefix { r"[\w-]*" } else { "" };
            format!(
                r#"^\s*gem\s*\(?\s*['"]{esc}{tail}['"]|add_(?:runtime_|development_)?dependency\s*\(?\s*['"]{esc}{tail}['"]"#
            )
        }
        Eco::NuGet => {
            let tail = if spec.prefix { r"[\w.]*" } else { "" };
            format!(r#"(?i)<package\w*\s[^>]*?\b(?:Include|Update|id)\s*=\s*"{esc}{tail}""#)
        }
        Eco::Npm | Eco::Cargo => return None,
    };
    crate::pattern::regex(&pattern).ok()
}

/// `name` is the spec's package (or starts with it, for a prefix spec), both mapped byte by
/// byte through `normalize`. No allocation: this runs for every dependency of every manifest,
/// for each rule that asks.
fn name_matches(spec: &Spec, name: &str, normalize: fn(u8) -> u8) -> bool {
    let (want, got) = (spec.name.as_bytes(), name.as_bytes());
    let fits = if spec.prefix {
        got.len() >= want.len()
    } else {
        got.len() == want.len()
    };
    fits && want
        .iter()
        .zip(got)
        .all(|(&w, &g)| normalize(w) == normalize(g))
}

fn same(b: u8) -> u8 {
    b
}

/// Cargo treats `-` and `_` in crate names alike, and names are case-insensitive.
fn cargo_norm(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'_' => b'-',
        other => other,
    }
}

/// Non-vendored package manifests with their ecosystem, in path order; found once per scan.
fn manifests<'a>(ctx: &Context<'a>) -> impl Iterator<Item = (&'a IndexedFile, Eco)> {
    let index = ctx.index;
    let found = index.models.derived.manifests.get_or_init(|| {
        index
            .files()
            .iter()
            .enumerate()
            .filter(|(_, f)| !vendored_file(f))
            .filter_map(|(i, f)| manifest_eco(f).map(|e| (i, e)))
            .collect()
    });
    found.iter().map(|&(i, e)| (&index.files()[i], e))
}

/// Manifest lines declaring any of `specs` (see [`Spec`]), in non-vendored manifests.
/// package.json is parsed (dependencies of every kind); Cargo.toml is read by section.
pub(super) fn deps(ctx: &Context, specs: &[&str]) -> Vec<Evidence> {
    let specs: Vec<Spec> = specs.iter().filter_map(|s| parse_spec(s)).collect();
    let mut out = Vec::new();
    for (f, eco) in manifests(ctx) {
        let mine: Vec<&Spec> = specs.iter().filter(|s| s.eco == eco).collect();
        if mine.is_empty() {
            continue;
        }
        let Some(text) = f.text() else { continue };
        match eco {
            Eco::Npm => npm_deps(ctx, f, text, &mine, &mut out),
            Eco::Cargo => cargo_deps(f, text, &mine, &mut out),
            _ => {
                let res: Vec<(&Spec, Regex)> = mine
                    .iter()
                    .filter_map(|s| line_regex(s, f.name()).map(|re| (*s, re)))
                    .collect();
                let mut python = crate::model::python_deps::DependencyLines::default();
                for (i, line) in text.lines().enumerate() {
                    if eco == Eco::PyPI && python.scope(f.name(), line).is_none() {
                        continue;
                    }
                    if is_comment(line) || (eco == Eco::Go && line.contains("// indirect")) {
                        continue;
                    }
                    if let Some((s, _)) = res.iter().find(|(_, re)| re.is_match(line)) {
                        out.push(
                            Evidence::at(f.path.clone(), i as u32 + 1)
                                .note(format!("declares {}", s.name.trim_end_matches(':'))),
                        );
                    }
                }
            }
        }
    }
    out
}

fn npm_deps(ctx: &Context, f: &IndexedFile, text: &str, specs: &[&Spec], out: &mut Vec<Evidence>) {
    let Some(json) = ctx.index.json(&f.path) else {
        return;
    };
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(map) = json.get(section).and_then(|v| v.as_object()) else {
            continue;
        };
        for name in map.keys() {
            if specs.iter().any(|s| name_matches(s, name, same)) {
                let line = crate::detect::json_key_line(text, name).unwrap_or(1);
                out.push(Evidence::at(f.path.clone(), line).note(format!("declares {name}")));
            }
        }
    }
}

fn cargo_deps(f: &IndexedFile, text: &str, specs: &[&Spec], out: &mut Vec<Evidence>) {
    static KEY: LazyLock<Regex> = lazy_re!(r"^\s*([A-Za-z0-9_-]+)\s*=");
    let mut in_deps = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        let found = if let Some(header) = t.strip_prefix('[') {
            let header = header.trim_end_matches(']');
            // [dependencies], [dev-dependencies], [workspace.dependencies],
            // [target.'cfg(unix)'.dependencies], or [dependencies.serde]
            in_deps = header.ends_with("dependencies");
            header
                .rsplit_once("dependencies.")
                .map(|(_, name)| name.trim_matches('"').to_string())
        } else if in_deps {
            KEY.captures(line).map(|c| c[1].to_string())
        } else {
            None
        };
        if let Some(name) = found {
            if specs.iter().any(|s| name_matches(s, &name, cargo_norm)) {
                out.push(
                    Evidence::at(f.path.clone(), i as u32 + 1).note(format!("declares {name}")),
                );
            }
        }
    }
}

/// Non-test source files in a language of a detected stack, with the stack.
pub(super) fn stack_of_ext(ext: &str) -> Option<StackId> {
    Some(match ext {
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => {
            StackId::Node
        }
        "py" => StackId::Python,
        "go" => StackId::Go,
        "rs" => StackId::Rust,
        "java" | "kt" | "scala" | "groovy" => StackId::Java,
        "rb" => StackId::Ruby,
        "cs" | "fs" | "vb" => StackId::Dotnet,
        _ => return None,
    })
}

/// Build and tool configuration written in a programming language (`jest.config.ts`,
/// `setup.py`, `.eslintrc.js`): code by extension, not application code.
pub(super) fn is_tool_config(f: &IndexedFile) -> bool {
    let name = f.name();
    name.contains(".config.")
        || name.contains(".conf.")
        || name.starts_with('.')
        || name.starts_with("setup.")
        || name.starts_with("noxfile.")
        || name.starts_with("conftest.")
        || name.starts_with("build.gradle")
        || name.starts_with("settings.gradle")
        || name == "build.rs"
        || name == "magefile.go"
        || name.ends_with(".d.ts")
        || name.ends_with("rc.js")
        || name.ends_with("rc.cjs")
}

/// The stack of a file that is application source code when that stack is detected: a source
/// file, not a test, not vendored, not tool configuration.
fn app_source_stack(f: &IndexedFile) -> Option<StackId> {
    if f.is_source() && !f.is_test && !vendored_file(f) && !is_tool_config(f) {
        stack_of_ext(f.ext())
    } else {
        None
    }
}

/// Application source files of the detected stacks ([`app_source_stack`]) as (file index,
/// file, stack), in path order. The candidates are found once per scan: several rules ask,
/// and a monorepo has 100k files.
pub(super) fn app_sources<'a, 'c>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (usize, &'a IndexedFile, StackId)> + use<'a, 'c> {
    let index = ctx.index;
    let all = index.models.derived.app_sources.get_or_init(|| {
        index
            .files()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| app_source_stack(f).map(|s| (i, s)))
            .collect()
    });
    all.iter()
        .filter(|(_, s)| ctx.has_stack(*s))
        .map(|&(i, s)| (i, &index.files()[i], s))
}

/// The manifest of the first detected stack, else the repository anchor: where a "no X in
/// this project" finding points.
pub(super) fn project_anchor(ctx: &Context) -> Option<Evidence> {
    ctx.stacks
        .iter()
        .flat_map(|s| s.evidence.iter())
        .find(|e| !e.path.contains('/'))
        .or_else(|| ctx.stacks.first().and_then(|s| s.evidence.first()))
        .map(|e| Evidence::file(e.path.clone()))
        .or_else(|| ctx.index.repo_anchor())
}

fn join<T: Ord>(mut v: Vec<T>, more: impl IntoIterator<Item = T>) -> Vec<T> {
    v.extend(more);
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Structured logging
// ---------------------------------------------------------------------------------------------

const STRUCTURED_LOGGING_DEPS: &[&str] = &[
    "npm:winston",
    "npm:pino",
    "npm:pino-http",
    "npm:nestjs-pino",
    "npm:bunyan",
    "npm:roarr",
    "npm:@aws-lambda-powertools/logger",
    "pypi:structlog",
    "pypi:python-json-logger",
    "pypi:ecs-logging",
    "pypi:json-log-formatter",
    "go:go.uber.org/zap",
    "go:github.com/rs/zerolog",
    "go:github.com/sirupsen/logrus",
    "go:github.com/go-kit/log",
    "go:github.com/hashicorp/go-hclog",
    "cargo:slog-json",
    "cargo:slog-bunyan",
    "cargo:tracing-bunyan-formatter",
    "cargo:json-subscriber",
    "maven:logstash-logback-encoder",
    "maven:log4j-layout-template-json",
    "maven:logback-ecs-encoder",
    "maven:log4j2-ecs-layout",
    "gem:lograge",
    "gem:semantic_logger",
    "gem:rails_semantic_logger",
    "gem:ougai",
    "gem:logstash-logger",
    "nuget:Serilog*",
];

/// Logging configuration files (XML/properties/YAML) that can switch on JSON output.
fn is_logging_config(f: &IndexedFile) -> bool {
    let name = f.name().to_ascii_lowercase();
    (name.starts_with("logback") && name.ends_with(".xml"))
        || (name.starts_with("log4j2") && !f.is_source())
        || name == "nlog.config"
        || (name.starts_with("application") && matches!(f.ext(), "properties" | "yml" | "yaml"))
}

fn structured_logging(ctx: &Context) -> Outcome {
    static JSON_CONFIG: LazyLock<Gated> = lazy_gated!(
        r"LogstashEncoder|LoggingEventCompositeJsonEncoder|classic\.encoder\.JsonEncoder|JsonTemplateLayout|<JsonLayout|EcsLayout|EcsEncoder|JsonLayout|logging\.structured\.format|structured:\s*$|format:\s*(?:ecs|logstash|gelf)\b",
    );
    let mut found = signal_hits(ctx, "obs-structured-logging", "structured logger in code");
    found.extend(signal_hits(
        ctx,
        "obs-structured-logging-rs",
        "JSON tracing subscriber",
    ));
    found.extend(deps(ctx, STRUCTURED_LOGGING_DEPS));
    found.extend(grep(ctx, is_logging_config, &JSON_CONFIG));
    // tracing-subscriber logs JSON only with its "json" feature.
    for e in deps(ctx, &["cargo:tracing-subscriber"]) {
        let json = ctx.index.text(&e.path).is_some_and(|t| {
            let start = e.line.unwrap_or(1) as usize - 1;
            t.lines()
                .skip(start)
                .take(6)
                .enumerate()
                .take_while(|(i, l)| *i == 0 || !l.trim_start().starts_with('['))
                .any(|(_, l)| l.contains("\"json\""))
        });
        if json {
            found.push(e.note("tracing-subscriber with the json feature"));
        }
    }
    Outcome::present(
        found,
        "a structured (JSON / key-value) logging library is in use",
        "no structured logging library: logs are free text that aggregators cannot query by field",
        project_anchor(ctx),
    )
}

// ---------------------------------------------------------------------------------------------
// Console / print logging density
// ---------------------------------------------------------------------------------------------

/// Console/print calls per 1,000 lines of application code above which the rule fails.
const PRINT_PER_KLOC: f64 = 5.0;
/// Fewer calls than this never fail the rule: a handful is not a practice problem.
const PRINT_MIN_CALLS: u32 = 10;

/// Signals counting console/print calls, per language.
const PRINT_SIGNALS: &[&str] = &[
    "obs-print-js",
    "obs-print-py",
    "obs-print-go",
    "obs-print-rs",
    "obs-print-jvm",
    "obs-print-cs",
    "obs-print-rb",
];

/// Paths where printing is the job (scripts, CLIs, examples, seeds, migrations).
fn print_is_expected(f: &IndexedFile) -> bool {
    const FOLDERS: &[&str] = &[
        "scripts",
        "script",
        "bin",
        "tools",
        "tool",
        "hack",
        "cmd",
        "cli",
        "examples",
        "example",
        "samples",
        "sample",
        "docs",
        "doc",
        "benchmarks",
        "benches",
        "bench",
        "migrations",
        "alembic",
        "seeds",
        "seed",
        "fixtures",
        "testdata",
    ];
    // Under a JVM source root the folders are package names (`com/example/demo`,
    // `org/springframework/samples/petclinic`), not folders of scripts or samples.
    let folders = JVM_SOURCE_ROOTS
        .iter()
        .find_map(|root| f.path.find(root))
        .map_or(f.path.as_str(), |i| &f.path[..i]);
    // Runs for every source file: compare without lowercasing the whole path.
    if folders
        .split('/')
        .any(|seg| FOLDERS.iter().any(|d| seg.eq_ignore_ascii_case(d)))
    {
        return true;
    }
    let name = f.name();
    name.get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("seed"))
        || [
            "__main__.py",
            "manage.py",
            "cli.py",
            "main.go",
            "fabfile.py",
            "tasks.py",
        ]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

fn console_logging(ctx: &Context) -> Outcome {
    // Decided once per file, then looked up for each hit.
    let mut counted = vec![false; ctx.index.files().len()];
    let mut kloc_lines: u64 = 0;
    for (i, f, _) in app_sources(ctx) {
        if !print_is_expected(f) {
            counted[i] = true;
            kloc_lines += u64::from(f.lines);
        }
    }
    if kloc_lines == 0 {
        return Outcome::na("no application source code of a detected stack");
    }
    // (calls, file, line) per hit; evidence is built for the ten cited only (a monorepo has
    // tens of thousands of hits).
    let mut per_file: Vec<(u32, usize, u32)> = Vec::new();
    for id in PRINT_SIGNALS {
        for h in ctx.index.signal(id) {
            if counted[h.file] {
                per_file.push((h.count, h.file, h.line));
            }
        }
    }
    let calls: u32 = per_file.iter().map(|(c, _, _)| *c).sum();
    let density = f64::from(calls) * 1000.0 / kloc_lines as f64;
    let files = ctx.index.files();
    // Most calls first, then in evidence order (path, line).
    per_file.sort_by(|a, b| {
        (b.0.cmp(&a.0))
            .then_with(|| files[a.1].path.cmp(&files[b.1].path))
            .then_with(|| a.2.cmp(&b.2))
    });
    let evidence =
        |&(_, file, line): &(u32, usize, u32)| Evidence::at(files[file].path.clone(), line);
    let worst: Vec<Evidence> = per_file
        .iter()
        .take(10)
        .map(|hit| {
            let c = hit.0;
            evidence(hit).note(format!(
                "{c} console/print call{}",
                if c == 1 { "" } else { "s" }
            ))
        })
        .collect();
    let summary = format!(
        "{calls} console/print calls in {:.1} KLOC of application code ({density:.1} per KLOC; \
         the limit is {PRINT_PER_KLOC} per KLOC)",
        kloc_lines as f64 / 1000.0
    );
    if calls >= PRINT_MIN_CALLS && density > PRINT_PER_KLOC {
        let files = per_file.len();
        Outcome::fail(
            format!("{summary} across {files} files; the worst files are cited"),
            worst,
        )
    } else if worst.is_empty() {
        Outcome::pass(
            summary,
            project_anchor(ctx)
                .map(|e| e.note("no console/print calls in application code"))
                .into_iter()
                .collect(),
        )
    } else if density > PRINT_PER_KLOC {
        // A handful of calls in a small codebase: dense, but too few to matter.
        Outcome::pass(
            format!("{summary}, but only {calls} (fewer than {PRINT_MIN_CALLS} are tolerated)"),
            worst,
        )
    } else {
        Outcome::pass(summary, worst)
    }
}

// ---------------------------------------------------------------------------------------------
// Error tracking, metrics, tracing
// ---------------------------------------------------------------------------------------------

const ERROR_TRACKING_DEPS: &[&str] = &[
    "npm:@sentry/*",
    "npm:@bugsnag/*",
    "npm:bugsnag",
    "npm:rollbar",
    "npm:@honeybadger-io/*",
    "npm:@airbrake/*",
    "npm:raygun",
    "npm:raygun4js",
    "npm:@appsignal/*",
    "npm:dd-trace",
    "npm:@datadog/browser-rum",
    "npm:newrelic",
    "npm:elastic-apm-node",
    "npm:@elastic/apm-rum",
    "pypi:sentry-sdk",
    "pypi:raven",
    "pypi:bugsnag",
    "pypi:rollbar",
    "pypi:honeybadger",
    "pypi:pybrake",
    "pypi:raygun4py",
    "pypi:appsignal",
    "pypi:ddtrace",
    "pypi:newrelic",
    "pypi:elastic-apm",
    "pypi:scout-apm",
    "go:github.com/getsentry/sentry-go",
    "go:github.com/bugsnag/bugsnag-go*",
    "go:github.com/rollbar/rollbar-go",
    "go:github.com/honeybadger-io/honeybadger-go",
    "go:github.com/airbrake/gobrake*",
    "go:gopkg.in/DataDog/dd-trace-go.v1",
    "go:github.com/DataDog/dd-trace-go*",
    "go:github.com/newrelic/go-agent*",
    "go:go.elastic.co/apm*",
    "cargo:sentry*",
    "maven:io.sentry:*",
    "maven:com.bugsnag:*",
    "maven:com.rollbar:*",
    "maven:io.honeybadger:*",
    "maven:io.airbrake:*",
    "maven:dd-trace-api",
    "maven:com.newrelic.agent.java:*",
    "maven:co.elastic.apm:*",
    "gem:sentry-ruby",
    "gem:sentry-rails",
    "gem:sentry-raven",
    "gem:bugsnag",
    "gem:rollbar",
    "gem:honeybadger",
    "gem:airbrake",
    "gem:raygun4ruby",
    "gem:appsignal",
    "gem:ddtrace",
    "gem:datadog",
    "gem:newrelic_rpm",
    "gem:elastic-apm",
    "gem:scout_apm",
    "nuget:Sentry*",
    "nuget:Bugsnag*",
    "nuget:Rollbar*",
    "nuget:Honeybadger*",
    "nuget:Mindscape.Raygun4Net*",
    "nuget:Datadog.Trace*",
    "nuget:NewRelic.Agent*",
    "nuget:Elastic.Apm*",
    "nuget:Microsoft.ApplicationInsights*",
];

fn error_tracking(ctx: &Context) -> Outcome {
    let init = signal_hits(ctx, "obs-error-tracking-init", "error tracker initialised");
    let declared = deps(ctx, ERROR_TRACKING_DEPS);
    let message = match (declared.is_empty(), init.is_empty()) {
        (false, false) => "an error-tracking SDK is declared and initialised",
        (true, false) => "an error-tracking SDK is initialised in code",
        _ => "an error-tracking / APM SDK is declared (no init call found in source)",
    };
    Outcome::present(
        join(init, declared),
        message,
        "no error tracking (Sentry, Bugsnag, Rollbar, Honeybadger, an APM…): exceptions in \
         production are only seen if someone reads the logs",
        project_anchor(ctx),
    )
}

const METRICS_DEPS: &[&str] = &[
    "npm:prom-client",
    "npm:express-prom-bundle",
    "npm:@willsoto/nestjs-prometheus",
    "npm:fastify-metrics",
    "npm:@opentelemetry/sdk-metrics",
    "npm:@opentelemetry/exporter-prometheus",
    "npm:hot-shots",
    "npm:node-statsd",
    "npm:statsd-client",
    "npm:datadog-metrics",
    "pypi:prometheus-client",
    "pypi:prometheus-fastapi-instrumentator",
    "pypi:starlette-exporter",
    "pypi:prometheus-flask-exporter",
    "pypi:django-prometheus",
    "pypi:aioprometheus",
    "pypi:opentelemetry-exporter-prometheus",
    "pypi:statsd",
    "pypi:datadog",
    "go:github.com/prometheus/client_golang",
    "go:github.com/VictoriaMetrics/metrics",
    "go:go.opentelemetry.io/otel/sdk/metric",
    "go:go.opentelemetry.io/otel/exporters/prometheus",
    "go:github.com/DataDog/datadog-go*",
    "go:github.com/cactus/go-statsd-client*",
    "go:github.com/armon/go-metrics",
    "go:github.com/hashicorp/go-metrics",
    "go:github.com/rcrowley/go-metrics",
    "cargo:prometheus",
    "cargo:prometheus-client",
    "cargo:metrics",
    "cargo:metrics-exporter-prometheus",
    "cargo:opentelemetry-prometheus",
    "cargo:autometrics",
    "cargo:cadence",
    "maven:micrometer-core",
    "maven:micrometer-registry-*",
    "maven:io.prometheus:*",
    "maven:opentelemetry-exporter-prometheus",
    "gem:prometheus-client",
    "gem:yabeda*",
    "gem:statsd-instrument",
    "gem:dogstatsd-ruby",
    "nuget:prometheus-net*",
    "nuget:App.Metrics*",
    "nuget:OpenTelemetry.Exporter.Prometheus*",
];

fn metrics(ctx: &Context) -> Outcome {
    static SCRAPE: LazyLock<Gated> = lazy_gated!(
        r#"^\s*kind:\s*(?:ServiceMonitor|PodMonitor)\b|prometheus\.io/scrape["']?\s*:\s*["']?true"#,
    );
    let mut found = signal_hits(ctx, "obs-metrics-code", "metrics instrumentation in code");
    found.extend(deps(ctx, METRICS_DEPS));
    found.extend(grep(ctx, is_yaml, &SCRAPE));
    Outcome::present(
        found,
        "the service exposes or pushes metrics",
        "no metrics instrumentation (Prometheus client, StatsD, OpenTelemetry metrics, \
         Micrometer…): request rates, latencies and saturation are invisible",
        project_anchor(ctx),
    )
}

const TRACING_DEPS: &[&str] = &[
    "npm:@opentelemetry/sdk-node",
    "npm:@opentelemetry/sdk-trace-*",
    "npm:@opentelemetry/auto-instrumentations-*",
    "npm:@opentelemetry/instrumentation*",
    "npm:@opentelemetry/exporter-trace-*",
    "npm:@vercel/otel",
    "npm:dd-trace",
    "npm:jaeger-client",
    "npm:zipkin",
    "npm:aws-xray-sdk*",
    "npm:elastic-apm-node",
    "npm:newrelic",
    "pypi:opentelemetry-sdk",
    "pypi:opentelemetry-distro",
    "pypi:opentelemetry-instrumentation*",
    "pypi:opentelemetry-exporter-otlp*",
    "pypi:opentelemetry-exporter-jaeger*",
    "pypi:opentelemetry-exporter-zipkin*",
    "pypi:ddtrace",
    "pypi:jaeger-client",
    "pypi:aws-xray-sdk",
    "pypi:py-zipkin",
    "pypi:elastic-apm",
    "pypi:newrelic",
    "pypi:logfire",
    "go:go.opentelemetry.io/otel/sdk",
    "go:go.opentelemetry.io/contrib/instrumentation/*",
    "go:go.opentelemetry.io/otel/exporters/otlp/otlptrace*",
    "go:go.opentelemetry.io/otel/exporters/jaeger",
    "go:go.opentelemetry.io/otel/exporters/zipkin",
    "go:github.com/uber/jaeger-client-go",
    "go:github.com/openzipkin/zipkin-go",
    "go:gopkg.in/DataDog/dd-trace-go.v1",
    "go:github.com/DataDog/dd-trace-go*",
    "go:github.com/aws/aws-xray-sdk-go",
    "go:go.elastic.co/apm*",
    "go:github.com/newrelic/go-agent*",
    "cargo:opentelemetry_sdk",
    "cargo:opentelemetry-otlp",
    "cargo:tracing-opentelemetry",
    "cargo:opentelemetry-jaeger",
    "cargo:opentelemetry-zipkin",
    "cargo:opentelemetry-datadog",
    "maven:io.opentelemetry:opentelemetry-sdk*",
    "maven:io.opentelemetry.instrumentation:*",
    "maven:opentelemetry-exporter-otlp",
    "maven:micrometer-tracing*",
    "maven:spring-cloud-starter-sleuth",
    "maven:zipkin-reporter*",
    "maven:dd-trace-api",
    "maven:jaeger-client",
    "maven:aws-xray-recorder-sdk-*",
    "maven:co.elastic.apm:*",
    "gem:opentelemetry-sdk",
    "gem:opentelemetry-instrumentation-*",
    "gem:opentelemetry-exporter-*",
    "gem:ddtrace",
    "gem:datadog",
    "gem:elastic-apm",
    "gem:newrelic_rpm",
    "gem:aws-xray-sdk",
    "nuget:OpenTelemetry",
    "nuget:OpenTelemetry.Extensions.Hosting",
    "nuget:OpenTelemetry.Instrumentation.*",
    "nuget:OpenTelemetry.Exporter.*",
    "nuget:Datadog.Trace*",
    "nuget:Elastic.Apm*",
    "nuget:Jaeger*",
    "nuget:AWSXRayRecorder*",
    "nuget:Microsoft.ApplicationInsights*",
];

/// Files that start or configure the process: where agents and OTel env vars are set.
fn is_runtime_config(f: &IndexedFile) -> bool {
    let name = f.name();
    name == "Dockerfile"
        || name.ends_with(".Dockerfile")
        || name.starts_with("Dockerfile.")
        || name == "Procfile"
        || name.starts_with(".env")
        || is_yaml(f)
}

fn tracing(ctx: &Context) -> Outcome {
    static RUNTIME: LazyLock<Gated> = lazy_gated!(
        r"\bopentelemetry-instrument\b|\bOTEL_EXPORTER_OTLP_(?:TRACES_)?ENDPOINT\b|\bOTEL_TRACES_EXPORTER\b|-javaagent:\S*(?:opentelemetry|dd-java-agent|elastic-apm-agent|newrelic)|\bddtrace-run\b",
    );
    let mut found = signal_hits(ctx, "obs-tracing-code", "tracing set up in code");
    found.extend(deps(ctx, TRACING_DEPS));
    found.extend(grep(ctx, is_runtime_config, &RUNTIME));
    Outcome::present(
        found,
        "distributed tracing is set up",
        "no distributed tracing (OpenTelemetry, Jaeger, Zipkin, an APM agent): a slow or \
         failing request cannot be followed across services",
        project_anchor(ctx),
    )
}

// ---------------------------------------------------------------------------------------------
// Health endpoint
// ---------------------------------------------------------------------------------------------

const HEALTH_DEPS: &[&str] = &[
    "maven:spring-boot-starter-actuator",
    "pypi:django-health-check",
    "pypi:fastapi-health",
    "npm:@nestjs/terminus",
    "npm:@godaddy/terminus",
    "npm:lightship",
    "nuget:AspNetCore.HealthChecks*",
    "nuget:Microsoft.Extensions.Diagnostics.HealthChecks*",
    "gem:health_check",
    "gem:okcomputer",
    "go:github.com/hellofresh/health-go*",
    "go:github.com/alexliesenfeld/health",
    "go:github.com/heptiolabs/healthcheck",
    "go:github.com/InVisionApp/go-health*",
];

/// Health-like route segments for file-system routers (Next.js, SvelteKit, Nuxt).
fn is_health_segment(seg: &str) -> bool {
    let seg = seg.split('.').next().unwrap_or(seg);
    matches!(
        seg,
        "health"
            | "healthz"
            | "healthcheck"
            | "health-check"
            | "ready"
            | "readyz"
            | "readiness"
            | "live"
            | "livez"
            | "liveness"
    )
}

/// `app/api/health/route.ts`, `pages/api/health.ts`, `routes/health/+server.ts`,
/// `server/api/health.get.ts`: a health route by file-system convention.
fn is_health_route_file(f: &IndexedFile) -> bool {
    if !matches!(f.ext(), "ts" | "js" | "mjs" | "tsx" | "jsx") || f.is_test {
        return false;
    }
    let segs: Vec<&str> = f.path.split('/').collect();
    let n = segs.len();
    if n < 2 {
        return false;
    }
    let name = segs[n - 1];
    let parent = segs[n - 2];
    let stem = name.split('.').next().unwrap_or(name);
    let in_router = segs
        .iter()
        .any(|s| matches!(*s, "app" | "pages" | "routes" | "api"));
    in_router
        && (((stem == "route" || stem == "+server" || stem == "index")
            && is_health_segment(parent))
            || (segs.contains(&"api") && is_health_segment(name)))
}

fn health_endpoint(ctx: &Context) -> Outcome {
    // A URL with a path on a local address, e.g. curl -f http://localhost:8080/healthz
    static PROBE_URL: LazyLock<Gated> = lazy_gated!(
        r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\$\{?\w+\}?)(?::\d+)?/\w"
    );
    static HTTP_GET: LazyLock<Gated> = lazy_gated!(r"^\s*httpGet:");
    let mut found = signal_hits(ctx, "obs-health-route", "health route");
    found.extend(
        ctx.index
            .files()
            .iter()
            .filter(|f| !vendored_file(f) && is_health_route_file(f))
            .map(|f| Evidence::file(f.path.clone()).note("health route (file-system router)")),
    );
    found.extend(deps(ctx, HEALTH_DEPS));
    // Container health checks and probes that call an HTTP path show the app serves one.
    for f in ctx.index.text_files().filter(|f| !vendored_file(f)) {
        let name = f.name();
        let is_dockerfile = name == "Dockerfile"
            || name == "Containerfile"
            || name.starts_with("Dockerfile.")
            || name.ends_with(".Dockerfile");
        let Some(text) = f.text() else { continue };
        if is_dockerfile {
            // HEALTHCHECK may continue over several lines: look at the instruction's block.
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                if !l
                    .trim_start()
                    .to_ascii_uppercase()
                    .starts_with("HEALTHCHECK")
                {
                    continue;
                }
                let mut j = i;
                let mut block = String::new();
                while j < lines.len() {
                    block.push_str(lines[j]);
                    if !lines[j].trim_end().ends_with('\\') {
                        break;
                    }
                    j += 1;
                }
                if PROBE_URL.is_match(&block) {
                    found.push(
                        Evidence::at(f.path.clone(), i as u32 + 1)
                            .note("container HEALTHCHECK calls an HTTP path"),
                    );
                }
            }
        } else if is_yaml(f) && text.contains("healthcheck:") {
            // Compose: the app's healthcheck curls its own endpoint.
            for e in grep_file(f, &PROBE_URL) {
                found.push(e.note("compose healthcheck calls an HTTP path"));
            }
        } else if is_yaml(f) && (text.contains("livenessProbe") || text.contains("readinessProbe"))
        {
            for e in grep_file(f, &HTTP_GET) {
                found.push(e.note("Kubernetes probe over HTTP"));
            }
        }
    }
    Outcome::present(
        found,
        "a health endpoint is served",
        "no health endpoint (/health, /healthz, /readyz…): orchestrators and load balancers \
         cannot tell a hung instance from a healthy one",
        project_anchor(ctx),
    )
}

// ---------------------------------------------------------------------------------------------
// Alert rules and dashboards as code
// ---------------------------------------------------------------------------------------------

fn alert_rules(ctx: &Context) -> Outcome {
    static PROM_ALERT: LazyLock<Gated> = lazy_gated!(r"^\s*-?\s*alert:\s*\S");
    static KIND: LazyLock<Gated> =
        lazy_gated!(r"^\s*kind:\s*(?:PrometheusRule|PrometheusServiceLevel|AlertmanagerConfig)\b");
    static RECEIVERS: LazyLock<Gated> = lazy_gated!(r"^receivers:");
    static GRAFANA: LazyLock<Gated> = lazy_gated!(r"^\s*condition:\s*\S");
    static TF: LazyLock<Gated> = lazy_gated!(
        r#"^\s*resource\s+"(?:datadog_monitor|aws_cloudwatch_metric_alarm|aws_cloudwatch_composite_alarm|grafana_rule_group|newrelic_(?:nrql_)?alert_\w+|google_monitoring_alert_policy|azurerm_monitor_\w*alert\w*|sentry_(?:issue|metric)_alert|opsgenie_\w+|pagerduty_\w+|signalfx_detector|honeycombio_trigger)""#,
    );
    static CFN: LazyLock<Gated> = lazy_gated!(r#"Type["']?\s*:\s*["']?AWS::CloudWatch::Alarm"#);
    let mut found = Vec::new();
    for f in ctx.index.text_files().filter(|f| !vendored_file(f)) {
        let Some(text) = f.text() else { continue };
        if is_yaml(f) && !f.path.starts_with(".github/") {
            if text.contains("expr:") {
                found.extend(
                    grep_file(f, &PROM_ALERT)
                        .into_iter()
                        .take(1)
                        .map(|e| e.note("Prometheus alerting rule")),
                );
            }
            found.extend(grep_file(f, &KIND).into_iter().take(1));
            if f.name().to_ascii_lowercase().starts_with("alertmanager") {
                found.extend(grep_file(f, &RECEIVERS).into_iter().take(1));
            }
            if text.contains("apiVersion: 1") && text.contains("rules:") {
                found.extend(
                    grep_file(f, &GRAFANA)
                        .into_iter()
                        .take(1)
                        .map(|e| e.note("Grafana alert rule provisioning")),
                );
            }
            found.extend(grep_file(f, &CFN).into_iter().take(1));
        } else if matches!(f.ext(), "tf" | "json") {
            found.extend(grep_file(f, &TF).into_iter().take(3));
            if f.ext() == "json" {
                found.extend(grep_file(f, &CFN).into_iter().take(1));
            }
        }
    }
    Outcome::present(
        found,
        "alerting rules are kept as code",
        "no alert rules as code (Prometheus rules, PrometheusRule, Alertmanager, Grafana or \
         Terraform monitors): nobody is paged when the service degrades",
        ctx.index.repo_anchor(),
    )
}

fn dashboards(ctx: &Context) -> Outcome {
    static PANELS: LazyLock<Gated> = lazy_gated!(r#""panels"\s*:"#);
    static KIND: LazyLock<Gated> =
        lazy_gated!(r"^\s*kind:\s*GrafanaDashboard\b|^\s*grafana_dashboard:");
    static TF: LazyLock<Gated> = lazy_gated!(
        r#"^\s*resource\s+"(?:grafana_dashboard|datadog_dashboard(?:_json)?|aws_cloudwatch_dashboard|newrelic_one_dashboard\w*|google_monitoring_dashboard|azurerm_portal_dashboard|signalfx_dashboard)"|AWS::CloudWatch::Dashboard"#,
    );
    static JSONNET: LazyLock<Gated> = lazy_gated!(r"grafonnet|grafana-builder|dashboard\.new\(");
    let mut found = Vec::new();
    for f in ctx.index.text_files().filter(|f| !vendored_file(f)) {
        let Some(text) = f.text() else { continue };
        match f.ext() {
            "json" if text.contains("\"panels\"") && text.contains("\"schemaVersion\"") => {
                found.extend(
                    grep_file(f, &PANELS)
                        .into_iter()
                        .take(1)
                        .map(|e| e.note("Grafana dashboard JSON")),
                );
            }
            "jsonnet" | "libsonnet" => found.extend(grep_file(f, &JSONNET).into_iter().take(1)),
            "tf" => found.extend(grep_file(f, &TF).into_iter().take(3)),
            "yml" | "yaml" => {
                found.extend(grep_file(f, &KIND).into_iter().take(1));
                found.extend(grep_file(f, &TF).into_iter().take(1));
            }
            _ => {}
        }
    }
    Outcome::present(
        found,
        "dashboards are kept as code",
        "no dashboards as code (Grafana JSON, grafonnet, Terraform dashboards): the views \
         on-call relies on are hand-made and unreviewed",
        ctx.index.repo_anchor(),
    )
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const SERVICE_OR_LIBRARY: Applies = Applies {
    profiles: &[Profile::Service, Profile::Library],
    stacks: &[],
};

const LOG_SHIPPING_DEPS: &[&str] = &[
    "npm:winston-loki",
    "npm:pino-loki",
    "npm:winston-cloudwatch",
    "npm:@google-cloud/logging*",
    "npm:@logtail/*",
    "npm:winston-elasticsearch",
    "npm:pino-elasticsearch",
    "npm:@datadog/pino",
    "npm:datadog-winston",
    "pypi:python-logging-loki",
    "pypi:watchtower",
    "pypi:google-cloud-logging",
    "pypi:logtail-python",
    "pypi:python-logstash*",
    "pypi:fluent-logger",
    "go:github.com/grafana/loki-client-go",
    "go:github.com/fluent/fluent-logger-golang",
    "cargo:tracing-loki",
    "maven:logstash-logback-encoder",
    "maven:loki-logback-appender",
    "gem:fluent-logger",
    "nuget:Serilog.Sinks.Elasticsearch",
    "nuget:Serilog.Sinks.Seq",
    "nuget:Serilog.Sinks.Grafana.Loki",
    "nuget:Serilog.Sinks.Datadog.Logs",
    "nuget:Serilog.Sinks.AwsCloudWatch",
];

/// Log collectors, by configuration file name.
const LOG_COLLECTOR_FILES: &[&str] = &[
    "fluent-bit.conf",
    "fluent-bit.yaml",
    "fluentd.conf",
    "fluent.conf",
    "td-agent.conf",
    "vector.toml",
    "vector.yaml",
    "promtail.yaml",
    "promtail.yml",
    "promtail-config.yaml",
    "filebeat.yml",
    "logstash.conf",
];

static LOG_SHIPPING_CONFIG: std::sync::LazyLock<Gated> = lazy_gated!(
    r#"(?i)\bdriver\s*:\s*['"]?(?:awslogs|gcplogs|fluentd|splunk|loki|gelf|syslog)\b|"logDriver"\s*:\s*"(?:awslogs|awsfirelens|splunk|fluentd)"|\bresource\s+"aws_cloudwatch_log_group"|\bimage\s*:\s*['"]?(?:[\w.-]+/)*(?:fluent-bit|fluentd|promtail|vector|filebeat|logstash|datadog/agent|otel/opentelemetry-collector[\w-]*)\b"#
);

fn log_aggregation(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = ctx
        .index
        .text_files()
        .filter(|f| !vendored_file(f) && LOG_COLLECTOR_FILES.contains(&f.name()))
        .map(|f| Evidence::file(f.path.clone()).note("log collector configuration"))
        .collect();
    found.extend(grep(
        ctx,
        |f| is_yaml(f) || matches!(f.ext(), "json" | "tf" | "toml"),
        &LOG_SHIPPING_CONFIG,
    ));
    found.extend(deps(ctx, LOG_SHIPPING_DEPS));
    Outcome::present(
        found,
        "logs are shipped to a central store",
        "no log aggregation: logs live only in container stdout and are lost with the container",
        project_anchor(ctx),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "obs-structured-logging",
        title: "Structured logging",
        category: Category::Observability,
        weight: 7,
        applies: Applies::SERVICE,
        rationale: "Logs with fields (JSON or key-value) can be filtered, aggregated and \
            correlated by request id; free-text lines only support grep on one host.",
        passes_when: "A structured logging library is declared or used: structlog, \
            python-json-logger, winston, pino, bunyan, zap, zerolog, slog, logrus, \
            tracing-subscriber with JSON, logstash-logback-encoder or a JSON layout, \
            lograge/semantic_logger, Serilog…",
        remediation: "Adopt the stack's structured logger, emit JSON in production and bind a \
            request/correlation id to every line.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/logger.ts\nimport pino from 'pino'\n\n// JSON lines on stdout; bind request fields with logger.child({ requestId }).\nexport const logger = pino({\n  level: process.env.LOG_LEVEL ?? 'info',\n  base: { service: 'api' },\n  timestamp: pino.stdTimeFunctions.isoTime,\n})\n\nlogger.info({ orderId: order.id }, 'order_created')"),
            (StackId::Python, "# app/logging.py\nimport structlog\n\nstructlog.configure(processors=[\n    structlog.contextvars.merge_contextvars,\n    structlog.processors.add_log_level,\n    structlog.processors.TimeStamper(fmt=\"iso\"),\n    structlog.processors.JSONRenderer(),\n])\nlog = structlog.get_logger()\nlog.info(\"order_created\", order_id=order.id)"),
            (StackId::Go, "// internal/logging/logging.go\npackage logging\n\nimport (\n\t\"log/slog\"\n\t\"os\"\n)\n\n// New logs JSON lines on stdout; add request fields with logger.With(\"request_id\", id).\nfunc New() *slog.Logger {\n\treturn slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))\n}\n\n// logger.Info(\"order_created\", \"order_id\", order.ID)"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(structured_logging),
    },
    Rule {
        id: "obs-console-logging",
        title: "Few console/print calls in application code",
        category: Category::Observability,
        weight: 4,
        applies: SERVICE_OR_LIBRARY,
        rationale: "console.log / print / fmt.Println bypass levels, fields and routing: they \
            cannot be silenced, searched or correlated, and they leak into production output.",
        passes_when: "Application code (non-test source of the detected stacks, outside \
            scripts/, bin/, cmd/, cli/, examples/, docs/, migrations and seed files) has at most \
            5 console/print calls per 1,000 lines, or fewer than 10 in all. Counted: \
            console.log/debug/info/warn/error/trace, print(), fmt.Print*, println!/eprintln!/dbg!, \
            System.out/err.print*, printStackTrace(), Console.Write*, puts/print/pp.",
        remediation: "Route output through the project's logger (with levels and fields) and \
            forbid raw console calls with a linter rule (ESLint no-console, Ruff T20, \
            forbidigo, clippy print_stdout).",
        snippet: None,
        snippets: &[
            (StackId::Node, "// eslint.config.js\nexport default [\n  { rules: { \"no-console\": [\"error\", { allow: [] }] } },\n];"),
            (StackId::Python, "# pyproject.toml\n[tool.ruff.lint]\nextend-select = [\"T20\"]  # flake8-print: no print() in application code"),
            (StackId::Go, "# .golangci.yml (golangci-lint v2)\nversion: \"2\"\nlinters:\n  enable: [forbidigo]\n  settings:\n    forbidigo:\n      forbid:\n        - pattern: ^fmt\\.Print.*$"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(console_logging),
    },
    Rule {
        id: "obs-error-tracking",
        title: "Error tracking",
        category: Category::Observability,
        weight: 7,
        applies: Applies::SERVICE,
        rationale: "An error tracker groups exceptions, counts affected users and alerts on new \
            ones; without it production errors surface through user complaints.",
        passes_when: "An error-tracking or APM SDK is declared in a manifest (Sentry, Bugsnag, \
            Rollbar, Honeybadger, Airbrake, Raygun, AppSignal, Datadog, New Relic, Elastic APM, \
            Application Insights) or initialised in code (Sentry.init, sentry_sdk.init…).",
        remediation: "Add the tracker's SDK, initialise it at start-up with the DSN from the \
            environment, and tag events with the release version.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/instrument.ts (import it first in the entry point)\nimport * as Sentry from '@sentry/node'\n\nSentry.init({\n  dsn: process.env.SENTRY_DSN,\n  release: process.env.APP_VERSION,\n  tracesSampleRate: 0.1,\n})"),
            (StackId::Python, "# app/main.py\nimport os, sentry_sdk\n\nsentry_sdk.init(\n    dsn=os.environ.get(\"SENTRY_DSN\"),\n    release=os.environ.get(\"APP_VERSION\"),\n    traces_sample_rate=0.1,\n)"),
            (StackId::Go, "// cmd/api/main.go\nimport \"github.com/getsentry/sentry-go\"\n\nfunc main() {\n\tif err := sentry.Init(sentry.ClientOptions{\n\t\tDsn:              os.Getenv(\"SENTRY_DSN\"),\n\t\tRelease:          os.Getenv(\"APP_VERSION\"),\n\t\tTracesSampleRate: 0.1,\n\t}); err != nil {\n\t\tlog.Fatalf(\"sentry.Init: %s\", err)\n\t}\n\tdefer sentry.Flush(2 * time.Second)\n\t// ...\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(error_tracking),
    },
    Rule {
        id: "obs-metrics",
        title: "Metrics instrumentation",
        category: Category::Observability,
        weight: 7,
        applies: Applies::SERVICE,
        rationale: "Rate, errors and duration per endpoint are what alerts and capacity \
            planning are built on; logs alone cannot answer \"is p99 latency rising?\".",
        passes_when: "A metrics library is declared or used (Prometheus clients, prom-client, \
            StatsD, OpenTelemetry metrics, Micrometer, expvar, prometheus-net…), a /metrics \
            route is served, or Kubernetes scrape config (ServiceMonitor, prometheus.io/scrape) \
            exists.",
        remediation: "Instrument request rate, errors and latency with the stack's Prometheus or \
            OpenTelemetry library and expose /metrics.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/metrics.ts\nimport type { Express } from 'express'\nimport { collectDefaultMetrics, Histogram, register } from 'prom-client'\n\ncollectDefaultMetrics()\nexport const httpDuration = new Histogram({\n  name: 'http_request_duration_seconds',\n  help: 'HTTP request duration by route and status',\n  labelNames: ['method', 'route', 'status'],\n})\n\nexport const exposeMetrics = (app: Express) =>\n  app.get('/metrics', async (_req, res) => {\n    res.set('Content-Type', register.contentType)\n    res.send(await register.metrics())\n  })"),
            (StackId::Python, "# app/main.py\nfrom prometheus_fastapi_instrumentator import Instrumentator\n\nInstrumentator().instrument(app).expose(app, endpoint=\"/metrics\")"),
            (StackId::Go, "// internal/server/metrics.go\npackage server\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/prometheus/client_golang/prometheus\"\n\t\"github.com/prometheus/client_golang/prometheus/promauto\"\n\t\"github.com/prometheus/client_golang/prometheus/promhttp\"\n)\n\nvar requests = promauto.NewCounterVec(prometheus.CounterOpts{\n\tName: \"http_requests_total\", Help: \"HTTP requests by route and status code.\",\n}, []string{\"route\", \"code\"})\n\nfunc registerMetrics(mux *http.ServeMux) {\n\tmux.Handle(\"GET /metrics\", promhttp.Handler())\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(metrics),
    },
    Rule {
        id: "obs-tracing",
        title: "Distributed tracing",
        category: Category::Observability,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Traces show where a request spends its time across services, queues and \
            databases; they turn \"it is slow\" into the one span to fix.",
        passes_when: "An OpenTelemetry SDK/instrumentation, Jaeger, Zipkin, Datadog, Elastic, \
            New Relic or X-Ray tracer is declared or set up in code, or the runtime is started \
            with opentelemetry-instrument / a tracing javaagent / OTEL_EXPORTER_OTLP_ENDPOINT.",
        remediation: "Add OpenTelemetry auto-instrumentation for the framework and export OTLP \
            to a collector.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/instrumentation.ts (load first: node --import ./dist/instrumentation.js dist/server.js)\nimport { NodeSDK } from '@opentelemetry/sdk-node'\nimport { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node'\nimport { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'\n\n// Reads OTEL_SERVICE_NAME and OTEL_EXPORTER_OTLP_ENDPOINT from the environment.\nconst sdk = new NodeSDK({\n  traceExporter: new OTLPTraceExporter(),\n  instrumentations: [getNodeAutoInstrumentations()],\n})\nsdk.start()"),
            (StackId::Python, "# Dockerfile\nRUN pip install opentelemetry-distro opentelemetry-exporter-otlp && opentelemetry-bootstrap -a install\nENV OTEL_SERVICE_NAME=api OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4317\nCMD [\"opentelemetry-instrument\", \"uvicorn\", \"app.main:app\"]"),
            (StackId::Go, "// internal/telemetry/tracing.go (wrap handlers with otelhttp.NewHandler)\npackage telemetry\n\nimport (\n\t\"context\"\n\n\t\"go.opentelemetry.io/otel\"\n\t\"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc\"\n\tsdktrace \"go.opentelemetry.io/otel/sdk/trace\"\n)\n\n// Init exports spans to OTEL_EXPORTER_OTLP_ENDPOINT; call the returned func on shutdown.\nfunc Init(ctx context.Context) (func(context.Context) error, error) {\n\texp, err := otlptracegrpc.New(ctx)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\ttp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))\n\totel.SetTracerProvider(tp)\n\treturn tp.Shutdown, nil\n}"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(tracing),
    },
    Rule {
        id: "obs-health-endpoint",
        title: "Health endpoint",
        category: Category::Observability,
        weight: 8,
        applies: Applies::SERVICE,
        rationale: "Load balancers, orchestrators and uptime checks need a cheap endpoint that \
            says whether the instance can serve traffic; without it a hung process keeps \
            receiving requests.",
        passes_when: "A route such as /health, /healthz, /livez, /readyz, /ready, /ping or \
            /status is declared (FastAPI/Flask decorators, Express/Fastify routes, Next.js \
            app/api/health/route.ts, Go HandleFunc, axum/actix routes, Spring mappings, \
            MapHealthChecks, Rails /up), a health library is declared (Spring actuator, \
            terminus, django-health-check…), or a Dockerfile HEALTHCHECK, compose healthcheck \
            or Kubernetes probe calls an HTTP path.",
        remediation: "Serve a /health (liveness) route that answers fast, and a readiness route \
            that checks the critical dependencies.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// app/api/health/route.ts (Next.js App Router)\nexport const dynamic = 'force-dynamic' // never served from cache\n\nexport function GET() {\n  return Response.json({ status: 'ok' })\n}\n\n// Express instead: app.get('/health', (_req, res) => res.json({ status: 'ok' }))"),
            (StackId::Python, "# app/routes/health.py\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get(\"/health\")\nasync def health() -> dict[str, str]:\n    return {\"status\": \"ok\"}"),
            (StackId::Go, "// internal/server/health.go\npackage server\n\nimport \"net/http\"\n\nfunc registerHealth(mux *http.ServeMux) {\n\tmux.HandleFunc(\"GET /healthz\", func(w http.ResponseWriter, _ *http.Request) {\n\t\tw.Header().Set(\"Content-Type\", \"application/json\")\n\t\t_, _ = w.Write([]byte(`{\"status\":\"ok\"}`))\n\t})\n}"),
        ],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(health_endpoint),
    },
    Rule {
        id: "obs-alert-rules",
        title: "Alert rules as code",
        category: Category::Observability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Alerts kept in the repository are reviewed, versioned and recreated with the \
            service; alerts clicked together in a UI drift and disappear.",
        passes_when: "Prometheus rule files (`alert:` with `expr:`), PrometheusRule resources, \
            an Alertmanager config, Grafana alert provisioning, sloth SLO specs, CloudFormation \
            alarms or Terraform monitors (datadog_monitor, aws_cloudwatch_metric_alarm, \
            grafana_rule_group…) are in the repository.",
        remediation: "Write alerts for the symptoms users feel (error rate, latency, saturation) \
            as Prometheus rules or Terraform monitors, each linking to a runbook.",
        snippet: Some("# monitoring/alerts.yml\ngroups:\n  - name: api\n    rules:\n      - alert: HighErrorRate\n        expr: sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05\n        for: 10m\n        labels: {severity: page}\n        annotations:\n          summary: API 5xx rate above 5%\n          runbook_url: https://example.com/runbooks/high-error-rate"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(alert_rules),
    },
    Rule {
        id: "obs-dashboards",
        title: "Dashboards as code",
        category: Category::Observability,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "Dashboards in the repository are reviewed with the code that emits the \
            metrics and survive a lost monitoring account.",
        passes_when: "Grafana dashboard JSON (\"panels\" and \"schemaVersion\"), grafonnet \
            jsonnet, GrafanaDashboard resources, dashboard ConfigMaps or Terraform/CloudFormation \
            dashboards are in the repository.",
        remediation: "Export the service dashboard as JSON into the repository and provision it \
            (Grafana provisioning, grafana-operator or Terraform).",
        snippet: Some("# monitoring/grafana/provisioning/dashboards/api.yml\napiVersion: 1\nproviders:\n  - name: api\n    type: file\n    options:\n      path: /var/lib/grafana/dashboards"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(dashboards),
    },
    Rule {
        id: "obs-log-aggregation",
        title: "Logs shipped to a central store",
        category: Category::Observability,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Logs that stay in a container's stdout disappear with the container and \
            cannot be searched across instances during an incident.",
        passes_when: "A log collector is configured (Fluent Bit, Fluentd, Vector, Promtail, \
            Filebeat, Logstash, an OpenTelemetry collector or Datadog agent image), a container \
            logging driver ships logs (awslogs, gcplogs, fluentd, loki, splunk, gelf), a \
            CloudWatch log group is provisioned, or the app uses a log-shipping library.",
        remediation: "Ship logs to a searchable store: a logging driver in compose/ECS, or a \
            collector such as Fluent Bit or Promtail in the cluster.",
        snippet: Some("# docker-compose.yml (service excerpt)\n    logging:\n      driver: awslogs\n      options:\n        awslogs-group: /app/api\n        awslogs-region: eu-west-1"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(log_aggregation),
    },
];

/// Source globs per language family, shared by the signals below.
const JS: &str = "**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,svelte}";
const PY: &str = "**/*.py";
const GO: &str = "**/*.go";
const RS: &str = "**/*.rs";
const JVM: &str = "**/*.{java,kt,scala,groovy}";
const RB: &str = "**/*.rb";
const CS: &str = "**/*.{cs,fs,vb}";
pub(super) const ALL_SOURCES: &[&str] = &[JS, PY, GO, RS, JVM, RB, CS];

pub const SIGNALS: &[Signal] = &[
    // Code that builds and runs a web server (not merely imports a framework: a middleware
    // library imports express without being a service). Used by profile detection. One signal
    // per language, searching only that language's files (see detect::SERVER_FRAMEWORK_SIGNALS).
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[0],
        files: &[JS],
        // The app object is built and assigned to a variable, which keeps prose and comments
        // that merely name the framework out.
        pattern: concat!(
            r"=\s*express\(\s*\)|=\s*(?:Fastify|fastify)\(\s*(?:\{|\))|=\s*new\s+Koa\(",
            r"|=\s*(?:await\s+)?NestFactory\.create\(|=\s*new\s+Hono\(|=\s*Hapi\.server\(",
            r"|=\s*restify\.createServer\(",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[1],
        files: &[PY],
        pattern: concat!(
            r"=\s*FastAPI\(|=\s*Flask\(|=\s*web\.Application\(|=\s*Starlette\(|=\s*Sanic\(",
            r"|=\s*Litestar\(|=\s*tornado\.web\.Application\(|\bget_[aw]sgi_application\(\)",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[2],
        files: &[GO],
        // net/http servers and router frameworks, not the http client (a CLI calling an API
        // imports "net/http" too).
        pattern: concat!(
            r"\bhttp\.ListenAndServe(?:TLS)?\(|\bhttp\.Server\s*\{|=\s*gin\.(?:Default|New)\(\)",
            r"|=\s*echo\.New\(\)|=\s*fiber\.New\(|=\s*chi\.NewRouter\(\)|=\s*mux\.NewRouter\(\)",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[3],
        files: &[RS],
        pattern: concat!(
            r"\baxum::serve\(|\baxum::Server::bind\(|\bHttpServer::new\(|\brocket::build\(\)",
            r"|^[ \t]*#\[launch\]|\bwarp::serve\(|\bpoem::Server::new\(|\btonic::transport::Server::builder\(\)",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[4],
        files: &[JVM],
        pattern: concat!(
            r"^[ \t]*@SpringBootApplication\b|\bJavalin\.create\(|^[ \t]*@QuarkusMain\b",
            r"|\bMicronaut\.run\(|\bVertx\.vertx\(\)|\bembeddedServer\(",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[5],
        files: &[RB],
        pattern: concat!(
            r"<\s*Sinatra::(?:Base|Application)\b|^[ \t]*require\s+['\x22]sinatra['\x22]",
            r"|^[ \t]*class\s+\w+\s*<\s*ApplicationController\b|\bRails\.application\.routes\.draw\b",
        ),
        skip_tests: true,
    },
    Signal {
        id: crate::detect::SERVER_FRAMEWORK_SIGNALS[6],
        files: &[CS],
        pattern: r"\bWebApplication\.CreateBuilder\(|\bWebHost\.CreateDefaultBuilder\(|\.UseStartup<\w",
        skip_tests: true,
    },
    Signal {
        id: crate::detect::GO_MAIN_PACKAGE_SIGNAL,
        files: &[GO],
        pattern: r"^package\s+main\s*$",
        skip_tests: true,
    },
    Signal {
        id: "obs-structured-logging",
        files: ALL_SOURCES,
        pattern: concat!(
            r"^[ \t]*(?:import\s+structlog\b|from\s+structlog\b|from\s+pythonjsonlogger\b|import\s+pythonjsonlogger\b",
            r"|import\s+ecs_logging\b|from\s+aws_lambda_powertools\s+import\s+Logger\b)",
            r"|\.add\([^)\n]*serialize\s*=\s*True",
            r"|\brequire\(\s*['\x22](?:winston|pino|bunyan|pino-http)['\x22]\s*\)",
            r"|^[ \t]*import\s[^;\n]*\bfrom\s+['\x22](?:winston|pino|bunyan|pino-http|nestjs-pino)['\x22]",
            r#"|"(?:go\.uber\.org/zap|github\.com/rs/zerolog|log/slog|github\.com/sirupsen/logrus|github\.com/hashicorp/go-hclog)""#,
            r"|net\.logstash\.logback|StructuredArguments\.",
            r"|\bnew\s+LoggerConfiguration\(\)|\.UseSerilog\(|\.AddJsonConsole\(",
            r"|Lograge::Formatters::(?:Json|Logstash)|\bSemanticLogger\b|Ougai::Logger",
        ),
        skip_tests: true,
    },
    Signal {
        id: "obs-structured-logging-rs",
        files: &[RS],
        pattern: r"fmt(?:::layer)?\(\)(?s:.){0,300}?\.json\(\)|BunyanFormattingLayer|\bslog_json::|json_subscriber::",
        skip_tests: true,
    },
    // Console/print calls, per language; a `/` earlier on the line (a comment) excludes it.
    Signal {
        id: "obs-print-js",
        files: &[JS],
        pattern: r"^[^/\n]*?\bconsole\.(?:log|debug|info|warn|error|trace)\s*\(",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-py",
        files: &[PY],
        pattern: r"^[ \t]*print\s*\(",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-go",
        files: &[GO],
        pattern: r"^[^/\n]*?\bfmt\.Print(?:ln|f)?\s*\(",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-rs",
        files: &[RS],
        pattern: r"^[^/\n]*?\b(?:e?println|e?print|dbg)!\s*\(",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-jvm",
        files: &[JVM],
        pattern: r"^[^/\n]*?(?:System\.(?:out|err)\.print(?:ln|f)?\s*\(|\.printStackTrace\(\s*\))",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-cs",
        files: &[CS],
        pattern: r"^[^/\n]*?\bConsole\.(?:Error\.)?Write(?:Line)?\s*\(",
        skip_tests: true,
    },
    Signal {
        id: "obs-print-rb",
        files: &[RB],
        pattern: r"^[ \t]*(?:puts|print|pp)[\s(]",
        skip_tests: true,
    },
    Signal {
        id: "obs-error-tracking-init",
        files: ALL_SOURCES,
        pattern: concat!(
            r"\bSentry\.init\s*\(|\bsentry_sdk\.init\s*\(|\bsentry\.Init\s*\(|\bsentry::init\s*\(",
            r"|\bSentry\.init\s+do\b|\bSentrySdk\.Init\s*\(|\.UseSentry\s*\(|\bSentryAndroid\.init",
            r"|\bBugsnag\.(?:start|configure|register)\b|\bbugsnag\.(?:configure|Configure|start)\s*\(",
            r"|\bRollbar\.(?:init|configure)\b|\bnew\s+Rollbar\s*\(|\brollbar\.(?:init|Init|SetToken)\s*\(",
            r"|\bHoneybadger\.configure\b|\bhoneybadger\.(?:configure|Configure)\s*\(",
            r"|\bAirbrake\.configure\b|\bgobrake\.NewNotifier|\bnew\s+RaygunClient\b",
        ),
        skip_tests: true,
    },
    Signal {
        id: "obs-metrics-code",
        files: ALL_SOURCES,
        pattern: concat!(
            r"^[ \t]*(?:from\s+prometheus_client\b|import\s+prometheus_client\b)|\bInstrumentator\(\)",
            r"|\bcollectDefaultMetrics\s*\(|\bnew\s+(?:client\.|promClient\.|prom\.)?(?:Counter|Histogram|Gauge|Summary)\s*\(\s*\{\s*$",
            r#"|"github\.com/prometheus/client_golang/|^[ \t]*(?:_\s+)?"expvar"\s*$|\bpromhttp\.Handler\("#,
            r"|\bmetrics::(?:counter|histogram|gauge)!|\bPrometheusBuilder::new\(",
            r"|import\s+io\.micrometer\.|\bMeterRegistry\b|import\s+io\.prometheus\.",
            r"|\bPrometheus\.Metrics\b|\.UseHttpMetrics\(|\.MapMetrics\(|\bAddPrometheus\w*Exporter\(",
            r"|Prometheus::Client\b|\bYabeda\.",
            r"|\.(?:get|route|handle|Handle|HandleFunc|GET)\(\s*['\x22]/metrics['\x22]",
            r"|\bget_meter\s*\(|\bgetMeter\s*\(|\botel\.Meter\s*\(|\bMeterProvider\s*\(|\bSdkMeterProvider\b",
        ),
        skip_tests: true,
    },
    Signal {
        id: "obs-tracing-code",
        files: ALL_SOURCES,
        pattern: concat!(
            r"\bnew\s+NodeSDK\s*\(|\bregisterOTel\s*\(|\b(?:Node|WebTracer|BasicTracer|Sdk)?TracerProvider\s*[(.{:]",
            r"|\bset_tracer_provider\s*\(|\botel\.SetTracerProvider\s*\(|\bsdktrace\.NewTracerProvider\s*\(",
            r"|\.AddOpenTelemetry\s*\(|\.WithTracing\s*\(|\brequire\(\s*['\x22]dd-trace['\x22]\s*\)",
            r"|from\s+['\x22]dd-trace['\x22]|^[ \t]*(?:from|import)\s+ddtrace\b|\btracing_opentelemetry::",
            r"|\bOpenTelemetryLayer\b|^[ \t]*import\s+io\.opentelemetry\.sdk\.|\bAWSXRay\.|\bxray_recorder\b",
            r"|^[ \t]*import\s+logfire\b|\blogfire\.configure\(",
        ),
        skip_tests: true,
    },
    Signal {
        id: "obs-health-route",
        files: ALL_SOURCES,
        pattern: concat!(
            // Router calls and decorators with a health-like absolute path literal (the
            // leading `/` keeps `dict.get("status")` out).
            r"(?:@\w+(?:\.\w+)*\.(?:get|head|route|api_route)|\.(?:get|head|all|route|use|Get|Head|GET|HEAD|Any|Handle|HandleFunc|Route|Method|MapGet|Map)",
            r"|@(?:GetMapping|RequestMapping)|#\[(?:get|head)|web::resource)",
            r"\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*r?['\x22`](?:(?:GET|HEAD)\s+)?",
            r"/(?:api/|_+)?(?:(?:health(?:z|check|-check|_check)?|readyz?|readiness|livez?|liveness)(?:/[\w-]*)?|ping|status|up)/?['\x22`]",
            // Nest decorators take relative paths.
            r"|@(?:Get|Head|Controller)\(\s*['\x22]/?(?:health(?:z|check)?|readyz?|readiness|livez?|liveness)['\x22]",
            r"|warp::path!?\(\s*\x22(?:healthz?|readyz?|livez?)\x22",
            // Router prefixes (APIRouter(prefix="/health"), Blueprint(url_prefix=...)).
            r"|\b(?:url_)?prefix\s*=\s*['\x22]/(?:health(?:z|check)?|readyz?|livez?)['\x22]",
            // Django, Rails, Nest terminus, ASP.NET Core, gRPC health.
            r"|\b(?:re_)?path\(\s*r?['\x22]\^?(?:api/)?(?:health(?:z|check|-check|_check)?|readyz?|livez?)/?\$?['\x22]",
            r"|health_check\.urls|rails/health#show|^[ \t]*get\s*\(?\s*['\x22]/?(?:health(?:z|check)?|readyz?|livez?|up)['\x22]\s*(?:=>|,|do\b)",
            r"|\bTerminusModule\b|\bHealthCheckService\b|\bcreateTerminus\(",
            r"|\bMapHealthChecks\s*\(|\bgrpc_health_v1\.Register|\bhealth\.NewServer\(\)",
        ),
        skip_tests: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SVC: (&str, &str) = ("Procfile", "web: ./serve\n");

    #[test]
    fn dependency_names_compare_without_allocating() {
        let exact = parse_spec("cargo:tracing_subscriber").unwrap();
        assert!(name_matches(&exact, "tracing-subscriber", cargo_norm));
        assert!(name_matches(&exact, "Tracing_Subscriber", cargo_norm));
        assert!(!name_matches(&exact, "tracing-subscriber", same));
        assert!(!name_matches(&exact, "tracing-subscriber2", cargo_norm));
        assert!(!name_matches(&exact, "tracing", cargo_norm));
        let prefix = parse_spec("npm:@sentry/*").unwrap();
        assert!(prefix.prefix);
        assert!(name_matches(&prefix, "@sentry/node", same));
        assert!(!name_matches(&prefix, "@sentr", same));
    }

    #[test]
    fn prints_are_expected_in_scripts_and_commands_only() {
        let idx = crate::index::Index::from_files(&[
            ("Scripts/seed.ts", ""),
            ("src/cli.py", ""),
            ("src/db/seeds_users.ts", ""),
            ("src/app.ts", ""),
            (
                "src/main/java/org/springframework/samples/petclinic/Owner.java",
                "",
            ),
            ("src/main/kotlin/com/example/demo/App.kt", ""),
            ("examples/demo/src/main/java/com/x/Main.java", ""),
        ]);
        let expected = |p: &str| print_is_expected(idx.file(p).unwrap());
        assert!(expected("Scripts/seed.ts"));
        assert!(expected("src/cli.py"));
        assert!(expected("src/db/seeds_users.ts"));
        assert!(!expected("src/app.ts"));
        // Package names under a JVM source root are not sample folders; a sample project is.
        assert!(!expected(
            "src/main/java/org/springframework/samples/petclinic/Owner.java"
        ));
        assert!(!expected("src/main/kotlin/com/example/demo/App.kt"));
        assert!(expected("examples/demo/src/main/java/com/x/Main.java"));
    }

    #[test]
    fn every_constant_regex_compiles() {
        // The lazy regexes panic on first use if a pattern is wrong; touch each check once.
        let files = [
            SVC,
            ("app/main.py", "x = 1\n"),
            (
                "k8s/a.yaml",
                "kind: X\nlivenessProbe:\n  httpGet:\nhealthcheck:\n",
            ),
            ("mon.tf", "x\n"),
            ("d.json", "{\"panels\": 1, \"schemaVersion\": 1}\n"),
            ("a.jsonnet", "x\n"),
            ("logback.xml", "x\n"),
            ("alertmanager.yml", "apiVersion: 1\nrules:\nexpr:\n"),
            ("Cargo.toml", "[dependencies]\ntracing-subscriber = \"1\"\n"),
        ];
        for r in RULES {
            run(r, &files);
        }
    }

    #[test]
    fn dependency_lookup_per_ecosystem() {
        let idx = crate::index::Index::from_files(&[
            ("package.json", "{\n  \"dependencies\": {\n    \"@sentry/node\": \"^8\"\n  }\n}\n"),
            ("requirements-dev.txt", "# sentry-sdk\nSentry_SDK[flask]>=2\n"),
            ("go.mod", "module x\nrequire (\n\tgithub.com/getsentry/sentry-go v0.1.0\n\tgithub.com/rollbar/rollbar-go v1.0.0 // indirect\n)\n"),
            ("Cargo.toml", "[package]\nname = \"sentry\"\n[dependencies]\nsentry_tracing = \"0.3\"\n[dependencies.sentry]\nversion = \"0.3\"\n"),
            ("pom.xml", "<dependency>\n<groupId>io.sentry</groupId>\n<artifactId>sentry</artifactId>\n</dependency>\n"),
            ("build.gradle.kts", "dependencies {\n  implementation(\"io.sentry:sentry-spring-boot-starter:7.0.0\")\n}\n"),
            ("Gemfile", "gem 'sentry-ruby'\n"),
            ("App.csproj", "<PackageReference Include=\"Sentry.AspNetCore\" Version=\"4\" />\n"),
            ("node_modules/x/package.json", "{\"dependencies\": {\"@sentry/node\": \"1\"}}"),
        ]);
        let stacks = crate::detect::stacks(&idx);
        let ctx = Context {
            index: &idx,
            stacks: &stacks,
            profile: Profile::Service,
            history: &Default::default(),
            trusted_actions: None,
        };
        let found = deps(
            &ctx,
            &[
                "npm:@sentry/*",
                "pypi:sentry-sdk",
                "go:github.com/getsentry/sentry-go",
                "go:github.com/rollbar/rollbar-go",
                "cargo:sentry*",
                "maven:io.sentry:*",
                "maven:sentry-spring-boot-starter",
                "gem:sentry-ruby",
                "nuget:Sentry*",
            ],
        );
        let at: Vec<(&str, u32)> = found
            .iter()
            .map(|e| (e.path.as_str(), e.line.unwrap_or(0)))
            .collect();
        assert_eq!(
            at,
            vec![
                ("App.csproj", 1),
                ("Cargo.toml", 4),
                ("Cargo.toml", 5),
                ("Gemfile", 1),
                ("build.gradle.kts", 2),
                ("go.mod", 3),
                ("package.json", 3),
                ("pom.xml", 2),
                ("requirements-dev.txt", 2),
            ]
        );
    }

    #[test]
    fn python_dependencies_only_in_dependency_sections() {
        let r = rule(RULES, "obs-error-tracking");
        let o = assert_pass(
            r,
            &[
                SVC,
                (
                    "pyproject.toml",
                    "[project]\nname = \"x\"\nkeywords = [\"sentry-sdk\"]\ndependencies = [\n    \"fastapi\",\n    \"sentry-sdk[fastapi]>=2\",\n]\n[tool.x]\nsentry-sdk = 1\n",
                ),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(6));
        assert_pass(
            r,
            &[
                SVC,
                (
                    "pyproject.toml",
                    "[tool.poetry.dependencies]\npython = \"^3.12\"\nsentry-sdk = \"^2\"\n",
                ),
            ],
        );
        assert_pass(r, &[SVC, ("Pipfile", "[packages]\nsentry-sdk = \"*\"\n")]);
        assert_pass(
            r,
            &[
                SVC,
                (
                    "pyproject.toml",
                    "[project]\ndependencies = [\"sentry-sdk\"]\n",
                ),
            ],
        );
        assert_fail(r, &[SVC, ("pyproject.toml", "[project]\nkeywords = [\n  \"sentry-sdk\",\n]\n[tool.other]\nsentry_sdk = true\n")]);
    }

    #[test]
    fn structured_logging_from_code_or_manifest() {
        let r = rule(RULES, "obs-structured-logging");
        let o = assert_pass(
            r,
            &[
                SVC,
                (
                    "pyproject.toml",
                    "[project]\ndependencies = [\"structlog>=24\"]\n",
                ),
                ("app/log.py", "\"\"\"doc\"\"\"\nimport structlog\n"),
            ],
        );
        assert!(o
            .evidence
            .contains(&Evidence::at("app/log.py", 2).note("structured logger in code")));
        assert!(cites(&o, "pyproject.toml", 2));
        // Go slog import and a Rust JSON subscriber count; a plain logger does not.
        assert_pass(
            r,
            &[
                SVC,
                ("go.mod", "module x\n"),
                ("main.go", "import (\n\t\"log/slog\"\n)\n"),
            ],
        );
        assert_pass(
            r,
            &[
                SVC,
                ("Cargo.toml", "[package]\n[dependencies]\ntracing-subscriber = { version = \"0.3\", features = [\"json\"] }\n"),
            ],
        );
        assert_fail(
            r,
            &[
                SVC,
                (
                    "Cargo.toml",
                    "[package]\n[dependencies]\ntracing-subscriber = \"0.3\"\nlog = \"0.4\"\n",
                ),
            ],
        );
        let o = assert_fail(
            r,
            &[
                SVC,
                ("requirements.txt", "flask\n"),
                ("app.py", "import logging\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "requirements.txt");
        // Logback with the logstash encoder.
        assert_pass(
            r,
            &[
                SVC,
                ("pom.xml", "<project/>"),
                (
                    "src/main/resources/logback-spring.xml",
                    "<encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>\n",
                ),
            ],
        );
        // Libraries are not asked.
        assert_na(r, &[("pyproject.toml", "[project]\n")]);
    }

    #[test]
    fn console_density_fails_above_threshold_and_cites_worst_files() {
        let r = rule(RULES, "obs-console-logging");
        let noisy = "console.log('a')\n".repeat(11) + &"const x = 1\n".repeat(49);
        let quiet = "const y = 2\n".repeat(100);
        let o = assert_fail(
            r,
            &[
                ("package.json", "{}"),
                ("next.config.js", "module.exports = {}\n"),
                ("src/lib/embed.ts", &noisy),
                ("src/lib/other.ts", &quiet),
                ("src/lib/a.test.ts", &"console.log(1)\n".repeat(50)),
                ("scripts/seed.ts", &"console.log(1)\n".repeat(50)),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(
            o.evidence[0],
            Evidence::at("src/lib/embed.ts", 1).note("11 console/print calls")
        );
        assert!(
            o.message.starts_with("11 console/print calls in 0.2 KLOC"),
            "{}",
            o.message
        );
        // Commented-out calls and a few calls in a big file pass.
        let sparse =
            "// console.log('x')\nconsole.error('boom')\n".to_string() + &"x()\n".repeat(500);
        let o = assert_pass(
            r,
            &[
                ("package.json", "{}"),
                ("next.config.js", ""),
                ("src/a.ts", &sparse),
            ],
        );
        assert_eq!(
            o.evidence[0],
            Evidence::at("src/a.ts", 2).note("1 console/print call")
        );
        // Dense but few: the message says why it passes.
        let few = "console.log('a')\n".repeat(3) + &"const x = 1\n".repeat(20);
        let o = assert_pass(
            r,
            &[
                ("package.json", "{}"),
                ("next.config.js", ""),
                ("src/a.ts", &few),
            ],
        );
        assert!(
            o.message
                .ends_with("but only 3 (fewer than 10 are tolerated)"),
            "{}",
            o.message
        );
        // Python prints in a CLI entry point or scripts do not count.
        let prints = "print('x')\n".repeat(20);
        assert_pass(
            r,
            &[
                SVC,
                ("pyproject.toml", "[project]\n"),
                ("app/__main__.py", &prints),
                ("app/core.py", "x = 1\n"),
            ],
        );
        // CLIs print by design.
        assert_na(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                ("src/main.rs", &"println!(\"x\");\n".repeat(30)),
            ],
        );
    }

    #[test]
    fn error_tracking_sdk_or_init() {
        let r = rule(RULES, "obs-error-tracking");
        let o = assert_pass(
            r,
            &[
                SVC,
                ("package.json", "{\"dependencies\": {\n\"@sentry/nextjs\": \"^8\"}}"),
                ("sentry.server.config.ts", "import * as Sentry from '@sentry/nextjs'\nSentry.init({ dsn: process.env.SENTRY_DSN })\n"),
            ],
        );
        assert!(o.evidence.contains(
            &Evidence::at("sentry.server.config.ts", 2).note("error tracker initialised")
        ));
        assert!(cites(&o, "package.json", 2));
        assert_pass(
            r,
            &[
                SVC,
                (
                    "go.mod",
                    "module x\nrequire github.com/getsentry/sentry-go v0.27.0\n",
                ),
            ],
        );
        assert_fail(
            r,
            &[
                SVC,
                (
                    "package.json",
                    "{\"dependencies\": {\"sentry-ish\": \"1\"}}",
                ),
            ],
        );
    }

    #[test]
    fn metrics_from_client_route_or_scrape_config() {
        let r = rule(RULES, "obs-metrics");
        assert_pass(r, &[SVC, ("requirements.txt", "prometheus-client==0.20\n")]);
        let o = assert_pass(r, &[SVC, ("go.mod", "module x\n"), ("srv/m.go", "import (\n\t\"net/http\"\n\t\"github.com/prometheus/client_golang/prometheus/promhttp\"\n)\n")]);
        assert_eq!(
            o.evidence[0],
            Evidence::at("srv/m.go", 3).note("metrics instrumentation in code")
        );
        assert_pass(
            r,
            &[
                SVC,
                (
                    "k8s/sm.yaml",
                    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n",
                ),
            ],
        );
        // An in-process "metrics" helper is not instrumentation.
        assert_fail(
            r,
            &[
                SVC,
                ("package.json", "{}"),
                ("src/perf.ts", "const metrics: number[] = []\n"),
            ],
        );
    }

    #[test]
    fn tracing_from_sdk_code_or_runtime() {
        let r = rule(RULES, "obs-tracing");
        assert_pass(
            r,
            &[
                SVC,
                (
                    "package.json",
                    "{\"dependencies\": {\"@opentelemetry/sdk-node\": \"1\"}}",
                ),
            ],
        );
        let o = assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM python\nCMD [\"opentelemetry-instrument\", \"uvicorn\", \"a:app\"]\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // The bare API (what libraries use) is not a tracer.
        assert_fail(
            r,
            &[
                SVC,
                (
                    "package.json",
                    "{\"dependencies\": {\"@opentelemetry/api\": \"1\"}}",
                ),
            ],
        );
    }

    #[test]
    fn health_endpoint_routes_files_and_probes() {
        let r = rule(RULES, "obs-health-endpoint");
        let o = assert_pass(
            r,
            &[
                SVC,
                ("apps/api/routes/health.py", "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get(\"/health\")\nasync def h(): ...\n"),
            ],
        );
        assert!(o
            .evidence
            .contains(&Evidence::at("apps/api/routes/health.py", 4).note("health route")));
        assert_pass(
            r,
            &[
                SVC,
                (
                    "src/app.ts",
                    "app.get('/healthz', (req, res) => res.send('ok'))\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[SVC, ("main.go", "mux.HandleFunc(\"GET /readyz\", ready)\n")],
        );
        assert_pass(
            r,
            &[
                SVC,
                (
                    "src/main.rs",
                    "let app = Router::new().route(\"/health\", get(h));\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                ("next.config.ts", ""),
                ("package.json", "{}"),
                (
                    "src/app/api/health/route.ts",
                    "export async function GET() {}\n",
                ),
            ],
        );
        assert_pass(
            r,
            &[
                ("next.config.ts", ""),
                ("package.json", "{}"),
                ("pages/api/healthz.ts", "export default h\n"),
            ],
        );
        let o = assert_pass(
            r,
            &[("Dockerfile", "FROM x\nHEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost:8080/health || exit 1\n")],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // A status route with an id is not a health check; a TCP-only healthcheck says nothing.
        assert_fail(r, &[SVC, ("src/app.ts", "app.get('/status/:id', h)\n")]);
        assert_fail(r, &[("Dockerfile", "FROM x\nHEALTHCHECK CMD pg_isready\n")]);
        assert_fail(r, &[SVC, ("docker-compose.yml", "services:\n  db:\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"ping\"]\n")]);
    }

    #[test]
    fn alert_rules_and_dashboards_as_code() {
        let r = rule(RULES, "obs-alert-rules");
        let o = assert_pass(
            r,
            &[SVC, ("monitoring/rules.yml", "groups:\n  - name: api\n    rules:\n      - alert: Down\n        expr: up == 0\n")],
        );
        assert_eq!(
            o.evidence[0],
            Evidence::at("monitoring/rules.yml", 4).note("Prometheus alerting rule")
        );
        assert_pass(
            r,
            &[
                SVC,
                (
                    "infra/mon.tf",
                    "resource \"datadog_monitor\" \"api\" {\n}\n",
                ),
            ],
        );
        // A workflow or a compose file with the word "alert" is not an alert rule.
        assert_fail(
            r,
            &[
                SVC,
                (
                    ".github/workflows/a.yml",
                    "jobs:\n  a:\n    steps:\n      - alert: x\n        expr: y\n",
                ),
            ],
        );

        let d = rule(RULES, "obs-dashboards");
        let o = assert_pass(
            d,
            &[
                SVC,
                (
                    "grafana/dashboards/api.json",
                    "{\n  \"schemaVersion\": 39,\n  \"panels\": []\n}\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(d, &[SVC, ("ui/panels.json", "{\"panels\": []}")]);
    }

    #[test]
    fn server_framework_signal_is_about_servers() {
        use crate::detect::{profile, stacks};
        let svc = |files: &[(&str, &str)]| {
            let idx = crate::index::Index::from_files(files);
            profile(&idx, &stacks(&idx)).value
        };
        assert_eq!(
            svc(&[
                ("go.mod", "module x\n"),
                (
                    "srv/main.go", // Split so this file's own text is not a server to the signal (dogfooding).
                    concat!(
                        "package main\nfunc main() { http.Listen",
                        "AndServe(\":80\", nil) }\n"
                    )
                )
            ]),
            Profile::Service
        );
        assert_eq!(
            svc(&[
                (
                    "pyproject.toml",
                    "[project]\ndependencies = [\"fastapi\"]\n"
                ),
                (
                    "app/main.py",
                    concat!("from fastapi import FastAPI\napp = Fast", "API()\n")
                )
            ]),
            Profile::Service
        );
        // An HTTP client in Go, or a middleware library importing express, is no server.
        assert_eq!(
            svc(&[
                ("go.mod", "module x\n"),
                (
                    "client.go",
                    "import (\n\t\"net/http\"\n)\nvar c = http.Client{}\n"
                )
            ]),
            Profile::Library
        );
        assert_eq!(
            svc(&[
                ("package.json", "{}"),
                ("src/mw.ts", "import type { Request } from 'express'\n")
            ]),
            Profile::Library
        );
    }
    #[test]
    fn log_aggregation_by_driver_collector_or_library() {
        let r = rule(RULES, "obs-log-aggregation");
        let svc = ("Procfile", "web: node server.js\n");
        let o = assert_pass(
            r,
            &[
                svc,
                (
                    "docker-compose.yml",
                    "services:\n  api:\n    build: .\n    logging:\n      driver: awslogs\n",
                ),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("docker-compose.yml", Some(5))
        );
        assert_pass(r, &[svc, ("deploy/fluent-bit.conf", "[INPUT]\n")]);
        assert_pass(
            r,
            &[
                svc,
                (
                    "package.json",
                    "{\"dependencies\": {\"pino-loki\": \"^2\"}}\n",
                ),
            ],
        );
        // A json-file driver keeps logs on the host: not aggregation.
        assert_fail(
            r,
            &[
                svc,
                (
                    "docker-compose.yml",
                    "services:\n  api:\n    logging:\n      driver: json-file\n",
                ),
            ],
        );
    }
}
