use crate::shell::context::{use_dispatch, use_lang};
use crate::shell::controller::navigate;
use yew::prelude::*;

use crate::i18n::{Key, t};
use crate::shell::state::Screen;
use crate::ui::sheet::Sheet;

#[derive(Properties, PartialEq, Debug)]
pub struct AppNavProps {
    pub current: Screen,
    /// Managers also see the screens only they use (the team board).
    #[prop_or_default]
    pub manager: bool,
}

/// The screens of an enrolled device: a row of tabs in the header on tablets and laptops,
/// a tab bar fixed to the bottom of the screen on phones (the stylesheet moves it). A phone's
/// bar holds the few screens the person's role uses most ([`on_phone_bar`]) and "More",
/// which opens the rest as a sheet; wider screens show every tab and no "More".
#[function_component(AppNav)]
pub fn app_nav(props: &AppNavProps) -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let more_open = use_state(|| false);
    let screens: Vec<Screen> = Screen::ALL
        .into_iter()
        .filter(|s| props.manager || !s.managers_only())
        .collect();
    let go = |screen: Screen| {
        let d = d.clone();
        let more_open = more_open.clone();
        Callback::from(move |_: MouseEvent| {
            more_open.set(false);
            navigate(&d, screen);
        })
    };
    // A screen's button: its tab (`nav-…`), or its row in "More" (`more-…`).
    let button = |id: &str, class: &'static str, label_class: &'static str, screen: Screen| {
        let current = screen == props.current;
        html! {
            <button
                type="button"
                id={format!("{id}-{}", screen.slug())}
                class={classes!(class, current.then_some("is-current"))}
                aria-current={current.then_some("page")}
                onclick={go(screen)}
            >
                { icon(screen) }
                <span class={label_class}>{ t(lang, label(screen)) }</span>
            </button>
        }
    };
    let tab = |screen: Screen| {
        let bar = on_phone_bar(screen, props.manager);
        html! {
            <li class={classes!("app-nav-item", (!bar).then_some("is-under-more"))}>
                { button("nav", "app-nav-button", "app-nav-label", screen) }
            </li>
        }
    };
    let under_more: Vec<Screen> = screens
        .iter()
        .copied()
        .filter(|s| !on_phone_bar(*s, props.manager))
        .collect();
    let more_current = under_more.contains(&props.current);
    let toggle = {
        let more_open = more_open.clone();
        Callback::from(move |_: MouseEvent| more_open.set(!*more_open))
    };
    let close = {
        let more_open = more_open.clone();
        Callback::from(move |()| more_open.set(false))
    };
    let more_item = |screen: Screen| html! { <li>{ button("more", "more-screen", "more-screen-label", screen) }</li> };
    html! {
        <nav class="app-nav" aria-label={t(lang, Key::MainNav)}>
            <ul class="app-nav-list">
                { for screens.iter().copied().map(tab) }
                <li class="app-nav-item app-nav-more">
                    <button
                        type="button"
                        id="nav-more"
                        class={classes!("app-nav-button", more_current.then_some("is-current"))}
                        aria-haspopup="dialog"
                        aria-expanded={(*more_open).to_string()}
                        onclick={toggle}
                    >
                        { more_icon() }
                        <span class="app-nav-label">{ t(lang, Key::NavMore) }</span>
                    </button>
                </li>
            </ul>
            if *more_open {
                <Sheet id="more-screens" title={t(lang, Key::NavMore)} on_close={close}>
                    <ul class="more-screens">{ for under_more.into_iter().map(more_item) }</ul>
                </Sheet>
            }
        </nav>
    }
}

/// Whether a phone's tab bar shows `screen` itself rather than under "More": what staff
/// use through the day (their tasks, their standing duties, reporting a problem), and for
/// managers their team's work and plans instead of the duty register.
pub fn on_phone_bar(screen: Screen, manager: bool) -> bool {
    match screen {
        Screen::Today | Screen::Feedback => true,
        Screen::Duties => !manager,
        Screen::Team | Screen::Plans => manager,
        _ => false,
    }
}

pub fn label(screen: Screen) -> Key {
    match screen {
        Screen::Today => Key::NavToday,
        Screen::Duties => Key::NavDuties,
        Screen::Team => Key::NavTeam,
        Screen::Task => Key::NavTask,
        Screen::Org => Key::NavOrg,
        Screen::Plans => Key::NavPlans,
        Screen::Meetings => Key::NavMeetings,
        Screen::Feedback => Key::NavFeedback,
        Screen::Assessment => Key::NavAssessment,
        Screen::Dashboard => Key::NavDashboard,
        Screen::Chain => Key::NavChain,
        Screen::Settings => Key::NavSettings,
    }
}

/// Three dots in a row: more screens.
fn more_icon() -> Html {
    line_icon(html! {
        <g fill="currentColor" stroke="none">
            <circle cx="5.5" cy="12" r="1.9" />
            <circle cx="12" cy="12" r="1.9" />
            <circle cx="18.5" cy="12" r="1.9" />
        </g>
    })
}

/// A line icon drawn in the text colour, so it follows the active and dark styles.
pub(crate) fn icon(screen: Screen) -> Html {
    let shapes = match screen {
        // A calendar page with a tick.
        Screen::Today | Screen::Task => html! {
            <>
                <rect x="3.5" y="5" width="17" height="15.5" rx="2.5" />
                <path d="M8 3v4M16 3v4M3.5 10h17M9 15l2 2 4-4" />
            </>
        },
        // A clipboard with lines.
        Screen::Duties => html! {
            <>
                <rect x="5" y="4.5" width="14" height="16.5" rx="2.5" />
                <path d="M9 4.5V3h6v1.5M8.5 10h7M8.5 13.5h7M8.5 17h4" />
            </>
        },
        // Two people, one in front of the other.
        Screen::Team => html! {
            <>
                <circle cx="9" cy="8" r="3.2" />
                <path d="M3 20c0-3.6 2.7-6 6-6s6 2.4 6 6" />
                <circle cx="16.5" cy="7" r="2.6" />
                <path d="M16 12.6c3 0 5 2.1 5 5.4" />
            </>
        },
        // A box over two boxes, joined.
        Screen::Org => html! {
            <>
                <rect x="8.5" y="3" width="7" height="5.5" rx="1.5" />
                <rect x="2.5" y="15.5" width="7" height="5.5" rx="1.5" />
                <rect x="14.5" y="15.5" width="7" height="5.5" rx="1.5" />
                <path d="M12 8.5V12M6 15.5V12h12v3.5" />
            </>
        },
        // Three stacked bars, narrowing: the cascade.
        Screen::Plans => html! {
            <>
                <rect x="3" y="3.5" width="18" height="4.5" rx="1.5" />
                <rect x="6" y="10" width="12" height="4.5" rx="1.5" />
                <rect x="9" y="16.5" width="6" height="4.5" rx="1.5" />
            </>
        },
        // Two speech bubbles.
        Screen::Meetings => html! {
            <>
                <path d="M3.5 5.5a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2H9l-3.5 3v-3h0a2 2 0 0 1-2-2z" />
                <path d="M18.5 9h0a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2v3L15 18h-3.5a2 2 0 0 1-2-2v-1" />
            </>
        },
        // A flag on a pole.
        Screen::Feedback => html! {
            <>
                <path d="M5 21V3.5" />
                <path d="M5 4h12l-2.5 4L17 12H5" />
            </>
        },
        // A rosette: a medal on two ribbons.
        Screen::Assessment => html! {
            <>
                <circle cx="12" cy="9" r="5.5" />
                <path d="M9 13.8 7.5 21l4.5-2.5 4.5 2.5-1.5-7.2" />
                <path d="m10 9 1.5 1.5L14.5 7.5" />
            </>
        },
        // Bars over a baseline.
        Screen::Dashboard => html! {
            <>
                <path d="M3.5 20.5h17" />
                <rect x="5" y="11" width="3.5" height="7" rx="1" />
                <rect x="10.25" y="5" width="3.5" height="13" rx="1" />
                <rect x="15.5" y="8.5" width="3.5" height="9.5" rx="1" />
            </>
        },
        // Three shop fronts side by side, one taller: the stores of a chain.
        Screen::Chain => html! {
            <>
                <path d="M2.5 20.5h19" />
                <path d="M3.5 20.5v-8l3-2.5 3 2.5v8" />
                <path d="M9.5 20.5V8l3-3 3 3v12.5" />
                <path d="M15.5 20.5v-8l3-2.5 3 2.5v8" />
                <path d="M11 20.5v-4h3v4" />
            </>
        },
        // Three sliders.
        Screen::Settings => html! {
            <>
                <path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" />
                <circle cx="15" cy="6" r="2" />
                <circle cx="9" cy="12" r="2" />
                <circle cx="17" cy="18" r="2" />
            </>
        },
    };
    line_icon(shapes)
}

/// The icons' frame: 24 units square, lines in the text colour.
fn line_icon(shapes: Html) -> Html {
    html! {
        <svg
            class="app-nav-icon"
            viewBox="0 0 24 24"
            width="24"
            height="24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
        >
            { shapes }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_bar_has_today_and_room_for_more_for_every_role() {
        for manager in [false, true] {
            let offered: Vec<Screen> = Screen::ALL
                .into_iter()
                .filter(|s| manager || !s.managers_only())
                .collect();
            let bar: Vec<Screen> = offered
                .iter()
                .copied()
                .filter(|s| on_phone_bar(*s, manager))
                .collect();
            assert!(bar.contains(&Screen::Today) && bar.contains(&Screen::Feedback));
            // With "More", four or five tabs: each at least 72 px wide on a 360 px phone.
            assert!((3..=4).contains(&bar.len()), "{manager}: {bar:?}");
            assert!(bar.len() < offered.len());
        }
        assert!(
            !on_phone_bar(Screen::Team, false),
            "staff have no team board"
        );
    }
}
