//! Writing an `.sb3` to disk entry by entry, as the assets arrive: a blocking writer task fed
//! through a bounded channel, into a temporary file next to the target that is renamed over
//! it only once the archive is complete (a failed or cancelled download leaves nothing).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::error::{Error, Result};

fn file_error(path: &Path, source: std::io::Error) -> Error {
    Error::File {
        path: path.display().to_string(),
        source,
    }
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => file_error(path, io),
        other => file_error(path, std::io::Error::other(other.to_string())),
    }
}

/// Removes the temporary file unless the archive was completed and renamed.
struct TempGuard {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// An `.sb3` being written.
pub(super) struct Sb3FileWriter {
    target: PathBuf,
    sender: Option<mpsc::Sender<(String, Bytes)>>,
    task: JoinHandle<Result<u64>>,
    guard: TempGuard,
}

impl Sb3FileWriter {
    /// Creates the temporary file and writes `project.json` into it. `buffer` entries may wait
    /// in the channel.
    pub(super) async fn create(
        target: &Path,
        project_json: Vec<u8>,
        buffer: usize,
    ) -> Result<Self> {
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::invalid("path", "the path has no file name"))?;
        let temp =
            target.with_file_name(format!(".{file_name}.{:016x}.part", rand::random::<u64>()));
        let guard = TempGuard {
            path: temp.clone(),
            armed: true,
        };
        let file = tokio::fs::File::create(&temp)
            .await
            .map_err(|e| file_error(&temp, e))?
            .into_std()
            .await;
        let (sender, mut receiver) = mpsc::channel::<(String, Bytes)>(buffer.max(1));
        let task = tokio::task::spawn_blocking(move || -> Result<u64> {
            let options =
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
            let mut zip = ZipWriter::new(BufWriter::new(file));
            zip.start_file("project.json", options)
                .map_err(|e| zip_error(&temp, e))?;
            zip.write_all(&project_json)
                .map_err(|e| file_error(&temp, e))?;
            while let Some((name, data)) = receiver.blocking_recv() {
                zip.start_file(name.as_str(), options)
                    .map_err(|e| zip_error(&temp, e))?;
                zip.write_all(&data).map_err(|e| file_error(&temp, e))?;
            }
            let mut out = zip.finish().map_err(|e| zip_error(&temp, e))?;
            out.flush().map_err(|e| file_error(&temp, e))?;
            let file = out
                .into_inner()
                .map_err(|e| file_error(&temp, e.into_error()))?;
            file.sync_all().map_err(|e| file_error(&temp, e))?;
            let size = file.metadata().map_err(|e| file_error(&temp, e))?.len();
            Ok(size)
        });
        Ok(Self {
            target: target.to_path_buf(),
            sender: Some(sender),
            task,
            guard,
        })
    }

    /// Queues one asset entry (waits while the writer is behind).
    pub(super) async fn add(&mut self, name: String, data: Bytes) -> Result<()> {
        let Some(sender) = &self.sender else {
            return Err(Error::invalid("sb3 writer", "already finished"));
        };
        if sender.send((name, data)).await.is_err() {
            // The writer stopped: its own error says why.
            self.sender = None;
            return match (&mut self.task).await {
                Ok(Err(e)) => Err(e),
                _ => Err(file_error(
                    &self.guard.path,
                    std::io::Error::other("the archive writer stopped"),
                )),
            };
        }
        Ok(())
    }

    /// Completes the archive and moves it to the target path; returns its size in bytes.
    pub(super) async fn finish(mut self) -> Result<u64> {
        self.sender = None;
        let size = match (&mut self.task).await {
            Ok(result) => result?,
            Err(e) => {
                return Err(file_error(
                    &self.guard.path,
                    std::io::Error::other(format!("the archive writer failed: {e}")),
                ));
            }
        };
        tokio::fs::rename(&self.guard.path, &self.target)
            .await
            .map_err(|e| file_error(&self.target, e))?;
        self.guard.armed = false;
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "scratchkit-writer-{tag}-{}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[tokio::test]
    async fn writes_a_readable_sb3_and_leaves_no_temp_file() {
        let dir = temp_dir("ok");
        let target = dir.join("p.sb3");
        let json = br#"{"targets":[{"isStage":true,"name":"Stage","costumes":[{"assetId":"x","name":"a","dataFormat":"svg","md5ext":"NAME"}]}],"meta":{}}"#;
        let svg = b"<svg/>".to_vec();
        let name = scratchkit_sb3::asset_name(&svg, "svg");
        let json = String::from_utf8(json.to_vec())
            .unwrap()
            .replace("NAME", &name)
            .into_bytes();
        let mut w = Sb3FileWriter::create(&target, json, 2).await.unwrap();
        w.add(name.clone(), Bytes::from(svg.clone())).await.unwrap();
        let size = w.finish().await.unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len() as u64, size);
        let sb3 = scratchkit_sb3::Sb3::from_bytes(&bytes).unwrap();
        assert_eq!(sb3.assets[&name], svg);
        assert_eq!(leftovers(&dir), ["p.sb3"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_dropped_writer_removes_its_temp_file_and_keeps_the_old_target() {
        let dir = temp_dir("drop");
        let target = dir.join("p.sb3");
        std::fs::write(&target, b"old").unwrap();
        let mut w = Sb3FileWriter::create(&target, b"{}".to_vec(), 1)
            .await
            .unwrap();
        w.add("a.svg".into(), Bytes::from_static(b"x"))
            .await
            .unwrap();
        assert_eq!(leftovers(&dir).len(), 2);
        drop(w);
        // The writer thread may still hold the (already unlinked) file; only the name matters.
        assert_eq!(leftovers(&dir), ["p.sb3"]);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_directory_is_a_file_error() {
        let target = std::env::temp_dir()
            .join("scratchkit-no-such-dir-4c1d")
            .join("p.sb3");
        let err = Sb3FileWriter::create(&target, b"{}".to_vec(), 1)
            .await
            .err()
            .unwrap();
        assert!(matches!(err, Error::File { .. }), "{err}");
    }
}
