//! Settings, enrolment and opening a new store.

pub mod calls;
pub mod devices;
pub mod enrol;
pub mod invite_link;
pub mod open_store;
pub mod templates;
pub mod view;

pub use enrol::EnrolForm;
pub use view::Settings;
