//! Building a project from code, or adding to an existing one: [`ProjectBuilder`].

use indexmap::IndexMap;
use serde_json::{Number, Value, json};

use crate::compile::{Compiled, Compiler, IdGen, broadcast_id, broadcast_names};
use crate::media::{self, MediaError};
use crate::{List, Meta, Monitor, Procedure, ProjectDocument, Sb3, Script, Target, Variable};

/// What can go wrong while building or editing a project.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No sprite (or stage) has this name.
    #[error("no sprite called {name:?}")]
    UnknownTarget {
        /// The name asked for.
        name: String,
    },
    /// A sprite with this name exists already (or the name is the stage's).
    #[error("a sprite called {name:?} exists already")]
    DuplicateTarget {
        /// The name.
        name: String,
    },
    /// A variable or list with this name exists already in the target (or, for a
    /// sprite, on the stage, which would make the names ambiguous).
    #[error("{target}: a variable or list called {name:?} exists already")]
    DuplicateVariable {
        /// The target's name.
        target: String,
        /// The name.
        name: String,
    },
    /// A script names a variable that neither the target nor the stage has.
    #[error("{target}: no variable called {name:?} (add it first)")]
    UnknownVariable {
        /// The target's name.
        target: String,
        /// The variable's name.
        name: String,
    },
    /// A script names a list that neither the target nor the stage has.
    #[error("{target}: no list called {name:?} (add it first)")]
    UnknownList {
        /// The target's name.
        target: String,
        /// The list's name.
        name: String,
    },
    /// A call of a custom block the target does not define.
    #[error("{target}: no custom block {proccode:?} (define it before calling it)")]
    UnknownProcedure {
        /// The target's name.
        target: String,
        /// The custom block's text.
        proccode: String,
    },
    /// The target defines this custom block already.
    #[error("{target}: custom block {proccode:?} is defined already")]
    DuplicateProcedure {
        /// The target's name.
        target: String,
        /// The custom block's text.
        proccode: String,
    },
    /// A custom block definition or call with the wrong number of arguments.
    #[error("{target}: custom block {proccode:?} takes {expected} argument(s), not {got}")]
    ArgumentCount {
        /// The target's name.
        target: String,
        /// The custom block's text.
        proccode: String,
        /// Arguments in the block's text.
        expected: usize,
        /// Arguments given.
        got: usize,
    },
    /// A block was given an input it does not have.
    #[error("{target}: block {opcode} has no input {input:?}")]
    UnknownInput {
        /// The target's name.
        target: String,
        /// The block's opcode.
        opcode: String,
        /// The input's name.
        input: String,
    },
    /// An input was given the wrong kind of value (a stack where a value goes, a literal in
    /// a boolean slot, a stack block in a reporter slot…).
    #[error("{target}: input {input} of {opcode} takes {expected}, not {got}")]
    WrongInput {
        /// The target's name.
        target: String,
        /// The block's opcode.
        opcode: String,
        /// The input's name.
        input: String,
        /// What it takes.
        expected: String,
        /// What it was given.
        got: String,
    },
    /// A reporter or boolean block where a stack block goes.
    #[error("{target}: {opcode} reports a value; it cannot go in a stack")]
    NotAStatement {
        /// The target's name.
        target: String,
        /// The block's opcode.
        opcode: String,
    },
    /// A script with no blocks.
    #[error("{target}: a script needs at least one block")]
    EmptyScript {
        /// The target's name.
        target: String,
    },
    /// Cloud variables live on the stage only.
    #[error("cloud variable {name:?}: only the stage can have cloud variables")]
    CloudOnSprite {
        /// The variable's name.
        name: String,
    },
    /// The target has no costume or sound of that name.
    #[error("{target}: no costume or sound called {name:?}")]
    UnknownAsset {
        /// The target's name.
        target: String,
        /// The costume's or sound's name.
        name: String,
    },
    /// The target has no variable or list of that name (editing).
    #[error("{target}: no variable or list called {name:?}")]
    UnknownData {
        /// The target's name (`Stage` for globals).
        target: String,
        /// The name.
        name: String,
    },
    /// An image or sound could not be read.
    #[error("{name}: {source}")]
    Media {
        /// The costume's or sound's name.
        name: String,
        /// What is wrong with the bytes.
        #[source]
        source: MediaError,
    },
    /// The project has no stage.
    #[error("the project has no stage")]
    NoStage,
    /// A bug in this crate.
    #[error("internal error: {what}")]
    Internal {
        /// What went wrong.
        what: String,
    },
}

/// An empty 2×2 SVG: the blank costume and backdrop.
const BLANK_SVG: &[u8] = br#"<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="2" height="2" viewBox="0 0 2 2"></svg>"#;

/// Builds a project from code, or edits one: the stage and sprites, their costumes and
/// sounds (from bytes), variables, lists, broadcasts, cloud variables, monitors, scripts and
/// custom blocks. Scripts are trees of [`Op`](crate::Op)s; the builder gives every block an
/// id, links parents and next blocks, puts shadows in inputs, lays the scripts out and
/// lists the extensions they use.
///
/// ```
/// use scratchkit_sb3::{Op, ProjectBuilder, Script};
///
/// let mut builder = ProjectBuilder::new();
/// builder.stage().variable("total", 0)?;
/// builder
///     .add_sprite("Counter")?
///     .costume("dot", br#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>"#)?
///     .script(Script::new([
///         Op::when_flag_clicked(),
///         Op::set_var("total", 0),
///         Op::repeat(10, [Op::change_var("total", 1)]),
///         Op::say(Op::var("total")),
///     ]))?;
/// let sb3 = builder.finish();
/// assert!(scratchkit_sb3::validate(&sb3).is_empty());
/// assert_eq!(sb3.project.sprite("Counter").unwrap().block_count(), 5);
/// # Ok::<(), scratchkit_sb3::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ProjectBuilder {
    sb3: Sb3,
    ids: IdGen,
    /// The stage still has only the blank backdrop of [`ProjectBuilder::new`], which the
    /// first backdrop added replaces.
    blank_backdrop: bool,
}

impl Default for ProjectBuilder {
    fn default() -> Self {
        ProjectBuilder::new()
    }
}

impl ProjectBuilder {
    /// A new project: a stage with a blank backdrop (replaced by the first backdrop you add),
    /// no sprites.
    pub fn new() -> ProjectBuilder {
        let project = ProjectDocument {
            targets: Vec::new(),
            monitors: Vec::new(),
            extensions: Vec::new(),
            meta: Meta {
                semver: Some("3.0.0".into()),
                vm: Some("0.2.0".into()),
                agent: Some(concat!("scratchkit-sb3/", env!("CARGO_PKG_VERSION")).into()),
                extra: IndexMap::new(),
            },
            extra: IndexMap::new(),
        };
        let mut stage = new_target("Stage", true);
        stage.tempo = Some(60.into());
        stage.video_transparency = Some(50.into());
        stage.video_state = Some("on".into());
        stage.text_to_speech_language = Some(None);
        let mut builder = ProjectBuilder::edit(Sb3::new(project));
        builder.sb3.project.targets.push(stage);
        let (costume, file) = media::costume_from_bytes("backdrop1", BLANK_SVG, 1)
            .unwrap_or_else(|_| unreachable!("the blank SVG has a size"));
        builder.sb3.assets.insert(file, BLANK_SVG.to_vec());
        builder.sb3.project.targets[0].costumes.push(costume);
        builder.blank_backdrop = true;
        builder
    }

    /// Edits an existing project (new ids avoid every id it has).
    pub fn edit(sb3: Sb3) -> ProjectBuilder {
        let ids = IdGen::for_project(&sb3.project);
        ProjectBuilder {
            sb3,
            ids,
            blank_backdrop: false,
        }
    }

    /// The project so far.
    pub fn sb3(&self) -> &Sb3 {
        &self.sb3
    }

    /// The project so far, for changes the builder does not cover.
    pub fn sb3_mut(&mut self) -> &mut Sb3 {
        &mut self.sb3
    }

    /// The finished project.
    pub fn finish(self) -> Sb3 {
        self.sb3
    }

    /// The stage.
    ///
    /// # Panics
    ///
    /// Never for projects made by [`new`](ProjectBuilder::new); for an edited project
    /// without a stage, use [`target`](ProjectBuilder::target), which returns an error.
    pub fn stage(&mut self) -> TargetEditor<'_> {
        let index = self
            .sb3
            .project
            .targets
            .iter()
            .position(|t| t.is_stage)
            .expect("the project has a stage (use `target` for projects that may not)");
        TargetEditor {
            builder: self,
            index,
        }
    }

    /// The stage (name `Stage` or whatever the stage is called) or the sprite called `name`.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownTarget`] when there is none.
    pub fn target(&mut self, name: &str) -> Result<TargetEditor<'_>, BuildError> {
        let index = self
            .sb3
            .project
            .targets
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| BuildError::UnknownTarget { name: name.into() })?;
        Ok(TargetEditor {
            builder: self,
            index,
        })
    }

    /// Adds a sprite at the centre of the stage, shown, size 100, pointing right, on top of
    /// the others. Give it a costume before saving (validation warns otherwise).
    ///
    /// # Errors
    ///
    /// [`BuildError::DuplicateTarget`] when a sprite (or the stage) has that name.
    pub fn add_sprite(&mut self, name: &str) -> Result<TargetEditor<'_>, BuildError> {
        if self.sb3.project.targets.iter().any(|t| t.name == name) || name == "_stage_" {
            return Err(BuildError::DuplicateTarget { name: name.into() });
        }
        let mut sprite = new_target(name, false);
        sprite.layer_order = Some(self.sb3.project.targets.len().into());
        sprite.visible = Some(true);
        sprite.x = Some(0.into());
        sprite.y = Some(0.into());
        sprite.size = Some(100.into());
        sprite.direction = Some(90.into());
        sprite.draggable = Some(false);
        sprite.rotation_style = Some("all around".into());
        self.sb3.project.targets.push(sprite);
        let index = self.sb3.project.targets.len() - 1;
        Ok(TargetEditor {
            builder: self,
            index,
        })
    }

    /// Adds a broadcast message to the stage (if it has none of that name); returns its id.
    ///
    /// # Errors
    ///
    /// [`BuildError::NoStage`] for a project without a stage.
    pub fn add_broadcast(&mut self, name: &str) -> Result<String, BuildError> {
        let stage = self.stage_index()?;
        if let Some(id) = broadcast_id(&self.sb3.project.targets[stage], name) {
            return Ok(id);
        }
        let id = self.ids.next_id();
        self.sb3.project.targets[stage]
            .broadcasts
            .insert(id.clone(), name.to_owned());
        Ok(id)
    }

    /// Adds a cloud variable to the stage; `☁ ` is put in front of the name when missing.
    /// Returns its id.
    ///
    /// ```
    /// let mut builder = scratchkit_sb3::ProjectBuilder::new();
    /// builder.add_cloud_variable("score", 0)?;
    /// let stage = builder.sb3().project.stage().unwrap();
    /// assert_eq!(stage.cloud_variables().next().unwrap().1.name, "☁ score");
    /// # Ok::<(), scratchkit_sb3::BuildError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`BuildError::DuplicateVariable`] when the name is taken.
    pub fn add_cloud_variable(
        &mut self,
        name: &str,
        value: impl Into<Value>,
    ) -> Result<String, BuildError> {
        let name = if name.starts_with("☁ ") {
            name.to_owned()
        } else {
            format!("☁ {name}")
        };
        let stage = self.stage_index()?;
        self.check_free_name(stage, &name)?;
        let id = self.ids.next_id();
        let mut variable = Variable::new(name, value.into());
        variable.cloud = Some(true);
        self.sb3.project.targets[stage]
            .variables
            .insert(id.clone(), variable);
        Ok(id)
    }

    fn stage_index(&self) -> Result<usize, BuildError> {
        self.sb3
            .project
            .targets
            .iter()
            .position(|t| t.is_stage)
            .ok_or(BuildError::NoStage)
    }

    /// Whether `name` is free for a new variable or list of target `index`: not used by it,
    /// nor (for a sprite) by the stage, nor (for the stage) by any sprite.
    fn check_free_name(&self, index: usize, name: &str) -> Result<(), BuildError> {
        let targets = &self.sb3.project.targets;
        let clash = |t: &Target| {
            t.variables.values().any(|v| v.name == name) || t.lists.values().any(|l| l.name == name)
        };
        let target = &targets[index];
        let taken = if target.is_stage {
            targets.iter().any(clash)
        } else {
            clash(target) || targets.iter().filter(|t| t.is_stage).any(clash)
        };
        if taken {
            return Err(BuildError::DuplicateVariable {
                target: target.name.clone(),
                name: name.to_owned(),
            });
        }
        Ok(())
    }

    fn apply(&mut self, index: usize, compiled: Compiled) -> String {
        let project = &mut self.sb3.project;
        let target = &mut project.targets[index];
        target.blocks.extend(compiled.blocks);
        target.comments.extend(compiled.comments);
        for ext in compiled.extensions {
            if !project.extensions.contains(&ext) {
                project.extensions.push(ext);
            }
        }
        compiled.top
    }

    /// Where the next script of target `index` goes: below the lowest one.
    fn next_position(&self, index: usize) -> (f64, f64) {
        let target = &self.sb3.project.targets[index];
        let mut y: f64 = 0.0;
        for (id, entry) in target.top_level_blocks() {
            if let Some(block) = entry.as_block() {
                let top = block.y.as_ref().and_then(Number::as_f64).unwrap_or(0.0);
                let height = stack_height(target, id) as f64 * 48.0 + 96.0;
                y = y.max(top + height);
            }
        }
        (48.0, y.max(48.0))
    }
}

/// Statement blocks in the script under `id` (following `next` and substacks).
fn stack_height(target: &Target, id: &str) -> usize {
    let mut count = 0;
    let mut current = Some(id.to_owned());
    while let Some(id) = current {
        let Some(block) = target.blocks.get(&id).and_then(|e| e.as_block()) else {
            break;
        };
        count += 1;
        for input in ["SUBSTACK", "SUBSTACK2"] {
            if let Some(child) = block.input_block(input) {
                count += stack_height(target, child) + 1;
            }
        }
        current = block.next.clone();
    }
    count
}

fn new_target(name: &str, is_stage: bool) -> Target {
    Target {
        is_stage,
        name: name.to_owned(),
        variables: IndexMap::new(),
        lists: IndexMap::new(),
        broadcasts: IndexMap::new(),
        blocks: IndexMap::new(),
        comments: IndexMap::new(),
        current_costume: Some(0.into()),
        costumes: Vec::new(),
        sounds: Vec::new(),
        volume: Some(100.into()),
        layer_order: Some(0.into()),
        tempo: None,
        video_transparency: None,
        video_state: None,
        text_to_speech_language: None,
        visible: None,
        x: None,
        y: None,
        size: None,
        direction: None,
        draggable: None,
        rotation_style: None,
        extra: IndexMap::new(),
    }
}

/// Changes to one target (the stage or a sprite) of a [`ProjectBuilder`]. Methods return
/// `&mut Self` so that calls chain.
#[derive(Debug)]
pub struct TargetEditor<'a> {
    builder: &'a mut ProjectBuilder,
    index: usize,
}

impl TargetEditor<'_> {
    /// The target as it is now.
    pub fn target(&self) -> &Target {
        &self.builder.sb3.project.targets[self.index]
    }

    fn target_mut(&mut self) -> &mut Target {
        &mut self.builder.sb3.project.targets[self.index]
    }

    /// Adds a costume (a backdrop on the stage) from SVG, PNG or JPEG bytes: md5 name,
    /// format, size and a rotation centre in the middle of the image are read from them.
    /// Bitmaps are recorded at resolution 1 (see [`bitmap_costume`](Self::bitmap_costume)).
    ///
    /// # Errors
    ///
    /// [`BuildError::Media`] when the bytes are not such an image.
    pub fn costume(&mut self, name: &str, bytes: &[u8]) -> Result<&mut Self, BuildError> {
        self.bitmap_costume(name, bytes, 1)
    }

    /// Adds a bitmap costume drawn at `resolution` (2 for the editor's double-resolution
    /// bitmaps). SVG bytes are accepted too (always resolution 1).
    ///
    /// # Errors
    ///
    /// [`BuildError::Media`] when the bytes are not an image.
    pub fn bitmap_costume(
        &mut self,
        name: &str,
        bytes: &[u8],
        resolution: u32,
    ) -> Result<&mut Self, BuildError> {
        let (costume, file) =
            media::costume_from_bytes(name, bytes, resolution).map_err(|source| {
                BuildError::Media {
                    name: name.to_owned(),
                    source,
                }
            })?;
        if self.target().is_stage && std::mem::take(&mut self.builder.blank_backdrop) {
            self.target_mut().costumes.clear();
            self.builder.sb3.drop_unused_assets();
        }
        self.builder.sb3.assets.insert(file, bytes.to_vec());
        self.target_mut().costumes.push(costume);
        Ok(self)
    }

    /// Adds a sound from WAV or MP3 bytes (rate and sample count read from them; see
    /// [`media::probe_sound`]).
    ///
    /// # Errors
    ///
    /// [`BuildError::Media`] when the bytes are not such a sound.
    pub fn sound(&mut self, name: &str, bytes: &[u8]) -> Result<&mut Self, BuildError> {
        let (sound, file) =
            media::sound_from_bytes(name, bytes).map_err(|source| BuildError::Media {
                name: name.to_owned(),
                source,
            })?;
        self.builder.sb3.assets.insert(file, bytes.to_vec());
        self.target_mut().sounds.push(sound);
        Ok(self)
    }

    /// Adds a variable (on the stage: a global one; on a sprite: "for this sprite only").
    ///
    /// # Errors
    ///
    /// [`BuildError::DuplicateVariable`] when the name is taken.
    pub fn variable(
        &mut self,
        name: &str,
        value: impl Into<Value>,
    ) -> Result<&mut Self, BuildError> {
        self.builder.check_free_name(self.index, name)?;
        let id = self.builder.ids.next_id();
        self.target_mut()
            .variables
            .insert(id, Variable::new(name, value.into()));
        Ok(self)
    }

    /// Adds a list with these items.
    ///
    /// # Errors
    ///
    /// [`BuildError::DuplicateVariable`] when the name is taken.
    pub fn list<V: Into<Value>>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = V>,
    ) -> Result<&mut Self, BuildError> {
        self.builder.check_free_name(self.index, name)?;
        let id = self.builder.ids.next_id();
        let list = List {
            name: name.to_owned(),
            items: items.into_iter().map(Into::into).collect(),
        };
        self.target_mut().lists.insert(id, list);
        Ok(self)
    }

    /// Shows a monitor of this target's variable or list `name` (or, on the stage, a global
    /// one) at (x, y) on the stage.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownData`] when the target has no variable or list of that name.
    pub fn monitor(&mut self, name: &str, x: i64, y: i64) -> Result<&mut Self, BuildError> {
        let target = self.target();
        let sprite_name = (!target.is_stage).then(|| target.name.clone());
        let monitor = if let Some((id, var)) = target.variable_by_name(name) {
            Monitor {
                id: id.to_owned(),
                mode: Some("default".into()),
                opcode: "data_variable".into(),
                params: [("VARIABLE".to_owned(), json!(name))].into_iter().collect(),
                sprite_name,
                value: var.value.clone(),
                width: Some(0.into()),
                height: Some(0.into()),
                x: Some(x.into()),
                y: Some(y.into()),
                visible: Some(true),
                slider_min: Some(0.into()),
                slider_max: Some(100.into()),
                is_discrete: Some(true),
                extra: IndexMap::new(),
            }
        } else if let Some((id, list)) = target.lists.iter().find(|(_, l)| l.name == name) {
            Monitor {
                id: id.clone(),
                mode: Some("list".into()),
                opcode: "data_listcontents".into(),
                params: [("LIST".to_owned(), json!(name))].into_iter().collect(),
                sprite_name,
                value: Value::Array(list.items.clone()),
                width: Some(0.into()),
                height: Some(0.into()),
                x: Some(x.into()),
                y: Some(y.into()),
                visible: Some(true),
                slider_min: None,
                slider_max: None,
                is_discrete: None,
                extra: IndexMap::new(),
            }
        } else {
            return Err(BuildError::UnknownData {
                target: target.name.clone(),
                name: name.to_owned(),
            });
        };
        let monitors = &mut self.builder.sb3.project.monitors;
        monitors.retain(|m| m.id != monitor.id);
        monitors.push(monitor);
        Ok(self)
    }

    /// Sets a sprite's position on the stage.
    pub fn position(&mut self, x: f64, y: f64) -> &mut Self {
        let target = self.target_mut();
        target.x = Some(media::number(x));
        target.y = Some(media::number(y));
        self
    }

    /// Shows or hides a sprite.
    pub fn visible(&mut self, visible: bool) -> &mut Self {
        self.target_mut().visible = Some(visible);
        self
    }

    /// Sets a sprite's size in percent.
    pub fn size(&mut self, percent: f64) -> &mut Self {
        self.target_mut().size = Some(media::number(percent));
        self
    }

    /// Adds a script; returns the id of its top block. Variables and lists are found by
    /// name (the target's own first, then the stage's); broadcasts are created on the stage
    /// when missing; custom blocks must be defined (see [`procedure`](Self::procedure))
    /// before they are called.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownVariable`], [`BuildError::UnknownList`],
    /// [`BuildError::UnknownProcedure`], [`BuildError::ArgumentCount`],
    /// [`BuildError::UnknownInput`], [`BuildError::WrongInput`],
    /// [`BuildError::NotAStatement`], [`BuildError::EmptyScript`]. No block is added then
    /// (broadcasts the script names may have been created).
    pub fn script(&mut self, script: Script) -> Result<String, BuildError> {
        let mut names = Vec::new();
        broadcast_names(&script.blocks, &mut names);
        self.ensure_broadcasts(&names)?;
        let origin = script
            .position
            .unwrap_or_else(|| self.builder.next_position(self.index));
        let stage = self.builder.stage_index()?;
        let mut ids = self.builder.ids.clone();
        let project = &self.builder.sb3.project;
        let compiled = Compiler::new(
            &project.targets[self.index],
            &project.targets[stage],
            &mut ids,
            origin,
        )
        .script(&script.blocks)?;
        self.builder.ids = ids;
        Ok(self.builder.apply(self.index, compiled))
    }

    /// Defines a custom block (its hat, prototype and argument reporters, then its body);
    /// returns the id of the definition hat.
    ///
    /// # Errors
    ///
    /// [`BuildError::ArgumentCount`] when the names do not match the `%s`/`%b` in the
    /// text, [`BuildError::DuplicateProcedure`], and the errors of
    /// [`script`](Self::script) for the body.
    pub fn procedure(&mut self, procedure: Procedure) -> Result<String, BuildError> {
        let mut names = Vec::new();
        broadcast_names(&procedure.body, &mut names);
        self.ensure_broadcasts(&names)?;
        let origin = self.builder.next_position(self.index);
        let stage = self.builder.stage_index()?;
        let mut ids = self.builder.ids.clone();
        let project = &self.builder.sb3.project;
        let compiled = Compiler::new(
            &project.targets[self.index],
            &project.targets[stage],
            &mut ids,
            origin,
        )
        .procedure(&procedure)?;
        self.builder.ids = ids;
        Ok(self.builder.apply(self.index, compiled))
    }

    fn ensure_broadcasts(&mut self, names: &[String]) -> Result<(), BuildError> {
        for name in names {
            self.builder.add_broadcast(name)?;
        }
        Ok(())
    }
}
