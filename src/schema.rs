//! JSON Schemas (draft 2020-12) of the JSON report and of `.devops-maturity.yml`, generated
//! from the types themselves (`schemars`), so the serde attributes stay the one source of
//! truth. `devops-maturity schema report|config` prints them; docs/schema/ holds the copies
//! editors and consumers point at.

use crate::config::Config;
use crate::report::Report;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// Where the committed schemas are served from: their `$id`.
const BASE_URL: &str =
    "https://raw.githubusercontent.com/devops-maturity/devops-maturity/main/docs/schema/";

/// The schemas there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The JSON report (`--format json`, `--json FILE`).
    Report,
    /// The configuration file, `.devops-maturity.yml`.
    Config,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Report, Kind::Config];

    /// The committed file's name under docs/schema/.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Report => "report.schema.json",
            Kind::Config => "config.schema.json",
        }
    }

    pub fn id(self) -> String {
        format!("{BASE_URL}{}", self.file_name())
    }
}

/// The schema of `kind`.
pub fn schema(kind: Kind) -> Schema {
    match kind {
        // The report is written: a field serde skips when empty is optional, an `Option`
        // serde always writes is required (and may be null).
        Kind::Report => with_header::<Report>(
            SchemaSettings::draft2020_12().for_serialize(),
            kind,
            "devops-maturity JSON report",
            "The JSON report of devops-maturity (`--format json`, `--json FILE`), \
             schema_version 1. Fields may be added within a schema version, so consumers \
             should ignore properties they do not know.",
        ),
        // The configuration is read: what serde defaults may be left out, and unknown keys
        // are rejected (`deny_unknown_fields` becomes `additionalProperties: false`).
        Kind::Config => with_header::<Config>(
            SchemaSettings::draft2020_12().for_deserialize(),
            kind,
            "devops-maturity configuration",
            "The configuration file of devops-maturity, .devops-maturity.yml (or .yaml). \
             `devops-maturity init` writes one with every option at its default.",
        ),
    }
}

fn with_header<T: JsonSchema>(
    settings: SchemaSettings,
    kind: Kind,
    title: &str,
    description: &str,
) -> Schema {
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.insert("$id".into(), kind.id().into());
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    schema
}

/// The schema as printed and committed: pretty JSON with a final newline.
pub fn render(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_report_schema_pins_the_schema_version() {
        let v = schema(Kind::Report).to_value();
        assert_eq!(
            v["properties"]["schema_version"]["const"],
            Value::from(crate::report::SCHEMA_VERSION)
        );
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(v["$id"], Kind::Report.id());
    }

    #[test]
    fn serde_attributes_shape_the_schemas() {
        let report = schema(Kind::Report).to_value();
        let required = |v: &Value| -> Vec<String> {
            v["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        // skip_serializing_if: optional; always written: required.
        let top = required(&report);
        assert!(top.contains(&"findings".to_owned()));
        assert!(!top.contains(&"baseline".to_owned()));
        assert!(!top.contains(&"ignored_unmatched".to_owned()));
        let evidence = &report["$defs"]["Evidence"];
        assert_eq!(required(evidence), ["path"]);
        // rename_all: the names serde writes.
        let category = report["$defs"]["Category"].to_string();
        assert!(category.contains("supply-chain"), "{category}");
        let config = schema(Kind::Config).to_value();
        assert_eq!(config["additionalProperties"], false);
        assert!(config["properties"]["custom-rules"].is_object());
        assert!(config["properties"]["max-file-size"].is_object());
        assert!(config.get("required").is_none());
    }
}
