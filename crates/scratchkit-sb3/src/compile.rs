//! Turning [`Op`] trees into the flat `blocks` map of project.json: ids, parent/next links,
//! inputs with their shadows, fields naming variables by id, comments.

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::builder::BuildError;
use crate::media::number;
use crate::script::{ArgKind, FieldValue, Procedure, proccode_args};
use crate::spec::{self, InputKind, Shape};
use crate::{Arg, Block, BlockEntry, Mutation, Op, ProjectDocument, Target, WorkspaceComment};

/// Makes ids that are unused anywhere in a project (blocks, variables, lists, broadcasts,
/// comments), 20 characters like the editor's, from a fixed seed: the same building code
/// gives the same file.
#[derive(Debug, Clone)]
pub struct IdGen {
    used: HashSet<String>,
    state: u64,
}

impl IdGen {
    /// An id maker that avoids every id already in `project`.
    pub fn for_project(project: &ProjectDocument) -> IdGen {
        let mut used = HashSet::new();
        for t in &project.targets {
            used.extend(t.blocks.keys().cloned());
            used.extend(t.variables.keys().cloned());
            used.extend(t.lists.keys().cloned());
            used.extend(t.broadcasts.keys().cloned());
            used.extend(t.comments.keys().cloned());
        }
        let state = 0x9E37_79B9_7F4A_7C15 ^ used.len() as u64;
        IdGen { used, state }
    }

    /// A fresh id.
    pub fn next_id(&mut self) -> String {
        const SOUP: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        loop {
            let mut id = String::with_capacity(20);
            for _ in 0..20 {
                // xorshift64*
                self.state ^= self.state >> 12;
                self.state ^= self.state << 25;
                self.state ^= self.state >> 27;
                let r = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
                id.push(char::from(SOUP[(r >> 58) as usize % SOUP.len()]));
            }
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Output of compiling one script: blocks and comments to add to the target, extensions
/// and broadcasts it needs.
pub(crate) struct Compiled {
    pub blocks: IndexMap<String, BlockEntry>,
    pub comments: IndexMap<String, WorkspaceComment>,
    pub extensions: BTreeSet<String>,
    pub top: String,
}

pub(crate) struct Compiler<'a> {
    pub target: &'a Target,
    pub stage: &'a Target,
    pub ids: &'a mut IdGen,
    pub origin: (f64, f64),
    out: IndexMap<String, BlockEntry>,
    comments: IndexMap<String, WorkspaceComment>,
    extensions: BTreeSet<String>,
    comment_row: f64,
    /// The custom block being defined (so that its body may call it): proccode and the
    /// prototype's mutation.
    defining: Option<Mutation>,
}

impl<'a> Compiler<'a> {
    pub fn new(
        target: &'a Target,
        stage: &'a Target,
        ids: &'a mut IdGen,
        origin: (f64, f64),
    ) -> Self {
        Compiler {
            target,
            stage,
            ids,
            origin,
            out: IndexMap::new(),
            comments: IndexMap::new(),
            extensions: BTreeSet::new(),
            comment_row: origin.1,
            defining: None,
        }
    }

    fn finish(self, top: String) -> Compiled {
        Compiled {
            blocks: self.out,
            comments: self.comments,
            extensions: self.extensions,
            top,
        }
    }

    fn err_target(&self) -> String {
        self.target.name.clone()
    }

    /// A script: a stack whose first block sits at the origin.
    pub fn script(mut self, ops: &[Op]) -> Result<Compiled, BuildError> {
        let first = ops.first().ok_or_else(|| BuildError::EmptyScript {
            target: self.err_target(),
        })?;
        let shape = spec::lookup(&first.opcode).map(|s| s.shape);
        if ops.len() == 1 && shape.is_some_and(Shape::is_reporter) {
            // A loose reporter on the workspace.
            let id = self.block(first, None)?;
            self.place_top(&id);
            return Ok(self.finish(id));
        }
        let top = self.stack(ops, None)?.unwrap_or_default();
        self.place_top(&top);
        Ok(self.finish(top))
    }

    fn place_top(&mut self, id: &str) {
        if let Some(BlockEntry::Block(block)) = self.out.get_mut(id) {
            block.top_level = true;
            block.x = Some(number(self.origin.0));
            block.y = Some(number(self.origin.1));
        }
    }

    /// A custom block definition: the hat, its prototype and argument shadows, then the body.
    pub fn procedure(mut self, procedure: &Procedure) -> Result<Compiled, BuildError> {
        let kinds = proccode_args(&procedure.proccode);
        if kinds.len() != procedure.arg_names.len() {
            return Err(BuildError::ArgumentCount {
                target: self.err_target(),
                proccode: procedure.proccode.clone(),
                expected: kinds.len(),
                got: procedure.arg_names.len(),
            });
        }
        if find_prototype(self.target, &procedure.proccode).is_some() {
            return Err(BuildError::DuplicateProcedure {
                target: self.err_target(),
                proccode: procedure.proccode.clone(),
            });
        }
        let def = self.ids.next_id();
        let proto = self.ids.next_id();
        let arg_ids: Vec<String> = kinds.iter().map(|_| self.ids.next_id()).collect();
        let mut def_block = new_block("procedures_definition", None);
        def_block
            .inputs
            .insert("custom_block".into(), json!([1, proto]));
        let mut proto_block = new_block("procedures_prototype", Some(&def));
        proto_block.shadow = true;
        for ((arg_id, kind), name) in arg_ids.iter().zip(&kinds).zip(&procedure.arg_names) {
            let reporter = self.ids.next_id();
            let opcode = match kind {
                ArgKind::Value => "argument_reporter_string_number",
                ArgKind::Boolean => "argument_reporter_boolean",
            };
            let mut block = new_block(opcode, Some(&proto));
            block.shadow = true;
            block.fields.insert("VALUE".into(), json!([name, null]));
            proto_block
                .inputs
                .insert(arg_id.clone(), json!([1, reporter]));
            self.out
                .insert(reporter, BlockEntry::Block(Box::new(block)));
        }
        let defaults: Vec<&str> = kinds
            .iter()
            .map(|k| match k {
                ArgKind::Value => "",
                ArgKind::Boolean => "false",
            })
            .collect();
        proto_block.mutation = Some(Mutation {
            tag_name: Some("mutation".into()),
            children: Some(Vec::new()),
            proccode: Some(procedure.proccode.clone()),
            argumentids: Some(json!(arg_ids).to_string()),
            argumentnames: Some(json!(procedure.arg_names).to_string()),
            argumentdefaults: Some(json!(defaults).to_string()),
            warp: Some(Value::String(procedure.warp.to_string())),
            extra: IndexMap::new(),
        });
        self.defining = proto_block.mutation.clone();
        self.out
            .insert(def.clone(), BlockEntry::Block(Box::new(def_block)));
        self.out
            .insert(proto, BlockEntry::Block(Box::new(proto_block)));
        let body_top = self.stack(&procedure.body, Some(&def))?;
        if let Some(BlockEntry::Block(block)) = self.out.get_mut(&def) {
            block.next = body_top;
        }
        self.place_top(&def);
        Ok(self.finish(def))
    }

    /// A stack of statement blocks under `parent`; returns the first block's id.
    fn stack(&mut self, ops: &[Op], parent: Option<&str>) -> Result<Option<String>, BuildError> {
        let mut first = None;
        let mut previous: Option<String> = parent.map(str::to_owned);
        let mut previous_in_stack: Option<String> = None;
        for op in ops {
            if let Some(spec) = spec::lookup(&op.opcode)
                && !spec.shape.is_statement()
            {
                return Err(BuildError::NotAStatement {
                    target: self.err_target(),
                    opcode: op.opcode.clone(),
                });
            }
            let id = self.block(op, previous.as_deref())?;
            if let Some(prev) = &previous_in_stack
                && let Some(BlockEntry::Block(block)) = self.out.get_mut(prev)
            {
                block.next = Some(id.clone());
            }
            first.get_or_insert_with(|| id.clone());
            previous = Some(id.clone());
            previous_in_stack = Some(id);
        }
        Ok(first)
    }

    /// One block (and everything in its inputs); returns its id.
    fn block(&mut self, op: &Op, parent: Option<&str>) -> Result<String, BuildError> {
        let id = self.ids.next_id();
        let mut block = new_block(&op.opcode, parent);
        if let Some(ext) = spec::extension_of(&op.opcode) {
            self.extensions.insert(ext.to_owned());
        }
        for (name, value) in &op.fields {
            let field = self.field(&op.opcode, value)?;
            block.fields.insert(name.clone(), field);
        }
        if let Some(has_next) = op.stop_has_next {
            let mut mutation = Mutation {
                tag_name: Some("mutation".into()),
                children: Some(Vec::new()),
                ..Mutation::default()
            };
            mutation
                .extra
                .insert("hasnext".into(), Value::String(has_next.to_string()));
            block.mutation = Some(mutation);
        }
        // Reserve the id's place before the children so the map reads top-down.
        self.out
            .insert(id.clone(), BlockEntry::Primitive(Vec::new()));
        let inputs: Vec<(String, InputKind, &Arg)> = match &op.call {
            Some(proccode) => {
                let (mutation, arg_ids) = self.call_mutation(proccode, op.inputs.len())?;
                block.mutation = Some(mutation);
                let kinds = proccode_args(proccode);
                arg_ids
                    .into_iter()
                    .zip(kinds)
                    .zip(&op.inputs)
                    .map(|((arg_id, kind), (_, arg))| {
                        let kind = match kind {
                            ArgKind::Value => InputKind::Text,
                            ArgKind::Boolean => InputKind::Boolean,
                        };
                        (arg_id, kind, arg)
                    })
                    .collect()
            }
            None => {
                let spec = spec::lookup(&op.opcode);
                let mut out = Vec::new();
                for (name, arg) in &op.inputs {
                    let kind =
                        match spec {
                            Some(spec) => spec.input(name).cloned().ok_or_else(|| {
                                BuildError::UnknownInput {
                                    target: self.err_target(),
                                    opcode: op.opcode.clone(),
                                    input: name.clone(),
                                }
                            })?,
                            None => match arg {
                                Arg::Stack(_) => InputKind::Substack,
                                Arg::Op(inner)
                                    if spec::lookup(&inner.opcode)
                                        .is_some_and(|s| s.shape == Shape::Boolean) =>
                                {
                                    InputKind::Boolean
                                }
                                _ => InputKind::Text,
                            },
                        };
                    out.push((name.clone(), kind, arg));
                }
                out
            }
        };
        for (name, kind, arg) in inputs {
            if let Some(value) = self.input(&op.opcode, &id, &name, &kind, arg)? {
                block.inputs.insert(name, value);
            }
        }
        if let Some(text) = &op.comment {
            let comment_id = self.ids.next_id();
            let comment = WorkspaceComment {
                block_id: Some(id.clone()),
                x: Some(Some(number(self.origin.0 + 400.0))),
                y: Some(Some(number(self.comment_row))),
                width: Some(200.into()),
                height: Some(200.into()),
                minimized: Some(false),
                text: text.clone(),
                extra: IndexMap::new(),
            };
            self.comment_row += 220.0;
            self.comments.insert(comment_id.clone(), comment);
            block.comment = Some(comment_id);
        }
        self.out
            .insert(id.clone(), BlockEntry::Block(Box::new(block)));
        Ok(id)
    }

    fn call_mutation(
        &self,
        proccode: &str,
        given: usize,
    ) -> Result<(Mutation, Vec<String>), BuildError> {
        let defining = self
            .defining
            .as_ref()
            .filter(|m| m.proccode.as_deref() == Some(proccode));
        let mutation = match defining {
            Some(mutation) => mutation.clone(),
            None => find_prototype(self.target, proccode)
                .ok_or_else(|| BuildError::UnknownProcedure {
                    target: self.err_target(),
                    proccode: proccode.to_owned(),
                })?
                .mutation
                .clone()
                .unwrap_or_default(),
        };
        let arg_ids = mutation.argument_ids().unwrap_or_default();
        if arg_ids.len() != given {
            return Err(BuildError::ArgumentCount {
                target: self.err_target(),
                proccode: proccode.to_owned(),
                expected: arg_ids.len(),
                got: given,
            });
        }
        let call = Mutation {
            tag_name: Some("mutation".into()),
            children: Some(Vec::new()),
            proccode: Some(proccode.to_owned()),
            argumentids: mutation.argumentids.clone(),
            argumentnames: None,
            argumentdefaults: None,
            warp: Some(
                mutation
                    .warp
                    .clone()
                    .unwrap_or(Value::String("false".into())),
            ),
            extra: IndexMap::new(),
        };
        Ok((call, arg_ids))
    }

    fn field(&self, opcode: &str, value: &FieldValue) -> Result<Value, BuildError> {
        Ok(match value {
            FieldValue::Text(text) => json!([text, null]),
            FieldValue::Variable(name) => {
                let id = self.variable_id(name)?;
                json!([name, id])
            }
            FieldValue::List(name) => {
                let id = self.list_id(name)?;
                json!([name, id])
            }
            FieldValue::Broadcast(name) => {
                let id = broadcast_id(self.stage, name).ok_or_else(|| BuildError::Internal {
                    what: format!("{opcode}: broadcast {name:?} was not created"),
                })?;
                json!([name, id])
            }
        })
    }

    fn variable_id(&self, name: &str) -> Result<String, BuildError> {
        [self.target, self.stage]
            .iter()
            .find_map(|t| t.variable_by_name(name).map(|(id, _)| id.to_owned()))
            .ok_or_else(|| BuildError::UnknownVariable {
                target: self.err_target(),
                name: name.to_owned(),
            })
    }

    fn list_id(&self, name: &str) -> Result<String, BuildError> {
        [self.target, self.stage]
            .iter()
            .find_map(|t| {
                t.lists
                    .iter()
                    .find(|(_, l)| l.name == name)
                    .map(|(id, _)| id.clone())
            })
            .ok_or_else(|| BuildError::UnknownList {
                target: self.err_target(),
                name: name.to_owned(),
            })
    }

    fn wrong(&self, opcode: &str, input: &str, expected: &str, got: &str) -> BuildError {
        BuildError::WrongInput {
            target: self.err_target(),
            opcode: opcode.to_owned(),
            input: input.to_owned(),
            expected: expected.to_owned(),
            got: got.to_owned(),
        }
    }

    /// The JSON of one input; `None` for an empty substack (Scratch leaves it out).
    fn input(
        &mut self,
        opcode: &str,
        id: &str,
        name: &str,
        kind: &InputKind,
        arg: &Arg,
    ) -> Result<Option<Value>, BuildError> {
        match (kind, arg) {
            (InputKind::Substack, Arg::Stack(ops)) => {
                Ok(self.stack(ops, Some(id))?.map(|first| json!([2, first])))
            }
            (InputKind::Substack, _) => {
                Err(self.wrong(opcode, name, "a stack of blocks", "a value"))
            }
            (_, Arg::Stack(_)) => Err(self.wrong(opcode, name, "a value", "a stack of blocks")),
            (InputKind::Boolean, Arg::Op(inner)) => {
                self.reporter_check(opcode, name, inner, true)?;
                let child = self.block(inner, Some(id))?;
                Ok(Some(json!([2, child])))
            }
            (InputKind::Boolean, Arg::Lit(_)) => {
                Err(self.wrong(opcode, name, "a boolean block", "a literal"))
            }
            (
                InputKind::Menu {
                    opcode: menu,
                    field,
                },
                arg,
            ) => {
                let default = match arg {
                    Arg::Lit(v) => text_of(v),
                    _ => String::new(),
                };
                let shadow = self.ids.next_id();
                let mut block = new_block(menu, Some(id));
                block.shadow = true;
                if !field.is_empty() {
                    block
                        .fields
                        .insert((*field).to_owned(), json!([default, null]));
                }
                self.out
                    .insert(shadow.clone(), BlockEntry::Block(Box::new(block)));
                match arg {
                    Arg::Op(inner) => {
                        self.reporter_check(opcode, name, inner, false)?;
                        let child = self.reporter(inner, id)?;
                        Ok(Some(json!([3, child, shadow])))
                    }
                    _ => Ok(Some(json!([1, shadow]))),
                }
            }
            (kind, arg) => {
                let code = kind.primitive_code().unwrap_or(10);
                let primitive = |value: String| -> Result<Value, BuildError> {
                    if code == 11 {
                        let bid = broadcast_id(self.stage, &value).ok_or_else(|| {
                            BuildError::Internal {
                                what: format!("{opcode}: broadcast {value:?} was not created"),
                            }
                        })?;
                        Ok(json!([11, value, bid]))
                    } else {
                        Ok(json!([code, value]))
                    }
                };
                match arg {
                    Arg::Lit(value) => Ok(Some(json!([1, primitive(text_of(value))?]))),
                    Arg::Op(inner) => {
                        self.reporter_check(opcode, name, inner, false)?;
                        let empty = if code == 11 {
                            let first = self.stage.broadcasts.values().next().cloned();
                            primitive(first.unwrap_or_default())?
                        } else {
                            json!([code, ""])
                        };
                        let child = self.reporter(inner, id)?;
                        Ok(Some(json!([3, child, empty])))
                    }
                    Arg::Stack(_) => Err(self.wrong(opcode, name, "a value", "a stack of blocks")),
                }
            }
        }
    }

    fn reporter_check(
        &self,
        opcode: &str,
        input: &str,
        inner: &Op,
        boolean: bool,
    ) -> Result<(), BuildError> {
        let Some(shape) = spec::lookup(&inner.opcode).map(|s| s.shape) else {
            return Ok(());
        };
        if !shape.is_reporter() {
            return Err(self.wrong(opcode, input, "a reporter", &inner.opcode));
        }
        if boolean && shape != Shape::Boolean {
            return Err(self.wrong(opcode, input, "a boolean block", &inner.opcode));
        }
        Ok(())
    }

    /// A reporter in an input: variables and lists as compact primitives (as the editor
    /// saves them), other blocks as blocks.
    fn reporter(&mut self, inner: &Op, parent: &str) -> Result<Value, BuildError> {
        if inner.comment.is_none() {
            match (inner.opcode.as_str(), inner.fields.first()) {
                ("data_variable", Some((_, FieldValue::Variable(name)))) => {
                    return Ok(json!([12, name, self.variable_id(name)?]));
                }
                ("data_listcontents", Some((_, FieldValue::List(name)))) => {
                    return Ok(json!([13, name, self.list_id(name)?]));
                }
                _ => {}
            }
        }
        Ok(Value::String(self.block(inner, Some(parent))?))
    }
}

/// The prototype block of custom block `proccode` in `target`.
pub(crate) fn find_prototype<'t>(target: &'t Target, proccode: &str) -> Option<&'t Block> {
    target
        .blocks
        .values()
        .filter_map(BlockEntry::as_block)
        .find(|b| {
            b.opcode == "procedures_prototype"
                && b.mutation.as_ref().and_then(|m| m.proccode.as_deref()) == Some(proccode)
        })
}

pub(crate) fn broadcast_id(stage: &Target, name: &str) -> Option<String> {
    stage
        .broadcasts
        .iter()
        .find(|(_, n)| n.as_str() == name)
        .map(|(id, _)| id.clone())
}

/// Every broadcast name the ops use (fields and literal broadcast inputs).
pub(crate) fn broadcast_names(ops: &[Op], out: &mut Vec<String>) {
    for op in ops {
        for (_, field) in &op.fields {
            if let FieldValue::Broadcast(name) = field {
                out.push(name.clone());
            }
        }
        let broadcast_input = spec::lookup(&op.opcode)
            .map(|s| {
                s.inputs
                    .iter()
                    .filter(|(_, k)| *k == InputKind::Broadcast)
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for (name, arg) in &op.inputs {
            match arg {
                Arg::Lit(value) if broadcast_input.contains(&name.as_str()) => {
                    out.push(text_of(value));
                }
                Arg::Op(inner) => broadcast_names(std::slice::from_ref(inner), out),
                Arg::Stack(ops) => broadcast_names(ops, out),
                Arg::Lit(_) => {}
            }
        }
    }
}

fn new_block(opcode: &str, parent: Option<&str>) -> Block {
    Block {
        opcode: opcode.to_owned(),
        next: None,
        parent: parent.map(str::to_owned),
        inputs: IndexMap::new(),
        fields: IndexMap::new(),
        shadow: false,
        top_level: false,
        x: None,
        y: None,
        comment: None,
        mutation: None,
        extra: IndexMap::new(),
    }
}

/// The text Scratch keeps in a slot for a literal.
pub(crate) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
