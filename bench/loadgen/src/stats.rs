//! Latency samples and what the process table says about a relay.

use std::time::Duration;

/// Percentiles of a set of durations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Percentiles {
    pub count: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Percentiles {
    /// Nearest-rank percentiles of samples in microseconds.
    pub fn of_micros(mut samples: Vec<u32>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let rank = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
            Duration::from_micros(u64::from(samples[i]))
        };
        Self {
            count: samples.len(),
            p50: rank(0.50),
            p99: rank(0.99),
            max: rank(1.0),
        }
    }
}

/// A field of `/proc/PID/status` in KiB (`VmHWM`: peak resident set; `VmRSS`: now).
pub fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time (user + system, every thread) the process has used.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // The kernel reports clock ticks; USER_HZ is 100 on every Linux we run on.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// CPU time of a process and its children, live and exited (a database server
/// and its backends).
pub fn tree_cpu_time(pid: u32) -> Option<Duration> {
    let ticks = |pid: u32, fields: &[usize]| -> Option<(u64, u32)> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &text[text.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        let sum = fields
            .iter()
            .map(|&i| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0))
            .sum();
        Some((sum, f.get(1)?.parse().ok()?))
    };
    // utime, stime, and the exited children's cutime, cstime.
    let (mut total, _) = ticks(pid, &[11, 12, 13, 14])?;
    for entry in std::fs::read_dir("/proc").ok()?.filter_map(Result::ok) {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some((t, parent)) = ticks(child, &[11, 12])
            && parent == pid
        {
            total += t;
        }
    }
    Some(Duration::from_millis(total * 10))
}

/// The soft limit on open files of this process, from `/proc/self/limits`.
pub fn open_files_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let p = Percentiles::of_micros((1..=100).collect());
        assert_eq!(p.count, 100);
        assert_eq!(p.p50, Duration::from_micros(50));
        assert_eq!(p.p99, Duration::from_micros(99));
        assert_eq!(p.max, Duration::from_micros(100));
        assert_eq!(Percentiles::of_micros(vec![]).count, 0);
    }

    #[test]
    fn this_process_can_be_measured() {
        let me = std::process::id();
        assert!(proc_status_kib(me, "VmHWM").unwrap_or(0) > 0);
        assert!(proc_status_kib(me, "VmRSS").unwrap_or(0) > 0);
        assert!(cpu_time(me).is_some());
        assert!(open_files_limit().unwrap_or(0) > 0);
    }
}
