//! One device's WebSocket connection, after the upgrade: a single task that
//! reads frames into the engine thread and writes out what the engine thread
//! queued in the connection's outbox.
//!
//! An idle connection buffers nothing: reads go through a buffer on the stack,
//! and frames go out as the engine thread made them, behind a header, with
//! vectored writes (no copy), their memory freed once the socket took them.

use std::collections::VecDeque;
use std::future::Future;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use storeops_sync::ConnId;
use storeops_websocket::{Decoder, FrameError, Header, Incoming, Opcode, close_payload};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::hub::HubInput;
use crate::limits::DeviceSlot;
use crate::metrics::Metrics;
use crate::outbox::{self, Next};

/// Bytes read from the socket at a time, into a buffer on the stack.
const READ_CHUNK: usize = 16 * 1024;
/// Frames taken ahead of the socket; past this the connection neither takes
/// more from its outbox nor reads (a client must read what it asked for).
const WRITE_AHEAD: usize = 16;
/// Rounds of work in one poll before yielding to other connections.
const ROUNDS: usize = 32;

/// A connection's limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_message_bytes: usize,
    /// Sustained messages per second (bursts of twice that).
    pub messages_per_second: u32,
    /// The first message must arrive within this.
    pub handshake_timeout: Duration,
    pub outbox_frames: usize,
}

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// A close frame went out (the peer's close answered, or ours).
    Closed,
    /// The peer went away, or the engine thread did.
    Gone,
}

/// One connection's task: waits for the HTTP upgrade, registers the connection
/// with the engine thread, moves frames both ways, and after a close frame lets
/// the peer answer it. A hand-written state machine: the task is only as large
/// as its biggest state (a compiler-built future kept every step's variables).
pub(crate) enum Task<U, IO> {
    Upgrading {
        upgrade: U,
        setup: Setup,
        /// The registration, sent once the socket is ours; it takes the outbox.
        connect: Box<dyn FnOnce(outbox::Sender) -> HubInput + Send>,
    },
    Open(Connection<IO>),
    /// Our close frame is out: shut our side, read until the peer's end.
    Closing(Connection<IO>, Pin<Box<tokio::time::Sleep>>),
    Done,
}

/// What a connection needs besides its socket.
pub(crate) struct Setup {
    pub conn: ConnId,
    pub hub: Sender<HubInput>,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    /// The device's slot: its message allowance, shared with its other
    /// connections; the connection counts against the device's cap until dropped.
    pub device: Option<DeviceSlot>,
}

impl<U, IO, E> Task<U, IO>
where
    U: Future<Output = Result<IO, E>> + Unpin,
    IO: AsyncRead + AsyncWrite + Unpin,
    E: std::fmt::Display,
{
    pub fn new(
        upgrade: U,
        setup: Setup,
        connect: impl FnOnce(outbox::Sender) -> HubInput + Send + 'static,
    ) -> Self {
        Self::Upgrading {
            upgrade,
            setup,
            connect: Box::new(connect),
        }
    }

    /// The socket is ours: register, and open.
    fn open(
        io: IO,
        setup: Setup,
        connect: Box<dyn FnOnce(outbox::Sender) -> HubInput + Send>,
    ) -> Self {
        let Setup {
            conn,
            hub,
            metrics,
            limits,
            device,
        } = setup;
        let (tx, outbox) = outbox::outbox(limits.outbox_frames);
        if hub.send(connect(tx)).is_err() {
            return Self::Done;
        }
        metrics.connection_opened();
        Self::Open(Connection {
            io,
            conn,
            decoder: Decoder::new(limits.max_message_bytes),
            outbox,
            hub,
            metrics,
            queue: VecDeque::new(),
            sent: 0,
            needs_flush: false,
            closing: false,
            shut: false,
            rate: RateLimit::new(limits.messages_per_second),
            handshake: Some(Box::pin(tokio::time::sleep(limits.handshake_timeout))),
            device,
            throttle: None,
        })
    }
}

impl<U, IO, E> Future for Task<U, IO>
where
    U: Future<Output = Result<IO, E>> + Unpin,
    IO: AsyncRead + AsyncWrite + Unpin,
    E: std::fmt::Display,
{
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            let next = match &mut *self {
                Self::Upgrading { upgrade, .. } => match Pin::new(upgrade).poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(upgraded) => {
                        let Self::Upgrading { setup, connect, .. } =
                            std::mem::replace(&mut *self, Self::Done)
                        else {
                            unreachable!("matched above")
                        };
                        match upgraded {
                            Ok(io) => Self::open(io, setup, connect),
                            Err(e) => {
                                tracing::debug!(error = %e, "the WebSocket upgrade failed");
                                Self::Done
                            }
                        }
                    }
                },
                Self::Open(c) => match c.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(end) => {
                        let _ = c.hub.send(HubInput::Disconnect { conn: c.conn });
                        c.metrics.connection_closed();
                        match (end, std::mem::replace(&mut *self, Self::Done)) {
                            (End::Closed, Self::Open(c)) => {
                                let deadline = tokio::time::sleep(Duration::from_secs(2));
                                Self::Closing(c, Box::pin(deadline))
                            }
                            _ => Self::Done,
                        }
                    }
                },
                Self::Closing(c, deadline) => {
                    if deadline.as_mut().poll(cx).is_ready() || c.poll_peer_end(cx).is_ready() {
                        Self::Done
                    } else {
                        return Poll::Pending;
                    }
                }
                Self::Done => return Poll::Ready(()),
            };
            *self = next;
        }
    }
}

pub(crate) struct Connection<IO> {
    io: IO,
    conn: ConnId,
    decoder: Decoder,
    outbox: outbox::Receiver,
    hub: Sender<HubInput>,
    metrics: Arc<Metrics>,
    /// Frames to write; the first `sent` bytes of the front one are written.
    queue: VecDeque<WireFrame>,
    sent: usize,
    needs_flush: bool,
    /// A close frame is queued: nothing more is read or taken.
    closing: bool,
    /// Our side of the socket is shut (after our close frame went out).
    shut: bool,
    rate: RateLimit,
    /// Until the first message arrives: its deadline.
    handshake: Option<Pin<Box<tokio::time::Sleep>>>,
    device: Option<DeviceSlot>,
    /// The device used up its messages: nothing is read or decoded until this.
    throttle: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<IO: AsyncRead + AsyncWrite + Unpin> Connection<IO> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<End> {
        for _ in 0..ROUNDS {
            let mut progress = self.take_from_outbox(cx);
            match self.write(cx) {
                Ok(wrote) => progress |= wrote,
                Err(()) => return Poll::Ready(End::Gone),
            }
            if self.closing && self.queue.is_empty() && !self.needs_flush {
                return Poll::Ready(End::Closed);
            }
            if let Some(until) = &mut self.throttle
                && until.as_mut().poll(cx).is_ready()
            {
                self.throttle = None;
                // Messages read before the pause come first.
                if let Err(end) = self.take_messages() {
                    return Poll::Ready(end);
                }
                progress = true;
            }
            if !self.closing && self.throttle.is_none() && self.queue.len() < WRITE_AHEAD {
                match self.read(cx) {
                    Poll::Ready(Ok(())) => progress = true,
                    Poll::Ready(Err(end)) => return Poll::Ready(end),
                    Poll::Pending => {}
                }
            }
            if let Some(deadline) = &mut self.handshake
                && deadline.as_mut().poll(cx).is_ready()
            {
                self.handshake = None;
                self.metrics.reject("handshake_timeout");
                tracing::warn!("no join within the handshake timeout; closing");
                self.close(1008, "no join message arrived in time");
                progress = true;
            }
            if !progress {
                return Poll::Pending;
            }
        }
        // Busy: let other connections run, and come back.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// After our close: shuts our side, then reads (and drops) until the peer
    /// ends its side too.
    fn poll_peer_end(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.shut {
            match Pin::new(&mut self.io).poll_shutdown(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) => self.shut = true,
                Poll::Ready(Err(_)) => return Poll::Ready(()),
            }
        }
        let mut sink = [0u8; 512];
        loop {
            let mut buf = ReadBuf::new(&mut sink);
            match Pin::new(&mut self.io).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if !buf.filled().is_empty() => {}
                Poll::Ready(_) => return Poll::Ready(()),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// Takes frames from the outbox while there is room; true if any.
    fn take_from_outbox(&mut self, cx: &mut Context<'_>) -> bool {
        let mut took = false;
        while !self.closing && self.queue.len() < WRITE_AHEAD {
            match self.outbox.poll_next(cx) {
                Poll::Ready(Next::Frame(frame)) => {
                    self.queue.push_back(WireFrame::new(Opcode::Binary, frame));
                }
                Poll::Ready(Next::Close(reason)) if reason.is_empty() => self.close(1000, ""),
                Poll::Ready(Next::Close(reason)) => self.close(1008, &reason),
                Poll::Pending => break,
            }
            took = true;
        }
        took
    }

    /// Writes queued frames; true if any bytes went; `Err` if the socket failed.
    fn write(&mut self, cx: &mut Context<'_>) -> Result<bool, ()> {
        let mut wrote = false;
        while !self.queue.is_empty() {
            let mut slices = [IoSlice::new(&[]); 2 * WRITE_AHEAD];
            let mut n = 0;
            let mut skip = self.sent;
            for part in self.queue.iter().flat_map(WireFrame::parts) {
                if skip >= part.len() {
                    skip -= part.len();
                    continue;
                }
                slices[n] = IoSlice::new(&part[skip..]);
                skip = 0;
                n += 1;
            }
            match Pin::new(&mut self.io).poll_write_vectored(cx, &slices[..n]) {
                Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => return Err(()),
                Poll::Ready(Ok(written)) => {
                    wrote = true;
                    self.needs_flush = true;
                    let mut done = self.sent + written;
                    while let Some(front) = self.queue.front()
                        && done >= front.len()
                    {
                        done -= front.len();
                        self.queue.pop_front();
                    }
                    self.sent = done;
                }
                Poll::Pending => return Ok(wrote),
            }
        }
        if self.queue.capacity() > 0 {
            // All written: give the memory back.
            self.queue = VecDeque::new();
        }
        if self.needs_flush {
            match Pin::new(&mut self.io).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.needs_flush = false,
                Poll::Ready(Err(_)) => return Err(()),
                Poll::Pending => {}
            }
        }
        Ok(wrote)
    }

    /// Reads once and hands every whole message on.
    fn read(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), End>> {
        let mut chunk = [0u8; READ_CHUNK];
        let mut buf = ReadBuf::new(&mut chunk);
        match Pin::new(&mut self.io).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) if buf.filled().is_empty() => Poll::Ready(Err(End::Gone)),
            Poll::Ready(Ok(())) => {
                self.decoder.feed(buf.filled());
                Poll::Ready(self.take_messages())
            }
            Poll::Ready(Err(_)) => Poll::Ready(Err(End::Gone)),
            Poll::Pending => Poll::Pending,
        }
    }

    fn take_messages(&mut self) -> Result<(), End> {
        while !self.closing {
            // Past the device's allowance (across all its connections), the
            // connection pauses: what is read stays in the decoder, nothing more
            // is read, and the client's sends back up in its own socket.
            if let Some(device) = &self.device
                && let Err(wait) = device.wait(Instant::now())
            {
                self.metrics.reject("device_throttled");
                tracing::debug!(?wait, "device message rate reached; pausing reads");
                self.throttle = Some(Box::pin(tokio::time::sleep(wait)));
                break;
            }
            match self.decoder.next() {
                Ok(None) => break,
                Ok(Some(Incoming::Binary(bytes))) => {
                    self.handshake = None;
                    if let Some(device) = &self.device {
                        device.charge(Instant::now());
                    }
                    if !self.rate.take(Instant::now()) {
                        self.metrics.reject("rate_limited");
                        tracing::warn!("message rate limit exceeded; closing");
                        self.close(1008, "too many messages: slow down and reconnect");
                        break;
                    }
                    self.metrics.add_in(bytes.len());
                    let frame = HubInput::Frame {
                        conn: self.conn,
                        bytes,
                    };
                    if self.hub.send(frame).is_err() {
                        return Err(End::Gone);
                    }
                }
                Ok(Some(Incoming::Text(_))) => {
                    self.metrics.reject("text_frame");
                    self.close(1003, "this relay speaks binary messages only");
                }
                Ok(Some(Incoming::Ping(payload))) => {
                    self.queue.push_back(WireFrame::new(Opcode::Pong, payload));
                }
                Ok(Some(Incoming::Pong(_))) => {}
                Ok(Some(Incoming::Close(_))) => self.close(1000, ""),
                Err(e) => {
                    self.metrics.reject(match e {
                        FrameError::TooBig { .. } => "message_too_big",
                        _ => "bad_frame",
                    });
                    tracing::warn!(error = %e, "bad WebSocket frame; closing");
                    self.close(e.close_code(), &e.to_string());
                }
            }
        }
        Ok(())
    }

    /// Queues a close frame after what is queued; nothing more is read.
    fn close(&mut self, code: u16, reason: &str) {
        if !self.closing {
            let payload = close_payload(code, reason);
            self.queue.push_back(WireFrame::new(Opcode::Close, payload));
            self.closing = true;
        }
    }
}

/// A frame to write: its header, and its payload as it was made.
struct WireFrame {
    header: Header,
    payload: Vec<u8>,
}

impl WireFrame {
    fn new(opcode: Opcode, payload: Vec<u8>) -> Self {
        Self {
            header: Header::new(opcode, payload.len()),
            payload,
        }
    }

    fn parts(&self) -> [&[u8]; 2] {
        [self.header.as_bytes(), &self.payload]
    }

    fn len(&self) -> usize {
        self.header.as_bytes().len() + self.payload.len()
    }
}

/// A token bucket: `rate` messages a second, bursts of twice that.
struct RateLimit {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    fn new(per_second: u32) -> Self {
        let rate = f64::from(per_second);
        Self {
            rate,
            tokens: rate * 2.0,
            last: Instant::now(),
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        let refill = now.saturating_duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.rate * 2.0);
        self.last = now;
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use storeops_sync::Access;
    use storeops_websocket::encode_masked;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    const MASK: [u8; 4] = [0xA1, 0xB2, 0xC3, 0xD4];

    /// A connection task over an in-memory socket, with the engine thread's
    /// ends: its inputs, and the connection's outbox.
    struct Fixture {
        client: DuplexStream,
        inputs: std::sync::mpsc::Receiver<HubInput>,
        outbox: outbox::Sender,
        metrics: Arc<Metrics>,
        task: tokio::task::JoinHandle<()>,
    }

    fn limits() -> Limits {
        Limits {
            max_message_bytes: 1024,
            messages_per_second: 100,
            handshake_timeout: Duration::from_secs(10),
            outbox_frames: 8,
        }
    }

    fn start(limits: Limits) -> Fixture {
        start_as(limits, None)
    }

    fn start_as(limits: Limits, device: Option<DeviceSlot>) -> Fixture {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let (hub, inputs) = std::sync::mpsc::channel();
        let metrics = Arc::new(Metrics::default());
        let connect = |outbox| HubInput::Connect {
            conn: ConnId(1),
            device_id: "phone".into(),
            store_id: "store".into(),
            access: Access::full(),
            outbox,
        };
        let setup = Setup {
            conn: ConnId(1),
            hub,
            metrics: metrics.clone(),
            limits,
            device,
        };
        let upgraded = std::future::ready(Ok::<_, std::convert::Infallible>(server));
        let task = tokio::spawn(Task::new(upgraded, setup, connect));
        let Ok(HubInput::Connect { outbox, .. }) = inputs.recv_timeout(Duration::from_secs(5))
        else {
            panic!("the connection registers first");
        };
        Fixture {
            client,
            inputs,
            outbox,
            metrics,
            task,
        }
    }

    impl Fixture {
        async fn send(&mut self, fin: bool, opcode: u8, payload: &[u8]) {
            let mut frame = Vec::new();
            encode_masked(fin, opcode, payload, MASK, &mut frame);
            self.client.write_all(&frame).await.unwrap();
        }

        /// The next server frame: its opcode and payload.
        async fn receive(&mut self) -> (u8, Vec<u8>) {
            let mut head = [0u8; 2];
            self.client.read_exact(&mut head).await.unwrap();
            assert_eq!(head[0] & 0xF0, 0x80, "final, no reserved bits");
            assert_eq!(head[1] & 0x80, 0, "server frames are not masked");
            let len = match head[1] & 0x7F {
                126 => usize::from(self.client.read_u16().await.unwrap()),
                127 => self.client.read_u64().await.unwrap() as usize,
                n => usize::from(n),
            };
            let mut payload = vec![0; len];
            self.client.read_exact(&mut payload).await.unwrap();
            (head[0] & 0x0F, payload)
        }

        async fn receive_close(&mut self) -> (u16, String) {
            let (opcode, payload) = self.receive().await;
            assert_eq!(opcode, 0x8, "a close frame");
            let code = u16::from_be_bytes([payload[0], payload[1]]);
            (code, String::from_utf8(payload[2..].to_vec()).unwrap())
        }

        fn input(&self) -> HubInput {
            self.inputs.recv_timeout(Duration::from_secs(5)).unwrap()
        }

        fn rejected(&self, reason: &str) -> bool {
            self.metrics
                .render()
                .contains(&format!("reason=\"{reason}\"}} 1"))
        }

        /// The client answers the close and the task ends, telling the engine;
        /// no frame reached the engine besides those taken already.
        async fn ends(mut self) {
            let _ = self.client.shutdown().await;
            drop(self.client);
            tokio::time::timeout(Duration::from_secs(5), self.task)
                .await
                .unwrap()
                .unwrap();
            assert!(matches!(
                self.inputs.recv_timeout(Duration::from_secs(5)),
                Ok(HubInput::Disconnect { conn: ConnId(1) })
            ));
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_fragmented_message_reaches_the_engine_whole_and_a_ping_is_answered() {
        let mut f = start(limits());
        f.send(false, 0x2, b"sync ").await;
        f.send(true, 0x9, b"still there?").await;
        f.send(true, 0x0, "盘点".as_bytes()).await;
        assert_eq!(f.receive().await, (0xA, b"still there?".to_vec()));
        match f.input() {
            HubInput::Frame { conn, bytes } => {
                assert_eq!(conn, ConnId(1));
                assert_eq!(bytes, "sync 盘点".as_bytes());
            }
            other => panic!("{other:?}"),
        }
        f.send(true, 0x8, &1000u16.to_be_bytes()).await;
        assert_eq!(f.receive_close().await, (1000, String::new()));
        f.ends().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_frames_go_out_in_order_before_the_close_that_follows_them() {
        let mut f = start(limits());
        f.outbox.send(vec![1, 2, 3]).unwrap();
        f.outbox.send(vec![7; 70_000]).unwrap();
        f.outbox.close("the relay is stopping");
        assert_eq!(f.receive().await, (0x2, vec![1, 2, 3]));
        assert_eq!(f.receive().await, (0x2, vec![7; 70_000]));
        assert_eq!(
            f.receive_close().await,
            (1008, "the relay is stopping".into())
        );
        f.ends().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_frames_get_a_close_with_the_reason_and_reach_nothing() {
        let cases: [(&[u8], u16, &str, &str); 4] = [
            (&[0x82, 0x01, b'x'], 1002, "not masked", "bad_frame"),
            (&[0x83, 0x80, 0, 0, 0, 0], 1002, "opcode", "bad_frame"),
            (
                &[0x82, 0xFE, 0xFF, 0xFF, 0, 0, 0, 0],
                1009,
                "over the limit",
                "message_too_big",
            ),
            (&[0x81, 0x80, 0, 0, 0, 0], 1003, "binary", "text_frame"),
        ];
        for (bytes, code, says, reason) in cases {
            let mut f = start(limits());
            f.client.write_all(bytes).await.unwrap();
            let (got_code, text) = f.receive_close().await;
            assert_eq!(got_code, code, "{bytes:02x?}");
            assert!(text.contains(says), "{text}");
            assert!(f.rejected(reason), "{reason}");
            f.ends().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_over_its_message_rate_is_closed() {
        let mut f = start(Limits {
            messages_per_second: 1,
            ..limits()
        });
        for _ in 0..3 {
            f.send(true, 0x2, b"join").await;
        }
        let (code, _) = f.receive_close().await;
        assert_eq!(code, 1008);
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        assert!(f.rejected("rate_limited"));
        f.ends().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_device_past_its_message_rate_is_paused_not_closed() {
        let caps = crate::limits::DeviceCaps::new(8, crate::limits::Rate::per_second(1, 2));
        let slot = caps.open("phone", Instant::now()).unwrap();
        let mut f = start_as(limits(), Some(slot));
        for _ in 0..4 {
            f.send(true, 0x2, b"join").await;
        }
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        // The third waits for the device's next token, a second after the second.
        assert!(
            f.inputs.recv_timeout(Duration::from_millis(300)).is_err(),
            "the third message was held back"
        );
        assert!(f.rejected("device_throttled"));
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        assert_eq!(caps.connections("phone"), 1);
        f.send(true, 0x8, &1000u16.to_be_bytes()).await;
        assert_eq!(f.receive_close().await, (1000, String::new()));
        f.ends().await;
        assert_eq!(caps.connections("phone"), 0, "the slot is given back");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_silent_past_the_handshake_timeout_is_closed() {
        let mut f = start(Limits {
            handshake_timeout: Duration::from_millis(50),
            ..limits()
        });
        let (code, reason) = f.receive_close().await;
        assert_eq!(
            (code, reason.as_str()),
            (1008, "no join message arrived in time")
        );
        assert!(f.rejected("handshake_timeout"));
        f.ends().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_goes_away_is_disconnected_from_the_engine() {
        let mut f = start(limits());
        f.send(true, 0x2, b"join").await;
        assert!(matches!(f.input(), HubInput::Frame { .. }));
        f.ends().await;
    }
}

#[cfg(test)]
mod size {
    use super::*;

    type Upgrade = futures_util::future::MapOk<
        hyper::upgrade::OnUpgrade,
        fn(hyper::upgrade::Upgraded) -> hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>,
    >;

    /// Every idle connection holds one task; keep it small.
    #[test]
    fn a_connection_task_stays_small() {
        let size =
            std::mem::size_of::<Task<Upgrade, hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>>>();
        eprintln!("a connection task is {size} bytes");
        assert!(size <= 320, "{size} bytes");
    }
}
