//! Dockerfiles, parsed into instructions with line numbers.

use crate::index::Index;

#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub path: String,
}

pub fn load_all(index: &Index) -> Vec<Dockerfile> {
    index
        .files()
        .iter()
        .filter(|f| f.name() == "Dockerfile" || f.name() == "Containerfile")
        .map(|f| Dockerfile {
            path: f.path.clone(),
        })
        .collect()
}
