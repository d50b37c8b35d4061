//! Rate limits per client address and caps per device, so that no single
//! client can stall the relay for the others.
//!
//! - [`Bucket`]: a token bucket (a rate, and bursts up to a size).
//! - [`PerAddress`]: a bucket per client address, in bounded memory. IPv6
//!   addresses count by their /64 (one household or phone network's prefix):
//!   one client can otherwise pick a fresh address per request.
//! - [`DeviceCaps`]: per device token, a cap on open connections and one
//!   message bucket shared by all of them; a [`DeviceSlot`] holds one of the
//!   device's connections and gives it back when dropped.
//!
//! A full bucket is the same as none, so memory holds only the clients that
//! used some of their allowance lately.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A rate and a burst: `per_second` tokens flow in, at most `burst` are kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

impl Rate {
    pub fn per_minute(n: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(n) / 60.0,
            burst: f64::from(burst.max(1)),
        }
    }

    pub fn per_second(n: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(n),
            burst: f64::from(burst.max(1)),
        }
    }
}

/// A token bucket; it starts full.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub fn full(rate: Rate, now: Instant) -> Self {
        Self {
            tokens: rate.burst,
            last: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_second).min(rate.burst);
        self.last = now.max(self.last);
    }

    /// Takes a token, or says how long until one is there.
    pub fn take(&mut self, rate: Rate, now: Instant) -> Result<(), Duration> {
        self.wait(rate, now)?;
        self.tokens -= 1.0;
        Ok(())
    }

    /// `Ok` if a token is there (nothing taken), else how long until one is.
    pub fn wait(&mut self, rate: Rate, now: Instant) -> Result<(), Duration> {
        self.refill(rate, now);
        if self.tokens >= 1.0 {
            return Ok(());
        }
        if rate.per_second <= 0.0 {
            return Err(Duration::from_secs(3600));
        }
        Err(Duration::from_secs_f64(
            (1.0 - self.tokens) / rate.per_second,
        ))
    }

    /// Takes a token even if none is there (the bucket goes into debt, which
    /// later refills pay off): for work already done.
    pub fn charge(&mut self, rate: Rate, now: Instant) {
        self.refill(rate, now);
        self.tokens -= 1.0;
    }

    /// Whether the bucket has refilled to its burst: forgetting it loses nothing.
    pub fn is_full(&mut self, rate: Rate, now: Instant) -> bool {
        self.refill(rate, now);
        self.tokens >= rate.burst
    }
}

/// Whole seconds for a `Retry-After` header: rounded up, at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

/// The part of an address that counts as one client: an IPv4 address, or an
/// IPv6 address's /64 (an IPv4-mapped IPv6 address counts as its IPv4 one).
fn client_key(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => u128::from(u32::from(v4)),
            None => (u128::from(v6) & !u128::from(u64::MAX)) | 1 << 127,
        },
    }
}

/// Most client addresses a [`PerAddress`] remembers.
pub const MAX_ADDRESSES: usize = 16 * 1024;

/// A bucket per client address, in bounded memory.
#[derive(Debug)]
pub struct PerAddress {
    rate: Rate,
    max: usize,
    buckets: Mutex<HashMap<u128, Bucket>>,
}

impl PerAddress {
    pub fn new(rate: Rate) -> Self {
        Self::with_capacity(rate, MAX_ADDRESSES)
    }

    pub fn with_capacity(rate: Rate, max: usize) -> Self {
        Self {
            rate,
            max: max.max(2),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn buckets(&self) -> MutexGuard<'_, HashMap<u128, Bucket>> {
        // A panic while holding it cannot leave a bucket half-updated.
        self.buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a token for `ip`, or says how long it must wait.
    pub fn take(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        self.with_bucket(ip, now, |b, rate| b.take(rate, now))
    }

    /// `Ok` if `ip` has a token left (nothing taken).
    pub fn wait(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = client_key(ip);
        let mut buckets = self.buckets();
        match buckets.get_mut(&key) {
            Some(b) => b.wait(self.rate, now),
            None => Ok(()),
        }
    }

    fn with_bucket<T>(
        &self,
        ip: IpAddr,
        now: Instant,
        f: impl FnOnce(&mut Bucket, Rate) -> T,
    ) -> T {
        let key = client_key(ip);
        let mut buckets = self.buckets();
        if !buckets.contains_key(&key) && buckets.len() >= self.max {
            self.make_room(&mut buckets, now);
        }
        let bucket = buckets
            .entry(key)
            .or_insert_with(|| Bucket::full(self.rate, now));
        f(bucket, self.rate)
    }

    /// Forgets full buckets; if too many are still in use (requests from very
    /// many addresses), keeps the half with the fewest tokens: the busiest
    /// clients stay limited, and a forgotten one only gets its burst again.
    fn make_room(&self, buckets: &mut HashMap<u128, Bucket>, now: Instant) {
        let rate = self.rate;
        buckets.retain(|_, b| !b.is_full(rate, now));
        if buckets.len() * 4 < self.max * 3 {
            return;
        }
        let mut tokens: Vec<f64> = buckets.values().map(|b| b.tokens).collect();
        let keep = self.max / 2;
        tokens.select_nth_unstable_by(keep, f64::total_cmp);
        let limit = tokens[keep];
        buckets.retain(|_, b| b.tokens < limit);
    }

    /// Addresses remembered now.
    pub fn len(&self) -> usize {
        self.buckets().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per device token: a cap on open connections, and one message bucket for all
/// of them.
#[derive(Debug)]
pub struct DeviceCaps {
    max_connections: usize,
    rate: Rate,
    devices: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug)]
struct Entry {
    connections: usize,
    shared: Arc<Shared>,
}

/// What a device's connections share.
#[derive(Debug)]
struct Shared {
    caps: Arc<DeviceCaps>,
    device_id: String,
    bucket: Mutex<Bucket>,
}

/// One of a device's connections, counted until dropped.
#[derive(Debug)]
pub struct DeviceSlot(Arc<Shared>);

/// The device already has its most connections open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyConnections {
    pub max: usize,
}

impl DeviceCaps {
    pub fn new(max_connections: usize, rate: Rate) -> Arc<Self> {
        Arc::new(Self {
            max_connections,
            rate,
            devices: Mutex::new(HashMap::new()),
        })
    }

    fn devices(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.devices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A slot for one more connection of `device_id`, unless it has its most.
    pub fn open(
        self: &Arc<Self>,
        device_id: &str,
        now: Instant,
    ) -> Result<DeviceSlot, TooManyConnections> {
        let mut devices = self.devices();
        if let Some(entry) = devices.get_mut(device_id) {
            if entry.connections >= self.max_connections {
                return Err(TooManyConnections {
                    max: self.max_connections,
                });
            }
            entry.connections += 1;
            return Ok(DeviceSlot(entry.shared.clone()));
        }
        if self.max_connections == 0 {
            return Err(TooManyConnections { max: 0 });
        }
        let shared = Arc::new(Shared {
            caps: self.clone(),
            device_id: device_id.to_owned(),
            bucket: Mutex::new(Bucket::full(self.rate, now)),
        });
        devices.insert(
            device_id.to_owned(),
            Entry {
                connections: 1,
                shared: shared.clone(),
            },
        );
        Ok(DeviceSlot(shared))
    }

    /// Devices remembered now: those with a connection open, or whose bucket
    /// has not refilled since their last one closed.
    pub fn len(&self) -> usize {
        self.devices().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Open connections of `device_id`.
    pub fn connections(&self, device_id: &str) -> usize {
        self.devices().get(device_id).map_or(0, |e| e.connections)
    }
}

impl DeviceSlot {
    fn bucket(&self) -> MutexGuard<'_, Bucket> {
        self.0
            .bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Ok` if the device may send a message now, else how long until it may.
    pub fn wait(&self, now: Instant) -> Result<(), Duration> {
        self.bucket().wait(self.0.caps.rate, now)
    }

    /// Counts a message the device sent.
    pub fn charge(&self, now: Instant) {
        self.bucket().charge(self.0.caps.rate, now);
    }
}

impl Drop for DeviceSlot {
    fn drop(&mut self) {
        let caps = &self.0.caps;
        let now = Instant::now();
        let mut devices = caps.devices();
        let Some(entry) = devices.get_mut(&self.0.device_id) else {
            return;
        };
        entry.connections = entry.connections.saturating_sub(1);
        if entry.connections == 0 {
            // Its bucket is kept until it refills (a device cannot reconnect for
            // a fresh burst), then forgotten at a later close.
            let full = self.bucket().is_full(caps.rate, now);
            if full {
                devices.remove(&self.0.device_id);
            }
        }
        // Forget other devices gone quiet, now and then.
        if devices.len() > 64 && devices.len().is_power_of_two() {
            devices.retain(|_, e| {
                e.connections > 0
                    || !e
                        .shared
                        .bucket
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .is_full(caps.rate, now)
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate_and_says_how_long_to_wait() {
        let rate = Rate::per_minute(10, 20);
        let t0 = Instant::now();
        let mut b = Bucket::full(rate, t0);
        for _ in 0..20 {
            b.take(rate, t0).unwrap();
        }
        let wait = b.take(rate, t0).unwrap_err();
        assert!(wait > ms(5_900) && wait <= ms(6_000), "{wait:?}");
        assert_eq!(retry_after_seconds(wait), 6);
        // 6 s later, one more; not two.
        let t1 = t0 + ms(6_001);
        b.take(rate, t1).unwrap();
        assert!(b.take(rate, t1).is_err());
        // After long enough it is full again, and no fuller than its burst.
        let t2 = t1 + Duration::from_secs(3600);
        assert!(b.is_full(rate, t2));
        for _ in 0..20 {
            b.take(rate, t2).unwrap();
        }
        assert!(b.take(rate, t2).is_err());
    }

    #[test]
    fn a_charged_bucket_goes_into_debt_and_waits_it_off() {
        let rate = Rate::per_second(10, 2);
        let t0 = Instant::now();
        let mut b = Bucket::full(rate, t0);
        for _ in 0..5 {
            b.charge(rate, t0);
        }
        // -3 tokens: 400 ms until one is there.
        let wait = b.wait(rate, t0).unwrap_err();
        assert!(wait > ms(390) && wait <= ms(400), "{wait:?}");
        assert!(b.wait(rate, t0 + ms(401)).is_ok());
        assert_eq!(retry_after_seconds(ms(1)), 1);
    }

    #[test]
    fn addresses_are_limited_each_on_its_own_and_ipv6_by_its_64() {
        let limit = PerAddress::new(Rate::per_minute(1, 2));
        let now = Instant::now();
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        limit.take(a, now).unwrap();
        limit.take(a, now).unwrap();
        assert!(limit.take(a, now).is_err());
        assert!(limit.wait(a, now).is_err());
        assert!(limit.wait(b, now).is_ok());
        limit.take(b, now).unwrap();
        // The same /64 is one client; another /64 is another.
        let v6 =
            |last: u16, net: u16| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, net, 0, 0, 0, last));
        limit.take(v6(1, 1), now).unwrap();
        limit.take(v6(2, 1), now).unwrap();
        assert!(limit.take(v6(3, 1), now).is_err());
        assert!(limit.take(v6(1, 2), now).is_ok());
        // An IPv4-mapped address is its IPv4 address.
        let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped());
        assert!(limit.take(mapped, now).is_err());
    }

    #[test]
    fn memory_stays_bounded_and_the_busiest_addresses_stay_limited() {
        let limit = PerAddress::with_capacity(Rate::per_minute(1, 3), 100);
        let now = Instant::now();
        let abuser = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        for _ in 0..3 {
            limit.take(abuser, now).unwrap();
        }
        for i in 0..10_000u32 {
            let _ = limit.take(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)), now);
            assert!(limit.len() <= 100, "{} addresses", limit.len());
        }
        assert!(limit.take(abuser, now).is_err(), "the abuser is remembered");
        // Buckets that refilled are forgotten when room is needed.
        let later = now + Duration::from_secs(3600);
        for i in 0..60u32 {
            limit
                .take(IpAddr::V4(Ipv4Addr::from(0x0b00_0000 + i)), later)
                .unwrap();
        }
        assert!(limit.len() <= 100);
    }

    #[test]
    fn a_device_gets_its_most_connections_and_they_share_one_bucket() {
        let caps = DeviceCaps::new(2, Rate::per_second(1, 3));
        let now = Instant::now();
        let a = caps.open("dev-a", now).unwrap();
        let b = caps.open("dev-a", now).unwrap();
        assert_eq!(
            caps.open("dev-a", now).unwrap_err(),
            TooManyConnections { max: 2 }
        );
        let other = caps.open("dev-b", now).unwrap();
        a.charge(now);
        b.charge(now);
        a.charge(now);
        assert!(b.wait(now).is_err(), "three messages across both");
        assert!(other.wait(now).is_ok(), "another device has its own");
        drop(a);
        let c = caps.open("dev-a", now).unwrap();
        assert!(c.wait(now).is_err(), "a new connection shares the debt");
        drop((b, c));
        assert_eq!(caps.connections("dev-a"), 0);
        // Kept until its bucket refills, so reconnecting gives no new burst.
        let again = caps.open("dev-a", now).unwrap();
        assert!(again.wait(now).is_err());
        drop(again);
        drop(other);
        assert_eq!(caps.len(), 1, "dev-b's full bucket is forgotten");
    }
}
