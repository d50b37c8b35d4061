//! The screen's pieces. Each takes what it shows as props and reports what the user does
//! through `Callback`s; none of them calls the backend.

mod add_task;
mod enrol;
mod error_banner;
mod header;
mod progress;
mod saved;
mod sync_indicator;
mod task_item;
mod task_list;

pub use add_task::AddTaskForm;
pub use enrol::EnrolForm;
pub use error_banner::ErrorBanner;
pub use header::AppHeader;
pub use progress::TaskProgress;
pub use saved::SavedToast;
pub use sync_indicator::SyncIndicator;
pub use task_list::TaskList;
