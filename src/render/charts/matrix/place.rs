//! Where the maturity matrix writes each domain's name.
//!
//! Each name goes beside its dot (right, left, above, below, then the
//! diagonals) where its box overlaps no other name, no dot, no leader line
//! and no fixed text, stays inside the plot and is nearer its own dot than
//! any other; failing that, further out on rings around the dot, joined to
//! it by a thin leader line that crosses no other dot and no name
//! (`place_labels`). Nothing is random, so the same figures give the same
//! chart.

/// Radius of a dot.
pub(crate) const DOT: f64 = 5.0;

/// An axis-aligned box in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
}

impl Rect {
    pub(crate) fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }

    /// The box of a dot at `p`.
    pub(crate) fn of_dot(p: (f64, f64)) -> Rect {
        Rect::new(p.0 - DOT, p.1 - DOT, 2.0 * DOT, 2.0 * DOT)
    }

    /// The box grown by `d` on every side.
    fn grown(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    pub(crate) fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    fn within(&self, bounds: &Rect) -> bool {
        self.x0 >= bounds.x0 && self.x1 <= bounds.x1 && self.y0 >= bounds.y0 && self.y1 <= bounds.y1
    }

    /// The point of the box nearest `p`.
    pub(crate) fn nearest(&self, p: (f64, f64)) -> (f64, f64) {
        (p.0.clamp(self.x0, self.x1), p.1.clamp(self.y0, self.y1))
    }

    /// Distance from `p` to the box (0 inside).
    pub(crate) fn distance(&self, p: (f64, f64)) -> f64 {
        let q = self.nearest(p);
        (q.0 - p.0).hypot(q.1 - p.1)
    }

    /// Whether the segment `a`–`b` passes through the box's inside.
    pub(crate) fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // Liang–Barsky: clip the segment's parameter range to the box.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut range = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    range.0 = range.0.max(r);
                } else {
                    range.1 = range.1.min(r);
                }
            }
        }
        range.1 - range.0 > 1e-9
    }
}

/// A name as placed: its box and, when it stands away from its dot, the
/// leader line from the dot's edge to the box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub(crate) rect: Rect,
    pub(crate) leader: Option<((f64, f64), (f64, f64))>,
}

/// Where a box of `w` × `h` goes when it stands `d` from `p` in the
/// direction `(dx, dy)` (screen coordinates, y down): beside, above, below
/// or diagonally off the point.
fn beside(p: (f64, f64), (dx, dy): (f64, f64), d: f64, (w, h): (f64, f64)) -> Rect {
    let (ax, ay) = (p.0 + dx * d, p.1 + dy * d);
    let x = if dx > 0.3 {
        ax
    } else if dx < -0.3 {
        ax - w
    } else {
        ax - w / 2.0
    };
    let y = if dy > 0.3 {
        ay
    } else if dy < -0.3 {
        ay - h
    } else {
        ay - h / 2.0
    };
    Rect::new(x, y, w, h)
}

/// The gap between a dot's edge and a name beside it.
const GAP: f64 = 3.0;
/// The step between rings of positions further out, and their number.
const RING: f64 = 12.0;
const RINGS: u32 = 20;
/// Steps of the annealing at most, and passes of the settling after it.
const STEPS: u32 = 40_000;
const SETTLE: usize = 8;

/// Places names of sizes `sizes` (width, height) beside the dots `dots`:
/// see the module's comment. `fixed` are boxes of other text to keep clear
/// of, `bounds` the plot.
///
/// Each name has its positions that break no rule on their own (inside
/// the plot, off every dot and fixed text; beside its dot only where it is
/// nearer its own dot than any other, elsewhere with a leader that crosses
/// no other dot), best first. The names take, top to bottom, the best
/// position that clashes with no name placed before; when some must clash,
/// simulated annealing moves them about (with a fixed seed, so the same
/// figures give the same chart) and the arrangement with the fewest and
/// slightest clashes wins.
pub(crate) fn place_labels(
    dots: &[(f64, f64)],
    sizes: &[(f64, f64)],
    fixed: &[Rect],
    bounds: Rect,
) -> Vec<Placed> {
    let n = dots.len().min(sizes.len());
    let options: Vec<Vec<Placed>> = (0..n)
        .map(|i| positions(i, dots, sizes[i], fixed, bounds))
        .collect();
    // Of name i at option k, against every other name where it is.
    let cost_of = |chosen: &[usize], i: usize, k: usize| -> f64 {
        let Some(option) = options[i].get(k) else {
            return 0.0;
        };
        let clashes: f64 = (0..n)
            .filter(|&j| j != i)
            .filter_map(|j| options[j].get(chosen[j]))
            .map(|other| clash(option, other))
            .sum();
        clashes + rank_cost(k)
    };
    // Top to bottom, each at its best position clear of those before it.
    let mut chosen: Vec<usize> = vec![usize::MAX; n];
    for i in 0..n {
        let best = (0..options[i].len()).min_by(|&a, &b| {
            cost_of(&chosen, i, a)
                .total_cmp(&cost_of(&chosen, i, b))
                .then(a.cmp(&b))
        });
        chosen[i] = best.unwrap_or(0);
    }
    let clashing = |chosen: &[usize]| (0..n).any(|i| cost_of(chosen, i, chosen[i]) >= 0.005);
    if clashing(&chosen) {
        chosen = anneal(&options, chosen, &cost_of);
        // Annealing stops at the first arrangement without clashes; each
        // name then moves, while any can, to the best position that adds
        // no clash (nearer its dot, or beside it).
        for _ in 0..SETTLE {
            let mut moved = false;
            for i in 0..n {
                let now = cost_of(&chosen, i, chosen[i]);
                let best = (0..options[i].len())
                    .map(|k| (cost_of(&chosen, i, k), k))
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                if let Some((cost, k)) = best {
                    if cost < now - 1e-12 {
                        chosen[i] = k;
                        moved = true;
                    }
                }
            }
            if !moved {
                break;
            }
        }
    }
    (0..n)
        .map(|i| {
            options[i].get(chosen[i]).cloned().unwrap_or_else(|| {
                // No position at all (a dot at the plot's edge, a name wider
                // than the plot): to the right of the dot, inside the plot.
                let rect = beside(dots[i], (1.0, 0.0), DOT + GAP, sizes[i]);
                let dx = (bounds.x1 - rect.x1).min(0.0);
                Placed {
                    rect: Rect::new(rect.x0 + dx, rect.y0, sizes[i].0, sizes[i].1),
                    leader: None,
                }
            })
        })
        .collect()
}

/// What an option's place in the order of preference costs: far less than
/// any clash.
fn rank_cost(k: usize) -> f64 {
    k as f64 * 1e-6
}

/// Simulated annealing over the names' options from `start`: a step moves
/// one name to another of its options, kept when the clashes get fewer or,
/// less often as the temperature falls, when they do not. Returns the best
/// arrangement seen.
fn anneal(
    options: &[Vec<Placed>],
    start: Vec<usize>,
    cost_of: &dyn Fn(&[usize], usize, usize) -> f64,
) -> Vec<usize> {
    let n = options.len();
    let total = |chosen: &[usize]| -> f64 { (0..n).map(|i| cost_of(chosen, i, chosen[i])).sum() };
    let mut chosen = start;
    let ranks = |chosen: &[usize]| -> f64 { chosen.iter().map(|&k| rank_cost(k)).sum() };
    let mut energy = total(&chosen);
    let (mut best, mut best_energy) = (chosen.clone(), energy);
    // xorshift64 with a fixed seed: deterministic.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below.max(1) as u64) as usize
    };
    let movable: Vec<usize> = (0..n).filter(|&i| options[i].len() > 1).collect();
    if movable.is_empty() {
        return best;
    }
    for step in 0..STEPS {
        let temperature = 0.5 * (1.0 - f64::from(step) / f64::from(STEPS)).powi(3) + 1e-4;
        let i = movable[next(movable.len())];
        // Options near the best are tried more often than far ones.
        let reach = next(options[i].len());
        let k = next(reach + 1);
        if k == chosen[i] {
            continue;
        }
        let before = cost_of(&chosen, i, chosen[i]);
        let old = chosen[i];
        chosen[i] = k;
        let after = cost_of(&chosen, i, k);
        // A clash counts for both names; the rank for one.
        let delta = 2.0 * (after - before) - (rank_cost(k) - rank_cost(old));
        let chance = next(1 << 20) as f64 / f64::from(1 << 20);
        let accept = delta <= 0.0 || chance < (-delta / temperature).exp();
        if accept {
            energy += delta;
            if energy < best_energy - 1e-12 {
                best_energy = energy;
                best.clone_from(&chosen);
                // Clashes counted twice, ranks once: none left.
                if best_energy - ranks(&best) < 0.005 {
                    break;
                }
            }
        } else {
            chosen[i] = old;
        }
    }
    best
}

/// How badly two placed names clash: 1 for boxes that overlap or a leader
/// through the other's box, a little for leaders that cross.
fn clash(a: &Placed, b: &Placed) -> f64 {
    let (pa, pb) = (a.rect.grown(1.0), b.rect.grown(1.0));
    let through =
        |l: Option<((f64, f64), (f64, f64))>, r: &Rect| l.is_some_and(|(s, e)| r.crossed_by(s, e));
    let mut cost = 0.0;
    if pa.overlaps(&b.rect) {
        cost += 1.0;
    }
    if through(a.leader, &pb) || through(b.leader, &pa) {
        cost += 1.0;
    }
    if let (Some(x), Some(y)) = (a.leader, b.leader) {
        if segments_cross(x, y) {
            cost += 0.01;
        }
    }
    cost
}

/// The positions of name `i` (of `size`) that break no rule on their own,
/// best first: beside the dot (right, left, above, below, the diagonals),
/// then on rings further out, nearest first, away from the other dots
/// first.
fn positions(
    i: usize,
    dots: &[(f64, f64)],
    size: (f64, f64),
    fixed: &[Rect],
    bounds: Rect,
) -> Vec<Placed> {
    let p = dots[i];
    let free = |rect: &Rect| {
        let pad = rect.grown(1.0);
        rect.within(&bounds)
            && !fixed.iter().any(|f| f.overlaps(&pad))
            && !dots.iter().any(|&d| Rect::of_dot(d).overlaps(&pad))
    };
    let diagonal = std::f64::consts::FRAC_1_SQRT_2;
    let near = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (diagonal, -diagonal),
        (-diagonal, -diagonal),
        (diagonal, diagonal),
        (-diagonal, diagonal),
    ];
    let mut out: Vec<Placed> = near
        .iter()
        .map(|&dir| beside(p, dir, DOT + GAP, size))
        .filter(|rect| free(rect) && nearest_to_own(rect, i, dots))
        .map(|rect| Placed { rect, leader: None })
        .collect();
    // Thirty-two directions, those pointing away from the crowd first, so
    // that leaders fan out rather than cross.
    let away = away_from_crowd(i, dots);
    let mut directions: Vec<(f64, f64)> = (0..32)
        .map(|k| {
            let a = f64::from(k) * std::f64::consts::PI / 16.0;
            (a.cos(), a.sin())
        })
        .collect();
    let towards = |d: &(f64, f64)| d.0 * away.0 + d.1 * away.1;
    directions.sort_by(|a, b| towards(b).total_cmp(&towards(a)));
    for ring in 1..=RINGS {
        let d = DOT + GAP + RING * f64::from(ring);
        for &dir in &directions {
            let rect = beside(p, dir, d, size);
            let Some(leader) = leader(p, &rect) else {
                continue;
            };
            let crosses = dots
                .iter()
                .enumerate()
                .any(|(j, &q)| j != i && Rect::of_dot(q).crossed_by(leader.0, leader.1))
                || fixed.iter().any(|f| f.crossed_by(leader.0, leader.1));
            if free(&rect) && !crosses {
                out.push(Placed {
                    rect,
                    leader: Some(leader),
                });
            }
        }
    }
    out
}

/// The unit vector pointing from the dots near dot `i` towards it (each
/// pushing harder the nearer it is); to the right when none is near.
fn away_from_crowd(i: usize, dots: &[(f64, f64)]) -> (f64, f64) {
    let p = dots[i];
    let (mut x, mut y) = (0.0, 0.0);
    for (j, q) in dots.iter().enumerate() {
        let (dx, dy) = (p.0 - q.0, p.1 - q.1);
        let d2 = dx * dx + dy * dy;
        if j != i && d2 > 1e-9 && d2 < 100.0 * 100.0 {
            x += dx / d2;
            y += dy / d2;
        }
    }
    let len = x.hypot(y);
    if len > 1e-12 {
        (x / len, y / len)
    } else {
        (1.0, 0.0)
    }
}

/// The leader line from the edge of the dot at `p` to the nearest point of
/// `rect`; none when the box touches the dot.
fn leader(p: (f64, f64), rect: &Rect) -> Option<((f64, f64), (f64, f64))> {
    let end = rect.nearest(p);
    let len = (end.0 - p.0).hypot(end.1 - p.1);
    if len <= DOT {
        return None;
    }
    let start = (
        p.0 + (end.0 - p.0) * DOT / len,
        p.1 + (end.1 - p.1) * DOT / len,
    );
    Some((start, end))
}

/// Whether `rect` is nearer dot `i` than any other dot, by a clear margin.
pub(crate) fn nearest_to_own(rect: &Rect, i: usize, dots: &[(f64, f64)]) -> bool {
    let own = rect.distance(dots[i]);
    dots.iter()
        .enumerate()
        .all(|(j, &q)| j == i || rect.distance(q) > own + 1.0)
}

/// Whether two segments cross (touching ends aside).
fn segments_cross(a: ((f64, f64), (f64, f64)), b: ((f64, f64), (f64, f64))) -> bool {
    let turn = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (turn(b.0, b.1, a.0), turn(b.0, b.1, a.1));
    let (d3, d4) = (turn(a.0, a.1, b.0), turn(a.0, a.1, b.1));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}
