//! Telling Scratch 3 project JSON from Scratch 2 (and other files).

use serde_json::Value;

use crate::{Error, ProjectDocument, Result, Sb2Summary};

/// A project JSON document of either generation, as served by
/// `projects.scratch.mit.edu/<id>` (which still serves Scratch 2 JSON for never-resaved
/// projects).
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectFile {
    /// A Scratch 3 project (the root has `targets`).
    Sb3(ProjectDocument),
    /// A Scratch 2 project (the root has `objName`): only a summary.
    Sb2(Sb2Summary),
}

impl ProjectFile {
    /// Recognises and decodes project JSON bytes (a UTF-8 byte-order mark is allowed).
    ///
    /// ```
    /// use scratchkit_sb3::ProjectFile;
    ///
    /// let file = ProjectFile::parse(br#"{"objName":"Stage","children":[{"objName":"Cat"}]}"#)?;
    /// match file {
    ///     ProjectFile::Sb2(summary) => assert_eq!(summary.sprite_names, ["Cat"]),
    ///     ProjectFile::Sb3(_) => unreachable!(),
    /// }
    /// # Ok::<(), scratchkit_sb3::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::IsArchive`] for zip bytes (.sb3/.sb2 files: use [`Sb3::read`](crate::Sb3::read)),
    /// [`Error::Scratch1Unsupported`] for Scratch 1.x files, [`Error::Json`] for invalid JSON
    /// or a Scratch 3 document of the wrong shape, [`Error::UnknownFormat`] for JSON that is
    /// not a project.
    pub fn parse(bytes: &[u8]) -> Result<ProjectFile> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            return Err(Error::IsArchive);
        }
        if bytes.starts_with(b"ScratchV") {
            return Err(Error::Scratch1Unsupported);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // Decode straight into the model (keeping map order); only when that fails, look at
        // the document again to tell a Scratch 2 project or a non-project from a bad one.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let err = match serde_path_to_error::deserialize::<_, ProjectDocument>(&mut de) {
            Ok(project) => match de.end() {
                Ok(()) => return Ok(ProjectFile::Sb3(project)),
                Err(source) => {
                    return Err(Error::Json {
                        path: ".".to_owned(),
                        source,
                    });
                }
            },
            Err(err) => Error::json(err),
        };
        let Ok(Value::Object(root)) = serde_json::from_slice::<Value>(bytes) else {
            return Err(match err {
                // Invalid JSON: report the syntax error.
                Error::Json { ref source, .. } if !source.is_data() => err,
                _ => Error::UnknownFormat,
            });
        };
        if root.contains_key("targets") {
            Err(err)
        } else if root.contains_key("objName") {
            Ok(ProjectFile::Sb2(Sb2Summary::from_root(&root)))
        } else {
            Err(Error::UnknownFormat)
        }
    }

    /// The Scratch 3 project.
    ///
    /// # Errors
    ///
    /// [`Error::Scratch2Unsupported`] for a Scratch 2 project.
    pub fn into_sb3(self) -> Result<ProjectDocument> {
        match self {
            ProjectFile::Sb3(project) => Ok(project),
            ProjectFile::Sb2(_) => Err(Error::Scratch2Unsupported),
        }
    }

    /// Whether this is a Scratch 2 project.
    pub fn is_sb2(&self) -> bool {
        matches!(self, ProjectFile::Sb2(_))
    }
}
