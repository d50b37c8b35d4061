use std::rc::Rc;

use crate::dashboard::calls;
use crate::shell::context::{use_app, use_dispatch, use_lang};
use crate::shell::run::Dispatch;
use storeops_api::dashboard::{Dashboard, DepartmentSeries, KpiSummary};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::ui::chart;
use crate::ui::charts::{Bar, BarChart, Bullet, BulletChart, Donut, LineChart, Series};

#[derive(Properties, PartialEq, Debug)]
pub struct DashboardViewProps {
    pub dashboard: Rc<Dashboard>,
}

/// Managers: how the store is doing, in charts; and a report to print, one page per
/// department.
#[function_component(DashboardView)]
pub fn dashboard_view(props: &DashboardViewProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    // The printable report instead of the charts.
    let print_view = use_app().print_view;
    let dash = &props.dashboard;
    if print_view {
        return print_report(lang, dash, d);
    }
    let print = Callback::from(move |_: MouseEvent| calls::print_report(&d));
    html! {
        <>
            <div class="screen-actions">
                <span class="screen-note">{ i18n::weeks_span(lang, dash.weeks.first(), dash.weeks.last()) }</span>
                <button type="button" id="print-report-button" class="button button-secondary" onclick={print}>
                    { t(lang, Key::PrintReport) }
                </button>
            </div>
            <div class="dashboard-grid" id="dashboard">
                <div class="chart-card">{ share_lines(lang, "chart-completion", Key::CompletionByDept, dash, |d| &d.completion) }</div>
                <div class="chart-card">{ share_lines(lang, "chart-on-time", Key::OnTimeByDept, dash, |d| &d.on_time) }</div>
                <div class="chart-card">{ overdue_bars(lang, &dash.departments) }</div>
                <div class="chart-card">{ people_bars(lang, dash) }</div>
                <div class="chart-card">{ coverage_donut(lang, dash) }</div>
                <div class="chart-card">{ feedback_donut(lang, dash) }</div>
                <div class="chart-card">{ plan_bars(lang, dash) }</div>
                <div class="chart-card">{ kpi_bullets(lang, "chart-kpis".to_owned(), &dash.kpis.iter().collect::<Vec<_>>()) }</div>
            </div>
        </>
    }
}

fn share_lines(
    lang: Lang,
    id: &'static str,
    title: Key,
    dash: &Dashboard,
    values: impl Fn(&DepartmentSeries) -> &Vec<Option<f64>>,
) -> Html {
    let series: Vec<Series> = dash
        .departments
        .iter()
        .map(|d| Series {
            name: d.name.clone(),
            values: values(d).clone(),
        })
        .collect();
    html! {
        <LineChart
            {id}
            title={t(lang, title)}
            labels={dash.weeks.clone()}
            {series}
            empty={t(lang, Key::NothingDue)}
        />
    }
}

fn overdue_bars(lang: Lang, departments: &[DepartmentSeries]) -> Html {
    let bars: Vec<Bar> = departments
        .iter()
        .map(|d| Bar {
            label: d.name.clone(),
            value: d.overdue as f64,
            note: i18n::overdue_of_open(lang, d.overdue, d.open),
            tone: if d.overdue > 0 {
                "bar-danger"
            } else {
                "bar-ok"
            },
        })
        .collect();
    html! {
        <BarChart id="chart-overdue" title={t(lang, Key::OverdueByDept)} {bars} count_floor={Some(4.0)} empty={t(lang, Key::NoDepartmentsYet)} />
    }
}

fn people_bars(lang: Lang, dash: &Dashboard) -> Html {
    let mut people: Vec<_> = dash.people.iter().collect();
    people.sort_by(|a, b| {
        b.completion
            .unwrap_or(0.0)
            .total_cmp(&a.completion.unwrap_or(0.0))
    });
    let bars: Vec<Bar> = people
        .iter()
        .map(|p| Bar {
            label: p.name.clone(),
            value: p.completion.unwrap_or(0.0),
            note: i18n::person_note(
                lang,
                p.completion.map(chart::percent).as_deref(),
                p.done,
                p.overdue,
            ),
            tone: if p.overdue > 0 {
                "bar-warn"
            } else {
                "bar-primary"
            },
        })
        .collect();
    html! {
        <BarChart id="chart-people" title={t(lang, Key::CompletionByPerson)} {bars} empty={t(lang, Key::NoPeopleYet)} />
    }
}

fn coverage_donut(lang: Lang, dash: &Dashboard) -> Html {
    let c = &dash.coverage;
    let uncovered = c.duties.saturating_sub(c.covered);
    let centre = if c.duties == 0 {
        String::new()
    } else {
        chart::percent(c.covered as f64 / c.duties as f64)
    };
    let parts = vec![
        (t(lang, Key::Covered).to_owned(), c.covered, "part-ok"),
        (
            t(lang, Key::NotCovered).to_owned(),
            uncovered,
            "part-danger",
        ),
    ];
    html! {
        <>
            <Donut id="chart-coverage" title={t(lang, Key::DutyCoverage)} {parts} {centre} empty={t(lang, Key::NoDutiesYet)} />
            if !c.uncovered.is_empty() {
                <p class="chart-note">{ format!("{}: {}", t(lang, Key::NotCovered), i18n::names(lang, &c.uncovered)) }</p>
            }
        </>
    }
}

fn feedback_donut(lang: Lang, dash: &Dashboard) -> Html {
    let f = &dash.feedback;
    let parts = vec![
        (t(lang, Key::StatusOpen).to_owned(), f.open, "part-danger"),
        (
            t(lang, Key::StatusInProgress).to_owned(),
            f.in_progress,
            "part-warn",
        ),
        (
            t(lang, Key::StatusResolved).to_owned(),
            f.resolved,
            "part-ok",
        ),
    ];
    let total = f.open + f.in_progress + f.resolved;
    html! {
        <>
            <Donut id="chart-feedback" title={t(lang, Key::FeedbackCounts)} {parts} centre={total.to_string()} empty={t(lang, Key::NoReports)} />
            if let Some(hours) = f.mean_hours_to_resolve {
                <p class="chart-note">{ i18n::mean_hours(lang, hours) }</p>
            }
        </>
    }
}

fn plan_bars(lang: Lang, dash: &Dashboard) -> Html {
    let bars: Vec<Bar> = dash
        .plans
        .iter()
        .map(|p| Bar {
            label: p.title.clone(),
            value: p.share,
            note: chart::percent(p.share),
            tone: "bar-ok",
        })
        .collect();
    html! {
        <BarChart id="chart-plans" title={t(lang, Key::PlanProgress)} {bars} empty={t(lang, Key::NoPlansYet)} />
    }
}

fn kpi_bullets(lang: Lang, id: String, kpis: &[&KpiSummary]) -> Html {
    let show = |k: &KpiSummary, v: f64| {
        if k.unit == "%" {
            chart::percent(v)
        } else {
            format!("{}{}", trim_number(v), k.unit)
        }
    };
    let bullets: Vec<Bullet> = kpis
        .iter()
        .map(|k| Bullet {
            label: if k.owner.is_empty() {
                k.name.clone()
            } else {
                format!("{} · {}", k.name, k.owner)
            },
            value: k.value.unwrap_or(0.0),
            target: k.target,
            value_text: k.value.map_or_else(|| "–".to_owned(), |v| show(k, v)),
            target_text: show(k, k.target),
            good: k.value.is_some_and(|v| {
                if k.higher_is_better {
                    v >= k.target
                } else {
                    v <= k.target
                }
            }),
        })
        .collect();
    html! {
        <BulletChart {id} title={t(lang, Key::KpiVsTarget)} {bullets} empty={t(lang, Key::NoKpis)} />
    }
}

/// A number without a trailing `.0`, at most one decimal.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// The printable report: a page per department, then the store's coverage, plans and
/// feedback. The print stylesheet hides everything else.
fn print_report(lang: Lang, dash: &Dashboard, d: Dispatch) -> Html {
    let close = Callback::from(move |_: MouseEvent| calls::close_print(&d));
    let pages = dash.departments.iter().map(|d| {
        let series = vec![
            Series {
                name: t(lang, Key::Completion).to_owned(),
                values: d.completion.clone(),
            },
            Series {
                name: t(lang, Key::OnTime).to_owned(),
                values: d.on_time.clone(),
            },
        ];
        let people: Vec<_> = dash
            .people
            .iter()
            .filter(|p| p.department.as_ref() == Some(&d.name))
            .collect();
        let kpis: Vec<&KpiSummary> = dash.kpis.iter().filter(|k| k.owner == d.name).collect();
        let chart_id = format!("print-chart-{}", d.id.replace(':', "-"));
        html! {
            <section class="print-page" data-department={d.id.clone()}>
                <h3 class="print-title">{ d.name.clone() }</h3>
                <p class="print-sub">{ i18n::weeks_span(lang, dash.weeks.first(), dash.weeks.last()) }</p>
                <dl class="org-totals print-totals">
                    <div class="org-total"><dt class="org-total-label">{ t(lang, Key::OpenCount) }</dt><dd class="org-total-value">{ d.open }</dd></div>
                    <div class={classes!("org-total", (d.overdue > 0).then_some("is-warning"))}><dt class="org-total-label">{ t(lang, Key::OverdueCount) }</dt><dd class="org-total-value">{ d.overdue }</dd></div>
                </dl>
                <LineChart id={chart_id.clone()} title={t(lang, Key::CompletionAndOnTime)} labels={dash.weeks.clone()} {series} empty={t(lang, Key::NothingDue)} />
                if !people.is_empty() {
                    <table class="numbers">
                        <thead><tr>
                            <th scope="col">{ t(lang, Key::Person) }</th>
                            <th scope="col" class="num">{ t(lang, Key::Completion) }</th>
                            <th scope="col" class="num">{ t(lang, Key::OnTime) }</th>
                            <th scope="col" class="num">{ t(lang, Key::DoneGroup) }</th>
                            <th scope="col" class="num">{ t(lang, Key::OverdueCount) }</th>
                        </tr></thead>
                        <tbody>
                            { for people.iter().map(|p| html! {
                                <tr>
                                    <th scope="row">{ p.name.clone() }</th>
                                    <td class="num">{ p.completion.map(chart::percent).unwrap_or_else(|| "–".into()) }</td>
                                    <td class="num">{ p.on_time.map(chart::percent).unwrap_or_else(|| "–".into()) }</td>
                                    <td class="num">{ p.done }</td>
                                    <td class="num">{ p.overdue }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                if !kpis.is_empty() {
                    { kpi_bullets(lang, format!("{chart_id}-kpis"), &kpis) }
                }
            </section>
        }
    });
    html! {
        <div class="print-report" id="print-report">
            <div class="screen-actions no-print">
                <span class="screen-note">{ t(lang, Key::PrintHint) }</span>
                <button type="button" id="close-print-button" class="button button-secondary" onclick={close}>
                    { t(lang, Key::BackToDashboard) }
                </button>
            </div>
            { for pages }
            <section class="print-page">
                <h3 class="print-title">{ t(lang, Key::StoreWide) }</h3>
                { coverage_donut(lang, dash) }
                { plan_bars(lang, dash) }
                { feedback_donut(lang, dash) }
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::trim_number;

    #[test]
    fn numbers_lose_a_trailing_zero() {
        assert_eq!(trim_number(3.0), "3");
        assert_eq!(trim_number(2.46), "2.5");
    }
}
