//! Supply chain: dependency updates, lockfiles, pinned and least-privileged GitHub Actions,
//! workflow injection risks, SBOMs, signed artefacts and committed binaries.

use super::ci;
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{Profile, StackId};
use crate::index::{is_test_path, Index, IndexedFile};
use crate::index::{join_path as join, parent_dir as dir_of};
use crate::model::ci::{self as ciconf, shorten};
use crate::model::workflow::{self, Workflow};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    // Patterns are constants of this module; a unit test compiles every one of them.
    crate::pattern::regex(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
}

fn parsed(index: &Index) -> impl Iterator<Item = &Workflow> {
    index.workflows().iter().filter(|w| w.error.is_none())
}

const NO_WORKFLOWS: &str = "no GitHub Actions workflows";

/// Manifests of the project itself (not vendored, not test fixtures).
fn own(f: &IndexedFile) -> bool {
    !f.vendored && !f.is_test
}

// ---------------------------------------------------------------------------------------------
// Dependency update tool and its coverage.
// ---------------------------------------------------------------------------------------------

const RENOVATE_FILES: &[&str] = &[
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
];

fn dependabot(index: &Index) -> Option<&IndexedFile> {
    [".github/dependabot.yml", ".github/dependabot.yaml"]
        .iter()
        .filter_map(|p| index.file(p))
        .find(|f| f.text().is_some_and(|t| !t.trim().is_empty()))
}

/// The Renovate configuration: (path, line, text of the config).
fn renovate(index: &Index) -> Option<(String, u32, String)> {
    for p in RENOVATE_FILES {
        if let Some(t) = index.text(p) {
            return Some((p.to_string(), 1, t.to_string()));
        }
    }
    let text = index.text("package.json")?;
    let line = crate::detect::json_key_line(text, "renovate")?;
    Some(("package.json".to_string(), line, text.to_string()))
}

fn deps_update_tool(ctx: &Context) -> Outcome {
    let mut ev = Vec::new();
    if let Some(f) = dependabot(ctx.index) {
        let line = match ctx.index.yaml(&f.path) {
            Some(Ok(y)) => y.root().and_then(|r| r.key_line("updates")),
            _ => None,
        };
        ev.push(match line {
            Some(l) => Evidence::at(f.path.clone(), l).note("Dependabot version updates"),
            None => Evidence::file(f.path.clone()).note("Dependabot"),
        });
    }
    if let Some((path, line, _)) = renovate(ctx.index) {
        ev.push(Evidence::at(path, line).note("Renovate"));
    }
    let fix = || {
        let mut ecos = ecosystems(ctx);
        if !ecos.iter().any(|e| e.name == "github-actions") {
            // Harmless without workflows, and ready for the CI the roadmap also asks for.
            ecos.push(Ecosystem {
                name: "github-actions",
                dependabot: &["github-actions"],
                renovate: &["github-actions"],
                evidence: Evidence::file(".github/workflows"),
                dirs: vec![String::new()],
            });
        }
        let found: Vec<&Ecosystem> = ecos.iter().collect();
        dependabot_updates(ctx.index, &found).map(|entries| {
            format!(
                "# .github/dependabot.yml\n# Built from this repository: one entry per package \
                 ecosystem found.\nversion: 2\nupdates:\n{entries}"
            )
        })
    };
    let outcome = Outcome::present(
        ev,
        "dependency updates are automated",
        "no Dependabot or Renovate configuration: dependencies age until someone remembers them",
        ctx.index
            .repo_anchor()
            .map(|e| e.note("no .github/dependabot.yml or renovate.json")),
    );
    outcome.with_fix_on_fail(fix)
}

/// A package ecosystem the repository uses, the Dependabot names that cover it, and where.
struct Ecosystem {
    name: &'static str,
    dependabot: &'static [&'static str],
    renovate: &'static [&'static str],
    /// The shallowest manifest.
    evidence: Evidence,
    /// Every folder with a manifest of the ecosystem, shallowest first (`""`: the root).
    dirs: Vec<String>,
}

fn ecosystems(ctx: &Context) -> Vec<Ecosystem> {
    let index = ctx.index;
    let mut out: Vec<Ecosystem> = Vec::new();
    let mut add = |name, dependabot, renovate, mut paths: Vec<&str>| {
        paths.sort_by_key(|p| (p.matches('/').count(), *p));
        let Some(first) = paths.first() else {
            return;
        };
        if out.iter().any(|e| e.name == name) {
            return;
        }
        let mut dirs: Vec<String> = Vec::new();
        for dir in paths.iter().map(|p| dir_of(p)) {
            if !dirs.iter().any(|d| d == dir) {
                dirs.push(dir.to_string());
            }
        }
        out.push(Ecosystem {
            name,
            dependabot,
            renovate,
            evidence: Evidence::file(first.to_string()),
            dirs,
        });
    };
    let first = |pred: &dyn Fn(&IndexedFile) -> bool| -> Vec<&str> {
        index
            .text_files()
            .filter(|f| own(f))
            .filter(|f| pred(f))
            .map(|f| f.path.as_str())
            .collect()
    };
    add(
        "npm",
        &["npm", "bun"][..],
        &["npm"][..],
        first(&|f| f.name() == "package.json"),
    );
    add(
        "pip",
        &["pip", "uv", "pipenv", "poetry"][..],
        &[
            "pip_requirements",
            "pip-compile",
            "pip_setup",
            "pep621",
            "pep723",
            "poetry",
            "pipenv",
            "setup-cfg",
        ][..],
        first(&|f| {
            let n = f.name();
            matches!(n, "pyproject.toml" | "setup.py" | "setup.cfg" | "Pipfile")
                || (n.starts_with("requirements") && n.ends_with(".txt"))
        }),
    );
    add(
        "gomod",
        &["gomod"][..],
        &["gomod"][..],
        first(&|f| f.name() == "go.mod"),
    );
    add(
        "cargo",
        &["cargo"][..],
        &["cargo"][..],
        first(&|f| f.name() == "Cargo.toml"),
    );
    add(
        "maven",
        &["maven"][..],
        &["maven"][..],
        first(&|f| f.name() == "pom.xml"),
    );
    add(
        "gradle",
        &["gradle"][..],
        &["gradle"][..],
        first(&|f| f.name().starts_with("build.gradle")),
    );
    add(
        "bundler",
        &["bundler"][..],
        &["bundler"][..],
        first(&|f| f.name() == "Gemfile"),
    );
    add(
        "nuget",
        &["nuget"][..],
        &["nuget"][..],
        first(&|f| {
            let n = f.name();
            n.ends_with(".csproj") || n.ends_with(".fsproj") || n == "packages.config"
        }),
    );
    add(
        "composer",
        &["composer"][..],
        &["composer"][..],
        first(&|f| f.name() == "composer.json"),
    );
    add(
        "github-actions",
        &["github-actions"][..],
        &["github-actions"][..],
        index
            .workflows()
            .first()
            .map(|w| w.path.as_str())
            .into_iter()
            .collect(),
    );
    add(
        "docker",
        &["docker"][..],
        &["dockerfile", "docker-compose"][..],
        index
            .dockerfiles()
            .iter()
            .filter(|d| own_path(&d.path))
            .map(|d| d.path.as_str())
            .collect(),
    );
    add(
        "terraform",
        &["terraform"][..],
        &["terraform"][..],
        first(&|f| f.ext() == "tf"),
    );
    out
}

fn own_path(p: &str) -> bool {
    !ci::is_vendored(p) && !is_test_path(p)
}

fn deps_update_coverage(ctx: &Context) -> Outcome {
    let ecos = ecosystems(ctx);
    let db = dependabot(ctx.index);
    let reno = renovate(ctx.index);
    if db.is_none() && reno.is_none() {
        return Outcome::na("no dependency update tool configured (see deps-update-tool)");
    }
    if ecos.is_empty() {
        return Outcome::na("no package ecosystem detected");
    }
    if let Some((path, line, text)) = &reno {
        // Renovate detects every manager unless `enabledManagers` narrows it.
        static ENABLED: LazyLock<Regex> =
            LazyLock::new(|| re(r#"(?s)["']?enabledManagers["']?\s*:\s*\[([^\]]*)\]"#));
        // A package scan of a package whose manifests `ignorePaths` leaves out.
        let ignored: Vec<&Ecosystem> = ecos
            .iter()
            .filter(|e| renovate_ignores(ctx.index, text, &e.evidence.path))
            .collect();
        if !ignored.is_empty() {
            // Cited at the `ignorePaths` line that leaves them out.
            let at = text
                .lines()
                .position(|l| l.contains("ignorePaths"))
                .map_or(*line, |i| i as u32 + 1);
            return coverage_outcome(
                &ecos,
                &ignored,
                Evidence::at(path.clone(), at),
                "Renovate (its ignorePaths)",
            );
        }
        let Some(list) = ENABLED.captures(text).and_then(|c| c.get(1)) else {
            return Outcome::pass(
                format!(
                    "Renovate covers every detected ecosystem by default ({})",
                    ecos.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
                ),
                vec![Evidence::at(path.clone(), *line).note("Renovate, all managers enabled")],
            );
        };
        let enabled: Vec<&str> = list
            .as_str()
            .split(',')
            .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\''))
            .collect();
        let missing: Vec<&Ecosystem> = ecos
            .iter()
            .filter(|e| !e.renovate.iter().any(|m| enabled.contains(m)))
            .collect();
        return coverage_outcome(
            &ecos,
            &missing,
            Evidence::at(path.clone(), *line)
                .note(format!("enabledManagers: {}", enabled.join(", "))),
            "Renovate's enabledManagers",
        );
    }
    let Some(f) = db else {
        return Outcome::na("no dependency update tool configured");
    };
    let root = match ctx.index.yaml(&f.path) {
        Some(Ok(y)) => y.root().cloned(),
        Some(Err(e)) => {
            return Outcome::fail(
                "the Dependabot configuration does not parse",
                vec![Evidence::at(f.path.clone(), e.line.max(1))
                    .note(format!("YAML error: {}", e.message))],
            )
        }
        None => None,
    };
    let Some(root) = root else {
        return Outcome::fail(
            "the Dependabot configuration is empty",
            vec![Evidence::file(f.path.clone())],
        );
    };
    let mut covered: BTreeMap<String, u32> = BTreeMap::new();
    if let Some(updates) = root.get("updates") {
        for item in updates.items() {
            // A package scan: an entry for other packages' folders does not update this one.
            if !dependabot_reaches_package(ctx.index, item) {
                continue;
            }
            if let Some((k, v)) = item.entry("package-ecosystem") {
                if let Some(s) = v.as_str() {
                    covered.entry(s.to_string()).or_insert(k.line);
                }
            }
        }
    }
    let missing: Vec<&Ecosystem> = ecos
        .iter()
        .filter(|e| !e.dependabot.iter().any(|d| covered.contains_key(*d)))
        .collect();
    if missing.is_empty() {
        let ev = covered
            .iter()
            .map(|(eco, line)| {
                Evidence::at(f.path.clone(), *line).note(format!("package-ecosystem: {eco}"))
            })
            .collect();
        return Outcome::pass(
            format!(
                "Dependabot covers every detected ecosystem ({})",
                ecos.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
            ),
            ev,
        );
    }
    let anchor_line = root.key_line("updates").unwrap_or(1);
    let fix = dependabot_updates(ctx.index, &missing)
        .map(|entries| format!("# {} (add under updates:)\n{entries}", f.path));
    coverage_outcome(
        &ecos,
        &missing,
        Evidence::at(f.path.clone(), anchor_line),
        "Dependabot",
    )
    .with_fix(fix)
}

/// Dependabot `updates:` entries for `ecos`, one per ecosystem, in the folders of its
/// manifests (repository-relative, so a package scan names its own folder). `None` when a
/// folder name is not plain: nothing from the repository reaches the YAML unchecked.
fn dependabot_updates(index: &Index, ecos: &[&Ecosystem]) -> Option<String> {
    /// Folders listed per ecosystem; past this, the first ones (shallowest) are kept.
    const MAX_DIRS: usize = 20;
    let base = index.package().map_or("", |p| p.prefix.as_str());
    let mut out = String::new();
    for e in ecos {
        // Workspaces are updated from their root manifest; Actions live in .github/.
        let root_covers = matches!(e.name, "npm" | "cargo" | "maven" | "gradle")
            && e.dirs.first().is_some_and(|d| d.is_empty());
        let dirs: Vec<&str> = if e.name == "github-actions" || root_covers {
            vec![""]
        } else {
            e.dirs.iter().map(String::as_str).take(MAX_DIRS).collect()
        };
        let mut folders = Vec::new();
        for dir in dirs {
            let folder = if e.name == "github-actions" {
                String::new()
            } else if dir.is_empty() {
                base.to_string()
            } else {
                join(base, dir)
            };
            if !super::starter::safe_dir(&folder) {
                return None;
            }
            folders.push(format!("/{folder}"));
        }
        let uses_uv = e.name == "pip" && e.dirs.iter().any(|d| index.exists(&join(d, "uv.lock")));
        let ecosystem = if uses_uv { "uv" } else { e.dependabot[0] };
        out.push_str(&format!("  - package-ecosystem: {ecosystem}\n"));
        match folders.as_slice() {
            [one] => out.push_str(&format!("    directory: {one}\n")),
            many => {
                out.push_str("    directories:\n");
                for folder in many {
                    out.push_str(&format!("      - {folder}\n"));
                }
            }
        }
        out.push_str(
            "    schedule:\n      interval: weekly\n    groups:\n      minor-and-patch:\n        \
             update-types: [minor, patch]\n",
        );
    }
    (!out.is_empty()).then_some(out)
}

/// The folder part of a Dependabot `directory` or a glob (`/v3/casbin/` → `v3/casbin/`,
/// `/apps/*` → `apps/`), and whether the package folder `own` (`v3/websocket/`) can be in it
/// or hold it: the literal start before any wildcard must lead to it or from it.
fn folder_reaches(pattern: &str, own: &str) -> bool {
    let p = pattern
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    let literal = match p.find(['*', '?', '[', '{']) {
        Some(i) => p[..i].to_string(),
        None if p.is_empty() || p.ends_with('/') => p.to_string(),
        None => format!("{p}/"),
    };
    own.starts_with(&literal) || literal.starts_with(own)
}

/// Whether a Dependabot `updates:` entry can update the scanned package: always outside a
/// package scan, and for entries of the repository root (`/`, which also holds the shared
/// `.github/`) or without a directory; else one of its `directory`/`directories` must be the
/// package's folder, a folder in it, a folder above it (a workspace root updates its members),
/// or a pattern that can reach it. An entry for a sibling's folder does not: Dependabot reads
/// the manifests of the folders it is given.
fn dependabot_reaches_package(index: &Index, item: &crate::model::yaml::Node) -> bool {
    let Some(package) = index.package() else {
        return true;
    };
    let mut dirs: Vec<&str> = Vec::new();
    if let Some(d) = item.get("directory").and_then(|d| d.as_str()) {
        dirs.push(d);
    }
    if let Some(list) = item.get("directories") {
        dirs.extend(list.items().iter().filter_map(|d| d.as_str()));
    }
    let own = format!("{}/", package.prefix);
    dirs.is_empty()
        || dirs
            .iter()
            .any(|d| d.trim().trim_matches('/').is_empty() || folder_reaches(d, &own))
}

/// Whether Renovate's `ignorePaths` leaves out `manifest` (a path of the scanned folder). Only
/// a package scan asks: there a whole package can be ignored (tRPC's `**/examples/**`).
/// Renovate matches each entry as a glob (minimatch) or as a part of the path.
fn renovate_ignores(index: &Index, config: &str, manifest: &str) -> bool {
    static IGNORE: LazyLock<Regex> =
        LazyLock::new(|| re(r#"(?s)["']?ignorePaths["']?\s*:\s*\[([^\]]*)\]"#));
    let Some(package) = index.package() else {
        return false;
    };
    if index.is_shared(manifest) {
        return false;
    }
    let Some(list) = IGNORE.captures(config).and_then(|c| c.get(1)) else {
        return false;
    };
    let path = format!("{}/{manifest}", package.prefix);
    list.as_str()
        .split(',')
        .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|p| !p.is_empty())
        .any(|p| {
            path.contains(p)
                || globset::GlobBuilder::new(p)
                    .literal_separator(true)
                    .build()
                    .is_ok_and(|g| g.compile_matcher().is_match(&path))
        })
}

fn coverage_outcome(
    ecos: &[Ecosystem],
    missing: &[&Ecosystem],
    anchor: Evidence,
    tool: &str,
) -> Outcome {
    if missing.is_empty() {
        return Outcome::pass(
            format!("{tool} covers every detected ecosystem"),
            vec![anchor],
        );
    }
    let names: Vec<&str> = missing.iter().map(|e| e.name).collect();
    let mut ev = vec![anchor.note(format!("missing: {}", names.join(", ")))];
    ev.extend(missing.iter().map(|e| {
        e.evidence
            .clone()
            .note(format!("{} not covered by {tool}", e.name))
    }));
    Outcome::fail(
        format!(
            "{tool} leaves {} of {} ecosystems without updates: {}",
            missing.len(),
            ecos.len(),
            names.join(", ")
        ),
        ev,
    )
}

// ---------------------------------------------------------------------------------------------
// Lockfiles.
// ---------------------------------------------------------------------------------------------

const NODE_LOCKS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lockb",
    "bun.lock",
    "deno.lock",
];
const PYTHON_LOCKS: &[&str] = &[
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
    "conda-lock.yml",
];

/// A lockfile in `dir` or one of its ancestors (workspaces lock at the root).
fn lock_above(index: &Index, dir: &str, locks: &[&str]) -> Option<String> {
    let mut d = dir.to_string();
    loop {
        for l in locks {
            let p = join(&d, l);
            if index.exists(&p) {
                return Some(p);
            }
        }
        if d.is_empty() {
            return None;
        }
        d = dir_of(&d).to_string();
    }
}

static PINNED_REQ: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:===?\s*[\w.*+!-]+|--hash=|\s@\s+\S+|^-[rc]\s|^--?[a-z-]+|^\s*$|^#|^-e\s)")
});

/// A requirements file is a lock when every requirement pins an exact version.
fn unpinned_requirement(text: &str) -> Option<(u32, String)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.split(" #").next().unwrap_or(l).trim();
        (!PINNED_REQ.is_match(t)).then(|| (i as u32 + 1, t.to_string()))
    })
}

static GRADLE_DYNAMIC: LazyLock<Regex> =
    LazyLock::new(|| re(r#"['":][\w.-]*\+['"]|latest\.(?:release|integration)"#));
static NUGET_FLOATING: LazyLock<Regex> = LazyLock::new(|| re(r#"Version="[^"]*\*[^"]*""#));

fn is_manifest(n: &str) -> bool {
    matches!(
        n,
        "package.json" | "go.mod" | "Cargo.toml" | "Gemfile" | "Pipfile" | "pyproject.toml"
    ) || (n.starts_with("requirements") && n.ends_with(".txt"))
        || n.starts_with("build.gradle")
        || n.ends_with(".csproj")
        || n.ends_with(".fsproj")
        || n.ends_with(".gemspec")
}

fn lockfiles(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut missing: Vec<Evidence> = Vec::new();
    let mut skipped: Vec<&str> = Vec::new();
    let library = ctx.profile == Profile::Library;
    let manifests: Vec<&IndexedFile> = index
        .text_files()
        .filter(|f| own(f) && is_manifest(f.name()))
        .collect();
    let check = |f: &IndexedFile,
                 locks: &[&str],
                 what: &str,
                 found: &mut BTreeSet<String>,
                 missing: &mut Vec<Evidence>| {
        match lock_above(index, dir_of(&f.path), locks) {
            Some(l) => {
                found.insert(l);
            }
            None => missing.push(
                Evidence::file(f.path.clone()).note(format!("no {what} next to or above it")),
            ),
        }
    };
    for f in manifests.iter().take(2000) {
        let text = f.text().unwrap_or("");
        match f.name() {
            // A manifest without dependencies has nothing to lock.
            "package.json"
                if ctx.has_stack(StackId::Node)
                    && [
                        "\"dependencies\"",
                        "\"devDependencies\"",
                        "\"optionalDependencies\"",
                    ]
                    .iter()
                    .any(|k| text.contains(k)) =>
            {
                check(
                    f,
                    NODE_LOCKS,
                    "package-lock.json / pnpm-lock.yaml / yarn.lock / bun.lock",
                    &mut found,
                    &mut missing,
                );
            }
            "go.mod"
                if ctx.has_stack(StackId::Go)
                    && text.lines().any(|l| l.trim_start().starts_with("require")) =>
            {
                check(f, &["go.sum"], "go.sum", &mut found, &mut missing);
            }
            "Cargo.toml" if ctx.has_stack(StackId::Rust) => {
                // Libraries leave Cargo.lock to their users; binaries and services lock.
                if library {
                    skipped.push("Rust library");
                } else if text.contains("[package]") || text.contains("[workspace]") {
                    check(f, &["Cargo.lock"], "Cargo.lock", &mut found, &mut missing);
                }
            }
            "Gemfile" if ctx.has_stack(StackId::Ruby) => {
                let gem = manifests
                    .iter()
                    .any(|g| g.name().ends_with(".gemspec") && dir_of(&g.path) == dir_of(&f.path));
                if library && gem {
                    skipped.push("Ruby gem");
                } else {
                    check(
                        f,
                        &["Gemfile.lock", "gems.locked"],
                        "Gemfile.lock",
                        &mut found,
                        &mut missing,
                    );
                }
            }
            "Pipfile" if ctx.has_stack(StackId::Python) => check(
                f,
                &["Pipfile.lock"],
                "Pipfile.lock",
                &mut found,
                &mut missing,
            ),
            "pyproject.toml" if ctx.has_stack(StackId::Python) => {
                if library {
                    skipped.push("Python library");
                    continue;
                }
                if !text.contains("dependencies") {
                    continue;
                }
                if let Some(l) = lock_above(index, dir_of(&f.path), PYTHON_LOCKS) {
                    found.insert(l);
                    continue;
                }
                // pip-tools style: a fully pinned requirements file next to the project.
                let dir = dir_of(&f.path);
                let pinned = manifests.iter().find(|r| {
                    let n = r.name();
                    dir_of(&r.path) == dir
                        && n.starts_with("requirements")
                        && n.ends_with(".txt")
                        && r.text().is_some_and(|t| unpinned_requirement(t).is_none())
                });
                match pinned {
                    Some(r) => {
                        found.insert(r.path.clone());
                    }
                    None => missing.push(
                        Evidence::file(f.path.clone())
                            .note("no uv.lock / poetry.lock / pdm.lock / pinned requirements next to or above it"),
                    ),
                }
            }
            n if n.starts_with("requirements")
                && n.ends_with(".txt")
                && ctx.has_stack(StackId::Python)
                && !library =>
            {
                // Standalone requirements (no pyproject next to it) must pin themselves.
                let dir = dir_of(&f.path);
                if index.exists(&join(dir, "pyproject.toml"))
                    || lock_above(index, dir, PYTHON_LOCKS).is_some()
                {
                    continue;
                }
                match unpinned_requirement(text) {
                    None => {
                        found.insert(f.path.clone());
                    }
                    Some((line, req)) => missing.push(Evidence::at(f.path.clone(), line).note(
                        format!("`{}` is not pinned to an exact version", shorten(&req)),
                    )),
                }
            }
            n if n.starts_with("build.gradle") && GRADLE_DYNAMIC.is_match(text) => check(
                f,
                &["gradle.lockfile"],
                "gradle.lockfile (dynamic versions are used)",
                &mut found,
                &mut missing,
            ),
            n if (n.ends_with(".csproj") || n.ends_with(".fsproj"))
                && NUGET_FLOATING.is_match(text) =>
            {
                check(
                    f,
                    &["packages.lock.json"],
                    "packages.lock.json (floating versions are used)",
                    &mut found,
                    &mut missing,
                )
            }
            _ => {}
        }
    }
    if found.is_empty() && missing.is_empty() {
        skipped.sort_unstable();
        skipped.dedup();
        return Outcome::na(if skipped.is_empty() {
            "no manifest that needs a lockfile (Maven, Gradle and NuGet pin exact versions)"
                .to_string()
        } else {
            format!("{}: lockfiles are left to consumers", skipped.join(", "))
        });
    }
    if missing.is_empty() {
        Outcome::pass(
            "dependencies are locked",
            found
                .into_iter()
                .map(|p| Evidence::file(p).note("lockfile"))
                .collect(),
        )
    } else {
        Outcome::fail(
            format!(
                "{} manifest(s) without a committed lockfile: builds resolve different versions over time",
                missing.len()
            ),
            missing,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions hardening.
// ---------------------------------------------------------------------------------------------

/// An action whose `owner/repo` matches the configuration's `trusted-actions`.
fn trusted(ctx: &Context, u: &workflow::Uses) -> bool {
    let Some(set) = ctx.trusted_actions.filter(|s| !s.is_empty()) else {
        return false;
    };
    let name = u.value.split('@').next().unwrap_or("");
    let repo: Vec<&str> = name.splitn(3, '/').take(2).collect();
    repo.len() == 2 && set.is_match(repo.join("/"))
}

fn actions_pinned(ctx: &Context) -> Outcome {
    let wfs: Vec<&Workflow> = parsed(ctx.index).collect();
    if wfs.is_empty() {
        return Outcome::na(NO_WORKFLOWS);
    }
    let mut pinned = Vec::new();
    let mut first_party = Vec::new();
    let mut exceptions = Vec::new();
    let mut trusted_by_config = Vec::new();
    let mut unpinned = Vec::new();
    // The workflows' own `uses:`, then those of the local composite actions they use (mastodon's
    // ./.github/actions/setup-ruby runs ruby/setup-ruby@v1), each cited once.
    let mut refs: Vec<(String, workflow::Uses)> = Vec::new();
    let mut seen = BTreeSet::new();
    for wf in &wfs {
        for u in wf.all_uses() {
            refs.push((wf.path.clone(), u.clone()));
        }
        for r in workflow::reachable_steps(ctx.index, wf, false) {
            if r.path == wf.path {
                continue;
            }
            if let Some(u) = &r.step.uses {
                if seen.insert((r.path.clone(), u.line)) {
                    refs.push((r.path.clone(), u.clone()));
                }
            }
        }
    }
    for (path, u) in &refs {
        if u.is_local() {
            continue;
        }
        let ev = Evidence::at(path.clone(), u.line);
        if u.is_pinned() {
            pinned.push(ev.note(shorten(&u.value)));
        } else if is_slsa_generator(u) {
            exceptions.push(ev.note(format!(
                    "{}: SLSA generators verify their own ref and must be called by a @vX.Y.Z tag (a SHA breaks them); accepted",
                    u.value
                )));
        } else if u.is_first_party() {
            first_party.push(ev.note(format!("{} (first-party, by tag)", u.value)));
        } else if trusted(ctx, u) {
            trusted_by_config.push(ev.note(format!("{} (in trusted-actions, by tag)", u.value)));
        } else if u.is_docker() {
            unpinned.push(ev.note(format!("{}: pin the image by @sha256 digest", u.value)));
        } else {
            unpinned.push(ev.note(format!(
                "{}: a tag or branch can be moved to other code; pin the full commit SHA",
                u.value
            )));
        }
    }
    if pinned.is_empty()
        && first_party.is_empty()
        && exceptions.is_empty()
        && trusted_by_config.is_empty()
        && unpinned.is_empty()
    {
        return Outcome::na("the workflows use no external actions");
    }
    if !unpinned.is_empty() {
        return Outcome::fail(
            format!(
                "{} third-party action reference(s) are not pinned to a commit SHA",
                unpinned.len()
            ),
            unpinned,
        );
    }
    let mut msg = if first_party.is_empty() {
        "every action is pinned to a full commit SHA".to_string()
    } else {
        format!(
            "third-party actions are pinned to commit SHAs; {} first-party actions/* or github/* reference(s) use tags (GitHub-maintained, lower risk)",
            first_party.len()
        )
    };
    if !trusted_by_config.is_empty() {
        msg.push_str(&format!(
            "; {} reference(s) to actions the configuration trusts (trusted-actions) use tags",
            trusted_by_config.len()
        ));
    }
    if !exceptions.is_empty() {
        msg.push_str(&format!(
            "; {} SLSA generator call(s) use a release tag, as the generator requires",
            exceptions.len()
        ));
    }
    pinned.extend(first_party);
    pinned.extend(trusted_by_config);
    pinned.extend(exceptions);
    Outcome::pass(msg, pinned)
}

/// A reusable workflow of slsa-framework/slsa-github-generator called by an exact release tag
/// (`@v2.0.0`): the generator checks its own ref and fails when called by SHA, so the tag is
/// the documented way to call it. Other refs (branches, `@v2`) stay unpinned.
fn is_slsa_generator(u: &workflow::Uses) -> bool {
    let action = u.action().to_ascii_lowercase();
    let exact_tag = u.git_ref().is_some_and(|r| {
        let parts: Vec<&str> = r.trim_start_matches('v').split('.').collect();
        r.starts_with('v')
            && parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    action.starts_with("slsa-framework/slsa-github-generator/.github/workflows/") && exact_tag
}

/// A reusable workflow that nothing but `workflow_call` starts.
fn is_call_only(wf: &Workflow) -> bool {
    !wf.triggers.is_empty() && wf.triggers.iter().all(|t| t.event == "workflow_call")
}

fn workflow_permissions(ctx: &Context) -> Outcome {
    let wfs: Vec<&Workflow> = parsed(ctx.index).collect();
    if wfs.is_empty() {
        return Outcome::na(NO_WORKFLOWS);
    }
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for wf in wfs.into_iter().filter(|w| !w.jobs.is_empty()) {
        let job_write_all: Vec<Evidence> = wf
            .jobs
            .iter()
            .filter_map(|j| {
                let p = j.permissions.as_ref()?;
                p.is_write_all().then(|| {
                    Evidence::at(wf.path.clone(), p.line)
                        .note(format!("job `{}`: permissions: write-all", j.id))
                })
            })
            .collect();
        match &wf.permissions {
            Some(p) if p.is_write_all() => {
                bad.push(Evidence::at(wf.path.clone(), p.line).note(
                    "permissions: write-all gives every job a token that can push and publish",
                ))
            }
            Some(p) if job_write_all.is_empty() => {
                ok.push(Evidence::at(wf.path.clone(), p.line).note("top-level permissions"))
            }
            Some(_) => {}
            // Called only by other workflows: the token is the caller's (which can only be
            // narrowed here), so the caller's `permissions:` are the ones judged.
            None if is_call_only(wf) => {
                if job_write_all.is_empty() {
                    let line = wf.trigger("workflow_call").map_or(1, |t| t.line);
                    ok.push(
                        Evidence::at(wf.path.clone(), line)
                            .note("workflow_call only: runs with its caller's token permissions"),
                    );
                }
            }
            None => {
                let unset: Vec<&str> = wf
                    .jobs
                    .iter()
                    .filter(|j| j.permissions.is_none())
                    .map(|j| j.id.as_str())
                    .collect();
                if unset.is_empty() && !wf.jobs.is_empty() {
                    if job_write_all.is_empty() {
                        ok.push(Evidence::file(wf.path.clone()).note("every job sets permissions"));
                    }
                } else {
                    bad.push(Evidence::at(wf.path.clone(), 1).note(format!(
                        "no top-level `permissions:`; job(s) {} get the repository's default token permissions",
                        unset.join(", ")
                    )));
                }
            }
        }
        bad.extend(job_write_all);
    }
    if bad.is_empty() && ok.is_empty() {
        return Outcome::na("the workflows define no jobs");
    }
    if bad.is_empty() {
        Outcome::pass("every workflow restricts its GITHUB_TOKEN", ok)
    } else {
        Outcome::fail(
            format!(
                "{} workflow permission issue(s): the GITHUB_TOKEN is broader than needed",
                bad.len()
            ),
            bad,
        )
    }
}

/// Triggers that run with the base repository's secrets and token on events outsiders cause.
const PRIVILEGED: &[&str] = &["pull_request_target", "workflow_run", "issue_comment"];

static PR_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"github\.event\.pull_request\.head\.|github\.head_ref|refs/pull/|github\.event\.workflow_run\.head_|github\.event\.pull_request\.merge_commit_sha|github\.event\.issue\.number",
    )
});
static GIT_FETCH_PR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|checkout|pull|switch)\b[^\n]*(?:pull/|\$\{\{\s*github\.(?:head_ref|event\.(?:pull_request\.head|workflow_run\.head)))",
    )
});

/// A value as written, and what the caller's inputs make of it when that differs.
fn with_resolved(written: &str, resolved: &str) -> String {
    if written == resolved {
        shorten(written)
    } else {
        format!("{} = {}", shorten(written), shorten(resolved))
    }
}

fn dangerous_triggers(ctx: &Context) -> Outcome {
    let wfs: Vec<&Workflow> = parsed(ctx.index).collect();
    if wfs.is_empty() {
        return Outcome::na(NO_WORKFLOWS);
    }
    let mut bad = Vec::new();
    let mut ok = Vec::new();
    for wf in &wfs {
        let privileged: Vec<&str> = PRIVILEGED
            .iter()
            .copied()
            .filter(|t| wf.triggers_contain(t))
            .collect();
        if privileged.is_empty() {
            continue;
        }
        let trig = privileged.join("/");
        let before = bad.len();
        let mut seen: BTreeSet<(String, u32)> = BTreeSet::new();
        let mut add =
            |bad: &mut Vec<Evidence>, r: &workflow::ReachedStep, line: u32, what: String| {
                let first_time = seen.insert((r.path.clone(), line));
                let Some((first_path, first_line, first_uses)) = r.via.first() else {
                    if first_time {
                        bad.push(Evidence::at(r.path.clone(), line).note(format!("{trig} {what}")));
                    }
                    return;
                };
                // Reached through a local action or a called workflow: cite the real line once,
                // and each step of the privileged workflow that leads there.
                if first_time {
                    let chain: Vec<String> = r
                        .via
                        .iter()
                        .map(|(p, l, _)| format!("{}:{l}", ctx.index.shown(p)))
                        .collect();
                    bad.push(
                        Evidence::at(r.path.clone(), line)
                            .note(format!("{trig} (via {}) {what}", chain.join(" → "))),
                    );
                }
                if seen.insert((first_path.clone(), *first_line)) {
                    bad.push(Evidence::at(first_path.clone(), *first_line).note(format!(
                        "{trig} runs `uses: {}`, which {what} ({}:{line})",
                        shorten(first_uses),
                        ctx.index.shown(&r.path)
                    )));
                }
            };
        for r in workflow::reachable_steps(ctx.index, wf, true) {
            let s = &r.step;
            if s.uses
                .as_ref()
                .is_some_and(|u| u.repo() == "actions/checkout")
            {
                for key in ["ref", "repository"] {
                    if let (Some(written), Some(line)) = (s.with_str(key), s.with_line(key)) {
                        // A local action's `ref: ${{ inputs.ref }}` is what its caller passed.
                        let v = r.resolve(written);
                        let v = v.as_str();
                        if PR_HEAD.is_match(v) || (key == "repository" && v.contains("head.repo")) {
                            add(&mut bad, &r, line, format!(
                                "checks out the pull request's code ({key}: {}) with the base repository's secrets",
                                with_resolved(written, v)
                            ));
                        }
                    }
                }
            }
            if let Some(run) = &s.run {
                for (line, written) in &run.lines {
                    let text = r.resolve(written);
                    if GIT_FETCH_PR.is_match(&text) {
                        add(
                            &mut bad,
                            &r,
                            *line,
                            format!(
                                "fetches the pull request's code: {}",
                                with_resolved(written, &text)
                            ),
                        );
                    }
                }
            }
        }
        if bad.len() == before {
            if let Some(t) = privileged.first().and_then(|t| wf.trigger(t)) {
                ok.push(
                    Evidence::at(wf.path.clone(), t.line)
                        .note(format!("{} without checking out untrusted code", t.event)),
                );
            }
        }
    }
    if !bad.is_empty() {
        return Outcome::fail(
            "a privileged workflow runs code from pull requests: anyone can steal its secrets or push with its token",
            bad,
        );
    }
    if ok.is_empty() {
        ok = wfs
            .iter()
            .map(|w| {
                Evidence::at(w.path.clone(), w.on_line.unwrap_or(1))
                    .note("no pull_request_target, workflow_run or issue_comment trigger")
            })
            .collect();
    }
    Outcome::pass("no privileged trigger runs pull-request code", ok)
}

/// Contexts an outsider controls (issue/PR titles and bodies, branch names, commit messages).
pub(super) static UNTRUSTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)\$\{\{[^}]*?\b(
        github\.head_ref
      | github\.event\.issue\.(?:title|body)
      | github\.event\.pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)
      | github\.event\.(?:comment|review|review_comment|discussion_comment)\.body
      | github\.event\.discussion\.(?:title|body)
      | github\.event\.pages(?:\[\d+\]|\.\*)\.page_name
      | github\.event\.commits(?:\[\d+\]|\.\*)\.(?:message|author\.(?:email|name))
      | github\.event\.head_commit\.(?:message|author\.(?:email|name)|committer\.(?:email|name))
      | github\.event\.workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|author\.(?:email|name)))
    )\b")
});

fn untrusted_input(ctx: &Context) -> Outcome {
    let wfs: Vec<&Workflow> = parsed(ctx.index).collect();
    if wfs.is_empty() {
        return Outcome::na(NO_WORKFLOWS);
    }
    let mut bad = Vec::new();
    for wf in &wfs {
        for (_, s) in wf.all_steps() {
            let scripts = s.run.iter().chain(s.input("script"));
            for run in scripts {
                for (line, text) in &run.lines {
                    if let Some(c) = UNTRUSTED.captures(text) {
                        let expr = c.get(1).map_or("", |m| m.as_str());
                        bad.push(Evidence::at(wf.path.clone(), *line).note(format!(
                            "`{expr}` is pasted into the script: pass it through env: and quote \"$VAR\""
                        )));
                    }
                }
            }
        }
    }
    if bad.is_empty() {
        Outcome::pass(
            "no untrusted event text is expanded inside run: scripts",
            wfs.iter()
                .map(|w| Evidence::file(w.path.clone()).note("no untrusted ${{ }} context in run:"))
                .collect(),
        )
    } else {
        Outcome::fail(
            format!(
                "{} run: line(s) expand attacker-controlled text: script injection",
                bad.len()
            ),
            bad,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// SBOM, signing, binaries.
// ---------------------------------------------------------------------------------------------

static SBOM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bsyft\b|cyclonedx|anchore/sbom-action|\bsbom\s*:\s*['\x22]?true|--sbom\b|type=sbom|attest-sbom|sbom-tool|\bsboms\s*:|cdxgen|spdx-sbom-generator|trivy\b[^\n]*--format\s+(?:cyclonedx|spdx)|format\s*:\s*['\x22]?(?:cyclonedx|spdx)",
    )
});

/// Build configuration that generates an SBOM outside CI files.
const SBOM_CONFIG: &[&str] = &[
    ".goreleaser.yml",
    ".goreleaser.yaml",
    "goreleaser.yml",
    "goreleaser.yaml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "package.json",
];

fn grep_files(index: &Index, paths: &[&str], re: &Regex) -> Vec<Evidence> {
    let mut out = Vec::new();
    for p in paths {
        let Some(text) = index.text(p) else { continue };
        if let Some((i, l)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim_start().starts_with('#') && re.is_match(l))
        {
            out.push(Evidence::at(p.to_string(), i as u32 + 1).note(shorten(l)));
        }
    }
    out
}

fn sbom(ctx: &Context) -> Outcome {
    let mut ev = ciconf::grep(ctx.index, &SBOM);
    ev.extend(grep_files(ctx.index, SBOM_CONFIG, &SBOM));
    let anchor = ciconf::anchor(ctx.index).map(|e| {
        e.note("no SBOM step (syft, anchore/sbom-action, cyclonedx, docker buildx --sbom)")
    });
    Outcome::present(
        ev,
        "an SBOM is generated",
        "no SBOM is generated: nobody can tell which components a release contains when the next CVE lands",
        anchor,
    )
}

static PUBLISH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:docker|podman)\s+(?:image\s+)?push\b|^\s*push\s*:\s*['\x22]?true|\b(?:npm|pnpm)\s+publish\b|\byarn\s+(?:npm\s+)?publish\b|changesets/action|semantic-release|\btwine\s+upload\b|pypa/gh-action-pypi-publish|\b(?:uv|poetry|flit|hatch|pdm)\s+publish\b|\bcargo\s+publish\b|goreleaser|\bgem\s+push\b|\bnuget\s+push\b|(?:^|[\s/])mvnw?\s[^\n]*\bdeploy\b|(?:^|[\s/])gradlew?\s[^\n]*\bpublish\w*|softprops/action-gh-release|\bgh\s+release\s+(?:create|upload)\b|ncipollo/release-action|actions/upload-release-asset|\bko\s+(?:build|publish)\b|jreleaser|\bhelm\s+push\b|\bcrane\s+push\b|\bskopeo\s+copy\b",
    )
});

static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bcosign\b|sigstore|attest-build-provenance|actions/attest(?:@|-sbom)|slsa-github-generator|slsa-framework/|--provenance\b|provenance\s*:\s*['\x22]?(?:true|mode=max)|NPM_CONFIG_PROVENANCE|\bnotation\s+sign\b|\bgpg\b[^\n]*--(?:detach-sign|clearsign|sign)\b|^\s*(?:docker_)?signs\s*:|\bminisign\b|in-toto",
    )
});

/// Image builds whose `push` input decides whether they publish.
const PUSH_INPUT_ACTIONS: &[&str] = &["docker/build-push-action", "docker/bake-action"];

/// Steps of parsed workflows that publish an image through a `push` input: `true` or an
/// expression (read as `deploy-automated` reads it), which the `push: true` line of
/// [`PUBLISH`] cannot see.
fn push_input_steps(index: &Index) -> Vec<Evidence> {
    let mut out = Vec::new();
    for wf in parsed(index) {
        for (_, s) in wf.all_steps() {
            let Some(u) = &s.uses else { continue };
            let repo = u.repo();
            if !PUSH_INPUT_ACTIONS.contains(&repo.as_str()) {
                continue;
            }
            let Some(push) = s.with_str("push") else {
                continue;
            };
            if ciconf::push_input_publishes(push) {
                let line = s.with_line("push").unwrap_or(u.line);
                out.push(
                    Evidence::at(wf.path.clone(), line)
                        .note(shorten(&format!("{repo} push: {}", push.trim()))),
                );
            }
        }
    }
    out
}

fn artifacts_signed(ctx: &Context) -> Outcome {
    let mut published = ciconf::grep(ctx.index, &PUBLISH);
    for e in push_input_steps(ctx.index) {
        if !published
            .iter()
            .any(|p| p.path == e.path && p.line == e.line)
        {
            published.push(e);
        }
    }
    let Some(first) = published.first().cloned() else {
        return Outcome::na("CI publishes no artefact (image, package or release)");
    };
    let mut ev = ciconf::grep(ctx.index, &SIGNED);
    ev.extend(grep_files(
        ctx.index,
        &[
            ".goreleaser.yml",
            ".goreleaser.yaml",
            "goreleaser.yml",
            "goreleaser.yaml",
        ],
        &SIGNED,
    ));
    // PyPI Trusted Publishing uploads attestations by default unless a password is used.
    for wf in parsed(ctx.index) {
        for (_, s) in wf.all_steps() {
            let Some(u) = &s.uses else { continue };
            if u.repo() == "pypa/gh-action-pypi-publish"
                && s.with_str("password").is_none()
                && s.with_str("attestations") != Some("false")
            {
                ev.push(
                    Evidence::at(wf.path.clone(), u.line)
                        .note("Trusted Publishing with PEP 740 attestations (default)"),
                );
            }
        }
    }
    Outcome::present(
        ev,
        "published artefacts are signed or attested",
        "CI publishes artefacts without a signature or provenance attestation",
        Some({
            let what = first.note.clone().unwrap_or_default();
            first.note(format!(
                "{what} — published without cosign, attestation or provenance"
            ))
        }),
    )
}

const BINARY_EXTENSIONS: &[&str] = &[
    "exe", "dll", "so", "dylib", "jar", "war", "ear", "class", "pyc", "pyo", "o", "obj", "a",
    "lib", "bin", "apk", "aar", "ipa", "msi", "deb", "rpm", "elf", "wasm",
];

/// Wrapper jars are committed on purpose and verified by their tools.
const ALLOWED_BINARIES: &[&str] = &["gradle-wrapper.jar", "maven-wrapper.jar"];

fn no_committed_binaries(ctx: &Context) -> Outcome {
    let mut bad = Vec::new();
    for s in ctx.index.skipped() {
        if s.reason != "binary" && !s.reason.starts_with("larger than") {
            continue;
        }
        let name = crate::index::file_name(&s.path);
        let ext = name
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        if !BINARY_EXTENSIONS.contains(&ext.as_str())
            || ALLOWED_BINARIES.contains(&name)
            || is_test_path(&s.path)
        {
            continue;
        }
        bad.push(
            Evidence::file(s.path.clone())
                .note(format!(".{ext} binary committed to the repository")),
        );
    }
    if bad.is_empty() {
        return Outcome::pass(
            "no executables or compiled artefacts are committed",
            ctx.index
                .repo_anchor()
                .map(|e| {
                    e.note("no committed .exe/.dll/.so/.jar/.class/.pyc outside test fixtures")
                })
                .into_iter()
                .collect(),
        );
    }
    Outcome::fail(
        format!(
            "{} compiled binaries are committed: they cannot be reviewed and may hide malware",
            bad.len()
        ),
        bad,
    )
}

// ---------------------------------------------------------------------------------------------
// Catalogue.
// ---------------------------------------------------------------------------------------------

pub const RULES: &[Rule] = &[
    Rule {
        id: "deps-update-tool",
        title: "Dependency updates automated",
        category: Category::SupplyChain,
        weight: 7,
        applies: Applies::ALL,
        rationale: "Security fixes arrive as dependency updates; without a bot proposing them, \
            dependencies fall years behind and upgrades become projects.",
        passes_when: "Dependabot (.github/dependabot.yml) or Renovate (renovate.json, .renovaterc, \
            .github/renovate.json5, package.json \"renovate\") is configured.",
        remediation: "Add a Dependabot configuration covering each ecosystem, or enable Renovate.",
        snippet: Some("# .github/dependabot.yml\nversion: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n    groups:\n      minor-and-patch:\n        update-types: [minor, patch]"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(deps_update_tool),
    },
    Rule {
        id: "deps-update-coverage",
        title: "Update tool covers every ecosystem",
        category: Category::SupplyChain,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A Dependabot file that only lists npm leaves base images, GitHub Actions and other \
            manifests to rot unnoticed.",
        passes_when: "Every detected ecosystem (npm, pip/uv, gomod, cargo, maven, gradle, bundler, nuget, \
            composer, github-actions when workflows exist, docker when Dockerfiles exist, terraform) \
            has a Dependabot package-ecosystem entry; Renovate covers all unless enabledManagers narrows it. \
            In a package scan, Dependabot entries whose directories are other packages' folders, and \
            Renovate ignorePaths that match the package's manifests, do not cover it.",
        remediation: "Add an `updates:` entry for each missing ecosystem.",
        snippet: Some("# .github/dependabot.yml (updates)\n  - package-ecosystem: docker\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(deps_update_coverage),
    },
    Rule {
        id: "lockfiles-committed",
        title: "Lockfiles committed",
        category: Category::SupplyChain,
        weight: 6,
        applies: Applies::ALL,
        rationale: "Without a lockfile every install resolves the newest matching versions: builds \
            are not reproducible and a compromised release flows in unreviewed.",
        passes_when: "Each manifest that has dependencies has its lockfile next to it or at the \
            workspace root: package-lock/pnpm-lock/yarn.lock/bun.lock, uv.lock/poetry.lock/\
            Pipfile.lock/pdm.lock or fully pinned requirements, go.sum, Cargo.lock (binaries and \
            services), Gemfile.lock; Gradle/NuGet lockfiles only when dynamic versions are used. \
            Python, Rust and Ruby libraries are exempt.",
        remediation: "Commit the lockfile your package manager writes, and install with it in CI \
            (npm ci, uv sync --frozen, cargo build --locked).",
        snippet: None,
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(lockfiles),
    },
    Rule {
        id: "actions-pinned-sha",
        title: "Third-party actions pinned to commit SHAs",
        category: Category::SupplyChain,
        weight: 6,
        applies: Applies::ALL,
        rationale: "A tag like @v4 can be moved to malicious code by whoever controls the action \
            (tj-actions/changed-files, 2025); only a full commit SHA is immutable.",
        passes_when: "Every third-party `uses:` of the workflows and of the local composite actions \
            they use is pinned to a 40-hex commit SHA (docker:// images by @sha256 digest). Local ./ \
            actions pass; GitHub's own actions/* and github/* may use tags (lower risk, noted in the \
            result), as may the owners or repositories listed in the configuration's \
            `trusted-actions`; slsa-github-generator workflows are called by their exact @vX.Y.Z \
            tag, which the generator requires (noted).",
        remediation: "Pin each action to the commit of its release and keep the tag as a comment; \
            Dependabot and Renovate update pinned SHAs.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - uses: astral-sh/setup-uv@e92bafb6253dcd438e0484186d7669ea7a8ca1cc # v6.4.3"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(actions_pinned),
    },
    Rule {
        id: "workflow-permissions",
        title: "Workflow token permissions restricted",
        category: Category::SupplyChain,
        weight: 6,
        applies: Applies::ALL,
        rationale: "Without `permissions:` the GITHUB_TOKEN gets the repository default, often \
            read/write on everything; a compromised step can then push code or publish releases.",
        passes_when: "Each workflow sets top-level `permissions:` (or every job sets its own), and none \
            uses write-all. A workflow started only by `workflow_call` runs with its caller's token, \
            so its caller is judged instead.",
        remediation: "Declare `permissions: contents: read` at the top of each workflow and grant \
            writes per job only where needed.",
        snippet: Some("# .github/workflows/ci.yml\npermissions:\n  contents: read"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(workflow_permissions),
    },
    Rule {
        id: "dangerous-triggers",
        title: "No privileged workflow runs pull-request code",
        category: Category::SupplyChain,
        weight: 8,
        applies: Applies::ALL,
        rationale: "pull_request_target, workflow_run and issue_comment run with secrets and a write \
            token; checking out and building the pull request's code there hands both to any fork.",
        passes_when: "No workflow triggered by pull_request_target, workflow_run or issue_comment checks \
            out or fetches the pull request's head (ref/sha, refs/pull/…, gh pr checkout), itself, in \
            a local composite action it uses or in a local reusable workflow it calls (which runs \
            with the caller's privileges).",
        remediation: "Build untrusted code under `pull_request` (no secrets); if a privileged follow-up \
            is needed, pass data as artifacts and never execute it.",
        snippet: None,
        snippets: &[],
        effort: Effort::Hours,
        security: true,
        check: Check::Builtin(dangerous_triggers),
    },
    Rule {
        id: "untrusted-input-in-run",
        title: "No untrusted input expanded in run scripts",
        category: Category::SupplyChain,
        weight: 8,
        applies: Applies::ALL,
        rationale: "`${{ github.event.pull_request.title }}` is pasted into the script before the shell \
            runs it: a crafted title or branch name executes commands with the job's secrets.",
        passes_when: "No run: script (or github-script `script:`) expands issue/PR/comment/review text, \
            commit messages, author names, page names or head branch names via `${{ }}`.",
        remediation: "Pass the value through `env:` and use the quoted shell variable.",
        snippet: Some("# .github/workflows/x.yml (steps)\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"$TITLE\""),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(untrusted_input),
    },
    Rule {
        id: "sbom-generated",
        title: "SBOM generated",
        category: Category::SupplyChain,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A software bill of materials lets you answer \"are we affected?\" in minutes when a \
            dependency vulnerability is announced.",
        passes_when: "CI or build configuration generates an SBOM: syft, anchore/sbom-action, \
            CycloneDX tools, docker buildx --sbom / sbom: true, trivy --format cyclonedx/spdx, \
            goreleaser sboms.",
        remediation: "Generate an SBOM for each release or image and publish it with the artefact.",
        snippet: Some("# .github/workflows/release.yml (steps)\n      - uses: anchore/sbom-action@17ae1740179002c89186b61233e0f892c3118b11 # v0.23.0\n        with:\n          image: ghcr.io/${{ github.repository }}:${{ github.sha }}\n          format: spdx-json"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(sbom),
    },
    Rule {
        id: "artifacts-signed",
        title: "Published artefacts signed or attested",
        category: Category::SupplyChain,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A signature or provenance attestation lets consumers verify an image or package \
            was built by your pipeline from your source, not swapped in the registry.",
        passes_when: "When CI publishes images, packages or releases, it signs or attests them: cosign, \
            sigstore, actions/attest-build-provenance, slsa-github-generator, npm --provenance, \
            buildx provenance, goreleaser signs, PyPI Trusted Publishing attestations.",
        remediation: "Attest build provenance for what you publish (GitHub's attest action or cosign).",
        snippet: Some("# .github/workflows/release.yml\npermissions:\n  id-token: write\n  attestations: write\n  contents: read\n# steps\n      - uses: actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2.4.0\n        with:\n          subject-path: dist/*"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(artifacts_signed),
    },
    Rule {
        id: "no-committed-binaries",
        title: "No committed binaries",
        category: Category::SupplyChain,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Executables and compiled artefacts in the repository cannot be reviewed or \
            rebuilt from source, and are a classic place to hide malware.",
        passes_when: "No binary .exe, .dll, .so, .dylib, .jar, .war, .class, .pyc, .o, .a, .bin, .apk \
            … is committed outside test fixtures (Gradle/Maven wrapper jars are allowed).",
        remediation: "Remove the binaries, build them in CI, and add their patterns to .gitignore.",
        snippet: Some("# .gitignore\n*.exe\n*.dll\n*.so\n*.class\n*.pyc\n/dist/"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(no_committed_binaries),
    },
];

pub const SIGNALS: &[Signal] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const WF: &str = ".github/workflows/ci.yml";

    #[test]
    fn patterns_compile() {
        for r in [
            &*PINNED_REQ,
            &*GRADLE_DYNAMIC,
            &*NUGET_FLOATING,
            &*PR_HEAD,
            &*GIT_FETCH_PR,
            &*UNTRUSTED,
            &*SBOM,
            &*PUBLISH,
            &*SIGNED,
        ] {
            assert!(!r.as_str().is_empty());
        }
    }

    /// The fix's `updates:` as (ecosystem, folders), from the YAML itself.
    fn dependabot_entries(fix: &str) -> Vec<(String, Vec<String>)> {
        let doc: yaml_serde::Value = yaml_serde::from_str(fix).expect("valid YAML");
        let updates = doc.get("updates").map_or_else(|| doc.clone(), Clone::clone);
        updates
            .as_sequence()
            .expect("a list of updates")
            .iter()
            .map(|u| {
                let eco = u["package-ecosystem"].as_str().unwrap().to_string();
                let dirs = match u.get("directory") {
                    Some(d) => vec![d.as_str().unwrap().to_string()],
                    None => u["directories"]
                        .as_sequence()
                        .unwrap()
                        .iter()
                        .map(|d| d.as_str().unwrap().to_string())
                        .collect(),
                };
                (eco, dirs)
            })
            .collect()
    }

    #[test]
    fn missing_update_tool_gets_a_dependabot_file_for_what_is_there() {
        let r = rule(RULES, "deps-update-tool");
        let o = assert_fail(
            r,
            &[
                ("package.json", r#"{"workspaces": ["apps/*"]}"#),
                ("apps/web/package.json", "{}"),
                ("svc/a/requirements.txt", "flask\n"),
                ("svc/b/pyproject.toml", "[project]\nname = \"b\"\n"),
                ("deploy/Dockerfile", "FROM alpine:3.20\n"),
                ("go.mod", "module x\n"),
                (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
                ("vendor/lib/go.mod", "module y\n"),
            ],
        );
        let fix = o.fix.expect("a Dependabot file");
        assert!(fix.starts_with("# .github/dependabot.yml\n"), "{fix}");
        let entries = dependabot_entries(&fix);
        let find = |eco: &str| {
            entries
                .iter()
                .find(|(e, _)| e == eco)
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| panic!("{eco} in {fix}"))
        };
        // The workspace root updates its packages; other ecosystems list every folder.
        assert_eq!(find("npm"), ["/"]);
        assert_eq!(find("pip"), ["/svc/a", "/svc/b"]);
        assert_eq!(
            find("gomod"),
            ["/"],
            "vendored modules are not the project's"
        );
        assert_eq!(find("docker"), ["/deploy"]);
        assert_eq!(find("github-actions"), ["/"]);
    }

    #[test]
    fn partial_dependabot_gets_the_missing_entries_only() {
        let r = rule(RULES, "deps-update-coverage");
        let o = assert_fail(
            r,
            &[
                (
                    ".github/dependabot.yml",
                    "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n",
                ),
                ("package.json", "{}"),
                ("api/pyproject.toml", "[project]\nname = \"api\"\n"),
                ("api/uv.lock", "version = 1\n"),
            ],
        );
        let fix = o.fix.expect("the missing entries");
        assert!(
            fix.starts_with("# .github/dependabot.yml (add under updates:)\n"),
            "{fix}"
        );
        // The entries are indented for the file's `updates:` list.
        let as_file = format!("updates:\n{}", fix.split_once('\n').unwrap().1);
        assert_eq!(
            dependabot_entries(&as_file),
            [("uv".to_string(), vec!["/api".to_string()])]
        );
    }

    #[test]
    fn update_tool_dependabot_or_renovate() {
        let r = rule(RULES, "deps-update-tool");
        let o = assert_pass(
            r,
            &[(
                ".github/dependabot.yml",
                "version: 2\nupdates:\n  - package-ecosystem: npm\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert_pass(
            r,
            &[(
                ".github/renovate.json5",
                "{extends: ['config:recommended']}",
            )],
        );
        assert_pass(r, &[("package.json", "{\n  \"renovate\": {}\n}\n")]);
        let o = assert_fail(r, &[("README.md", "x"), (".github/dependabot.yml", "")]);
        assert_eq!(o.evidence[0].path, "README.md");
    }

    #[test]
    fn dependabot_directories_reach_a_package_folder() {
        let own = "v3/casbin/";
        for d in [
            "/v3/casbin/",
            "/v3/casbin",
            "v3/casbin",
            "/v3/*",
            "/**/",
            "/v3/casbin/example/",
            "/v3",
        ] {
            assert!(folder_reaches(d, own), "{d}");
        }
        for d in ["/v3/casbin-v2/", "/v3/jwt", "/otelfiber/*", "/casbin"] {
            assert!(!folder_reaches(d, own), "{d}");
        }
    }

    #[test]
    fn coverage_cites_missing_ecosystems() {
        let r = rule(RULES, "deps-update-coverage");
        let db = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n";
        let files = [
            (".github/dependabot.yml", db),
            ("pyproject.toml", "[project]\n"),
            ("Dockerfile", "FROM python:3.12\n"),
            (WF, "on: push\njobs: {}\n"),
        ];
        let o = assert_fail(r, &files);
        assert!(
            o.message.contains("github-actions") && o.message.contains("docker"),
            "{}",
            o.message
        );
        assert!(cites(&o, ".github/dependabot.yml", 2));
        assert!(o.evidence.iter().any(|e| e.path == "Dockerfile"));
        let full = "version: 2\nupdates:\n  - package-ecosystem: uv\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n  - package-ecosystem: github-actions\n    directory: /\n";
        let o = assert_pass(
            r,
            &[
                (".github/dependabot.yml", full),
                files[1],
                files[2],
                files[3],
            ],
        );
        assert!(o.evidence.iter().any(|e| e.line == Some(7)));
        assert_pass(r, &[("renovate.json", "{}"), files[1], files[2]]);
        assert_fail(
            r,
            &[
                ("renovate.json", "{\"enabledManagers\": [\"npm\"]}"),
                files[1],
            ],
        );
        assert_na(r, &[files[1]]);
    }

    #[test]
    fn lockfiles_per_stack() {
        let r = rule(RULES, "lockfiles-committed");
        let pkg = "{\"dependencies\": {\"next\": \"15\"}}";
        let o = assert_fail(
            r,
            &[
                ("package.json", "{\"private\": true}"),
                ("apps/web/package.json", pkg),
            ],
        );
        assert_eq!(o.evidence[0].path, "apps/web/package.json");
        let o = assert_pass(
            r,
            &[("pnpm-lock.yaml", "x"), ("apps/web/package.json", pkg)],
        );
        assert_eq!(o.evidence[0].path, "pnpm-lock.yaml");
        // Service in Python: uv.lock; unpinned standalone requirements cite the line.
        let svc = [
            ("Dockerfile", "FROM x"),
            ("pyproject.toml", "[project]\ndependencies = []\n"),
            ("uv.lock", ""),
        ];
        assert_pass(r, &svc);
        let o = assert_fail(
            r,
            &[
                ("Dockerfile", "FROM x"),
                ("requirements.txt", "flask==3.0.0\nrequests\n"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("requirements.txt", Some(2))
        );
        assert_pass(
            r,
            &[
                ("Dockerfile", "FROM x"),
                ("requirements.txt", "flask==3.0.0\n# c\n"),
            ],
        );
        // Go needs go.sum once it requires modules.
        assert_fail(r, &[("go.mod", "module x\nrequire a v1\n")]);
        assert_pass(r, &[("go.mod", "module x\nrequire a v1\n"), ("go.sum", "")]);
        // Rust library: lockfile left to consumers.
        assert_na(r, &[("Cargo.toml", "[package]\n"), ("src/lib.rs", "")]);
        assert_fail(r, &[("Cargo.toml", "[package]\n"), ("src/main.rs", "")]);
        assert_na(r, &[("pom.xml", "<project/>")]);
    }

    #[test]
    fn unpinned_third_party_actions_cited_by_line() {
        let r = rule(RULES, "actions-pinned-sha");
        let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v5\n      - uses: ./local\n      - uses: docker://alpine:3\n";
        let o = assert_fail(r, &[(WF, wf)]);
        let lines: Vec<Option<u32>> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(7), Some(9)]);
        let ok = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@0123456789abcdef0123456789abcdef01234567 # v5\n";
        let o = assert_pass(r, &[(WF, ok)]);
        assert!(o.message.contains("first-party"), "{}", o.message);
        assert_na(r, &[("README.md", "x")]);
    }

    #[test]
    fn trusted_actions_from_the_configuration_may_use_tags() {
        use crate::history::History;
        use crate::rules::Status;
        let r = rule(RULES, "actions-pinned-sha");
        let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: my-org/deploy/setup@v2\n      - uses: astral-sh/setup-uv@v5\n";
        let index = Index::from_files(&[(WF, wf)]);
        let run = |globs: &[&str]| {
            let config = crate::config::Config {
                trusted_actions: globs.iter().map(|g| g.to_string()).collect(),
                ..Default::default()
            };
            let set = config.trusted_actions().expect("valid globs");
            r.run(&Context {
                index: &index,
                stacks: &[],
                profile: Profile::Library,
                history: &History::default(),
                trusted_actions: Some(&set),
            })
        };
        // Without configuration both are unpinned; trusting my-org leaves astral-sh.
        assert_eq!(run(&[]).evidence.len(), 2);
        let o = run(&["My-Org/*"]);
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(7));
        // A repository glob, not a prefix: `astral-sh/setup` does not match setup-uv.
        let o = run(&["my-org/*", "astral-sh/setup"]);
        assert_eq!(o.status, Status::Fail);
        let o = run(&["my-org/*", "astral-sh/setup-uv"]);
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(o.message.contains("trusted-actions"), "{}", o.message);
        assert!(o.evidence.iter().any(|e| e
            .note
            .as_deref()
            .is_some_and(|n| n.contains("my-org/deploy/setup@v2 (in trusted-actions"))));
    }

    /// flask's publish.yaml:36 calls the SLSA generator by tag, as it requires; mastodon's
    /// ./.github/actions/setup-ruby (line 20) uses ruby/setup-ruby@v1.
    #[test]
    fn slsa_generator_by_tag_and_actions_inside_local_actions() {
        let r = rule(RULES, "actions-pinned-sha");
        let publish = "name: Publish\non:\n  push:\n    tags:\n      - '*'\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n  provenance:\n    needs: [build]\n    permissions:\n      actions: read\n      id-token: write\n      contents: write\n    # Can't pin with hash due to how this workflow works.\n    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.0.0\n";
        let o = assert_pass(r, &[(".github/workflows/publish.yaml", publish)]);
        let slsa = o.evidence.iter().find(|e| e.line == Some(18)).unwrap();
        assert!(
            slsa.note.as_deref().is_some_and(|n| n.contains("accepted")),
            "{slsa:?}"
        );
        assert!(o.message.contains("SLSA generator"), "{}", o.message);
        // Only an exact release tag: a branch or a major tag is still unpinned.
        for bad_ref in ["@main", "@v2"] {
            let moved = publish.replace("@v2.0.0", bad_ref);
            let o = assert_fail(r, &[(".github/workflows/publish.yaml", &moved)]);
            assert_eq!(o.evidence[0].line, Some(18), "{bad_ref}");
        }
        // Another repository's workflow by tag is not the exception.
        let other = publish.replace("slsa-framework/slsa-github-generator", "acme/release-tools");
        assert_fail(r, &[(".github/workflows/publish.yaml", &other)]);

        let lint = "name: Ruby Linting\non:\n  pull_request:\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Set up Ruby environment\n        uses: ./.github/actions/setup-ruby\n";
        let action = "name: 'Setup RUby'\ndescription: 'Setup a Ruby environment ready to run the Mastodon code'\ninputs:\n  ruby-version:\n    description: The Ruby version to install\n    default: '.ruby-version'\n  additional-system-dependencies:\n    description: 'Additional packages to install'\n\nruns:\n  using: 'composite'\n  steps:\n    - name: Install system dependencies\n      shell: bash\n      run: |\n        sudo apt-get update\n\n    - name: Set up Ruby\n      uses: ruby/setup-ruby@v1\n      with:\n        ruby-version: ${{ inputs.ruby-version }}\n        bundler-cache: true\n";
        let path = ".github/actions/setup-ruby/action.yml";
        let o = assert_fail(
            r,
            &[(".github/workflows/lint-ruby.yml", lint), (path, action)],
        );
        assert_eq!(o.evidence.len(), 1, "{:?}", o.evidence);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (path, Some(19))
        );
        // Pinned inside the action, the repository passes.
        let pinned = action.replace(
            "ruby/setup-ruby@v1",
            "ruby/setup-ruby@a4effe49ee8ee5b8b5091268c473a4628afb5651 # v1.245.0",
        );
        assert_pass(
            r,
            &[(".github/workflows/lint-ruby.yml", lint), (path, &pinned)],
        );
    }

    #[test]
    fn permissions_top_level_or_every_job() {
        let r = rule(RULES, "workflow-permissions");
        let o = assert_fail(r, &[(WF, "on: push\njobs:\n  a:\n    runs-on: x\n")]);
        assert_eq!(o.evidence[0].line, Some(1));
        let o = assert_fail(
            r,
            &[(
                WF,
                "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        let o = assert_pass(
            r,
            &[(
                WF,
                "on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: x\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert_pass(
            r,
            &[(
                WF,
                "on: push\njobs:\n  a:\n    permissions: {}\n    runs-on: x\n",
            )],
        );
        assert_na(r, &[("README.md", "x")]);
    }

    /// mastodon: build-container-image.yml is only `on: workflow_call` and has no
    /// `permissions:`; build-releases.yml (lines 7-9) grants them when calling it.
    #[test]
    fn permissions_of_a_called_workflow_come_from_its_caller() {
        let r = rule(RULES, "workflow-permissions");
        let called = "on:\n  workflow_call:\n    inputs:\n      platforms:\n        required: true\n        type: string\n\njobs:\n  build-image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n";
        let caller = "name: Build container release images\non:\n  push:\n    tags:\n      - '*'\n\npermissions:\n  contents: read\n  packages: write\n\njobs:\n  build-image:\n    uses: ./.github/workflows/build-container-image.yml\n    secrets: inherit\n";
        let o = assert_pass(
            r,
            &[
                (".github/workflows/build-container-image.yml", called),
                (".github/workflows/build-releases.yml", caller),
            ],
        );
        let at = locations(&o);
        assert_eq!(
            at,
            vec![
                (".github/workflows/build-container-image.yml", Some(2)),
                (".github/workflows/build-releases.yml", Some(7)),
            ]
        );
        // The caller without permissions is still flagged, and so is a called workflow that
        // can also be started by hand (then it runs with the default token).
        let bare_caller = caller.replace("permissions:\n  contents: read\n  packages: write\n", "");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/build-container-image.yml", called),
                (".github/workflows/build-releases.yml", &bare_caller),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].path, ".github/workflows/build-releases.yml");
        let dispatchable = called.replace("on:\n", "on:\n  workflow_dispatch:\n");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/build-container-image.yml", &dispatchable),
                (".github/workflows/build-releases.yml", caller),
            ],
        );
        assert_eq!(
            o.evidence[0].path,
            ".github/workflows/build-container-image.yml"
        );
        assert_eq!(o.evidence[0].line, Some(1));
    }

    #[test]
    fn pull_request_target_checking_out_the_head() {
        let r = rule(RULES, "dangerous-triggers");
        let bad = "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n";
        let o = assert_fail(r, &[(WF, bad)]);
        assert_eq!(o.evidence[0].line, Some(8));
        let bad2 = "on:\n  issue_comment:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          gh pr checkout ${{ github.event.issue.number }}\n";
        let o = assert_fail(r, &[(WF, bad2)]);
        assert_eq!(o.evidence[0].line, Some(8));
        let ok = "on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/labeler@v5\n";
        let o = assert_pass(r, &[(WF, ok)]);
        assert_eq!(o.evidence[0].line, Some(1));
        assert_pass(r, &[(WF, "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n")]);
        assert_na(r, &[("README.md", "x")]);
    }

    /// cal.com: pr.yml (pull_request_target) uses ./.github/actions/dangerous-git-checkout,
    /// whose action.yml:9 checks out the PR head, and calls ./.github/workflows/lint.yml,
    /// which uses the same action before `yarn lint:report`.
    const CALCOM_PR: &str = "name: PR Update\n\non:\n  pull_request_target:\n    branches:\n      - main\n  merge_group:\n  workflow_dispatch:\n\njobs:\n  changes:\n    runs-on: buildjet-4vcpu-ubuntu-2204\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/dangerous-git-checkout\n  lint:\n    name: Linters\n    needs: [changes]\n    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n";
    const CALCOM_PR_CALLS_ONLY: &str = "name: PR Update\non:\n  pull_request_target:\njobs:\n  lint:\n    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n";
    const CALCOM_LINT: &str = "name: Lint\non:\n  workflow_call:\n\npermissions:\n  contents: read\n\njobs:\n  lint:\n    runs-on: buildjet-4vcpu-ubuntu-2204\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/dangerous-git-checkout\n      - uses: ./.github/actions/yarn-install\n      - name: Run Lint\n        run: yarn lint:report\n";
    const CALCOM_CHECKOUT: &str = "name: Dangerous git Checkout\ndescription: \"Git Checkout from PR code so we can run checks from forks\"\nruns:\n  using: \"composite\"\n  steps:\n    - name: Checkout repo\n      uses: actions/checkout@v4\n      with:\n        ref: ${{ github.event.pull_request.head.sha }}\n        fetch-depth: 2\n";
    const CALCOM_ACTION: &str = ".github/actions/dangerous-git-checkout/action.yml";

    /// A checkout action that takes the ref as an input, as many repositories write it.
    const CHECKOUT_INPUT: &str = "name: Checkout\ninputs:\n  ref:\n    description: what to check out\n    required: true\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n      with:\n        ref: ${{ inputs.ref }}\n    - run: git fetch origin ${{ inputs.ref }}\n      shell: bash\n";
    const CHECKOUT_INPUT_PATH: &str = ".github/actions/checkout/action.yml";

    #[test]
    fn a_pr_head_passed_as_an_input_to_a_local_action_or_called_workflow() {
        let r = rule(RULES, "dangerous-triggers");
        let caller = |trigger: &str, sha: &str| {
            format!(
                "on:\n  {trigger}:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/checkout\n        with:\n          ref: {sha}\n"
            )
        };
        let head = "${{ github.event.pull_request.head.sha }}";
        let o = assert_fail(
            r,
            &[
                (
                    ".github/workflows/pr.yml",
                    &caller("pull_request_target", head),
                ),
                (CHECKOUT_INPUT_PATH, CHECKOUT_INPUT),
            ],
        );
        let at = locations(&o);
        assert!(at.contains(&(CHECKOUT_INPUT_PATH, Some(11))), "{at:?}");
        assert!(at.contains(&(CHECKOUT_INPUT_PATH, Some(12))), "{at:?}");
        let note = o.evidence[0].note.as_deref().unwrap_or("");
        assert!(
            note.contains("${{ inputs.ref }} = ${{ github.event.pull_request.head.sha }}"),
            "{note}"
        );
        // Passed on through a called workflow's input: still the head.
        let called = "on:\n  workflow_call:\n    inputs:\n      sha:\n        type: string\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/checkout\n        with:\n          ref: ${{ inputs.sha }}\n";
        let calls = format!(
            "on:\n  pull_request_target:\njobs:\n  a:\n    uses: ./.github/workflows/called.yml\n    with:\n      sha: {head}\n"
        );
        let o = assert_fail(
            r,
            &[
                (".github/workflows/pr.yml", &calls),
                (".github/workflows/called.yml", called),
                (CHECKOUT_INPUT_PATH, CHECKOUT_INPUT),
            ],
        );
        assert!(locations(&o).contains(&(CHECKOUT_INPUT_PATH, Some(11))));
        // The same action given the base commit, or under pull_request, is fine.
        assert_pass(
            r,
            &[
                (
                    ".github/workflows/pr.yml",
                    &caller("pull_request_target", "${{ github.sha }}"),
                ),
                (CHECKOUT_INPUT_PATH, CHECKOUT_INPUT),
            ],
        );
        assert_pass(
            r,
            &[
                (".github/workflows/pr.yml", &caller("pull_request", head)),
                (CHECKOUT_INPUT_PATH, CHECKOUT_INPUT),
            ],
        );
    }

    #[test]
    fn pull_request_target_checking_out_the_head_in_a_local_action() {
        let r = rule(RULES, "dangerous-triggers");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/pr.yml", CALCOM_PR),
                (".github/workflows/lint.yml", CALCOM_LINT),
                (CALCOM_ACTION, CALCOM_CHECKOUT),
            ],
        );
        let at = locations(&o);
        // The action's `ref:` line once, and the privileged workflow's steps that lead there.
        assert_eq!(
            at,
            vec![
                (CALCOM_ACTION, Some(9)),
                (".github/workflows/pr.yml", Some(15)),
                (".github/workflows/pr.yml", Some(19)),
            ]
        );
        let notes: Vec<&str> = o
            .evidence
            .iter()
            .filter_map(|e| e.note.as_deref())
            .collect();
        assert!(
            notes[0].contains("via .github/workflows/pr.yml:15"),
            "{notes:?}"
        );
        assert!(
            notes[2].contains("./.github/workflows/lint.yml"),
            "{notes:?}"
        );

        // Only through the called workflow: its jobs run with pr.yml's privileges.
        let o = assert_fail(
            r,
            &[
                (".github/workflows/pr.yml", CALCOM_PR_CALLS_ONLY),
                (".github/workflows/lint.yml", CALCOM_LINT),
                (CALCOM_ACTION, CALCOM_CHECKOUT),
            ],
        );
        assert_eq!(o.evidence[0].path, CALCOM_ACTION);
        assert_eq!(o.evidence[0].line, Some(9));
        assert!(
            o.evidence[0]
                .note
                .as_deref()
                .is_some_and(|n| n.contains("pr.yml:6 → .github/workflows/lint.yml:13")),
            "{:?}",
            o.evidence
        );
        assert_eq!(
            (o.evidence[1].path.as_str(), o.evidence[1].line),
            (".github/workflows/pr.yml", Some(6))
        );

        // The same action under pull_request (no secrets) is fine, and so is a privileged
        // workflow whose local action checks out the base (no `ref:`).
        let unprivileged = CALCOM_PR.replace("pull_request_target:", "pull_request:");
        assert_pass(
            r,
            &[
                (".github/workflows/pr.yml", &unprivileged),
                (".github/workflows/lint.yml", CALCOM_LINT),
                (CALCOM_ACTION, CALCOM_CHECKOUT),
            ],
        );
        let base = CALCOM_CHECKOUT.replace(
            "        ref: ${{ github.event.pull_request.head.sha }}\n",
            "",
        );
        assert_pass(
            r,
            &[
                (".github/workflows/pr.yml", CALCOM_PR),
                (".github/workflows/lint.yml", CALCOM_LINT),
                (CALCOM_ACTION, &base),
            ],
        );
        // The called workflow on its own (workflow_call only) is not privileged.
        assert_pass(
            r,
            &[
                (".github/workflows/lint.yml", CALCOM_LINT),
                (CALCOM_ACTION, CALCOM_CHECKOUT),
            ],
        );
    }

    #[test]
    fn untrusted_text_in_run_cited_at_the_script_line() {
        let r = rule(RULES, "untrusted-input-in-run");
        let bad = "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo start\n          echo \"${{ github.event.pull_request.title }}\"\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            console.log(\"${{ github.head_ref }}\")\n";
        let o = assert_fail(r, &[(WF, bad)]);
        let lines: Vec<Option<u32>> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(8), Some(12)]);
        let ok = "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - env:\n          T: ${{ github.event.pull_request.title }}\n        run: echo \"$T ${{ github.event.pull_request.number }} ${{ github.event.pull_request.base.ref }}\"\n";
        assert_pass(r, &[(WF, ok)]);
        assert_na(r, &[("README.md", "x")]);
    }

    #[test]
    fn sbom_and_signing() {
        let r = rule(RULES, "sbom-generated");
        let o = assert_pass(r, &[(WF, "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: anchore/sbom-action@v0\n")]);
        assert_eq!(o.evidence[0].line, Some(6));
        let o = assert_fail(
            r,
            &[(
                WF,
                "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n",
            )],
        );
        assert_eq!(o.evidence[0].path, WF);

        let s = rule(RULES, "artifacts-signed");
        let publish = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/x/y:1\n";
        let o = assert_fail(s, &[(WF, publish)]);
        assert_eq!(o.evidence[0].line, Some(6));
        let signed = format!("{publish}      - run: cosign sign --yes ghcr.io/x/y@sha256:abc\n");
        let o = assert_pass(s, &[(WF, &signed)]);
        assert_eq!(o.evidence[0].line, Some(7));
        assert_na(
            s,
            &[(
                WF,
                "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make test\n",
            )],
        );
        let pypi = "on: release\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n";
        assert_pass(s, &[(WF, pypi)]);
    }

    #[test]
    fn an_image_pushed_by_an_expression_is_published() {
        // mastodon .github/workflows/build-container-image.yml: the push is conditional.
        let s = rule(RULES, "artifacts-signed");
        let wf = |push: &str| {
            format!(
                "on: workflow_call\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n      - uses: docker/build-push-action@v6\n        id: build\n        with:\n          context: .\n          provenance: false\n          push: {push}\n"
            )
        };
        let o = assert_fail(s, &[(WF, &wf("${{ inputs.push_to_images != '' }}"))]);
        assert_eq!(o.evidence[0].path, WF);
        assert_eq!(o.evidence[0].line, Some(14));
        let note = o.evidence[0].note.clone().unwrap_or_default();
        assert!(note.contains("docker/build-push-action"), "{note}");
        // A literal push still publishes, once.
        let o = assert_fail(s, &[(WF, &wf("true"))]);
        assert_eq!(o.evidence.len(), 1);
        // A build that never pushes publishes nothing.
        assert_na(s, &[(WF, &wf("false"))]);
        // Signed with cosign: pass.
        let signed = format!(
            "{}      - run: cosign sign --yes ghcr.io/x/y@${{{{ steps.build.outputs.digest }}}}\n",
            wf("${{ github.event_name != 'pull_request' }}")
        );
        assert_pass(s, &[(WF, &signed)]);
    }

    #[test]
    fn committed_binaries_from_skipped_entries() {
        use crate::history::History;
        use crate::walk::{Skipped, WalkOutput};
        let r = rule(RULES, "no-committed-binaries");
        let run = |skipped: Vec<(&str, &str)>| {
            let mut out = WalkOutput::default();
            out.files.push(IndexedFile::new(
                "README.md".into(),
                1,
                "x".into(),
                Default::default(),
            ));
            out.skipped = skipped
                .into_iter()
                .map(|(p, r)| Skipped {
                    path: p.into(),
                    reason: r.into(),
                })
                .collect();
            let index = Index::new(out, &[]);
            r.run(&Context {
                index: &index,
                stacks: &[],
                profile: Profile::Library,
                history: &History::default(),
                trusted_actions: None,
            })
        };
        let o = run(vec![
            ("bin/tool.exe", "binary"),
            ("gradle/wrapper/gradle-wrapper.jar", "binary"),
            ("tests/fixtures/a.so", "binary"),
            ("assets/logo.png", "binary"),
            ("lib/big.jar", "larger than max-file-size (1 bytes)"),
        ]);
        assert_eq!(o.status, crate::rules::Status::Fail);
        let paths: Vec<&str> = o.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, vec!["bin/tool.exe", "lib/big.jar"]);
        let o = run(vec![("assets/logo.png", "binary")]);
        assert_eq!(o.status, crate::rules::Status::Pass);
        assert_eq!(o.evidence[0].path, "README.md");
    }
}
