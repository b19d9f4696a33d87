//! Render: figures in, report files out. (Placeholder API; replaced by the render branch.)
use crate::metrics::Metrics;
use anyhow::Result;

pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
pub struct Templates;
impl Templates {
    pub fn load(_dir: Option<&std::path::Path>) -> Result<Templates> {
        Ok(Templates)
    }
    pub fn fingerprint(&self) -> String {
        String::new()
    }
}
pub fn render_report(metrics: &Metrics, _t: &Templates) -> Result<Vec<OutputFile>> {
    Ok(vec![OutputFile {
        path: "metrics.json".into(),
        bytes: serde_json::to_vec_pretty(metrics)?,
    }])
}
pub enum Cell {
    Text(String),
    Int(u64),
    Float(f64),
    Empty,
}
pub fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(header);
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| match c {
                Cell::Text(t) => t,
                Cell::Int(n) => n.to_string(),
                Cell::Float(f) => f.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        let _ = w.write_record(&cells);
    }
    w.into_inner().unwrap_or_default()
}
