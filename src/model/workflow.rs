//! GitHub Actions workflows with positions.

use crate::index::Index;

#[derive(Debug, Clone)]
pub struct Workflow {
    pub path: String,
}

pub fn load_all(index: &Index) -> Vec<Workflow> {
    index
        .under(".github/workflows")
        .iter()
        .filter(|f| f.path.ends_with(".yml") || f.path.ends_with(".yaml"))
        .map(|f| Workflow {
            path: f.path.clone(),
        })
        .collect()
}
