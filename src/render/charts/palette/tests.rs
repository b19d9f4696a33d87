//! The palettes: one meaning per colour, grey only for other, apart under
//! colour-blind vision, readable text.

use super::*;

/// Every colour by meaning.
fn meanings() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("structure", vec![INK, MUTED, GRID, PAPER]),
        ("accounts", [&ACCOUNT_SHADES[..], &[ACCOUNTS_WASH]].concat()),
        ("other", vec![OTHER, OTHER_LIGHT]),
        ("regions", REGIONS.iter().map(|(_, c)| *c).collect()),
        ("quadrants", QUADRANTS.iter().map(|(_, c)| *c).collect()),
        (
            "account types",
            ACCOUNT_TYPES.iter().map(|(_, c)| *c).collect(),
        ),
    ]
}

/// Every colour a chart may draw with.
pub(crate) fn known_colours() -> Vec<&'static str> {
    meanings().into_iter().flat_map(|(_, c)| c).collect()
}

#[test]
fn no_colour_means_two_things() {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for (meaning, colours) in meanings() {
        for colour in colours {
            assert!(rgb(colour).is_some(), "{meaning}: {colour}");
            let colour = colour.to_ascii_lowercase();
            if let Some((_, first)) = seen.iter().find(|(c, _)| *c == colour) {
                panic!("{colour} means both {first} and {meaning}");
            }
            seen.push((colour, meaning));
        }
    }
}

fn is_grey(colour: &str) -> bool {
    let [r, g, b] = rgb(colour).expect("a colour");
    r == g && g == b
}

#[test]
fn other_and_unknown_are_grey_and_nothing_else_is() {
    assert!(is_grey(OTHER) && is_grey(OTHER_LIGHT));
    assert_eq!(quadrant_colour(None), OTHER);
    assert_eq!(account_type_colour("unknown"), OTHER);
    assert_eq!(account_type_colour(""), OTHER);
    for (meaning, colours) in meanings() {
        if meaning == "other" || meaning == "structure" {
            continue;
        }
        for colour in colours {
            let [r, g, b] = rgb(colour).expect("a colour");
            let spread = r.max(g).max(b) - r.min(g).min(b);
            assert!(spread >= 16, "{meaning}: {colour} reads as grey");
        }
    }
    for region in [
        Region::East,
        Region::Central,
        Region::West,
        Region::Northeast,
    ] {
        assert!(!is_grey(region_colour(region)), "{region:?}");
    }
    for &quadrant in Quadrant::ALL.iter() {
        assert!(!is_grey(quadrant_colour(Some(quadrant))), "{quadrant:?}");
    }
}

/// `colour` as seen with a colour vision deficiency (Machado, Oliveira and
/// Fernandes 2009, severity 1), in CIELAB.
fn seen_as(colour: &str, matrix: &[[f64; 3]; 3]) -> [f64; 3] {
    let [r, g, b] = rgb(colour).expect("a colour").map(|c| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    let [r, g, b] = matrix.map(|row| (row[0] * r + row[1] * g + row[2] * b).clamp(0.0, 1.0));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83;
    let f = |t: f64| {
        if t > 0.008_856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

#[test]
fn palettes_stay_apart_for_colour_blind_readers() {
    let visions: [(&str, [[f64; 3]; 3]); 4] = [
        (
            "normal",
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ),
        (
            "protan",
            [
                [0.152_286, 1.052_583, -0.204_868],
                [0.114_503, 0.786_281, 0.099_216],
                [-0.003_882, -0.048_116, 1.051_998],
            ],
        ),
        (
            "deutan",
            [
                [0.367_322, 0.860_646, -0.227_968],
                [0.280_085, 0.672_501, 0.047_413],
                [-0.011_820, 0.042_940, 0.968_881],
            ],
        ),
        (
            "tritan",
            [
                [1.255_528, -0.076_749, -0.178_779],
                [-0.078_411, 0.930_809, 0.147_602],
                [0.004_733, 0.691_367, 0.303_900],
            ],
        ),
    ];
    // Categories a chart sets side by side, with grey where a chart has
    // an "other" beside them (every province has a region).
    let sets: [(&str, Vec<&str>); 5] = [
        ("regions", REGIONS.iter().map(|(_, c)| *c).collect()),
        (
            "quadrants",
            QUADRANTS.iter().map(|(_, c)| *c).chain([OTHER]).collect(),
        ),
        (
            "account types",
            ACCOUNT_TYPES
                .iter()
                .map(|(_, c)| *c)
                .chain([OTHER])
                .collect(),
        ),
        ("shades", ACCOUNT_SHADES.to_vec()),
        ("periods", vec![BASELINE, ACCOUNTS]),
    ];
    for (vision, matrix) in &visions {
        for (name, colours) in &sets {
            for (i, a) in colours.iter().enumerate() {
                for b in &colours[i + 1..] {
                    let (p, q) = (seen_as(a, matrix), seen_as(b, matrix));
                    let distance =
                        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2))
                            .sqrt();
                    assert!(
                        distance >= 12.0,
                        "{name}: {a} and {b} are {distance:.1} apart in {vision} vision"
                    );
                }
            }
        }
    }
}

#[test]
fn text_on_a_shade_is_readable() {
    for shade in ACCOUNT_SHADES.iter().chain([&OTHER_LIGHT, &PAPER]) {
        let ratio = contrast(text_on(shade), shade);
        assert!(ratio >= 4.5, "{shade}: {ratio:.2}");
    }
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert_eq!(contrast("#fff", "#000000"), 1.0, "unparsed");
    assert_eq!(rgb("#12345z"), None);
    assert_eq!(rgb("#ééé"), None);
}
