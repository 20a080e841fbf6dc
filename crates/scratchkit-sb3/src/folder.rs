//! A project as a folder, for version control: `project.json` pretty-printed and the asset
//! files under `assets/`. [`unpack`] writes one, [`pack`] reads one back; the project.json
//! of the packed file is the same as the unpacked one's, byte for byte.

use std::fs;
use std::path::Path;

use crate::{Error, ProjectDocument, Result, Sb3, md5_hex, parse_asset_name};

/// Name of the project file inside a project folder.
pub const PROJECT_FILE: &str = "project.json";
/// Name of the asset folder inside a project folder.
pub const ASSET_DIR: &str = "assets";

/// What [`unpack`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnpackReport {
    /// Asset files written (or already there with the right content).
    pub assets: usize,
    /// Stale asset files removed from an earlier unpack.
    pub removed: Vec<String>,
}

/// Writes `sb3` into folder `dir` (created if needed): `project.json` pretty-printed with a
/// trailing newline and `assets/<md5>.<ext>`. Asset files of an earlier unpack that the
/// project no longer uses are removed; other files are left alone.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sb3 = scratchkit_sb3::ProjectBuilder::new().finish();
/// let dir = std::env::temp_dir().join(format!("sk-unpack-doc-{}", std::process::id()));
/// scratchkit_sb3::folder::unpack(&sb3, &dir)?;
/// let back = scratchkit_sb3::folder::pack(&dir)?;
/// assert_eq!(back.project.to_json()?, sb3.project.to_json()?);
/// assert_eq!(back.assets, sb3.assets);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
///
/// [`Error::Io`] when writing fails, [`Error::Json`] when encoding fails.
pub fn unpack(sb3: &Sb3, dir: &Path) -> Result<UnpackReport> {
    let assets_dir = dir.join(ASSET_DIR);
    fs::create_dir_all(&assets_dir)?;
    let mut json = serde_json::to_vec_pretty(&sb3.project).map_err(|source| Error::Json {
        path: ".".into(),
        source,
    })?;
    json.push(b'\n');
    write_if_changed(&dir.join(PROJECT_FILE), &json)?;
    let mut report = UnpackReport::default();
    for (name, data) in &sb3.assets {
        write_if_changed(&assets_dir.join(name), data)?;
        report.assets += 1;
    }
    for entry in fs::read_dir(&assets_dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if parse_asset_name(&name).is_some() && !sb3.assets.contains_key(&name) {
            fs::remove_file(assets_dir.join(&name))?;
            report.removed.push(name);
        }
    }
    report.removed.sort();
    Ok(report)
}

fn write_if_changed(path: &Path, data: &[u8]) -> Result<()> {
    if fs::read(path).ok().as_deref() != Some(data) {
        fs::write(path, data)?;
    }
    Ok(())
}

/// Reads a project folder written by [`unpack`] (or by hand): `project.json` and every
/// `assets/<md5>.<ext>` file, md5-checked.
///
/// # Errors
///
/// [`Error::Io`] when `project.json` cannot be read, [`Error::Json`] (and the other
/// [`ProjectDocument::from_json`] errors) when it is not a Scratch 3 project,
/// [`Error::InvalidAssetName`] for a file in `assets/` not named `<md5>.<ext>`,
/// [`Error::AssetHashMismatch`] for an asset edited in place (its name must be its md5),
/// [`Error::MissingAssets`] when project.json names files that are not there.
pub fn pack(dir: &Path) -> Result<Sb3> {
    let json = fs::read(dir.join(PROJECT_FILE))?;
    let project = ProjectDocument::from_json(&json)?;
    let mut sb3 = Sb3::new(project);
    let assets_dir = dir.join(ASSET_DIR);
    if assets_dir.is_dir() {
        for entry in fs::read_dir(&assets_dir)? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let (md5, ext) = parse_asset_name(&name)
                .ok_or_else(|| Error::InvalidAssetName { name: name.clone() })?;
            let data = fs::read(entry.path())?;
            let actual = md5_hex(&data);
            if actual != md5 {
                return Err(Error::AssetHashMismatch { name, actual });
            }
            sb3.assets.insert(format!("{md5}.{ext}"), data);
        }
    }
    let missing = sb3.missing_assets();
    if !missing.is_empty() {
        return Err(Error::MissingAssets { names: missing });
    }
    Ok(sb3)
}
