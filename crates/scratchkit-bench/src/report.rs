//! What one benchmark client measured, as JSON (the Rust clients and the Python script print
//! the same shape), and the table and ratios `bulk-read` prints.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// One timed phase of a client run (`list`: the whole project list; `lookups`: single-project
/// lookups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// `list` or `lookups`.
    pub name: String,
    /// HTTP requests made in the phase.
    pub requests: u64,
    /// Items received (projects listed, or projects looked up).
    pub items: u64,
    /// Wall-clock seconds.
    pub wall_s: f64,
    /// CPU seconds (user + system) of the client process during the phase.
    pub cpu_s: f64,
}

impl Phase {
    /// Requests per second of wall time (0 when nothing was timed).
    pub fn requests_per_sec(&self) -> f64 {
        per(self.requests as f64, self.wall_s)
    }

    /// CPU microseconds per request (0 when there was no request).
    pub fn cpu_us_per_request(&self) -> f64 {
        per(self.cpu_s * 1e6, self.requests as f64)
    }
}

/// Everything one client process measured.
///
/// ```
/// let json = r#"{"client":"scratchattach","peak_rss_kib":51200,
///   "phases":[{"name":"list","requests":52,"items":2000,"wall_s":0.5,"cpu_s":0.25}]}"#;
/// let run: scratchkit_bench::report::ClientRun = serde_json::from_str(json).unwrap();
/// assert_eq!(run.total().requests, 52);
/// assert_eq!(run.total().requests_per_sec(), 104.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRun {
    /// Which client (`scratchkit sequential`, `scratchkit concurrent (16 in flight)`,
    /// `scratchattach`).
    pub client: String,
    /// The timed phases, in order.
    pub phases: Vec<Phase>,
    /// Peak resident memory of the client process, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Requests made outside the timed phases (warm-up, the concurrent run's listing).
    #[serde(default)]
    pub untimed_requests: u64,
    /// CPU seconds the sandbox process spent while this client ran (measured by `bulk-read`
    /// from outside, not by the client).
    #[serde(default)]
    pub server_cpu_s: Option<f64>,
    /// CPU microseconds per request that the measuring harness itself adds inside the timed
    /// phases (scratchattach: the compat redirect of `compat/redirect.py`), measured by the
    /// client as a lower bound. `None` for clients without such a harness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harness_us_per_request: Option<f64>,
}

impl ClientRun {
    /// The phase called `name`.
    pub fn phase(&self, name: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.name == name)
    }

    /// The sandbox's CPU microseconds per request of this run (timed and untimed), when known.
    pub fn server_cpu_us_per_request(&self) -> Option<f64> {
        let requests = self.total().requests + self.untimed_requests;
        self.server_cpu_s
            .filter(|_| requests > 0)
            .map(|s| s * 1e6 / requests as f64)
    }

    /// [`total`](Self::total) with the harness's cost taken out of the wall and CPU time
    /// (each timed request, sequentially, minus [`harness_us_per_request`](Self::harness_us_per_request));
    /// the plain total when there is no harness figure.
    ///
    /// ```
    /// # use scratchkit_bench::report::{ClientRun, Phase};
    /// let run = ClientRun {
    ///     client: "scratchattach".into(),
    ///     phases: vec![Phase { name: "lookups".into(), requests: 100, items: 100, wall_s: 0.1, cpu_s: 0.08 }],
    ///     peak_rss_kib: None,
    ///     untimed_requests: 0,
    ///     server_cpu_s: None,
    ///     harness_us_per_request: Some(50.0),
    /// };
    /// let bare = run.total_without_harness();
    /// assert!((bare.wall_s - 0.095).abs() < 1e-9);
    /// assert!((bare.cpu_s - 0.075).abs() < 1e-9);
    /// ```
    pub fn total_without_harness(&self) -> Phase {
        let mut total = self.total();
        if let Some(us) = self.harness_us_per_request.filter(|us| *us > 0.0) {
            let cost = us * 1e-6 * total.requests as f64;
            total.wall_s = (total.wall_s - cost).max(0.0);
            total.cpu_s = (total.cpu_s - cost).max(0.0);
        }
        total
    }

    /// All phases added up (named `total`).
    pub fn total(&self) -> Phase {
        self.phases.iter().fold(
            Phase {
                name: "total".to_owned(),
                requests: 0,
                items: 0,
                wall_s: 0.0,
                cpu_s: 0.0,
            },
            |mut sum, p| {
                sum.requests += p.requests;
                sum.items += p.items;
                sum.wall_s += p.wall_s;
                sum.cpu_s += p.cpu_s;
                sum
            },
        )
    }
}

fn per(amount: f64, by: f64) -> f64 {
    if by > 0.0 { amount / by } else { 0.0 }
}

/// The run with the median total wall time (the lower middle one for an even count).
///
/// ```
/// # use scratchkit_bench::report::{ClientRun, Phase, median_run};
/// let run = |wall_s: f64| ClientRun {
///     client: "x".into(),
///     phases: vec![Phase { name: "lookups".into(), requests: 1, items: 1, wall_s, cpu_s: 0.0 }],
///     peak_rss_kib: None,
///     untimed_requests: 0,
///     server_cpu_s: None,
///     harness_us_per_request: None,
/// };
/// let runs = [run(3.0), run(1.0), run(2.0)];
/// assert_eq!(median_run(&runs).map(|r| r.total().wall_s), Some(2.0));
/// assert!(median_run(&[]).is_none());
/// ```
pub fn median_run(runs: &[ClientRun]) -> Option<&ClientRun> {
    let mut sorted: Vec<&ClientRun> = runs.iter().collect();
    sorted.sort_by(|a, b| a.total().wall_s.total_cmp(&b.total().wall_s));
    sorted.get(sorted.len().saturating_sub(1) / 2).copied()
}

/// `a / b` for two throughputs, `None` when `b` is zero.
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// The figures as a plain-text table: one row per client and phase, plus each client's total.
///
/// ```
/// use scratchkit_bench::report::{ClientRun, Phase, table};
///
/// let run = ClientRun {
///     client: "scratchkit sequential".into(),
///     phases: vec![Phase { name: "lookups".into(), requests: 500, items: 500, wall_s: 0.25, cpu_s: 0.05 }],
///     peak_rss_kib: Some(20_480),
///     untimed_requests: 0,
///     server_cpu_s: Some(0.1),
///     harness_us_per_request: None,
/// };
/// let text = table(&[run]);
/// assert!(text.contains("2000.0"), "{text}");   // requests/s
/// assert!(text.contains("100.0"), "{text}");    // CPU µs per request
/// assert!(text.contains("20.0"), "{text}");     // peak MiB
/// assert!(text.contains("200.0"), "{text}");    // sandbox CPU µs per request
/// ```
pub fn table(runs: &[ClientRun]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<48} {:<8} {:>8} {:>6} {:>8} {:>11} {:>14} {:>9} {:>16}",
        "client",
        "phase",
        "requests",
        "items",
        "wall s",
        "requests/s",
        "CPU µs/request",
        "peak MiB",
        "server µs/req"
    );
    for run in runs {
        let peak = run
            .peak_rss_kib
            .map_or_else(|| "?".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0));
        let server = run
            .server_cpu_us_per_request()
            .map_or_else(|| "?".to_owned(), |us| format!("{us:.1}"));
        let total = run.total();
        let rows = run
            .phases
            .iter()
            .chain((run.phases.len() > 1).then_some(&total));
        for phase in rows {
            let _ = writeln!(
                out,
                "{:<48} {:<8} {:>8} {:>6} {:>8.3} {:>11.1} {:>14.1} {:>9} {:>16}",
                run.client,
                phase.name,
                phase.requests,
                phase.items,
                phase.wall_s,
                phase.requests_per_sec(),
                phase.cpu_us_per_request(),
                peak,
                server
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(name: &str, requests: u64, wall_s: f64, cpu_s: f64) -> Phase {
        Phase {
            name: name.into(),
            requests,
            items: requests,
            wall_s,
            cpu_s,
        }
    }

    #[test]
    fn totals_add_phases_and_rates_divide() {
        let run = ClientRun {
            client: "x".into(),
            phases: vec![phase("list", 51, 0.5, 0.1), phase("lookups", 500, 1.5, 0.4)],
            peak_rss_kib: None,
            untimed_requests: 0,
            server_cpu_s: None,
            harness_us_per_request: None,
        };
        let total = run.total();
        assert_eq!(total.requests, 551);
        assert!((total.wall_s - 2.0).abs() < 1e-9);
        assert!((total.requests_per_sec() - 275.5).abs() < 1e-9);
        assert!((total.cpu_us_per_request() - 0.5e6 / 551.0).abs() < 1e-6);
        assert_eq!(run.phase("lookups").map(|p| p.requests), Some(500));
        assert!(run.phase("nope").is_none());
        assert_eq!(run.server_cpu_us_per_request(), None);
        let measured = ClientRun {
            untimed_requests: 49,
            server_cpu_s: Some(0.3),
            ..run
        };
        assert!((measured.server_cpu_us_per_request().unwrap() - 500.0).abs() < 1e-9);
    }

    #[test]
    fn empty_phases_do_not_divide_by_zero() {
        let p = phase("list", 0, 0.0, 0.0);
        assert_eq!(p.requests_per_sec(), 0.0);
        assert_eq!(p.cpu_us_per_request(), 0.0);
        assert_eq!(ratio(10.0, 0.0), None);
        assert_eq!(ratio(10.0, 4.0), Some(2.5));
    }

    #[test]
    fn json_round_trips_and_rejects_missing_fields() {
        let run = ClientRun {
            client: "scratchkit sequential".into(),
            phases: vec![phase("list", 51, 0.5, 0.1)],
            peak_rss_kib: Some(1),
            untimed_requests: 0,
            server_cpu_s: None,
            harness_us_per_request: None,
        };
        let text = serde_json::to_string(&run).unwrap();
        assert_eq!(serde_json::from_str::<ClientRun>(&text).unwrap(), run);
        assert!(
            serde_json::from_str::<ClientRun>(r#"{"client":"x","phases":[{"name":"list"}]}"#)
                .is_err()
        );
    }

    #[test]
    fn table_has_a_total_row_only_for_several_phases() {
        let one = ClientRun {
            client: "a".into(),
            phases: vec![phase("lookups", 10, 1.0, 0.0)],
            peak_rss_kib: None,
            untimed_requests: 0,
            server_cpu_s: None,
            harness_us_per_request: None,
        };
        let two = ClientRun {
            client: "b".into(),
            phases: vec![phase("list", 10, 1.0, 0.0), phase("lookups", 10, 1.0, 0.0)],
            peak_rss_kib: None,
            untimed_requests: 0,
            server_cpu_s: None,
            harness_us_per_request: None,
        };
        let text = table(&[one, two]);
        assert_eq!(text.lines().count(), 1 + 1 + 3, "{text}");
        assert_eq!(text.matches("total").count(), 1, "{text}");
    }
}
