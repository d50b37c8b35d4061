use std::rc::Rc;

use storeops_api::chain::{Chain, ChainStore};
use storeops_api::dashboard::StoreSummary;
use yew::prelude::*;

use crate::chain::calls;
use crate::i18n::{Key, Lang, t};
use crate::shell::context::{use_busy, use_dispatch, use_lang};
use crate::shell::state::{Op, Screen};
use crate::ui::chart;
use crate::ui::charts::{Bar, BarChart};

#[derive(Properties, PartialEq, Debug)]
pub struct ChainViewProps {
    pub chain: Rc<Chain>,
}

/// Every store this device holds side by side, worst first (as the device orders
/// them): each store's figures from its own dashboard, in bars, and a way into it.
#[function_component(ChainView)]
pub fn chain_view(props: &ChainViewProps) -> Html {
    let lang = use_lang();
    let stores = &props.chain.stores;
    let share_bars = |of: fn(&StoreSummary) -> Option<f64>| -> Vec<Bar> {
        stores
            .iter()
            .map(|s| {
                let value = s.summary.as_ref().and_then(of);
                Bar {
                    label: s.store.name.clone(),
                    value: value.unwrap_or(0.0),
                    note: value.map_or_else(|| "–".to_owned(), chart::percent),
                    tone: match value {
                        Some(v) if v < 0.6 => "bar-danger",
                        Some(v) if v < 0.85 => "bar-warn",
                        _ => "bar-ok",
                    },
                }
            })
            .collect()
    };
    let count_bars = |of: fn(&StoreSummary) -> usize| -> Vec<Bar> {
        stores
            .iter()
            .map(|s| {
                let value = s.summary.as_ref().map(of);
                Bar {
                    label: s.store.name.clone(),
                    value: value.unwrap_or(0) as f64,
                    note: value.map_or_else(|| "–".to_owned(), |v| v.to_string()),
                    tone: if value.unwrap_or(0) > 0 {
                        "bar-danger"
                    } else {
                        "bar-ok"
                    },
                }
            })
            .collect()
    };
    let empty = t(lang, Key::NoStoreFigures);
    html! {
        <>
            <p class="screen-note chain-intro">{ t(lang, Key::ChainIntro) }</p>
            <ol class="chain-stores" id="chain-stores">
                { for stores.iter().map(|s| html! { <StoreCard store={s.clone()} /> }) }
            </ol>
            <div class="dashboard-grid" id="chain">
                <div class="chart-card">
                    <BarChart id="chain-completion" title={t(lang, Key::ChainCompletion)} bars={share_bars(|s| s.completion)} {empty} />
                </div>
                <div class="chart-card">
                    <BarChart id="chain-on-time" title={t(lang, Key::ChainOnTime)} bars={share_bars(|s| s.on_time)} {empty} />
                </div>
                <div class="chart-card">
                    <BarChart id="chain-overdue" title={t(lang, Key::ChainOverdue)} bars={count_bars(|s| s.overdue)} count_floor={Some(4.0)} {empty} />
                </div>
                <div class="chart-card">
                    <BarChart id="chain-feedback" title={t(lang, Key::ChainFeedback)} bars={count_bars(|s| s.open_feedback)} count_floor={Some(4.0)} {empty} />
                </div>
                <div class="chart-card">
                    <BarChart id="chain-plans" title={t(lang, Key::ChainPlans)} bars={share_bars(|s| s.plan_progress)} {empty} />
                </div>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct StoreCardProps {
    store: ChainStore,
}

/// One store's figures and "Open this store" (its dashboard).
#[function_component(StoreCard)]
fn store_card(props: &StoreCardProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let busy = use_busy(Op::SwitchStore);
    let s = &props.store;
    let open = {
        let id = s.store.id.clone();
        Callback::from(move |_: MouseEvent| calls::switch_store(&d, id.clone(), Screen::Dashboard))
    };
    html! {
        <li class={classes!("card", "chain-store", s.chosen.then_some("is-current"))} data-store={s.store.id.clone()}>
            <div class="chain-store-head">
                <h3 class="card-title chain-store-name">{ s.store.name.clone() }</h3>
                if s.chosen {
                    <span class="badge">{ t(lang, Key::ShownNow) }</span>
                }
            </div>
            { match &s.summary {
                Some(summary) => figures(lang, summary),
                None => html! { <p class="chart-note">{ t(lang, Key::NoStoreFigures) }</p> },
            } }
            <button type="button" class="button button-secondary chain-open-store" disabled={busy} onclick={open}>
                { t(lang, Key::OpenThisStore) }
            </button>
        </li>
    }
}

fn figures(lang: Lang, s: &StoreSummary) -> Html {
    let share = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), chart::percent);
    let fact = |key: Key, value: String, warn: bool| {
        html! {
            <div class={classes!("org-total", warn.then_some("is-warning"))}>
                <dt class="org-total-label">{ t(lang, key) }</dt>
                <dd class="org-total-value">{ value }</dd>
            </div>
        }
    };
    html! {
        <dl class="org-totals chain-figures">
            { fact(Key::Completion, share(s.completion), false) }
            { fact(Key::OnTime, share(s.on_time), false) }
            { fact(Key::OverdueCount, s.overdue.to_string(), s.overdue > 0) }
            { fact(Key::OpenFeedback, s.open_feedback.to_string(), s.open_feedback > 0) }
            { fact(Key::PlanProgress, share(s.plan_progress), false) }
        </dl>
    }
}
