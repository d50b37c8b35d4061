//! Managers' charts and the printable report.

pub mod calls;
pub mod view;

pub use view::DashboardView;
