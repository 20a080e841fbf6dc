//! What each block opcode looks like: its shape, its inputs (and what kind of value each
//! holds), and its fields. One table drives both the script builder (which shadow to put in
//! an input) and validation (which inputs a block may have, and of which kind).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The outline of a block: how it connects to the blocks around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Starts a script (`when green flag clicked`).
    Hat,
    /// Stacks above and below (`move (10) steps`).
    Stack,
    /// Holds one or more stacks of blocks (`repeat`, `if … else`).
    C,
    /// Ends a stack (`forever`, `stop all`, `delete this clone`).
    Cap,
    /// Reports a value (round).
    Reporter,
    /// Reports true or false (hexagonal).
    Boolean,
    /// A menu or value block living inside an input as its shadow.
    Shadow,
}

impl Shape {
    /// Whether the block goes in a stack (hat, stack, C or cap block).
    pub fn is_statement(self) -> bool {
        matches!(self, Shape::Hat | Shape::Stack | Shape::C | Shape::Cap)
    }

    /// Whether the block reports a value (reporter or boolean).
    pub fn is_reporter(self) -> bool {
        matches!(self, Shape::Reporter | Shape::Boolean)
    }
}

/// What an input of a block holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// A number slot (primitive 4, `math_number`).
    Number,
    /// A positive number slot (primitive 5, `math_positive_number`).
    PositiveNumber,
    /// A whole number slot (primitive 6, `math_whole_number`).
    WholeNumber,
    /// An integer slot (primitive 7, `math_integer`).
    Integer,
    /// An angle slot (primitive 8, `math_angle`).
    Angle,
    /// A colour picker (primitive 9, `colour_picker`), `#rrggbb`.
    Color,
    /// A text slot (primitive 10, `text`).
    Text,
    /// A broadcast menu (primitive 11, `event_broadcast_menu`).
    Broadcast,
    /// A hexagonal slot: a boolean reporter or nothing (no shadow).
    Boolean,
    /// A stack of blocks inside a C block (no shadow).
    Substack,
    /// A menu shadow block `opcode` whose field `field` holds the choice.
    Menu {
        /// Opcode of the menu shadow block, e.g. `motion_goto_menu`.
        opcode: &'static str,
        /// Name of its field, e.g. `TO`.
        field: &'static str,
    },
}

impl InputKind {
    /// The primitive code Scratch uses for a literal in this input (4–11), if it has one.
    pub fn primitive_code(&self) -> Option<u8> {
        Some(match self {
            InputKind::Number => 4,
            InputKind::PositiveNumber => 5,
            InputKind::WholeNumber => 6,
            InputKind::Integer => 7,
            InputKind::Angle => 8,
            InputKind::Color => 9,
            InputKind::Text => 10,
            InputKind::Broadcast => 11,
            _ => return None,
        })
    }

    /// Opcode of the shadow block a primitive code stands for (used to check shadows).
    pub fn shadow_opcode(&self) -> Option<&'static str> {
        Some(match self {
            InputKind::Number => "math_number",
            InputKind::PositiveNumber => "math_positive_number",
            InputKind::WholeNumber => "math_whole_number",
            InputKind::Integer => "math_integer",
            InputKind::Angle => "math_angle",
            InputKind::Color => "colour_picker",
            InputKind::Text => "text",
            InputKind::Broadcast => "event_broadcast_menu",
            InputKind::Menu { opcode, .. } => opcode,
            InputKind::Boolean | InputKind::Substack => return None,
        })
    }
}

/// The description of one opcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockSpec {
    /// The opcode, e.g. `motion_movesteps`.
    pub opcode: &'static str,
    /// Its outline.
    pub shape: Shape,
    /// Its inputs in order, by name.
    pub inputs: Vec<(&'static str, InputKind)>,
    /// Its fields in order, by name.
    pub fields: Vec<&'static str>,
}

impl BlockSpec {
    /// The kind of input `name`, if the block has that input.
    pub fn input(&self, name: &str) -> Option<&InputKind> {
        self.inputs.iter().find(|(n, _)| *n == name).map(|(_, k)| k)
    }
}

/// The description of `opcode`, if it is a block this crate knows (core categories, pen,
/// music, text to speech, custom-block machinery and their menus).
///
/// ```
/// use scratchkit_sb3::spec::{self, InputKind, Shape};
///
/// let repeat = spec::lookup("control_repeat").unwrap();
/// assert_eq!(repeat.shape, Shape::C);
/// assert_eq!(repeat.input("TIMES"), Some(&InputKind::WholeNumber));
/// assert_eq!(repeat.input("SUBSTACK"), Some(&InputKind::Substack));
/// assert!(spec::lookup("no_such_block").is_none());
/// ```
pub fn lookup(opcode: &str) -> Option<&'static BlockSpec> {
    table().get(opcode)
}

/// Every known opcode, in no particular order.
pub fn all() -> impl Iterator<Item = &'static BlockSpec> {
    table().values()
}

fn table() -> &'static HashMap<&'static str, BlockSpec> {
    static TABLE: OnceLock<HashMap<&'static str, BlockSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        SPECS
            .iter()
            .map(|(opcode, shape, signature)| (*opcode, parse(opcode, *shape, signature)))
            .collect()
    })
}

/// Signature mini-language: space-separated `NAME=kind` inputs and `NAME` fields, where kind
/// is `num pos whole int angle color text bcast bool stack` or `menu:<opcode>:<FIELD>`.
fn parse(opcode: &'static str, shape: Shape, signature: &'static str) -> BlockSpec {
    let mut inputs = Vec::new();
    let mut fields = Vec::new();
    for part in signature.split_whitespace() {
        let Some((name, kind)) = part.split_once('=') else {
            fields.push(part);
            continue;
        };
        let kind = match kind {
            "num" => InputKind::Number,
            "pos" => InputKind::PositiveNumber,
            "whole" => InputKind::WholeNumber,
            "int" => InputKind::Integer,
            "angle" => InputKind::Angle,
            "color" => InputKind::Color,
            "text" => InputKind::Text,
            "bcast" => InputKind::Broadcast,
            "bool" => InputKind::Boolean,
            "stack" => InputKind::Substack,
            menu => {
                let mut parts = menu.splitn(3, ':').skip(1);
                match (parts.next(), parts.next()) {
                    (Some(opcode), Some(field)) => InputKind::Menu { opcode, field },
                    // The table below is fixed; a typo there shows up in the unit tests.
                    _ => InputKind::Text,
                }
            }
        };
        inputs.push((name, kind));
    }
    BlockSpec {
        opcode,
        shape,
        inputs,
        fields,
    }
}

use Shape::{Boolean as B, C, Cap, Hat, Reporter as R, Shadow as M, Stack as S};

#[rustfmt::skip]
const SPECS: &[(&str, Shape, &str)] = &[
    // Events
    ("event_whenflagclicked", Hat, ""),
    ("event_whenkeypressed", Hat, "KEY_OPTION"),
    ("event_whenthisspriteclicked", Hat, ""),
    ("event_whenstageclicked", Hat, ""),
    ("event_whenbackdropswitchesto", Hat, "BACKDROP"),
    ("event_whengreaterthan", Hat, "VALUE=num WHENGREATERTHANMENU"),
    ("event_whenbroadcastreceived", Hat, "BROADCAST_OPTION"),
    ("event_broadcast", S, "BROADCAST_INPUT=bcast"),
    ("event_broadcastandwait", S, "BROADCAST_INPUT=bcast"),
    ("event_broadcast_menu", M, "BROADCAST_OPTION"),
    // Motion
    ("motion_movesteps", S, "STEPS=num"),
    ("motion_turnright", S, "DEGREES=num"),
    ("motion_turnleft", S, "DEGREES=num"),
    ("motion_goto", S, "TO=menu:motion_goto_menu:TO"),
    ("motion_goto_menu", M, "TO"),
    ("motion_gotoxy", S, "X=num Y=num"),
    ("motion_glideto", S, "SECS=num TO=menu:motion_glideto_menu:TO"),
    ("motion_glideto_menu", M, "TO"),
    ("motion_glidesecstoxy", S, "SECS=num X=num Y=num"),
    ("motion_pointindirection", S, "DIRECTION=angle"),
    ("motion_pointtowards", S, "TOWARDS=menu:motion_pointtowards_menu:TOWARDS"),
    ("motion_pointtowards_menu", M, "TOWARDS"),
    ("motion_changexby", S, "DX=num"),
    ("motion_setx", S, "X=num"),
    ("motion_changeyby", S, "DY=num"),
    ("motion_sety", S, "Y=num"),
    ("motion_ifonedgebounce", S, ""),
    ("motion_setrotationstyle", S, "STYLE"),
    ("motion_xposition", R, ""),
    ("motion_yposition", R, ""),
    ("motion_direction", R, ""),
    // Looks
    ("looks_sayforsecs", S, "MESSAGE=text SECS=num"),
    ("looks_say", S, "MESSAGE=text"),
    ("looks_thinkforsecs", S, "MESSAGE=text SECS=num"),
    ("looks_think", S, "MESSAGE=text"),
    ("looks_switchcostumeto", S, "COSTUME=menu:looks_costume:COSTUME"),
    ("looks_costume", M, "COSTUME"),
    ("looks_nextcostume", S, ""),
    ("looks_switchbackdropto", S, "BACKDROP=menu:looks_backdrops:BACKDROP"),
    ("looks_switchbackdroptoandwait", S, "BACKDROP=menu:looks_backdrops:BACKDROP"),
    ("looks_backdrops", M, "BACKDROP"),
    ("looks_nextbackdrop", S, ""),
    ("looks_changesizeby", S, "CHANGE=num"),
    ("looks_setsizeto", S, "SIZE=num"),
    ("looks_changeeffectby", S, "CHANGE=num EFFECT"),
    ("looks_seteffectto", S, "VALUE=num EFFECT"),
    ("looks_cleargraphiceffects", S, ""),
    ("looks_show", S, ""),
    ("looks_hide", S, ""),
    ("looks_gotofrontback", S, "FRONT_BACK"),
    ("looks_goforwardbackwardlayers", S, "NUM=int FORWARD_BACKWARD"),
    ("looks_costumenumbername", R, "NUMBER_NAME"),
    ("looks_backdropnumbername", R, "NUMBER_NAME"),
    ("looks_size", R, ""),
    // Sound
    ("sound_playuntildone", S, "SOUND_MENU=menu:sound_sounds_menu:SOUND_MENU"),
    ("sound_play", S, "SOUND_MENU=menu:sound_sounds_menu:SOUND_MENU"),
    ("sound_sounds_menu", M, "SOUND_MENU"),
    ("sound_stopallsounds", S, ""),
    ("sound_changeeffectby", S, "VALUE=num EFFECT"),
    ("sound_seteffectto", S, "VALUE=num EFFECT"),
    ("sound_cleareffects", S, ""),
    ("sound_changevolumeby", S, "VOLUME=num"),
    ("sound_setvolumeto", S, "VOLUME=num"),
    ("sound_volume", R, ""),
    // Control
    ("control_wait", S, "DURATION=pos"),
    ("control_repeat", C, "TIMES=whole SUBSTACK=stack"),
    ("control_forever", Cap, "SUBSTACK=stack"),
    ("control_if", C, "CONDITION=bool SUBSTACK=stack"),
    ("control_if_else", C, "CONDITION=bool SUBSTACK=stack SUBSTACK2=stack"),
    ("control_wait_until", S, "CONDITION=bool"),
    ("control_repeat_until", C, "CONDITION=bool SUBSTACK=stack"),
    ("control_while", C, "CONDITION=bool SUBSTACK=stack"),
    ("control_stop", Cap, "STOP_OPTION"),
    ("control_start_as_clone", Hat, ""),
    ("control_create_clone_of", S, "CLONE_OPTION=menu:control_create_clone_of_menu:CLONE_OPTION"),
    ("control_create_clone_of_menu", M, "CLONE_OPTION"),
    ("control_delete_this_clone", Cap, ""),
    // Sensing
    ("sensing_touchingobject", B, "TOUCHINGOBJECTMENU=menu:sensing_touchingobjectmenu:TOUCHINGOBJECTMENU"),
    ("sensing_touchingobjectmenu", M, "TOUCHINGOBJECTMENU"),
    ("sensing_touchingcolor", B, "COLOR=color"),
    ("sensing_coloristouchingcolor", B, "COLOR=color COLOR2=color"),
    ("sensing_distanceto", R, "DISTANCETOMENU=menu:sensing_distancetomenu:DISTANCETOMENU"),
    ("sensing_distancetomenu", M, "DISTANCETOMENU"),
    ("sensing_askandwait", S, "QUESTION=text"),
    ("sensing_answer", R, ""),
    ("sensing_keypressed", B, "KEY_OPTION=menu:sensing_keyoptions:KEY_OPTION"),
    ("sensing_keyoptions", M, "KEY_OPTION"),
    ("sensing_mousedown", B, ""),
    ("sensing_mousex", R, ""),
    ("sensing_mousey", R, ""),
    ("sensing_setdragmode", S, "DRAG_MODE"),
    ("sensing_loudness", R, ""),
    ("sensing_timer", R, ""),
    ("sensing_resettimer", S, ""),
    ("sensing_of", R, "OBJECT=menu:sensing_of_object_menu:OBJECT PROPERTY"),
    ("sensing_of_object_menu", M, "OBJECT"),
    ("sensing_current", R, "CURRENTMENU"),
    ("sensing_dayssince2000", R, ""),
    ("sensing_username", R, ""),
    // Operators
    ("operator_add", R, "NUM1=num NUM2=num"),
    ("operator_subtract", R, "NUM1=num NUM2=num"),
    ("operator_multiply", R, "NUM1=num NUM2=num"),
    ("operator_divide", R, "NUM1=num NUM2=num"),
    ("operator_random", R, "FROM=num TO=num"),
    ("operator_gt", B, "OPERAND1=text OPERAND2=text"),
    ("operator_lt", B, "OPERAND1=text OPERAND2=text"),
    ("operator_equals", B, "OPERAND1=text OPERAND2=text"),
    ("operator_and", B, "OPERAND1=bool OPERAND2=bool"),
    ("operator_or", B, "OPERAND1=bool OPERAND2=bool"),
    ("operator_not", B, "OPERAND=bool"),
    ("operator_join", R, "STRING1=text STRING2=text"),
    ("operator_letter_of", R, "LETTER=whole STRING=text"),
    ("operator_length", R, "STRING=text"),
    ("operator_contains", B, "STRING1=text STRING2=text"),
    ("operator_mod", R, "NUM1=num NUM2=num"),
    ("operator_round", R, "NUM=num"),
    ("operator_mathop", R, "NUM=num OPERATOR"),
    // Data
    ("data_variable", R, "VARIABLE"),
    ("data_setvariableto", S, "VALUE=text VARIABLE"),
    ("data_changevariableby", S, "VALUE=num VARIABLE"),
    ("data_showvariable", S, "VARIABLE"),
    ("data_hidevariable", S, "VARIABLE"),
    ("data_listcontents", R, "LIST"),
    ("data_addtolist", S, "ITEM=text LIST"),
    ("data_deleteoflist", S, "INDEX=int LIST"),
    ("data_deletealloflist", S, "LIST"),
    ("data_insertatlist", S, "ITEM=text INDEX=int LIST"),
    ("data_replaceitemoflist", S, "INDEX=int ITEM=text LIST"),
    ("data_itemoflist", R, "INDEX=int LIST"),
    ("data_itemnumoflist", R, "ITEM=text LIST"),
    ("data_lengthoflist", R, "LIST"),
    ("data_listcontainsitem", B, "ITEM=text LIST"),
    ("data_showlist", S, "LIST"),
    ("data_hidelist", S, "LIST"),
    // Custom blocks (inputs named by argument ids: checked separately)
    ("procedures_definition", Hat, "custom_block=menu:procedures_prototype:"),
    ("procedures_prototype", M, ""),
    ("procedures_call", S, ""),
    ("argument_reporter_string_number", R, "VALUE"),
    ("argument_reporter_boolean", B, "VALUE"),
    // Pen
    ("pen_clear", S, ""),
    ("pen_stamp", S, ""),
    ("pen_penDown", S, ""),
    ("pen_penUp", S, ""),
    ("pen_setPenColorToColor", S, "COLOR=color"),
    ("pen_changePenColorParamBy", S, "COLOR_PARAM=menu:pen_menu_colorParam:colorParam VALUE=num"),
    ("pen_setPenColorParamTo", S, "COLOR_PARAM=menu:pen_menu_colorParam:colorParam VALUE=num"),
    ("pen_menu_colorParam", M, "colorParam"),
    ("pen_changePenSizeBy", S, "SIZE=num"),
    ("pen_setPenSizeTo", S, "SIZE=num"),
    // Music
    ("music_playDrumForBeats", S, "DRUM=menu:music_menu_DRUM:DRUM BEATS=num"),
    ("music_menu_DRUM", M, "DRUM"),
    ("music_restForBeats", S, "BEATS=num"),
    ("music_playNoteForBeats", S, "NOTE=menu:note:NOTE BEATS=num"),
    ("note", M, "NOTE"),
    ("music_setInstrument", S, "INSTRUMENT=menu:music_menu_INSTRUMENT:INSTRUMENT"),
    ("music_menu_INSTRUMENT", M, "INSTRUMENT"),
    ("music_setTempo", S, "TEMPO=num"),
    ("music_changeTempo", S, "TEMPO=num"),
    ("music_getTempo", R, ""),
    // Text to speech
    ("text2speech_speakAndWait", S, "WORDS=text"),
    ("text2speech_setVoice", S, "VOICE=menu:text2speech_menu_voices:voices"),
    ("text2speech_menu_voices", M, "voices"),
    ("text2speech_setLanguage", S, "LANGUAGE=menu:text2speech_menu_languages:languages"),
    ("text2speech_menu_languages", M, "languages"),
    // Shadows of the primitive slots
    ("math_number", M, "NUM"),
    ("math_positive_number", M, "NUM"),
    ("math_whole_number", M, "NUM"),
    ("math_integer", M, "NUM"),
    ("math_angle", M, "NUM"),
    ("colour_picker", M, "COLOUR"),
    ("text", M, "TEXT"),
];

/// The extension a block's opcode belongs to (`pen`, `music`, `text2speech`), if any; core
/// blocks belong to none.
///
/// ```
/// assert_eq!(scratchkit_sb3::spec::extension_of("pen_clear"), Some("pen"));
/// assert_eq!(scratchkit_sb3::spec::extension_of("motion_movesteps"), None);
/// ```
pub fn extension_of(opcode: &str) -> Option<&str> {
    const CORE: &[&str] = &[
        "event",
        "motion",
        "looks",
        "sound",
        "control",
        "sensing",
        "operator",
        "data",
        "procedures",
        "argument",
        "math",
        "colour",
        "text",
    ];
    let prefix = opcode.split_once('_').map_or(opcode, |(p, _)| p);
    if opcode == "note" || opcode == "text" || CORE.contains(&prefix) {
        None
    } else {
        Some(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_menu_input_names_a_known_shadow_with_that_field() {
        for spec in all() {
            for (name, kind) in &spec.inputs {
                if let InputKind::Menu { opcode, field } = kind {
                    if *opcode == "procedures_prototype" {
                        continue;
                    }
                    let menu = lookup(opcode)
                        .unwrap_or_else(|| panic!("{}.{name}: no menu {opcode}", spec.opcode));
                    assert_eq!(menu.shape, Shape::Shadow, "{opcode}");
                    assert!(menu.fields.contains(field), "{opcode} lacks field {field}");
                }
            }
        }
    }

    #[test]
    fn table_has_no_duplicate_opcodes() {
        assert_eq!(table().len(), SPECS.len());
    }

    #[test]
    fn extensions() {
        assert_eq!(extension_of("music_playDrumForBeats"), Some("music"));
        assert_eq!(
            extension_of("text2speech_speakAndWait"),
            Some("text2speech")
        );
        assert_eq!(extension_of("note"), None);
        assert_eq!(extension_of("data_variable"), None);
    }
}
