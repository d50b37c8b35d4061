//! Meetings: agenda, minutes and action items.

pub mod view;

pub use view::MeetingsView;
