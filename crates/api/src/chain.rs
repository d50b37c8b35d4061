//! The director's chain: every store one device holds, side by side.

use serde::{Deserialize, Serialize};

use crate::dashboard::StoreSummary;
use crate::status::StoreInfo;

/// The stores this device holds, worst first ([`Chain::order`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    pub stores: Vec<ChainStore>,
}

/// One store of the chain, with its own dashboard's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainStore {
    pub store: StoreInfo,
    /// The store the screens show now.
    pub chosen: bool,
    /// `None` when this device may not see that store's dashboard (not a manager
    /// there) or its documents have not arrived yet.
    pub summary: Option<StoreSummary>,
}

impl Chain {
    /// Worst first: the lowest completion rate (a store with nothing due, or with no
    /// summary, last), then the most overdue tasks, then by name.
    pub fn order(&mut self) {
        let key = |s: &ChainStore| {
            let completion = s.summary.as_ref().and_then(|x| x.completion);
            (
                completion.is_none(),
                completion.unwrap_or(0.0),
                std::cmp::Reverse(s.summary.as_ref().map_or(0, |x| x.overdue)),
            )
        };
        self.stores.sort_by(|a, b| {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.store.name.cmp(&b.store.name))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(name: &str, completion: Option<f64>, overdue: usize) -> ChainStore {
        ChainStore {
            store: StoreInfo {
                id: name.into(),
                name: name.into(),
                time_zone: String::new(),
                locale: String::new(),
            },
            chosen: false,
            summary: Some(StoreSummary {
                completion,
                on_time: None,
                overdue,
                open_feedback: 0,
                plan_progress: None,
            }),
        }
    }

    #[test]
    fn the_worst_store_comes_first_and_one_with_nothing_due_last() {
        let mut chain = Chain {
            stores: vec![
                store("idle", None, 9),
                store("good", Some(0.9), 0),
                store("bad", Some(0.4), 1),
                store("bad but late", Some(0.4), 3),
            ],
        };
        chain.order();
        let names: Vec<&str> = chain.stores.iter().map(|s| s.store.name.as_str()).collect();
        assert_eq!(names, ["bad but late", "bad", "good", "idle"]);
    }
}
