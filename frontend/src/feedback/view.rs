use std::rc::Rc;

use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang, use_time_zone};
use storeops_api::ReportStatus;
use storeops_api::feedback::{FeedbackBoard, ReportView};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::feedback::calls::{self, ReportRequest};
use crate::i18n::{self, Key, t};
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::format;
use crate::ui::wire;

#[derive(Properties, PartialEq, Debug)]
pub struct FeedbackViewProps {
    pub board: Rc<FeedbackBoard>,
}

/// The problem-feedback channel: report a problem (with a photo if it helps), and follow
/// the reports this device may see, open ones first, to their resolution.
#[function_component(FeedbackView)]
pub fn feedback_view(props: &FeedbackViewProps) -> Html {
    let lang = use_lang();
    let board = &props.board;
    let categories: Vec<String> = if board.categories.is_empty() {
        storeops_domain::feedback::CATEGORIES
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    } else {
        board.categories.clone()
    };
    let departments = Rc::new(board.departments.clone());
    let list = if board.reports.is_empty() {
        html! { <p class="empty">{ t(lang, Key::NoReports) }</p> }
    } else {
        html! {
            <ul class="reports" id="reports">
                { for board.reports.iter().map(|report| html! {
                    <ReportItem key={report.id.clone()} report={report.clone()} departments={departments.clone()} />
                }) }
            </ul>
        }
    };
    html! {
        <div class="feedback-layout">
            <ReportForm {categories} />
            <section class="feedback-list" aria-labelledby="reports-title">
                <h3 class="group-heading" id="reports-title">{ t(lang, Key::Reports) }</h3>
                { list }
            </section>
            if board.can_route {
                <Routes board={board.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct RoutesProps {
    board: Rc<FeedbackBoard>,
}

/// Where each category's reports go, set by the store's managers.
#[function_component(Routes)]
fn routes(props: &RoutesProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let busy = use_busy(Op::FeedbackRoute);
    html! {
        <section class="settings-card feedback-routes" id="feedback-routes" aria-labelledby="routes-title">
            <h3 class="settings-card-title" id="routes-title">{ t(lang, Key::FeedbackRoutes) }</h3>
            <p class="card-intro">{ t(lang, Key::FeedbackRoutesIntro) }</p>
            <div class="grid-form">
                { for props.board.routes.iter().map(|route| {
                    let id = format!("route-{}", route.category);
                    let category = route.category.clone();
                    let d = d.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        calls::set_route(&d, category.clone(), select.value());
                    });
                    let current = route.department.as_ref().map(|n| n.id.clone());
                    html! {
                        <div class="field">
                            <label for={id.clone()}>{ i18n::category_label(lang, &route.category) }</label>
                            <select id={id} class="select" disabled={busy} {onchange}>
                                { for props.board.departments.iter().map(|dep| html! {
                                    <option value={dep.id.clone()} selected={current.as_deref() == Some(dep.id.as_str())}>
                                        { dep.name.clone() }
                                    </option>
                                }) }
                            </select>
                        </div>
                    }
                }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ReportFormProps {
    categories: Vec<String>,
}

#[function_component(ReportForm)]
fn report_form(props: &ReportFormProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::ReportProblem);
    let d = use_dispatch();
    let category = use_node_ref();
    let text = use_node_ref();
    let photo = use_node_ref();
    // The picked photo's file name: the browser's own "no file chosen" is not translated.
    let photo_name = use_state(|| None::<String>);
    let on_photo = {
        let photo_name = photo_name.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let name = input.files().and_then(|f| f.get(0)).map(|f| f.name());
            photo_name.set(name);
        })
    };
    let onsubmit = {
        let (category, text, photo) = (category.clone(), text.clone(), photo.clone());
        let photo_name = photo_name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let (Some(category_el), Some(text_el)) = (
                category.cast::<HtmlSelectElement>(),
                text.cast::<HtmlTextAreaElement>(),
            ) else {
                return;
            };
            let photo_el = photo.cast::<HtmlInputElement>();
            let file = photo_el
                .as_ref()
                .and_then(|el| el.files())
                .and_then(|files| files.get(0));
            let sent = {
                let text_el = text_el.clone();
                let photo_name = photo_name.clone();
                Callback::from(move |()| {
                    text_el.set_value("");
                    if let Some(el) = &photo_el {
                        el.set_value("");
                    }
                    photo_name.set(None);
                })
            };
            calls::report_problem(
                &d,
                ReportRequest {
                    category: category_el.value(),
                    text: text_el.value(),
                    photo: file,
                    sent,
                },
            );
        })
    };
    html! {
        <section class="settings-card report-form" aria-labelledby="report-form-title">
            <h3 class="settings-card-title" id="report-form-title">{ t(lang, Key::ReportProblem) }</h3>
            <p class="card-intro">{ t(lang, Key::ReportIntro) }</p>
            <form id="report-form" class="grid-form" novalidate=true {onsubmit}>
                <div class="field">
                    <label for="report-category">{ t(lang, Key::Category) }</label>
                    <select id="report-category" class="select" ref={category}>
                        { for props.categories.iter().map(|c| html! {
                            <option value={c.clone()}>{ i18n::category_label(lang, c) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <span class="field-label" id="report-photo-label">{ t(lang, Key::Photo) }</span>
                    <div class="photo-picker">
                        <input
                            id="report-photo"
                            ref={photo}
                            type="file"
                            accept="image/*"
                            capture="environment"
                            class="visually-hidden"
                            aria-labelledby="report-photo-label"
                            onchange={on_photo}
                        />
                        <label for="report-photo" class="button button-secondary photo-button">{ t(lang, Key::PickPhoto) }</label>
                        <span class="photo-name">
                            { (*photo_name).clone().unwrap_or_else(|| t(lang, Key::NoPhoto).to_owned()) }
                        </span>
                    </div>
                </div>
                <div class="field field-wide">
                    <label for="report-text">{ t(lang, Key::WhatHappened) }</label>
                    <textarea id="report-text" ref={text} rows="3" placeholder={t(lang, Key::WhatHappenedHint)}></textarea>
                </div>
                <div class="form-actions field-wide">
                    { busy_button(lang, Some("report-button"), "button-primary", busy, [Key::SendReport, Key::Sending], None) }
                </div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct ReportItemProps {
    report: ReportView,
    /// Where a report may be sent instead.
    departments: Rc<Vec<storeops_api::Named>>,
}

#[function_component(ReportItem)]
fn report_item(props: &ReportItemProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let time_zone = use_time_zone();
    let report = &props.report;
    let status = report.status;
    let busy = app.is_busy(&Op::ReportStatus(report.id.clone()));
    let photo_busy = app.is_busy(&Op::Photo(report.id.clone()));
    let resolution = use_node_ref();
    let when = |ms: i64| format::date_time(ms, lang, &time_zone);
    let start = {
        let (d, id) = (d.clone(), report.id.clone());
        Callback::from(move |_: MouseEvent| {
            calls::set_report_status(&d, id.clone(), ReportStatus::InProgress, None);
        })
    };
    let resolve = {
        let id = report.id.clone();
        let resolution = resolution.clone();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            let text = resolution.cast::<HtmlInputElement>().map(|el| el.value());
            calls::set_report_status(&d, id.clone(), ReportStatus::Resolved, text);
        })
    };
    let reroute = {
        let (d, id) = (d.clone(), report.id.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            calls::reroute(&d, id.clone(), select.value());
        })
    };
    let show_photo = {
        let id = report.id.clone();
        Callback::from(move |_: MouseEvent| calls::load_photo(&d, id.clone()))
    };
    let resolution_id = format!("resolution-{}", report.id);
    let handle = report.can_handle && status != ReportStatus::Resolved;
    html! {
        <li class={classes!("report", format!("report-{}", wire::name(status)))} data-report-id={report.id.clone()} data-status={wire::name(status)}>
            <div class="report-head">
                <span class="badge badge-category">{ i18n::category_label(lang, &report.category) }</span>
                <span class={classes!("badge", "badge-report-status", format!("report-status-{}", wire::name(status)))}>
                    { i18n::report_status_label(lang, status) }
                </span>
                <time class="report-time" data-at={report.created_at.to_string()}>{ when(report.created_at) }</time>
            </div>
            <p class="report-text">{ report.text.clone() }</p>
            <p class="report-meta">
                { i18n::reported_by(lang, &report.reporter, report.mine) }
                { " · " }
                { report.department.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| t(lang, Key::NotRouted).to_owned()) }
            </p>
            if status == ReportStatus::Resolved {
                <div class="report-outcome">
                    <p class="report-outcome-title">{ t(lang, Key::Outcome) }</p>
                    <p>{ report.resolution.clone().unwrap_or_default() }</p>
                    <p class="report-meta">
                        { i18n::resolved_by(lang, report.resolved_by.as_deref(), report.resolved_at.map(when).as_deref()) }
                    </p>
                </div>
            }
            if report.has_photo {
                if let Some(url) = app.photos.get(&report.id) {
                    <img class="report-photo" src={url.clone()} alt={t(lang, Key::PhotoAlt)} />
                } else {
                    <button type="button" class="link-button show-photo-button" disabled={photo_busy} onclick={show_photo}>
                        { t(lang, if photo_busy { Key::LoadingPhoto } else { Key::ShowPhoto }) }
                    </button>
                }
            }
            if handle {
                <div class="report-handle">
                    if status == ReportStatus::Open {
                        <button type="button" class="button button-secondary start-report-button" disabled={busy} onclick={start}>
                            { t(lang, Key::StartWork) }
                        </button>
                    }
                    <label class="visually-hidden" for={resolution_id.clone()}>{ t(lang, Key::Resolution) }</label>
                    <input id={resolution_id} class="resolution-text" ref={resolution} type="text" autocomplete="off" placeholder={t(lang, Key::ResolutionHint)} />
                    <button type="button" class="button button-primary resolve-report-button" disabled={busy} aria-busy={busy.to_string()} onclick={resolve}>
                        { t(lang, Key::Resolve) }
                    </button>
                    <label class="visually-hidden" for={format!("reroute-{}", report.id)}>{ t(lang, Key::SendTo) }</label>
                    <select id={format!("reroute-{}", report.id)} class="select reroute-select" disabled={busy} onchange={reroute}>
                        { for props.departments.iter().map(|dep| html! {
                            <option value={dep.id.clone()} selected={report.department_id.as_deref() == Some(dep.id.as_str())}>
                                { i18n::send_to(lang, &dep.name) }
                            </option>
                        }) }
                    </select>
                </div>
            }
        </li>
    }
}
