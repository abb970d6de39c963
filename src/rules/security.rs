//! Security: static analysis, secret scanning (CI and before commit), dependency audit,
//! container and IaC scanning, a security policy, no hard-coded secrets, no committed `.env`.

use super::deployment::{ci_runs, own, re, vendored};
use super::secrets::{self, Finding};
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::detect::StackId;
use crate::index::{Index, IndexedFile};
use crate::model::ci;
use crate::pattern::Gated;
use regex::Regex;
use std::cell::OnceCell;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Where tools run: CI (directly or through scripts), git hooks, tool configuration.

/// Git hook configurations: pre-commit, husky, lefthook, overcommit, plain `.githooks/`.
fn hook_files(index: &Index) -> Vec<&IndexedFile> {
    const NAMES: &[&str] = &[
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        "lefthook.yml",
        "lefthook.yaml",
        ".lefthook.yml",
        ".lefthook.yaml",
        ".overcommit.yml",
        ".lintstagedrc",
        ".lintstagedrc.json",
        ".lintstagedrc.yaml",
        ".lintstagedrc.yml",
    ];
    let mut out: Vec<&IndexedFile> = NAMES
        .iter()
        .filter_map(|p| index.file(p))
        .chain(
            [".husky", ".githooks", ".git-hooks"]
                .iter()
                .flat_map(|d| index.under(d)),
        )
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Lines of hook configurations matching `re`. In package.json only script-like values count
/// (`"pre-commit": "secretlint …"`), not a dependency declaration.
fn hook_lines(index: &Index, re: &Regex) -> Vec<Evidence> {
    let mut out = Vec::new();
    for f in hook_files(index) {
        let Some(text) = f.text() else { continue };
        for (i, l) in text.lines().enumerate() {
            let t = l.trim_start();
            if t.starts_with("//") || (t.starts_with('#') && !t.starts_with("#!")) {
                continue;
            }
            if re.is_match(l) {
                out.push(Evidence::at(f.path.clone(), i as u32 + 1).note(ci::shorten(t)));
            }
        }
    }
    for f in index.named("package.json").filter(|f| own(f)) {
        let Some(text) = f.text() else { continue };
        for (i, l) in text.lines().enumerate() {
            // `"key": "value"` where the value is a command (has a space), not a version.
            let Some((_, value)) = l.split_once("\": \"") else {
                continue;
            };
            if value.contains(' ')
                && re.is_match(value)
                && (text.contains("\"husky\"")
                    || text.contains("simple-git-hooks")
                    || text.contains("lint-staged"))
            {
                out.push(Evidence::at(f.path.clone(), i as u32 + 1).note(ci::shorten(l.trim())));
            }
        }
    }
    out
}

/// Tool use in CI or hooks; CI first.
fn ci_or_hooks(index: &Index, re: &Regex) -> (Vec<Evidence>, Vec<Evidence>) {
    (ci_runs(index, re), hook_lines(index, re))
}

/// A GitHub Actions step using one of `actions`, with the value of input `key` (or its default).
fn action_inputs(index: &Index, actions: &[&str], key: &str) -> Vec<(Evidence, Option<String>)> {
    let mut out = Vec::new();
    for wf in index.workflows() {
        for (_, s) in wf.all_steps() {
            let Some(u) = &s.uses else { continue };
            let name = u.action().to_ascii_lowercase();
            if actions.contains(&name.as_str()) {
                out.push((
                    Evidence::at(wf.path.clone(), u.line).note(format!("uses {name}")),
                    s.with_str(key).map(str::to_string),
                ));
            }
        }
    }
    out
}

fn has_code(ctx: &Context) -> bool {
    !ctx.stacks.is_empty() || ctx.index.files().iter().any(|f| f.is_source() && own(f))
}

// ---------------------------------------------------------------------------------------------
// SAST

static SAST: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        github/codeql-action/(?:init|analyze|autobuild) | \bcodeql\s+database\b
      | \bsemgrep\b | \bbandit\b | \bgosec\b | \bspotbugs\b | find-?sec-?bugs | \bbrakeman\b
      | sonarcloud | sonarqube | sonarsource/ | sonar-scanner | \bsonar:sonar\b
      | \bsnyk\s+code\b | \bnjsscan\b | eslint-plugin-security | \bhorusec\b
      | bearer/bearer-action | \bbearer\s+scan\b | checkmarx/ | \bdevskim\b
      | \bpsalm\b[^\n]*--taint-analysis | \bflawfinder\b | security-code-scan | \bcodacy-analysis-cli\b
      | SAST\.gitlab-ci\.yml | \bpysa\b
    ")
});

/// Linter settings that enable security rules, and the CI commands that run the linter.
static RUFF_RULES: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:extend-)?select\s*=\s*\[[^\]]*"(?:S\d*|ALL)""#));
static RUFF: LazyLock<Regex> = LazyLock::new(|| re(r"\bruff\b"));
static GOSEC: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^\s*-\s*gosec\b|enable-all:\s*true|^\s*default:\s*all\b|\bgosec\s*[:=]")
});
static GOLANGCI: LazyLock<Regex> =
    LazyLock::new(|| re(r"golangci-lint|golangci/golangci-lint-action"));
static ESLINT_PLUGIN: LazyLock<Regex> = LazyLock::new(|| {
    re(r#""(?:eslint-plugin-security|eslint-plugin-no-unsanitized|@microsoft/eslint-plugin-sdl)""#)
});
static ESLINT: LazyLock<Regex> = LazyLock::new(|| re(r"\beslint\b|\bnext\s+lint\b"));

/// Security rules embedded in a linter that CI runs: ruff `S` (flake8-bandit), golangci-lint
/// gosec, ESLint security plugins.
fn linter_sast(ctx: &Context) -> Vec<Evidence> {
    let index = ctx.index;
    // Whether CI runs each linter does not depend on the manifest: asked once, and only when
    // a manifest enables its security rules (a monorepo has hundreds of manifests).
    let in_ci = |re: &Regex| !ci_runs(index, re).is_empty();
    let (ruff_in_ci, golangci_in_ci, eslint_in_ci) =
        (OnceCell::new(), OnceCell::new(), OnceCell::new());
    let mut out = Vec::new();
    for name in ["pyproject.toml", "ruff.toml", ".ruff.toml"] {
        for f in index.named(name).filter(|f| own(f)) {
            let Some(t) = f.text() else { continue };
            if let Some(m) = RUFF_RULES.find(t) {
                if *ruff_in_ci.get_or_init(|| in_ci(&RUFF)) {
                    out.push(
                        Evidence::at(f.path.clone(), super::signals::line_of(t, m.start()))
                            .note("ruff runs the flake8-bandit (S) security rules in CI"),
                    );
                }
            }
        }
    }
    for name in [
        ".golangci.yml",
        ".golangci.yaml",
        ".golangci.toml",
        ".golangci.json",
    ] {
        if let Some(t) = index.text(name) {
            if let Some(m) = GOSEC.find(t) {
                if *golangci_in_ci.get_or_init(|| in_ci(&GOLANGCI)) {
                    out.push(
                        Evidence::at(name, super::signals::line_of(t, m.start()))
                            .note("golangci-lint runs gosec in CI"),
                    );
                }
            }
        }
    }
    for f in index.named("package.json").filter(|f| own(f)) {
        let Some(t) = f.text() else { continue };
        if let Some(m) = ESLINT_PLUGIN.find(t) {
            if *eslint_in_ci.get_or_init(|| in_ci(&ESLINT)) {
                out.push(
                    Evidence::at(f.path.clone(), super::signals::line_of(t, m.start()))
                        .note("ESLint security plugin, and CI runs ESLint"),
                );
            }
        }
    }
    out
}

fn sast(ctx: &Context) -> Outcome {
    if !has_code(ctx) {
        return Outcome::na("no source code to analyse");
    }
    let index = ctx.index;
    let (ci, hooks) = ci_or_hooks(index, &SAST);
    if !ci.is_empty() {
        return Outcome::pass("static security analysis runs in CI", ci);
    }
    let mut other = linter_sast(ctx);
    // Hosted analyses configured in the repository (SonarCloud automatic analysis, Semgrep
    // managed scans, CodeQL advanced configuration).
    let mut hosted: Vec<&IndexedFile> = [
        "sonar-project.properties",
        ".sonarcloud.properties",
        ".semgrep.yml",
        ".semgrep.yaml",
        "semgrep.yml",
    ]
    .iter()
    .filter_map(|p| index.file(p))
    .chain(index.under(".semgrep"))
    .chain(index.under(".github/codeql"))
    .filter(|f| own(f))
    .collect();
    hosted.sort_by(|a, b| a.path.cmp(&b.path));
    other.extend(hosted.into_iter().map(|f| {
        Evidence::file(f.path.clone())
            .note("analysis configuration (the scan itself runs outside CI files)")
    }));
    if !other.is_empty() {
        return Outcome::pass("static security analysis is configured", other);
    }
    if !hooks.is_empty() {
        return Outcome::pass(
            "static security analysis runs before each commit (not enforced in CI)",
            hooks,
        );
    }
    Outcome::fail(
        "no static security analysis (CodeQL, Semgrep, Bandit, gosec, Brakeman, SonarCloud, Snyk \
         Code…) in CI. CodeQL default setup is enabled in repository settings and cannot be seen \
         from files.",
        ci::anchor(index).into_iter().collect(),
    )
    .with_fix(codeql_workflow(ctx))
}

/// A CodeQL workflow for the languages of the detected stacks (and the workflows themselves,
/// when there are any), each in the build mode CodeQL supports without a build script.
fn codeql_workflow(ctx: &Context) -> Option<String> {
    let mut languages: Vec<(&str, &str)> = ctx
        .stacks
        .iter()
        .map(|s| match s.id {
            StackId::Node => ("javascript-typescript", "none"),
            StackId::Python => ("python", "none"),
            StackId::Go => ("go", "autobuild"),
            StackId::Rust => ("rust", "none"),
            StackId::Java => ("java-kotlin", "none"),
            StackId::Ruby => ("ruby", "none"),
            StackId::Dotnet => ("csharp", "none"),
        })
        .collect();
    if languages.is_empty() {
        return None;
    }
    if !ctx.index.workflows().is_empty() {
        languages.push(("actions", "none"));
    }
    let mut out = String::from(
        "# .github/workflows/codeql.yml\n# Built from this repository: one analysis per \
         language found.\nname: CodeQL\non:\n  push:\n    branches: [main]\n  pull_request:\n  \
         schedule: [{cron: '0 6 * * 1'}]\npermissions:\n  contents: read\nconcurrency:\n  \
         group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ \
         github.event_name == 'pull_request' }}\njobs:\n  analyze:\n    runs-on: ubuntu-latest\n    \
         timeout-minutes: 30\n    permissions:\n      contents: read\n      security-events: write\n    \
         strategy:\n      fail-fast: false\n      matrix:\n        include:\n",
    );
    for (language, mode) in languages {
        out.push_str(&format!(
            "          - language: {language}\n            build-mode: {mode}\n"
        ));
    }
    out.push_str(
        "    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # \
         v6.0.2\n      - uses: github/codeql-action/init@0499de31b99561a6d14a36a5f662c2a54f91beee \
         # v4.31.2\n        with:\n          languages: ${{ matrix.language }}\n          \
         build-mode: ${{ matrix.build-mode }}\n      - uses: \
         github/codeql-action/analyze@0499de31b99561a6d14a36a5f662c2a54f91beee # v4.31.2\n        \
         with:\n          category: /language:${{ matrix.language }}\n",
    );
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Secret scanning

static SECRET_SCAN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        \bgitleaks\b | \btrufflehog\b | trufflesecurity/ | \bdetect-secrets\b | \bggshield\b
      | gitguardian/ | \bsecretlint\b | \bnoseyparker\b | \bkingfisher\b | \bripsecrets\b
      | \bgit-secrets\b | \btalisman\b | Secret-Detection\.gitlab-ci\.yml
      | \btrivy\b[^\n]*--scanners[^\n]*\bsecret\b
    ")
});

static SECRET_HOOK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:gitleaks|detect-secrets|trufflehog|ggshield|secretlint|talisman|ripsecrets|git-secrets|detect-private-key|detect-aws-credentials|kingfisher|noseyparker)\b",
    )
});

fn secret_scanning_ci(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let mut found = ci_runs(index, &SECRET_SCAN);
    // trivy fs/repo scans secrets by default.
    for (e, scan_type) in action_inputs(index, &["aquasecurity/trivy-action"], "scan-type") {
        if matches!(
            scan_type.as_deref(),
            Some("fs" | "repo" | "filesystem" | "repository")
        ) {
            found.push(e.note("trivy fs/repo scans for secrets by default"));
        }
    }
    found.extend(
        ci_runs(index, &re(r"\btrivy\s+(?:fs|filesystem|repo|repository)\b"))
            .into_iter()
            .filter(|e| !e.note.as_deref().is_some_and(|n| n.contains("--scanners"))),
    );
    Outcome::present(
        found,
        "CI scans for committed secrets",
        "CI does not scan for secrets (gitleaks, trufflehog, detect-secrets, ggshield…). GitHub \
         secret scanning and push protection are repository settings and cannot be seen from files.",
        ci::anchor(index),
    )
}

fn secret_scanning_hooks(ctx: &Context) -> Outcome {
    let found = hook_lines(ctx.index, &SECRET_HOOK);
    let narrow = !found.is_empty()
        && found.iter().all(|e| {
            e.note.as_deref().is_some_and(|n| {
                n.contains("detect-private-key") || n.contains("detect-aws-credentials")
            })
        });
    let msg = if narrow {
        "a commit hook blocks private keys / AWS credentials (other token formats are not checked)"
    } else {
        "a commit hook blocks secrets before they are committed"
    };
    Outcome::present(
        found,
        msg,
        "no secret scan before commit: a leaked key is only caught after it is pushed, if at all",
        ctx.index
            .first_existing(&[
                ".pre-commit-config.yaml",
                ".husky/pre-commit",
                "lefthook.yml",
            ])
            .or_else(|| ctx.index.repo_anchor()),
    )
}

// ---------------------------------------------------------------------------------------------
// Dependency audit

static DEP_AUDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        \b(?:npm|pnpm|bun)\s+audit\b | \byarn\s+(?:npm\s+)?audit\b | \baudit-ci\b | \bbetter-npm-audit\b
      | \bimproved-yarn-audit\b | \bauditjs\b
      | \bpip-audit\b | pypa/gh-action-pip-audit | \bsafety\s+(?:check|scan)\b | pyupio/safety
      | \bgovulncheck\b | golang/govulncheck-action
      | \bcargo[\s-]+audit\b | rustsec/audit-check | actions-rust-lang/audit
      | \bcargo[\s-]+deny\b | embarkstudios/cargo-deny-action
      | \bbundler?[\s-]+audit\b | \bbundler-audit\b
      | dependency-check | \bdependencyCheckAnalyze\b | ossindex
      | actions/dependency-review-action
      | \bosv-scanner\b | google/osv-scanner
      | \bsnyk\s+(?:test|monitor)\b | snyk/actions/(?:node|python|golang|maven|gradle|ruby|dotnet|php|scala|sbt|cocoapods|swift)\b
      | \btrivy\s+(?:fs|filesystem|repo|repository|rootfs)\b
      | \bgrype\s+(?:dir:|\.|sbom:)
      | \bdotnet\s+list\b[^\n]*--vulnerable | \bcomposer\s+audit\b | \bmix\s+(?:hex|deps)\.audit\b
      | \bnancy\b | Dependency-Scanning\.gitlab-ci\.yml
    ")
});

/// Build plugins that fail the build on vulnerable dependencies.
static AUDIT_PLUGIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"dependency-check-maven|org\.owasp\.dependencycheck|ossindex-maven-plugin|org\.sonatype\.gradle\.plugins\.scan",
    )
});

fn dependency_audit(ctx: &Context) -> Outcome {
    if ctx.stacks.is_empty() {
        return Outcome::na("no package manifest: no third-party dependencies to audit");
    }
    let index = ctx.index;
    let (mut found, hooks) = ci_or_hooks(index, &DEP_AUDIT);
    for (e, scan_type) in action_inputs(index, &["aquasecurity/trivy-action"], "scan-type") {
        if matches!(
            scan_type.as_deref(),
            Some("fs" | "repo" | "filesystem" | "repository" | "rootfs")
        ) {
            found.push(e.note("trivy fs/repo audits dependencies"));
        }
    }
    for (e, path) in action_inputs(index, &["anchore/scan-action"], "path") {
        if path.is_some() {
            found.push(e.note("grype scans the source tree's dependencies"));
        }
    }
    // Build plugins that fail the build on vulnerable dependencies.
    for name in ["pom.xml", "build.gradle", "build.gradle.kts"] {
        for f in index.named(name).filter(|f| own(f)) {
            if let Some(t) = f.text() {
                if let Some(m) = AUDIT_PLUGIN.find(t) {
                    found.push(
                        Evidence::at(f.path.clone(), super::signals::line_of(t, m.start()))
                            .note("vulnerability audit plugin in the build"),
                    );
                }
            }
        }
    }
    found.extend(hooks);
    // `|| true` makes the audit advisory: still a practice, but say so.
    let tool_lines: Vec<&str> = found
        .iter()
        .filter_map(|e| e.note.as_deref())
        .filter(|n| !n.starts_with("runs "))
        .collect();
    let advisory = !tool_lines.is_empty()
        && tool_lines
            .iter()
            .all(|n| n.contains("|| true") || n.contains("|| exit 0"));
    let msg = if advisory {
        "dependencies are audited, but failures are ignored (`|| true`)"
    } else {
        "dependencies are audited for known vulnerabilities"
    };
    Outcome::present(
        found,
        msg,
        "no dependency vulnerability audit in CI or hooks (npm audit, pip-audit, govulncheck, cargo \
         audit, dependency-review-action, osv-scanner…). Dependabot security alerts are a \
         repository setting and cannot be seen from files.",
        ci::anchor(index),
    )
}

// ---------------------------------------------------------------------------------------------
// Container and IaC scanning

static IMAGE_SCAN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        \btrivy\s+(?:image|i)\b | \bdocker\s+scout\s+(?:cves|quickview|recommendations|compare)\b
      | docker/scout-action | \bsnyk\s+container\b | snyk/actions/docker | \bdocker\s+scan\b
      | Container-Scanning\.gitlab-ci\.yml | \bclairctl\b | \btwistcli\s+images\b
      | \bwizcli\s+docker\s+scan\b | crazy-max/ghaction-container-scan | azure/container-scan
      | \bgrype\s+(?:docker:|registry:|docker-archive:|oci-archive:|podman:|[\w./-]+:[\w.-]+\b)
      | \bneuvector\b | \banchore\b[^\n]*\bimage\b
    ")
});

/// Registries that scan every pushed image.
static SCAN_ON_PUSH: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)scan_?on_?push"?\s*[:=]\s*true"#));

fn container_scanning(ctx: &Context) -> Outcome {
    let index = ctx.index;
    // Development, test and cross-compilation images are not what runs in production.
    let shipped = super::containers::shipped_images(ctx);
    let Some(dockerfile) = shipped.first() else {
        return Outcome::na(if index.dockerfiles().is_empty() {
            "no Dockerfile: no image to scan"
        } else {
            "only development, test or build helper images: no shipped image to scan"
        });
    };
    let mut found = ci_runs(index, &IMAGE_SCAN);
    for (e, scan_type) in action_inputs(index, &["aquasecurity/trivy-action"], "scan-type") {
        if scan_type.as_deref().is_none_or(|t| t == "image") {
            found.push(e.note("trivy image scan"));
        }
    }
    for (e, image) in action_inputs(index, &["anchore/scan-action"], "image") {
        if image.is_some() {
            found.push(e.note("grype image scan"));
        }
    }
    for f in index
        .text_files()
        .filter(|f| own(f) && matches!(f.ext(), "tf" | "yaml" | "yml" | "json"))
    {
        if let Some(t) = f.text() {
            if let Some(m) = SCAN_ON_PUSH.find(t) {
                found.push(
                    Evidence::at(f.path.clone(), super::signals::line_of(t, m.start()))
                        .note("the registry scans each pushed image"),
                );
            }
        }
    }
    Outcome::present(
        found,
        "container images are scanned for vulnerabilities",
        "images built from the Dockerfile are never scanned (trivy image, grype, docker scout, snyk container…)",
        ci::anchor(index).or_else(|| Some(Evidence::file(dockerfile.path.clone()))),
    )
}

/// Kubernetes kinds that mark a manifest (not just any YAML with `kind:`).
static K8S_KIND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)^kind:\s*(?:Deployment|StatefulSet|DaemonSet|Service|Ingress|Job|CronJob|Pod|Namespace|ConfigMap|Secret|HorizontalPodAutoscaler|PersistentVolumeClaim|NetworkPolicy|Rollout|ServiceAccount|Role|RoleBinding|ClusterRole|ClusterRoleBinding)\s*$",
    )
});

/// Infrastructure-as-code files of the project: Terraform, Kubernetes, Helm, CloudFormation, Bicep.
fn iac_files(index: &Index) -> Vec<&IndexedFile> {
    index
        .text_files()
        .filter(|f| own(f) && !f.path.starts_with(".github/"))
        .filter(|f| {
            let n = f.name();
            match f.ext() {
                "tf" | "bicep" => true,
                "yaml" | "yml" | "json" => {
                    matches!(
                        n,
                        "Chart.yaml" | "kustomization.yaml" | "kustomization.yml" | "Pulumi.yaml"
                    ) || f.text().is_some_and(|t| {
                        (t.contains("apiVersion:") && K8S_KIND.is_match(t))
                            || t.contains("AWSTemplateFormatVersion")
                            || t.contains("deploymentTemplate.json#")
                    })
                }
                _ => false,
            }
        })
        .collect()
}

static IAC_SCAN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?xi)
        \bcheckov\b | \btfsec\b | \btrivy\s+(?:config|conf)\b | \bkics\b | \bterrascan\b
      | \bkube-score\b | \bkubesec\b | \bkube-linter\b | stackrox/kube-linter | \bpolaris\s+audit\b
      | \bdatree\b | \bconftest\b | \bsnyk\s+iac\b | snyk/actions/iac | SAST-IaC\.gitlab-ci\.yml
      | \bregula\b | \bterraform-compliance\b | \bcfn[-_]nag\b | \bcfn-guard\b
    ")
});

fn iac_scanning(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let iac = iac_files(index);
    let Some(first) = iac.first() else {
        return Outcome::na(
            "no infrastructure as code (Terraform, Kubernetes, Helm, CloudFormation)",
        );
    };
    let (mut found, hooks) = ci_or_hooks(index, &IAC_SCAN);
    for (e, scan_type) in action_inputs(index, &["aquasecurity/trivy-action"], "scan-type") {
        if scan_type.as_deref() == Some("config") {
            found.push(e.note("trivy config scan"));
        }
    }
    found.extend(hooks);
    Outcome::present(
        found,
        "infrastructure code is scanned for misconfigurations",
        format!(
            "{} infrastructure file(s) but no misconfiguration scan (checkov, tfsec, trivy config, kics, kube-score…)",
            iac.len()
        ),
        Some(Evidence::file(first.path.clone())),
    )
}

// ---------------------------------------------------------------------------------------------
// Security policy

fn security_policy(ctx: &Context) -> Outcome {
    let mut found: Vec<&IndexedFile> = ["", ".github", "docs"]
        .iter()
        .flat_map(|d| ctx.index.children(d))
        .filter(|f| {
            let n = f.name().to_ascii_lowercase();
            n == "security"
                || ["md", "markdown", "rst", "adoc", "txt"]
                    .iter()
                    .any(|e| n == format!("security.{e}"))
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    let Some(f) = found.first() else {
        return Outcome::fail(
            "no SECURITY.md (root, .github/ or docs/): reporters do not know where to send a \
             vulnerability (an organisation-wide policy in the org's .github repository cannot be \
             seen from here)",
            ctx.index.repo_anchor().into_iter().collect(),
        );
    };
    let text = f.text().unwrap_or("");
    if text.contains("Use this section to tell people") {
        return Outcome::fail(
            "SECURITY.md is GitHub's unfilled template",
            vec![Evidence::file(f.path.clone()).note("template text left in place")],
        );
    }
    let channel = re(
        r"(?i)[\w.+-]+@[\w-]+\.[\w.]+|mailto:|security/advisories|security advisor|private vulnerability report|hackerone|bugcrowd|intigriti|https?://",
    );
    match channel.find(text) {
        Some(m) => Outcome::pass(
            "SECURITY.md tells reporters how to disclose a vulnerability",
            vec![
                Evidence::at(f.path.clone(), super::signals::line_of(text, m.start()))
                    .note("reporting channel"),
            ],
        ),
        None => Outcome::fail(
            "SECURITY.md gives no reporting channel (email, advisory form or URL)",
            vec![Evidence::file(f.path.clone())],
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Hard-coded secrets and committed env files

/// Files whose content is not secrets even when it looks like them.
fn skip_for_secrets(f: &IndexedFile) -> bool {
    let n = f.name().to_ascii_lowercase();
    f.is_test
        || vendored(&f.path)
        || (n.contains(".env") || n.ends_with("env")) && secrets::is_env_template(&n)
        || matches!(
            n.as_str(),
            "package-lock.json"
                | "npm-shrinkwrap.json"
                | "yarn.lock"
                | "pnpm-lock.yaml"
                | "poetry.lock"
                | "uv.lock"
                | "pipfile.lock"
                | "cargo.lock"
                | "go.sum"
                | "gemfile.lock"
                | "composer.lock"
                | ".secrets.baseline"
                | ".gitleaks.toml"
                | "gitleaks.toml"
        )
}

/// Inline data of a committed Kubernetes Secret (base64 `data:` or `stringData:`); `data:`
/// values are decoded first so `cGFzc3dvcmQ=` ("password") reads as the placeholder it is.
fn k8s_secret_data(text: &str) -> Option<Finding> {
    if !text.lines().any(|l| l.trim_end() == "kind: Secret") {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t != "data:" && t != "stringData:" {
            continue;
        }
        let encoded = t == "data:";
        let indent = l.len() - l.trim_start().len();
        for (j, d) in lines.iter().enumerate().skip(i + 1) {
            let di = d.len() - d.trim_start().len();
            if d.trim().is_empty() {
                continue;
            }
            if di <= indent {
                break;
            }
            let Some((key, value)) = d.trim().split_once(':') else {
                continue;
            };
            let value = if encoded {
                let raw = value.trim().trim_matches(|c| c == '"' || c == '\'');
                match secrets::base64_decode(raw) {
                    Some(v) => v,
                    None => continue,
                }
            } else {
                value.to_string()
            };
            if let Some(v) = secrets::key_literal(key.trim(), &value) {
                return Some(Finding {
                    kind: format!("Kubernetes Secret with inline `{}`", key.trim()),
                    line: j as u32 + 1,
                    redacted: secrets::redact(&v),
                });
            }
        }
    }
    None
}

/// Secret formats in source code, from signals. A file is left out when its hits are all
/// placeholders, or (Rust) when they all come after the file's `#[cfg(test)]` module.
fn source_secrets(index: &Index) -> Vec<Evidence> {
    use std::collections::HashMap;
    let per_file = |id: &str| -> HashMap<usize, (u32, u32)> {
        index
            .signal(id)
            .iter()
            .map(|h| (h.file, (h.line, h.count)))
            .collect()
    };
    let placeholders = per_file(secrets::PLACEHOLDER_SIGNAL);
    let rust_tests = per_file(secrets::RUST_TESTS_SIGNAL);
    let mut totals: HashMap<usize, (u32, u32)> = HashMap::new();
    for fmt in secrets::FORMATS {
        for h in index.signal(fmt.signal) {
            let t = totals.entry(h.file).or_insert((u32::MAX, 0));
            *t = (t.0.min(h.line), t.1 + h.count);
        }
    }
    let mut out = Vec::new();
    for fmt in secrets::FORMATS {
        for hit in index.signal(fmt.signal) {
            let path = index.hit_path(hit);
            if vendored(path) || index.text(path).is_some() {
                continue; // Kept text is scanned directly, with placeholder checks.
            }
            let (first, total) = totals
                .get(&hit.file)
                .copied()
                .unwrap_or((hit.line, hit.count));
            if placeholders.get(&hit.file).is_some_and(|p| p.1 >= total) {
                continue;
            }
            if rust_tests.get(&hit.file).is_some_and(|t| first > t.0) {
                continue;
            }
            out.push(Evidence::at(path, hit.line).note(format!(
                "{} `{}…` ({} in file)",
                fmt.kind, fmt.shown, hit.count
            )));
        }
    }
    out
}

fn no_hardcoded_secrets(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let ci_paths: Vec<&str> = ci::files(index)
        .iter()
        .map(|(_, f)| f.path.as_str())
        .collect();
    let mut found = Vec::new();
    let mut scanned = 0usize;
    for f in index.text_files() {
        let Some(text) = f.text() else { continue };
        if skip_for_secrets(f) {
            continue;
        }
        scanned += 1;
        let mut findings = secrets::scan_formats(text);
        let is_ci = ci_paths.contains(&f.path.as_str());
        let is_env = secrets::is_env_file(f.name()) && !is_dummy_env(f.name());
        // .NET configuration (appsettings.Development.json holds local defaults, like dev env
        // files).
        let name = f.name().to_ascii_lowercase();
        let appsettings =
            name.starts_with("appsettings") && name.ends_with(".json") && !is_dummy_env(&name);
        if is_ci || is_env || appsettings {
            findings.extend(secrets::scan_assignments(text));
        }
        if crate::model::compose::is_compose_name(&name) && !is_dummy_env(&name) {
            findings.extend(compose_environment_secrets(index, &f.path));
        }
        if matches!(f.ext(), "yaml" | "yml") {
            findings.extend(k8s_secret_data(text));
        }
        findings.sort_by_key(|x| x.line);
        findings.dedup_by_key(|x| x.line);
        for x in findings {
            found.push(Evidence::at(f.path.clone(), x.line).note(x.describe()));
        }
    }
    // Source code, through signals (its text is not kept): the value is not available, so the
    // note shows the format's fixed prefix only.
    found.extend(source_secrets(index));
    if found.is_empty() {
        return Outcome::pass(
            format!("no credential found in {scanned} configuration/docs files or in source code"),
            ci::anchor(index).into_iter().collect(),
        );
    }
    let n = found.len();
    let first = &found[0];
    Outcome::fail(
        format!(
            "{n} hard-coded secret(s), e.g. {} at {}:{}: rotate it and load it from a secret store",
            first.note.as_deref().unwrap_or("a credential"),
            first.path,
            first.line.unwrap_or(0)
        ),
        found,
    )
}

/// Credential literals in the `environment:` of compose services (map or `KEY=value` list),
/// at the line of each entry.
fn compose_environment_secrets(index: &Index, path: &str) -> Vec<Finding> {
    let Some(services) = index
        .yaml(path)
        .and_then(|y| y.as_ref().ok())
        .and_then(|y| y.root())
        .and_then(|r| r.get("services"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, svc) in services.entries() {
        let Some(env) = crate::model::compose::merged(svc, "environment") else {
            continue;
        };
        let mut pairs: Vec<(&str, &str, u32)> = env
            .entries()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?, k.line)))
            .collect();
        pairs.extend(env.items().iter().filter_map(|item| {
            let (key, value) = item.as_str()?.split_once('=')?;
            Some((key.trim(), value, item.line))
        }));
        // A password equal to the service's user or database name (`POSTGRES_USER: orders`,
        // `POSTGRES_PASSWORD: orders`) is a local default, not a credential.
        let plain: Vec<String> = pairs
            .iter()
            .filter(|(k, _, _)| !secrets::is_secret_key(k))
            .map(|(_, v, _)| v.trim().to_ascii_lowercase())
            .collect();
        for (key, value, line) in pairs {
            if secrets::is_secret_key(key) && plain.contains(&value.trim().to_ascii_lowercase()) {
                continue;
            }
            out.extend(secrets::judge_assignment(key, value, line));
        }
    }
    out
}

/// Env files of test and development setups hold dummy values by convention; only known key
/// formats count there.
fn is_dummy_env(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !n.ends_with(".local")
        && n.split(['.', '-', '_']).any(|part| {
            matches!(
                part,
                "test" | "testing" | "dev" | "development" | "ci" | "e2e"
            )
        })
}

/// `.gitignore` lines that ignore env files.
fn gitignore_env_line(index: &Index) -> Option<Evidence> {
    let text = index.text(".gitignore")?;
    text.lines()
        .position(|l| {
            let t = l.trim().trim_start_matches('/');
            t == ".env"
                || t.starts_with(".env*")
                || t.starts_with(".env.")
                || t == "*.env"
                || t == ".env*"
        })
        .map(|i| Evidence::at(".gitignore", i as u32 + 1).note("env files are ignored"))
}

fn env_not_committed(ctx: &Context) -> Outcome {
    let index = ctx.index;
    let committed: Vec<&IndexedFile> = index
        .text_files()
        .filter(|f| own(f) && secrets::is_env_file(f.name()))
        .collect();
    if committed.is_empty() {
        let ev = gitignore_env_line(index)
            .or_else(|| index.first_existing(&[".env.example", ".env.sample", ".gitignore"]))
            .or_else(|| index.repo_anchor());
        return Outcome::pass("no .env file is committed", ev.into_iter().collect());
    }
    let mut bad = Vec::new();
    let mut ok = Vec::new();
    for f in committed {
        let name = f.name().to_ascii_lowercase();
        let text = f.text().unwrap_or("");
        let mut findings = secrets::scan_formats(text);
        if !is_dummy_env(&name) {
            findings.extend(secrets::scan_assignments(text));
        }
        findings.sort_by_key(|x| x.line);
        findings.dedup_by_key(|x| x.line);
        let local = name == ".env" || name.ends_with(".local");
        if !findings.is_empty() {
            bad.extend(
                findings
                    .into_iter()
                    .map(|x| Evidence::at(f.path.clone(), x.line).note(x.describe())),
            );
        } else if local {
            bad.push(
                Evidence::file(f.path.clone())
                    .note("machine-local env file committed; it is where real secrets end up"),
            );
        } else {
            ok.push(
                Evidence::file(f.path.clone()).note("committed, holds no credential-like values"),
            );
        }
    }
    if bad.is_empty() {
        return Outcome::pass("committed env files hold only non-secret defaults", ok);
    }
    Outcome::fail(
        "env files with secrets or local settings are committed: remove them from git, rotate \
         the values and ignore them in .gitignore",
        bad,
    )
}

// ---------------------------------------------------------------------------------------------
// Registry

const SECRETS_MANAGER_DEPS: &[&str] = &[
    "npm:@aws-sdk/client-secrets-manager",
    "npm:@google-cloud/secret-manager",
    "npm:@azure/keyvault-secrets",
    "npm:node-vault",
    "npm:@dopplerhq/*",
    "npm:@infisical/sdk",
    "npm:@1password/sdk",
    "pypi:hvac",
    "pypi:google-cloud-secret-manager",
    "pypi:azure-keyvault-secrets",
    "pypi:aws-secretsmanager-caching",
    "pypi:infisical-python",
    "go:github.com/hashicorp/vault/api",
    "go:cloud.google.com/go/secretmanager",
    "go:github.com/aws/aws-sdk-go-v2/service/secretsmanager",
    "go:github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets",
    "cargo:vaultrs",
    "cargo:aws-sdk-secretsmanager",
    "maven:spring-cloud-starter-vault-config",
    "maven:spring-cloud-azure-starter-keyvault*",
    "maven:secretsmanager",
    "maven:google-cloud-secretmanager",
    "gem:vault",
    "gem:aws-sdk-secretsmanager",
    "nuget:Azure.Security.KeyVault.Secrets",
    "nuget:AWSSDK.SecretsManager",
    "nuget:VaultSharp",
];

/// Configuration and CI lines that fetch secrets from a manager at deploy or run time.
static SECRETS_MANAGER_CONFIG: LazyLock<Gated> = LazyLock::new(|| {
    super::observability::gated(
        r#"(?i)^\s*kind\s*:\s*['"]?(?:SealedSecret|ExternalSecret|ClusterSecretStore|SecretStore|VaultStaticSecret|InfisicalSecret)\b|\bresource\s+"(?:aws_secretsmanager_secret|google_secret_manager_secret|azurerm_key_vault_secret|vault_\w+)"|\b(?:hashicorp/vault-action|aws-actions/aws-secretsmanager-get-secrets|dopplerhq/cli-action|1password/load-secrets-action|google-github-actions/get-secretmanager-secrets|azure/get-keyvault-secrets|infisical/secrets-action)\b|\b(?:doppler|op|infisical|chamber|teller)\s+(?:run|exec)\b|\bsops\s+(?:-d|--decrypt|exec-env)\b|\bvalueFrom\s*:\s*['"]?arn:aws:secretsmanager"#,
    )
});

/// Files that only a secrets manager setup has.
const SECRETS_MANAGER_FILES: &[&str] = &[
    ".sops.yaml",
    "doppler.yaml",
    ".infisical.json",
    ".teller.yml",
];

fn secrets_manager(ctx: &Context) -> Outcome {
    let mut found: Vec<Evidence> = ctx
        .index
        .text_files()
        .filter(|f| own(f) && SECRETS_MANAGER_FILES.contains(&f.name()))
        .map(|f| Evidence::file(f.path.clone()).note("secrets manager configuration"))
        .collect();
    found.extend(super::observability::grep(
        ctx,
        |f| matches!(f.ext(), "yml" | "yaml" | "tf" | "json" | "toml") || f.name() == "Jenkinsfile",
        &SECRETS_MANAGER_CONFIG,
    ));
    found.extend(super::observability::deps(ctx, SECRETS_MANAGER_DEPS));
    Outcome::present(
        found,
        "secrets come from a secrets manager",
        "no secrets manager: secrets live in environment variables and CI settings only, with \
         no rotation, audit trail or per-environment access control",
        ctx.index.repo_anchor(),
    )
}

const RATE_LIMIT_DEPS: &[&str] = &[
    "npm:express-rate-limit",
    "npm:rate-limiter-flexible",
    "npm:@nestjs/throttler",
    "npm:@fastify/rate-limit",
    "npm:@upstash/ratelimit",
    "npm:express-slow-down",
    "npm:koa-ratelimit",
    "npm:hono-rate-limiter",
    "pypi:slowapi",
    "pypi:fastapi-limiter",
    "pypi:flask-limiter",
    "pypi:django-ratelimit",
    "pypi:limits",
    "go:github.com/ulule/limiter*",
    "go:github.com/didip/tollbooth*",
    "go:github.com/go-chi/httprate",
    "go:github.com/sethvargo/go-limiter",
    "cargo:tower_governor",
    "cargo:governor",
    "cargo:actix-governor",
    "maven:bucket4j*",
    "maven:resilience4j-ratelimiter",
    "gem:rack-attack",
    "nuget:AspNetCoreRateLimit",
];

static RATE_LIMIT_CONFIG: LazyLock<Gated> = LazyLock::new(|| {
    super::observability::gated(
        r#"\blimit_req_zone\b|\brateLimit\s*:|\brate-limiting\b|\blocal_ratelimit\b|\brate_based_statement\b|\bthrottle_settings\b|\bthrottling_(?:rate|burst)_limit\b"#,
    )
});

fn rate_limiting(ctx: &Context) -> Outcome {
    let serves_http = !crate::detect::server_code(ctx.index).is_empty()
        || ctx
            .index
            .text_files()
            .any(|f| f.name().starts_with("next.config."));
    if !serves_http {
        return Outcome::na("no HTTP server code found");
    }
    let mut found = super::observability::deps(ctx, RATE_LIMIT_DEPS);
    found.extend(super::observability::signal_hits(
        ctx,
        "sec-rate-limit-code",
        "rate limiter configured",
    ));
    found.extend(super::observability::grep(
        ctx,
        |f| matches!(f.ext(), "yml" | "yaml" | "tf" | "json" | "conf") || f.name() == "nginx.conf",
        &RATE_LIMIT_CONFIG,
    ));
    Outcome::present(
        found,
        "requests are rate limited",
        "no rate limiting: one client (or a bug in one) can exhaust the service and its database",
        super::observability::project_anchor(ctx),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "sec-no-hardcoded-secrets",
        title: "No hard-coded secrets in tracked files",
        category: Category::Security,
        weight: 10,
        applies: Applies::ALL,
        rationale: "A credential in the repository is readable by everyone with access to any \
            clone, fork or CI log, forever: git history keeps it after the line is deleted.",
        passes_when: "No known credential format (AWS key ids, GitHub/GitLab/npm/PyPI tokens, \
            Slack/Discord webhooks, Stripe live keys, Google API keys, private keys, deploy-hook \
            URLs with keys, OpenAI/Anthropic/SendGrid keys) appears in configuration, docs, \
            scripts or source code outside tests, and CI configuration, env files, compose \
            `environment:` blocks and .NET appsettings assign no literal to a credential-named \
            variable nor a password in a remote connection URL or connection string. References \
            (`${{ secrets.X }}`, `$VAR`), placeholders, values that repeat their key's words and \
            default database passwords of CI service containers are ignored; development and \
            test env, compose and appsettings files are held to known credential formats only.",
        remediation: "Rotate the credential now, move it to the CI secret store (or a secrets \
            manager) and reference it; purge it from history if the repository is public.",
        snippet: Some("# .github/workflows/ci.yml\n    env:\n      API_KEY: ${{ secrets.API_KEY }}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(no_hardcoded_secrets),
    },
    Rule {
        id: "sec-env-not-committed",
        title: "No .env file with secrets is committed",
        category: Category::Security,
        weight: 8,
        applies: Applies::ALL,
        rationale: ".env files hold the real credentials of a machine or an environment; once \
            committed they spread to every clone.",
        passes_when: "No `.env`, `.env.local` or `*.local` env file is tracked, and any other \
            committed env file (`.env.production`, `prod.env`) holds no credential-like values. \
            Templates (`.env.example`, `.env.sample`, `.env.template`) are fine.",
        remediation: "`git rm --cached` the file, rotate what it held, add it to .gitignore and \
            commit a `.env.example` with empty values instead.",
        snippet: Some("# .gitignore\n.env\n.env*.local\n!.env.example"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(env_not_committed),
    },
    Rule {
        id: "sec-sast",
        title: "Static security analysis (SAST)",
        category: Category::Security,
        weight: 7,
        applies: Applies::ALL,
        rationale: "Injection, unsafe deserialisation and weak crypto are found cheaply by a \
            static analyser on every change, long before a penetration test.",
        passes_when: "CI runs a SAST tool (CodeQL, Semgrep, Bandit, gosec, SpotBugs/FindSecBugs, \
            Brakeman, SonarCloud/SonarQube, Snyk Code, njsscan, Checkmarx, DevSkim…), a linter \
            CI runs has security rules on (ruff `S`, golangci-lint gosec, eslint-plugin-security), \
            a hosted analysis is configured (sonar-project.properties, .semgrep.yml, CodeQL config), \
            or, at least, a commit hook runs one.",
        remediation: "Enable CodeQL (or Semgrep) on pull requests and on a weekly schedule.",
        snippet: Some("# .github/workflows/codeql.yml\nname: CodeQL\non:\n  pull_request:\n  schedule: [{cron: '0 6 * * 1'}]\npermissions:\n  security-events: write\n  contents: read\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\njobs:\n  analyze:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n      - uses: github/codeql-action/init@0499de31b99561a6d14a36a5f662c2a54f91beee # v4.31.2\n        with:\n          languages: python\n      - uses: github/codeql-action/analyze@0499de31b99561a6d14a36a5f662c2a54f91beee # v4.31.2"),
        snippets: &[],
        effort: Effort::Hours,
        security: true,
        check: Check::Builtin(sast),
    },
    Rule {
        id: "sec-dependency-audit",
        title: "Dependencies are audited for vulnerabilities",
        category: Category::Security,
        weight: 7,
        applies: Applies::ALL,
        rationale: "Most exploitable vulnerabilities in an application live in its dependencies; \
            an audit in CI stops a known-vulnerable version from being merged or shipped.",
        passes_when: "CI or a hook runs a dependency audit (npm/pnpm/yarn audit, pip-audit, safety, \
            govulncheck, cargo audit/deny, bundler-audit, OWASP dependency-check, \
            dependency-review-action, osv-scanner, snyk test, trivy fs, grype dir), or the build \
            has an audit plugin. Dependabot alerts are not visible from files.",
        remediation: "Add the stack's audit command to CI, or dependency-review-action on pull requests.",
        snippet: Some("# .github/workflows/ci.yml (pull requests)\n      - uses: actions/dependency-review-action@da24556b548a50705dd671f47852072ea4c105d9 # v4.6.0\n        with:\n          fail-on-severity: high"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(dependency_audit),
    },
    Rule {
        id: "sec-secret-scanning-ci",
        title: "CI scans for secrets",
        category: Category::Security,
        weight: 6,
        applies: Applies::ALL,
        rationale: "A scanner in CI catches credentials in every pushed commit, including ones \
            that bypassed local hooks, and can scan the whole history.",
        passes_when: "CI runs gitleaks, trufflehog, detect-secrets, ggshield, secretlint, \
            noseyparker or trivy fs (secrets on), directly or through a script.",
        remediation: "Add gitleaks (or trufflehog) to the CI workflow with full history.",
        snippet: Some("# .github/workflows/secrets.yml\nname: Secret scan\non: [push, pull_request]\npermissions:\n  contents: read\n  pull-requests: read\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\njobs:\n  gitleaks:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n        with:\n          fetch-depth: 0\n      - uses: gitleaks/gitleaks-action@ff98106e4c7b2bc287b24eaf42907196329070c7 # v2.3.9\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(secret_scanning_ci),
    },
    Rule {
        id: "sec-secret-scanning-precommit",
        title: "Secrets are blocked before commit",
        category: Category::Security,
        weight: 4,
        applies: Applies::ALL,
        rationale: "A secret stopped on the developer's machine never reaches the remote, so it \
            never needs rotating.",
        passes_when: "A git hook runs a secret scanner: gitleaks/detect-secrets/trufflehog/\
            ggshield/secretlint/talisman in .pre-commit-config.yaml, husky, lefthook or \
            overcommit (detect-private-key alone is noted as narrow).",
        remediation: "Add a gitleaks or detect-secrets hook to .pre-commit-config.yaml.",
        snippet: Some("# .pre-commit-config.yaml\nrepos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.21.2\n    hooks:\n      - id: gitleaks"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(secret_scanning_hooks),
    },
    Rule {
        id: "sec-container-scanning",
        title: "Container images are scanned",
        category: Category::Security,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Base images carry OS packages with known CVEs; scanning the built image finds \
            them before it runs in production.",
        passes_when: "Not applicable without a Dockerfile. Passes when CI scans images (trivy \
            image/trivy-action, grype/anchore scan-action, docker scout, snyk container, GitLab \
            container scanning) or the registry scans on push (ECR scan_on_push).",
        remediation: "Scan the image built in CI and fail on critical/high findings.",
        snippet: Some("# .github/workflows/ci.yml (after docker build -t app:${{ github.sha }} .)\n      - uses: aquasecurity/trivy-action@915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2 # 0.28.0\n        with:\n          image-ref: app:${{ github.sha }}\n          severity: CRITICAL,HIGH\n          exit-code: '1'"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(container_scanning),
    },
    Rule {
        id: "sec-iac-scanning",
        title: "Infrastructure code is scanned",
        category: Category::Security,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Public buckets, open security groups and privileged pods are configuration \
            mistakes a scanner finds in the pull request that introduces them.",
        passes_when: "Not applicable without IaC (Terraform, Kubernetes manifests, Helm, \
            CloudFormation, Bicep). Passes when CI or a hook runs checkov, tfsec, trivy config, \
            kics, terrascan, kube-score, kubesec, kube-linter, conftest or snyk iac.",
        remediation: "Run checkov (or trivy config) on the infrastructure directories in CI.",
        snippet: Some("# .github/workflows/iac.yml (job step)\n      - uses: bridgecrewio/checkov-action@99bb2caf247dfd9f03cf984373bc6043d4e32ebf # v12.1347.0\n        with:\n          directory: infra/\n          soft_fail: false"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(iac_scanning),
    },
    Rule {
        id: "sec-security-policy",
        title: "Security policy (SECURITY.md)",
        category: Category::Security,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Without a disclosure channel, vulnerabilities are reported in public issues \
            or not at all.",
        passes_when: "SECURITY.md (root, .github/ or docs/) names a reporting channel: an email, \
            GitHub private vulnerability reporting / advisories, or a URL.",
        remediation: "Add SECURITY.md with supported versions and how to report privately.",
        snippet: Some("# SECURITY.md\n## Reporting a vulnerability\nPlease use GitHub's private vulnerability reporting\n(Security → Report a vulnerability) or email security@example.com.\nWe answer within 3 working days."),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(security_policy),
    },
    Rule {
        id: "sec-secrets-manager",
        title: "Secrets managed by a secrets manager",
        category: Category::Security,
        weight: 4,
        applies: Applies::SERVICE,
        rationale: "Secrets in plain environment variables cannot be rotated, audited or scoped \
            per environment; a secrets manager gives all three and keeps them out of images and logs.",
        passes_when: "The app or its deployment reads secrets from Vault, AWS Secrets Manager, \
            GCP Secret Manager, Azure Key Vault, Doppler, Infisical, 1Password, SOPS, Sealed \
            Secrets or External Secrets (SDK dependency, Kubernetes resource, Terraform resource, \
            CI action or `doppler run`-style wrapper).",
        remediation: "Store production secrets in a manager and inject them at deploy time; \
            keep only references in the repository.",
        snippet: Some("# .github/workflows/deploy.yml (step)\n- uses: aws-actions/aws-secretsmanager-get-secrets@a9a7eb4e2f2871d30dc5b892576fde60a2ecc802 # v2.0.10\n  with:\n    secret-ids: |\n      prod/api/*"),
        snippets: &[],
        effort: Effort::Days,
        security: true,
        check: Check::Builtin(secrets_manager),
    },
    Rule {
        id: "sec-rate-limiting",
        title: "Rate limiting on the API",
        category: Category::Security,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "Without rate limits a single client, scraper or retry storm can take the \
            service and its database down, and credential stuffing goes unchecked.",
        passes_when: "A rate-limiting library is a dependency (express-rate-limit, slowapi, \
            flask-limiter, tollbooth, governor, bucket4j, rack-attack …), the framework's limiter \
            is configured in code, or the proxy/gateway config limits requests (nginx \
            limit_req_zone, Traefik rateLimit, Envoy local_ratelimit, AWS WAF rate rules).",
        remediation: "Limit requests per client at the edge or in the app, strictest on \
            authentication endpoints.",
        snippet: None,
        snippets: &[
            (StackId::Node, "// src/app.ts (npm install express-rate-limit)\nimport rateLimit from 'express-rate-limit'\napp.use(rateLimit({ windowMs: 60_000, limit: 100 }))"),
            (StackId::Python, "# app/main.py (FastAPI + slowapi)\nfrom slowapi import Limiter\nfrom slowapi.util import get_remote_address\nlimiter = Limiter(key_func=get_remote_address, default_limits=[\"100/minute\"])\napp.state.limiter = limiter"),
            (StackId::Go, "// main.go (go get github.com/go-chi/httprate)\nr.Use(httprate.LimitByIP(100, time.Minute))"),
            (StackId::Rust, "// src/main.rs (cargo add tower_governor), axum\nlet config = GovernorConfigBuilder::default().per_second(2).burst_size(10).finish().unwrap();\nlet app = Router::new().route(\"/\", get(handler)).layer(GovernorLayer::new(config));"),
            (StackId::Java, "<!-- pom.xml (dependencies): Bucket4j, a token bucket per client in a servlet filter -->\n<dependency>\n  <groupId>com.bucket4j</groupId>\n  <artifactId>bucket4j_jdk17-core</artifactId>\n  <version>8.14.0</version>\n</dependency>"),
            (StackId::Ruby, "# config/initializers/rack_attack.rb (Gemfile: gem \"rack-attack\")\nRack::Attack.throttle(\"requests by ip\", limit: 100, period: 60) { |req| req.ip }"),
            (StackId::Dotnet, "// Program.cs (ASP.NET Core 7+, Microsoft.AspNetCore.RateLimiting)\nbuilder.Services.AddRateLimiter(o => o.AddFixedWindowLimiter(\"api\", w => { w.PermitLimit = 100; w.Window = TimeSpan.FromMinutes(1); }));\napp.UseRateLimiter();"),
        ],
        effort: Effort::Hours,
        security: true,
        check: Check::Builtin(rate_limiting),
    },
];

pub const SIGNALS: &[Signal] = &[Signal {
    id: "sec-rate-limit-code",
    files: &["**/*.{js,ts,mjs,cjs,py,go,rs,java,kt,rb,cs}"],
    pattern: r"\bAddRateLimiter\(|\bRequireRateLimiting\(|DEFAULT_THROTTLE_RATES|@Throttle\(|\bThrottlerModule\b|\brate\.NewLimiter\(|@RateLimiter\(|Rack::Attack",
    skip_tests: true,
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linter_patterns_compile() {
        for r in [
            &*RUFF_RULES,
            &*RUFF,
            &*GOSEC,
            &*GOLANGCI,
            &*ESLINT_PLUGIN,
            &*ESLINT,
            &*AUDIT_PLUGIN,
        ] {
            assert_ne!(r.as_str(), r"[^\s\S]");
            crate::pattern::regex(r.as_str()).unwrap();
        }
    }
    use crate::rules::testkit::*;

    const CI_OK: (&str, &str) = (
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n",
    );
    const PY: (&str, &str) = ("pyproject.toml", "[project]\nname = \"x\"\n");

    #[test]
    fn ci_credential_literal_fails_with_file_line_and_redacted_value() {
        let r = rule(RULES, "sec-no-hardcoded-secrets");
        let ci = "on: push\njobs:\n  test:\n    runs-on: x\n    services:\n      postgres:\n        env:\n          POSTGRES_PASSWORD: postgres\n    env:\n      API_KEY: \"ci-test-key\"\n      TOKEN: ${{ secrets.TOKEN }}\n    steps:\n      - run: pytest\n";
        let o = assert_fail(r, &[PY, (".github/workflows/ci.yml", ci)]);
        assert_eq!(o.evidence.len(), 1, "{o:?}");
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".github/workflows/ci.yml", Some(10))
        );
        let note = o.evidence[0].note.as_deref().unwrap_or("");
        assert!(note.contains("API_KEY") && note.contains("ci-t…"), "{note}");
        assert!(!o.message.contains("ci-test-key") && !note.contains("ci-test-key"));
    }

    #[test]
    fn clean_repo_passes_and_templates_and_tests_are_ignored() {
        let r = rule(RULES, "sec-no-hardcoded-secrets");
        let key = format!("AKIA{}", "Q2RZ7HJK4LMN5PW3");
        let env_example = format!("AWS_ACCESS_KEY_ID={key}\nAPI_KEY=abcdef123456\n");
        let fixture = format!("key = \"{key}\"\n");
        assert_pass(
            r,
            &[
                PY,
                CI_OK,
                (".env.example", &env_example),
                ("tests/fixtures/creds.yml", &fixture),
                (
                    "docs/aws.md",
                    "Use `AKIAIOSFODNN7EXAMPLE` as in the AWS docs.\n",
                ),
            ],
        );
    }

    #[test]
    fn key_formats_in_docs_and_source_are_found() {
        let r = rule(RULES, "sec-no-hardcoded-secrets");
        let token = format!("ghp_{}", "Zx81mQ2vLr7TgB4nWc9YpK3sHd6Fj0Ua5Eo2");
        let doc = format!("# Deploy\n\nexport GH_TOKEN={token}\n");
        let o = assert_fail(r, &[PY, ("docs/deploy.md", &doc)]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("docs/deploy.md", Some(3))
        );
        assert!(!format!("{o:?}").contains(&token));
        let hook = format!(
            "https://api.render.com/deploy/srv-d4pfra{}?key={}",
            "i4i8rc73e6h28g", "M17Ys96WsOs"
        );
        let src = format!("import os\nHOOK = \"{hook}\"\n");
        let o = assert_fail(r, &[PY, ("app/deploy.py", &src)]);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("app/deploy.py", Some(2))
        );
        assert!(!format!("{o:?}").contains("M17Ys96WsOs"));
        // The same key in test code is test data.
        assert_pass(r, &[PY, ("tests/test_deploy.py", &src)]);
    }

    #[test]
    fn source_placeholders_and_rust_unit_tests_are_not_secrets() {
        let r = rule(RULES, "sec-no-hardcoded-secrets");
        let fake = format!("TOKEN = \"ghp_{}\"\n", "x".repeat(36));
        assert_pass(r, &[PY, ("app/config.py", &fake)]);
        let real = format!("ghp_{}", "Zx81mQ2vLr7TgB4nWc9YpK3sHd6Fj0Ua5Eo2");
        let in_tests = format!(
            "pub fn f() {{}}\n#[cfg(test)]\nmod tests {{\n    const T: &str = \"{real}\";\n}}\n"
        );
        assert_pass(
            r,
            &[("Cargo.toml", "[package]\n"), ("src/lib.rs", &in_tests)],
        );
        let in_code = format!("const T: &str = \"{real}\";\n#[cfg(test)]\nmod tests {{}}\n");
        let o = assert_fail(
            r,
            &[("Cargo.toml", "[package]\n"), ("src/lib.rs", &in_code)],
        );
        assert_eq!(o.evidence[0].line, Some(1));
    }

    #[test]
    fn committed_env_files() {
        let r = rule(RULES, "sec-env-not-committed");
        let o = assert_pass(
            r,
            &[
                PY,
                (".gitignore", "venv/\n.env\n"),
                (".env.example", "API_KEY=\n"),
            ],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            (".gitignore", Some(2))
        );
        let o = assert_fail(r, &[PY, (".env", "DEBUG=1\n")]);
        assert_eq!(o.evidence[0].path, ".env");
        let o = assert_fail(
            r,
            &[
                PY,
                (
                    "config/.env.production",
                    "PORT=80\nSTRIPE_SECRET_KEY=rk9f8g7h6j5k4\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        assert!(!format!("{o:?}").contains("rk9f8g7h6j5k4"));
        // Development env files hold dummy values by convention.
        assert_pass(
            r,
            &[
                PY,
                (
                    ".env.development",
                    "SECRET_KEY_BASE=dev-only-secret-value\n",
                ),
            ],
        );
        // Non-secret defaults in an environment file are fine (Next.js convention).
        assert_pass(
            r,
            &[
                PY,
                (
                    ".env.production",
                    "NEXT_PUBLIC_API_URL=https://api.example.com\nPORT=3000\n",
                ),
            ],
        );
    }

    #[test]
    fn missing_sast_gets_codeql_for_the_languages_found() {
        let r = rule(RULES, "sec-sast");
        let o = assert_fail(
            r,
            &[
                ("package.json", "{}"),
                ("index.ts", "export const x = 1;\n"),
                ("svc/go.mod", "module x\n"),
                ("svc/main.go", "package main\n"),
                (
                    ".github/workflows/ci.yml",
                    "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make\n",
                ),
            ],
        );
        let fix = o.fix.expect("a CodeQL workflow");
        let doc: yaml_serde::Value = yaml_serde::from_str(&fix).expect("valid YAML");
        let matrix: Vec<(String, String)> = doc["jobs"]["analyze"]["strategy"]["matrix"]["include"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|m| {
                let field = |k: &str| m[k].as_str().unwrap().to_string();
                (field("language"), field("build-mode"))
            })
            .collect();
        let pair = |l: &str, m: &str| (l.to_string(), m.to_string());
        assert_eq!(
            matrix,
            [
                pair("javascript-typescript", "none"),
                pair("go", "autobuild"),
                pair("actions", "none")
            ]
        );
    }

    #[test]
    fn sast_in_ci_via_action_or_linter_rules() {
        let r = rule(RULES, "sec-sast");
        let o = assert_pass(
            r,
            &[PY, (".github/workflows/codeql.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: github/codeql-action/init@v3\n")],
        );
        assert_eq!(o.evidence[0].line, Some(6));
        assert_pass(
            r,
            &[
                ("pyproject.toml", "[tool.ruff.lint]\nselect = [\"E\", \"F\", \"S\"]\n"),
                (".github/workflows/ci.yml", "on: push\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ruff check .\n"),
            ],
        );
        // Ruff without the S rules is a linter, not SAST.
        assert_fail(
            r,
            &[
                ("pyproject.toml", "[tool.ruff.lint]\nselect = [\"E\", \"F\", \"B\"]\n"),
                (".github/workflows/ci.yml", "on: push\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ruff check .\n"),
            ],
        );
    }

    #[test]
    fn secret_scanning_in_ci_and_hooks() {
        let r = rule(RULES, "sec-secret-scanning-ci");
        assert_pass(
            r,
            &[(".github/workflows/s.yml", "on: push\njobs:\n  s:\n    runs-on: x\n    steps:\n      - uses: gitleaks/gitleaks-action@v2\n")],
        );
        assert_fail(r, &[CI_OK]);
        let r = rule(RULES, "sec-secret-scanning-precommit");
        let o = assert_pass(
            r,
            &[(".pre-commit-config.yaml", "repos:\n  - repo: https://github.com/Yelp/detect-secrets\n    rev: v1.5.0\n    hooks:\n      - id: detect-secrets\n")],
        );
        assert_eq!(o.evidence[0].path, ".pre-commit-config.yaml");
        let o = assert_pass(
            r,
            &[(
                ".pre-commit-config.yaml",
                "repos:\n  - repo: x\n    hooks:\n      - id: detect-private-key\n",
            )],
        );
        assert!(o.message.contains("private keys"), "{}", o.message);
        assert_fail(
            r,
            &[(
                ".pre-commit-config.yaml",
                "repos:\n  - repo: x\n    hooks:\n      - id: ruff\n",
            )],
        );
        // A dependency declaration is not a hook.
        assert_fail(
            r,
            &[(
                "package.json",
                "{\"devDependencies\": {\"secretlint\": \"^8.0.0\"}}",
            )],
        );
    }

    #[test]
    fn dependency_audit_direct_through_scripts_or_na() {
        let r = rule(RULES, "sec-dependency-audit");
        assert_pass(
            r,
            &[PY, (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: uvx pip-audit\n")],
        );
        let o = assert_pass(
            r,
            &[
                ("package.json", "{\n  \"scripts\": {\n    \"audit:ci\": \"npm audit --audit-level=high\"\n  }\n}\n"),
                (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: npm run audit:ci\n"),
            ],
        );
        assert!(cites(&o, "package.json", 3), "{o:?}");
        let o = assert_fail(r, &[PY, CI_OK]);
        assert!(o.message.contains("Dependabot"), "{}", o.message);
        assert_na(r, &[("README.md", "# docs only\n")]);
    }

    #[test]
    fn container_scanning_needs_a_dockerfile() {
        let r = rule(RULES, "sec-container-scanning");
        assert_na(r, &[PY, CI_OK]);
        assert_fail(r, &[PY, CI_OK, ("Dockerfile", "FROM python:3.12\n")]);
        let o = assert_pass(
            r,
            &[
                ("Dockerfile", "FROM python:3.12\n"),
                (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker build -t app .\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(7));
        // trivy in fs mode is not an image scan.
        assert_fail(
            r,
            &[
                ("Dockerfile", "FROM python:3.12\n"),
                (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          scan-type: fs\n"),
            ],
        );
    }

    #[test]
    fn iac_scanning_needs_iac() {
        let r = rule(RULES, "sec-iac-scanning");
        assert_na(r, &[PY, CI_OK, ("docker-compose.yml", "services: {}\n")]);
        let o = assert_fail(r, &[CI_OK, ("infra/main.tf", "resource \"x\" \"y\" {}\n")]);
        assert_eq!(o.evidence[0].path, "infra/main.tf");
        assert_pass(
            r,
            &[
                ("k8s/app.yaml", "apiVersion: apps/v1\nkind: Deployment\n"),
                (".github/workflows/iac.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: bridgecrewio/checkov-action@v12\n"),
            ],
        );
    }

    #[test]
    fn security_policy_needs_a_channel() {
        let r = rule(RULES, "sec-security-policy");
        let o = assert_pass(
            r,
            &[(
                ".github/SECURITY.md",
                "# Security\n\nMail security@example.org.\n",
            )],
        );
        assert_eq!(o.evidence[0].line, Some(3));
        assert_fail(r, &[("SECURITY.md", "# Security\nWe care.\n")]);
        assert_fail(r, &[("README.md", "# x\n")]);
        // A policy of a vendored package is not the project's.
        assert_fail(
            r,
            &[
                ("README.md", "# x\n"),
                ("vendor/x/SECURITY.md", "mail a@b.co\n"),
            ],
        );
    }

    #[test]
    fn kubernetes_secret_with_inline_data() {
        let f =
            k8s_secret_data("apiVersion: v1\nkind: Secret\ndata:\n  password: c2VjcmV0LXZhbHVl\n");
        assert_eq!(f.map(|f| f.line), Some(4));
        assert!(
            k8s_secret_data("kind: Secret\nstringData:\n  password: {{ .Values.pw }}\n").is_none()
        );
        // base64 of "password": a placeholder.
        assert!(k8s_secret_data("kind: Secret\ndata:\n  password: cGFzc3dvcmQ=\n").is_none());
    }
    /// dotnet-architecture/eShopOnWeb docker-compose.yml.
    const ESHOP_COMPOSE: &str = "version: '3.4'\n   \nservices:\n  eshopwebmvc:\n    image: ${DOCKER_REGISTRY-}eshopwebmvc\n    build:\n      context: .\n      dockerfile: src/Web/Dockerfile\n    depends_on:\n      - \"sqlserver\"\n  eshoppublicapi:\n    image: ${DOCKER_REGISTRY-}eshoppublicapi\n    build:\n      context: .\n      dockerfile: src/PublicApi/Dockerfile\n    depends_on:\n      - \"sqlserver\"\n  sqlserver:\n    image: mcr.microsoft.com/azure-sql-edge\n    ports:\n      - \"1433:1433\"\n    environment:\n      - SA_PASSWORD=@someThingComplicated1234\n      - ACCEPT_EULA=Y\n";

    #[test]
    fn compose_environment_and_appsettings_secrets_at_their_line() {
        let r = rule(RULES, "sec-no-hardcoded-secrets");
        let o = assert_fail(r, &[("docker-compose.yml", ESHOP_COMPOSE)]);
        assert_eq!(o.evidence.len(), 1, "{o:?}");
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("docker-compose.yml", Some(23))
        );
        assert!(!format!("{o:?}").contains("someThingComplicated"), "{o:?}");
        // Map form; references, image defaults and stand-ins are not secrets.
        let map = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: orders\n      POSTGRES_PASSWORD: orders\n      API_TOKEN: ${API_TOKEN}\n      JWT_SECRET: change-me\n  api:\n    environment:\n      DATABASE_URL: postgres://app:Zq83hfPq2@db.prod.example.net/app\n";
        let o = assert_fail(r, &[("compose.yaml", map)]);
        assert_eq!(o.evidence.len(), 1, "{o:?}");
        assert_eq!(o.evidence[0].line, Some(11));
        assert_pass(
            r,
            &[(
                "compose.yaml",
                "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD?Variable not set}\n",
            )],
        );
        // Development compose files and appsettings hold local defaults by convention.
        assert_pass(r, &[("docker-compose.dev.yml", ESHOP_COMPOSE)]);
        let settings = "{\n  \"ConnectionStrings\": {\n    \"Orders\": \"Server=tcp:shop-prod.database.windows.net,1433;User Id=shop;Password=Xr7!kq2Pz9;\"\n  }\n}\n";
        let o = assert_fail(r, &[("src/Web/appsettings.json", settings)]);
        assert_eq!(o.evidence[0].line, Some(3));
        assert!(!format!("{o:?}").contains("Xr7!kq2Pz9"));
        assert_pass(r, &[("src/Web/appsettings.Development.json", settings)]);
    }

    #[test]
    fn secrets_manager_by_dependency_resource_or_ci_action() {
        let r = rule(RULES, "sec-secrets-manager");
        let svc = ("Procfile", "web: python app.py\n");
        let o = assert_pass(r, &[svc, ("requirements.txt", "flask\nhvac==2.1\n")]);
        assert_eq!(o.evidence[0].path, "requirements.txt");
        assert_pass(
            r,
            &[
                svc,
                (
                    "k8s/secret.yaml",
                    "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n",
                ),
            ],
        );
        assert_pass(r, &[svc, (".sops.yaml", "creation_rules: []\n")]);
        // GitHub Actions secrets are CI-only: not a secrets manager for the app.
        assert_fail(
            r,
            &[
                svc,
                (
                    ".github/workflows/ci.yml",
                    "env:\n  KEY: ${{ secrets.KEY }}\n",
                ),
            ],
        );
    }

    #[test]
    fn rate_limiting_only_for_http_servers() {
        let r = rule(RULES, "sec-rate-limiting");
        let app = (
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n",
        );
        let o = assert_pass(r, &[app, ("requirements.txt", "fastapi\nslowapi\n")]);
        assert_eq!(o.evidence[0].path, "requirements.txt");
        assert_pass(
            r,
            &[
                app,
                (
                    "deploy/nginx.conf",
                    "limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n",
                ),
            ],
        );
        assert_fail(r, &[app, ("requirements.txt", "fastapi\n")]);
        assert_na(
            r,
            &[
                ("Procfile", "worker: python worker.py\n"),
                ("worker.py", "print(1)\n"),
            ],
        );
    }

    /// Each stack's rate-limiting snippet names what the rule looks for.
    #[test]
    fn rate_limiting_snippets_pass() {
        use crate::detect::StackId::*;
        use crate::rules::testkit::*;
        let r = rule(RULES, "sec-rate-limiting");
        let node_app = (
            "src/app.ts",
            "import express from 'express'\nconst app = express()\napp.listen(3000)\n",
        );
        assert_fail(
            r,
            &[
                ("package.json", r#"{"dependencies": {"express": "^4"}}"#),
                node_app,
            ],
        );
        let node = stack_snippet(r, Node);
        assert!(node.contains("npm install express-rate-limit"), "{node}");
        assert_pass(
            r,
            &[
                (
                    "package.json",
                    r#"{"dependencies": {"express": "^4", "express-rate-limit": "^7"}}"#,
                ),
                node_app,
            ],
        );
        let go_main = ("main.go", "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n");
        assert_fail(r, &[("go.mod", "module x\n"), go_main]);
        assert!(stack_snippet(r, Go).contains("go get github.com/go-chi/httprate"));
        assert_pass(
            r,
            &[
                (
                    "go.mod",
                    "module x\n\nrequire github.com/go-chi/httprate v0.14.1\n",
                ),
                go_main,
            ],
        );
        let java = section(stack_snippet(r, Java), "pom.xml");
        let java_app = (
            "src/main/java/App.java",
            "@SpringBootApplication\n@RestController\npublic class App {}\n",
        );
        let pom = |deps: &str| {
            format!("<project>\n<dependencies>\n<dependency><artifactId>spring-boot-starter-web</artifactId></dependency>\n{deps}</dependencies>\n</project>\n")
        };
        assert_fail(r, &[("pom.xml", &pom("")), java_app]);
        assert_pass(r, &[("pom.xml", &pom(&java)), java_app]);
        let gem_app = (
            "app.rb",
            "require \"sinatra\"\nget \"/\" do\n  \"ok\"\nend\n",
        );
        assert_fail(r, &[("Gemfile", "gem \"sinatra\"\n"), gem_app]);
        assert!(stack_snippet(r, Ruby).contains("gem \"rack-attack\""));
        assert_pass(
            r,
            &[
                ("Gemfile", "gem \"sinatra\"\ngem \"rack-attack\"\n"),
                gem_app,
            ],
        );
        let csproj = (
            "App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n",
        );
        let program = "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet(\"/\", () => \"ok\");\napp.Run();\n";
        assert_fail(r, &[csproj, ("Program.cs", program)]);
        let limiter = section(stack_snippet(r, Dotnet), "Program.cs");
        assert_pass(r, &[csproj, ("Program.cs", &format!("{program}{limiter}"))]);
        let cargo = |deps: &str| {
            format!("[package]\nname = \"x\"\n\n[dependencies]\naxum = \"0.7\"\n{deps}")
        };
        let axum = (
            "src/main.rs",
            "use axum::Router;\nfn main() { let app = Router::new(); axum::serve(l, app); }\n",
        );
        assert_fail(r, &[("Cargo.toml", &cargo("")), axum]);
        assert!(stack_snippet(r, Rust).contains("cargo add tower_governor"));
        assert_pass(
            r,
            &[("Cargo.toml", &cargo("tower_governor = \"0.7\"\n")), axum],
        );
    }
}
