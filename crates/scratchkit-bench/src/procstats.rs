//! This process's resource use: CPU time (`getrusage`) and peak resident memory (`VmHWM`).

// The only unsafe code of the workspace: two libc calls, each with its SAFETY note.
#![allow(unsafe_code)]

use std::time::Duration;

/// User + system CPU time used so far by this process (all threads), from
/// `getrusage(RUSAGE_SELF)`; `None` if the call fails.
///
/// ```
/// let before = scratchkit_bench::procstats::cpu_time();
/// assert!(before.is_some());
/// ```
pub fn cpu_time() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` points to writable memory of the right type and size; getrusage only
    // writes a `struct rusage` there and reports failure through its return value.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: getrusage returned 0, so it filled the struct (and it was zeroed before anyway).
    let usage = unsafe { usage.assume_init() };
    Some(timeval(usage.ru_utime)? + timeval(usage.ru_stime)?)
}

fn timeval(tv: libc::timeval) -> Option<Duration> {
    let secs = u64::try_from(tv.tv_sec).ok()?;
    let micros = u32::try_from(tv.tv_usec).ok()?;
    Some(Duration::from_secs(secs) + Duration::from_micros(u64::from(micros)))
}

/// Peak resident set size of this process in KiB (`VmHWM` in `/proc/self/status`); `None`
/// where that file does not exist (not Linux) or lacks the line.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// The `VmHWM:` value (KiB) of a `/proc/<pid>/status` text.
///
/// ```
/// let status = "Name:\tbulk-read\nVmHWM:\t   10240 kB\nVmRSS:\t 9000 kB\n";
/// assert_eq!(scratchkit_bench::procstats::parse_vm_hwm(status), Some(10240));
/// ```
pub fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let mut words = line["VmHWM:".len()..].split_whitespace();
    let value = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") | None => Some(value),
        Some(_) => None,
    }
}

/// User + system CPU time used so far by another process (all its threads), from
/// `/proc/<pid>/stat`, in clock ticks (usually 10 ms); `None` where that is unavailable.
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
    let (user, system) = process_cpu_split(pid)?;
    Some(user + system)
}

/// User and system CPU time used so far by another process (all its threads), apart, from
/// `/proc/<pid>/stat` (clock-tick resolution; the kernel splits a tick between the two by
/// where the process was when it came).
pub fn process_cpu_split(pid: u32) -> Option<(Duration, Duration)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (user, system) = parse_stat_cpu_split(&stat)?;
    // SAFETY: sysconf only reads a system constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second).ok().filter(|t| *t > 0)?;
    let time = |ticks: u64| {
        Duration::from_secs(ticks / per_second)
            + Duration::from_nanos((ticks % per_second) * 1_000_000_000 / per_second)
    };
    Some((time(user), time(system)))
}

/// `(utime, stime)` (clock ticks) of a `/proc/<pid>/stat` line. The command name (field 2)
/// may hold spaces and parentheses, so fields are counted after its last `)`.
///
/// ```
/// let stat = "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 250 17 0 0 20 0 3 0";
/// assert_eq!(scratchkit_bench::procstats::parse_stat_cpu_split(stat), Some((250, 17)));
/// ```
pub fn parse_stat_cpu_split(stat: &str) -> Option<(u64, u64)> {
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state); utime is field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime, stime))
}

/// CPU time a process has used so far, all its threads (including finished ones), from its
/// process CPU-time clock (nanosecond resolution, unlike [`process_cpu_time`]).
pub fn process_cpu_clock(pid: u32) -> Option<Duration> {
    let pid = libc::pid_t::try_from(pid).ok()?;
    let mut clock: libc::clockid_t = 0;
    // SAFETY: `clock` is a valid out-pointer for the duration of the call.
    if unsafe { libc::clock_getcpuclockid(pid, &mut clock) } != 0 {
        return None;
    }
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid out-pointer for the duration of the call.
    if unsafe { libc::clock_gettime(clock, &mut time) } != 0 {
        return None;
    }
    Some(Duration::new(
        u64::try_from(time.tv_sec).ok()?,
        u32::try_from(time.tv_nsec).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_is_read_in_kib() {
        assert_eq!(
            parse_vm_hwm("VmPeak:\t 5 kB\nVmHWM:\t 1234 kB\n"),
            Some(1234)
        );
        assert_eq!(parse_vm_hwm("VmRSS:\t 5 kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\t lots kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\t 7 MB\n"), None);
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = cpu_time().expect("getrusage works on this platform");
        // Spin until the counter moves (its resolution is coarse on some kernels).
        let mut x = 0u64;
        let mut after = before;
        for _ in 0..100_000 {
            if after > before {
                break;
            }
            for i in 0..1_000_000u64 {
                x = x.wrapping_mul(31).wrapping_add(i);
            }
            std::hint::black_box(x);
            after = cpu_time().expect("getrusage works on this platform");
        }
        assert!(after > before);
    }

    #[test]
    fn stat_lines_that_are_cut_short_are_rejected() {
        assert_eq!(parse_stat_cpu_split("42 (x) S 1 2 3"), None);
        assert_eq!(parse_stat_cpu_split("no parenthesis"), None);
        assert_eq!(
            parse_stat_cpu_split("1 (x) S 0 1 1 0 -1 0 0 0 0 0 five 3 0 0"),
            None
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn another_process_cpu_time_is_readable() {
        // This process read through /proc/<pid>: the same path as for a child.
        assert!(process_cpu_time(std::process::id()).is_some());
        assert!(process_cpu_time(u32::MAX).is_none());
    }

    #[test]
    fn this_process_has_a_peak_rss() {
        #[cfg(target_os = "linux")]
        assert!(peak_rss_kib().is_some_and(|kib| kib > 0));
    }
}
