//! A user's configuration holds only what it changes and is merged over the
//! built-in one; mistakes keep their line and column.

use govwx::config::{effective, Settings, DEFAULT_CONFIG};

fn settings(text: &str) -> Settings {
    let merged = effective(text, "user.toml").expect("merges");
    Settings::parse(&merged, "user.toml").expect("compiles")
}

fn slugs(settings: &Settings) -> Vec<&str> {
    settings.domains.iter().map(|d| d.slug.as_str()).collect()
}

#[test]
fn a_partial_file_changes_only_what_it_names() {
    let builtin = Settings::builtin();
    let changed = settings("[matrix]\nmin_accounts = 5\n");
    assert_eq!(changed.matrix.min_accounts, 5);
    assert_eq!(changed.matrix.count_split, builtin.matrix.count_split);
    assert_eq!(slugs(&changed), slugs(&builtin));
    assert_eq!(changed.gates, builtin.gates);
    assert_eq!(changed.limits, builtin.limits);
    assert_eq!(changed.default_period, builtin.default_period);
    // An empty file is the built-in configuration.
    assert_eq!(slugs(&settings("")), slugs(&builtin));
    // So is the built-in file itself, given as a user's.
    assert_eq!(slugs(&settings(DEFAULT_CONFIG)), slugs(&builtin));
}

#[test]
fn rule_lists_replace_or_extend_as_the_key_says() {
    let builtin = Settings::builtin();
    let extended = settings(
        "domains_extend = [{ slug = \"seismic\", label = \"地震\", keywords = [\"地震\"] }]\n\
         [levels]\ncentral_extend = [\"最高人民法院\"]\n",
    );
    let mut expected = slugs(&builtin);
    let other = expected.iter().position(|s| *s == "other").expect("other");
    expected.insert(other, "seismic");
    assert_eq!(slugs(&extended), expected, "added before `other`");
    assert_eq!(
        extended.central_keywords.len(),
        builtin.central_keywords.len() + 1
    );
    let replaced = settings(
        "[[domains]]\nslug = \"police\"\nlabel = \"公安\"\nkeywords = [\"公安\"]\n\
         [[domains]]\nslug = \"other\"\nlabel = \"其他\"\nkeywords = []\n",
    );
    assert_eq!(slugs(&replaced), ["police", "other"]);
    // `[gates]` replaces the built-in gates whole: a gate left out is off.
    let gates = settings("[gates.accounts]\nmin = 100\non_hit = \"publish\"\n");
    assert!(gates.gates.rejected_share.is_none() && gates.gates.change.is_none());
    assert!(gates.gates.accounts.is_some());
}

#[test]
fn mistakes_are_reported_where_they_were_written() {
    let error = effective(
        "default_period = \"x\"\n[matrix]\nmin_acounts = 5\n",
        "user.toml",
    )
    .expect_err("an unknown key");
    let text = format!("{error:#}");
    assert!(text.contains("user.toml"), "{text}");
    assert!(text.contains("line 3, column 1"), "{text}");
    assert!(text.contains("min_acounts"), "{text}");
    let error = effective("region_scheme = \"five\"\n", "user.toml").expect_err("a bad value");
    assert!(format!("{error:#}").contains("line 1"), "{error:#}");
}
