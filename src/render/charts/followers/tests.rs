//! The follower histogram: its marker lines cross no text, its names and
//! ticks stay apart and inside the chart, whatever the figures.

use super::*;
use crate::metrics::FollowerBin;
use crate::render::tests::sample_metrics;

/// Figures whose followers have these statistics, the histogram reaching
/// the bin of `largest`.
fn figures(median: f64, mean: f64, p90: u64, largest: u64) -> Metrics {
    let mut m = sample_metrics();
    let mut bins = vec![FollowerBin {
        from: 0,
        to: Some(1),
        accounts: 40,
    }];
    let mut from = 1_u64;
    loop {
        let to = from.checked_mul(10).filter(|&to| to <= largest);
        bins.push(FollowerBin {
            from,
            to,
            accounts: 100 + (from % 7) * 900,
        });
        match to {
            Some(to) => from = to,
            None => break,
        }
    }
    m.followers.median = Some(median);
    m.followers.mean = Some(mean);
    m.followers.p90 = Some(p90);
    m.followers.histogram = bins;
    m
}

/// A line of `svg` drawn in ink 1.6 wide (a marker): x, top and bottom.
fn markers(svg: &str) -> Vec<(f64, f64, f64)> {
    svg.lines()
        .filter(|l| l.starts_with("<line") && l.contains(r#"stroke-width="1.6""#))
        .map(|l| {
            let number = |name: &str| -> f64 {
                let start = l.find(&format!(" {name}=\"")).expect("an attribute") + name.len() + 3;
                l[start..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .expect("a number")
            };
            (
                number("x1"),
                number("y1").min(number("y2")),
                number("y1").max(number("y2")),
            )
        })
        .collect()
}

#[test]
fn markers_cross_no_text_and_names_stay_apart() {
    let cases = [
        ("sample", figures(8_000.0, 36_412.0, 90_000, 2_000_000)),
        ("all equal", figures(5_000.0, 5_000.0, 5_000, 9_000)),
        ("mean below the median", figures(120.0, 60.0, 300, 900)),
        ("all zero", figures(0.0, 0.0, 0, 0)),
        ("far apart", figures(1.0, 1.0e12, u64::MAX, u64::MAX)),
        (
            "at the right edge",
            figures(90_000.0, 95_000.0, 99_000, 99_999),
        ),
        ("at the left edge", figures(0.0, 1.0, 2, 50)),
        (
            "close together",
            figures(10_970.0, 36_500.0, 79_332, 3_000_000),
        ),
        (
            "mean beyond the 90th",
            figures(500.0, 80_000.0, 2_000, 9_000_000),
        ),
    ];
    for (what, m) in &cases {
        for ed in [Edition::Chinese, Edition::English] {
            let svg = followers(m, ed);
            let texts = crate::render::charts::tests::all_texts(&svg);
            let lines = markers(&svg);
            assert_eq!(lines.len(), 3, "{what} {ed:?}: {svg}");
            for text in &texts {
                let (x0, y0, x1, y1) = text.extent();
                assert!(
                    x0 >= -0.5 && x1 <= FOLLOWERS_WIDTH + 0.5,
                    "{what} {ed:?}: {:?} leaves the chart",
                    text.text
                );
                for &(x, top, bottom) in &lines {
                    assert!(
                        x < x0 - 0.5 || x > x1 + 0.5 || bottom < y0 || top > y1,
                        "{what} {ed:?}: the marker at {x:.1} crosses {:?}",
                        text.text
                    );
                }
            }
            for (i, a) in texts.iter().enumerate() {
                for b in &texts[i + 1..] {
                    let (a0, b0) = (a.extent(), b.extent());
                    assert!(
                        a0.2 <= b0.0 || b0.2 <= a0.0 || a0.3 <= b0.1 || b0.3 <= a0.1,
                        "{what} {ed:?}: {:?} and {:?} overlap",
                        a.text,
                        b.text
                    );
                }
            }
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{what}: {svg}"
            );
        }
    }
}

#[test]
fn the_axes_say_their_scale_and_mark_each_power_of_ten() {
    let m = figures(8_000.0, 36_412.0, 90_000, 2_000_000);
    let zh = followers(&m, Edition::Chinese);
    assert!(zh.contains(">粉丝数（对数刻度，每格为十倍）<"), "{zh}");
    assert!(zh.contains(">账号数</text>"), "{zh}");
    for tick in [
        ">0<", ">1<", ">10<", ">100<", ">1,000<", ">1万<", ">10万<", ">100万<",
    ] {
        assert!(zh.contains(tick), "{tick}: {zh}");
    }
    let en = followers(&m, Edition::English);
    for tick in [">10k<", ">100k<", ">1M<"] {
        assert!(en.contains(tick), "{tick}: {en}");
    }
    assert_eq!(power_of_ten(8, Edition::Chinese), "1亿");
    assert_eq!(power_of_ten(19, Edition::English), "10,000,000,000B");
}
