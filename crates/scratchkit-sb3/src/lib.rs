//! Scratch 3 project files for scratchkit.
//!
//! - [`ProjectDocument`]: a typed model of `project.json` that round-trips real files: unknown keys
//!   are kept in `extra` maps, numbers keep their form, id-keyed maps keep their order.
//! - [`ProjectFile::parse`]: tells Scratch 3 project JSON from Scratch 2 (of which only a
//!   [`Sb2Summary`] is read) and from other files.
//! - [`Sb3`]: reads and writes `.sb3` archives, checking every asset's md5 against its name
//!   ([`asset_name`]) and refusing zip bombs ([`Limits`]).
//! - [`ProjectBuilder`]: makes projects from code: the stage and sprites, costumes and sounds
//!   from their bytes ([`media`]), variables, lists, broadcasts, cloud variables, monitors,
//!   and scripts written as trees of typed blocks ([`Op`], [`Script`], [`Procedure`]) for
//!   every core category, pen, music and text to speech ([`spec`] lists the opcodes).
//! - Editing: [`Target::scripts`], [`ProjectDocument::find_variable`], [`ProjectDocument::rename_variable`],
//!   [`Sb3::replace_costume`], [`Sb3::delete_sprite`]…
//! - [`validate()`]: what Scratch would reject or silently break, as [`Diagnostic`]s naming
//!   the sprite and block.
//! - [`folder`] (a project as a git-friendly folder) and [`diff`] (changes in words).
//! - [`vm`]: runs a project in Scratch's own engine (scratch-vm, via the Node harness in
//!   `vm-harness/`) and reads back the variables and lists its scripts computed.
//!
//! No network code lives here: the `scratchkit` client uses this crate to download and
//! upload projects.
//!
//! ```
//! use scratchkit_sb3::{ProjectFile, Sb3};
//!
//! # fn main() -> Result<(), scratchkit_sb3::Error> {
//! # let bytes = Sb3::new(scratchkit_sb3::ProjectDocument::from_json(br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#)?).to_bytes()?;
//! let sb3 = Sb3::from_bytes(&bytes)?;
//! for target in &sb3.project.targets {
//!     println!("{}: {} blocks", target.name, target.block_count());
//!     for (id, var) in target.cloud_variables() {
//!         println!("  cloud variable {} ({id}) = {}", var.name, var.value);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod archive;
mod asset;
mod block;
mod builder;
mod comment;
mod compile;
pub mod diff;
mod edit;
mod error;
pub mod folder;
pub mod media;
mod monitor;
mod project;
mod project_file;
mod sb2;
pub mod script;
pub mod spec;
mod target;
pub mod validate;
mod variable;
pub mod vm;

pub use archive::{Limits, ReadOptions, Sb3};
pub use asset::{AssetKind, AssetRef, Costume, Sound, asset_name, md5_hex, parse_asset_name};
pub use block::{Block, BlockEntry, Mutation};
pub use builder::{BuildError, ProjectBuilder, TargetEditor};
pub use comment::WorkspaceComment;
pub use compile::IdGen;
pub use edit::{DataRef, ScriptInfo};
pub use error::{ArchiveError, Error, Result};
pub use indexmap::{self, IndexMap};
pub use monitor::Monitor;
pub use project::{Meta, ProjectDocument};
pub use project_file::ProjectFile;
pub use sb2::Sb2Summary;
pub use script::{Arg, Op, Procedure, Script};
pub use target::Target;
pub use validate::{Diagnostic, validate, validate_project};
pub use variable::{List, Variable};
