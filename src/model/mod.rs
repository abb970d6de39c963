//! Parsed models of the files rules care about, each built once per scan from the index.

pub mod ci;
pub mod dockerfile;
pub mod workflow;
pub mod yaml;

use std::sync::OnceLock;

/// Lazily built models, cached on the index so each file is parsed at most once.
#[derive(Default)]
pub struct Models {
    pub(crate) workflows: OnceLock<Vec<workflow::Workflow>>,
    pub(crate) dockerfiles: OnceLock<Vec<dockerfile::Dockerfile>>,
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
}
