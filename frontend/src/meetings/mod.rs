//! Meetings: agenda, minutes and action items.

pub mod calls;
pub mod view;

pub use view::MeetingsView;
