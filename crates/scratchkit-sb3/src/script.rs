//! Scripts written as trees of typed blocks ([`Op`]), before they are laid out as the flat,
//! id-linked `blocks` map of project.json (see [`ProjectBuilder`](crate::ProjectBuilder)).
//!
//! Constructors are grouped by category, named after the block's words: [`Op::move_steps`],
//! [`Op::repeat`], [`Op::set_var`], [`Op::add`]… Any opcode can also be built by hand with
//! [`Op::new`], [`Op::arg`](Op::with_input) and [`Op::field`].

use serde_json::Value;

/// A value put in a block's input.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A literal typed into the slot: a number or a text (for menus, the menu choice).
    Lit(Value),
    /// A reporter or boolean block dropped into the slot.
    Op(Box<Op>),
    /// A stack of blocks (the inside of a C block).
    Stack(Vec<Op>),
}

impl From<Op> for Arg {
    fn from(op: Op) -> Self {
        Arg::Op(Box::new(op))
    }
}

impl From<Vec<Op>> for Arg {
    fn from(ops: Vec<Op>) -> Self {
        Arg::Stack(ops)
    }
}

macro_rules! lit_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg::Lit(Value::from(v))
            }
        }
    )*};
}
lit_from!(i32, i64, u32, u64, f64, &str, String);

/// What a field holds: plain text, or a reference resolved by name when the script is added.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A menu choice or other text (`["value", null]`).
    Text(String),
    /// A variable, by name: the target's own, else the stage's.
    Variable(String),
    /// A list, by name.
    List(String),
    /// A broadcast message, by name (created on the stage when missing).
    Broadcast(String),
}

/// A block in a script tree: an opcode, its inputs, fields and extras.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    /// The opcode, e.g. `motion_movesteps`.
    pub opcode: String,
    /// Inputs by name, in order.
    pub inputs: Vec<(String, Arg)>,
    /// Fields by name, in order.
    pub fields: Vec<(String, FieldValue)>,
    /// For `procedures_call`: the custom block's text (`jump %s`), resolved to the
    /// prototype of the same target; its arguments are the `inputs` in order.
    pub call: Option<String>,
    /// For `control_stop`: its `hasnext` mutation (whether blocks may follow it).
    pub stop_has_next: Option<bool>,
    /// A comment attached to this block.
    pub comment: Option<String>,
}

impl Op {
    /// A block with no inputs or fields.
    ///
    /// ```
    /// use scratchkit_sb3::Op;
    /// let op = Op::new("looks_show");
    /// assert_eq!(op.opcode, "looks_show");
    /// ```
    pub fn new(opcode: impl Into<String>) -> Op {
        Op {
            opcode: opcode.into(),
            inputs: Vec::new(),
            fields: Vec::new(),
            call: None,
            stop_has_next: None,
            comment: None,
        }
    }

    /// Sets input `name`.
    pub fn with_input(mut self, name: impl Into<String>, value: impl Into<Arg>) -> Op {
        self.inputs.push((name.into(), value.into()));
        self
    }

    /// Sets field `name` to plain text.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Op {
        self.fields
            .push((name.into(), FieldValue::Text(value.into())));
        self
    }

    fn field_ref(mut self, name: &str, value: FieldValue) -> Op {
        self.fields.push((name.to_owned(), value));
        self
    }

    /// Attaches a comment to this block.
    ///
    /// ```
    /// use scratchkit_sb3::Op;
    /// let op = Op::when_flag_clicked().comment("starts here");
    /// assert_eq!(op.comment.as_deref(), Some("starts here"));
    /// ```
    pub fn comment(mut self, text: impl Into<String>) -> Op {
        self.comment = Some(text.into());
        self
    }

    fn with(opcode: &str, inputs: Vec<(&str, Arg)>) -> Op {
        let mut op = Op::new(opcode);
        op.inputs = inputs
            .into_iter()
            .map(|(name, arg)| (name.to_owned(), arg))
            .collect();
        op
    }
}

/// A script: a stack of blocks placed on a target's workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The blocks from top to bottom (the first is usually a hat).
    pub blocks: Vec<Op>,
    /// Workspace position; `None` to let the builder lay it out below the others.
    pub position: Option<(f64, f64)>,
}

impl Script {
    /// A script of these blocks, laid out automatically.
    ///
    /// ```
    /// use scratchkit_sb3::{Op, Script};
    /// let script = Script::new([Op::when_flag_clicked(), Op::say("Hello!")]);
    /// assert_eq!(script.blocks.len(), 2);
    /// ```
    pub fn new(blocks: impl IntoIterator<Item = Op>) -> Script {
        Script {
            blocks: blocks.into_iter().collect(),
            position: None,
        }
    }

    /// Places the script at (x, y) on the workspace.
    pub fn at(mut self, x: f64, y: f64) -> Script {
        self.position = Some((x, y));
        self
    }
}

/// The kind of a custom block argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `%s` (or `%n`): a number or text slot.
    Value,
    /// `%b`: a boolean slot.
    Boolean,
}

/// The argument kinds of a custom block's text (`%s`/`%n` → value, `%b` → boolean), in order.
///
/// ```
/// use scratchkit_sb3::script::{ArgKind, proccode_args};
/// assert_eq!(proccode_args("jump %s if %b"), [ArgKind::Value, ArgKind::Boolean]);
/// assert_eq!(proccode_args("100%% sure"), []);
/// ```
pub fn proccode_args(proccode: &str) -> Vec<ArgKind> {
    let mut out = Vec::new();
    let mut chars = proccode.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.peek() {
            Some('s' | 'n') => out.push(ArgKind::Value),
            Some('b') => out.push(ArgKind::Boolean),
            _ => {}
        }
        chars.next();
    }
    out
}

/// A custom block ("My Blocks") definition: its text, argument names, and whether it runs
/// without screen refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    /// The block's text with `%s` (number or text) and `%b` (boolean) for the arguments.
    pub proccode: String,
    /// One name per argument, in order.
    pub arg_names: Vec<String>,
    /// Run without screen refresh.
    pub warp: bool,
    /// The blocks under the definition hat.
    pub body: Vec<Op>,
}

impl Procedure {
    /// A custom block `proccode` whose arguments are called `arg_names`.
    ///
    /// ```
    /// use scratchkit_sb3::{Op, Procedure};
    /// let add = Procedure::new("add %s to total", ["n"])
    ///     .warp(true)
    ///     .body([Op::change_var("total", Op::argument("n"))]);
    /// assert_eq!(add.arg_names, ["n"]);
    /// ```
    pub fn new<S: Into<String>>(
        proccode: impl Into<String>,
        arg_names: impl IntoIterator<Item = S>,
    ) -> Procedure {
        Procedure {
            proccode: proccode.into(),
            arg_names: arg_names.into_iter().map(Into::into).collect(),
            warp: false,
            body: Vec::new(),
        }
    }

    /// A custom block without arguments.
    ///
    /// ```
    /// use scratchkit_sb3::{Op, Procedure};
    /// let reset = Procedure::named("reset").body([Op::go_to_xy(0, 0)]);
    /// assert!(reset.arg_names.is_empty());
    /// ```
    pub fn named(proccode: impl Into<String>) -> Procedure {
        Procedure::new(proccode, Vec::<String>::new())
    }

    /// Runs without screen refresh (or not).
    pub fn warp(mut self, warp: bool) -> Procedure {
        self.warp = warp;
        self
    }

    /// The blocks it runs.
    pub fn body(mut self, body: impl IntoIterator<Item = Op>) -> Procedure {
        self.body = body.into_iter().collect();
        self
    }
}

macro_rules! simple {
    ($($(#[$doc:meta])* $name:ident => $opcode:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name() -> Op {
            Op::new($opcode)
        }
    )*};
}

macro_rules! one {
    ($($(#[$doc:meta])* $name:ident => $opcode:literal, $input:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name(value: impl Into<Arg>) -> Op {
            Op::with($opcode, vec![($input, value.into())])
        }
    )*};
}

macro_rules! two {
    ($($(#[$doc:meta])* $name:ident => $opcode:literal, $a:literal, $b:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name(a: impl Into<Arg>, b: impl Into<Arg>) -> Op {
            Op::with($opcode, vec![($a, a.into()), ($b, b.into())])
        }
    )*};
}

/// Events.
impl Op {
    simple! {
        /// `when green flag clicked`.
        when_flag_clicked => "event_whenflagclicked";
        /// `when this sprite clicked`.
        when_this_sprite_clicked => "event_whenthisspriteclicked";
        /// `when stage clicked`.
        when_stage_clicked => "event_whenstageclicked";
    }

    /// `when [key] key pressed` (`space`, `a`, `up arrow`, `any`…).
    pub fn when_key_pressed(key: impl Into<String>) -> Op {
        Op::new("event_whenkeypressed").field("KEY_OPTION", key)
    }

    /// `when backdrop switches to [name]`.
    pub fn when_backdrop_switches_to(backdrop: impl Into<String>) -> Op {
        Op::new("event_whenbackdropswitchesto").field("BACKDROP", backdrop)
    }

    /// `when [LOUDNESS|TIMER] > (value)`.
    pub fn when_greater_than(what: impl Into<String>, value: impl Into<Arg>) -> Op {
        Op::with("event_whengreaterthan", vec![("VALUE", value.into())])
            .field("WHENGREATERTHANMENU", what)
    }

    /// `when I receive [message]` (the broadcast is created on the stage when missing).
    pub fn when_broadcast_received(message: impl Into<String>) -> Op {
        Op::new("event_whenbroadcastreceived")
            .field_ref("BROADCAST_OPTION", FieldValue::Broadcast(message.into()))
    }

    one! {
        /// `broadcast [message]`: a message name (created on the stage when missing) or a
        /// reporter.
        broadcast => "event_broadcast", "BROADCAST_INPUT";
        /// `broadcast [message] and wait`.
        broadcast_and_wait => "event_broadcastandwait", "BROADCAST_INPUT";
    }
}

/// Motion.
impl Op {
    one! {
        /// `move (steps) steps`.
        move_steps => "motion_movesteps", "STEPS";
        /// `turn ↻ (degrees) degrees`.
        turn_right => "motion_turnright", "DEGREES";
        /// `turn ↺ (degrees) degrees`.
        turn_left => "motion_turnleft", "DEGREES";
        /// `go to [target]`: `_random_`, `_mouse_` or a sprite name.
        go_to => "motion_goto", "TO";
        /// `point in direction (degrees)`.
        point_in_direction => "motion_pointindirection", "DIRECTION";
        /// `point towards [target]`: `_mouse_` or a sprite name.
        point_towards => "motion_pointtowards", "TOWARDS";
        /// `change x by (dx)`.
        change_x_by => "motion_changexby", "DX";
        /// `set x to (x)`.
        set_x => "motion_setx", "X";
        /// `change y by (dy)`.
        change_y_by => "motion_changeyby", "DY";
        /// `set y to (y)`.
        set_y => "motion_sety", "Y";
    }
    two! {
        /// `go to x: (x) y: (y)`.
        go_to_xy => "motion_gotoxy", "X", "Y";
        /// `glide (secs) secs to [target]`.
        glide_to => "motion_glideto", "SECS", "TO";
    }
    simple! {
        /// `if on edge, bounce`.
        if_on_edge_bounce => "motion_ifonedgebounce";
        /// `(x position)`.
        x_position => "motion_xposition";
        /// `(y position)`.
        y_position => "motion_yposition";
        /// `(direction)`.
        direction => "motion_direction";
    }

    /// `glide (secs) secs to x: (x) y: (y)`.
    pub fn glide_to_xy(secs: impl Into<Arg>, x: impl Into<Arg>, y: impl Into<Arg>) -> Op {
        Op::with(
            "motion_glidesecstoxy",
            vec![("SECS", secs.into()), ("X", x.into()), ("Y", y.into())],
        )
    }

    /// `set rotation style [left-right | don't rotate | all around]`.
    pub fn set_rotation_style(style: impl Into<String>) -> Op {
        Op::new("motion_setrotationstyle").field("STYLE", style)
    }
}

/// Looks.
impl Op {
    one! {
        /// `say (message)`.
        say => "looks_say", "MESSAGE";
        /// `think (message)`.
        think => "looks_think", "MESSAGE";
        /// `switch costume to [costume]` (a costume name, or a reporter).
        switch_costume_to => "looks_switchcostumeto", "COSTUME";
        /// `switch backdrop to [backdrop]`.
        switch_backdrop_to => "looks_switchbackdropto", "BACKDROP";
        /// `change size by (change)`.
        change_size_by => "looks_changesizeby", "CHANGE";
        /// `set size to (size) %`.
        set_size_to => "looks_setsizeto", "SIZE";
    }
    two! {
        /// `say (message) for (secs) seconds`.
        say_for_secs => "looks_sayforsecs", "MESSAGE", "SECS";
        /// `think (message) for (secs) seconds`.
        think_for_secs => "looks_thinkforsecs", "MESSAGE", "SECS";
    }
    simple! {
        /// `next costume`.
        next_costume => "looks_nextcostume";
        /// `next backdrop`.
        next_backdrop => "looks_nextbackdrop";
        /// `clear graphic effects`.
        clear_graphic_effects => "looks_cleargraphiceffects";
        /// `show`.
        show => "looks_show";
        /// `hide`.
        hide => "looks_hide";
        /// `(size)`.
        size => "looks_size";
    }

    /// `change [effect] effect by (change)` (`COLOR`, `GHOST`, `BRIGHTNESS`…).
    pub fn change_effect_by(effect: impl Into<String>, change: impl Into<Arg>) -> Op {
        Op::with("looks_changeeffectby", vec![("CHANGE", change.into())]).field("EFFECT", effect)
    }

    /// `set [effect] effect to (value)`.
    pub fn set_effect_to(effect: impl Into<String>, value: impl Into<Arg>) -> Op {
        Op::with("looks_seteffectto", vec![("VALUE", value.into())]).field("EFFECT", effect)
    }

    /// `go to [front|back] layer`.
    pub fn go_to_layer(front_back: impl Into<String>) -> Op {
        Op::new("looks_gotofrontback").field("FRONT_BACK", front_back)
    }

    /// `(costume [number|name])`.
    pub fn costume_number_name(number_name: impl Into<String>) -> Op {
        Op::new("looks_costumenumbername").field("NUMBER_NAME", number_name)
    }

    /// `(backdrop [number|name])`.
    pub fn backdrop_number_name(number_name: impl Into<String>) -> Op {
        Op::new("looks_backdropnumbername").field("NUMBER_NAME", number_name)
    }
}

/// Sound.
impl Op {
    one! {
        /// `start sound [sound]` (a sound name of the target, or a reporter).
        play_sound => "sound_play", "SOUND_MENU";
        /// `play sound [sound] until done`.
        play_sound_until_done => "sound_playuntildone", "SOUND_MENU";
        /// `change volume by (volume)`.
        change_volume_by => "sound_changevolumeby", "VOLUME";
        /// `set volume to (volume) %`.
        set_volume_to => "sound_setvolumeto", "VOLUME";
    }
    simple! {
        /// `stop all sounds`.
        stop_all_sounds => "sound_stopallsounds";
        /// `clear sound effects`.
        clear_sound_effects => "sound_cleareffects";
        /// `(volume)`.
        volume => "sound_volume";
    }

    /// `set [PITCH|PAN] effect to (value)`.
    pub fn set_sound_effect_to(effect: impl Into<String>, value: impl Into<Arg>) -> Op {
        Op::with("sound_seteffectto", vec![("VALUE", value.into())]).field("EFFECT", effect)
    }
}

/// Control.
impl Op {
    one! {
        /// `wait (secs) seconds`.
        wait => "control_wait", "DURATION";
        /// `wait until <condition>`.
        wait_until => "control_wait_until", "CONDITION";
        /// `create clone of [target]`: `_myself_` or a sprite name.
        create_clone_of => "control_create_clone_of", "CLONE_OPTION";
    }
    simple! {
        /// `when I start as a clone`.
        when_i_start_as_clone => "control_start_as_clone";
        /// `delete this clone`.
        delete_this_clone => "control_delete_this_clone";
    }

    /// `repeat (times) { body }`.
    ///
    /// ```
    /// use scratchkit_sb3::Op;
    /// let op = Op::repeat(10, [Op::move_steps(5)]);
    /// assert_eq!(op.inputs.len(), 2);
    /// ```
    pub fn repeat(times: impl Into<Arg>, body: impl IntoIterator<Item = Op>) -> Op {
        Op::with(
            "control_repeat",
            vec![("TIMES", times.into()), ("SUBSTACK", stack(body))],
        )
    }

    /// `forever { body }`.
    pub fn forever(body: impl IntoIterator<Item = Op>) -> Op {
        Op::with("control_forever", vec![("SUBSTACK", stack(body))])
    }

    /// `if <condition> then { body }`.
    pub fn if_then(condition: Op, body: impl IntoIterator<Item = Op>) -> Op {
        Op::with(
            "control_if",
            vec![("CONDITION", condition.into()), ("SUBSTACK", stack(body))],
        )
    }

    /// `if <condition> then { then } else { otherwise }`.
    pub fn if_else(
        condition: Op,
        then: impl IntoIterator<Item = Op>,
        otherwise: impl IntoIterator<Item = Op>,
    ) -> Op {
        Op::with(
            "control_if_else",
            vec![
                ("CONDITION", condition.into()),
                ("SUBSTACK", stack(then)),
                ("SUBSTACK2", stack(otherwise)),
            ],
        )
    }

    /// `repeat until <condition> { body }`.
    pub fn repeat_until(condition: Op, body: impl IntoIterator<Item = Op>) -> Op {
        Op::with(
            "control_repeat_until",
            vec![("CONDITION", condition.into()), ("SUBSTACK", stack(body))],
        )
    }

    /// `stop [all | this script | other scripts in sprite]`.
    pub fn stop(option: impl Into<String>) -> Op {
        let option = option.into();
        let mut op = Op::new("control_stop");
        op.stop_has_next = Some(option.starts_with("other scripts"));
        op.field("STOP_OPTION", option)
    }
}

/// Sensing.
impl Op {
    one! {
        /// `<touching [target]?>`: `_mouse_`, `_edge_` or a sprite name.
        touching => "sensing_touchingobject", "TOUCHINGOBJECTMENU";
        /// `<touching color (#rrggbb)?>`.
        touching_color => "sensing_touchingcolor", "COLOR";
        /// `(distance to [target])`.
        distance_to => "sensing_distanceto", "DISTANCETOMENU";
        /// `ask (question) and wait`.
        ask_and_wait => "sensing_askandwait", "QUESTION";
        /// `<key [key] pressed?>`.
        key_pressed => "sensing_keypressed", "KEY_OPTION";
    }
    simple! {
        /// `(answer)`.
        answer => "sensing_answer";
        /// `<mouse down?>`.
        mouse_down => "sensing_mousedown";
        /// `(mouse x)`.
        mouse_x => "sensing_mousex";
        /// `(mouse y)`.
        mouse_y => "sensing_mousey";
        /// `(loudness)`.
        loudness => "sensing_loudness";
        /// `(timer)`.
        timer => "sensing_timer";
        /// `reset timer`.
        reset_timer => "sensing_resettimer";
        /// `(days since 2000)`.
        days_since_2000 => "sensing_dayssince2000";
        /// `(username)`.
        username => "sensing_username";
    }

    /// `([property] of [object])`: e.g. `("x position", "Cat")`, `("backdrop #", "_stage_")`,
    /// or a variable name of that sprite.
    pub fn sensing_of(property: impl Into<String>, object: impl Into<Arg>) -> Op {
        Op::with("sensing_of", vec![("OBJECT", object.into())]).field("PROPERTY", property)
    }

    /// `(current [YEAR|MONTH|DATE|DAYOFWEEK|HOUR|MINUTE|SECOND])`.
    pub fn current(what: impl Into<String>) -> Op {
        Op::new("sensing_current").field("CURRENTMENU", what)
    }
}

/// Operators.
impl Op {
    two! {
        /// `(a + b)`.
        add => "operator_add", "NUM1", "NUM2";
        /// `(a - b)`.
        subtract => "operator_subtract", "NUM1", "NUM2";
        /// `(a * b)`.
        multiply => "operator_multiply", "NUM1", "NUM2";
        /// `(a / b)`.
        divide => "operator_divide", "NUM1", "NUM2";
        /// `(a mod b)`.
        modulo => "operator_mod", "NUM1", "NUM2";
        /// `(pick random (from) to (to))`.
        random => "operator_random", "FROM", "TO";
        /// `<a > b>`.
        gt => "operator_gt", "OPERAND1", "OPERAND2";
        /// `<a < b>`.
        lt => "operator_lt", "OPERAND1", "OPERAND2";
        /// `<a = b>`.
        equals => "operator_equals", "OPERAND1", "OPERAND2";
        /// `(join a b)`.
        join => "operator_join", "STRING1", "STRING2";
        /// `(letter (n) of (text))`.
        letter_of => "operator_letter_of", "LETTER", "STRING";
        /// `<(a) contains (b)?>`.
        contains => "operator_contains", "STRING1", "STRING2";
    }
    one! {
        /// `(length of (text))`.
        length => "operator_length", "STRING";
        /// `(round (n))`.
        round => "operator_round", "NUM";
    }

    /// `<a and b>`.
    pub fn and(a: Op, b: Op) -> Op {
        Op::with(
            "operator_and",
            vec![("OPERAND1", a.into()), ("OPERAND2", b.into())],
        )
    }

    /// `<a or b>`.
    pub fn or(a: Op, b: Op) -> Op {
        Op::with(
            "operator_or",
            vec![("OPERAND1", a.into()), ("OPERAND2", b.into())],
        )
    }

    /// `<not a>` (also written `!a`).
    ///
    /// ```
    /// use scratchkit_sb3::Op;
    /// assert_eq!(!Op::mouse_down(), Op::negate(Op::mouse_down()));
    /// ```
    pub fn negate(a: Op) -> Op {
        Op::with("operator_not", vec![("OPERAND", a.into())])
    }

    /// `([abs|floor|ceiling|sqrt|sin|cos|tan|asin|acos|atan|ln|log|e ^|10 ^] of (n))`.
    pub fn math(function: impl Into<String>, n: impl Into<Arg>) -> Op {
        Op::with("operator_mathop", vec![("NUM", n.into())]).field("OPERATOR", function)
    }
}

/// Variables and lists (by name: the target's own, else the stage's).
impl Op {
    /// `(variable)`: a variable reporter.
    pub fn var(name: impl Into<String>) -> Op {
        Op::new("data_variable").field_ref("VARIABLE", FieldValue::Variable(name.into()))
    }

    /// `set [variable] to (value)`.
    pub fn set_var(name: impl Into<String>, value: impl Into<Arg>) -> Op {
        Op::with("data_setvariableto", vec![("VALUE", value.into())])
            .field_ref("VARIABLE", FieldValue::Variable(name.into()))
    }

    /// `change [variable] by (value)`.
    pub fn change_var(name: impl Into<String>, by: impl Into<Arg>) -> Op {
        Op::with("data_changevariableby", vec![("VALUE", by.into())])
            .field_ref("VARIABLE", FieldValue::Variable(name.into()))
    }

    /// `show variable [variable]`.
    pub fn show_var(name: impl Into<String>) -> Op {
        Op::new("data_showvariable").field_ref("VARIABLE", FieldValue::Variable(name.into()))
    }

    /// `hide variable [variable]`.
    pub fn hide_var(name: impl Into<String>) -> Op {
        Op::new("data_hidevariable").field_ref("VARIABLE", FieldValue::Variable(name.into()))
    }

    /// `(list)`: the list's items joined.
    pub fn list(name: impl Into<String>) -> Op {
        Op::new("data_listcontents").field_ref("LIST", FieldValue::List(name.into()))
    }

    fn list_op(opcode: &str, list: String, inputs: Vec<(&str, Arg)>) -> Op {
        Op::with(opcode, inputs).field_ref("LIST", FieldValue::List(list))
    }

    /// `add (item) to [list]`.
    pub fn add_to_list(list: impl Into<String>, item: impl Into<Arg>) -> Op {
        Op::list_op("data_addtolist", list.into(), vec![("ITEM", item.into())])
    }

    /// `delete (index) of [list]`.
    pub fn delete_of_list(list: impl Into<String>, index: impl Into<Arg>) -> Op {
        Op::list_op(
            "data_deleteoflist",
            list.into(),
            vec![("INDEX", index.into())],
        )
    }

    /// `delete all of [list]`.
    pub fn delete_all_of_list(list: impl Into<String>) -> Op {
        Op::list_op("data_deletealloflist", list.into(), vec![])
    }

    /// `insert (item) at (index) of [list]`.
    pub fn insert_at_list(
        list: impl Into<String>,
        item: impl Into<Arg>,
        index: impl Into<Arg>,
    ) -> Op {
        Op::list_op(
            "data_insertatlist",
            list.into(),
            vec![("ITEM", item.into()), ("INDEX", index.into())],
        )
    }

    /// `replace item (index) of [list] with (item)`.
    pub fn replace_item_of_list(
        list: impl Into<String>,
        index: impl Into<Arg>,
        item: impl Into<Arg>,
    ) -> Op {
        Op::list_op(
            "data_replaceitemoflist",
            list.into(),
            vec![("INDEX", index.into()), ("ITEM", item.into())],
        )
    }

    /// `(item (index) of [list])`.
    pub fn item_of_list(list: impl Into<String>, index: impl Into<Arg>) -> Op {
        Op::list_op(
            "data_itemoflist",
            list.into(),
            vec![("INDEX", index.into())],
        )
    }

    /// `(item # of (item) in [list])`.
    pub fn item_num_of_list(list: impl Into<String>, item: impl Into<Arg>) -> Op {
        Op::list_op(
            "data_itemnumoflist",
            list.into(),
            vec![("ITEM", item.into())],
        )
    }

    /// `(length of [list])`.
    pub fn length_of_list(list: impl Into<String>) -> Op {
        Op::list_op("data_lengthoflist", list.into(), vec![])
    }

    /// `<[list] contains (item)?>`.
    pub fn list_contains(list: impl Into<String>, item: impl Into<Arg>) -> Op {
        Op::list_op(
            "data_listcontainsitem",
            list.into(),
            vec![("ITEM", item.into())],
        )
    }
}

/// Custom blocks.
impl Op {
    /// A call of the target's custom block `proccode` (see [`Procedure`]) with these
    /// arguments in order.
    ///
    /// ```
    /// use scratchkit_sb3::Op;
    /// let call = Op::call("add %s to total", [Op::var("i").into()]);
    /// assert_eq!(call.call.as_deref(), Some("add %s to total"));
    /// ```
    pub fn call(proccode: impl Into<String>, args: impl IntoIterator<Item = Arg>) -> Op {
        let mut op = Op::new("procedures_call");
        op.call = Some(proccode.into());
        op.inputs = args
            .into_iter()
            .enumerate()
            .map(|(i, arg)| (i.to_string(), arg))
            .collect();
        op
    }

    /// The value of argument `name` inside a custom block's body.
    pub fn argument(name: impl Into<String>) -> Op {
        Op::new("argument_reporter_string_number").field("VALUE", name)
    }

    /// The value of boolean argument `name` inside a custom block's body.
    pub fn argument_bool(name: impl Into<String>) -> Op {
        Op::new("argument_reporter_boolean").field("VALUE", name)
    }
}

/// Pen, music and text to speech extensions (the builder lists the extension in the
/// project when a script uses one).
impl Op {
    simple! {
        /// `erase all`.
        pen_clear => "pen_clear";
        /// `stamp`.
        pen_stamp => "pen_stamp";
        /// `pen down`.
        pen_down => "pen_penDown";
        /// `pen up`.
        pen_up => "pen_penUp";
        /// `(tempo)`.
        music_tempo => "music_getTempo";
    }
    one! {
        /// `set pen color to (#rrggbb)`.
        set_pen_color => "pen_setPenColorToColor", "COLOR";
        /// `set pen size to (size)`.
        set_pen_size => "pen_setPenSizeTo", "SIZE";
        /// `change pen size by (size)`.
        change_pen_size => "pen_changePenSizeBy", "SIZE";
        /// `rest for (beats) beats`.
        rest_for_beats => "music_restForBeats", "BEATS";
        /// `set tempo to (bpm)`.
        set_tempo => "music_setTempo", "TEMPO";
        /// `speak (words)`.
        speak => "text2speech_speakAndWait", "WORDS";
        /// `set voice to [ALTO|TENOR|SQUEAK|GIANT|KITTEN]`.
        set_voice => "text2speech_setVoice", "VOICE";
    }
    two! {
        /// `play drum [(1)…(18)] for (beats) beats`.
        play_drum => "music_playDrumForBeats", "DRUM", "BEATS";
        /// `play note (60) for (beats) beats`.
        play_note => "music_playNoteForBeats", "NOTE", "BEATS";
        /// `change pen [color|saturation|brightness|transparency] by (value)`.
        change_pen_param => "pen_changePenColorParamBy", "COLOR_PARAM", "VALUE";
    }
}

impl std::ops::Not for Op {
    type Output = Op;

    /// `<not self>`.
    fn not(self) -> Op {
        Op::negate(self)
    }
}

fn stack(body: impl IntoIterator<Item = Op>) -> Arg {
    Arg::Stack(body.into_iter().collect())
}
