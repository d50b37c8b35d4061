//! Problems reported, and reporting one.

pub mod view;

pub use view::FeedbackView;
