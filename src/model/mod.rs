//! Parsed models of the files rules care about, each built once per scan from the index.

pub mod ci;
pub mod compose;
pub mod dockerfile;
pub mod k8s;
pub mod python_deps;
pub mod workflow;
pub mod yaml;

use std::sync::OnceLock;

/// Lazily built models, cached on the index so each file is parsed at most once.
#[derive(Default)]
pub struct Models {
    pub(crate) workflows: OnceLock<Vec<workflow::Workflow>>,
    pub(crate) dockerfiles: OnceLock<Vec<dockerfile::Dockerfile>>,
    pub(crate) compose: OnceLock<Vec<compose::ComposeFile>>,
    pub(crate) k8s: OnceLock<k8s::K8s>,
    /// Facts several rules derive from the index.
    pub(crate) derived: crate::rules::Derived,
}

impl crate::index::Index {
    /// GitHub Actions workflows (`.github/workflows/*.yml|yaml`), parsed.
    pub fn workflows(&self) -> &[workflow::Workflow] {
        self.models
            .workflows
            .get_or_init(|| workflow::load_all(self))
    }

    /// Dockerfiles and Containerfiles, parsed.
    pub fn dockerfiles(&self) -> &[dockerfile::Dockerfile] {
        self.models
            .dockerfiles
            .get_or_init(|| dockerfile::load_all(self))
    }

    /// Docker Compose files (`compose.yaml`, `docker-compose.*.yml`, …), parsed.
    pub fn compose_files(&self) -> &[compose::ComposeFile] {
        self.models.compose.get_or_init(|| compose::load_all(self))
    }

    /// Kubernetes manifests, Helm charts and Kustomize files.
    pub fn k8s(&self) -> &k8s::K8s {
        self.models.k8s.get_or_init(|| k8s::load_all(self))
    }
}
