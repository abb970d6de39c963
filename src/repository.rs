//! A scanned folder that is one package of a larger repository (a monorepo's `services/orders`).
//!
//! Some of a package's practice lives at the repository root, not in the package: the CI
//! workflows under `.github/`, the repository's `SECURITY.md`, `CODEOWNERS`, licence, Renovate
//! and pre-commit configuration. A package scan also indexes those *shared* files, under the
//! same paths they have at the root, so the rules see them as they see the package's own files.
//! The package's own file wins when both exist. Reports show a shared file by its path from the
//! scanned folder (`../../.github/workflows/ci.yml`), which the action turns back into the
//! repository path.

use std::path::{Path, PathBuf};

/// The repository a scanned folder belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The repository root (resolved).
    pub root: PathBuf,
    /// The scanned folder relative to the root, `/`-separated, never empty (`services/orders`).
    pub prefix: String,
}

impl Package {
    /// `folder` as a package of the repository at `repository`: `None` when the folder is the
    /// repository root itself or lies outside it. Both are resolved first, so a folder reached
    /// through a symlink is placed where it really is.
    pub fn new(folder: &Path, repository: &Path) -> Option<Package> {
        let folder = folder.canonicalize().ok()?;
        let root = repository.canonicalize().ok()?;
        let rel = folder.strip_prefix(&root).ok()?;
        let mut parts = Vec::new();
        for c in rel.components() {
            parts.push(c.as_os_str().to_str()?.to_string());
        }
        if parts.is_empty() {
            return None;
        }
        Some(Package {
            root,
            prefix: parts.join("/"),
        })
    }

    /// The package of the nearest enclosing git repository: the closest folder above `folder`
    /// that holds `.git` (a folder, or a file for worktrees and submodules). `None` when
    /// `folder` is itself a repository root or no folder above it is one.
    pub fn enclosing(folder: &Path) -> Option<Package> {
        let folder = folder.canonicalize().ok()?;
        if folder.join(".git").exists() {
            return None;
        }
        let repository = folder
            .ancestors()
            .skip(1)
            .find(|d| d.join(".git").exists())?;
        Package::new(&folder, repository)
    }

    /// How a shared file's root path is shown from the scanned folder: one `../` per level of
    /// the prefix (`.github/workflows/ci.yml` → `../../.github/workflows/ci.yml`).
    pub fn shown(&self, path: &str) -> String {
        let mut s = "../".repeat(self.prefix.split('/').count());
        s.push_str(path);
        s
    }

    /// Where a command that runs in `dir` (a repository path, "" for the root) runs, seen from
    /// the package: the package-relative folder, "" for the package root or the repository
    /// root (a repository-wide command covers every package), and `None` for a folder outside
    /// the package: that command is another package's work.
    pub fn local_dir<'a>(&self, dir: &'a str) -> Option<&'a str> {
        if dir.is_empty() || dir == self.prefix {
            return Some("");
        }
        dir.strip_prefix(self.prefix.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
    }
}

/// Folders at the repository root whose whole content applies to every package.
const SHARED_DIRS: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    ".husky",
    ".changeset",
    ".devcontainer",
];

/// Files at the repository root that apply to every package (names compared without ASCII
/// case): CI of other providers, policies, workspace lockfiles, toolchain pins and the
/// configuration of tools that look for it in parent folders. Manifests, READMEs and task
/// files are left out: they describe the root project, not the package.
const SHARED_FILES: &[&str] = &[
    ".gitlab-ci.yml",
    "jenkinsfile",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    ".drone.yml",
    ".woodpecker.yml",
    "security.md",
    "codeowners",
    "contributing.md",
    "code_of_conduct.md",
    "support.md",
    "governance.md",
    "license",
    "license.md",
    "license.txt",
    "licence",
    "licence.md",
    "copying",
    ".pre-commit-config.yaml",
    ".editorconfig",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".gitleaks.toml",
    ".secrets.baseline",
    ".semgrep.yml",
    "codecov.yml",
    ".codecov.yml",
    "sonar-project.properties",
    "release-please-config.json",
    ".release-please-manifest.json",
    "lefthook.yml",
    ".lefthook.yml",
    ".tool-versions",
    "mise.toml",
    ".mise.toml",
    // A workspace's lockfile pins every member's dependencies.
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "cargo.lock",
    "uv.lock",
    "poetry.lock",
    // Toolchain pins apply to the whole checkout.
    ".nvmrc",
    ".node-version",
    ".python-version",
    ".ruby-version",
    ".go-version",
    ".java-version",
    ".sdkmanrc",
    "rust-toolchain",
    "rust-toolchain.toml",
    "global.json",
    // The environment template monorepo apps load (`../../.env`).
    ".env.example",
    ".env.sample",
    ".env.template",
    // Linters and formatters that look for their configuration in parent folders.
    "biome.json",
    "biome.jsonc",
    "ruff.toml",
    ".ruff.toml",
    "rustfmt.toml",
    ".rustfmt.toml",
    "clippy.toml",
    ".clippy.toml",
    ".rubocop.yml",
    ".flake8",
    "mypy.ini",
    ".mypy.ini",
    ".shellcheckrc",
    ".hadolint.yaml",
    ".hadolint.yml",
];

/// Name prefixes of shared root files that come in many spellings (`.commitlintrc.json`,
/// `commitlint.config.mjs`, `.releaserc.yaml`).
const SHARED_FILE_PREFIXES: &[&str] = &[
    ".commitlintrc",
    "commitlint.config.",
    ".releaserc",
    ".prettierrc",
    "prettier.config.",
    ".eslintrc",
    "eslint.config.",
    ".golangci.",
    ".stylelintrc",
    ".markdownlint",
    ".yamllint",
    ".lintstagedrc",
    "lint-staged.config.",
];

/// Whether an entry directly under the repository root is shared with its packages.
pub fn is_shared_entry(name: &str, is_dir: bool) -> bool {
    if is_dir {
        return SHARED_DIRS.contains(&name);
    }
    let lower = name.to_ascii_lowercase();
    SHARED_FILES.contains(&lower.as_str())
        || SHARED_FILE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(prefix: &str) -> Package {
        Package {
            root: PathBuf::from("/repo"),
            prefix: prefix.into(),
        }
    }

    #[test]
    fn a_folder_inside_a_git_repository_is_its_package() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("mono");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("services/orders")).unwrap();
        let p = Package::enclosing(&repo.join("services/orders")).unwrap();
        assert_eq!(p.prefix, "services/orders");
        assert_eq!(p.root, repo.canonicalize().unwrap());
        // The repository root itself is no package, nor is a folder with its own `.git`.
        assert_eq!(Package::enclosing(&repo), None);
        std::fs::create_dir_all(repo.join("services/orders/.git")).unwrap();
        assert_eq!(Package::enclosing(&repo.join("services/orders")), None);
    }

    #[test]
    fn a_folder_outside_the_given_repository_is_no_package() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("a")).unwrap();
        std::fs::create_dir_all(tmp.path().join("b")).unwrap();
        assert_eq!(
            Package::new(&tmp.path().join("a"), &tmp.path().join("b")),
            None
        );
        assert_eq!(
            Package::new(&tmp.path().join("a"), tmp.path()).map(|p| p.prefix),
            Some("a".to_string())
        );
    }

    #[test]
    fn shared_files_are_shown_from_the_package() {
        assert_eq!(
            package("services/orders").shown(".github/workflows/ci.yml"),
            "../../.github/workflows/ci.yml"
        );
        assert_eq!(package("api").shown("SECURITY.md"), "../SECURITY.md");
    }

    #[test]
    fn commands_in_other_packages_are_not_this_packages() {
        let p = package("services/orders");
        assert_eq!(p.local_dir(""), Some(""));
        assert_eq!(p.local_dir("services/orders"), Some(""));
        assert_eq!(p.local_dir("services/orders/web"), Some("web"));
        assert_eq!(p.local_dir("services/billing"), None);
        assert_eq!(p.local_dir("services/orders-v2"), None);
    }

    #[test]
    fn only_repository_wide_entries_are_shared() {
        for (name, dir) in [
            (".github", true),
            (".husky", true),
            ("SECURITY.md", false),
            ("LICENSE", false),
            ("CODEOWNERS", false),
            (".pre-commit-config.yaml", false),
            (".commitlintrc.json", false),
            ("Jenkinsfile", false),
            ("yarn.lock", false),
            ("Cargo.lock", false),
            (".nvmrc", false),
            (".prettierrc.js", false),
            ("eslint.config.mjs", false),
            (".env.example", false),
        ] {
            assert!(is_shared_entry(name, dir), "{name}");
        }
        for (name, dir) in [
            ("services", true),
            ("docs", true),
            ("README.md", false),
            ("package.json", false),
            ("Makefile", false),
            ("Dockerfile", false),
            ("Cargo.toml", false),
            ("pyproject.toml", false),
            (".env", false),
            ("turbo.json", false),
            (".github", false),
        ] {
            assert!(!is_shared_entry(name, dir), "{name}");
        }
    }
}
