//! GitHub Actions workflows with positions: triggers, permissions, jobs and steps, each with
//! the line users look at, and the lines of every `run:` script as they are in the file.
//!
//! Built from our positioned YAML tree ([`super::yaml`]). A workflow that does not parse is
//! kept with `error` set: rules can say "this workflow could not be read" instead of
//! silently treating it as absent.

use super::yaml::{Node, Value};
use crate::index::Index;

/// One `.github/workflows/*.yml|yaml` file.
#[derive(Debug, Clone, Default)]
pub struct Workflow {
    pub path: String,
    /// Why the file could not be modelled (YAML syntax error, not a mapping); the rest is empty.
    pub error: Option<String>,
    pub name: Option<String>,
    /// Line of the `on:` key.
    pub on_line: Option<u32>,
    pub triggers: Vec<Trigger>,
    pub permissions: Option<Permissions>,
    pub concurrency: Option<Concurrency>,
    pub env: Vec<EnvVar>,
    /// Line of the `jobs:` key.
    pub jobs_line: Option<u32>,
    pub jobs: Vec<Job>,
}

/// Events that run a workflow for pull requests, in the order evidence prefers them.
pub const PR_EVENTS: &[&str] = &["pull_request", "pull_request_target", "merge_group"];

/// An event under `on:` (`on: push`, `on: [push, pull_request]` or `on: {push: {...}}`).
#[derive(Debug, Clone)]
pub struct Trigger {
    pub event: String,
    pub line: u32,
    /// The event's configuration (`branches:`, `types:` …) when `on:` is a mapping.
    pub config: Option<Node>,
}

/// `permissions:` of a workflow or a job.
#[derive(Debug, Clone, PartialEq)]
pub struct Permissions {
    /// Line of the `permissions:` key.
    pub line: u32,
    pub kind: PermissionsKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PermissionsKind {
    WriteAll,
    ReadAll,
    /// Scope → level (`contents: read`), each with the line of its key. `{}` is an empty map.
    Scopes(Vec<(String, String, u32)>),
    /// Anything else (an expression, a typo): kept as written.
    Other(String),
}

impl Permissions {
    pub fn is_write_all(&self) -> bool {
        self.kind == PermissionsKind::WriteAll
    }

    /// Scopes granted `write`, with their lines (`write-all` counts as one, on the key line).
    pub fn writes(&self) -> Vec<(&str, u32)> {
        match &self.kind {
            PermissionsKind::WriteAll => vec![("write-all", self.line)],
            PermissionsKind::Scopes(s) => s
                .iter()
                .filter(|(_, level, _)| level == "write")
                .map(|(scope, _, line)| (scope.as_str(), *line))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// `concurrency:` as a group string or a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Concurrency {
    pub line: u32,
    pub group: Option<String>,
    /// `cancel-in-progress` as written (`true`, or an expression) and its line.
    pub cancel_in_progress: Option<(String, u32)>,
}

impl Concurrency {
    /// True unless `cancel-in-progress` is absent or literally false.
    pub fn cancels(&self) -> bool {
        match &self.cancel_in_progress {
            Some((v, _)) => !matches!(v.trim(), "false" | "False" | "FALSE" | ""),
            None => false,
        }
    }
}

/// One variable of an `env:` mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    pub key: String,
    /// The value when it is a scalar.
    pub value: Option<String>,
    pub line: u32,
}

/// A `uses:` reference (of a step or of a job calling a reusable workflow).
#[derive(Debug, Clone, PartialEq)]
pub struct Uses {
    pub value: String,
    /// Line of the `uses:` key.
    pub line: u32,
}

impl Uses {
    /// `./path` actions and workflows of this repository.
    pub fn is_local(&self) -> bool {
        self.value.starts_with("./")
    }

    pub fn is_docker(&self) -> bool {
        self.value.starts_with("docker://")
    }

    /// `owner/repo[/path]` without the ref (the image for `docker://`).
    pub fn action(&self) -> &str {
        match self.value.rsplit_once('@') {
            Some((a, _)) if !self.is_docker() => a,
            _ => &self.value,
        }
    }

    /// The ref after `@` (tag, branch or SHA); None for local and docker references.
    pub fn git_ref(&self) -> Option<&str> {
        if self.is_local() || self.is_docker() {
            return None;
        }
        self.value.rsplit_once('@').map(|(_, r)| r)
    }

    /// The owner (`actions` in `actions/checkout@v4`), lower-cased comparisons are up to callers.
    pub fn owner(&self) -> &str {
        self.action().split('/').next().unwrap_or("")
    }

    /// `owner/repo` (without a sub-path), for matching known actions.
    pub fn repo(&self) -> String {
        let mut parts = self.action().split('/');
        match (parts.next(), parts.next()) {
            (Some(o), Some(r)) => format!("{o}/{r}").to_ascii_lowercase(),
            (Some(o), None) => o.to_ascii_lowercase(),
            _ => String::new(),
        }
    }

    /// Pinned to an immutable version: a full 40-hex commit SHA, or a docker image digest.
    pub fn is_pinned(&self) -> bool {
        if self.is_docker() {
            return self.value.contains("@sha256:");
        }
        self.git_ref().is_some_and(is_full_sha)
    }

    /// Maintained by GitHub itself (`actions/*`, `github/*`).
    pub fn is_first_party(&self) -> bool {
        let o = self.owner().to_ascii_lowercase();
        o == "actions" || o == "github"
    }
}

/// A 40-hex-digit git commit id.
pub fn is_full_sha(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub image: Option<String>,
    /// Line of the service's key under `services:`.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub image: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    /// Line of the job's key under `jobs:`.
    pub line: u32,
    pub name: Option<String>,
    pub runs_on: Vec<String>,
    pub runs_on_line: Option<u32>,
    /// `timeout-minutes` as written and the line of its key.
    pub timeout_minutes: Option<(String, u32)>,
    pub permissions: Option<Permissions>,
    pub environment: Option<Environment>,
    pub services: Vec<Service>,
    /// Line of the `services:` key.
    pub services_line: Option<u32>,
    pub container: Option<Container>,
    /// A call to a reusable workflow (`jobs.<id>.uses`).
    pub uses: Option<Uses>,
    /// Inputs of a reusable workflow call.
    pub with: Option<Node>,
    pub if_cond: Option<(String, u32)>,
    pub needs: Vec<String>,
    pub concurrency: Option<Concurrency>,
    pub env: Vec<EnvVar>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// Line where the step begins (its first key, after `- `).
    pub line: u32,
    pub id: Option<String>,
    pub name: Option<String>,
    pub uses: Option<Uses>,
    pub run: Option<Run>,
    pub with: Option<Node>,
    /// Each scalar input of `with:` with its file lines, like `run` (github-script's `script`,
    /// the `command` of wrapper actions).
    pub inputs: Vec<(String, Run)>,
    pub env: Vec<EnvVar>,
    pub if_cond: Option<(String, u32)>,
    /// Where `run:` runs: the step's `working-directory`, else the job's, else the workflow's
    /// `defaults.run.working-directory`; as written (None: the workspace root).
    pub working_directory: Option<String>,
}

impl Step {
    /// A scalar input of `with:` (`cache`, `enable-cache`, `ref` …).
    pub fn with_str(&self, key: &str) -> Option<&str> {
        self.with.as_ref()?.get(key)?.as_str()
    }

    /// Line of an input key of `with:`.
    pub fn with_line(&self, key: &str) -> Option<u32> {
        self.with.as_ref()?.key_line(key)
    }

    /// A scalar input of `with:` with the file line of each of its lines.
    pub fn input(&self, key: &str) -> Option<&Run> {
        self.inputs.iter().find(|(k, _)| k == key).map(|(_, r)| r)
    }
}

/// A `run:` script.
#[derive(Debug, Clone)]
pub struct Run {
    /// The script as YAML reads it.
    pub text: String,
    /// Line of the `run:` key.
    pub line: u32,
    /// Each line of the script as written in the file, with its file line. For block
    /// scalars (`|`, `>`) the script starts on the line after the key.
    pub lines: Vec<(u32, String)>,
}

/// One line of a `run:` script, located in the workflow.
#[derive(Debug, Clone, Copy)]
pub struct RunLine<'a> {
    pub job: &'a Job,
    pub step: &'a Step,
    pub line: u32,
    pub text: &'a str,
}

impl Step {
    /// The folder the step's commands run in, from its `working-directory` (the step's, else
    /// the job's or the workflow's default), repository-relative: "" for the root, and for a
    /// value only known at run time or outside the checkout.
    pub fn folder(&self) -> &str {
        match self.working_directory.as_deref().map(str::trim) {
            None => "",
            Some(d)
                if d.contains("${{") || d.starts_with('/') || d.split('/').any(|s| s == "..") =>
            {
                ""
            }
            Some(d) => match d.trim_start_matches("./").trim_end_matches('/') {
                "." => "",
                d => d,
            },
        }
    }

    /// Where the step runs seen from `package` (see [`Package::local_dir`]): `None` when it
    /// runs in another package's folder. A value only known at run time still has a literal
    /// start: `examples/${{ matrix.dir }}` runs under `examples/`, never in `packages/server`;
    /// when the package may be one of its folders, the step counts as run in the package root.
    ///
    /// [`Package::local_dir`]: crate::repository::Package::local_dir
    pub fn folder_in(&self, package: &crate::repository::Package) -> Option<&str> {
        let templated = self
            .working_directory
            .as_deref()
            .map(str::trim)
            .and_then(|d| d.find("${{").map(|i| &d[..i]));
        let Some(literal) = templated else {
            return package.local_dir(self.folder());
        };
        // The folders the literal start fixes: `examples/` of `examples/${{ x }}`, none of
        // `${{ github.workspace }}/web` or `app-${{ x }}`.
        let literal = literal.trim_start_matches("./");
        let known = &literal[..literal.rfind('/').map_or(0, |i| i + 1)];
        let own = format!("{}/", package.prefix);
        if known.is_empty()
            || known.starts_with('/')
            || known.starts_with(&own)
            || own.starts_with(known)
        {
            Some("")
        } else {
            None
        }
    }
}

impl Job {
    /// Whether every command of the job runs in folders outside `package`: in a workflow shared
    /// from the repository root, such a job is another package's.
    pub fn runs_outside(&self, package: &crate::repository::Package) -> bool {
        let runs: Vec<&Step> = self.steps.iter().filter(|s| s.run.is_some()).collect();
        !runs.is_empty() && runs.iter().all(|s| s.folder_in(package).is_none())
    }
}

impl Workflow {
    /// The trigger for `event`, if the workflow has it.
    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event == event)
    }

    pub fn triggers_contain(&self, event: &str) -> bool {
        self.trigger(event).is_some()
    }

    /// The trigger that runs the workflow for pull requests, for evidence: `pull_request`,
    /// else `pull_request_target` (the base branch's workflow, on the same PR events), else
    /// `merge_group` (the merge queue's candidate). None when pull requests do not start it.
    pub fn pr_trigger(&self) -> Option<&Trigger> {
        PR_EVENTS.iter().find_map(|e| self.trigger(e))
    }

    /// Whether a change inside `folder` (a repository path, `services/orders`) can start the
    /// workflow. Only `paths:` filters of the code-change events can say no: when every one of
    /// the workflow's `push`/`pull_request`/`pull_request_target` triggers lists paths and none
    /// of them can match a file in the folder, the workflow is another folder's.
    pub fn runs_for_folder(&self, folder: &str) -> bool {
        let code_events: Vec<&Trigger> = self
            .triggers
            .iter()
            .filter(|t| {
                matches!(
                    t.event.as_str(),
                    "push" | "pull_request" | "pull_request_target"
                )
            })
            .collect();
        if code_events.is_empty() {
            return true;
        }
        let folder = format!("{}/", folder.trim_matches('/'));
        code_events.iter().any(|t| {
            let Some(paths) = t.config.as_ref().and_then(|c| c.get("paths")) else {
                return true;
            };
            paths
                .items()
                .iter()
                .filter_map(Node::as_str)
                .filter(|p| !p.starts_with('!'))
                .any(|p| {
                    // The literal part before the first wildcard: the pattern can only match
                    // under the folder when one of the two starts with the other.
                    let p = p.trim_start_matches("./");
                    let literal = &p[..p.find(['*', '?', '[']).unwrap_or(p.len())];
                    folder.starts_with(literal)
                        || literal.starts_with(&folder)
                        || p == &folder[..folder.len() - 1]
                })
        })
    }

    /// Every step of every job, with its job, in file order.
    pub fn all_steps(&self) -> impl Iterator<Item = (&Job, &Step)> {
        self.jobs
            .iter()
            .flat_map(|j| j.steps.iter().map(move |s| (j, s)))
    }

    /// Every line of every `run:` script, with its exact file line.
    pub fn run_lines(&self) -> impl Iterator<Item = RunLine<'_>> {
        self.all_steps().flat_map(|(job, step)| {
            step.run.iter().flat_map(move |r| {
                r.lines.iter().map(move |(line, text)| RunLine {
                    job,
                    step,
                    line: *line,
                    text,
                })
            })
        })
    }

    /// Every `uses:` of steps and of reusable-workflow jobs, in file order.
    pub fn all_uses(&self) -> Vec<&Uses> {
        let mut out: Vec<&Uses> = Vec::new();
        for j in &self.jobs {
            out.extend(j.uses.iter());
            out.extend(j.steps.iter().filter_map(|s| s.uses.as_ref()));
        }
        out.sort_by_key(|u| u.line);
        out
    }
}

/// Every workflow of `.github/workflows` (direct children: GitHub ignores sub-folders),
/// empty files left out.
pub fn load_all(index: &Index) -> Vec<Workflow> {
    index
        .under(".github/workflows")
        .iter()
        .filter(|f| {
            let rest = &f.path[".github/workflows/".len()..];
            !rest.contains('/') && matches!(f.ext(), "yml" | "yaml")
        })
        .filter(|f| f.text().is_some_and(|t| !t.trim().is_empty()))
        .map(|f| match index.yaml(&f.path) {
            Some(parsed) => from_yaml(&f.path, parsed, f.text().unwrap_or("")),
            None => broken(&f.path, "the file could not be read".into()),
        })
        .filter_map(|mut wf| {
            // A package scan: jobs of a shared workflow that only work in other packages are
            // theirs, and a workflow left without jobs is not this package's.
            let package = index.package().filter(|_| index.is_shared(&wf.path));
            if let Some(package) = package {
                let had_jobs = !wf.jobs.is_empty();
                wf.jobs.retain(|j| !j.runs_outside(package));
                if had_jobs && wf.jobs.is_empty() {
                    return None;
                }
            }
            Some(wf)
        })
        .collect()
}

/// A workflow file's model from its text (outside an index).
pub fn from_text(path: &str, text: &str) -> Workflow {
    from_yaml(path, &crate::model::yaml::parse(text), text)
}

fn from_yaml(
    path: &str,
    parsed: &Result<crate::model::yaml::Yaml, crate::model::yaml::YamlError>,
    text: &str,
) -> Workflow {
    match parsed {
        Ok(y) => match y.root() {
            Some(root) if root.is_map() => build(path, root, text),
            _ => broken(path, "the workflow is not a YAML mapping".into()),
        },
        Err(e) => broken(path, format!("YAML error at {e}")),
    }
}

fn broken(path: &str, error: String) -> Workflow {
    Workflow {
        path: path.to_string(),
        error: Some(error),
        ..Workflow::default()
    }
}

/// Builds a workflow from a parsed root; `text` is the raw file, for script lines.
pub fn build(path: &str, root: &Node, text: &str) -> Workflow {
    let raw: Vec<&str> = text.lines().collect();
    let mut wf = Workflow {
        path: path.to_string(),
        name: scalar(root.get("name")),
        ..Workflow::default()
    };
    // `on` may be written quoted; YAML 1.1 tools sometimes rewrite it as `true`.
    if let Some((k, v)) = root.entry("on").or_else(|| root.entry("true")) {
        wf.on_line = Some(k.line);
        wf.triggers = triggers(v);
    }
    wf.permissions = root.entry("permissions").map(|(k, v)| permissions(k, v));
    wf.concurrency = root.entry("concurrency").map(|(k, v)| concurrency(k, v));
    wf.env = env(root.get("env"));
    let default_dir = default_working_directory(root);
    if let Some((k, v)) = root.entry("jobs") {
        wf.jobs_line = Some(k.line);
        wf.jobs = v
            .entries()
            .iter()
            .filter_map(|(id, body)| {
                Some(job(
                    id.as_str()?,
                    id.line,
                    body,
                    &raw,
                    default_dir.as_deref(),
                ))
            })
            .collect();
    }
    wf
}

/// `defaults.run.working-directory` of a workflow or a job.
fn default_working_directory(n: &Node) -> Option<String> {
    scalar(n.get("defaults")?.get("run")?.get("working-directory"))
}

fn scalar(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::as_str).map(str::to_string)
}

fn triggers(v: &Node) -> Vec<Trigger> {
    match &v.value {
        Value::Scalar { text, .. } if !text.is_empty() => vec![Trigger {
            event: text.to_string(),
            line: v.line,
            config: None,
        }],
        Value::Scalar { .. } => Vec::new(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                Some(Trigger {
                    event: i.as_str()?.to_string(),
                    line: i.line,
                    config: None,
                })
            })
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, c)| {
                Some(Trigger {
                    event: k.as_str()?.to_string(),
                    line: k.line,
                    config: (!c.is_null()).then(|| c.clone()),
                })
            })
            .collect(),
    }
}

fn permissions(k: &Node, v: &Node) -> Permissions {
    let kind = match &v.value {
        Value::Scalar { text, .. } => match &**text {
            "write-all" => PermissionsKind::WriteAll,
            "read-all" => PermissionsKind::ReadAll,
            other => PermissionsKind::Other(other.to_string()),
        },
        Value::Map(entries) => PermissionsKind::Scopes(
            entries
                .iter()
                .filter_map(|(s, l)| {
                    Some((s.as_str()?.to_string(), l.as_str()?.to_string(), s.line))
                })
                .collect(),
        ),
        Value::Seq(_) => PermissionsKind::Other("a list".to_string()),
    };
    Permissions { line: k.line, kind }
}

fn concurrency(k: &Node, v: &Node) -> Concurrency {
    Concurrency {
        line: k.line,
        group: v
            .as_str()
            .map(str::to_string)
            .or_else(|| scalar(v.get("group"))),
        cancel_in_progress: v
            .entry("cancel-in-progress")
            .and_then(|(ck, cv)| Some((cv.as_str()?.to_string(), ck.line))),
    }
}

fn env(n: Option<&Node>) -> Vec<EnvVar> {
    n.map(|n| {
        n.entries()
            .iter()
            .filter_map(|(k, v)| {
                Some(EnvVar {
                    key: k.as_str()?.to_string(),
                    value: v.as_str().map(str::to_string),
                    line: k.line,
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn uses(n: &Node) -> Option<Uses> {
    let (k, v) = n.entry("uses")?;
    Some(Uses {
        value: v.as_str()?.trim().to_string(),
        line: k.line,
    })
}

fn if_cond(n: &Node) -> Option<(String, u32)> {
    n.entry("if")
        .and_then(|(k, v)| Some((v.as_str()?.to_string(), k.line)))
}

fn job(id: &str, line: u32, body: &Node, raw: &[&str], workflow_dir: Option<&str>) -> Job {
    let default_dir = default_working_directory(body).or_else(|| workflow_dir.map(str::to_string));
    let (runs_on, runs_on_line) = match body.entry("runs-on") {
        Some((k, v)) => {
            let mut labels: Vec<String> = v.strings().into_iter().map(str::to_string).collect();
            // `runs-on: {group: x, labels: [...]}`
            labels.extend(scalar(v.get("group")));
            labels.extend(
                v.get("labels")
                    .map(|l| l.strings().into_iter().map(str::to_string).collect())
                    .unwrap_or_else(Vec::new),
            );
            (labels, Some(k.line))
        }
        None => (Vec::new(), None),
    };
    let services_entry = body.entry("services");
    Job {
        id: id.to_string(),
        line,
        name: scalar(body.get("name")),
        runs_on,
        runs_on_line,
        timeout_minutes: body
            .entry("timeout-minutes")
            .and_then(|(k, v)| Some((v.as_str()?.to_string(), k.line))),
        permissions: body.entry("permissions").map(|(k, v)| permissions(k, v)),
        environment: body.entry("environment").map(|(k, v)| Environment {
            name: v
                .as_str()
                .map(str::to_string)
                .or_else(|| scalar(v.get("name"))),
            line: k.line,
        }),
        services: services_entry
            .map(|(_, v)| {
                v.entries()
                    .iter()
                    .filter_map(|(name, cfg)| {
                        Some(Service {
                            name: name.as_str()?.to_string(),
                            image: cfg
                                .as_str()
                                .map(str::to_string)
                                .or_else(|| scalar(cfg.get("image"))),
                            line: name.line,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        services_line: services_entry.map(|(k, _)| k.line),
        container: body.entry("container").map(|(k, v)| Container {
            image: v
                .as_str()
                .map(str::to_string)
                .or_else(|| scalar(v.get("image"))),
            line: k.line,
        }),
        uses: uses(body),
        with: body.get("with").cloned(),
        if_cond: if_cond(body),
        needs: body
            .get("needs")
            .map(|n| n.strings().into_iter().map(str::to_string).collect())
            .unwrap_or_default(),
        concurrency: body.entry("concurrency").map(|(k, v)| concurrency(k, v)),
        env: env(body.get("env")),
        steps: body
            .get("steps")
            .map(|s| {
                s.items()
                    .iter()
                    .map(|n| step(n, raw, default_dir.as_deref()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn step(n: &Node, raw: &[&str], default_dir: Option<&str>) -> Step {
    // The step's line is that of its first key (the `- ` line), not of the mapping start.
    let line = n.entries().first().map(|(k, _)| k.line).unwrap_or(n.line);
    Step {
        line,
        id: scalar(n.get("id")),
        name: scalar(n.get("name")),
        uses: uses(n),
        run: n.entry("run").and_then(|(k, v)| run(k, v, raw)),
        with: n.get("with").cloned(),
        inputs: n
            .get("with")
            .map(|w| {
                w.entries()
                    .iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), run(k, v, raw)?)))
                    .collect()
            })
            .unwrap_or_default(),
        env: env(n.get("env")),
        if_cond: if_cond(n),
        working_directory: scalar(n.get("working-directory"))
            .or_else(|| default_dir.map(str::to_string)),
    }
}

fn run(k: &Node, v: &Node, raw: &[&str]) -> Option<Run> {
    let text = v.as_str()?.to_string();
    Some(Run {
        lines: scalar_lines(raw, k, v, &text),
        text,
        line: k.line,
    })
}

/// The steps of a local composite action (`uses: ./dir` → `dir/action.yml`), with the
/// action file's path. None when the file is absent, unparsable or not a composite action.
pub fn load_action(index: &Index, dir: &str) -> Option<(String, Vec<Step>)> {
    let dir = dir.trim_start_matches("./").trim_end_matches('/');
    let path = ["action.yml", "action.yaml"]
        .iter()
        .map(|n| {
            if dir.is_empty() {
                n.to_string()
            } else {
                format!("{dir}/{n}")
            }
        })
        .find(|p| index.exists(p))?;
    let text = index.text(&path)?;
    let root = index.yaml(&path)?.as_ref().ok()?.root()?;
    let raw: Vec<&str> = text.lines().collect();
    let steps = root.path(&["runs", "steps"])?;
    Some((
        path,
        steps.items().iter().map(|n| step(n, &raw, None)).collect(),
    ))
}

/// A step a workflow runs, found in the workflow itself, in a local composite action one of
/// its steps uses (`uses: ./.github/actions/x`), or in a local reusable workflow one of its
/// jobs calls (`uses: ./.github/workflows/x.yml`), which runs in the caller's event context.
#[derive(Debug, Clone)]
pub struct ReachedStep {
    /// The file the step is written in (the workflow, an `action.yml`, a called workflow).
    pub path: String,
    pub step: Step,
    /// The `uses:` that led here from the workflow, outermost first: file, line and value.
    /// Empty for the workflow's own steps.
    pub via: Vec<(String, u32, String)>,
    /// The `with:` values the innermost caller passed (what `${{ inputs.NAME }}` is here),
    /// with the caller's own inputs already put in; shared by the steps it reaches. Empty for
    /// the workflow's own steps.
    pub inputs: std::sync::Arc<Vec<(String, String)>>,
}

impl ReachedStep {
    /// `value` with each `${{ inputs.NAME }}` its caller passed put in: a local action's
    /// `ref: ${{ inputs.ref }}` is the pull request's head when the workflow passes that.
    pub fn resolve(&self, value: &str) -> String {
        substitute_inputs(value, &self.inputs)
    }
}

/// How long a value may grow by putting inputs in: callers nested eight deep, each repeating
/// an input, would otherwise multiply a hostile value's size at every level.
const MAX_RESOLVED_LEN: usize = 1024;
/// How many bytes of inputs one caller passes on (the rest are left out): the steps it
/// reaches share them, and a scan follows at most `MAX_WORK` calls.
const MAX_PASSED_BYTES: usize = 2048;

/// `value` with `${{ inputs.NAME }}` replaced by NAME's entry in `inputs`; other expressions,
/// inputs not passed, and inputs that would make the value longer than [`MAX_RESOLVED_LEN`]
/// stay as written.
fn substitute_inputs(value: &str, inputs: &[(String, String)]) -> String {
    if inputs.is_empty() || !value.contains("inputs.") {
        return value.to_string();
    }
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let expr = &rest[start..start + len + 2];
        let name = expr[3..expr.len() - 2].trim().strip_prefix("inputs.");
        out.push_str(&rest[..start]);
        match name.and_then(|n| inputs.iter().find(|(k, _)| k == n)) {
            Some((_, passed)) if out.len() + passed.len() <= MAX_RESOLVED_LEN => {
                out.push_str(passed)
            }
            _ => out.push_str(expr),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// The scalar `with:` entries a caller passes, with its own inputs put in.
fn passed_inputs(with: Option<&Node>, inputs: &[(String, String)]) -> Vec<(String, String)> {
    let Some(with) = with else {
        return Vec::new();
    };
    let mut bytes = 0;
    with.entries()
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.as_str()?.to_string(),
                substitute_inputs(v.as_str()?, inputs),
            ))
        })
        .take_while(|(k, v)| {
            bytes += k.len() + v.len();
            bytes <= MAX_PASSED_BYTES
        })
        .collect()
}

/// How deep local actions and called workflows are followed (GitHub allows 4 levels of
/// reusable workflows and 10 of composite actions; cycles are cut before that).
const MAX_LOCAL_DEPTH: usize = 8;
/// A bound on the steps collected and the calls followed, so that a hostile fan-out of calls
/// (jobs calling workflows whose jobs call workflows …) stays cheap.
const MAX_WORK: usize = 20_000;

/// Every step `wf` runs, in file order, its local composite actions' steps after the step
/// that uses them. With `follow_calls`, the jobs of local reusable workflows it calls too.
/// Missing, unparsable or recursive references are left out.
pub fn reachable_steps(index: &Index, wf: &Workflow, follow_calls: bool) -> Vec<ReachedStep> {
    let mut out = Vec::new();
    let mut chain = vec![wf.path.clone()];
    let mut work = 0;
    let top = Caller {
        via: &[],
        inputs: &Default::default(),
    };
    walk_workflow(
        index,
        wf,
        top,
        &mut chain,
        follow_calls,
        &mut work,
        &mut out,
    );
    out
}

/// How steps were reached: the `uses:` chain and the inputs the innermost caller passed.
#[derive(Clone, Copy)]
struct Caller<'a> {
    via: &'a [(String, u32, String)],
    inputs: &'a std::sync::Arc<Vec<(String, String)>>,
}

/// The repository path a local `uses: ./x` names (`x`, without `./` and a trailing `/`).
pub fn local_path(u: &Uses) -> Option<&str> {
    u.is_local()
        .then(|| u.value.trim_start_matches("./").trim_end_matches('/'))
}

fn walk_workflow(
    index: &Index,
    wf: &Workflow,
    caller: Caller,
    chain: &mut Vec<String>,
    follow_calls: bool,
    work: &mut usize,
    out: &mut Vec<ReachedStep>,
) {
    for job in &wf.jobs {
        walk_steps(index, &wf.path, &job.steps, caller, chain, work, out);
        *work += 1;
        if !follow_calls || chain.len() > MAX_LOCAL_DEPTH || *work >= MAX_WORK {
            continue;
        }
        let Some(u) = job.uses.as_ref() else { continue };
        let Some(target) = local_path(u) else {
            continue;
        };
        if chain.iter().any(|c| c == target) {
            continue;
        }
        let Some(called) = index
            .workflows()
            .iter()
            .find(|w| w.path == target && w.error.is_none())
        else {
            continue;
        };
        let mut via = caller.via.to_vec();
        via.push((wf.path.clone(), u.line, u.value.clone()));
        let inputs = std::sync::Arc::new(passed_inputs(job.with.as_ref(), caller.inputs));
        let inner = Caller {
            via: &via,
            inputs: &inputs,
        };
        chain.push(target.to_string());
        walk_workflow(index, called, inner, chain, follow_calls, work, out);
        chain.pop();
    }
}

fn walk_steps(
    index: &Index,
    path: &str,
    steps: &[Step],
    caller: Caller,
    chain: &mut Vec<String>,
    work: &mut usize,
    out: &mut Vec<ReachedStep>,
) {
    for s in steps {
        *work += 1;
        if *work >= MAX_WORK {
            return;
        }
        out.push(ReachedStep {
            path: path.to_string(),
            step: s.clone(),
            via: caller.via.to_vec(),
            inputs: caller.inputs.clone(),
        });
        if chain.len() > MAX_LOCAL_DEPTH {
            continue;
        }
        let Some(u) = s.uses.as_ref() else { continue };
        let Some(dir) = local_path(u) else { continue };
        let Some((action, action_steps)) = load_action(index, dir) else {
            continue;
        };
        if chain.contains(&action) {
            continue;
        }
        let mut via = caller.via.to_vec();
        via.push((path.to_string(), u.line, u.value.clone()));
        let inputs = std::sync::Arc::new(passed_inputs(s.with.as_ref(), caller.inputs));
        let inner = Caller {
            via: &via,
            inputs: &inputs,
        };
        chain.push(action.clone());
        walk_steps(index, &action, &action_steps, inner, chain, work, out);
        chain.pop();
    }
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

/// The file lines a scalar value spans, from the raw text: block scalars (`|`, `>`) start on
/// the line after their indicator and run while lines are blank or indented deeper than the
/// key; flow scalars start at the value and continue on deeper-indented lines until a comment
/// or a blank line.
fn scalar_lines(raw: &[&str], key: &Node, value: &Node, text: &str) -> Vec<(u32, String)> {
    let key_indent = (key.col as usize).saturating_sub(1);
    let Some(key_raw) = raw.get((key.line as usize).wrapping_sub(1)) else {
        // No raw text (a mismatch): fall back to the parsed text on the key line.
        return text
            .lines()
            .map(|l| (key.line, l.trim().to_string()))
            .collect();
    };
    // The parser places a block scalar at its content, so look for the indicator after the key.
    let after_key: String = key_raw.chars().skip(key_indent).collect();
    let indicator = after_key
        .split_once(": ")
        .or_else(|| after_key.split_once(":\t"))
        .and_then(|(_, rest)| rest.trim_start().chars().next())
        .filter(|c| matches!(c, '|' | '>'));
    let block = indicator.is_some();
    let mut out = Vec::new();
    let next = if block {
        key.line as usize
    } else {
        let Some(first) = raw.get((value.line as usize).wrapping_sub(1)) else {
            return vec![(value.line, text.trim().to_string())];
        };
        let from_value: String = first
            .chars()
            .skip((value.col as usize).saturating_sub(1))
            .collect();
        out.push((value.line, from_value.trim().to_string()));
        value.line as usize
    };
    for (i, l) in raw.iter().enumerate().skip(next) {
        let t = l.trim();
        if t.is_empty() {
            if !block {
                break;
            }
            out.push((i as u32 + 1, String::new()));
            continue;
        }
        if indent(l) <= key_indent || (!block && t.starts_with('#')) {
            break;
        }
        out.push((i as u32 + 1, t.to_string()));
    }
    // Trailing blank lines belong to no command.
    while out.last().is_some_and(|(_, t)| t.is_empty()) {
        out.pop();
    }
    // Folded (`>`) and plain scalars join their lines with spaces: axum's `run: >` spreads
    // `cargo +1.75 test -p axum …` over one word per line. Each paragraph is one command,
    // cited at its first line.
    if indicator != Some('|') {
        let mut folded: Vec<(u32, String)> = Vec::new();
        let mut joining = false;
        for (line, t) in out {
            match folded.last_mut() {
                Some((_, last)) if joining && !t.is_empty() => {
                    last.push(' ');
                    last.push_str(&t);
                }
                _ => {
                    joining = !t.is_empty();
                    folded.push((line, t));
                }
            }
        }
        return folded;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_put_into_expressions_that_name_them() {
        let inputs = vec![("ref".to_string(), "${{ github.head_ref }}".to_string())];
        assert_eq!(
            substitute_inputs(
                "x ${{ inputs.ref }} ${{inputs.ref}} ${{ inputs.other }} ${{ github.sha }}",
                &inputs
            ),
            "x ${{ github.head_ref }} ${{ github.head_ref }} ${{ inputs.other }} ${{ github.sha }}"
        );
        assert_eq!(
            substitute_inputs("unclosed ${{ inputs.ref", &inputs),
            "unclosed ${{ inputs.ref"
        );
        assert_eq!(
            substitute_inputs("${{ inputs.ref }}", &[]),
            "${{ inputs.ref }}"
        );
        // Repeating a long input does not grow the value without bound.
        let long = vec![("x".to_string(), "a".repeat(1000))];
        let grown = substitute_inputs(&"${{ inputs.x }}".repeat(100), &long);
        assert!(grown.len() < MAX_RESOLVED_LEN + 20 * 100, "{}", grown.len());
        assert!(grown.starts_with(&"a".repeat(1000)));
    }

    #[test]
    fn a_caller_passes_on_a_bounded_amount_of_inputs() {
        let with: String = (0..100)
            .map(|i| format!("k{i}: {}\n", "v".repeat(100)))
            .collect();
        let yaml = crate::model::yaml::parse(&with).unwrap();
        let passed = passed_inputs(yaml.root(), &[]);
        let bytes: usize = passed.iter().map(|(k, v)| k.len() + v.len()).sum();
        assert!(!passed.is_empty() && bytes <= MAX_PASSED_BYTES, "{bytes}");
        assert_eq!(passed[0], ("k0".to_string(), "v".repeat(100)));
    }

    fn model(files: &[(&str, &str)]) -> Vec<Workflow> {
        load_all(&Index::from_files(files))
    }

    const CI: &str = "\
name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  packages: write
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
env:
  FOO: bar
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    environment:
      name: staging
      url: https://x
    services:
      postgres:
        image: postgres:16
      redis: redis:7
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: |
          uv sync

          uv run pytest -q
        env:
          X: y
      - name: One line
        run: echo hi
        shell: bash
      - uses: astral-sh/setup-uv@0123456789abcdef0123456789abcdef01234567
        with:
          enable-cache: true
  call:
    uses: ./.github/workflows/reusable.yml
    permissions: write-all
    environment: production
    if: github.ref == 'refs/heads/main'
";

    #[test]
    fn positions_of_workflow_parts() {
        let wfs = model(&[(".github/workflows/ci.yml", CI)]);
        assert_eq!(wfs.len(), 1);
        let wf = &wfs[0];
        assert_eq!(wf.error, None);
        assert_eq!(wf.name.as_deref(), Some("CI"));
        assert_eq!(wf.on_line, Some(2));
        let t: Vec<(&str, u32)> = wf
            .triggers
            .iter()
            .map(|t| (t.event.as_str(), t.line))
            .collect();
        assert_eq!(t, vec![("push", 3), ("pull_request", 5)]);
        assert!(wf.triggers_contain("pull_request"));
        assert!(wf.trigger("push").unwrap().config.is_some());
        let p = wf.permissions.as_ref().unwrap();
        assert_eq!(p.line, 6);
        assert_eq!(p.writes(), vec![("packages", 8)]);
        let c = wf.concurrency.as_ref().unwrap();
        assert_eq!((c.line, c.cancels()), (9, true));
        assert_eq!(c.cancel_in_progress.as_ref().unwrap().1, 11);
        assert_eq!(wf.env[0].line, 13);
        assert_eq!(wf.jobs_line, Some(14));

        let test = &wf.jobs[0];
        assert_eq!((test.id.as_str(), test.line), ("test", 15));
        assert_eq!(test.runs_on, vec!["ubuntu-latest"]);
        assert_eq!(test.timeout_minutes, Some(("10".to_string(), 17)));
        let env = test.environment.as_ref().unwrap();
        assert_eq!((env.name.as_deref(), env.line), (Some("staging"), 18));
        assert_eq!(test.services_line, Some(21));
        assert_eq!(
            test.services,
            vec![
                Service {
                    name: "postgres".into(),
                    image: Some("postgres:16".into()),
                    line: 22
                },
                Service {
                    name: "redis".into(),
                    image: Some("redis:7".into()),
                    line: 24
                },
            ]
        );
        assert_eq!(test.steps.len(), 4);
        assert_eq!(test.steps[0].line, 26);
        assert_eq!(test.steps[0].uses.as_ref().unwrap().line, 26);
        let run = test.steps[1].run.as_ref().unwrap();
        assert_eq!(run.line, 28);
        assert_eq!(
            run.lines,
            vec![
                (29, "uv sync".into()),
                (30, String::new()),
                (31, "uv run pytest -q".into())
            ]
        );
        assert_eq!(test.steps[1].line, 27);
        assert_eq!(test.steps[1].env[0].line, 33);
        let one = test.steps[2].run.as_ref().unwrap();
        assert_eq!(one.lines, vec![(35, "echo hi".into())]);
        let setup = &test.steps[3];
        assert_eq!(setup.with_str("enable-cache"), Some("true"));
        assert_eq!(setup.with_line("enable-cache"), Some(39));
        assert!(setup.uses.as_ref().unwrap().is_pinned());

        let call = &wf.jobs[1];
        assert_eq!(call.uses.as_ref().unwrap().line, 41);
        assert!(call.uses.as_ref().unwrap().is_local());
        assert!(call.permissions.as_ref().unwrap().is_write_all());
        assert_eq!(call.permissions.as_ref().unwrap().line, 42);
        assert_eq!(call.environment.as_ref().unwrap().line, 43);
        assert_eq!(call.if_cond.as_ref().unwrap().1, 44);

        let lines: Vec<(u32, &str)> = wf.run_lines().map(|r| (r.line, r.text)).collect();
        assert_eq!(
            lines,
            vec![
                (29, "uv sync"),
                (30, ""),
                (31, "uv run pytest -q"),
                (35, "echo hi")
            ]
        );
        let uses: Vec<u32> = wf.all_uses().iter().map(|u| u.line).collect();
        assert_eq!(uses, vec![26, 37, 41]);
    }

    #[test]
    fn trigger_forms_string_and_list() {
        let wfs = model(&[
            (".github/workflows/a.yml", "on: push\njobs: {}\n"),
            (
                ".github/workflows/b.yaml",
                "'on':\n  - push\n  - pull_request_target\njobs: {}\n",
            ),
        ]);
        assert_eq!(wfs[0].triggers[0].event, "push");
        assert_eq!(wfs[0].triggers[0].line, 1);
        let b: Vec<(&str, u32)> = wfs[1]
            .triggers
            .iter()
            .map(|t| (t.event.as_str(), t.line))
            .collect();
        assert_eq!(b, vec![("push", 2), ("pull_request_target", 3)]);
    }

    #[test]
    fn run_line_variants_keep_file_lines() {
        let text = "\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: >-
          cargo test
          --all
      - run:
          make lint
      - run: echo one
        # a comment, not part of the script
      - name: last
        run: |+
          go test ./...

      - run: npm test # trailing comment
";
        let wfs = model(&[(".github/workflows/x.yml", text)]);
        let lines: Vec<(u32, &str)> = wfs[0].run_lines().map(|r| (r.line, r.text)).collect();
        assert_eq!(
            lines,
            vec![
                (7, "cargo test --all"),
                (10, "make lint"),
                (11, "echo one"),
                (15, "go test ./..."),
                (17, "npm test # trailing comment"),
            ]
        );
        assert_eq!(
            wfs[0].jobs[0].steps[0].run.as_ref().unwrap().text,
            "cargo test --all"
        );
    }

    #[test]
    fn with_inputs_keep_their_lines() {
        let text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          github-token: ${{ secrets.X }}\n          script: |\n            const a = 1;\n            console.log(a);\n";
        let wfs = model(&[(".github/workflows/x.yml", text)]);
        let step = &wfs[0].jobs[0].steps[0];
        assert_eq!(step.input("github-token").unwrap().lines[0].0, 8);
        let script = step.input("script").unwrap();
        assert_eq!(script.line, 9);
        assert_eq!(
            script.lines,
            vec![(10, "const a = 1;".into()), (11, "console.log(a);".into())]
        );
    }

    #[test]
    fn broken_workflows_are_kept_with_an_error() {
        let wfs = model(&[
            (".github/workflows/bad.yml", "on: [push\njobs:\n"),
            (".github/workflows/list.yml", "- a\n- b\n"),
            (".github/workflows/.gitkeep", ""),
            (".github/workflows/empty.yml", "  \n"),
            (".github/workflows/sub/ignored.yml", "on: push\n"),
            (".github/workflows/README.md", "# docs\n"),
        ]);
        assert_eq!(wfs.len(), 2);
        assert!(
            wfs[0].error.as_deref().unwrap().contains("YAML"),
            "{:?}",
            wfs[0].error
        );
        assert!(wfs[1].error.is_some());
        assert!(wfs[1].jobs.is_empty());
    }

    #[test]
    fn paths_filters_tell_which_folders_a_workflow_runs_for() {
        let wf = |on: &str| {
            from_text(
                "w.yml",
                &format!("{on}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n"),
            )
        };
        let billing = wf("on:\n  push:\n    paths: ['services/billing/**', '.github/workflows/billing.yml']\n  pull_request:\n    paths: ['services/billing/**']");
        assert!(billing.runs_for_folder("services/billing"));
        assert!(billing.runs_for_folder("services/billing/api"));
        assert!(!billing.runs_for_folder("services/orders"));
        assert!(!billing.runs_for_folder("services/bill"));
        // Any unfiltered code-change trigger, a pattern that can match anywhere, or no code
        // trigger at all: it may run for the folder.
        for on in [
            "on:\n  push:\n    paths: ['services/billing/**']\n  pull_request:",
            "on:\n  push:\n    paths: ['**.md', 'services/billing/**']",
            "on:\n  push:\n    paths: ['services/**']",
            "on: [push]",
            "on:\n  schedule:\n    - cron: '0 0 * * *'",
        ] {
            assert!(wf(on).runs_for_folder("services/orders"), "{on}");
        }
        // Exclusions only narrow the list.
        assert!(
            !wf("on:\n  push:\n    paths: ['!services/orders/**', 'services/billing/**']")
                .runs_for_folder("services/orders")
        );
    }

    #[test]
    fn a_job_working_only_in_other_folders_runs_outside_the_package() {
        let wf = from_text(
            "ci.yml",
            "on: push\njobs:\n  billing:\n    defaults:\n      run:\n        working-directory: services/billing\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n  both:\n    steps:\n      - run: npm test\n        working-directory: services/billing\n      - run: npm test\n        working-directory: services/orders\n  root:\n    steps:\n      - run: turbo run test\n  call:\n    uses: ./.github/workflows/x.yml\n",
        );
        let orders = crate::repository::Package {
            root: "/repo".into(),
            prefix: "services/orders".into(),
        };
        let outside: Vec<(&str, bool)> = wf
            .jobs
            .iter()
            .map(|j| (j.id.as_str(), j.runs_outside(&orders)))
            .collect();
        assert_eq!(
            outside,
            [
                ("billing", true),
                ("both", false),
                ("root", false),
                ("call", false)
            ]
        );
    }

    #[test]
    fn a_run_time_working_directory_keeps_its_literal_folders() {
        // tRPC's e2e job: `working-directory: examples/${{ matrix.dir }}`.
        let wf = from_text(
            "main.yml",
            "on: push\njobs:\n  e2e:\n    strategy:\n      matrix:\n        dir: [next-prisma-starter, minimal]\n    steps:\n      - run: pnpm install --frozen-lockfile\n      - working-directory: examples/${{ matrix.dir }}\n        run: pnpm build\n      - working-directory: ${{ github.workspace }}/web\n        run: pnpm build\n      - working-directory: app-${{ matrix.dir }}\n        run: pnpm build\n",
        );
        let package = |prefix: &str| crate::repository::Package {
            root: "/repo".into(),
            prefix: prefix.into(),
        };
        let dirs = |prefix: &str| -> Vec<Option<String>> {
            wf.all_steps()
                .map(|(_, s)| s.folder_in(&package(prefix)).map(str::to_string))
                .collect()
        };
        let root = Some(String::new());
        assert_eq!(
            dirs("packages/server"),
            [root.clone(), None, root.clone(), root.clone()]
        );
        assert_eq!(
            dirs("examples/minimal"),
            [root.clone(), root.clone(), root.clone(), root.clone()]
        );
        // Another package's folder is still only known literally.
        assert_eq!(
            dirs("examples"),
            [root.clone(), root.clone(), root.clone(), root]
        );
        // A job whose steps all run under another folder is that folder's.
        let e2e_only = from_text(
            "main.yml",
            "on: push\njobs:\n  e2e:\n    steps:\n      - working-directory: examples/${{ matrix.dir }}\n        run: pnpm test-e2e\n",
        );
        assert!(e2e_only.jobs[0].runs_outside(&package("packages/server")));
        assert!(!e2e_only.jobs[0].runs_outside(&package("examples/minimal")));
    }

    #[test]
    fn working_directory_of_a_step_then_its_job_then_the_workflow() {
        let wfs = model(&[(
            ".github/workflows/w.yml",
            "on: push\ndefaults:\n  run:\n    working-directory: web\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n      - run: make\n        working-directory: api\n  b:\n    runs-on: x\n    defaults:\n      run:\n        working-directory: ./svc\n    steps:\n      - run: make\n",
        )]);
        let dirs: Vec<Option<&str>> = wfs[0]
            .all_steps()
            .map(|(_, s)| s.working_directory.as_deref())
            .collect();
        assert_eq!(dirs, [Some("web"), Some("api"), Some("./svc")]);
    }

    #[test]
    fn permissions_forms_and_uses_refs() {
        let wfs = model(&[(
            ".github/workflows/p.yml",
            "on: push\npermissions: read-all\njobs:\n  a:\n    permissions: {}\n    runs-on: [self-hosted, linux]\n    steps:\n      - uses: docker://alpine@sha256:abc\n      - uses: owner/repo/sub@main\n",
        )]);
        let wf = &wfs[0];
        assert_eq!(
            wf.permissions.as_ref().unwrap().kind,
            PermissionsKind::ReadAll
        );
        let job = &wf.jobs[0];
        assert_eq!(
            job.permissions.as_ref().unwrap().kind,
            PermissionsKind::Scopes(Vec::new())
        );
        assert_eq!(job.runs_on, vec!["self-hosted", "linux"]);
        let d = job.steps[0].uses.as_ref().unwrap();
        assert!(d.is_docker() && d.is_pinned());
        let u = job.steps[1].uses.as_ref().unwrap();
        assert_eq!(
            (u.action(), u.git_ref(), u.owner()),
            ("owner/repo/sub", Some("main"), "owner")
        );
        assert_eq!(u.repo(), "owner/repo");
        assert!(!u.is_pinned() && !u.is_first_party());
    }

    /// cal.com's layout: a pull_request_target workflow whose job calls a local reusable
    /// workflow, both using a local composite action that checks out the PR head.
    const CALCOM_PR: &str = "name: PR Update\n\non:\n  pull_request_target:\n    branches:\n      - main\njobs:\n  changes:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/dangerous-git-checkout\n  lint:\n    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n";
    const CALCOM_LINT: &str = "name: Lint\non:\n  workflow_call:\n\npermissions:\n  contents: read\n\njobs:\n  lint:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/dangerous-git-checkout\n      - name: Run Lint\n        run: yarn lint:report\n";
    const CALCOM_ACTION: &str = "name: Dangerous git Checkout\ndescription: \"Git Checkout from PR code so we can run checks from forks\"\nruns:\n  using: \"composite\"\n  steps:\n    - name: Checkout repo\n      uses: actions/checkout@v4\n      with:\n        ref: ${{ github.event.pull_request.head.sha }}\n        fetch-depth: 2\n";

    #[test]
    fn reachable_steps_follow_local_actions_and_called_workflows() {
        let index = Index::from_files(&[
            (".github/workflows/pr.yml", CALCOM_PR),
            (".github/workflows/lint.yml", CALCOM_LINT),
            (
                ".github/actions/dangerous-git-checkout/action.yml",
                CALCOM_ACTION,
            ),
        ]);
        let pr = index
            .workflows()
            .iter()
            .find(|w| w.path.ends_with("pr.yml"))
            .unwrap();
        let reached = reachable_steps(&index, pr, true);
        let at: Vec<(&str, u32, usize)> = reached
            .iter()
            .map(|r| (r.path.as_str(), r.step.line, r.via.len()))
            .collect();
        let action = ".github/actions/dangerous-git-checkout/action.yml";
        assert_eq!(
            at,
            vec![
                (".github/workflows/pr.yml", 11, 0),
                (".github/workflows/pr.yml", 12, 0),
                (action, 6, 1),
                (".github/workflows/lint.yml", 12, 1),
                (".github/workflows/lint.yml", 13, 1),
                (action, 6, 2),
                (".github/workflows/lint.yml", 14, 1),
            ]
        );
        // The action's checkout is reached through lint.yml's step, called from pr.yml:14.
        let via = &reached[5].via;
        assert_eq!(
            (via[0].0.as_str(), via[0].1, via[1].0.as_str(), via[1].1),
            (
                ".github/workflows/pr.yml",
                14,
                ".github/workflows/lint.yml",
                13
            )
        );
        // Without following calls, lint.yml's steps are not the caller's.
        assert_eq!(reachable_steps(&index, pr, false).len(), 3);
    }

    #[test]
    fn reachable_steps_stay_bounded_on_a_fan_out_of_calls() {
        // Nine workflows, each with 30 jobs calling the next: 30^8 calls without a bound.
        let files: Vec<(String, String)> = (0..9)
            .map(|i| {
                let mut text = String::from("on: workflow_call\njobs:\n");
                for j in 0..30 {
                    text.push_str(&format!(
                        "  j{j}:\n    uses: ./.github/workflows/w{}.yml\n",
                        i + 1
                    ));
                }
                // Only the last one runs a step: the calls themselves must be bounded.
                if i == 8 {
                    text.push_str("  s:\n    runs-on: x\n    steps:\n      - run: make\n");
                }
                (format!(".github/workflows/w{i}.yml"), text)
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let index = Index::from_files(&refs);
        let w0 = index
            .workflows()
            .iter()
            .find(|w| w.path.ends_with("w0.yml"))
            .unwrap();
        let reached = reachable_steps(&index, w0, true);
        assert!(
            !reached.is_empty() && reached.len() <= MAX_WORK,
            "{}",
            reached.len()
        );
    }

    #[test]
    fn reachable_steps_survive_cycles_and_missing_targets() {
        let index = Index::from_files(&[
            (
                ".github/workflows/a.yml",
                "on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/a.yml\n  b:\n    uses: ./.github/workflows/missing.yml\n  c:\n    runs-on: x\n    steps:\n      - uses: ./loop\n      - uses: ./\n",
            ),
            (
                "loop/action.yml",
                "runs:\n  using: composite\n  steps:\n    - uses: ./loop\n    - run: echo hi\n      shell: bash\n",
            ),
            ("action.yml", "runs: [not, a, mapping]\n"),
        ]);
        let wf = &index.workflows()[0];
        let reached = reachable_steps(&index, wf, true);
        let at: Vec<(&str, u32)> = reached
            .iter()
            .map(|r| (r.path.as_str(), r.step.line))
            .collect();
        assert_eq!(
            at,
            vec![
                (".github/workflows/a.yml", 10),
                ("loop/action.yml", 4),
                ("loop/action.yml", 5),
                (".github/workflows/a.yml", 11),
            ]
        );
    }
}
