use storeops_api::tasks::Staffing;
use storeops_domain::Owner;
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};

/// The `<option>`s of a picker of owners: "Unassigned" (value `""`), then positions, then
/// active people. `selected` is preselected; if it is not among them (the list has not
/// arrived, or names someone gone), it is offered too, under `selected_name`.
pub fn owner_options(
    lang: Lang,
    staffing: Option<&Staffing>,
    except: Option<&str>,
    selected: Option<&str>,
    selected_name: Option<&str>,
) -> Html {
    let is = |id: &str| selected == Some(id);
    let offered = |id: &str| except != Some(id);
    let positions: Vec<Html> = staffing
        .map(|s| s.positions.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let id = Owner::Position(p.id.clone()).to_string();
            offered(&id).then(|| {
                html! {
                    <option value={id.clone()} selected={is(&id)}>
                        { i18n::position_choice(&p.title, &p.department) }
                    </option>
                }
            })
        })
        .collect();
    let people: Vec<Html> = staffing
        .map(|s| s.people.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|p| p.active)
        .filter_map(|p| {
            let id = Owner::Person(p.id.clone()).to_string();
            offered(&id).then(|| {
                html! { <option value={id.clone()} selected={is(&id)}>{ p.name.clone() }</option> }
            })
        })
        .collect();
    let known = staffing.is_some_and(|s| {
        s.positions
            .iter()
            .map(|p| Owner::Position(p.id.clone()).to_string())
            .chain(
                s.people
                    .iter()
                    .filter(|p| p.active)
                    .map(|p| Owner::Person(p.id.clone()).to_string()),
            )
            .any(|id| is(&id))
    });
    let extra = selected.filter(|id| !known && offered(id)).map(|id| {
        html! {
            <option value={id.to_owned()} selected=true>
                { selected_name.unwrap_or(id).to_owned() }
            </option>
        }
    });
    html! {
        <>
            <option value="" selected={selected.is_none()}>{ t(lang, Key::Unassigned) }</option>
            { for extra }
            if !positions.is_empty() {
                <optgroup label={t(lang, Key::PositionsGroup)}>{ for positions }</optgroup>
            }
            if !people.is_empty() {
                <optgroup label={t(lang, Key::PeopleGroup)}>{ for people }</optgroup>
            }
        </>
    }
}
