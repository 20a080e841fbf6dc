//! Sampling a server process (RSS, open file descriptors, threads, and a gauge the server
//! reports itself) and judging whether those curves stay flat after the warm-up.

use std::time::{Duration, Instant};

use crate::SoakOptions;

/// One reading of the server process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// Seconds since the load started.
    pub at_s: f64,
    /// Resident memory, KiB (`VmRSS`).
    pub rss_kib: u64,
    /// Open file descriptors (entries of `/proc/PID/fd`).
    pub fds: u64,
    /// OS threads (`Threads`).
    pub threads: u64,
    /// The server's own gauge (open WebSocket connections for the cloud server, requests
    /// in flight are not exposed by the sandbox: `None` there).
    pub gauge: Option<u64>,
    /// Tasks alive on the server's Tokio runtime, as the server reports them.
    pub tasks: Option<u64>,
}

/// What the server reports about itself at a sample.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reported {
    /// See [`Sample::gauge`].
    pub gauge: Option<u64>,
    /// See [`Sample::tasks`].
    pub tasks: Option<u64>,
}

/// Reads `/proc/PID/status` and `/proc/PID/fd`; `None` when the process is gone.
pub fn read_process(pid: u32, at: Duration) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..].split_whitespace().next()?.parse().ok()
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count();
    Some(Sample {
        at_s: at.as_secs_f64(),
        rss_kib: field("VmRSS:")?,
        fds: u64::try_from(fds).ok()?,
        threads: field("Threads:")?,
        gauge: None,
        tasks: None,
    })
}

/// Samples process `pid` every `options.sample_every` until `options.seconds` have passed
/// since `started`, with `report` read from the server at each sample.
pub async fn sample_for<F, Fut>(
    options: &SoakOptions,
    pid: u32,
    started: Instant,
    mut report: F,
) -> Result<Vec<Sample>, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Reported>,
{
    let total = Duration::from_secs_f64(options.seconds);
    let mut samples = Vec::new();
    while started.elapsed() < total {
        let left = total.saturating_sub(started.elapsed());
        tokio::time::sleep(options.sample_every.min(left)).await;
        let mut sample = read_process(pid, started.elapsed())
            .ok_or_else(|| format!("the server process {pid} is gone"))?;
        let reported = report().await;
        sample.gauge = reported.gauge;
        sample.tasks = reported.tasks;
        if options.verbose {
            println!(
                "  {:>6.0}s rss {:>6} KiB fds {:>5} threads {:>3} tasks {:?} gauge {:?}",
                sample.at_s, sample.rss_kib, sample.fds, sample.threads, sample.tasks, sample.gauge
            );
        }
        samples.push(sample);
    }
    Ok(samples)
}

/// The three points of a curve that the report prints and the verdict compares.
#[derive(Debug, Clone, Copy)]
pub struct Curve {
    /// The first sample.
    pub start: Sample,
    /// Averages over the quarter of the run that follows the warm-up.
    pub warm: Averages,
    /// Averages over the last quarter of the run.
    pub end: Averages,
}

/// Means of a window of samples.
#[derive(Debug, Clone, Copy, Default)]
pub struct Averages {
    /// Mean RSS, KiB.
    pub rss_kib: f64,
    /// Mean open descriptors.
    pub fds: f64,
    /// Mean threads.
    pub threads: f64,
    /// Mean of the server's gauge, when it has one.
    pub gauge: Option<f64>,
    /// Mean of the runtime's alive tasks, when the server reported them.
    pub tasks: Option<f64>,
}

fn averages(window: &[Sample]) -> Averages {
    let n = window.len().max(1) as f64;
    let mean = |f: fn(&Sample) -> u64| window.iter().map(|s| f(s) as f64).sum::<f64>() / n;
    let mean_of = |f: fn(&Sample) -> Option<u64>| {
        let values: Vec<f64> = window.iter().filter_map(f).map(|v| v as f64).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    Averages {
        rss_kib: mean(|s| s.rss_kib),
        fds: mean(|s| s.fds),
        threads: mean(|s| s.threads),
        gauge: mean_of(|s| s.gauge),
        tasks: mean_of(|s| s.tasks),
    }
}

/// Splits the samples into start, after warm-up and end; `None` with fewer than 8 samples.
pub fn curve(samples: &[Sample], warm_up_s: f64) -> Option<Curve> {
    if samples.len() < 8 {
        return None;
    }
    let last = samples.last()?.at_s;
    let warm_end = warm_up_s + (last - warm_up_s) / 4.0;
    let warm: Vec<Sample> = samples
        .iter()
        .filter(|s| s.at_s >= warm_up_s && s.at_s <= warm_end)
        .copied()
        .collect();
    let tail_start = last - (last - warm_up_s) / 4.0;
    let tail: Vec<Sample> = samples
        .iter()
        .filter(|s| s.at_s >= tail_start)
        .copied()
        .collect();
    if warm.is_empty() || tail.is_empty() {
        return None;
    }
    Some(Curve {
        start: samples[0],
        warm: averages(&warm),
        end: averages(&tail),
    })
}

/// What "flat" allows between the window after warm-up and the last window: memory may grow
/// by a fifth plus 4 MiB (allocator noise), descriptors, runtime tasks and the gauge by a tenth
/// plus 16.
pub fn growth_problems(curve: &Curve) -> Vec<String> {
    let mut problems = Vec::new();
    let (warm, end) = (curve.warm, curve.end);
    if end.rss_kib > warm.rss_kib * 1.2 + 4096.0 {
        problems.push(format!(
            "RSS grew from {:.0} KiB after warm-up to {:.0} KiB at the end",
            warm.rss_kib, end.rss_kib
        ));
    }
    if end.fds > warm.fds * 1.1 + 16.0 {
        problems.push(format!(
            "open descriptors grew from {:.0} to {:.0}",
            warm.fds, end.fds
        ));
    }
    if let (Some(w), Some(e)) = (warm.gauge, end.gauge)
        && e > w * 1.1 + 16.0
    {
        problems.push(format!("open connections grew from {w:.0} to {e:.0}"));
    }
    if let (Some(w), Some(e)) = (warm.tasks, end.tasks)
        && e > w * 1.1 + 16.0
    {
        problems.push(format!("runtime tasks grew from {w:.0} to {e:.0}"));
    }
    problems
}

/// The table of the three points; the gauge column only when `gauge_name` is not empty.
pub fn print_curve(curve: &Curve, gauge_name: &str) {
    let tasks = |t: Option<f64>| t.map_or_else(|| "-".to_owned(), |t| format!("{t:.0}"));
    let gauge = |g: Option<f64>| match (gauge_name.is_empty(), g) {
        (true, _) => String::new(),
        (false, Some(g)) => format!(" {g:.0} |"),
        (false, None) => " - |".to_owned(),
    };
    let (gauge_head, gauge_rule) = if gauge_name.is_empty() {
        (String::new(), "")
    } else {
        (format!(" {gauge_name} |"), "---:|")
    };
    println!(
        "| point | RSS (MiB) | open fds | threads | runtime tasks |{gauge_head}\n|---|---:|---:|---:|---:|{gauge_rule}"
    );
    let s = curve.start;
    println!(
        "| start | {:.1} | {} | {} | {} |{}",
        s.rss_kib as f64 / 1024.0,
        s.fds,
        s.threads,
        tasks(s.tasks.map(|t| t as f64)),
        gauge(s.gauge.map(|g| g as f64))
    );
    for (label, a) in [("after warm-up", curve.warm), ("end", curve.end)] {
        println!(
            "| {label} | {:.1} | {:.0} | {:.0} | {} |{}",
            a.rss_kib / 1024.0,
            a.fds,
            a.threads,
            tasks(a.tasks),
            gauge(a.gauge)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(rss: impl Fn(usize) -> u64) -> Vec<Sample> {
        (0..40)
            .map(|i| Sample {
                at_s: i as f64,
                rss_kib: rss(i),
                fds: 20,
                threads: 3,
                gauge: Some(50),
                tasks: Some(120),
            })
            .collect()
    }

    #[test]
    fn a_flat_curve_has_no_problem_and_a_leak_is_named() {
        let flat = curve(&samples(|i| if i < 5 { 1000 } else { 20_000 }), 5.0).expect("curve");
        assert!(growth_problems(&flat).is_empty());
        let leaking = curve(&samples(|i| 20_000 + 2_000 * i as u64), 5.0).expect("curve");
        let problems = growth_problems(&leaking);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("RSS grew"));
    }

    #[test]
    fn growing_runtime_tasks_are_named() {
        let mut leaking = samples(|_| 20_000);
        for (i, sample) in leaking.iter_mut().enumerate() {
            sample.tasks = Some(100 + 10 * i as u64);
        }
        let problems = growth_problems(&curve(&leaking, 5.0).expect("curve"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("runtime tasks grew"),
            "{problems:?}"
        );
    }

    #[test]
    fn too_few_samples_give_no_curve() {
        assert!(curve(&samples(|_| 1)[..5], 1.0).is_none());
    }
}
