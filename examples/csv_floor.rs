//! The CSV parsing floor for `scripts/bench.sh`: one `csv::ByteRecord`
//! pass over every text file below a folder (gzip looked through), counting
//! rows and summing the bytes of the first column, on one thread. Nothing
//! that reads these files can be much faster, so govwx is measured against it.

use std::io::Read;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: csv_floor DIR")?;
    let (mut rows, mut bytes) = (0u64, 0u64);
    let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| is_table(p))
        .collect();
    files.sort();
    for path in &files {
        let (r, b) = scan(path)?;
        rows += r;
        bytes += b;
    }
    println!(
        "{} files, {rows} rows, {bytes} bytes in first column",
        files.len()
    );
    Ok(())
}

fn is_table(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".csv", ".tsv", ".txt"].iter().any(|e| name.ends_with(e))
}

fn scan(path: &Path) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let file = std::fs::File::open(path)?;
    let input: Box<dyn Read> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(file)
    };
    let delimiter = if name.contains(".tsv") { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0, 0);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        bytes += record.get(0).map_or(0, |f| f.len() as u64);
    }
    Ok((rows, bytes))
}
