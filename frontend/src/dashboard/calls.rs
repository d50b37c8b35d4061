//! The dashboard's printable report.

use crate::services::browser;
use crate::shell::run::Dispatch;
use crate::shell::state::Action;

/// "Print report": the printable view, then the print dialog once it has rendered.
pub fn print_report(d: &Dispatch) {
    d.dispatch(Action::PrintView(true));
    browser::scroll_to_top();
    browser::after(300, browser::print_page);
}

pub fn close_print(d: &Dispatch) {
    d.dispatch(Action::PrintView(false));
}
