//! govwx: raw exports about China's government WeChat accounts in, an annual
//! white paper out.
//!
//! The pipeline, in the order data flows: `ingest` (files → raw records) →
//! `normalize` (raw records → records) → `dedup` (records → accounts) →
//! `metrics` (accounts → figures) → `render` (figures → files) → `publish`
//! (files → `output/`, atomically). `sample` generates the bundled input.

pub mod config;
pub mod fs;
pub mod geo;
pub mod metrics;
pub mod render;
pub mod sample;
