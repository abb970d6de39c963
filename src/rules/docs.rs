//! Documentation: README, contributing guide, ownership, licence, templates, architecture,
//! API documentation.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::Profile;
use crate::index::{Index, IndexedFile};
use crate::model::ci::shorten;
use regex::Regex;
use std::sync::LazyLock;

/// Places GitHub looks for community files, in its order of precedence.
const COMMUNITY_DIRS: &[&str] = &[".github", "", "docs"];

/// Vendored, generated and tool-managed trees: their files are not the project's.
pub(super) fn is_vendored(path: &str) -> bool {
    crate::index::is_vendored(path)
}

/// `name` is `stem` itself or `stem` followed by an extension or a suffix
/// (`LICENSE`, `LICENSE.md`, `LICENSE-MIT`), ignoring case.
fn stem_matches(name: &str, stem: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == stem
        || (lower.starts_with(stem)
            && matches!(lower.as_bytes().get(stem.len()), Some(b'.' | b'-' | b'_')))
}

/// Community files called `stem`, in GitHub's order of precedence (.github, root, docs).
pub(super) fn community_files<'a>(ctx: &'a Context, stem: &str) -> Vec<&'a IndexedFile> {
    COMMUNITY_DIRS
        .iter()
        .flat_map(|dir| ctx.index.children(dir))
        .filter(|f| stem_matches(f.name(), stem))
        .collect()
}

fn is_blank(f: &IndexedFile) -> bool {
    f.size == 0 || f.text().is_some_and(|t| t.trim().is_empty())
}

// ---------------------------------------------------------------------------------------------
// Markdown / reStructuredText / AsciiDoc reading helpers (shared with the dx rules).

/// A heading of a document: 1-based line, level (1 = title) and normalised text
/// (lowercase letters, digits and single spaces: "🚀 Quick-Start!" → "quick start").
#[derive(Debug, Clone)]
pub(super) struct Heading {
    pub line: u32,
    pub level: u8,
    pub text: String,
}

fn normalise(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_fence(trimmed: &str) -> bool {
    trimmed.starts_with("```") || trimmed.starts_with("~~~")
}

fn is_underline(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '~' | '^' | '*' | '+' | '"' | '#'))
        && t.chars().all(|c| t.starts_with(c))
}

static HTML_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"(?i)^\s*<h([1-6])[^>]*>(.*?)(?:</h[1-6]>|$)").expect("constant regex")
});
static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"<[^>]*>").expect("constant regex"));

/// Headings: Markdown ATX (`## x`) and setext, reStructuredText underlines, AsciiDoc
/// (`== x`) and HTML `<h2>`; lines inside fenced code are skipped.
pub(super) fn headings(text: &str) -> Vec<Heading> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, raw) in lines.iter().enumerate() {
        let t = raw.trim_start();
        if is_fence(t) {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.is_empty() {
            continue;
        }
        let line = i as u32 + 1;
        let indent = raw.len() - t.len();
        for marker in ['#', '='] {
            let level = t.chars().take_while(|&c| c == marker).count();
            if indent <= 3
                && (1..=6).contains(&level)
                && t[level..].starts_with([' ', '\t'])
                && !t[level..].trim().is_empty()
            {
                out.push(Heading {
                    line,
                    level: level as u8,
                    text: normalise(t[level..].trim().trim_end_matches(marker)),
                });
            }
        }
        if let Some(c) = HTML_HEADING.captures(raw) {
            let inner = HTML_TAG.replace_all(&c[2], " ");
            let text = normalise(&inner);
            if !text.is_empty() {
                out.push(Heading {
                    line,
                    level: c[1].parse().unwrap_or(2),
                    text,
                });
            }
            continue;
        }
        // Setext / reStructuredText: a text line underlined by a run of one punctuation mark.
        if let Some(next) = lines.get(i + 1) {
            if is_underline(next)
                && !is_underline(raw)
                && !t.starts_with(['#', '-', '*', '|', '>', '<', '!', '['])
                && !t.starts_with("= ")
            {
                let level = if next.trim_start().starts_with('=') {
                    1
                } else {
                    2
                };
                out.push(Heading {
                    line,
                    level,
                    text: normalise(t),
                });
            }
        }
    }
    out
}

static INLINE_CODE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"`([^`]+)`").expect("constant regex"));

/// Code of a document, line by line: fenced blocks (with the fence's language), indented
/// blocks, shell-prompt lines and inline code spans. Commands only count where they are
/// written as code, so prose that mentions a tool is not an instruction.
pub(super) struct CodeLine<'a> {
    pub line: u32,
    pub code: &'a str,
    /// Language of the enclosing fence ("" when none or not fenced).
    pub lang: &'a str,
}

pub(super) fn code_lines(text: &str) -> Vec<CodeLine<'_>> {
    let mut out = Vec::new();
    let mut fence_lang: Option<&str> = None;
    // The language of a reStructuredText `.. code-block:: python` directive, for the
    // indented block that follows it (until text at the directive's indent or less).
    let mut rst: Option<(usize, &str)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let t = raw.trim_start();
        let indent = raw.len() - t.len();
        if fence_lang.is_none() {
            if let Some(lang) = rst_code_directive(t) {
                rst = Some((indent, lang));
                continue;
            }
            match rst {
                Some((at, lang)) if indent > at && !t.is_empty() => {
                    out.push(CodeLine {
                        line,
                        code: t,
                        lang,
                    });
                    continue;
                }
                Some(_) if !t.is_empty() => rst = None,
                _ => {}
            }
        }
        if is_fence(t) {
            fence_lang = match fence_lang {
                Some(_) => None,
                None => Some(
                    t.trim_start_matches(['`', '~'])
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or(""),
                ),
            };
            continue;
        }
        if let Some(lang) = fence_lang {
            out.push(CodeLine {
                line,
                code: t,
                lang,
            });
            continue;
        }
        if let Some(cmd) = t.strip_prefix("$ ").or_else(|| t.strip_prefix("> $ ")) {
            out.push(CodeLine {
                line,
                code: cmd,
                lang: "",
            });
        } else if raw.starts_with("    ") || raw.starts_with('\t') {
            out.push(CodeLine {
                line,
                code: t,
                lang: "",
            });
        } else {
            for c in INLINE_CODE.captures_iter(raw) {
                if let Some(m) = c.get(1) {
                    out.push(CodeLine {
                        line,
                        code: m.as_str(),
                        lang: "",
                    });
                }
            }
        }
    }
    out
}

/// The language of a reStructuredText code directive (`.. code:: python`,
/// `.. code-block:: bash`, `.. sourcecode:: js`); "" when it names none.
fn rst_code_directive(t: &str) -> Option<&str> {
    let rest = t.strip_prefix("..")?.trim_start();
    let (name, lang) = rest.split_once("::")?;
    matches!(name.trim(), "code" | "code-block" | "sourcecode")
        .then(|| lang.split_whitespace().next().unwrap_or(""))
}

/// Lines of the section under `h` that carry text (up to the next heading of the same or a
/// higher level).
pub(super) fn section_lines(text: &str, all: &[Heading], h: &Heading) -> usize {
    let end = all
        .iter()
        .find(|o| o.line > h.line && o.level <= h.level)
        .map(|o| o.line)
        .unwrap_or(u32::MAX);
    text.lines()
        .enumerate()
        .skip(h.line as usize)
        .take_while(|(i, _)| (*i as u32 + 1) < end)
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !is_underline(l) && !is_fence(t)
        })
        .count()
}

/// True when a normalised heading contains one of `phrases` as whole words.
fn heading_has(text: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {text} ");
    phrases.iter().any(|p| padded.contains(&format!(" {p} ")))
}

// ---------------------------------------------------------------------------------------------
// Package manifests: which dependency or plugin a project declares, and on which line.

/// The ecosystems whose manifests we read line by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Eco {
    Npm,
    Python,
    Go,
    Cargo,
    Jvm,
    Gem,
    Nuget,
}

/// Manifest kind of a file by its name.
pub(super) fn manifest_eco(f: &IndexedFile) -> Option<Eco> {
    let name = f.name();
    let lower = name.to_ascii_lowercase();
    Some(match name {
        "package.json" => Eco::Npm,
        "pyproject.toml" | "Pipfile" | "setup.py" | "setup.cfg" => Eco::Python,
        "go.mod" => Eco::Go,
        "Cargo.toml" => Eco::Cargo,
        "pom.xml" | "build.gradle" | "build.gradle.kts" | "libs.versions.toml" => Eco::Jvm,
        "Gemfile" => Eco::Gem,
        _ if lower.ends_with(".gemspec") => Eco::Gem,
        _ if lower.ends_with(".csproj")
            || lower.ends_with(".fsproj")
            || lower == "directory.packages.props"
            || lower == "directory.build.props" =>
        {
            Eco::Nuget
        }
        _ if lower.ends_with(".txt")
            && (lower.starts_with("requirements") || f.path.contains("requirements/")) =>
        {
            Eco::Python
        }
        _ => return None,
    })
}

/// Line declaring `dep` in a manifest of ecosystem `eco` (1-based), if any.
pub(super) fn dep_line(eco: Eco, text: &str, dep: &str) -> Option<u32> {
    let dep_lower = dep.to_ascii_lowercase();
    text.lines()
        .position(|l| {
            let t = l.trim();
            if t.starts_with('#') || t.starts_with("//") {
                return false;
            }
            match eco {
                Eco::Npm => {
                    // `"dep": "^1"` anywhere on the line: one-line dependency maps are common.
                    let quoted = format!("\"{dep}\"");
                    t.match_indices(&quoted)
                        .any(|(i, _)| t[i + quoted.len()..].trim_start().starts_with(':'))
                }
                Eco::Python => {
                    let lower = t.to_ascii_lowercase();
                    // Descriptions and keywords mention frameworks without depending on them.
                    if [
                        "description",
                        "summary",
                        "keywords",
                        "name",
                        "long_description",
                    ]
                    .iter()
                    .any(|k| lower.starts_with(k))
                    {
                        return false;
                    }
                    python_dep_in(&lower, &dep_lower)
                }
                Eco::Go | Eco::Jvm => t.contains(dep),
                Eco::Cargo => {
                    t.starts_with(&format!("{dep} "))
                        && t[dep.len()..].trim_start().starts_with('=')
                        || t.starts_with(&format!("{dep}="))
                        || t.ends_with(&format!("dependencies.{dep}]"))
                }
                Eco::Gem => {
                    (t.starts_with("gem ")
                        || t.contains("add_development_dependency")
                        || t.contains("add_dependency")
                        || t.contains("add_runtime_dependency"))
                        && (t.contains(&format!("\"{dep}\"")) || t.contains(&format!("'{dep}'")))
                }
                Eco::Nuget => t.contains(&format!("Include=\"{dep}\"")),
            }
        })
        .map(|i| i as u32 + 1)
}

/// A Python requirement `dep` in a lowercase line: `dep>=1`, `"dep[extra]>=1",`, `dep = "^1"`.
fn python_dep_in(line: &str, dep: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = line[from..].find(dep) {
        let start = from + pos;
        let end = start + dep.len();
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        let starts_ok = before.is_none_or(|c| matches!(c, '"' | '\'' | ' ' | ',' | '[' | '\t'));
        let ends_ok = after.is_none_or(|c| {
            matches!(
                c,
                '<' | '>' | '=' | '!' | '~' | ';' | ',' | '"' | '\'' | '@' | '[' | ' ' | ']'
            )
        });
        if starts_ok && ends_ok {
            return true;
        }
        from = end;
    }
    false
}

/// Every non-vendored manifest with its ecosystem.
pub(super) fn manifests(index: &Index) -> Vec<(&IndexedFile, Eco)> {
    index
        .text_files()
        .filter(|f| !f.vendored && !f.is_test)
        .filter_map(|f| manifest_eco(f).map(|e| (f, e)))
        .collect()
}

/// First declaration of any of `deps` (ecosystem, name, label) across manifests.
pub(super) fn find_deps(mans: &[(&IndexedFile, Eco)], deps: &[(Eco, &str, &str)]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (f, eco) in mans {
        let Some(text) = f.text() else { continue };
        for (want, dep, label) in deps {
            if want == eco {
                if let Some(line) = dep_line(*eco, text, dep) {
                    out.push(Evidence::at(f.path.clone(), line).note(label.to_string()));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// docs-readme

pub(super) static SETUP_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(concat!(
        r"(?:^|[\s;&|(]|\./)(?:npm (?:install|i|ci)\b|pnpm (?:install|i)\b|yarn(?: install)?(?:\s*$|\s+--)|bun install\b",
        r"|pip3? install\b|pipx install\b|uv (?:sync|pip install|tool install|venv)\b|poetry install\b|pipenv install\b",
        r"|pdm install\b|hatch env create\b|conda (?:env create|install)\b|cargo (?:install|build|fetch|add)\b",
        r"|go (?:install|get|build|mod download)\b|brew (?:install|bundle)\b|apt(?:-get)? install\b",
        r"|bundle install\b|bin/setup\b|gem install\b|mvnw? (?:[\w:.=-]+ )*?(?:install|package|compile)\b",
        r"|gradlew? (?:[\w:.=-]+ )*?(?:build|assemble)\b|dotnet (?:restore|build|tool install)\b",
        r"|docker(?: |-)compose (?:[\w.-]+ )*?up\b|docker build\b|make\b|just \w|task \w|nix develop\b",
        r"|devbox shell\b|mise install\b|asdf install\b|git clone\b|npx create-|scripts?/(?:setup|bootstrap)\b",
        // A library is set up by declaring it: Cargo's `[dependencies]`, Maven's
        // `<dependency>`, Gradle's `implementation`, `dotnet add package`, `bundle add`.
        r"|\[(?:dev-|build-)?dependencies\]|<dependency>|implementation\s*[('\x22]|dotnet add package\b",
        r"|bundle add\b|composer require\b)"
    ))
    .expect("constant regex")
});

pub(super) static USAGE_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(concat!(
        r"(?:^|[\s;&|(])(?:",
        node_script_run!(),
        r"(?:start|dev|serve)\b",
        r"|npm start\b|npx \w|uvicorn\b|gunicorn\b|flask run\b|fastapi (?:dev|run)\b|python3? (?:-m \w|[\w/.-]+\.py)",
        r"|manage\.py runserver|(?:uv|poetry|pdm|pipenv|hatch) run (?:uvicorn|python|flask|\w+ serve)|cargo run\b|go run\b",
        r"|docker run\b|docker(?: |-)compose (?:[\w.-]+ )*?up\b|(?:make|just|task) (?:run|dev|start|serve|up)\b",
        r"|curl |java -jar\b|dotnet run\b|rails (?:s|server)\b|bin/dev\b|mvnw? spring-boot:run|gradlew? (?:bootRun|run)\b",
        r"|deno run\b|\./\w[\w.-]*(?:\s|$))"
    ))
    .expect("constant regex")
});

pub(super) static TEST_CMD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(concat!(
        r"(?:^|[\s;&|(]|\./)(?:",
        node_script_run!(),
        r"test\b",
        r"|pytest\b|py\.test\b|tox\b|nox\b|python3? -m (?:pytest|unittest)\b|hatch test\b|cargo (?:test|nextest)\b",
        r"|go test\b|(?:make|just|task|mage) (?:test|check)|mvnw? (?:[\w:.=-]+ )*?(?:test|verify)\b",
        r"|gradlew? (?:[\w:.=-]+ )*?(?:test|check)\b|dotnet test\b|rspec\b|rake (?:test|spec)\b|rails test\b",
        r"|jest\b|vitest\b|playwright test\b|cypress run\b|phpunit\b|ctest\b|bazel test\b|deno test\b|mix test\b)"
    ))
    .expect("constant regex")
});

const SETUP_HEADINGS: &[&str] = &[
    "install",
    "installation",
    "installing",
    "setup",
    "set up",
    "setting up",
    "getting started",
    "get started",
    "quick start",
    "quickstart",
    "prerequisites",
    "requirements",
    "development",
    "local development",
    "developing",
    "build",
    "building",
    "build from source",
    "compiling",
    "run locally",
    "running locally",
    "bootstrap",
    "dev environment",
    "development environment",
];
const USAGE_HEADINGS: &[&str] = &[
    "usage",
    "using",
    "how to use",
    "example",
    "examples",
    "run",
    "running",
    "run locally",
    "running locally",
    "getting started",
    "quick start",
    "quickstart",
    "tutorial",
    "commands",
    "cli",
    "configuration",
    "start",
];
const TEST_HEADINGS: &[&str] = &["test", "tests", "testing", "test suite", "run the tests"];

/// Programming languages of fenced code that shows a library being used.
const EXAMPLE_LANGS: &[&str] = &[
    "python",
    "py",
    "js",
    "javascript",
    "ts",
    "typescript",
    "jsx",
    "tsx",
    "rust",
    "rs",
    "go",
    "golang",
    "java",
    "kotlin",
    "kt",
    "ruby",
    "rb",
    "csharp",
    "cs",
    "c#",
    "fsharp",
    "scala",
    "swift",
    "php",
    "elixir",
    "c",
    "cpp",
    "c++",
];

/// Where a document shows one of setup, usage and tests: (what, line, how).
pub(super) type Section = (&'static str, u32, String);

/// Where a document shows each of setup, usage and tests.
pub(super) fn readme_sections(text: &str) -> Vec<Section> {
    let mut found: Vec<Section> = Vec::new();
    let mut add = |what: &'static str, line: u32, how: String| {
        if !found.iter().any(|(w, _, _)| *w == what) {
            found.push((what, line, how));
        }
    };
    let hs = headings(text);
    // The document's title names the project, not a section.
    let skip_title = usize::from(hs.first().is_some_and(|h| h.level == 1));
    for h in hs.into_iter().skip(skip_title) {
        let is_test = heading_has(&h.text, TEST_HEADINGS);
        if is_test {
            add("tests", h.line, format!("heading \"{}\"", h.text));
        }
        if heading_has(&h.text, SETUP_HEADINGS) {
            add("setup", h.line, format!("heading \"{}\"", h.text));
        }
        if !is_test && heading_has(&h.text, USAGE_HEADINGS) {
            add("usage", h.line, format!("heading \"{}\"", h.text));
        }
    }
    for c in code_lines(text) {
        let quote = || format!("`{}`", shorten(c.code));
        if TEST_CMD.is_match(c.code) {
            add("tests", c.line, quote());
        } else if USAGE_CMD.is_match(c.code) {
            add("usage", c.line, quote());
        }
        if SETUP_CMD.is_match(c.code) && !TEST_CMD.is_match(c.code) {
            add("setup", c.line, quote());
        }
        if EXAMPLE_LANGS.contains(&c.lang.to_ascii_lowercase().as_str()) {
            add("usage", c.line, format!("{} example", c.lang));
        }
    }
    found
}

/// Developer guides that often hold the setup and test instructions the README links to.
const GUIDE_STEMS: &[&str] = &[
    "contributing",
    "development",
    "developing",
    "hacking",
    "agents",
    "claude",
];

fn readme(ctx: &Context) -> Outcome {
    let readmes = community_files(ctx, "readme");
    if readmes.is_empty() {
        let message = match ctx.index.package() {
            // The repository's README describes the repository; the package needs its own.
            Some(p) => format!(
                "no README in the package {}, its .github/ or docs/",
                p.prefix
            ),
            None => "no README at the root, in .github/ or docs/".to_string(),
        };
        return Outcome::fail(message, ctx.index.repo_anchor().into_iter().collect());
    }
    // GitHub shows the first README by precedence; prefer the one that covers most.
    let scored: Vec<(&IndexedFile, Vec<Section>)> = readmes
        .iter()
        .map(|f| (*f, readme_sections(f.text().unwrap_or(""))))
        .collect();
    let Some((best, sections)) = scored.iter().max_by_key(|(_, s)| s.len()) else {
        return Outcome::na("no README");
    };
    let mut evidence: Vec<Evidence> = sections
        .iter()
        .map(|(what, line, how)| {
            Evidence::at(best.path.clone(), *line).note(format!("{what}: {how}"))
        })
        .collect();
    let mut covered: Vec<&str> = sections.iter().map(|(w, _, _)| *w).collect();
    // Setup and test instructions may live in a developer guide beside the README.
    for stem in GUIDE_STEMS {
        for g in community_files(ctx, stem) {
            for (what, line, how) in readme_sections(g.text().unwrap_or("")) {
                if what != "usage" && !covered.contains(&what) {
                    covered.push(what);
                    evidence
                        .push(Evidence::at(g.path.clone(), line).note(format!("{what}: {how}")));
                }
            }
        }
    }
    let missing: Vec<&str> = ["setup", "usage", "tests"]
        .into_iter()
        .filter(|w| !covered.contains(w))
        .collect();
    if missing.is_empty() {
        Outcome::pass(
            format!("{} covers setup, usage and tests", best.path),
            evidence,
        )
    } else {
        let mut ev = vec![Evidence::file(best.path.clone()).note(format!(
            "no {} instructions (no heading or command for it)",
            missing.join(", ")
        ))];
        ev.extend(evidence);
        Outcome::fail(
            format!("{} does not explain: {}", best.path, missing.join(", ")),
            ev,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// docs-license, docs-contributing

/// Manifest fields that declare a licence (they name it but ship no text).
fn declared_licence(ctx: &Context) -> Option<Evidence> {
    static LICENCE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r#"^\s*(?:"license"\s*:|license(?:-file)?\s*=|<license>|license\s*[:=]|s\.license\s*=)"#)
            .expect("constant regex")
    });
    [
        "package.json",
        "Cargo.toml",
        "pyproject.toml",
        "setup.cfg",
        "pom.xml",
    ]
    .iter()
    .find_map(|m| {
        let text = ctx.index.text(m)?;
        let line = text.lines().position(|l| LICENCE_FIELD.is_match(l))?;
        Some(
            Evidence::at(*m, line as u32 + 1)
                .note("the manifest names a licence, but no licence text is in the repository"),
        )
    })
}

fn license(ctx: &Context) -> Outcome {
    let mut found = Vec::new();
    for stem in ["license", "licence", "copying", "unlicense"] {
        found.extend(
            community_files(ctx, stem)
                .into_iter()
                .filter(|f| !is_blank(f)),
        );
    }
    let found: Vec<Evidence> = found
        .into_iter()
        .map(|f| Evidence::file(f.path.clone()))
        .collect();
    if found.is_empty() {
        // npm's explicit "all rights reserved" for proprietary code.
        if let Some(line) = ctx.index.text("package.json").and_then(|t| {
            t.lines()
                .position(|l| l.replace(' ', "").contains("\"license\":\"UNLICENSED\""))
        }) {
            return Outcome::pass(
                "the code is declared proprietary (UNLICENSED)",
                vec![Evidence::at("package.json", line as u32 + 1)
                    .note("\"license\": \"UNLICENSED\" reserves all rights")],
            );
        }
    }
    Outcome::present(
        found,
        "a licence file is present",
        "no LICENSE file: others cannot know how they may use the code",
        declared_licence(ctx).or_else(|| ctx.index.repo_anchor()),
    )
}

fn contributing(ctx: &Context) -> Outcome {
    let files = community_files(ctx, "contributing");
    let (empty, full): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| is_blank(f));
    let mut found: Vec<Evidence> = full
        .iter()
        .map(|f| Evidence::file(f.path.clone()))
        .collect();
    // Larger projects keep the guide as a folder of pages.
    for dir in [
        "docs/contributing",
        "docs/development",
        ".github/contributing",
    ] {
        if let Some(f) = ctx.index.under(dir).iter().find(|f| !is_blank(f)) {
            found.push(Evidence::file(f.path.clone()).note("contributing guide pages"));
        }
    }
    let anchor = empty
        .first()
        .map(|f| Evidence::file(f.path.clone()).note("the contributing guide is empty"))
        .or_else(|| ctx.index.repo_anchor());
    Outcome::present(
        found,
        "a contributing guide is present",
        "no CONTRIBUTING guide",
        anchor,
    )
}

// ---------------------------------------------------------------------------------------------
// docs-codeowners

/// Rule lines of a CODEOWNERS file: a path pattern followed by at least one owner.
fn codeowners_rules(text: &str) -> Vec<(u32, &str)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim();
            // Comments, blank lines and GitLab section headers (`[Docs]`, `^[Docs]`).
            if t.is_empty() || t.starts_with('#') || t.starts_with('[') || t.starts_with("^[") {
                return None;
            }
            let mut parts = t.split_whitespace();
            parts.next()?;
            let has_owner = parts
                .take_while(|p| !p.starts_with('#'))
                .any(|p| p.starts_with('@') || (p.contains('@') && p.contains('.')));
            has_owner.then_some((i as u32 + 1, t))
        })
        .collect()
}

fn codeowners(ctx: &Context) -> Outcome {
    // GitHub uses the first file it finds in .github/, the root, docs/; GitLab also .gitlab/.
    let mut files: Vec<&IndexedFile> = community_files(ctx, "codeowners")
        .into_iter()
        .filter(|f| f.name() == "CODEOWNERS")
        .collect();
    files.extend(ctx.index.file(".gitlab/CODEOWNERS"));
    let Some(effective) = files.first() else {
        return Outcome::fail(
            "no CODEOWNERS file: nobody is requested for review automatically",
            ctx.index.repo_anchor().into_iter().collect(),
        );
    };
    let rules = codeowners_rules(effective.text().unwrap_or(""));
    let Some((first_line, first)) = rules.first() else {
        return Outcome::fail(
            format!(
                "{} has no rule line (a path followed by an owner)",
                effective.path
            ),
            vec![Evidence::file(effective.path.clone())
                .note("only comments or patterns without owners")],
        );
    };
    let catch_all = rules.iter().find(|(_, l)| {
        matches!(
            l.split_whitespace().next(),
            Some("*" | "/*" | "**" | "/**" | "/**/*" | "**/*")
        )
    });
    let mut evidence = vec![
        Evidence::at(effective.path.clone(), *first_line).note(format!(
            "{} ownership rule(s), first: {}",
            rules.len(),
            shorten(first)
        )),
    ];
    let message = match catch_all {
        Some((line, l)) => {
            evidence.push(
                Evidence::at(effective.path.clone(), *line)
                    .note(format!("catch-all: {}", shorten(l))),
            );
            format!(
                "{} assigns owners ({} rules, with a catch-all)",
                effective.path,
                rules.len()
            )
        }
        None => format!(
            "{} assigns owners ({} rules; no catch-all `*`, so other paths have no owner)",
            effective.path,
            rules.len()
        ),
    };
    Outcome::pass(message, evidence)
}

// ---------------------------------------------------------------------------------------------
// docs-pr-template, docs-issue-templates

/// Platform folders that hold templates besides GitHub's community locations.
const TEMPLATE_DIRS: &[&str] = &[".github", "", "docs", ".gitlab", ".gitea", ".azuredevops"];

fn checklist_items(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("- [ ]") || t.starts_with("* [ ]") || t.starts_with("- [x]")
        })
        .count()
}

fn pr_template(ctx: &Context) -> Outcome {
    let mut found: Vec<&IndexedFile> = Vec::new();
    for dir in TEMPLATE_DIRS {
        for f in ctx.index.children(dir) {
            if stem_matches(f.name(), "pull_request_template")
                || stem_matches(f.name(), "merge_request_template")
            {
                found.push(f);
            }
        }
        // A folder of several templates, chosen with `?template=` (GitLab: merge_request_templates).
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        for folder in [
            "PULL_REQUEST_TEMPLATE",
            "pull_request_template",
            "merge_request_templates",
        ] {
            found.extend(ctx.index.under(&format!("{prefix}{folder}")).iter());
        }
    }
    let (blank, filled): (Vec<&IndexedFile>, Vec<&IndexedFile>) =
        found.into_iter().partition(|f| is_blank(f));
    if filled.is_empty() {
        let anchor = blank
            .first()
            .map(|f| Evidence::file(f.path.clone()).note("the template is empty"))
            .or_else(|| ctx.index.repo_anchor());
        return Outcome::fail(
            "no pull-request template: reviewers get no summary, test notes or checklist",
            anchor.into_iter().collect(),
        );
    }
    let evidence = filled
        .iter()
        .map(|f| {
            let items = checklist_items(f.text().unwrap_or(""));
            let e = Evidence::file(f.path.clone());
            if items > 0 {
                e.note(format!("{items} checklist item(s)"))
            } else {
                e.note("no checklist")
            }
        })
        .collect();
    Outcome::pass("a pull-request template is present", evidence)
}

fn issue_templates(ctx: &Context) -> Outcome {
    let mut templates: Vec<&IndexedFile> = Vec::new();
    let mut config_only: Option<&IndexedFile> = None;
    for dir in TEMPLATE_DIRS {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        for folder in ["ISSUE_TEMPLATE", "issue_template", "issue_templates"] {
            for f in ctx.index.under(&format!("{prefix}{folder}")) {
                let name = f.name().to_ascii_lowercase();
                if name == "config.yml" || name == "config.yaml" {
                    config_only.get_or_insert(f);
                } else if matches!(f.ext(), "md" | "yml" | "yaml") && !is_blank(f) {
                    templates.push(f);
                }
            }
        }
        for f in ctx.index.children(dir) {
            if stem_matches(f.name(), "issue_template") && !is_blank(f) {
                templates.push(f);
            }
        }
    }
    if templates.is_empty() {
        let anchor = config_only
            .map(|f| {
                Evidence::file(f.path.clone()).note("only the chooser configuration, no template")
            })
            .or_else(|| ctx.index.repo_anchor());
        return Outcome::fail(
            "no issue templates: bug reports arrive without versions, steps or logs",
            anchor.into_iter().collect(),
        );
    }
    let names: Vec<&str> = templates.iter().map(|f| f.name()).collect();
    let forms = templates
        .iter()
        .filter(|f| matches!(f.ext(), "yml" | "yaml"))
        .count();
    let note = if forms > 0 {
        format!("{forms} issue form(s)")
    } else {
        "markdown template".to_string()
    };
    Outcome::pass(
        format!(
            "{} issue template(s): {}",
            templates.len(),
            names.join(", ")
        ),
        templates
            .iter()
            .map(|f| Evidence::file(f.path.clone()).note(note.clone()))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// docs-architecture

/// Directory names that hold architecture decision records.
const ADR_DIRS: &[&str] = &[
    "adr",
    "adrs",
    "decisions",
    "architecture-decisions",
    "decision-records",
    "architecture_decisions",
];

const DIAGRAM_EXTS: &[&str] = &[
    "mmd",
    "mermaid",
    "puml",
    "plantuml",
    "iuml",
    "pu",
    "wsd",
    "drawio",
    "dio",
    "excalidraw",
    "d2",
];

const DOC_EXTS: &[&str] = &["md", "mdx", "rst", "adoc", "asciidoc", "txt", "org"];

const ARCH_HEADINGS: &[&str] = &[
    "architecture",
    "system design",
    "design overview",
    "design",
    "how it works",
    "internals",
    "code map",
    "codemap",
    "system overview",
];

/// Below this many lines of code a library or CLI needs no architecture document.
const SMALL_CODEBASE_LINES: u64 = 2_000;

fn architecture(ctx: &Context) -> Outcome {
    let mut docs = Vec::new();
    let mut adrs = Vec::new();
    let mut diagrams = Vec::new();
    let mut embedded = Vec::new();
    let mut sections = Vec::new();
    let adr_dir_file = ctx
        .index
        .text(".adr-dir")
        .map(|t| t.trim().trim_end_matches('/').to_string())
        .filter(|d| !d.is_empty());
    for f in ctx.index.text_files() {
        if f.vendored || f.is_test || f.is_source() {
            continue;
        }
        let name = f.name().to_ascii_lowercase();
        let ext = f.ext().to_ascii_lowercase();
        let dirs: Vec<&str> = f.path.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        let in_docs_tree =
            dirs.is_empty() || matches!(dirs[0], "docs" | "doc" | ".github" | "documentation");
        if name.starts_with("architecture")
            || (in_docs_tree && stem_matches(&name, "design") && DOC_EXTS.contains(&ext.as_str()))
            || (dirs
                .first()
                .is_some_and(|d| matches!(*d, "docs" | "doc" | "documentation"))
                && dirs.iter().any(|d| d.eq_ignore_ascii_case("architecture")))
        {
            docs.push(f);
        }
        let in_adr_dir = dirs
            .iter()
            .any(|d| ADR_DIRS.contains(&d.to_ascii_lowercase().as_str()))
            || adr_dir_file
                .as_deref()
                .is_some_and(|d| f.path.starts_with(&format!("{d}/")));
        if in_adr_dir
            && DOC_EXTS.contains(&ext.as_str())
            && !name.starts_with("readme")
            && !name.starts_with("template")
        {
            adrs.push(f);
        }
        let structurizr = ext == "dsl"
            && f.text()
                .is_some_and(|t| t.contains("workspace") && t.contains("model"));
        if DIAGRAM_EXTS.contains(&ext.as_str())
            || name.contains(".drawio.")
            || name.contains(".excalidraw.")
            || structurizr
        {
            diagrams.push(f);
        }
        if matches!(ext.as_str(), "md" | "mdx" | "rst" | "adoc") {
            if let Some(text) = f.text() {
                if let Some(i) = text.lines().position(|l| {
                    let t = l.trim_start();
                    is_fence(t)
                        && matches!(
                            t.trim_start_matches(['`', '~']).trim(),
                            "mermaid" | "plantuml" | "puml" | "d2" | "{mermaid}"
                        )
                        || t.starts_with("@startuml")
                        || t.starts_with(".. mermaid::")
                }) {
                    embedded
                        .push(Evidence::at(f.path.clone(), i as u32 + 1).note("embedded diagram"));
                }
                let top_level_doc =
                    dirs.is_empty() || (dirs.len() == 1 && matches!(dirs[0], "docs" | "doc"));
                if top_level_doc {
                    let hs = headings(text);
                    if let Some(h) = hs.iter().find(|h| {
                        h.level > 1
                            && heading_has(&h.text, ARCH_HEADINGS)
                            && section_lines(text, &hs, h) >= 3
                    }) {
                        sections.push(
                            Evidence::at(f.path.clone(), h.line)
                                .note(format!("section \"{}\" (text, no diagram file)", h.text)),
                        );
                    }
                }
            }
        }
    }
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut kinds = Vec::new();
    if !docs.is_empty() {
        kinds.push(format!("{} architecture document(s)", docs.len()));
        evidence.extend(
            docs.iter()
                .map(|f| Evidence::file(f.path.clone()).note("architecture document")),
        );
    }
    if !adrs.is_empty() {
        kinds.push(format!("{} decision record(s)", adrs.len()));
        evidence.extend(
            adrs.iter()
                .take(3)
                .map(|f| Evidence::file(f.path.clone()).note("architecture decision record")),
        );
    }
    if !diagrams.is_empty() || !embedded.is_empty() {
        kinds.push(format!("{} diagram(s)", diagrams.len() + embedded.len()));
        evidence.extend(
            diagrams
                .iter()
                .map(|f| Evidence::file(f.path.clone()).note("diagram source")),
        );
        evidence.extend(embedded);
    }
    if kinds.is_empty() && !sections.is_empty() {
        kinds.push("an architecture section".to_string());
        evidence.extend(sections);
    }
    if evidence.is_empty() {
        // A small library or tool is read faster than an architecture document would be;
        // a service's topology needs one whatever its size. Infrastructure code counts.
        let code_lines: u64 = ctx
            .index
            .files()
            .iter()
            .filter(|f| {
                (f.is_source() || matches!(f.ext(), "tf" | "hcl" | "bicep"))
                    && !f.vendored
                    && !f.is_test
                    && !f.fixture
            })
            .map(|f| u64::from(f.lines))
            .sum();
        if ctx.profile != Profile::Service && code_lines < SMALL_CODEBASE_LINES {
            return Outcome::na(format!(
                "a {} of {code_lines} line{} of code: small enough to read without an \
                 architecture document",
                ctx.profile.id(),
                if code_lines == 1 { "" } else { "s" }
            ));
        }
        return Outcome::fail(
            "no architecture documentation: no ARCHITECTURE.md, decision records or diagrams",
            ctx.index.repo_anchor().into_iter().collect(),
        );
    }
    Outcome::pass(
        format!("architecture documented: {}", kinds.join(", ")),
        evidence,
    )
}

// ---------------------------------------------------------------------------------------------
// docs-api (services), docs-site (libraries)

/// Frameworks that generate an API description from the code (dependency, label).
const API_DOC_DEPS: &[(Eco, &str, &str)] = &[
    (
        Eco::Python,
        "fastapi",
        "OpenAPI schema and docs auto-generated by FastAPI (/docs, /openapi.json)",
    ),
    (
        Eco::Python,
        "django-ninja",
        "Django Ninja: OpenAPI docs auto-generated at /api/docs",
    ),
    (
        Eco::Python,
        "litestar",
        "Litestar: OpenAPI docs auto-generated at /schema",
    ),
    (
        Eco::Python,
        "drf-spectacular",
        "drf-spectacular generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "drf-yasg",
        "drf-yasg generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "flask-smorest",
        "flask-smorest generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "apiflask",
        "APIFlask generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "flask-restx",
        "Flask-RESTX serves Swagger docs",
    ),
    (
        Eco::Python,
        "flask-openapi3",
        "flask-openapi3 generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "connexion",
        "Connexion serves the OpenAPI spec",
    ),
    (
        Eco::Python,
        "spectree",
        "SpecTree generates the OpenAPI schema",
    ),
    (
        Eco::Python,
        "strawberry-graphql",
        "Strawberry: self-documenting GraphQL schema",
    ),
    (
        Eco::Python,
        "graphene",
        "Graphene: self-documenting GraphQL schema",
    ),
    (
        Eco::Npm,
        "@nestjs/swagger",
        "@nestjs/swagger generates the OpenAPI document",
    ),
    (
        Eco::Npm,
        "swagger-jsdoc",
        "swagger-jsdoc builds the OpenAPI document from comments",
    ),
    (
        Eco::Npm,
        "@fastify/swagger",
        "@fastify/swagger generates the OpenAPI document",
    ),
    (
        Eco::Npm,
        "fastify-swagger",
        "fastify-swagger generates the OpenAPI document",
    ),
    (
        Eco::Npm,
        "@hono/zod-openapi",
        "@hono/zod-openapi generates the OpenAPI document",
    ),
    (
        Eco::Npm,
        "@asteasolutions/zod-to-openapi",
        "zod-to-openapi generates the OpenAPI document",
    ),
    (Eco::Npm, "tsoa", "tsoa generates the OpenAPI document"),
    (
        Eco::Npm,
        "@elysiajs/swagger",
        "Elysia swagger plugin serves API docs",
    ),
    (
        Eco::Npm,
        "@nestjs/graphql",
        "NestJS GraphQL: self-documenting schema",
    ),
    (
        Eco::Npm,
        "@apollo/server",
        "Apollo Server: self-documenting GraphQL schema",
    ),
    (
        Eco::Npm,
        "graphql-yoga",
        "GraphQL Yoga: self-documenting GraphQL schema",
    ),
    (
        Eco::Go,
        "github.com/swaggo/swag",
        "swag generates Swagger docs from comments",
    ),
    (
        Eco::Go,
        "github.com/ogen-go/ogen",
        "ogen: code generated from an OpenAPI spec",
    ),
    (
        Eco::Go,
        "goa.design/goa",
        "Goa generates the OpenAPI document",
    ),
    (
        Eco::Go,
        "github.com/danielgtaylor/huma",
        "Huma generates the OpenAPI document",
    ),
    (
        Eco::Go,
        "github.com/99designs/gqlgen",
        "gqlgen: schema-first GraphQL",
    ),
    (
        Eco::Cargo,
        "utoipa",
        "utoipa generates the OpenAPI document",
    ),
    (Eco::Cargo, "aide", "aide generates the OpenAPI document"),
    (
        Eco::Cargo,
        "poem-openapi",
        "poem-openapi generates the OpenAPI document",
    ),
    (
        Eco::Cargo,
        "paperclip",
        "paperclip generates the OpenAPI document",
    ),
    (
        Eco::Cargo,
        "rocket_okapi",
        "okapi generates the OpenAPI document",
    ),
    (
        Eco::Cargo,
        "dropshot",
        "Dropshot generates the OpenAPI document",
    ),
    (
        Eco::Cargo,
        "async-graphql",
        "async-graphql: self-documenting GraphQL schema",
    ),
    (
        Eco::Jvm,
        "springdoc-openapi",
        "springdoc generates the OpenAPI document",
    ),
    (Eco::Jvm, "springfox", "Springfox generates Swagger docs"),
    (
        Eco::Jvm,
        "io.swagger.core",
        "swagger-core annotations describe the API",
    ),
    (
        Eco::Jvm,
        "smallrye-openapi",
        "SmallRye OpenAPI generates the OpenAPI document",
    ),
    (
        Eco::Jvm,
        "micronaut-openapi",
        "Micronaut OpenAPI generates the OpenAPI document",
    ),
    (Eco::Gem, "rswag", "rswag generates Swagger docs from specs"),
    (Eco::Gem, "rswag-api", "rswag serves Swagger docs"),
    (
        Eco::Gem,
        "grape-swagger",
        "grape-swagger generates Swagger docs",
    ),
    (Eco::Gem, "apipie-rails", "Apipie documents the API"),
    (
        Eco::Gem,
        "oas_rails",
        "OasRails generates the OpenAPI document",
    ),
    (
        Eco::Nuget,
        "Swashbuckle.AspNetCore",
        "Swashbuckle generates the OpenAPI document",
    ),
    (
        Eco::Nuget,
        "NSwag.AspNetCore",
        "NSwag generates the OpenAPI document",
    ),
    (
        Eco::Nuget,
        "Microsoft.AspNetCore.OpenApi",
        "ASP.NET Core generates the OpenAPI document",
    ),
];

/// Byte prefix of `s` of at most `n` bytes, cut at a character boundary.
fn prefix(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

static SPEC_YAML: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#"(?m)^(openapi|swagger|asyncapi):\s*["']?[0-9]"#)
        .expect("constant regex")
});
static SPEC_JSON: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#""(openapi|swagger|asyncapi)"\s*:\s*"[0-9]"#).expect("constant regex")
});
static GRAPHQL_SCHEMA: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"(?m)^\s*(?:schema\s*\{|(?:extend\s+)?type\s+(?:Query|Mutation|Subscription)\b)",
    )
    .expect("constant regex")
});
static PROTO_SERVICE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"(?m)^\s*service\s+\w+\s*\{").expect("constant regex"));

/// API descriptions kept in the repository: OpenAPI/Swagger/AsyncAPI, GraphQL schemas,
/// gRPC service definitions, Postman collections.
fn api_spec_files(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for f in ctx.index.text_files() {
        if f.vendored || f.is_test {
            continue;
        }
        let name = f.name().to_ascii_lowercase();
        let ext = f.ext();
        let Some(text) = f.text() else { continue };
        let head = prefix(text, 4096);
        match ext {
            "yaml" | "yml" | "json" => {
                let re = if ext == "json" {
                    &SPEC_JSON
                } else {
                    &SPEC_YAML
                };
                if let Some(c) = re.captures(head) {
                    let line =
                        crate::rules::signals::line_of(head, c.get(0).map_or(0, |m| m.start()));
                    out.push(
                        Evidence::at(f.path.clone(), line).note(format!("{} document", &c[1])),
                    );
                } else if name.ends_with(".postman_collection.json") {
                    out.push(Evidence::file(f.path.clone()).note("Postman collection"));
                }
            }
            "graphql" | "graphqls" | "gql" => {
                if let Some(m) = GRAPHQL_SCHEMA.find(text) {
                    let described = text.contains("\"\"\"")
                        || text.lines().any(|l| l.trim_start().starts_with('"'));
                    out.push(
                        Evidence::at(
                            f.path.clone(),
                            crate::rules::signals::line_of(text, m.start()),
                        )
                        .note(if described {
                            "GraphQL schema with descriptions"
                        } else {
                            "GraphQL schema (no descriptions)"
                        }),
                    );
                }
            }
            "proto" => {
                if let Some(m) = PROTO_SERVICE.find(text) {
                    out.push(
                        Evidence::at(
                            f.path.clone(),
                            crate::rules::signals::line_of(text, m.start()),
                        )
                        .note("gRPC service definition"),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// Documentation-site generators (config file, label).
const DOC_SITE_FILES: &[(&str, &str)] = &[
    ("mkdocs.yml", "MkDocs"),
    ("mkdocs.yaml", "MkDocs"),
    ("docs/conf.py", "Sphinx"),
    ("doc/conf.py", "Sphinx"),
    ("docs/source/conf.py", "Sphinx"),
    ("doc/source/conf.py", "Sphinx"),
    (".readthedocs.yaml", "Read the Docs"),
    (".readthedocs.yml", "Read the Docs"),
    ("readthedocs.yml", "Read the Docs"),
    ("book.toml", "mdBook"),
    ("docs/book.toml", "mdBook"),
    ("typedoc.json", "TypeDoc"),
    ("api-extractor.json", "API Extractor"),
    ("antora.yml", "Antora"),
    ("antora-playbook.yml", "Antora"),
    ("docfx.json", "DocFX"),
    ("docs/docfx.json", "DocFX"),
    (".yardopts", "YARD"),
    ("mint.json", "Mintlify"),
    ("docs/mint.json", "Mintlify"),
    ("docs/_config.yml", "GitHub Pages (Jekyll)"),
    ("jsdoc.json", "JSDoc"),
    (".jsdoc.json", "JSDoc"),
];

/// Name prefixes of generator configs that take any extension (`docusaurus.config.ts`).
const DOC_SITE_PREFIXES: &[(&str, &str)] = &[
    ("docusaurus.config.", "Docusaurus"),
    ("typedoc.config.", "TypeDoc"),
];

fn doc_site_files(ctx: &Context) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = DOC_SITE_FILES
        .iter()
        .filter(|(p, _)| ctx.index.exists(p))
        .map(|(p, label)| Evidence::file(*p).note(format!("{label} documentation site")))
        .collect();
    for f in ctx.index.files() {
        if f.vendored || f.path.matches('/').count() > 2 {
            continue;
        }
        let name = f.name();
        if let Some((_, label)) = DOC_SITE_PREFIXES.iter().find(|(p, _)| name.starts_with(p)) {
            out.push(Evidence::file(f.path.clone()).note(format!("{label} documentation site")));
        } else if f.path.contains(".vitepress/config.") || f.path.contains(".vuepress/config.") {
            out.push(Evidence::file(f.path.clone()).note("VitePress/VuePress documentation site"));
        } else if f.path.starts_with(".storybook/main.") {
            out.push(Evidence::file(f.path.clone()).note("Storybook component documentation"));
        }
    }
    out
}

/// Documents about the API: `API.md`, `docs/api*`.
fn api_doc_pages(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for dir in ["", "docs", "doc"] {
        for f in ctx.index.children(dir) {
            let name = f.name().to_ascii_lowercase();
            if (name.starts_with("api.")
                || name.starts_with("api-")
                || name.starts_with("api_")
                || name.starts_with("api-reference"))
                && DOC_EXTS.contains(&f.ext())
                && !is_blank(f)
            {
                out.push(Evidence::file(f.path.clone()).note("API documentation page"));
            }
        }
    }
    for dir in [
        "docs/api",
        "doc/api",
        "docs/reference",
        "docs/api-reference",
    ] {
        if let Some(f) = ctx
            .index
            .under(dir)
            .iter()
            .find(|f| DOC_EXTS.contains(&f.ext()))
        {
            out.push(Evidence::file(f.path.clone()).note("API documentation pages"));
        }
    }
    out
}

fn api_docs(ctx: &Context) -> Outcome {
    let mans = manifests(ctx.index);
    // FastAPI serves no docs when the schema is switched off.
    let disabled = ctx.index.signal_evidence("docs-openapi-disabled");
    let mut generated = find_deps(&mans, API_DOC_DEPS);
    if !disabled.is_empty() {
        generated.retain(|e| !e.note.as_deref().is_some_and(|n| n.contains("FastAPI")));
    }
    let mut evidence = api_spec_files(ctx);
    evidence.extend(generated);
    evidence.extend(api_doc_pages(ctx));
    evidence.extend(doc_site_files(ctx));
    if !evidence.is_empty() {
        let auto = evidence.iter().filter_map(|e| e.note.as_deref()).find(|n| {
            n.contains("auto-generated")
                || n.contains("generates")
                || n.contains("self-documenting")
        });
        let message = match auto {
            Some(n) => format!("the API is documented: {n}"),
            None => "the API is documented in the repository".to_string(),
        };
        return Outcome::pass(message, evidence);
    }
    // Without any sign of an API there is nothing to document.
    let Some(first) = api_surface(ctx).into_iter().next() else {
        return Outcome::na(
            "no HTTP, GraphQL or gRPC API found (no server framework or API routes)",
        );
    };
    let mut ev = vec![first
        .note("the API is served here; no OpenAPI/GraphQL/gRPC description or generator found")];
    ev.extend(
        disabled
            .into_iter()
            .map(|e| e.note("openapi_url=None switches the generated schema and /docs off")),
    );
    Outcome::fail(
        "the service's API is not documented: no OpenAPI/Swagger document, schema, generator or API docs",
        ev,
    )
}

/// Where the service exposes an API: server frameworks (content signal) and file-routed
/// API handlers (Next.js, Nuxt, SvelteKit).
fn api_surface(ctx: &Context) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = crate::detect::server_code(ctx.index)
        .into_iter()
        .filter(|e| !is_vendored(&e.path))
        .collect();
    out.extend(
        ctx.index
            .files()
            .iter()
            .filter(|f| {
                !f.vendored
                    && !f.is_test
                    && f.is_source()
                    && (f.path.contains("app/api/")
                        || f.path.contains("pages/api/")
                        || f.path.contains("server/api/")
                        || f.path.contains("routes/api/"))
            })
            .take(1)
            .map(|f| Evidence::file(f.path.clone())),
    );
    out
}

/// Hosted API references linked from a README.
static HOSTED_DOCS: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"https?://(?:[\w.-]+\.readthedocs\.(?:io|org)|docs\.rs/|pkg\.go\.dev/|godoc\.org/|(?:www\.)?javadoc\.io/|(?:www\.)?rubydoc\.info/|[\w-]+\.github\.io/|[\w.-]+\.gitbook\.io)")
        .expect("constant regex")
});

fn docs_site(ctx: &Context) -> Outcome {
    let mut evidence = doc_site_files(ctx);
    evidence.extend(api_doc_pages(ctx));
    let mans = manifests(ctx.index);
    // Registries that publish API references of every released package by themselves.
    for (f, eco) in &mans {
        let Some(text) = f.text() else { continue };
        match eco {
            Eco::Cargo if text.contains("[package]") && !text.contains("publish = false") => {
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("documentation"))
                    .or_else(|| text.lines().position(|l| l.trim() == "[package]"))
                    .map_or(1, |i| i as u32 + 1);
                evidence.push(Evidence::at(f.path.clone(), line).note(
                    "docs.rs builds the API reference of published crates from doc comments",
                ));
            }
            Eco::Go => {
                if let Some(i) = text.lines().position(|l| l.starts_with("module ")) {
                    evidence.push(Evidence::at(f.path.clone(), i as u32 + 1).note(
                        "pkg.go.dev renders the API reference of public modules from doc comments",
                    ));
                }
            }
            Eco::Gem if f.name().ends_with(".gemspec") => {
                evidence.push(
                    Evidence::file(f.path.clone())
                        .note("rubydoc.info renders the API reference of published gems"),
                );
            }
            Eco::Jvm
                if text.contains("maven-javadoc-plugin")
                    || text.contains("withJavadocJar")
                    || text.contains("dokka") =>
            {
                let line = text
                    .lines()
                    .position(|l| {
                        l.contains("javadoc") || l.contains("Javadoc") || l.contains("dokka")
                    })
                    .map_or(1, |i| i as u32 + 1);
                evidence.push(
                    Evidence::at(f.path.clone(), line)
                        .note("Javadoc/Dokka published with the artifacts"),
                );
            }
            Eco::Nuget => {
                if let Some(i) = text
                    .lines()
                    .position(|l| l.contains("<GenerateDocumentationFile>true"))
                {
                    evidence.push(
                        Evidence::at(f.path.clone(), i as u32 + 1)
                            .note("XML documentation file generated"),
                    );
                }
            }
            Eco::Npm => {
                if let Some(line) = dep_line(Eco::Npm, text, "typedoc") {
                    evidence.push(
                        Evidence::at(f.path.clone(), line)
                            .note("TypeDoc generates the API reference"),
                    );
                }
            }
            Eco::Python => {
                for tool in ["pdoc", "pdoc3", "sphinx", "mkdocs", "mkdocstrings"] {
                    if let Some(line) = dep_line(Eco::Python, text, tool) {
                        evidence.push(
                            Evidence::at(f.path.clone(), line)
                                .note(format!("{tool} builds the documentation")),
                        );
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    // A README with an API section, or a link to hosted docs.
    for f in community_files(ctx, "readme") {
        let Some(text) = f.text() else { continue };
        let hs = headings(text);
        if let Some(h) = hs.iter().find(|h| {
            heading_has(
                &h.text,
                &["api", "api reference", "reference", "api documentation"],
            )
        }) {
            evidence.push(
                Evidence::at(f.path.clone(), h.line).note(format!("README section \"{}\"", h.text)),
            );
        }
        if let Some(i) = text.lines().position(|l| HOSTED_DOCS.is_match(l)) {
            evidence.push(
                Evidence::at(f.path.clone(), i as u32 + 1)
                    .note("README links to hosted documentation"),
            );
        }
    }
    Outcome::present(
        evidence,
        "the library's API reference is published or documented",
        "no API reference: no docs site, generator or API section in the README",
        ctx.index.repo_anchor(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "docs-readme",
        title: "README explains setup, usage and tests",
        category: Category::Docs,
        weight: 6,
        applies: Applies::ALL,
        rationale: "The README is the first thing a new contributor or an on-call engineer reads; \
            without setup, usage and test instructions every newcomer rediscovers them.",
        passes_when: "A README (.github/, root or docs/) shows setup, usage and how to run the tests, \
            as headings (Install, Getting started, Usage, Tests, …) or as commands written as code \
            (`npm install`, `pip install`, `make`, `docker compose up`; `npm test`, `pytest`, \
            `cargo test`, `go test`, …). Setup and test instructions may also sit in a developer \
            guide beside it (CONTRIBUTING, DEVELOPMENT, HACKING, AGENTS.md, CLAUDE.md).",
        remediation: "Add sections for setup, usage and running the tests to the README, with the \
            exact commands.",
        snippet: Some("## Getting started\n\n```sh\nmake setup   # install toolchain and dependencies\nmake run     # start locally\nmake test    # run the test suite\n```"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(readme),
    },
    Rule {
        id: "docs-license",
        title: "Licence declared",
        category: Category::Docs,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Without a licence nobody may legally reuse the code, and dependency scanners \
            of your users flag it.",
        passes_when: "A non-empty LICENSE, LICENCE, COPYING or UNLICENSE file (any extension or \
            suffix, e.g. LICENSE-MIT) exists at the root, in .github/ or docs/.",
        remediation: "Add a LICENSE file (choosealicense.com helps pick one); for proprietary code, \
            a short file stating so.",
        snippet: None,
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(license),
    },
    Rule {
        id: "docs-contributing",
        title: "Contributing guide",
        category: Category::Docs,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A contributing guide states how changes are proposed, reviewed and tested, \
            which keeps reviews short and the bar consistent.",
        passes_when: "A non-empty CONTRIBUTING file exists at the root, in .github/ or docs/ (or \
            a docs/contributing/ folder of pages).",
        remediation: "Add CONTRIBUTING.md: how to set up, the branch and commit conventions, \
            how to run checks before opening a pull request.",
        snippet: Some("# CONTRIBUTING.md\n## Development\n1. `make setup`\n2. `make test lint`\n## Pull requests\n- One change per PR, conventional commit titles\n- CI must be green before review"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(contributing),
    },
    Rule {
        id: "docs-codeowners",
        title: "Code owners assigned",
        category: Category::Docs,
        weight: 4,
        applies: Applies::ALL,
        rationale: "CODEOWNERS requests the right reviewers automatically and, with branch \
            protection, makes their approval required: no change lands unreviewed by the people \
            who know the code.",
        passes_when: "The CODEOWNERS file GitHub uses (first of .github/, root, docs/; GitLab also \
            .gitlab/) has at least one rule line: a path pattern followed by an @owner or email.",
        remediation: "Add .github/CODEOWNERS with a catch-all owner and owners for critical paths.",
        snippet: Some("# .github/CODEOWNERS\n*                 @your-org/maintainers\n/.github/          @your-org/platform\n/infra/            @your-org/platform"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(codeowners),
    },
    Rule {
        id: "docs-pr-template",
        title: "Pull-request template",
        category: Category::Docs,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A template asks every author for the same things (what, why, how tested, \
            risks), which makes reviews faster and changes traceable.",
        passes_when: "A non-empty pull_request_template (any case, .md/.txt) exists at the root, in \
            .github/ or docs/, or a PULL_REQUEST_TEMPLATE/ folder holds templates (GitLab: \
            .gitlab/merge_request_templates/).",
        remediation: "Add .github/pull_request_template.md with a summary, test notes and a checklist.",
        snippet: Some("<!-- .github/pull_request_template.md -->\n## What and why\n\n## How was it tested\n\n## Checklist\n- [ ] Tests added or updated\n- [ ] Docs updated\n- [ ] No secrets or credentials in the diff"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(pr_template),
    },
    Rule {
        id: "docs-issue-templates",
        title: "Issue templates",
        category: Category::Docs,
        weight: 2,
        applies: Applies::ALL,
        rationale: "Issue templates or forms collect versions, reproduction steps and logs up \
            front, so bugs can be triaged without a round of questions.",
        passes_when: "A .github/ISSUE_TEMPLATE/ folder holds at least one template or issue form \
            (config.yml alone does not count), or a single issue_template.md exists at the root, \
            in .github/ or docs/ (GitLab: .gitlab/issue_templates/).",
        remediation: "Add .github/ISSUE_TEMPLATE/bug_report.yml (an issue form) and a feature \
            request template.",
        snippet: Some("# .github/ISSUE_TEMPLATE/bug_report.yml\nname: Bug report\ndescription: Something does not work\nlabels: [bug]\nbody:\n  - type: textarea\n    attributes: {label: What happened and how to reproduce}\n    validations: {required: true}\n  - type: input\n    attributes: {label: Version}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(issue_templates),
    },
    Rule {
        id: "docs-architecture",
        title: "Architecture documented",
        category: Category::Docs,
        weight: 4,
        applies: Applies::ALL,
        rationale: "An architecture overview, diagrams and decision records let newcomers and \
            reviewers understand the system and why it is built this way, without archaeology.",
        passes_when: "An ARCHITECTURE document (or docs/architecture*), architecture decision \
            records (docs/adr, doc/adr, docs/decisions, …), diagram sources (*.mmd, *.puml, \
            *.drawio, *.excalidraw, *.d2, Structurizr *.dsl), a Mermaid/PlantUML block in the \
            docs, or an \"Architecture\" section with text in the README or top-level docs. Not \
            applicable to a library or CLI under 2,000 lines of code without any.",
        remediation: "Add ARCHITECTURE.md with a component diagram (Mermaid renders on GitHub) \
            and start recording decisions in docs/adr/.",
        snippet: Some("<!-- ARCHITECTURE.md -->\n# Architecture\n\n```mermaid\nflowchart LR\n  client --> api[API service]\n  api --> db[(PostgreSQL)]\n  api --> cache[(Redis)]\n```\n\n## Code map\n- `src/api/` - HTTP handlers\n- `src/services/` - business logic"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(architecture),
    },
    Rule {
        id: "docs-api",
        title: "Service API documented",
        category: Category::Docs,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Clients and other teams integrate against the API description, not the \
            code; a machine-readable contract also enables client generation and contract tests.",
        passes_when: "An OpenAPI/Swagger/AsyncAPI document, a GraphQL schema, a gRPC .proto \
            service or a Postman collection is in the repository; or a framework that generates \
            the API description is a dependency (FastAPI, springdoc, Swashbuckle, \
            @nestjs/swagger, utoipa, swag, …); or API pages or a docs site exist. Not applicable \
            when the service exposes no API (no server framework or API routes).",
        remediation: "Commit the OpenAPI document (or generate it from the code with your \
            framework's OpenAPI support) and link it from the README.",
        snippet: Some("# openapi.yaml\nopenapi: 3.1.0\ninfo: {title: My service, version: 1.0.0}\npaths:\n  /health:\n    get:\n      summary: Liveness and dependency status\n      responses:\n        '200': {description: OK}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(api_docs),
    },
    Rule {
        id: "docs-site",
        title: "Library API reference",
        category: Category::Docs,
        weight: 4,
        applies: Applies {
            profiles: &[Profile::Library],
            stacks: &[],
        },
        rationale: "Users of a library need a reference of its public API; without one they \
            read the source or guess.",
        passes_when: "A documentation site or generator is configured (MkDocs, Sphinx, Read the \
            Docs, Docusaurus, VitePress, mdBook, TypeDoc, YARD, DocFX, Storybook, …), the \
            registry publishes the reference from doc comments (docs.rs for Rust crates that are \
            not `publish = false`, pkg.go.dev for Go modules, rubydoc.info for gems, Javadoc \
            jars), or the README has an API section or links to hosted docs.",
        remediation: "Generate the API reference from doc comments (Sphinx/mkdocstrings, TypeDoc, \
            Javadoc) and publish it, or add an API section to the README.",
        snippet: Some("# mkdocs.yml\nsite_name: my-library\nplugins:\n  - search\n  - mkdocstrings\nnav:\n  - Home: index.md\n  - API reference: reference.md"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(docs_site),
    },
];

pub const SIGNALS: &[Signal] = &[Signal {
    // `FastAPI(openapi_url=None)` switches the generated schema and its /docs page off.
    id: "docs-openapi-disabled",
    files: &["**/*.py"],
    pattern: r"\bopenapi_url\s*=\s*None\s*[,)]",
    skip_tests: true,
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn readme_with_sections_passes_and_cites_the_file() {
        let r = rule(RULES, "docs-readme");
        let o = assert_pass(r, &[("README.md", "# X\n## Install\n## Usage\n## Tests\n")]);
        assert_eq!(o.evidence[0].path, "README.md");
        let o = assert_fail(r, &[("README.md", "# X\nA thing.\n")]);
        assert!(o.message.contains("setup"), "{}", o.message);
        assert_fail(r, &[("src/a.txt", "")]);
    }

    #[test]
    fn readme_commands_count_and_prose_words_do_not() {
        let r = rule(RULES, "docs-readme");
        let o = assert_pass(
            r,
            &[(
                "README.md",
                "# Tool\nIntro.\n\n```sh\nnpm ci\nnpm start\n```\n\nThen `npm test`.\n",
            )],
        );
        let test = o
            .evidence
            .iter()
            .find(|e| e.note.as_deref().is_some_and(|n| n.starts_with("tests")))
            .unwrap();
        assert_eq!(test.line, Some(9));
        // "latest", "running" and "contest" in prose are no instructions.
        let o = assert_fail(
            r,
            &[(
                "README.md",
                "# X\nThe latest release is running a contest.\nInstall it.\n",
            )],
        );
        assert!(o.message.contains("setup, usage, tests"), "{}", o.message);
        // Fixture shape: setup steps under "Run locally", pytest under "Tests".
        assert_pass(
            r,
            &[(
                "README.md",
                "# API\n\n## Run locally\n\n```bash\ndocker compose up -d\nuv sync\nuv run uvicorn app:app\n```\n\n## Tests\n\n```bash\nuv run pytest tests/unit\n```\n",
            )],
        );
    }

    /// dtolnay/anyhow's README: a library is set up by declaring it.
    #[test]
    fn a_dependency_declaration_is_a_librarys_setup() {
        for (block, line) in [
            ("```toml\n[dependencies]\nanyhow = \"1.0\"\n```\n", 4),
            (
                "```xml\n<dependency>\n  <groupId>x</groupId>\n</dependency>\n```\n",
                4,
            ),
            ("```kotlin\nimplementation(\"io.x:y:1.0\")\n```\n", 4),
            ("```sh\ncargo add anyhow\n```\n", 4),
        ] {
            let text = format!("# Lib\n\n{block}");
            let sections = readme_sections(&text);
            let setup = sections.iter().find(|(w, _, _)| *w == "setup");
            assert_eq!(setup.map(|s| s.1), Some(line), "{block}");
        }
        // Prose about dependencies is not an instruction.
        let prose = readme_sections("# Lib\n\nIt has few dependencies.\n");
        assert!(!prose.iter().any(|(w, _, _)| *w == "setup"));
    }

    /// pyparsing's README.rst shows its usage in a `.. code:: python` directive.
    #[test]
    fn restructuredtext_code_directives_are_code_with_their_language() {
        let text = "PyParsing\n=========\n\nHere is a program:\n\n.. code:: python\n\n    from pyparsing import Word\n    greet = Word(alphas)\n\nThe program outputs::\n\n    Hello\n\n.. code-block:: bash\n\n   pip install pyparsing\n   python -m pytest\nAfter the block.\n";
        let code = code_lines(text);
        let of = |n: u32| code.iter().find(|c| c.line == n).map(|c| (c.code, c.lang));
        assert_eq!(of(8), Some(("from pyparsing import Word", "python")));
        assert_eq!(of(13), Some(("Hello", "")));
        assert_eq!(of(17), Some(("pip install pyparsing", "bash")));
        assert_eq!(of(19), None);
        let sections = readme_sections(text);
        let at = |what: &str| sections.iter().find(|s| s.0 == what).map(|s| s.1);
        assert_eq!(at("usage"), Some(8));
        assert_eq!(at("setup"), Some(17));
        assert_eq!(at("tests"), Some(18));
        assert_eq!(rst_code_directive(".. image:: badge.svg"), None);
        assert_eq!(rst_code_directive(".. code::"), Some(""));
    }

    #[test]
    fn readme_test_instructions_may_live_in_contributing() {
        let r = rule(RULES, "docs-readme");
        let files = [
            ("README.md", "# Lib\n## Installation\n    pip install lib\n## Usage\n```python\nimport lib\n```\n"),
            ("CONTRIBUTING.md", "# Contributing\nRun `tox` before a PR.\n"),
        ];
        let o = assert_pass(r, &files);
        assert!(cites(&o, "CONTRIBUTING.md", 2));
        let o = assert_fail(r, &files[..1]);
        assert!(o.message.ends_with("tests"), "{}", o.message);
        // reStructuredText headings.
        assert_pass(
            r,
            &[(
                "README.rst",
                "Lib\n===\n\nInstallation\n------------\n\nUsage\n-----\n\nTesting\n-------\n",
            )],
        );
    }

    #[test]
    fn licence_in_any_community_location() {
        let r = rule(RULES, "docs-license");
        assert_pass(r, &[(".github/LICENSE.md", "MIT")]);
        assert_pass(r, &[("COPYING", "GPL")]);
        assert_pass(r, &[("LICENSE-APACHE", "Apache"), ("LICENSE-MIT", "MIT")]);
        // A licence of a vendored dependency is not the project's.
        let o = assert_fail(r, &[("README.md", "x"), ("vendor/a/LICENSE", "MIT")]);
        assert_eq!(o.evidence[0].path, "README.md");
        // A manifest naming a licence is cited, but is not the licence text.
        let o = assert_fail(
            r,
            &[("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"MIT\"\n")],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("Cargo.toml", Some(3))
        );
        assert_fail(r, &[("LICENSE", "  \n")]);
        let o = assert_pass(
            r,
            &[(
                "package.json",
                "{\n  \"private\": true,\n  \"license\": \"UNLICENSED\"\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
    }

    #[test]
    fn contributing_guide() {
        let r = rule(RULES, "docs-contributing");
        assert_pass(r, &[("docs/CONTRIBUTING.md", "x")]);
        assert_fail(r, &[("README.md", "x")]);
        let o = assert_fail(r, &[(".github/CONTRIBUTING.md", "")]);
        assert_eq!(o.evidence[0].path, ".github/CONTRIBUTING.md");
    }

    #[test]
    fn codeowners_needs_a_rule_line() {
        let r = rule(RULES, "docs-codeowners");
        let o = assert_pass(
            r,
            &[(
                ".github/CODEOWNERS",
                "# owners\n\n/infra/ @org/platform\n* @org/maintainers\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert!(o.message.contains("catch-all"), "{}", o.message);
        assert_pass(r, &[("docs/CODEOWNERS", "*.go dev@example.com\n")]);
        let o = assert_fail(r, &[("CODEOWNERS", "# TODO: add owners\n/docs/\n")]);
        assert_eq!(o.evidence[0].path, "CODEOWNERS");
        // GitHub uses the first file by precedence: an empty .github/CODEOWNERS wins.
        assert_fail(
            r,
            &[(".github/CODEOWNERS", "# none\n"), ("CODEOWNERS", "* @a\n")],
        );
        assert_fail(r, &[("README.md", "x"), ("src/CODEOWNERS", "* @a")]);
    }

    #[test]
    fn pr_template_in_any_location_and_case() {
        let r = rule(RULES, "docs-pr-template");
        let o = assert_pass(
            r,
            &[(".github/PULL_REQUEST_TEMPLATE.md", "## What\n- [ ] tests\n")],
        );
        assert_eq!(o.evidence[0].note.as_deref(), Some("1 checklist item(s)"));
        assert_pass(r, &[("docs/pull_request_template.md", "## Why")]);
        assert_pass(
            r,
            &[(".github/PULL_REQUEST_TEMPLATE/feature.md", "## Feature")],
        );
        assert_pass(
            r,
            &[(".gitlab/merge_request_templates/Default.md", "## MR")],
        );
        assert_fail(r, &[("README.md", "x")]);
        assert_fail(r, &[(".github/pull_request_template.md", "")]);
    }

    #[test]
    fn issue_templates_need_a_template_not_only_config() {
        let r = rule(RULES, "docs-issue-templates");
        let o = assert_pass(
            r,
            &[
                (".github/ISSUE_TEMPLATE/bug.yml", "name: Bug\nbody: []\n"),
                (
                    ".github/ISSUE_TEMPLATE/config.yml",
                    "blank_issues_enabled: false\n",
                ),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_pass(r, &[(".github/issue_template.md", "Steps:")]);
        let o = assert_fail(
            r,
            &[(
                ".github/ISSUE_TEMPLATE/config.yml",
                "blank_issues_enabled: false\n",
            )],
        );
        assert_eq!(o.evidence[0].path, ".github/ISSUE_TEMPLATE/config.yml");
        assert_fail(r, &[("README.md", "x")]);
    }

    #[test]
    fn architecture_docs_adrs_diagrams_and_sections() {
        let r = rule(RULES, "docs-architecture");
        assert_pass(r, &[("ARCHITECTURE.md", "# Arch")]);
        let o = assert_pass(
            r,
            &[
                ("doc/adr/0001-record-architecture-decisions.md", "# 1."),
                ("doc/adr/0002-use-postgres.md", "# 2."),
            ],
        );
        assert!(o.message.contains("2 decision record"), "{}", o.message);
        assert_pass(r, &[("docs/diagrams/system.puml", "@startuml\n@enduml")]);
        let o = assert_pass(
            r,
            &[(
                "README.md",
                "# X\n\nText\n\n```mermaid\nflowchart LR\n```\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(5));
        let o = assert_pass(
            r,
            &[(
                "README.md",
                "# X\n## Architecture\nThe API\ntalks to\nPostgres.\n## Usage\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // An empty heading, a layout list and a vendored diagram are no architecture docs.
        let svc = ("Procfile", "web: python app.py\n");
        assert_fail(
            r,
            &[
                svc,
                (
                    "README.md",
                    "# X\n## Architecture\n## Layout\n- a\n- b\n- c\n",
                ),
            ],
        );
        assert_fail(
            r,
            &[
                svc,
                ("README.md", "x"),
                ("node_modules/a/arch.mmd", "graph"),
            ],
        );
        // Source files named after architecture are code, not docs.
        assert_fail(r, &[svc, ("README.md", "x"), ("src/architecture.ts", "x")]);
        // A small library needs none; from 2,000 lines of code it does.
        let lib = ("Cargo.toml", "[package]\nname = \"x\"\n");
        let o = assert_na(r, &[lib, ("src/lib.rs", "pub fn f() {}\n")]);
        assert!(
            o.message.contains("library of 1 line of code"),
            "{}",
            o.message
        );
        let big = "pub fn f() {}\n".repeat(2_000);
        assert_fail(r, &[lib, ("src/lib.rs", &big)]);
    }

    #[test]
    fn api_docs_for_services() {
        let r = rule(RULES, "docs-api");
        let fastapi = [
            ("Dockerfile", "FROM python"),
            ("pyproject.toml", "[project]\ndescription = \"FastAPI app\"\ndependencies = [\n    \"fastapi>=0.115\",\n]\n"),
            // Split so that scanning this repository does not see a server in its tests.
            ("app/main.py", concat!("from fastapi import FastAPI\napp = FastAPI", "()\n")),
        ];
        let o = assert_pass(r, &fastapi);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("pyproject.toml", Some(4))
        );
        assert!(
            o.message.contains("auto-generated by FastAPI"),
            "{}",
            o.message
        );
        // Schema switched off: the framework no longer documents the API.
        let mut off = fastapi.to_vec();
        off[2] = (
            "app/main.py",
            concat!(
                "from fastapi import FastAPI\napp = FastAPI",
                "(openapi_url=None)\n"
            ),
        );
        let o = assert_fail(r, &off);
        assert!(o.evidence.iter().any(|e| e.path == "app/main.py"));
        // A committed spec, found by content.
        let o = assert_pass(
            r,
            &[
                ("Dockerfile", "FROM node"),
                ("package.json", "{}"),
                ("api/spec.yaml", "# spec\nopenapi: 3.1.0\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // Express without docs fails at the server; a worker without an API is N/A.
        let o = assert_fail(
            r,
            &[
                ("Dockerfile", "FROM node"),
                ("package.json", "{}"),
                (
                    "src/server.js",
                    concat!(
                        "const express = require('express')\nconst app = express",
                        "()\n"
                    ),
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, "src/server.js");
        assert_na(
            r,
            &[
                ("Dockerfile", "FROM python"),
                ("worker.py", "import time\n"),
            ],
        );
        // Libraries are not asked.
        assert_na(r, &[("Cargo.toml", "[package]"), ("src/lib.rs", "")]);
    }

    #[test]
    fn library_reference() {
        let r = rule(RULES, "docs-site");
        let o = assert_pass(
            r,
            &[
                ("pyproject.toml", "[project]\n"),
                ("mkdocs.yml", "site_name: x\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "mkdocs.yml");
        let o = assert_pass(
            r,
            &[
                ("Cargo.toml", "[package]\nname = \"x\"\n"),
                ("src/lib.rs", ""),
            ],
        );
        assert!(o.evidence[0]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("docs.rs"));
        assert_fail(
            r,
            &[
                ("Cargo.toml", "[package]\npublish = false\n"),
                ("src/lib.rs", ""),
            ],
        );
        assert_pass(
            r,
            &[
                ("package.json", "{}"),
                ("README.md", "# lib\n## API\n### fn(x)\n"),
            ],
        );
        assert_fail(
            r,
            &[("package.json", "{}"), ("README.md", "# lib\n## Usage\n")],
        );
        // One-line dependency maps.
        let o = assert_pass(
            r,
            &[(
                "package.json",
                "{\n  \"devDependencies\": { \"eslint\": \"^9\", \"typedoc\": \"^0.26\" }\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
    }
}
