//! The scratchkit side of the bulk-read benchmark: list every project of a user, then look
//! projects up one by one or several at a time. Each step returns a timed [`Phase`].

use std::time::Instant;

use futures_util::{StreamExt as _, TryStreamExt as _};
use scratchkit::Client;
use scratchkit::model::ProjectId;

use crate::procstats::cpu_time;
use crate::report::Phase;

/// Projects per list request (Scratch's maximum, what `.stream()` asks for).
pub const PAGE: u64 = 40;

/// Measures a closure-like async step: wall time and this process's CPU time around it.
async fn timed<T>(
    step: impl Future<Output = scratchkit::Result<T>>,
) -> scratchkit::Result<(T, f64, f64)> {
    let cpu0 = cpu_time();
    let wall0 = Instant::now();
    let value = step.await?;
    let wall = wall0.elapsed().as_secs_f64();
    let cpu = match (cpu0, cpu_time()) {
        (Some(before), Some(after)) => after.saturating_sub(before).as_secs_f64(),
        _ => 0.0,
    };
    Ok((value, wall, cpu))
}

/// Streams every shared project of `user` (`GET api /users/<user>/projects`, 40 per request)
/// and returns their ids with the timed `list` phase.
///
/// The request count is derived from the item count: the stream asks for pages of 40 until a
/// short (possibly empty) page, so `n` items take `n / 40 + 1` requests.
///
/// # Errors
/// The first error of the stream (status, decoding, transport).
pub async fn list_projects(
    client: &Client,
    user: &str,
) -> scratchkit::Result<(Vec<ProjectId>, Phase)> {
    let stream = client.user(user).projects().stream();
    let (ids, wall_s, cpu_s): (Vec<ProjectId>, _, _) =
        timed(stream.map_ok(|project| project.id).try_collect()).await?;
    let items = ids.len() as u64;
    let phase = Phase {
        name: "list".to_owned(),
        requests: items / PAGE + 1,
        items,
        wall_s,
        cpu_s,
    };
    Ok((ids, phase))
}

/// `n` ids spread evenly over `ids` (all of them when there are fewer than `n`); the Python
/// side (`compat/bench_scratchattach.py`) picks the same ones.
///
/// ```
/// use scratchkit::model::ProjectId;
/// let ids: Vec<ProjectId> = (0..10).map(ProjectId).collect();
/// let picked = scratchkit_bench::workload::spread(&ids, 4);
/// assert_eq!(picked, vec![ProjectId(0), ProjectId(2), ProjectId(5), ProjectId(7)]);
/// ```
pub fn spread(ids: &[ProjectId], n: usize) -> Vec<ProjectId> {
    if n >= ids.len() {
        return ids.to_vec();
    }
    (0..n).map(|i| ids[i * ids.len() / n]).collect()
}

/// Looks every id up (`GET api /projects/<id>`) with at most `in_flight` requests at a time
/// (1: one after the other), checking that each answer is the project asked for. Returns the
/// timed `lookups` phase; `items` counts the answers that matched.
///
/// # Errors
/// The first failed lookup.
pub async fn lookups(
    client: &Client,
    ids: &[ProjectId],
    in_flight: usize,
) -> scratchkit::Result<Phase> {
    let in_flight = in_flight.max(1);
    let run = async {
        let mut matched = 0u64;
        if in_flight == 1 {
            for &id in ids {
                let project = client.project(id).info().await?;
                matched += u64::from(project.id == id);
            }
        } else {
            let mut answers = futures_util::stream::iter(ids.iter().copied())
                .map(|id| {
                    let client = client.clone();
                    async move { client.project(id).info().await.map(|p| p.id == id) }
                })
                .buffer_unordered(in_flight);
            while let Some(answer) = answers.next().await {
                matched += u64::from(answer?);
            }
        }
        Ok(matched)
    };
    let (matched, wall_s, cpu_s) = timed(run).await?;
    Ok(Phase {
        name: "lookups".to_owned(),
        requests: ids.len() as u64,
        items: matched,
        wall_s,
        cpu_s,
    })
}
