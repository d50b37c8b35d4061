//! Charts drawn as SVG by Yew: each is a `<figure class="chart">` whose `<svg>` has a
//! `viewBox` and scales to the width it is given, with a `<title>` and a legend.

use yew::prelude::*;

use crate::ui::chart::{self, SHARE_TICKS, Scale};

/// Width of every chart's coordinate system; the height varies with the chart.
const W: f64 = 400.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;

/// One line of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Properties, PartialEq, Debug)]
pub struct LineChartProps {
    /// `id` of the figure; its title's is `…-title`.
    pub id: AttrValue,
    pub title: AttrValue,
    /// Labels along the x axis, one per value.
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// Said when there is nothing to draw.
    pub empty: AttrValue,
}

/// Shares (0 to 1) over time, one line per series, breaks where a value is missing.
#[function_component(LineChart)]
pub fn line_chart(props: &LineChartProps) -> Html {
    let has_data = props
        .series
        .iter()
        .any(|s| s.values.iter().any(Option::is_some));
    let h = 200.0;
    let bottom = h - 26.0;
    let y = Scale::new((0.0, 1.0), (bottom, TOP));
    let n = props.labels.len();
    let x = |i: usize| chart::spread(i, n, (LEFT + 8.0, W - RIGHT - 8.0));
    let title_id = format!("{}-title", props.id);
    // Every label where they fit, every other one where they would crowd.
    let label_every = if n > 8 { 2 } else { 1 };
    let body = if has_data {
        html! {
            <>
                { share_grid(&y) }
                { for props.labels.iter().enumerate().filter(|(i, _)| i % label_every == 0).map(|(i, label)| html! {
                    <text class="axis-label" x={fmt(x(i))} y={fmt(h - 8.0)} text-anchor="middle">{ short_week(label) }</text>
                }) }
                { for props.series.iter().enumerate().map(|(k, s)| {
                    let class = format!("series-{}", k % 8);
                    html! {
                        <g class={classes!("series", class)}>
                            <title>{ s.name.clone() }</title>
                            { for chart::line_runs(&s.values, x, &y).into_iter().map(|points| html! {
                                <polyline class="line" {points} fill="none" />
                            }) }
                            { for s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).map(|(i, v)| html! {
                                <circle class="dot" cx={fmt(x(i))} cy={fmt(y.at(v))} r="3">
                                    <title>{ format!("{} · {} · {}", s.name, props.labels.get(i).cloned().unwrap_or_default(), chart::percent(v)) }</title>
                                </circle>
                            }) }
                        </g>
                    }
                }) }
            </>
        }
    } else {
        empty_text(h, &props.empty)
    };
    html! {
        <figure class="chart chart-line" id={props.id.clone()}>
            <figcaption class="chart-title" id={title_id.clone()}>{ props.title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {h}")} role="img" aria-labelledby={title_id} preserveAspectRatio="xMidYMid meet">
                <title>{ props.title.clone() }</title>
                { body }
            </svg>
            { legend(props.series.iter().map(|s| s.name.as_str())) }
        </figure>
    }
}

/// One bar of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Shown at the end of the bar instead of the value.
    pub note: String,
    /// A class for its colour, e.g. `bar-warn`.
    pub tone: &'static str,
}

#[derive(Properties, PartialEq, Debug)]
pub struct BarChartProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub bars: Vec<Bar>,
    /// `None`: the values are shares (0 to 1); else counts up to at least this.
    #[prop_or_default]
    pub count_floor: Option<f64>,
    pub empty: AttrValue,
}

/// Horizontal bars, one row per label: they read on a phone whatever the label's length.
#[function_component(BarChart)]
pub fn bar_chart(props: &BarChartProps) -> Html {
    let row = 26.0;
    let label_w = 128.0;
    let n = props.bars.len();
    let h = TOP + row * n.max(1) as f64 + 24.0;
    let max = match props.count_floor {
        None => 1.0,
        Some(floor) => {
            let top = chart::max_of(props.bars.iter().map(|b| b.value), floor);
            chart::ticks(top, 4).last().copied().unwrap_or(top)
        }
    };
    let ticks: Vec<f64> = match props.count_floor {
        None => SHARE_TICKS.to_vec(),
        Some(_) => chart::ticks(max, 4),
    };
    let x = Scale::new((0.0, max), (label_w, W - RIGHT - 34.0));
    let axis_y = TOP + row * n as f64;
    let title_id = format!("{}-title", props.id);
    let tick_label = |v: f64| match props.count_floor {
        None => chart::percent(v),
        Some(_) => format!("{v}"),
    };
    let body = if n == 0 {
        empty_text(h, &props.empty)
    } else {
        html! {
            <>
                { for ticks.iter().map(|v| html! {
                    <g class="grid">
                        <line x1={fmt(x.at(*v))} x2={fmt(x.at(*v))} y1={fmt(TOP)} y2={fmt(axis_y)} />
                        <text class="axis-label" x={fmt(x.at(*v))} y={fmt(axis_y + 16.0)} text-anchor="middle">{ tick_label(*v) }</text>
                    </g>
                }) }
                { for props.bars.iter().enumerate().map(|(i, b)| {
                    let (top, height) = chart::band(i, n, (TOP, axis_y), 0.3);
                    let width = (x.at(b.value.clamp(0.0, max)) - label_w).max(0.0);
                    html! {
                        <g class={classes!("bar-row", b.tone)}>
                            <title>{ format!("{} · {}", b.label, b.note) }</title>
                            <text class="bar-label" x={fmt(label_w - 6.0)} y={fmt(top + height / 2.0 + 4.0)} text-anchor="end">{ clip(&b.label, 16) }</text>
                            <rect class="bar" x={fmt(label_w)} y={fmt(top)} width={fmt(width)} height={fmt(height)} rx="2" />
                            <text class="bar-value" x={fmt(label_w + width + 4.0)} y={fmt(top + height / 2.0 + 4.0)}>{ b.note.clone() }</text>
                        </g>
                    }
                }) }
            </>
        }
    };
    html! {
        <figure class="chart chart-bars" id={props.id.clone()}>
            <figcaption class="chart-title" id={title_id.clone()}>{ props.title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {h}")} role="img" aria-labelledby={title_id}>
                <title>{ props.title.clone() }</title>
                { body }
            </svg>
        </figure>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct DonutProps {
    pub id: AttrValue,
    pub title: AttrValue,
    /// Each part's name, count and tone class.
    pub parts: Vec<(String, usize, &'static str)>,
    /// The big number in the middle, e.g. "93%".
    pub centre: AttrValue,
    pub empty: AttrValue,
}

/// A ring cut into parts by count, the headline number in its middle.
#[function_component(Donut)]
pub fn donut(props: &DonutProps) -> Html {
    let total: usize = props.parts.iter().map(|p| p.1).sum();
    let title_id = format!("{}-title", props.id);
    let (cx, cy, outer, inner) = (100.0, 90.0, 78.0, 52.0);
    let mut from = 0.0;
    let segments: Vec<Html> = props
        .parts
        .iter()
        .filter(|p| p.1 > 0)
        .map(|(name, count, tone)| {
            let share = *count as f64 / total.max(1) as f64;
            let path = chart::ring_segment(cx, cy, outer, inner, from, from + share);
            from += share;
            html! {
                <path class={classes!("segment-part", *tone)} d={path}>
                    <title>{ format!("{name}: {count}") }</title>
                </path>
            }
        })
        .collect();
    html! {
        <figure class="chart chart-donut" id={props.id.clone()}>
            <figcaption class="chart-title" id={title_id.clone()}>{ props.title.clone() }</figcaption>
            <div class="donut-row">
                <svg viewBox="0 0 200 180" role="img" aria-labelledby={title_id} class="donut-svg">
                    <title>{ props.title.clone() }</title>
                    if total == 0 {
                        <circle class="ring-empty" cx={fmt(cx)} cy={fmt(cy)} r={fmt((outer + inner) / 2.0)} fill="none" stroke-width={fmt(outer - inner)} />
                        <text class="donut-centre-small" x={fmt(cx)} y={fmt(cy + 5.0)} text-anchor="middle">{ props.empty.clone() }</text>
                    } else {
                        { for segments }
                        <text class="donut-centre" x={fmt(cx)} y={fmt(cy + 9.0)} text-anchor="middle">{ props.centre.clone() }</text>
                    }
                </svg>
                <ul class="legend legend-column">
                    { for props.parts.iter().map(|(name, count, tone)| html! {
                        <li class={classes!("legend-item", *tone)}>
                            <span class="swatch" aria-hidden="true"></span>
                            <span>{ format!("{name}: {count}") }</span>
                        </li>
                    }) }
                </ul>
            </div>
        </figure>
    }
}

/// A KPI measured against its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Bullet {
    pub label: String,
    pub value: f64,
    pub target: f64,
    /// How to print the value and the target.
    pub value_text: String,
    pub target_text: String,
    pub good: bool,
}

#[derive(Properties, PartialEq, Debug)]
pub struct BulletChartProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub bullets: Vec<Bullet>,
    pub empty: AttrValue,
}

/// Bullet charts: each KPI's value as a bar, its target as a tick across it.
#[function_component(BulletChart)]
pub fn bullet_chart(props: &BulletChartProps) -> Html {
    let row = 38.0;
    let n = props.bullets.len();
    let h = TOP + row * n.max(1) as f64 + 4.0;
    let title_id = format!("{}-title", props.id);
    let label_w = 128.0;
    let body = if n == 0 {
        empty_text(h, &props.empty)
    } else {
        html! {
            { for props.bullets.iter().enumerate().map(|(i, b)| {
                let max = chart::max_of([b.value, b.target], f64::MIN_POSITIVE) * 1.15;
                let x = Scale::new((0.0, max), (label_w, W - RIGHT - 60.0));
                let top = TOP + row * i as f64;
                html! {
                    <g class={classes!("bullet", if b.good { "is-good" } else { "is-short" })}>
                        <title>{ format!("{} · {} / {}", b.label, b.value_text, b.target_text) }</title>
                        <text class="bar-label" x={fmt(label_w - 6.0)} y={fmt(top + 15.0)} text-anchor="end">{ clip(&b.label, 16) }</text>
                        <rect class="bullet-range" x={fmt(label_w)} y={fmt(top + 2.0)} width={fmt(x.at(max) - label_w)} height="20" rx="2" />
                        <rect class="bullet-value" x={fmt(label_w)} y={fmt(top + 7.0)} width={fmt((x.at(b.value.max(0.0)) - label_w).max(0.0))} height="10" rx="1" />
                        <line class="bullet-target" x1={fmt(x.at(b.target))} x2={fmt(x.at(b.target))} y1={fmt(top)} y2={fmt(top + 24.0)} />
                        <text class="bar-value" x={fmt(x.at(max) + 6.0)} y={fmt(top + 11.0)}>{ b.value_text.clone() }</text>
                        <text class="axis-label" x={fmt(x.at(max) + 6.0)} y={fmt(top + 24.0)}>{ format!("/ {}", b.target_text) }</text>
                    </g>
                }
            }) }
        }
    };
    html! {
        <figure class="chart chart-bullets" id={props.id.clone()}>
            <figcaption class="chart-title" id={title_id.clone()}>{ props.title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {h}")} role="img" aria-labelledby={title_id}>
                <title>{ props.title.clone() }</title>
                { body }
            </svg>
        </figure>
    }
}

fn share_grid(y: &Scale) -> Html {
    html! {
        { for SHARE_TICKS.iter().map(|v| html! {
            <g class="grid">
                <line x1={fmt(LEFT)} x2={fmt(W - RIGHT)} y1={fmt(y.at(*v))} y2={fmt(y.at(*v))} />
                <text class="axis-label" x={fmt(LEFT - 6.0)} y={fmt(y.at(*v) + 4.0)} text-anchor="end">{ chart::percent(*v) }</text>
            </g>
        }) }
    }
}

fn empty_text(h: f64, text: &str) -> Html {
    html! {
        <text class="chart-empty" x={fmt(W / 2.0)} y={fmt(h / 2.0)} text-anchor="middle">{ text.to_owned() }</text>
    }
}

fn legend<'a>(names: impl Iterator<Item = &'a str>) -> Html {
    html! {
        <ul class="legend">
            { for names.enumerate().map(|(k, name)| html! {
                <li class={classes!("legend-item", format!("series-{}", k % 8))}>
                    <span class="swatch" aria-hidden="true"></span>
                    <span>{ name.to_owned() }</span>
                </li>
            }) }
        </ul>
    }
}

/// `2026-W48` → `W48`: the year is the same for most of the axis.
fn short_week(label: &str) -> String {
    label
        .split_once('-')
        .map_or(label, |(_, week)| week)
        .to_owned()
}

/// How wide a character sets: CJK characters take two columns.
fn columns(ch: char) -> usize {
    if u32::from(ch) >= 0x2E80 { 2 } else { 1 }
}

/// At most `n` columns, with an ellipsis if cut; the full text is in the `<title>`.
fn clip(text: &str, n: usize) -> String {
    if text.chars().map(columns).sum::<usize>() <= n {
        return text.to_owned();
    }
    let mut cut = String::new();
    let mut used = 0;
    for ch in text.chars() {
        if used + columns(ch) > n.saturating_sub(1) {
            break;
        }
        used += columns(ch);
        cut.push(ch);
    }
    cut.push('…');
    cut
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_shorten_for_the_axis() {
        assert_eq!(short_week("2026-W48"), "W48");
        assert_eq!(clip("收银员与理货员", 8), "收银员…");
        assert_eq!(clip("Cash", 4), "Cash");
        assert_eq!(clip("Cashier and stock", 8), "Cashier…");
    }
}
