//! Checking a project for what Scratch would reject or silently break: [`validate`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::compile::find_prototype;
use crate::spec::{self, InputKind, Shape};
use crate::{Block, BlockEntry, ProjectDocument, Sb3, Target};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Scratch refuses the project, or scripts do not do what they say.
    Error,
    /// Probably a mistake, but Scratch copes.
    Warning,
}

/// Which check found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The project has no stage, or more than one.
    StageCount,
    /// Two sprites have the same name.
    DuplicateTargetName,
    /// A costume or sound names an asset file the archive does not hold.
    MissingAsset,
    /// A costume's or sound's `md5ext` does not match its `assetId`.
    AssetIdMismatch,
    /// A target has no costume, or `currentCostume` is out of range.
    Costumes,
    /// `next`, `parent` or an input names a block that does not exist.
    DanglingBlock,
    /// `next`/`parent` links disagree (a block's next does not name it as parent, …).
    BrokenLink,
    /// A block's opcode is not one this crate knows, nor of a listed extension.
    UnknownOpcode,
    /// A block has an input its opcode does not have.
    UnknownInput,
    /// An input holds the wrong kind of thing (a stack block in a value slot, a literal in a
    /// boolean slot, a reporter in a C block's mouth…), or is malformed.
    WrongInputKind,
    /// A block names a variable that neither its target nor the stage has.
    MissingVariable,
    /// A block names a list that neither its target nor the stage has.
    MissingList,
    /// A block names a broadcast message the stage does not declare.
    MissingBroadcast,
    /// A block names a variable, list or broadcast by an id whose name differs.
    NameMismatch,
    /// The same variable or list id is used twice.
    DuplicateId,
    /// A sprite-local variable has the name of a global one (or two share a name).
    DuplicateVariableName,
    /// A cloud variable on a sprite, without the `☁ ` prefix, or more than 10 of them.
    CloudVariable,
    /// A custom block call without a definition, or with other arguments.
    MissingProcedure,
    /// A menu names a sprite, costume or sound that does not exist.
    DanglingReference,
    /// A monitor shows a variable, list or sprite that does not exist.
    DanglingMonitor,
    /// A block of an extension the project does not list.
    ExtensionNotListed,
    /// A comment attached to a missing block, or a block naming a missing comment.
    DanglingComment,
}

/// One finding of [`validate`]: what, where (target and block), how bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Which check.
    pub check: Check,
    /// The stage's or sprite's name, when the finding is inside one.
    pub target: Option<String>,
    /// The block's id, when the finding is about a block.
    pub block: Option<String>,
    /// The block's opcode.
    pub opcode: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl Diagnostic {
    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: ")?;
        if let Some(target) = &self.target {
            write!(f, "{target:?}")?;
            if let Some(block) = &self.block {
                write!(f, ", block {block}")?;
                if let Some(opcode) = &self.opcode {
                    write!(f, " ({opcode})")?;
                }
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Checks a project and its assets (see [`validate_project`] for the checks on
/// project.json alone); errors first, then warnings, each in project order.
///
/// ```
/// use scratchkit_sb3::{Op, ProjectBuilder, Script, validate, validate::Check};
///
/// let mut builder = ProjectBuilder::new();
/// builder.stage().script(Script::new([Op::when_flag_clicked(), Op::broadcast("go")]))?;
/// let mut sb3 = builder.finish();
/// assert!(validate(&sb3).is_empty());
/// // Remove the broadcast the script sends:
/// sb3.project.targets[0].broadcasts.clear();
/// let found = validate(&sb3);
/// assert_eq!(found[0].check, Check::MissingBroadcast);
/// assert!(found[0].to_string().starts_with("error: \"Stage\", block "));
/// # Ok::<(), scratchkit_sb3::BuildError>(())
/// ```
pub fn validate(sb3: &Sb3) -> Vec<Diagnostic> {
    let mut out = validate_project(&sb3.project);
    for target in &sb3.project.targets {
        let files = target
            .costumes
            .iter()
            .map(|c| (c.file_name(), &c.name))
            .chain(target.sounds.iter().map(|s| (s.file_name(), &s.name)));
        for (file, name) in files {
            if !sb3.assets.contains_key(&file) {
                out.push(Diagnostic {
                    severity: Severity::Error,
                    check: Check::MissingAsset,
                    target: Some(target.name.clone()),
                    block: None,
                    opcode: None,
                    message: format!("{name:?} uses asset {file}, which the file does not hold"),
                });
            }
        }
    }
    out.sort_by_key(|d| d.severity);
    out
}

/// Checks project.json alone (assets are not looked at, except that costume and sound
/// records must agree with themselves). See [`Check`] for the list of checks.
pub fn validate_project(project: &ProjectDocument) -> Vec<Diagnostic> {
    let mut v = Validator {
        project,
        out: Vec::new(),
        stage: project.stage(),
        sprite_names: project.sprites().map(|t| t.name.as_str()).collect(),
    };
    v.project_level();
    for target in &project.targets {
        v.target(target);
    }
    v.monitors();
    v.out.sort_by_key(|d| d.severity);
    v.out
}

struct Validator<'a> {
    project: &'a ProjectDocument,
    out: Vec<Diagnostic>,
    stage: Option<&'a Target>,
    sprite_names: HashSet<&'a str>,
}

struct At<'a> {
    target: &'a Target,
    id: &'a str,
    block: &'a Block,
}

impl<'a> Validator<'a> {
    fn push(&mut self, severity: Severity, check: Check, target: Option<&str>, message: String) {
        self.out.push(Diagnostic {
            severity,
            check,
            target: target.map(str::to_owned),
            block: None,
            opcode: None,
            message,
        });
    }

    fn at(&mut self, at: &At<'_>, severity: Severity, check: Check, message: String) {
        self.out.push(Diagnostic {
            severity,
            check,
            target: Some(at.target.name.clone()),
            block: Some(at.id.to_owned()),
            opcode: Some(at.block.opcode.clone()),
            message,
        });
    }

    fn project_level(&mut self) {
        let stages = self.project.targets.iter().filter(|t| t.is_stage).count();
        if stages != 1 {
            self.push(
                Severity::Error,
                Check::StageCount,
                None,
                format!("the project has {stages} stages; it needs exactly one"),
            );
        }
        let mut seen = HashSet::new();
        for sprite in self.project.sprites() {
            if !seen.insert(sprite.name.as_str()) {
                self.push(
                    Severity::Error,
                    Check::DuplicateTargetName,
                    Some(&sprite.name),
                    "another sprite has the same name".into(),
                );
            }
        }
        // Variable and list ids must be unique in the whole project.
        let mut ids: HashMap<&str, &str> = HashMap::new();
        for target in &self.project.targets {
            for id in target.variables.keys().chain(target.lists.keys()) {
                if let Some(other) = ids.insert(id, &target.name) {
                    self.push(
                        Severity::Error,
                        Check::DuplicateId,
                        Some(&target.name),
                        format!("variable/list id {id:?} is also used in {other:?}"),
                    );
                }
            }
        }
        let clouds: Vec<&str> = self
            .project
            .targets
            .iter()
            .flat_map(|t| t.cloud_variables().map(|(_, v)| v.name.as_str()))
            .collect();
        if clouds.len() > 10 {
            self.push(
                Severity::Warning,
                Check::CloudVariable,
                None,
                format!(
                    "{} cloud variables; Scratch's cloud server keeps only 10 per project",
                    clouds.len()
                ),
            );
        }
        let listed: HashSet<&str> = self.project.extensions.iter().map(String::as_str).collect();
        let mut missing: Vec<&str> = self
            .project
            .targets
            .iter()
            .flat_map(|t| t.blocks.values().filter_map(BlockEntry::as_block))
            .filter_map(|b| spec::extension_of(&b.opcode))
            .filter(|ext| !listed.contains(ext))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        for ext in missing {
            self.push(
                Severity::Warning,
                Check::ExtensionNotListed,
                None,
                format!("blocks of extension {ext:?} are used but it is not in `extensions`"),
            );
        }
    }

    fn target(&mut self, target: &'a Target) {
        let name = Some(target.name.as_str());
        if target.costumes.is_empty() {
            self.push(
                Severity::Warning,
                Check::Costumes,
                name,
                "has no costume; the editor cannot show it".into(),
            );
        } else if let Some(current) = target.current_costume.as_ref().and_then(|n| n.as_f64())
            && (current < 0.0 || current >= target.costumes.len() as f64)
        {
            self.push(
                Severity::Error,
                Check::Costumes,
                name,
                format!(
                    "currentCostume is {current} but there are {} costumes",
                    target.costumes.len()
                ),
            );
        }
        for (asset_id, file, what) in target
            .costumes
            .iter()
            .map(|c| (&c.asset_id, &c.md5ext, &c.name))
            .chain(
                target
                    .sounds
                    .iter()
                    .map(|s| (&s.asset_id, &s.md5ext, &s.name)),
            )
        {
            if let Some(file) = file
                && !file.starts_with(asset_id.as_str())
            {
                self.push(
                    Severity::Warning,
                    Check::AssetIdMismatch,
                    name,
                    format!("{what:?} has assetId {asset_id} but md5ext {file}"),
                );
            }
        }
        for (id, var) in &target.variables {
            if var.is_cloud() && !target.is_stage {
                self.push(
                    Severity::Error,
                    Check::CloudVariable,
                    name,
                    format!(
                        "cloud variable {:?} on a sprite; only the stage can have them",
                        var.name
                    ),
                );
            }
            if var.is_cloud() && !var.name.starts_with("☁ ") {
                self.push(
                    Severity::Warning,
                    Check::CloudVariable,
                    name,
                    format!(
                        "cloud variable {:?} ({id}) lacks the \"☁ \" prefix",
                        var.name
                    ),
                );
            }
            if target.lists.contains_key(id) {
                self.push(
                    Severity::Error,
                    Check::DuplicateId,
                    name,
                    format!("id {id:?} names both a variable and a list"),
                );
            }
            if !target.is_stage
                && let Some(stage) = self.stage
                && stage.variable_by_name(&var.name).is_some()
            {
                self.push(
                    Severity::Warning,
                    Check::DuplicateVariableName,
                    name,
                    format!("local variable {:?} has the name of a global one", var.name),
                );
            }
        }
        for (comment_id, comment) in &target.comments {
            if let Some(block) = &comment.block_id
                && !target.blocks.contains_key(block)
            {
                self.push(
                    Severity::Error,
                    Check::DanglingComment,
                    name,
                    format!("comment {comment_id} is attached to missing block {block}"),
                );
            }
        }
        for (id, entry) in &target.blocks {
            match entry {
                BlockEntry::Primitive(items) => self.top_primitive(target, id, items),
                BlockEntry::Block(block) => self.block(&At { target, id, block }),
            }
        }
    }

    fn top_primitive(&mut self, target: &Target, id: &str, items: &[Value]) {
        if let Some(problem) = self.primitive_problem(target, items) {
            self.out.push(Diagnostic {
                severity: Severity::Error,
                check: problem.0,
                target: Some(target.name.clone()),
                block: Some(id.to_owned()),
                opcode: None,
                message: problem.1,
            });
        }
    }

    /// What is wrong with a compact primitive `[code, value, id?…]`, if anything.
    fn primitive_problem(&self, target: &Target, items: &[Value]) -> Option<(Check, String)> {
        let code = items.first().and_then(Value::as_u64);
        let name = items.get(1).and_then(Value::as_str).unwrap_or("");
        let id = items.get(2).and_then(Value::as_str);
        match code {
            Some(4..=10) => None,
            Some(11..=13) => {
                let Some(id) = id else {
                    return Some((
                        Check::WrongInputKind,
                        format!("primitive {items:?} has no id"),
                    ));
                };
                let (check, found) = match code {
                    Some(11) => (
                        Check::MissingBroadcast,
                        self.stage.and_then(|s| s.broadcasts.get(id)).cloned(),
                    ),
                    Some(12) => (Check::MissingVariable, self.variable_name(target, id)),
                    _ => (Check::MissingList, self.list_name(target, id)),
                };
                let kind = match code {
                    Some(11) => "broadcast",
                    Some(12) => "variable",
                    _ => "list",
                };
                match found {
                    None => Some((check, format!("{kind} {name:?} ({id}) does not exist"))),
                    Some(actual) if actual != name => Some((
                        Check::NameMismatch,
                        format!("{kind} {id} is called {actual:?}, not {name:?}"),
                    )),
                    Some(_) => None,
                }
            }
            _ => Some((
                Check::WrongInputKind,
                format!("{} is not a primitive", Value::Array(items.to_vec())),
            )),
        }
    }

    fn variable_name(&self, target: &Target, id: &str) -> Option<String> {
        target
            .variables
            .get(id)
            .or_else(|| self.stage.and_then(|s| s.variables.get(id)))
            .map(|v| v.name.clone())
    }

    fn list_name(&self, target: &Target, id: &str) -> Option<String> {
        target
            .lists
            .get(id)
            .or_else(|| self.stage.and_then(|s| s.lists.get(id)))
            .map(|l| l.name.clone())
    }

    fn block(&mut self, at: &At<'_>) {
        let block = at.block;
        let blocks = &at.target.blocks;
        // Links.
        if let Some(next) = &block.next {
            match blocks.get(next) {
                None => self.at(
                    at,
                    Severity::Error,
                    Check::DanglingBlock,
                    format!("next block {next} does not exist"),
                ),
                Some(BlockEntry::Block(n)) if n.parent.as_deref() != Some(at.id) => self.at(
                    at,
                    Severity::Error,
                    Check::BrokenLink,
                    format!("next block {next} names {:?} as its parent", n.parent),
                ),
                _ => {}
            }
        }
        if let Some(parent) = &block.parent {
            match blocks.get(parent) {
                None => self.at(at, Severity::Error, Check::DanglingBlock, format!("parent block {parent} does not exist")),
                Some(BlockEntry::Block(p)) if !refers_to(p, at.id) => self.at(
                    at,
                    Severity::Error,
                    Check::BrokenLink,
                    format!("parent block {parent} ({}) neither continues with it nor holds it in an input", p.opcode),
                ),
                _ => {}
            }
        }
        if let Some(comment) = &block.comment
            && !at.target.comments.contains_key(comment)
        {
            self.at(
                at,
                Severity::Error,
                Check::DanglingComment,
                format!("comment {comment} does not exist"),
            );
        }
        let spec = spec::lookup(&block.opcode);
        if spec.is_none() {
            let listed = spec::extension_of(&block.opcode)
                .is_some_and(|ext| self.project.extensions.iter().any(|e| e == ext));
            if !listed {
                self.at(
                    at,
                    Severity::Warning,
                    Check::UnknownOpcode,
                    format!("unknown opcode {}", block.opcode),
                );
            }
        }
        // Inputs.
        let custom = matches!(
            block.opcode.as_str(),
            "procedures_call" | "procedures_prototype"
        );
        for (name, value) in &block.inputs {
            let kind = if custom {
                None
            } else {
                spec.and_then(|s| s.input(name))
            };
            if spec.is_some() && !custom && kind.is_none() {
                self.at(
                    at,
                    Severity::Warning,
                    Check::UnknownInput,
                    format!("input {name} is not an input of {}", block.opcode),
                );
            }
            self.input(at, name, value, kind);
        }
        // Fields naming data.
        self.fields(at);
        match block.opcode.as_str() {
            "procedures_call" => self.call(at),
            "motion_goto_menu"
            | "motion_glideto_menu"
            | "motion_pointtowards_menu"
            | "sensing_touchingobjectmenu"
            | "sensing_distancetomenu"
            | "sensing_of_object_menu"
            | "control_create_clone_of_menu" => self.sprite_menu(at),
            "looks_costume" => self.named_asset(at, "COSTUME", at.target, true),
            "sound_sounds_menu" => self.named_asset(at, "SOUND_MENU", at.target, false),
            "looks_backdrops" => {
                if let Some(stage) = self.stage {
                    self.named_asset(at, "BACKDROP", stage, true);
                }
            }
            _ => {}
        }
    }

    fn input(&mut self, at: &At<'_>, name: &str, value: &Value, kind: Option<&InputKind>) {
        let Some(items) = value.as_array().filter(|a| a.len() >= 2) else {
            self.at(
                at,
                Severity::Error,
                Check::WrongInputKind,
                format!("input {name} is not [shadow, value…]: {value}"),
            );
            return;
        };
        if !matches!(items[0].as_u64(), Some(1..=3)) {
            self.at(
                at,
                Severity::Error,
                Check::WrongInputKind,
                format!("input {name} has shadow state {}", items[0]),
            );
        }
        for (position, item) in items.iter().enumerate().skip(1).take(2) {
            match item {
                Value::Null => {}
                Value::String(child) => match at.target.blocks.get(child) {
                    None => self.at(
                        at,
                        Severity::Error,
                        Check::DanglingBlock,
                        format!("input {name} holds block {child}, which does not exist"),
                    ),
                    Some(BlockEntry::Block(child_block)) => {
                        self.input_block(at, name, child, child_block, kind, position);
                    }
                    Some(BlockEntry::Primitive(_)) => {}
                },
                Value::Array(primitive) => {
                    if let Some((check, message)) = self.primitive_problem(at.target, primitive) {
                        self.at(
                            at,
                            Severity::Error,
                            check,
                            format!("input {name}: {message}"),
                        );
                    } else if matches!(kind, Some(InputKind::Boolean | InputKind::Substack)) {
                        self.at(
                            at,
                            Severity::Error,
                            Check::WrongInputKind,
                            format!("input {name} takes a block, not the value {item}"),
                        );
                    }
                }
                other => self.at(
                    at,
                    Severity::Error,
                    Check::WrongInputKind,
                    format!("input {name} holds {other}, not a block id or a primitive"),
                ),
            }
        }
    }

    fn input_block(
        &mut self,
        at: &At<'_>,
        name: &str,
        child: &str,
        child_block: &Block,
        kind: Option<&InputKind>,
        position: usize,
    ) {
        if child_block.parent.as_deref() != Some(at.id) {
            self.at(
                at,
                Severity::Error,
                Check::BrokenLink,
                format!(
                    "input {name} holds block {child}, whose parent is {:?}",
                    child_block.parent
                ),
            );
        }
        let (Some(kind), Some(child_spec)) = (kind, spec::lookup(&child_block.opcode)) else {
            return;
        };
        let wrong = |what: &str| {
            format!(
                "input {name} takes {what}, but holds {} ({child})",
                child_block.opcode
            )
        };
        match kind {
            InputKind::Substack => {
                if !child_spec.shape.is_statement() || child_block.shadow {
                    self.at(
                        at,
                        Severity::Error,
                        Check::WrongInputKind,
                        wrong("a stack of blocks"),
                    );
                }
            }
            InputKind::Boolean => {
                if child_spec.shape != Shape::Boolean {
                    self.at(
                        at,
                        Severity::Error,
                        Check::WrongInputKind,
                        wrong("a boolean block"),
                    );
                }
            }
            _ if child_block.shadow => {
                let expected = kind.shadow_opcode();
                if expected.is_some_and(|e| e != child_block.opcode) {
                    self.at(
                        at,
                        Severity::Warning,
                        Check::WrongInputKind,
                        wrong(&format!("a {} shadow", expected.unwrap_or(""))),
                    );
                }
            }
            _ => {
                if child_spec.shape.is_statement() || (position == 2 && !child_block.shadow) {
                    self.at(
                        at,
                        Severity::Error,
                        Check::WrongInputKind,
                        wrong("a reporter"),
                    );
                }
            }
        }
    }

    fn fields(&mut self, at: &At<'_>) {
        for (field, value) in &at.block.fields {
            let name = value.get(0).and_then(Value::as_str).unwrap_or("");
            let Some(id) = value.get(1).and_then(Value::as_str) else {
                if field == "BROADCAST_OPTION" && at.block.opcode == "event_whenbroadcastreceived" {
                    self.at(
                        at,
                        Severity::Error,
                        Check::MissingBroadcast,
                        format!("broadcast {name:?} has no id"),
                    );
                }
                continue;
            };
            let (kind, check, found) = match field.as_str() {
                "VARIABLE" => (
                    "variable",
                    Check::MissingVariable,
                    self.variable_name(at.target, id),
                ),
                "LIST" => ("list", Check::MissingList, self.list_name(at.target, id)),
                "BROADCAST_OPTION" => (
                    "broadcast",
                    Check::MissingBroadcast,
                    self.stage.and_then(|s| s.broadcasts.get(id)).cloned(),
                ),
                _ => continue,
            };
            match found {
                None => self.at(
                    at,
                    Severity::Error,
                    check,
                    format!("{kind} {name:?} ({id}) does not exist"),
                ),
                Some(actual) if actual != name => self.at(
                    at,
                    Severity::Warning,
                    Check::NameMismatch,
                    format!("{kind} {id} is called {actual:?}, but the block says {name:?}"),
                ),
                Some(_) => {}
            }
        }
    }

    fn call(&mut self, at: &At<'_>) {
        let Some(proccode) = at
            .block
            .mutation
            .as_ref()
            .and_then(|m| m.proccode.as_deref())
        else {
            self.at(
                at,
                Severity::Error,
                Check::MissingProcedure,
                "custom block call without a proccode".into(),
            );
            return;
        };
        let Some(proto) = find_prototype(at.target, proccode) else {
            self.at(
                at,
                Severity::Error,
                Check::MissingProcedure,
                format!("calls {proccode:?}, which this sprite does not define"),
            );
            return;
        };
        let expected = proto
            .mutation
            .as_ref()
            .and_then(|m| m.argument_ids().ok())
            .unwrap_or_default();
        let given = at
            .block
            .mutation
            .as_ref()
            .and_then(|m| m.argument_ids().ok())
            .unwrap_or_default();
        if expected != given {
            self.at(at, Severity::Error, Check::MissingProcedure, format!("calls {proccode:?} with argument ids {given:?}, but it is defined with {expected:?}"));
        }
        for name in at.block.inputs.keys() {
            if !expected.contains(name) {
                self.at(
                    at,
                    Severity::Warning,
                    Check::UnknownInput,
                    format!("input {name} is not an argument of {proccode:?}"),
                );
            }
        }
    }

    fn sprite_menu(&mut self, at: &At<'_>) {
        for value in at.block.fields.values() {
            let Some(name) = value.get(0).and_then(Value::as_str) else {
                continue;
            };
            if !name.starts_with('_') && !self.sprite_names.contains(name) {
                self.at(
                    at,
                    Severity::Error,
                    Check::DanglingReference,
                    format!("names sprite {name:?}, which does not exist"),
                );
            }
        }
    }

    fn named_asset(&mut self, at: &At<'_>, field: &str, owner: &Target, costume: bool) {
        let Some(name) = at.block.field_value(field).and_then(Value::as_str) else {
            return;
        };
        let found = if costume {
            owner.costumes.iter().any(|c| c.name == name)
        } else {
            owner.sounds.iter().any(|s| s.name == name)
        };
        let special = ["next backdrop", "previous backdrop", "random backdrop"].contains(&name);
        if !found && !special {
            let what = if costume { "costume" } else { "sound" };
            self.at(
                at,
                Severity::Warning,
                Check::DanglingReference,
                format!(
                    "names {what} {name:?}, which {:?} does not have",
                    owner.name
                ),
            );
        }
    }

    fn monitors(&mut self) {
        for monitor in &self.project.monitors {
            let owner = match &monitor.sprite_name {
                Some(sprite) => match self.project.sprite(sprite) {
                    Some(t) => Some(t),
                    None => {
                        self.push(
                            Severity::Warning,
                            Check::DanglingMonitor,
                            None,
                            format!(
                                "monitor {} shows sprite {sprite:?}, which does not exist",
                                monitor.id
                            ),
                        );
                        continue;
                    }
                },
                None => self.stage,
            };
            let Some(owner) = owner else { continue };
            let missing = match monitor.opcode.as_str() {
                "data_variable" => self.variable_name(owner, &monitor.id).is_none(),
                "data_listcontents" => self.list_name(owner, &monitor.id).is_none(),
                _ => false,
            };
            if missing {
                self.push(
                    Severity::Warning,
                    Check::DanglingMonitor,
                    Some(&owner.name),
                    format!(
                        "monitor {} shows a variable or list that does not exist",
                        monitor.id
                    ),
                );
            }
        }
    }
}

/// Whether `parent` continues with block `id` or holds it in an input.
fn refers_to(parent: &Block, id: &str) -> bool {
    parent.next.as_deref() == Some(id)
        || parent.inputs.values().any(|input| {
            input
                .as_array()
                .is_some_and(|items| items.iter().skip(1).any(|item| item.as_str() == Some(id)))
        })
}
