"""The rest of the client from Python: profile and studio comments, follows, .sb3 upload,
the backpack, classes and the forums; each checked against the sandbox's own answers."""

import json
import zipfile

import pytest

import scratchkit
from sandbox_api import api
from scratchkit import Session, errors

def test_studio_and_profile_comments(sb):
    s = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb)
    studio = sb.create_studio("griffpatch", "Comment studio")["id"]
    posted = s.post_studio_comment(studio, "nice studio")
    assert posted.content == "nice studio" and posted.author_name == "kakurenbo"
    listed = Session(sandbox=sb).studio_comments(studio)
    assert [c.id for c in listed] == [c["id"] for c in api(sb, f"/studios/{studio}/comments")]
    assert listed[0].content == "nice studio"
    reply = s.post_studio_comment(studio, "a reply", parent_id=posted.id,
                                  commentee_id=posted.data["author"]["id"])
    assert [r.id for r in Session(sandbox=sb).studio_comment_replies(studio, posted.id)] == [reply.id]

    on_profile = s.post_profile_comment("griffpatch", "hello griffpatch")
    assert on_profile.content == "hello griffpatch"
    profile = Session(sandbox=sb).profile_comments("griffpatch", limit=5)
    assert profile[0].id == on_profile.id and profile[0].author_name == "kakurenbo"
    answer = s.post_profile_comment("griffpatch", "and more", parent_id=on_profile.id,
                                    commentee_id=on_profile.data["author"]["id"])
    replies = Session(sandbox=sb).profile_comment_replies("griffpatch", on_profile.id)
    assert [r.content for r in replies] == ["and more"] and replies[0].id == answer.id
    with pytest.raises(errors.LoginRequired):
        Session(sandbox=sb).post_profile_comment("griffpatch", "anonymous")
    with pytest.raises(errors.NotFound):
        Session(sandbox=sb).profile_comments("nobody_at_all_here")


def test_follow_users_and_studios(sb):
    s = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb)
    assert not s.is_following("kakurenbo", "PMJ_Studio")
    assert s.follow_user("PMJ_Studio") is True
    assert s.is_following("kakurenbo", "PMJ_Studio")
    assert "PMJ_Studio" in [u.username for u in s.user_following("kakurenbo", limit=40)]
    assert "kakurenbo" in [u.username for u in s.user_followers("PMJ_Studio", limit=40)]
    assert s.unfollow_user("PMJ_Studio") is False
    assert not s.is_following("kakurenbo", "PMJ_Studio")

    studio = sb.create_studio("griffpatch", "Follow me")["id"]
    before = s.get_studio(studio).follower_count
    s.follow_studio(studio)
    assert s.get_studio(studio).follower_count == before + 1
    s.unfollow_studio(studio)
    assert s.get_studio(studio).follower_count == before


def test_upload_an_sb3_and_save_a_new_version(sb, tmp_path):
    s = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb)
    original = s.download_sb3(142, tmp_path / "142.sb3")
    created = s.create_project(original, title="My copy")
    assert created.title == "My copy"
    project = s.get_project(created.id)
    assert (project.title, project.author_name) == ("My copy", "kakurenbo")
    copy = s.download_sb3(created.id, tmp_path / "copy.sb3")
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        assert json.loads(a.read("project.json"))["targets"] == json.loads(b.read("project.json"))["targets"]

    # A new version: the stage renamed in project.json.
    changed = tmp_path / "changed.sb3"
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(changed, "w") as out:
        for name in a.namelist():
            data = a.read(name)
            if name == "project.json":
                doc = json.loads(data)
                doc["targets"][1]["name"] = "Renamed sprite"
                data = json.dumps(doc).encode()
            out.writestr(name, data)
    assert s.save_project(created.id, changed) == created.id
    again = s.download_sb3(created.id, tmp_path / "again.sb3")
    with zipfile.ZipFile(again) as b:
        assert json.loads(b.read("project.json"))["targets"][1]["name"] == "Renamed sprite"

    with pytest.raises(errors.Forbidden):
        s.save_project(142, changed)  # mres's project
    not_sb3 = tmp_path / "not.sb3"
    not_sb3.write_bytes(b"plain text")
    with pytest.raises(errors.ProjectFileError):
        s.create_project(not_sb3)
    with pytest.raises(errors.FileError):
        s.create_project(tmp_path / "missing.sb3")


def test_backpack(sb):
    s = scratchkit.login("griffpatch", scratchkit.DEMO_PASSWORD, sandbox=sb)
    script = b'[{"opcode":"motion_movesteps"}]'
    added = s.add_backpack_item("script", "move 10", script, mime="application/json",
                                thumbnail=b"\xff\xd8\xff\xe0thumb")
    assert (added.name, added.type) == ("move 10", "script")
    listed = s.backpack(limit=40)
    assert added.id in [item.id for item in listed]
    theirs = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb).backpack()
    assert added.id not in [item.id for item in theirs]
    s.delete_backpack_item(added.id)
    assert added.id not in [item.id for item in s.backpack(limit=40)]
    with pytest.raises(errors.LoginRequired):
        Session(sandbox=sb).backpack()


def test_classrooms(sb):
    s = Session(sandbox=sb)
    klass = s.get_classroom(367806)
    assert (klass.id, klass.title, klass.educator_name) == (367806, "Sandbox Class", "demo_teacher")
    assert klass.title == api(sb, "/classrooms/367806")["title"]
    assert "demo_student" in s.classroom_students(367806)
    assert s.classroom_students(367806, page=99) == []
    with pytest.raises(errors.NotFound):
        s.get_classroom(1)
    with pytest.raises(ValueError):
        s.classroom_students(367806, page=0)


def test_forums(sb):
    s = Session(sandbox=sb)
    topics = s.get_topic_list(31) + s.get_topic_list(31, page=2)
    assert all(t.id > 0 and t.title for t in topics)
    # The category holds 30 topics (the forum index says so), one of them topic 4242.
    assert len({t.id for t in topics}) == 30 and 4242 in [t.id for t in topics]
    posts = s.topic_posts(4242)
    assert len(posts) == 20 and posts[0].index == 1 and posts[0].author_name == "griffpatch"
    assert len(s.topic_posts(4242, page=2)) >= 1

    griff = scratchkit.login("griffpatch", scratchkit.DEMO_PASSWORD, sandbox=sb)
    post_id = griff.reply_to_topic(4242, "[b]Support![/b]\nfrom Python")
    assert isinstance(post_id, int)
    assert s.forum_post_source(post_id) == "[b]Support![/b]\nfrom Python"
    with pytest.raises(errors.LoginRequired):
        s.reply_to_topic(4242, "anonymous")
