use std::collections::BTreeSet;
use std::rc::Rc;

use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang, use_today};
use storeops_api::assessment::{
    AnswerDelivery, AssessmentBoard, AssessmentRow, AwardRow, KpiRow, SessionInput, SessionRow,
    SurveyRow, TrainingRow,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::assessment::calls::{self, AssessmentRequest};
use crate::assessment::{self, Command, METRICS};
use crate::i18n::{self, Key, Lang, t};
use crate::shell::run::Dispatch;
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{clear, read, set_to};
use crate::ui::seed::use_seed;
use crate::ui::wire;

/// `(value, label)` options of a picker.
type Options = Rc<Vec<(String, String)>>;

#[derive(Properties, PartialEq, Debug)]
pub struct AssessmentViewProps {
    pub board: Rc<AssessmentBoard>,
}

/// KPIs, assessments, awards, training and the satisfaction survey. Everyone sees them
/// and answers the survey; only those who may manage them get the forms.
#[function_component(AssessmentView)]
pub fn assessment_view(props: &AssessmentViewProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let today = use_today();
    let board = &props.board;
    let manage = board.can_manage;
    let (org, staffing) = (app.org.data.as_deref(), app.staffing.data.as_deref());
    let subjects: Options = Rc::new(assessment::subjects(org, staffing));
    let people: Options = Rc::new(assessment::people(staffing));
    let departments: Options = Rc::new(
        org.map(|o| {
            o.departments
                .iter()
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect()
        })
        .unwrap_or_default(),
    );
    let month = AttrValue::from(assessment::this_month(&today));
    let busy = |op: Op| app.is_busy(&op);

    html! {
        <div class="assessment-layout">
            <section class="settings-card assess-section" aria-labelledby="kpis-title">
                <h3 class="settings-card-title" id="kpis-title">{ t(lang, Key::Kpis) }</h3>
                if board.kpis.is_empty() {
                    <p class="empty">{ t(lang, Key::NoKpisYet) }</p>
                } else {
                    <ul class="assess-list kpis" id="kpis">
                        { for board.kpis.iter().map(|kpi| html! {
                            <KpiItem
                                key={kpi.id.clone()}
                                kpi={kpi.clone()}
                                {manage}
                                month={month.clone()}
                                busy={busy(Op::KpiValue(kpi.id.clone()))}
                            />
                        }) }
                    </ul>
                }
                if manage {
                    <KpiForm subjects={subjects.clone()} busy={busy(Op::DefineKpi)} />
                }
            </section>

            <section class="settings-card assess-section" aria-labelledby="assessments-title">
                <h3 class="settings-card-title" id="assessments-title">{ t(lang, Key::Assessments) }</h3>
                if board.assessments.is_empty() {
                    <p class="empty">{ t(lang, Key::NoAssessments) }</p>
                } else {
                    <ul class="assess-list assessments" id="assessments">
                        { for board.assessments.iter().map(|a| assessment_item(lang, a)) }
                    </ul>
                }
                if manage {
                    <AssessForm subjects={subjects.clone()} month={month.clone()} busy={busy(Op::Assess)} />
                }
            </section>

            <section class="settings-card assess-section" aria-labelledby="awards-title">
                <h3 class="settings-card-title" id="awards-title">{ t(lang, Key::Awards) }</h3>
                if board.awards.is_empty() {
                    <p class="empty">{ t(lang, Key::NoAwards) }</p>
                } else {
                    <ul class="assess-list awards" id="awards">
                        { for board.awards.iter().map(|a| award_item(lang, a)) }
                    </ul>
                }
                if manage {
                    <AwardForm people={people.clone()} month={month.clone()} busy={busy(Op::GiveAward)} />
                }
            </section>

            <section class="settings-card assess-section" aria-labelledby="training-heading">
                <h3 class="settings-card-title" id="training-heading">{ t(lang, Key::Training) }</h3>
                if board.training.is_empty() {
                    <p class="empty">{ t(lang, Key::NoTraining) }</p>
                } else {
                    <ul class="assess-list trainings" id="trainings">
                        { for board.training.iter().map(|training| html! {
                            <TrainingItem
                                key={training.id.clone()}
                                training={training.clone()}
                                {manage}
                                people={people.clone()}
                            />
                        }) }
                    </ul>
                }
                if manage {
                    <TrainingForm departments={departments.clone()} busy={busy(Op::PlanTraining)} />
                }
            </section>

            <section class="settings-card assess-section" aria-labelledby="surveys-title">
                <h3 class="settings-card-title" id="surveys-title">{ t(lang, Key::Survey) }</h3>
                if board.surveys.is_empty() {
                    <p class="empty">{ t(lang, Key::NoSurveys) }</p>
                } else {
                    <ul class="assess-list surveys" id="surveys">
                        { for board.surveys.iter().map(|survey| html! {
                            <SurveyItem
                                key={survey.id.clone()}
                                survey={survey.clone()}
                                busy={busy(Op::AnswerSurvey(survey.id.clone()))}
                            />
                        }) }
                    </ul>
                }
                if manage {
                    <SurveyForm busy={busy(Op::OpenSurvey)} />
                }
            </section>
        </div>
    }
}

// ---- Helpers ----------------------------------------------------------------------

/// Sends a command; `done` runs once it is saved.
fn send(d: &Dispatch, command: Command, done: impl Fn() + 'static) {
    calls::assessment_command(
        d,
        AssessmentRequest {
            command,
            done: Callback::from(move |()| done()),
        },
    );
}

/// A form's submit: unless it is busy, sends what `command` reads from its fields, and
/// clears `fields` once saved.
fn submit_clearing(
    d: &Dispatch,
    busy: bool,
    fields: Vec<NodeRef>,
    command: impl Fn() -> Command + 'static,
) -> Callback<SubmitEvent> {
    let d = d.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if busy {
            return;
        }
        let fields = fields.clone();
        send(&d, command(), move || clear(&fields));
    })
}

fn submit_button(lang: Lang, id: &'static str, label: Key, busy: bool) -> Html {
    html! {
        <div class="form-actions field-wide">
            { busy_button(lang, Some(id), "button-primary", busy, [label, Key::Saving], None) }
        </div>
    }
}

/// A picker of departments and people, valued `department:<id>` / `person:<id>`.
fn subject_options(lang: Lang, subjects: &[(String, String)]) -> Html {
    let group = |prefix: &str, label: Key| {
        let options: Vec<&(String, String)> = subjects
            .iter()
            .filter(|(value, _)| value.starts_with(prefix))
            .collect();
        if options.is_empty() {
            return html! {};
        }
        html! {
            <optgroup label={t(lang, label)}>
                { for options.into_iter().map(|(value, name)| html! {
                    <option value={value.clone()}>{ name.clone() }</option>
                }) }
            </optgroup>
        }
    };
    html! {
        <>
            <option value="">{ t(lang, Key::Choose) }</option>
            { group("department:", Key::TotalDepartments) }
            { group("person:", Key::PeopleGroup) }
        </>
    }
}

/// A share as the KPI shows it: a percentage, since targets and values are typed as one.
fn share(value: f64) -> String {
    assessment::percent(value)
}

// ---- KPIs -------------------------------------------------------------------------

#[derive(Properties, PartialEq, Debug)]
struct KpiItemProps {
    kpi: KpiRow,
    manage: bool,
    month: AttrValue,
    busy: bool,
}

#[function_component(KpiItem)]
fn kpi_item(props: &KpiItemProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let kpi = &props.kpi;
    let period = use_node_ref();
    let value = use_node_ref();
    use_seed(&period, props.month.to_string());
    let onsubmit = {
        let (period, value) = (period.clone(), value.clone());
        let d = d.clone();
        let (id, busy) = (kpi.id.clone(), props.busy);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let command = Command::RecordKpiValue {
                kpi_id: id.clone(),
                period: read(&period),
                value: read(&value),
            };
            let value = value.clone();
            send(&d, command, move || clear(std::slice::from_ref(&value)));
        })
    };
    let met = kpi.current.map(|c| c >= kpi.target);
    let current = kpi.current.map(share);
    let period_id = format!("kpi-period-{}", kpi.id);
    let value_id = format!("kpi-value-{}", kpi.id);
    html! {
        <li
            class={classes!("kpi", met.map(|m| if m { "kpi-met" } else { "kpi-below" }))}
            data-kpi-id={kpi.id.clone()}
            data-metric={wire::name(kpi.metric)}
        >
            <div class="assess-row">
                <span class="assess-name">{ kpi.name.clone() }</span>
                <span class="badge">{ i18n::metric_label(lang, kpi.metric) }</span>
            </div>
            <p class="assess-meta">{ kpi.subject.clone() }</p>
            <p class="kpi-figures">
                { i18n::target_vs_current(lang, &share(kpi.target), current.as_deref()) }
            </p>
            if !kpi.values.is_empty() {
                <p class="assess-meta kpi-values">
                    { t(lang, Key::Recorded) }{ ": " }
                    { kpi.values.iter().map(|v| format!("{} {}", v.period, share(v.value))).collect::<Vec<_>>().join(" · ") }
                </p>
            }
            if props.manage && !assessment::is_rate(kpi.metric) {
                <form class="inline-form kpi-value-form" novalidate=true {onsubmit}>
                    <label class="visually-hidden" for={period_id.clone()}>{ t(lang, Key::PlanPeriod) }</label>
                    <input id={period_id} class="kpi-period" ref={period} type="text" inputmode="numeric" autocomplete="off" placeholder={t(lang, Key::PeriodHint)} />
                    <label class="visually-hidden" for={value_id.clone()}>{ t(lang, Key::ValuePercent) }</label>
                    <input id={value_id} class="kpi-value" ref={value} type="text" inputmode="decimal" autocomplete="off" placeholder={t(lang, Key::ValuePercent)} />
                    { busy_button(lang, None, "button-secondary record-kpi-button", props.busy, [Key::RecordValue, Key::Saving], None) }
                </form>
            }
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct KpiFormProps {
    subjects: Options,
    busy: bool,
}

#[function_component(KpiForm)]
fn kpi_form(props: &KpiFormProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let (name, subject, metric, target) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let onsubmit = {
        let (name, subject, metric, target) = (
            name.clone(),
            subject.clone(),
            metric.clone(),
            target.clone(),
        );
        let fields = vec![name.clone(), target.clone()];
        submit_clearing(&d, props.busy, fields, move || Command::DefineKpi {
            name: read(&name),
            subject: read(&subject),
            metric: read(&metric),
            target: read(&target),
        })
    };
    html! {
        <form id="kpi-form" class="grid-form assess-form" novalidate=true {onsubmit}>
            <h4 class="assess-form-title field-wide">{ t(lang, Key::DefineKpi) }</h4>
            <div class="field field-wide">
                <label for="kpi-name">{ t(lang, Key::KpiName) }</label>
                <input id="kpi-name" ref={name} type="text" autocomplete="off" placeholder={t(lang, Key::KpiNameHint)} />
            </div>
            <div class="field">
                <label for="kpi-subject">{ t(lang, Key::Subject) }</label>
                <select id="kpi-subject" class="select" ref={subject}>
                    { subject_options(lang, &props.subjects) }
                </select>
            </div>
            <div class="field">
                <label for="kpi-metric">{ t(lang, Key::Metric) }</label>
                <select id="kpi-metric" class="select" ref={metric}>
                    { for METRICS.into_iter().map(|m| html! {
                        <option value={wire::name(m)}>{ i18n::metric_label(lang, m) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="kpi-target">{ t(lang, Key::TargetPercent) }</label>
                <input id="kpi-target" ref={target} type="text" inputmode="decimal" autocomplete="off" placeholder="95" />
            </div>
            { submit_button(lang, "define-kpi-button", Key::DefineKpiButton, props.busy) }
        </form>
    }
}

// ---- Assessments ------------------------------------------------------------------

fn assessment_item(lang: Lang, a: &AssessmentRow) -> Html {
    html! {
        <li class="assessment" key={a.id.clone()} data-assessment-id={a.id.clone()}>
            <div class="assess-row">
                <span class="assess-name">{ a.subject.clone() }</span>
                <span class="assess-score" data-score={a.score.to_string()}>{ a.score }</span>
            </div>
            <p class="assess-meta">
                { a.period.clone() }
                if !a.by.is_empty() {
                    { " · " }{ i18n::by_whom(lang, &a.by) }
                }
            </p>
            if !a.comment.is_empty() {
                <p class="assess-text">{ a.comment.clone() }</p>
            }
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct AssessFormProps {
    subjects: Options,
    month: AttrValue,
    busy: bool,
}

#[function_component(AssessForm)]
fn assess_form(props: &AssessFormProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let (subject, period, score, comment) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    use_seed(&period, props.month.to_string());
    let onsubmit = {
        let (subject, period, score, comment) = (
            subject.clone(),
            period.clone(),
            score.clone(),
            comment.clone(),
        );
        let fields = vec![score.clone(), comment.clone()];
        submit_clearing(&d, props.busy, fields, move || Command::Assess {
            subject: read(&subject),
            period: read(&period),
            score: read(&score),
            comment: read(&comment),
        })
    };
    html! {
        <form id="assess-form" class="grid-form assess-form" novalidate=true {onsubmit}>
            <h4 class="assess-form-title field-wide">{ t(lang, Key::NewAssessment) }</h4>
            <div class="field">
                <label for="assess-subject">{ t(lang, Key::Subject) }</label>
                <select id="assess-subject" class="select" ref={subject}>
                    { subject_options(lang, &props.subjects) }
                </select>
            </div>
            <div class="field">
                <label for="assess-period">{ t(lang, Key::PlanPeriod) }</label>
                <input id="assess-period" ref={period} type="text" inputmode="numeric" autocomplete="off" placeholder={t(lang, Key::PeriodHint)} />
            </div>
            <div class="field">
                <label for="assess-score">{ t(lang, Key::Score) }</label>
                <input id="assess-score" ref={score} type="number" min="0" max="100" step="1" inputmode="numeric" />
            </div>
            <div class="field field-wide">
                <label for="assess-comment">{ t(lang, Key::Comment) }</label>
                <textarea id="assess-comment" ref={comment} rows="2"></textarea>
            </div>
            { submit_button(lang, "assess-button", Key::AssessButton, props.busy) }
        </form>
    }
}

// ---- Awards -----------------------------------------------------------------------

fn award_item(lang: Lang, a: &AwardRow) -> Html {
    html! {
        <li class="award" key={a.id.clone()} data-award-id={a.id.clone()}>
            <div class="assess-row">
                <span class="assess-name">{ a.title.clone() }</span>
                <span class="badge">{ a.period.clone() }</span>
            </div>
            <p class="award-person">{ a.person.name.clone() }</p>
            if !a.reason.is_empty() {
                <p class="assess-text">{ a.reason.clone() }</p>
            }
            if !a.by.is_empty() {
                <p class="assess-meta">{ i18n::by_whom(lang, &a.by) }</p>
            }
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct AwardFormProps {
    people: Options,
    month: AttrValue,
    busy: bool,
}

#[function_component(AwardForm)]
fn award_form(props: &AwardFormProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let (title, person, period, reason) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    use_seed(&period, props.month.to_string());
    let onsubmit = {
        let (title, person, period, reason) = (
            title.clone(),
            person.clone(),
            period.clone(),
            reason.clone(),
        );
        let fields = vec![title.clone(), reason.clone()];
        submit_clearing(&d, props.busy, fields, move || Command::GiveAward {
            title: read(&title),
            person: read(&person),
            period: read(&period),
            reason: read(&reason),
        })
    };
    html! {
        <form id="award-form" class="grid-form assess-form" novalidate=true {onsubmit}>
            <h4 class="assess-form-title field-wide">{ t(lang, Key::GiveAward) }</h4>
            <div class="field field-wide">
                <label for="award-title">{ t(lang, Key::AwardTitle) }</label>
                <input id="award-title" ref={title} type="text" autocomplete="off" placeholder={t(lang, Key::AwardTitleHint)} />
            </div>
            <div class="field">
                <label for="award-person">{ t(lang, Key::Person) }</label>
                <select id="award-person" class="select" ref={person}>
                    <option value="">{ t(lang, Key::Choose) }</option>
                    { for props.people.iter().map(|(id, name)| html! {
                        <option value={id.clone()}>{ name.clone() }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="award-period">{ t(lang, Key::PlanPeriod) }</label>
                <input id="award-period" ref={period} type="text" inputmode="numeric" autocomplete="off" placeholder={t(lang, Key::PeriodHint)} />
            </div>
            <div class="field field-wide">
                <label for="award-reason">{ t(lang, Key::Reason) }</label>
                <textarea id="award-reason" ref={reason} rows="2"></textarea>
            </div>
            { submit_button(lang, "give-award-button", Key::GiveAwardButton, props.busy) }
        </form>
    }
}

// ---- Training ---------------------------------------------------------------------

#[derive(Properties, PartialEq, Debug)]
struct TrainingItemProps {
    training: TrainingRow,
    manage: bool,
    people: Options,
}

#[function_component(TrainingItem)]
fn training_item(props: &TrainingItemProps) -> Html {
    let lang = use_lang();
    let training = &props.training;
    html! {
        <li class="training" data-training-id={training.id.clone()}>
            <div class="assess-row">
                <span class="assess-name">{ training.title.clone() }</span>
                <span class="badge">
                    { training.department.clone().unwrap_or_else(|| t(lang, Key::StoreWide).to_owned()) }
                </span>
            </div>
            <ul class="training-sessions">
                { for training.sessions.iter().map(|session| html! {
                    <SessionItem
                        key={session.id.clone()}
                        training_id={training.id.clone()}
                        session={session.clone()}
                        manage={props.manage}
                        people={props.people.clone()}
                    />
                }) }
            </ul>
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct SessionItemProps {
    training_id: String,
    session: SessionRow,
    manage: bool,
    people: Options,
}

#[function_component(SessionItem)]
fn session_item(props: &SessionItemProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let busy = use_busy(Op::Attendance(props.session.id.clone()));
    let session = &props.session;
    // The attendance picker, open or not, and who is ticked in it.
    let picking = use_state(|| false);
    let ticked = {
        let planned: BTreeSet<String> = session.attendees.iter().map(|a| a.id.clone()).collect();
        use_state(move || planned)
    };
    let open = set_to(&picking, true);
    let cancel = set_to(&picking, false);
    let save = {
        let (picking, ticked) = (picking.clone(), ticked.clone());
        let d = d.clone();
        let (training_id, session_id) = (props.training_id.clone(), session.id.clone());
        Callback::from(move |_: MouseEvent| {
            if busy {
                return;
            }
            let command = Command::RecordAttendance {
                training_id: training_id.clone(),
                session_id: session_id.clone(),
                attendees: ticked.iter().cloned().collect(),
            };
            let picking = picking.clone();
            send(&d, command, move || picking.set(false));
        })
    };
    let attendees = if session.attendees.is_empty() {
        t(lang, Key::NoAttendees).to_owned()
    } else {
        session
            .attendees
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        <li class={classes!("training-session", session.held.then_some("is-held"))} data-session-id={session.id.clone()} data-held={session.held.to_string()}>
            <div class="assess-row">
                <span><time class="session-date">{ session.date.clone() }</time>{ " · " }{ session.topic.clone() }</span>
                <span class={classes!("badge", if session.held { "badge-held" } else { "badge-planned" })}>
                    { t(lang, if session.held { Key::Held } else { Key::Planned }) }
                </span>
            </div>
            <p class="assess-meta session-attendees">{ attendees }</p>
            if props.manage && !session.held {
                if *picking {
                    <fieldset class="attendance-picker">
                        <legend>{ t(lang, Key::WhoAttended) }</legend>
                        { for props.people.iter().map(|(id, name)| {
                            let checked = ticked.contains(id);
                            let onchange = {
                                let (ticked, id) = (ticked.clone(), id.clone());
                                Callback::from(move |e: Event| {
                                    let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                                    let mut next = (*ticked).clone();
                                    if on {
                                        next.insert(id.clone());
                                    } else {
                                        next.remove(&id);
                                    }
                                    ticked.set(next);
                                })
                            };
                            html! {
                                <label class="check-row">
                                    <input type="checkbox" class="attendee-checkbox" value={id.clone()} {checked} {onchange} />
                                    { name.clone() }
                                </label>
                            }
                        }) }
                        <div class="card-actions">
                            { busy_button(lang, None, "button-primary save-attendance-button", busy, [Key::SaveAttendance, Key::Saving], Some(save)) }
                            <button type="button" class="button button-secondary" onclick={cancel}>{ t(lang, Key::Cancel) }</button>
                        </div>
                    </fieldset>
                } else {
                    <button type="button" class="link-button mark-held-button" onclick={open}>{ t(lang, Key::MarkHeld) }</button>
                }
            }
        </li>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct TrainingFormProps {
    departments: Options,
    busy: bool,
}

#[function_component(TrainingForm)]
fn training_form(props: &TrainingFormProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let (title, department, date, topic) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    // Sessions added so far; the one still in the date and topic fields joins on submit.
    let sessions = use_state(Vec::<SessionInput>::new);
    let typed = {
        let (date, topic) = (date.clone(), topic.clone());
        move || {
            let (d, t) = (read(&date), read(&topic));
            (!d.trim().is_empty() || !t.trim().is_empty()).then(|| SessionInput {
                date: d,
                topic: t,
                attendees: Vec::new(),
            })
        }
    };
    let add = {
        let sessions = sessions.clone();
        let typed = typed.clone();
        let (date, topic) = (date.clone(), topic.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(session) = typed() {
                let mut next = (*sessions).clone();
                next.push(session);
                sessions.set(next);
                clear(&[date.clone(), topic.clone()]);
            }
        })
    };
    let onsubmit = {
        let sessions = sessions.clone();
        let (title, department, date, topic) = (
            title.clone(),
            department.clone(),
            date.clone(),
            topic.clone(),
        );
        let d = d.clone();
        let busy = props.busy;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy {
                return;
            }
            let mut all = (*sessions).clone();
            all.extend(typed());
            let command = Command::PlanTraining {
                title: read(&title),
                department: Some(read(&department)),
                sessions: all,
            };
            let sessions = sessions.clone();
            let fields = [title.clone(), date.clone(), topic.clone()];
            send(&d, command, move || {
                clear(&fields);
                sessions.set(Vec::new());
            });
        })
    };
    html! {
        <form id="training-form" class="grid-form assess-form" novalidate=true {onsubmit}>
            <h4 class="assess-form-title field-wide">{ t(lang, Key::PlanTraining) }</h4>
            <div class="field">
                <label for="training-title">{ t(lang, Key::TrainingTitle) }</label>
                <input id="training-title" ref={title} type="text" autocomplete="off" placeholder={t(lang, Key::TrainingTitleHint)} />
            </div>
            <div class="field">
                <label for="training-department">{ t(lang, Key::Department) }</label>
                <select id="training-department" class="select" ref={department}>
                    <option value="">{ t(lang, Key::StoreWide) }</option>
                    { for props.departments.iter().map(|(id, name)| html! {
                        <option value={id.clone()}>{ name.clone() }</option>
                    }) }
                </select>
            </div>
            <fieldset class="field-wide session-fields">
                <legend>{ t(lang, Key::Sessions) }</legend>
                if !sessions.is_empty() {
                    <ul class="draft-sessions">
                        { for sessions.iter().enumerate().map(|(i, s)| {
                            let remove = {
                                let sessions = sessions.clone();
                                Callback::from(move |_: MouseEvent| {
                                    let mut next = (*sessions).clone();
                                    if i < next.len() {
                                        next.remove(i);
                                    }
                                    sessions.set(next);
                                })
                            };
                            html! {
                                <li class="draft-session">
                                    <span>{ format!("{} · {}", s.date, s.topic) }</span>
                                    <button type="button" class="link-button remove-session-button" onclick={remove}>{ t(lang, Key::RemoveSession) }</button>
                                </li>
                            }
                        }) }
                    </ul>
                }
                <div class="session-inputs">
                    <div class="field">
                        <label for="session-date">{ t(lang, Key::MeetingDate) }</label>
                        <input id="session-date" ref={date} type="date" />
                    </div>
                    <div class="field">
                        <label for="session-topic">{ t(lang, Key::SessionTopic) }</label>
                        <input id="session-topic" ref={topic} type="text" autocomplete="off" />
                    </div>
                    <button type="button" id="add-session-button" class="button button-secondary" onclick={add}>
                        { t(lang, Key::AddSession) }
                    </button>
                </div>
            </fieldset>
            { submit_button(lang, "plan-training-button", Key::PlanTrainingButton, props.busy) }
        </form>
    }
}

// ---- Survey -----------------------------------------------------------------------

#[derive(Properties, PartialEq, Debug)]
struct SurveyItemProps {
    survey: SurveyRow,
    busy: bool,
}

#[function_component(SurveyItem)]
fn survey_item(props: &SurveyItemProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let survey = &props.survey;
    let comment = use_node_ref();
    let comment_id = format!("survey-comment-{}", survey.id);
    let answer = |score: u64| {
        let comment = comment.clone();
        let d = d.clone();
        let (id, busy) = (survey.id.clone(), props.busy);
        Callback::from(move |_: MouseEvent| {
            if busy {
                return;
            }
            let command = Command::AnswerSurvey {
                survey_id: id.clone(),
                score,
                comment: read(&comment),
            };
            send(&d, command, || {});
        })
    };
    html! {
        <li class="survey" data-survey-id={survey.id.clone()} data-answered={survey.answered_here.to_string()}>
            <div class="assess-row">
                <span class="assess-name">{ survey.title.clone() }</span>
                <span class="assess-meta survey-count">{ i18n::survey_answers(lang, survey.answers) }</span>
            </div>
            if survey.answered_here {
                <p class="survey-answered">{ t(lang, Key::Answered) }</p>
                { match &survey.delivery {
                    Some(AnswerDelivery::WaitingToSend) => html! {
                        <p class="assess-meta survey-delivery" data-delivery="waiting_to_send">{ t(lang, Key::AnswerWaiting) }</p>
                    },
                    Some(AnswerDelivery::Sent) => html! {
                        <p class="assess-meta survey-delivery" data-delivery="sent">{ t(lang, Key::AnswerSent) }</p>
                    },
                    Some(AnswerDelivery::Refused(why)) => html! {
                        <p class="assess-meta survey-delivery" data-delivery="refused">{ format!("{} {why}", t(lang, Key::AnswerRefused)) }</p>
                    },
                    None => html! {},
                } }
            } else {
                <div class="survey-answer">
                    <label for={comment_id.clone()}>{ t(lang, Key::CommentOptional) }</label>
                    <textarea id={comment_id} class="survey-comment" ref={comment.clone()} rows="2"></textarea>
                    <p class="card-intro">{ t(lang, Key::YourAnswer) }</p>
                    <div class="survey-scores" role="group" aria-label={t(lang, Key::ScaleHint)}>
                        { for (1..=5u64).map(|score| html! {
                            <button
                                type="button"
                                class="button button-secondary survey-answer-button"
                                data-score={score.to_string()}
                                disabled={props.busy}
                                onclick={answer(score)}
                            >
                                { score }
                            </button>
                        }) }
                    </div>
                    <p class="assess-meta">{ t(lang, Key::ScaleHint) }</p>
                </div>
            }
            if let Some(results) = &survey.results {
                <div class="survey-results">
                    <p class="survey-mean">{ i18n::survey_mean(lang, results.mean) }</p>
                    { distribution_chart(lang, &results.distribution) }
                    if !results.comments.is_empty() {
                        <p class="assess-form-title">{ t(lang, Key::SurveyComments) }</p>
                        <ul class="survey-comments">
                            { for results.comments.iter().map(|c| html! { <li>{ c.clone() }</li> }) }
                        </ul>
                    }
                </div>
            } else {
                <p class="assess-meta survey-pending">{ t(lang, Key::ResultsFrom5) }</p>
            }
        </li>
    }
}

/// Five bars, one per score, scaled to the tallest, with the count over each.
fn distribution_chart(lang: Lang, distribution: &[usize; 5]) -> Html {
    const BAR: f64 = 28.0;
    const GAP: f64 = 12.0;
    const TOP: f64 = 16.0;
    const HEIGHT: f64 = 70.0;
    let shares = assessment::bar_shares(distribution);
    let label = format!(
        "{}: {}",
        t(lang, Key::AnswersByScore),
        distribution
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{} → {n}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    html! {
        <svg class="survey-chart" viewBox="0 0 200 104" width="200" height="104" role="img" aria-label={label}>
            { for shares.iter().zip(distribution.iter()).enumerate().map(|(i, (share, n))| {
                #[allow(clippy::cast_precision_loss)]
                let x = GAP / 2.0 + i as f64 * (BAR + GAP);
                let h = (share * HEIGHT).max(if *n > 0 { 2.0 } else { 0.0 });
                let y = TOP + HEIGHT - h;
                html! {
                    <g class="survey-bar" data-score={(i + 1).to_string()} data-count={n.to_string()}>
                        <rect x={x.to_string()} y={y.to_string()} width={BAR.to_string()} height={h.to_string()} rx="3" />
                        <text x={(x + BAR / 2.0).to_string()} y={(y - 3.0).to_string()} text-anchor="middle" class="survey-bar-count">{ n }</text>
                        <text x={(x + BAR / 2.0).to_string()} y="100" text-anchor="middle" class="survey-bar-label">{ i + 1 }</text>
                    </g>
                }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct SurveyFormProps {
    busy: bool,
}

#[function_component(SurveyForm)]
fn survey_form(props: &SurveyFormProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let title = use_node_ref();
    let onsubmit = {
        let title = title.clone();
        let fields = vec![title.clone()];
        submit_clearing(&d, props.busy, fields, move || Command::OpenSurvey {
            title: read(&title),
        })
    };
    html! {
        <form id="survey-form" class="grid-form assess-form" novalidate=true {onsubmit}>
            <h4 class="assess-form-title field-wide">{ t(lang, Key::OpenSurvey) }</h4>
            <div class="field field-wide">
                <label for="survey-title">{ t(lang, Key::SurveyTitle) }</label>
                <input id="survey-title" ref={title} type="text" autocomplete="off" placeholder={t(lang, Key::SurveyTitleHint)} />
            </div>
            { submit_button(lang, "open-survey-button", Key::OpenSurveyButton, props.busy) }
        </form>
    }
}
