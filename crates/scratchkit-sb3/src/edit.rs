//! Finding and changing things in an existing project: scripts, variables by name, renaming
//! a variable everywhere, replacing a costume's or sound's file, deleting a sprite cleanly.

use serde_json::Value;

use crate::media;
use crate::{BlockEntry, BuildError, ProjectDocument, Sb3, Target};

/// One script of a target: its top block and every block in it (shadows included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptInfo {
    /// Id of the top block.
    pub top: String,
    /// Opcode of the top block (a hat such as `event_whenflagclicked`, or a loose block).
    pub opcode: String,
    /// Ids of all its blocks, top first, depth first.
    pub blocks: Vec<String>,
}

impl Target {
    /// The scripts (and loose blocks) on the workspace, in file order.
    ///
    /// ```
    /// use scratchkit_sb3::{Op, ProjectBuilder, Script};
    /// let mut b = ProjectBuilder::new();
    /// b.stage().script(Script::new([Op::when_flag_clicked(), Op::move_steps(10)]))?;
    /// let scripts = b.sb3().project.stage().unwrap().scripts();
    /// assert_eq!(scripts[0].opcode, "event_whenflagclicked");
    /// assert_eq!(scripts[0].blocks.len(), 2, "the hat and the move block");
    /// # Ok::<(), scratchkit_sb3::BuildError>(())
    /// ```
    pub fn scripts(&self) -> Vec<ScriptInfo> {
        self.top_level_blocks()
            .map(|(id, entry)| ScriptInfo {
                top: id.to_owned(),
                opcode: entry
                    .as_block()
                    .map(|b| b.opcode.clone())
                    .unwrap_or_default(),
                blocks: self.script_block_ids(id),
            })
            .collect()
    }

    /// Scripts whose top block has this opcode (e.g. all `event_whenbroadcastreceived`).
    pub fn scripts_starting_with(&self, opcode: &str) -> Vec<ScriptInfo> {
        self.scripts()
            .into_iter()
            .filter(|s| s.opcode == opcode)
            .collect()
    }

    /// Ids of every block reachable from `top` through `next` links and inputs.
    pub fn script_block_ids(&self, top: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut todo = vec![top.to_owned()];
        while let Some(id) = todo.pop() {
            if out.contains(&id) {
                continue;
            }
            let Some(entry) = self.blocks.get(&id) else {
                continue;
            };
            out.push(id);
            if let BlockEntry::Block(block) = entry {
                if let Some(next) = &block.next {
                    todo.push(next.clone());
                }
                for input in block.inputs.values().rev() {
                    for item in input.as_array().into_iter().flatten().skip(1) {
                        if let Some(child) = item.as_str() {
                            todo.push(child.to_owned());
                        }
                    }
                }
            }
        }
        out
    }

    /// Removes the script whose top block is `top`, with all its blocks and their
    /// comments. Returns how many blocks were removed (0 when there is no such block).
    pub fn delete_script(&mut self, top: &str) -> usize {
        let ids = self.script_block_ids(top);
        for id in &ids {
            if let Some(BlockEntry::Block(block)) = self.blocks.shift_remove(id)
                && let Some(comment) = &block.comment
            {
                self.comments.shift_remove(comment);
            }
        }
        self.comments
            .retain(|_, c| c.block_id.as_ref().is_none_or(|b| !ids.contains(b)));
        ids.len()
    }

    /// The first list called `name`, as (id, list).
    pub fn list_by_name(&self, name: &str) -> Option<(&str, &crate::List)> {
        self.lists
            .iter()
            .find(|(_, list)| list.name == name)
            .map(|(id, list)| (id.as_str(), list))
    }
}

/// Where a variable or list lives, as found by [`ProjectDocument::find_variable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRef {
    /// Name of the target that owns it (the stage's name for globals).
    pub target: String,
    /// Whether it belongs to the stage (is global).
    pub global: bool,
    /// Its id.
    pub id: String,
    /// Whether it is a list (else a variable).
    pub list: bool,
}

/// What a sprite menu falls back to when the sprite it names is deleted.
fn menu_default(opcode: &str) -> Option<&'static str> {
    Some(match opcode {
        "motion_goto_menu" | "motion_glideto_menu" => "_random_",
        "motion_pointtowards_menu" | "sensing_touchingobjectmenu" | "sensing_distancetomenu" => {
            "_mouse_"
        }
        "sensing_of_object_menu" => "_stage_",
        "control_create_clone_of_menu" => "_myself_",
        _ => return None,
    })
}

impl ProjectDocument {
    /// The stage or the sprite called `name`.
    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name)
    }

    /// The stage or the sprite called `name`, mutably.
    pub fn target_mut(&mut self, name: &str) -> Option<&mut Target> {
        self.targets.iter_mut().find(|t| t.name == name)
    }

    /// The first sprite called `name`, mutably.
    pub fn sprite_mut(&mut self, name: &str) -> Option<&mut Target> {
        self.targets
            .iter_mut()
            .find(|t| !t.is_stage && t.name == name)
    }

    /// Finds a variable or list by name as a script of `target` sees it: the target's own
    /// first, then the stage's. `target: None` looks at the stage only.
    pub fn find_variable(&self, target: Option<&str>, name: &str) -> Option<DataRef> {
        let stage = self.stage()?;
        let own = target.and_then(|t| self.target(t));
        for t in own.into_iter().chain(std::iter::once(stage)) {
            if let Some((id, _)) = t.variable_by_name(name) {
                return Some(DataRef {
                    target: t.name.clone(),
                    global: t.is_stage,
                    id: id.to_owned(),
                    list: false,
                });
            }
            if let Some((id, _)) = t.list_by_name(name) {
                return Some(DataRef {
                    target: t.name.clone(),
                    global: t.is_stage,
                    id: id.to_owned(),
                    list: true,
                });
            }
        }
        None
    }

    /// Renames a variable or list everywhere it is used: its declaration, every block field
    /// and compact reporter naming it (in every target for a global, in its sprite for a
    /// local one), monitors, and `([name] of [sprite])` blocks reading it from elsewhere.
    /// A cloud variable keeps its `☁ ` prefix. Returns how many places changed.
    ///
    /// `target: None` renames a global (stage) variable or list.
    ///
    /// ```
    /// use scratchkit_sb3::{Op, ProjectBuilder, Script};
    /// let mut b = ProjectBuilder::new();
    /// b.stage().variable("score", 0)?;
    /// b.stage().script(Script::new([Op::when_flag_clicked(), Op::change_var("score", Op::var("score"))]))?;
    /// let mut project = b.finish().project;
    /// assert_eq!(project.rename_variable(None, "score", "points")?, 3);
    /// assert!(project.find_variable(None, "points").is_some());
    /// assert!(scratchkit_sb3::validate_project(&project).is_empty());
    /// # Ok::<(), scratchkit_sb3::BuildError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownData`] when there is no such variable or list,
    /// [`BuildError::DuplicateVariable`] when the new name is taken.
    pub fn rename_variable(
        &mut self,
        target: Option<&str>,
        old: &str,
        new: &str,
    ) -> Result<usize, BuildError> {
        let owner_name = match target {
            Some(name) => name.to_owned(),
            None => self.stage().ok_or(BuildError::NoStage)?.name.clone(),
        };
        let found = self
            .find_variable(target, old)
            .filter(|d| d.target == owner_name)
            .ok_or_else(|| BuildError::UnknownData {
                target: owner_name.clone(),
                name: old.to_owned(),
            })?;
        let owner = self.target(&owner_name).ok_or(BuildError::NoStage)?;
        let is_cloud = !found.list
            && owner
                .variables
                .get(&found.id)
                .is_some_and(crate::Variable::is_cloud);
        let new = if is_cloud && !new.starts_with("☁ ") {
            format!("☁ {new}")
        } else {
            new.to_owned()
        };
        if new != old && self.find_variable(target, &new).is_some() {
            return Err(BuildError::DuplicateVariable {
                target: owner_name,
                name: new,
            });
        }
        let mut changed = 0;
        let id = found.id.clone();
        for t in &mut self.targets {
            let in_scope = found.global || t.name == owner_name;
            if t.name == owner_name {
                if let Some(var) = t.variables.get_mut(&id).filter(|_| !found.list) {
                    var.name.clone_from(&new);
                    changed += 1;
                }
                if let Some(list) = t.lists.get_mut(&id).filter(|_| found.list) {
                    list.name.clone_from(&new);
                    changed += 1;
                }
            }
            // `([old] of [owner])` reads the variable from other targets.
            let object = if found.global {
                "_stage_"
            } else {
                owner_name.as_str()
            };
            let readers: Vec<String> = t
                .blocks
                .iter()
                .filter_map(|(bid, e)| {
                    let b = e.as_block()?;
                    (b.opcode == "sensing_of"
                        && b.field_value("PROPERTY").and_then(Value::as_str) == Some(old))
                    .then(|| bid.clone())
                })
                .collect();
            for reader in readers {
                let menu_names_owner = t
                    .blocks
                    .get(&reader)
                    .and_then(BlockEntry::as_block)
                    .and_then(|b| b.input_block("OBJECT"))
                    .and_then(|menu| t.blocks.get(menu))
                    .and_then(BlockEntry::as_block)
                    .and_then(|m| m.field_value("OBJECT"))
                    .and_then(Value::as_str)
                    == Some(object);
                if menu_names_owner
                    && let Some(BlockEntry::Block(b)) = t.blocks.get_mut(&reader)
                    && let Some(field) = b.fields.get_mut("PROPERTY")
                    && let Some(slot) = field.get_mut(0)
                {
                    *slot = Value::String(new.clone());
                    changed += 1;
                }
            }
            if !in_scope {
                continue;
            }
            for entry in t.blocks.values_mut() {
                match entry {
                    BlockEntry::Primitive(items) => changed += rename_primitive(items, &id, &new),
                    BlockEntry::Block(block) => {
                        for field in block.fields.values_mut() {
                            if field.get(1).and_then(Value::as_str) == Some(id.as_str())
                                && let Some(slot) = field.get_mut(0)
                            {
                                *slot = Value::String(new.clone());
                                changed += 1;
                            }
                        }
                        for input in block.inputs.values_mut() {
                            for item in input.as_array_mut().into_iter().flatten().skip(1) {
                                if let Value::Array(items) = item {
                                    changed += rename_primitive(items, &id, &new);
                                }
                            }
                        }
                    }
                }
            }
        }
        for monitor in &mut self.monitors {
            if monitor.id == id {
                for param in monitor.params.values_mut() {
                    *param = Value::String(new.clone());
                    changed += 1;
                }
            }
        }
        Ok(changed)
    }

    /// Deletes the sprite called `name` and everything that pointed at it: its monitors,
    /// and in other sprites the menus naming it (`go to`, `glide to`, `point towards`,
    /// `touching`, `distance to`, `create clone of`, `[ ] of [sprite]`), which fall back to
    /// the editor's defaults (random position, mouse pointer, stage, myself). Layer orders
    /// of the sprites above it move down. Returns the removed sprite.
    ///
    /// Assets only it used stay in an [`Sb3`]; [`Sb3::delete_sprite`] removes them too.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownTarget`] when no sprite has that name.
    pub fn delete_sprite(&mut self, name: &str) -> Result<Target, BuildError> {
        let index = self
            .targets
            .iter()
            .position(|t| !t.is_stage && t.name == name)
            .ok_or_else(|| BuildError::UnknownTarget { name: name.into() })?;
        let removed = self.targets.remove(index);
        let removed_layer = removed.layer_order.as_ref().and_then(|n| n.as_i64());
        for t in &mut self.targets {
            if let (Some(layer), Some(removed_layer)) = (
                t.layer_order.as_ref().and_then(|n| n.as_i64()),
                removed_layer,
            ) && layer > removed_layer
            {
                t.layer_order = Some((layer - 1).into());
            }
            let menus: Vec<(String, &'static str)> = t
                .blocks
                .iter()
                .filter_map(|(id, e)| {
                    let b = e.as_block()?;
                    let default = menu_default(&b.opcode)?;
                    b.fields
                        .values()
                        .any(|f| f.get(0).and_then(Value::as_str) == Some(name))
                        .then(|| (id.clone(), default))
                })
                .collect();
            for (menu_id, default) in menus {
                let parent = match t.blocks.get_mut(&menu_id) {
                    Some(BlockEntry::Block(menu)) => {
                        for field in menu.fields.values_mut() {
                            if let Some(slot) = field.get_mut(0) {
                                *slot = Value::String(default.into());
                            }
                        }
                        menu.parent.clone()
                    }
                    _ => None,
                };
                // A `[property] of [stage]` needs a stage property.
                if default == "_stage_"
                    && let Some(parent) = parent
                    && let Some(BlockEntry::Block(of)) = t.blocks.get_mut(&parent)
                    && of.opcode == "sensing_of"
                {
                    of.fields
                        .insert("PROPERTY".into(), serde_json::json!(["backdrop #", null]));
                }
            }
        }
        self.monitors
            .retain(|m| m.sprite_name.as_deref() != Some(name));
        Ok(removed)
    }
}

fn rename_primitive(items: &mut [Value], id: &str, new: &str) -> usize {
    let is_data = matches!(items.first().and_then(Value::as_u64), Some(12 | 13));
    if is_data && items.get(2).and_then(Value::as_str) == Some(id) {
        items[1] = Value::String(new.to_owned());
        1
    } else {
        0
    }
}

impl Sb3 {
    /// Deletes a sprite like [`ProjectDocument::delete_sprite`] and drops the asset files nothing
    /// uses any more.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownTarget`] when no sprite has that name.
    pub fn delete_sprite(&mut self, name: &str) -> Result<Target, BuildError> {
        let removed = self.project.delete_sprite(name)?;
        self.drop_unused_assets();
        Ok(removed)
    }

    /// Removes the asset files project.json does not name; returns their names.
    pub fn drop_unused_assets(&mut self) -> Vec<String> {
        let unused = self.unused_assets();
        for name in &unused {
            self.assets.remove(name);
        }
        unused
    }

    /// The target named `target`, or [`BuildError::UnknownTarget`].
    fn known_target(&mut self, target: &str) -> Result<&mut Target, BuildError> {
        self.project
            .target_mut(target)
            .ok_or_else(|| BuildError::UnknownTarget {
                name: target.into(),
            })
    }

    /// Replaces the image of costume `costume` of `target` with new bytes (SVG, PNG or
    /// JPEG): new md5 name, format and a rotation centre in the middle of the new image;
    /// the name and bitmap resolution stay. The old file is dropped when nothing else uses
    /// it.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownTarget`], [`BuildError::UnknownAsset`], [`BuildError::Media`].
    pub fn replace_costume(
        &mut self,
        target: &str,
        costume: &str,
        bytes: &[u8],
    ) -> Result<(), BuildError> {
        let t = self.known_target(target)?;
        let slot = t
            .costumes
            .iter_mut()
            .find(|c| c.name == costume)
            .ok_or_else(|| BuildError::UnknownAsset {
                target: target.into(),
                name: costume.into(),
            })?;
        let resolution = slot
            .bitmap_resolution
            .as_ref()
            .and_then(|n| n.as_u64())
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1);
        let (mut new, file) =
            media::costume_from_bytes(costume, bytes, resolution).map_err(|source| {
                BuildError::Media {
                    name: costume.into(),
                    source,
                }
            })?;
        new.extra = std::mem::take(&mut slot.extra);
        *slot = new;
        self.assets.insert(file, bytes.to_vec());
        self.drop_unused_assets();
        Ok(())
    }

    /// Replaces the audio of sound `sound` of `target` with new WAV or MP3 bytes (new md5
    /// name, format, rate and sample count); the name stays. The old file is dropped when
    /// nothing else uses it.
    ///
    /// # Errors
    ///
    /// [`BuildError::UnknownTarget`], [`BuildError::UnknownAsset`], [`BuildError::Media`].
    pub fn replace_sound(
        &mut self,
        target: &str,
        sound: &str,
        bytes: &[u8],
    ) -> Result<(), BuildError> {
        let t = self.known_target(target)?;
        let slot = t
            .sounds
            .iter_mut()
            .find(|s| s.name == sound)
            .ok_or_else(|| BuildError::UnknownAsset {
                target: target.into(),
                name: sound.into(),
            })?;
        let (mut new, file) =
            media::sound_from_bytes(sound, bytes).map_err(|source| BuildError::Media {
                name: sound.into(),
                source,
            })?;
        new.extra = std::mem::take(&mut slot.extra);
        *slot = new;
        self.assets.insert(file, bytes.to_vec());
        self.drop_unused_assets();
        Ok(())
    }
}
