//! Continuous integration: a pipeline exists, runs on pull requests, tests, lints and builds,
//! and is run with the hygiene that keeps it fast and cheap (caches, timeouts, cancelling
//! superseded runs), including the Docker image and the databases the app needs.
//!
//! What CI *runs* is read from commands: every line of GitHub `run:` scripts (and of local
//! composite actions the workflows use), and every non-comment line of the other providers'
//! files. `make X`, `just X` and `npm run X` are followed one or two levels into the
//! Makefile, justfile or package.json, so `make ci` that runs pytest counts as running tests;
//! `tox -e X` and `nox -s X` are judged by the commands of the env or session ([`tox_run`]).

use super::compose_run;
use super::tox_run;
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::{Profile, StackId};
use crate::index::join_path as join;
use crate::index::{parent_dir, Index};
use crate::model::ci::{self as ciconf, shorten};
use crate::model::workflow::{self, Step, Workflow};
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// CI commands, shared with the supply-chain rules.
// ---------------------------------------------------------------------------------------------

/// One command line of CI configuration, with its exact file line.
#[derive(Debug, Clone)]
pub(super) struct CiLine {
    pub path: String,
    pub line: u32,
    /// The line as written (what evidence quotes).
    pub text: String,
    /// The line as it runs: variables of the workflow's, job's and step's `env:` with a
    /// literal value replaced (`${{ env.CARGO }} test` → `cargo test`). Rules match this.
    pub run: String,
    /// The directory the command runs in, repository-relative ("" for the root or unknown):
    /// task files and scripts it names are found there.
    pub dir: String,
}

impl CiLine {
    pub fn evidence(&self) -> Evidence {
        Evidence::at(self.path.clone(), self.line).note(shorten(&self.text))
    }
}

const GITHUB: &str = "GitHub Actions";

/// Every command line CI runs: GitHub `run:` lines (and `with: run|command` inputs of wrapper
/// actions), lines of local composite actions used by workflows, and the non-comment lines of
/// other providers' files (and of workflows that do not parse). Shell comments are left out.
pub(super) fn command_lines(index: &Index) -> Vec<CiLine> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<CiLine>, path: &str, line: u32, text: &str, dir: &str, env: Env| {
        let t = text.trim();
        if !t.is_empty() && !t.starts_with('#') {
            out.push(CiLine {
                path: path.to_string(),
                line,
                text: t.to_string(),
                run: with_env(t, env),
                dir: dir.to_string(),
            });
        }
    };
    let mut seen_actions = BTreeSet::new();
    for wf in index.workflows() {
        if wf.error.is_some() {
            // Unparsable: fall back to its text so a typo does not hide the whole pipeline.
            if let Some(text) = index.text(&wf.path) {
                for (i, l) in text.lines().enumerate() {
                    push(&mut out, &wf.path, i as u32 + 1, l, "", &[]);
                }
            }
            continue;
        }
        for (job, step) in wf.all_steps() {
            let env: Env = &[&step.env, &job.env, &wf.env];
            step_commands(index, &mut out, &wf.path, step, env, &push);
            // Local composite actions are part of the pipeline.
            if let Some(u) = step.uses.as_ref().filter(|u| u.is_local()) {
                let dir = u.value.trim_start_matches("./").trim_end_matches('/');
                if seen_actions.insert(dir.to_string()) {
                    if let Some((path, steps)) = workflow::load_action(index, dir) {
                        for s in &steps {
                            step_commands(index, &mut out, &path, s, &[&s.env], &push);
                        }
                    }
                }
            }
        }
    }
    for (provider, f) in ciconf::files(index) {
        if provider == GITHUB {
            continue;
        }
        let Some(text) = f.text() else { continue };
        let variables = if provider == GITLAB {
            GitlabVariables::of(index, &f.path)
        } else {
            GitlabVariables::default()
        };
        for (i, l) in text.lines().enumerate() {
            let t = l.trim_start();
            if t.starts_with("//") {
                continue;
            }
            let line = i as u32 + 1;
            // A variable's definition is not a command (`PYTEST_ADDOPTS: -q` runs nothing).
            if variables.definitions.contains(&line) {
                continue;
            }
            push(&mut out, &f.path, line, l, "", &variables.in_scope(line));
        }
    }
    out
}

const GITLAB: &str = "GitLab CI";

/// The `variables:` of a GitLab CI file: the global ones and each job's, with the lines the
/// job spans, so a script line resolves `$PYTEST` like a GitHub step resolves its `env:`.
#[derive(Default)]
struct GitlabVariables {
    global: Vec<workflow::EnvVar>,
    /// (first line, last line, variables) per job that has some.
    jobs: Vec<(u32, u32, Vec<workflow::EnvVar>)>,
    /// Lines that define a variable (its key, and `value:`/`description:` of the long form).
    definitions: BTreeSet<u32>,
}

impl GitlabVariables {
    fn of(index: &Index, path: &str) -> Self {
        let Some(root) = index
            .yaml(path)
            .and_then(|y| y.as_ref().ok())
            .and_then(|y| y.root())
        else {
            return GitlabVariables::default();
        };
        let entries = root.entries();
        let mut vars = GitlabVariables::default();
        if let Some(node) = root.get("variables") {
            vars.global = gitlab_vars(node, &mut vars.definitions);
        }
        for (i, (key, job)) in entries.iter().enumerate() {
            let Some(node) = job.get("variables") else {
                continue;
            };
            let v = gitlab_vars(node, &mut vars.definitions);
            let end = entries
                .get(i + 1)
                .map_or(u32::MAX, |(next, _)| next.line - 1);
            vars.jobs.push((key.line, end, v));
        }
        vars
    }

    /// The variables in scope at `line`, innermost first (the job's, then the global ones).
    fn in_scope(&self, line: u32) -> Vec<&[workflow::EnvVar]> {
        let job = self
            .jobs
            .iter()
            .find(|(start, end, _)| (*start..=*end).contains(&line));
        job.map(|(_, _, v)| v.as_slice())
            .into_iter()
            .chain([self.global.as_slice()])
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// A `variables:` mapping: `NAME: value` or `NAME: {value: …, description: …}`. The lines
/// that define them go into `definitions`.
fn gitlab_vars(
    node: &crate::model::yaml::Node,
    definitions: &mut BTreeSet<u32>,
) -> Vec<workflow::EnvVar> {
    node.entries()
        .iter()
        .filter_map(|(k, v)| {
            definitions.insert(k.line);
            definitions.extend(v.entries().iter().map(|(inner, _)| inner.line));
            let value = v
                .as_str()
                .or_else(|| v.get("value").and_then(|x| x.as_str()));
            Some(workflow::EnvVar {
                key: k.as_str()?.to_string(),
                value: value.map(str::to_string),
                line: k.line,
            })
        })
        .collect()
}

/// `env:` mappings in scope of a step, innermost first (step, job, workflow).
type Env<'a> = &'a [&'a [workflow::EnvVar]];

type PushFn = dyn Fn(&mut Vec<CiLine>, &str, u32, &str, &str, Env);

/// `${{ env.NAME }}`, `${NAME}` and `$NAME`.
static ENV_REF: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\$\{\{\s*env\.([A-Za-z_]\w*)\s*\}\}|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)")
});

/// `text` with the references to variables of `env` that hold a literal value (no expression,
/// at most 256 bytes) replaced by that value, once (a value is not expanded again). Other
/// references stay as written.
fn with_env(text: &str, env: Env) -> String {
    if env.iter().all(|e| e.is_empty()) || !text.contains('$') {
        return text.to_string();
    }
    ENV_REF
        .replace_all(text, |c: &regex::Captures| {
            let name = c
                .get(1)
                .or(c.get(2))
                .or(c.get(3))
                .map_or("", |m| m.as_str());
            env.iter()
                .find_map(|scope| scope.iter().find(|v| v.key == name))
                .and_then(|v| v.value.as_deref())
                .filter(|v| v.len() <= 256 && !v.contains("${{"))
                .map_or_else(|| c[0].to_string(), str::to_string)
        })
        .into_owned()
}

/// A step's `working-directory` as a path of the scanned tree ("" for the root, or for a value
/// only known at run time). `None` when the step belongs to another package: a workflow shared
/// from the repository root whose step runs outside the scanned package.
pub(super) fn step_dir(index: &Index, workflow: &str, step: &Step) -> Option<String> {
    match index.package() {
        Some(package) if index.is_shared(workflow) => step.folder_in(package).map(str::to_string),
        _ => Some(step.folder().to_string()),
    }
}

/// In a package scan, whether a command that a shared workflow runs at the repository root
/// is other packages' work: another stack's tool, or a selection of other crates or Node
/// packages. Other root commands count for every package.
pub(super) fn root_command_of_other_packages(
    index: &Index,
    workflow: &str,
    step: &Step,
    text: &str,
) -> bool {
    index.package().is_some()
        && step.folder().is_empty()
        && index.is_shared(workflow)
        && (another_stacks_command(index, text)
            || other_crates_command(index, text)
            || other_node_packages_command(index, text))
}

/// Whether a root command is plainly another stack's: the root's `cargo test` tests the Rust
/// crates, not the Node package beside them. Commands of no one stack (make, turbo, docker,
/// scripts) count for every package.
fn another_stacks_command(index: &Index, text: &str) -> bool {
    let named: Vec<StackId> = segments(text).filter_map(command_stack).collect();
    if named.is_empty() {
        return false;
    }
    let own = index.models.derived.stacks.get_or_init(|| {
        crate::detect::stacks(index)
            .into_iter()
            .map(|s| s.id)
            .collect()
    });
    !named.iter().any(|s| own.contains(s))
}

/// In a package scan of a Rust crate, whether a root command only selects other crates of the
/// workspace: axum's
/// `cargo test -p axum -p axum-extra -p axum-core` does not test `axum-macros`, nor does
/// `cargo check --workspace --exclude axum-macros` or
/// `cargo check --manifest-path ./examples/simple-router-wasm/Cargo.toml`.
fn other_crates_command(index: &Index, text: &str) -> bool {
    let Some(own) = index.text("Cargo.toml").and_then(cargo_package_name) else {
        return false;
    };
    let package_prefix = index.package().map_or("", |p| p.prefix.as_str());
    let mut others = false;
    for seg in segments(text) {
        let words: Vec<&str> = seg
            .split_whitespace()
            .skip_while(|w| w.contains('='))
            .collect();
        if words.first().map(|w| w.trim_start_matches("./")) != Some("cargo") {
            continue;
        }
        let (mut selected, mut excluded, mut manifests) = (Vec::new(), Vec::new(), Vec::new());
        let mut it = words.iter().skip(1);
        while let Some(w) = it.next() {
            let list = match *w {
                "-p" | "--package" => &mut selected,
                "--exclude" => &mut excluded,
                "--manifest-path" => &mut manifests,
                w if w.starts_with("--package=") || (w.starts_with("-p") && w.len() > 2) => {
                    let name = w.trim_start_matches("--package=").trim_start_matches("-p");
                    selected.push(name);
                    continue;
                }
                w if w.starts_with("--exclude=") => {
                    excluded.push(&w["--exclude=".len()..]);
                    continue;
                }
                _ => continue,
            };
            if let Some(name) = it.next() {
                list.push(name);
            }
        }
        // `axum@0.8` and `axum:0.8` name the crate `axum`.
        let names = |l: &[&str]| {
            l.iter()
                .any(|n| n.split(['@', ':']).next() == Some(own.as_str()))
        };
        // `--manifest-path examples/wasm/Cargo.toml` works in that crate's folder.
        let other_manifest = manifests.iter().any(|m| {
            let folder = m.trim_start_matches("./").trim_end_matches("Cargo.toml");
            let folder = folder.trim_end_matches('/');
            !folder.is_empty() && folder != package_prefix
        });
        if other_manifest || names(&excluded) || (!selected.is_empty() && !names(&selected)) {
            others = true;
        } else {
            return false;
        }
    }
    others
}

/// In a package scan of a Node package, whether a root command only selects other packages
/// of the workspace: `pnpm --filter ./packages/** build` does not build `www`, nor does
/// `turbo run test --filter=@trpc/server` test `@trpc/client`, `npm test -w apps/api` the UI
/// package, or `yarn workspace @shop/api test` anything but the API.
fn other_node_packages_command(index: &Index, text: &str) -> bool {
    let Some(prefix) = index.package().map(|p| p.prefix.as_str()) else {
        return false;
    };
    let name = index
        .json("package.json")
        .and_then(|j| j.get("name")?.as_str())
        .unwrap_or("");
    let mut others = false;
    for seg in segments(text) {
        let words: Vec<&str> = seg
            .split_whitespace()
            .skip_while(|w| w.contains('='))
            .collect();
        let tool = words.first().map_or("", |w| w.trim_start_matches("./"));
        let selectors = match tool {
            "pnpm" | "turbo" | "npm" | "npx" | "yarn" | "nx" => node_selectors(&words),
            _ => continue,
        };
        // No selector runs every package; a git-range filter (`[HEAD^1]`) may select any.
        if selectors.is_empty() || selectors.iter().any(|s| s.contains('[')) {
            return false;
        }
        let selects_us = |s: &str| node_selector_matches(s, name, prefix);
        let (excluded, included): (Vec<&str>, Vec<&str>) =
            selectors.iter().partition(|s| s.starts_with('!'));
        let excluded_us = excluded.iter().any(|s| selects_us(&s[1..]));
        if excluded_us || (!included.is_empty() && !included.iter().any(|s| selects_us(s))) {
            others = true;
        } else {
            return false;
        }
    }
    others
}

/// The package selectors of a pnpm/turbo/npm/yarn/nx command: `--filter X`, `--filter=X`,
/// `-F X`, `-w X`, `--workspace X`, `--workspace=X`, `yarn workspace X`, `--projects=a,b`.
fn node_selectors<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut it = words.iter().skip(1).peekable();
    if words.first() == Some(&"yarn") && it.peek() == Some(&&"workspace") {
        it.next();
        return it.next().map(|w| vec![*w]).unwrap_or_default();
    }
    while let Some(w) = it.next() {
        match *w {
            "--filter" | "-F" | "-w" | "--workspace" => {
                if let Some(v) = it.next() {
                    out.push(*v);
                }
            }
            w => {
                for flag in ["--filter=", "--workspace="] {
                    if let Some(v) = w.strip_prefix(flag) {
                        out.push(v);
                    }
                }
                // nx: `--projects=a,b`.
                if let Some(v) = w.strip_prefix("--projects=") {
                    out.extend(v.split(','));
                }
            }
        }
    }
    out.into_iter()
        .map(|s| s.trim_matches(|c| c == '"' || c == '\''))
        .collect()
}

/// Whether a selector names the package `name` at `prefix`: by path (`./packages/**`,
/// `{packages/server}`, `apps/api`) or by name (`@trpc/server`, `@trpc/*`), with pnpm's
/// dependency marks (`...`, `^`) ignored.
fn node_selector_matches(selector: &str, name: &str, prefix: &str) -> bool {
    let s = selector
        .trim_start_matches("...")
        .trim_end_matches("...")
        .trim_start_matches('^')
        .trim_start_matches('{')
        .trim_end_matches('}');
    let glob = |pattern: &str, candidate: &str| {
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .is_ok_and(|g| g.compile_matcher().is_match(candidate))
    };
    let path = s.trim_start_matches("./").trim_end_matches('/');
    if s.starts_with("./") || s.starts_with('{') || (path.contains('/') && !s.starts_with('@')) {
        return path == prefix || glob(path, prefix) || prefix.starts_with(&format!("{path}/"));
    }
    !name.is_empty() && (s == name || glob(s, name))
}

/// `name` of the `[package]` table of a Cargo.toml.
fn cargo_package_name(text: &str) -> Option<String> {
    let mut in_package = false;
    for l in text.lines().map(str::trim) {
        if l.starts_with('[') {
            in_package = l == "[package]";
            continue;
        }
        if let Some((k, v)) = l.split_once('=').filter(|_| in_package) {
            if k.trim() == "name" {
                return Some(v.trim().trim_matches(|c| c == '"' || c == '\'').to_string());
            }
        }
    }
    None
}

/// The stack whose tool a command runs (`cargo`, `npm`, `pytest`, `./gradlew`…), after any
/// `VAR=value` prefixes; None for tools of no one stack.
fn command_stack(segment: &str) -> Option<StackId> {
    let program = without_env_assignments(segment)
        .split_whitespace()
        .next()?
        .trim_start_matches("./");
    Some(match program {
        "cargo" | "rustc" | "rustup" | "cross" | "cargo-nextest" => StackId::Rust,
        "go" | "gofmt" | "golangci-lint" | "gotestsum" => StackId::Go,
        "npm" | "npx" | "yarn" | "pnpm" | "bun" | "node" | "tsc" | "jest" | "vitest" | "eslint" => {
            StackId::Node
        }
        "python" | "python3" | "pip" | "pip3" | "pytest" | "uv" | "uvx" | "poetry" | "pdm"
        | "hatch" | "tox" | "nox" | "ruff" | "mypy" => StackId::Python,
        "mvn" | "mvnw" | "gradle" | "gradlew" | "java" => StackId::Java,
        "bundle" | "rake" | "rails" | "rspec" | "ruby" | "rubocop" => StackId::Ruby,
        "dotnet" | "msbuild" | "nuget" => StackId::Dotnet,
        _ => return None,
    })
}

fn step_commands(
    index: &Index,
    out: &mut Vec<CiLine>,
    path: &str,
    step: &Step,
    env: Env,
    push: &PushFn,
) {
    let Some(dir) = step_dir(index, path, step) else {
        return;
    };
    if let Some(run) = &step.run {
        for (line, text) in &run.lines {
            if !root_command_of_other_packages(index, path, step, text) {
                push(out, path, *line, text, &dir, env);
            }
        }
    }
    // Cargo's actions take the subcommand as an input: `actions-rs/cargo` with
    // `command: test` runs `cargo test`, cited at the `command:` line.
    if let Some(cargo) = cargo_action_command(step) {
        let line = step
            .input("command")
            .map(|c| c.line)
            .or(step.uses.as_ref().map(|u| u.line))
            .unwrap_or(0);
        push(out, path, line, &cargo, &dir, env);
        return;
    }
    // Wrapper actions (retry, xvfb, docker-run) take the command as an input.
    for key in ["run", "command"] {
        if let Some(input) = step.input(key) {
            for (line, text) in &input.lines {
                push(out, path, *line, text, &dir, env);
            }
        }
    }
}

/// The command a cargo action runs: `actions-rs/cargo` (and its maintained forks) run
/// `cargo <command> <args>` (`cross` with `use-cross: true`); `actions-rs/clippy-check` runs
/// `cargo clippy <args>`.
fn cargo_action_command(step: &Step) -> Option<String> {
    let action = step.uses.as_ref()?.action().to_ascii_lowercase();
    let value = |key: &str| step.input(key).map(|r| r.text.trim().to_string());
    let args = value("args").unwrap_or_default();
    let command = match action.as_str() {
        "actions-rs/cargo" | "clechasseur/rs-cargo" | "clementtsang/cargo-action" => {
            value("command")?
        }
        "actions-rs/clippy-check" | "clechasseur/rs-clippy-check" => "clippy".to_string(),
        _ => return None,
    };
    let tool = if value("use-cross").as_deref() == Some("true") {
        "cross"
    } else {
        "cargo"
    };
    Some(format!("{tool} {command} {args}").trim_end().to_string())
}

/// Commands of one line, split on shell operators.
fn segments(text: &str) -> impl Iterator<Item = &str> {
    text.split(['&', '|', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Installing a tool mentions its name without running it (`pip install pytest ruff`).
static INSTALL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:pip3?|pipx|uv\s+pip|uv\s+tool|poetry|npm|pnpm|yarn|bun|gem|go|cargo|cargo-binstall|apt-get|apt|apk|brew|dnf|yum|choco|conda|mamba|dotnet\s+tool)\s+(?:install|add|i|get)\b|\bcargo\s+binstall\b|\buv\s+add\b|^\s*(?:echo|printf)\b)",
    )
});

static INSTALL_FROM_CHECKOUT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bcargo\s+install\s[^\n]*--path\b"));

fn re(pattern: &str) -> Regex {
    // Patterns are constants of this module; a unit test compiles every one of them.
    crate::pattern::regex(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
}

/// A command that matched, directly or through a task file, as evidence.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// The CI line.
    pub ci: CiLine,
    /// The segment (command) that matched on the CI line, or the task recipe line's text.
    pub command: String,
    /// The task recipe line that ran the matching command (`make test` → Makefile:12).
    pub via: Option<(String, u32, String)>,
}

impl Found {
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut ev = vec![self.ci.evidence()];
        if let Some((path, line, text)) = &self.via {
            ev.push(Evidence::at(path.clone(), *line).note(shorten(text)));
        }
        ev
    }
}

/// CI commands matching `re`, directly or through `make`/`just`/`npm run` targets.
pub(super) fn find_commands(index: &Index, re: &Regex) -> Vec<Found> {
    find_in(index, &command_lines(index), re)
}

fn find_in(index: &Index, lines: &[CiLine], re: &Regex) -> Vec<Found> {
    let mut out = Vec::new();
    for l in lines {
        for seg in segments(&l.run) {
            // Installing tools is not the project's work; `cargo install --path .` builds it.
            if INSTALL.is_match(seg) && !INSTALL_FROM_CHECKOUT.is_match(seg) {
                continue;
            }
            // A task we can read is judged by what it runs (`npm test` may be npm's
            // "no test specified" placeholder, `make check` may only lint), and a tox env or
            // nox session by its commands alone: `tox -e typing` runs mypy, not the tests the
            // runner's name suggests.
            let tox_env = tox_run::commands(index, seg, &l.dir);
            let judged_by_env = tox_env.is_some();
            let recipe = tox_env.unwrap_or_else(|| task_recipe(index, seg, &l.dir, &l.dir));
            if let Some((path, line, text)) = via_recipe(index, &recipe, re, &l.dir, 0) {
                out.push(Found {
                    ci: l.clone(),
                    command: text.clone(),
                    via: Some((path, line, text)),
                });
                break;
            }
            if judged_by_env {
                continue;
            }
            if recipe
                .iter()
                .any(|(_, _, t)| t.contains("no test specified"))
            {
                continue;
            }
            // Otherwise the command itself (a recipe calling ./scripts/test.sh still counts
            // when the task is named for it).
            if re.is_match(&without_node_options(seg)) {
                out.push(Found {
                    ci: l.clone(),
                    command: seg.to_string(),
                    via: None,
                });
                break;
            }
        }
    }
    out
}

static MAKE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|\s|/)(make|gmake|\$\(MAKE\)|\$\{MAKE\}|just|task|mise\s+run)((?:\s+\S+)*)")
});
/// A Node script run without the options before the script's name (`pnpm --filter test
/// build` → `pnpm build`): a selector's value is a package name, never the script run.
fn without_node_options(seg: &str) -> std::borrow::Cow<'_, str> {
    match PKG_RUN.captures(seg).and_then(|c| c.get(2)) {
        Some(options) if !options.is_empty() => {
            format!("{}{}", &seg[..options.start()], &seg[options.end()..]).into()
        }
        _ => seg.into(),
    }
}

/// `npm run x`, `pnpm --filter web x`, `yarn workspace web x`: the options (2), `run` (3)
/// and the script or package-manager command (4).
static PKG_RUN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:^|\s)(npm|pnpm|yarn|bun)\s+(",
        node_options!(),
        r"*)(?:(run(?:-script)?)\s+)?([\w.:][\w.:-]*)"
    ))
});

const PM_COMMANDS: &[&str] = &[
    "install",
    "ci",
    "i",
    "add",
    "exec",
    "dlx",
    "x",
    "run",
    "publish",
    "version",
    "audit",
    "outdated",
    "update",
    "upgrade",
    "link",
    "pack",
    "init",
    "create",
    "why",
    "list",
    "ls",
    "config",
    "cache",
    "rebuild",
    "prune",
    "dedupe",
    "remove",
    "rm",
    "uninstall",
    "login",
    "workspace",
    "workspaces",
];

/// The first recipe line that matches `re`, following nested tasks (bounded to two levels;
/// the commands of a tox env or nox session a nested task runs are read as a third).
/// `cwd` is where the CI command runs: scripts a recipe names are found from there.
fn via_recipe(
    index: &Index,
    recipe: &[(String, u32, String)],
    re: &Regex,
    cwd: &str,
    depth: u8,
) -> Option<(String, u32, String)> {
    for (path, line, text) in recipe {
        for s in segments(text) {
            if INSTALL.is_match(s) {
                continue;
            }
            // Nested tasks resolve next to the file that names them.
            let base = path.rsplit_once('/').map_or("", |(d, _)| d);
            // A tox env or nox session is judged by its commands, not by the runner's name.
            if let Some(env) = (depth < 2)
                .then(|| tox_run::commands(index, s, base))
                .flatten()
            {
                if let Some(found) = via_recipe(index, &env, re, cwd, depth + 1) {
                    return Some(found);
                }
                continue;
            }
            if re.is_match(s) {
                return Some((path.clone(), *line, text.clone()));
            }
            if depth >= 1 {
                continue;
            }
            let nested = task_recipe(index, s, base, cwd);
            if let Some(found) = via_recipe(index, &nested, re, cwd, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}

/// Shell scripts a command runs: `bash scripts/test.sh`, `sh -e x.sh`, `./ci/build.sh`,
/// also behind a runner (`uv run bash scripts/tests-start.sh`).
static SHELL_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|\s)(?:(?:bash|sh|zsh|source|\.)\s+(?:-\w+\s+)*)?(?:\./)?([\w.-]+(?:/[\w.-]+)*\.(?:sh|bash))(?:\s|$)",
    )
});

/// A program run by its path (`script/test -sv`, `./ci`, `bash tools/check`): the first word,
/// when it names a file of the tree with no extension. The "scripts to rule them all"
/// convention (`script/test`, `script/cibuild`) names scripts this way.
static PROGRAM_PATH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:(bash|sh|zsh)\s+(?:-\w+\s+)*)?((?:\./)?[\w-]+(?:/[\w.-]+)*)(?:\s|$)")
});

/// The file of a shell program that `seg` runs by its path (see [`PROGRAM_PATH`]): run through
/// a shell, or a file whose `#!` line names one. Other programs (a Python script, a binary) are
/// not read as shell commands.
fn shell_program(index: &Index, seg: &str, cwd: &str, base: &str) -> Option<String> {
    let c = PROGRAM_PATH.captures(without_env_assignments(seg))?;
    let through_shell = c.get(1).is_some();
    let written = c.get(2)?.as_str();
    let name = written.rsplit('/').next().unwrap_or(written);
    // Build tool wrappers are judged by the arguments they get (`./gradlew test`).
    if name.contains('.')
        || matches!(name, "gradlew" | "mvnw")
        || !(through_shell || written.contains('/'))
    {
        return None;
    }
    let rel = written.trim_start_matches("./");
    let path = script_path(index, rel, cwd, base)?;
    let first = index.text(&path)?.lines().next().unwrap_or("");
    let shebang_shell = first.starts_with("#!")
        && first
            .split(['/', ' '])
            .any(|w| matches!(w, "sh" | "bash" | "zsh" | "dash" | "ksh"));
    (through_shell || shebang_shell).then_some(path)
}

/// `seg` after its leading `NAME=value` assignments: etcd's CI runs
/// `GOARCH=amd64 PASSES='unit' ./test`. A value quoted with `'` or `"` may hold spaces.
fn without_env_assignments(seg: &str) -> &str {
    let mut rest = seg.trim_start();
    loop {
        let Some((name, value)) = rest.split_once('=') else {
            return rest;
        };
        let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_name {
            return rest;
        }
        let end = match value.chars().next() {
            Some(quote @ ('\'' | '"')) => match value[1..].find(quote) {
                Some(i) => i + 2,
                None => return rest,
            },
            _ => value.find(char::is_whitespace).unwrap_or(value.len()),
        };
        let after = &value[end..];
        // An assignment alone (`X=1`) runs nothing; `X=1y` is not an assignment we know.
        if !after.starts_with(char::is_whitespace) {
            return rest;
        }
        rest = after.trim_start();
    }
}

/// The file a script path names: relative to where the command runs, else to the file that
/// named it.
fn script_path(index: &Index, rel: &str, cwd: &str, base: &str) -> Option<String> {
    [join(cwd, rel), join(base, rel)]
        .into_iter()
        .find(|p| index.exists(p))
}

/// The recipe lines of the task a command invokes, with their file lines.
/// `base` is the directory of the task file that invoked it (the step's directory from CI);
/// `cwd` is the directory the CI command runs in, where a script path is relative to.
fn task_recipe(index: &Index, seg: &str, base: &str, cwd: &str) -> Vec<(String, u32, String)> {
    // `docker compose up --exit-code-from svc` / `run svc [cmd]`: what the service runs.
    if compose_run::parse(seg).is_some_and(|i| i.service.is_some()) {
        for dir in [cwd, base] {
            match compose_run::service_commands(index, seg, dir) {
                Some(Err(command)) => return task_recipe(index, &command, base, cwd),
                Some(Ok(lines)) if !lines.is_empty() => return lines,
                _ => {}
            }
        }
        return Vec::new();
    }
    if let Some(script) = SHELL_SCRIPT.captures(seg).and_then(|c| c.get(1)) {
        let script = script.as_str();
        return script_path(index, script, cwd, base)
            .and_then(|path| compose_run::script_lines(index, &path))
            .unwrap_or_default();
    }
    if let Some(path) = shell_program(index, seg, cwd, base) {
        return compose_run::script_lines(index, &path).unwrap_or_default();
    }
    if let Some(expanded) = cargo_alias(index, seg, cwd) {
        return vec![expanded];
    }
    if let Some(c) = MAKE.captures(seg) {
        let tool = c.get(1).map_or("", |m| m.as_str());
        let mut tokens = c.get(2).map_or("", |m| m.as_str()).split_whitespace();
        let (mut dir, mut file, mut target) = (None, None, None);
        while let Some(t) = tokens.next() {
            match t {
                "-C" | "--directory" => dir = tokens.next(),
                "-f" | "--file" | "--justfile" => file = tokens.next(),
                _ if t.starts_with("-C") => dir = Some(&t[2..]),
                // Flags and `VAR=value` assignments.
                _ if t.starts_with('-') || t.contains('=') => {}
                _ => {
                    target = Some(t);
                    break;
                }
            }
        }
        let Some(target) = target else {
            return Vec::new();
        };
        let names: &[&str] = match tool {
            "just" => &["justfile", "Justfile", ".justfile"],
            "task" => return Vec::new(),
            t if t.starts_with("mise") => return Vec::new(),
            _ => &["Makefile", "makefile", "GNUmakefile"],
        };
        let dir = match dir.map(|d| d.trim_start_matches("./").trim_end_matches('/')) {
            Some(d) => join(base, d),
            None => base.to_string(),
        };
        let paths: Vec<String> = match file {
            Some(f) => vec![join(&dir, f.trim_start_matches("./"))],
            None => names.iter().map(|n| join(&dir, n)).collect(),
        };
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        return recipe(index, &refs, target);
    }
    // `pdm run test`, `poe test`, `hatch run test`: the task in pyproject.toml.
    if let Some(lines) = super::py_tasks::commands(index, seg, base) {
        return lines;
    }
    if let Some(c) = PKG_RUN.captures(seg) {
        let explicit_run = c.get(3).is_some();
        let script = c.get(4).map_or("", |m| m.as_str());
        // Without `run`, these are the package manager's own commands, not scripts.
        if !explicit_run && PM_COMMANDS.contains(&script) {
            return Vec::new();
        }
        // `pnpm -C apps/web test`, `npm --prefix ui test`: the script of that folder.
        let options: Vec<&str> = c
            .get(2)
            .map_or("", |m| m.as_str())
            .split_whitespace()
            .collect();
        let folder = options.iter().enumerate().find_map(|(i, w)| match *w {
            "-C" | "--dir" | "--prefix" | "--cwd" => options.get(i + 1).copied(),
            _ => ["--dir=", "--prefix=", "--cwd="]
                .iter()
                .find_map(|flag| w.strip_prefix(flag)),
        });
        if let Some(dir) = folder {
            return package_script(index, script, &join(base, dir.trim_start_matches("./")));
        }
        // `pnpm --filter web test`, `yarn workspace web test`: the selected package's script.
        let start = c.get(1).map_or(0, |m| m.start());
        let words: Vec<&str> = seg[start..].split_whitespace().collect();
        let selected = selected_package_script(index, script, &node_selectors(&words));
        return match selected {
            Some(found) => vec![found],
            None => package_script(index, script, base),
        };
    }
    Vec::new()
}

/// `cargo <name> args` where `name` is not one of cargo's own commands.
static CARGO_SUBCOMMAND: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|\s)cargo\s+(?:\+\S+\s+)?([A-Za-z][\w-]*)(.*)$"));

/// Cargo's own commands: cargo ignores an alias that has one of these names.
const CARGO_COMMANDS: &[&str] = &[
    "add",
    "b",
    "bench",
    "build",
    "c",
    "check",
    "clean",
    "clippy",
    "config",
    "d",
    "doc",
    "fetch",
    "fix",
    "fmt",
    "generate-lockfile",
    "help",
    "info",
    "init",
    "install",
    "locate-project",
    "login",
    "logout",
    "metadata",
    "miri",
    "new",
    "owner",
    "package",
    "pkgid",
    "publish",
    "r",
    "remove",
    "report",
    "run",
    "rustc",
    "rustdoc",
    "search",
    "t",
    "test",
    "tree",
    "uninstall",
    "update",
    "vendor",
    "verify-project",
    "version",
    "yank",
];

/// A `cargo` command that runs an alias of the repository's `.cargo/config.toml` (the one
/// nearest the folder the command runs in, as cargo looks for it): the expanded command, at
/// the alias's line. `cargo ci-test -q` with `ci-test = "nextest run --workspace"` reads as
/// `cargo nextest run --workspace -q`.
fn cargo_alias(index: &Index, seg: &str, cwd: &str) -> Option<(String, u32, String)> {
    let c = CARGO_SUBCOMMAND.captures(seg)?;
    let name = c.get(1)?.as_str();
    if CARGO_COMMANDS.contains(&name) {
        return None;
    }
    let rest = c.get(2).map_or("", |m| m.as_str());
    let mut dir = cwd
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    loop {
        for file in [".cargo/config.toml", ".cargo/config"] {
            let path = join(&dir, file);
            let Some(text) = index.text(&path) else {
                continue;
            };
            if let Some((line, expansion)) = alias_in(text, name) {
                return Some((path, line, format!("cargo {expansion}{rest}")));
            }
        }
        if dir.is_empty() || dir == "." {
            return None;
        }
        dir = parent_dir(&dir).to_string();
    }
}

/// The expansion of alias `name` in a cargo configuration: a string, or an array of words
/// on one line.
fn alias_in(text: &str, name: &str) -> Option<(u32, String)> {
    super::dx::sectioned(text)
        .into_iter()
        .find_map(|(section, line, l)| {
            let c = super::dx::TOML_KEY.captures(l)?;
            let key = c[1].trim_matches('"');
            let key = match section.as_str() {
                "alias" => key,
                "" => key.strip_prefix("alias.")?,
                _ => return None,
            };
            if key != name {
                return None;
            }
            let value = c[2].trim();
            let words: Vec<&str> = match value.strip_prefix('[') {
                // One line: `["nextest", "run"]`, maybe followed by a comment.
                Some(array) => array
                    .split(']')
                    .next()?
                    .split(',')
                    .map(|w| w.trim().trim_matches(|ch| ch == '"' || ch == '\''))
                    .filter(|w| !w.is_empty())
                    .collect(),
                None => {
                    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                    vec![value[1..].split(quote).next()?]
                }
            };
            (!words.is_empty()).then(|| (line, words.join(" ")))
        })
}

/// Recipe lines of `target` in the first existing Makefile/justfile of `paths`.
fn recipe(index: &Index, paths: &[&str], target: &str) -> Vec<(String, u32, String)> {
    let Some(path) = paths.iter().find(|p| index.exists(p)) else {
        return Vec::new();
    };
    let Some(text) = index.text(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        if inside {
            if l.starts_with('\t') || (l.starts_with("  ") && !l.trim().is_empty()) {
                out.push((path.to_string(), i as u32 + 1, l.trim().to_string()));
                continue;
            }
            if l.trim().is_empty() {
                continue;
            }
            break;
        }
        // `target: deps`, `a b: deps`, justfile `target arg:`; not `VAR := x` nor comments.
        if l.starts_with(['\t', ' ', '#']) {
            continue;
        }
        if let Some((head, rest)) = l.split_once(':') {
            if rest.starts_with('=') || head.contains('=') {
                continue;
            }
            if head.split_whitespace().any(|t| t == target) {
                inside = true;
                // `test: ; pytest` inline recipe
                if let Some((_, inline)) = rest.split_once(';') {
                    out.push((path.to_string(), i as u32 + 1, inline.trim().to_string()));
                }
            }
        }
    }
    out
}

/// The `scripts` of one package.json: name -> (line, command).
pub(super) struct PackageScripts {
    file: usize,
    scripts: HashMap<String, (u32, String)>,
}

/// Scripts of every non-vendored package.json, shallowest first then by path; each file is
/// parsed once per scan (workflows ask for `npm run x` scripts hundreds of times).
fn package_scripts(index: &Index) -> &[PackageScripts] {
    index.models.derived.package_scripts.get_or_init(|| {
        let mut files: Vec<(usize, &crate::index::IndexedFile)> = index
            .files()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name() == "package.json" && !f.vendored)
            .collect();
        files.sort_by_key(|(_, f)| (f.path.matches('/').count(), f.path.as_str()));
        // Unreadable or invalid files stay in the list (with no scripts): they count towards
        // the 50 files a lookup visits.
        files
            .into_iter()
            .map(|(file, f)| PackageScripts {
                file,
                scripts: f
                    .text()
                    .zip(index.json(&f.path))
                    .map(|(text, json)| parse_scripts(text, json))
                    .unwrap_or_default(),
            })
            .collect()
    })
}

fn parse_scripts(text: &str, json: &serde_json::Value) -> HashMap<String, (u32, String)> {
    let start = text
        .lines()
        .position(|l| l.contains("\"scripts\""))
        .unwrap_or(0);
    json.get("scripts")
        .and_then(|s| s.as_object())
        .into_iter()
        .flatten()
        .filter_map(|(name, body)| {
            let needle = format!("\"{name}\"");
            // The original text must name the script (not only an escaped form of it).
            if !text.contains(&needle) {
                return None;
            }
            let line = text
                .lines()
                .enumerate()
                .skip(start)
                .find(|(_, l)| l.trim_start().starts_with(&needle))
                .map_or(1, |(i, _)| i as u32 + 1);
            Some((name.clone(), (line, body.as_str()?.to_string())))
        })
        .collect()
}

/// The `scripts` entry of package.json files (root first), with its line.
pub(super) fn package_script(index: &Index, name: &str, base: &str) -> Vec<(String, u32, String)> {
    let all = package_scripts(index);
    // The package.json of the invoking directory first, then shallowest first; at most 50.
    let own = join(base, "package.json");
    let path = |p: &PackageScripts| index.files()[p.file].path.as_str();
    let first = all.iter().find(|p| path(p) == own);
    let order = first
        .into_iter()
        .chain(all.iter().filter(|p| path(p) != own))
        .take(50);
    for p in order {
        if let Some((line, body)) = p.scripts.get(name) {
            return vec![(path(p).to_string(), *line, body.clone())];
        }
    }
    Vec::new()
}

/// The script `name` of the first package (shallowest first) a selector includes.
fn selected_package_script(
    index: &Index,
    name: &str,
    selectors: &[&str],
) -> Option<(String, u32, String)> {
    let included: Vec<&str> = selectors
        .iter()
        .copied()
        .filter(|s| !s.starts_with('!'))
        .collect();
    if included.is_empty() {
        return None;
    }
    package_scripts(index).iter().find_map(|p| {
        let (line, body) = p.scripts.get(name)?;
        let path = index.files()[p.file].path.as_str();
        let package = index
            .json(path)
            .and_then(|j| j.get("name")?.as_str())
            .unwrap_or("");
        let prefix = parent_dir(path);
        included
            .iter()
            .any(|s| node_selector_matches(s, package, prefix))
            .then(|| (path.to_string(), *line, body.clone()))
    })
}

/// Vendored and generated trees say nothing about the project's own practice.
pub(super) fn is_vendored(path: &str) -> bool {
    crate::index::is_vendored(path)
}

/// True when some CI configuration exists (any provider).
pub(super) fn has_ci(index: &Index) -> bool {
    !ciconf::files(index).is_empty()
}

/// Evidence for "CI exists but does not do X": the first CI file, else the repository.
fn ci_anchor(ctx: &Context, what: &str) -> Vec<Evidence> {
    ciconf::anchor(ctx.index)
        .map(|e| e.note(what.to_string()))
        .into_iter()
        .collect()
}

fn no_ci(ctx: &Context, what: &str) -> Outcome {
    Outcome::fail(
        format!("no CI configuration, so nothing {what}"),
        ctx.index
            .repo_anchor()
            .map(|e| e.note("no CI configuration in the repository"))
            .into_iter()
            .collect(),
    )
}

/// Parsed GitHub workflows (those with a YAML error are left to `command_lines`' fallback).
fn parsed(index: &Index) -> impl Iterator<Item = &Workflow> {
    index.workflows().iter().filter(|w| w.error.is_none())
}

/// `uses:` of steps whose `owner/repo` is one of `actions`, as evidence.
fn uses_evidence(index: &Index, actions: &[&str]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for wf in parsed(index) {
        for u in wf.all_uses() {
            let repo = u.repo();
            if actions
                .iter()
                .any(|a| repo == *a || u.action().eq_ignore_ascii_case(a))
            {
                out.push(Evidence::at(wf.path.clone(), u.line).note(shorten(&u.value)));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Command vocabularies.
// ---------------------------------------------------------------------------------------------

pub(super) static TEST_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?ix)
        \b(?:pytest|py\.test|tox|nox|nosetests|unittest)\b
      | \bmanage\.py\s+test\b | (?:\bdjango-admin|-m\s+django)\s+test\b | \bruntests\.py\b | \bsetup\.py\s+test\b
      | \bs?testr\s+run\b | \bzope-testrunner\b | \btwisted\.trial\b | (?:^|[\s/])trial\s+[\w.]
      | ",
        node_script_run!(),
        r"(?:test|t)(?::[\w:.-]+)?(?:\s|$)
      | (?:^|[\s/])(?:jest|vitest|mocha|ava|karma|jasmine)(?:\s|$)
      | \bplaywright\s+test\b | \bcypress\s+run\b | \bnode\s+--test\b | \bdeno\s+test\b | \bbun\s+test\b
      | \bgo\s+test\b | \bgotestsum\b | \bginkgo\b
      | \bcargo\s+(?:\+(?:\$\{\{[^}\n]*\}\}|\S+)\s+)?(?:(?:hack|miri|careful|all-features)\s+(?:-\S+\s+)*)?(?:test|t|nextest|llvm-cov|tarpaulin)\b | \bcross\s+(?:\+\S+\s+)?test\b
      | \bcargo\s+(?:xtask|run\s[^\n]*?\bxtask\b[^\n]*?\s--)\s+(?:test|tests|unit|test-[\w-]+)(?:\s|$)
      | (?:^|[\s/])mvnw?\s[^\n]*\b(?:test|verify|install|package|deploy)\b
      | (?:^|[\s/])gradlew?\s[^\n]*\b(?:test|check|build|(?-i:\w+Test))\b
      | \b(?:rspec|minitest)\b | \brails\s+test\b | \brake\s+(?:test|spec)\b | \bbundle\s+exec\s+rake\s*$
      | \bdotnet\s+test\b | \bmix\s+test\b | \bswift\s+test\b | \b(?:flutter|dart)\s+test\b
      | \bctest\b | \bphpunit\b | \bsbt\s[^\n]*\btest\b
      | (?:^|[\s/])bats\s+[^\s&|;]
      | \b(?:make|gmake|just|task)\s(?:[^\n]*\s)?(?:test|tests|unit|unit-tests?|test-[\w-]+)(?:\s|$)
      | \bmage\s(?:-\S+\s+)*(?:test\w*|check|ci)\b
      | \b(?:turbo|nx)\s(?:[^\n]*[\s=:,])?(?:test|tests|test:[\w:.-]+)(?:[\s,]|$)
    "
    ))
});

pub(super) static LINT_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?ix)
        \b(?:ruff|flake8|pylint|mypy|pyright|basedpyright|pyflakes|pycodestyle|pydocstyle|pytype)\b
      | \b(?:black|isort)\s[^\n]*--check\b | \bty\s+check\b
      | \b(?:eslint|tslint|oxlint|stylelint|vue-tsc|svelte-check)\b | \bbiome\s+(?:check|lint|ci)\b
      | \bprettier\s[^\n]*(?:--check|--list-different)\b | \btsc\b[^\n]*--noEmit\b | \bastro\s+check\b
      | ",
        node_script_run!(),
        r"(?:lint|typecheck|type-check|check-types|types|format:check|fmt:check|check)(?::[\w:.-]+)?(?:\s|$)
      | \bgolangci-lint\b | \bgo\s+vet\b | \bstaticcheck\b | \bgofmt\s+-[lds]\b | \bgofumpt\b | \brevive\b
      | \bcargo\s+(?:\+(?:\$\{\{[^}\n]*\}\}|\S+)\s+)?(?:(?:hack|all-features)\s+(?:-\S+\s+)*)?(?:clippy|fmt|check|c)\b | \brustfmt\b[^\n]*--check
      | \b(?:checkstyle|spotlessCheck|spotless:check|ktlint|ktlintCheck|detekt|pmd|spotbugs)\b
      | \b(?:rubocop|standardrb|reek|steep)\b | \bsrb\s+tc\b
      | \bdotnet\s+format\b
      | \b(?:pre-commit|prek)\s+run\b
      | \b(?:make|gmake|just|task)\s(?:[^\n]*\s)?(?:lint|vet|typecheck|type-check|fmt-check|format-check|style|static)(?:\s|$)
      | \bmage\s(?:-\S+\s+)*(?:lint|vet|check)\b
      | \b(?:phpstan|psalm|php-cs-fixer|swiftlint|credo|clang-tidy|cppcheck)\b | \b(?:dart|flutter)\s+analyze\b
      | \bmix\s+format\s+--check-formatted\b
      | \btflint\b | \b(?:terraform|tofu)\s+fmt\b[^\n]*-check\b | \bhelm\s+lint\b
      | \b(?:turbo|nx)\s(?:[^\n]*[\s=:,])?(?:lint|typecheck|type-check|check-types|lint:[\w:.-]+)(?:[\s,]|$)
    "
    ))
});

static BUILD_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?ix)
        ",
        node_script_run!(),
        r"build(?::[\w:.-]+)?(?:\s|$)
      | \b(?:next|vite|nuxt|astro|ng|webpack|rollup|tsup|esbuild)\s+build\b | (?:^|\s)(?:webpack|rollup|esbuild|tsup)(?:\s|$)
      | \btsc\s+(?:-b|--build|-p|--project)\b
      | \bcargo\s+(?:\+(?:\$\{\{[^}\n]*\}\}|\S+)\s+)?(?:build|b|zigbuild|dist)\b | \bcargo\s+install\s[^\n]*--path\b | \bcross\s+build\b | \bmaturin\s+build\b | \bwasm-pack\s+build\b
      | \$\{?[A-Z_][A-Z0-9_]*\}?\s+build\b
      | \bgo\s+build\b | \bgoreleaser\s+(?:build|release)\b | \bko\s+build\b
      | (?:^|[\s/])mvnw?\s[^\n]*\b(?:package|install|verify|deploy)\b
      | (?:^|[\s/])gradlew?\s[^\n]*\b(?:build|assemble\w*|jar|bootJar|shadowJar|installDist|distZip)\b
      | \bdocker\s+(?:image\s+)?build\b | \bdocker\s+buildx\s+(?:build|bake)\b | \bpodman\s+build\b | \bbuildah\s+(?:bud|build)\b
      | \bdocker[-\x20]compose\b[^\n]*\sbuild\b | \bdocker[-\x20]compose\b[^\n]*\bup\b[^\n]*--build\b
      | \bpython3?\s+-m\s+build\b | \b(?:uv|poetry|hatch|pdm|flit|rye)\s+build\b | \bsetup\.py\s+(?:sdist|bdist_wheel|build)\b | \bpip\s+wheel\b
      | \bdotnet\s+(?:build|publish|pack)\b | \bmsbuild\b
      | \bgem\s+build\b | \brake\s+build\b | \bbundle\s+exec\s+rake\s+build\b
      | \b(?:make|gmake|just|task)\s(?:[^\n]*\s)?(?:build|all|dist|release|package|image|docker-build)(?:\s|$)
      | \bsbt\s[^\n]*\b(?:package|assembly|compile)\b | \bswift\s+build\b | \bflutter\s+build\b | \bcmake\s+--build\b
      | \b(?:turbo|nx)\s(?:[^\n]*[\s=:,])?(?:build|build:[\w:.-]+)(?:[\s,]|$)
    "
    ))
});

static DOCKER_BUILD_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)
        \bdocker\s+(?:image\s+)?build\b | \bdocker\s+buildx\s+(?:build|bake)\b
      | \bdocker[-\x20]compose\b[^\n]*\bbuild\b | \bdocker[-\x20]compose\b[^\n]*\bup\b[^\n]*--build\b
      | \bpodman\s+build\b | \bbuildah\s+(?:bud|build)\b | kaniko | \bko\s+build\b | \bdepot\s+build\b
      | \bpack\s+build\b | \bgcloud\s+builds\s+submit\b | \baz\s+acr\s+build\b | \bbuildctl\s+build\b
      | \bDocker\.gitlab-ci\.yml\b | \bAuto-DevOps\.gitlab-ci\.yml\b
    ")
});

const LINT_ACTIONS: &[&str] = &[
    "golangci/golangci-lint-action",
    "astral-sh/ruff-action",
    "chartboost/ruff-action",
    "jpetrucciani/ruff-check",
    "jpetrucciani/mypy-check",
    "tsuyoshicho/action-mypy",
    "psf/black",
    "pre-commit/action",
    "pre-commit-ci/lite-action",
    "super-linter/super-linter",
    "github/super-linter",
    "oxsecurity/megalinter",
    "actions-rs/clippy-check",
    "giraffate/clippy-action",
    "actions-rust-lang/rustfmt",
    "mbrobbel/rustfmt-check",
    "dominikh/staticcheck-action",
    "wearerequired/lint-action",
    "reviewdog/action-eslint",
    "reviewdog/action-golangci-lint",
    "reviewdog/action-rubocop",
    "reviewdog/action-staticcheck",
    "sibiraj-s/action-eslint",
    "ataylorme/eslint-annotate-action",
    "biomejs/setup-biome",
];

const BUILD_ACTIONS: &[&str] = &[
    "docker/build-push-action",
    "docker/bake-action",
    "depot/build-push-action",
    "redhat-actions/buildah-build",
    "goreleaser/goreleaser-action",
    "pyo3/maturin-action",
    "hynek/build-and-inspect-python-package",
    "taiki-e/upload-rust-binary-action",
    "houseabsolute/actions-rust-cross",
    "tauri-apps/tauri-action",
    "ko-build/setup-ko",
];

const DOCKER_BUILD_ACTIONS: &[&str] = &[
    "docker/build-push-action",
    "docker/bake-action",
    "depot/build-push-action",
    "depot/bake-action",
    "redhat-actions/buildah-build",
    "ko-build/setup-ko",
];

const TEST_ACTIONS: &[&str] = &["cypress-io/github-action"];

// ---------------------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------------------

fn ci_configured(ctx: &Context) -> Outcome {
    let files = ciconf::files(ctx.index);
    if files.is_empty() {
        let note = if ctx.index.dir_exists(".github/workflows") {
            ".github/workflows holds no workflow file"
        } else {
            "no CI configuration (GitHub Actions, GitLab CI, CircleCI, Jenkins …)"
        };
        let anchor = ctx
            .index
            .under(".github/workflows")
            .first()
            .map(|f| Evidence::file(f.path.clone()))
            .or_else(|| ctx.index.repo_anchor());
        return Outcome::fail(
            "no CI pipeline is configured",
            anchor.map(|e| e.note(note)).into_iter().collect(),
        )
        .with_fix(super::starter::workflow(ctx));
    }
    let providers: BTreeSet<&str> = files.iter().map(|(p, _)| *p).collect();
    // A workflow our parser cannot model is still read as text by the command rules; say so,
    // so a reader knows why its jobs are missing from the other verdicts.
    let evidence = files
        .iter()
        .map(|(p, f)| {
            let broken = ctx
                .index
                .workflows()
                .iter()
                .find(|w| w.path == f.path)
                .and_then(|w| w.error.as_deref());
            let note = match broken {
                Some(error) => format!("{p}; not parsed ({error}), read as plain text"),
                None => p.to_string(),
            };
            Evidence::file(f.path.clone()).note(note)
        })
        .collect();
    Outcome::pass(
        format!(
            "CI configured: {}",
            providers.into_iter().collect::<Vec<_>>().join(", ")
        ),
        evidence,
    )
}

static NON_GITHUB_PR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)merge_request_event|\bmerge_requests\b|^\s*pull-requests\s*:|^\s*pr\s*:|changeRequest\(\)|\bevent\s*:.*\bpull_request\b|^\s*-\s*pull_request\s*$|\bpull_request\b"#,
    )
});

/// Does a workflow do something with the code (run a script, check it out, call a workflow)?
fn does_work(wf: &Workflow) -> bool {
    wf.jobs.iter().any(|j| j.uses.is_some())
        || wf.all_steps().any(|(_, s)| {
            s.run.is_some()
                || s.uses
                    .as_ref()
                    .is_some_and(|u| u.repo() == "actions/checkout")
        })
}

fn runs_on_pull_requests(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return no_ci(ctx, "runs on pull requests");
    }
    let mut found = Vec::new();
    let mut push_all = Vec::new();
    for wf in parsed(ctx.index).filter(|w| does_work(w)) {
        if let Some(t) = wf.pr_trigger() {
            found.push(Evidence::at(wf.path.clone(), t.line).note(format!("on: {}", t.event)));
        }
        for t in &wf.triggers {
            // `push` without a branch filter runs for every branch, PR branches included.
            if t.event == "push"
                && t.config
                    .as_ref()
                    .is_none_or(|c| c.get("branches").is_none() && c.get("tags").is_none())
            {
                push_all
                    .push(Evidence::at(wf.path.clone(), t.line).note(
                        "on: push for every branch (pull requests from forks are not built)",
                    ));
            }
        }
    }
    if !found.is_empty() {
        return Outcome::pass("CI runs on pull requests", found);
    }
    // Other providers: an explicit pull/merge request marker, else their default of building
    // every pushed branch.
    let mut others = Vec::new();
    let mut defaults = Vec::new();
    for (provider, f) in ciconf::files(ctx.index) {
        if provider == GITHUB {
            continue;
        }
        let text = f.text().unwrap_or("");
        let hit = text.lines().enumerate().find(|(_, l)| {
            let t = l.trim_start();
            !t.starts_with('#') && NON_GITHUB_PR.is_match(l)
        });
        match hit {
            Some((i, l)) if !l.contains("none") => {
                others.push(Evidence::at(f.path.clone(), i as u32 + 1).note(shorten(l)))
            }
            Some(_) => {}
            None if matches!(
                provider,
                "GitLab CI" | "CircleCI" | "Travis CI" | "Azure Pipelines" | "Drone" | "Woodpecker"
            ) =>
            {
                defaults.push(Evidence::file(f.path.clone()).note(format!(
                    "{provider} builds every pushed branch by default, merge-request branches included"
                )))
            }
            None => {}
        }
    }
    if !others.is_empty() {
        return Outcome::pass("CI runs on pull/merge requests", others);
    }
    if !push_all.is_empty() {
        return Outcome::pass(
            "CI runs on every pushed branch, so pull-request branches are built",
            push_all,
        );
    }
    if !defaults.is_empty() {
        return Outcome::pass("CI builds every pushed branch (provider default)", defaults);
    }
    let mut ev: Vec<Evidence> = parsed(ctx.index)
        .filter_map(|w| {
            w.on_line.map(|l| {
                let events: Vec<&str> = w.triggers.iter().map(|t| t.event.as_str()).collect();
                Evidence::at(w.path.clone(), l)
                    .note(format!("triggers: {} (no pull_request)", events.join(", ")))
            })
        })
        .collect();
    if ev.is_empty() {
        ev = ci_anchor(ctx, "no pull_request trigger");
    }
    Outcome::fail(
        "no CI pipeline runs on pull requests: changes are only checked after they land",
        ev,
    )
}

/// Test commands in CI (direct, via task files, or test actions). Maven's `package`,
/// `install` and `deploy` run the test phase first, and Gradle's `build` runs `test`, unless
/// the command skips them.
fn test_commands(index: &Index) -> Vec<Found> {
    static SKIPS_TESTS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"-DskipTests(?:=true)?(?:\s|$)|-Dmaven\.test\.skip(?:=true)?(?:\s|$)|(?:^|\s)(?:-x|--exclude-task)\s+(?:\S*:)?test(?:\s|$)",
        )
    });
    find_commands(index, &TEST_CMD)
        .into_iter()
        .filter(|f| !SKIPS_TESTS.is_match(&f.command))
        .collect()
}

fn runs_tests(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return no_ci(ctx, "runs the tests")
            .with_fix(super::starter::jobs_for(ctx, &super::starter::TEST_STEPS));
    }
    let found = test_commands(ctx.index);
    let mut ev: Vec<Evidence> = found.iter().flat_map(Found::evidence).collect();
    ev.extend(uses_evidence(ctx.index, TEST_ACTIONS));
    Outcome::present(
        ev,
        "CI runs the test suite",
        "CI does not run any test command (pytest, npm test, go test, cargo test, mvn verify …)",
        ci_anchor(ctx, "no test command in CI").pop(),
    )
    .with_fix_on_fail(|| super::starter::jobs_for(ctx, &super::starter::TEST_STEPS))
}

fn runs_lint(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return no_ci(ctx, "lints or type-checks the code")
            .with_fix(super::starter::jobs_for(ctx, &super::starter::LINT_STEPS));
    }
    let mut ev: Vec<Evidence> = find_commands(ctx.index, &LINT_CMD)
        .iter()
        .flat_map(Found::evidence)
        .collect();
    ev.extend(uses_evidence(ctx.index, LINT_ACTIONS));
    // Wrappers that run pre-commit or tflint under another name
    // (`clowdhaus/terraform-composite-actions/pre-commit`, `docker://wata727/tflint`).
    for wf in parsed(ctx.index) {
        for u in wf.all_uses() {
            let value = u.value.to_ascii_lowercase();
            if value.contains("pre-commit") || value.contains("tflint") {
                ev.push(Evidence::at(wf.path.clone(), u.line).note(shorten(&u.value)));
            }
        }
    }
    Outcome::present(
        ev,
        "CI lints or type-checks the code",
        "CI runs no linter or type checker (ruff, eslint, golangci-lint, clippy, pre-commit …)",
        ci_anchor(ctx, "no lint or type-check step in CI").pop(),
    )
    .with_fix_on_fail(|| super::starter::jobs_for(ctx, &super::starter::LINT_STEPS))
}

fn builds_artifact(ctx: &Context) -> Outcome {
    // A repository of infrastructure code or documents ships its source: nothing to build.
    if ctx.stacks.is_empty() {
        return Outcome::na(
            "no application stack: nothing is built (infrastructure code ships as source)",
        );
    }
    if !has_ci(ctx.index) {
        return no_ci(ctx, "builds the artefact");
    }
    let mut ev: Vec<Evidence> = find_commands(ctx.index, &BUILD_CMD)
        .iter()
        .flat_map(Found::evidence)
        .collect();
    ev.extend(uses_evidence(ctx.index, BUILD_ACTIONS));
    // A compiled library is its build: running its tests compiles it.
    if ev.is_empty()
        && ctx.profile == Profile::Library
        && [StackId::Rust, StackId::Go, StackId::Java, StackId::Dotnet]
            .iter()
            .any(|s| ctx.has_stack(*s))
    {
        static COMPILED_TESTS: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"\bcargo\s+(?:\+(?:\$\{\{[^}\n]*\}\}|\S+)\s+)?(?:test|nextest|check|clippy)\b|\bgo\s+(?:test|vet)\b|\bdotnet\s+test\b|(?:^|[\s/])(?:mvnw?|gradlew?)\s[^\n]*\b(?:test|check)\b",
            )
        });
        ev.extend(
            find_commands(ctx.index, &COMPILED_TESTS)
                .iter()
                .flat_map(Found::evidence)
                .map(|e| e.note("compiles the library")),
        );
    }
    Outcome::present(
        ev,
        "CI builds the deliverable",
        "CI never builds what is shipped (package, binary or image): build breakage is found at release time",
        ci_anchor(ctx, "no build step (npm run build, cargo build, docker build, python -m build …)")
            .pop(),
    )
}

/// Setup actions whose `cache:` input (or default) caches dependencies.
const CACHE_INPUT_ACTIONS: &[(&str, &str)] = &[
    ("actions/setup-node", "cache"),
    ("buildjet/setup-node", "cache"),
    ("actions/setup-python", "cache"),
    ("actions/setup-java", "cache"),
    ("actions/setup-dotnet", "cache"),
    ("actions/setup-go", "cache"),
    ("ruby/setup-ruby", "bundler-cache"),
    ("astral-sh/setup-uv", "enable-cache"),
    ("denoland/setup-deno", "cache"),
    ("pnpm/action-setup", "cache"),
    ("prefix-dev/setup-pixi", "cache"),
    ("actions-rust-lang/setup-rust-toolchain", "cache"),
    ("erlef/setup-beam", "cache"),
    ("shivammathur/setup-php", "tools-cache"),
];

/// Actions that are a dependency cache (or cache by default).
const CACHE_ACTIONS: &[&str] = &[
    "actions/cache",
    "swatinem/rust-cache",
    "leafwing-studios/cargo-cache",
    "mozilla-actions/sccache-action",
    "gradle/actions",
    "gradle/gradle-build-action",
    "determinatesystems/magic-nix-cache-action",
    "cachix/cachix-action",
    "useblacksmith/cache",
    "runs-on/cache",
    "buildjet/cache",
    "jdx/mise-action",
    "actions-rust-lang/setup-rust-toolchain",
];

/// Major version of a tag ref like `v5` or `v5.1.0`; None for SHAs and branches.
fn major(r: &str) -> Option<u32> {
    r.strip_prefix('v')?.split('.').next()?.parse().ok()
}

fn dependency_cache(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return Outcome::na("no CI configuration");
    }
    if ctx.stacks.is_empty() {
        return Outcome::na("no package manifest, so no dependencies to cache");
    }
    let mut ev = Vec::new();
    // Steps of the workflows and of the local composite actions they use (cal.com restores
    // its yarn cache in ./.github/actions/yarn-install), each cited once.
    let mut seen = BTreeSet::new();
    for wf in parsed(ctx.index) {
        for r in workflow::reachable_steps(ctx.index, wf, false) {
            if !seen.insert((r.path.clone(), r.step.line)) {
                continue;
            }
            let (path, s) = (&r.path, &r.step);
            if let Some(line) = s.with_line("cache-from") {
                ev.push(Evidence::at(path.clone(), line).note("image layer cache (cache-from)"));
            }
            let Some(u) = &s.uses else { continue };
            let repo = u.repo();
            if CACHE_ACTIONS.contains(&repo.as_str()) {
                ev.push(Evidence::at(path.clone(), u.line).note(shorten(&u.value)));
                continue;
            }
            let Some((_, input)) = CACHE_INPUT_ACTIONS.iter().find(|(a, _)| *a == repo) else {
                continue;
            };
            match (s.with_str(input), s.with_line(input)) {
                (Some(v), Some(line)) if !matches!(v.trim(), "false" | "") => {
                    ev.push(Evidence::at(path.clone(), line).note(format!("{input}: {v}")))
                }
                (Some(_), _) => {}
                (None, _) => {
                    // setup-go (v4+) and setup-uv (v5+) cache by default on hosted runners.
                    let m = u.git_ref().and_then(major);
                    let default_on = match repo.as_str() {
                        "actions/setup-go" => m.is_none_or(|m| m >= 4),
                        "astral-sh/setup-uv" => m.is_none_or(|m| m >= 5),
                        _ => false,
                    };
                    if default_on && u.git_ref().is_some() {
                        ev.push(
                            Evidence::at(path.clone(), u.line)
                                .note(format!("{} (caches by default)", u.value)),
                        );
                    }
                }
            }
        }
    }
    static OTHER_CACHE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^\s*(?:cache|caches)\s*:|\b(?:save_cache|restore_cache)\b|\bCache@2\b|\bnode/install-packages\b|\bpython/install-packages\b|cache-plugin|\bdrone-cache\b|--mount=type=cache",
        )
    });
    for (provider, f) in ciconf::files(ctx.index) {
        if provider == GITHUB {
            continue;
        }
        let Some(text) = f.text() else { continue };
        for (i, l) in text.lines().enumerate() {
            if !l.trim_start().starts_with('#') && OTHER_CACHE.is_match(l) {
                ev.push(Evidence::at(f.path.clone(), i as u32 + 1).note(shorten(l)));
            }
        }
    }
    Outcome::present(
        ev,
        "CI caches dependencies between runs",
        "CI downloads every dependency on every run: no cache (actions/cache, setup-* `cache:`, rust-cache, GitLab `cache:`)",
        ci_anchor(ctx, "no dependency cache").pop(),
    )
    .with_fix_on_fail(|| super::starter::cached_setup(ctx))
}

fn job_timeouts(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return Outcome::na("no CI configuration");
    }
    let mut with = Vec::new();
    let mut without = Vec::new();
    for wf in parsed(ctx.index) {
        for j in &wf.jobs {
            // Calls to reusable workflows cannot set a timeout; the called jobs do.
            if j.uses.is_some() {
                continue;
            }
            match &j.timeout_minutes {
                Some((v, line)) => with.push(
                    Evidence::at(wf.path.clone(), *line)
                        .note(format!("job `{}`: timeout-minutes {v}", j.id)),
                ),
                None => without.push(Evidence::at(wf.path.clone(), j.line).note(format!(
                    "job `{}` has no timeout-minutes (GitHub's default is 360 minutes)",
                    j.id
                ))),
            }
        }
    }
    if with.is_empty() && without.is_empty() {
        return Outcome::na("no GitHub Actions jobs (other providers default to shorter limits)");
    }
    if without.is_empty() {
        Outcome::pass(
            format!("all {} GitHub Actions jobs set timeout-minutes", with.len()),
            with,
        )
    } else {
        let n = without.len();
        Outcome::fail(
            format!(
                "{n} of {} jobs have no timeout-minutes: a hung job burns runner minutes for 6 hours",
                n + with.len()
            ),
            without,
        )
    }
}

fn concurrency(ctx: &Context) -> Outcome {
    if !has_ci(ctx.index) {
        return Outcome::na("no CI configuration");
    }
    // Superseded runs happen on pull requests and branch pushes, not on tag pushes.
    let branch_push = |w: &Workflow| {
        w.trigger("push").is_some_and(|t| {
            t.config.as_ref().is_none_or(|c| {
                c.get("tags").is_none()
                    || c.get("branches").is_some()
                    || c.get("branches-ignore").is_some()
            })
        })
    };
    // Pull-request pipelines (pull_request, pull_request_target, merge_group) that do work:
    // a PR-title linter has nothing worth cancelling.
    let pr_pipeline = |w: &Workflow| w.pr_trigger().is_some() && does_work(w);
    let relevant: Vec<&Workflow> = parsed(ctx.index)
        .filter(|w| pr_pipeline(w) || branch_push(w))
        .collect();
    let mut pass = Vec::new();
    let mut fail = Vec::new();
    for wf in &relevant {
        let conc = wf
            .concurrency
            .iter()
            .chain(wf.jobs.iter().filter_map(|j| j.concurrency.as_ref()))
            .collect::<Vec<_>>();
        if let Some(c) = conc.iter().find(|c| c.cancels()) {
            let line = c.cancel_in_progress.as_ref().map_or(c.line, |(_, l)| *l);
            pass.push(Evidence::at(wf.path.clone(), line).note("cancel-in-progress"));
        } else if let Some(c) = conc.first() {
            if pr_pipeline(wf) {
                fail.push(Evidence::at(wf.path.clone(), c.line).note(
                    "concurrency without cancel-in-progress: superseded pull-request runs queue instead of being cancelled",
                ));
            } else {
                // Branch pipelines that deploy are serialised on purpose.
                pass.push(
                    Evidence::at(wf.path.clone(), c.line)
                        .note("branch runs serialised by a concurrency group"),
                );
            }
        } else {
            let line = wf.on_line.unwrap_or(1);
            fail.push(
                Evidence::at(wf.path.clone(), line)
                    .note("no concurrency group: every push starts another full run"),
            );
        }
    }
    // GitLab cancels superseded pipelines for `interruptible` jobs.
    for (provider, f) in ciconf::files(ctx.index) {
        if provider != "GitLab CI" {
            continue;
        }
        let text = f.text().unwrap_or("");
        match text
            .lines()
            .position(|l| l.trim_start().starts_with("interruptible:") && l.contains("true"))
        {
            Some(i) => {
                pass.push(Evidence::at(f.path.clone(), i as u32 + 1).note("interruptible: true"))
            }
            None if f.path.starts_with(".gitlab-ci") => fail.push(
                Evidence::file(f.path.clone())
                    .note("no `interruptible: true`: superseded pipelines keep running"),
            ),
            None => {}
        }
    }
    if pass.is_empty() && fail.is_empty() {
        return Outcome::na(
            "no push or pull-request GitHub workflow or GitLab pipeline (other providers cancel redundant builds in their settings)",
        );
    }
    if fail.is_empty() {
        Outcome::pass("superseded CI runs are cancelled", pass)
    } else {
        Outcome::fail(
            format!(
                "{} of {} pipelines do not cancel superseded runs",
                fail.len(),
                fail.len() + pass.len()
            ),
            fail,
        )
    }
}

fn docker_build(ctx: &Context) -> Outcome {
    // A development, test or cross-compilation image need not be built on every change.
    let shipped = super::containers::shipped_images(ctx);
    let Some(first) = shipped.first() else {
        let all: Vec<_> = ctx.index.dockerfiles().iter().collect();
        return super::containers::no_runtime_image(&all);
    };
    if !has_ci(ctx.index) {
        return Outcome::fail(
            "no CI configuration, so the Dockerfile is never built automatically",
            vec![Evidence::file(first.path.clone()).note("not built in CI: no CI configuration")],
        );
    }
    let mut ev: Vec<Evidence> = find_commands(ctx.index, &DOCKER_BUILD_CMD)
        .iter()
        .flat_map(Found::evidence)
        .collect();
    ev.extend(uses_evidence(ctx.index, DOCKER_BUILD_ACTIONS));
    Outcome::present(
        ev,
        "CI builds the container image",
        "the Dockerfile is never built in CI: a broken image is found at deploy time",
        Some(
            Evidence::file(first.path.clone())
                .note("not built in CI (docker build, docker/build-push-action, kaniko …)"),
        ),
    )
}

// --- databases ---

/// Database client dependencies per manifest file name (regex on manifest lines).
static DB_DEPS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "package.json",
            re(
                r#""(?:pg|postgres|pg-promise|mysql|mysql2|mariadb|mongodb|mongoose|redis|ioredis|@prisma/client|prisma|typeorm|sequelize|knex|drizzle-orm|@neondatabase/serverless|@vercel/postgres|slonik|@mikro-orm/core|kysely|cassandra-driver)"\s*:"#,
            ),
        ),
        (
            "pyproject.toml",
            re(
                r#"(?i)(?:^\s*|["'])(?:psycopg2?(?:-binary)?|psycopg|asyncpg|pymongo|motor|redis|aioredis|mysqlclient|pymysql|aiomysql|asyncmy|cassandra-driver|beanie|mongoengine)(?:\[[\w,-]+\])?\s*(?:[<>=!~;@"']|=\s*["'{]|$)"#,
            ),
        ),
        (
            "requirements",
            re(
                r"(?i)^\s*(?:psycopg2?(?:-binary)?|psycopg|asyncpg|pymongo|motor|redis|aioredis|mysqlclient|pymysql|aiomysql|asyncmy|cassandra-driver|beanie|mongoengine)\b",
            ),
        ),
        (
            "Pipfile",
            re(
                r"(?i)^\s*(?:psycopg2?(?:-binary)?|psycopg|asyncpg|pymongo|motor|redis|mysqlclient|pymysql)\s*=",
            ),
        ),
        (
            "go.mod",
            re(
                r"github\.com/lib/pq|github\.com/jackc/pgx|gorm\.io/driver/(?:postgres|mysql)|github\.com/go-sql-driver/mysql|go\.mongodb\.org/mongo-driver|github\.com/redis/go-redis|github\.com/go-redis/redis|github\.com/gomodule/redigo|github\.com/gocql/gocql|github\.com/jmoiron/sqlx",
            ),
        ),
        (
            "Cargo.toml",
            re(
                r"^\s*(?:sqlx|diesel|tokio-postgres|postgres|sea-orm|mongodb|redis|deadpool-postgres|deadpool-redis|mysql_async|bb8-postgres|fred|scylla)\s*=",
            ),
        ),
        (
            "pom.xml",
            re(
                r"org\.postgresql|mysql-connector|mariadb-java-client|spring-boot-starter-data-(?:jpa|mongodb|redis|cassandra|r2dbc)|r2dbc-postgresql|mongodb-driver|jedis|lettuce-core|mssql-jdbc|ojdbc",
            ),
        ),
        (
            "build.gradle",
            re(
                r"org\.postgresql|mysql-connector|mariadb-java-client|spring-boot-starter-data-(?:jpa|mongodb|redis|cassandra|r2dbc)|r2dbc-postgresql|mongodb-driver|jedis|lettuce-core|mssql-jdbc|ojdbc",
            ),
        ),
        (
            "Gemfile",
            re(r#"^\s*gem\s+["'](?:pg|mysql2|trilogy|mongoid|redis|sequel)["']"#),
        ),
        (
            ".csproj",
            re(
                r#"Include="(?:Npgsql[\w.]*|Microsoft\.EntityFrameworkCore\.SqlServer|Pomelo\.EntityFrameworkCore\.MySql|MySql\.Data|MySqlConnector|MongoDB\.Driver|StackExchange\.Redis|Microsoft\.Data\.SqlClient)""#,
            ),
        ),
    ]
});

static DB_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*image\s*:\s*['\x22]?(?:[\w.-]+/)*(?:postgres|postgis|pgvector|timescaledb|mysql|mariadb|mongo|redis|valkey|cassandra|scylla|cockroach|couchdb|neo4j|clickhouse-server|mssql-server|\w+/postgres)\b",
    )
});

/// The manifest (or compose) lines that show the app talks to a database.
pub(super) fn database_evidence(index: &Index) -> Vec<Evidence> {
    database_lines(index, |_| true)
}

/// Like [`database_evidence`], for databases that have a schema to migrate: key-value stores
/// and caches (Redis, Valkey, Memcached) have none.
pub(super) fn schema_database_evidence(index: &Index) -> Vec<Evidence> {
    static KEY_VALUE: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)redis|valkey|redigo|memcache|fred"));
    database_lines(index, |line| !KEY_VALUE.is_match(line))
}

/// The first line of each manifest (or compose file) naming a database that `keep` accepts.
fn database_lines(index: &Index, keep: impl Fn(&str) -> bool) -> Vec<Evidence> {
    let mut out = Vec::new();
    for f in index.text_files() {
        if f.vendored || f.is_test {
            continue;
        }
        let name = f.name();
        let kind = if name.starts_with("requirements") && name.ends_with(".txt") {
            "requirements"
        } else if name.starts_with("build.gradle") {
            "build.gradle"
        } else if name.ends_with(".csproj") {
            ".csproj"
        } else {
            name
        };
        let compose = (name.starts_with("docker-compose") || name.starts_with("compose"))
            && matches!(f.ext(), "yml" | "yaml");
        let re = if compose {
            Some(&*DB_IMAGE)
        } else {
            DB_DEPS.iter().find(|(k, _)| *k == kind).map(|(_, r)| r)
        };
        let (Some(re), Some(text)) = (re, f.text()) else {
            continue;
        };
        if let Some((i, l)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| re.is_match(l) && keep(l))
        {
            out.push(Evidence::at(f.path.clone(), i as u32 + 1).note(shorten(l)));
        }
    }
    out
}

static DB_IN_CI: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bdocker[- ]compose\b[^\n]*\bup\b|\bdocker\s+run\b[^\n]*\b(?:postgres|mysql|mariadb|mongo|redis|valkey)\b|\b(?:systemctl|service)\s+(?:start\s+)?(?:postgresql|mysql|redis)|\btestcontainers\b",
    )
});

const DB_ACTIONS: &[&str] = &[
    "supercharge/redis-github-action",
    "supercharge/mongodb-github-action",
    "ikalnytskyi/action-setup-postgres",
    "harmon758/postgresql-action",
    "ankane/setup-postgres",
    "ankane/setup-mysql",
    "ankane/setup-mongodb",
    "shogo82148/actions-setup-mysql",
    "shogo82148/actions-setup-redis",
    "mirromutth/mysql-action",
    "hoverkraft-tech/compose-action",
    "isbang/compose-action",
];

fn service_containers(ctx: &Context) -> Outcome {
    let db = database_evidence(ctx.index);
    let Some(db_first) = db.first().cloned() else {
        return Outcome::na("the application uses no database client (no driver in the manifests, no database in compose)");
    };
    if !has_ci(ctx.index) {
        return Outcome::fail(
            "the app uses a database but there is no CI to test against one",
            vec![db_first.note("database dependency; no CI configuration")],
        );
    }
    // A service of another kind (a registry, a mail catcher) starts no database.
    static DB_SERVICE_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)postgres|postgis|pgvector|timescale|mysql|mariadb|mongo|redis|valkey|cassandra|scylla|cockroach|couchdb|neo4j|clickhouse|mssql|sqlserver|oracle|db2|elasticsearch|opensearch|dynamodb|\$\{\{",
        )
    });
    let mut ev = Vec::new();
    for wf in parsed(ctx.index) {
        for j in &wf.jobs {
            for s in j.services.iter().filter(|s| {
                s.image
                    .as_deref()
                    .is_none_or(|i| DB_SERVICE_IMAGE.is_match(i))
            }) {
                ev.push(Evidence::at(wf.path.clone(), s.line).note(format!(
                    "job `{}` service `{}`{}",
                    j.id,
                    s.name,
                    s.image.as_deref().map(|i| format!(" ({i})")).unwrap_or_default()
                )));
            }
        }
    }
    ev.extend(uses_evidence(ctx.index, DB_ACTIONS));
    // A deploy job's `docker compose up` starts the service for users, not databases for tests.
    let deploying = super::deployment::deploy_job_lines(ctx.index);
    ev.extend(
        find_commands(ctx.index, &DB_IN_CI)
            .iter()
            .filter(|f| !deploying.contains(&(f.ci.path.clone(), f.ci.line)))
            .flat_map(Found::evidence),
    );
    // Testcontainers: the tests start the databases themselves, in CI as anywhere.
    ev.extend(testcontainers_evidence(ctx.index));
    // Other providers declare `services:` (GitLab, Bitbucket, Drone, Travis) or extra images.
    static OTHER_SERVICES: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)^\s*services\s*:|^\s*-\s*image\s*:\s*\S*(?:postgres|mysql|mariadb|mongo|redis)")
    });
    for (provider, f) in ciconf::files(ctx.index) {
        if provider == GITHUB {
            continue;
        }
        let text = f.text().unwrap_or("");
        for (i, l) in text.lines().enumerate() {
            if !l.trim_start().starts_with('#') && OTHER_SERVICES.is_match(l) {
                ev.push(Evidence::at(f.path.clone(), i as u32 + 1).note(shorten(l)));
            }
        }
    }
    Outcome::present(
        ev,
        "CI starts the databases the app needs (service containers or compose)",
        "the app uses a database but CI starts none: database code is only tested against mocks",
        Some(
            db_first
                .note("database dependency; CI starts no database (services:, docker compose up)"),
        ),
    )
}

/// Manifest lines that bring in Testcontainers (any ecosystem).
fn testcontainers_evidence(index: &Index) -> Vec<Evidence> {
    index
        .text_files()
        .filter(|f| !f.vendored)
        .filter(|f| {
            let name = f.name();
            crate::index::ROOT_MANIFESTS.contains(&name)
                || name.ends_with(".csproj")
                || (name.starts_with("requirements") && name.ends_with(".txt"))
        })
        .filter_map(|f| {
            let text = f.text()?;
            let (i, _) = text
                .lines()
                .enumerate()
                .find(|(_, l)| l.to_ascii_lowercase().contains("testcontainers"))?;
            Some(
                Evidence::at(f.path.clone(), i as u32 + 1)
                    .note("Testcontainers: the tests start their databases"),
            )
        })
        .collect()
}

// --- integration tests ---

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

static INTEGRATION_FILE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:^|[._-])(?:integration|int|it)[._-](?:test|spec)s?\.[cm]?[jt]sx?$|(?:^|[._-])integration[._-](?:test|spec)s?\.(?:go|py|rb|php|exs)$|^test_\w*integration\w*\.py$|(?:IT|ITCase|IntegrationTests?)\.(?:java|kt|cs|scala)$|\.IntegrationTests?\.csproj$)",
    )
});

/// `*.integration.ts`-style names: integration tests only where the file is test code (an
/// app's `stripe.integration.ts` is an integration *with* Stripe, not a test).
fn integration_named_test(f: &crate::index::IndexedFile) -> bool {
    let lower = f.name().to_ascii_lowercase();
    f.is_test && lower.contains(".integration.")
}

/// The integration-test folder `dir` is in (up to the `integration` segment), if any.
fn integration_dir(dir: &str) -> Option<String> {
    if dir.is_empty() {
        return None;
    }
    let dirs: Vec<&str> = dir.split('/').collect();
    // Rails request specs go through routing, controllers and the database.
    if let Some(i) = dirs
        .windows(2)
        .position(|w| w[0] == "spec" && w[1] == "requests")
    {
        return Some(dirs[..=i + 1].join("/"));
    }
    if let Some(i) = dirs.iter().position(|s| {
        let s = s.to_ascii_lowercase();
        // `it` only as a test folder (`src/it`, `tests/it`, `src/test/it`).
        INTEGRATION_DIRS.contains(&s.as_str()) && s != "it"
    }) {
        return Some(dirs[..=i].join("/"));
    }
    let i = dirs.iter().position(|s| *s == "it")?;
    (i > 0 && matches!(dirs[i - 1], "src" | "test" | "tests")).then(|| dirs[..=i].join("/"))
}

/// Where integration tests live: directories (up to the `integration` segment) and files.
fn integration_locations(ctx: &Context) -> Vec<String> {
    let mut out = BTreeSet::new();
    // Files come in path order, so a folder's files are consecutive: decide once per folder.
    let mut folder: Option<(&str, Option<String>)> = None;
    for f in ctx.index.files() {
        if f.vendored {
            continue;
        }
        let dir = crate::index::parent_dir(&f.path);
        let location = match &folder {
            Some((d, location)) if *d == dir => location.clone(),
            _ => {
                let location = integration_dir(dir);
                folder = Some((dir, location.clone()));
                location
            }
        };
        if let Some(location) = location {
            out.insert(location);
            continue;
        }
        let name = f.name();
        let java_it =
            name.ends_with("IT.java") || name.ends_with("IT.kt") || name.ends_with("ITCase.java");
        if (INTEGRATION_FILE.is_match(name) && (!java_it || f.path.contains("src/test/")))
            || integration_named_test(f)
        {
            out.insert(f.path.clone());
        }
        if out.len() >= 200 {
            break;
        }
    }
    for e in ctx.index.signal_evidence("ci-go-integration-tag") {
        out.insert(format!("{}#go-build-tag", e.path));
    }
    // Cargo builds each file of a crate's `tests/` as an integration test of its public API.
    for manifest in ctx.index.named("Cargo.toml").filter(|f| !f.vendored) {
        let tests = crate::index::join_path(crate::index::parent_dir(&manifest.path), "tests");
        if ctx.index.under(&tests).iter().any(|f| f.ext() == "rs") {
            out.insert(tests);
        }
    }
    out.into_iter().collect()
}

static EXCLUDES_INTEGRATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)not\s+integration|(?:--ignore|--exclude|ignorepatterns?|--skip|--deselect|--testpathignorepatterns)[= ]['"]?\S*integration|-x\s+integrationtest"#,
    )
});

/// Options of test runners that take a separate value (the value is not a path).
const VALUE_OPTS: &[&str] = &[
    "-m",
    "-k",
    "-c",
    "-p",
    "-o",
    "-n",
    "-r",
    "-t",
    "--cov",
    "--cov-report",
    "--junitxml",
    "--junit-xml",
    "--rootdir",
    "--ignore",
    "--deselect",
    "--timeout",
    "--tb",
    "--maxfail",
    "--durations",
    "--basetemp",
    "--confcutdir",
    "--reruns",
    "-w",
    "--workers",
    "--config",
    "--reporter",
    "--project",
    "--selectProjects",
    "--testPathPattern",
    "--testNamePattern",
    "--tags",
    "-tags",
    "-run",
    "-timeout",
    "-coverprofile",
    "-covermode",
    "-count",
    "--format",
    "--out",
    "--require",
    "--seed",
    "--shard",
    "-f",
    "--filter",
    "--logger",
    "--settings",
];

/// File extensions of the integration tests at `locations` (files, or the files under folders).
fn location_extensions(index: &Index, locations: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for l in locations {
        if l.ends_with("#go-build-tag") {
            out.insert("go".to_string());
            continue;
        }
        let under = index.under(l);
        if under.is_empty() {
            out.insert(
                crate::index::file_name(l)
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
        }
        out.extend(under.iter().map(|f| f.ext().to_ascii_lowercase()));
    }
    out
}

/// A command whose runner is of one language cannot run another language's tests: `yarn jest`
/// does not run mastodon's Ruby request specs. Commands without a known runner fit.
fn runner_fits(command: &str, exts: &BTreeSet<String>) -> bool {
    const RUNNERS: &[(&str, &[&str])] = &[
        (
            "jest",
            &["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts"],
        ),
        (
            "vitest",
            &["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts"],
        ),
        (
            "mocha",
            &["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts"],
        ),
        ("rspec", &["rb"]),
        ("pytest", &["py"]),
    ];
    let lower = command.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
        .collect();
    let known: Vec<&[&str]> = RUNNERS
        .iter()
        .filter(|(r, _)| words.contains(r))
        .map(|(_, e)| *e)
        .collect();
    known.is_empty() || known.iter().any(|e| e.iter().any(|x| exts.contains(*x)))
}

/// Does a test command run the integration tests at `locations`?
/// A Gradle build that makes a task depend on its integration tests (`tasks.check {
/// dependsOn(testing.suites.integrationTest) }`).
fn gradle_check_runs_integration(index: &Index) -> bool {
    ["build.gradle", "build.gradle.kts"]
        .iter()
        .flat_map(|name| index.named(name))
        .filter_map(|f| index.text(&f.path))
        .flat_map(str::lines)
        .any(|l| l.contains("dependsOn") && l.to_ascii_lowercase().contains("integration"))
}

fn runs_integration(index: &Index, command: &str, locations: &[String]) -> bool {
    let lower = command.to_ascii_lowercase();
    if EXCLUDES_INTEGRATION.is_match(command) {
        return false;
    }
    if lower.contains("integration") {
        return true;
    }
    let tag_only = locations.iter().all(|l| l.ends_with("#go-build-tag"));
    if lower.contains("go test") && tag_only {
        return false;
    }
    // `cargo test` runs every target's tests unless told to run only some kinds.
    if lower.contains("cargo test") || lower.contains("cargo nextest") {
        let only_units = ["--lib", "--bins", "--doc", "--bin ", "--examples"]
            .iter()
            .any(|o| lower.contains(o));
        return !only_units || lower.contains("--test");
    }
    // Maven runs *IT classes (failsafe) in `verify`, not in `test`.
    if lower.contains("mvn") {
        let java_it = locations
            .iter()
            .any(|l| l.ends_with("IT.java") || l.ends_with("IT.kt"));
        return !java_it || lower.contains("verify") || lower.contains("install");
    }
    // Gradle's `test` task runs src/test only. A source set of its own (src/integrationTest,
    // src/it) has its own task, which `check` and `build` run only when the build makes
    // `check` depend on it.
    if lower.contains("gradle") {
        let own_source_set = locations.iter().any(|l| {
            let parts: Vec<&str> = l.split('/').collect();
            parts
                .windows(2)
                .any(|w| w[0] == "src" && !matches!(w[1], "test" | "main"))
        });
        let aggregate = lower
            .split_whitespace()
            .any(|t| matches!(t.rsplit(':').next(), Some("check" | "build")));
        return !own_source_set || (aggregate && gradle_check_runs_integration(index));
    }
    // Positional path arguments after the runner restrict what runs.
    let runner = [
        "pytest", "py.test", "go test", "jest", "vitest", "mocha", "rspec", "tox", "nox",
    ]
    .iter()
    .filter_map(|r| lower.find(r).map(|i| i + r.len()))
    .min();
    let Some(start) = runner else {
        return true;
    };
    let mut paths = Vec::new();
    let mut skip_next = false;
    for tok in command[start.min(command.len())..].split_whitespace() {
        if skip_next {
            skip_next = false;
            continue;
        }
        if tok.starts_with('-') {
            skip_next = !tok.contains('=') && VALUE_OPTS.contains(&tok);
            continue;
        }
        let t = tok
            .trim_matches(|c| c == '"' || c == '\'')
            .trim_start_matches("./")
            .trim_end_matches("...")
            .trim_end_matches('/');
        if t.contains('/') || t.is_empty() || index.dir_exists(t) || index.exists(t) {
            paths.push(t.split("::").next().unwrap_or(t).to_string());
        }
    }
    if paths.is_empty() && lower.contains("pytest") {
        paths = pytest_testpaths(index);
    }
    if paths.is_empty() {
        return true;
    }
    paths.iter().any(|p| {
        locations.iter().any(|l| {
            let l = l.trim_end_matches("#go-build-tag");
            p.is_empty()
                || p == "."
                || l == p
                || l.starts_with(&format!("{p}/"))
                || p.starts_with(&format!("{l}/"))
        })
    })
}

/// `testpaths` of pytest's configuration, which bare `pytest` runs.
fn pytest_testpaths(index: &Index) -> Vec<String> {
    for cfg in ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"] {
        let Some(text) = index.text(cfg) else {
            continue;
        };
        if let Some(l) = text
            .lines()
            .find(|l| l.trim_start().starts_with("testpaths"))
        {
            let value = l.split_once('=').map_or("", |(_, v)| v);
            return value
                .split(|c: char| c == ',' || c.is_whitespace() || c == '[' || c == ']')
                .map(|s| {
                    s.trim_matches(|c| c == '"' || c == '\'')
                        .trim_end_matches('/')
                })
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
    }
    Vec::new()
}

/// CI lines that start a compose test stack (`docker compose -f docker-compose.test.yml up`,
/// `… run svc`), each with the stack's path and whether CI's result is a service's exit code.
fn stack_starts(
    index: &Index,
    stacks: &[&crate::index::IndexedFile],
) -> Vec<(CiLine, String, bool)> {
    let mut out = Vec::new();
    for l in command_lines(index) {
        for seg in segments(&l.run) {
            let Some(inv) = compose_run::parse(seg) else {
                continue;
            };
            if !matches!(inv.subcommand.as_str(), "up" | "run") {
                continue;
            }
            let files = compose_run::files(index, &inv, &l.dir);
            if let Some(stack) = stacks.iter().find(|s| files.contains(&s.path)) {
                out.push((l.clone(), stack.path.clone(), inv.service.is_some()));
                break;
            }
        }
    }
    out
}

fn runs_integration_tests(ctx: &Context) -> Outcome {
    let locations = integration_locations(ctx);
    // Compose test stacks are integration tests too (`tests-integration` counts them).
    let stacks = super::testing::test_compose_stacks(ctx.index);
    if locations.is_empty() && stacks.is_empty() {
        return Outcome::na(
            "no integration tests found (tests/integration/, *.integration.test.ts, *IT.java, \
             compose test stack …)",
        );
    }
    let loc_ev = |note: &str| {
        let Some(l) = locations.first() else {
            let path = stacks.first().map(|f| f.path.clone()).unwrap_or_default();
            return Evidence::file(path).note(note.to_string());
        };
        let l = l.trim_end_matches("#go-build-tag");
        // A test file of the folder, not its `__init__.py`.
        let under = ctx.index.under(l);
        let path = under
            .iter()
            .find(|f| !f.name().starts_with("__init__"))
            .or(under.first())
            .map(|f| f.path.clone())
            .unwrap_or_else(|| l.to_string());
        Evidence::file(path).note(note.to_string())
    };
    let shown: Vec<&str> = locations
        .iter()
        .map(|l| l.trim_end_matches("#go-build-tag"))
        .chain(stacks.iter().map(|f| f.path.as_str()))
        .take(3)
        .collect();
    if !has_ci(ctx.index) {
        return Outcome::fail(
            "integration tests exist but there is no CI to run them",
            vec![loc_ev("integration tests; no CI configuration")],
        );
    }
    let tests = test_commands(ctx.index);
    // A test stack CI starts runs the tests when CI waits for a service's exit code, or when
    // CI runs tests at all (against the stack).
    let started: Vec<Evidence> = stack_starts(ctx.index, &stacks)
        .into_iter()
        .filter(|(_, _, waits)| *waits || !tests.is_empty())
        .flat_map(|(l, stack, _)| {
            [
                l.evidence(),
                Evidence::file(stack).note("compose stack for tests"),
            ]
        })
        .collect();
    if tests.is_empty() && started.is_empty() {
        let mut ev = ci_anchor(ctx, "no test command in CI");
        ev.push(loc_ev("integration tests never run in CI"));
        return Outcome::fail("integration tests exist but CI runs no tests at all", ev)
            .with_fix(super::starter::integration_steps(ctx.index, &locations));
    }
    let exts = location_extensions(ctx.index, &locations);
    let (running, limited): (Vec<&Found>, Vec<&Found>) = tests.iter().partition(|f| {
        !locations.is_empty()
            && runs_integration(ctx.index, &f.command, &locations)
            && runner_fits(&f.command, &exts)
    });
    if !running.is_empty() || !started.is_empty() {
        // A command naming the integration tests (`yarn test -- --integrationTestsOnly`) is the
        // evidence; plain `yarn test` runs them only as far as we can tell.
        let named: Vec<&&Found> = running
            .iter()
            .filter(|f| {
                [&f.command, &f.ci.text]
                    .iter()
                    .any(|t| t.to_ascii_lowercase().contains("integration"))
            })
            .collect();
        let cited: Vec<&&Found> = if named.is_empty() {
            running.iter().collect()
        } else {
            named
        };
        let mut ev: Vec<Evidence> = cited.iter().flat_map(|f| f.evidence()).collect();
        if !running.is_empty() {
            ev.push(loc_ev("integration tests"));
        }
        ev.extend(started);
        return Outcome::pass("CI runs the integration tests", ev);
    }
    if locations.is_empty() {
        let mut ev = ci_anchor(ctx, "no CI command starts the compose test stack");
        ev.extend(
            stacks
                .iter()
                .map(|f| Evidence::file(f.path.clone()).note("compose stack for tests")),
        );
        return Outcome::fail(
            format!(
                "CI never starts the compose test stack ({}): the tests against real services \
                 do not run",
                shown.join(", ")
            ),
            ev,
        );
    }
    let mut ev: Vec<Evidence> = limited
        .iter()
        .map(|f| {
            f.ci.evidence().note(format!(
                "{} — does not include {}",
                shorten(&f.ci.text),
                shown.join(", ")
            ))
        })
        .collect();
    ev.push(loc_ev("integration tests not run by CI"));
    Outcome::fail(
        format!(
            "CI test commands leave out the integration tests ({})",
            shown.join(", ")
        ),
        ev,
    )
    .with_fix(super::starter::integration_steps(ctx.index, &locations))
}

// ---------------------------------------------------------------------------------------------
// Catalogue.
// ---------------------------------------------------------------------------------------------

pub const RULES: &[Rule] = &[
    Rule {
        id: "ci-configured",
        title: "CI pipeline configured",
        category: Category::Ci,
        weight: 10,
        applies: Applies::ALL,
        rationale: "Without continuous integration nothing checks a change before it lands: tests, \
            lint and builds depend on each developer remembering to run them.",
        passes_when: "A CI configuration with content exists: GitHub Actions workflow, .gitlab-ci.yml, \
            CircleCI, Jenkinsfile, Azure Pipelines, Bitbucket, Travis, Drone, Buildkite or Woodpecker \
            (an empty folder or a .gitkeep is not CI).",
        remediation: "Add a workflow that installs dependencies, lints, tests and builds on every push \
            and pull request.",
        snippet: Some("# .github/workflows/ci.yml\nname: CI\non:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  contents: read\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n      - run: make lint test build"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(ci_configured),
    },
    Rule {
        id: "ci-runs-on-pull-requests",
        title: "CI runs on pull requests",
        category: Category::Ci,
        weight: 7,
        applies: Applies::ALL,
        rationale: "Checks that only run after merge find breakage when it is already on the main \
            branch; running them on pull requests keeps main releasable.",
        passes_when: "A GitHub workflow that does work is triggered by pull_request, pull_request_target \
            or merge_group (or by push on every branch), or another provider builds merge requests (GitLab \
            merge_request_event, Bitbucket pull-requests, Azure pr:, or the provider's default of \
            building every branch).",
        remediation: "Add `pull_request:` (and `merge_group:` with a merge queue) to the CI workflow's \
            triggers.",
        snippet: Some("# .github/workflows/ci.yml\non:\n  push:\n    branches: [main]\n  pull_request:\n  merge_group:"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(runs_on_pull_requests),
    },
    Rule {
        id: "ci-runs-tests",
        title: "CI runs the tests",
        category: Category::Ci,
        weight: 9,
        applies: Applies::ALL,
        rationale: "A pipeline that does not run the test suite gives a green tick that means nothing.",
        passes_when: "A CI command runs the stack's test runner (pytest, tox, npm/pnpm/yarn test, jest, \
            vitest, go test, cargo test/t/nextest, mvn test/verify/package, gradle test/check, rspec, \
            rake test, dotnet test, bats, make test, turbo or nx test tasks …; not with -DskipTests or \
            -x test), directly or through a make/just/npm script, a shell script \
            (`scripts/test.sh`, or an extension-less `script/test` with a shell `#!` line), a \
            PDM/Poe/Hatch task of pyproject.toml, a cargo alias of `.cargo/config.toml`, a \
            `cargo xtask test` task, a tox env or a nox session. A tox env or nox session counts by its commands (`tox -e typing` running \
            mypy is a type check, not tests); an env named at run time is read as `[testenv]`.",
        remediation: "Add a test step to CI, using the same command developers run locally.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - name: Test\n        run: make test"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(runs_tests),
    },
    Rule {
        id: "ci-runs-lint",
        title: "CI lints and type-checks",
        category: Category::Ci,
        weight: 6,
        applies: Applies::ALL,
        rationale: "Linters and type checkers catch whole classes of bugs before review and keep \
            style debates out of it, but only if CI enforces them.",
        passes_when: "A CI command or action runs a linter, formatter check or type checker (ruff, \
            flake8, mypy, eslint, tsc --noEmit, golangci-lint, go vet, clippy, cargo fmt --check, \
            checkstyle, spotless, rubocop, dotnet format, pre-commit run, turbo or nx lint tasks …), \
            directly or through a make/just/npm script, a shell script (`scripts/lint.sh`, or an \
            extension-less `script/lint` with a shell `#!` line), a PDM/Poe/Hatch task of \
            pyproject.toml, a tox env or a nox session.",
        remediation: "Add a lint step to CI that fails on findings.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - name: Lint\n        run: |\n          ruff check .\n          ruff format --check .\n          mypy ."),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(runs_lint),
    },
    Rule {
        id: "ci-builds-artifact",
        title: "CI builds the deliverable",
        category: Category::Ci,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Building the package, binary or image on every change proves the thing you ship \
            still builds, long before a release depends on it.",
        passes_when: "A CI command or action builds an artefact (npm run build, cargo build, go build, \
            mvn package, gradle build, docker build, python -m build, dotnet publish, goreleaser, \
            turbo or nx build tasks …).",
        remediation: "Add a build step to CI that produces the artefact you deploy or publish.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - name: Build\n        run: docker build --tag app:${{ github.sha }} ."),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(builds_artifact),
    },
    Rule {
        id: "ci-dependency-cache",
        title: "CI caches dependencies",
        category: Category::Ci,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Downloading every dependency on every run makes CI slow and flaky (registry \
            outages, rate limits); a keyed cache makes feedback faster.",
        passes_when: "actions/cache, a setup action's `cache:` input (or its caching default: setup-go \
            v4+, setup-uv v5+), Swatinem/rust-cache, setup-gradle, a docker `cache-from`, or another \
            provider's `cache:`/save_cache is configured, in a workflow or in a local composite \
            action it uses.",
        remediation: "Turn on the cache of your setup action, or add actions/cache keyed on the lockfile.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0\n        with:\n          node-version: 22\n          cache: npm"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(dependency_cache),
    },
    Rule {
        id: "ci-job-timeouts",
        title: "CI jobs have timeouts",
        category: Category::Ci,
        weight: 3,
        applies: Applies::ALL,
        rationale: "GitHub Actions jobs run up to 6 hours by default: one hung test or deadlock burns \
            runner minutes and blocks the queue.",
        passes_when: "Every GitHub Actions job (except calls to reusable workflows) sets timeout-minutes.",
        remediation: "Set `timeout-minutes` on every job, a little above its usual duration.",
        snippet: Some("# .github/workflows/ci.yml\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 15"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(job_timeouts),
    },
    Rule {
        id: "ci-concurrency",
        title: "Superseded CI runs are cancelled",
        category: Category::Ci,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Each push to a pull request starts a new run; without a concurrency group the old \
            ones keep running, wasting minutes and delaying the result that matters.",
        passes_when: "Every branch-push workflow and every pull-request workflow that does work \
            (pull_request, pull_request_target, merge_group) has a concurrency group with \
            cancel-in-progress (workflow or job level); GitLab jobs are `interruptible`.",
        remediation: "Add a concurrency group keyed on the workflow and ref, cancelling runs in progress.",
        snippet: Some("# .github/workflows/ci.yml\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(concurrency),
    },
    Rule {
        id: "ci-docker-build",
        title: "Container image built in CI",
        category: Category::Ci,
        weight: 5,
        applies: Applies::ALL,
        rationale: "A Dockerfile that CI never builds breaks silently (a renamed file, a base image \
            change) and is found broken at deploy time.",
        passes_when: "With a Dockerfile, CI runs docker build/buildx, docker compose build, \
            docker/build-push-action, kaniko, buildah, ko or similar.",
        remediation: "Build the image in CI on every pull request (push it only from main).",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - uses: docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435 # v3.11.1\n      - uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83 # v6.18.0\n        with:\n          context: .\n          push: false\n          tags: app:${{ github.sha }}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(docker_build),
    },
    Rule {
        id: "ci-service-containers",
        title: "CI tests against real databases",
        category: Category::Ci,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Queries, migrations and drivers only fail against a real database; mocks hide \
            exactly the bugs that break production.",
        passes_when: "When the app depends on a database driver (psycopg, asyncpg, pg, mysql2, mongoose, \
            redis, gorm, sqlx, diesel, Npgsql …) or compose runs one, a CI job declares `services:`, \
            runs docker compose up, uses a database setup action or testcontainers.",
        remediation: "Add the database as a service container of the test job, with a health check.",
        snippet: Some("# .github/workflows/ci.yml\njobs:\n  test:\n    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: postgres\n        ports: [\"5432:5432\"]\n        options: >-\n          --health-cmd pg_isready --health-interval 5s --health-retries 10"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(service_containers),
    },
    Rule {
        id: "ci-runs-integration-tests",
        title: "CI runs the integration tests",
        category: Category::Ci,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Integration tests that exist but never run in CI rot: they break unnoticed and \
            give false confidence.",
        passes_when: "When integration tests exist (tests/integration/, *.integration.test.ts, *IT.java, \
            Go `integration` build tag, a compose test stack such as docker-compose.test.yml …), a CI \
            test command covers them: it names them, or runs the whole suite without path filters \
            that leave them out, or CI starts the compose test stack and runs the tests against it \
            (`up --exit-code-from svc`, `run svc`, or a test command in CI).",
        remediation: "Run the integration suite in CI, with the services it needs.",
        snippet: Some("# .github/workflows/ci.yml (steps)\n      - name: Integration tests\n        run: uv run pytest tests/integration -v"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(runs_integration_tests),
    },
];

pub const SIGNALS: &[Signal] = &[Signal {
    id: "ci-go-integration-tag",
    files: &["**/*_test.go"],
    pattern: r"^//\s*(?:go:build|\+build)\b.*\bintegration\b",
    skip_tests: false,
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn wf(body: &str) -> String {
        format!("name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n{body}")
    }

    #[test]
    fn node_selectors_name_packages_by_path_or_name() {
        let sel = |t: &str| -> Vec<String> {
            let words: Vec<&str> = t.split_whitespace().collect();
            node_selectors(&words)
                .into_iter()
                .map(String::from)
                .collect()
        };
        assert_eq!(
            sel("pnpm --filter \"./packages/**\" -F @trpc/next build"),
            ["./packages/**", "@trpc/next"]
        );
        assert_eq!(sel("turbo run test --filter=web..."), ["web..."]);
        assert_eq!(
            sel("npm test -w apps/api --workspace=apps/ui"),
            ["apps/api", "apps/ui"]
        );
        assert_eq!(sel("yarn workspace @shop/api test"), ["@shop/api"]);
        assert_eq!(
            sel("nx run-many -t test --projects=api,web"),
            ["api", "web"]
        );
        assert!(sel("pnpm -r test").is_empty());
        let ours = |s: &str| node_selector_matches(s, "@trpc/server", "packages/server");
        for yes in [
            "./packages/**",
            "./packages/*",
            "{packages/server}",
            "packages/server",
            "@trpc/server",
            "@trpc/*",
            "...@trpc/server",
            "@trpc/server...",
        ] {
            assert!(ours(yes), "{yes}");
        }
        for no in ["./www", "./examples/**", "@trpc/client", "www", "apps/*"] {
            assert!(!ours(no), "{no}");
        }
    }

    #[test]
    fn a_commands_stack_is_its_program() {
        let stack = |t: &str| segments(t).filter_map(command_stack).collect::<Vec<_>>();
        assert_eq!(stack("cargo test --workspace"), [StackId::Rust]);
        assert_eq!(stack("CI=1 ./gradlew check"), [StackId::Java]);
        assert_eq!(stack("PASSES='fmt bom' go test ./..."), [StackId::Go]);
        assert_eq!(
            stack("uv run pytest && npm test"),
            [StackId::Python, StackId::Node]
        );
        assert_eq!(stack("bundle exec rspec"), [StackId::Ruby]);
        for neutral in [
            "make test",
            "turbo run test",
            "docker compose up",
            "./scripts/ci.sh",
        ] {
            assert!(stack(neutral).is_empty(), "{neutral}");
        }
    }

    #[test]
    fn env_assignments_before_a_script_are_skipped() {
        assert_eq!(
            without_env_assignments("GOARCH=amd64 PASSES='fmt bom dep' ./test -p=2"),
            "./test -p=2"
        );
        assert_eq!(
            without_env_assignments("A=\"x y\" B= script/ci"),
            "script/ci"
        );
        for unchanged in ["./test", "X=1", "A='open ./x", "1A=2 ./x", "a-b=1 ./x"] {
            assert_eq!(without_env_assignments(unchanged), unchanged);
        }
        // etcd: the CI step runs its `test` script, which runs `go test`.
        let r = rule(RULES, "ci-runs-tests");
        let body = wf(
            "  t:\n    runs-on: x\n    steps:\n      - run: GOARCH=amd64 PASSES='unit' ./test\n",
        );
        let files = [
            (".github/workflows/tests.yaml", body.as_str()),
            (
                "test",
                "#!/usr/bin/env bash\nfunction unit_pass {\n  go test -timeout 3m ./...\n}\n",
            ),
            ("go.mod", "module x\n"),
        ];
        let o = assert_pass(r, &files);
        assert!(cites(&o, "test", 3), "{o:?}");
    }

    /// Hugo's CI runs `mage -v check` (tests, fmt and vet); Mage targets live in Go code
    /// the index does not keep, so the conventional target names are what counts.
    #[test]
    fn mage_targets_for_tests_and_linters() {
        let ci = |run: &str| {
            let body = wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ));
            [
                (".github/workflows/ci.yml".to_string(), body),
                ("go.mod".into(), "module x\n".into()),
            ]
        };
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        for (run, tested, linted) in [
            ("mage -v check", true, true),
            ("mage testRace", true, false),
            ("mage lint", false, true),
            ("mage -v hugo", false, false),
        ] {
            assert_verdict(tests, &ci(run), tested, run);
            assert_verdict(lint, &ci(run), linted, run);
        }
    }

    #[test]
    fn package_scripts_prefer_the_invoking_folder_then_the_shallowest() {
        let idx = Index::from_files(&[
            (
                "package.json",
                "{\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"test\": \"jest\"\n  }\n}\n",
            ),
            (
                "apps/a/package.json",
                "{\"scripts\": {\"test\": \"vitest\"}}",
            ),
            ("apps/b/package.json", "{ not json"),
            (
                "node_modules/x/package.json",
                "{\"scripts\": {\"lint\": \"x\"}}",
            ),
        ]);
        let got = |name: &str, base: &str| package_script(&idx, name, base);
        assert_eq!(got("test", ""), [("package.json".into(), 4, "jest".into())]);
        assert_eq!(
            got("test", "apps/a"),
            [("apps/a/package.json".into(), 1, "vitest".into())]
        );
        // Not in the invoking folder's file: the root's.
        assert_eq!(
            got("build", "apps/a"),
            [("package.json".into(), 3, "tsc".into())]
        );
        // Invalid and vendored manifests contribute nothing.
        assert!(got("lint", "").is_empty());
        assert!(got("start", "apps/b").is_empty());
    }

    #[test]
    fn patterns_compile() {
        for r in [
            &*INSTALL,
            &*MAKE,
            &*PKG_RUN,
            &*TEST_CMD,
            &*LINT_CMD,
            &*BUILD_CMD,
            &*DOCKER_BUILD_CMD,
            &*NON_GITHUB_PR,
            &*DB_IMAGE,
            &*DB_IN_CI,
            &*INTEGRATION_FILE,
            &*EXCLUDES_INTEGRATION,
        ] {
            assert!(!r.as_str().is_empty());
        }
        assert_eq!(DB_DEPS.len(), 10);
    }

    #[test]
    fn ci_configured_any_provider_but_not_gitkeep() {
        let r = rule(RULES, "ci-configured");
        let o = assert_pass(r, &[(".gitlab-ci.yml", "test:\n  script: pytest\n")]);
        assert_eq!(o.evidence[0].path, ".gitlab-ci.yml");
        let o = assert_fail(r, &[(".github/workflows/.gitkeep", ""), ("README.md", "x")]);
        assert_eq!(o.evidence[0].path, ".github/workflows/.gitkeep");
        assert_fail(r, &[("README.md", "x")]);
        // A workflow that cannot be modelled is named as such.
        let o = assert_pass(r, &[(".github/workflows/ci.yml", "on: [push\njobs: {\n")]);
        let note = o.evidence[0].note.as_deref().unwrap_or("");
        assert!(
            note.starts_with("GitHub Actions; not parsed (YAML error at "),
            "{note}"
        );
    }

    /// pytest's test.yml closes its matrix list at the key's indentation; GitHub runs it, so
    /// it is modelled like any workflow (before, it was read as plain text only).
    #[test]
    fn pytest_matrix_workflow_is_a_pull_request_pipeline() {
        let wf = "name: test\non:\n  push:\n    branches:\n      - main\n  pull_request:\n    branches:\n      - main\njobs:\n  build:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        name: [\n          \"ubuntu-py312\",\n\n          \"doctesting\",\n        ]\n\n        include:\n          - name: \"ubuntu-py312\"\n            os: ubuntu-latest\n    steps:\n    - run: tox run -e ${{ matrix.tox_env }}\n";
        let tox = "[testenv]\ncommands = pytest {posargs}\n";
        let files = [(".github/workflows/test.yml", wf), ("tox.ini", tox)];
        let o = assert_pass(rule(RULES, "ci-runs-on-pull-requests"), &files);
        assert_eq!(o.evidence[0].line, Some(6));
        let o = assert_pass(rule(RULES, "ci-runs-tests"), &files);
        assert!(
            cites(&o, ".github/workflows/test.yml", 24),
            "the tox step, not a matrix name: {o:?}"
        );
    }

    /// cal.com's pr.yml: the pull-request pipeline is triggered by pull_request_target (line 4)
    /// and merge_group (line 10), with a concurrency group at lines 13-15.
    const CALCOM_PR: &str = "name: PR Update\n\non:\n  pull_request_target:\n    branches:\n      - main\n    paths-ignore:\n      - \"**.md\"\n      - \".github/CODEOWNERS\"\n  merge_group:\n  workflow_dispatch:\n\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\n  cancel-in-progress: true\n\njobs:\n  changes:\n    name: Detect changes\n    runs-on: buildjet-4vcpu-ubuntu-2204\n    steps:\n      - uses: actions/checkout@v4\n  lint:\n    needs: [changes]\n    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n";
    const CALCOM_SEMANTIC: &str = "name: \"Validate PRs\"\n\non:\n  pull_request_target:\n    types:\n      - opened\n\npermissions:\n  pull-requests: write\n\njobs:\n  validate-pr:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: amannn/action-semantic-pull-request@v5\n";

    #[test]
    fn pull_request_target_and_merge_group_are_pull_request_pipelines() {
        let r = rule(RULES, "ci-runs-on-pull-requests");
        let o = assert_pass(r, &[(".github/workflows/pr.yml", CALCOM_PR)]);
        // The pull-request trigger, not merge_group.
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(4));
        assert_eq!(
            o.evidence[0].note.as_deref(),
            Some("on: pull_request_target")
        );
        let queue_only = "on:\n  merge_group:\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make test\n";
        let o = assert_pass(r, &[(".github/workflows/q.yml", queue_only)]);
        assert_eq!(o.evidence[0].line, Some(2));

        let c = rule(RULES, "ci-concurrency");
        let o = assert_pass(
            c,
            &[
                (".github/workflows/pr.yml", CALCOM_PR),
                (
                    ".github/workflows/semantic-pull-requests.yml",
                    CALCOM_SEMANTIC,
                ),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(15));
        // Without its concurrency group, pr.yml is a pull-request pipeline that fails.
        let bare = CALCOM_PR.replace(
            "concurrency:\n  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\n  cancel-in-progress: true\n",
            "",
        );
        let o = assert_fail(c, &[(".github/workflows/pr.yml", &bare)]);
        assert_eq!(o.evidence[0].line, Some(3));
        assert!(o.message.starts_with("1 of 1"), "{}", o.message);
        // A title linter alone is no pipeline.
        assert_na(
            c,
            &[(
                ".github/workflows/semantic-pull-requests.yml",
                CALCOM_SEMANTIC,
            )],
        );
    }

    #[test]
    fn pull_request_trigger_cited_at_its_line() {
        let r = rule(RULES, "ci-runs-on-pull-requests");
        let body = wf("  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n");
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence[0].line, Some(5));
        // Push to main only: changes are checked after they land.
        let o = assert_fail(
            r,
            &[(
                ".github/workflows/ci.yml",
                "on:\n  push:\n    branches: [main]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make test\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(1));
        // A PR-title linter alone does not count.
        assert_fail(
            r,
            &[(
                ".github/workflows/title.yml",
                "on: pull_request_target\njobs:\n  t:\n    runs-on: x\n    steps:\n      - uses: amannn/action-semantic-pull-request@v5\n",
            )],
        );
        let o = assert_pass(
            r,
            &[(
                ".gitlab-ci.yml",
                "workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\ntest:\n  script: pytest\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(r, &[("README.md", "x")]);
    }

    #[test]
    fn tests_found_directly_and_through_make() {
        let r = rule(RULES, "ci-runs-tests");
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: pip install pytest\n      - run: |\n          uv sync\n          uv run pytest -q\n");
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(13));
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: make ci\n");
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                (
                    "Makefile",
                    "lint:\n\truff check .\n\nci: lint\n\tgo test ./...\n",
                ),
            ],
        );
        assert!(cites(&o, "Makefile", 5), "{o:?}");
        // Installing pytest is not running it.
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: pip install pytest ruff\n      - run: ruff check .\n");
        let o = assert_fail(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence[0].path, ".github/workflows/ci.yml");
        assert_fail(r, &[("README.md", "x")]);
    }

    #[test]
    fn scripts_and_task_files_are_found_from_the_working_directory() {
        let r = rule(RULES, "ci-runs-tests");
        let body = wf("  t:\n    runs-on: x\n    defaults:\n      run:\n        working-directory: ./backend\n    steps:\n      - run: uv run bash scripts/tests-start.sh \"Coverage\"\n");
        let files = [
            (".github/workflows/ci.yml", body.as_str()),
            (
                "backend/scripts/tests-start.sh",
                "#!/bin/bash\nset -e\nbash scripts/test.sh \"$@\"\n",
            ),
            (
                "backend/scripts/test.sh",
                "#!/bin/bash\ncoverage run --source=app -m pytest\ncoverage report\n",
            ),
        ];
        let o = assert_pass(r, &files);
        let via: Vec<_> = o
            .evidence
            .iter()
            .map(|e| (e.path.as_str(), e.line))
            .collect();
        assert!(
            via.contains(&("backend/scripts/test.sh", Some(2))),
            "{via:?}"
        );
        // A step's own working-directory wins over the job's default; npm reads that
        // folder's package.json.
        let body = wf("  t:\n    runs-on: x\n    defaults:\n      run:\n        working-directory: backend\n    steps:\n      - run: npm test\n        working-directory: frontend\n");
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                (
                    "frontend/package.json",
                    "{\"scripts\": {\"test\": \"vitest run\"}}",
                ),
            ],
        );
        assert!(
            o.evidence.iter().any(|e| e.path == "frontend/package.json"),
            "{:?}",
            o.evidence
        );
        // Run from the root, the same script path names nothing.
        let body =
            wf("  t:\n    runs-on: x\n    steps:\n      - run: bash scripts/tests-start.sh\n");
        assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("backend/scripts/tests-start.sh", "pytest\n"),
            ],
        );
    }

    #[test]
    fn extensionless_shell_programs_are_followed_by_their_path() {
        let r = rule(RULES, "ci-runs-tests");
        let ci = |run: &str| {
            wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ))
        };
        // httplib2's CI runs `script/test -sv`, a bash script that runs pytest.
        let script = (
            "script/test",
            "#!/bin/bash\nset -eux\n\npip install -e .\npytest tests/\n",
        );
        let body = ci("script/test -sv");
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &body), script]);
        assert_eq!(
            o.evidence[1],
            Evidence::at("script/test", 5).note("pytest tests/")
        );
        // `#!/usr/bin/env bash`, `./ci`, and any file run through a shell.
        for (run, file, text) in [
            ("./ci", "ci", "#!/usr/bin/env bash\ngo test ./...\n"),
            ("bash tools/check --all", "tools/check", "go test ./...\n"),
        ] {
            let body = ci(run);
            assert_pass(r, &[(".github/workflows/ci.yml", &body), (file, text)]);
        }
        // Not shell: a Python program is not read as shell commands; a bare word is a command
        // on the PATH, not the file of that name.
        for (run, file, text) in [
            (
                "script/test",
                "script/test",
                "#!/usr/bin/env python3\nprint('pytest')\n",
            ),
            ("check", "check", "#!/bin/sh\npytest\n"),
        ] {
            let body = ci(run);
            assert_fail(r, &[(".github/workflows/ci.yml", &body), (file, text)]);
        }
        let idx = Index::from_files(&[("gradlew", "#!/bin/sh\nexec java\n")]);
        assert!(task_recipe(&idx, "./gradlew test", "", "").is_empty());
    }

    #[test]
    fn cargo_aliases_are_expanded_and_xtask_test_counts_by_name() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let ci = |run: &str| {
            wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ))
        };
        let config = (
            ".cargo/config.toml",
            "[build]\nrustflags = []\n\n[alias]\nci-test = \"nextest run --workspace\" # fast\n\
             lint = [\"clippy\", \"--all-targets\"]\nxtask = \"run --package xtask --\"\n\
             test = \"build\"\n",
        );
        let body = ci("cargo ci-test --no-fail-fast");
        let o = assert_pass(tests, &[(".github/workflows/ci.yml", &body), config]);
        assert!(o.evidence.contains(
            &Evidence::at(".cargo/config.toml", 5)
                .note("cargo nextest run --workspace --no-fail-fast")
        ));
        let body = ci("cargo lint -- -D warnings");
        let o = assert_pass(lint, &[(".github/workflows/ci.yml", &body), config]);
        assert!(cites(&o, ".cargo/config.toml", 6), "{o:?}");
        // Without the configuration, or with an alias of something else, no test runs.
        let body = ci("cargo ci-test");
        assert_fail(tests, &[(".github/workflows/ci.yml", &body)]);
        for run in ["cargo xtask dist", "cargo run -p xtask -- dist --test"] {
            let body = ci(run);
            assert_fail(tests, &[(".github/workflows/ci.yml", &body), config]);
        }
        // An xtask named for the tests counts, like `make test`, through the alias or not.
        for run in [
            "cargo xtask test",
            "cargo xtask test-all --release",
            "cargo run -p xtask -- test",
            "cargo run --package xtask --release -- test --all",
        ] {
            let body = ci(run);
            assert_pass(tests, &[(".github/workflows/ci.yml", &body), config]);
            assert_pass(tests, &[(".github/workflows/ci.yml", &body)]);
        }
        // Cargo ignores an alias named like one of its commands: `cargo test` is the tests.
        let idx = Index::from_files(&[config]);
        assert!(task_recipe(&idx, "cargo test", "", "").is_empty());
        // The configuration nearest the step's folder wins, as cargo reads it.
        let idx = Index::from_files(&[
            config,
            ("crates/a/.cargo/config", "alias.ci-test = 'test -p a'\n"),
        ]);
        assert_eq!(
            task_recipe(&idx, "cargo ci-test", "", "crates/a"),
            [(
                "crates/a/.cargo/config".to_string(),
                1,
                "cargo test -p a".to_string()
            )]
        );
        assert_eq!(
            task_recipe(&idx, "cargo ci-test", "", "crates/b")[0].0,
            ".cargo/config.toml"
        );
    }

    #[test]
    fn make_flags_and_directories() {
        let idx = Index::from_files(&[(
            "backend/Makefile",
            "VAR := 1\n.PHONY: test\ntest:\n\t$(MAKE) unit\nunit:\n\tgo test ./...\n",
        )]);
        let r = task_recipe(&idx, "make -C backend -j4 V=1 test", "", "");
        assert_eq!(
            r,
            vec![(
                "backend/Makefile".to_string(),
                4,
                "$(MAKE) unit".to_string()
            )]
        );
        let found = find_in(
            &idx,
            &[CiLine {
                path: "ci.yml".into(),
                line: 3,
                text: "cd x && make -C backend test".into(),
                run: "cd x && make -C backend test".into(),
                dir: String::new(),
            }],
            &TEST_CMD,
        );
        assert_eq!(found.len(), 1);
        // `$(MAKE) unit` is followed in backend/Makefile, where `unit` runs go test.
        assert_eq!(
            found[0].via,
            Some((
                "backend/Makefile".to_string(),
                6,
                "go test ./...".to_string()
            ))
        );
        assert!(task_recipe(&idx, "make", "", "").is_empty());
    }

    #[test]
    fn turborepo_and_nx_tasks_are_tests_lint_and_builds() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let build = rule(RULES, "ci-builds-artifact");
        let pkg = ("package.json", "{\"name\": \"root\", \"private\": true}\n");
        let ci = |run: &str| {
            wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ))
        };
        // trpc/trpc's build step, and the usual Turborepo and Nx forms.
        let body = ci("pnpm turbo --filter \"./packages/**\" build typecheck");
        let files = [(".github/workflows/ci.yml", body.as_str()), pkg];
        assert_pass(build, &files);
        assert_pass(lint, &files);
        assert_fail(tests, &files);
        for run in [
            "npx turbo run test --filter=web",
            "pnpm exec turbo test",
            "npx nx affected -t lint,test,build",
            "npx nx run-many --target=test --all",
            "nx run api:test",
        ] {
            let body = ci(run);
            assert_pass(tests, &[(".github/workflows/ci.yml", body.as_str()), pkg]);
        }
        // A filter or a task named like one is not the task.
        for run in [
            "pnpm turbo run build --filter=test-utils",
            "npx turbo run testing",
            "npx nx graph --file=tests.json",
        ] {
            let body = ci(run);
            assert_fail(tests, &[(".github/workflows/ci.yml", body.as_str()), pkg]);
        }
    }

    #[test]
    fn a_folded_run_script_is_one_command() {
        // tokio-rs/axum's test-msrv job: one word of the command per line.
        let tests = rule(RULES, "ci-runs-tests");
        let body = wf("  test-msrv:\n    runs-on: ubuntu-24.04\n    steps:\n    - uses: actions/checkout@v4\n    - name: Run tests\n      run: >\n        cargo +${{ env.MSRV }}\n        test\n        -p axum\n        -p axum-extra\n        -p axum-core\n        --all-features\n        --locked\n");
        let o = assert_pass(
            tests,
            &[
                (".github/workflows/CI.yml", &body),
                ("Cargo.toml", "[package]\nname = \"axum\"\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(13));
        // A literal script keeps one command per line.
        let body = wf(
            "  t:\n    runs-on: x\n    steps:\n    - run: |\n        cargo +stable\n        test\n",
        );
        assert_fail(
            tests,
            &[
                (".github/workflows/CI.yml", &body),
                ("Cargo.toml", "[package]\nname = \"axum\"\n"),
            ],
        );
    }

    #[test]
    fn maven_package_runs_the_tests_unless_it_skips_them() {
        let tests = rule(RULES, "ci-runs-tests");
        let pom = (
            "pom.xml",
            "<project><modelVersion>4.0.0</modelVersion></project>\n",
        );
        // spring-petclinic-microservices' maven-build.yml.
        let body = wf("  build:\n    runs-on: ubuntu-latest\n    steps:\n    - uses: actions/checkout@v4\n    - name: Build with Maven\n      run: mvn -B package --file pom.xml\n");
        let o = assert_pass(tests, &[(".github/workflows/maven-build.yml", &body), pom]);
        assert_eq!(o.evidence[0].line, Some(12));
        for run in [
            "./mvnw -B package -DskipTests",
            "mvn -B install -Dmaven.test.skip=true",
            "./gradlew build -x test",
        ] {
            let body = wf(&format!(
                "  build:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ));
            assert_fail(tests, &[(".github/workflows/ci.yml", &body), pom]);
        }
        let body = wf(
            "  build:\n    runs-on: x\n    steps:\n      - run: mvn -B verify -DskipTests=false\n",
        );
        assert_pass(tests, &[(".github/workflows/ci.yml", &body), pom]);
    }

    #[test]
    fn npm_script_indirection() {
        let r = rule(RULES, "ci-runs-tests");
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: npm run ci\n");
        let pkg = "{\n  \"scripts\": {\n    \"ci\": \"npm run lint && vitest run\",\n    \"lint\": \"eslint .\"\n  }\n}\n";
        let o = assert_pass(
            r,
            &[(".github/workflows/ci.yml", &body), ("package.json", pkg)],
        );
        assert!(cites(&o, "package.json", 3));
        let lint = rule(RULES, "ci-runs-lint");
        let o = assert_pass(
            lint,
            &[(".github/workflows/ci.yml", &body), ("package.json", pkg)],
        );
        assert!(cites(&o, "package.json", 3));
    }

    /// BurntSushi's crates (aho-corasick, ripgrep) run `${{ env.CARGO }} test`, with
    /// `CARGO: cargo` in the job's env; bat runs `$BUILD_CMD test`.
    #[test]
    fn commands_through_env_variables_are_resolved_and_quoted_as_written() {
        let tests = rule(RULES, "ci-runs-tests");
        let job = |env: &str, cmd: &str| {
            wf(&format!(
                "  t:\n    runs-on: x\n    env:\n      CARGO: {env}\n    steps:\n      - run: {cmd}\n"
            ))
        };
        for cmd in [
            "${{ env.CARGO }} test --verbose",
            "$CARGO test",
            "${CARGO} test",
        ] {
            let o = assert_pass(tests, &[(".github/workflows/ci.yml", &job("cargo", cmd))]);
            assert_eq!(o.evidence[0].line, Some(12), "{cmd}");
            assert_eq!(o.evidence[0].note.as_deref(), Some(cmd));
        }
        // A value known only at run time, and a variable of no scope, stay unresolved.
        let runner = |value: &str, cmd: &str| job(value, cmd).replace("CARGO:", "RUNNER:");
        assert_pass(
            tests,
            &[(".github/workflows/ci.yml", &runner("cargo", "$RUNNER test"))],
        );
        assert_fail(
            tests,
            &[(
                ".github/workflows/ci.yml",
                &runner("${{ matrix.cargo }}", "$RUNNER test"),
            )],
        );
        assert_fail(
            tests,
            &[(".github/workflows/ci.yml", &job("cargo", "$RUNNER test"))],
        );
        // The step's own env wins over the job's.
        let step_env = wf("  t:\n    runs-on: x\n    env:\n      TOOL: echo\n    steps:\n      - run: $TOOL test\n        env:\n          TOOL: cargo\n");
        assert_pass(tests, &[(".github/workflows/ci.yml", &step_env)]);
    }

    #[test]
    fn python_task_runners_are_judged_by_their_tasks() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let pyproject = "[project]\nname = \"x\"\n\n[tool.poe.tasks]\ntest = \"pytest -q\"\nlint = \"ruff check .\"\n";
        let ci = |cmd: &str| {
            wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {cmd}\n"
            ))
        };
        let check = |r, cmd: &str, pass: bool| {
            let workflow = ci(cmd);
            let files = [
                (".github/workflows/ci.yml", workflow.as_str()),
                ("pyproject.toml", pyproject),
            ];
            if pass {
                assert_pass(r, &files)
            } else {
                assert_fail(r, &files)
            }
        };
        let o = check(tests, "uv run poe test", true);
        assert!(cites(&o, "pyproject.toml", 5));
        check(lint, "poe lint", true);
        // The task decides, not its name: `poe lint` runs no tests.
        check(tests, "poe lint", false);
    }

    #[test]
    fn cargo_actions_and_cargo_subcommand_runners() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let cargo = wf("  t:\n    runs-on: x\n    steps:\n      - uses: actions-rs/cargo@v1\n        with:\n          command: test\n          args: --features x\n      - uses: actions-rs/clippy-check@v1\n        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n");
        let o = assert_pass(tests, &[(".github/workflows/ci.yml", &cargo)]);
        assert_eq!(o.evidence[0].line, Some(12));
        assert_eq!(
            o.evidence[0].note.as_deref(),
            Some("cargo test --features x")
        );
        let o = assert_pass(lint, &[(".github/workflows/ci.yml", &cargo)]);
        assert_eq!(o.evidence[0].line, Some(14));
        let build_only = cargo.replace("command: test", "command: build");
        assert_fail(tests, &[(".github/workflows/ci.yml", &build_only)]);
        for cmd in [
            "cargo hack test --feature-powerset",
            "cargo hack --each-feature test",
            "cargo miri test",
            "cross test --target x",
            // Cargo's built-in aliases (unicode-bom's GitLab CI).
            "cargo t",
        ] {
            assert!(TEST_CMD.is_match(cmd), "{cmd}");
        }
        assert!(LINT_CMD.is_match("cargo c --all-targets"));
        assert!(!TEST_CMD.is_match("cargo tree"));
        assert!(LINT_CMD.is_match("cargo hack clippy --each-feature"));
        assert!(!TEST_CMD.is_match("cargo hack build"));
    }

    #[test]
    fn gitlab_variables_resolve_in_script_lines() {
        let r = rule(RULES, "ci-runs-tests");
        let gitlab = "variables:\n  PYTEST: python -m pytest\n\ntest:\n  script:\n    - $PYTEST -q\n\nunit:\n  variables:\n    RUNNER:\n      value: go test\n      description: the runner\n  script:\n    - ${RUNNER} ./...\n";
        let o = assert_pass(r, &[(".gitlab-ci.yml", gitlab)]);
        let cited: Vec<(u32, &str)> = o
            .evidence
            .iter()
            .map(|e| (e.line.unwrap_or(0), e.note.as_deref().unwrap_or("")))
            .collect();
        // Quoted as written, matched as run.
        assert_eq!(cited, [(6, "- $PYTEST -q"), (14, "- ${RUNNER} ./...")]);
        // A job's variables do not reach another job.
        let other = "build:\n  variables:\n    T: pytest\n  script:\n    - make\n\ncheck:\n  script:\n    - $T\n";
        assert_fail(r, &[(".gitlab-ci.yml", other)]);
        // Defining a variable runs nothing.
        let defined = "variables:\n  PYTEST_ADDOPTS: -q\nbuild:\n  script:\n    - make\n";
        assert_fail(r, &[(".gitlab-ci.yml", defined)]);
    }

    #[test]
    fn bats_runs_shell_tests() {
        // pyenv-virtualenv clones bats, then runs it on test/.
        for cmd in [
            "bats/bin/bats --tap test",
            "bats test/{pyenv,hooks}.bats",
            "./test/bats/bin/bats -r test",
        ] {
            assert!(TEST_CMD.is_match(cmd), "{cmd}");
        }
        for not_a_run in [
            "git clone https://github.com/bats-core/bats-core.git --depth=1 -b v1.10.0 bats",
            "brew install bats-core",
        ] {
            assert!(!TEST_CMD.is_match(not_a_run), "{not_a_run}");
        }
    }

    #[test]
    fn workspace_selectors_and_folders_before_the_script() {
        let tests = rule(RULES, "ci-runs-tests");
        // The root's placeholder would fail the check; the web package runs vitest.
        let root = "{\n  \"workspaces\": [\"apps/*\"],\n  \"scripts\": {\n    \"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"\n  }\n}\n";
        let web = "{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"test\": \"vitest run\",\n    \"lint\": \"eslint .\"\n  }\n}\n";
        let with = |cmd: &str| {
            let body = wf(&format!(
                "  t:\n    runs-on: x\n    steps:\n      - run: {cmd}\n"
            ));
            vec![
                (".github/workflows/ci.yml".to_string(), body),
                ("package.json".to_string(), root.to_string()),
                ("apps/web/package.json".to_string(), web.to_string()),
            ]
        };
        let run = |r, cmd: &str, pass: bool| {
            let files = with(cmd);
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            if pass {
                assert_pass(r, &refs)
            } else {
                assert_fail(r, &refs)
            }
        };
        // A folder option resolves the script in that folder, not the root's placeholder.
        for cmd in [
            "pnpm -C apps/web test",
            "npm --prefix apps/web test",
            "pnpm --dir=apps/web test",
        ] {
            let o = run(tests, cmd, true);
            assert!(cites(&o, "apps/web/package.json", 4), "{cmd}");
        }
        // Selectors and `yarn workspace`: the script name after the selector's value.
        for cmd in [
            "pnpm --filter web test",
            "pnpm -F web test",
            "yarn workspace web test",
            "npm test -w apps/web",
            "bun --filter web test",
        ] {
            run(tests, cmd, true);
        }
        // Every workspace (the root's placeholder included, so not resolved here).
        assert!(TEST_CMD.is_match("yarn workspaces foreach -A run test"));
        run(rule(RULES, "ci-runs-lint"), "pnpm --filter web lint", true);
        run(
            rule(RULES, "ci-builds-artifact"),
            "yarn workspace web build",
            true,
        );
        // The root's placeholder, a selector whose script is not a test, and a package
        // named `test` whose build is run.
        run(tests, "npm test", false);
        run(tests, "pnpm --filter web lint", false);
        run(tests, "pnpm --filter test build", false);
        assert_eq!(
            without_node_options("pnpm --filter test build"),
            "pnpm build"
        );
        assert_eq!(
            without_node_options("npm test -w apps/web"),
            "npm test -w apps/web"
        );
    }

    /// pallets/flask: the test matrix and the type check both run tox; tox.ini decides which
    /// is which.
    const FLASK_TESTS_WORKFLOW: &str = "name: Tests\non:\n  push:\n    branches: [main, stable]\n    paths-ignore: ['docs/**', '*.md', '*.rst']\n  pull_request:\n    paths-ignore: [ 'docs/**', '*.md', '*.rst' ]\njobs:\n  tests:\n    name: ${{ matrix.name || matrix.python }}\n    runs-on: ${{ matrix.os || 'ubuntu-latest' }}\n    strategy:\n      fail-fast: false\n      matrix:\n        include:\n          - {python: '3.13'}\n          - {name: PyPy, python: 'pypy-3.10', tox: pypy310}\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n      - run: pip install tox\n      - run: tox run -e ${{ matrix.tox || format('py{0}', matrix.python) }}\n  typing:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n      - run: pip install tox\n      - run: tox run -e typing\n";
    const FLASK_TOX: &str = "[tox]\nenvlist =\n    py3{13,12,11,10,9}\n    pypy310\n    py313-min\n    py39-dev\n    style\n    typing\n    docs\nskip_missing_interpreters = true\n\n[testenv]\npackage = wheel\nwheel_build_env = .pkg\nenvtmpdir = {toxworkdir}/tmp/{envname}\nconstrain_package_deps = true\nuse_frozen_constraints = true\ndeps =\n    -r requirements/tests.txt\n    min: -r requirements-skip/tests-min.txt\n    dev: -r requirements-skip/tests-dev.txt\ncommands = pytest -v --tb=short --basetemp={envtmpdir} {posargs}\n\n[testenv:style]\ndeps = pre-commit\nskip_install = true\ncommands = pre-commit run --all-files\n\n[testenv:typing]\ndeps = -r requirements/typing.txt\ncommands =\n    mypy\n    pyright\n    pyright --verifytypes flask --ignoreexternal\n\n[testenv:docs]\ndeps = -r requirements/docs.txt\ncommands = sphinx-build -E -W -b dirhtml docs docs/_build/dirhtml\n";

    #[test]
    fn tox_envs_are_judged_by_their_commands() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let files = [
            (".github/workflows/tests.yaml", FLASK_TESTS_WORKFLOW),
            ("tox.ini", FLASK_TOX),
        ];
        // The matrix env (named at run time) runs [testenv]'s pytest; `typing` runs mypy.
        let o = assert_pass(tests, &files);
        assert_eq!(
            locations(&o),
            [
                (".github/workflows/tests.yaml", Some(21)),
                ("tox.ini", Some(22))
            ]
        );
        let o = assert_pass(lint, &files);
        assert_eq!(
            locations(&o),
            [
                (".github/workflows/tests.yaml", Some(27)),
                ("tox.ini", Some(32))
            ]
        );
        // Only the type check: no tests, whatever the runner is called.
        let typing_only = FLASK_TESTS_WORKFLOW.replace(
            "tox run -e ${{ matrix.tox || format('py{0}', matrix.python) }}",
            "tox run -e docs",
        );
        let files = [
            (".github/workflows/tests.yaml", typing_only.as_str()),
            ("tox.ini", FLASK_TOX),
        ];
        assert_fail(tests, &files);
        assert_pass(lint, &files);
        // Through a Makefile target, and with no tox configuration to read (the name counts).
        let make = wf("  t:\n    runs-on: x\n    steps:\n      - run: make check\n");
        let makefile = "check:\n\ttox -e typing,docs\n\nall:\n\ttox -e py312\n";
        let files = [
            (".github/workflows/ci.yml", make.as_str()),
            ("Makefile", makefile),
            ("tox.ini", FLASK_TOX),
        ];
        assert_fail(tests, &files);
        let o = assert_pass(lint, &files);
        assert!(cites(&o, "tox.ini", 32), "{o:?}");
        let all = make.replace("make check", "make all");
        let files = [
            (".github/workflows/ci.yml", all.as_str()),
            ("Makefile", makefile),
            ("tox.ini", FLASK_TOX),
        ];
        assert!(cites(&assert_pass(tests, &files), "tox.ini", 22));
        let bare = wf("  t:\n    runs-on: x\n    steps:\n      - run: tox -e typing\n");
        assert_pass(tests, &[(".github/workflows/ci.yml", &bare)]);
        // Python test runners a tox env may run instead of pytest: judged by its commands,
        // they have to be known.
        let py = wf("  t:\n    runs-on: x\n    steps:\n      - run: tox -e py312\n");
        for runner in [
            "{envpython} runtests.py {posargs}",
            "stestr run {posargs}",
            "python -m django test --settings=tests.settings",
            "zope-testrunner --test-path=src",
            "python -m twisted.trial mypkg",
        ] {
            let ini = format!("[testenv]\nchangedir = tests\ncommands = {runner}\n");
            let o = run(
                tests,
                &[(".github/workflows/ci.yml", &py), ("tox.ini", &ini)],
            );
            assert_eq!(o.status, crate::rules::Status::Pass, "{runner}: {o:?}");
            assert!(cites(&o, "tox.ini", 3), "{runner}: {o:?}");
        }
        let ini = "[testenv]\ncommands = python -m build\n";
        assert_fail(
            tests,
            &[(".github/workflows/ci.yml", &py), ("tox.ini", ini)],
        );
    }

    #[test]
    fn nox_sessions_are_judged_by_their_commands() {
        let tests = rule(RULES, "ci-runs-tests");
        let lint = rule(RULES, "ci-runs-lint");
        let noxfile = "import nox\n\n\n@nox.session(python=[\"3.12\", \"3.13\"])\ndef tests(session):\n    session.install(\"pytest\")\n    session.run(\"pytest\", *session.posargs)\n\n\n@nox.session\ndef lint(session):\n    session.install(\"ruff\")\n    session.run(\"ruff\", \"check\", \".\")\n";
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: pipx run nox -s lint\n");
        let files = [
            (".github/workflows/ci.yml", body.as_str()),
            ("noxfile.py", noxfile),
        ];
        assert_fail(tests, &files);
        assert!(cites(&assert_pass(lint, &files), "noxfile.py", 13));
        let body = body.replace("-s lint", "-s tests-3.13");
        let files = [
            (".github/workflows/ci.yml", body.as_str()),
            ("noxfile.py", noxfile),
        ];
        assert!(cites(&assert_pass(tests, &files), "noxfile.py", 7));
        assert_fail(lint, &files);
    }

    /// brocoders/nestjs-boilerplate: CI runs lint and e2e tests inside a compose service,
    /// whose image starts a script copied into it.
    const NEST_WORKFLOW: &str = "name: NestJS API CI\n\non:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\n\njobs:\n  build:\n    runs-on: ubuntu-latest\n\n    steps:\n      - uses: actions/checkout@v6\n\n      # <database-relational-block>\n      - name: Run e2e tests for NestJS with TypeORM\n        id: relational\n        run: docker compose -f docker-compose.relational.ci.yaml --env-file env-example-relational -p ci-relational up --build --exit-code-from api\n";
    const NEST_COMPOSE: &str = "services:\n  postgres:\n    image: postgres:17.5-alpine\n    expose:\n      - 5432\n\n  maildev:\n    build:\n      context: .\n      dockerfile: maildev.Dockerfile\n    expose:\n      - 1080\n      - 1025\n\n  api:\n    build:\n      context: .\n      dockerfile: relational.e2e.Dockerfile\n    env_file:\n      - env-example-relational\n";
    const NEST_DOCKERFILE: &str = "FROM node:22.12.0-alpine\n\nRUN apk add --no-cache bash\nRUN npm i -g @nestjs/cli typescript ts-node\n\nCOPY package*.json /tmp/app/\nRUN cd /tmp/app && npm install\n\nCOPY . /usr/src/app\nRUN cp -a /tmp/app/node_modules /usr/src/app\nCOPY ./wait-for-it.sh /opt/wait-for-it.sh\nRUN chmod +x /opt/wait-for-it.sh\nCOPY ./startup.relational.ci.sh /opt/startup.relational.ci.sh\nRUN chmod +x /opt/startup.relational.ci.sh\nRUN sed -i 's/\\r//g' /opt/wait-for-it.sh\nRUN sed -i 's/\\r//g' /opt/startup.relational.ci.sh\n\nWORKDIR /usr/src/app\nRUN echo \"\" > .env\nRUN npm run build\n\nCMD [\"/opt/startup.relational.ci.sh\"]\n";
    const NEST_STARTUP: &str = "#!/usr/bin/env bash\nset -e\n\n/opt/wait-for-it.sh postgres:5432\nnpm run migration:run\nnpm run seed:run:relational\nnpm run start:prod > prod.log 2>&1 &\n/opt/wait-for-it.sh maildev:1080\n/opt/wait-for-it.sh localhost:3000\nnpm run lint\nnpm run test:e2e -- --runInBand\n";
    const NEST_PACKAGE: &str = "{\n  \"scripts\": {\n    \"lint\": \"eslint \\\"{src,apps,libs,test}/**/*.ts\\\" --fix\",\n    \"test:e2e\": \"env-cmd jest --config ./test/jest-e2e.json\"\n  }\n}\n";

    #[test]
    fn compose_exit_code_service_is_followed_into_the_image_script() {
        let files = [
            (".github/workflows/docker-e2e.yml", NEST_WORKFLOW),
            ("docker-compose.relational.ci.yaml", NEST_COMPOSE),
            ("relational.e2e.Dockerfile", NEST_DOCKERFILE),
            ("startup.relational.ci.sh", NEST_STARTUP),
            ("package.json", NEST_PACKAGE),
        ];
        let o = assert_pass(rule(RULES, "ci-runs-lint"), &files);
        assert!(cites(&o, ".github/workflows/docker-e2e.yml", 19), "{o:?}");
        assert!(cites(&o, "startup.relational.ci.sh", 10), "{o:?}");
        let o = assert_pass(rule(RULES, "ci-runs-tests"), &files);
        assert!(cites(&o, "startup.relational.ci.sh", 11), "{o:?}");
        // The same stack whose script only starts the app: CI neither lints nor tests.
        let start_only = NEST_STARTUP
            .replace("npm run lint\n", "")
            .replace("npm run test:e2e -- --runInBand\n", "");
        let mut bare = files;
        bare[3] = ("startup.relational.ci.sh", &start_only);
        assert_fail(rule(RULES, "ci-runs-lint"), &bare);
        assert_fail(rule(RULES, "ci-runs-tests"), &bare);
        // `up -d` without --exit-code-from hands CI's result to no service.
        let detached = NEST_WORKFLOW.replace("--exit-code-from api", "-d");
        let mut detached_files = files;
        detached_files[0] = (".github/workflows/docker-e2e.yml", &detached);
        assert_fail(rule(RULES, "ci-runs-lint"), &detached_files);
    }

    #[test]
    fn compose_service_command_and_run_command_are_followed() {
        let lint = rule(RULES, "ci-runs-lint");
        // The service's own `command:`, cited at its line in the compose file.
        let compose = "services:\n  db:\n    image: postgres:16\n  checks:\n    build: .\n    command: >\n      sh -c \"npm run lint && npm test\"\n";
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose -f compose.ci.yml up --exit-code-from checks\n");
        let files = [
            (".github/workflows/ci.yml", body.as_str()),
            ("compose.ci.yml", compose),
            ("Dockerfile", "FROM node:22\nCMD [\"node\", \"main.js\"]\n"),
            (
                "package.json",
                "{\"scripts\": {\"lint\": \"eslint .\", \"test\": \"jest\"}}",
            ),
        ];
        let o = assert_pass(lint, &files);
        assert!(cites(&o, "compose.ci.yml", 7), "{o:?}");
        // `run svc cmd` runs cmd, not the service's command.
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose -f compose.ci.yml run --rm checks node main.js\n");
        let mut other = files;
        other[0] = (".github/workflows/ci.yml", &body);
        assert_fail(lint, &other);
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose run --rm -e CI=1 app npm run lint\n");
        let o = assert_pass(
            lint,
            &[
                (".github/workflows/ci.yml", &body),
                ("docker-compose.yml", "services:\n  app:\n    build: .\n"),
                ("package.json", "{\"scripts\": {\"lint\": \"eslint .\"}}"),
            ],
        );
        assert!(o.evidence.iter().any(|e| e.path == "package.json"), "{o:?}");
    }

    #[test]
    fn lint_by_command_or_action() {
        let r = rule(RULES, "ci-runs-lint");
        let body = wf(
            "  l:\n    runs-on: x\n    steps:\n      - uses: golangci/golangci-lint-action@v6\n",
        );
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence[0].line, Some(10));
        let o = assert_pass(
            r,
            &[(
                ".gitlab-ci.yml",
                "lint:\n  script:\n    - cargo clippy -- -D warnings\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: go test ./...\n");
        assert_fail(r, &[(".github/workflows/ci.yml", &body)]);
        // Terraform linting, directly or through wrapper actions.
        for step in [
            "- run: terraform fmt -recursive -check",
            "- run: tflint --recursive",
            "- uses: docker://wata727/tflint",
            "- uses: clowdhaus/terraform-composite-actions/pre-commit@v1.14.0",
        ] {
            let body = wf(&format!("  l:\n    runs-on: x\n    steps:\n      {step}\n"));
            assert_pass(r, &[(".github/workflows/ci.yml", &body)]);
        }
    }

    #[test]
    fn build_step() {
        let r = rule(RULES, "ci-builds-artifact");
        let app = ("Cargo.toml", "[package]\nname = \"app\"\n");
        let body =
            wf("  b:\n    runs-on: x\n    steps:\n      - run: cargo build --release --locked\n");
        let o = assert_pass(r, &[app, (".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence[0].line, Some(10));
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: uv sync --frozen\n      - run: uv run pytest\n");
        assert_fail(r, &[app, (".github/workflows/ci.yml", &body)]);
        // Images built by compose, a CLI installed from the checkout, a build command in a
        // variable (cargo or cross by matrix entry).
        for run in [
            "docker compose -f compose.yml build",
            "docker compose up -d --build",
            "cargo install --locked --path .",
            "$BUILD_CMD build --locked --release --target=x86_64-unknown-linux-musl",
        ] {
            assert!(BUILD_CMD.is_match(run), "{run}");
            let body = wf(&format!(
                "  b:\n    runs-on: x\n    steps:\n      - run: {run}\n"
            ));
            assert_pass(r, &[app, (".github/workflows/ci.yml", &body)]);
        }
        // Starting services for tests builds nothing.
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose up -d db\n");
        assert_fail(r, &[app, (".github/workflows/ci.yml", &body)]);
        // A Terraform module ships its source: there is nothing to build.
        let body = wf("  v:\n    runs-on: x\n    steps:\n      - run: terraform validate\n");
        assert_na(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("main.tf", "resource \"x\" \"y\" {}\n"),
            ],
        );
    }

    #[test]
    fn missing_cache_gets_the_stacks_cached_setup() {
        let r = rule(RULES, "ci-dependency-cache");
        let body =
            wf("  t:\n    runs-on: x\n    steps:\n      - run: pip install -r requirements.txt\n");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("requirements.txt", "flask\n"),
            ],
        );
        let fix = o.fix.expect("setup steps with a cache");
        assert!(
            fix.contains("setup-python@") && fix.contains("cache: pip"),
            "{fix}"
        );
        // Added to the job, the steps are the cache the rule asks for.
        let steps = fix.split_once('\n').unwrap().1;
        let body = wf(&format!(
            "  t:\n    runs-on: x\n    steps:\n{steps}      - run: pip install -r requirements.txt\n"
        ));
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("requirements.txt", "flask\n"),
            ],
        );
    }

    #[test]
    fn dependency_cache_inputs_and_defaults() {
        let r = rule(RULES, "ci-dependency-cache");
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n          cache: pnpm\n");
        let o = assert_pass(
            r,
            &[(".github/workflows/ci.yml", &body), ("package.json", "{}")],
        );
        assert_eq!(o.evidence[0].line, Some(13));
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - uses: actions/setup-go@v5\n");
        assert_pass(
            r,
            &[(".github/workflows/ci.yml", &body), ("package.json", "{}")],
        );
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n      - run: npm ci\n");
        assert_fail(
            r,
            &[(".github/workflows/ci.yml", &body), ("package.json", "{}")],
        );
        assert_pass(
            r,
            &[
                ("package.json", "{}"),
                (
                    ".gitlab-ci.yml",
                    "cache:\n  paths: [.npm]\ntest:\n  script: npm test\n",
                ),
            ],
        );
        assert_na(r, &[("README.md", "x")]);
        // CI without any package manifest has nothing to cache.
        assert_na(r, &[(".github/workflows/ci.yml", &body)]);
    }

    /// cal.com: the yarn cache is restored in ./.github/actions/yarn-install (`uses:
    /// buildjet/cache@v3`, line 33 of the real file; line 20 here, without its header comment),
    /// which lint.yml uses; no workflow step caches by itself.
    #[test]
    fn dependency_cache_in_a_local_composite_action() {
        let r = rule(RULES, "ci-dependency-cache");
        let lint = "name: Lint\non:\n  workflow_call:\n\npermissions:\n  contents: read\n\njobs:\n  lint:\n    runs-on: buildjet-4vcpu-ubuntu-2204\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/yarn-install\n      - name: Run Lint\n        run: yarn lint:report\n";
        let action = "name: \"Yarn install\"\ndescription: \"Run yarn install with node_modules linker and cache enabled\"\ninputs:\n  node_version:\n    required: false\n    default: v18.x\nruns:\n  using: \"composite\"\n  steps:\n    - name: Use Node ${{ inputs.node_version }}\n      uses: buildjet/setup-node@v3\n      with:\n        node-version: ${{ inputs.node_version }}\n    - name: Expose yarn config as \"$GITHUB_OUTPUT\"\n      id: yarn-config\n      shell: bash\n      run: |\n        echo \"CACHE_FOLDER=$(yarn config get cacheFolder)\" >> $GITHUB_OUTPUT\n    - name: Restore yarn cache\n      uses: buildjet/cache@v3\n      id: yarn-download-cache\n      with:\n        path: ${{ steps.yarn-config.outputs.CACHE_FOLDER }}\n        key: yarn-download-cache-${{ hashFiles('yarn.lock') }}\n    - name: Install dependencies\n      shell: bash\n      run: yarn install --inline-builds\n";
        let path = ".github/actions/yarn-install/action.yml";
        let o = assert_pass(
            r,
            &[
                (".github/workflows/lint.yml", lint),
                (path, action),
                ("package.json", "{}"),
            ],
        );
        assert_eq!(o.evidence.len(), 1, "{:?}", o.evidence);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (path, Some(20))
        );
        // The same action without its cache step: nothing caches.
        let uncached = action.replace("uses: buildjet/cache@v3", "uses: actions/github-script@v7");
        assert_fail(
            r,
            &[
                (".github/workflows/lint.yml", lint),
                (path, &uncached),
                ("package.json", "{}"),
            ],
        );
        // An action no workflow uses does not count.
        assert_fail(
            r,
            &[
                (
                    ".github/workflows/lint.yml",
                    &lint.replace("./.github/actions/yarn-install", "actions/setup-node@v4"),
                ),
                (path, action),
                ("package.json", "{}"),
            ],
        );
        // buildjet/setup-node's `cache:` input, like actions/setup-node's.
        let setup = uncached.replace(
            "        node-version: ${{ inputs.node_version }}\n",
            "        node-version: ${{ inputs.node_version }}\n        cache: yarn\n",
        );
        let o = assert_pass(
            r,
            &[
                (".github/workflows/lint.yml", lint),
                (path, &setup),
                ("package.json", "{}"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(14));
    }

    #[test]
    fn timeouts_cite_each_job_without_one() {
        let r = rule(RULES, "ci-job-timeouts");
        let body = wf("  a:\n    runs-on: x\n    timeout-minutes: 10\n    steps: [{run: x}]\n  b:\n    runs-on: x\n    steps: [{run: y}]\n  c:\n    uses: ./.github/workflows/r.yml\n");
        let o = assert_fail(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].line, Some(11));
        let body = wf("  a:\n    runs-on: x\n    timeout-minutes: 10\n    steps: [{run: x}]\n");
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &body)]);
        assert_eq!(o.evidence[0].line, Some(9));
        assert_na(r, &[(".gitlab-ci.yml", "t:\n  script: x\n")]);
    }

    #[test]
    fn concurrency_needs_cancel_in_progress() {
        let r = rule(RULES, "ci-concurrency");
        let ok = "on: pull_request\nconcurrency:\n  group: ${{ github.ref }}\n  cancel-in-progress: true\njobs: {t: {runs-on: x, steps: [{run: make}]}}\n";
        let o = assert_pass(r, &[(".github/workflows/ci.yml", ok)]);
        assert_eq!(o.evidence[0].line, Some(4));
        let queued = "on: pull_request\nconcurrency: ci-${{ github.ref }}\njobs: {t: {runs-on: x, steps: [{run: make}]}}\n";
        let o = assert_fail(r, &[(".github/workflows/ci.yml", queued)]);
        assert_eq!(o.evidence[0].line, Some(2));
        let o = assert_fail(r, &[(".github/workflows/ci.yml", "on: [push]\njobs: {}\n")]);
        assert_eq!(o.evidence[0].line, Some(1));
        assert_na(
            r,
            &[(".github/workflows/rel.yml", "on: release\njobs: {}\n")],
        );
        // Tag pushes are not superseded; a serialised release workflow is deliberate.
        let release = "on:\n  push:\n    tags: [\"v*\"]\nconcurrency:\n  group: rel\n  cancel-in-progress: false\njobs: {}\n";
        assert_na(r, &[(".github/workflows/rel.yml", release)]);
        let deploy = "on:\n  push:\n    branches: [main]\nconcurrency: deploy\njobs: {}\n";
        let o = assert_pass(r, &[(".github/workflows/deploy.yml", deploy)]);
        assert_eq!(o.evidence[0].line, Some(4));
    }

    #[test]
    fn docker_build_only_with_a_dockerfile() {
        let r = rule(RULES, "ci-docker-build");
        assert_na(
            r,
            &[(
                ".github/workflows/ci.yml",
                &wf("  a:\n    runs-on: x\n    steps: [{run: x}]\n"),
            )],
        );
        let body =
            wf("  a:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n");
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("Dockerfile", "FROM x\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(10));
        let body = wf("  a:\n    runs-on: x\n    steps:\n      - run: docker compose build\n");
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("Dockerfile", "FROM x\n"),
            ],
        );
        let body = wf("  a:\n    runs-on: x\n    steps:\n      - run: pytest\n");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("Dockerfile", "FROM x\n"),
            ],
        );
        assert_eq!(o.evidence[0].path, "Dockerfile");
        // ripgrep's cross-compilation images in ci/docker/ and a test image ship nothing;
        // the scanners and CI builds they need are not asked for.
        let helpers = [
            (".github/workflows/ci.yml", body.as_str()),
            (
                "ci/docker/arm-unknown-linux-gnueabihf/Dockerfile",
                "FROM rustembedded/cross:arm\n",
            ),
            ("tests/docker/Dockerfile", "FROM postgres:16\n"),
            ("Dockerfile.dev", "FROM node:22\n"),
        ];
        let o = assert_na(r, &helpers);
        assert!(o.message.contains("helpers"), "{o:?}");
        // Prometheus's Gitpod workspace image.
        let mut gitpod = helpers.to_vec();
        gitpod.push((".gitpod.Dockerfile", "FROM gitpod/workspace-full\n"));
        assert_na(r, &gitpod);
        assert_na(
            rule(&crate::rules::builtin(), "sec-container-scanning"),
            &helpers,
        );
        let mut shipped = helpers.to_vec();
        shipped.push(("deploy/Dockerfile", "FROM node:22\n"));
        let o = assert_fail(r, &shipped);
        assert_eq!(o.evidence[0].path, "deploy/Dockerfile");
    }

    #[test]
    fn a_deploy_jobs_compose_up_starts_no_test_databases() {
        let r = rule(RULES, "ci-service-containers");
        // full-stack-fastapi-template: staging deploys with compose on a self-hosted runner.
        let deploy = "name: Deploy to Staging\n\non:\n  push:\n    branches:\n      - main\n\njobs:\n  deploy:\n    # Do not deploy in the main repository, only in user projects\n    if: github.repository_owner != 'fastapi'\n    runs-on:\n      - self-hosted\n      - staging\n    env:\n      ENVIRONMENT: staging\n    steps:\n      - name: Checkout\n        uses: actions/checkout@v6\n      - run: docker compose -f compose.yml --project-name ${{ secrets.STACK_NAME_STAGING }} build\n      - run: docker compose -f compose.yml --project-name ${{ secrets.STACK_NAME_STAGING }} up -d\n";
        let tests = "name: Test Backend\n\non:\n  push:\n    branches:\n      - master\n  pull_request:\n\njobs:\n  test-backend:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Checkout\n        uses: actions/checkout@v6\n      - run: docker compose down -v --remove-orphans\n      - run: docker compose up -d db mailcatcher\n      - name: Run tests\n        run: uv run bash scripts/tests-start.sh \"Coverage for ${{ github.sha }}\"\n        working-directory: backend\n";
        let compose = ("compose.yml", "services:\n  db:\n    image: postgres:18\n");
        let o = assert_fail(
            r,
            &[(".github/workflows/deploy-staging.yml", deploy), compose],
        );
        assert_eq!(o.evidence[0].path, "compose.yml", "{o:?}");
        let o = assert_pass(
            r,
            &[
                (".github/workflows/deploy-staging.yml", deploy),
                (".github/workflows/test-backend.yml", tests),
                compose,
            ],
        );
        assert!(
            o.evidence
                .iter()
                .all(|e| e.path != ".github/workflows/deploy-staging.yml"),
            "{o:?}"
        );
        assert_eq!(o.evidence[0].line, Some(16));
    }

    #[test]
    fn service_containers_when_a_database_is_used() {
        let r = rule(RULES, "ci-service-containers");
        let pyproject = "[project]\ndependencies = [\n    \"asyncpg>=0.30\",\n]\n";
        let body = wf("  t:\n    runs-on: x\n    services:\n      postgres:\n        image: postgres:16\n    steps: [{run: pytest}]\n");
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", pyproject),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(10));
        // A registry service starts no database (podinfo's e2e job).
        let registry = wf("  t:\n    runs-on: x\n    services:\n      registry:\n        image: registry:2\n    steps: [{run: pytest}]\n");
        assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &registry),
                ("pyproject.toml", pyproject),
            ],
        );
        // Testcontainers in the build starts them from the tests (spring-petclinic).
        let maven = wf("  t:\n    runs-on: x\n    steps: [{run: ./mvnw -B verify}]\n");
        let pom = "<project>\n<dependencies>\n<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>\n<dependency><groupId>org.testcontainers</groupId><artifactId>postgresql</artifactId></dependency>\n</dependencies>\n</project>\n";
        let o = assert_pass(r, &[(".github/workflows/ci.yml", &maven), ("pom.xml", pom)]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("pom.xml", Some(4))
        );
        let body = wf("  t:\n    runs-on: x\n    steps: [{run: pytest}]\n");
        let o = assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", pyproject),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("pyproject.toml", Some(3))
        );
        assert_na(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", "[project]\ndependencies = [\"httpx\"]\n"),
            ],
        );
        // Inline lists and Poetry tables count; a project merely named after redis does not.
        let inline = "[project]\nname = \"redis-tools\"\ndependencies = [\"fastapi\", \"psycopg[binary]>=3\"]\n";
        let o = assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", inline),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        let poetry = "[tool.poetry.dependencies]\nredis = \"^5.0\"\n";
        assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", poetry),
            ],
        );
        assert_na(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("pyproject.toml", "[project]\nname = \"redis-tools\"\n"),
            ],
        );
        // compose database + docker compose up in CI
        let compose = "services:\n  db:\n    image: postgres:16\n";
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose up -d db\n");
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("compose.yaml", compose),
            ],
        );
    }

    #[test]
    fn compose_test_stacks_count_as_integration_tests() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let files = [
            (".github/workflows/docker-e2e.yml", NEST_WORKFLOW),
            ("docker-compose.relational.ci.yaml", NEST_COMPOSE),
            ("relational.e2e.Dockerfile", NEST_DOCKERFILE),
            ("startup.relational.ci.sh", NEST_STARTUP),
            ("package.json", NEST_PACKAGE),
        ];
        let o = assert_pass(r, &files);
        assert!(cites(&o, ".github/workflows/docker-e2e.yml", 19));
        assert!(o
            .evidence
            .iter()
            .any(|e| e.path == "docker-compose.relational.ci.yaml"));
        // The same stack that CI never starts: the tests against it do not run in CI.
        let unit_only =
            wf("  t:\n    runs-on: x\n    steps:\n      - run: npm ci\n      - run: npm test\n");
        let mut other = files;
        other[0] = (".github/workflows/ci.yml", &unit_only);
        let o = assert_fail(r, &other);
        assert!(
            o.message.contains("docker-compose.relational.ci.yaml"),
            "{o:?}"
        );
        // Started detached and tested from the runner: the test command runs against it.
        let detached = wf("  t:\n    runs-on: x\n    steps:\n      - run: docker compose -f docker-compose.test.yml up -d\n      - run: npm test\n");
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &detached),
                (
                    "docker-compose.test.yml",
                    "services:\n  db:\n    image: postgres:16\n",
                ),
                ("package.json", "{\"scripts\": {\"test\": \"jest\"}}"),
            ],
        );
        // No stack and no integration tests: nothing to run.
        assert_na(
            r,
            &[
                (".github/workflows/ci.yml", &unit_only),
                ("package.json", "{}"),
            ],
        );
    }

    #[test]
    fn integration_tests_left_out_by_path_filters() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - name: Test\n        run: uv run pytest tests/unit tests/contract -v\n");
        let files = [
            (".github/workflows/ci.yml", body.as_str()),
            ("tests/unit/test_a.py", "def test(): pass\n"),
            ("tests/contract/test_b.py", "def test(): pass\n"),
            ("tests/integration/test_c.py", "def test(): pass\n"),
        ];
        let o = assert_fail(r, &files);
        assert_eq!(o.evidence[0].path, ".github/workflows/ci.yml");
        assert_eq!(o.evidence[0].line, Some(11));
        assert!(o.message.contains("tests/integration"), "{}", o.message);
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: uv run pytest tests -v\n");
        let mut ok = files;
        ok[0].1 = &body;
        assert_pass(r, &ok);
        let body =
            wf("  t:\n    runs-on: x\n    steps:\n      - run: pytest -m \"not integration\"\n");
        ok[0].1 = &body;
        assert_fail(r, &ok);
        assert_na(
            r,
            &[(".github/workflows/ci.yml", &body), ("tests/test_a.py", "")],
        );
    }

    #[test]
    fn integration_tests_by_file_name_and_go_tag() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: go test ./...\n");
        assert_fail(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("go.mod", "module x\n"),
                ("db/db_test.go", "//go:build integration\n\npackage db\n"),
            ],
        );
        let tagged =
            wf("  t:\n    runs-on: x\n    steps:\n      - run: go test -tags=integration ./...\n");
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &tagged),
                ("go.mod", "module x\n"),
                ("db/db_test.go", "//go:build integration\n\npackage db\n"),
            ],
        );
        let body = wf("  t:\n    runs-on: x\n    steps:\n      - run: npx jest\n");
        assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &body),
                ("src/a.integration.test.ts", ""),
            ],
        );
    }

    #[test]
    fn integration_test_name_forms_and_rails_request_specs() {
        let r = rule(RULES, "ci-runs-integration-tests");
        // cal.com .github/workflows/integration-tests.yml:41
        let calcom = wf("  integration:\n    name: Integration\n    runs-on: x\n    services:\n      postgres:\n        image: postgres:13\n    steps:\n      - name: Run Tests\n        run: yarn test -- --integrationTestsOnly\n");
        let file = "packages/lib/server/repository/user.integration-test.ts";
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &calcom),
                ("package.json", "{\"scripts\": {\"test\": \"vitest run\"}}"),
                (file, ""),
            ],
        );
        assert!(cites(&o, ".github/workflows/ci.yml", 15), "{o:?}");
        // With the unit-test job beside it, the command naming the integration tests is cited.
        let both = format!(
            "{calcom}  unit:\n    runs-on: x\n    steps:\n      - run: yarn test -- --no-isolate\n"
        );
        let o = assert_pass(
            r,
            &[
                (".github/workflows/ci.yml", &both),
                ("package.json", "{\"scripts\": {\"test\": \"vitest run\"}}"),
                (file, ""),
            ],
        );
        let lines: Vec<Option<u32>> = o
            .evidence
            .iter()
            .filter(|e| e.path == ".github/workflows/ci.yml")
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, vec![Some(15)], "{o:?}");
        for name in ["a.int.test.ts", "a.integration_test.ts", "a.it.spec.js"] {
            assert!(INTEGRATION_FILE.is_match(name), "{name}");
        }
        for name in ["stripe.integration.ts", "integrations.ts", "edit.test.ts"] {
            assert!(!INTEGRATION_FILE.is_match(name), "{name}");
        }
        // An app's integration module is not a test: nothing to run.
        assert_na(
            r,
            &[
                (".github/workflows/ci.yml", &calcom),
                ("packages/app-store/stripe.integration.ts", ""),
            ],
        );
        // mastodon: request specs, run by rspec.
        let rspec = wf("  test:\n    runs-on: x\n    steps:\n      - run: bin/rspec\n");
        let rails = |wf: &str| -> Vec<(String, String)> {
            vec![
                (".github/workflows/ci.yml".into(), wf.to_string()),
                ("Gemfile".into(), "gem 'rails'\n".into()),
                ("spec/requests/api/v1/statuses_spec.rb".into(), "".into()),
                ("spec/models/account_spec.rb".into(), "".into()),
            ]
        };
        assert_verdict(r, &rails(&rspec), true, "rspec runs the request specs");
        // mastodon test-js.yml: jest does not run Ruby specs.
        let jest = wf("  test:\n    runs-on: x\n    steps:\n      - run: yarn jest --reporters github-actions summary\n");
        assert_verdict(
            r,
            &rails(&jest),
            false,
            "jest cannot run Ruby request specs",
        );
        let both = format!("{rspec}  js:\n    runs-on: x\n    steps:\n      - run: yarn jest\n");
        let files = rails(&both);
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let o = assert_pass(r, &refs);
        let cited: Vec<&str> = o
            .evidence
            .iter()
            .filter_map(|e| e.note.as_deref())
            .collect();
        assert!(!cited.iter().any(|n| n.contains("jest")), "{o:?}");
        let models =
            wf("  test:\n    runs-on: x\n    steps:\n      - run: bin/rspec spec/models\n");
        assert_verdict(r, &rails(&models), false, "only the model specs run");
    }

    #[test]
    fn cargo_integration_tests_run_unless_cargo_test_is_limited_to_units() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let crate_files = |run: &str| {
            vec![
                (
                    ".github/workflows/ci.yml".to_string(),
                    wf(&format!(
                        "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
                    )),
                ),
                (
                    "Cargo.toml".to_string(),
                    "[package]\nname = \"x\"\n".to_string(),
                ),
                ("src/lib.rs".to_string(), String::new()),
                (
                    "tests/cli.rs".to_string(),
                    "#[test]\nfn t() {}\n".to_string(),
                ),
            ]
        };
        for (run, passes) in [
            ("cargo test --locked", true),
            ("cargo nextest run --workspace", true),
            ("cargo test --lib", false),
            ("cargo test --lib --test cli", true),
        ] {
            assert_verdict(r, &crate_files(run), passes, run);
        }
        // A crate without tests/ has no integration tests to run.
        assert_na(
            r,
            &[
                ("Cargo.toml", "[package]\n"),
                ("src/lib.rs", ""),
                (
                    ".github/workflows/ci.yml",
                    &wf("  t:\n    runs-on: x\n    steps:\n      - run: cargo test\n"),
                ),
            ],
        );
    }

    /// The first workflow `ci-configured` suggests, built from each stack's own commands,
    /// answers the CI rules once committed: it runs on pull requests, tests, lints where the
    /// repository has a linter, builds, and passes the workflow-hygiene rules.
    #[test]
    fn starter_workflow_passes_the_rules_it_answers() {
        let all = crate::rules::builtin();
        // (the repository, the rules the workflow must make pass besides the common ones)
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
        let node_scripts = r#"{"scripts": {"lint": "eslint .", "test": "vitest run", "build": "tsc"}, "devDependencies": {"vitest": "^3"}}"#;
        let cases: &[Case] = &[
            (
                "npm",
                &[("package.json", node_scripts), ("package-lock.json", "{}"), (".nvmrc", "22\n")],
                &["ci-runs-lint", "ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "pnpm workspace",
                &[
                    ("package.json", r#"{"packageManager": "pnpm@9.12.1"}"#),
                    ("pnpm-lock.yaml", ""),
                    ("pnpm-workspace.yaml", "packages:\n  - apps/*\n"),
                    ("apps/web/package.json", node_scripts),
                ],
                &["ci-runs-lint", "ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "yarn berry",
                &[("package.json", node_scripts), ("yarn.lock", ""), (".yarnrc.yml", "nodeLinker: node-modules\n")],
                &["ci-runs-lint", "ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "bun",
                &[("package.json", node_scripts), ("bun.lock", "{}"), (".bun-version", "1.2.19\n")],
                &["ci-runs-lint", "ci-builds-artifact"],
            ),
            (
                "uv",
                &[
                    ("pyproject.toml", "[project]\nname = \"a\"\n[dependency-groups]\ndev = [\"pytest\", \"ruff\", \"mypy\"]\n[build-system]\nrequires = [\"hatchling\"]\n"),
                    ("uv.lock", "version = 1\n"),
                    ("tests/test_a.py", "def test_a(): pass\n"),
                ],
                &["ci-runs-lint", "ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "poetry",
                &[
                    ("pyproject.toml", "[tool.poetry]\nname = \"a\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\nflake8 = \"*\"\n"),
                    ("poetry.lock", ""),
                    ("tests/test_a.py", "def test_a(): pass\n"),
                ],
                &["ci-runs-lint"],
            ),
            (
                "pip",
                &[
                    ("requirements.txt", "flask\n"),
                    ("requirements-dev.txt", "pytest\nruff\n"),
                    ("tests/test_a.py", "def test_a(): pass\n"),
                ],
                &["ci-runs-lint", "ci-dependency-cache"],
            ),
            (
                "go",
                &[("go.mod", "module example.com/a\n\ngo 1.22\n"), ("a_test.go", "package a\n")],
                &["ci-runs-lint", "ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "rust",
                &[("Cargo.toml", "[package]\nname = \"a\"\n"), ("Cargo.lock", ""), ("src/lib.rs", "")],
                &["ci-runs-lint"],
            ),
            (
                "maven",
                &[("pom.xml", "<project><artifactId>a</artifactId></project>\n"), ("mvnw", "#!/bin/sh\n")],
                &["ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "gradle",
                &[("build.gradle.kts", "plugins { java }\n"), ("gradlew", "#!/bin/sh\n")],
                &["ci-builds-artifact", "ci-dependency-cache"],
            ),
            (
                "ruby",
                &[("Gemfile", "gem \"rspec\"\ngem \"rubocop\"\n"), ("Gemfile.lock", ""), ("spec/a_spec.rb", "x\n")],
                &["ci-runs-lint"],
            ),
            (
                "dotnet",
                &[("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n")],
                &["ci-builds-artifact"],
            ),
            (
                "node service built as an image",
                &[
                    ("package.json", r#"{"scripts": {"test": "node --test"}}"#),
                    ("Dockerfile", "FROM node:22\n"),
                ],
                &["ci-builds-artifact", "ci-docker-build"],
            ),
        ];
        const COMMON: &[&str] = &[
            "ci-configured",
            "ci-runs-on-pull-requests",
            "ci-runs-tests",
            "ci-job-timeouts",
            "ci-concurrency",
            "actions-pinned-sha",
            "workflow-permissions",
            "dangerous-triggers",
            "untrusted-input-in-run",
        ];
        for (name, files, extra) in cases {
            let o = assert_fail(rule(&all, "ci-configured"), files);
            let workflow = o
                .fix
                .unwrap_or_else(|| panic!("{name}: no starter workflow"));
            let mut repo: Vec<(String, String)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            repo.push((".github/workflows/ci.yml".into(), workflow.clone()));
            for id in COMMON.iter().chain(extra.iter()) {
                assert_verdict(rule(&all, id), &repo, true, &format!("{name}:\n{workflow}"));
            }
        }
    }

    #[test]
    fn gradle_runs_a_separate_integration_suite_only_when_asked() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let build = |wired: bool| {
            let check = if wired {
                "tasks.named(\"check\") {\n  dependsOn(testing.suites.named(\"integrationTest\"))\n}\n"
            } else {
                ""
            };
            format!("plugins {{ java }}\ntesting {{\n  suites {{\n    register<JvmTestSuite>(\"integrationTest\")\n  }}\n}}\n{check}")
        };
        let repo = |run: &str, wired: bool, location: &str| {
            vec![
                (
                    ".github/workflows/ci.yml".to_string(),
                    wf(&format!(
                        "  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
                    )),
                ),
                ("build.gradle.kts".to_string(), build(wired)),
                (
                    "src/test/java/AppTest.java".to_string(),
                    "class AppTest {}\n".to_string(),
                ),
                (location.to_string(), "class DbIT {}\n".to_string()),
            ]
        };
        let own = "src/integrationTest/java/DbIT.java";
        for (run, wired, location, passes) in [
            ("./gradlew test", false, own, false),
            ("./gradlew build", false, own, false),
            ("./gradlew build", true, own, true),
            ("./gradlew :app:check", true, own, true),
            ("./gradlew integrationTest", false, own, true),
            // *IT classes in src/test run with the other tests.
            ("./gradlew test", false, "src/test/java/DbIT.java", true),
        ] {
            let case = format!("{run} (wired: {wired}, {location})");
            assert_verdict(r, &repo(run, wired, location), passes, &case);
        }
    }

    /// The suggested steps run the integration tests the rule found: added to the CI job that
    /// left them out, the rule passes.
    #[test]
    fn integration_fix_runs_the_tests_it_names() {
        let r = rule(RULES, "ci-runs-integration-tests");
        let wf = |run: &str, extra: &str| {
            format!(
                "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n{extra}"
            )
        };
        // (the CI test command, what the fix must run, the repository)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                "uv run pytest tests/unit",
                "uv run pytest tests/integration",
                &[
                    ("pyproject.toml", "[project]\nname = \"x\"\n"),
                    ("uv.lock", ""),
                    ("tests/unit/test_a.py", "def test_a(): pass\n"),
                    ("tests/integration/data/seed.json", "{}"),
                    ("tests/integration/test_b.py", "def test_b(): pass\n"),
                ],
            ),
            (
                "cd services/api && poetry run pytest tests/test_a.py",
                "working-directory: services/api\n        run: poetry run pytest tests/integration",
                &[
                    ("services/api/pyproject.toml", "[project]\nname = \"x\"\n"),
                    ("services/api/poetry.lock", ""),
                    ("services/api/tests/test_a.py", "def test_a(): pass\n"),
                    (
                        "services/api/tests/integration/test_b.py",
                        "def test_b(): pass\n",
                    ),
                ],
            ),
            (
                "go test ./...",
                "go test -tags=integration ./...",
                &[
                    ("go.mod", "module x\n"),
                    ("a_test.go", "package a\n"),
                    ("db_test.go", "//go:build integration\n\npackage a\n"),
                ],
            ),
            (
                "./mvnw test",
                "./mvnw --batch-mode verify",
                &[
                    ("pom.xml", "<project><artifactId>x</artifactId></project>\n"),
                    ("mvnw", "#!/bin/sh\n"),
                    ("src/test/java/AppTest.java", "class AppTest {}\n"),
                    ("src/test/java/AppIT.java", "class AppIT {}\n"),
                ],
            ),
            (
                "npm test",
                "npx jest src/api.integration.test.ts",
                &[
                    (
                        "package.json",
                        r#"{"scripts": {"test": "jest src/unit"}, "devDependencies": {"jest": "^29"}}"#,
                    ),
                    ("src/unit/a.test.ts", "test('a', () => {})\n"),
                    ("src/api.integration.test.ts", "test('b', () => {})\n"),
                ],
            ),
            (
                "bundle exec rspec spec/models",
                "bundle exec rspec spec/requests",
                &[
                    ("Gemfile", "gem \"rails\"\n"),
                    ("spec/models/a_spec.rb", "x\n"),
                    ("spec/requests/api_spec.rb", "x\n"),
                ],
            ),
            (
                "pnpm test",
                "pnpm exec vitest run test/integration",
                &[
                    (
                        "package.json",
                        r#"{"scripts": {"test": "vitest run test/unit"}, "devDependencies": {"vitest": "^3"}}"#,
                    ),
                    ("pnpm-lock.yaml", ""),
                    ("test/unit/a.test.ts", "test('a', () => {})\n"),
                    ("test/integration/db.test.ts", "test('b', () => {})\n"),
                ],
            ),
            (
                "bun run test",
                "bunx jest src/api.integration.test.js",
                &[
                    (
                        "package.json",
                        r#"{"scripts": {"test": "jest src/unit"}, "devDependencies": {"jest": "^29"}}"#,
                    ),
                    ("bun.lock", ""),
                    ("src/unit/a.test.js", "test('a', () => {})\n"),
                    ("src/api.integration.test.js", "test('b', () => {})\n"),
                ],
            ),
            (
                "npx mocha test/unit",
                "working-directory: api\n        run: npx mocha --recursive test/integration",
                &[
                    (
                        "api/package.json",
                        r#"{"devDependencies": {"mocha": "^10"}}"#,
                    ),
                    ("api/test/unit/a.test.js", "it('a', () => {})\n"),
                    ("api/test/integration/db/b.test.js", "it('b', () => {})\n"),
                ],
            ),
            (
                "./gradlew test",
                "./gradlew integrationTest",
                &[
                    (
                        "build.gradle.kts",
                        "testing {\n  suites {\n    register<JvmTestSuite>(\"integrationTest\")\n  }\n}\n",
                    ),
                    ("gradlew", "#!/bin/sh\n"),
                    ("src/test/java/AppTest.java", "class AppTest {}\n"),
                    ("src/integrationTest/java/AppIT.java", "class AppIT {}\n"),
                ],
            ),
            (
                "cargo test --lib",
                "cargo test --tests",
                &[
                    ("Cargo.toml", "[package]\nname = \"x\"\n"),
                    ("src/lib.rs", "pub fn f() {}\n"),
                    ("tests/api.rs", "#[test]\nfn t() {}\n"),
                ],
            ),
        ];
        for (run, expected, files) in cases {
            let mut repo: Vec<(String, String)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            repo.push((".github/workflows/ci.yml".into(), wf(run, "")));
            let refs: Vec<(&str, &str)> =
                repo.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let o = assert_fail(r, &refs);
            let fix = o.fix.unwrap_or_else(|| panic!("{run}: no fix"));
            assert!(fix.contains(expected), "{run}: {fix}");
            // The steps, under the job's existing ones.
            let steps: String = fix.lines().skip(1).map(|l| format!("{l}\n")).collect();
            repo.last_mut().expect("the workflow").1 = wf(run, &steps);
            assert_verdict(r, &repo, true, &format!("{run} with the suggested steps"));
        }
        // Gradle has no standard integration-test task: without one declared, no suggestion.
        let o = assert_fail(
            r,
            &[
                ("build.gradle", "plugins { id 'java' }\n"),
                ("src/test/java/AppTest.java", "class AppTest {}\n"),
                ("src/it/java/AppIT.java", "class AppIT {}\n"),
                (".github/workflows/ci.yml", &wf("gradle test", "")),
            ],
        );
        assert_eq!(o.fix, None, "{:?}", o.fix);
        // A folder name outside the plain character set gets no suggestion.
        let o = assert_fail(
            r,
            &[
                ("pyproject.toml", "[project]\nname = \"x\"\n"),
                ("tests/unit/test_a.py", "def test_a(): pass\n"),
                ("t$(id)/integration/test_b.py", "def test_b(): pass\n"),
                (".github/workflows/ci.yml", &wf("pytest tests/unit", "")),
            ],
        );
        assert_eq!(o.fix, None, "{:?}", o.fix);
    }
}
