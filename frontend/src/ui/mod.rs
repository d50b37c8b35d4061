//! Widgets and helpers every screen family shares: charts, the sheet, loading, one-line forms, owner pickers, dates and the wire spellings.

pub mod busy_button;
pub mod chart;
pub mod charts;
pub mod form;
pub mod format;
pub mod line_form;
pub mod loading;
pub mod owner_picker;
pub mod owner_select;
pub mod period;
pub mod qr;
pub mod seed;
pub mod sheet;
pub mod wire;

pub use busy_button::busy_button;
pub use loading::{LoadFailed, Loading};
pub use qr::qr_svg;
