//! The traditional forms of characters that names are sometimes typed in
//! (衛 for 卫). The table is the product's reference data
//! (`govwx::text::script::TRADITIONAL`), shared rather than copied; the
//! generator reads it on its own, with none of the product's name code.

use std::collections::HashMap;
use std::sync::OnceLock;

use govwx::text::script::TRADITIONAL;

fn table() -> &'static (HashMap<char, char>, HashMap<char, char>) {
    static TABLE: OnceLock<(HashMap<char, char>, HashMap<char, char>)> = OnceLock::new();
    TABLE.get_or_init(|| {
        let to_simplified = TRADITIONAL.iter().copied().collect();
        let to_traditional = TRADITIONAL.iter().map(|&(t, s)| (s, t)).collect();
        (to_simplified, to_traditional)
    })
}

/// The simplified form of a traditional character; others as they are.
pub(crate) fn simplified(c: char) -> char {
    table().0.get(&c).copied().unwrap_or(c)
}

/// The name in traditional characters, where the table knows them.
pub(crate) fn traditional(name: &str) -> String {
    name.chars()
        .map(|c| table().1.get(&c).copied().unwrap_or(c))
        .collect()
}
