//! Problems reported, and reporting one.

pub mod calls;
pub mod view;

pub use view::FeedbackView;
