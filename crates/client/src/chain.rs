//! The director's chain: every store this device holds side by side, each with its
//! own dashboard's summary ([`storeops_api::dashboard::StoreSummary`], computed by the
//! store's own dashboard from the store's own documents), worst first.

use storeops_api::chain::{Chain, ChainStore};
use storeops_api::command::GetChain;

use crate::device::Run;
use crate::{ClientError, Device};

impl Run<GetChain> for Device {
    fn run(&self, c: GetChain) -> Result<Chain, ClientError> {
        let weeks = c.weeks.unwrap_or(8) as usize;
        let mut chain = Chain::default();
        for store in self.held() {
            // One store's lock at a time.
            let r = store.replica();
            let Some(info) = r.store_info() else {
                continue;
            };
            chain.stores.push(ChainStore {
                store: info,
                chosen: store.same_store(self),
                summary: r.dashboard(weeks).ok().map(|d| d.summary),
            });
        }
        chain.order();
        Ok(chain)
    }
}
