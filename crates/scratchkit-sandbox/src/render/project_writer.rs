//! Projects written as JSON by hand: the same bytes serde writes for [`ProjectJson`]
//! (`render::project`), for the two hottest answers of the sandbox, `/projects/<id>` and the
//! project lists.
//!
//! serde_json escapes every string byte by byte through a table (about 10 instructions a
//! byte); most of a project's 1.5 KB are the eleven image URLs and three dates the sandbox
//! generates itself, which never need escaping. Here those are copied as they are, and the
//! strings that come from users (title, notes, username) are checked for anything to escape
//! with one vectorizable pass; the rare one that has such a byte is handed to serde_json, so
//! the output stays byte for byte what serde writes (a test compares every seeded project).
//!
//! [`ProjectJson`]: super::ProjectJson

use crate::asciibuf::AsciiBuf;
use crate::store::projects::ProjectRow;
use crate::timefmt::iso_buf;

use super::ProjectStyle;
use super::image_urls::{PROJECT_IMAGE_SIZES, PROJECT_PREFIX, USER_IMAGE_SIZES, USER_PREFIX};

/// Bytes reserved per project (a project is about 1.5 KB).
pub(crate) const PROJECT_CAPACITY: usize = 2 * 1024;

/// Whether serde_json would escape anything in `text` (a quote, a backslash or a control
/// character). Written as a fold without an early exit so that it compiles to vector code.
fn needs_escape(text: &str) -> bool {
    text.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// `text` as a JSON string, exactly as serde_json writes it.
fn push_string(out: &mut Vec<u8>, text: &str) {
    if needs_escape(text) {
        // serde_json itself for the rare string that needs escaping; writing to a Vec cannot
        // fail, and a string always serializes.
        let _ = serde_json::to_writer(&mut *out, text);
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

fn push_int(out: &mut Vec<u8>, n: i64) {
    let mut digits = AsciiBuf::<20>::new();
    digits.push_i64(n);
    out.extend_from_slice(digits.as_str().as_bytes());
}

fn push_opt_int(out: &mut Vec<u8>, n: Option<i64>) {
    match n {
        Some(n) => push_int(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn push_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// A generated date (`2025-06-02T09:25:59.000Z`): nothing in it needs escaping.
fn push_date(out: &mut Vec<u8>, ts: i64) {
    out.push(b'"');
    out.extend_from_slice(iso_buf(ts).as_str().as_bytes());
    out.push(b'"');
}

/// `{"<size>":"<prefix><id>_<size>.png?v=<version>",…}` (`version` empty for avatars).
fn push_images(out: &mut Vec<u8>, prefix: &str, id: i64, sizes: &[&str], version: &str) {
    out.push(b'{');
    for (i, size) in sizes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(size.as_bytes());
        out.extend_from_slice(b"\":\"");
        out.extend_from_slice(prefix.as_bytes());
        push_int(out, id);
        out.push(b'_');
        out.extend_from_slice(size.as_bytes());
        out.extend_from_slice(b".png?v=");
        out.extend_from_slice(version.as_bytes());
        out.push(b'"');
    }
    out.push(b'}');
}

/// Appends `render::project(p, style, token)` as JSON.
pub(crate) fn write_project(
    out: &mut Vec<u8>,
    p: &ProjectRow,
    style: ProjectStyle,
    token: Option<&str>,
) {
    out.extend_from_slice(b"{\"id\":");
    push_int(out, p.id);
    out.extend_from_slice(b",\"title\":");
    push_string(out, &p.title);
    out.extend_from_slice(b",\"description\":");
    push_string(out, &p.description);
    out.extend_from_slice(b",\"instructions\":");
    push_string(out, &p.instructions);
    out.extend_from_slice(b",\"visibility\":\"visible\",\"public\":");
    push_bool(out, p.shared);
    out.extend_from_slice(b",\"comments_allowed\":");
    push_bool(out, p.comments_allowed);
    out.extend_from_slice(b",\"is_published\":");
    push_bool(out, p.shared);

    out.extend_from_slice(b",\"author\":{\"id\":");
    push_int(out, p.owner_id);
    if style != ProjectStyle::OwnList {
        out.extend_from_slice(b",\"username\":");
        push_string(out, &p.owner_username);
    }
    out.extend_from_slice(b",\"scratchteam\":");
    push_bool(out, p.owner_role == "scratch_team");
    out.extend_from_slice(
        b",\"history\":{\"joined\":\"1900-01-01T00:00:00.000Z\"},\"profile\":{\"id\":null,\"images\":",
    );
    push_images(out, USER_PREFIX, p.owner_id, &USER_IMAGE_SIZES, "");
    out.extend_from_slice(b"}}");

    out.extend_from_slice(b",\"image\":\"");
    out.extend_from_slice(PROJECT_PREFIX.as_bytes());
    push_int(out, p.id);
    out.extend_from_slice(b"_480x360.png\",\"images\":");
    let mut version = AsciiBuf::<20>::new();
    version.push_i64(p.modified);
    push_images(
        out,
        PROJECT_PREFIX,
        p.id,
        &PROJECT_IMAGE_SIZES,
        version.as_str(),
    );

    out.extend_from_slice(b",\"history\":{\"created\":");
    push_date(out, p.created);
    out.extend_from_slice(b",\"modified\":");
    push_date(out, p.modified);
    out.extend_from_slice(b",\"shared\":");
    match p.shared_at {
        Some(ts) => push_date(out, ts),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"},\"stats\":{\"views\":");
    push_int(out, p.views);
    out.extend_from_slice(b",\"loves\":");
    push_int(out, p.loves);
    out.extend_from_slice(b",\"favorites\":");
    push_int(out, p.favorites);
    out.extend_from_slice(b",\"remixes\":");
    push_int(
        out,
        if style == ProjectStyle::Full {
            p.remixes
        } else {
            0
        },
    );
    out.extend_from_slice(b"},\"remix\":{\"parent\":");
    push_opt_int(out, p.parent_id);
    out.extend_from_slice(b",\"root\":");
    push_opt_int(out, p.root_id);
    out.push(b'}');
    if let Some(token) = token {
        out.extend_from_slice(b",\"project_token\":");
        push_string(out, token);
    }
    out.push(b'}');
}

/// A JSON array of `projects`, each as [`write_project`] writes it (no token).
pub(crate) fn project_list(projects: &[ProjectRow], style: ProjectStyle) -> Vec<u8> {
    let mut out = Vec::with_capacity(projects.len() * PROJECT_CAPACITY + 2);
    out.push(b'[');
    for (i, p) in projects.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_project(&mut out, p, style, None);
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;
    use crate::store::{Page, Store};

    fn serde_bytes(p: &ProjectRow, style: ProjectStyle, token: Option<&str>) -> Vec<u8> {
        serde_json::to_vec(&render::project(p, style, token.map(str::to_owned))).unwrap()
    }

    fn hand_bytes(p: &ProjectRow, style: ProjectStyle, token: Option<&str>) -> Vec<u8> {
        let mut out = Vec::new();
        write_project(&mut out, p, style, token);
        out
    }

    const STYLES: [ProjectStyle; 3] = [
        ProjectStyle::Full,
        ProjectStyle::OwnList,
        ProjectStyle::List,
    ];

    #[test]
    fn every_seeded_project_is_written_as_serde_writes_it() {
        let store = Store::open(None, 7, 0).unwrap();
        let projects = store
            .read(|c| {
                crate::store::projects::top(
                    c,
                    "p.id DESC",
                    Page {
                        limit: 100_000,
                        offset: 0,
                    }
                    .limit,
                )
            })
            .unwrap();
        assert!(projects.len() > 100, "{} projects", projects.len());
        for p in &projects {
            for style in STYLES {
                for token in [None, Some("1795329422_abc")] {
                    assert_eq!(
                        String::from_utf8(hand_bytes(p, style, token)).unwrap(),
                        String::from_utf8(serde_bytes(p, style, token)).unwrap(),
                        "project {} {style:?}",
                        p.id
                    );
                }
            }
        }
        let list = project_list(&projects[..3], ProjectStyle::List);
        let serde_list = serde_json::to_vec(
            &projects[..3]
                .iter()
                .map(|p| render::project(p, ProjectStyle::List, None))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(list, serde_list);
        assert_eq!(project_list(&[], ProjectStyle::List), b"[]");
    }

    #[test]
    fn every_seeded_project_is_what_the_model_writes_back() {
        // The hand-written writer against the client's own type: decoding its bytes into
        // `scratchkit_model::Project` and writing that back gives the same JSON, so the
        // writer carries nothing the model does not know and loses nothing it does.
        let store = Store::open(None, 7, 0).unwrap();
        let projects = store
            .read(|c| crate::store::projects::top(c, "p.id DESC", 200))
            .unwrap();
        assert!(projects.len() > 100, "{} projects", projects.len());
        for p in &projects {
            for style in STYLES {
                let written: serde_json::Value =
                    serde_json::from_slice(&hand_bytes(p, style, Some("1795329422_abc"))).unwrap();
                let model: scratchkit_model::Project = serde_json::from_value(written.clone())
                    .unwrap_or_else(|e| {
                        panic!("project {} {style:?} is not a model Project: {e}", p.id)
                    });
                assert_eq!(
                    serde_json::to_value(&model).unwrap(),
                    written,
                    "project {} {style:?}",
                    p.id
                );
            }
        }
    }

    #[test]
    fn odd_text_and_values_are_written_as_serde_writes_them() {
        let store = Store::open(None, 7, 0).unwrap();
        let base = store
            .read(|c| crate::store::projects::by_id(c, 142))
            .unwrap()
            .expect("project 142 is seeded");
        let odd = [
            "quote \" and backslash \\",
            "line\nbreak\ttab\r\u{0}\u{1f}\u{7f}",
            "é ü 日本 🐱 </script>",
            "",
        ];
        for text in odd {
            let mut p = base.clone();
            p.title = text.to_owned();
            p.description = text.to_owned();
            p.instructions = text.to_owned();
            p.owner_username = text.to_owned();
            p.owner_role = "scratch_team".to_owned();
            p.shared = false;
            p.shared_at = None;
            p.parent_id = Some(-1);
            p.root_id = Some(i64::MAX);
            p.views = i64::MIN;
            p.created = i64::MAX;
            p.modified = -5;
            for style in STYLES {
                assert_eq!(
                    hand_bytes(&p, style, Some(text)),
                    serde_bytes(&p, style, Some(text)),
                    "{text:?} {style:?}"
                );
            }
        }
    }
}
