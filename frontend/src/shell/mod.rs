//! The frame around every screen: the root component and its state, the context it provides, the one way to run a command, the header, navigation, sync indicator, error banner, the notice of data that could not be read, "Saved", and the web app's own notices.

pub mod app;
pub mod context;
pub mod controller;
pub mod error_banner;
pub mod header;
pub mod nav;
pub mod run;
pub mod saved;
pub mod state;
pub mod sync_indicator;
pub mod unreadable_notice;
pub mod web_app;

pub use error_banner::ErrorBanner;
pub use header::AppHeader;
pub use nav::{AppNav, label as nav_label};
pub use saved::SavedToast;
pub use sync_indicator::SyncIndicator;
pub use unreadable_notice::UnreadableNotice;
pub use web_app::{DamagedStorage, OtherTab, StorageCleared, UpdateBanner};
