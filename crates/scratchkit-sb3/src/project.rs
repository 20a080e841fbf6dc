//! The Scratch 3 project: `project.json`.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{AssetKind, AssetRef, Error, Monitor, ProjectFile, Result, Target};

/// A Scratch 3 project: the content of `project.json`.
///
/// Decoding and encoding keep everything: keys this model does not know land in `extra`
/// fields and are written back, numbers keep their integer/float form, and id-keyed maps keep
/// their order. Decode → encode → decode gives the same JSON value.
///
/// ```
/// use scratchkit_sb3::ProjectDocument;
///
/// let json = br#"{"targets":[{"isStage":true,"name":"Stage","variables":{},"lists":{},
///   "broadcasts":{},"blocks":{},"comments":{},"currentCostume":0,"costumes":[],"sounds":[],
///   "volume":100,"layerOrder":0,"tempo":60,"videoTransparency":50,"videoState":"on",
///   "textToSpeechLanguage":null}],"monitors":[],"extensions":[],
///   "meta":{"semver":"3.0.0","vm":"1.2.54","agent":""}}"#;
/// let project = ProjectDocument::from_json(json)?;
/// assert_eq!(project.stage().map(|s| s.name.as_str()), Some("Stage"));
/// assert_eq!(project.sprites().count(), 0);
/// let again = ProjectDocument::from_json(&project.to_json()?)?;
/// assert_eq!(again, project);
/// # Ok::<(), scratchkit_sb3::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectDocument {
    /// The stage (first, in files written by the editor) and the sprites.
    pub targets: Vec<Target>,
    /// Monitors shown on the stage.
    #[serde(default)]
    pub monitors: Vec<Monitor>,
    /// Ids of the extensions used, e.g. `pen`, `music`.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// Which editor wrote the file.
    #[serde(default)]
    pub meta: Meta,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

/// The `meta` object of a project: which editor wrote it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Format version, `"3.0.0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<String>,
    /// Version of scratch-vm that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm: Option<String>,
    /// Browser User-Agent of the editor that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Keys this model does not know (e.g. `origin`, `platform` of other editors).
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

impl ProjectDocument {
    /// Decodes `project.json` bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Scratch2Unsupported`] for a Scratch 2 project (see [`ProjectFile::parse`] for
    /// a summary of one), [`Error::IsArchive`] for .sb3/.sb2 zip bytes, [`Error::Json`] when
    /// the JSON is invalid or not shaped like project.json, [`Error::UnknownFormat`] and
    /// [`Error::Scratch1Unsupported`] for other files.
    pub fn from_json(bytes: &[u8]) -> Result<ProjectDocument> {
        ProjectFile::parse(bytes)?.into_sb3()
    }

    /// Encodes the project as compact JSON, like the editor does.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if serialization fails, which it does not for values built from this
    /// crate's types.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|source| Error::Json {
            path: ".".to_owned(),
            source,
        })
    }

    /// The stage, if the project has one (valid projects have exactly one).
    pub fn stage(&self) -> Option<&Target> {
        self.targets.iter().find(|t| t.is_stage)
    }

    /// The stage, mutably.
    pub fn stage_mut(&mut self) -> Option<&mut Target> {
        self.targets.iter_mut().find(|t| t.is_stage)
    }

    /// The sprites, in file order.
    pub fn sprites(&self) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(|t| !t.is_stage)
    }

    /// The first sprite called `name`.
    pub fn sprite(&self, name: &str) -> Option<&Target> {
        self.sprites().find(|t| t.name == name)
    }

    /// Blocks of all targets, not counting shadow blocks (see [`Target::block_count`]).
    pub fn block_count(&self) -> usize {
        self.targets.iter().map(Target::block_count).sum()
    }

    /// Every reference to an asset, costumes then sounds of each target in order. The same
    /// file may appear several times; see [`asset_names`](ProjectDocument::asset_names) for the set.
    ///
    /// ```
    /// # let project = scratchkit_sb3::ProjectDocument::from_json(br#"{"targets":[{"isStage":true,"name":"Stage",
    /// #   "costumes":[{"assetId":"cd21514d0531fdffb22204e0ec5ed84a","name":"backdrop1",
    /// #   "md5ext":"cd21514d0531fdffb22204e0ec5ed84a.svg","dataFormat":"svg"}]}],"meta":{}}"#)?;
    /// for asset in project.assets() {
    ///     println!("{} ({:?} {} of {})", asset.md5ext, asset.kind, asset.name, asset.target);
    /// }
    /// assert_eq!(project.assets().count(), 1);
    /// # Ok::<(), scratchkit_sb3::Error>(())
    /// ```
    pub fn assets(&self) -> impl Iterator<Item = AssetRef> + '_ {
        self.targets.iter().flat_map(|target| {
            let costumes = target.costumes.iter().map(move |c| AssetRef {
                md5ext: c.file_name(),
                asset_id: c.asset_id.clone(),
                data_format: c.data_format.clone(),
                kind: AssetKind::Costume,
                target: target.name.clone(),
                name: c.name.clone(),
            });
            let sounds = target.sounds.iter().map(move |s| AssetRef {
                md5ext: s.file_name(),
                asset_id: s.asset_id.clone(),
                data_format: s.data_format.clone(),
                kind: AssetKind::Sound,
                target: target.name.clone(),
                name: s.name.clone(),
            });
            costumes.chain(sounds)
        })
    }

    /// The distinct asset file names (`<md5>.<ext>`) the project uses, sorted.
    pub fn asset_names(&self) -> BTreeSet<String> {
        self.assets().map(|asset| asset.md5ext).collect()
    }
}
