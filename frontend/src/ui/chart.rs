//! The geometry of the dashboard's charts, apart from any drawing: scales, ticks, bands
//! and arcs. The SVG components in `components::charts` only place what these compute.

/// A linear map from a domain of values to a range of coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Self { domain, range }
    }

    /// The coordinate of `value`; an empty domain maps everything to the range's start.
    pub fn at(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return r0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// "Nice" tick values from 0 up to at least `max`, about `count` of them, spaced by 1, 2
/// or 5 times a power of ten. At least `[0, 1]` for a `max` of 0 or less.
pub fn ticks(max: f64, count: usize) -> Vec<f64> {
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let count = count.max(1);
    let rough = max / count as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| step * i as f64).collect()
}

/// The share axis: 0 %, 25 %, 50 %, 75 %, 100 %.
pub const SHARE_TICKS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// Where the `i`th of `n` equal bands starts within `range`, and how wide its bar is,
/// leaving `padding` (0 to 1) of each band empty between bars.
pub fn band(i: usize, n: usize, range: (f64, f64), padding: f64) -> (f64, f64) {
    let n = n.max(1) as f64;
    let width = (range.1 - range.0) / n;
    let bar = width * (1.0 - padding.clamp(0.0, 0.9));
    let start = range.0 + width * i as f64 + (width - bar) / 2.0;
    (start, bar)
}

/// The x of the `i`th of `n` points spread over `range` (the middle if there is one).
pub fn spread(i: usize, n: usize, range: (f64, f64)) -> f64 {
    if n <= 1 {
        return (range.0 + range.1) / 2.0;
    }
    range.0 + (range.1 - range.0) * i as f64 / (n - 1) as f64
}

/// A line through the values that have one, broken where a value is missing: each run of
/// present values becomes its own `points` string for a `<polyline>`.
pub fn line_runs(values: &[Option<f64>], x: impl Fn(usize) -> f64, y: &Scale) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) if v.is_finite() => current.push(format!("{:.1},{:.1}", x(i), y.at(*v))),
            _ => {
                if !current.is_empty() {
                    runs.push(current.join(" "));
                    current.clear();
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current.join(" "));
    }
    runs
}

/// The path of a ring segment from `from` to `to` (shares of a full turn, clockwise from
/// twelve o'clock), between radii `inner` and `outer` around (`cx`, `cy`).
pub fn ring_segment(cx: f64, cy: f64, outer: f64, inner: f64, from: f64, to: f64) -> String {
    let from = from.clamp(0.0, 1.0);
    // A full turn would start and end at the same point, which draws nothing: stop short.
    let to = to.clamp(from, 0.9999);
    let point = |r: f64, share: f64| {
        let angle = share * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let large = if to - from > 0.5 { 1 } else { 0 };
    let (ax, ay) = point(outer, from);
    let (bx, by) = point(outer, to);
    let (cx2, cy2) = point(inner, to);
    let (dx, dy) = point(inner, from);
    format!(
        "M{ax:.2} {ay:.2}A{outer} {outer} 0 {large} 1 {bx:.2} {by:.2}L{cx2:.2} {cy2:.2}A{inner} {inner} 0 {large} 0 {dx:.2} {dy:.2}Z"
    )
}

/// A share (0 to 1) as a whole percentage: "83%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).round())
}

/// The largest of the values, and at least `floor`.
pub fn max_of(values: impl IntoIterator<Item = f64>, floor: f64) -> f64 {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(floor, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_scale_maps_and_inverts_the_range() {
        let y = Scale::new((0.0, 1.0), (200.0, 20.0));
        assert!(close(y.at(0.0), 200.0));
        assert!(close(y.at(1.0), 20.0));
        assert!(close(y.at(0.5), 110.0));
        assert!(close(Scale::new((3.0, 3.0), (0.0, 10.0)).at(3.0), 0.0));
    }

    #[test]
    fn ticks_are_round_numbers_reaching_the_maximum() {
        assert_eq!(ticks(10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(7.0, 4), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(42.0, 4), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(ticks(0.0, 4), vec![0.0, 1.0]);
        assert_eq!(ticks(1.0, 4).last().copied(), Some(1.0));
        let t = ticks(0.9, 3);
        assert!(t.last().is_some_and(|last| *last >= 0.9));
        assert!(ticks(f64::NAN, 3).len() == 2);
    }

    #[test]
    fn bands_split_the_range_and_centre_their_bars() {
        let (x0, w) = band(0, 4, (0.0, 400.0), 0.5);
        assert!(close(x0, 25.0) && close(w, 50.0));
        let (x3, _) = band(3, 4, (0.0, 400.0), 0.5);
        assert!(close(x3, 325.0));
        assert!(close(spread(0, 1, (0.0, 10.0)), 5.0));
        assert!(close(spread(2, 3, (0.0, 10.0)), 10.0));
    }

    #[test]
    fn lines_break_where_a_week_had_nothing_due() {
        let y = Scale::new((0.0, 1.0), (100.0, 0.0));
        let runs = line_runs(
            &[Some(1.0), Some(0.5), None, Some(0.0)],
            |i| i as f64 * 10.0,
            &y,
        );
        assert_eq!(runs, vec!["0.0,0.0 10.0,50.0", "30.0,100.0"]);
        assert!(line_runs(&[None, None], |i| i as f64, &y).is_empty());
    }

    #[test]
    fn ring_segments_take_the_long_way_past_half() {
        let half = ring_segment(50.0, 50.0, 40.0, 30.0, 0.0, 0.25);
        assert!(
            half.starts_with("M50.00 10.00A40 40 0 0 1 90.00 50.00"),
            "{half}"
        );
        let most = ring_segment(50.0, 50.0, 40.0, 30.0, 0.0, 0.75);
        assert!(most.contains("A40 40 0 1 1"), "{most}");
        // A full ring stops just short of where it started, so it still draws.
        assert!(ring_segment(50.0, 50.0, 40.0, 30.0, 0.0, 1.0).contains(" 0 1 1 "));
    }

    #[test]
    fn percentages_round() {
        assert_eq!(percent(0.834), "83%");
        assert_eq!(percent(1.0), "100%");
        assert!(close(max_of([0.2, f64::NAN, 3.0], 1.0), 3.0));
    }
}
