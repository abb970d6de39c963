//! Deployment: an automated deploy, declared environments, a staging or preview stage,
//! post-deploy verification, automated rollback, progressive delivery, database migrations run
//! by the pipeline, and platform configuration as code.
//!
//! Also the pipeline view the security rules share ([`jobs`], [`Resolver`], [`ci_runs`]): the
//! CI jobs of every provider with the lines they run, and the repository scripts those lines
//! call (`make deploy`, `npm run audit`, `./scripts/deploy.sh`), so a tool run through a task
//! runner counts like one written in the workflow. Those calls are resolved once per scan
//! ([`resolved_cmds`]).

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::StackId;
use crate::index::join_path as join;
use crate::index::{Index, IndexedFile};
use crate::model::ci;
use crate::model::yaml::Node;
use regex::Regex;
use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// Compiles a built-in pattern (with ASCII classes, [`crate::pattern`]); they are constants
/// covered by unit tests, and a broken one matches nothing rather than panicking.
pub(super) fn re(pattern: &str) -> Regex {
    crate::pattern::regex(pattern)
        .unwrap_or_else(|_| crate::pattern::regex(r"[^\s\S]").unwrap_or_else(|_| unreachable!()))
}

/// Vendored, generated and virtual-env trees say nothing about the project's own practice.
pub(super) fn vendored(path: &str) -> bool {
    crate::index::is_vendored(path)
}

/// Project files worth reading: not vendored, not test code or fixtures.
pub(super) fn own(f: &IndexedFile) -> bool {
    !f.is_test && !f.vendored
}

/// A command that does nothing real: `echo "deploying"`, `true`, `sleep 5`, a TODO.
pub(super) fn is_placeholder_cmd(text: &str) -> bool {
    let t = text.trim().trim_start_matches("- ").trim();
    let t = t.strip_prefix("run:").unwrap_or(t).trim();
    let t = t.trim_matches(|c| c == '"' || c == '\'');
    let lower = t.to_ascii_lowercase();
    lower
        .split(['\n', ';'])
        .flat_map(|p| p.split("&&"))
        .flat_map(|p| p.split("||"))
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "|" && *p != ">")
        .all(|p| {
            [
                "echo",
                "printf",
                "true",
                ":",
                "exit 0",
                "sleep",
                "#",
                "write-host",
                "write-output",
                "todo",
            ]
            .iter()
            .any(|w| p.starts_with(w))
        })
}

/// One line a CI job runs: a `run:` line, a GitLab job line, a line of another provider's file.
#[derive(Debug, Clone)]
pub(super) struct Cmd {
    pub line: u32,
    pub text: String,
    /// The directory it runs in (a step's `working-directory`; "" for the root).
    pub dir: String,
    /// Runs only after a failure (`if: failure()`, `when: on_failure`).
    pub on_failure: bool,
}

/// A `uses:` of a GitHub Actions step or of a job calling a reusable workflow.
pub(super) struct Action<'a> {
    /// `owner/repo[/path]`, lower case, without the ref.
    pub name: String,
    pub line: u32,
    pub with: Option<&'a Node>,
    pub on_failure: bool,
    /// A job calling a reusable workflow (`jobs.<id>.uses`), not a step.
    pub reusable: bool,
}

impl Action<'_> {
    pub fn input(&self, key: &str) -> Option<&str> {
        self.with?.get(key)?.as_str()
    }
}

/// A CI job of any provider. Providers whose structure we do not model are one job per file.
pub(super) struct Job<'a> {
    pub path: &'a str,
    /// Job id (GitHub/GitLab key); the path for providers modelled as one job per file.
    pub id: String,
    /// Jobs this one waits for (GitHub and GitLab `needs:`).
    pub needs: Vec<String>,
    /// Position of the GitLab stage in `stages:` (jobs of later stages run after).
    pub stage: Option<usize>,
    /// Lower-case words naming the job: id, display name, stage, workflow name and file name.
    pub label: String,
    pub line: u32,
    pub environments: Vec<(String, u32)>,
    pub cmds: Vec<Cmd>,
    pub actions: Vec<Action<'a>>,
    /// Runs on the team's own machines (`runs-on: [self-hosted, production]`): there, a
    /// deploy job may start the service itself.
    pub self_hosted: bool,
}

fn is_failure_cond(cond: &str) -> bool {
    cond.contains("failure()") && !cond.contains("!failure()")
}

/// Inputs of actions that hold scripts (`appleboy/ssh-action` `script:`, `with: run:`).
const SCRIPT_INPUTS: &[&str] = &["script", "run", "command", "commands", "args", "cmd"];

/// Every CI job of the repository, in file order.
pub(super) fn jobs(index: &Index) -> Vec<Job<'_>> {
    let mut out = Vec::new();
    for wf in index.workflows() {
        if wf.error.is_some() {
            continue;
        }
        let file_stem = crate::index::file_name(&wf.path)
            .rsplit_once('.')
            .map_or("", |(s, _)| s);
        for j in &wf.jobs {
            let job_fail = j.if_cond.as_ref().is_some_and(|(c, _)| is_failure_cond(c));
            let mut cmds = Vec::new();
            let mut actions = Vec::new();
            if let Some(u) = &j.uses {
                actions.push(Action {
                    name: u.action().to_ascii_lowercase(),
                    line: u.line,
                    with: j.with.as_ref(),
                    on_failure: job_fail,
                    reusable: true,
                });
            }
            for s in &j.steps {
                let fail = job_fail || s.if_cond.as_ref().is_some_and(|(c, _)| is_failure_cond(c));
                // Steps of another package (in a workflow shared from the repository root).
                let Some(dir) = super::ci::step_dir(index, &wf.path, s) else {
                    continue;
                };
                if let Some(r) = &s.run {
                    for (line, text) in &r.lines {
                        if super::ci::root_command_of_other_packages(index, &wf.path, s, text) {
                            continue;
                        }
                        cmds.push(Cmd {
                            line: *line,
                            text: text.clone(),
                            dir: dir.clone(),
                            on_failure: fail,
                        });
                    }
                }
                if let Some(u) = &s.uses {
                    actions.push(Action {
                        name: u.action().to_ascii_lowercase(),
                        line: u.line,
                        with: s.with.as_ref(),
                        on_failure: fail,
                        reusable: false,
                    });
                    if let Some(w) = &s.with {
                        for key in SCRIPT_INPUTS {
                            if let Some((k, v)) = w.entry(key) {
                                for l in v.as_str().unwrap_or("").lines() {
                                    cmds.push(Cmd {
                                        line: k.line,
                                        text: l.to_string(),
                                        dir: dir.clone(),
                                        on_failure: fail,
                                    });
                                }
                            }
                        }
                    }
                }
            }
            out.push(Job {
                path: &wf.path,
                id: j.id.clone(),
                needs: j.needs.clone(),
                stage: None,
                label: format!(
                    "{} {} {} {}",
                    j.id,
                    j.name.as_deref().unwrap_or(""),
                    wf.name.as_deref().unwrap_or(""),
                    file_stem
                )
                .to_ascii_lowercase(),
                line: j.line,
                environments: j
                    .environment
                    .iter()
                    .map(|e| (e.name.clone().unwrap_or_default(), e.line))
                    .collect(),
                cmds,
                actions,
                self_hosted: j
                    .runs_on
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case("self-hosted")),
            });
        }
    }
    for (provider, f) in ci::files(index) {
        match provider {
            "GitHub Actions" => {}
            "GitLab CI" => gitlab_jobs(index, f, &mut out),
            _ => out.push(whole_file_job(f)),
        }
    }
    out
}

const GITLAB_KEYWORDS: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
];

fn gitlab_jobs<'a>(index: &'a Index, f: &'a IndexedFile, out: &mut Vec<Job<'a>>) {
    let Some(text) = f.text() else { return };
    let lines: Vec<&str> = text.lines().collect();
    let root = match index.yaml(&f.path) {
        Some(Ok(y)) => y.root(),
        _ => None,
    };
    let Some(root) = root.filter(|r| r.is_map()) else {
        // Unparsable: still read it line by line.
        out.push(whole_file_job(f));
        return;
    };
    let entries = root.entries();
    let stages: Vec<&str> = match root.get("stages") {
        Some(s) => s.strings(),
        None => vec![".pre", "build", "test", "deploy", ".post"],
    };
    for (i, (k, v)) in entries.iter().enumerate() {
        let Some(name) = k.as_str() else { continue };
        if GITLAB_KEYWORDS.contains(&name) || !v.is_map() {
            continue;
        }
        let start = k.line as usize;
        let end = entries
            .get(i + 1)
            .map_or(lines.len(), |(n, _)| (n.line as usize).saturating_sub(1));
        let on_failure = v.get("when").and_then(Node::as_str) == Some("on_failure");
        let cmds = (start..=end.min(lines.len()))
            .filter_map(|n| {
                let t = lines.get(n.checked_sub(1)?)?;
                let trimmed = t.trim_start();
                (!trimmed.is_empty() && !trimmed.starts_with('#')).then(|| Cmd {
                    line: n as u32,
                    text: t.to_string(),
                    dir: String::new(),
                    on_failure,
                })
            })
            .collect();
        let environments = v
            .entry("environment")
            .and_then(|(ek, ev)| {
                let n = ev
                    .as_str()
                    .or_else(|| ev.get("name").and_then(Node::as_str))?;
                Some((n.to_string(), ek.line))
            })
            .into_iter()
            .collect();
        let stage = v.get("stage").and_then(Node::as_str).unwrap_or("test");
        let needs = v
            .get("needs")
            .map(|n| {
                n.items()
                    .iter()
                    .filter_map(|i| i.as_str().or_else(|| i.get("job").and_then(Node::as_str)))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Job {
            path: &f.path,
            id: name.to_string(),
            needs,
            stage: stages.iter().position(|s| *s == stage),
            label: format!("{name} {stage}").to_ascii_lowercase(),
            line: k.line,
            environments,
            cmds,
            actions: Vec::new(),
            self_hosted: false,
        });
    }
}

static AZURE_ENV: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*(?:environment|deployment):\s*['"]?([A-Za-z0-9_.${}()/-]+)"#));

fn whole_file_job(f: &IndexedFile) -> Job<'_> {
    let text = f.text().unwrap_or("");
    let mut cmds = Vec::new();
    let mut environments = Vec::new();
    // Azure Pipelines `environment: prod` and Bitbucket `deployment: production`; CircleCI's
    // `environment:` is a map of variables, so a bare name is required.
    let env_aware = f.path.contains("azure") || f.path == "bitbucket-pipelines.yml";
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        if env_aware {
            if let Some(c) = AZURE_ENV.captures(l) {
                environments.push((c[1].to_string(), i as u32 + 1));
            }
        }
        cmds.push(Cmd {
            line: i as u32 + 1,
            text: l.to_string(),
            dir: String::new(),
            on_failure: false,
        });
    }
    Job {
        path: &f.path,
        id: f.path.clone(),
        needs: Vec::new(),
        stage: None,
        label: f.name().to_ascii_lowercase(),
        line: 1,
        environments,
        cmds,
        actions: Vec::new(),
        self_hosted: false,
    }
}

/// A line of a repository script that a CI line runs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Def {
    pub path: String,
    pub line: u32,
    pub text: String,
}

/// Follows CI command lines into the repository's own scripts: make targets, just recipes,
/// package.json scripts and shell scripts, up to three calls deep.
pub(super) struct Resolver<'a> {
    index: &'a Index,
    scripts: OnceCell<HashMap<String, Vec<Def>>>,
}

static MAKE_CALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[\s;&|(])(?:\$\(MAKE\)|\$\{MAKE\}|make)\s+([^;&|]*)"));
static JUST_CALL: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[\s;&|(])just\s+([^;&|]*)"));
static PM_CALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[\s;&|(])(npm|pnpm|yarn|bun)\s+([^;&|]*)"));
static SHELL_CALL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s;&|(])(?:(?:bash|sh|zsh|source|\.)\s+)?((?:\./)?(?:[\w.-]+/)*[\w.-]+\.(?:sh|bash))\b|(?:^|[\s;&|(])\./((?:[\w.-]+/)*[\w-]+)(?:\s|$)",
    )
});

/// Package-manager commands that are not scripts of the project.
const PM_BUILTINS: &[&str] = &[
    "install",
    "i",
    "ci",
    "add",
    "remove",
    "rm",
    "uninstall",
    "exec",
    "dlx",
    "x",
    "publish",
    "audit",
    "version",
    "init",
    "config",
    "cache",
    "link",
    "pack",
    "ls",
    "list",
    "outdated",
    "update",
    "upgrade",
    "up",
    "why",
    "prune",
    "rebuild",
    "dedupe",
    "set",
    "store",
    "fetch",
    "create",
    "workspace",
    "workspaces",
    "global",
    "info",
    "view",
    "login",
    "whoami",
    "node",
    "import",
    "patch",
    "setup",
    "env",
    "help",
    "npm",
];

/// Flags of package managers and make that take a value.
const VALUE_FLAGS: &[&str] = &[
    "--filter",
    "-F",
    "--prefix",
    "-C",
    "--dir",
    "--cwd",
    "--workspace",
    "-w",
    "--directory",
    "-f",
    "--file",
    "--makefile",
];

fn words(args: &str) -> Vec<String> {
    args.split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .take_while(|w| !w.starts_with('#') && w != ">" && w != "2>&1")
        .collect()
}

/// Positional arguments, with the values of `VALUE_FLAGS` set aside.
fn positional(args: &str) -> (Vec<String>, HashMap<String, String>) {
    let mut pos = Vec::new();
    let mut flags = HashMap::new();
    let ws = words(args);
    let mut it = ws.into_iter();
    while let Some(w) = it.next() {
        if VALUE_FLAGS.contains(&w.as_str()) {
            if let Some(v) = it.next() {
                flags.insert(w, v);
            }
        } else if let Some((f, v)) = w.split_once('=').filter(|_| w.starts_with("--")) {
            flags.insert(f.to_string(), v.to_string());
        } else if !w.starts_with('-') && !w.contains('=') && !w.contains('$') {
            pos.push(w);
        }
    }
    (pos, flags)
}

impl<'a> Resolver<'a> {
    pub fn new(index: &'a Index) -> Self {
        Resolver {
            index,
            scripts: OnceCell::new(),
        }
    }

    /// Lines of the scripts `cmd` runs, directly and through nested calls.
    /// What `cmd` runs when run in `dir` (a step's working directory): scripts it names are
    /// looked up there first, then from the root.
    pub fn invoked_in(&self, cmd: &str, dir: &str) -> Vec<Def> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.expand(cmd, dir, 0, &mut seen, &mut out);
        out
    }

    fn expand(
        &self,
        cmd: &str,
        cwd: &str,
        depth: usize,
        seen: &mut HashSet<String>,
        out: &mut Vec<Def>,
    ) {
        if depth >= 3 || out.len() > 2000 {
            return;
        }
        for def in self.direct(cmd, cwd, seen) {
            let text = def.text.clone();
            out.push(def);
            self.expand(&text, cwd, depth + 1, seen, out);
        }
    }

    fn direct(&self, cmd: &str, cwd: &str, seen: &mut HashSet<String>) -> Vec<Def> {
        let mut out = Vec::new();
        for c in MAKE_CALL.captures_iter(cmd) {
            let (targets, flags) = positional(&c[1]);
            let dir = flags
                .get("-C")
                .or_else(|| flags.get("--directory"))
                .map_or("", String::as_str);
            let file = flags
                .get("-f")
                .or_else(|| flags.get("--file"))
                .or_else(|| flags.get("--makefile"))
                .map(|f| join(dir, f));
            let path = file.or_else(|| {
                ["Makefile", "makefile", "GNUmakefile"]
                    .iter()
                    .map(|n| join(dir, n))
                    .find(|p| self.index.exists(p))
            });
            if let Some(path) = path {
                for t in targets {
                    self.recipe(&path, &t, RecipeKind::Make, seen, &mut out);
                }
            }
        }
        for c in JUST_CALL.captures_iter(cmd) {
            let (targets, _) = positional(&c[1]);
            if let Some(path) = ["justfile", "Justfile", ".justfile"]
                .iter()
                .find(|p| self.index.exists(p))
            {
                if let Some(t) = targets.first() {
                    self.recipe(path, t, RecipeKind::Just, seen, &mut out);
                }
            }
        }
        for c in PM_CALL.captures_iter(cmd) {
            let (pos, _) = positional(&c[2]);
            let script = match pos.first().map(String::as_str) {
                Some("run" | "run-script") => pos.get(1),
                Some(s) if !PM_BUILTINS.contains(&s) => pos.first(),
                _ => None,
            };
            if let Some(s) = script {
                for name in [format!("pre{s}"), s.clone(), format!("post{s}")] {
                    if !seen.insert(format!("script:{name}")) {
                        continue;
                    }
                    if let Some(defs) = self.scripts().get(&name) {
                        out.extend(defs.iter().cloned());
                    }
                }
            }
        }
        // A tox env or nox session runs its commands (`tox -e audit` → pip-audit).
        for seg in cmd.split(['&', '|', ';']) {
            for (path, line, text) in super::tox_run::commands(self.index, seg, cwd)
                .into_iter()
                .flatten()
            {
                if seen.insert(format!("env:{path}:{line}")) {
                    out.push(Def { path, line, text });
                }
            }
        }
        for c in SHELL_CALL.captures_iter(cmd) {
            let Some(m) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            let path = [join(cwd, m.as_str()), join("", m.as_str())]
                .into_iter()
                .find(|p| self.index.exists(p))
                .unwrap_or_default();
            if !seen.insert(format!("file:{path}")) {
                continue;
            }
            let Some(text) = self.index.text(&path) else {
                continue;
            };
            for (i, l) in text.lines().enumerate() {
                let t = l.trim();
                if !t.is_empty() && !t.starts_with('#') {
                    out.push(Def {
                        path: path.clone(),
                        line: i as u32 + 1,
                        text: t.to_string(),
                    });
                }
            }
        }
        out
    }

    fn recipe(
        &self,
        path: &str,
        target: &str,
        kind: RecipeKind,
        seen: &mut HashSet<String>,
        out: &mut Vec<Def>,
    ) {
        if !seen.insert(format!("{path}#{target}")) {
            return;
        }
        let Some(text) = self.index.text(path) else {
            return;
        };
        let Some((body, deps)) = recipe_body(text, target, kind) else {
            return;
        };
        for d in deps {
            self.recipe(path, &d, kind, seen, out);
        }
        out.extend(body.into_iter().map(|(line, text)| Def {
            path: path.to_string(),
            line,
            text,
        }));
    }

    fn scripts(&self) -> &HashMap<String, Vec<Def>> {
        self.scripts.get_or_init(|| {
            let mut map: HashMap<String, Vec<Def>> = HashMap::new();
            for f in self.index.named("package.json").filter(|f| own(f)) {
                let Some(text) = f.text() else { continue };
                let Some(v) = self.index.json(&f.path) else {
                    continue;
                };
                let Some(scripts) = v.get("scripts").and_then(|s| s.as_object()) else {
                    continue;
                };
                let start = text
                    .lines()
                    .position(|l| l.contains("\"scripts\""))
                    .unwrap_or(0);
                for (name, cmd) in scripts {
                    let Some(cmd) = cmd.as_str() else { continue };
                    let needle = format!("\"{name}\"");
                    let line = text
                        .lines()
                        .enumerate()
                        .skip(start)
                        .find(|(_, l)| l.contains(&needle))
                        .map_or(start as u32 + 1, |(i, _)| i as u32 + 1);
                    map.entry(name.clone()).or_default().push(Def {
                        path: f.path.clone(),
                        line,
                        text: cmd.to_string(),
                    });
                }
            }
            // A monorepo has a `test` script in every package; `npm test` in CI runs the one
            // nearest the root. Keep the shallowest few so expansion stays bounded.
            for defs in map.values_mut() {
                defs.sort_by(|a, b| {
                    (a.path.matches('/').count(), &a.path)
                        .cmp(&(b.path.matches('/').count(), &b.path))
                });
                defs.truncate(MAX_SCRIPT_DEFS);
            }
            map
        })
    }
}

/// Package scripts of one name followed per `npm run NAME` (see [`Resolver::scripts`]).
const MAX_SCRIPT_DEFS: usize = 8;

/// Every CI command resolved to the repository script lines it runs, once per scan: a dozen
/// rules ask about the same commands, and resolving reads the package scripts and task files.
pub(super) struct ResolvedCmds {
    /// Script lines by the command's directory, then its text: all that resolution depends on.
    by_dir: HashMap<String, HashMap<String, Vec<Def>>>,
}

impl ResolvedCmds {
    fn new(index: &Index) -> Self {
        let resolver = Resolver::new(index);
        let mut by_dir: HashMap<String, HashMap<String, Vec<Def>>> = HashMap::new();
        for cmd in jobs(index).into_iter().flat_map(|j| j.cmds) {
            let texts = by_dir.entry(cmd.dir.clone()).or_default();
            if let Entry::Vacant(e) = texts.entry(cmd.text) {
                let defs = resolver.invoked_in(e.key(), &cmd.dir);
                e.insert(defs);
            }
        }
        ResolvedCmds { by_dir }
    }

    /// The script lines `cmd` (a command of a CI job in [`jobs`]) runs, directly and through
    /// nested calls.
    pub fn run_by(&self, cmd: &Cmd) -> &[Def] {
        self.by_dir
            .get(&cmd.dir)
            .and_then(|texts| texts.get(&cmd.text))
            .map_or(&[], Vec::as_slice)
    }
}

/// The CI commands of the repository, resolved (cached on the index).
pub(super) fn resolved_cmds(index: &Index) -> &ResolvedCmds {
    index
        .models
        .derived
        .resolved_cmds
        .get_or_init(|| ResolvedCmds::new(index))
}

#[derive(Clone, Copy)]
enum RecipeKind {
    Make,
    Just,
}

/// Recipe lines (line, text) and prerequisites of a target.
type Recipe = (Vec<(u32, String)>, Vec<String>);

/// The recipe lines and prerequisites of `target` in a Makefile or justfile.
fn recipe_body(text: &str, target: &str, kind: RecipeKind) -> Option<Recipe> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with([' ', '\t', '#']) || l.trim().is_empty() {
            continue;
        }
        let Some(colon) = l.find(':') else { continue };
        if l[colon + 1..].starts_with('=') || l[..colon].contains('=') {
            continue; // A variable assignment (`X := y`, `X = a:b`).
        }
        let head = l[..colon].trim_start_matches('@');
        let names: Vec<&str> = match kind {
            RecipeKind::Make => head.split_whitespace().collect(),
            // `name param='x':` — the first word is the recipe.
            RecipeKind::Just => head.split_whitespace().take(1).collect(),
        };
        if !names.contains(&target) {
            continue;
        }
        let rest = l[colon + 1..].trim_start_matches(':');
        let rest = rest.split(['#', ';']).next().unwrap_or("");
        let deps = rest
            .split_whitespace()
            .filter(|d| *d != "|" && !d.contains('$') && !d.starts_with('('))
            .map(str::to_string)
            .collect();
        let mut body = Vec::new();
        for (j, b) in lines.iter().enumerate().skip(i + 1) {
            let indented = match kind {
                RecipeKind::Make => b.starts_with('\t'),
                RecipeKind::Just => b.starts_with([' ', '\t']),
            };
            if b.trim().is_empty() {
                continue;
            }
            if !indented {
                break;
            }
            let t = b.trim().trim_start_matches(['@', '-', '+']).trim();
            if !t.starts_with('#') {
                body.push((j as u32 + 1, t.to_string()));
            }
        }
        return Some((body, deps));
    }
    None
}

/// CI lines matching `re`, directly or through the repository scripts they run. Placeholder
/// lines (`echo …`) do not count. Evidence: the CI line, and the script line when one is used.
pub(super) fn ci_runs(index: &Index, re: &Regex) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = ci::grep(index, re)
        .into_iter()
        .filter(|e| !e.note.as_deref().is_some_and(is_placeholder_cmd))
        .collect();
    let resolved = resolved_cmds(index);
    for job in jobs(index) {
        for cmd in &job.cmds {
            if re.is_match(&cmd.text) {
                continue;
            }
            if let Some(d) = resolved
                .run_by(cmd)
                .iter()
                .find(|d| re.is_match(&d.text) && !is_placeholder_cmd(&d.text))
            {
                out.push(
                    Evidence::at(job.path, cmd.line)
                        .note(format!("runs {}", ci::shorten(cmd.text.trim()))),
                );
                out.push(Evidence::at(&d.path, d.line).note(ci::shorten(&d.text)));
            }
        }
    }
    out
}

/// Kept text of the project's own files with one of `exts`, for configuration scans.
fn config_files<'i>(
    index: &'i Index,
    exts: &[&str],
) -> impl Iterator<Item = (&'i IndexedFile, &'i str)> {
    let exts: Vec<String> = exts.iter().map(|e| e.to_string()).collect();
    index.text_files().filter_map(move |f| {
        if !own(f) || !exts.iter().any(|e| e == f.ext()) || f.path.starts_with(".github/") {
            return None;
        }
        Some((f, f.text()?))
    })
}

/// The first match of `re` in kept text as evidence (line of the match start).
fn first_match(path: &str, text: &str, re: &Regex, note: &str) -> Option<Evidence> {
    let m = re.find(text)?;
    Some(Evidence::at(path, super::signals::line_of(text, m.start())).note(note))
}

// ---------------------------------------------------------------------------------------------
// Automated deployment

/// Commands that deploy, release or publish a service.
static DEPLOY_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        \bkubectl\b[^\n]*\b(?:apply|set\s+image|rollout\s+restart|replace)\b
      | \bhelm\s+(?:upgrade|install)\b | \bhelmfile\b[^\n]*\b(?:sync|apply)\b
      | \b(?:terraform|tofu|terragrunt)\b[^\n]*\bapply\b | \bpulumi\s+up\b
      | \b(?:flyctl|fly)\s+deploy\b
      | \bvercel\b[^\n]*(?:\s--prod\b|\sdeploy\b) | \bnetlify\s+deploy\b
      | \baws\s+ecs\s+(?:update-service|deploy)\b | \becs-deploy\b
      | \baws\s+lambda\s+update-function-code\b | \bsam\s+deploy\b | \bcdk\s+deploy\b
      | \baws\s+cloudformation\s+(?:deploy|update-stack|create-stack)\b
      | \bcopilot\s+(?:svc\s+|job\s+)?deploy\b | \beb\s+deploy\b
      | \baws\s+deploy\s+create-deployment\b | \baws\s+apprunner\s+start-deployment\b
      | \bgcloud\s+(?:beta\s+)?(?:run|app|functions)\s+deploy\b | \bgcloud\s+deploy\s+releases\s+create\b
      | \baz\s+(?:webapp|functionapp)\s+(?:deploy|up|deployment\s+source)\b
      | \baz\s+containerapp\s+(?:up|update)\b | \baz\s+spring\s+app\s+deploy\b
      | \b(?:serverless|sls)\s+deploy\b
      | \b(?:docker|podman)\s+(?:image\s+)?push\b | \bdocker\s+buildx\s+build\b[^\n]*\s--push\b
      | \bdocker\s+compose\b[^\n]*\bpush\b | \bcrane\s+(?:push|copy)\b | \bko\s+(?:build|apply|publish)\b
      | jib:build | \bgradlew?\b[^\n]*\sjib\b
      | \bcap\s+(?:[\w:-]+\s+)?deploy\b | \b(?:kamal|mrsk)\s+(?:deploy|redeploy)\b
      | \bgit\s+push\b[^\n]*\b(?:heroku|dokku)\b | \bheroku\s+container:release\b
      | \brailway\s+(?:up|deploy)\b | \bfirebase\s+deploy\b
      | \bwrangler\s+(?:deploy|publish|pages\s+deploy|versions\s+deploy)\b
      | \bansible-playbook\b | \bargocd\s+app\s+sync\b | \bflux\s+reconcile\b
      | \bdoctl\s+apps\s+(?:create-deployment|update)\b | \bskaffold\s+(?:run|deploy)\b
      | \bnomad\s+(?:job\s+)?run\b | \bdocker\s+stack\s+deploy\b | \bcf\s+push\b
      | \bcurl\b[^\n]*(?:api\.render\.com/deploy|deploy[_-]?hook|build_hooks)
      | \bssh\b[^\n]*\b(?:docker(?:-|\s+)compose|systemctl\s+restart|pm2\s+(?:reload|restart)|git\s+pull)\b
      | \brsync\b[^\n]*\s[\w.-]+@[\w.-]+:
      | Auto-DevOps\.gitlab-ci\.yml | Jobs/Deploy\.gitlab-ci\.yml
      | ^\s*-?\s*provider:\s*(?:heroku|elasticbeanstalk|codedeploy|lambda|cloudfoundry|gae|azure_web_apps|openshift|firebase|netlify|surge)\b
    ")
});

/// Actions that deploy (matched on `owner/repo[/path]`).
const DEPLOY_ACTIONS: &[&str] = &[
    "aws-actions/amazon-ecs-deploy-task-definition",
    "aws-actions/aws-cloudformation-github-deploy",
    "aws-actions/aws-lambda-deploy",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-appengine",
    "google-github-actions/deploy-cloud-functions",
    "azure/webapps-deploy",
    "azure/k8s-deploy",
    "azure/container-apps-deploy-action",
    "azure/functions-action",
    "azure/arm-deploy",
    "azure/static-web-apps-deploy",
    "azure/aci-deploy",
    "superfly/flyctl-actions",
    "amondnet/vercel-action",
    "nwtgck/actions-netlify",
    "akhileshns/heroku-deploy",
    "cloudflare/wrangler-action",
    "cloudflare/pages-action",
    "firebaseextended/action-hosting-deploy",
    "serverless/github-action",
    "appleboy/ssh-action",
    "easingthemes/ssh-deploy",
    "burnett01/rsync-deployments",
    "dokku/github-action",
    "digitalocean/app_action",
    "johnbeynon/render-deploy-action",
    "bervproject/railway-deploy",
    "deliverybot/helm",
    "wyrihaximus/github-action-helm3",
    "dflook/terraform-apply",
    "redhat-actions/push-to-registry",
];

/// The evidence that `action` deploys.
fn action_deploys(a: &Action) -> bool {
    let n = a.name.as_str();
    if DEPLOY_ACTIONS.contains(&n) {
        return true;
    }
    // A shared deploy workflow of another repository (an organisation's standard pipeline);
    // local ones are read as workflows of their own.
    if a.reusable && !n.starts_with("./") {
        let file = crate::index::file_name(n);
        return file.contains("deploy") || file.contains("release");
    }
    match n {
        // Builds only, unless it pushes (`push: true` or an expression such as
        // `${{ github.event_name != 'pull_request' }}`).
        "docker/build-push-action" => a.input("push").is_some_and(ci::push_input_publishes),
        "pulumi/actions" => a.input("command") == Some("up"),
        _ => false,
    }
}

/// Validation runs of deploy tools change nothing.
static DRY_RUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"--dry-run\b|--syntax-check\b|\s--check\b|\s--list-(?:hosts|tasks)\b"));

/// Throwaway clusters and registries: a job that creates one tests deployment manifests, it
/// does not deploy.
static LOCAL_CLUSTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bkind\s+create\s+cluster\b|\bminikube\s+start\b|\bk3d\s+cluster\s+create\b|\bkubeadm\s+init\b|\bctlptl\b|localhost:5000|\blocalstack\b|\btflocal\b",
    )
});
const LOCAL_CLUSTER_ACTIONS: &[&str] = &[
    "helm/kind-action",
    "engineerd/setup-kind",
    "container-tools/kind-action",
    "medyagh/setup-minikube",
    "manusa/actions-setup-minikube",
    "absaoss/k3d-action",
    "nolar/setup-k3d-k3s",
    "debianmaster/actions-k3s",
];

fn is_local_cluster_job(job: &Job) -> bool {
    job.cmds.iter().any(|c| LOCAL_CLUSTER.is_match(&c.text))
        || job
            .actions
            .iter()
            .any(|a| LOCAL_CLUSTER_ACTIONS.contains(&a.name.as_str()))
}

/// `docker compose up` (or a service restart) in a deploy job on a self-hosted runner starts
/// the service on that machine: the runner is the server (full-stack-fastapi-template's
/// staging and production). On a hosted runner, or in a job not named for deploying, it
/// starts dependencies for tests.
fn starts_on_own_host(job: &Job, cmd: &str) -> bool {
    static STARTS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\bdocker(?:-|\s+)compose\b[^\n]*\bup\b|\bsystemctl\s+(?:restart|reload)\b|\bpm2\s+(?:reload|restart)\b",
        )
    });
    job.self_hosted
        && (!job.environments.is_empty()
            || ["deploy", "release", "production", "staging"]
                .iter()
                .any(|w| job.label.contains(w)))
        && STARTS.is_match(cmd)
}

/// Deploy evidence of a job: commands (direct or through scripts) and deploy actions.
fn job_deploys(index: &Index, job: &Job) -> Vec<Evidence> {
    let mut out = Vec::new();
    if is_local_cluster_job(job) {
        return out;
    }
    for c in &job.cmds {
        if is_placeholder_cmd(&c.text) || DRY_RUN.is_match(&c.text) {
            continue;
        }
        if DEPLOY_CMD.is_match(&c.text) || starts_on_own_host(job, &c.text) {
            out.push(Evidence::at(job.path, c.line).note(ci::shorten(c.text.trim())));
        } else if let Some(d) = resolved_cmds(index)
            .run_by(c)
            .iter()
            .find(|d| DEPLOY_CMD.is_match(&d.text) && !is_placeholder_cmd(&d.text))
        {
            out.push(
                Evidence::at(job.path, c.line).note(format!("runs {}", ci::shorten(c.text.trim()))),
            );
            out.push(Evidence::at(&d.path, d.line).note(ci::shorten(&d.text)));
        }
    }
    for a in &job.actions {
        if action_deploys(a) {
            out.push(Evidence::at(job.path, a.line).note(format!("uses {}", a.name)));
        } else if a.name.starts_with("./") && !a.reusable {
            // A composite action of this repository: read its steps.
            let Some((path, steps)) = crate::model::workflow::load_action(index, &a.name) else {
                continue;
            };
            let hit = steps.iter().find_map(|st| {
                let r = st.run.as_ref()?;
                r.lines
                    .iter()
                    .find(|(_, t)| DEPLOY_CMD.is_match(t) && !is_placeholder_cmd(t))
                    .map(|(l, t)| (*l, t.clone()))
            });
            let action_hit = steps.iter().find_map(|st| {
                let u = st.uses.as_ref()?;
                let name = u.action().to_ascii_lowercase();
                DEPLOY_ACTIONS
                    .contains(&name.as_str())
                    .then_some((u.line, format!("uses {name}")))
            });
            if let Some((line, text)) = hit.or(action_hit) {
                out.push(Evidence::at(job.path, a.line).note(format!("uses {}", a.name)));
                out.push(Evidence::at(path, line).note(ci::shorten(text.trim())));
            }
        }
    }
    out
}

static DEPLOYISH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)deploy|release|publish|ship|rollout|promot|go-?live"));

/// Jobs that deploy (their index in [`jobs`], ascending), each with its evidence; found once
/// per scan (cached on the index): five rules ask, and each job's commands are followed into
/// the scripts they run.
fn deploying_jobs(index: &Index) -> &[(usize, Vec<Evidence>)] {
    index.models.derived.deploying_jobs.get_or_init(|| {
        jobs(index)
            .iter()
            .enumerate()
            .map(|(i, j)| (i, job_deploys(index, j)))
            .filter(|(_, e)| !e.is_empty())
            .collect()
    })
}

/// The command lines (file, line) of CI jobs that deploy: what they start (a `docker compose
/// up` on the production host) serves users, it is not a test dependency.
pub(super) fn deploy_job_lines(index: &Index) -> HashSet<(String, u32)> {
    let all = jobs(index);
    deploying_jobs(index)
        .iter()
        .flat_map(|(i, _)| {
            let j = &all[*i];
            j.cmds.iter().map(|c| (j.path.to_string(), c.line))
        })
        .collect()
}

/// Jobs of the same pipeline file that wait for job `d`, directly or through other jobs.
fn dependents(jobs: &[Job], d: usize) -> HashSet<usize> {
    let mut ids: HashSet<&str> = HashSet::from([jobs[d].id.as_str()]);
    let mut out = HashSet::new();
    loop {
        let before = out.len();
        for (i, j) in jobs.iter().enumerate() {
            if i != d
                && j.path == jobs[d].path
                && !out.contains(&i)
                && j.needs.iter().any(|n| ids.contains(n.as_str()))
            {
                out.insert(i);
                ids.insert(j.id.as_str());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Does line `line` of job `j` run after job `d` deployed at line `at`? Later in the same job,
/// in a job that needs it, or in a later GitLab stage.
fn runs_after(jobs: &[Job], d: usize, at: u32, j: usize, line: u32, deps: &HashSet<usize>) -> bool {
    if j == d {
        return line > at;
    }
    if jobs[j].path != jobs[d].path {
        return false;
    }
    deps.contains(&j) || matches!((jobs[j].stage, jobs[d].stage), (Some(a), Some(b)) if a > b)
}

/// Pull-based deployment: Argo CD applications and Flux kustomizations/releases.
static ARGO_APP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^kind:\s*(?:Application|ApplicationSet)\s*$"));
static FLUX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^apiVersion:\s*(?:kustomize|helm)\.toolkit\.fluxcd\.io"));
static FLAGGER_CANARY: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^kind:\s*Canary\s*$"));

/// A GitOps controller's application (Argo CD) or reconciliation (Flux) in a manifest.
fn gitops(path: &str, text: &str) -> Option<Evidence> {
    let note = "GitOps controller deploys from this repository";
    if text.contains("argoproj.io") {
        if let Some(e) = first_match(path, text, &ARGO_APP, note) {
            return Some(e);
        }
    }
    first_match(path, text, &FLUX, note)
}

/// Platforms that deploy on every push once the repository is connected (their default).
fn git_integrations(index: &Index) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (name, platform) in [
        ("vercel.json", "Vercel"),
        ("netlify.toml", "Netlify"),
        ("amplify.yml", "AWS Amplify"),
    ] {
        for f in index.named(name).filter(|f| own(f)) {
            let disabled = f
                .text()
                .is_some_and(|t| t.contains("\"deploymentEnabled\": false"));
            if !disabled {
                out.push(Evidence::file(f.path.clone()).note(format!(
                    "{platform} deploys each push of a connected repository (inferred from its configuration)"
                )));
            }
        }
    }
    for f in index.named("render.yaml").filter(|f| own(f)) {
        let off = f.text().is_some_and(|t| t.contains("autoDeploy: false"));
        if !off {
            out.push(Evidence::file(f.path.clone()).note(
                "Render deploys each push of the connected branch (autoDeploy is on by default)",
            ));
        }
    }
    out
}

fn automated_deploy(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let mut found: Vec<Evidence> = deploying_jobs(index)
        .iter()
        .flat_map(|(_, e)| e.iter().cloned())
        .collect();
    for (f, text) in config_files(index, &["yaml", "yml"]) {
        found.extend(gitops(&f.path, text));
    }
    found.extend(git_integrations(index));
    if !found.is_empty() {
        return Outcome::pass(
            format!("deployments are automated ({} place(s))", found.len()),
            found,
        );
    }
    // Deploy-looking jobs that only echo.
    let all = jobs(index);
    let placeholders: Vec<Evidence> = all
        .iter()
        .filter(|j| DEPLOYISH.is_match(&j.label) || !j.environments.is_empty())
        .filter(|j| j.path.starts_with(".github/") || j.path.contains("gitlab"))
        // A job that calls actions or workflows of its own may deploy through them.
        .filter(|j| {
            j.actions
                .iter()
                .all(|a| !a.reusable && a.name.starts_with("actions/"))
        })
        .filter(|j| {
            j.cmds
                .iter()
                .all(|c| is_placeholder_cmd(&c.text) || !looks_like_command(&c.text))
        })
        .map(|j| {
            let line = j.cmds.first().map_or(j.line, |c| c.line);
            Evidence::at(j.path, line)
                .note("deploy job runs placeholder commands only (echo/sleep/TODO)")
        })
        .collect();
    if !placeholders.is_empty() {
        return Outcome::fail(
            "a deploy job exists but only prints or sleeps: nothing is deployed",
            placeholders,
        );
    }
    Outcome::fail(
        "no CI job deploys or publishes the service (no kubectl/helm/terraform apply, platform CLI, \
         deploy action, image push or GitOps controller found)",
        ci::anchor(index).into_iter().collect(),
    )
}

/// A GitLab job line that is a command (a script item), not a key such as `stage: deploy`.
fn looks_like_command(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("- ") || !t.contains(':')
}

// ---------------------------------------------------------------------------------------------
// Environments and staging

fn environments(ctx: &Context) -> Outcome {
    let found: Vec<Evidence> = jobs(ctx.index)
        .iter()
        .flat_map(|j| {
            // The Pages environment of actions/deploy-pages publishes a docs site.
            j.environments
                .iter()
                .filter(|(n, _)| n != "github-pages")
                .map(|(name, line)| {
                    Evidence::at(j.path, *line).note(format!("environment `{name}`"))
                })
        })
        .collect();
    Outcome::present(
        found,
        "deploy jobs declare their target environments",
        "no CI job declares a deployment environment (GitHub `environment:`, GitLab `environment:`, \
         Azure `environment:`, Bitbucket `deployment:`)",
        ci::anchor(ctx.index),
    )
}

/// Names of non-production environments (on word boundaries, `_` and `-` included).
static NONPROD_ENV: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[^a-z])(?:staging|stage|stg|preview|review|qa|uat|dev|develop|development|test|testing|sandbox|pre-?prod|non-?prod|integration)(?:[^a-z]|$)",
    )
});
/// Stricter words for job and workflow names ("test" names every test job).
static NONPROD_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[^a-z])(?:staging|stg|preview|qa|uat|sandbox|pre-?prod|non-?prod|review-?apps?)(?:[^a-z]|$)",
    )
});
/// Files of a non-production environment: overlays, values, tfvars, platform configs.
static NONPROD_FILE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|/)(?:(?:overlays|environments|envs|env|stages|deploy|deployments)/(?:staging|stage|stg|preprod|pre-prod|uat|qa|dev|development|sandbox)/[^/]+\.(?:ya?ml|tf|tfvars|json|toml|hcl)|[^/]*[._-](?:staging|stg|preprod|uat)\.(?:ya?ml|tf|tfvars|json|toml|hcl)|(?:staging|preprod|uat)\.(?:tfvars|ya?ml|toml|json)|\.env\.(?:staging|stage|preprod|uat|qa))$",
    )
});

/// Preview environments configured on a platform.
static RENDER_PREVIEWS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^\s*(?:previewsEnabled:\s*true|previews:|pullRequestPreviewsEnabled:\s*true)")
});
static HEROKU_REVIEW_APPS: LazyLock<Regex> = LazyLock::new(|| re(r#""review"\s*:"#));

fn staging(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let all = jobs(index);
    let mut found = Vec::new();
    for j in &all {
        for (name, line) in &j.environments {
            if NONPROD_ENV.is_match(name) {
                found.push(Evidence::at(j.path, *line).note(format!("environment `{name}`")));
            }
        }
    }
    for (i, ev) in deploying_jobs(index) {
        let j = &all[*i];
        if NONPROD_LABEL.is_match(&j.label) {
            let mut e = ev[0].clone();
            e.note = Some(format!(
                "deploys in a non-production job/workflow ({})",
                j.label.trim()
            ));
            found.push(e);
        }
    }
    for f in index.text_files().filter(|f| own(f)) {
        if NONPROD_FILE.is_match(&f.path) && !f.path.starts_with(".github/") {
            found.push(
                Evidence::file(f.path.clone())
                    .note("configuration of a non-production environment"),
            );
        }
    }
    for (name, note) in [
        (
            "vercel.json",
            "Vercel builds a preview deployment for every branch and pull request",
        ),
        (
            "netlify.toml",
            "Netlify builds deploy previews for pull requests",
        ),
    ] {
        for f in index.named(name).filter(|f| own(f)) {
            found.push(Evidence::file(f.path.clone()).note(note));
        }
    }
    for f in index.named("render.yaml").filter(|f| own(f)) {
        if let Some(t) = f.text() {
            found.extend(first_match(
                &f.path,
                t,
                &RENDER_PREVIEWS,
                "Render preview environments",
            ));
        }
    }
    for f in index.named("app.json").filter(|f| own(f)) {
        if let Some(t) = f.text() {
            found.extend(first_match(
                &f.path,
                t,
                &HEROKU_REVIEW_APPS,
                "Heroku review apps",
            ));
        }
    }
    for f in index.text_files().filter(|f| own(f)) {
        let n = f.name();
        if n.starts_with("fly.") && n.ends_with(".toml") && n != "fly.toml" {
            found.push(Evidence::file(f.path.clone()).note("a second Fly.io app configuration"));
        }
    }
    Outcome::present(
        found,
        "a non-production environment exists before production",
        "no staging, preview or QA environment: changes go straight to production",
        ci::anchor(index),
    )
}

// ---------------------------------------------------------------------------------------------
// Post-deploy verification

static VERIFY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        \bcurl\b[^\n]*(?:--fail\b|\s-[a-z]*f[a-z]*\b|/health|/healthz|/readyz|/livez|/ready\b|/status\b|/ping\b|/up\b|http_code)
      | \bwget\b[^\n]*(?:--spider|/health)
      | \bsmoke\b | \bhealth[-_ ]?check\b | \bpost[-_]?deploy\b | \bsynthetic\b
      | \bwait-for(?:-it)?\b | \bwait-on\b | \bdockerize\b[^\n]*-wait
      | \bkubectl\b[^\n]*\brollout\s+status\b | \bkubectl\b[^\n]*\swait\b
      | \bhelm\s+test\b | \bhelm\b[^\n]*\s--(?:wait|atomic)\b
      | \baws\s+\w+\s+wait\b | wait-for-service-stability:\s*true
      | url-health-check-action | wait_for_response | http-status
      | \bnewman\s+run\b | \bk6\s+run\b | \bplaywright\s+test\b | \bcypress\s+run\b
    ")
});

/// A `curl … | sh` installer is not a check of the deployment.
fn is_installer(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    (l.contains("curl") || l.contains("wget"))
        && (l.contains("| sh")
            || l.contains("| bash")
            || l.contains("|sh")
            || l.contains("install"))
}

/// Health checks that platforms gate a release on.
static FLY_CHECKS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^\s*\[\[(?:http_service\.checks|services\.http_checks|checks)\]\]|^\s*\[checks\.")
});
static RENDER_HEALTH_CHECK: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*healthCheckPath:"));
static KAMAL_HEALTH_CHECK: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s*healthcheck:"));

fn verification(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let all = jobs(index);
    let deploying = deploying_jobs(index);
    let mut found = Vec::new();
    for (d, ev) in deploying {
        let dj = &all[*d];
        // Where the job deploys: its first deploy line in the pipeline file.
        let at = ev
            .iter()
            .filter(|e| e.path == dj.path)
            .filter_map(|e| e.line)
            .min()
            .unwrap_or(dj.line);
        let deps = dependents(&all, *d);
        for (k, j) in all.iter().enumerate() {
            for c in &j.cmds {
                if !runs_after(&all, *d, at, k, c.line, &deps)
                    || is_placeholder_cmd(&c.text)
                    || is_installer(&c.text)
                {
                    continue;
                }
                if VERIFY.is_match(&c.text) {
                    found.push(Evidence::at(j.path, c.line).note(ci::shorten(c.text.trim())));
                }
            }
            for a in &j.actions {
                let waits = k == *d && a.input("wait-for-service-stability") == Some("true");
                if waits || (runs_after(&all, *d, at, k, a.line, &deps) && VERIFY.is_match(&a.name))
                {
                    found.push(Evidence::at(j.path, a.line).note(format!("uses {}", a.name)));
                }
            }
        }
        // Checks inside the deploy scripts themselves.
        for c in &dj.cmds {
            for x in resolved_cmds(index).run_by(c) {
                if VERIFY.is_match(&x.text)
                    && !is_placeholder_cmd(&x.text)
                    && !is_installer(&x.text)
                {
                    found.push(Evidence::at(&x.path, x.line).note(ci::shorten(&x.text)));
                }
            }
        }
    }
    // Tests triggered by a finished deployment (Vercel/Netlify/Render report deployment_status).
    for wf in index.workflows() {
        if let Some(t) = wf.trigger("deployment_status") {
            let runs = wf
                .run_lines()
                .any(|l| !is_placeholder_cmd(l.text) && !l.text.trim().is_empty());
            if runs {
                found.push(
                    Evidence::at(wf.path.clone(), t.line)
                        .note("runs checks when a deployment finishes"),
                );
            }
        }
    }
    // Platforms that gate a release on health checks.
    for f in index.text_files().filter(|f| own(f)) {
        let Some(t) = f.text() else { continue };
        let n = f.name();
        let gate = if n == "fly.toml" || (n.starts_with("fly.") && n.ends_with(".toml")) {
            first_match(
                &f.path,
                t,
                &FLY_CHECKS,
                "Fly.io holds the release on health checks",
            )
        } else if n == "render.yaml" {
            first_match(
                &f.path,
                t,
                &RENDER_HEALTH_CHECK,
                "Render switches traffic only after the health check passes",
            )
        } else if f.path == "config/deploy.yml" {
            first_match(
                &f.path,
                t,
                &KAMAL_HEALTH_CHECK,
                "Kamal switches traffic only after the health check passes",
            )
        } else {
            None
        };
        found.extend(gate);
    }
    if found.is_empty() {
        let msg = if deploying.is_empty() && !git_integrations(index).is_empty() {
            "the platform deploys outside CI and nothing checks a release once it is out (a \
             workflow on `deployment_status` can run smoke tests against it)"
        } else if deploying.is_empty() {
            "no automated deployment, so nothing checks a release once it is out"
        } else {
            "deploys are not followed by a smoke test or health check in the pipeline"
        };
        let anchor = deploying
            .first()
            .and_then(|(_, e)| e.first().cloned())
            .or_else(|| ci::anchor(index));
        return Outcome::fail(msg, anchor.into_iter().collect());
    }
    Outcome::pass(
        "the pipeline verifies deployments (smoke test / health check)",
        found,
    )
}

// ---------------------------------------------------------------------------------------------
// Rollback and progressive delivery

/// Deploy commands that roll back by themselves when the release fails.
static SELF_ROLLBACK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\bhelm\b[^\n]*\s--(?:atomic|rollback-on-failure)\b|--auto-rollback-configuration\b")
});
/// Commands that undo a release; automatic only when they run on failure.
static UNDO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bkubectl\b[^\n]*\brollout\s+undo\b|\bhelm\s+rollback\b|\b(?:kamal|mrsk)\s+rollback\b|\bheroku\s+(?:releases:)?rollback\b|\bvercel\s+rollback\b|\b(?:fly|flyctl)\s+releases\s+rollback\b|\bargocd\s+app\s+rollback\b|deploy:rollback\b",
    )
});
/// What a failure-only step runs to roll back.
static ROLLBACK_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)roll\s*back|rollout\s+undo|\bundo\b|\brevert\b|\bprevious\b|update-traffic|slot\s+swap",
    )
});
/// Configuration that rolls back a failed release automatically.
static ROLLBACK_CONFIG: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?ix)
        deployment_?circuit_?breaker[\s\S]{0,300}?rollback"?\s*[:=]\s*true
      | auto_?rollback_?configuration[\s\S]{0,300}?enabled"?\s*[:=]\s*true
      | (?m:^kind:\s*Rollout\s*$)
      | DeploymentPreference:[\s\S]{0,200}?Type:\s*\S*(?:Canary|Linear|AllAtOnce)
    "#)
});

const CONFIG_EXTS: &[&str] = &["yaml", "yml", "json", "tf", "hcl", "toml"];

fn rollback(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let all = jobs(index);
    let mut found = Vec::new();
    for j in &all {
        for c in &j.cmds {
            if is_placeholder_cmd(&c.text) {
                continue;
            }
            if SELF_ROLLBACK.is_match(&c.text) && !c.text.contains("--dry-run") {
                found.push(Evidence::at(j.path, c.line).note(ci::shorten(c.text.trim())));
            } else if c.on_failure
                && (ROLLBACK_WORDS.is_match(&c.text)
                    || UNDO.is_match(&c.text)
                    || DEPLOY_CMD.is_match(&c.text))
            {
                found.push(
                    Evidence::at(j.path, c.line)
                        .note(format!("on failure: {}", ci::shorten(c.text.trim()))),
                );
            } else if UNDO.is_match(&c.text) && c.text.contains("||") {
                // `kubectl rollout status … || kubectl rollout undo …`
                found.push(Evidence::at(j.path, c.line).note(ci::shorten(c.text.trim())));
            }
        }
        for a in j
            .actions
            .iter()
            .filter(|a| a.on_failure && action_deploys(a))
        {
            found.push(
                Evidence::at(j.path, a.line).note(format!("on failure: redeploys with {}", a.name)),
            );
        }
    }
    // Deploy scripts that undo their own release (`if ! kubectl rollout status …; then
    // kubectl rollout undo …`). A separate rollback script someone runs does not count.
    for (i, _) in deploying_jobs(index) {
        for c in &all[*i].cmds {
            let defs = resolved_cmds(index).run_by(c);
            for d in defs {
                let deploy_script = defs
                    .iter()
                    .any(|o| o.path == d.path && DEPLOY_CMD.is_match(&o.text));
                if SELF_ROLLBACK.is_match(&d.text) || (deploy_script && UNDO.is_match(&d.text)) {
                    found.push(Evidence::at(d.path.clone(), d.line).note(ci::shorten(&d.text)));
                }
            }
        }
    }
    for (f, text) in config_files(index, CONFIG_EXTS) {
        // Cheap literal checks first: most configuration files mention none of these.
        if ![
            "ircuit",
            "ollback",
            "Rollout",
            "DeploymentPreference",
            "flagger",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            continue;
        }
        found.extend(first_match(
            &f.path,
            text,
            &ROLLBACK_CONFIG,
            "rolls a failed release back automatically",
        ));
        if text.contains("flagger.app") {
            found.extend(first_match(
                &f.path,
                text,
                &FLAGGER_CANARY,
                "Flagger rolls back a canary that fails its analysis",
            ));
        }
    }
    if !found.is_empty() {
        return Outcome::pass("a failed deployment is rolled back automatically", found);
    }
    // A rollback someone has to start is worth naming, but it is not automatic.
    let manual: Vec<Evidence> = index
        .workflows()
        .iter()
        .filter(|w| {
            w.triggers_contain("workflow_dispatch")
                && (w.path.to_ascii_lowercase().contains("rollback")
                    || w.name
                        .as_deref()
                        .is_some_and(|n| n.to_ascii_lowercase().contains("rollback")))
        })
        .map(|w| Evidence::file(w.path.clone()).note("manual rollback workflow (started by hand)"))
        .collect();
    if !manual.is_empty() {
        return Outcome::fail(
            "rollback is a manual workflow: nothing rolls back a failed deploy by itself",
            manual,
        );
    }
    Outcome::fail(
        "no automated rollback: no helm --atomic, failure-triggered rollback step, ECS circuit \
         breaker, Argo Rollouts or Flagger",
        ci::anchor(index).into_iter().collect(),
    )
}

static PROGRESSIVE_CONFIG: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?ix)
        (?m:^kind:\s*(?:Rollout|Canary|TrafficSplit)\s*$)
      | nginx\.ingress\.kubernetes\.io/canary:\s*"?true
      | CodeDeployDefault\.\w*(?:Canary|Linear) | blue_green_deployment_config | BlueGreenDeploymentConfiguration
      | deployment_controller\s*\{[^}]*CODE_DEPLOY
      | DeploymentPreference:[\s\S]{0,200}?Type:\s*\S*(?:Canary|Linear)
      | (?m:^\s*strategy\s*=\s*["'](?:canary|bluegreen|blue-green)["'])
    "#)
});
static PROGRESSIVE_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bgcloud\b[^\n]*(?:\bupdate-traffic\b[^\n]*=[1-9][0-9]?(?:[^0-9]|$)|\s--no-traffic\b)|\bwrangler\s+versions\s+deploy\b|\baz\s+webapp\s+deployment\s+slot\s+swap\b|\bkubectl\s+argo\s+rollouts\b",
    )
});

static WEIGHT: LazyLock<Regex> = LazyLock::new(|| re(r"weight:"));

fn progressive(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let mut found = ci_runs(index, &PROGRESSIVE_CMD);
    for (f, text) in config_files(index, CONFIG_EXTS) {
        if ![
            "kind:",
            "anary",
            "lue",
            "BLUE",
            "CodeDeploy",
            "CODE_DEPLOY",
            "DeploymentPreference",
            "strategy",
            "weight:",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            continue;
        }
        found.extend(first_match(
            &f.path,
            text,
            &PROGRESSIVE_CONFIG,
            "canary / blue-green release",
        ));
        // Weighted routes between two versions: Istio VirtualService or Gateway API HTTPRoute.
        if matches!(f.ext(), "yaml" | "yml")
            && (text.contains("kind: VirtualService") || text.contains("kind: HTTPRoute"))
            && text.matches("weight:").count() >= 2
        {
            found.extend(first_match(
                &f.path,
                text,
                &WEIGHT,
                "weighted traffic split",
            ));
        }
    }
    Outcome::present(
        found,
        "releases are progressive (canary, blue-green or traffic splitting)",
        "every release goes to all users at once: no canary, blue-green or traffic splitting",
        ci::anchor(index),
    )
}

// ---------------------------------------------------------------------------------------------
// Database migrations

/// Paths that hold migrations of the common tools.
static MIGRATION_PATH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?:^|/)alembic\.ini$ | (?:^|/)(?:alembic|migrations)/versions/[^/]+\.py$
      | (?:^|/)migrations/\d{4}_[^/]+\.py$
      | (?:^|/)prisma/migrations/(?:[^/]+/migration\.sql|migration_lock\.toml)$
      | (?:^|/)db/migrate/\d+_[^/]+\.rb$
      | (?:^|/)db/migration/[VRU][^/]*__[^/]+\.sql$ | (?:^|/)flyway\.(?:conf|toml)$
      | (?:^|/)db\.changelog-master\.[a-z]+$ | (?:^|/)liquibase\.properties$
      | (?:^|/)Migrations/[^/]*ModelSnapshot\.cs$
      | (?:^|/)diesel\.toml$ | (?:^|/)atlas\.hcl$ | (?:^|/)sqitch\.plan$
      | (?:^|/)knexfile\.[jt]s$ | (?:^|/)\.sequelizerc$ | (?:^|/)drizzle\.config\.[jt]s$
      | (?:^|/)priv/repo/migrations/[^/]+\.exs$ | (?:^|/)database/migrations/[^/]+\.php$
      | (?:^|/)migrations?/[^/]+\.(?:sql|up\.sql)$ | (?:^|/)migrations?/[^/]+/(?:up|migration)\.sql$
    ")
});

/// Commands that apply migrations.
static MIGRATE_CMD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        \balembic\b[^\n]*\bupgrade\b | \bflask\s+db\s+upgrade\b
      | \b(?:manage\.py|django-admin)\b[^\n]*\bmigrate\b
      | \bprisma\s+migrate\s+(?:deploy|dev|reset)\b
      | \b(?:rails|rake)\s+db:(?:migrate|prepare)\b
      | \bflyway\b[^\n]*\bmigrate\b | flyway:migrate | \bflywayMigrate\b
      | \bliquibase\b[^\n]*\bupdate\b | liquibase:update
      | \bmigrate\b[^\n]*\s-(?:path|source|database)\b[^\n]*\bup\b
      | \bgoose\b[^\n]*\bup\b | \bdbmate\b[^\n]*\b(?:up|migrate)\b
      | \bdiesel\s+migration\s+run\b | \bsqlx\s+migrate\s+run\b | \bsea-orm-cli\s+migrate\b
      | \bdotnet\s+ef\s+database\s+update\b | \bknex\b[^\n]*\bmigrate:latest\b
      | \bsequelize(?:-cli)?\b[^\n]*\bdb:migrate\b | \btypeorm\b[^\n]*\bmigration:run\b
      | \bdrizzle-kit\s+migrate\b | \bnode-pg-migrate\b[^\n]*\bup\b | \bmikro-orm\b[^\n]*migration:up
      | \bmix\s+ecto\.migrate\b | \bphp\s+artisan\s+migrate\b | \batlas\s+migrate\s+apply\b
      | \bsqitch\s+deploy\b
    ")
});

static MIGRATE_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bmigrat(?:e|ion|ions)\b"));

/// Migration files of the project (first few, for evidence).
fn migration_files(index: &Index) -> Vec<Evidence> {
    index
        .files()
        .iter()
        .filter(|f| own(f) && MIGRATION_PATH.is_match(&f.path))
        .map(|f| Evidence::file(f.path.clone()))
        .collect()
}

fn migrations_in_ci(ctx: &Context) -> Outcome {
    let files = migration_files(ctx.index);
    let Some(first) = files.first().cloned() else {
        return Outcome::na("no database migrations in the repository");
    };
    let mut found = ci_runs(ctx.index, &MIGRATE_CMD);
    if found.is_empty() {
        found = django_test_migrations(ctx.index, &files);
    }
    Outcome::present(
        found,
        "CI applies the migrations, so a broken migration fails the pipeline",
        "CI never applies the migrations: a broken migration is found in production",
        Some(first.note("migrations live here")),
    )
}

/// Django's test runner (and pytest-django) builds the test database by applying every
/// migration, unless told not to: running the tests in CI tests the migrations.
fn django_test_migrations(index: &Index, files: &[Evidence]) -> Vec<Evidence> {
    let django = re(r"(?:^|/)migrations/\d{4}_[^/]+\.py$");
    if !files.iter().any(|f| django.is_match(&f.path)) {
        return Vec::new();
    }
    let skipped = ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"]
        .iter()
        .filter_map(|n| index.text(n))
        .any(|t| t.contains("--nomigrations") || t.contains("--no-migrations"));
    if skipped {
        return Vec::new();
    }
    ci_runs(
        index,
        &re(r"\bmanage\.py\s+test\b|\bpytest\b|\btox\b|\bnox\b"),
    )
    .into_iter()
    .filter(|e| {
        !e.note
            .as_deref()
            .is_some_and(|n| n.contains("--nomigrations") || n.contains("--no-migrations"))
    })
    .map(|e| {
        let note = format!(
            "{} (Django's test runner applies every migration)",
            e.note.as_deref().unwrap_or("")
        );
        e.note(note)
    })
    .collect()
}

/// Startup code that migrates (source code, seen through signals).
pub const MIGRATE_AT_STARTUP_SIGNAL: &str = "deploy-migrate-at-startup";

static MIGRAT: LazyLock<Regex> = LazyLock::new(|| re(r"migrat"));
/// package.json scripts that run on a platform's build or start and migrate.
static PACKAGE_SCRIPT_MIGRATES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#""(?:start|prestart|build|prebuild|postbuild|vercel-build|heroku-postbuild|release|postinstall|deploy|predeploy)"\s*:\s*"[^"\n]*\b(?:prisma\s+migrate\s+deploy|migrate)\b"#,
    )
});
static SPRING_MIGRATION_DEPS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"flyway-core|flyway-database|liquibase-core|spring-boot-starter-flyway|spring-boot-starter-liquibase",
    )
});

fn migrations_on_deploy(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let files = migration_files(index);
    let Some(first) = files.first().cloned() else {
        return Outcome::na("no database migrations in the repository");
    };
    let all = jobs(index);
    let mut found = Vec::new();
    // In a deploy job (one that deploys or targets an environment).
    let deploying = deploying_jobs(index);
    let deploy_ids: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(i, j)| {
            !j.environments.is_empty() || deploying.binary_search_by_key(i, |(d, _)| *d).is_ok()
        })
        .map(|(i, _)| i)
        .collect();
    for &i in &deploy_ids {
        let j = &all[i];
        for c in &j.cmds {
            // In a deploy job, a step naming migrations (`gcloud run jobs execute migrate`,
            // `aws ecs run-task … migrate`) applies them even with a tool we do not know.
            let named = MIGRATE_WORD.is_match(&c.text) && looks_like_command(&c.text);
            if (MIGRATE_CMD.is_match(&c.text) || named) && !is_placeholder_cmd(&c.text) {
                found.push(Evidence::at(j.path, c.line).note(ci::shorten(c.text.trim())));
            } else if let Some(d) = resolved_cmds(index)
                .run_by(c)
                .iter()
                .find(|d| MIGRATE_CMD.is_match(&d.text))
            {
                found.push(Evidence::at(&d.path, d.line).note(format!(
                    "{} (run by {}:{})",
                    ci::shorten(&d.text),
                    j.path,
                    c.line
                )));
            }
        }
    }
    // Release hooks of platforms.
    let hooks: &[(&str, &str)] = &[
        ("fly.toml", r"(?m)^\s*release_command\s*="),
        ("Procfile", r"(?m)^release:|^web:.*\b(?:migrate|upgrade)\b"),
        ("heroku.yml", r"(?m)^\s*release:"),
        ("render.yaml", r"(?m)^\s*preDeployCommand:"),
        ("railway.json", r#""preDeployCommand""#),
        ("railway.toml", r"(?m)^\s*preDeployCommand\s*="),
        (".platform.app.yaml", r"(?m)^\s*deploy:\s*\|?"),
        ("Capfile", r"capistrano/rails/migrations"),
    ];
    for (name, pattern) in hooks {
        // Compiled once, and only when the platform's file is there.
        let hook = OnceCell::new();
        for f in index.named(name).filter(|f| own(f)) {
            if let Some(t) = f.text() {
                found.extend(first_match(
                    &f.path,
                    t,
                    hook.get_or_init(|| re(pattern)),
                    "release hook runs before the new version goes live",
                ));
            }
        }
    }
    // Kubernetes/Helm/Argo hooks and init containers that migrate.
    for (f, text) in config_files(index, &["yaml", "yml"]) {
        let hooked = text.contains("helm.sh/hook")
            || text.contains("argocd.argoproj.io/hook")
            || text.contains("initContainers");
        if hooked && (MIGRATE_CMD.is_match(text) || text.contains("migrat")) {
            found.extend(first_match(
                &f.path,
                text,
                &MIGRAT,
                "deploy hook / init container runs the migrations",
            ));
        }
    }
    // Container start: CMD/ENTRYPOINT, or the entrypoint script it names.
    for df in index.dockerfiles() {
        for ins in df
            .instructions
            .iter()
            .filter(|i| i.keyword == "CMD" || i.keyword == "ENTRYPOINT")
        {
            let args = ins.args.as_str();
            if MIGRATE_CMD.is_match(args) {
                found.push(
                    Evidence::at(df.path.clone(), ins.line).note("the container migrates at start"),
                );
                continue;
            }
            for word in args
                .split(|c: char| c.is_whitespace() || c == '"' || c == ',' || c == '[' || c == ']')
            {
                let name = crate::index::file_name(word);
                if name.is_empty()
                    || !(name.contains("entrypoint")
                        || name.ends_with(".sh")
                        || name.contains("start"))
                {
                    continue;
                }
                for f in index.named(name).filter(|f| own(f)) {
                    if let Some(t) = f.text() {
                        found.extend(first_match(
                            &f.path,
                            t,
                            &MIGRATE_CMD,
                            "the container entrypoint migrates at start",
                        ));
                    }
                }
            }
        }
    }
    // package.json scripts that run when the app is built or started on the platform.
    for f in index.named("package.json").filter(|f| own(f)) {
        let Some(t) = f.text() else { continue };
        found.extend(first_match(
            &f.path,
            t,
            &PACKAGE_SCRIPT_MIGRATES,
            "migrations run when the app is built or started",
        ));
    }
    // Application code that migrates at startup.
    found.extend(
        index
            .signal_evidence(MIGRATE_AT_STARTUP_SIGNAL)
            .into_iter()
            .filter(|e| !vendored(&e.path))
            .map(|e| e.note("the application applies migrations at startup")),
    );
    // Spring Boot runs Flyway/Liquibase at startup when they are on the classpath.
    for name in ["pom.xml", "build.gradle", "build.gradle.kts"] {
        for f in index.named(name).filter(|f| own(f)) {
            if let Some(t) = f.text() {
                if t.contains("spring-boot") {
                    found.extend(first_match(
                        &f.path,
                        t,
                        &SPRING_MIGRATION_DEPS,
                        "Spring Boot applies migrations at startup",
                    ));
                }
            }
        }
    }
    if !found.is_empty() {
        return Outcome::pass(
            "migrations are applied automatically when a release goes out",
            found,
        );
    }
    let tested = ci_runs(index, &MIGRATE_CMD);
    let msg = match tested.first() {
        Some(t) => format!(
            "migrations are exercised in CI ({}:{}) but no deploy job, release hook or startup step applies them: someone runs them by hand",
            t.path,
            t.line.unwrap_or(0)
        ),
        None => "nothing applies the migrations on deploy: someone runs them by hand".to_string(),
    };
    Outcome::fail(msg, vec![first.note("migrations live here")])
}

// ---------------------------------------------------------------------------------------------
// Platform configuration as code

/// A Heroku app manifest (`app.json`). The name is generic (npm tooling, PWAs and Expo use it
/// too), so it is judged by Heroku's own keys. Shared with `iac-present`.
pub(super) fn is_heroku_app_json(name: &str, text: &str) -> bool {
    name == "app.json"
        && (text.contains("\"buildpacks\"")
            || text.contains("\"formation\"")
            || text.contains("\"addons\""))
}

fn platform_config(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let mut found = Vec::new();
    let exact: &[(&str, &str)] = &[
        ("vercel.json", "Vercel"),
        ("now.json", "Vercel"),
        ("netlify.toml", "Netlify"),
        ("render.yaml", "Render"),
        ("fly.toml", "Fly.io"),
        ("Procfile", "Heroku/Procfile"),
        ("heroku.yml", "Heroku"),
        ("scalingo.json", "Scalingo"),
        ("serverless.yml", "Serverless Framework"),
        ("serverless.yaml", "Serverless Framework"),
        ("serverless.ts", "Serverless Framework"),
        ("amplify.yml", "AWS Amplify"),
        ("apprunner.yaml", "AWS App Runner"),
        ("Dockerrun.aws.json", "Elastic Beanstalk"),
        ("railway.json", "Railway"),
        ("railway.toml", "Railway"),
        ("wrangler.toml", "Cloudflare Workers"),
        ("wrangler.json", "Cloudflare Workers"),
        ("wrangler.jsonc", "Cloudflare Workers"),
        ("Capfile", "Capistrano"),
        (".platform.app.yaml", "Platform.sh"),
        ("azure.yaml", "Azure Developer CLI"),
        ("skaffold.yaml", "Skaffold"),
        ("Chart.yaml", "Helm chart"),
        ("kustomization.yaml", "Kustomize"),
        ("kustomization.yml", "Kustomize"),
    ];
    for (name, what) in exact {
        for f in index.named(name).filter(|f| own(f)) {
            found.push(Evidence::file(f.path.clone()).note(*what));
        }
    }
    for f in index.text_files().filter(|f| own(f)) {
        let p = f.path.as_str();
        let n = f.name();
        let t = f.text().unwrap_or("");
        let what = if (n == "app.yaml" || n == "app.yml") && t.contains("runtime:") {
            Some("Google App Engine")
        } else if is_heroku_app_json(n, t) {
            Some("Heroku app.json")
        } else if p.starts_with(".do/") && (n == "app.yaml" || n == "deploy.template.yaml") {
            Some("DigitalOcean App Platform")
        } else if p.starts_with(".ebextensions/") || p == ".elasticbeanstalk/config.yml" {
            Some("Elastic Beanstalk")
        } else if p.starts_with("copilot/") && n == "manifest.yml" {
            Some("AWS Copilot")
        } else if p == "config/deploy.yml" && t.contains("service:") && t.contains("image:") {
            Some("Kamal")
        } else if n == "firebase.json" && t.contains("\"hosting\"") {
            Some("Firebase Hosting")
        } else if matches!(f.ext(), "json") && t.contains("\"containerDefinitions\"") {
            Some("ECS task definition")
        } else if matches!(f.ext(), "yaml" | "yml") && t.contains("serving.knative.dev") {
            Some("Cloud Run / Knative service")
        } else if matches!(f.ext(), "yaml" | "yml") && t.contains("Transform: AWS::Serverless") {
            Some("AWS SAM")
        } else if n.starts_with("fly.") && n.ends_with(".toml") && n != "fly.toml" {
            Some("Fly.io")
        } else if (n.starts_with("docker-compose.") || n.starts_with("compose."))
            && (n.contains("prod") || n.contains("production"))
        {
            Some("production compose file")
        } else {
            None
        };
        if let Some(w) = what {
            found.push(Evidence::file(p.to_string()).note(w));
        }
    }
    Outcome::present(
        found,
        "the deployment target is configured in the repository",
        "no platform configuration in the repository (fly.toml, render.yaml, vercel.json, Helm chart, \
         task definition…): the deploy target is configured by hand in a console",
        index.repo_anchor(),
    )
}

// ---------------------------------------------------------------------------------------------
// Registry

/// Versioned schema migrations by the conventions of the common migration tools.
fn is_migration(f: &IndexedFile) -> bool {
    let p = f.path.as_str();
    let dirs: Vec<&str> = p.split('/').collect();
    let parent = dirs.len().checked_sub(2).map_or("", |i| dirs[i]);
    let grandparent = dirs.len().checked_sub(3).map_or("", |i| dirs[i]);
    (grandparent == "alembic" && parent == "versions" && f.ext() == "py")
        || (f.name() == "migration_lock.toml")
        || (grandparent == "migrations" && f.name() == "migration.sql")
        || (grandparent == "db" && parent == "migrate" && f.ext() == "rb")
        || (parent == "migrations"
            && f.ext() == "py"
            && f.name().starts_with(|c: char| c.is_ascii_digit()))
        || (parent == "migrations" && matches!(f.ext(), "sql" | "js" | "ts"))
        || (parent == "migration" && f.ext() == "sql" && f.name().starts_with('V'))
        || (grandparent == "migrations" && f.name() == "up.sql")
        || (parent == "Migrations" && f.ext() == "cs")
        || f.name().starts_with("db.changelog")
}

fn migrations_versioned(ctx: &Context) -> Outcome {
    let found: Vec<Evidence> = ctx
        .index
        .files()
        .iter()
        .filter(|f| own(f) && is_migration(f))
        .map(|f| Evidence::file(f.path.clone()).note("versioned migration"))
        .collect();
    let databases = super::ci::schema_database_evidence(ctx.index);
    if found.is_empty() && databases.is_empty() {
        return Outcome::na("no database with a schema in use (key-value stores have none)");
    }
    let count = found.len();
    Outcome::present(
        found,
        format!("schema changes are versioned migrations ({count} file(s))"),
        "the app uses a database but has no versioned migrations: schema changes are applied by hand",
        databases.into_iter().next(),
    )
}

/// Documents about deploying and rolling back, by name or heading.
static DEPLOY_HEADING: LazyLock<crate::pattern::Gated> = LazyLock::new(|| {
    super::observability::gated(
        r"(?im)^#{1,4}\s+.*\b(?:deploy(?:ment|ing)?|roll\s?back|release process)\b",
    )
});

fn deployment_docs(ctx: &Context) -> Outcome {
    let mut found = Vec::new();
    for f in ctx
        .index
        .text_files()
        .filter(|f| own(f) && matches!(f.ext(), "md" | "rst" | "adoc" | "txt"))
    {
        let lower = f.name().to_ascii_lowercase();
        if lower.starts_with("deploy") || lower.contains("deployment") || lower.contains("rollback")
        {
            found.push(Evidence::file(f.path.clone()).note("deployment document"));
            continue;
        }
        if let Some(m) = f.text().and_then(|t| DEPLOY_HEADING.find(t)) {
            let text = f.text().unwrap_or("");
            found.push(
                Evidence::at(
                    f.path.clone(),
                    crate::rules::signals::line_of(text, m.start()),
                )
                .note(ci::shorten(m.as_str())),
            );
        }
    }
    Outcome::present(
        found,
        "deployment (and rollback) is documented",
        "no deployment documentation: how to ship and how to roll back lives in someone's head",
        ctx.index.repo_anchor(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "deploy-automated",
        title: "Deployments are automated",
        category: Category::Deployment,
        weight: 9,
        applies: Applies::SERVICE,
        rationale: "A deploy run by hand from someone's laptop is slow, unrepeatable and \
            undocumented; an automated pipeline makes every release the same tested path.",
        passes_when: "A CI job deploys or publishes (kubectl/helm/terraform apply, a platform CLI \
            such as flyctl/vercel/netlify/gcloud/az/aws, a deploy action, an image push), a GitOps \
            controller (Argo CD, Flux) deploys from the repository, or a git-connected platform \
            (Vercel, Netlify, Render, Amplify) is configured. Jobs that only echo do not count.",
        remediation: "Add a deploy job that runs after the tests on the main branch, using the \
            platform's CLI or official action with credentials from CI secrets.",
        snippet: Some("# .github/workflows/deploy.yml\nname: Deploy\non:\n  push:\n    branches: [main]\npermissions:\n  contents: read\nconcurrency:\n  group: deploy-production\n  cancel-in-progress: false\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    timeout-minutes: 20\n    environment: production\n    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n      - uses: superfly/flyctl-actions/setup-flyctl@fc53c09e1bc3be6f54706524e3b82c4f462f77be # 1.5\n      - run: flyctl deploy --remote-only\n        env:\n          FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(automated_deploy),
    },
    Rule {
        id: "deploy-environments",
        title: "Deployment environments are declared",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "A declared environment scopes secrets to the job that deploys, can require \
            approval before production and records a deployment history.",
        passes_when: "A CI job declares its environment (GitHub/GitLab/Azure `environment:`, \
            Bitbucket `deployment:`).",
        remediation: "Declare `environment: production` (and staging) on the deploy jobs and move \
            deploy secrets into those environments; add required reviewers to production.",
        snippet: Some("# .github/workflows/deploy.yml (deploy job)\n    environment:\n      name: production\n      url: https://app.example.com"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(environments),
    },
    Rule {
        id: "deploy-staging",
        title: "A staging or preview environment exists",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Releasing to a production-like environment first catches configuration, \
            migration and integration problems before users do.",
        passes_when: "A non-production environment is declared or deployed to (staging, preview, \
            QA, UAT, dev), environment overlays/values/tfvars exist for one, or the platform \
            builds previews (Vercel, Netlify, Render previews, Heroku review apps).",
        remediation: "Deploy every merge to a staging environment first and promote the same \
            artifact to production after checks pass.",
        snippet: Some("# .github/workflows/deploy.yml\njobs:\n  staging:\n    environment: staging\n    # deploy the image built for this commit\n  production:\n    needs: staging\n    environment: production"),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(staging),
    },
    Rule {
        id: "deploy-verification",
        title: "Deployments are verified after release",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "A deploy that reports success while the service is down is found by users; \
            a smoke test or health check right after the release finds it in minutes.",
        passes_when: "After a deploy step, the same pipeline runs a health check or smoke test \
            (curl --fail on a health URL, kubectl rollout status, helm --wait/test, ECS \
            services-stable, wait-on, smoke/e2e tests), a workflow runs on `deployment_status`, \
            or the platform gates the release on health checks (fly.toml checks, Render \
            healthCheckPath, Kamal healthcheck).",
        remediation: "Add a step after the deploy that polls the health endpoint and fails the \
            pipeline when it does not answer; for platforms that deploy on push (Vercel, Netlify, \
            Render), run the smoke tests from a workflow triggered by `deployment_status`.",
        snippet: Some("# .github/workflows/deploy.yml (after the deploy step)\n      - name: Smoke test\n        run: curl --fail --retry 10 --retry-delay 6 --retry-all-errors https://app.example.com/health"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(verification),
    },
    Rule {
        id: "deploy-rollback",
        title: "Failed deployments roll back automatically",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Time to restore is the DORA metric a rollback decides: a release that undoes \
            itself on failure turns an outage into a blip.",
        passes_when: "The deploy rolls back by itself (helm --atomic, kubectl rollout undo, a step \
            with `if: failure()` / `when: on_failure` that rolls back or redeploys), or the \
            platform does (ECS deployment circuit breaker with rollback, CodeDeploy auto-rollback, \
            Argo Rollouts, Flagger, SAM DeploymentPreference).",
        remediation: "Make the deploy atomic (helm --atomic, ECS circuit breaker) or add a rollback \
            step that runs when the post-deploy check fails.",
        snippet: Some("# .github/workflows/deploy.yml (after the smoke test)\n      - name: Roll back\n        if: failure()\n        run: helm rollback my-app 0 --wait"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(rollback),
    },
    Rule {
        id: "deploy-progressive",
        title: "Progressive delivery (canary / blue-green)",
        category: Category::Deployment,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "Exposing a release to a slice of traffic first limits the blast radius of a \
            bad change and makes the decision to continue data-driven.",
        passes_when: "Canary or blue-green configuration exists: Argo Rollouts, Flagger, SMI \
            TrafficSplit, NGINX canary annotations, weighted VirtualService/HTTPRoute, CodeDeploy \
            canary/linear/blue-green, SAM DeploymentPreference, fly.toml canary/bluegreen strategy, \
            Cloud Run traffic splitting, Azure slot swaps, Cloudflare gradual deployments.",
        remediation: "Start with a blue-green switch your platform supports (slots, Cloud Run \
            revisions, Fly bluegreen) before adopting analysis-driven canaries.",
        snippet: Some("# fly.toml\n[deploy]\n  strategy = \"bluegreen\""),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(progressive),
    },
    Rule {
        id: "deploy-migrations-tested",
        title: "CI applies the database migrations",
        category: Category::Deployment,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "Applying the migrations to a fresh database on every change proves they run \
            in order and match the models before they reach production.",
        passes_when: "Not applicable without migrations. Passes when any CI job runs the migration \
            tool (alembic upgrade, prisma migrate deploy, rails db:migrate, manage.py migrate, \
            flyway migrate, …), directly or through a make/npm script.",
        remediation: "Start a database service in CI and apply the migrations before the tests.",
        snippet: Some("# .github/workflows/ci.yml (test job, with a postgres service)\n      - name: Apply migrations\n        run: alembic upgrade head"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(migrations_in_ci),
    },
    Rule {
        id: "deploy-migrations-applied",
        title: "Migrations are applied by the release process",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Migrations run by hand get forgotten or run against the wrong database; \
            tying them to the release keeps schema and code in step.",
        passes_when: "Not applicable without migrations. Passes when a deploy job runs the \
            migrations, a release hook does (fly.toml release_command, Procfile `release:`, Render \
            preDeployCommand, Helm/Argo hook, init container), the container or app applies them \
            at start, or Spring Boot runs Flyway/Liquibase. A migration step in a test job does \
            not count here (see deploy-migrations-tested).",
        remediation: "Run the migrations as a release step that blocks the rollout when it fails.",
        snippet: Some("# fly.toml\n[deploy]\n  release_command = \"alembic upgrade head\""),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(migrations_on_deploy),
    },
    Rule {
        id: "deploy-platform-config",
        title: "Platform configuration is code",
        category: Category::Deployment,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Settings clicked together in a console drift, cannot be reviewed and are lost \
            with the account; a config file in the repository is versioned with the code.",
        passes_when: "A deploy-target configuration is committed: vercel.json, netlify.toml, \
            render.yaml, fly.toml, app.yaml (App Engine), Procfile/app.json/heroku.yml, scalingo.json, \
            serverless.yml, SAM template, Cloud Run/Knative service, ECS task definition, \
            amplify.yml, railway.json, wrangler.toml, Kamal config/deploy.yml, Helm chart, \
            Kustomize, Skaffold, App Runner, Copilot, Elastic Beanstalk.",
        remediation: "Export the platform settings into its configuration file and commit it.",
        snippet: Some("# render.yaml\nservices:\n  - type: web\n    name: api\n    runtime: docker\n    healthCheckPath: /health\n    autoDeploy: true"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(platform_config),
    },
    Rule {
        id: "deploy-migrations-versioned",
        title: "Schema changes are versioned migrations",
        category: Category::Deployment,
        weight: 5,
        applies: Applies::SERVICE,
        rationale: "Versioned migrations make every schema change reviewable, repeatable in each \
            environment and reversible; hand-applied changes drift between environments.",
        passes_when: "Migration files of a known tool exist: Alembic versions, Prisma migrations, \
            Rails db/migrate, Django migrations, Flyway V*__*.sql, Liquibase changelogs, \
            golang-migrate/goose/sqlx/diesel SQL, EF Core Migrations, knex/sequelize migrations.",
        remediation: "Adopt the migration tool of your stack and commit one migration per schema change.",
        snippet: None,
        snippets: &[
            (StackId::Node, "-- prisma/migrations/20250101000000_init/migration.sql (written by npx prisma migrate dev --name init)\nCREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY, \"email\" TEXT NOT NULL UNIQUE);"),
            (StackId::Python, "# alembic/versions/0001_create_users.py (uv add alembic && alembic init alembic && alembic revision --autogenerate -m \"create users\")\n\"\"\"create users\"\"\"\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = \"0001\"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table(\"users\", sa.Column(\"id\", sa.Integer, primary_key=True), sa.Column(\"email\", sa.String, nullable=False))\n\n\ndef downgrade():\n    op.drop_table(\"users\")"),
            (StackId::Go, "-- db/migrations/000001_create_users.up.sql (golang-migrate: migrate create -ext sql -dir db/migrations -seq create_users)\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE);"),
            (StackId::Rust, "-- migrations/20250101000000_create_users.sql (sqlx migrate add create_users; sqlx::migrate!() applies it)\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE);"),
            (StackId::Java, "-- src/main/resources/db/migration/V1__create_users.sql (Flyway: org.flywaydb:flyway-core runs it at startup)\nCREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE);"),
            (StackId::Ruby, "# db/migrate/20250101000000_create_users.rb (bin/rails generate migration CreateUsers email:string)\nclass CreateUsers < ActiveRecord::Migration[7.2]\n  def change\n    create_table :users do |t|\n      t.string :email, null: false\n      t.timestamps\n    end\n  end\nend"),
            (StackId::Dotnet, "// Migrations/AppDbContextModelSnapshot.cs (written with each migration by dotnet ef migrations add InitialCreate; commit Migrations/)\n[DbContext(typeof(AppDbContext))]\npartial class AppDbContextModelSnapshot : ModelSnapshot\n{\n    protected override void BuildModel(ModelBuilder modelBuilder) { /* generated */ }\n}"),
        ],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(migrations_versioned),
    },
    Rule {
        id: "deploy-docs",
        title: "Deployment and rollback documented",
        category: Category::Deployment,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "When the deploy breaks at 2 a.m., the steps to ship, verify and roll back \
            must be written down where the on-call engineer can find them.",
        passes_when: "A document named for deployment or rollback (DEPLOYMENT.md, \
            docs/deploy*.md, a deployment log) or a README/doc heading about deploying, rolling \
            back or the release process.",
        remediation: "Write down how to deploy, how to verify and how to roll back, next to the code.",
        snippet: Some("# docs/deployment.md\n## Deploy\n1. Merge to main; CI builds and pushes the image\n2. `make deploy ENV=production`\n## Verify\n`curl -f https://api.example.com/health`\n## Roll back\n`make rollback ENV=production VERSION=<previous tag>`"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(deployment_docs),
    },
];

pub const SIGNALS: &[Signal] = &[Signal {
    id: MIGRATE_AT_STARTUP_SIGNAL,
    files: &["**/*.{py,go,rs,cs,js,mjs,cjs,ts,mts}"],
    pattern: r"(?-u:\b)command\.upgrade\(|\.Database\.Migrate(?:Async)?\(|(?-u:\b)migrate\.New(?:WithDatabaseInstance|WithSourceInstance)?\(|(?-u:\b)goose\.Up(?:Context)?\(|(?-u:\b)sqlx::migrate!\(|(?-u:\b)run_pending_migrations\(|(?-u:\b)knex\.migrate\.latest\(|\.runMigrations\(|(?-u:\b)migrationsRun:\s*true",
    skip_tests: true,
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SVC: (&str, &str) = (
        "Dockerfile",
        "FROM python:3.12\nCMD [\"python\", \"app.py\"]\n",
    );

    fn wf(path: &'static str, text: &'static str) -> (&'static str, &'static str) {
        (path, text)
    }

    #[test]
    fn deploy_command_in_a_workflow_passes_with_its_line() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/deploy.yml",
                    "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: flyctl deploy --remote-only\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, ".github/workflows/deploy.yml");
        assert_eq!(o.evidence[0].line, Some(7));
    }

    #[test]
    fn compose_up_on_a_self_hosted_deploy_runner_is_a_deployment() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/deploy-staging.yml",
                    "name: Deploy to Staging\non: push\njobs:\n  deploy:\n    runs-on: [self-hosted, staging]\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker compose -f compose.yml build\n      - run: docker compose -f compose.yml up -d\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(9));
        // The same command on a hosted runner, or in a self-hosted test job, starts test
        // dependencies.
        for (runs_on, name) in [("ubuntu-latest", "Deploy"), ("[self-hosted]", "Tests")] {
            let text = format!(
                "name: {name}\non: push\njobs:\n  job:\n    runs-on: {runs_on}\n    steps:\n      - run: docker compose up -d\n"
            );
            let text: &'static str = Box::leak(text.into_boxed_str());
            assert_fail(r, &[SVC, wf(".github/workflows/x.yml", text)]);
        }
    }

    #[test]
    fn placeholder_deploy_job_fails_and_says_so() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: echo \"Deploying to production...\"\n",
                ),
            ],
        );
        assert!(o.message.contains("only prints"), "{}", o.message);
        assert_eq!(o.evidence[0].line, Some(7));
    }

    #[test]
    fn no_deploy_fails_anchored_at_ci_and_libraries_are_na() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: pytest\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, ".github/workflows/ci.yml");
        assert_na(
            r,
            &[
                ("Cargo.toml", "[package]\nname = \"x\"\n"),
                ("src/lib.rs", ""),
            ],
        );
    }

    #[test]
    fn deploy_through_a_make_target_and_a_push_action() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_pass(
            r,
            &[
                SVC,
                (".gitlab-ci.yml", "deploy:\n  stage: deploy\n  script:\n    - make release\n"),
                ("Makefile", "release: build\n\thelm upgrade --install app ./chart\nbuild:\n\tdocker build .\n"),
            ],
        );
        assert!(cites(&o, "Makefile", 2), "{o:?}");
        assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/img.yml",
                    "on: push\njobs:\n  img:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: ${{ github.event_name != 'pull_request' }}\n",
                ),
            ],
        );
        // Building without pushing is not a deploy.
        assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/img.yml",
                    "on: push\njobs:\n  img:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: false\n",
                ),
            ],
        );
    }

    #[test]
    fn gitops_applications_and_flagger_canaries() {
        let argo = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    path: k8s\n";
        let o = assert_pass(
            rule(RULES, "deploy-automated"),
            &[SVC, ("deploy/argo/app.yaml", argo)],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        let flagger =
            "apiVersion: flagger.app/v1beta1\nkind: Canary\nspec:\n  analysis:\n    threshold: 5\n";
        let o = assert_pass(
            rule(RULES, "deploy-rollback"),
            &[SVC, ("k8s/canary.yaml", flagger)],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        // A Backstage or other `kind: Application` without Argo CD is not GitOps.
        assert_fail(
            rule(RULES, "deploy-automated"),
            &[
                SVC,
                (
                    "catalog.yaml",
                    "apiVersion: backstage.io/v1\nkind: Application\n",
                ),
            ],
        );
    }

    #[test]
    fn shared_deploy_workflows_count_and_are_not_placeholders() {
        let r = rule(RULES, "deploy-automated");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/cd.yml",
                    "on: push\njobs:\n  deploy:\n    uses: acme/platform/.github/workflows/deploy-service.yml@v3\n    with:\n      service: api\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(4));
        // A local composite action may deploy: not called a placeholder.
        let o = assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/cd.yml",
                    "on: push\njobs:\n  deploy:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/ship\n",
                ),
            ],
        );
        assert!(!o.message.contains("only prints"), "{}", o.message);
        // … and when the composite action deploys, the job deploys.
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/cd.yml",
                    "on: push\njobs:\n  deploy:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/ship\n",
                ),
                (
                    ".github/actions/ship/action.yml",
                    "name: ship\nruns:\n  using: composite\n  steps:\n    - run: flyctl deploy --remote-only\n      shell: bash\n",
                ),
            ],
        );
        assert!(cites(&o, ".github/actions/ship/action.yml", 5), "{o:?}");
    }

    #[test]
    fn applying_manifests_to_a_throwaway_cluster_is_not_a_deploy() {
        let r = rule(RULES, "deploy-automated");
        assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/e2e.yml",
                    "on: push\njobs:\n  e2e:\n    runs-on: x\n    steps:\n      - uses: helm/kind-action@v1\n      - run: kubectl apply -f k8s/\n      - run: helm install app ./chart\n",
                ),
            ],
        );
    }

    #[test]
    fn environments_are_read_from_jobs() {
        let r = rule(RULES, "deploy-environments");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    environment:\n      name: production\n    steps:\n      - run: make deploy\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(5));
        assert_pass(
            r,
            &[
                SVC,
                (
                    ".gitlab-ci.yml",
                    "prod:\n  script: [\"./deploy.sh\"]\n  environment: production\n",
                ),
            ],
        );
        // CircleCI `environment:` is variables, not a deployment environment.
        assert_fail(
            r,
            &[
                SVC,
                (
                    ".circleci/config.yml",
                    "jobs:\n  t:\n    environment:\n      FOO: bar\n",
                ),
            ],
        );
    }

    #[test]
    fn staging_from_environment_names_files_and_previews() {
        let r = rule(RULES, "deploy-staging");
        assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    environment: staging\n    steps:\n      - run: make deploy\n",
                ),
            ],
        );
        let o = assert_pass(
            r,
            &[
                SVC,
                ("k8s/overlays/staging/kustomization.yaml", "resources: []\n"),
            ],
        );
        assert_eq!(
            o.evidence[0].path,
            "k8s/overlays/staging/kustomization.yaml"
        );
        assert_pass(r, &[("vercel.json", "{}"), ("package.json", "{}")]);
        // Production only; a local compose for development is not an environment.
        assert_fail(
            r,
            &[
                SVC,
                ("docker-compose.dev.yml", "services: {}\n"),
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    environment: production\n    steps:\n      - run: flyctl deploy\n",
                ),
            ],
        );
    }

    #[test]
    fn verification_after_the_deploy_step() {
        let r = rule(RULES, "deploy-verification");
        let deploy = "on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: curl -fsSL https://fly.io/install.sh | sh\n      - run: flyctl deploy\n      - run: curl --fail --retry 5 https://app.example.com/health\n";
        let o = assert_pass(r, &[SVC, wf(".github/workflows/d.yml", deploy)]);
        assert_eq!(o.evidence[0].line, Some(8));
        // A check before the deploy (the installer) does not verify it.
        let o = assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: curl -fsSL https://fly.io/install.sh | sh\n      - run: flyctl deploy\n",
                ),
            ],
        );
        assert!(o.message.contains("not followed"), "{}", o.message);
        assert_pass(
            r,
            &[
                SVC,
                (
                    "fly.toml",
                    "app = \"x\"\n[[http_service.checks]]\n  path = \"/health\"\n",
                ),
            ],
        );
    }

    #[test]
    fn verification_in_a_later_job_or_stage() {
        let r = rule(RULES, "deploy-verification");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  smoke:\n    needs: deploy\n    runs-on: x\n    steps:\n      - run: npm run test:smoke\n  deploy:\n    runs-on: x\n    steps:\n      - run: vercel deploy --prod\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(7));
        // GitLab: a job written after the deploy job but in an earlier stage runs before it.
        let gl = "stages: [test, deploy, verify]\ndeploy:\n  stage: deploy\n  script:\n    - kubectl apply -f k8s/\ne2e:\n  stage: test\n  script:\n    - npx playwright test\n";
        assert_fail(r, &[SVC, (".gitlab-ci.yml", gl)]);
        let gl = "stages: [test, deploy, verify]\ndeploy:\n  stage: deploy\n  script:\n    - kubectl apply -f k8s/\ncheck:\n  stage: verify\n  script:\n    - curl --fail https://app.example.com/healthz\n";
        let o = assert_pass(r, &[SVC, (".gitlab-ci.yml", gl)]);
        assert_eq!(o.evidence[0].line, Some(9));
    }

    #[test]
    fn rollback_on_failure_atomic_or_platform() {
        let r = rule(RULES, "deploy-rollback");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: kubectl apply -f k8s/\n      - run: ./smoke.sh\n      - name: Roll back\n        if: failure()\n        run: kubectl rollout undo deployment/app\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(10));
        assert_pass(r, &[SVC, (".gitlab-ci.yml", "d:\n  script:\n    - helm upgrade --install app ./chart --atomic --timeout 5m\n")]);
        assert_pass(
            r,
            &[SVC, ("infra/ecs.tf", "resource \"aws_ecs_service\" \"app\" {\n  deployment_circuit_breaker {\n    enable   = true\n    rollback = true\n  }\n}\n")],
        );
        // A rollback command that always runs is not a failure-triggered rollback.
        let o = assert_fail(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/rollback.yml",
                    "name: Rollback\non: workflow_dispatch\njobs:\n  r:\n    runs-on: x\n    steps:\n      - run: helm rollback app 0\n",
                ),
            ],
        );
        assert!(o.message.contains("manual"), "{}", o.message);
    }

    #[test]
    fn progressive_delivery_from_rollouts_or_fly_strategy() {
        let r = rule(RULES, "deploy-progressive");
        let o = assert_pass(
            r,
            &[SVC, ("k8s/rollout.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  strategy:\n    canary: {}\n")],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert_pass(
            r,
            &[SVC, ("fly.toml", "[deploy]\n  strategy = \"canary\"\n")],
        );
        assert_fail(
            r,
            &[
                SVC,
                (
                    "k8s/deploy.yaml",
                    "kind: Deployment\nspec:\n  strategy:\n    type: RollingUpdate\n",
                ),
            ],
        );
    }

    const AGENT_CI: &str = "on: push\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: uv sync\n      - name: Migrations\n        run: uv run alembic upgrade head\n      - run: pytest\n";

    #[test]
    fn traffic_shifts_split_or_not() {
        let r = rule(RULES, "deploy-progressive");
        let wf_with = |cmd: &str| {
            format!("on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: {cmd}\n")
        };
        let split = wf_with("gcloud run services update-traffic api --to-revisions=api-2=10");
        assert_pass(r, &[SVC, (".github/workflows/d.yml", &split)]);
        let all_back = wf_with("gcloud run services update-traffic api --to-revisions=LATEST=0");
        assert_fail(r, &[SVC, (".github/workflows/d.yml", &all_back)]);
    }

    #[test]
    fn helm_wait_in_a_deploy_script_verifies_the_release() {
        let r = rule(RULES, "deploy-verification");
        let o = assert_pass(
            r,
            &[
                SVC,
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: make deploy\n",
                ),
                (
                    "Makefile",
                    "deploy:\n\thelm upgrade --install app ./chart --wait\n",
                ),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("Makefile", Some(2))
        );
    }

    #[test]
    fn migrations_tested_in_ci_or_na_without_migrations() {
        let r = rule(RULES, "deploy-migrations-tested");
        let files = [
            SVC,
            ("alembic.ini", "[alembic]\n"),
            ("alembic/versions/0001_init.py", "def upgrade(): pass\n"),
            wf(".github/workflows/ci.yml", AGENT_CI),
        ];
        let o = assert_pass(r, &files);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".github/workflows/ci.yml", Some(8))
        );
        assert_fail(r, &files[..3]);
        assert_na(r, &[SVC, wf(".github/workflows/ci.yml", AGENT_CI)]);
    }

    #[test]
    fn django_tests_apply_migrations_unless_disabled() {
        let r = rule(RULES, "deploy-migrations-tested");
        let files = [
            ("manage.py", "import django\n"),
            (
                "shop/migrations/0001_initial.py",
                "from django.db import migrations\n",
            ),
            wf(
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest -q\n",
            ),
        ];
        let o = assert_pass(r, &files);
        assert_eq!(o.evidence[0].line, Some(6));
        let mut off = files.to_vec();
        off.push(("pytest.ini", "[pytest]\naddopts = --nomigrations\n"));
        assert_fail(r, &off);
    }

    #[test]
    fn migrations_in_a_test_job_are_not_applied_on_deploy() {
        let r = rule(RULES, "deploy-migrations-applied");
        let files = [
            SVC,
            ("alembic/versions/0001_init.py", "def upgrade(): pass\n"),
            wf(".github/workflows/ci.yml", AGENT_CI),
        ];
        let o = assert_fail(r, &files);
        assert!(o.message.contains("ci.yml:8"), "{}", o.message);
        assert_eq!(o.evidence[0].path, "alembic/versions/0001_init.py");
        let o = assert_pass(
            r,
            &[
                SVC,
                ("alembic/versions/0001_init.py", ""),
                (
                    "fly.toml",
                    "app = \"x\"\n[deploy]\n  release_command = \"alembic upgrade head\"\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_pass(
            r,
            &[
                SVC,
                ("prisma/migrations/migration_lock.toml", ""),
                wf(
                    ".github/workflows/d.yml",
                    "on: push\njobs:\n  d:\n    runs-on: x\n    environment: production\n    steps:\n      - run: npx prisma migrate deploy\n",
                ),
            ],
        );
    }

    #[test]
    fn platform_config_files() {
        let r = rule(RULES, "deploy-platform-config");
        let o = assert_pass(r, &[SVC, ("render.yaml", "services: []\n")]);
        assert_eq!(o.evidence[0].path, "render.yaml");
        assert_pass(r, &[SVC, ("deploy/app.yaml", "runtime: python312\n")]);
        assert_fail(r, &[SVC, ("app.yaml", "name: not-app-engine\n")]);
        let o = assert_pass(
            r,
            &[
                SVC,
                ("app.json", "{\n  \"addons\": [\"heroku-postgresql\"]\n}\n"),
            ],
        );
        assert_eq!(o.evidence[0].note.as_deref(), Some("Heroku app.json"));
        let o = assert_pass(r, &[SVC, ("scalingo.json", "{\n  \"scripts\": {}\n}\n")]);
        assert_eq!(o.evidence[0].note.as_deref(), Some("Scalingo"));
        assert_fail(r, &[SVC, ("app.json", "{\n  \"expo\": {}\n}\n")]);
    }

    #[test]
    fn resolver_follows_make_npm_and_shell_scripts() {
        let idx = Index::from_files(&[
            (
                "Makefile",
                "VAR := a:b\ndeploy: push\n\t@./scripts/go.sh\npush:\n\tdocker push x\n",
            ),
            (
                "scripts/go.sh",
                "#!/bin/sh\n# comment\nkubectl apply -f k8s\n",
            ),
            (
                "package.json",
                "{\n  \"scripts\": {\n    \"ship\": \"make deploy\"\n  }\n}\n",
            ),
        ]);
        let r = Resolver::new(&idx);
        let defs = r.invoked_in("pnpm run ship", "");
        let paths: Vec<(&str, u32)> = defs.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert!(paths.contains(&("package.json", 3)), "{paths:?}");
        assert!(paths.contains(&("Makefile", 5)), "{paths:?}");
        assert!(paths.contains(&("scripts/go.sh", 3)), "{paths:?}");
        assert!(r.invoked_in("npm ci", "").is_empty());

        // A script path is relative to the step's working directory.
        let idx = Index::from_files(&[(
            "backend/scripts/prestart.sh",
            "#!/bin/bash\nalembic upgrade head\n",
        )]);
        let r = Resolver::new(&idx);
        let defs = r.invoked_in("bash scripts/prestart.sh", "backend");
        assert_eq!(
            defs.iter()
                .map(|d| (d.path.as_str(), d.line))
                .collect::<Vec<_>>(),
            [("backend/scripts/prestart.sh", 2)]
        );
        assert!(r.invoked_in("bash scripts/prestart.sh", "").is_empty());

        // A tox env runs its own commands, not its neighbours'.
        let idx = Index::from_files(&[(
            "tox.ini",
            "[testenv]\ncommands = pytest\n\n[testenv:audit]\ncommands = pip-audit --strict\n\n[testenv:lint]\ncommands = ruff check .\n",
        )]);
        let r = Resolver::new(&idx);
        let texts = |cmd: &str| -> Vec<String> {
            r.invoked_in(cmd, "")
                .into_iter()
                .map(|d| format!("{}:{} {}", d.path, d.line, d.text))
                .collect()
        };
        assert_eq!(
            texts("make x && uvx tox -e audit"),
            ["tox.ini:5 pip-audit --strict"]
        );
        assert_eq!(texts("tox -e lint"), ["tox.ini:8 ruff check ."]);
    }

    #[test]
    fn resolved_cmds_match_a_fresh_resolution_of_each_ci_command() {
        let idx = Index::from_files(&[
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make deploy\n      - run: bash scripts/prestart.sh\n        working-directory: backend\n      - run: bash scripts/prestart.sh\n      - run: npm run ship\n",
            ),
            (
                ".gitlab-ci.yml",
                "deploy:\n  stage: deploy\n  script:\n    - make deploy\n",
            ),
            ("Makefile", "deploy:\n\tkubectl apply -f k8s\n"),
            (
                "backend/scripts/prestart.sh",
                "#!/bin/bash\nalembic upgrade head\n",
            ),
            (
                "package.json",
                "{\n  \"scripts\": {\n    \"ship\": \"make deploy\"\n  }\n}\n",
            ),
        ]);
        let fresh = Resolver::new(&idx);
        let cmds: Vec<Cmd> = jobs(&idx).into_iter().flat_map(|j| j.cmds).collect();
        let mut resolved = 0;
        for c in &cmds {
            let cached = resolved_cmds(&idx).run_by(c);
            assert_eq!(cached, fresh.invoked_in(&c.text, &c.dir), "{c:?}");
            resolved += usize::from(!cached.is_empty());
        }
        // make deploy (twice), the backend script, npm run ship.
        assert_eq!(resolved, 4, "{cmds:?}");
    }

    #[test]
    fn placeholder_commands() {
        assert!(is_placeholder_cmd("echo \"Deploying...\" && sleep 5"));
        assert!(is_placeholder_cmd("run: echo deploy"));
        assert!(!is_placeholder_cmd("echo ok && flyctl deploy"));
    }

    #[test]
    fn patterns_compile() {
        for r in [
            &*DEPLOY_CMD,
            &*VERIFY,
            &*SELF_ROLLBACK,
            &*ROLLBACK_WORDS,
            &*ROLLBACK_CONFIG,
            &*PROGRESSIVE_CONFIG,
            &*PROGRESSIVE_CMD,
            &*MIGRATION_PATH,
            &*MIGRATE_CMD,
            &*ARGO_APP,
            &*FLUX,
            &*FLAGGER_CANARY,
            &*NONPROD_ENV,
            &*NONPROD_LABEL,
            &*NONPROD_FILE,
            &*MAKE_CALL,
            &*PM_CALL,
            &*SHELL_CALL,
            &*AZURE_ENV,
            &*DEPLOYISH,
            &*RENDER_PREVIEWS,
            &*HEROKU_REVIEW_APPS,
            &*FLY_CHECKS,
            &*RENDER_HEALTH_CHECK,
            &*KAMAL_HEALTH_CHECK,
            &*WEIGHT,
            &*MIGRAT,
            &*PACKAGE_SCRIPT_MIGRATES,
            &*SPRING_MIGRATION_DEPS,
        ] {
            assert_ne!(r.as_str(), r"[^\s\S]");
            crate::pattern::regex(r.as_str()).unwrap();
        }
    }
    #[test]
    fn migrations_versioned_by_tool_convention() {
        let r = rule(RULES, "deploy-migrations-versioned");
        let svc = ("Procfile", "web: x\n");
        let o = assert_pass(
            r,
            &[
                svc,
                ("requirements.txt", "sqlalchemy\n"),
                ("alembic/versions/001_init.py", "x\n"),
                ("alembic/env.py", "x\n"),
            ],
        );
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(o.evidence[0].path, "alembic/versions/001_init.py");
        assert_pass(
            r,
            &[
                svc,
                ("prisma/migrations/migration_lock.toml", "x\n"),
                ("prisma/migrations/2024_init/migration.sql", "x\n"),
            ],
        );
        let o = assert_fail(r, &[svc, ("requirements.txt", "psycopg2\n")]);
        assert_eq!(o.evidence[0].path, "requirements.txt");
        assert_na(r, &[svc, ("requirements.txt", "flask\n")]);
        // A cache has no schema (podinfo uses Redis through redigo) ...
        assert_na(
            r,
            &[
                svc,
                (
                    "go.mod",
                    "module x\n\nrequire github.com/gomodule/redigo v1.8.9\n",
                ),
            ],
        );
        // ... but a cache next to a relational database still needs migrations.
        let o = assert_fail(
            r,
            &[
                svc,
                (
                    "go.mod",
                    "module x\n\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.0.0\n\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(5));
    }

    #[test]
    fn deployment_docs_by_name_or_heading() {
        let r = rule(RULES, "deploy-docs");
        let svc = ("Procfile", "web: x\n");
        assert_pass(r, &[svc, (".docs/deployment-log.md", "# Log\n")]);
        let o = assert_pass(
            r,
            &[
                svc,
                ("README.md", "# App\n\n## Deploying to production\nrun x\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(r, &[svc, ("README.md", "# App\nWe deploy sometimes.\n")]);
    }
}
