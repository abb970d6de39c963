//! A first CI workflow for a repository that has none, built from what the repository itself
//! declares: its stacks and where their manifests are, its package manager and lockfile, its
//! own lint, type-check, test and build scripts, its toolchain version files. The audits this
//! tool automates end with fixes written for the repository at hand; a generic `make test`
//! is a worse starting point than `pnpm run test` in the folder that defines it.
//!
//! Every value written into the YAML comes from a fixed list here or is a repository path
//! checked against a plain character set ([`safe_dir`]): a hostile repository cannot inject
//! keys, expressions or commands into the suggestion.

use super::Context;
use crate::detect::{Stack, StackId};
use crate::index::{join_path, parent_dir, Index};
use std::fmt::Write as _;

// Actions pinned to a full commit SHA, as the supply-chain rules ask.
const CHECKOUT: &str = "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2";
const SETUP_NODE: &str = "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0";
const SETUP_PNPM: &str = "pnpm/action-setup@a7487c7e89a18df4991f7f222e4898a00d66ddda # v4.1.0";
const SETUP_PYTHON: &str = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0";
const SETUP_UV: &str = "astral-sh/setup-uv@e92bafb6253dcd438e0484186d7669ea7a8ca1cc # v6.4.3";
const SETUP_GO: &str = "actions/setup-go@d35c59abb061a4a6fb18e82ac0862c26744d6ab5 # v5.5.0";
const SETUP_JAVA: &str = "actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00 # v4.7.1";
const SETUP_DOTNET: &str = "actions/setup-dotnet@67a3573c9a986a3f9c594539f4ab511d57bb3ce9 # v4.3.1";
const SETUP_BUN: &str = "oven-sh/setup-bun@735343b667d3e6f658f44d0eca948eb6282f2b76 # v2.0.2";

/// One job of the workflow: a stack built in the folder of its manifest.
struct Job {
    id: String,
    /// The manifest's folder, relative to the root; empty for the root itself.
    dir: String,
    /// Where the facts came from, for the comment at the top.
    source: String,
    steps: Vec<Step>,
}

enum Step {
    Uses {
        action: &'static str,
        with: Vec<(&'static str, String)>,
    },
    Run {
        name: &'static str,
        command: String,
        /// A folder other than the job's, relative to the root.
        dir: Option<String>,
    },
}

fn uses(action: &'static str, with: Vec<(&'static str, String)>) -> Step {
    Step::Uses { action, with }
}

fn run(name: &'static str, command: impl Into<String>) -> Step {
    Step::Run {
        name,
        command: command.into(),
        dir: None,
    }
}

/// The workflow, or `None` when no stack gives enough to build one (the rule's generic
/// snippet is shown instead).
pub fn workflow(ctx: &Context) -> Option<String> {
    let jobs: Vec<Job> = ctx
        .stacks
        .iter()
        .filter_map(|s| job(ctx.index, s))
        .collect();
    (!jobs.is_empty()).then(|| render(&jobs))
}

/// Jobs that run only the steps named in `purposes` (`Test`, `Lint` …), with the setup and
/// install they need, for a workflow that lacks them; `None` when no stack has such a step.
pub fn jobs_for(ctx: &Context, purposes: &[&str]) -> Option<String> {
    let slug = purposes.first()?.to_ascii_lowercase();
    let jobs: Vec<Job> = ctx
        .stacks
        .iter()
        .filter_map(|s| job(ctx.index, s))
        .filter_map(|mut job| {
            job.steps.retain(|step| match step {
                Step::Uses { .. } => true,
                Step::Run { name, .. } => SETUP_STEPS.contains(name) || purposes.contains(name),
            });
            let kept = job
                .steps
                .iter()
                .any(|step| matches!(step, Step::Run { name, .. } if purposes.contains(name)));
            job.id = format!("{slug}-{}", job.id);
            kept.then_some(job)
        })
        .collect();
    if jobs.is_empty() {
        return None;
    }
    let mut out = String::from("# .github/workflows/ci.yml (jobs to add under jobs:)\n");
    render_jobs(&mut out, &jobs);
    Some(out)
}

/// The toolchain setup steps of each stack's job where they cache dependencies (by an input,
/// or by default as setup-go and setup-uv do), for CI that downloads everything every run.
pub fn cached_setup(ctx: &Context) -> Option<String> {
    let mut out = String::new();
    for job in ctx.stacks.iter().filter_map(|s| job(ctx.index, s)) {
        let caches = job.steps.iter().any(|step| match step {
            Step::Uses { action, with } => {
                with.iter().any(|(k, _)| *k == "cache") || [SETUP_GO, SETUP_UV].contains(action)
            }
            Step::Run { .. } => false,
        });
        if !caches {
            continue;
        }
        // All of the job's setup actions: pnpm must be set up before setup-node caches it.
        let _ = writeln!(out, "      # {} job", job.id);
        for step in &job.steps {
            if matches!(step, Step::Uses { action, .. } if *action != CHECKOUT) {
                render_step(&mut out, step);
            }
        }
    }
    (!out.is_empty())
        .then(|| format!("# .github/workflows/ci.yml (setup steps that cache dependencies)\n{out}"))
}

/// A Makefile whose `setup`, `lint`, `test` and `build` targets run each stack's own commands
/// in the folder that defines them; targets no stack has a command for are left out.
pub fn makefile(ctx: &Context) -> Option<String> {
    const TARGETS: &[(&str, &str, &[&str])] = &[
        ("setup", "install dependencies", SETUP_STEPS),
        ("lint", "lint and type-check", &LINT_STEPS),
        ("test", "run the tests", &TEST_STEPS),
        ("build", "build the deliverable", &["Build"]),
    ];
    let jobs: Vec<Job> = ctx
        .stacks
        .iter()
        .filter_map(|s| job(ctx.index, s))
        .collect();
    let mut targets = String::new();
    let mut names = Vec::new();
    for (target, help, steps) in TARGETS {
        let mut recipe = String::new();
        for job in &jobs {
            for step in &job.steps {
                let Step::Run { name, command, dir } = step else {
                    continue;
                };
                if !steps.contains(name) {
                    continue;
                }
                let folder = dir.as_deref().unwrap_or(&job.dir);
                for line in command.lines() {
                    match folder {
                        "" => {
                            let _ = writeln!(recipe, "\t{line}");
                        }
                        folder => {
                            let _ = writeln!(recipe, "\tcd {folder} && {line}");
                        }
                    }
                }
            }
        }
        if !recipe.is_empty() {
            names.push(*target);
            let _ = write!(targets, "{target}:  ## {help}\n{recipe}");
        }
    }
    (!names.is_empty()).then(|| {
        format!(
            "# Makefile\n# Built from this repository's own commands; CI can call the same \
             targets.\n.PHONY: {}\n{targets}",
            names.join(" ")
        )
    })
}

/// The starter workflow's steps that test, and those that lint or type-check.
/// Steps that run the integration tests found at `locations` (folders and files, as
/// `ci-runs-integration-tests` lists them; `path#go-build-tag` for Go files behind the
/// `integration` build tag), each from the folder of the project that owns them, with that
/// project's runner. `None` when no location has a runner we can name.
pub fn integration_steps(index: &Index, locations: &[String]) -> Option<String> {
    let mut steps: Vec<Step> = Vec::new();
    for location in locations {
        let Some((dir, command)) = integration_command(index, location) else {
            continue;
        };
        // The root needs no working-directory.
        let dir = (!dir.is_empty()).then_some(dir);
        let duplicate = steps.iter().any(
            |s| matches!(s, Step::Run { command: c, dir: d, .. } if *c == command && *d == dir),
        );
        if !duplicate {
            steps.push(Step::Run {
                name: "Integration tests",
                command,
                dir,
            });
        }
        if steps.len() == 4 {
            break;
        }
    }
    if steps.is_empty() {
        return None;
    }
    let mut out = String::from(
        "# .github/workflows/ci.yml (steps for the test job, after it installs dependencies)\n",
    );
    for step in &steps {
        render_step(&mut out, step);
    }
    Some(out.trim_end().to_string())
}

/// The project folder and command that run one integration-test location.
fn integration_command(index: &Index, location: &str) -> Option<(String, String)> {
    if let Some(file) = location.strip_suffix("#go-build-tag") {
        let dir = owner(index, file, &["go.mod"])?;
        return Some((dir, "go test -tags=integration ./...".to_string()));
    }
    if !safe_dir(location) {
        return None;
    }
    // A folder's language is that of its first test source; data and fixtures come first
    // at times (`tests/integration/data/…`).
    const SOURCES: &[&str] = &[
        "py", "rb", "rs", "java", "kt", "js", "ts", "mjs", "cjs", "jsx", "tsx",
    ];
    let ext = match index.exists(location) {
        true => location.rsplit('.').next().unwrap_or(""),
        false => index
            .under(location)
            .iter()
            .map(|f| f.ext())
            .find(|e| SOURCES.contains(e))?,
    };
    let java = ["java", "kt"].contains(&ext);
    if java {
        let dir = owner(
            index,
            location,
            &["pom.xml", "build.gradle", "build.gradle.kts"],
        )?;
        // The step runs in `dir`: a wrapper elsewhere is not `./` there.
        let wrapper = |name: &str| index.exists(&join_path(&dir, name));
        if index.exists(&join_path(&dir, "pom.xml")) {
            let mvn = if wrapper("mvnw") { "./mvnw" } else { "mvn" };
            // Failsafe runs the *IT classes in `verify`.
            return Some((dir, format!("{mvn} --batch-mode verify")));
        }
        // Gradle has no standard integration-test task: only one the build declares.
        let declares = ["build.gradle", "build.gradle.kts"].iter().any(|name| {
            index
                .text(&join_path(&dir, name))
                .is_some_and(|t| t.contains("integrationTest"))
        });
        let gradle = if wrapper("gradlew") {
            "./gradlew"
        } else {
            "gradle"
        };
        return declares.then(|| (dir, format!("{gradle} integrationTest")));
    }
    if ext == "rs" {
        let dir = owner(index, location, &["Cargo.toml"])?;
        return Some((dir, "cargo test --tests".to_string()));
    }
    let manifests: &[&str] = match ext {
        "py" => &["pyproject.toml", "setup.py", "requirements.txt"],
        "rb" => &["Gemfile"],
        "js" | "ts" | "mjs" | "cjs" | "jsx" | "tsx" => &["package.json"],
        _ => return None,
    };
    let dir = owner(index, location, manifests).unwrap_or_default();
    let rel = location
        .strip_prefix(&dir)
        .map(|r| r.trim_start_matches('/'))
        .unwrap_or(location);
    let runner = match ext {
        "py" => format!("{}pytest", python_prefix(index, &dir)),
        "rb" if rel == "spec" || rel.starts_with("spec/") => "bundle exec rspec".to_string(),
        "rb" => "bin/rails test".to_string(),
        _ => node_runner(index, &dir, !index.exists(location))?,
    };
    Some((dir, format!("{runner} {rel}")))
}

/// The nearest folder at or above `path`'s that holds one of `manifests`; "" is the root.
fn owner(index: &Index, path: &str, manifests: &[&str]) -> Option<String> {
    let mut dir = if index.exists(path) {
        parent_dir(path)
    } else {
        path
    };
    loop {
        if manifests.iter().any(|m| index.exists(&join_path(dir, m))) {
            return safe_dir(dir).then(|| dir.to_string());
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// How the project's tools are run: through uv or Poetry when their lockfile is there.
fn python_prefix(index: &Index, dir: &str) -> &'static str {
    if find_up(index, dir, "uv.lock").is_some() {
        "uv run "
    } else if find_up(index, dir, "poetry.lock").is_some() {
        "poetry run "
    } else {
        ""
    }
}

/// The project's own test runner, from its package.json, run through the package manager's
/// package runner; for a folder, mocha needs `--recursive` to look below its top level.
fn node_runner(index: &Index, dir: &str, folder: bool) -> Option<String> {
    let manifest = index.json(&join_path(dir, "package.json"))?;
    let declares = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| manifest.get(k).and_then(|d| d.get(name)).is_some())
    };
    let runner = match node_package_manager(index, dir) {
        "bun" => "bunx",
        "pnpm" => "pnpm exec",
        "yarn" => "yarn",
        _ => "npx",
    };
    let command = if declares("vitest") {
        "vitest run"
    } else if declares("jest") {
        "jest"
    } else if declares("mocha") && folder {
        "mocha --recursive"
    } else if declares("mocha") {
        "mocha"
    } else {
        return None;
    };
    Some(format!("{runner} {command}"))
}

pub const TEST_STEPS: [&str; 2] = ["Test", "Build and test"];
pub const LINT_STEPS: [&str; 4] = ["Lint", "Type-check", "Format", "Vet"];

/// Steps every job needs before its own work.
const SETUP_STEPS: &[&str] = &["Enable Corepack", "Install"];

fn job(index: &Index, stack: &Stack) -> Option<Job> {
    let manifest = manifest_of(stack)?;
    let dir = parent_dir(manifest).to_string();
    if !safe_dir(&dir) {
        return None;
    }
    let (id, mut steps) = match stack.id {
        StackId::Node => ("node", node(index, &dir)?),
        StackId::Python => ("python", python(index, &dir)),
        StackId::Go => ("go", go(&dir)),
        StackId::Rust => ("rust", rust(index, &dir)),
        StackId::Java => ("java", java(index, &dir)?),
        StackId::Ruby => ("ruby", ruby(index, &dir)),
        StackId::Dotnet => ("dotnet", dotnet(index, &dir)),
    };
    // A service whose build is its image.
    let builds = steps.iter().any(
        |s| matches!(s, Step::Run { name, .. } if *name == "Build" || *name == "Build and test"),
    );
    if !builds && index.exists(&join_path(&dir, "Dockerfile")) {
        steps.push(run("Build", "docker build ."));
    }
    let mut job = Job {
        id: id.to_string(),
        source: manifest.to_string(),
        dir,
        steps,
    };
    // A package scan sees paths from the package's folder; the workflow runs from the
    // repository root.
    if let Some(package) = index.package() {
        if !safe_dir(&package.prefix) {
            return None;
        }
        job.rebase(&package.prefix);
    }
    Some(job)
}

impl Job {
    /// Every path the job names, moved under `base`.
    fn rebase(&mut self, base: &str) {
        self.dir = if self.dir.is_empty() {
            base.to_string()
        } else {
            join_path(base, &self.dir)
        };
        self.source = join_path(base, &self.source);
        for step in &mut self.steps {
            match step {
                Step::Run { dir: Some(dir), .. } => *dir = join_path(base, dir),
                Step::Uses { with, .. } => {
                    let names_a_path = |k: &str| k.ends_with("-file") || k.ends_with("-path");
                    for (_, value) in with.iter_mut().filter(|(k, _)| names_a_path(k)) {
                        *value = join_path(base, value);
                    }
                }
                Step::Run { dir: None, .. } => {}
            }
        }
    }
}

/// The stack's shallowest manifest (detection lists them with the evidence).
fn manifest_of(stack: &Stack) -> Option<&str> {
    stack
        .evidence
        .iter()
        .map(|e| e.path.as_str())
        .min_by_key(|p| (p.matches('/').count(), *p))
}

/// Folders written into the YAML unquoted: plain names only, nothing YAML or the shell reads
/// specially, no `..`.
pub(super) fn safe_dir(dir: &str) -> bool {
    dir.len() <= 200
        && dir
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._/-@+".contains(&b))
        && !dir.split('/').any(|part| part == ".." || part == ".")
        && !dir.starts_with(['-', '@'])
}

/// `name` in `dir`, else at the root (workspaces keep one lockfile at the top).
fn find_up(index: &Index, dir: &str, name: &str) -> Option<String> {
    [join_path(dir, name), name.to_string()]
        .into_iter()
        .find(|p| index.exists(p))
}

fn node(index: &Index, dir: &str) -> Option<Vec<Step>> {
    let pm = node_package_manager(index, dir);
    let has = |name: &str| find_up(index, dir, name).is_some();
    let lockfile = match pm {
        "pnpm" => has("pnpm-lock.yaml"),
        "yarn" => has("yarn.lock"),
        "bun" => has("bun.lock") || has("bun.lockb"),
        _ => has("package-lock.json"),
    };
    let mut steps = vec![uses(CHECKOUT, vec![])];
    if pm == "bun" {
        // Bun runs the scripts and installs; setup-bun takes the version from .bun-version
        // when the project pins one, else installs the latest.
        let with = match find_up(index, dir, ".bun-version") {
            Some(file) if safe_dir(&file) => vec![("bun-version-file", file)],
            _ => vec![],
        };
        steps.push(uses(SETUP_BUN, with));
    } else {
        if pm == "pnpm" {
            // Without a `packageManager` field the action needs a version.
            let with = if declared_package_manager(index, dir).starts_with("pnpm@") {
                vec![]
            } else {
                vec![("version", "10".to_string())]
            };
            steps.push(uses(SETUP_PNPM, with));
        }
        let mut with =
            match find_up(index, dir, ".nvmrc").or_else(|| find_up(index, dir, ".node-version")) {
                Some(file) if safe_dir(&file) => vec![("node-version-file", file)],
                _ => vec![("node-version", "lts/*".to_string())],
            };
        // setup-node's cache needs the lockfile.
        if lockfile {
            with.push(("cache", pm.to_string()));
        }
        steps.push(uses(SETUP_NODE, with));
    }
    let yarn_berry = pm == "yarn" && has(".yarnrc.yml");
    if yarn_berry {
        steps.push(run("Enable Corepack", "corepack enable"));
    }
    let install = match (pm, lockfile) {
        ("pnpm", true) => "pnpm install --frozen-lockfile",
        ("pnpm", false) => "pnpm install",
        ("yarn", true) if yarn_berry => "yarn install --immutable",
        ("yarn", true) => "yarn install --frozen-lockfile",
        ("yarn", false) => "yarn install",
        ("bun", true) => "bun install --frozen-lockfile",
        ("bun", false) => "bun install",
        (_, true) => "npm ci",
        _ => "npm install",
    };
    steps.push(run("Install", install));
    for (name, candidates) in NODE_SCRIPTS {
        if let Some((script, folder)) = node_script(index, dir, candidates) {
            let command = match pm {
                "yarn" => format!("yarn {script}"),
                _ => format!("{pm} run {script}"),
            };
            steps.push(Step::Run {
                name,
                command,
                dir: (folder != dir).then_some(folder),
            });
        }
    }
    Some(steps)
}

/// The `packageManager` field of the folder's package.json or the root's.
fn declared_package_manager<'i>(index: &'i Index, dir: &str) -> &'i str {
    [join_path(dir, "package.json"), "package.json".to_string()]
        .iter()
        .filter_map(|p| index.json(p)?.get("packageManager")?.as_str())
        .next()
        .unwrap_or("")
}

/// The package manager a Node project uses: its lockfile, workspace file or `packageManager`.
fn node_package_manager(index: &Index, dir: &str) -> &'static str {
    let declared = declared_package_manager(index, dir);
    let has = |name: &str| find_up(index, dir, name).is_some();
    if has("pnpm-lock.yaml") || has("pnpm-workspace.yaml") || declared.starts_with("pnpm") {
        "pnpm"
    } else if has("yarn.lock") || declared.starts_with("yarn") {
        "yarn"
    } else if has("bun.lock") || has("bun.lockb") || declared.starts_with("bun") {
        "bun"
    } else {
        "npm"
    }
}

/// The steps a Node job runs, by the script names that usually hold them (first found wins).
const NODE_SCRIPTS: &[(&str, &[&str])] = &[
    ("Lint", &["lint"]),
    (
        "Type-check",
        &["typecheck", "type-check", "check-types", "tsc"],
    ),
    ("Test", &["test:ci", "test"]),
    ("Build", &["build"]),
];

/// The first of `candidates` that a package.json defines (the job's own first, then the
/// shallowest, as CI commands are resolved), with the folder that defines it. npm's
/// placeholder `test` script is not a test.
fn node_script(
    index: &Index,
    dir: &str,
    candidates: &[&'static str],
) -> Option<(&'static str, String)> {
    candidates.iter().find_map(|&name| {
        let (path, _, body) = super::ci::package_script(index, name, dir)
            .into_iter()
            .next()?;
        let folder = parent_dir(&path);
        (!body.contains("no test specified") && safe_dir(folder))
            .then(|| (name, folder.to_string()))
    })
}

fn python(index: &Index, dir: &str) -> Vec<Step> {
    let text = |name: &str| find_up(index, dir, name).and_then(|p| index.text(&p));
    // What the project declares about its tools: pyproject and requirement files.
    let declared: String = [
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "requirements/dev.txt",
        "setup.cfg",
    ]
    .iter()
    .filter_map(|n| text(n))
    .collect::<Vec<_>>()
    .join("\n");
    let mentions = |tool: &str| declared.contains(tool);
    let mut steps = vec![uses(CHECKOUT, vec![])];
    let version = match find_up(index, dir, ".python-version") {
        Some(file) if safe_dir(&file) => ("python-version-file", file),
        _ => ("python-version", "3.12".to_string()),
    };
    let prefix = python_prefix(index, dir);
    if prefix == "uv run " {
        // uv reads .python-version itself.
        steps.push(uses(SETUP_UV, vec![]));
        steps.push(run("Install", "uv sync --locked"));
    } else if prefix == "poetry run " {
        steps.push(uses(SETUP_PYTHON, vec![version]));
        steps.push(run("Install", "pipx install poetry && poetry install"));
    } else {
        // setup-python's pip cache is keyed on a dependency file, which must exist.
        let key = ["requirements.txt", "pyproject.toml"]
            .iter()
            .map(|name| join_path(dir, name))
            .find(|path| index.exists(path) && safe_dir(path));
        let mut with = vec![version];
        if let Some(key) = key {
            with.push(("cache", "pip".to_string()));
            with.push(("cache-dependency-path", key));
        }
        steps.push(uses(SETUP_PYTHON, with));
        let mut install = vec!["python -m pip install --upgrade pip".to_string()];
        for req in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements/dev.txt",
        ] {
            if index.exists(&join_path(dir, req)) {
                install.push(format!("pip install -r {req}"));
            }
        }
        if index.exists(&join_path(dir, "pyproject.toml"))
            || index.exists(&join_path(dir, "setup.py"))
        {
            install.push("pip install -e .".to_string());
        }
        if !mentions("pytest") {
            install.push("pip install pytest".to_string());
        }
        steps.push(run("Install", install.join("\n")));
    }
    let ruff = mentions("ruff") || find_up(index, dir, "ruff.toml").is_some();
    if ruff {
        // Run by uvx/pipx when it is only configured, not installed with the project.
        steps.push(run("Lint", "pipx run ruff check ."));
    } else if mentions("flake8") || find_up(index, dir, ".flake8").is_some() {
        steps.push(run("Lint", format!("{prefix}flake8")));
    }
    if mentions("mypy") {
        steps.push(run("Type-check", format!("{prefix}mypy .")));
    }
    let packaged = text("pyproject.toml").is_some_and(|t| t.contains("[build-system]"));
    let build = match prefix {
        _ if !packaged => None,
        "uv run " => Some("uv build"),
        "poetry run " => Some("poetry build"),
        _ => Some("pip install build && python -m build"),
    };
    let pytest = if prefix.is_empty() {
        "pytest".to_string()
    } else {
        format!("{prefix}pytest")
    };
    steps.push(run("Test", pytest));
    if let Some(build) = build {
        steps.push(run("Build", build));
    }
    steps
}

fn go(dir: &str) -> Vec<Step> {
    vec![
        uses(CHECKOUT, vec![]),
        uses(
            SETUP_GO,
            vec![("go-version-file", join_path(dir, "go.mod"))],
        ),
        run("Vet", "go vet ./..."),
        run("Test", "go test -race ./..."),
        run("Build", "go build ./..."),
    ]
}

fn rust(index: &Index, dir: &str) -> Vec<Step> {
    let locked = if find_up(index, dir, "Cargo.lock").is_some() {
        " --locked"
    } else {
        ""
    };
    // The runners have rustup; rust-toolchain.toml, when present, picks the version.
    vec![
        uses(CHECKOUT, vec![]),
        run("Format", "cargo fmt --all --check"),
        run(
            "Lint",
            format!("cargo clippy --all-targets{locked} -- -D warnings"),
        ),
        run("Test", format!("cargo test{locked}")),
    ]
}

fn java(index: &Index, dir: &str) -> Option<Vec<Step>> {
    let has = |name: &str| index.exists(&join_path(dir, name));
    let (cache, command) = if has("pom.xml") {
        let mvn = if has("mvnw") { "./mvnw" } else { "mvn" };
        ("maven", format!("{mvn} --batch-mode verify"))
    } else if has("build.gradle") || has("build.gradle.kts") {
        let gradle = if has("gradlew") {
            "./gradlew"
        } else {
            "gradle"
        };
        ("gradle", format!("{gradle} build"))
    } else {
        return None;
    };
    Some(vec![
        uses(CHECKOUT, vec![]),
        uses(
            SETUP_JAVA,
            vec![
                ("distribution", "temurin".to_string()),
                ("java-version", "21".to_string()),
                ("cache", cache.to_string()),
            ],
        ),
        run("Build and test", command),
    ])
}

fn ruby(index: &Index, dir: &str) -> Vec<Step> {
    let gemfile = index.text(&join_path(dir, "Gemfile")).unwrap_or("");
    let mut steps = vec![
        uses(CHECKOUT, vec![]),
        // ruby/setup-ruby asks to be used by tag (its Ruby list moves); the runner's Ruby
        // keeps every action here pinned.
        run("Install", "bundle install"),
    ];
    if gemfile.contains("rubocop") {
        steps.push(run("Lint", "bundle exec rubocop"));
    }
    let test = if gemfile.contains("rspec") || index.dir_exists(&join_path(dir, "spec")) {
        "bundle exec rspec"
    } else {
        "bundle exec rake test"
    };
    steps.push(run("Test", test));
    steps
}

fn dotnet(index: &Index, dir: &str) -> Vec<Step> {
    let version = match find_up(index, dir, "global.json") {
        Some(file) if safe_dir(&file) => ("global-json-file", file),
        _ => ("dotnet-version", "8.0.x".to_string()),
    };
    vec![
        uses(CHECKOUT, vec![]),
        uses(SETUP_DOTNET, vec![version]),
        run("Restore", "dotnet restore"),
        run("Build", "dotnet build --no-restore"),
        run("Test", "dotnet test --no-build"),
    ]
}

fn render(jobs: &[Job]) -> String {
    let mut out = String::from("# .github/workflows/ci.yml\n# Built from this repository: ");
    let sources: Vec<&str> = jobs.iter().map(|j| j.source.as_str()).collect();
    let _ = writeln!(out, "{}.", sources.join(", "));
    out.push_str(
        "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  \
         contents: read\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  \
         cancel-in-progress: ${{ github.event_name == 'pull_request' }}\njobs:\n",
    );
    render_jobs(&mut out, jobs);
    out
}

fn render_jobs(out: &mut String, jobs: &[Job]) {
    for job in jobs {
        let _ = writeln!(
            out,
            "  {}:\n    runs-on: ubuntu-latest\n    timeout-minutes: 15",
            job.id
        );
        if !job.dir.is_empty() {
            let _ = writeln!(
                out,
                "    defaults:\n      run:\n        working-directory: {}",
                job.dir
            );
        }
        out.push_str("    steps:\n");
        for step in &job.steps {
            render_step(out, step);
        }
    }
}

fn render_step(out: &mut String, step: &Step) {
    match step {
        Step::Uses { action, with } => {
            let _ = writeln!(out, "      - uses: {action}");
            if !with.is_empty() {
                out.push_str("        with:\n");
                for (key, value) in with {
                    let _ = writeln!(out, "          {key}: {value}");
                }
            }
        }
        Step::Run { name, command, dir } => {
            let _ = writeln!(out, "      - name: {name}");
            if let Some(dir) = dir {
                let folder = if dir.is_empty() { "." } else { dir };
                let _ = writeln!(out, "        working-directory: {folder}");
            }
            if command.contains('\n') {
                out.push_str("        run: |\n");
                for line in command.lines() {
                    let _ = writeln!(out, "          {line}");
                }
            } else {
                let _ = writeln!(out, "        run: {command}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect;
    use crate::history::History;

    /// `build` run on a context of `files` with the stacks they show.
    fn built(
        files: &[(&str, &str)],
        build: impl FnOnce(&Context) -> Option<String>,
    ) -> Option<String> {
        let index = Index::from_files(files);
        let stacks = detect::stacks(&index);
        let ctx = Context {
            index: &index,
            stacks: &stacks,
            profile: detect::Profile::Service,
            history: &History::default(),
            trusted_actions: None,
        };
        build(&ctx)
    }

    fn starter(files: &[(&str, &str)]) -> Option<String> {
        built(files, workflow)
    }

    /// The workflow parses as YAML and names each job's steps in order.
    fn steps(workflow: &str, job: &str) -> Vec<String> {
        let doc: yaml_serde::Value = yaml_serde::from_str(workflow).expect("valid YAML");
        doc["jobs"][job]["steps"]
            .as_sequence()
            .expect("steps")
            .iter()
            .map(|s| {
                s.get("run")
                    .or_else(|| s.get("uses"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn pnpm_workspace_runs_the_scripts_where_they_are_defined() {
        let wf = starter(&[
            (
                "package.json",
                r#"{"packageManager": "pnpm@9.12.1", "scripts": {"test": "pnpm --filter web test", "build": "x"}}"#,
            ),
            ("pnpm-workspace.yaml", "packages:\n  - apps/*\n"),
            (
                "apps/web/package.json",
                r#"{"scripts": {"lint": "next lint", "typecheck": "tsc", "test": "jest"}}"#,
            ),
        ])
        .expect("a workflow");
        let node = steps(&wf, "node");
        assert!(node[1].starts_with("pnpm/action-setup@"), "{node:?}");
        // No lockfile: a plain install, and no setup-node cache (it would fail without one).
        assert!(node.contains(&"pnpm install".to_string()), "{node:?}");
        assert!(!wf.contains("cache: pnpm"), "{wf}");
        assert!(
            !wf.contains("version: 10"),
            "packageManager names the version: {wf}"
        );
        assert_eq!(
            &node[4..],
            [
                "pnpm run lint",
                "pnpm run typecheck",
                "pnpm run test",
                "pnpm run build"
            ]
        );
        assert!(wf.contains("working-directory: apps/web"), "{wf}");
        assert!(wf.starts_with("# .github/workflows/ci.yml\n"), "{wf}");
    }

    #[test]
    fn npm_with_lockfile_uses_ci_and_the_node_version_file() {
        let wf = starter(&[
            ("package.json", r#"{"scripts": {"test": "echo \"Error: no test specified\" && exit 1", "build": "tsc"}}"#),
            ("package-lock.json", "{}"),
            (".nvmrc", "20\n"),
        ])
        .expect("a workflow");
        assert_eq!(
            &steps(&wf, "node")[2..],
            ["npm ci", "npm run build"],
            "npm's placeholder test script is not a test"
        );
        assert!(wf.contains("node-version-file: .nvmrc"), "{wf}");
        assert!(wf.contains("cache: npm"), "{wf}");
    }

    #[test]
    fn python_with_uv_runs_through_uv() {
        let wf = starter(&[
            (
                "pyproject.toml",
                "[project]\nname = \"a\"\n[dependency-groups]\ndev = [\"pytest\", \"mypy\", \"ruff\"]\n",
            ),
            ("uv.lock", "version = 1\n"),
        ])
        .expect("a workflow");
        let py = steps(&wf, "python");
        assert!(py[1].starts_with("astral-sh/setup-uv@"), "{py:?}");
        assert_eq!(
            &py[2..],
            [
                "uv sync --locked",
                "pipx run ruff check .",
                "uv run mypy .",
                "uv run pytest"
            ]
        );
    }

    #[test]
    fn plain_pip_project_installs_its_requirements() {
        let wf = starter(&[
            ("svc/requirements.txt", "flask\n"),
            ("svc/app.py", "import flask\n"),
        ])
        .expect("a workflow");
        let py = steps(&wf, "python");
        assert_eq!(
            py[2],
            "python -m pip install --upgrade pip\npip install -r requirements.txt\npip install pytest\n"
        );
        assert_eq!(py.last().map(String::as_str), Some("pytest"));
        assert!(wf.contains("working-directory: svc"), "{wf}");
    }

    #[test]
    fn builds_the_package_or_else_the_image() {
        let packaged = starter(&[
            (
                "pyproject.toml",
                "[project]\nname = \"a\"\n[build-system]\nrequires = [\"hatchling\"]\n",
            ),
            ("poetry.lock", ""),
            ("Dockerfile", "FROM python:3.12\n"),
        ])
        .expect("a workflow");
        let py = steps(&packaged, "python");
        assert_eq!(
            py.last().map(String::as_str),
            Some("poetry build"),
            "{py:?}"
        );
        let service = starter(&[
            ("api/requirements.txt", "flask\n"),
            ("api/Dockerfile", "FROM python:3.12\n"),
        ])
        .expect("a workflow");
        let py = steps(&service, "python");
        assert_eq!(
            py.last().map(String::as_str),
            Some("docker build ."),
            "{py:?}"
        );
    }

    #[test]
    fn one_job_per_stack() {
        let wf = starter(&[
            ("go.mod", "module x\n\ngo 1.22\n"),
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
            ("Cargo.lock", ""),
            ("api/pom.xml", "<project/>"),
            ("api/mvnw", "#!/bin/sh\n"),
        ])
        .expect("a workflow");
        assert_eq!(
            steps(&wf, "go")[2..],
            ["go vet ./...", "go test -race ./...", "go build ./..."]
        );
        assert!(wf.contains("go-version-file: go.mod"), "{wf}");
        assert_eq!(
            steps(&wf, "rust")[1..],
            [
                "cargo fmt --all --check",
                "cargo clippy --all-targets --locked -- -D warnings",
                "cargo test --locked"
            ]
        );
        assert_eq!(
            steps(&wf, "java").last().map(String::as_str),
            Some("./mvnw --batch-mode verify")
        );
    }

    #[test]
    fn jobs_for_one_purpose_keep_setup_and_install() {
        let files = [
            (
                "pyproject.toml",
                "[project]\nname = \"a\"\n[tool.ruff]\nline-length = 100\n",
            ),
            ("uv.lock", "version = 1\n"),
            ("api/pom.xml", "<project/>"),
        ];
        let jobs = built(&files, |ctx| jobs_for(ctx, &TEST_STEPS)).expect("jobs");
        let (first, body) = jobs.split_once('\n').unwrap();
        assert_eq!(
            first,
            "# .github/workflows/ci.yml (jobs to add under jobs:)"
        );
        let wf = format!("jobs:\n{body}");
        let py = steps(&wf, "test-python");
        assert!(py[1].starts_with("astral-sh/setup-uv@"), "{py:?}");
        assert_eq!(&py[2..], ["uv sync --locked", "uv run pytest"]);
        assert_eq!(
            steps(&wf, "test-java").last().map(String::as_str),
            Some("mvn --batch-mode verify")
        );
        // Maven's one step builds and tests: no lint job for Java.
        let lint = built(&files, |ctx| jobs_for(ctx, &LINT_STEPS)).expect("jobs");
        assert!(
            lint.contains("  lint-python:") && !lint.contains("lint-java"),
            "{lint}"
        );
    }

    #[test]
    fn cached_setup_keys_pip_on_a_file_that_exists() {
        let files = [
            ("api/requirements.txt", "flask\n"),
            ("package.json", "{}"),
            ("pnpm-lock.yaml", ""),
            ("tool/Cargo.toml", "[package]\nname = \"t\"\n"),
        ];
        let fix = built(&files, cached_setup).expect("setup steps");
        for line in [
            "          cache: pnpm\n",
            "          cache: pip\n",
            "          cache-dependency-path: api/requirements.txt\n",
        ] {
            assert!(fix.contains(line), "{line:?} in {fix}");
        }
        // pnpm's setup comes along; Rust has no setup action here, so nothing to show for it.
        assert!(fix.contains("pnpm/action-setup@"), "{fix}");
        assert!(!fix.contains("rust job"), "{fix}");
        let steps: yaml_serde::Value =
            yaml_serde::from_str(&fix.replace("      ", "")).expect("valid YAML");
        assert_eq!(steps.as_sequence().map(Vec::len), Some(3), "{fix}");
    }

    #[test]
    fn makefile_runs_each_command_in_its_folder() {
        let files = [
            (
                "web/package.json",
                r#"{"scripts": {"lint": "eslint .", "test": "vitest run", "build": "vite build"}}"#,
            ),
            ("web/package-lock.json", "{}"),
            ("go.mod", "module x\n"),
        ];
        let mk = built(&files, makefile).expect("a Makefile");
        assert!(mk.starts_with("# Makefile\n"), "{mk}");
        for part in [
            ".PHONY: setup lint test build\n",
            "setup:  ## install dependencies\n\tcd web && npm ci\n",
            "lint:  ## lint and type-check\n\tcd web && npm run lint\n\tgo vet ./...\n",
            "test:  ## run the tests\n\tcd web && npm run test\n\tgo test -race ./...\n",
            "build:  ## build the deliverable\n\tcd web && npm run build\n\tgo build ./...\n",
        ] {
            assert!(mk.contains(part), "{part:?} in {mk}");
        }
    }

    #[test]
    fn hostile_folder_names_get_no_tailored_workflow() {
        assert!(safe_dir("apps/web-1.2_x"));
        for dir in [
            "a: b",
            "x\ny",
            "${{ github.token }}",
            "a/../b",
            "-rf",
            "a b",
            "x#y",
        ] {
            assert!(!safe_dir(dir), "{dir:?}");
        }
        assert!(starter(&[("a: b/go.mod", "module x\n")]).is_none());
    }

    #[test]
    fn package_scans_name_folders_from_the_repository_root() {
        let mut job = Job {
            id: "node".into(),
            dir: String::new(),
            source: "package.json".into(),
            steps: vec![
                uses(SETUP_NODE, vec![("node-version-file", ".nvmrc".into())]),
                Step::Run {
                    name: "Test",
                    command: "npm test".into(),
                    dir: Some("web".into()),
                },
            ],
        };
        job.rebase("packages/a");
        let wf = render(&[job]);
        for line in [
            "# Built from this repository: packages/a/package.json.",
            "        working-directory: packages/a\n",
            "          node-version-file: packages/a/.nvmrc\n",
            "        working-directory: packages/a/web\n",
        ] {
            assert!(wf.contains(line), "{line:?} in {wf}");
        }
    }

    #[test]
    fn nothing_detected_nothing_built() {
        assert!(starter(&[("README.md", "# x\n")]).is_none());
    }
}
