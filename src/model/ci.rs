//! CI configuration of any provider, as text: which files configure CI, and which of their
//! lines match a pattern. Provider-specific structure (GitHub Actions jobs and steps) lives in
//! [`super::workflow`].

use crate::index::{Index, IndexedFile};
use crate::rules::Evidence;
use regex::Regex;

/// A CI provider and the files that configure it.
pub struct Provider {
    pub name: &'static str,
    /// Exact repo-relative paths, or a directory prefix ending in `/`.
    pub paths: &'static [&'static str],
}

pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "GitHub Actions",
        paths: &[".github/workflows/"],
    },
    Provider {
        name: "GitLab CI",
        paths: &[".gitlab-ci.yml", ".gitlab-ci.yaml", ".gitlab/ci/"],
    },
    Provider {
        name: "CircleCI",
        paths: &[".circleci/config.yml", ".circleci/config.yaml"],
    },
    Provider {
        name: "Jenkins",
        paths: &["Jenkinsfile"],
    },
    Provider {
        name: "Azure Pipelines",
        paths: &[
            "azure-pipelines.yml",
            "azure-pipelines.yaml",
            ".azure-pipelines/",
            ".azuredevops/",
        ],
    },
    Provider {
        name: "Bitbucket Pipelines",
        paths: &["bitbucket-pipelines.yml"],
    },
    Provider {
        name: "Travis CI",
        paths: &[".travis.yml"],
    },
    Provider {
        name: "Drone",
        paths: &[".drone.yml", ".drone.yaml"],
    },
    Provider {
        name: "Buildkite",
        paths: &[".buildkite/"],
    },
    Provider {
        name: "Woodpecker",
        paths: &[".woodpecker.yml", ".woodpecker.yaml", ".woodpecker/"],
    },
];

/// Is this file a CI configuration with content? (A `.gitkeep` in `.github/workflows` is no CI.)
fn is_ci_config(f: &IndexedFile, prefix_dir: bool) -> bool {
    if f.text().is_none_or(|t| t.trim().is_empty()) {
        return false;
    }
    if prefix_dir {
        // Inside a CI folder only YAML (and Jenkins-style Groovy) configures pipelines.
        matches!(f.ext(), "yml" | "yaml" | "groovy")
    } else {
        true
    }
}

/// Every CI configuration file, with its provider, in path order.
pub fn files(index: &Index) -> Vec<(&'static str, &IndexedFile)> {
    let mut out = Vec::new();
    for p in PROVIDERS {
        for path in p.paths {
            if let Some(dir) = path.strip_suffix('/') {
                // Only direct children for GitHub (reusable workflows live there too).
                for f in index.under(dir) {
                    let direct = !f.path[dir.len() + 1..].contains('/');
                    if (direct || p.name != "GitHub Actions") && is_ci_config(f, true) {
                        out.push((p.name, f));
                    }
                }
            } else if let Some(f) = index.file(path) {
                if is_ci_config(f, false) {
                    out.push((p.name, f));
                }
            }
        }
    }
    out.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    out
}

/// Lines of CI configuration matching `re`, as evidence (path, line, the trimmed line as note).
/// Comment lines (`#` or `//`) are ignored: a commented-out step is not a step.
/// A GitHub workflow's `on:` block is left out too: its `paths:` and `branches:` filters name
/// files and tools (`- 'config/brakeman.ignore'`) without running anything.
pub fn grep(index: &Index, re: &Regex) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (provider, f) in files(index) {
        let Some(text) = f.text() else { continue };
        let mut in_triggers = false;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with('#') || t.starts_with("//") {
                continue;
            }
            if provider == "GitHub Actions" && !t.is_empty() && t.len() == line.len() {
                // A top-level key: `on:` (also quoted, or as YAML 1.1 tools rewrite it).
                in_triggers = ["on:", "\"on\":", "'on':", "true:"]
                    .iter()
                    .any(|k| t.starts_with(k));
            }
            if in_triggers {
                continue;
            }
            if re.is_match(line) {
                out.push(Evidence::at(f.path.clone(), i as u32 + 1).note(shorten(t)));
            }
        }
    }
    out
}

/// The first CI file, to anchor a "CI does not do X" finding.
pub fn anchor(index: &Index) -> Option<Evidence> {
    let files = files(index);
    // The main pipeline, where a missing check would be added: a file named for it, else one
    // that runs on pull requests, else the first (not an auto-merge or deploy workflow that
    // happens to sort first).
    const MAIN_NAMES: &[&str] = &["ci", "test", "tests", "build", "main", "checks", "pr"];
    let stem = |f: &IndexedFile| {
        let name = f.name().to_ascii_lowercase();
        name.rsplit_once('.')
            .map_or(name.clone(), |(s, _)| s.to_string())
    };
    files
        .iter()
        .find(|(_, f)| MAIN_NAMES.contains(&stem(f).as_str()))
        .or_else(|| {
            files
                .iter()
                .find(|(_, f)| f.text().is_some_and(runs_on_pull_requests))
        })
        .or(files.first())
        .map(|(_, f)| Evidence::file(f.path.clone()))
        .or_else(|| index.repo_anchor())
}

/// Mentions the `pull_request` trigger (not `pull_request_target`, which auto-merge and
/// labelling workflows use).
fn runs_on_pull_requests(text: &str) -> bool {
    text.match_indices("pull_request")
        .any(|(i, m)| !text[i + m.len()..].starts_with("_target"))
}

/// Whether the `push` input of an image build action (`docker/build-push-action`,
/// `docker/bake-action` …) publishes: `true`, or an expression such as
/// `${{ github.event_name != 'pull_request' }}` that pushes on some runs. Shared by
/// `deploy-automated` and `artifacts-signed` so both read the same step the same way.
pub fn push_input_publishes(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '\'' || c == '"').trim();
    v.eq_ignore_ascii_case("true") || v.contains("${{")
}

/// Notes quote configuration; keep them short.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 120;
    let s = s.trim();
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_expression_may_publish() {
        assert!(push_input_publishes("true"));
        assert!(push_input_publishes(" 'true' "));
        assert!(push_input_publishes("${{ inputs.push_to_images != '' }}"));
        assert!(push_input_publishes(
            "${{ github.event_name != 'pull_request' }}"
        ));
        assert!(!push_input_publishes("false"));
        assert!(!push_input_publishes(""));
        assert!(!push_input_publishes("'false'"));
    }

    #[test]
    fn the_anchor_is_the_main_pipeline() {
        let files = [
            (
                ".github/workflows/Auto-merge.yml",
                "on: pull_request_target\n",
            ),
            (".github/workflows/deploy.yml", "on: push\n"),
            (".github/workflows/lint.yml", "on: pull_request\n"),
            (".github/workflows/test.yml", "on: push\n"),
        ];
        let pick = |f: &[(&str, &str)]| anchor(&Index::from_files(f)).map(|e| e.path);
        assert_eq!(pick(&files).as_deref(), Some(".github/workflows/test.yml"));
        // No file named for the pipeline: the first that runs on pull requests.
        assert_eq!(
            pick(&files[..3]).as_deref(),
            Some(".github/workflows/lint.yml")
        );
        assert_eq!(
            pick(&files[..2]).as_deref(),
            Some(".github/workflows/Auto-merge.yml")
        );
    }

    #[test]
    fn gitkeep_is_not_ci_and_comments_do_not_match() {
        let idx = Index::from_files(&[(".github/workflows/.gitkeep", "")]);
        assert!(files(&idx).is_empty());
        let idx = Index::from_files(&[
            (
                ".gitlab-ci.yml",
                "test:\n  # script: npm test\n  script: pytest -q\n",
            ),
            (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
        ]);
        assert_eq!(files(&idx).len(), 2);
        let hits = grep(
            &idx,
            &crate::pattern::regex(r"\b(npm test|pytest)\b").unwrap(),
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].path.as_str(), hits[0].line),
            (".gitlab-ci.yml", Some(3))
        );
    }

    #[test]
    fn trigger_filters_are_not_steps() {
        // Mastodon's lint workflow: the paths filter names brakeman's ignore file; the step
        // that runs it comes later.
        let wf = "name: Ruby Linting\non:\n  push:\n    paths:\n      - 'config/brakeman.ignore'\n  pull_request:\n    paths:\n      - 'config/brakeman.ignore'\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bin/brakeman --no-pager\n";
        let idx = Index::from_files(&[(".github/workflows/lint-ruby.yml", wf)]);
        let brakeman = crate::pattern::regex(r"\bbrakeman\b").unwrap();
        let lines: Vec<Option<u32>> = grep(&idx, &brakeman).iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(13)]);
        // Only a filter names it: nothing runs it.
        let only_filter = "on:\n  push:\n    paths: ['**/brakeman.yml']\njobs:\n  a:\n    steps:\n      - run: make\n";
        let idx = Index::from_files(&[(".github/workflows/ci.yml", only_filter)]);
        assert!(grep(&idx, &brakeman).is_empty());
    }
}
