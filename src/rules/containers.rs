//! Containers: how the images are built (Dockerfiles) and how they are run locally or on a
//! single host (Docker Compose).

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::StackId;
use crate::index::file_name;
use crate::index::{join_path as join, parent_dir as dir_of};
use crate::model::compose::{is_infra_image, ComposeFile, Service};
use crate::model::dockerfile::{substitute, Base, Dockerfile, ImageRef, Instruction};
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Which Dockerfiles a rule looks at.

/// Illustrations, not the project's own images or deployments.
pub(super) fn is_example(path: &str) -> bool {
    crate::index::is_example_path(path)
}

/// Dockerfiles with at least one stage (a file without FROM builds nothing), examples aside.
fn dockerfiles<'a>(ctx: &Context<'a>) -> Vec<&'a Dockerfile> {
    ctx.index
        .dockerfiles()
        .iter()
        .filter(|d| !d.stages.is_empty() && !is_example(&d.path))
        .collect()
}

/// Name words that mark an image as a development, test or build helper, not what runs in
/// production: `Dockerfile.dev`, `test.Dockerfile`, `Dockerfile-ci`, `.devcontainer/Dockerfile`;
/// also any image kept in a CI or test folder (ripgrep's `ci/docker/<target>/Dockerfile`
/// cross-compilation images, `tests/docker/Dockerfile`).
fn is_helper_image(df: &Dockerfile) -> bool {
    let mut folders = df.path.split('/').rev().skip(1);
    if folders.any(|s| {
        matches!(
            s,
            ".devcontainer" | "ci" | ".ci" | "test" | "tests" | "testing" | "e2e"
        )
    }) {
        return true;
    }
    let name = file_name(&df.path).to_ascii_lowercase();
    name.split(['.', '-', '_']).any(|w| {
        matches!(
            w,
            "dev"
                | "develop"
                | "development"
                | "devcontainer"
                | "test"
                | "tests"
                | "testing"
                | "e2e"
                | "ci"
                | "local"
                | "debug"
                | "build"
                | "builder"
                // .gitpod.Dockerfile: a cloud development workspace
                | "gitpod"
        )
    })
}

/// Dockerfiles of GitHub container actions (`runs.using: docker` in action.yml): the one its
/// `runs.image` names, or any Dockerfile beside it (the published `docker://` image is built
/// from there). GitHub runs them as root by design and they exit after the step, so USER and
/// HEALTHCHECK do not apply.
fn action_dockerfiles(ctx: &Context) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut action_dirs = HashSet::new();
    for name in ["action.yml", "action.yaml"] {
        for f in ctx.index.named(name) {
            let Some(Ok(y)) = ctx.index.yaml(&f.path) else {
                continue;
            };
            let Some(runs) = y.root().and_then(|r| r.get("runs")) else {
                continue;
            };
            if runs.get("using").and_then(|u| u.as_str()) != Some("docker") {
                continue;
            }
            action_dirs.insert(dir_of(&f.path).to_string());
            if let Some(image) = runs.get("image").and_then(|i| i.as_str()) {
                if !image.starts_with("docker://") {
                    let rel = image.trim_start_matches("./");
                    if let Some(p) = crate::model::compose::normalize(&join(dir_of(&f.path), rel)) {
                        out.insert(p);
                    }
                }
            }
        }
    }
    if !action_dirs.is_empty() {
        for d in ctx.index.dockerfiles() {
            if action_dirs.contains(dir_of(&d.path)) {
                out.insert(d.path.clone());
            }
        }
    }
    out
}

/// Images the project ships: not development/test/build helpers, not examples.
pub(super) fn shipped_images<'a>(ctx: &Context<'a>) -> Vec<&'a Dockerfile> {
    dockerfiles(ctx)
        .into_iter()
        .filter(|d| !is_helper_image(d))
        .collect()
}

/// Shipped images that run the product as a container of their own (container actions aside).
pub(super) fn runtime_images<'a>(ctx: &Context<'a>) -> Vec<&'a Dockerfile> {
    let actions = action_dockerfiles(ctx);
    shipped_images(ctx)
        .into_iter()
        .filter(|d| !actions.contains(&d.path))
        .collect()
}

const NO_DOCKERFILE: &str = "no Dockerfile in the repository";

pub(super) fn no_runtime_image(all: &[&Dockerfile]) -> Outcome {
    if all.is_empty() {
        Outcome::na(NO_DOCKERFILE)
    } else {
        Outcome::na(
            "no image this rule asks about: the Dockerfiles are development, test or build \
             helpers (by name or folder) or GitHub container actions",
        )
    }
}

/// Final stage and the instructions it inherits from earlier stages, in build order.
fn final_instructions(df: &Dockerfile) -> Vec<&Instruction> {
    df.final_stage()
        .map(|s| df.effective_instructions(s))
        .unwrap_or_default()
}

fn final_from_line(df: &Dockerfile) -> u32 {
    df.final_stage().map_or(1, |s| s.line)
}

/// The physical line inside an instruction where `re` first matches (for multi-line RUNs).
fn line_in(ctx: &Context, df: &Dockerfile, ins: &Instruction, re: &Regex) -> u32 {
    let Some(text) = ctx.index.text(&df.path) else {
        return ins.line;
    };
    text.lines()
        .enumerate()
        .skip(ins.line.saturating_sub(1) as usize)
        .take((ins.end_line + 1).saturating_sub(ins.line) as usize)
        .find(|(_, l)| re.is_match(l))
        .map_or(ins.line, |(i, _)| i as u32 + 1)
}

/// Variables a USER/FROM value may use: global ARG defaults, then the stage's ARG and ENV.
fn variables(df: &Dockerfile, instructions: &[&Instruction]) -> HashMap<String, String> {
    let mut vars = df.global_args();
    for ins in instructions {
        if ins.is("ARG") || ins.is("ENV") {
            for (k, v) in ins.key_values() {
                if let Some(v) = v {
                    vars.insert(k, v);
                }
            }
        }
    }
    vars
}

fn re(p: &str) -> Regex {
    crate::pattern::regex(p).unwrap_or_else(|e| panic!("built-in regex {p}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Dockerfile rules.

/// RUN commands that install dependencies or compile: the work a build stage is for.
static BUILD_WORK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(\S+\s+)*(install|add)\b|\bpip3?\s+install\b|\b(npm|yarn|pnpm)\s+(ci|install|i|build|run\s+build)\b|\bgo\s+(build|install)\b|\bcargo\s+(build|install)\b|\bmvn\w*\b|\bgradlew?\b|\bdotnet\s+(publish|build|restore)\b|\buv\s+(sync|pip)\b|\bpoetry\s+install\b|\bbundle\s+install\b|\bcomposer\s+install\b|\bmake\b|\bgcc\b",
    )
});

fn multi_stage(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    let images = shipped_images(ctx);
    if images.is_empty() {
        return no_runtime_image(&all);
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for df in &images {
        let line = final_from_line(df);
        if df.stages.len() >= 2 {
            good.push(Evidence::at(&df.path, line).note(format!("{} stages", df.stages.len())));
            continue;
        }
        let work = df
            .instructions
            .iter()
            .find(|i| i.is("RUN") && BUILD_WORK.is_match(&i.script()));
        match work {
            None => good.push(
                Evidence::at(&df.path, line)
                    .note("single stage that only packages prebuilt files: nothing to split"),
            ),
            Some(run) => bad.push(Evidence::at(&df.path, line).note(format!(
                "single stage; dependencies are installed or built in the final image (line {})",
                run.line
            ))),
        }
    }
    if bad.is_empty() {
        Outcome::pass(
            "images build in separate stages (or only package prebuilt files)",
            good,
        )
    } else {
        Outcome::fail(
            format!(
                "{} of {} image(s) build in a single stage: toolchains and caches ship in the image",
                bad.len(),
                images.len()
            ),
            bad,
        )
    }
}

/// Base images that already run as a non-root user.
fn base_is_non_root(r: &ImageRef) -> bool {
    let tag = r.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let name = r.name.to_ascii_lowercase();
    tag.contains("nonroot") || (name.starts_with("cgr.dev/chainguard/") && !tag.contains("dev"))
}

fn non_root_user(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    let images = runtime_images(ctx);
    if images.is_empty() {
        return no_runtime_image(&all);
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for df in images {
        let ins = final_instructions(df);
        let user = ins.iter().rev().find(|i| i.is("USER"));
        match user {
            Some(u) => {
                let written = u.first_word().unwrap_or_default();
                let value = if written.contains('$') {
                    substitute(&written, &variables(df, &ins))
                } else {
                    Some(written.clone())
                };
                match value {
                    None => good.push(Evidence::at(&df.path, u.line).note(format!(
                        "USER {written}: set at build time, assumed non-root"
                    ))),
                    Some(v) => {
                        let name = v.split(':').next().unwrap_or("").trim();
                        if name == "root"
                            || name == "0"
                            || name.is_empty()
                            || name.eq_ignore_ascii_case("ContainerAdministrator")
                        {
                            bad.push(
                                Evidence::at(&df.path, u.line)
                                    .note(format!("the last USER is {}", v.trim())),
                            );
                        } else {
                            good.push(Evidence::at(&df.path, u.line).note(format!("USER {v}")));
                        }
                    }
                }
            }
            None => {
                let root_stage = df
                    .final_stage()
                    .map(|s| df.lineage(s))
                    .and_then(|l| l.last().copied());
                let base_ok = root_stage
                    .map(|s| matches!(df.base(s), Base::Image(r) if base_is_non_root(&r)))
                    .unwrap_or(false);
                if base_ok {
                    good.push(
                        Evidence::at(&df.path, root_stage.map_or(1, |s| s.line))
                            .note("base image runs as a non-root user"),
                    );
                } else {
                    bad.push(
                        Evidence::at(&df.path, final_from_line(df))
                            .note("no USER in the final stage: the container runs as root"),
                    );
                }
            }
        }
    }
    if bad.is_empty() {
        Outcome::pass("images run as a non-root user", good)
    } else {
        Outcome::fail(format!("{} image(s) run as root", bad.len()), bad)
    }
}

/// Commands that start a long-running server.
static SERVER_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(uvicorn|gunicorn|hypercorn|daphne|granian|waitress-serve|runserver|flask\s+run|fastapi\s+(run|dev)|puma|unicorn|rails\s+s(erver)?|nginx|httpd|apache2|caddy|php-fpm|(npm|yarn|pnpm)\s+(run\s+)?start|next\s+start|java\b.*-jar|catalina|dotnet\s+\S+\.dll|supervisord|pm2-runtime)\b",
    )
});

/// Does the image run a long-lived process (a server) rather than a job or a CLI?
/// Only what the Dockerfile says counts: server code elsewhere in the repository does not
/// make every image a server.
fn is_long_running(df: &Dockerfile) -> bool {
    let ins = final_instructions(df);
    let commands: Vec<_> = ins
        .iter()
        .filter(|i| i.is("CMD") || i.is("ENTRYPOINT"))
        .collect();
    ins.iter().any(|i| i.is("EXPOSE"))
        || commands
            .iter()
            .any(|i| SERVER_COMMAND.is_match(&i.script()))
        || (commands.is_empty() && inherits_a_server(df))
}

/// Official images whose own command is a server: a final stage built on one without a CMD
/// or ENTRYPOINT of its own runs that server (`FROM nginx:1` serving a built frontend).
const SERVER_IMAGES: &[&str] = &[
    "nginx",
    "nginx-unprivileged",
    "openresty",
    "httpd",
    "caddy",
    "traefik",
    "haproxy",
    "envoy",
    "tomcat",
    "jetty",
];

fn inherits_a_server(df: &Dockerfile) -> bool {
    let Some(root) = df.final_stage().and_then(|s| df.lineage(s).pop()) else {
        return false;
    };
    let Base::Image(image) = df.base(root) else {
        return false;
    };
    let name = image.short_name();
    SERVER_IMAGES.contains(&name.as_str())
        || (name == "php" && image.tag.as_deref().is_some_and(|t| t.contains("apache")))
}

/// Does a compose service built from `df` publish ports? Then the image serves something,
/// whatever its CMD looks like (a start-up script, `node dist/main`).
fn published_by_compose(ctx: &Context, df: &Dockerfile) -> bool {
    compose_files(ctx).iter().any(|c| {
        c.services.iter().any(|s| {
            !s.ports.is_empty()
                && s.build
                    .as_ref()
                    .and_then(|b| c.build_dockerfile(b))
                    .as_deref()
                    == Some(df.path.as_str())
        })
    })
}

/// Is the health of the service built from `df` checked by the orchestrator instead?
fn orchestrator_health(ctx: &Context, df: &Dockerfile) -> Option<Evidence> {
    for c in ctx.index.compose_files() {
        for s in &c.services {
            let (Some(b), Some(h)) = (&s.build, &s.healthcheck) else {
                continue;
            };
            if !h.disabled && c.build_dockerfile(b).as_deref() == Some(df.path.as_str()) {
                return Some(
                    Evidence::at(&c.path, h.line)
                        .note(format!("service {} defines the healthcheck", s.name)),
                );
            }
        }
    }
    let k = ctx.index.k8s();
    if let Some((w, c)) = k.workloads.iter().find_map(|w| {
        w.containers
            .iter()
            .find(|c| c.liveness_probe || c.readiness_probe)
            .map(|c| (w, c))
    }) {
        return Some(Evidence::at(&w.path, c.line).note("Kubernetes probes check the container"));
    }
    for chart in &k.charts {
        for f in chart.templates(ctx.index) {
            if let Some(text) = f.text() {
                if let Some((line, _)) = crate::model::k8s::grep_lines(text, |l| {
                    l.starts_with("livenessProbe") || l.starts_with("readinessProbe")
                })
                .first()
                {
                    return Some(
                        Evidence::at(&f.path, *line).note("Helm chart probes check the container"),
                    );
                }
            }
        }
    }
    None
}

fn healthcheck(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    let images = runtime_images(ctx);
    if images.is_empty() {
        return no_runtime_image(&all);
    }
    let services: Vec<&Dockerfile> = images
        .into_iter()
        .filter(|d| is_long_running(d) || published_by_compose(ctx, d))
        .collect();
    if services.is_empty() {
        return Outcome::na(
            "no image runs a server (no EXPOSE, no server command, no published port): jobs and \
             CLIs need no healthcheck",
        );
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for df in services {
        let ins = final_instructions(df);
        let hc = ins.iter().rev().find(|i| i.is("HEALTHCHECK"));
        match hc {
            Some(h) if !h.args.trim().eq_ignore_ascii_case("none") => {
                good.push(Evidence::at(&df.path, h.line))
            }
            // Missing or disabled in the image: fine when the orchestrator checks health.
            _ => match orchestrator_health(ctx, df) {
                Some(e) => good.push(e),
                None => bad.push(match hc {
                    Some(h) => {
                        Evidence::at(&df.path, h.line).note("HEALTHCHECK NONE disables the check")
                    }
                    None => Evidence::at(&df.path, final_from_line(df))
                        .note("no HEALTHCHECK in the final stage"),
                }),
            },
        }
    }
    if bad.is_empty() {
        Outcome::pass("service images declare a health check", good)
    } else {
        Outcome::fail(
            format!(
                "{} service image(s) without a health check: a hung process looks healthy",
                bad.len()
            ),
            bad,
        )
    }
}

/// Tags that move to new versions over time.
fn is_floating_tag(tag: &str) -> bool {
    let t = tag.to_ascii_lowercase();
    let first = t.split('-').next().unwrap_or("");
    matches!(
        first,
        "latest"
            | "stable"
            | "edge"
            | "nightly"
            | "rolling"
            | "current"
            | "lts"
            | "main"
            | "master"
            | "dev"
            | "develop"
            | "mainline"
            | "alpine"
            | "slim"
    )
}

fn base_image_pinned(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    if all.is_empty() {
        return Outcome::na(NO_DOCKERFILE);
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut digests = 0;
    for df in &all {
        for stage in &df.stages {
            let Base::Image(r) = df.base(stage) else {
                continue; // scratch, an earlier stage, or a build argument
            };
            let at = Evidence::at(&df.path, stage.line);
            match (&r.digest, &r.tag) {
                (Some(_), _) => {
                    digests += 1;
                    good.push(at.note(format!("{} pinned by digest", r.name)));
                }
                (None, None) => {
                    bad.push(at.note(format!("{} has no tag: it means :latest", r.name)))
                }
                (None, Some(t)) if is_floating_tag(t) => {
                    bad.push(at.note(format!("{}:{t} is a moving tag", r.name)))
                }
                (None, Some(t)) => good.push(at.note(format!("{}:{t}", r.name))),
            }
        }
    }
    if !bad.is_empty() {
        return Outcome::fail(
            format!(
                "{} base image(s) are untagged or use a moving tag: builds change without a commit",
                bad.len()
            ),
            bad,
        );
    }
    if good.is_empty() {
        return Outcome::na("every FROM uses scratch, an earlier stage or a build argument");
    }
    let n = good.len();
    Outcome::pass(
        match digests {
            d if d == n => format!("every base image is pinned by digest ({n})"),
            0 => "every base image has a version tag; none is pinned by digest, which would make \
                  builds fully reproducible"
                .to_string(),
            d => format!("every base image has a version tag; {d} of {n} are pinned by digest"),
        },
        good,
    )
}

fn exec_form(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    let images = shipped_images(ctx);
    if images.is_empty() {
        return no_runtime_image(&all);
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for df in images {
        let ins = final_instructions(df);
        for kw in ["ENTRYPOINT", "CMD"] {
            let Some(i) = ins.iter().rev().find(|i| i.is(kw)) else {
                continue;
            };
            // `CMD exec server` in shell form also replaces the shell.
            if i.exec.is_some() || i.args.trim_start().starts_with("exec ") {
                good.push(Evidence::at(&df.path, i.line));
            } else {
                bad.push(Evidence::at(&df.path, i.line).note(format!(
                    "{kw} in shell form: /bin/sh is PID 1 and does not forward SIGTERM"
                )));
            }
        }
    }
    if !bad.is_empty() {
        Outcome::fail(format!("{} CMD/ENTRYPOINT in shell form", bad.len()), bad)
    } else if good.is_empty() {
        Outcome::na("no CMD or ENTRYPOINT: the images keep their base image's command")
    } else {
        Outcome::pass("CMD and ENTRYPOINT use the exec (JSON) form", good)
    }
}

static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(passw(or)?d|passphrase|secret|token|api_?key|apikey|private_?key|access_?key|auth_?key|credentials?)",
    )
});
/// Names that mention a secret but hold something else (a path, a length, a URL…).
static NOT_A_SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)_(file|path|dir|length|len|ttl|expiry|expires|expiration|timeout|url|uri|host|port|header|name|user|username|enabled|type|algorithm|version|env)$",
    )
});

/// Is this literal value a placeholder rather than a real credential?
fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    let lower = t.to_ascii_lowercase();
    t.is_empty()
        || t.starts_with('$')
        || t.starts_with('/')
        || t.starts_with('<')
        || t.chars().all(|c| c.is_ascii_digit())
        || matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "none" | "null" | "unset")
        || t.contains("${")
        || super::secrets::is_placeholder(t)
        || t.chars().all(|c| c == 'x' || c == 'X' || c == '*')
        // A URL without user information is an endpoint, not a credential.
        || ((lower.starts_with("http://") || lower.starts_with("https://")) && !t.contains('@'))
}

/// Shows that a value is there without revealing it.
fn redact(v: &str) -> String {
    let n = v.chars().count();
    if n >= 12 {
        let head: String = v.chars().take(2).collect();
        format!("{head}… ({n} chars, redacted)")
    } else {
        format!("({n} chars, redacted)")
    }
}

fn no_secrets_in_env(ctx: &Context) -> Outcome {
    // Examples too: a secret in an example is still published.
    let all: Vec<&Dockerfile> = ctx.index.dockerfiles().iter().collect();
    if all.is_empty() {
        return Outcome::na(NO_DOCKERFILE);
    }
    let mut bad = Vec::new();
    for df in &all {
        for ins in df
            .instructions
            .iter()
            .filter(|i| i.is("ENV") || i.is("ARG"))
        {
            for (k, v) in ins.key_values() {
                let Some(v) = v else { continue };
                if SECRET_NAME.is_match(&k)
                    && !NOT_A_SECRET_NAME.is_match(&k)
                    && !is_placeholder(&v)
                {
                    bad.push(Evidence::at(&df.path, ins.line).note(format!(
                        "{} {k} has a literal value {}",
                        ins.keyword,
                        redact(&v)
                    )));
                }
            }
        }
    }
    if bad.is_empty() {
        Outcome::pass(
            "no ARG or ENV with a secret-like name carries a literal value",
            all.iter().map(|d| Evidence::file(&d.path)).collect(),
        )
    } else {
        Outcome::fail(
            format!(
                "{} secret-like ARG/ENV value(s) baked into image layers and history",
                bad.len()
            ),
            bad,
        )
    }
}

static APT_INSTALL: LazyLock<Regex> = LazyLock::new(|| re(r"\bapt(-get)?\s+(-\S+\s+)*install\b"));
static APK_ADD: LazyLock<Regex> = LazyLock::new(|| re(r"\bapk\s+(-\S+\s+)*add\b"));
static PIP_INSTALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(^|[^\w-])(pip3?(\.\d+)?|python3?(\.\d+)?\s+-m\s+pip)\s+install\b"));
static UV_PIP: LazyLock<Regex> = LazyLock::new(|| re(r"\buv\s+pip\s+install\b"));
static RPM_INSTALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b"));
static RPM_CLEAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(yum|dnf|microdnf)\s+clean\s+all\b|/var/cache/(yum|dnf)"));
static NPM_INSTALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bnpm\s+(install|i)\b((\s+-[-\w=]+)*)\s*($|&&|;|\||\))"));

/// Cache-hygiene problems of one RUN, as short notes.
fn run_hygiene(
    ins: &Instruction,
    pip_env: bool,
    npm_lock: bool,
) -> Vec<(&'static Regex, &'static str)> {
    let script = ins.script();
    let cache_mount = ins
        .flags
        .iter()
        .any(|f| f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("type=cache")));
    let mut out: Vec<(&'static Regex, &'static str)> = Vec::new();
    if APT_INSTALL.is_match(&script) {
        if !script.contains("--no-install-recommends")
            && !script.contains("Install-Recommends=false")
            && !script.contains("Install-Recommends \"false\"")
        {
            out.push((
                &*APT_INSTALL,
                "apt-get install without --no-install-recommends",
            ));
        }
        if !cache_mount && !script.contains("/var/lib/apt/lists") {
            out.push((
                &APT_INSTALL,
                "apt-get install without rm -rf /var/lib/apt/lists/* (or a cache mount)",
            ));
        }
    }
    if APK_ADD.is_match(&script)
        && !cache_mount
        && !script.contains("--no-cache")
        && !script.contains("/var/cache/apk")
    {
        out.push((&*APK_ADD, "apk add without --no-cache"));
    }
    let pip_lines: Vec<&str> = script
        .lines()
        .filter(|l| PIP_INSTALL.is_match(l) && !UV_PIP.is_match(l))
        .collect();
    if !pip_lines.is_empty()
        && !cache_mount
        && !pip_env
        && !pip_lines.iter().all(|l| l.contains("--no-cache-dir"))
    {
        out.push((&*PIP_INSTALL, "pip install without --no-cache-dir"));
    }
    if RPM_INSTALL.is_match(&script) && !cache_mount && !RPM_CLEAN.is_match(&script) {
        out.push((&*RPM_INSTALL, "yum/dnf install without clean all"));
    }
    if npm_lock && NPM_INSTALL.is_match(&script) {
        out.push((
            &NPM_INSTALL,
            "npm install of the project: npm ci installs exactly the lockfile",
        ));
    }
    out
}

fn package_cache_hygiene(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    let images = shipped_images(ctx);
    if images.is_empty() {
        return no_runtime_image(&all);
    }
    // `npm ci` needs a lockfile; without one `npm install` is the only choice.
    let npm_lock = ctx.index.named("package-lock.json").next().is_some()
        || ctx.index.named("npm-shrinkwrap.json").next().is_some();
    let mut bad = Vec::new();
    let mut good = Vec::new();
    for df in images {
        // Only stages that end up in the image: a builder stage's cache is thrown away.
        let ins = final_instructions(df);
        let pip_env = ins
            .iter()
            .any(|i| i.is("ENV") && i.key_values().iter().any(|(k, _)| k == "PIP_NO_CACHE_DIR"));
        for i in ins.iter().filter(|i| i.is("RUN")) {
            let problems = run_hygiene(i, pip_env, npm_lock);
            let script = i.script();
            let installs = [&*APT_INSTALL, &*APK_ADD, &*PIP_INSTALL, &*RPM_INSTALL]
                .iter()
                .any(|r| r.is_match(&script))
                || (npm_lock && NPM_INSTALL.is_match(&script));
            if problems.is_empty() {
                if installs {
                    good.push(Evidence::at(&df.path, i.line));
                }
                continue;
            }
            for (r, note) in problems {
                bad.push(Evidence::at(&df.path, line_in(ctx, df, i, r)).note(note));
            }
        }
    }
    if !bad.is_empty() {
        Outcome::fail(
            format!(
                "{} package install(s) leave caches or extras in the final image",
                bad.len()
            ),
            bad,
        )
    } else if good.is_empty() {
        Outcome::na("the final images install no packages")
    } else {
        Outcome::pass(
            "package installs in the final images clean up after themselves",
            good,
        )
    }
}

fn dockerignore(ctx: &Context) -> Outcome {
    let all = dockerfiles(ctx);
    if all.is_empty() {
        return Outcome::na(NO_DOCKERFILE);
    }
    // Build contexts declared by compose for a Dockerfile.
    let mut contexts: HashMap<String, Vec<String>> = HashMap::new();
    for c in ctx.index.compose_files() {
        for s in &c.services {
            if let Some(b) = &s.build {
                if let (Some(df), Some(dir)) = (c.build_dockerfile(b), c.build_context(b)) {
                    contexts.entry(df).or_default().push(dir);
                }
            }
        }
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for df in &all {
        let dir = dir_of(&df.path);
        let mut candidates = vec![
            format!("{}.dockerignore", df.path),
            join(dir, ".dockerignore"),
            join(dir, ".containerignore"),
            ".dockerignore".to_string(),
            ".containerignore".to_string(),
        ];
        for c in contexts.get(&df.path).into_iter().flatten() {
            candidates.push(join(c, ".dockerignore"));
        }
        match candidates.iter().find(|p| ctx.index.exists(p)) {
            Some(p) => good.push(Evidence::file(p.as_str())),
            None => bad.push(Evidence::file(&df.path).note(format!(
                "no .dockerignore in {}: the whole directory (.git, .env, caches) is sent as build context",
                if dir.is_empty() { "the repository root" } else { dir }
            ))),
        }
    }
    if bad.is_empty() {
        Outcome::pass("every build context has a .dockerignore", good)
    } else {
        let first = dir_of(&bad[0].path).to_string();
        Outcome::fail(
            format!("{} Dockerfile(s) without a .dockerignore", bad.len()),
            bad,
        )
        .with_fix(dockerignore_for(ctx, &first))
    }
}

/// A .dockerignore for the build context `dir`: what never belongs in an image (git data,
/// local environment files but their example, logs) and each detected stack's dependency
/// and build caches.
fn dockerignore_for(ctx: &Context, dir: &str) -> Option<String> {
    if !super::starter::safe_dir(dir) {
        return None;
    }
    let mut out = format!("# {}\n", join(dir, ".dockerignore"));
    out.push_str(".git\n.github\n.env\n.env.*\n!.env.example\n*.log\ncoverage\n");
    for stack in ctx.stacks {
        let entries = match stack.id {
            StackId::Node => "node_modules\n.npm\n.turbo\n",
            StackId::Python => {
                ".venv\n**/__pycache__\n*.py[cod]\n.pytest_cache\n.mypy_cache\n.ruff_cache\n"
            }
            StackId::Go => "bin\n",
            StackId::Rust => "target\n",
            StackId::Java => "target\nbuild\n.gradle\n",
            StackId::Ruby => ".bundle\nvendor/bundle\nlog\ntmp\n",
            StackId::Dotnet => "**/bin\n**/obj\n",
        };
        // Java and Rust both build into target/: each entry once.
        for entry in entries.lines() {
            if !out.lines().any(|l| l == entry) {
                out.push_str(entry);
                out.push('\n');
            }
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Compose rules.

/// A service as the merged compose files of its directory define it (base + overrides).
struct ComposedService<'a> {
    file: &'a ComposeFile,
    defs: Vec<(&'a ComposeFile, &'a Service)>,
}

impl<'a> ComposedService<'a> {
    fn first(&self) -> &'a Service {
        self.defs[0].1
    }
    fn at(&self) -> Evidence {
        Evidence::at(&self.file.path, self.first().line)
    }
    fn any(&self, f: impl Fn(&Service) -> bool) -> bool {
        self.defs.iter().any(|(_, s)| f(s))
    }
    /// Keys may come from another file through `extends`: do not claim they are missing.
    fn unknown(&self) -> bool {
        self.any(|s| s.extends_other_file)
    }
}

/// Compose files the rules judge: parsed, with services, not CI/test-only.
fn compose_files<'a>(ctx: &Context<'a>) -> Vec<&'a ComposeFile> {
    ctx.index
        .compose_files()
        .iter()
        .filter(|c| {
            c.error.is_none()
                && !c.services.is_empty()
                && !c.is_test_only()
                && !is_example(&c.path)
                && !c.path.split('/').any(|s| s == ".devcontainer")
        })
        .collect()
}

/// Services by directory, overrides merged into their base file's services.
fn composed<'a>(files: &[&'a ComposeFile]) -> Vec<ComposedService<'a>> {
    let mut by_dir: BTreeMap<&str, Vec<&'a ComposeFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_dir {
        // Base files first, so evidence cites the file that declares the service.
        group.sort_by_key(|f| (f.is_variant(), f.path.clone()));
        let mut index: HashMap<&str, usize> = HashMap::new();
        let start = out.len();
        for f in group {
            for s in &f.services {
                match index.get(s.name.as_str()) {
                    Some(&i) => {
                        let cs: &mut ComposedService = &mut out[start + i];
                        cs.defs.push((f, s));
                    }
                    None => {
                        index.insert(&s.name, out.len() - start);
                        out.push(ComposedService {
                            file: f,
                            defs: vec![(f, s)],
                        });
                    }
                }
            }
        }
    }
    out
}

const NO_COMPOSE: &str = "no Docker Compose file";
const DEV_TOOLS_ONLY: &str =
    "compose runs development tools only (mail catchers, database admin UIs, test runners)";

/// Composed services without the development tools (mail catchers, admin UIs, test
/// runners): restart policies, health checks and limits are about the application and what
/// it depends on.
fn app_services<'a>(files: &[&'a ComposeFile]) -> Vec<ComposedService<'a>> {
    composed(files)
        .into_iter()
        .filter(|s| !s.any(Service::is_dev_tool))
        .collect()
}

/// Runs a per-service predicate over every composed service; `good` gives the pass note.
fn per_service(
    ctx: &Context,
    has: impl Fn(&ComposedService) -> Option<Evidence>,
    missing: &str,
    pass_msg: &str,
    fail_msg: impl Fn(usize, usize) -> String,
) -> Outcome {
    let files = compose_files(ctx);
    if files.is_empty() {
        return Outcome::na(NO_COMPOSE);
    }
    let services = app_services(&files);
    if services.is_empty() {
        return Outcome::na(DEV_TOOLS_ONLY);
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for s in &services {
        if let Some(e) = has(s) {
            good.push(e);
        } else if !s.unknown() {
            bad.push(
                s.at()
                    .note(format!("service {}: {missing}", s.first().name)),
            );
        }
    }
    if bad.is_empty() {
        if good.is_empty() {
            return Outcome::na("every service extends one from another file");
        }
        Outcome::pass(pass_msg, good)
    } else {
        Outcome::fail(fail_msg(bad.len(), services.len()), bad)
    }
}

/// Services that others wait for with `condition: service_completed_successfully`: one-shot
/// jobs (a migration, a seed) that exit by design, so a restart policy or a healthcheck
/// would be wrong for them.
fn one_shot_jobs(ctx: &Context) -> HashSet<String> {
    compose_files(ctx)
        .iter()
        .flat_map(|f| &f.services)
        .flat_map(|s| s.awaits_completion.iter().cloned())
        .collect()
}

/// Evidence that `s` is a one-shot job, if it is one.
fn one_shot(s: &ComposedService, jobs: &HashSet<String>) -> Option<Evidence> {
    let name = &s.first().name;
    jobs.contains(name).then(|| {
        s.at()
            .note(format!("service {name}: a job others wait to complete"))
    })
}

fn compose_restart(ctx: &Context) -> Outcome {
    let jobs = one_shot_jobs(ctx);
    per_service(
        ctx,
        |s| {
            if let Some(e) = one_shot(s, &jobs) {
                return Some(e);
            }
            s.defs.iter().find_map(|(_, svc)| {
                if let Some(r) = &svc.restart {
                    Some(s.at().note(format!("restart: {r}")))
                } else if svc.deploy_restart {
                    Some(s.at().note("deploy.restart_policy"))
                } else {
                    None
                }
            })
        },
        "no restart policy",
        "every service has a restart policy",
        |n, t| format!("{n} of {t} service(s) have no restart policy: a crash leaves them down"),
    )
}

/// Does the Dockerfile this service builds declare a HEALTHCHECK?
fn built_image_healthcheck(ctx: &Context, file: &ComposeFile, s: &Service) -> Option<Evidence> {
    let path = file.build_dockerfile(s.build.as_ref()?)?;
    let df = ctx.index.dockerfiles().iter().find(|d| d.path == path)?;
    let h = final_instructions(df)
        .into_iter()
        .rev()
        .find(|i| i.is("HEALTHCHECK"))?;
    (!h.args.trim().eq_ignore_ascii_case("none")).then(|| {
        Evidence::at(&df.path, h.line).note(format!(
            "service {} inherits the image's HEALTHCHECK",
            s.name
        ))
    })
}

fn compose_healthchecks(ctx: &Context) -> Outcome {
    let jobs = one_shot_jobs(ctx);
    per_service(
        ctx,
        |s| {
            if let Some(e) = one_shot(s, &jobs) {
                return Some(e);
            }
            // A one-off task (`restart: "no"`) exits: there is no health to check.
            if let Some(r) = s.defs.iter().find_map(|(_, x)| x.restart.as_deref()) {
                if r == "no" {
                    return Some(
                        s.at()
                            .note(format!("service {}: one-off task", s.first().name)),
                    );
                }
            }
            s.defs.iter().find_map(|(f, svc)| match &svc.healthcheck {
                Some(h) if h.disabled => Some(Evidence::at(&f.path, h.line).note(format!(
                    "service {}: healthcheck disabled on purpose",
                    svc.name
                ))),
                Some(h) => Some(Evidence::at(&f.path, h.line)),
                None => built_image_healthcheck(ctx, f, svc),
            })
        },
        "no healthcheck",
        "every service has a healthcheck",
        |n, t| {
            format!("{n} of {t} service(s) have no healthcheck: depends_on cannot wait for them to be ready")
        },
    )
}

fn compose_limits(ctx: &Context) -> Outcome {
    per_service(
        ctx,
        |s| {
            s.any(|svc| svc.mem_limit).then(|| {
                let cpu = if s.any(|svc| svc.cpu_limit) {
                    "memory and CPU limits"
                } else {
                    "memory limit"
                };
                s.at().note(cpu)
            })
        },
        "no memory limit (deploy.resources.limits.memory or mem_limit)",
        "every service has a memory limit",
        |n, t| format!("{n} of {t} service(s) have no memory limit: one leak can exhaust the host"),
    )
}

fn compose_logging(ctx: &Context) -> Outcome {
    per_service(
        ctx,
        |s| {
            s.defs.iter().find_map(|(f, svc)| {
                let l = svc.logging.as_ref()?;
                (l.driver.is_some() || l.max_size).then(|| {
                    Evidence::at(&f.path, l.line).note(match (&l.driver, l.max_size) {
                        (Some(d), true) => format!("driver {d}, rotated"),
                        (Some(d), false) => format!("driver {d}"),
                        (None, _) => "log rotation (max-size)".to_string(),
                    })
                })
            })
        },
        "no logging configuration: the default json-file driver never rotates",
        "every service configures logging",
        |n, t| format!("{n} of {t} service(s) log with the default unbounded json-file driver"),
    )
}

fn compose_networks(ctx: &Context) -> Outcome {
    let files = compose_files(ctx);
    if files.is_empty() {
        return Outcome::na(NO_COMPOSE);
    }
    let services = app_services(&files);
    if services.is_empty() {
        return Outcome::na(DEV_TOOLS_ONLY);
    }
    // Networks declared at the top level of the files of each directory.
    let mut declared: HashMap<&str, HashSet<&str>> = HashMap::new();
    for f in &files {
        declared
            .entry(f.dir())
            .or_default()
            .extend(f.networks.iter().map(|(n, _)| n.as_str()));
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for s in &services {
        let nets = declared.get(s.file.dir());
        let on_declared = s.any(|svc| {
            svc.network_mode.is_some()
                || svc
                    .networks
                    .iter()
                    .any(|n| nets.is_some_and(|d| d.contains(n.as_str())))
        }) || nets.is_some_and(|d| d.contains("default"));
        if on_declared {
            good.push(s.at());
        } else if !s.unknown() {
            bad.push(s.at().note(format!(
                "service {}: on the implicit default network",
                s.first().name
            )));
        }
    }
    if bad.is_empty() {
        if good.is_empty() {
            return Outcome::na("every service extends one from another file");
        }
        Outcome::pass("services join declared networks", good)
    } else {
        Outcome::fail(
            format!(
                "{} of {} service(s) are not on a declared network: every container can reach every other",
                bad.len(),
                services.len()
            ),
            bad,
        )
    }
}

fn compose_app_service(ctx: &Context) -> Outcome {
    let files = compose_files(ctx);
    if files.is_empty() {
        return Outcome::na(NO_COMPOSE);
    }
    let server_code = !crate::detect::server_code(ctx.index).is_empty();
    if dockerfiles(ctx).is_empty() && !server_code {
        return Outcome::na(
            "no Dockerfile and no server code: the compose file provides backing services only",
        );
    }
    let mut apps = Vec::new();
    let mut infra = Vec::new();
    for s in app_services(&files) {
        let svc = s.first();
        if s.any(|x| x.build.is_some()) {
            apps.push(s.at().note(format!("service {} builds an image", svc.name)));
            continue;
        }
        match s.defs.iter().find_map(|(_, x)| x.image.as_deref()) {
            Some(img) if is_infra_image(img) => infra.push(img.to_string()),
            Some(img) => apps.push(s.at().note(format!("service {} runs {img}", svc.name))),
            None => {}
        }
    }
    if !apps.is_empty() {
        return Outcome::pass("compose runs the application itself", apps);
    }
    let anchor = files
        .iter()
        .find(|f| !f.is_variant())
        .or(files.first())
        .map(|f| match f.services_line {
            Some(l) => Evidence::at(&f.path, l),
            None => Evidence::file(&f.path),
        });
    Outcome::fail(
        format!(
            "compose starts only backing services ({}): the application is started by hand",
            infra.join(", ")
        ),
        anchor
            .map(|e| e.note("no service builds or runs the application"))
            .into_iter()
            .collect(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "dockerfile-multi-stage",
        title: "Images are built in stages",
        category: Category::Containers,
        weight: 5,
        applies: Applies::ALL,
        rationale: "A multi-stage build compiles and installs in a builder stage and copies only \
            the result into the final image: no compilers, package caches or source in \
            production, a smaller image and a smaller attack surface.",
        passes_when: "Every shipped Dockerfile (dev/test/CI/build/devcontainer helpers and examples \
            aside) has at \
            least two stages, or is a single stage that installs and builds nothing (it only \
            packages prebuilt files).",
        remediation: "Install dependencies and build in a `builder` stage, then start the final \
            stage from a slim or distroless base and `COPY --from=builder` only what runs.",
        snippet: Some("# Dockerfile\nFROM <toolchain image> AS build\nWORKDIR /src\nCOPY . .\nRUN <install dependencies and build>\n\nFROM <slim runtime image>\nCOPY --from=build /src/<build output> /app/\nUSER 10001\nCMD [\"/app/<entry point>\"]"),
        snippets: &[
            (StackId::Node, "# Dockerfile\nFROM node:22-slim AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build && npm prune --omit=dev\n\nFROM node:22-slim\nWORKDIR /app\nENV NODE_ENV=production\nCOPY --from=build /app/package.json ./\nCOPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nUSER node\nCMD [\"node\", \"dist/server.js\"]"),
            (StackId::Python, "# Dockerfile\nFROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN pip install --no-cache-dir uv && uv sync --frozen --no-dev\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app/.venv /app/.venv\nCOPY src/ ./src/\nUSER 1000\nCMD [\"/app/.venv/bin/python\", \"-m\", \"app\"]"),
            (StackId::Go, "# Dockerfile\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]"),
            (StackId::Rust, "# Dockerfile\nFROM rust:1-slim AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release --locked\n\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /usr/local/bin/app\nUSER 10001\nENTRYPOINT [\"/usr/local/bin/app\"]"),
            (StackId::Java, "# Dockerfile\nFROM eclipse-temurin:21-jdk AS build\nWORKDIR /src\nCOPY . .\nRUN ./mvnw --batch-mode package -DskipTests\n\nFROM eclipse-temurin:21-jre\nCOPY --from=build /src/target/*.jar /app/app.jar\nUSER 10001\nENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]"),
            (StackId::Dotnet, "# Dockerfile\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /out\n\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /out .\nUSER app\nENTRYPOINT [\"dotnet\", \"MyService.dll\"]"),
        ],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(multi_stage),
    },
    Rule {
        id: "dockerfile-non-root-user",
        title: "Containers run as a non-root user",
        category: Category::Containers,
        weight: 8,
        applies: Applies::ALL,
        rationale: "A process running as root inside a container is root on the host's kernel: \
            any container escape or writable host mount becomes a full compromise. Hadolint \
            DL3002, Checkov CKV_DOCKER_8 and Trivy DS-0002 all flag it.",
        passes_when: "The final stage of every runtime image (inherited stages included) ends \
            with a USER that is not root or 0, or builds on a base that runs as non-root \
            (distroless `:nonroot`, Chainguard). GitHub container actions are exempt: GitHub \
            requires them to run as root.",
        remediation: "Create an unprivileged user and switch to it after the last step that \
            needs root.",
        snippet: Some("# Dockerfile (final stage)\nRUN useradd --create-home --uid 10001 app\nUSER 10001"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(non_root_user),
    },
    Rule {
        id: "dockerfile-healthcheck",
        title: "Service images declare a health check",
        category: Category::Containers,
        weight: 6,
        applies: Applies::SERVICE,
        rationale: "Without a health check Docker and Compose only know whether the process \
            exists: a deadlocked server keeps receiving traffic and is never restarted.",
        passes_when: "Every runtime image that runs a server (EXPOSE, or a server command such \
            as uvicorn, gunicorn, nginx, java -jar) has a HEALTHCHECK other than NONE in its \
            final stage, or its health is checked where it runs (a compose healthcheck on the \
            service that builds it, Kubernetes or Helm probes). Job and CLI images are not \
            asked.",
        remediation: "Add a HEALTHCHECK that calls the service's health endpoint with a short \
            timeout.",
        snippet: Some("# Dockerfile\nHEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n  CMD curl -fsS http://localhost:8080/health || exit 1"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(healthcheck),
    },
    Rule {
        id: "dockerfile-base-image-pinned",
        title: "Base images are pinned",
        category: Category::Containers,
        weight: 5,
        applies: Applies::ALL,
        rationale: "`FROM node` or `FROM python:latest` pulls whatever was published last: the \
            same commit builds a different image tomorrow, and a broken or compromised upstream \
            release lands without review. A digest is fully reproducible; a version tag at least \
            moves only within a release line.",
        passes_when: "Every FROM that names an external image has a digest (`@sha256:…`, best) \
            or an explicit tag that is not a moving alias (latest, stable, lts, edge, alpine, \
            slim, …). scratch, earlier stage names and build-argument bases are not judged.",
        remediation: "Pin each base image to a version tag, ideally with its digest, and let \
            Dependabot or Renovate propose updates.",
        snippet: Some("# Dockerfile\nFROM python:3.12.7-slim-bookworm@sha256:<digest>\n# .github/dependabot.yml\n#   - package-ecosystem: docker\n#     directory: /\n#     schedule: {interval: weekly}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(base_image_pinned),
    },
    Rule {
        id: "dockerfile-exec-form",
        title: "CMD and ENTRYPOINT use the exec form",
        category: Category::Containers,
        weight: 3,
        applies: Applies::ALL,
        rationale: "In shell form (`CMD node server.js`) the process runs under `/bin/sh -c`, \
            which becomes PID 1 and does not pass SIGTERM on: the application never shuts down \
            gracefully and is killed after the timeout (hadolint DL3025).",
        passes_when: "The effective CMD and ENTRYPOINT of every shipped image are JSON arrays, \
            or shell form starting with `exec`.",
        remediation: "Write CMD and ENTRYPOINT as JSON arrays.",
        snippet: Some("# Dockerfile\nCMD [\"node\", \"dist/server.js\"]"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(exec_form),
    },
    Rule {
        id: "dockerfile-no-secrets-in-env",
        title: "No secrets in ARG or ENV",
        category: Category::Containers,
        weight: 8,
        applies: Applies::ALL,
        rationale: "ENV values are stored in the image configuration and ARG values in its \
            history: anyone who can pull the image can read them with `docker inspect` or \
            `docker history` (hadolint DL3064, Trivy DS-0031).",
        passes_when: "No ARG or ENV whose name looks like a credential (PASSWORD, SECRET, TOKEN, \
            API_KEY, PRIVATE_KEY, ACCESS_KEY…) is given a literal value in any Dockerfile. Paths, \
            variable references and obvious placeholders are not counted.",
        remediation: "Remove the value and rotate it; pass build-time secrets with BuildKit \
            secret mounts and runtime secrets through the environment or a secret store.",
        snippet: Some("# Dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token \\\n    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n# build: docker build --secret id=npm_token,env=NPM_TOKEN ."),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(no_secrets_in_env),
    },
    Rule {
        id: "dockerfile-package-cache-hygiene",
        title: "Package installs clean up in the final image",
        category: Category::Containers,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Package indexes, download caches and recommended extras left in a layer \
            stay in the image forever: larger pulls, slower deploys and more packages to patch \
            (hadolint DL3009, DL3015, DL3019, DL3042).",
        passes_when: "In the stages that make up each shipped image: apt-get install uses \
            --no-install-recommends and removes /var/lib/apt/lists (or a cache mount); apk add \
            uses --no-cache; pip install uses --no-cache-dir (or PIP_NO_CACHE_DIR); yum/dnf \
            run clean all; the project's npm dependencies come from npm ci. Builder stages are \
            not judged.",
        remediation: "Clean up in the same RUN that installs, or use BuildKit cache mounts.",
        snippet: Some("# Dockerfile\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends ca-certificates \\\n && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir -r requirements.txt"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(package_cache_hygiene),
    },
    Rule {
        id: "dockerignore-present",
        title: ".dockerignore beside each build context",
        category: Category::Containers,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Without a .dockerignore the whole directory is sent to the builder: `.git`, \
            local `.env` files and caches slow every build, bust the layer cache and can end up \
            in the image with a broad `COPY . .`.",
        passes_when: "For each Dockerfile a .dockerignore exists in its directory, at the \
            repository root, in the compose build context that uses it, or as \
            `<Dockerfile>.dockerignore` beside it.",
        remediation: "Add a .dockerignore next to the Dockerfile (or at the root of the build \
            context).",
        snippet: Some("# .dockerignore\n.git\n.github\n.env*\n**/__pycache__\n**/node_modules\n.venv\ncoverage\ntests\n*.md"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(dockerignore),
    },
    Rule {
        id: "compose-restart-policies",
        title: "Compose services restart on failure",
        category: Category::Containers,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Without a restart policy a crashed container or a host reboot leaves the \
            service down until someone notices.",
        passes_when: "Every service of every compose file (CI/test-only files aside, overrides \
            merged) sets `restart:` (an explicit \"no\" counts as a decision) or \
            `deploy.restart_policy`.",
        remediation: "Add `restart: unless-stopped` (or `on-failure`) to each long-running \
            service.",
        snippet: Some("# docker-compose.yml\nservices:\n  api:\n    restart: unless-stopped"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_restart),
    },
    Rule {
        id: "compose-healthchecks",
        title: "Compose services have healthchecks",
        category: Category::Containers,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Healthchecks let `depends_on: condition: service_healthy` wait until a \
            database accepts connections and show unhealthy containers in `docker ps` \
            (KICS \"Healthcheck Not Set\").",
        passes_when: "Every service has a `healthcheck:` (a deliberate `disable: true` counts), \
            or builds an image whose Dockerfile declares a HEALTHCHECK.",
        remediation: "Add a healthcheck per service and make dependants wait for \
            `service_healthy`.",
        snippet: Some("# docker-compose.yml\nservices:\n  db:\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 5s\n      retries: 5\n  api:\n    depends_on:\n      db: {condition: service_healthy}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_healthchecks),
    },
    Rule {
        id: "compose-resource-limits",
        title: "Compose services have memory limits",
        category: Category::Containers,
        weight: 3,
        applies: Applies::ALL,
        rationale: "An unbounded container can take all the host's memory and get unrelated \
            services killed by the OOM killer (KICS \"Memory Not Limited\").",
        passes_when: "Every service sets a memory limit (`deploy.resources.limits.memory` or \
            `mem_limit`). CPU limits are reported but not required.",
        remediation: "Set memory (and CPU) limits sized from observed usage.",
        snippet: Some("# docker-compose.yml\nservices:\n  api:\n    deploy:\n      resources:\n        limits: {cpus: \"1.0\", memory: 512M}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_limits),
    },
    Rule {
        id: "compose-named-networks",
        title: "Compose services use declared networks",
        category: Category::Containers,
        weight: 2,
        applies: Applies::ALL,
        rationale: "Declared networks document which services talk to each other and keep, for \
            example, the database off the network the reverse proxy sits on \
            (KICS \"Networks Not Set\").",
        passes_when: "Every service joins a network declared under the top-level `networks:` \
            (or sets `network_mode`), or the top level configures the `default` network.",
        remediation: "Declare networks and attach each service to the ones it needs.",
        snippet: Some("# docker-compose.yml\nservices:\n  api:\n    networks: [frontend, backend]\n  db:\n    networks: [backend]\nnetworks:\n  frontend:\n  backend:\n    internal: true"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_networks),
    },
    Rule {
        id: "compose-logging",
        title: "Compose services configure logging",
        category: Category::Containers,
        weight: 2,
        applies: Applies::ALL,
        rationale: "Docker's default json-file driver keeps every log line forever: a chatty \
            service fills the disk. A driver choice or rotation options make the log volume \
            bounded and say where logs go.",
        passes_when: "Every service has a `logging:` block with a driver or `max-size` rotation \
            (a shared `x-logging` anchor counts).",
        remediation: "Define a logging anchor once and merge it into every service.",
        snippet: Some("# docker-compose.yml\nx-logging: &logging\n  logging:\n    driver: json-file\n    options: {max-size: \"10m\", max-file: \"3\"}\nservices:\n  api:\n    <<: *logging"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_logging),
    },
    Rule {
        id: "compose-app-service",
        title: "Compose runs the application, not only its dependencies",
        category: Category::Containers,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "When compose starts only the database and cache, the application itself is \
            started by hand with a local toolchain: environments drift and the image that ships \
            is never run locally.",
        passes_when: "At least one service builds an image (`build:`) or runs an image that is \
            not a well-known backing service (databases, caches, brokers, proxies, \
            observability and mail/dev tools).",
        remediation: "Add a service that builds the project's Dockerfile and depends on the \
            backing services.",
        snippet: Some("# docker-compose.yml\nservices:\n  api:\n    build: .\n    env_file: .env\n    ports: [\"8000:8000\"]\n    depends_on:\n      postgres: {condition: service_healthy}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(compose_app_service),
    },
];

pub const SIGNALS: &[Signal] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SERVER: &str = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir -r requirements.txt\nEXPOSE 8000\nUSER app\nHEALTHCHECK CMD curl -f http://localhost:8000/health\nCMD [\"uvicorn\", \"app:app\"]\n";

    #[test]
    fn every_container_rule_is_na_without_its_subject() {
        for r in RULES {
            let o = run(r, &[("README.md", "# x\n"), ("pyproject.toml", "")]);
            assert_eq!(o.status, crate::rules::Status::Na, "{}: {o:?}", r.id);
        }
    }

    #[test]
    fn multi_stage() {
        let r = rule(RULES, "dockerfile-multi-stage");
        let o = assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        // Packaging a prebuilt binary needs no second stage.
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM scratch\nCOPY tool /tool\nENTRYPOINT [\"/tool\"]\n",
            )],
        );
        let o = assert_fail(r, &[("Dockerfile", SERVER)]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("Dockerfile", Some(1))
        );
        // Development images are not judged.
        assert_na(r, &[("Dockerfile.dev", SERVER)]);
    }

    #[test]
    fn non_root_user() {
        let r = rule(RULES, "dockerfile-non-root-user");
        let o = assert_pass(r, &[("Dockerfile", SERVER)]);
        assert_eq!(o.evidence[0].line, Some(5));
        // USER inherited from the stage the final stage builds on.
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM node:20 AS base\nUSER node\nFROM base\nCMD [\"node\", \"x\"]\n",
            )],
        );
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM gcr.io/distroless/base:nonroot\nCOPY a /a\n",
            )],
        );
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n",
            )],
        );
        let o = assert_fail(
            r,
            &[("Dockerfile", "FROM a:1 AS b\nUSER app\nFROM c:1\nRUN x\n")],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        let o = assert_fail(
            r,
            &[("Dockerfile", "FROM a:1\nUSER app\nRUN x\nUSER 0:0\n")],
        );
        assert_eq!(o.evidence[0].line, Some(4));
        let o = assert_fail(r, &[("Dockerfile", "ARG U=root\nFROM a:1\nUSER ${U}\n")]);
        assert_eq!(o.evidence[0].line, Some(3));
        // The published image of a container action is built from the Dockerfile beside it.
        assert_na(
            r,
            &[
                (
                    "action.yml",
                    "runs:\n  using: docker\n  image: docker://ghcr.io/a/b:1\n",
                ),
                (
                    "Dockerfile",
                    "FROM scratch\nUSER 0:0\nENTRYPOINT [\"/x\"]\n",
                ),
            ],
        );
        // Examples are not the project's images.
        assert_na(r, &[("examples/web/Dockerfile", "FROM nginx:1\n")]);
        // GitHub container actions must run as root.
        assert_na(
            r,
            &[
                (
                    "action.yml",
                    "runs:\n  using: docker\n  image: Dockerfile\n",
                ),
                ("Dockerfile", "FROM alpine:3.20\nENTRYPOINT [\"/run\"]\n"),
            ],
        );
    }

    #[test]
    fn healthcheck() {
        let r = rule(RULES, "dockerfile-healthcheck");
        let o = assert_pass(r, &[("Dockerfile", SERVER)]);
        assert_eq!(o.evidence[0].line, Some(6));
        let no_hc = "FROM python:3.12\nEXPOSE 80\nCMD [\"gunicorn\", \"app\"]\n";
        let o = assert_fail(r, &[("Dockerfile", no_hc)]);
        assert_eq!(o.evidence[0].line, Some(1));
        assert_fail(
            r,
            &[(
                "Dockerfile",
                "FROM nginx:1.27\nEXPOSE 80\nHEALTHCHECK NONE\n",
            )],
        );
        // The compose service that builds the image checks its health.
        let o = assert_pass(
            r,
            &[
                ("Dockerfile", no_hc),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, "compose.yaml");
        assert_eq!(o.evidence[0].line, Some(4));
        // A job image runs to completion.
        assert_na(
            r,
            &[("Dockerfile", "FROM alpine:3\nCMD [\"/bin/backup\"]\n")],
        );
        // FastAPI's own server command, and a frontend served by nginx's inherited command.
        assert_fail(
            r,
            &[(
                "Dockerfile",
                "FROM python:3.12\nCMD [\"fastapi\", \"run\", \"app/main.py\"]\n",
            )],
        );
        let frontend = "FROM node:20 AS build\nRUN npm run build\n\
                        FROM nginx:1\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
        let o = assert_fail(r, &[("frontend/Dockerfile", frontend)]);
        assert_eq!(o.evidence[0].line, Some(3));
        // A start-up script is not recognised as a server, but compose publishes its port.
        let script = "FROM node:20\nCMD [\"/opt/startup.sh\"]\n";
        assert_na(r, &[("Dockerfile", script)]);
        let o = assert_fail(
            r,
            &[
                ("Dockerfile", script),
                (
                    "docker-compose.yaml",
                    "services:\n  app:\n    build: .\n    ports:\n      - \"3000:3000\"\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].path, "Dockerfile");
        // Its own command replaces the inherited one.
        assert_na(
            r,
            &[("Dockerfile", "FROM nginx:1\nCMD [\"/bin/render-config\"]\n")],
        );
    }

    #[test]
    fn base_image_pinned() {
        let r = rule(RULES, "dockerfile-base-image-pinned");
        let o = assert_pass(
            r,
            &[(
                "Dockerfile",
                "ARG GO=1.22\nFROM golang:${GO} AS b\nFROM b AS c\nFROM scratch\nFROM ghcr.io/x/y:1.2@sha256:abc\nFROM $UNSET\n",
            )],
        );
        assert_eq!(o.evidence.len(), 2);
        assert!(
            o.message.contains("1 of 2 are pinned by digest"),
            "{}",
            o.message
        );
        let o = assert_fail(
            r,
            &[(
                "Dockerfile",
                "FROM python:3.12 AS a\nFROM node\nFROM redis:latest\nFROM node:lts-alpine\n",
            )],
        );
        let lines: Vec<_> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
        // A global ARG default that resolves to latest is still latest.
        assert_fail(r, &[("Dockerfile", "ARG BASE=node:latest\nFROM ${BASE}\n")]);
    }

    #[test]
    fn exec_form() {
        let r = rule(RULES, "dockerfile-exec-form");
        assert_pass(r, &[("Dockerfile", SERVER)]);
        assert_pass(r, &[("Dockerfile", "FROM a:1\nCMD exec gunicorn app\n")]);
        let o = assert_fail(
            r,
            &[("Dockerfile", "FROM a:1\nCMD [\"x\"]\nENTRYPOINT /run.sh\n")],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_na(r, &[("Dockerfile", "FROM nginx:1.27\nCOPY x /y\n")]);
    }

    #[test]
    fn no_secrets_in_env_never_shows_the_value() {
        let r = rule(RULES, "dockerfile-no-secrets-in-env");
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM a:1\nARG NPM_TOKEN\nENV API_KEY=${API_KEY} TOKEN_TTL=3600 SECRET_KEY_FILE=/run/secrets/k\nENV DB_PASSWORD=changeme TOKENIZERS_PARALLELISM=false\nENV DJANGO_SECRET_KEY=dummy-for-collectstatic TOKEN_URL=https://auth/x\n",
            )],
        );
        let o = assert_fail(
            r,
            &[(
                "Dockerfile",
                "FROM a:1\nENV PORT=80 \\\n    STRIPE_API_KEY=sk_live_Zq83hfPq2Lx9Wm4T\nARG GITHUB_TOKEN=ghp_R7kQ2mX9pL4v\n",
            )],
        );
        assert_eq!(o.evidence.len(), 2);
        assert_eq!(o.evidence[0].line, Some(2));
        let notes: String = o.evidence.iter().filter_map(|e| e.note.clone()).collect();
        assert!(notes.contains("STRIPE_API_KEY"), "{notes}");
        assert!(
            !notes.contains("Zq83hfPq2Lx9Wm4T") && !notes.contains("R7kQ2mX9pL4v"),
            "{notes}"
        );
    }

    #[test]
    fn package_cache_hygiene_cites_the_command_line() {
        let r = rule(RULES, "dockerfile-package-cache-hygiene");
        assert_pass(
            r,
            &[(
                "Dockerfile",
                "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN --mount=type=cache,target=/root/.cache pip install -r r.txt\nRUN apk add --no-cache git\nRUN npm ci --omit=dev\n",
            )],
        );
        let o = assert_fail(
            r,
            &[(
                "Dockerfile",
                "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\nRUN pip install flask\nRUN npm install\n",
            ),
            ("package-lock.json", "{}"),
            ],
        );
        let lines: Vec<_> = o.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(3), Some(3), Some(4), Some(5)]);
        // Without a lockfile `npm install` is the only way.
        assert_na(r, &[("Dockerfile", "FROM node:20\nRUN npm install\n")]);
        // A builder stage's cache does not reach the image.
        assert_na(
            r,
            &[(
                "Dockerfile",
                "FROM python:3.12 AS b\nRUN pip install x\nFROM python:3.12-slim\nCOPY --from=b /x /x\n",
            )],
        );
        // Heredoc bodies are scripts too.
        assert_fail(
            r,
            &[("Dockerfile", "FROM alpine:3\nRUN <<EOF\napk add git\nEOF\n")],
        );
    }

    #[test]
    fn dockerignore() {
        let r = rule(RULES, "dockerignore-present");
        let o = assert_fail(
            r,
            &[
                ("api/Dockerfile", "FROM a:1\n"),
                ("api/requirements.txt", "flask\n"),
            ],
        );
        let fix = o.fix.expect("a .dockerignore");
        assert!(fix.starts_with("# api/.dockerignore\n.git\n"), "{fix}");
        assert!(
            fix.contains("\n!.env.example\n") && fix.contains("\n.venv\n"),
            "{fix}"
        );
        assert!(!fix.contains("node_modules"), "no Node stack: {fix}");
        assert_pass(
            r,
            &[("Dockerfile", "FROM a:1\n"), (".dockerignore", ".git\n")],
        );
        assert_pass(
            r,
            &[
                ("api/Dockerfile", "FROM a:1\n"),
                ("api/Dockerfile.dockerignore", ".git\n"),
            ],
        );
        assert_pass(
            r,
            &[
                ("docker/api/Dockerfile", "FROM a:1\n"),
                ("svc/.dockerignore", ".git\n"),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build:\n      context: svc\n      dockerfile: ../docker/api/Dockerfile\n",
                ),
            ],
        );
        let o = assert_fail(
            r,
            &[("Dockerfile", "FROM a:1\n"), ("sub/.dockerignore", "x")],
        );
        assert_eq!(o.evidence[0].path, "Dockerfile");
    }

    const INFRA_ONLY: &str = "services:\n  postgres:\n    image: postgres:16-alpine\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  redis:\n    image: redis:7-alpine\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"ping\"]\nvolumes:\n  data:\n";

    const HARDENED: &str = "x-log: &log\n  logging:\n    driver: json-file\n    options: {max-size: 10m}\nservices:\n  api:\n    <<: *log\n    build: .\n    restart: unless-stopped\n    mem_limit: 512m\n    networks: [back]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n  db:\n    <<: *log\n    image: postgres:16\n    restart: always\n    deploy:\n      resources:\n        limits: {memory: 1g, cpus: \"1\"}\n    networks:\n      back: {}\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\nnetworks:\n  back:\n";

    #[test]
    fn compose_rules_pass_on_a_hardened_file() {
        for id in [
            "compose-restart-policies",
            "compose-healthchecks",
            "compose-resource-limits",
            "compose-named-networks",
            "compose-logging",
            "compose-app-service",
        ] {
            assert_pass(
                rule(RULES, id),
                &[
                    ("docker-compose.yml", HARDENED),
                    ("Dockerfile", "FROM a:1\n"),
                ],
            );
        }
    }

    #[test]
    fn compose_rules_fail_at_the_service_line() {
        let files = [("docker-compose.yaml", INFRA_ONLY), ("Dockerfile", SERVER)];
        for id in [
            "compose-restart-policies",
            "compose-resource-limits",
            "compose-named-networks",
            "compose-logging",
        ] {
            let o = assert_fail(rule(RULES, id), &files);
            let lines: Vec<_> = o.evidence.iter().map(|e| e.line).collect();
            assert_eq!(lines, vec![Some(2), Some(6)], "{id}");
        }
        assert_pass(rule(RULES, "compose-healthchecks"), &files);
        let o = assert_fail(
            rule(RULES, "compose-healthchecks"),
            &[("compose.yaml", "services:\n  a:\n    image: x:1\n")],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        let o = assert_fail(rule(RULES, "compose-app-service"), &files);
        assert_eq!(o.evidence[0].line, Some(1));
        assert!(o.message.contains("postgres:16-alpine"), "{}", o.message);
    }

    #[test]
    fn development_tools_are_not_judged_like_the_application() {
        // brocoders/nestjs-boilerplate docker-compose.yaml.
        let nest = "services:\n  postgres:\n    image: postgres:17.4-alpine\n    ports:\n      - ${DATABASE_PORT}:5432\n    volumes:\n      - app-db:/var/lib/postgresql/data\n    environment:\n      POSTGRES_USER: ${DATABASE_USERNAME}\n      POSTGRES_PASSWORD: ${DATABASE_PASSWORD}\n      POSTGRES_DB: ${DATABASE_NAME}\n\n  maildev:\n    image: maildev/maildev:2.0.5\n    ports:\n      - ${MAIL_CLIENT_PORT}:1080\n      - ${MAIL_PORT}:1025\n\n  adminer:\n    image: dpage/pgadmin4\n    container_name: pgadmin4_container\n    restart: always\n    ports:\n      - \"8888:80\"\n\n  redis:\n    image: redis:7-alpine\n    ports:\n      - 6379:6379\n\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    ports:\n      - ${APP_PORT}:${APP_PORT}\n\nvolumes:\n  app-db:\n";
        let dockerfile = "FROM node:22.18.0-alpine\n\nRUN apk add --no-cache bash\nRUN npm i -g @nestjs/cli typescript ts-node\n\nCOPY package*.json /tmp/app/\nRUN cd /tmp/app && npm install\n\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\nRUN npm run build\n\nCMD [\"/opt/startup.relational.dev.sh\"]\n";
        let files = [("docker-compose.yaml", nest), ("Dockerfile", dockerfile)];
        for id in [
            "compose-restart-policies",
            "compose-healthchecks",
            "compose-resource-limits",
            "compose-logging",
            "compose-named-networks",
        ] {
            let o = assert_fail(rule(RULES, id), &files);
            let lines: Vec<_> = o.evidence.iter().map(|e| e.line).collect();
            assert_eq!(lines, vec![Some(2), Some(26), Some(31)], "{id}");
            assert!(o.message.contains("3 of 3"), "{id}: {}", o.message);
        }
        // full-stack-fastapi-template's override: the mail catcher and the Playwright runner
        // are not the application.
        let fastapi = "services:\n  db:\n    image: postgres:18\n  mailcatcher:\n    image: schickling/mailcatcher\n    ports:\n      - \"1080:1080\"\n  playwright:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile.playwright\n";
        let o = assert_fail(
            rule(RULES, "compose-app-service"),
            &[("compose.yml", fastapi), ("Dockerfile", SERVER)],
        );
        assert!(!o.message.contains("mailcatcher"), "{}", o.message);
        // Only tools: nothing to judge.
        assert_na(
            rule(RULES, "compose-restart-policies"),
            &[(
                "compose.yml",
                "services:\n  mailpit:\n    image: axllent/mailpit\n",
            )],
        );
    }

    #[test]
    fn jobs_others_wait_to_complete_need_no_restart_or_healthcheck() {
        let compose = "services:\n  prestart:\n    image: app:1\n    command: alembic upgrade head\n  api:\n    image: app:1\n    restart: always\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n    depends_on:\n      prestart:\n        condition: service_completed_successfully\n";
        for id in ["compose-restart-policies", "compose-healthchecks"] {
            let o = assert_pass(rule(RULES, id), &[("compose.yaml", compose)]);
            assert!(
                o.evidence
                    .iter()
                    .any(|e| e.line == Some(2)
                        && e.note.as_deref().is_some_and(|n| n.contains("job"))),
                "{id}: {:?}",
                o.evidence
            );
        }
        // Waiting only for it to start does not make it a job.
        let started = compose.replace("service_completed_successfully", "service_started");
        assert_fail(
            rule(RULES, "compose-restart-policies"),
            &[("compose.yaml", &started)],
        );
    }

    #[test]
    fn compose_overrides_merge_and_test_files_are_skipped() {
        let r = rule(RULES, "compose-restart-policies");
        assert_pass(
            r,
            &[
                ("compose.yaml", "services:\n  api:\n    image: app:1\n"),
                (
                    "compose.override.yaml",
                    "services:\n  api:\n    restart: always\n",
                ),
            ],
        );
        assert_na(
            r,
            &[("docker-compose.ci.yml", "services:\n  a:\n    image: x\n")],
        );
        // The healthcheck comes from the Dockerfile the service builds.
        assert_pass(
            rule(RULES, "compose-healthchecks"),
            &[
                ("compose.yaml", "services:\n  api:\n    build: ./api\n"),
                ("api/Dockerfile", SERVER),
            ],
        );
    }

    #[test]
    fn app_service_is_na_for_a_library_with_test_databases() {
        // No image and no server code: the compose file only serves the test suite.
        let o = run(
            rule(RULES, "compose-app-service"),
            &[("docker-compose.yml", INFRA_ONLY), ("pyproject.toml", "")],
        );
        assert_eq!(o.status, crate::rules::Status::Na, "{o:?}");
        assert_pass(
            rule(RULES, "compose-app-service"),
            &[
                ("docker-compose.yml", "services:\n  web:\n    image: ghcr.io/acme/web:1.4\n  db:\n    image: postgres:16\n"),
                ("Dockerfile", SERVER),
            ],
        );
    }

    /// Each stack's Dockerfile snippet builds in stages, as the rule asks.
    #[test]
    fn multi_stage_snippets_pass() {
        let r = rule(RULES, "dockerfile-multi-stage");
        let single = "FROM node:22\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/server.js\"]\n";
        assert_fail(r, &[("Dockerfile", single)]);
        for (stack, _) in r.snippets {
            let file = section(stack_snippet(r, *stack), "Dockerfile");
            assert_pass(r, &[("Dockerfile", &file)]);
        }
    }
}
