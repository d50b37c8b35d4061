//! The duty register and my duties.

pub mod calls;
pub mod duty_editor;
pub mod duty_form;
pub mod duty_raci;
pub mod duty_register;
pub mod my_duties;

pub use duty_editor::DutyEditor;
pub use duty_register::DutyRegisterView;
pub use my_duties::MyDuties;
