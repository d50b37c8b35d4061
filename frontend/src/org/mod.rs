//! The org chart and its editing: departments, positions, people.

pub mod add_person;
pub mod calls;
pub mod department_form;
pub mod editing;
pub mod org_chart;
pub mod org_editor;
pub mod people_editor;
pub mod position_form;

pub use add_person::AddPersonForm;
pub use org_chart::OrgChartView;
pub use org_editor::OrgEditor;
