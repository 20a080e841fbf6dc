//! What changed between two versions of a project, in words: [`diff`].

use std::fmt;

use serde_json::{Value, json};

use crate::{BlockEntry, Sb3, Target};

/// One difference found by [`diff`]. `Display` says it in words.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// A sprite (or the stage) appeared.
    TargetAdded {
        /// Its name.
        target: String,
    },
    /// A sprite disappeared.
    TargetRemoved {
        /// Its name.
        target: String,
    },
    /// A script appeared.
    ScriptAdded {
        /// The sprite.
        target: String,
        /// How it starts, in words.
        script: String,
        /// Its blocks (no shadows).
        blocks: usize,
    },
    /// A script disappeared.
    ScriptRemoved {
        /// The sprite.
        target: String,
        /// How it started, in words.
        script: String,
        /// Its blocks (no shadows).
        blocks: usize,
    },
    /// A script (same top block) has other blocks or values.
    ScriptChanged {
        /// The sprite.
        target: String,
        /// How it starts, in words.
        script: String,
        /// Blocks before.
        before: usize,
        /// Blocks after.
        after: usize,
    },
    /// A variable or list appeared.
    VariableAdded {
        /// The sprite (the stage's name for globals).
        target: String,
        /// Its name.
        name: String,
        /// `"variable"`, `"list"` or `"cloud variable"`.
        kind: &'static str,
    },
    /// A variable or list disappeared.
    VariableRemoved {
        /// The sprite.
        target: String,
        /// Its name.
        name: String,
        /// `"variable"`, `"list"` or `"cloud variable"`.
        kind: &'static str,
    },
    /// A variable or list (same id) has a new name.
    VariableRenamed {
        /// The sprite.
        target: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A variable's saved value, or a list's saved items, changed.
    ValueChanged {
        /// The sprite.
        target: String,
        /// The variable's or list's name.
        name: String,
        /// Before, as JSON (lists: the item count).
        from: String,
        /// After.
        to: String,
    },
    /// A costume or sound appeared.
    AssetAdded {
        /// The sprite.
        target: String,
        /// `"costume"` or `"sound"`.
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// A costume or sound disappeared.
    AssetRemoved {
        /// The sprite.
        target: String,
        /// `"costume"` or `"sound"`.
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// A costume or sound (same name) has a new file.
    AssetChanged {
        /// The sprite.
        target: String,
        /// `"costume"` or `"sound"`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// The old file (`<md5>.<ext>`).
        from: String,
        /// The new file.
        to: String,
    },
    /// A broadcast message appeared or disappeared.
    Broadcast {
        /// Its name.
        name: String,
        /// Added (else removed).
        added: bool,
    },
    /// A sprite property (position, size, direction, visibility…) changed.
    Property {
        /// The sprite.
        target: String,
        /// The property's name in project.json.
        property: &'static str,
        /// Before, as JSON.
        from: String,
        /// After.
        to: String,
    },
    /// An extension was added or removed.
    Extension {
        /// Its id.
        name: String,
        /// Added (else removed).
        added: bool,
    },
    /// The monitors changed.
    Monitors {
        /// How many before.
        before: usize,
        /// How many after.
        after: usize,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::TargetAdded { target } => write!(f, "added sprite {target:?}"),
            Change::TargetRemoved { target } => write!(f, "removed sprite {target:?}"),
            Change::ScriptAdded {
                target,
                script,
                blocks,
            } => {
                write!(f, "{target}: added script \"{script}\" ({blocks} blocks)")
            }
            Change::ScriptRemoved {
                target,
                script,
                blocks,
            } => {
                write!(f, "{target}: removed script \"{script}\" ({blocks} blocks)")
            }
            Change::ScriptChanged {
                target,
                script,
                before,
                after,
            } => {
                write!(
                    f,
                    "{target}: changed script \"{script}\" ({before} → {after} blocks)"
                )
            }
            Change::VariableAdded { target, name, kind } => {
                write!(f, "{target}: added {kind} {name:?}")
            }
            Change::VariableRemoved { target, name, kind } => {
                write!(f, "{target}: removed {kind} {name:?}")
            }
            Change::VariableRenamed { target, from, to } => {
                write!(f, "{target}: renamed {from:?} to {to:?}")
            }
            Change::ValueChanged {
                target,
                name,
                from,
                to,
            } => {
                write!(f, "{target}: {name:?} saved as {to} (was {from})")
            }
            Change::AssetAdded { target, kind, name } => {
                write!(f, "{target}: added {kind} {name:?}")
            }
            Change::AssetRemoved { target, kind, name } => {
                write!(f, "{target}: removed {kind} {name:?}")
            }
            Change::AssetChanged {
                target,
                kind,
                name,
                from,
                to,
            } => {
                write!(
                    f,
                    "{target}: {kind} {name:?} has a new file ({from} → {to})"
                )
            }
            Change::Broadcast { name, added: true } => write!(f, "added broadcast {name:?}"),
            Change::Broadcast { name, added: false } => write!(f, "removed broadcast {name:?}"),
            Change::Property {
                target,
                property,
                from,
                to,
            } => {
                write!(f, "{target}: {property} {from} → {to}")
            }
            Change::Extension { name, added: true } => write!(f, "added extension {name}"),
            Change::Extension { name, added: false } => write!(f, "removed extension {name}"),
            Change::Monitors { before, after } => {
                write!(f, "monitors changed ({before} → {after})")
            }
        }
    }
}

/// The differences from `a` to `b`: sprites, scripts, variables and lists, costumes and
/// sounds, broadcasts, sprite properties, extensions, monitors. Scripts are matched by
/// content first (so regenerated ids do not count as changes), then by top block id.
///
/// ```
/// use scratchkit_sb3::{Op, ProjectBuilder, Script, diff::diff};
///
/// let before = ProjectBuilder::new().finish();
/// let mut b = ProjectBuilder::edit(before.clone());
/// b.stage().variable("score", 0)?;
/// b.stage().script(Script::new([Op::when_flag_clicked(), Op::set_var("score", 1)]))?;
/// let changes: Vec<String> = diff(&before, b.sb3()).iter().map(|c| c.to_string()).collect();
/// assert_eq!(changes, [
///     "Stage: added variable \"score\"",
///     "Stage: added script \"when green flag clicked\" (2 blocks)",
/// ]);
/// # Ok::<(), scratchkit_sb3::BuildError>(())
/// ```
pub fn diff(a: &Sb3, b: &Sb3) -> Vec<Change> {
    let mut out = Vec::new();
    for ta in &a.project.targets {
        if !b.project.targets.iter().any(|t| t.name == ta.name) {
            out.push(Change::TargetRemoved {
                target: ta.name.clone(),
            });
        }
    }
    for tb in &b.project.targets {
        match a.project.targets.iter().find(|t| t.name == tb.name) {
            None => out.push(Change::TargetAdded {
                target: tb.name.clone(),
            }),
            Some(ta) => target_diff(ta, tb, &mut out),
        }
    }
    let (sa, sb) = (a.project.stage(), b.project.stage());
    let names = |t: Option<&Target>| -> Vec<String> {
        t.map(|t| t.broadcasts.values().cloned().collect())
            .unwrap_or_default()
    };
    let (ba, bb) = (names(sa), names(sb));
    for name in ba.iter().filter(|n| !bb.contains(n)) {
        out.push(Change::Broadcast {
            name: name.clone(),
            added: false,
        });
    }
    for name in bb.iter().filter(|n| !ba.contains(n)) {
        out.push(Change::Broadcast {
            name: name.clone(),
            added: true,
        });
    }
    let (ea, eb) = (&a.project.extensions, &b.project.extensions);
    for name in ea.iter().filter(|n| !eb.contains(n)) {
        out.push(Change::Extension {
            name: name.clone(),
            added: false,
        });
    }
    for name in eb.iter().filter(|n| !ea.contains(n)) {
        out.push(Change::Extension {
            name: name.clone(),
            added: true,
        });
    }
    if a.project.monitors != b.project.monitors {
        out.push(Change::Monitors {
            before: a.project.monitors.len(),
            after: b.project.monitors.len(),
        });
    }
    out
}

fn target_diff(a: &Target, b: &Target, out: &mut Vec<Change>) {
    let target = || b.name.clone();
    // Variables and lists, matched by id.
    let data = |t: &Target| -> Vec<(String, String, &'static str, Value)> {
        let vars = t.variables.iter().map(|(id, v)| {
            let kind = if v.is_cloud() {
                "cloud variable"
            } else {
                "variable"
            };
            (id.clone(), v.name.clone(), kind, v.value.clone())
        });
        let lists = t
            .lists
            .iter()
            .map(|(id, l)| (id.clone(), l.name.clone(), "list", json!(l.items.len())));
        vars.chain(lists).collect()
    };
    let (da, db) = (data(a), data(b));
    for (id, name, kind, _) in &da {
        if !db.iter().any(|(i, ..)| i == id) {
            out.push(Change::VariableRemoved {
                target: target(),
                name: name.clone(),
                kind,
            });
        }
    }
    for (id, name, kind, value) in &db {
        match da.iter().find(|(i, ..)| i == id) {
            None => out.push(Change::VariableAdded {
                target: target(),
                name: name.clone(),
                kind,
            }),
            Some((_, old_name, _, old_value)) => {
                if old_name != name {
                    out.push(Change::VariableRenamed {
                        target: target(),
                        from: old_name.clone(),
                        to: name.clone(),
                    });
                }
                if old_value != value {
                    let show = |v: &Value| {
                        if *kind == "list" {
                            format!("{v} items")
                        } else {
                            v.to_string()
                        }
                    };
                    out.push(Change::ValueChanged {
                        target: target(),
                        name: name.clone(),
                        from: show(old_value),
                        to: show(value),
                    });
                }
            }
        }
    }
    // Costumes and sounds, matched by name.
    let files = |t: &Target| -> Vec<(&'static str, String, String)> {
        let costumes = t
            .costumes
            .iter()
            .map(|c| ("costume", c.name.clone(), c.file_name()));
        let sounds = t
            .sounds
            .iter()
            .map(|s| ("sound", s.name.clone(), s.file_name()));
        costumes.chain(sounds).collect()
    };
    let (fa, fb) = (files(a), files(b));
    for (kind, name, _) in &fa {
        if !fb.iter().any(|(k, n, _)| k == kind && n == name) {
            out.push(Change::AssetRemoved {
                target: target(),
                kind,
                name: name.clone(),
            });
        }
    }
    for (kind, name, file) in &fb {
        match fa.iter().find(|(k, n, _)| k == kind && n == name) {
            None => out.push(Change::AssetAdded {
                target: target(),
                kind,
                name: name.clone(),
            }),
            Some((_, _, old)) if old != file => out.push(Change::AssetChanged {
                target: target(),
                kind,
                name: name.clone(),
                from: old.clone(),
                to: file.clone(),
            }),
            Some(_) => {}
        }
    }
    // Sprite properties.
    let props = |t: &Target| -> Vec<(&'static str, Value)> {
        vec![
            ("x", json!(t.x)),
            ("y", json!(t.y)),
            ("size", json!(t.size)),
            ("direction", json!(t.direction)),
            ("visible", json!(t.visible)),
            ("draggable", json!(t.draggable)),
            ("rotationStyle", json!(t.rotation_style)),
            ("currentCostume", json!(t.current_costume)),
            ("volume", json!(t.volume)),
            ("layerOrder", json!(t.layer_order)),
            ("tempo", json!(t.tempo)),
        ]
    };
    for ((property, va), (_, vb)) in props(a).into_iter().zip(props(b)) {
        if va != vb {
            out.push(Change::Property {
                target: target(),
                property,
                from: va.to_string(),
                to: vb.to_string(),
            });
        }
    }
    scripts_diff(a, b, out);
}

struct ScriptShape {
    top: String,
    words: String,
    blocks: usize,
    shape: Value,
}

fn shapes(t: &Target) -> Vec<ScriptShape> {
    t.scripts()
        .into_iter()
        .map(|s| ScriptShape {
            words: describe(t, &s.top),
            blocks: s
                .blocks
                .iter()
                .filter(|id| t.blocks.get(*id).is_some_and(|e| !e.is_shadow()))
                .count(),
            shape: canonical(t, &s.top, 0),
            top: s.top,
        })
        .collect()
}

fn scripts_diff(a: &Target, b: &Target, out: &mut Vec<Change>) {
    let mut sa = shapes(a);
    let mut sb = shapes(b);
    // Same content (whatever the ids): unchanged.
    sa.retain(|x| match sb.iter().position(|y| y.shape == x.shape) {
        Some(i) => {
            sb.remove(i);
            false
        }
        None => true,
    });
    for x in sa {
        match sb.iter().position(|y| y.top == x.top) {
            Some(i) => {
                let y = sb.remove(i);
                out.push(Change::ScriptChanged {
                    target: b.name.clone(),
                    script: y.words,
                    before: x.blocks,
                    after: y.blocks,
                });
            }
            None => out.push(Change::ScriptRemoved {
                target: b.name.clone(),
                script: x.words,
                blocks: x.blocks,
            }),
        }
    }
    for y in sb {
        out.push(Change::ScriptAdded {
            target: b.name.clone(),
            script: y.words,
            blocks: y.blocks,
        });
    }
}

/// The script under `id` as a tree without ids (block ids replaced by their content).
fn canonical(t: &Target, id: &str, depth: usize) -> Value {
    if depth > 10_000 {
        return Value::Null;
    }
    match t.blocks.get(id) {
        None => json!({ "missing": id }),
        Some(BlockEntry::Primitive(items)) => json!(items),
        Some(BlockEntry::Block(block)) => {
            let inputs: serde_json::Map<String, Value> = block
                .inputs
                .iter()
                .map(|(name, input)| {
                    let items: Vec<Value> = input
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|item| match item.as_str() {
                            Some(child) => canonical(t, child, depth + 1),
                            None => item.clone(),
                        })
                        .collect();
                    (name.clone(), Value::Array(items))
                })
                .collect();
            let mutation = block.mutation.as_ref().map(
                |m| json!({ "proccode": m.proccode, "names": m.argumentnames, "warp": m.warp }),
            );
            let next = block.next.as_deref().map(|n| canonical(t, n, depth + 1));
            json!({
                "opcode": block.opcode,
                "fields": block.fields.iter().map(|(k, v)| (k.clone(), v.get(0).cloned().unwrap_or(Value::Null))).collect::<serde_json::Map<_, _>>(),
                "inputs": inputs,
                "mutation": mutation,
                "next": next,
            })
        }
    }
}

/// How a script starts, in words: `when green flag clicked`, `when I receive [go]`,
/// `define jump %s`, or the opcode of a loose block.
pub fn describe(t: &Target, top: &str) -> String {
    let Some(block) = t.blocks.get(top).and_then(BlockEntry::as_block) else {
        return "loose reporter".into();
    };
    let field = |name: &str| {
        block
            .field_value(name)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    match block.opcode.as_str() {
        "event_whenflagclicked" => "when green flag clicked".into(),
        "event_whenkeypressed" => format!("when [{}] key pressed", field("KEY_OPTION")),
        "event_whenthisspriteclicked" => "when this sprite clicked".into(),
        "event_whenstageclicked" => "when stage clicked".into(),
        "event_whenbroadcastreceived" => format!("when I receive [{}]", field("BROADCAST_OPTION")),
        "event_whenbackdropswitchesto" => {
            format!("when backdrop switches to [{}]", field("BACKDROP"))
        }
        "control_start_as_clone" => "when I start as a clone".into(),
        "procedures_definition" => {
            let proto = block
                .input_block("custom_block")
                .and_then(|p| t.blocks.get(p))
                .and_then(BlockEntry::as_block)
                .and_then(|p| p.mutation.as_ref())
                .and_then(|m| m.proccode.clone())
                .unwrap_or_default();
            format!("define {proto}")
        }
        other => other.to_owned(),
    }
}
