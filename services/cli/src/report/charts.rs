//! Inline SVG charts: the radar of one pairing's eight criteria, its grade trend over the years, the
//! grade bars of a province and the stacked overview of all provinces. Plain strings with fixed-precision coordinates, so the same
//! input always gives the same bytes; values outside 0..=100 are clamped and a missing number is 0.

use super::escape::{html, score};
use super::labels::{CRITERIA, criterion, grade};
use super::prepare::GradeCounts;

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use w;

/// A coordinate with one decimal, never `-0.0`.
fn c(x: f64) -> String {
    format!("{:.1}", x + 0.0)
}

const RADAR_CX: f64 = 210.0;
const RADAR_CY: f64 = 170.0;
const RADAR_R: f64 = 112.0;

/// The point at `value` (0..=100) on axis `i` of eight, the first pointing up, then clockwise.
fn radar_point(i: usize, value: f64) -> (f64, f64) {
    let angle = std::f64::consts::FRAC_PI_4 * i as f64 - std::f64::consts::FRAC_PI_2;
    let r = RADAR_R * value / 100.0;
    (RADAR_CX + r * angle.cos(), RADAR_CY + r * angle.sin())
}

fn clamp_score(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 100.0) }
}

fn ring(value: f64) -> String {
    (0..8)
        .map(|i| {
            let (x, y) = radar_point(i, value);
            format!("{},{}", c(x), c(y))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The radar of the eight criteria (in [`CRITERIA`] order), gridlines at 20..100, each axis labelled
/// with the criterion's short Chinese name and its score. `label` is the chart's accessible name.
pub(crate) fn radar(scores: &[f64; 8], colour: &str, label: &str) -> String {
    let mut s = String::with_capacity(3000);
    w!(
        s,
        r#"<svg class="radar" viewBox="0 14 420 318" role="img" aria-label="{l}"><title>{l}</title>"#,
        l = html(label)
    );
    s.push_str(r#"<g class="grid">"#);
    for v in [20.0, 40.0, 60.0, 80.0, 100.0] {
        w!(s, r#"<polygon points="{}"/>"#, ring(v));
    }
    for i in 0..8 {
        let (x, y) = radar_point(i, 100.0);
        w!(s, r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#, c(RADAR_CX), c(RADAR_CY), c(x), c(y));
    }
    s.push_str("</g><g class=\"ticks\">");
    for v in [20, 40, 60, 80, 100] {
        let (_, y) = radar_point(0, f64::from(v));
        w!(s, r#"<text x="{}" y="{}">{v}</text>"#, c(RADAR_CX + 3.0), c(y - 2.0));
    }
    s.push_str("</g>");
    let points: Vec<String> = scores
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let (x, y) = radar_point(i, clamp_score(v));
            format!("{},{}", c(x), c(y))
        })
        .collect();
    w!(
        s,
        r#"<polygon class="score" points="{}" fill="{colour}" fill-opacity="0.22" stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>"#,
        points.join(" ")
    );
    for (i, &v) in scores.iter().enumerate() {
        let (x, y) = radar_point(i, clamp_score(v));
        w!(s, r#"<circle cx="{}" cy="{}" r="3" fill="{colour}"/>"#, c(x), c(y));
    }
    s.push_str(r#"<g class="axis-labels">"#);
    for (i, (&criterion_id, &v)) in CRITERIA.iter().zip(scores).enumerate() {
        let (x, y) = radar_point(i, 100.0);
        let (ux, uy) = ((x - RADAR_CX) / RADAR_R, (y - RADAR_CY) / RADAR_R);
        let (lx, ly) = (x + ux * 12.0, y + uy * 12.0);
        let anchor = if ux > 0.3 {
            "start"
        } else if ux < -0.3 {
            "end"
        } else {
            "middle"
        };
        // Two lines, name then score, kept clear of the ring: above it at the top, below it at
        // the bottom, centred on the axis at the sides.
        let first = if uy < -0.3 {
            ly - 16.0
        } else if uy > 0.3 {
            ly + 10.0
        } else {
            ly - 3.0
        };
        w!(
            s,
            r#"<text x="{x}" y="{y1}" text-anchor="{anchor}">{name}<tspan class="v" x="{x}" y="{y2}">{v}</tspan></text>"#,
            x = c(lx),
            y1 = c(first),
            y2 = c(first + 16.0),
            name = criterion(criterion_id).short,
            v = score(v),
        );
    }
    s.push_str("</g></svg>");
    s
}

/// One year of a trend line: the year and, where it was evaluated, the score and the grade's index
/// in [`super::labels::GRADES`].
pub(crate) type TrendPoint = (i32, Option<(f64, usize)>);

/// A small line of the overall score over the years, a dot per year in its grade's colour, the year
/// and the grade written below; a year without an evaluation has no dot and breaks the line.
pub(crate) fn trend(points: &[TrendPoint], label: &str) -> String {
    const STEP: f64 = 78.0;
    const LEFT: f64 = 34.0;
    const TOP: f64 = 8.0;
    const HEIGHT: f64 = 34.0;
    let width = LEFT * 2.0 + STEP * points.len().saturating_sub(1) as f64;
    let at = |i: usize, v: f64| (LEFT + STEP * i as f64, TOP + HEIGHT * (1.0 - clamp_score(v) / 100.0));
    let mut s = String::with_capacity(600 + 300 * points.len());
    w!(
        s,
        r#"<svg class="trend" viewBox="0 0 {} 78" role="img" aria-label="{l}"><title>{l}</title>"#,
        c(width),
        l = html(label)
    );
    // Consecutive evaluated years are joined; a gap breaks the line.
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for (i, (_, p)) in points.iter().enumerate() {
        match p {
            Some((v, _)) => {
                let (x, y) = at(i, *v);
                run.push(format!("{},{}", c(x), c(y)));
            }
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for r in runs.iter().filter(|r| r.len() > 1) {
        w!(s, r##"<polyline points="{}" fill="none" stroke="#6b7785" stroke-width="1.5"/>"##, r.join(" "));
    }
    for (i, (year, p)) in points.iter().enumerate() {
        let x = LEFT + STEP * i as f64;
        match p {
            Some((v, g)) => {
                let (_, y) = at(i, *v);
                let name = grade(*g);
                w!(s, r#"<circle cx="{}" cy="{}" r="4" fill="{}"/>"#, c(x), c(y), name.colour);
                w!(
                    s,
                    r#"<text class="cat" x="{}" y="60" text-anchor="middle">{year}</text><text x="{}" y="74" text-anchor="middle">{} {}</text>"#,
                    c(x),
                    c(x),
                    name.zh,
                    score(*v)
                );
            }
            None => w!(
                s,
                r#"<text class="cat" x="{}" y="60" text-anchor="middle">{year}</text><text x="{}" y="74" text-anchor="middle">—</text>"#,
                c(x),
                c(x)
            ),
        }
    }
    s.push_str("</svg>");
    s
}

/// A "nice" tick step for counts up to `max`: 1, 2, 5, 10, 20, 50, … with at most five steps.
fn tick_step(max: usize) -> usize {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if max <= step * m * 5 {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// Legend entries for the grades in `shown` from (`x`, `y`): in one flowing row, or, with
/// `columns`, on a grid of that many columns `column` wide.
fn legend(s: &mut String, shown: &[usize], x: f64, y: f64, columns: Option<(usize, f64)>) {
    s.push_str(r#"<g class="legend">"#);
    let mut cursor = x;
    for (i, &g) in shown.iter().enumerate() {
        let name = grade(g);
        let (ex, ey) = match columns {
            Some((n, width)) => (x + width * (i % n) as f64, y + 18.0 * (i / n) as f64),
            None => (cursor, y),
        };
        w!(s, r#"<rect x="{}" y="{}" width="11" height="11" rx="2" fill="{}"/>"#, c(ex), c(ey - 10.0), name.colour);
        w!(s, r#"<text x="{}" y="{}">{} {}</text>"#, c(ex + 15.0), c(ey), name.zh, name.en);
        // The entry's width: Chinese at about 12 px a character, English at about 6.5.
        cursor += 15.0 + 12.0 * name.zh.chars().count() as f64 + 6.5 * (name.en.len() as f64 + 1.0) + 14.0;
    }
    s.push_str("</g>");
}

/// Vertical bars, one per grade in `shown`, of a province's counts, with a count above each bar,
/// integer gridlines and a legend.
pub(crate) fn grade_bars(counts: &GradeCounts, shown: &[usize], label: &str) -> String {
    const LEFT: f64 = 28.0;
    const RIGHT: f64 = 252.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 112.0;
    let max = shown.iter().map(|&g| counts[g]).max().unwrap_or(0);
    let step = tick_step(max.max(1));
    let top_value = max.max(1).div_ceil(step) * step;
    let y_of = |v: usize| BOTTOM - (BOTTOM - TOP) * v as f64 / top_value as f64;

    let mut s = String::with_capacity(2000);
    w!(
        s,
        r#"<svg class="bars" viewBox="0 0 260 {h}" role="img" aria-label="{l}"><title>{l}</title>"#,
        h = c(144.0 + 18.0 * shown.len().div_ceil(2) as f64),
        l = html(label)
    );
    s.push_str(r#"<g class="grid">"#);
    for t in (0..=top_value).step_by(step) {
        let y = y_of(t);
        w!(s, r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#, c(LEFT), c(RIGHT), y = c(y));
        w!(s, r#"<text x="{}" y="{}" text-anchor="end">{t}</text>"#, c(LEFT - 6.0), c(y + 4.0));
    }
    s.push_str("</g>");
    let slot = (RIGHT - LEFT) / shown.len().max(1) as f64;
    let bar = (slot * 0.6).min(40.0);
    for (i, &g) in shown.iter().enumerate() {
        let name = grade(g);
        let mid = LEFT + slot * (i as f64 + 0.5);
        let y = y_of(counts[g]);
        if counts[g] > 0 {
            w!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>"#,
                c(mid - bar / 2.0),
                c(y),
                c(bar),
                c(BOTTOM - y),
                name.colour
            );
        }
        w!(s, r#"<text class="count" x="{}" y="{}" text-anchor="middle">{}</text>"#, c(mid), c(y - 5.0), counts[g]);
        w!(s, r#"<text class="cat" x="{}" y="{}" text-anchor="middle">{}</text>"#, c(mid), c(BOTTOM + 16.0), name.zh);
    }
    w!(s, r#"<line class="axis" x1="{}" y1="{b}" x2="{}" y2="{b}"/>"#, c(LEFT), c(RIGHT), b = c(BOTTOM));
    legend(&mut s, shown, 14.0, 154.0, Some((2, 118.0)));
    s.push_str("</svg>");
    s
}

/// One row of the overview: a name and its counts per grade.
pub(crate) struct OverviewRow<'a> {
    pub name: &'a str,
    pub counts: &'a GradeCounts,
}

/// Horizontal stacked bars, one row per province, segments by grade, the total at the end.
pub(crate) fn overview(rows: &[OverviewRow<'_>], shown: &[usize], label: &str) -> String {
    const LEFT: f64 = 116.0;
    const RIGHT: f64 = 540.0;
    const ROW: f64 = 26.0;
    const FIRST: f64 = 40.0;
    let total = |r: &OverviewRow<'_>| shown.iter().map(|&g| r.counts[g]).sum::<usize>();
    let max = rows.iter().map(total).max().unwrap_or(0).max(1);
    let unit = (RIGHT - LEFT - 30.0) / max as f64;
    let height = FIRST + ROW * rows.len() as f64 + 8.0;

    let mut s = String::with_capacity(600 + 400 * rows.len());
    w!(
        s,
        r#"<svg class="overview" viewBox="0 0 560 {h}" role="img" aria-label="{l}"><title>{l}</title>"#,
        h = c(height),
        l = html(label)
    );
    legend(&mut s, shown, LEFT, 18.0, None);
    for (i, r) in rows.iter().enumerate() {
        let y = FIRST + ROW * i as f64;
        w!(
            s,
            r#"<text class="cat" x="{}" y="{}" text-anchor="end">{}</text>"#,
            c(LEFT - 10.0),
            c(y + 13.0),
            html(r.name)
        );
        let mut x = LEFT;
        for &g in shown {
            let n = r.counts[g];
            if n == 0 {
                continue;
            }
            let width = unit * n as f64;
            w!(s, r#"<rect x="{}" y="{}" width="{}" height="18" fill="{}"/>"#, c(x), c(y), c(width), grade(g).colour);
            if width >= 18.0 {
                w!(
                    s,
                    r#"<text class="in" x="{}" y="{}" text-anchor="middle">{n}</text>"#,
                    c(x + width / 2.0),
                    c(y + 13.0)
                );
            }
            x += width;
        }
        w!(s, r#"<text class="count" x="{}" y="{}">{}</text>"#, c(x + 6.0), c(y + 13.0), total(r));
    }
    w!(s, r#"<line class="axis" x1="{l}" y1="{}" x2="{l}" y2="{}"/>"#, c(FIRST - 4.0), c(height - 6.0), l = c(LEFT));
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(points: &str) -> Vec<f64> {
        points.split([' ', ',']).map(|n| n.parse().unwrap()).collect()
    }

    fn score_polygon(svg: &str) -> Vec<f64> {
        let start = svg.find(r#"class="score" points=""#).unwrap() + r#"class="score" points=""#.len();
        numbers(&svg[start..start + svg[start..].find('"').unwrap()])
    }

    #[test]
    fn radar_at_zero_collapses_to_the_centre_and_at_100_meets_the_outer_ring() {
        let zero = score_polygon(&radar(&[0.0; 8], "#000", "t"));
        assert_eq!(zero.len(), 16);
        for pair in zero.chunks(2) {
            assert_eq!(pair, [RADAR_CX, RADAR_CY]);
        }
        let full = radar(&[100.0; 8], "#000", "t");
        assert!(full.contains(&format!(r#"<polygon class="score" points="{}""#, ring(100.0))));
    }

    #[test]
    fn radar_clamps_and_tolerates_nan() {
        let odd = score_polygon(&radar(&[-5.0, 250.0, f64::NAN, 50.0, 50.0, 50.0, 50.0, 50.0], "#000", "t"));
        assert_eq!(&odd[0..2], &[RADAR_CX, RADAR_CY]);
        assert_eq!(&odd[2..4], &numbers(&ring(100.0))[2..4]);
        assert_eq!(&odd[4..6], &[RADAR_CX, RADAR_CY]);
    }

    #[test]
    fn radar_labels_every_axis_in_chinese() {
        let svg = radar(&[10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0], "#000", "t");
        for label in ["边界清晰", "责任清单", "目标精准", "路径多元", "政府职能", "社会自主", "共同体意识", "协同治理"]
        {
            assert!(svg.contains(&format!(">{label}<")), "{label}");
        }
        assert_eq!(svg.matches("<polygon").count(), 6, "five gridlines and the scores");
    }

    #[test]
    fn a_trend_joins_evaluated_years_and_breaks_at_a_gap() {
        let svg = trend(&[(2022, Some((62.0, 2))), (2023, Some((76.1, 1))), (2024, None)], "t");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains(">2024<") && svg.contains(">较好 76.1<") && svg.contains(">—<"));
        let lone = trend(&[(2022, Some((62.0, 2))), (2023, None), (2024, Some((90.0, 0)))], "t");
        assert_eq!(lone.matches("<polyline").count(), 0, "no line across a missing year");
    }

    #[test]
    fn tick_steps_stay_readable() {
        assert_eq!([1, 5, 6, 10, 11, 25, 26, 99, 400].map(tick_step), [1, 1, 2, 2, 5, 5, 10, 20, 100]);
    }

    #[test]
    fn bars_scale_to_the_largest_count() {
        let svg = grade_bars(&[3, 0, 1, 0, 0], &[0, 1, 2, 3], "t");
        assert_eq!(svg.matches("<rect").count(), 2 + 4, "two bars and four legend swatches");
        let empty = grade_bars(&[0; 5], &[0, 1, 2, 3], "t");
        assert_eq!(empty.matches("<rect").count(), 4);
    }

    #[test]
    fn overview_has_a_row_per_province() {
        let counts = [[1, 2, 0, 0, 0], [0, 0, 0, 300, 0]];
        let rows: Vec<_> =
            ["贵州省", "<甘肃>"].iter().zip(&counts).map(|(name, counts)| OverviewRow { name, counts }).collect();
        let svg = overview(&rows, &[0, 1, 2, 3], "t");
        assert!(svg.contains("&lt;甘肃&gt;") && svg.contains(">300<"));
        assert_eq!(svg.matches("<rect").count(), 3 + 4);
    }
}
