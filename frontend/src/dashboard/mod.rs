//! Managers' charts and the printable report.

pub mod view;

pub use view::DashboardView;
