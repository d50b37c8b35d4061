//! The planning cascade: annual, monthly and weekly plans.

pub mod board;
pub mod calls;
pub mod cascade;
pub mod plan_detail;
pub mod plan_form;

pub use board::PlansView;
