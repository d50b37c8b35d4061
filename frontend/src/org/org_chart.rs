use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::duties::calls::show_uncovered_duties;
use crate::shell::context::{use_dispatch, use_lang};
use storeops_api::org::{OrgChart, OrgDepartment, OrgPosition, OrgTotals};
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};

#[derive(Properties, PartialEq, Debug)]
pub struct OrgChartViewProps {
    pub org: Rc<OrgChart>,
    /// Managers: "Edit" on each department and position.
    #[prop_or_default]
    pub actions: Option<OrgActions>,
}

/// What a manager can do from the chart itself.
#[derive(Clone, PartialEq, Debug)]
pub struct OrgActions {
    /// "Edit" on a department, with its id.
    pub on_edit_department: Callback<String>,
    /// "Edit" on a position, with its id.
    pub on_edit_position: Callback<String>,
}

/// The totals, then the departments drawn as a tree: each a card listing its positions.
///
/// The same markup is a top-down chart on tablets and laptops and an indented list on
/// phones; the stylesheet draws the connecting lines for both.
#[function_component(OrgChartView)]
pub fn org_chart_view(props: &OrgChartViewProps) -> Html {
    let lang = use_lang();
    let org = &props.org;
    let chart_ref = use_node_ref();
    {
        // Where the chart is wider than its box (tablets), start with the top department in
        // view, so that the cut-off cards on both sides show there is more to either side.
        let chart_ref = chart_ref.clone();
        use_effect_with(org.departments.len(), move |_| {
            if let Some(el) = chart_ref.cast::<web_sys::Element>() {
                let hidden = el.scroll_width() - el.client_width();
                if hidden > 0 {
                    el.set_scroll_left(hidden / 2);
                }
            }
        });
    }
    let chart = if org.departments.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoDepartments) }</p> }
    } else {
        let tree = Tree::new(&org.departments);
        html! {
            <ul class="org-tree">
                { for tree.roots.iter().map(|&i| tree.render(i, props.actions.as_ref())) }
            </ul>
        }
    };
    html! {
        <>
            <Totals totals={org.totals.clone()} />
            <div id="org-chart" class="org-chart" ref={chart_ref}>{ chart }</div>
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct TotalsProps {
    totals: OrgTotals,
}

#[function_component(Totals)]
fn totals(props: &TotalsProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let totals = &props.totals;
    let tile = |name: &'static str, key: Key, n: u32, warn: bool, extra: Html| {
        html! {
            <div class={classes!("org-total", warn.then_some("is-warning"))} data-total={name}>
                <dt class="org-total-label">{ t(lang, key) }</dt>
                <dd class="org-total-value">{ n }</dd>
                { extra }
            </div>
        }
    };
    let people = html! {
        <dd class="org-total-note">{ i18n::people(lang, totals.people) }</dd>
    };
    let show_uncovered = if totals.uncovered_duties > 0 {
        // "Show them": the duty register, showing only those.
        let onclick = Callback::from(move |_: MouseEvent| show_uncovered_duties(&d));
        html! {
            <dd class="org-total-note">
                <button type="button" id="org-show-uncovered" class="link-button" {onclick}>
                    { t(lang, Key::ShowUncovered) }{ " →" }
                </button>
            </dd>
        }
    } else {
        html! {}
    };
    html! {
        <dl class="org-totals" id="org-totals">
            { tile("departments", Key::TotalDepartments, totals.departments, false, html! {}) }
            { tile("positions", Key::TotalPositions, totals.positions, false, people) }
            { tile("vacancies", Key::TotalVacancies, totals.vacancies, totals.vacancies > 0, html! {}) }
            {
                tile(
                    "uncovered",
                    Key::TotalUncovered,
                    totals.uncovered_duties,
                    totals.uncovered_duties > 0,
                    show_uncovered,
                )
            }
        </dl>
    }
}

/// Departments by parent. A department whose parent is missing, or that sits in a loop of
/// parents, is drawn as one more root rather than dropped.
struct Tree<'a> {
    departments: &'a [OrgDepartment],
    roots: Vec<usize>,
    children: BTreeMap<usize, Vec<usize>>,
}

impl<'a> Tree<'a> {
    fn new(departments: &'a [OrgDepartment]) -> Self {
        let index: BTreeMap<&str, usize> = departments
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let mut roots = Vec::new();
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, dept) in departments.iter().enumerate() {
            match dept.parent.as_deref().and_then(|p| index.get(p)) {
                Some(&parent) if parent != i => children.entry(parent).or_default().push(i),
                _ => roots.push(i),
            }
        }
        // Whatever the roots do not reach is in a loop: break it at its first department.
        let mut reached = BTreeSet::new();
        let mut stack = roots.clone();
        while let Some(i) = stack.pop() {
            if reached.insert(i) {
                stack.extend(children.get(&i).into_iter().flatten());
            }
        }
        for i in 0..departments.len() {
            if !reached.contains(&i) {
                roots.push(i);
                if let Some(list) = children.values_mut().find(|list| list.contains(&i)) {
                    list.retain(|&c| c != i);
                }
                let mut stack = vec![i];
                while let Some(j) = stack.pop() {
                    if reached.insert(j) {
                        stack.extend(children.get(&j).into_iter().flatten());
                    }
                }
            }
        }
        Self {
            departments,
            roots,
            children,
        }
    }

    fn render(&self, i: usize, actions: Option<&OrgActions>) -> Html {
        let dept = &self.departments[i];
        let children = self.children.get(&i).filter(|c| !c.is_empty());
        html! {
            <li class="org-node" key={dept.id.clone()}>
                <DepartmentCard dept={dept.clone()} actions={actions.cloned()} />
                if let Some(children) = children {
                    <ul class="org-children">
                        { for children.iter().map(|&c| self.render(c, actions)) }
                    </ul>
                }
            </li>
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
struct DepartmentCardProps {
    dept: OrgDepartment,
    actions: Option<OrgActions>,
}

#[function_component(DepartmentCard)]
fn department_card(props: &DepartmentCardProps) -> Html {
    let lang = use_lang();
    let dept = &props.dept;
    let positions = ordered_positions(dept);
    html! {
        <article
            class={classes!("org-dept", "org-department", (dept.uncovered_duties > 0).then_some("has-uncovered"))}
            data-dept-id={dept.id.clone()}
            data-id={dept.id.clone()}
        >
            <header class="org-dept-head">
                <h3 class="org-dept-name">{ dept.name.clone() }</h3>
                { warning(lang, dept.uncovered_duties) }
                if let Some(actions) = &props.actions {
                    <button
                        type="button"
                        class="icon-button edit-department"
                        aria-label={format!("{} · {}", t(lang, Key::EditDepartment), dept.name)}
                        title={t(lang, Key::EditDepartment)}
                        onclick={{
                            let id = dept.id.clone();
                            actions.on_edit_department.reform(move |_: MouseEvent| id.clone())
                        }}
                    >
                        { pencil() }
                    </button>
                }
            </header>
            if positions.is_empty() {
                <p class="org-empty">{ t(lang, Key::NoPositions) }</p>
            } else {
                <ul class="org-positions">
                    {
                        for positions.iter().map(|(position, depth)| html! {
                            <Position
                                key={position.id.clone()}
                                position={(*position).clone()}
                                depth={*depth}
                                head={dept.head.as_deref() == Some(position.id.as_str())}
                                on_edit={props.actions.as_ref().map(|a| a.on_edit_position.clone())}
                            />
                        })
                    }
                </ul>
            }
        </article>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct PositionProps {
    position: OrgPosition,
    /// How many positions of the same department it reports through.
    depth: usize,
    head: bool,
    on_edit: Option<Callback<String>>,
}

#[function_component(Position)]
fn position(props: &PositionProps) -> Html {
    let lang = use_lang();
    let position = &props.position;
    let vacancies = position.vacancies();
    let held = position.holders.len();
    let filled = i18n::filled(lang, held, position.headcount);
    html! {
        <li
            class={classes!(
                "org-position",
                props.head.then_some("is-head"),
                (vacancies > 0).then_some("is-vacant"),
                (position.uncovered_duties > 0).then_some("has-uncovered"),
            )}
            data-position-id={position.id.clone()}
            data-id={position.id.clone()}
            data-depth={props.depth.to_string()}
            style={format!("--depth: {}", props.depth)}
        >
            <div class="org-position-line org-position-top">
                <span class="org-position-name">
                    <span class="org-position-title">{ position.title.clone() }</span>
                    if props.head {
                        { " " }<span class="org-head-mark">{ t(lang, Key::DepartmentHead) }</span>
                    }
                </span>
                if position.headcount > 0 {
                    <span class="org-headcount" title={filled.clone()}>
                        <span aria-hidden="true">{ format!("{held}/{}", position.headcount) }</span>
                        <span class="visually-hidden">{ filled }</span>
                    </span>
                }
                if let Some(on_edit) = &props.on_edit {
                    <button
                        type="button"
                        class="icon-button edit-position"
                        aria-label={format!("{} · {}", t(lang, Key::EditPosition), position.title)}
                        title={t(lang, Key::EditPosition)}
                        onclick={{
                            let id = position.id.clone();
                            on_edit.reform(move |_: MouseEvent| id.clone())
                        }}
                    >
                        { pencil() }
                    </button>
                }
            </div>
            <div class="org-position-line">
                if !position.holders.is_empty() {
                    <span class="org-holders">{ i18n::names(lang, &position.holders) }</span>
                }
                if vacancies > 0 {
                    <span class="vacant">{ i18n::vacant_count(lang, vacancies) }</span>
                }
                { warning(lang, position.uncovered_duties) }
            </div>
        </li>
    }
}

/// "⚠ 2 uncovered", read out in full; nothing when every duty is covered.
fn warning(lang: Lang, n: u32) -> Html {
    if n == 0 {
        return html! {};
    }
    let long = i18n::uncovered_count_long(lang, n);
    html! {
        <span class="warn-count" title={long.clone()} data-uncovered={n.to_string()}>
            <span aria-hidden="true">{ "⚠ " }{ i18n::uncovered_count(lang, n) }</span>
            <span class="visually-hidden">{ long }</span>
        </span>
    }
}

/// The head first, then each position under the one it reports to (when that is in the
/// same department), keeping the backend's order otherwise. Each comes with its depth.
fn ordered_positions(dept: &OrgDepartment) -> Vec<(&OrgPosition, usize)> {
    let positions = &dept.positions;
    let n = positions.len();
    let index: BTreeMap<&str, usize> = positions
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let is_head = |i: usize| dept.head.as_deref() == Some(positions[i].id.as_str());
    let boss: Vec<Option<usize>> = (0..n)
        .map(|i| {
            if is_head(i) {
                return None;
            }
            let b = *index.get(positions[i].reports_to.as_deref()?)?;
            (b != i).then_some(b)
        })
        .collect();
    let mut starts: Vec<usize> = (0..n).filter(|&i| boss[i].is_none()).collect();
    starts.sort_by_key(|&i| !is_head(i));
    // Positions in a loop of reporting lines are reached by none of those: list them anyway.
    starts.extend(0..n);

    let mut out = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in starts {
        let mut stack = vec![(start, 0)];
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            out.push((&positions[i], depth));
            let reports = (0..n).rev().filter(|&c| boss[c] == Some(i));
            stack.extend(reports.map(|c| (c, depth + 1)));
        }
    }
    out
}

/// A pencil, drawn in the text colour.
fn pencil() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
            fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
            <path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />
        </svg>
    }
}
