//! Kubernetes manifests, Helm charts and Kustomize overlays.
//!
//! Plain manifests are parsed (multi-document YAML whose documents have `apiVersion` and
//! `kind`). Helm templates are Go templates, not YAML: they are never parsed, only listed and
//! searched as text. Files that Kustomize applies as patches are partial objects and are left
//! out of the workloads.

use super::compose::normalize;
use super::yaml::Node;
use crate::index::{join_path as join, parent_dir as dir_of};
use crate::index::{Index, IndexedFile};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct K8s {
    pub objects: Vec<Object>,
    pub workloads: Vec<Workload>,
    pub charts: Vec<Chart>,
    /// Paths of `kustomization.yaml` files.
    pub kustomizations: Vec<String>,
}

/// One Kubernetes document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub path: String,
    /// Line of the `kind:` key.
    pub line: u32,
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
}

/// A workload: an object with a pod template.
#[derive(Debug, Clone)]
pub struct Workload {
    pub path: String,
    /// Line of the `kind:` key.
    pub line: u32,
    pub kind: String,
    pub name: Option<String>,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
}

impl Workload {
    /// Jobs run to completion: probes make little sense for them.
    pub fn is_batch(&self) -> bool {
        matches!(self.kind.as_str(), "Job" | "CronJob")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    /// Line of the container's first key (the `- name:` line, usually).
    pub line: u32,
    pub image: Option<String>,
    pub liveness_probe: bool,
    pub readiness_probe: bool,
    pub startup_probe: bool,
    /// Keys under `resources.requests` / `resources.limits` (`cpu`, `memory`, …).
    pub requests: Vec<String>,
    pub limits: Vec<String>,
    /// Effective values: the container's securityContext over the pod's.
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
    /// Container-level only (the field does not exist on the pod).
    pub allow_privilege_escalation: Option<bool>,
    pub privileged: Option<bool>,
    pub read_only_root_filesystem: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Path of `Chart.yaml`.
    pub path: String,
    /// Directory of the chart ("" at the root).
    pub dir: String,
    pub name: Option<String>,
}

impl Chart {
    /// Files under the chart's `templates/`.
    pub fn templates<'a>(&self, index: &'a Index) -> &'a [IndexedFile] {
        index.under(&join(&self.dir, "templates"))
    }

    /// Templates that declare a workload kind, with the line of the `kind:`.
    pub fn workload_templates<'a>(&self, index: &'a Index) -> Vec<(&'a IndexedFile, String, u32)> {
        let mut out = Vec::new();
        for f in self.templates(index) {
            let Some(text) = f.text() else { continue };
            // `helm test` pods and other hooks are not the release's workloads.
            if f.is_test || text.contains("helm.sh/hook") {
                continue;
            }
            for (i, l) in text.lines().enumerate() {
                let Some(kind) = l.trim().strip_prefix("kind:") else {
                    continue;
                };
                let kind = kind.trim().trim_matches(['"', '\'']);
                if WORKLOAD_KINDS.contains(&kind) {
                    out.push((f, kind.to_string(), i as u32 + 1));
                }
            }
        }
        out
    }
}

/// Kinds with a pod template, and where it is.
const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Rollout",
];

fn pod_spec<'a>(kind: &str, doc: &'a Node) -> Option<&'a Node> {
    match kind {
        "Pod" => doc.get("spec"),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => doc.path(&["spec", "template", "spec"]),
    }
}

/// Vendored trees and examples are not the project's deployment.
fn is_vendored(path: &str) -> bool {
    crate::index::is_vendored(path)
        || path
            .split('/')
            .any(|seg| matches!(seg, "examples" | "example" | "samples"))
}

/// Documents with apiVersion and kind that are not Kubernetes objects: Backstage catalogs,
/// kind cluster configs, Skaffold, kubeconfig and component configuration files.
fn is_not_k8s(api: &str, kind: &str) -> bool {
    let group = api.split('/').next().unwrap_or("");
    group == "backstage.io"
        || group == "kind.x-k8s.io"
        || group.starts_with("skaffold")
        || group == "score.dev"
        || group.ends_with("config.k8s.io")
        || group == "kubeadm.k8s.io"
        || (api == "v1" && kind == "Config")
}

pub fn is_kustomization_name(name: &str) -> bool {
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

/// A Helm template: under `templates/` of a directory holding `Chart.yaml`.
fn in_chart_templates(index: &Index, path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').collect();
    (0..segs.len().saturating_sub(1))
        .filter(|&j| segs[j] == "templates")
        .any(|j| index.exists(&join(&segs[..j].join("/"), "Chart.yaml")))
}

pub fn load_all(index: &Index) -> K8s {
    let mut k = K8s::default();
    for f in index.text_files() {
        if is_vendored(&f.path) || f.is_test {
            continue;
        }
        if f.name() == "Chart.yaml" {
            let name = index
                .yaml(&f.path)
                .and_then(|r| r.as_ref().ok())
                .and_then(|y| y.root())
                .and_then(|r| r.get("name"))
                .and_then(Node::as_str)
                .map(str::to_string);
            k.charts.push(Chart {
                path: f.path.clone(),
                dir: dir_of(&f.path).to_string(),
                name,
            });
        } else if is_kustomization_name(f.name()) {
            k.kustomizations.push(f.path.clone());
        }
    }
    // Unpacked dependencies (`<chart>/charts/<dep>/`) are other people's charts.
    let dirs: Vec<String> = k.charts.iter().map(|c| c.dir.clone()).collect();
    k.charts.retain(|c| {
        !dirs
            .iter()
            .any(|d| c.dir.starts_with(&format!("{}charts/", join(d, ""))) && *d != c.dir)
    });
    let patches = kustomize_patches(index, &k.kustomizations);
    for f in index.text_files() {
        if !matches!(f.ext(), "yaml" | "yml")
            || is_vendored(&f.path)
            || f.is_test
            || f.path.starts_with(".github/")
            || f.name() == "Chart.yaml"
            || super::compose::is_compose_name(f.name())
        {
            continue;
        }
        // Cheap text test first: most YAML files are not Kubernetes objects.
        let Some(text) = f.text() else { continue };
        if !(text.contains("apiVersion") && text.contains("kind")) {
            continue;
        }
        if in_chart_templates(index, &f.path) {
            continue;
        }
        let Some(Ok(y)) = index.yaml(&f.path) else {
            continue;
        };
        let is_patch = patches.contains(&f.path);
        for doc in &y.docs {
            collect(&f.path, doc, is_patch, &mut k, 0);
        }
    }
    k
}

fn collect(path: &str, doc: &Node, is_patch: bool, k: &mut K8s, depth: usize) {
    let (Some(api), Some(kind)) = (
        doc.get("apiVersion").and_then(Node::as_str),
        doc.get("kind").and_then(Node::as_str),
    ) else {
        return;
    };
    if is_not_k8s(api, kind) {
        return;
    }
    let line = doc.key_line("kind").unwrap_or(doc.line);
    let name = doc
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .map(str::to_string);
    if kind == "List" && depth < 4 {
        for item in doc.get("items").map(Node::items).unwrap_or_default() {
            collect(path, item, is_patch, k, depth + 1);
        }
        return;
    }
    k.objects.push(Object {
        path: path.to_string(),
        line,
        api_version: api.to_string(),
        kind: kind.to_string(),
        name: name.clone(),
    });
    if is_patch || !WORKLOAD_KINDS.contains(&kind) {
        return;
    }
    let Some(spec) = pod_spec(kind, doc) else {
        return;
    };
    let pod_sc = spec.get("securityContext");
    let containers = |key: &str| -> Vec<Container> {
        spec.get(key)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|c| container(c, pod_sc))
            // A container without an image is a fragment (an overlay's patch), not a container.
            .filter(|c| c.image.is_some())
            .collect()
    };
    let containers_list = containers("containers");
    if containers_list.is_empty() {
        return;
    }
    k.workloads.push(Workload {
        path: path.to_string(),
        line,
        kind: kind.to_string(),
        name,
        containers: containers_list,
        init_containers: containers("initContainers"),
    });
}

fn container(c: &Node, pod_sc: Option<&Node>) -> Container {
    let sc = c.get("securityContext");
    let b = |key: &str| -> Option<bool> {
        sc.and_then(|s| s.get(key))
            .and_then(Node::as_bool)
            .or_else(|| pod_sc.and_then(|s| s.get(key)).and_then(Node::as_bool))
    };
    let keys = |which: &str| -> Vec<String> {
        c.path(&["resources", which])
            .map(|n| {
                n.entries()
                    .iter()
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let present = |key: &str| c.get(key).is_some_and(|n| !n.is_null());
    Container {
        name: c
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        line: c.key_line("name").unwrap_or(c.line),
        image: c.get("image").and_then(Node::as_str).map(str::to_string),
        liveness_probe: present("livenessProbe"),
        readiness_probe: present("readinessProbe"),
        startup_probe: present("startupProbe"),
        requests: keys("requests"),
        limits: keys("limits"),
        run_as_non_root: b("runAsNonRoot"),
        run_as_user: sc
            .and_then(|s| s.get("runAsUser"))
            .or_else(|| pod_sc.and_then(|s| s.get("runAsUser")))
            .and_then(Node::as_str)
            .and_then(|s| s.parse().ok()),
        allow_privilege_escalation: sc
            .and_then(|s| s.get("allowPrivilegeEscalation"))
            .and_then(Node::as_bool),
        privileged: sc.and_then(|s| s.get("privileged")).and_then(Node::as_bool),
        read_only_root_filesystem: sc
            .and_then(|s| s.get("readOnlyRootFilesystem"))
            .and_then(Node::as_bool),
    }
}

/// Repo paths of the files Kustomize applies as patches.
fn kustomize_patches(index: &Index, kustomizations: &[String]) -> HashSet<String> {
    let mut out = HashSet::new();
    for path in kustomizations {
        let Some(Ok(y)) = index.yaml(path) else {
            continue;
        };
        let Some(root) = y.root() else { continue };
        let dir = dir_of(path);
        let mut rels: Vec<&str> = Vec::new();
        for key in ["patchesStrategicMerge", "patches", "patchesJson6902"] {
            for item in root.get(key).map(Node::items).unwrap_or_default() {
                if let Some(s) = item.as_str() {
                    rels.push(s);
                } else if let Some(p) = item.get("path").and_then(Node::as_str) {
                    rels.push(p);
                }
            }
        }
        for rel in rels {
            if let Some(p) = normalize(&join(dir, rel)) {
                out.insert(p);
            }
        }
    }
    out
}

/// Non-comment lines of a text matching `pred`, with their 1-based numbers.
pub fn grep_lines(text: &str, pred: impl Fn(&str) -> bool) -> Vec<(u32, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.starts_with('#') && !t.starts_with("{{/*") && pred(t)
        })
        .map(|(i, l)| (i as u32 + 1, l))
        .collect()
}

/// Is `name` a Helm values file (`values.yaml`, `values-prod.yaml`)?
pub fn is_values_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("values") && (n.ends_with(".yaml") || n.ends_with(".yml"))
}

/// Helm values files of a chart (at the chart root).
pub fn values_files<'a>(index: &'a Index, chart: &Chart) -> Vec<&'a IndexedFile> {
    index
        .children(&chart.dir)
        .into_iter()
        .filter(|f| is_values_file(f.name()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true\n      initContainers:\n        - name: migrate\n          image: app:1\n      containers:\n        - name: api\n          image: app:1\n          livenessProbe:\n            httpGet: {path: /livez, port: 8080}\n          readinessProbe:\n            httpGet: {path: /readyz, port: 8080}\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {memory: 256Mi}\n          securityContext:\n            allowPrivilegeEscalation: false\n        - name: sidecar\n          image: envoy:1\n          securityContext:\n            runAsNonRoot: false\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n";

    #[test]
    fn workloads_containers_and_effective_security_context() {
        let idx = Index::from_files(&[("deploy/k8s/app.yaml", DEPLOY)]);
        let k = load_all(&idx);
        assert_eq!(k.objects.len(), 2);
        assert_eq!(k.objects[1].kind, "Service");
        assert_eq!(k.workloads.len(), 1);
        let w = &k.workloads[0];
        assert_eq!((w.kind.as_str(), w.line), ("Deployment", 2));
        assert_eq!(w.init_containers.len(), 1);
        let api = &w.containers[0];
        assert_eq!((api.name.as_str(), api.line), ("api", 14));
        assert!(api.liveness_probe && api.readiness_probe && !api.startup_probe);
        assert_eq!(api.requests, vec!["cpu", "memory"]);
        assert_eq!(api.limits, vec!["memory"]);
        assert_eq!(api.run_as_non_root, Some(true));
        assert_eq!(api.allow_privilege_escalation, Some(false));
        let side = &w.containers[1];
        assert_eq!(side.run_as_non_root, Some(false));
        assert!(!side.liveness_probe);
    }

    #[test]
    fn cronjob_pod_spec_and_lists() {
        let idx = Index::from_files(&[(
            "k8s/jobs.yml",
            "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    spec:\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers:\n                - name: backup\n                  image: pg:16\n",
        )]);
        let k = load_all(&idx);
        assert_eq!(k.workloads.len(), 1);
        assert!(k.workloads[0].is_batch());
        assert_eq!(k.workloads[0].containers[0].line, 12);
    }

    #[test]
    fn helm_templates_are_not_parsed_and_patches_are_not_workloads() {
        let idx = Index::from_files(&[
            (
                "charts/api/Chart.yaml",
                "apiVersion: v2\nname: api\nversion: 0.1.0\n",
            ),
            (
                "charts/api/templates/deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          image: \"{{ .Values.image }}\"\n",
            ),
            ("charts/api/values.yaml", "image: x\n"),
            (
                "charts/api/templates/tests/test-connection.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    \"helm.sh/hook\": test\n",
            ),
            (
                "charts/api/charts/postgresql/Chart.yaml",
                "apiVersion: v2\nname: postgresql\n",
            ),
            (
                "k8s/base/kustomization.yaml",
                "resources: [deploy.yaml]\n",
            ),
            ("k8s/base/deploy.yaml", DEPLOY),
            (
                "k8s/overlays/prod/kustomization.yaml",
                "resources: [../../base]\npatches:\n  - path: ./replicas.yaml\npatchesStrategicMerge:\n  - res.yaml\n",
            ),
            (
                "k8s/overlays/prod/replicas.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 3\n",
            ),
            (
                "k8s/overlays/prod/res.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: app:2\n",
            ),
        ]);
        let k = load_all(&idx);
        assert_eq!(k.charts.len(), 1);
        assert_eq!(k.charts[0].name.as_deref(), Some("api"));
        assert_eq!(k.kustomizations.len(), 2);
        assert!(k.workloads.iter().all(|w| w.path == "k8s/base/deploy.yaml"));
        assert_eq!(k.workloads.len(), 1);
        assert!(k.objects.iter().all(|o| !o.path.contains("templates")));
        let t = k.charts[0].workload_templates(&idx);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].1.as_str(), t[0].2), ("Deployment", 2));
        let v = values_files(&idx, &k.charts[0]);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn root_chart_and_non_k8s_yaml() {
        let idx = Index::from_files(&[
            ("Chart.yaml", "apiVersion: v2\nname: x\n"),
            (
                "templates/d.yaml",
                "apiVersion: {{ x }}\nkind: Deployment\n",
            ),
            ("values.yaml", "a: 1\n"),
            (".github/workflows/ci.yml", "kind: x\napiVersion: y\n"),
            ("config.yml", "apiVersion: 1\nproviders: []\n"),
            ("broken.yaml", "apiVersion: v1\nkind: [\n"),
            (
                "catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
            ),
            (
                "kind.yaml",
                "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n",
            ),
            ("examples/pod.yaml", "apiVersion: v1\nkind: Pod\n"),
        ]);
        let k = load_all(&idx);
        assert!(k.objects.is_empty(), "{:?}", k.objects);
        assert_eq!(values_files(&idx, &k.charts[0]).len(), 1);
        assert!(in_chart_templates(&idx, "templates/d.yaml"));
        assert!(!in_chart_templates(&idx, "x/templates/d.yaml"));
    }

    #[test]
    fn path_normalization() {
        assert_eq!(normalize("a/b/../c/./d").as_deref(), Some("a/c/d"));
        assert_eq!(normalize("../x"), None);
    }
}
