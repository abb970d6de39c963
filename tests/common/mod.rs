//! Helpers shared by the integration tests.

use serde_json::Value;
use std::sync::OnceLock;

/// The official SARIF 2.1.0 schema (vendored in tests/fixtures), compiled once.
pub fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("vendored SARIF schema");
        let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        // The official schema nests region's `anyOf` under `properties`, which a 2020-12
        // validator rejects as a schema; move it up to where it constrains regions.
        let region = &mut schema["definitions"]["region"];
        if let Some(any_of) = region["properties"]
            .as_object_mut()
            .and_then(|p| p.remove("anyOf"))
        {
            region["anyOf"] = any_of;
        }
        jsonschema::validator_for(&schema).expect("schema compiles")
    })
}

/// Schema violations of a SARIF document (empty when valid), at most a few.
pub fn sarif_schema_errors(sarif: &Value) -> Vec<String> {
    sarif_validator()
        .iter_errors(sarif)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The artifact URI each SARIF result is located at, in result order.
#[allow(dead_code)] // Not every test binary that includes this module reads locations.
pub fn sarif_uris(sarif: &Value) -> Vec<&str> {
    sarif["runs"][0]["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .filter_map(|r| {
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The control `id` of a JSON report (panics with the id when there is none).
#[allow(dead_code)] // each test binary compiles this module; not all of them read controls
pub fn control<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .flat_map(|c| c["controls"].as_array().expect("controls"))
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {id} in the report"))
}
