//! The matrix's names: clear of each other and of every dot, each beside
//! its own dot or joined to it, on the bundled sample's figures and on a
//! crowd of close ones; and axes with ticks and their scales.

use super::place::{Rect, DOT};
use super::*;
use crate::render::tests::sample_metrics;

/// (slug, label, English label, accounts, activity, quadrant).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    u64,
    f64,
    Option<Quadrant>,
);
/// A `Row` with names of any length.
type OwnedRow = (String, String, String, u64, f64, Option<Quadrant>);

/// The domains of the bundled sample (`input/`) and their figures.
const SAMPLE: [Row; 20] = {
    use Quadrant::{Active as A, Potential as P, ToPromote as T, Undeveloped as U};
    [
        ("police", "公安", "Police", 7860, 1.481, Some(A)),
        ("health", "医疗卫生", "Health", 7164, 1.209, Some(A)),
        (
            "publicity",
            "党政机关",
            "Party and government",
            4700,
            1.630,
            Some(A),
        ),
        (
            "youth_league",
            "共青团",
            "Youth League",
            2300,
            0.394,
            Some(T),
        ),
        (
            "hr_social",
            "人社",
            "Human resources and social security",
            2200,
            0.343,
            Some(T),
        ),
        (
            "family_planning",
            "计划生育",
            "Family planning",
            1900,
            0.627,
            Some(T),
        ),
        ("court", "法院", "Courts", 1700, 0.849, Some(A)),
        (
            "procuratorate",
            "检察",
            "Procuratorate",
            1650,
            0.586,
            Some(T),
        ),
        (
            "civil_affairs",
            "民政",
            "Civil affairs",
            1600,
            0.8145,
            Some(A),
        ),
        ("justice", "司法", "Justice", 1550, 0.528, Some(T)),
        ("transport", "交通", "Transport", 1500, 1.498, Some(P)),
        ("education", "教育", "Education", 1400, 1.264, Some(P)),
        ("culture", "文化广电", "Culture", 1300, 1.108, Some(P)),
        ("tourism", "旅游", "Tourism", 1100, 1.372, Some(P)),
        ("environment", "环保", "Environment", 900, 0.569, Some(U)),
        ("weather", "气象", "Weather", 640, 0.908, Some(P)),
        (
            "housing_fund",
            "公积金",
            "Housing fund",
            380,
            0.305,
            Some(U),
        ),
        (
            "food_drug",
            "食品药品",
            "Food and drugs",
            320,
            0.242,
            Some(U),
        ),
        ("tax", "税务", "Taxation", 260, 0.283, Some(U)),
        ("other", "其他", "Other", 500, 0.493, None),
    ]
};

/// Figures with `rows` as their domains, all but "other" in the matrix.
fn figures(rows: &[OwnedRow], splits: (f64, f64)) -> Metrics {
    let mut m = sample_metrics();
    m.domains = rows
        .iter()
        .enumerate()
        .map(
            |(i, (slug, label, label_en, accounts, activity, quadrant))| DomainRow {
                domain: slug.clone(),
                label: label.clone(),
                label_en: label_en.clone(),
                accounts: *accounts,
                share: 0.01,
                rank: i as u32 + 1,
                activity: Some(*activity),
                quadrant: *quadrant,
            },
        )
        .collect();
    m.matrix = Some(Matrix {
        min_accounts: 10,
        count_split: splits.0,
        activity_split: splits.1,
        domains: rows
            .iter()
            .filter(|r| r.5.is_some())
            .map(|r| r.0.clone())
            .collect(),
    });
    m
}

fn sample() -> Metrics {
    let rows: Vec<_> = SAMPLE
        .iter()
        .map(|&(s, l, e, a, v, q)| (s.to_string(), l.to_string(), e.to_string(), a, v, q))
        .collect();
    figures(&rows, (1550.0, 0.8145))
}

/// Twenty domains bunched together: counts within 60% of each other and
/// activity within a narrow band, under the sample's names.
fn crowd() -> Metrics {
    let names = SAMPLE[..19]
        .iter()
        .map(|row| (row.1, row.2))
        .chain([("国土资源", "Land and resources")]);
    let rows: Vec<_> = names
        .enumerate()
        .map(|(i, (name, name_en))| {
            let i = i as u64;
            // Scattered over a small patch by a fixed scramble.
            let scramble = |k: u64| (k * k * 7 + k * 13 + 5) % 97;
            let accounts = 1000 + 6 * scramble(i);
            let activity = 0.6 + scramble(i + 40) as f64 / 480.0;
            let quadrant = match (accounts >= 1200, activity >= 0.7) {
                (true, true) => Quadrant::Active,
                (false, true) => Quadrant::Potential,
                (true, false) => Quadrant::ToPromote,
                (false, false) => Quadrant::Undeveloped,
            };
            (
                format!("d{i:02}"),
                name.to_string(),
                name_en.to_string(),
                accounts,
                activity,
                Some(quadrant),
            )
        })
        .collect();
    figures(&rows, (1200.0, 0.7))
}

/// Every rule the names keep, checked on the layout as drawn.
fn check(layout: &Layout, what: &str) {
    let dots = &layout.dots;
    assert_eq!(dots.len(), layout.names.len(), "{what}");
    for (i, (lines, placed)) in layout.names.iter().enumerate() {
        let r = placed.rect;
        let who = format!("{what}: {lines:?}");
        assert!(
            r.x0 >= layout.bounds.x0 - 1e-6
                && r.x1 <= layout.bounds.x1 + 1e-6
                && r.y0 >= layout.bounds.y0 - 1e-6
                && r.y1 <= layout.bounds.y1 + 1e-6,
            "{who} leaves the plot: {r:?}"
        );
        for (j, (other, o)) in layout.names.iter().enumerate() {
            assert!(
                i == j || !r.overlaps(&o.rect),
                "{who} overlaps {other:?}: {r:?} {:?}",
                o.rect
            );
        }
        for (j, &d) in dots.iter().enumerate() {
            assert!(
                !r.overlaps(&Rect::of_dot(d)),
                "{who} covers the dot of {:?}",
                layout.names[j].0
            );
        }
        for f in &layout.fixed {
            assert!(!r.overlaps(f), "{who} covers fixed text at {f:?}");
        }
        match placed.leader {
            None => {
                let own = r.distance(dots[i]);
                for (j, &d) in dots.iter().enumerate() {
                    assert!(
                        i == j || r.distance(d) > own,
                        "{who} is as near the dot of {:?} as its own",
                        layout.names[j].0
                    );
                }
            }
            Some((a, b)) => {
                let from_dot = (a.0 - dots[i].0).hypot(a.1 - dots[i].1);
                assert!(
                    (from_dot - DOT).abs() < 0.01,
                    "{who}: leader starts off its dot"
                );
                assert!(r.distance(b) < 0.01, "{who}: leader ends off its name");
                for (j, &d) in dots.iter().enumerate() {
                    assert!(
                        i == j || !Rect::of_dot(d).crossed_by(a, b),
                        "{who}: leader crosses the dot of {:?}",
                        layout.names[j].0
                    );
                }
                for (j, (_, o)) in layout.names.iter().enumerate() {
                    assert!(
                        i == j || !o.rect.crossed_by(a, b),
                        "{who}: leader crosses {:?}",
                        layout.names[j].0
                    );
                }
            }
        }
    }
}

#[test]
fn names_sit_clear_and_beside_their_own_dots() {
    for (what, m) in [("sample", sample()), ("crowd", crowd())] {
        for ed in [Edition::Chinese, Edition::English] {
            let figures = ed.figures(&m);
            let layout = layout(&figures, ed).expect("a matrix");
            let placed = figures.matrix.as_ref().map_or(0, |x| x.domains.len());
            assert_eq!(layout.dots.len(), placed, "{what}");
            check(&layout, &format!("{what} {ed:?}"));
        }
    }
}

#[test]
fn the_crowd_needs_leader_lines_and_gets_them() {
    let layout = layout(&crowd(), Edition::Chinese).expect("a matrix");
    assert!(
        layout.names.iter().any(|(_, p)| p.leader.is_some()),
        "{layout:?}"
    );
    let svg = matrix(&crowd(), Edition::Chinese);
    let leaders = layout
        .names
        .iter()
        .filter(|(_, p)| p.leader.is_some())
        .count();
    assert_eq!(
        svg.matches(&format!(r#"stroke="{MUTED}" stroke-width="0.8""#))
            .count(),
        leaders,
        "one line per leader"
    );
}

#[test]
fn a_name_too_long_for_two_lines_is_cut_short() {
    assert_eq!(name_lines("公安"), ["公安"]);
    assert_eq!(
        name_lines("Party and government"),
        ["Party and", "government"]
    );
    let lines = name_lines("Human resources and social security and more words");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].ends_with('…'), "{lines:?}");
    let huge = "字".repeat(100_000);
    let lines = name_lines(&huge);
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| text_width(l, SIZE) <= LABEL_ROOM));
}

#[test]
fn both_axes_have_ticks_and_say_their_scale() {
    for (ed, log, linear) in [
        (
            Edition::Chinese,
            "账号数量（对数刻度）→",
            "用户活跃度（线性刻度）→",
        ),
        (
            Edition::English,
            "Number of accounts (log scale) →",
            "User activity (linear scale) →",
        ),
    ] {
        let svg = matrix(&ed.figures(&sample()), ed);
        assert!(svg.contains(&format!(">{log}<")), "{svg}");
        assert!(svg.contains(&format!(">{linear}<")), "{svg}");
        for tick in [">1,000<", ">10,000<", ">0.0<", ">0.5<", ">1.0<", ">1.5<"] {
            assert!(svg.contains(tick), "{tick} in {svg}");
        }
        // Labelled and unlabelled marks below the plot, marks left of it.
        let below = format!(r#"y1="{}" "#, n(BOTTOM));
        assert!(svg.matches(&below).count() >= 2 + 8, "{svg}");
    }
}

#[test]
fn odd_figures_still_draw() {
    let mut rows: Vec<_> = SAMPLE
        .iter()
        .map(|&(s, l, e, a, v, q)| (s.to_string(), l.to_string(), e.to_string(), a, v, q))
        .collect();
    rows[0].3 = u64::MAX;
    rows[1].3 = 0;
    rows[2].4 = f64::INFINITY;
    rows[3].4 = f64::NAN;
    rows[4].1 = "<script>".repeat(1_000);
    // Two domains at one point.
    rows[5].3 = rows[6].3;
    rows[5].4 = rows[6].4;
    let svg = matrix(&figures(&rows, (1550.0, 0.8)), Edition::Chinese);
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    assert!(!svg.contains("<script"), "{svg}");
}

#[test]
fn a_hundred_domains_still_draw() {
    let rows: Vec<_> = (0..100_u64)
        .map(|i| {
            (
                format!("d{i:03}"),
                format!("领域{i}"),
                format!("Domain {i}"),
                100 + i * 37 % 900,
                0.2 + (i * 7 % 50) as f64 / 40.0,
                Some(Quadrant::Active),
            )
        })
        .collect();
    let svg = matrix(&figures(&rows, (500.0, 0.8)), Edition::Chinese);
    assert_eq!(svg.matches("<circle").count(), 100);
}
