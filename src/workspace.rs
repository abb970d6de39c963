//! The packages a monorepo declares: npm, Yarn and pnpm workspaces, Lerna packages, Cargo
//! workspace members, `go.work` modules, uv workspace members, Gradle subprojects, Maven
//! modules and a solution's .NET projects, read from the scanned root's files in the index
//! and matched against the folders the walk found.
//!
//! A scan lists them so that a workflow can score each package on its own, with a matrix
//! over the action's `path` input fed by its `packages` output.

use crate::index::Index;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Serialize;

/// A package of the scanned repository's workspace.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WorkspacePackage {
    /// The package's folder, from the scanned root (`apps/web`).
    pub path: String,
    /// The package's manifest (`apps/web/package.json`).
    pub manifest: String,
    /// The root file that declares the workspace (`pnpm-workspace.yaml`).
    pub declared_in: String,
    /// The package's own scan, with `--each-package`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<crate::report::PackageScan>,
    /// Why `--each-package` has no score for it (its configuration is invalid, too many
    /// packages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One way of declaring a workspace: the root file, the manifest a package folder holds, and
/// how to read the member patterns from the root file's text.
struct Declaration {
    /// The root file; `*.sln` stands for any solution file at the root.
    file: &'static str,
    /// A package folder holds one of these (`*.csproj`: any file with that extension).
    manifests: &'static [&'static str],
    members: fn(&str) -> Option<Members>,
}

/// A declaration's member patterns: folders to include, and folders to leave out.
struct Members {
    include: Vec<String>,
    exclude: Vec<String>,
}

const DECLARATIONS: &[Declaration] = &[
    Declaration {
        file: "package.json",
        manifests: &["package.json"],
        members: npm_workspaces,
    },
    Declaration {
        file: "pnpm-workspace.yaml",
        manifests: &["package.json"],
        members: pnpm_packages,
    },
    Declaration {
        file: "lerna.json",
        manifests: &["package.json"],
        members: lerna_packages,
    },
    Declaration {
        file: "Cargo.toml",
        manifests: &["Cargo.toml"],
        members: cargo_members,
    },
    Declaration {
        file: "go.work",
        manifests: &["go.mod"],
        members: go_work_uses,
    },
    Declaration {
        file: "pyproject.toml",
        manifests: &["pyproject.toml"],
        members: uv_members,
    },
    Declaration {
        file: "settings.gradle",
        manifests: GRADLE_BUILDS,
        members: gradle_includes,
    },
    Declaration {
        file: "settings.gradle.kts",
        manifests: GRADLE_BUILDS,
        members: gradle_includes,
    },
    Declaration {
        file: "pom.xml",
        manifests: &["pom.xml"],
        members: maven_modules,
    },
    Declaration {
        file: "*.sln",
        manifests: &["*.csproj", "*.fsproj", "*.vbproj"],
        members: solution_projects,
    },
];

const GRADLE_BUILDS: &[&str] = &["build.gradle", "build.gradle.kts"];

/// The workspace packages declared at the scanned root, in path order. A folder declared by
/// two files (npm workspaces and Lerna) is listed once, with the first declaration.
pub fn packages(index: &Index) -> Vec<WorkspacePackage> {
    let mut out: Vec<WorkspacePackage> = Vec::new();
    for d in DECLARATIONS {
        for (file, text) in declaring_files(index, d.file) {
            let Some(members) = (d.members)(text) else {
                continue;
            };
            for folder in matching_folders(index, &members) {
                if out.iter().any(|p| p.path == folder) {
                    continue;
                }
                if let Some(manifest) = manifest_in(index, &folder, d.manifests) {
                    out.push(WorkspacePackage {
                        path: folder,
                        manifest,
                        declared_in: file.to_string(),
                        scan: None,
                        error: None,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The root files named `name` (`*.ext`: every root file with that extension) and their text.
fn declaring_files<'i>(index: &'i Index, name: &str) -> Vec<(&'i str, &'i str)> {
    match name.strip_prefix("*.") {
        Some(ext) => index
            .children("")
            .into_iter()
            .filter(|f| f.ext() == ext)
            .filter_map(|f| Some((f.path.as_str(), f.text()?)))
            .collect(),
        None => index
            .file(name)
            .and_then(|f| Some((f.path.as_str(), f.text()?)))
            .into_iter()
            .collect(),
    }
}

/// The first of `manifests` that `folder` holds (`*.csproj`: a file with that extension).
fn manifest_in(index: &Index, folder: &str, manifests: &[&str]) -> Option<String> {
    manifests.iter().find_map(|m| match m.strip_prefix("*.") {
        Some(ext) => index
            .children(folder)
            .into_iter()
            .find(|f| f.ext() == ext)
            .map(|f| f.path.clone()),
        None => {
            let path = format!("{folder}/{m}");
            index.exists(&path).then_some(path)
        }
    })
}

/// Walked folders that an `include` pattern matches and no `exclude` pattern does. Patterns
/// are globs relative to the root (`packages/*`, `apps/**`, `./tools/cli/`); `*` stays within
/// one folder, as in npm, pnpm and Cargo. Dependencies (`node_modules`) never count.
fn matching_folders(index: &Index, members: &Members) -> Vec<String> {
    let include = glob_set(&members.include);
    let exclude = glob_set(&members.exclude);
    index
        .dirs()
        .iter()
        .filter(|dir| !dir.split('/').any(|seg| seg == "node_modules"))
        .filter(|dir| include.is_match(dir.as_str()) && !exclude.is_match(dir.as_str()))
        .cloned()
        .collect()
}

/// The patterns as one set; a pattern that is not a valid glob matches nothing.
fn glob_set(patterns: &[String]) -> GlobSet {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        let p = normalise(p);
        if p.is_empty() {
            continue;
        }
        if let Ok(glob) = GlobBuilder::new(p).literal_separator(true).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| GlobSet::empty())
}

/// `./packages/*/` → `packages/*`; the root itself (`.`) becomes empty and is not a package.
fn normalise(pattern: &str) -> &str {
    let mut p = pattern.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_end_matches('/');
    if p == "." {
        ""
    } else {
        p
    }
}

/// Patterns starting with `!` exclude (npm, pnpm); the rest include.
fn split_negated(patterns: Vec<String>) -> Members {
    let (exclude, include): (Vec<String>, Vec<String>) =
        patterns.into_iter().partition(|p| p.starts_with('!'));
    let exclude = exclude.into_iter().map(|p| p[1..].to_string()).collect();
    Members { include, exclude }
}

fn json_strings(value: Option<&serde_json::Value>) -> Option<Vec<String>> {
    let items = value?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    )
}

/// `"workspaces": [..]`, or Yarn's `"workspaces": {"packages": [..]}`.
fn npm_workspaces(text: &str) -> Option<Members> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let workspaces = json.get("workspaces")?;
    let list =
        json_strings(Some(workspaces)).or_else(|| json_strings(workspaces.get("packages")))?;
    Some(split_negated(list))
}

fn pnpm_packages(text: &str) -> Option<Members> {
    let yaml = crate::model::yaml::parse(text).ok()?;
    let list = yaml.root()?.get("packages")?;
    Some(split_negated(
        list.strings().into_iter().map(str::to_string).collect(),
    ))
}

fn lerna_packages(text: &str) -> Option<Members> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let list = json_strings(json.get("packages"))?;
    Some(split_negated(list))
}

fn cargo_members(text: &str) -> Option<Members> {
    Some(Members {
        include: toml_string_array(text, "workspace", "members")?,
        exclude: toml_string_array(text, "workspace", "exclude").unwrap_or_default(),
    })
}

fn uv_members(text: &str) -> Option<Members> {
    Some(Members {
        include: toml_string_array(text, "tool.uv.workspace", "members")?,
        exclude: toml_string_array(text, "tool.uv.workspace", "exclude").unwrap_or_default(),
    })
}

/// `use ./api` and `use ( ./api ./worker )`; `//` starts a comment.
fn go_work_uses(text: &str) -> Option<Members> {
    let mut uses = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if !line.is_empty() {
                uses.push(line.trim_matches('"').to_string());
            }
        } else if let Some(rest) = line.strip_prefix("use") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_block = true;
            } else if !rest.is_empty()
                && line.as_bytes().get(3).is_some_and(u8::is_ascii_whitespace)
            {
                uses.push(rest.trim_matches('"').to_string());
            }
        }
    }
    Some(Members {
        include: uses,
        exclude: Vec::new(),
    })
}

/// `include("app", ":libs:core")` and `include 'app'` in Gradle settings: project paths,
/// `:` between folders. A project moved with `projectDir` is not followed.
fn gradle_includes(text: &str) -> Option<Members> {
    let mut include = Vec::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let Some(rest) = line.strip_prefix("include") else {
            continue;
        };
        if !rest.starts_with(['(', ' ', '\t']) {
            continue; // includeBuild, includeFlat
        }
        let mut strings = Vec::new();
        strings_until_bracket(rest, &mut strings);
        include.extend(
            strings
                .iter()
                .map(|p| p.trim_start_matches(':').replace(':', "/")),
        );
    }
    (!include.is_empty()).then_some(Members {
        include,
        exclude: Vec::new(),
    })
}

/// `<module>core</module>` in a Maven aggregator's `pom.xml`.
fn maven_modules(text: &str) -> Option<Members> {
    let include: Vec<String> = text
        .split("<module>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</module>"))
        .map(|(module, _)| module.trim().to_string())
        .collect();
    (!include.is_empty()).then_some(Members {
        include,
        exclude: Vec::new(),
    })
}

/// `Project("{GUID}") = "Api", "src\Api\Api.csproj", "{GUID}"` in a solution: the project
/// file's folder. Solution folders (no project file) are not packages.
fn solution_projects(text: &str) -> Option<Members> {
    let include: Vec<String> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("Project("))
        .filter_map(|l| l.split('"').nth(5))
        .map(|p| p.replace('\\', "/"))
        .filter(|p| p.ends_with("proj"))
        .filter_map(|p| p.rsplit_once('/').map(|(folder, _)| folder.to_string()))
        .collect();
    (!include.is_empty()).then_some(Members {
        include,
        exclude: Vec::new(),
    })
}

/// The strings of `key = [ "a", 'b', ... ]` in the TOML table `[table]`, the array possibly
/// spread over several lines with comments. `None` when the table has no such key.
fn toml_string_array(text: &str, table: &str, key: &str) -> Option<Vec<String>> {
    let mut in_table = false;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim();
        if l.starts_with('[') {
            in_table = l.trim_matches(|c| c == '[' || c == ']').trim() == table;
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        if !in_table || k.trim().trim_matches('"') != key {
            continue;
        }
        let mut out = Vec::new();
        let rest = v.trim_start().strip_prefix('[')?;
        if strings_until_bracket(rest, &mut out) {
            return Some(out);
        }
        for line in lines.by_ref() {
            if strings_until_bracket(line, &mut out) {
                return Some(out);
            }
        }
        return Some(out);
    }
    None
}

/// Collects the quoted strings of `line` into `out`; true once the array's `]` is reached.
fn strings_until_bracket(line: &str, out: &mut Vec<String>) -> bool {
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => out.push(chars.by_ref().take_while(|&d| d != c).collect()),
            '#' => return false,
            ']' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(files: &[(&str, &str)]) -> Vec<(String, String)> {
        packages(&Index::from_files(files))
            .into_iter()
            .map(|p| (p.path, p.declared_in))
            .collect()
    }

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn npm_workspaces_match_one_folder_level_and_need_a_manifest() {
        let found = paths(&[
            (
                "package.json",
                r#"{"workspaces": ["packages/*", "apps/web"]}"#,
            ),
            ("packages/ui/package.json", "{}"),
            ("packages/ui/src/index.ts", ""),
            ("packages/ui/nested/package.json", "{}"),
            ("packages/docs/README.md", "no manifest"),
            ("apps/web/package.json", "{}"),
            ("apps/api/package.json", "{}"),
            ("packages/ui/node_modules/x/package.json", "{}"),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("apps/web", "package.json"),
                ("packages/ui", "package.json")
            ])
        );
    }

    #[test]
    fn yarn_object_form_and_negated_patterns() {
        let found = paths(&[
            (
                "package.json",
                r#"{"workspaces": {"packages": ["./packages/**", "!packages/legacy"]}}"#,
            ),
            ("packages/a/package.json", "{}"),
            ("packages/group/b/package.json", "{}"),
            ("packages/legacy/package.json", "{}"),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("packages/a", "package.json"),
                ("packages/group/b", "package.json")
            ])
        );
    }

    #[test]
    fn pnpm_and_lerna_declarations_are_listed_once() {
        let found = paths(&[
            (
                "pnpm-workspace.yaml",
                "packages:\n  - 'apps/*'\n  - \"!apps/old\"\n",
            ),
            ("lerna.json", r#"{"packages": ["apps/*", "libs/*"]}"#),
            ("apps/web/package.json", "{}"),
            ("apps/old/package.json", "{}"),
            ("libs/core/package.json", "{}"),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("apps/old", "lerna.json"),
                ("apps/web", "pnpm-workspace.yaml"),
                ("libs/core", "lerna.json"),
            ])
        );
    }

    #[test]
    fn cargo_members_over_several_lines_with_comments_and_excludes() {
        let cargo = "[package]\nname = \"root\"\nmembers = [\"not-this\"]\n\n[workspace]\n\
            members = [\n  \"crates/*\", # the libraries\n  'xtask',\n]\n\
            exclude = [\"crates/scratch\"]\n\n[workspace.dependencies]\nserde = \"1\"\n";
        let found = paths(&[
            ("Cargo.toml", cargo),
            ("crates/core/Cargo.toml", ""),
            ("crates/cli/Cargo.toml", ""),
            ("crates/scratch/Cargo.toml", ""),
            ("xtask/Cargo.toml", ""),
            ("not-this/Cargo.toml", ""),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("crates/cli", "Cargo.toml"),
                ("crates/core", "Cargo.toml"),
                ("xtask", "Cargo.toml"),
            ])
        );
    }

    #[test]
    fn go_work_uses_single_and_block_forms_but_not_the_root() {
        let found = paths(&[
            (
                "go.work",
                "go 1.22\n\nuse (\n\t.\n\t./api // the server\n\t./tools/gen\n)\nuse ./worker\n\
                 usex ./nope\n",
            ),
            ("go.mod", "module root"),
            ("api/go.mod", "module api"),
            ("tools/gen/go.mod", "module gen"),
            ("worker/go.mod", "module worker"),
            ("nope/go.mod", "module nope"),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("api", "go.work"),
                ("tools/gen", "go.work"),
                ("worker", "go.work"),
            ])
        );
    }

    #[test]
    fn uv_workspace_members() {
        let pyproject = "[project]\nname = \"app\"\n\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/seeds\"]\n";
        let found = paths(&[
            ("pyproject.toml", pyproject),
            ("packages/etl/pyproject.toml", ""),
            ("packages/seeds/pyproject.toml", ""),
        ]);
        assert_eq!(found, owned(&[("packages/etl", "pyproject.toml")]));
    }

    #[test]
    fn gradle_settings_include_project_paths() {
        let settings = "rootProject.name = \"shop\"\n// include(\"commented\")\n\
            include(\"app\", \":libs:core\")\ninclude 'tools'\nincludeBuild(\"build-logic\")\n";
        let found = paths(&[
            ("settings.gradle.kts", settings),
            ("app/build.gradle.kts", ""),
            ("libs/core/build.gradle", ""),
            ("tools/build.gradle", ""),
            ("build-logic/build.gradle.kts", ""),
            ("commented/build.gradle", ""),
        ]);
        assert_eq!(
            found,
            owned(&[
                ("app", "settings.gradle.kts"),
                ("libs/core", "settings.gradle.kts"),
                ("tools", "settings.gradle.kts"),
            ])
        );
        let manifest = packages(&Index::from_files(&[
            ("settings.gradle", "include 'app'\n"),
            ("app/build.gradle.kts", ""),
        ]));
        assert_eq!(manifest[0].manifest, "app/build.gradle.kts");
    }

    #[test]
    fn maven_modules_of_an_aggregator_pom() {
        let pom = "<project>\n  <modules>\n    <module>api</module>\n    <module> core </module>\n\
            <module>../outside</module>\n  </modules>\n</project>\n";
        let found = paths(&[
            ("pom.xml", pom),
            ("api/pom.xml", "<project/>"),
            ("core/pom.xml", "<project/>"),
            ("docs/pom.xml", "<project/>"),
        ]);
        assert_eq!(found, owned(&[("api", "pom.xml"), ("core", "pom.xml")]));
    }

    #[test]
    fn solution_projects_are_their_project_files_folders() {
        let sln = "Microsoft Visual Studio Solution File, Format Version 12.00\n\
            Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Web\", \"src\\Web\\Web.csproj\", \"{1}\"\nEndProject\n\
            Project(\"{2150E333-8FDC-42A3-9474-1A3956D46DE8}\") = \"src\", \"src\", \"{2}\"\nEndProject\n\
            Project(\"{F2A71F9B-5D33-465A-A702-920D77279786}\") = \"Core\", \"src\\Core\\Core.fsproj\", \"{3}\"\nEndProject\n";
        let found = packages(&Index::from_files(&[
            ("Shop.sln", sln),
            ("src/Web/Web.csproj", "<Project/>"),
            ("src/Core/Core.fsproj", "<Project/>"),
            ("src/Other/Other.csproj", "<Project/>"),
        ]));
        let found: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|p| (p.path.as_str(), p.manifest.as_str(), p.declared_in.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("src/Core", "src/Core/Core.fsproj", "Shop.sln"),
                ("src/Web", "src/Web/Web.csproj", "Shop.sln"),
            ]
        );
    }

    #[test]
    fn no_declaration_or_a_broken_one_lists_nothing() {
        assert!(paths(&[
            ("package.json", r#"{"name": "x"}"#),
            ("a/package.json", "{}")
        ])
        .is_empty());
        assert!(paths(&[("package.json", "{not json"), ("a/package.json", "{}")]).is_empty());
        assert!(paths(&[
            ("pnpm-workspace.yaml", "packages: [unclosed"),
            ("a/package.json", "{}")
        ])
        .is_empty());
        // An invalid glob matches nothing; the valid ones still count.
        assert_eq!(
            paths(&[
                ("package.json", r#"{"workspaces": ["a/[", "b"]}"#),
                ("a/x/package.json", "{}"),
                ("b/package.json", "{}"),
            ]),
            owned(&[("b", "package.json")])
        );
    }
}
