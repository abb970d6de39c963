//! Release management: semantic-version tags, a changelog, automated releases, a declared
//! version and conventional commits (enforced or practised).

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{json_key_line, StackId};
use crate::history::{self, Commit};
use crate::index::IndexedFile;
use crate::model::ci;
use regex::Regex;
use std::sync::LazyLock;

/// Share of conventional subjects that counts as "practised".
const CONVENTIONAL_SHARE: f64 = 0.70;
/// Subjects looked at for the conventional-commits share.
const CONVENTIONAL_SAMPLE: usize = 100;
/// Fewer subjects than this say nothing about a convention.
const CONVENTIONAL_MIN: usize = 10;

/// Vendored and generated trees: their changelogs and manifests are someone else's.
fn own_files<'a>(ctx: &'a Context, name: &str) -> Vec<&'a IndexedFile> {
    ctx.index
        .named(name)
        .filter(|f| !f.vendored && !f.is_test)
        .collect()
}

/// Line (1-based) of the first line matching `re` in `text`.
fn line_of(text: &str, re: &Regex) -> Option<u32> {
    text.lines()
        .position(|l| re.is_match(l))
        .map(|i| i as u32 + 1)
}

// ---------------------------------------------------------------------------------------
// Changelog

/// Is this file name a changelog / release-notes document?
fn is_changelog_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), e.to_string()),
        None => (lower.clone(), String::new()),
    };
    if !matches!(
        ext.as_str(),
        "" | "md" | "markdown" | "rst" | "txt" | "adoc"
    ) {
        return false;
    }
    matches!(
        stem.as_str(),
        "changelog"
            | "changes"
            | "history"
            | "news"
            | "releases"
            | "release-notes"
            | "release_notes"
            | "releasenotes"
    )
}

/// Changelog files: at the root, in docs/, or in monorepo packages (never vendored).
fn changelog_files<'a>(ctx: &'a Context) -> Vec<&'a IndexedFile> {
    let mut out: Vec<&IndexedFile> = ctx
        .index
        .text_files()
        .filter(|f| f.size > 0 && !f.vendored && !f.is_test)
        .filter(|f| {
            let name = f.name();
            let lower = name.to_ascii_lowercase();
            let root = !f.path.contains('/');
            let in_docs = f.path.starts_with("docs/") || f.path.starts_with("doc/");
            (is_changelog_name(name) && (root || in_docs || lower.starts_with("changelog")))
                || (in_docs && lower.starts_with("changelog"))
        })
        .collect();
    // Root files first: they are what users open.
    out.sort_by_key(|f| (f.path.contains('/'), f.path.clone()));
    out
}

/// Tools and configuration that generate a changelog or release notes.
const CHANGELOG_GENERATORS: &[(&str, &str)] = &[
    (
        "release-please-config.json",
        "release-please writes CHANGELOG.md",
    ),
    (
        ".release-please-manifest.json",
        "release-please writes CHANGELOG.md",
    ),
    (".changeset/config.json", "changesets write CHANGELOG.md"),
    ("cliff.toml", "git-cliff generates the changelog"),
    (
        "towncrier.toml",
        "towncrier builds the changelog from fragments",
    ),
    (".github/release.yml", "GitHub generates release notes"),
    (".github/release.yaml", "GitHub generates release notes"),
    (
        ".github/release-drafter.yml",
        "release-drafter drafts release notes",
    ),
    (
        ".github/release-drafter.yaml",
        "release-drafter drafts release notes",
    ),
    (".releaserc", "semantic-release writes release notes"),
    (".releaserc.json", "semantic-release writes release notes"),
    (".releaserc.yaml", "semantic-release writes release notes"),
    (".releaserc.yml", "semantic-release writes release notes"),
    (".releaserc.js", "semantic-release writes release notes"),
    (".releaserc.cjs", "semantic-release writes release notes"),
    (".releaserc.mjs", "semantic-release writes release notes"),
    ("release.config.js", "semantic-release writes release notes"),
    (
        "release.config.cjs",
        "semantic-release writes release notes",
    ),
    (
        "release.config.mjs",
        "semantic-release writes release notes",
    ),
    (".goreleaser.yml", "GoReleaser writes release notes"),
    (".goreleaser.yaml", "GoReleaser writes release notes"),
    ("release-plz.toml", "release-plz updates CHANGELOG.md"),
    (".release-plz.toml", "release-plz updates CHANGELOG.md"),
];

fn changelog(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = changelog_files(ctx)
        .iter()
        .take(5)
        .map(|f| Evidence::file(f.path.clone()))
        .collect();
    for (path, note) in CHANGELOG_GENERATORS {
        if ctx.index.exists(path) {
            found.push(Evidence::file(*path).note(*note));
        }
    }
    for dir in ["changelog.d", "newsfragments"] {
        if let Some(f) = ctx.index.under(dir).first() {
            found.push(Evidence::file(f.path.clone()).note("changelog fragments"));
        }
    }
    static TOWNCRIER: LazyLock<Regex> =
        LazyLock::new(|| crate::pattern::regex(r"^\s*\[tool\.towncrier\]").expect("static regex"));
    if let Some(line) = ctx
        .index
        .text("pyproject.toml")
        .and_then(|t| line_of(t, &TOWNCRIER))
    {
        found.push(Evidence::at("pyproject.toml", line).note("towncrier builds the changelog"));
    }
    Outcome::present(
        found,
        "a changelog (or a tool that generates one) is present",
        "no CHANGELOG: users cannot see what changed between versions",
        ctx.index
            .repo_anchor()
            .map(|e| e.note("no CHANGELOG.md, HISTORY.md, RELEASES.md or changelog generator")),
    )
}

// ---------------------------------------------------------------------------------------
// Release automation

/// Release tooling and package publishing in CI configuration (any provider), comment
/// lines excluded.
static CI_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"(?i)(semantic-release|release-please|changesets/action|changeset publish|goreleaser|softprops/action-gh-release|\bgh release create\b|ncipollo/release-action|actions/create-release|release-drafter/release-drafter|release-plz|\bcargo[- ]release\b|\brelease-it\b|\bjreleaser\b|\$\{?CI_COMMIT_TAG\b|\brelease-cli\b|github-tag-action|maven-release-plugin|\bmvn\b.*\brelease:(prepare|perform)\b|standard-version|commit-and-tag-version|\bcz bump\b|\b(npm|yarn|pnpm) publish\b|\bcargo publish\b|\btwine upload\b|gh-action-pypi-publish|\b(poetry|uv|flit|hatch) publish\b|\bgem push\b|\bnuget push\b|\bmvn\b.*\bdeploy\b|\bgradlew? .*\bpublish)",
    )
    .expect("static regex")
});

/// Release configuration files by exact path, with what they show.
const RELEASE_CONFIGS: &[(&str, &str)] = &[
    (".releaserc", "semantic-release"),
    (".releaserc.json", "semantic-release"),
    (".releaserc.yaml", "semantic-release"),
    (".releaserc.yml", "semantic-release"),
    (".releaserc.js", "semantic-release"),
    (".releaserc.cjs", "semantic-release"),
    (".releaserc.mjs", "semantic-release"),
    ("release.config.js", "semantic-release"),
    ("release.config.cjs", "semantic-release"),
    ("release.config.mjs", "semantic-release"),
    ("release.config.ts", "semantic-release"),
    (".release-it.json", "release-it"),
    (".release-it.yaml", "release-it"),
    (".release-it.yml", "release-it"),
    (".release-it.toml", "release-it"),
    (".release-it.js", "release-it"),
    (".release-it.cjs", "release-it"),
    (".release-it.ts", "release-it"),
    ("release-please-config.json", "release-please"),
    (".release-please-manifest.json", "release-please"),
    (".changeset/config.json", "changesets"),
    (".goreleaser.yml", "GoReleaser"),
    (".goreleaser.yaml", "GoReleaser"),
    ("goreleaser.yml", "GoReleaser"),
    ("goreleaser.yaml", "GoReleaser"),
    ("release-plz.toml", "release-plz"),
    (".release-plz.toml", "release-plz"),
    ("jreleaser.yml", "JReleaser"),
    ("jreleaser.yaml", "JReleaser"),
];

/// package.json: a `"release": {…}` configuration object (semantic-release), a `"release-it"`
/// key, or release tooling among the dependencies.
static PKG_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#"^\s*"(release"\s*:\s*\{|release-it"\s*:|(semantic-release|release-it|@changesets/cli|release-please|standard-version|commit-and-tag-version)"\s*:\s*")"#)
        .expect("static regex")
});

/// Every piece of release automation, as evidence.
fn release_automation_evidence(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (path, what) in RELEASE_CONFIGS {
        if ctx.index.exists(path) {
            out.push(Evidence::file(*path).note(format!("{what} configuration")));
        }
    }
    // cargo-release's release.toml only means that next to a Cargo manifest.
    if ctx.index.exists("release.toml") && ctx.has_stack(StackId::Rust) {
        out.push(Evidence::file("release.toml").note("cargo-release configuration"));
    }
    for f in own_files(ctx, "package.json") {
        if let Some(text) = f.text() {
            for (i, l) in text.lines().enumerate() {
                if PKG_RELEASE.is_match(l) {
                    out.push(Evidence::at(f.path.clone(), i as u32 + 1).note(ci::shorten(l)));
                }
            }
        }
    }
    static PY_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r"^\s*\[tool\.(semantic_release|release-please)\b")
            .expect("static regex")
    });
    if let Some(line) = ctx
        .index
        .text("pyproject.toml")
        .and_then(|t| line_of(t, &PY_RELEASE))
    {
        out.push(Evidence::at("pyproject.toml", line).note("python-semantic-release"));
    }
    static JVM_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r"maven-release-plugin|jreleaser|axion-release|net\.researchgate\.release|nebula\.release")
            .expect("static regex")
    });
    for name in ["pom.xml", "build.gradle", "build.gradle.kts"] {
        for f in own_files(ctx, name) {
            if let Some(line) = f.text().and_then(|t| line_of(t, &JVM_RELEASE)) {
                out.push(Evidence::at(f.path.clone(), line).note("release plugin"));
            }
        }
    }
    out.extend(tag_triggered_workflows(ctx));
    out.extend(ci::grep(ctx.index, &CI_RELEASE));
    out
}

/// What a release workflow does to ship: publish packages, attach assets, push images.
static SHIPS: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"(?i)\bgh release upload\b|upload-release-asset|svenstaro/upload-release-action|softprops/action-gh-release|goreleaser|docker/build-push-action|\b(?:docker|podman) push\b|\b(?:npm|yarn|pnpm) publish\b|\bcargo publish\b|\btwine upload\b|gh-action-pypi-publish|\b(?:poetry|uv|flit|hatch) publish\b|\bgem push\b|\bnuget push\b|\bmvn\b.*\bdeploy\b|\bgradlew? .*\bpublish",
    )
    .expect("static regex")
});

/// GitHub workflows run by pushing a tag, or by publishing a release when they ship artefacts.
fn tag_triggered_workflows(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for w in ctx.index.workflows() {
        for t in &w.triggers {
            match t.event.as_str() {
                "push" => {
                    if let Some(line) = t.config.as_ref().and_then(|c| c.key_line("tags")) {
                        out.push(Evidence::at(w.path.clone(), line).note("runs on pushed tags"));
                    }
                }
                // A workflow run by a release someone published automates the release only
                // when it ships something (a deploy or a notification does not).
                "release" if ctx.index.text(&w.path).is_some_and(|t| SHIPS.is_match(t)) => {
                    out.push(
                        Evidence::at(w.path.clone(), t.line)
                            .note("runs on published releases and ships artefacts"),
                    );
                }
                _ => {}
            }
        }
    }
    out
}

/// The release workflow: the first CI file that automates releases.
fn release_workflow(ctx: &Context) -> Option<Evidence> {
    let mut ev = tag_triggered_workflows(ctx);
    ev.extend(ci::grep(ctx.index, &CI_RELEASE));
    ev.into_iter()
        .min_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)))
        .map(|e| Evidence::file(e.path))
}

/// Where a finding computed from git history is anchored (SARIF needs a file of the repo):
/// the changelog, else the release workflow, else the repository anchor.
pub(crate) fn history_anchor(ctx: &Context) -> Option<Evidence> {
    changelog_files(ctx)
        .first()
        .map(|f| Evidence::file(f.path.clone()))
        .or_else(|| release_workflow(ctx))
        .or_else(|| ctx.index.repo_anchor())
}

/// A short name for a piece of release automation, from its evidence note.
fn automation_kind(note: &str) -> String {
    static PKG_TOOL: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r"semantic-release|release-it|@changesets/cli|release-please|standard-version|commit-and-tag-version")
            .expect("static regex")
    });
    if let Some(m) = CI_RELEASE.find(note).or_else(|| PKG_TOOL.find(note)) {
        return ci::shorten(m.as_str()).chars().take(40).collect();
    }
    if note.trim_start().starts_with("\"release\"") {
        return "semantic-release".into();
    }
    note.trim_end_matches(" configuration").to_string()
}

fn release_automation(ctx: &Context) -> Outcome {
    let found = release_automation_evidence(ctx);
    let mut kinds: Vec<String> = found
        .iter()
        .filter_map(|e| e.note.as_deref())
        .map(automation_kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds.truncate(4);
    Outcome::present(
        found,
        format!("releases are automated ({})", kinds.join("; ")),
        "no release automation: versions, tags and release notes are made by hand",
        ci::anchor(ctx.index).map(|e| {
            e.note("no semantic-release, release-please, changesets, GoReleaser or tag-triggered workflow")
        }),
    )
}

// ---------------------------------------------------------------------------------------
// Semantic-version tags

fn semver_tags(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if !h.available() {
        return Outcome::na(format!(
            "git history is not available: {}",
            h.unavailable_reason()
        ));
    }
    let tags = h.semver_tags();
    let anchor = history_anchor(ctx);
    let Some(latest) = tags.last() else {
        if h.is_shallow() && h.tags().is_empty() {
            return Outcome::na(format!(
                "no tags in this checkout; {} (and `fetch-tags: true`)",
                history::SHALLOW_HINT
            ));
        }
        if h.tags().is_empty() {
            return Outcome::fail(
                "no git tags: releases are not marked in the history",
                anchor.map(|e| e.note("no git tags")).into_iter().collect(),
            );
        }
        let mut names: Vec<&str> = h.tags().iter().map(|t| t.name.as_str()).collect();
        names.sort();
        names.truncate(3);
        let names: Vec<String> = names.iter().map(|n| ci::shorten(n)).collect();
        return Outcome::fail(
            format!(
                "{} tag(s), none named as a semantic version (e.g. {})",
                h.tags().len(),
                names.join(", ")
            ),
            anchor
                .map(|e| e.note("no vMAJOR.MINOR.PATCH tag"))
                .into_iter()
                .collect(),
        );
    };
    let age = (h.now() - latest.time).max(0) / history::DAY;
    let note = format!(
        "{} semantic-version tag(s); latest {} ({age} days ago)",
        tags.len(),
        ci::shorten(&latest.name)
    );
    Outcome::pass(
        note.clone(),
        anchor.map(|e| e.note(note)).into_iter().collect(),
    )
}

// ---------------------------------------------------------------------------------------
// Declared version

/// TOML-ish scan: `(section, key, value, line)` for each `key = value` line.
fn toml_entries(text: &str) -> Vec<(String, String, String, u32)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            section = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            continue;
        }
        if let Some((k, v)) = l.split_once('=') {
            out.push((
                section.clone(),
                k.trim().to_string(),
                v.trim().to_string(),
                i as u32 + 1,
            ));
        }
    }
    out
}

fn python_version(f: &IndexedFile, text: &str) -> Option<Evidence> {
    let name = f.name();
    if name == "pyproject.toml" {
        let mut in_dynamic = false;
        let mut section = String::new();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim();
            let line = i as u32 + 1;
            if l.starts_with('[') {
                section = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
                in_dynamic = false;
                if matches!(
                    section.as_str(),
                    "tool.setuptools_scm"
                        | "tool.hatch.version"
                        | "tool.pdm.version"
                        | "tool.poetry-dynamic-versioning"
                ) {
                    return Some(
                        Evidence::at(f.path.clone(), line).note("version derived from git tags"),
                    );
                }
                continue;
            }
            let key = l.split('=').next().unwrap_or("").trim();
            if matches!(section.as_str(), "project" | "tool.poetry") && key == "version" {
                return Some(Evidence::at(f.path.clone(), line).note(ci::shorten(l)));
            }
            if section == "project" && key == "dynamic" {
                in_dynamic = true;
            }
            if in_dynamic && (l.contains("\"version\"") || l.contains("'version'")) {
                return Some(Evidence::at(f.path.clone(), line).note("dynamic version"));
            }
            if in_dynamic && l.contains(']') {
                in_dynamic = false;
            }
        }
        return None;
    }
    if name == "setup.cfg" {
        return toml_entries(text)
            .into_iter()
            .find(|(s, k, _, _)| s == "metadata" && k == "version")
            .map(|(_, _, v, line)| {
                Evidence::at(f.path.clone(), line).note(format!("version = {}", ci::shorten(&v)))
            });
    }
    static SETUP_PY: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::regex(r"\bversion\s*=|use_scm_version").expect("static regex")
    });
    line_of(text, &SETUP_PY).map(|line| Evidence::at(f.path.clone(), line).note("setup() version"))
}

fn cargo_version(f: &IndexedFile, text: &str) -> Option<Evidence> {
    toml_entries(text)
        .into_iter()
        .find(|(s, k, _, _)| {
            (s == "package" && (k == "version" || k == "version.workspace"))
                || (s == "workspace.package" && k == "version")
        })
        .map(|(_, k, v, line)| {
            Evidence::at(f.path.clone(), line).note(format!("{k} = {}", ci::shorten(&v)))
        })
}

/// The project's own `<version>` in a pom: not the parent's, a dependency's or a plugin's.
fn pom_version(f: &IndexedFile, text: &str) -> Option<Evidence> {
    let mut in_parent = false;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with("<parent>") {
            in_parent = true;
        }
        if l.contains("</parent>") {
            in_parent = false;
            continue;
        }
        if !in_parent && l.starts_with("<version>") {
            return Some(Evidence::at(f.path.clone(), i as u32 + 1).note(ci::shorten(l)));
        }
        if [
            "<dependencies>",
            "<dependencyManagement>",
            "<build>",
            "<profiles>",
            "<modules>",
        ]
        .iter()
        .any(|t| l.starts_with(t))
        {
            return None;
        }
    }
    None
}

fn first_match(ctx: &Context, files: &[&IndexedFile], re: &Regex, note: &str) -> Option<Evidence> {
    let _ = ctx;
    files.iter().find_map(|f| {
        f.text()
            .and_then(|t| line_of(t, re))
            .map(|line| Evidence::at(f.path.clone(), line).note(note.to_string()))
    })
}

/// Rails apps (no gemspec) keep their version in `lib/<app>/version.rb`: a `VERSION = "x.y.z"`
/// constant, or `major`/`minor`/`patch` methods (mastodon's `Mastodon::Version`). Source text
/// is not kept by the index, so both are signals.
fn ruby_version_files(ctx: &Context) -> Vec<Evidence> {
    let index = ctx.index;
    let mut out: Vec<Evidence> = Vec::new();
    let constant = index.signal("release-ruby-version-constant");
    let methods = index.signal("release-ruby-version-methods");
    for (hits, min, note) in [
        (constant, 1, "Ruby VERSION constant"),
        (methods, 2, "Ruby version module (major/minor/patch)"),
    ] {
        for h in hits.iter().filter(|h| h.count >= min) {
            let path = index.hit_path(h);
            if crate::index::is_vendored(path) || out.iter().any(|e| e.path == path) {
                continue;
            }
            out.push(Evidence::at(path.to_string(), h.line).note(note));
        }
    }
    out
}

/// Where each non-Go stack declares its version; the manifests looked at, for the anchor.
fn declared_versions(ctx: &Context) -> (Vec<Evidence>, Vec<Evidence>) {
    let mut found = Vec::new();
    let mut manifests = Vec::new();
    let stacks: Vec<StackId> = ctx.stacks.iter().map(|s| s.id).collect();
    for id in stacks {
        match id {
            StackId::Node => {
                for f in own_files(ctx, "package.json") {
                    manifests.push(Evidence::file(f.path.clone()));
                    let Some(text) = f.text() else { continue };
                    let has = ctx
                        .index
                        .json(&f.path)
                        .and_then(|v| {
                            v.get("version")
                                .and_then(|v| v.as_str())
                                .map(|s| !s.trim().is_empty())
                        })
                        .unwrap_or(false);
                    if has {
                        let line = json_key_line(text, "version").unwrap_or(1);
                        found.push(Evidence::at(f.path.clone(), line).note("\"version\""));
                    }
                }
            }
            StackId::Python => {
                for name in ["pyproject.toml", "setup.cfg", "setup.py"] {
                    for f in own_files(ctx, name) {
                        manifests.push(Evidence::file(f.path.clone()));
                        if let Some(e) = f.text().and_then(|t| python_version(f, t)) {
                            found.push(e);
                        }
                    }
                }
            }
            StackId::Rust => {
                for f in own_files(ctx, "Cargo.toml") {
                    manifests.push(Evidence::file(f.path.clone()));
                    if let Some(e) = f.text().and_then(|t| cargo_version(f, t)) {
                        found.push(e);
                    }
                }
            }
            StackId::Java => {
                for f in own_files(ctx, "pom.xml") {
                    manifests.push(Evidence::file(f.path.clone()));
                    if let Some(e) = f.text().and_then(|t| pom_version(f, t)) {
                        found.push(e);
                    }
                }
                static GRADLE: LazyLock<Regex> = LazyLock::new(|| {
                    crate::pattern::regex(r#"^\s*version\s*(=\s*)?["']"#).expect("static regex")
                });
                static GRADLE_PROPS: LazyLock<Regex> = LazyLock::new(|| {
                    crate::pattern::regex(r"^\s*version\s*[=:]").expect("static regex")
                });
                let mut gradle = own_files(ctx, "build.gradle");
                gradle.extend(own_files(ctx, "build.gradle.kts"));
                manifests.extend(gradle.iter().map(|f| Evidence::file(f.path.clone())));
                found.extend(first_match(ctx, &gradle, &GRADLE, "Gradle version"));
                let props = own_files(ctx, "gradle.properties");
                found.extend(first_match(ctx, &props, &GRADLE_PROPS, "Gradle version"));
            }
            StackId::Ruby => {
                static GEMSPEC: LazyLock<Regex> = LazyLock::new(|| {
                    crate::pattern::regex(r"\.version\s*=").expect("static regex")
                });
                let specs: Vec<&IndexedFile> = ctx
                    .index
                    .with_ext("gemspec")
                    .filter(|f| f.name().ends_with(".gemspec") && !f.vendored)
                    .collect();
                manifests.extend(specs.iter().map(|f| Evidence::file(f.path.clone())));
                manifests.extend(
                    own_files(ctx, "Gemfile")
                        .iter()
                        .map(|f| Evidence::file(f.path.clone())),
                );
                found.extend(first_match(ctx, &specs, &GEMSPEC, "gemspec version"));
                found.extend(ruby_version_files(ctx));
            }
            StackId::Dotnet => {
                static MSBUILD: LazyLock<Regex> = LazyLock::new(|| {
                    crate::pattern::regex(
                        r"<(Version|VersionPrefix|PackageVersion)>|Include=.MinVer.",
                    )
                    .expect("static regex")
                });
                let projects: Vec<&IndexedFile> = ctx
                    .index
                    .text_files()
                    .filter(|f| {
                        !f.vendored
                            && (matches!(f.ext(), "csproj" | "fsproj" | "vbproj")
                                || f.name() == "Directory.Build.props")
                    })
                    .collect();
                manifests.extend(projects.iter().map(|f| Evidence::file(f.path.clone())));
                found.extend(first_match(ctx, &projects, &MSBUILD, "MSBuild version"));
                for p in ["GitVersion.yml", "GitVersion.yaml"] {
                    if ctx.index.exists(p) {
                        found.push(
                            Evidence::file(p).note("GitVersion derives the version from git"),
                        );
                    }
                }
            }
            StackId::Go => {}
        }
    }
    for p in ["VERSION", "version.txt", "VERSION.txt"] {
        if ctx.index.file(p).is_some_and(|f| f.size > 0) {
            found.push(Evidence::file(p).note("version file"));
        }
    }
    (found, manifests)
}

fn version_declared(ctx: &Context) -> Outcome {
    let non_go = ctx.stacks.iter().any(|s| s.id != StackId::Go);
    if ctx.stacks.is_empty() {
        return Outcome::na("no package manifest: nothing declares a version");
    }
    if !non_go {
        return Outcome::na(
            "Go modules take their version from git tags (see release-semver-tags)",
        );
    }
    let (found, manifests) = declared_versions(ctx);
    let anchor = manifests
        .into_iter()
        .next()
        .or_else(|| ctx.index.repo_anchor())
        .map(|e| e.note("no version declared here"));
    Outcome::present(
        found,
        "the version is declared in the manifest",
        "no version declared: builds and artifacts cannot say which release they are",
        anchor,
    )
}

// ---------------------------------------------------------------------------------------
// Conventional commits

const COMMITLINT_CONFIGS: &[&str] = &[
    ".commitlintrc",
    ".commitlintrc.json",
    ".commitlintrc.yaml",
    ".commitlintrc.yml",
    ".commitlintrc.js",
    ".commitlintrc.cjs",
    ".commitlintrc.mjs",
    ".commitlintrc.ts",
    ".commitlintrc.cts",
    ".commitlintrc.mts",
    "commitlint.config.js",
    "commitlint.config.cjs",
    "commitlint.config.mjs",
    "commitlint.config.ts",
    "commitlint.config.cts",
    "commitlint.config.mts",
];

/// Commit-message checks in hooks, pre-commit and CI.
static COMMIT_LINT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"(?i)(commitlint|conventional-pre-commit|amannn/action-semantic-pull-request|ytanikin/pr-conventional-commits|namchee/conventional-pr|webiny/action-conventional-commits|\bcz check\b|id:\s*commitizen\b)")
        .expect("static regex")
});

/// Files and lines that enforce conventional commit messages.
fn conventional_enforcement(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for p in COMMITLINT_CONFIGS {
        if ctx.index.exists(p) {
            out.push(Evidence::file(*p).note("commitlint configuration"));
        }
    }
    if let Some(text) = ctx.index.text("package.json") {
        if let Some(line) = json_key_line(text, "commitlint") {
            out.push(Evidence::at("package.json", line).note("commitlint configuration"));
        }
    }
    for hook in [
        ".husky/commit-msg",
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        "lefthook.yml",
        "lefthook.yaml",
        ".lefthook.yml",
        ".lefthook.yaml",
        ".githooks/commit-msg",
    ] {
        if let Some(line) = ctx.index.text(hook).and_then(|t| {
            t.lines()
                .position(|l| !l.trim_start().starts_with('#') && COMMIT_LINT.is_match(l))
                .map(|i| i as u32 + 1)
        }) {
            out.push(Evidence::at(hook, line).note("commit-msg check"));
        }
    }
    out.extend(ci::grep(ctx.index, &COMMIT_LINT));
    out
}

/// The last [`CONVENTIONAL_SAMPLE`] human, non-merge subjects commitlint would check:
/// (conforming, looked at).
fn conventional_share(commits: &[Commit]) -> (usize, usize) {
    let sample: Vec<&Commit> = commits
        .iter()
        .filter(|c| !c.is_bot() && !c.is_commitlint_ignored())
        .take(CONVENTIONAL_SAMPLE)
        .collect();
    (
        sample.iter().filter(|c| c.is_conventional()).count(),
        sample.len(),
    )
}

fn conventional_commits(ctx: &Context) -> Outcome {
    let enforced = conventional_enforcement(ctx);
    let h = ctx.history;
    let (ok, n) = if h.available() {
        conventional_share(h.commits())
    } else {
        (0, 0)
    };
    let share = (n >= CONVENTIONAL_MIN).then(|| ok as f64 / n as f64);
    let share_text = |s: f64| {
        format!(
            "{:.0} % of the last {n} commit subjects follow Conventional Commits",
            s * 100.0
        )
    };
    if !enforced.is_empty() {
        let msg = match share {
            Some(s) => format!("conventional commits are enforced; {}", share_text(s)),
            None => "conventional commits are enforced".to_string(),
        };
        return Outcome::pass(msg, enforced);
    }
    let Some(s) = share else {
        let why = if !h.available() {
            h.unavailable_reason()
        } else if h.is_shallow() {
            history::SHALLOW_HINT.to_string()
        } else {
            format!("only {n} commit subject(s) to judge")
        };
        return Outcome::na(format!(
            "nothing enforces conventional commits and the history cannot tell: {why}"
        ));
    };
    let anchor = ctx
        .index
        .first_existing(&[
            "CONTRIBUTING.md",
            ".github/CONTRIBUTING.md",
            "docs/CONTRIBUTING.md",
        ])
        .or_else(|| ctx.index.repo_anchor());
    if s >= CONVENTIONAL_SHARE {
        Outcome::pass(
            format!("{} (practised, not enforced)", share_text(s)),
            anchor.map(|e| e.note(share_text(s))).into_iter().collect(),
        )
    } else {
        Outcome::fail(
            format!(
                "{}; at least {:.0} % are needed, and nothing (commitlint, a commit-msg hook, a PR-title check) enforces it",
                share_text(s),
                CONVENTIONAL_SHARE * 100.0
            ),
            anchor.map(|e| e.note(share_text(s))).into_iter().collect(),
        )
    }
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "release-semver-tags",
        title: "Releases are tagged with semantic versions",
        category: Category::Release,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A vMAJOR.MINOR.PATCH tag marks exactly which commit was released and tells \
            users whether an upgrade can break them; rollbacks, changelogs and dependency tools \
            all key on it.",
        passes_when: "The git history has at least one tag named like a semantic version \
            (`v1.2.3`, `1.2.3`, `pkg@1.2.3`, `api-v1.2.3`). N/A when no git history is available \
            (or a shallow clone fetched no tags).",
        remediation: "Tag each release with its semantic version (better: let release tooling do \
            it) and push the tag.",
        snippet: Some("# shell: tag and push a release\ngit tag -a v1.4.0 -m \"v1.4.0\"\ngit push origin v1.4.0"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(semver_tags),
    },
    Rule {
        id: "release-changelog",
        title: "Changelog maintained",
        category: Category::Release,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A changelog tells users and operators what changed in each version, which \
            is what they need to decide on an upgrade or to find the release that broke something.",
        passes_when: "A non-empty CHANGELOG / CHANGES / HISTORY / NEWS / RELEASES file exists at \
            the root, in docs/ or in a package, or a tool that generates one is configured \
            (release-please, changesets, semantic-release, git-cliff, towncrier, GoReleaser, \
            release-plz, GitHub's .github/release.yml, release-drafter).",
        remediation: "Add CHANGELOG.md in the Keep a Changelog format, or generate it from \
            conventional commits with release-please or git-cliff.",
        snippet: Some("# CHANGELOG.md\n# Changelog\n\n## [Unreleased]\n\n## [1.4.0] - 2025-01-31\n### Added\n- Export to CSV\n### Fixed\n- Timeout on large uploads"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(changelog),
    },
    Rule {
        id: "release-automation",
        title: "Releases are automated",
        category: Category::Release,
        weight: 6,
        applies: Applies::ALL,
        rationale: "Hand-made releases skip steps: the tag, the notes or the published artifact \
            drift apart. Automated releases are repeatable, so releasing often stays cheap.",
        passes_when: "Release tooling is configured (semantic-release, release-please, changesets, \
            release-it, GoReleaser, cargo-release, release-plz, python-semantic-release, JReleaser, \
            Maven/Gradle release plugins) or CI releases (a workflow triggered by pushed tags or \
            published releases, `gh release create`, softprops/action-gh-release, GitLab \
            `$CI_COMMIT_TAG` jobs, a package publish step such as `npm publish`, `cargo publish` \
            or pypa/gh-action-pypi-publish, …).",
        remediation: "Let a tool cut releases: release-please or semantic-release from \
            conventional commits, or a workflow that builds and publishes on every pushed tag.",
        snippet: Some("# .github/workflows/release.yml\nname: release\non:\n  push:\n    tags: [\"v*.*.*\"]\npermissions:\n  contents: write\njobs:\n  release:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n      - run: gh release create \"$GITHUB_REF_NAME\" --generate-notes\n        env:\n          GH_TOKEN: ${{ github.token }}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(release_automation),
    },
    Rule {
        id: "release-version-declared",
        title: "Version declared in the manifest",
        category: Category::Release,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A version in the manifest (or derived from tags by the build) lets artifacts, \
            logs and error reports say which release they come from.",
        passes_when: "A manifest declares the version: package.json `version`, pyproject \
            `version` or a dynamic version (setuptools_scm, hatch-vcs), Cargo.toml `version`, \
            the project's `<version>` in pom.xml, Gradle `version`, a gemspec version, MSBuild \
            `<Version>`/MinVer/GitVersion, or a VERSION file. N/A for Go-only repositories \
            (Go versions are git tags) and when there is no manifest.",
        remediation: "Declare the version in the manifest, or derive it from git tags at build \
            time (setuptools_scm, MinVer) so artifacts carry it.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// package.json\n{\n  \"name\": \"my-service\",\n  \"version\": \"1.4.0\"\n}"),
            (StackId::Python, "# pyproject.toml\n[project]\nname = \"my-service\"\nversion = \"1.4.0\""),
            (StackId::Rust, "# Cargo.toml\n[package]\nname = \"my-service\"\nversion = \"1.4.0\""),
            (StackId::Java, "<!-- pom.xml -->\n<groupId>com.example</groupId>\n<artifactId>my-service</artifactId>\n<version>1.4.0</version>"),
            (StackId::Ruby, "# my_gem.gemspec\nGem::Specification.new do |spec|\n  spec.name = \"my_gem\"\n  spec.version = \"1.4.0\"\nend"),
            (StackId::Dotnet, "<!-- Directory.Build.props (or the .csproj) -->\n<Project>\n  <PropertyGroup>\n    <Version>1.4.0</Version>\n  </PropertyGroup>\n</Project>"),
        ],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(version_declared),
    },
    Rule {
        id: "release-conventional-commits",
        title: "Conventional commits",
        category: Category::Release,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Structured commit subjects (`feat:`, `fix:`, `feat!:`) make history \
            searchable and let tools compute the next version and write the changelog.",
        passes_when: "Conventional commits are enforced (commitlint configuration, a commit-msg \
            hook, a pull-request title check in CI), or practised: at least 70 % of the last 100 \
            non-merge, non-bot commit subjects match `type(scope)!: subject` with a \
            config-conventional type. N/A when nothing enforces them and the history is not \
            available or too short.",
        remediation: "Adopt Conventional Commits and enforce them: commitlint in a commit-msg \
            hook, and a check of pull-request titles when you squash-merge.",
        snippet: Some("# .github/workflows/pr-title.yml\nname: pr-title\non:\n  pull_request_target:\n    types: [opened, edited, synchronize]\npermissions:\n  pull-requests: read\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: amannn/action-semantic-pull-request@0723387faaf9b38adef4775cd42cfd5155ed6017 # v5.5.3\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(conventional_commits),
    },
];

pub const SIGNALS: &[Signal] = &[
    Signal {
        id: "release-ruby-version-constant",
        files: &["lib/**/version.rb"],
        pattern: r"^[ \t]*VERSION\s*=\s*\S",
        skip_tests: true,
    },
    // `def major` and `def minor` (the rule asks for both: two hits).
    Signal {
        id: "release-ruby-version-methods",
        files: &["lib/**/version.rb"],
        pattern: r"^[ \t]*def\s+(?:self\.)?(?:major|minor)\b",
        skip_tests: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testrepo::Repo;
    use crate::history::History;
    use crate::rules::testkit::*;
    use crate::rules::Status;

    fn with_history(id: &str, files: &[(&str, &str)], h: &History) -> Outcome {
        run_with_history(rule(RULES, id), files, h)
    }

    #[test]
    fn semver_tags_pass_fail_and_na() {
        let files = [("README.md", "# x"), ("CHANGELOG.md", "# Changelog\n")];
        let r = Repo::new();
        r.commit(30.0, "feat: a");
        r.tag("v1.0.0", 29.0);
        r.commit(10.0, "fix: b");
        r.tag("v1.0.1", 9.0);
        let o = with_history("release-semver-tags", &files, &r.load());
        assert_eq!(o.status, Status::Pass, "{o:?}");
        assert!(
            o.message
                .contains("2 semantic-version tag(s); latest v1.0.1 (9 days ago)"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence[0].path, "CHANGELOG.md");

        let r = Repo::new();
        r.commit(3.0, "a");
        r.lightweight_tag("nightly-2024");
        let o = with_history("release-semver-tags", &files, &r.load());
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("nightly-2024"), "{}", o.message);

        let r = Repo::new();
        r.commit(3.0, "a");
        let o = with_history("release-semver-tags", &[("README.md", "x")], &r.load());
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.evidence[0].path, "README.md");

        let o = with_history("release-semver-tags", &files, &History::default());
        assert_eq!(o.status, Status::Na);
    }

    #[test]
    fn changelog_files_and_generators() {
        let r = rule(RULES, "release-changelog");
        assert_pass(r, &[("CHANGELOG.md", "# Changelog\n")]);
        assert_pass(r, &[("docs/changelog.rst", "x")]);
        assert_pass(
            r,
            &[("packages/a/CHANGELOG.md", "x"), ("package.json", "{}")],
        );
        let o = assert_pass(
            r,
            &[("release-please-config.json", "{}"), ("README.md", "x")],
        );
        assert_eq!(o.evidence[0].path, "release-please-config.json");
        // Empty files, vendored changelogs and look-alikes do not count.
        let o = assert_fail(
            r,
            &[
                ("README.md", "x"),
                ("CHANGELOG.md", ""),
                ("node_modules/a/CHANGELOG.md", "x"),
                ("src/history.py", "x"),
            ],
        );
        assert_eq!(o.evidence[0].path, "README.md");
    }

    #[test]
    fn release_automation_detects_tools_and_tag_workflows() {
        let r = rule(RULES, "release-automation");
        // Run by a published release: it automates releasing only if it ships something.
        let on_release = |step: &str| {
            let text = format!(
                "on:\n  release:\n    types: [published]\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: {step}\n"
            );
            vec![(".github/workflows/on-release.yml".to_string(), text)]
        };
        for (step, ships) in [
            ("docker compose up -d", false),
            ("curl -X POST $SLACK_WEBHOOK", false),
            ("gh release upload $TAG dist/*", true),
            ("npm publish --provenance", true),
        ] {
            assert_verdict(r, &on_release(step), ships, step);
        }
        let o = assert_pass(
            r,
            &[(
                ".github/workflows/release.yml",
                "name: release\non:\n  push:\n    tags: ['v*']\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
            )],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".github/workflows/release.yml", Some(4))
        );
        let o = assert_pass(
            r,
            &[(
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      # - uses: softprops/action-gh-release@v2\n      - uses: googleapis/release-please-action@v4\n",
            )],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(7));
        assert_pass(
            r,
            &[
                (".goreleaser.yaml", "builds: []\n"),
                ("go.mod", "module x\n"),
            ],
        );
        let o = assert_pass(
            r,
            &[(
                ".gitlab-ci.yml",
                "publish:\n  rules:\n    - if: $CI_COMMIT_TAG\n  script:\n    - uv publish\n",
            )],
        );
        let lines: Vec<_> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(3), Some(5)]);
        assert!(
            o.message.contains("($CI_COMMIT_TAG; uv publish)"),
            "{}",
            o.message
        );
        let o = assert_pass(
            r,
            &[("package.json", "{\n  \"scripts\": {\"release\": \"np\"},\n  \"release\": {\n    \"branches\": [\"main\"]\n  }\n}\n")],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        // A "release" npm script alone is not release automation.
        let o = assert_fail(
            r,
            &[
                (
                    "package.json",
                    "{\n  \"scripts\": {\n    \"release\": \"npm publish\"\n  }\n}\n",
                ),
                (".github/workflows/ci.yml", "on: [push]\njobs: {}\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, ".github/workflows/ci.yml");
    }

    #[test]
    fn ruby_app_version_files() {
        let r = rule(RULES, "release-version-declared");
        let gem = ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n");
        // mastodon lib/mastodon/version.rb
        let mastodon = "# frozen_string_literal: true\n\nmodule Mastodon\n  module Version\n    module_function\n\n    def major\n      4\n    end\n\n    def minor\n      3\n    end\n\n    def patch\n      0\n    end\n  end\nend\n";
        let o = assert_pass(r, &[gem, ("lib/mastodon/version.rb", mastodon)]);
        assert_eq!(o.evidence[0].path, "lib/mastodon/version.rb");
        assert_eq!(o.evidence[0].line, Some(7));
        let o = assert_pass(
            r,
            &[
                gem,
                (
                    "lib/shop/version.rb",
                    "module Shop\n  VERSION = \"1.4.2\"\nend\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // A version.rb with neither, or one outside lib/, declares nothing.
        assert_fail(
            r,
            &[
                gem,
                (
                    "lib/shop/version.rb",
                    "module Shop\n  def self.major_upgrade?; end\nend\n",
                ),
            ],
        );
        assert_fail(r, &[gem, ("lib/shop/version.rb", "  def major\n  end\n")]);
        assert_fail(
            r,
            &[
                gem,
                (
                    "app/models/version.rb",
                    "class Version\n  VERSION = 1\nend\n",
                ),
            ],
        );
    }

    #[test]
    fn version_declared_per_stack() {
        let r = rule(RULES, "release-version-declared");
        let o = assert_pass(
            r,
            &[(
                "package.json",
                "{\n  \"name\": \"a\",\n  \"version\": \"1.0.0\"\n}\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_pass(
            r,
            &[(
                "pyproject.toml",
                "[project]\nname = \"a\"\nversion = \"0.1.0\"\n",
            )],
        );
        let o = assert_pass(
            r,
            &[(
                "pyproject.toml",
                "[project]\nname = \"a\"\ndynamic = [\n  \"version\",\n]\n[tool.setuptools_scm]\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(4));
        assert_pass(
            r,
            &[(
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion.workspace = true\n",
            )],
        );
        let o = assert_pass(
            r,
            &[("pom.xml", "<project>\n  <parent>\n    <version>3.2.0</version>\n  </parent>\n  <artifactId>a</artifactId>\n  <version>1.2.0</version>\n</project>\n")],
        );
        assert_eq!(o.evidence[0].line, Some(6));
        assert_pass(
            r,
            &[(
                "src/App/App.csproj",
                "<Project>\n  <PropertyGroup>\n    <Version>2.0.0</Version>\n",
            )],
        );
        let o = assert_fail(
            r,
            &[("pom.xml", "<project>\n  <parent>\n    <version>3.2.0</version>\n  </parent>\n  <dependencies>\n    <dependency><version>1</version></dependency>\n")],
        );
        assert_eq!(o.evidence[0].path, "pom.xml");
        assert_fail(
            r,
            &[("package.json", "{\"name\": \"a\", \"private\": true}")],
        );
        assert_fail(r, &[("requirements.txt", "fastapi\n")]);
        assert_na(r, &[("go.mod", "module x\n")]);
        assert_na(r, &[("README.md", "x")]);
    }

    #[test]
    fn conventional_commits_enforced_practised_or_not() {
        let files = [("README.md", "x")];
        let enforced = [
            ("README.md", "x"),
            ("commitlint.config.js", "module.exports = {}\n"),
        ];
        let o = with_history(
            "release-conventional-commits",
            &enforced,
            &History::default(),
        );
        assert_eq!(o.status, Status::Pass);
        assert_eq!(o.evidence[0].path, "commitlint.config.js");
        let o = with_history(
            "release-conventional-commits",
            &[(
                ".husky/commit-msg",
                "#!/bin/sh\nnpx --no -- commitlint --edit \"$1\"\n",
            )],
            &History::default(),
        );
        assert_eq!((o.status, o.evidence[0].line), (Status::Pass, Some(2)));
        let o = with_history("release-conventional-commits", &files, &History::default());
        assert_eq!(o.status, Status::Na);

        // Practised: 8 of 10 human subjects conform; merges, reverts and bots are not counted.
        let r = Repo::new();
        for i in 0..8 {
            r.commit(40.0 - i as f64, &format!("feat(api): change {i}"));
        }
        r.commit(30.0, "Update readme");
        r.commit(29.0, "wip");
        let bot = ("dependabot[bot]", "x[bot]@users.noreply.github.com");
        r.commit_full(28.0, 28.0, bot, "Bump lodash");
        let id = r.commit(27.0, "feat: temp");
        r.revert(26.0, &id);
        let h = r.load();
        let o = with_history("release-conventional-commits", &files, &h);
        assert_eq!(o.status, Status::Pass, "{o:?}");
        assert!(o.message.contains("82 % of the last 11"), "{}", o.message);

        let r = Repo::new();
        for i in 0..12 {
            r.commit(
                40.0 - i as f64,
                if i % 3 == 0 { "fix: x" } else { "Fix things" },
            );
        }
        let o = with_history("release-conventional-commits", &files, &r.load());
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("33 % of the last 12"), "{}", o.message);
        assert_eq!(o.evidence[0].path, "README.md");
    }

    /// Each stack's manifest snippet declares a version the rule sees.
    #[test]
    fn version_snippets_pass() {
        use crate::detect::StackId::*;
        let r = rule(RULES, "release-version-declared");
        let cases = [
            (Node, "package.json", "package.json", "{\"name\": \"x\"}"),
            (
                Python,
                "pyproject.toml",
                "pyproject.toml",
                "[project]\nname = \"x\"\n",
            ),
            (
                Rust,
                "Cargo.toml",
                "Cargo.toml",
                "[package]\nname = \"x\"\n",
            ),
            (Java, "pom.xml", "pom.xml", "<project>\n</project>\n"),
            (
                Ruby,
                ".gemspec",
                "x.gemspec",
                "Gem::Specification.new do |spec|\nend\n",
            ),
            (
                Dotnet,
                "Directory.Build.props",
                "Directory.Build.props",
                "<Project></Project>\n",
            ),
        ];
        for (stack, header, path, bare) in cases {
            let mut files = vec![(path, bare)];
            if stack == Ruby {
                files.push(("Gemfile", "gemspec\n"));
            }
            if stack == Dotnet {
                files.push((
                    "App.csproj",
                    "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
                ));
            }
            assert_fail(r, &files);
            let body = section(stack_snippet(r, stack), header);
            let text = if stack == Java {
                format!("<project>\n{body}</project>\n")
            } else {
                body
            };
            files[0] = (path, &text);
            assert_pass(r, &files);
        }
    }
}
