//! The areas the audits score. Default weights follow the audits: CI and observability
//! carry most, docs and developer experience least.

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Ci,
    Testing,
    Security,
    SupplyChain,
    Containers,
    Deployment,
    Iac,
    Observability,
    Reliability,
    Release,
    Docs,
    Dx,
    Delivery,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::Ci,
        Category::Testing,
        Category::Security,
        Category::SupplyChain,
        Category::Containers,
        Category::Deployment,
        Category::Iac,
        Category::Observability,
        Category::Reliability,
        Category::Release,
        Category::Docs,
        Category::Dx,
        Category::Delivery,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Ci => "ci",
            Category::Testing => "testing",
            Category::Security => "security",
            Category::SupplyChain => "supply-chain",
            Category::Containers => "containers",
            Category::Deployment => "deployment",
            Category::Iac => "iac",
            Category::Observability => "observability",
            Category::Reliability => "reliability",
            Category::Release => "release",
            Category::Docs => "docs",
            Category::Dx => "dx",
            Category::Delivery => "delivery",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Ci => "CI pipeline",
            Category::Testing => "Tests and coverage",
            Category::Security => "Security scanning",
            Category::SupplyChain => "Supply chain and dependencies",
            Category::Containers => "Containers",
            Category::Deployment => "Deployment",
            Category::Iac => "Infrastructure as code",
            Category::Observability => "Observability",
            Category::Reliability => "Reliability and incident readiness",
            Category::Release => "Release management",
            Category::Docs => "Documentation",
            Category::Dx => "Developer experience",
            Category::Delivery => "Delivery performance (DORA)",
        }
    }

    /// Default weight of the category in the overall score.
    pub fn default_weight(self) -> f64 {
        match self {
            Category::Ci => 3.5,
            Category::Testing | Category::Observability => 2.5,
            Category::Security | Category::Deployment => 2.0,
            Category::SupplyChain | Category::Containers | Category::Reliability => 1.5,
            Category::Iac | Category::Release | Category::Delivery => 1.0,
            Category::Docs | Category::Dx => 0.75,
        }
    }

    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }
}
