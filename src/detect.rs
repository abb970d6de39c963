//! Stack and profile detection, from manifests (not extensions alone), with evidence.

use crate::index::{is_example_path, Index};
use crate::rules::Evidence;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StackId {
    Node,
    Python,
    Go,
    Rust,
    Java,
    Ruby,
    Dotnet,
}

impl StackId {
    pub fn id(self) -> &'static str {
        match self {
            StackId::Node => "node",
            StackId::Python => "python",
            StackId::Go => "go",
            StackId::Rust => "rust",
            StackId::Java => "java",
            StackId::Ruby => "ruby",
            StackId::Dotnet => "dotnet",
        }
    }

    /// Manifests that show the stack (file names, matched anywhere outside vendored trees).
    fn manifests(self) -> &'static [&'static str] {
        match self {
            StackId::Node => &["package.json"],
            StackId::Python => &[
                "pyproject.toml",
                "setup.py",
                "setup.cfg",
                "requirements.txt",
                "Pipfile",
            ],
            StackId::Go => &["go.mod"],
            StackId::Rust => &["Cargo.toml"],
            StackId::Java => &["pom.xml", "build.gradle", "build.gradle.kts"],
            StackId::Ruby => &["Gemfile", "*.gemspec"],
            StackId::Dotnet => &["*.csproj", "*.fsproj", "*.vbproj", "*.sln", "global.json"],
        }
    }

    pub const ALL: [StackId; 7] = [
        StackId::Node,
        StackId::Python,
        StackId::Go,
        StackId::Rust,
        StackId::Java,
        StackId::Ruby,
        StackId::Dotnet,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Stack {
    pub id: StackId,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Something deployed: a server, web app or container image.
    Service,
    Library,
    Cli,
}

impl Profile {
    pub fn id(self) -> &'static str {
        match self {
            Profile::Service => "service",
            Profile::Library => "library",
            Profile::Cli => "cli",
        }
    }

    pub fn from_id(s: &str) -> Option<Profile> {
        match s {
            "service" => Some(Profile::Service),
            "library" => Some(Profile::Library),
            "cli" => Some(Profile::Cli),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ProfileDetection {
    pub value: Profile,
    /// Where the verdict came from; "set by configuration" when not detected.
    pub evidence: Vec<Evidence>,
}

/// Vendored and generated trees do not say what the project is.
fn is_vendored(path: &str) -> bool {
    crate::index::is_vendored(path) || crate::index::is_test_path(path)
}

pub fn stacks(index: &Index) -> Vec<Stack> {
    let mut out = Vec::new();
    let docs_sites = docs_site_folders(index);
    for id in StackId::ALL {
        let mut evidence: Vec<Evidence> = index
            .files()
            .iter()
            // A package scan's shared root files (`global.json`) are the repository's.
            .filter(|f| !f.vendored && !f.is_test && !f.shared)
            .filter(|f| {
                id.manifests().iter().any(|m| match m.strip_prefix('*') {
                    Some(suffix) => f.name().ends_with(suffix),
                    None => f.name() == *m,
                })
            })
            .filter(|f| id != StackId::Python || !is_docs_or_ci_requirements(&f.path))
            .filter(|f| id != StackId::Node || !in_docs_site(&docs_sites, &f.path))
            .map(|f| Evidence::file(f.path.clone()))
            .collect();
        if id == StackId::Node {
            // TypeScript is Node for our purposes; note it on the evidence.
            for ts in index
                .named("tsconfig.json")
                .filter(|f| !f.vendored && !f.is_test && !in_docs_site(&docs_sites, &f.path))
            {
                evidence.push(Evidence::file(ts.path.clone()).note("TypeScript"));
            }
        }
        if !evidence.is_empty() {
            // Shallowest first: the root manifest is the stack's evidence and the anchor of
            // its findings, not `docs/requirements.txt` or the first package of a monorepo.
            evidence.sort_by(|a, b| {
                let depth = |e: &Evidence| e.path.matches('/').count();
                depth(a).cmp(&depth(b)).then_with(|| a.cmp(b))
            });
            evidence.truncate(crate::rules::MAX_EVIDENCE);
            out.push(Stack { id, evidence });
        }
    }
    out
}

/// Files that only deployed services have: platform configuration and web frameworks' configs.
const SERVICE_FILES: &[&str] = &[
    "Procfile",
    "fly.toml",
    "render.yaml",
    "vercel.json",
    "netlify.toml",
    "app.yaml",
    "serverless.yml",
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "nuxt.config.ts",
    "manage.py",
];

/// Files that ship a container image: a service, unless the project is clearly a CLI
/// (many CLIs publish an image too, this project among them). A compose file counts only
/// when it runs the application, not just its database for local development.
const IMAGE_FILES: &[&str] = &[
    "Dockerfile",
    "Containerfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
];

/// Content signals (declared in the observability rules) that show a server framework, one per
/// language family: each only searches files of its language, so a Go server snippet quoted in
/// a Rust string or a Python docstring does not make a CLI a service.
pub const SERVER_FRAMEWORK_SIGNALS: [&str; 7] = [
    "server-framework-js",
    "server-framework-py",
    "server-framework-go",
    "server-framework-rs",
    "server-framework-jvm",
    "server-framework-rb",
    "server-framework-cs",
];

/// The content signal (declared with the server signals) of Go files in package `main`.
pub const GO_MAIN_PACKAGE_SIGNAL: &str = "go-main-package";

/// Where code builds and runs a web server, in path order (first match per file).
pub fn server_code(index: &Index) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = SERVER_FRAMEWORK_SIGNALS
        .iter()
        .flat_map(|id| index.signal_evidence(id))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Python server frameworks and servers, as a dependency or an import names them.
const PYTHON_SERVERS: &[&str] = &[
    "fastapi",
    "flask",
    "django",
    "aiohttp",
    "starlette",
    "sanic",
    "litestar",
    "tornado",
    "quart",
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "granian",
];

static PYTHON_SERVER_PACKAGE: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| {
        crate::pattern::regex(&format!(r"(?i)\b(?:{})\b", PYTHON_SERVERS.join("|"))).ok()
    });

/// A framework's own source (FastAPI's `fastapi/applications.py` imports Starlette): code
/// in a package folder named after a server framework is the framework, not an app.
fn in_python_server_package(path: &str) -> bool {
    path.ends_with(".py")
        && path
            .split('/')
            .rev()
            .skip(1)
            .any(|segment| PYTHON_SERVERS.contains(&segment))
}

/// Whether Python server code can make the project a service: a manifest that the project
/// runs with names a server framework, or there is no manifest to ask. A packaged library
/// whose web framework only appears in development requirements (charset-normalizer's
/// `bin/serve.py`) or in an optional integration (oauth2client's `contrib/flask_util.py`)
/// is not deployed as a server.
fn python_server_declared(index: &Index) -> bool {
    let Some(re) = PYTHON_SERVER_PACKAGE.as_ref() else {
        return true;
    };
    let mut manifests = index.text_files().filter(|f| {
        !f.vendored
            && !f.is_test
            && !is_example_path(&f.path)
            && is_python_runtime_manifest(&f.path)
    });
    let mut any = false;
    let declared = manifests.any(|f| {
        any = true;
        f.text().is_some_and(|t| {
            if f.name() == "pyproject.toml" {
                re.is_match(&python_runtime_dependencies(f.name(), t))
            } else {
                re.is_match(t)
            }
        })
    });
    declared || !any
}

/// The lines of a Python manifest that declare what the project needs at run time, comments
/// removed. Extras (black's `d = ["aiohttp"]` for its optional blackd server), dependency
/// groups and tool settings (a mypy override for `aiohttp.*`) are left out.
fn python_runtime_dependencies(file: &str, text: &str) -> String {
    use crate::model::python_deps::{DependencyLines, Scope};
    let mut lines = DependencyLines::default();
    text.lines()
        .filter(|l| lines.scope(file, l) == Some(Scope::Runtime))
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generators of documentation sites. A `package.json` below the root that depends on one
/// builds the docs (a Go project's Docusaurus `website/`); it does not make a Node project.
const DOCS_SITE_PACKAGES: &[&str] = &[
    "@docusaurus/core",
    "vitepress",
    "vuepress",
    "nextra",
    "@astrojs/starlight",
    "docsify-cli",
];

/// Folders (below the root) of documentation sites built with Node.
fn docs_site_folders(index: &Index) -> Vec<String> {
    index
        .named("package.json")
        .filter(|f| f.path.contains('/') && !f.vendored)
        .filter(|f| {
            index.json(&f.path).is_some_and(|json| {
                ["dependencies", "devDependencies"].iter().any(|key| {
                    json.get(key)
                        .and_then(|deps| deps.as_object())
                        .is_some_and(|deps| {
                            DOCS_SITE_PACKAGES.iter().any(|p| deps.contains_key(*p))
                        })
                })
            })
        })
        .map(|f| crate::index::parent_dir(&f.path).to_string())
        .collect()
}

fn in_docs_site(sites: &[String], path: &str) -> bool {
    sites.iter().any(|dir| {
        path.strip_prefix(dir.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// A `requirements.txt` of a documentation build (in a `docs/`, `doc/`, `mkdocs` or `sphinx`
/// folder) or of CI helpers (under `.github/`): a Go or Rust project with Python-built docs is
/// not a Python project. Only `requirements.txt` is a stack manifest, so only it is checked.
fn is_docs_or_ci_requirements(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let Some((dir, "requirements.txt")) = lower.rsplit_once('/') else {
        return false;
    };
    dir.split('/').any(|d| {
        d == ".github"
            || d.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| matches!(w, "doc" | "docs" | "documentation" | "mkdocs" | "sphinx"))
    })
}

/// Python manifests of what the project needs to run (requirements files, also in a
/// `requirements/` folder; conda environments): not its development, test, lint or docs
/// requirements.
fn is_python_runtime_manifest(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    if matches!(
        name,
        "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "pipfile"
            | "environment.yml"
            | "environment.yaml"
    ) {
        return true;
    }
    let Some(stem) = name
        .strip_suffix(".txt")
        .or_else(|| name.strip_suffix(".in"))
    else {
        return false;
    };
    let in_folder = dir == "requirements" || dir.ends_with("/requirements");
    (in_folder || stem.starts_with("requirements") || stem.ends_with("requirements"))
        && !dir
            .split('/')
            .chain([stem])
            .flat_map(|part| part.split(|c: char| !c.is_ascii_alphanumeric()))
            .any(|w| {
                matches!(
                    w,
                    "dev"
                        | "develop"
                        | "development"
                        | "test"
                        | "tests"
                        | "testing"
                        | "lint"
                        | "linting"
                        | "doc"
                        | "docs"
                        | "ci"
                        | "bench"
                        | "typing"
                        | "types"
                        | "style"
                        | "local"
                )
            })
}

/// Service when a server framework or platform file shows it; else CLI when an executable entry
/// point shows it; else service when a container image is built; else library.
pub fn profile(index: &Index, stacks: &[Stack]) -> ProfileDetection {
    let named = |names: &[&str]| -> Vec<Evidence> {
        index
            .files()
            .iter()
            .filter(|f| names.contains(&f.name()))
            .filter(|f| !f.vendored && !f.is_test && !is_example_path(&f.path))
            .map(|f| Evidence::file(f.path.clone()))
            .collect()
    };
    let mut service = named(SERVICE_FILES);
    let python_server_declared = python_server_declared(index);
    // Asked once, and only when there is Go server code.
    let go_main = std::cell::OnceCell::new();
    service.extend(
        server_code(index)
            .into_iter()
            // An example app beside a library (Flask's `examples/tutorial`, FastAPI's
            // `docs_src/`) is no service.
            .filter(|e| {
                !is_vendored(&e.path)
                    && !is_example_path(&e.path)
                    && !is_docs_code(&e.path)
                    && !in_python_server_package(&e.path)
            })
            .filter(|e| python_server_declared || !e.path.ends_with(".py"))
            .filter(|e| !e.path.ends_with(".go") || *go_main.get_or_init(|| go_main_package(index)))
            .map(|e| e.note("server framework")),
    );
    let detection = |value, evidence| ProfileDetection {
        value,
        evidence: trimmed(evidence),
    };
    if !service.is_empty() {
        return detection(Profile::Service, service);
    }
    let mut cli = cli_evidence(index, stacks);
    cli.retain(|e| !is_example_path(&e.path));
    if !cli.is_empty() {
        return detection(Profile::Cli, cli);
    }
    let compose = crate::model::compose::load_all(index);
    let runs_backing_services_only = |path: &str| {
        compose
            .iter()
            .find(|c| c.path == path)
            .is_some_and(|c| !c.services.iter().any(|s| s.is_application()))
    };
    let mut images = named(IMAGE_FILES);
    images.retain(|e| !runs_backing_services_only(&e.path));
    if !images.is_empty() {
        return detection(
            Profile::Service,
            images
                .into_iter()
                .map(|e| e.note("container image"))
                .collect(),
        );
    }
    // In the stacks' order (shallowest manifest first), not re-sorted by path.
    let mut evidence: Vec<Evidence> = stacks
        .iter()
        .flat_map(|s| s.evidence.iter().cloned())
        .map(|e| e.note("package manifest without a server or an executable"))
        .collect();
    evidence.truncate(crate::rules::MAX_EVIDENCE);
    ProfileDetection {
        value: Profile::Library,
        evidence,
    }
}

/// Whether Go code has a `main` package: without one, nothing in the module can be deployed,
/// and its server code is a framework or middleware (gin, echo) for others to run.
fn go_main_package(index: &Index) -> bool {
    let commands = index
        .with_ext("go")
        .filter(|f| f.name() == "main.go" && !f.vendored && !f.is_test)
        .map(|f| f.path.clone());
    index
        .signal_evidence(GO_MAIN_PACKAGE_SIGNAL)
        .into_iter()
        .map(|e| e.path)
        .chain(commands)
        .any(|path| !is_vendored(&path) && !is_example_path(&path))
}

/// Code in a documentation folder: the snippets a page includes (`docs_src/`, `docs/`).
fn is_docs_code(path: &str) -> bool {
    path.split('/')
        .rev()
        .skip(1)
        .any(|segment| matches!(segment, "docs" | "doc" | "docs_src" | "documentation"))
}

fn trimmed(mut v: Vec<Evidence>) -> Vec<Evidence> {
    v.sort();
    v.dedup();
    v.truncate(crate::rules::MAX_EVIDENCE);
    v
}

/// The binary targets Cargo finds without a `[[bin]]` section: `src/main.rs`,
/// `src/bin/<name>.rs` and `src/bin/<name>/main.rs` (bat ships its CLI that way).
fn is_cargo_binary(path: &str) -> bool {
    let crate_relative = path.rfind("/src/").map_or(path, |i| &path[i + 1..]);
    let Some(rest) = crate_relative.strip_prefix("src/") else {
        return false;
    };
    match rest.strip_prefix("bin/") {
        None => rest == "main.rs",
        Some(bin) => match bin.split_once('/') {
            None => bin.ends_with(".rs"),
            Some((_, file)) => file == "main.rs",
        },
    }
}

fn cli_evidence(index: &Index, stacks: &[Stack]) -> Vec<Evidence> {
    let mut out = Vec::new();
    let has = |id| stacks.iter().any(|s| s.id == id);
    if has(StackId::Rust) {
        for f in index.named("Cargo.toml") {
            if let Some(t) = f.text() {
                if t.contains("[[bin]]") {
                    out.push(Evidence::file(f.path.clone()).note("[[bin]] target"));
                }
            }
        }
        for f in index.with_ext("rs").filter(|f| !f.vendored && !f.fixture) {
            if is_cargo_binary(&f.path) {
                out.push(Evidence::file(f.path.clone()).note("binary crate"));
            }
        }
    }
    if has(StackId::Node) {
        for f in index
            .named("package.json")
            .filter(|f| !f.vendored && !f.is_test)
        {
            if let Some(line) = f.text().and_then(|t| json_key_line(t, "bin")) {
                out.push(Evidence::at(f.path.clone(), line).note("\"bin\" entry"));
            }
        }
    }
    if has(StackId::Python) {
        for f in ["pyproject.toml", "setup.cfg", "setup.py"]
            .iter()
            .flat_map(|name| index.named(name))
            .filter(|f| !f.vendored && !f.is_test)
        {
            let Some(t) = f.text() else { continue };
            let mut section = "";
            for (i, l) in t.lines().enumerate() {
                let l = l.trim();
                if l.starts_with('[') {
                    section = l;
                }
                if declares_console_scripts(f.name(), section, l) {
                    out.push(Evidence::at(f.path.clone(), i as u32 + 1).note("console scripts"));
                    break;
                }
            }
        }
    }
    if has(StackId::Go) {
        out.extend(
            index
                .files()
                .iter()
                .filter(|f| f.path.starts_with("cmd/") && f.name() == "main.go")
                .map(|f| Evidence::file(f.path.clone()).note("Go command")),
        );
        if index.exists("main.go") {
            out.push(Evidence::file("main.go").note("Go command"));
        }
    }
    out
}

/// Whether line `l` (trimmed) of a Python manifest, in `section`, declares console scripts:
/// pyproject's `[project.scripts]` table or its dotted `scripts.tox = …` form (pyproject-fmt
/// writes that), Poetry's `[tool.poetry.scripts]`, setup.cfg's and setup.py's
/// `console_scripts` entry points.
fn declares_console_scripts(manifest: &str, section: &str, l: &str) -> bool {
    let key_is = |line: &str, key: &str| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    match manifest {
        "pyproject.toml" => {
            l == "[project.scripts]"
                || l == "[tool.poetry.scripts]"
                || (section == "[project]" && (l.starts_with("scripts.") || key_is(l, "scripts")))
        }
        "setup.cfg" => section == "[options.entry_points]" && key_is(l, "console_scripts"),
        _ => l.contains("\"console_scripts\"") || l.contains("'console_scripts'"),
    }
}

/// Line of a top-level-looking `"key":` in a JSON text (for evidence lines).
pub fn json_key_line(text: &str, key: &str) -> Option<u32> {
    let needle = format!("\"{key}\"");
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.starts_with(&needle) && t[needle.len()..].trim_start().starts_with(':')
        })
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_come_from_manifests_not_extensions() {
        let idx = Index::from_files(&[
            ("package.json", "{}"),
            ("tsconfig.json", "{}"),
            ("scripts/x.py", "print(1)"),
            ("node_modules/a/Cargo.toml", ""),
        ]);
        let s = stacks(&idx);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].id, StackId::Node);
        assert_eq!(s[0].evidence.len(), 2);
    }

    #[test]
    fn a_node_built_docs_site_does_not_make_a_node_project() {
        let site =
            r#"{"name": "website", "dependencies": {"@docusaurus/core": "3.5.0", "react": "18"}}"#;
        let idx = Index::from_files(&[
            ("go.mod", "module x\n"),
            ("website/package.json", site),
            ("website/tsconfig.json", "{}"),
            ("website/src/pages/index.tsx", "export default 1;\n"),
        ]);
        let ids: Vec<StackId> = stacks(&idx).iter().map(|s| s.id).collect();
        assert_eq!(ids, [StackId::Go]);
        // A web app next to it is Node; so is a docs site at the root (the whole project).
        let idx = Index::from_files(&[
            ("go.mod", "module x\n"),
            ("website/package.json", site),
            ("web/package.json", r#"{"dependencies": {"react": "18"}}"#),
        ]);
        let node = stacks(&idx)
            .into_iter()
            .find(|s| s.id == StackId::Node)
            .unwrap();
        assert_eq!(node.evidence, [Evidence::file("web/package.json")]);
        let idx = Index::from_files(&[("package.json", site)]);
        assert_eq!(stacks(&idx)[0].id, StackId::Node);
    }

    #[test]
    fn docs_and_ci_requirements_do_not_make_a_python_project() {
        // A Go project with Sphinx docs and a CI helper script.
        let idx = Index::from_files(&[
            ("go.mod", "module x\n"),
            ("docs/requirements.txt", "sphinx\n"),
            ("doc/source/requirements-docs.txt", "furo\n"),
            ("requirements-mkdocs.txt", "mkdocs-material\n"),
            (".github/scripts/requirements.txt", "requests\n"),
        ]);
        let ids: Vec<StackId> = stacks(&idx).iter().map(|s| s.id).collect();
        assert_eq!(ids, [StackId::Go]);
        // The project's own requirements still count, next to its docs' (which are left out).
        let idx = Index::from_files(&[
            ("docs/requirements.txt", "sphinx\n"),
            ("requirements.txt", "flask\n"),
            ("services/api/requirements.txt", "fastapi\n"),
        ]);
        let s = stacks(&idx);
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].evidence,
            [
                Evidence::file("requirements.txt"),
                Evidence::file("services/api/requirements.txt")
            ]
        );
    }

    #[test]
    fn profile_service_cli_library() {
        let svc = Index::from_files(&[("Dockerfile", "FROM x"), ("go.mod", "")]);
        assert_eq!(profile(&svc, &stacks(&svc)).value, Profile::Service);
        let cli = Index::from_files(&[("Cargo.toml", "[package]"), ("src/main.rs", "")]);
        let p = profile(&cli, &stacks(&cli));
        assert_eq!(p.value, Profile::Cli);
        assert_eq!(p.evidence[0].path, "src/main.rs");
        // A CLI that also publishes an image stays a CLI.
        let cli_image = Index::from_files(&[
            ("Cargo.toml", "[package]"),
            ("src/main.rs", ""),
            ("Dockerfile", "FROM scratch"),
        ]);
        assert_eq!(profile(&cli_image, &stacks(&cli_image)).value, Profile::Cli);
        let lib = Index::from_files(&[("Cargo.toml", "[package]"), ("src/lib.rs", "")]);
        assert_eq!(profile(&lib, &stacks(&lib)).value, Profile::Library);
        // Binaries Cargo finds by convention, next to a library (bat's layout).
        for bin in [
            "src/bin/bat/main.rs",
            "src/bin/tool.rs",
            "crates/x/src/bin/y.rs",
        ] {
            let idx = Index::from_files(&[
                ("Cargo.toml", "[package]"),
                ("src/lib.rs", ""),
                (bin, "fn main() {}"),
            ]);
            let p = profile(&idx, &stacks(&idx));
            assert_eq!(p.value, Profile::Cli, "{bin}");
            assert_eq!(p.evidence[0].path, bin);
        }
        for not_bin in [
            "src/bin/bat/app.rs",
            "src/bin/a/b/main.rs",
            "src/cli/main.rs",
        ] {
            assert!(!is_cargo_binary(not_bin), "{not_bin}");
        }
    }

    #[test]
    fn python_server_code_counts_when_a_runtime_manifest_names_the_framework() {
        let serve = "from flask import Flask\napp = Flask(__name__)\n";
        // charset-normalizer: a packaged library whose Flask app is a development tool
        // (Flask only in dev-requirements.txt).
        let lib = Index::from_files(&[
            ("setup.cfg", "[metadata]\nname = charset_normalizer\n"),
            ("dev-requirements.txt", "pytest\nFlask==2.2.3\n"),
            ("bin/serve.py", serve),
        ]);
        let p = profile(&lib, &stacks(&lib));
        assert_eq!(p.value, Profile::Library, "{:?}", p.evidence);
        // The app's own requirements (also in a requirements/ folder or a docker- file),
        // a pyproject dependency, or no manifest at all: a service.
        for manifest in [
            ("requirements.txt", "Flask==3.0\n"),
            ("requirements/base.txt", "flask\n"),
            ("docker-requirements.txt", "flask\n"),
            (
                "pyproject.toml",
                "[project]\ndependencies = [\"flask>=3\"]\n",
            ),
            ("README.md", "# app\n"),
        ] {
            let idx = Index::from_files(&[manifest, ("app.py", serve)]);
            let p = profile(&idx, &stacks(&idx));
            assert_eq!(p.value, Profile::Service, "{manifest:?}");
            assert_eq!(p.evidence[0].path, "app.py");
        }
        // black: blackd's aiohttp is an optional extra, and mypy settings name it too; the
        // package is a command-line tool.
        let black = Index::from_files(&[
            (
                "pyproject.toml",
                "[project]\nname = \"black\"\ndependencies = [\n  \"click>=8.0.0\",\n  \"packaging>=22.0\", # not aiohttp\n]\n\n[project.optional-dependencies]\nd = [\"aiohttp>=3.10\"]\n\n[project.scripts]\nblack = \"black:patched_main\"\n\n[[tool.mypy.overrides]]\nmodule = [\"aiohttp.*\"]\n",
            ),
            (
                "src/blackd/__init__.py",
                "from aiohttp import web\napp = web.Application()\n",
            ),
        ]);
        let p = profile(&black, &stacks(&black));
        assert_eq!(p.value, Profile::Cli, "{:?}", p.evidence);
        // Poetry's main dependencies, and a one-line array, declare the server.
        for manifest in [
            "[tool.poetry.dependencies]\npython = \"^3.12\"\naiohttp = \"^3.10\"\n",
            "[project]\ndependencies = [\"aiohttp>=3\"]\n[project.optional-dependencies]\nx = []\n",
        ] {
            let idx = Index::from_files(&[
                ("pyproject.toml", manifest),
                (
                    "app.py",
                    "from aiohttp import web\napp = web.Application()\n",
                ),
            ]);
            assert_eq!(
                profile(&idx, &stacks(&idx)).value,
                Profile::Service,
                "{manifest}"
            );
        }
        assert!(is_python_runtime_manifest("requirements/prod.txt"));
        assert!(!is_python_runtime_manifest("requirements/local.txt"));
        assert!(!is_python_runtime_manifest("requirements-dev.txt"));
        assert!(!is_python_runtime_manifest("docs/requirements.txt"));
    }

    #[test]
    fn a_compose_file_makes_a_service_only_when_it_runs_the_application() {
        // cal.com's packages/prisma: a local Postgres for development, no app of its own.
        let db_only =
            "services:\n  postgres:\n    image: postgres:13\n  adminer:\n    image: adminer\n";
        let lib = Index::from_files(&[
            ("package.json", r#"{"name": "@calcom/prisma"}"#),
            ("docker-compose.yml", db_only),
        ]);
        let p = profile(&lib, &stacks(&lib));
        assert_eq!(p.value, Profile::Library, "{:?}", p.evidence);
        for app in [
            "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n",
            "services:\n  web:\n    image: ghcr.io/acme/shop:1.2\n  db:\n    image: postgres\n",
        ] {
            let svc = Index::from_files(&[
                ("package.json", r#"{"name": "shop"}"#),
                ("compose.yaml", app),
            ]);
            let p = profile(&svc, &stacks(&svc));
            assert_eq!(p.value, Profile::Service, "{app}");
            assert_eq!(p.evidence[0].path, "compose.yaml");
        }
    }

    #[test]
    fn console_scripts_in_every_python_manifest_make_a_cli() {
        let cases = [
            // tox and virtualenv, as pyproject-fmt writes them.
            (
                "pyproject.toml",
                "[project]\nname = \"tox\"\nscripts.tox = \"tox.run:run\"\n",
                3,
            ),
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\nscripts = { x = \"x:main\" }\n",
                3,
            ),
            // pre-commit
            (
                "setup.cfg",
                "[metadata]\nname = pre_commit\n\n[options.entry_points]\nconsole_scripts =\n    pre-commit = pre_commit.main:main\n",
                5,
            ),
            (
                "setup.py",
                "setup(\n    entry_points={\"console_scripts\": [\"x = x:main\"]},\n)\n",
                2,
            ),
        ];
        for (manifest, text, line) in cases {
            let idx = Index::from_files(&[(manifest, text), ("x/__init__.py", "")]);
            let p = profile(&idx, &stacks(&idx));
            assert_eq!(p.value, Profile::Cli, "{text}");
            assert_eq!(p.evidence[0].line, Some(line), "{text}");
        }
        // Scripts elsewhere in the file are not entry points.
        let idx = Index::from_files(&[
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\n[tool.hatch.envs.default]\nscripts.test = \"pytest\"\n",
            ),
            ("x/__init__.py", ""),
        ]);
        assert_eq!(profile(&idx, &stacks(&idx)).value, Profile::Library);
    }

    #[test]
    fn go_server_code_without_a_main_package_is_a_library() {
        let server = "package gin\n\nfunc (e *Engine) Run() error {\n\treturn http.ListenAndServe(\":8080\", e)\n}\n";
        let framework = [
            ("go.mod", "module github.com/gin-gonic/gin\n"),
            ("gin.go", server),
            (
                "examples/hello/main.go",
                "package main\n\nfunc main() { gin.Default().Run() }\n",
            ),
        ];
        let idx = Index::from_files(&framework);
        let p = profile(&idx, &stacks(&idx));
        assert_eq!(p.value, Profile::Library, "{:?}", p.evidence);
        // The same server code with a command to run it: a service.
        let mut app = framework.to_vec();
        app.push(("cmd/api/main.go", "package main\n\nfunc main() {}\n"));
        let idx = Index::from_files(&app);
        let p = profile(&idx, &stacks(&idx));
        assert_eq!(p.value, Profile::Service, "{:?}", p.evidence);
        assert_eq!(p.evidence[0].path, "gin.go");
    }

    #[test]
    fn documentation_code_does_not_make_a_service() {
        // FastAPI: its own docstrings show `app = FastAPI()`, its tutorial apps live in docs_src/.
        let app = "from fastapi import FastAPI\napp = FastAPI()\n";
        let idx = Index::from_files(&[
            (
                "pyproject.toml",
                "[project]\nname = \"fastapi\"\ndependencies = [\"starlette>=0.40\"]\n",
            ),
            (
                "fastapi/applications.py",
                "class FastAPI(Starlette):\n    \"\"\"\n    app = FastAPI()\n    \"\"\"\n",
            ),
            ("docs_src/first_steps/tutorial001.py", app),
            ("docs/en/docs/tutorial/app.py", app),
        ]);
        let p = profile(&idx, &stacks(&idx));
        assert_eq!(p.value, Profile::Library, "{:?}", p.evidence);
        let idx = Index::from_files(&[("requirements.txt", "fastapi\n"), ("app/main.py", app)]);
        assert_eq!(profile(&idx, &stacks(&idx)).value, Profile::Service);
    }

    #[test]
    fn an_example_app_beside_a_library_does_not_make_a_service() {
        // Flask: the package, and a tutorial app under examples/.
        let flask = Index::from_files(&[
            ("pyproject.toml", "[project]\nname = \"Flask\"\n"),
            ("src/flask/app.py", "class Flask:\n    pass\n"),
            (
                "examples/tutorial/flaskr/__init__.py",
                "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
            ),
            ("examples/tutorial/Dockerfile", "FROM python:3.12\n"),
        ]);
        let p = profile(&flask, &stacks(&flask));
        assert_eq!(p.value, Profile::Library, "{:?}", p.evidence);
        // The same app as the project itself is a service; and Spring's `samples` package
        // folder is no examples folder.
        let app = Index::from_files(&[
            (
                "pyproject.toml",
                "[project]\nname = \"flaskr\"\ndependencies = [\"flask\"]\n",
            ),
            (
                "flaskr/__init__.py",
                "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
            ),
        ]);
        assert_eq!(profile(&app, &stacks(&app)).value, Profile::Service);
        assert!(!is_example_path(
            "src/main/java/org/springframework/samples/petclinic/PetClinicApplication.java"
        ));
        assert!(is_example_path(
            "examples/demo/src/main/java/com/x/Main.java"
        ));
    }

    #[test]
    fn server_code_counts_only_in_its_own_language() {
        let go_server = "srv := &http.Server{Addr: \":8080\"}\nsrv.ListenAndServe()\n";
        // A CLI that quotes a Go server in a Rust string (docs, snippets) is still a CLI.
        let quoted = format!(
            "const SNIPPET: &str = \"{}\";\n",
            go_server.escape_default()
        );
        let cli = Index::from_files(&[
            ("Cargo.toml", "[package]"),
            ("src/main.rs", "fn main() {}"),
            ("src/snippets.rs", &quoted),
        ]);
        assert!(server_code(&cli).is_empty());
        assert_eq!(profile(&cli, &stacks(&cli)).value, Profile::Cli);
        // The same code in a Go file is a server.
        let svc = Index::from_files(&[("go.mod", "module x"), ("cmd/api/main.go", go_server)]);
        let p = profile(&svc, &stacks(&svc));
        assert_eq!(p.value, Profile::Service);
        assert_eq!(p.evidence[0].path, "cmd/api/main.go");
        assert_eq!(p.evidence[0].line, Some(1));
    }
}
