//! `.sb3` archives: a zip of `project.json` and the asset files, each named `<md5>.<ext>`.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::{Error, ProjectDocument, ProjectFile, Result, asset_name, md5_hex, parse_asset_name};

/// Size limits applied while reading an archive, against zip bombs.
///
/// Sizes are checked on the bytes actually decompressed, not only on what the archive
/// declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest uncompressed size of all entries read together. Default: 512 MiB.
    pub max_total_size: u64,
    /// Largest uncompressed size of one entry. Default: 128 MiB.
    pub max_entry_size: u64,
    /// Most entries (files and folders) in the archive. Default: 20 000.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_size: 512 * 1024 * 1024,
            max_entry_size: 128 * 1024 * 1024,
            max_entries: 20_000,
        }
    }
}

/// How [`Sb3::read_with`] reads an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Size limits. Default: [`Limits::default`].
    pub limits: Limits,
    /// Check that every asset's md5 matches its name. Default: `true`.
    pub verify_hashes: bool,
    /// Accept an archive that lacks assets named in project.json (find them with
    /// [`Sb3::missing_assets`]). Default: `false`.
    pub allow_missing_assets: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            limits: Limits::default(),
            verify_hashes: true,
            allow_missing_assets: false,
        }
    }
}

/// A Scratch 3 project file: the project and its assets.
///
/// Reading keeps `project.json` and every entry named like an asset (`<32 hex digits>.<ext>`),
/// at the root or, as some tools write them, all inside one folder; other entries (folders,
/// `__MACOSX/…` and such) are ignored. Asset names are stored with a lowercase md5.
///
/// ```
/// use scratchkit_sb3::{ProjectDocument, Sb3};
///
/// let project = ProjectDocument::from_json(br#"{"targets":[{"isStage":true,"name":"Stage",
///     "costumes":[{"assetId":"a2f8fcf5ffd3c4a8b42c3c1ab1ea4b8b","name":"backdrop1",
///     "md5ext":"a2f8fcf5ffd3c4a8b42c3c1ab1ea4b8b.svg","dataFormat":"svg"}]}],"meta":{}}"#)?;
/// let mut sb3 = Sb3::new(project);
/// let name = sb3.add_asset(b"<svg/>".to_vec(), "svg");
/// // The costume above names a file we do not have:
/// assert_eq!(sb3.missing_assets(), ["a2f8fcf5ffd3c4a8b42c3c1ab1ea4b8b.svg"]);
/// sb3.project.targets[0].costumes[0].md5ext = Some(name.clone());
/// assert!(sb3.missing_assets().is_empty());
///
/// let bytes = sb3.to_bytes()?;
/// let back = Sb3::from_bytes(&bytes)?;
/// assert_eq!(back.assets[&name], b"<svg/>");
/// # Ok::<(), scratchkit_sb3::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Sb3 {
    /// The project (`project.json`).
    pub project: ProjectDocument,
    /// Asset files by name (`<md5>.<ext>`).
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl fmt::Debug for Sb3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Sizes<'a>(&'a BTreeMap<String, Vec<u8>>);
        impl fmt::Debug for Sizes<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(k, v)| (k, v.len())))
                    .finish()
            }
        }
        f.debug_struct("Sb3")
            .field("project", &self.project)
            .field("assets (bytes)", &Sizes(&self.assets))
            .finish()
    }
}

impl Sb3 {
    /// A project with no assets yet.
    pub fn new(project: ProjectDocument) -> Sb3 {
        Sb3 {
            project,
            assets: BTreeMap::new(),
        }
    }

    /// Reads an .sb3 archive with the default [`ReadOptions`]: hashes verified, every asset
    /// that project.json names must be present.
    ///
    /// # Errors
    ///
    /// [`Error::Archive`] / [`Error::Io`] for a damaged zip, [`Error::TooManyEntries`],
    /// [`Error::EntryTooLarge`], [`Error::ArchiveTooLarge`] past the [`Limits`],
    /// [`Error::MissingProjectJson`], the errors of [`ProjectDocument::from_json`] (including
    /// [`Error::Scratch2Unsupported`] for an .sb2), [`Error::AssetHashMismatch`] and
    /// [`Error::MissingAssets`].
    pub fn read<R: Read + Seek>(reader: R) -> Result<Sb3> {
        Sb3::read_with(reader, &ReadOptions::default())
    }

    /// Reads an .sb3 archive held in memory (see [`read`](Sb3::read)).
    ///
    /// # Errors
    ///
    /// As [`read`](Sb3::read).
    pub fn from_bytes(bytes: &[u8]) -> Result<Sb3> {
        Sb3::read(Cursor::new(bytes))
    }

    /// Reads an .sb3 archive with the given options.
    ///
    /// # Errors
    ///
    /// As [`read`](Sb3::read), except for the checks the options turn off.
    pub fn read_with<R: Read + Seek>(reader: R, options: &ReadOptions) -> Result<Sb3> {
        let limits = &options.limits;
        let mut archive = ZipArchive::new(reader).map_err(Error::zip)?;
        if archive.len() > limits.max_entries {
            return Err(Error::TooManyEntries {
                count: archive.len(),
                limit: limits.max_entries,
            });
        }
        let prefix = project_json_prefix(&archive).ok_or(Error::MissingProjectJson)?;

        let mut project_json = None;
        let mut assets = BTreeMap::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(Error::zip)?;
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().map_err(Error::zip)?.into_owned();
            let Some(relative) = name.strip_prefix(&prefix) else {
                continue;
            };
            let asset = if relative == "project.json" {
                None
            } else if let Some((md5, ext)) = parse_asset_name(relative) {
                Some((format!("{md5}.{ext}"), md5))
            } else {
                continue;
            };
            let declared = entry.size();
            if declared > limits.max_entry_size {
                return Err(Error::EntryTooLarge {
                    name,
                    limit: limits.max_entry_size,
                });
            }
            let budget = limits.max_total_size.saturating_sub(total);
            let capacity = usize::try_from(declared.min(budget)).unwrap_or(0);
            let mut data = Vec::with_capacity(capacity);
            (&mut entry)
                .take(limits.max_entry_size.saturating_add(1))
                .read_to_end(&mut data)?;
            let size = data.len() as u64;
            if size > limits.max_entry_size {
                return Err(Error::EntryTooLarge {
                    name,
                    limit: limits.max_entry_size,
                });
            }
            total = total.saturating_add(size);
            if total > limits.max_total_size {
                return Err(Error::ArchiveTooLarge {
                    limit: limits.max_total_size,
                });
            }
            match asset {
                None => project_json = Some(data),
                Some((asset, md5)) => {
                    if options.verify_hashes {
                        let actual = md5_hex(&data);
                        if actual != md5 {
                            return Err(Error::AssetHashMismatch { name, actual });
                        }
                    }
                    assets.insert(asset, data);
                }
            }
        }

        let project_json = project_json.ok_or(Error::MissingProjectJson)?;
        let project = ProjectFile::parse(&project_json)?.into_sb3()?;
        let sb3 = Sb3 { project, assets };
        if !options.allow_missing_assets {
            let names = sb3.missing_assets();
            if !names.is_empty() {
                return Err(Error::MissingAssets { names });
            }
        }
        Ok(sb3)
    }

    /// Writes the archive: `project.json` first, then the assets in name order, all
    /// deflated, with fixed timestamps (the same input gives the same bytes). Returns the
    /// writer.
    ///
    /// Missing assets are not checked here (see [`missing_assets`](Sb3::missing_assets)); an
    /// archive written without them is rejected by [`read`](Sb3::read).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAssetName`] for an asset whose name is not `<md5>.<ext>`,
    /// [`Error::AssetHashMismatch`] for one whose content has another md5, [`Error::Io`] /
    /// [`Error::Archive`] when writing fails.
    pub fn write<W: Write + Seek>(&self, writer: W) -> Result<W> {
        for (name, data) in &self.assets {
            let (md5, _) = parse_asset_name(name)
                .ok_or_else(|| Error::InvalidAssetName { name: name.clone() })?;
            let actual = md5_hex(data);
            if md5 != actual {
                return Err(Error::AssetHashMismatch {
                    name: name.clone(),
                    actual,
                });
            }
        }
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let mut zip = ZipWriter::new(writer);
        zip.start_file("project.json", options)
            .map_err(Error::zip)?;
        zip.write_all(&self.project.to_json()?)?;
        for (name, data) in &self.assets {
            zip.start_file(name.as_str(), options).map_err(Error::zip)?;
            zip.write_all(data)?;
        }
        zip.finish().map_err(Error::zip)
    }

    /// Writes the archive into a new byte vector (see [`write`](Sb3::write)).
    ///
    /// # Errors
    ///
    /// As [`write`](Sb3::write).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.write(Cursor::new(Vec::new()))?.into_inner())
    }

    /// Adds an asset file and returns its name, `<md5>.<ext>` (see [`asset_name`]).
    pub fn add_asset(&mut self, bytes: Vec<u8>, ext: &str) -> String {
        let name = asset_name(&bytes, ext);
        self.assets.insert(name.clone(), bytes);
        name
    }

    /// Asset files named in project.json that are not in [`assets`](Sb3::assets), sorted.
    pub fn missing_assets(&self) -> Vec<String> {
        self.project
            .asset_names()
            .into_iter()
            .filter(|name| !self.assets.contains_key(name))
            .collect()
    }

    /// Assets held that project.json does not name, sorted.
    pub fn unused_assets(&self) -> Vec<String> {
        let used = self.project.asset_names();
        self.assets
            .keys()
            .filter(|name| !used.contains(*name))
            .cloned()
            .collect()
    }
}

/// Where `project.json` is: `""` at the root, `"<folder>/"` one folder deep.
fn project_json_prefix<R: Read + Seek>(archive: &ZipArchive<R>) -> Option<String> {
    let mut nested = None;
    for name in archive.file_names().filter_map(|name| name.ok()) {
        if name == "project.json" {
            return Some(String::new());
        }
        if nested.is_none()
            && let Some(folder) = name.strip_suffix("/project.json")
            && !folder.is_empty()
            && !folder.contains('/')
            && !folder.starts_with("__MACOSX")
        {
            nested = Some(format!("{folder}/"));
        }
    }
    nested
}
