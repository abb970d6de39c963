//! Infrastructure as code: provisioning (Terraform, Pulumi, CDK, CloudFormation, Bicep,
//! Ansible, platform specs), Kubernetes manifests and Helm charts, and whether CI validates
//! them.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::index::parent_dir as dir_of;
use crate::index::IndexedFile;
use crate::model::k8s::{grep_lines, values_files, Chart};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    crate::pattern::regex(p).unwrap_or_else(|e| panic!("built-in regex {p}: {e}"))
}

/// Downloaded modules, vendored code and examples are not the project's infrastructure.
fn is_ignored(f: &IndexedFile) -> bool {
    f.is_test
        || f.path.split('/').any(|seg| {
            matches!(
                seg,
                ".terraform"
                    | ".terragrunt-cache"
                    | "node_modules"
                    | "vendor"
                    | "third_party"
                    | ".venv"
                    | "cdk.out"
                    | "examples"
                    | "example"
            )
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Terraform,
    Pulumi,
    Cdk,
    CloudFormation,
    Bicep,
    Ansible,
    Nomad,
    Serverless,
    /// Declarative specs of a hosting platform (fly.toml, render.yaml, app.yaml…).
    Platform,
    Kubernetes,
    Helm,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Terraform => "Terraform/OpenTofu",
            Kind::Pulumi => "Pulumi",
            Kind::Cdk => "AWS CDK",
            Kind::CloudFormation => "CloudFormation/SAM",
            Kind::Bicep => "Bicep/ARM",
            Kind::Ansible => "Ansible",
            Kind::Nomad => "Nomad",
            Kind::Serverless => "Serverless Framework",
            Kind::Platform => "platform spec",
            Kind::Kubernetes => "Kubernetes manifests",
            Kind::Helm => "Helm charts",
        }
    }

    /// CI commands that validate this kind, beyond the multi-format scanners.
    fn validators(self) -> Option<&'static str> {
        Some(match self {
            Kind::Terraform => {
                r"\b(terraform|tofu|terragrunt)\b.*\b(validate|plan)\b|\b(terraform|tofu|terragrunt)\b.*\bfmt\b.*-check|\btflint\b|setup-tflint|\btfsec\b|tfsec-action|\bterrascan\b|\bterraform_(validate|fmt|tflint|tfsec|trivy|checkov)\b"
            }
            Kind::Pulumi => r"\bpulumi\s+preview\b|command:\s*['\x22]?preview\b",
            Kind::Cdk => r"\bcdk\s+(synth|diff)\b|cdk[-_]nag",
            Kind::CloudFormation => {
                r"\bcfn-lint\b|\bcfn[-_]nag|\bcfn-guard\b|validate-template|\bsam\s+validate\b"
            }
            Kind::Bicep => {
                r"\bbicep\s+(build|lint)\b|\baz\s+bicep\s+build\b|\bwhat-if\b|arm-ttk|Test-AzTemplate|\bPSRule\b|\baz\s+deployment\s+\S+\s+validate\b"
            }
            Kind::Ansible => r"\bansible-lint\b|--syntax-check|\bmolecule\b",
            Kind::Nomad => r"\bnomad\s+(job\s+)?(validate|plan)\b|\bnomad\s+fmt\s+-check",
            Kind::Kubernetes => {
                r"\bkubeconform\b|\bkubeval\b|kube-linter|\bkube-score\b|\bkubescape\b|\bpolaris\b|\bdatree\b|\bkubectl\b.*--dry-run|\bkustomize\s+build\b|\bkubectl\s+kustomize\b|\bconftest\b"
            }
            Kind::Helm => {
                r"\bhelm\s+(lint|template)\b|\bct\s+(lint|install)\b|chart-testing-action|\bkubeconform\b|kube-linter"
            }
            Kind::Serverless | Kind::Platform => return None,
        })
    }
}

/// Scanners that check several IaC formats at once.
const MULTI_SCANNERS: &str = r"\bcheckov\b|checkov-action|\btrivy\s+(config|conf)\b|scan-type:\s*['\x22]?config|\bkics\b|kics-github-action|\bsnyk\s+iac\b|\bterrascan\b|super-linter|\bmegalinter\b|mega-linter";

/// IaC files of the project by kind, as evidence, in path order.
fn inventory(ctx: &Context) -> BTreeMap<Kind, Vec<Evidence>> {
    let mut out: BTreeMap<Kind, Vec<Evidence>> = BTreeMap::new();
    let mut add = |k: Kind, e: Evidence| out.entry(k).or_default().push(e);
    for f in ctx.index.text_files() {
        if is_ignored(f) {
            continue;
        }
        let name = f.name();
        let lower = name.to_ascii_lowercase();
        let text = f.text().unwrap_or("");
        let kind = match f.ext() {
            "tf" | "tofu" => Some(Kind::Terraform),
            "json" if lower.ends_with(".tf.json") => Some(Kind::Terraform),
            "bicep" => Some(Kind::Bicep),
            "nomad" => Some(Kind::Nomad),
            "hcl" if lower.ends_with(".nomad.hcl") => Some(Kind::Nomad),
            "hcl" if lower == "terragrunt.hcl" => Some(Kind::Terraform),
            _ => None,
        }
        .or(match name {
            "Pulumi.yaml" | "Pulumi.yml" => Some(Kind::Pulumi),
            "cdk.json" => Some(Kind::Cdk),
            "ansible.cfg" => Some(Kind::Ansible),
            "serverless.yml" | "serverless.yaml" | "serverless.ts" | "serverless.js" => {
                Some(Kind::Serverless)
            }
            "fly.toml" | "render.yaml" | "railway.json" | "railway.toml" | "heroku.yml"
            | "scalingo.json" | "apprunner.yaml" | "azure.yaml" => Some(Kind::Platform),
            // Judged by its content, as `deploy-platform-config` does: the name is generic.
            "app.json" if super::deployment::is_heroku_app_json(name, text) => Some(Kind::Platform),
            // Google App Engine and DigitalOcean App Platform specs.
            "app.yaml" if text.contains("runtime:") || f.path == ".do/app.yaml" => {
                Some(Kind::Platform)
            }
            "manifest.yml" if f.path.starts_with("copilot/") => Some(Kind::Platform),
            _ => None,
        });
        if let Some(k) = kind {
            add(k, Evidence::file(&f.path).note(k.label()));
            continue;
        }
        let data = matches!(f.ext(), "yaml" | "yml" | "json" | "template");
        if data
            && (text.contains("AWSTemplateFormatVersion") || text.contains("AWS::Serverless-2016"))
        {
            let line = text
                .lines()
                .position(|l| {
                    l.contains("AWSTemplateFormatVersion") || l.contains("AWS::Serverless")
                })
                .map_or(1, |i| i as u32 + 1);
            add(
                Kind::CloudFormation,
                Evidence::at(&f.path, line).note("CloudFormation template"),
            );
        } else if f.ext() == "json" && text.contains("/deploymentTemplate.json#") {
            add(Kind::Bicep, Evidence::file(&f.path).note("ARM template"));
        } else if matches!(f.ext(), "yml" | "yaml") && is_ansible(f, text) {
            add(Kind::Ansible, Evidence::file(&f.path).note("Ansible"));
        }
    }
    let k8s = ctx.index.k8s();
    for o in &k8s.objects {
        add(
            Kind::Kubernetes,
            Evidence::at(&o.path, o.line).note(format!(
                "{} {}",
                o.kind,
                o.name.as_deref().unwrap_or("")
            )),
        );
    }
    for p in &k8s.kustomizations {
        add(Kind::Kubernetes, Evidence::file(p).note("Kustomize"));
    }
    for c in &k8s.charts {
        add(Kind::Helm, Evidence::file(&c.path).note("Helm chart"));
    }
    for f in ctx.index.named("helmfile.yaml") {
        add(Kind::Helm, Evidence::file(&f.path).note("helmfile"));
    }
    out
}

/// Playbooks (`hosts:` plays in playbook*/site.yml) and role task files.
fn is_ansible(f: &IndexedFile, text: &str) -> bool {
    let segs: Vec<&str> = f.path.split('/').collect();
    let role_tasks =
        segs.len() >= 4 && segs[segs.len() - 4] == "roles" && segs[segs.len() - 2] == "tasks";
    let name = f.name().to_ascii_lowercase();
    let playbook_name = name.starts_with("playbook") || name.starts_with("site.");
    role_tasks || (playbook_name && text.lines().any(|l| l.trim_start().starts_with("- hosts:")))
}

/// Kinds that provision infrastructure (Kubernetes and Helm deploy onto it).
const PROVISIONING: &[Kind] = &[
    Kind::Terraform,
    Kind::Pulumi,
    Kind::Cdk,
    Kind::CloudFormation,
    Kind::Bicep,
    Kind::Ansible,
    Kind::Nomad,
    Kind::Serverless,
    Kind::Platform,
];

/// The file a "no infrastructure code" finding is best anchored to.
fn deploy_anchor(ctx: &Context) -> Option<Evidence> {
    super::containers::runtime_images(ctx)
        .first()
        .map(|d| Evidence::file(&d.path))
        .or_else(|| {
            ctx.index
                .compose_files()
                .first()
                .map(|c| Evidence::file(&c.path))
        })
        .or_else(|| ctx.index.repo_anchor())
}

/// The repository's images are all development, test or GitHub Action images and nothing
/// else says it runs somewhere: there is no deployed service to describe.
fn only_helper_images(ctx: &Context) -> bool {
    !ctx.index.dockerfiles().is_empty()
        && super::containers::runtime_images(ctx).is_empty()
        && ctx.index.compose_files().is_empty()
}

fn iac_present(ctx: &Context) -> Outcome {
    let inv = inventory(ctx);
    let mut found = Vec::new();
    let mut kinds = Vec::new();
    // Kubernetes manifests and charts describe the service's runtime infrastructure too.
    for k in PROVISIONING.iter().chain(&[Kind::Kubernetes, Kind::Helm]) {
        if let Some(ev) = inv.get(k) {
            kinds.push(k.label());
            found.extend(ev.iter().take(5).cloned());
        }
    }
    if found.is_empty() && only_helper_images(ctx) {
        return Outcome::na(
            "the only images are development, test or GitHub Action images: nothing is deployed",
        );
    }
    Outcome::present(
        found,
        format!("infrastructure is declared in code: {}", kinds.join(", ")),
        "no infrastructure as code (Terraform, Pulumi, CDK, CloudFormation, Bicep, Ansible or a \
         platform spec): environments are built by hand",
        deploy_anchor(ctx).map(|e| e.note("nothing declares where and how this service runs")),
    )
}

/// Terraform resources of container platforms other than Kubernetes.
static NON_K8S_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"resource\s+"(aws_ecs_service|aws_lambda_function|aws_apprunner_service|aws_elastic_beanstalk_environment|google_cloud_run_service|google_cloud_run_v2_service|google_app_engine_\w+|azurerm_container_app|azurerm_linux_web_app|azurerm_container_group|fly_app|digitalocean_app|heroku_app|render_\w+)""#,
    )
});
static K8S_IN_TERRAFORM: LazyLock<Regex> =
    LazyLock::new(|| re(r#"resource\s+"(kubernetes_\w+|helm_release|kubectl_manifest)""#));

fn k8s_manifests(ctx: &Context) -> Outcome {
    let inv = inventory(ctx);
    let mut found: Vec<Evidence> = Vec::new();
    for k in [Kind::Helm, Kind::Kubernetes] {
        found.extend(inv.get(&k).into_iter().flatten().take(10).cloned());
    }
    let tf: Vec<&Evidence> = inv.get(&Kind::Terraform).into_iter().flatten().collect();
    for e in &tf {
        if let Some((line, _)) = ctx
            .index
            .text(&e.path)
            .map(|t| grep_lines(t, |l| K8S_IN_TERRAFORM.is_match(l)))
            .and_then(|v| v.into_iter().next())
        {
            found.push(Evidence::at(&e.path, line).note("Kubernetes resources in Terraform"));
        }
    }
    if !found.is_empty() {
        return Outcome::pass(
            "Kubernetes manifests or charts describe the deployment",
            found,
        );
    }
    // Another platform runs the service: Kubernetes is one choice among several.
    for k in [
        Kind::Platform,
        Kind::Serverless,
        Kind::CloudFormation,
        Kind::Cdk,
        Kind::Pulumi,
        Kind::Nomad,
    ] {
        if let Some(e) = inv.get(&k).and_then(|v| v.first()) {
            return Outcome::na(format!(
                "deploys with {} ({}), not Kubernetes",
                k.label(),
                e.path
            ));
        }
    }
    for e in &tf {
        if let Some(t) = ctx.index.text(&e.path) {
            if let Some(m) = NON_K8S_TARGET.captures(t).and_then(|c| c.get(1)) {
                return Outcome::na(format!(
                    "Terraform deploys to {} ({}), not Kubernetes",
                    m.as_str(),
                    e.path
                ));
            }
        }
    }
    let anchor = super::containers::runtime_images(ctx)
        .first()
        .map(|d| Evidence::file(&d.path))
        .or_else(|| {
            ctx.index
                .compose_files()
                .iter()
                .find(|c| !super::containers::is_example(&c.path))
                .map(|c| Evidence::file(&c.path))
        });
    match anchor {
        None => Outcome::na(
            "no runtime image or compose file (development, test, example and GitHub Action \
             images aside): nothing to run on Kubernetes",
        ),
        Some(a) => Outcome::fail(
            "the image has no deployment descriptor (Kubernetes manifests, Helm chart or Kustomize)",
            vec![a.note("built, but no manifest says how it runs in a cluster")],
        ),
    }
}

/// A Kubernetes check over plain workloads and Helm chart templates.
struct K8sCheck {
    /// Problems of one container (empty when fine).
    container: fn(&crate::model::k8s::Workload, &crate::model::k8s::Container) -> Vec<&'static str>,
    /// Jobs and CronJobs are not asked (probes).
    skip_batch: bool,
    /// Problems of a chart, from its templates and values (text).
    chart: fn(&Context, &Chart) -> Vec<&'static str>,
    pass: &'static str,
    fail: &'static str,
}

fn k8s_check(ctx: &Context, c: &K8sCheck) -> Outcome {
    let k = ctx.index.k8s();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut judged = false;
    for w in &k.workloads {
        if c.skip_batch && w.is_batch() {
            continue;
        }
        for ct in &w.containers {
            judged = true;
            let problems = (c.container)(w, ct);
            let at = Evidence::at(&w.path, ct.line);
            if problems.is_empty() {
                good.push(at);
            } else {
                bad.push(at.note(format!(
                    "container {} of {} {}: {}",
                    ct.name,
                    w.kind,
                    w.name.as_deref().unwrap_or(""),
                    problems.join(", ")
                )));
            }
        }
    }
    for chart in &k.charts {
        let workloads: Vec<_> = chart
            .workload_templates(ctx.index)
            .into_iter()
            .filter(|(_, kind, _)| !(c.skip_batch && matches!(kind.as_str(), "Job" | "CronJob")))
            .collect();
        let Some((f, _, line)) = workloads.first() else {
            continue;
        };
        judged = true;
        let problems = (c.chart)(ctx, chart);
        let at = Evidence::at(&f.path, *line);
        if problems.is_empty() {
            good.push(at);
        } else {
            bad.push(at.note(format!(
                "chart {}: {}",
                chart.name.as_deref().unwrap_or(&chart.dir),
                problems.join(", ")
            )));
        }
    }
    if !judged {
        return Outcome::na(
            "no Kubernetes workload (Deployment, StatefulSet, DaemonSet, Pod…) or chart template",
        );
    }
    if bad.is_empty() {
        Outcome::pass(c.pass, good)
    } else {
        Outcome::fail(
            format!("{} container(s) or chart(s): {}", bad.len(), c.fail),
            bad,
        )
    }
}

/// Non-comment lines of a chart's templates and values files that satisfy `pred`.
fn chart_has(ctx: &Context, chart: &Chart, pred: impl Fn(&str) -> bool) -> bool {
    chart
        .templates(ctx.index)
        .iter()
        .chain(values_files(ctx.index, chart))
        .filter_map(|f| f.text())
        .any(|t| !grep_lines(t, &pred).is_empty())
}

fn chart_templates_have(ctx: &Context, chart: &Chart, key: &str) -> bool {
    chart
        .templates(ctx.index)
        .iter()
        .filter_map(|f| f.text())
        .any(|t| !grep_lines(t, |l| l.contains(key)).is_empty())
}

fn probes(ctx: &Context) -> Outcome {
    k8s_check(
        ctx,
        &K8sCheck {
            container: |_, c| {
                let mut p = Vec::new();
                if !c.liveness_probe {
                    p.push("no livenessProbe");
                }
                if !c.readiness_probe {
                    p.push("no readinessProbe");
                }
                p
            },
            skip_batch: true,
            chart: |ctx, chart| {
                let mut p = Vec::new();
                if !chart_templates_have(ctx, chart, "livenessProbe") {
                    p.push("no livenessProbe in the templates");
                }
                if !chart_templates_have(ctx, chart, "readinessProbe") {
                    p.push("no readinessProbe in the templates");
                }
                p
            },
            pass: "every long-running container has liveness and readiness probes",
            fail: "missing liveness or readiness probes",
        },
    )
}

fn resources(ctx: &Context) -> Outcome {
    k8s_check(
        ctx,
        &K8sCheck {
            container: |_, c| {
                let mut p = Vec::new();
                if c.requests.is_empty() {
                    p.push("no resource requests");
                }
                if c.limits.is_empty() {
                    p.push("no resource limits");
                }
                p
            },
            skip_batch: false,
            chart: |ctx, chart| {
                let mut p = Vec::new();
                if !chart_templates_have(ctx, chart, "resources") {
                    p.push("the templates set no resources");
                } else {
                    if !chart_has(ctx, chart, |l| l.starts_with("requests:")) {
                        p.push("no requests in templates or values");
                    }
                    if !chart_has(ctx, chart, |l| l.starts_with("limits:")) {
                        p.push("no limits in templates or values");
                    }
                }
                p
            },
            pass: "every container declares resource requests and limits",
            fail: "missing resource requests or limits",
        },
    )
}

static NON_ROOT_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(runAsNonRoot:\s*true|runAsUser:\s*[1-9]\d*)\b"));

fn security_context(ctx: &Context) -> Outcome {
    k8s_check(
        ctx,
        &K8sCheck {
            container: |_, c| {
                let mut p = Vec::new();
                let non_root =
                    c.run_as_non_root == Some(true) || c.run_as_user.is_some_and(|u| u > 0);
                if !non_root {
                    p.push("not forced to run as non-root (runAsNonRoot: true)");
                }
                if c.allow_privilege_escalation != Some(false) {
                    p.push("allowPrivilegeEscalation is not false");
                }
                if c.privileged == Some(true) {
                    p.push("privileged");
                }
                p
            },
            skip_batch: false,
            chart: |ctx, chart| {
                let mut p = Vec::new();
                if !chart_has(ctx, chart, |l| NON_ROOT_LINE.is_match(l)) {
                    p.push("runAsNonRoot is not set in templates or values");
                }
                if !chart_has(ctx, chart, |l| {
                    l.starts_with("allowPrivilegeEscalation:") && l.contains("false")
                }) {
                    p.push("allowPrivilegeEscalation: false is not set");
                }
                p
            },
            pass: "containers run as non-root without privilege escalation",
            fail: "may run as root or escalate privileges",
        },
    )
}

/// Kinds whose CI validation is asked (platform specs have no validators worth requiring).
const VALIDATED: &[Kind] = &[
    Kind::Terraform,
    Kind::Pulumi,
    Kind::Cdk,
    Kind::CloudFormation,
    Kind::Bicep,
    Kind::Ansible,
    Kind::Nomad,
    Kind::Kubernetes,
    Kind::Helm,
];

/// pre-commit hooks run in CI (pre-commit.ci via a `ci:` key, or `pre-commit run` in a job).
fn precommit_in_ci<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    let cfg = ctx
        .index
        .first_existing(&[".pre-commit-config.yaml", ".pre-commit-config.yml"])?;
    let text = ctx.index.text(&cfg.path)?;
    let pre_commit_ci = text.lines().any(|l| l.starts_with("ci:"));
    let in_jobs =
        !crate::model::ci::grep(ctx.index, &re(r"\bpre-commit\b|pre-commit/action")).is_empty();
    (pre_commit_ci || in_jobs).then_some(text)
}

fn validated_in_ci(ctx: &Context) -> Outcome {
    let inv = inventory(ctx);
    let present: Vec<Kind> = VALIDATED
        .iter()
        .copied()
        .filter(|k| inv.contains_key(k))
        .collect();
    if present.is_empty() {
        return Outcome::na("no infrastructure code, manifests or charts to validate");
    }
    let multi_re = re(MULTI_SCANNERS);
    let multi = crate::model::ci::grep(ctx.index, &multi_re);
    let hooks = precommit_in_ci(ctx);
    let mut found = Vec::new();
    let mut missing = BTreeSet::new();
    for k in &present {
        let Some(p) = k.validators() else { continue };
        let r = re(p);
        let mut hits = crate::model::ci::grep(ctx.index, &r);
        if hits.is_empty() {
            hits = multi.clone();
        }
        if hits.is_empty() {
            if let Some(text) = hooks {
                if let Some((line, _)) =
                    grep_lines(text, |l| r.is_match(l) || multi_re.is_match(l)).first()
                {
                    hits.push(
                        Evidence::at(".pre-commit-config.yaml", *line)
                            .note("pre-commit hook run in CI"),
                    );
                }
            }
        }
        if hits.is_empty() {
            missing.insert(k.label());
        } else {
            found.extend(hits.into_iter().take(3));
        }
    }
    if missing.is_empty() {
        return Outcome::pass("CI validates the infrastructure code", found);
    }
    let anchor = crate::model::ci::anchor(ctx.index);
    let first_file = present
        .iter()
        .filter(|k| missing.contains(k.label()))
        .find_map(|k| inv.get(k).and_then(|v| v.first()).cloned());
    let missing: Vec<&str> = missing.into_iter().collect();
    let evidence = anchor
        .into_iter()
        .chain(first_file)
        .map(|e| e.note(format!("not validated in CI: {}", missing.join(", "))))
        .collect();
    Outcome::fail(
        format!(
            "CI does not validate {} (validate/lint/policy scan): mistakes surface at apply time",
            missing.join(", ")
        ),
        evidence,
    )
}

static PROVIDER: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*provider\s+"[\w-]+""#));
static BACKEND: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*backend\s+"(\w+)""#));
static CLOUD: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*cloud\s*\{"));

fn tf_lines<'t>(text: &'t str, r: &Regex) -> Vec<(u32, &'t str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.starts_with('#') && !t.starts_with("//") && r.is_match(l)
        })
        .map(|(i, l)| (i as u32 + 1, l))
        .collect()
}

/// Where a Terragrunt file generates backends for the modules below it.
static TERRAGRUNT_REMOTE_STATE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*remote_state\s*\{"));

fn terraform_state_remote(ctx: &Context) -> Outcome {
    let tf: Vec<&IndexedFile> = ctx
        .index
        .text_files()
        .filter(|f| matches!(f.ext(), "tf" | "tofu") && !is_ignored(f))
        .collect();
    if tf.is_empty() {
        return Outcome::na("no Terraform");
    }
    // Root modules configure providers; reusable modules only declare requirements.
    let mut roots: BTreeMap<&str, Evidence> = BTreeMap::new();
    let mut remote: BTreeMap<&str, Evidence> = BTreeMap::new();
    let mut local: BTreeMap<&str, Evidence> = BTreeMap::new();
    for f in &tf {
        let Some(text) = f.text() else { continue };
        let dir = dir_of(&f.path);
        if let Some((line, _)) = tf_lines(text, &PROVIDER).first() {
            roots
                .entry(dir)
                .or_insert_with(|| Evidence::at(&f.path, *line));
        }
        for (line, l) in tf_lines(text, &BACKEND) {
            let kind = BACKEND
                .captures(l)
                .and_then(|c| c.get(1))
                .map_or("", |m| m.as_str());
            let e = Evidence::at(&f.path, line).note(format!("backend \"{kind}\""));
            if kind == "local" {
                local.insert(dir, e);
            } else {
                remote.insert(dir, e);
            }
        }
        if let Some((line, _)) = tf_lines(text, &CLOUD).first() {
            remote.insert(dir, Evidence::at(&f.path, *line).note("Terraform Cloud"));
        }
    }
    if roots.is_empty() {
        return Outcome::na("no root module (no provider block): only reusable modules");
    }
    // Terragrunt generates backends for the modules below a `remote_state` block.
    let terragrunt: Vec<(String, Evidence)> = ctx
        .index
        .named("terragrunt.hcl")
        .filter_map(|f| {
            let (line, _) = *tf_lines(f.text()?, &TERRAGRUNT_REMOTE_STATE).first()?;
            Some((
                dir_of(&f.path).to_string(),
                Evidence::at(&f.path, line).note("Terragrunt remote_state"),
            ))
        })
        .collect();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (dir, at) in roots {
        if let Some(e) = remote.get(dir) {
            good.push(e.clone());
        } else if let Some((_, e)) = terragrunt
            .iter()
            .find(|(d, _)| d.is_empty() || dir == d || dir.starts_with(&format!("{d}/")))
        {
            good.push(e.clone());
        } else if let Some(e) = local.get(dir) {
            bad.push(e.clone().note("local backend: state lives on one machine"));
        } else {
            bad.push(at.note("root module without a backend: state is a local file"));
        }
    }
    if bad.is_empty() {
        Outcome::pass("Terraform state is stored remotely", good)
    } else {
        Outcome::fail(
            format!("{} Terraform root module(s) keep state locally", bad.len()),
            bad,
        )
    }
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "iac-present",
        title: "Infrastructure is declared as code",
        category: Category::Iac,
        weight: 6,
        applies: Applies::SERVICE,
        rationale: "Infrastructure created by hand cannot be reviewed, reproduced for a new \
            environment or rebuilt after a disaster; in code it is versioned with the service \
            it runs.",
        passes_when: "The repository has Terraform/OpenTofu, Pulumi, CDK, CloudFormation/SAM, \
            Bicep/ARM, Ansible, Nomad or Serverless Framework files, a declarative platform \
            spec (fly.toml, render.yaml, App Engine app.yaml, Copilot, Railway, Heroku \
            heroku.yml or app.json, scalingo.json), or Kubernetes manifests / Helm charts. \
            Downloaded modules and examples do not count. Only asked of services: a library has \
            nothing to provision, nor does a repository whose only images are development or \
            GitHub Action images.",
        remediation: "Describe the service's infrastructure (runtime, database, network, DNS) \
            with an IaC tool, next to the code or in a dedicated infra repository.",
        snippet: Some("# infra/main.tf\nterraform {\n  required_version = \">= 1.6\"\n  backend \"s3\" {}\n}\n\nresource \"aws_ecs_service\" \"api\" {\n  # ...\n}"),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(iac_present),
    },
    Rule {
        id: "k8s-manifests-or-helm",
        title: "Deployment descriptors for the container",
        category: Category::Iac,
        weight: 3,
        applies: Applies::SERVICE,
        rationale: "An image without manifests leaves replicas, probes, resources and rollout \
            strategy to whoever deploys it by hand. Kubernetes is one option: services on a \
            PaaS, serverless or a Terraform-managed container platform are not asked.",
        passes_when: "Kubernetes manifests (YAML with apiVersion and kind), a Helm chart \
            (Chart.yaml), helmfile, Kustomize, or Kubernetes/Helm resources in Terraform exist. \
            Not applicable when another platform spec or IaC target is found, or when nothing \
            is containerised.",
        remediation: "Add a Helm chart or plain manifests (Deployment, Service) for the image, \
            or declare the platform it runs on.",
        snippet: Some("# deploy/k8s/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(k8s_manifests),
    },
    Rule {
        id: "k8s-probes",
        title: "Kubernetes containers have liveness and readiness probes",
        category: Category::Iac,
        weight: 5,
        applies: Applies::ALL,
        rationale: "Without a readiness probe pods receive traffic before they can serve it and \
            during shutdown; without a liveness probe a hung process is never restarted \
            (Checkov CKV_K8S_8/9).",
        passes_when: "Every container of every Deployment, StatefulSet, DaemonSet, ReplicaSet, \
            Rollout and Pod has both probes; for Helm charts, the workload templates mention \
            both. Jobs and CronJobs run to completion and are not asked.",
        remediation: "Add readiness and liveness probes on the service's health endpoints.",
        snippet: Some("# deploy/k8s/deployment.yaml (container)\nreadinessProbe:\n  httpGet: {path: /readyz, port: http}\n  periodSeconds: 5\nlivenessProbe:\n  httpGet: {path: /livez, port: http}\n  periodSeconds: 10\n  failureThreshold: 3"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(probes),
    },
    Rule {
        id: "k8s-resources",
        title: "Kubernetes containers declare resource requests and limits",
        category: Category::Iac,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Requests let the scheduler place pods where they fit; limits stop one \
            container from starving its neighbours. Without them pods are the first evicted \
            under pressure (Checkov CKV_K8S_10–13).",
        passes_when: "Every container of every workload has `resources.requests` and \
            `resources.limits`; for Helm charts, the templates set resources and requests and \
            limits appear in the templates or values.",
        remediation: "Set CPU and memory requests from observed usage and a memory limit.",
        snippet: Some("# deploy/k8s/deployment.yaml (container)\nresources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {memory: 256Mi}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(resources),
    },
    Rule {
        id: "k8s-security-context",
        title: "Kubernetes containers run as non-root without privilege escalation",
        category: Category::Iac,
        weight: 4,
        applies: Applies::ALL,
        rationale: "`runAsNonRoot` makes the kubelet refuse to start an image that would run as \
            root, and `allowPrivilegeEscalation: false` blocks setuid binaries from gaining \
            more rights (Checkov CKV_K8S_20/23, Trivy KSV-0001/0012).",
        passes_when: "Every container (pod settings inherited) has runAsNonRoot: true or a \
            non-zero runAsUser, allowPrivilegeEscalation: false, and is not privileged; for Helm \
            charts the templates or values set both.",
        remediation: "Set a pod securityContext and a container securityContext.",
        snippet: Some("# deploy/k8s/deployment.yaml (pod spec)\nsecurityContext:\n  runAsNonRoot: true\n  seccompProfile: {type: RuntimeDefault}\ncontainers:\n  - name: api\n    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      capabilities: {drop: [ALL]}"),
        snippets: &[],
        effort: Effort::Minutes,
        security: true,
        check: Check::Builtin(security_context),
    },
    Rule {
        id: "iac-validated-in-ci",
        title: "CI validates infrastructure code",
        category: Category::Iac,
        weight: 4,
        applies: Applies::ALL,
        rationale: "Infrastructure mistakes found at apply time break environments; `terraform \
            validate`, linters and policy scanners catch them in review.",
        passes_when: "For every IaC kind present, CI runs a validator: terraform \
            validate/plan/fmt -check, tflint, tfsec; cfn-lint; bicep build; pulumi preview; \
            cdk synth; ansible-lint; kubeconform/kubeval/kube-linter; helm lint or ct lint — or \
            a multi-format scanner (Checkov, Trivy config, KICS, Terrascan), also as pre-commit \
            hooks that CI runs.",
        remediation: "Add a CI job that validates and scans the infrastructure code.",
        snippet: Some("# .github/workflows/iac.yml (job steps)\n- uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2\n- run: terraform fmt -check -recursive && terraform init -backend=false && terraform validate\n  working-directory: infra\n- uses: bridgecrewio/checkov-action@99bb2caf247dfd9f03cf984373bc6043d4e32ebf # v12.1347.0\n  with: {directory: infra}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(validated_in_ci),
    },
    Rule {
        id: "terraform-state-remote",
        title: "Terraform state is stored remotely",
        category: Category::Iac,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Local state lives on one laptop: it cannot be shared, locked or recovered, \
            and it contains secrets in plain text.",
        passes_when: "Every Terraform root module (a directory that configures a provider; \
            examples aside) has a non-local `backend` block or a `cloud {}` block, or sits \
            below a terragrunt.hcl with `remote_state`.",
        remediation: "Configure a remote backend with locking (S3 + lockfile/DynamoDB, GCS, \
            azurerm, Terraform Cloud).",
        snippet: Some("# infra/backend.tf\nterraform {\n  backend \"s3\" {\n    bucket       = \"acme-tf-state\"\n    key          = \"api/terraform.tfstate\"\n    region       = \"eu-west-1\"\n    use_lockfile = true\n  }\n}"),
        snippets: &[],
        effort: Effort::Hours,
        security: false,
        check: Check::Builtin(terraform_state_remote),
    },
];

pub const SIGNALS: &[Signal] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const SERVICE: (&str, &str) = ("Dockerfile", "FROM python:3.12\nEXPOSE 80\n");

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true\n      containers:\n        - name: api\n          image: app:1\n          livenessProbe: {httpGet: {path: /livez, port: 80}}\n          readinessProbe: {httpGet: {path: /readyz, port: 80}}\n          resources:\n            requests: {cpu: 100m, memory: 64Mi}\n            limits: {memory: 128Mi}\n          securityContext:\n            allowPrivilegeEscalation: false\n";

    const BARE: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres:16\n";

    #[test]
    fn iac_present() {
        let r = rule(RULES, "iac-present");
        let o = assert_pass(
            r,
            &[SERVICE, ("infra/main.tf", "resource \"x\" \"y\" {}\n")],
        );
        assert_eq!(o.evidence[0].path, "infra/main.tf");
        assert_pass(r, &[SERVICE, ("fly.toml", "app = \"x\"\n")]);
        assert_pass(
            r,
            &[SERVICE, ("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n")],
        );
        assert_pass(
            r,
            &[SERVICE, ("ansible/roles/web/tasks/main.yml", "- name: x\n")],
        );
        // mastodon and cal.com: a Heroku app.json, judged by its Heroku keys.
        let heroku = "{\n  \"name\": \"Mastodon\",\n  \"buildpacks\": [\n    { \"url\": \"heroku/ruby\" }\n  ],\n  \"addons\": [\"heroku-postgresql\", \"heroku-redis\"]\n}\n";
        let o = assert_pass(r, &[SERVICE, ("app.json", heroku)]);
        assert_eq!(o.evidence[0].path, "app.json");
        assert_pass(
            r,
            &[
                SERVICE,
                (
                    "scalingo.json",
                    "{\n  \"addons\": [\"scalingo-postgresql\"]\n}\n",
                ),
            ],
        );
        // Any other app.json (Expo, PWA) is not a platform spec.
        assert_fail(
            r,
            &[
                SERVICE,
                ("app.json", "{\n  \"expo\": { \"name\": \"x\" }\n}\n"),
            ],
        );
        // Downloaded modules are not the project's.
        let o = assert_fail(r, &[SERVICE, (".terraform/modules/vpc/main.tf", "")]);
        assert_eq!(o.evidence[0].path, "Dockerfile");
        // A library has nothing to provision.
        assert_na(r, &[("Cargo.toml", "[package]"), ("src/lib.rs", "")]);
    }

    #[test]
    fn k8s_manifests_or_helm() {
        let r = rule(RULES, "k8s-manifests-or-helm");
        assert_pass(r, &[SERVICE, ("deploy/app.yaml", DEPLOY)]);
        let o = assert_pass(
            r,
            &[SERVICE, ("chart/Chart.yaml", "apiVersion: v2\nname: x\n")],
        );
        assert_eq!(o.evidence[0].path, "chart/Chart.yaml");
        assert_pass(
            r,
            &[
                SERVICE,
                ("tf/k8s.tf", "resource \"helm_release\" \"api\" {}\n"),
            ],
        );
        let o = assert_fail(r, &[SERVICE]);
        assert_eq!(o.evidence[0].path, "Dockerfile");
        // Another platform runs it.
        assert_na(r, &[SERVICE, ("fly.toml", "app = \"x\"\n")]);
        assert_na(
            r,
            &[
                SERVICE,
                ("main.tf", "resource \"aws_ecs_service\" \"api\" {}\n"),
            ],
        );
        // Nothing containerised.
        assert_na(r, &[("package.json", "{}"), ("next.config.js", "")]);
    }

    #[test]
    fn probes_cite_the_container_and_skip_jobs() {
        let r = rule(RULES, "k8s-probes");
        let o = assert_pass(r, &[("k8s/api.yaml", DEPLOY)]);
        assert_eq!(o.evidence[0].line, Some(11));
        let o = assert_fail(r, &[("k8s/api.yaml", DEPLOY), ("k8s/db.yaml", BARE)]);
        assert_eq!(o.evidence.len(), 1);
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("k8s/db.yaml", Some(9))
        );
        assert_na(
            r,
            &[(
                "k8s/job.yaml",
                "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          image: app:1\n",
            )],
        );
        assert_na(
            r,
            &[(
                "k8s/svc.yaml",
                "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n",
            )],
        );
    }

    const CHART_DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}\n          livenessProbe:\n            httpGet: {path: /, port: http}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n";

    #[test]
    fn helm_charts_are_judged_from_templates_and_values() {
        let chart = |values: &'static str| {
            vec![
                ("chart/Chart.yaml", "apiVersion: v2\nname: api\n"),
                ("chart/templates/deployment.yaml", CHART_DEPLOY),
                ("chart/values.yaml", values),
            ]
        };
        // `helm create` defaults: everything commented out.
        let defaults = "resources: {}\n  # limits:\n  #   cpu: 100m\nsecurityContext: {}\n  # runAsNonRoot: true\n";
        let o = assert_fail(rule(RULES, "k8s-probes"), &chart(defaults));
        assert_eq!(o.evidence[0].line, Some(2));
        assert!(o.evidence[0]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("readinessProbe"));
        assert_fail(rule(RULES, "k8s-resources"), &chart(defaults));
        assert_fail(rule(RULES, "k8s-security-context"), &chart(defaults));
        let set = "resources:\n  requests:\n    cpu: 100m\n  limits:\n    memory: 128Mi\nsecurityContext:\n  runAsNonRoot: true\n  allowPrivilegeEscalation: false\n";
        assert_pass(rule(RULES, "k8s-resources"), &chart(set));
        assert_pass(rule(RULES, "k8s-security-context"), &chart(set));
    }

    #[test]
    fn resources_and_security_context() {
        let res = rule(RULES, "k8s-resources");
        assert_pass(res, &[("k8s/api.yaml", DEPLOY)]);
        let o = assert_fail(res, &[("k8s/db.yaml", BARE)]);
        assert!(o.evidence[0]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("no resource requests"));
        let sec = rule(RULES, "k8s-security-context");
        assert_pass(sec, &[("k8s/api.yaml", DEPLOY)]);
        let o = assert_fail(sec, &[("k8s/db.yaml", BARE)]);
        assert_eq!(o.evidence[0].line, Some(9));
        let root = DEPLOY.replace("runAsNonRoot: true", "runAsUser: 0");
        assert_fail(sec, &[("k8s/api.yaml", root.as_str())]);
    }

    #[test]
    fn iac_validated_in_ci() {
        let r = rule(RULES, "iac-validated-in-ci");
        assert_na(r, &[SERVICE, ("fly.toml", "app = \"x\"\n")]);
        let tf = ("infra/main.tf", "provider \"aws\" {}\n");
        let o = assert_pass(
            r,
            &[
                tf,
                (
                    ".github/workflows/ci.yml",
                    "jobs:\n  x:\n    steps:\n      - run: terraform fmt -check -recursive\n",
                ),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(4));
        assert_pass(
            r,
            &[
                tf,
                (".gitlab-ci.yml", "scan:\n  script: checkov -d infra\n"),
            ],
        );
        // Only Helm is linted: Terraform is not validated.
        let o = assert_fail(
            r,
            &[
                tf,
                ("chart/Chart.yaml", "apiVersion: v2\nname: x\n"),
                (".github/workflows/ci.yml", "jobs:\n  x:\n    steps:\n      - run: helm lint chart\n      # - run: terraform validate\n"),
            ],
        );
        assert!(
            o.message.contains("Terraform") && !o.message.contains("Helm"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence[0].path, ".github/workflows/ci.yml");
        // pre-commit hooks count when CI runs them.
        assert_pass(
            r,
            &[
                tf,
                (".pre-commit-config.yaml", "repos:\n  - repo: https://github.com/antonbabenko/pre-commit-terraform\n    hooks:\n      - id: terraform_validate\n      - id: terraform_tflint\n"),
                (".github/workflows/ci.yml", "jobs:\n  x:\n    steps:\n      - uses: pre-commit/action@v3.0.1\n"),
            ],
        );
    }

    #[test]
    fn terraform_state_remote() {
        let r = rule(RULES, "terraform-state-remote");
        assert_na(r, &[SERVICE]);
        // Reusable modules have no provider block and no backend.
        assert_na(r, &[("modules/vpc/main.tf", "variable \"x\" {}\n")]);
        let o = assert_pass(
            r,
            &[
                (
                    "infra/providers.tf",
                    "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
                ),
                ("infra/backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
                ("examples/simple/main.tf", "provider \"aws\" {}\n"),
            ],
        );
        assert_eq!(o.evidence[0].line, Some(2));
        let o = assert_fail(
            r,
            &[(
                "infra/main.tf",
                "terraform {\n  # backend \"s3\" {}\n}\nprovider \"aws\" {}\n",
            )],
        );
        assert_eq!(
            (o.evidence[0].path.as_str(), o.evidence[0].line),
            ("infra/main.tf", Some(4))
        );
        assert_fail(
            r,
            &[(
                "main.tf",
                "terraform {\n  backend \"local\" {}\n}\nprovider \"aws\" {}\n",
            )],
        );
        assert_pass(
            r,
            &[
                (
                    "live/terragrunt.hcl",
                    "remote_state {\n  backend = \"s3\"\n}\n",
                ),
                ("live/prod/app/main.tf", "provider \"aws\" {}\n"),
            ],
        );
    }
}
