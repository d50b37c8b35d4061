use std::collections::BTreeSet;

use crate::shell::context::use_lang;
use storeops_api::org::OrgDepartment;
use storeops_api::tasks::Staffing;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{self, Key, t};

/// A list of (id, name) under an optional heading, as an [`OwnerChecklist`] shows it.
pub type ChoiceGroup = (Option<Key>, Vec<(String, String)>);

/// Who a duty (or a RACI role) can belong to: departments, positions, people.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnerChoices {
    /// (owner id, name), in each group's order.
    pub departments: Vec<(String, String)>,
    pub positions: Vec<(String, String)>,
    pub people: Vec<(String, String)>,
}

impl OwnerChoices {
    /// Departments from the chart when it is known, else as the duty register names them;
    /// positions and active people from `people_and_positions`.
    pub fn new(departments: &[(String, String)], staffing: Option<&Staffing>) -> Self {
        let departments = departments
            .iter()
            .map(|(id, name)| (format!("department:{id}"), name.clone()))
            .collect();
        let positions = staffing
            .map(|s| {
                s.positions
                    .iter()
                    .map(|p| {
                        (
                            format!("position:{}", p.id),
                            i18n::position_choice(&p.title, &p.department),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let people = staffing
            .map(|s| {
                s.people
                    .iter()
                    .filter(|p| p.active)
                    .map(|p| (format!("person:{}", p.id), p.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            departments,
            positions,
            people,
        }
    }

    pub fn from_org(departments: &[OrgDepartment], staffing: Option<&Staffing>) -> Self {
        let named: Vec<_> = departments
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect();
        Self::new(&named, staffing)
    }

    fn groups(&self) -> [(Key, &[(String, String)]); 3] {
        [
            (Key::DepartmentsGroup, &self.departments),
            (Key::PositionsGroup, &self.positions),
            (Key::PeopleGroup, &self.people),
        ]
    }

    fn knows(&self, id: &str) -> bool {
        self.groups()
            .iter()
            .any(|(_, list)| list.iter().any(|(i, _)| i == id))
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct OwnerSelectProps {
    pub id: AttrValue,
    pub choices: std::rc::Rc<OwnerChoices>,
    /// The owner id chosen, `""` for none.
    pub value: AttrValue,
    /// What "none" is called.
    pub none: Key,
    /// The name to show for `value` if the choices do not list it.
    #[prop_or_default]
    pub value_name: Option<AttrValue>,
    pub on_change: Callback<String>,
}

/// One owner, or none.
#[function_component(OwnerSelect)]
pub fn owner_select(props: &OwnerSelectProps) -> Html {
    let lang = use_lang();
    let value = props.value.as_str();
    let onchange = props.on_change.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        select.value()
    });
    let extra = (!value.is_empty() && !props.choices.knows(value)).then(|| {
        let name = props
            .value_name
            .clone()
            .unwrap_or_else(|| props.value.clone());
        html! { <option value={props.value.clone()} selected=true>{ name }</option> }
    });
    html! {
        <select id={props.id.clone()} class="select" {onchange}>
            <option value="" selected={value.is_empty()}>{ t(lang, props.none) }</option>
            { for extra }
            {
                for props.choices.groups().into_iter().filter(|(_, list)| !list.is_empty()).map(|(key, list)| html! {
                    <optgroup label={t(lang, key)}>
                        {
                            for list.iter().map(|(id, name)| html! {
                                <option value={id.clone()} selected={value == id}>{ name.clone() }</option>
                            })
                        }
                    </optgroup>
                })
            }
        </select>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct OwnerChecklistProps {
    pub id: AttrValue,
    /// The legend.
    pub label: AttrValue,
    /// (id, name) groups under their headings; a group with no heading has `None`.
    pub groups: Vec<ChoiceGroup>,
    pub chosen: BTreeSet<String>,
    pub on_change: Callback<BTreeSet<String>>,
}

/// Several of a list, as ticks in a box that scrolls when the list is long.
#[function_component(OwnerChecklist)]
pub fn owner_checklist(props: &OwnerChecklistProps) -> Html {
    let lang = use_lang();
    let item = |id: &String, name: &String| {
        let checked = props.chosen.contains(id);
        let onchange = {
            let (chosen, id) = (props.chosen.clone(), id.clone());
            props.on_change.reform(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut chosen = chosen.clone();
                if input.checked() {
                    chosen.insert(id.clone());
                } else {
                    chosen.remove(&id);
                }
                chosen
            })
        };
        html! {
            <label class="tick">
                <input type="checkbox" value={id.clone()} {checked} {onchange} />
                <span>{ name.clone() }</span>
            </label>
        }
    };
    html! {
        <fieldset id={props.id.clone()} class="ticks">
            <legend>{ props.label.clone() }</legend>
            <div class="ticks-box">
                {
                    for props.groups.iter().filter(|(_, list)| !list.is_empty()).map(|(heading, list)| html! {
                        <div class="ticks-group">
                            if let Some(key) = heading {
                                <p class="ticks-heading">{ t(lang, *key) }</p>
                            }
                            { for list.iter().map(|(id, name)| item(id, name)) }
                        </div>
                    })
                }
            </div>
        </fieldset>
    }
}

impl OwnerChoices {
    /// The groups for an [`OwnerChecklist`].
    pub fn checklist_groups(&self) -> Vec<ChoiceGroup> {
        self.groups()
            .into_iter()
            .map(|(key, list)| (Some(key), list.to_vec()))
            .collect()
    }
}
