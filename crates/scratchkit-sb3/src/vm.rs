//! Running a project in Scratch's own engine, `scratch-vm`, through the small Node harness
//! in this crate's `vm-harness/` folder (`npm ci` there first).
//!
//! The harness loads an .sb3 headless (no renderer, no audio), clicks the green flag, steps
//! the engine frame by frame and reports every variable and list of the original targets.
//! This is how the crate's tests prove that generated projects compute what they should.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// Why the harness could not run a project.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VmError {
    /// `node` is not installed (or not on `PATH`).
    #[error("node is not installed: {0}")]
    NoNode(String),
    /// The harness's dependencies are not installed: run `npm ci` in the folder.
    #[error("scratch-vm is not installed in {0} (run `npm ci` there)")]
    NotInstalled(PathBuf),
    /// Writing the temporary project file or starting node failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// scratch-vm refused to load the project.
    #[error("scratch-vm could not load the project: {0}")]
    Load(String),
    /// The harness failed or printed something unexpected.
    #[error("the VM harness failed: {0}")]
    Harness(String),
}

/// What a project left behind after running.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VmRun {
    /// Frames run (at 30 per second).
    pub frames: u32,
    /// The stage and the sprites (not clones), in the VM's order.
    pub targets: Vec<VmTarget>,
    /// project.json as scratch-vm saves the project (when asked for).
    #[serde(default)]
    pub saved: Option<Value>,
}

/// One target's data after a run.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VmTarget {
    /// Its name.
    pub name: String,
    /// Whether it is the stage.
    #[serde(rename = "isStage")]
    pub is_stage: bool,
    /// Variable values by name.
    pub variables: IndexMap<String, Value>,
    /// List contents by name.
    pub lists: IndexMap<String, Vec<Value>>,
}

impl VmRun {
    /// The target called `name` (`Stage` for the stage).
    pub fn target(&self, name: &str) -> Option<&VmTarget> {
        self.targets.iter().find(|t| t.name == name)
    }

    /// A stage (global) variable's value.
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.targets
            .iter()
            .find(|t| t.is_stage)
            .and_then(|t| t.variables.get(name))
    }

    /// A stage (global) list's items.
    pub fn global_list(&self, name: &str) -> Option<&Vec<Value>> {
        self.targets
            .iter()
            .find(|t| t.is_stage)
            .and_then(|t| t.lists.get(name))
    }
}

/// The Node harness: where it is and how to run it.
#[derive(Debug, Clone)]
pub struct Harness {
    dir: PathBuf,
}

impl Harness {
    /// The harness shipped in this crate's source (`vm-harness/`), or the folder named by
    /// the `SCRATCHKIT_VM_HARNESS` environment variable, once `node` runs and
    /// `node_modules/scratch-vm` is there.
    ///
    /// # Errors
    ///
    /// [`VmError::NoNode`] or [`VmError::NotInstalled`]: tests print these as the reason
    /// they skip.
    pub fn locate() -> Result<Harness, VmError> {
        let dir = std::env::var_os("SCRATCHKIT_VM_HARNESS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("vm-harness"));
        match Command::new("node").arg("--version").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => return Err(VmError::NoNode(String::from_utf8_lossy(&out.stderr).into())),
            Err(err) => return Err(VmError::NoNode(err.to_string())),
        }
        if !dir.join("node_modules/scratch-vm/package.json").is_file() {
            return Err(VmError::NotInstalled(dir));
        }
        Ok(Harness { dir })
    }

    /// Runs `.sb3` (or project.json) bytes for `frames` frames after the green flag.
    /// With `save`, [`VmRun::saved`] holds the project as scratch-vm saves it.
    ///
    /// # Errors
    ///
    /// [`VmError::Load`] when scratch-vm refuses the project, [`VmError::Harness`] /
    /// [`VmError::Io`] when the harness cannot run.
    pub fn run(&self, bytes: &[u8], frames: u32, save: bool) -> Result<VmRun, VmError> {
        let mut file = tempfile_in(&std::env::temp_dir())?;
        file.1.write_all(bytes)?;
        file.1.flush()?;
        let mut command = Command::new("node");
        command
            .arg(self.dir.join("run.js"))
            .arg(&file.0)
            .arg("--frames")
            .arg(frames.to_string())
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        if save {
            command.arg("--save");
        }
        let output = command.output();
        let _ = std::fs::remove_file(&file.0);
        let output = output?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout.lines().last().unwrap_or("");
        let value: Value = serde_json::from_str(line).map_err(|_| {
            VmError::Harness(format!(
                "exit {:?}, stdout {:?}, stderr {:?}",
                output.status.code(),
                truncate(&stdout),
                truncate(&String::from_utf8_lossy(&output.stderr)),
            ))
        })?;
        if value.get("ok") != Some(&Value::Bool(true)) {
            let error = value
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            return Err(VmError::Load(error.to_owned()));
        }
        serde_json::from_value(value).map_err(|e| VmError::Harness(e.to_string()))
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(2000).collect()
}

/// A new file in `dir` with a unique name (process id, time and a counter).
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            "scratchkit-vm-{}-{nanos}-{n}.sb3",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
}

/// For tests: the harness, or `None` after printing why it cannot run. Under CI
/// (`CI=true`, or `SCRATCHKIT_REQUIRE_VM=1` as `.ci/run` sets after installing the harness)
/// a missing harness is a failure, not a skip.
///
/// # Panics
///
/// When the harness is missing and one of those variables is set.
pub fn harness_or_skip(test: &str) -> Option<Harness> {
    match Harness::locate() {
        Ok(harness) => Some(harness),
        Err(err) => {
            let set = |name: &str| std::env::var(name).is_ok_and(|v| v == "true" || v == "1");
            let ci = set("CI") || set("SCRATCHKIT_REQUIRE_VM");
            assert!(!ci, "{test}: the scratch-vm harness must run in CI: {err}");
            eprintln!("SKIPPED {test}: {err}");
            None
        }
    }
}
