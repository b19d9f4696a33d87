//! `schema/*.schema.json` are generated from the types that write
//! `metrics.json` and `manifest.json`; the bundled sample's output validates
//! against them. When a type changes, regenerate the files with
//! `GOVWX_UPDATE_SCHEMAS=1 cargo test --release --test schemas`.

mod common;

use serde_json::Value;

/// The checked-in schema, after checking it is the one the types give.
fn checked_in(name: &str, generated: String) -> Value {
    let path = common::repo(&format!("schema/{name}.schema.json"));
    if std::env::var_os("GOVWX_UPDATE_SCHEMAS").is_some() {
        govwx::fs::write(&path, &generated).expect("write the schema");
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "`schema/{name}.schema.json` is not what the types give; regenerate it with \
         GOVWX_UPDATE_SCHEMAS=1 cargo test --release --test schemas"
    );
    serde_json::from_str(&stored).expect("the schema is JSON")
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema: {errors:#?}"
    );
}

#[test]
fn the_bundled_output_validates_against_the_checked_in_schemas() {
    let metrics_schema = checked_in("metrics", govwx::metrics::schema());
    let manifest_schema = checked_in("manifest", govwx::audit::manifest_schema());
    let dir = tempfile::tempdir().expect("tempdir");
    let output = common::run(&common::repo("input"), dir.path());
    let metrics = common::json(&output.join("metrics.json"));
    let manifest = common::json(&output.join("manifest.json"));
    assert_valid(&metrics_schema, &metrics, "metrics.json");
    assert_valid(&manifest_schema, &manifest, "manifest.json");
    // The schemas can fail: a figure of the wrong type is caught.
    let mut broken = metrics.clone();
    broken["totals"]["accounts"] = Value::from("many");
    let validator = jsonschema::validator_for(&metrics_schema).expect("schema");
    assert!(!validator.is_valid(&broken));
}
