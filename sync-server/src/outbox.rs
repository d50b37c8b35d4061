//! Frames from the engine thread to one connection: bounded, and the engine
//! thread never waits on it. A connection whose outbox fills does not read
//! fast enough and is cut rather than buffered without bound.
//!
//! Lighter than a channel: an idle outbox is one small allocation, and its
//! queue gives its memory back once drained.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// What the connection takes from its outbox next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Frame(Vec<u8>),
    /// Send a close frame with this reason, then end.
    Close(String),
}

#[derive(Debug)]
struct State {
    frames: VecDeque<Vec<u8>>,
    /// Set once: the connection closes with this reason after `frames`.
    close: Option<String>,
    waker: Option<Waker>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    capacity: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the queue half-changed.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn close(&self, reason: String, drop_queued: bool) {
        let mut s = self.lock();
        if s.close.is_some() {
            return;
        }
        if drop_queued {
            s.frames = VecDeque::new();
        }
        s.close = Some(reason);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }
}

/// The outbox is full: the connection is not reading.
#[derive(Debug, PartialEq, Eq)]
pub struct Full;

/// The engine thread's end. Dropping it closes the connection once the
/// queued frames are out.
#[derive(Debug)]
pub struct Sender(Arc<Shared>);

/// The connection's end.
#[derive(Debug)]
pub struct Receiver(Arc<Shared>);

/// An outbox holding at most `capacity` frames.
pub fn outbox(capacity: usize) -> (Sender, Receiver) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            frames: VecDeque::new(),
            close: None,
            waker: None,
        }),
        capacity: capacity.max(1),
    });
    (Sender(shared.clone()), Receiver(shared))
}

impl Sender {
    /// Queues a frame; `Full` when the connection has fallen too far behind.
    /// After a close, frames are dropped.
    pub fn send(&self, frame: Vec<u8>) -> Result<(), Full> {
        let mut s = self.0.lock();
        if s.close.is_some() {
            return Ok(());
        }
        if s.frames.len() >= self.0.capacity {
            return Err(Full);
        }
        s.frames.push_back(frame);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
        Ok(())
    }

    /// Closes the connection with `reason` once the queued frames are sent.
    pub fn close(&self, reason: impl Into<String>) {
        self.0.close(reason.into(), false);
    }

    /// Closes the connection with `reason` at once; queued frames are dropped.
    pub fn cut(&self, reason: impl Into<String>) {
        self.0.close(reason.into(), true);
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.0.close(String::new(), false);
    }
}

impl Receiver {
    /// The next frame or the close; pending (and woken later) when empty.
    pub fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Next> {
        let mut s = self.0.lock();
        if let Some(frame) = s.frames.pop_front() {
            if s.frames.is_empty() && s.frames.capacity() > 0 {
                // Give the queue's memory back: most connections sit idle.
                s.frames = VecDeque::new();
            }
            return Poll::Ready(Next::Frame(frame));
        }
        if let Some(reason) = s.close.take() {
            // Closed for good: a second poll gets an empty reason.
            s.close = Some(String::new());
            return Poll::Ready(Next::Close(reason));
        }
        if !s.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            s.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll(rx: &Receiver, waker: &Waker) -> Poll<Next> {
        rx.poll_next(&mut Context::from_waker(waker))
    }

    #[test]
    fn frames_come_out_in_order_then_the_close_and_the_queue_is_freed() {
        let (tx, rx) = outbox(4);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        assert_eq!(poll(&rx, &waker), Poll::Pending);
        tx.send(vec![1]).unwrap();
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            1,
            "a waiting reader is woken"
        );
        tx.send(vec![2]).unwrap();
        tx.close("bye");
        tx.send(vec![3]).unwrap();
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Frame(vec![1])));
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Frame(vec![2])));
        assert_eq!(rx.0.lock().frames.capacity(), 0);
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Close("bye".into())));
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Close(String::new())));
    }

    #[test]
    fn a_full_outbox_refuses_and_a_cut_drops_what_was_queued() {
        let (tx, rx) = outbox(2);
        tx.send(vec![1]).unwrap();
        tx.send(vec![2]).unwrap();
        assert_eq!(tx.send(vec![3]), Err(Full));
        tx.cut("too slow");
        tx.close("ignored: closed already");
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        assert_eq!(
            poll(&rx, &waker),
            Poll::Ready(Next::Close("too slow".into()))
        );
    }

    #[test]
    fn dropping_the_sender_closes_after_the_queued_frames() {
        let (tx, rx) = outbox(2);
        tx.send(vec![9]).unwrap();
        drop(tx);
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Frame(vec![9])));
        assert_eq!(poll(&rx, &waker), Poll::Ready(Next::Close(String::new())));
    }
}
