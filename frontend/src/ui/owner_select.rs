use storeops_api::tasks::Staffing;
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};

/// Someone work can be assigned to: a position (whoever holds it) or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerKind {
    Position,
    Person,
}

/// The owner id of a position or a person, as tasks and `reassign_*` commands carry it.
pub fn owner_id(kind: OwnerKind, id: &str) -> String {
    match kind {
        OwnerKind::Position => format!("position:{id}"),
        OwnerKind::Person => format!("person:{id}"),
    }
}

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
            let id = owner_id(OwnerKind::Position, &p.id);
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
            let id = owner_id(OwnerKind::Person, &p.id);
            offered(&id).then(|| {
                html! { <option value={id.clone()} selected={is(&id)}>{ p.name.clone() }</option> }
            })
        })
        .collect();
    let known = staffing.is_some_and(|s| {
        s.positions
            .iter()
            .map(|p| owner_id(OwnerKind::Position, &p.id))
            .chain(
                s.people
                    .iter()
                    .filter(|p| p.active)
                    .map(|p| owner_id(OwnerKind::Person, &p.id)),
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
