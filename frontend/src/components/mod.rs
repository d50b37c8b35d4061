//! The screen's pieces. Each takes what it shows as props and reports what the user does
//! through `Callback`s; none of them calls the backend.

mod add_person;
mod add_task;
mod duty_editor;
mod duty_form;
mod duty_raci;
mod duty_register;
mod enrol;
mod error_banner;
mod header;
mod line_form;
mod loading;
mod my_duties;
mod nav;
mod org_chart;
mod owner_picker;
mod owner_select;
mod progress;
mod saved;
mod settings;
mod sheet;
mod sync_indicator;
mod task_detail;
mod task_item;
mod task_list;
mod team_board;

pub use add_person::AddPersonForm;
pub use add_task::AddTaskForm;
pub use duty_editor::DutyEditor;
pub use duty_register::DutyRegisterView;
pub use enrol::EnrolForm;
pub use error_banner::ErrorBanner;
pub use header::AppHeader;
pub use loading::{LoadFailed, Loading};
pub use my_duties::MyDuties;
pub use nav::{AppNav, label as nav_label};
pub use org_chart::OrgChartView;
pub use progress::TaskProgress;
pub use saved::SavedToast;
pub use settings::Settings;
pub use sync_indicator::SyncIndicator;
pub use task_detail::TaskDetailView;
pub use task_list::TaskList;
pub use team_board::TeamBoardView;
