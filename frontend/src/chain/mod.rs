//! The director's chain: every store this device holds side by side (worst first), a
//! way into each, the store switcher in the header and adding another store.

pub mod add_store;
pub mod calls;
pub mod store_switcher;
pub mod view;

pub use add_store::AddStoreCard;
pub use store_switcher::StoreSwitcher;
pub use view::ChainView;
