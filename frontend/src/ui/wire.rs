//! The wire spelling of the api's enums (`in_progress`, `as_needed`, `weekly`, …), exactly
//! as serde writes it, for the page: `<option>` values, `data-*` attributes and CSS
//! classes; and back from what a `<select>` holds.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::de::value::{Error, StrDeserializer};

/// How `value` is spelled on the wire; empty for a value that is not spelled as a string.
pub fn name<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The value spelled `text` on the wire, if there is one.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<Error>::new(text)).ok()
}

#[cfg(test)]
mod tests {
    use storeops_api::{
        Cadence, KpiMetric, PlanAction, PlanLevel, PlanStatus, Priority, ReportStatus, Role,
        TaskStatus,
    };

    use super::*;

    #[test]
    fn names_are_the_wire_spelling_and_read_back() {
        assert_eq!(name(TaskStatus::InProgress), "in_progress");
        assert_eq!(name(Cadence::AsNeeded), "as_needed");
        assert_eq!(name(PlanLevel::Weekly), "weekly");
        assert_eq!(name(ReportStatus::InProgress), "in_progress");
        assert_eq!(name(Role::DepartmentManager), "department_manager");
        assert_eq!(name(KpiMetric::OnTimeRate), "on_time_rate");
        assert_eq!(parse("as_needed"), Some(Cadence::AsNeeded));
        assert_eq!(parse("approved"), Some(PlanStatus::Approved));
        assert_eq!(parse("return"), Some(PlanAction::Return));
        assert_eq!(parse("urgent"), Some(Priority::Urgent));
        assert_eq!(parse::<Cadence>("hourly"), None);
        assert_eq!(parse::<Role>(""), None);
    }
}
