"""The client from Python (Session, AsyncSession) against a sandbox, checked against the
sandbox's own answers."""

import asyncio
import gc
import json
import zipfile

import pytest

import scratchkit
from sandbox_api import api
from scratchkit import AsyncSession, Session, errors

def test_reads_match_the_sandbox(sb):
    s = Session(sandbox=sb)
    mres = s.get_user("mres")
    assert (mres.id, mres.username) == (167, "mres")
    assert mres.bio == api(sb, "/users/mres")["profile"]["bio"]
    project = s.get_project(142)
    raw = api(sb, "/projects/142")
    assert (project.title, project.author_name, project.loves) == (
        raw["title"], raw["author"]["username"], raw["stats"]["loves"])
    assert s.get_studio(5342).title == api(sb, "/studios/5342")["title"]
    assert [p.id for p in s.user_projects("griffpatch", limit=5)] == \
        [p["id"] for p in api(sb, "/users/griffpatch/projects?limit=5")]
    assert [c.id for c in s.project_comments(142, limit=10)] == \
        [c["id"] for c in api(sb, "/users/mres/projects/142/comments?limit=10")]
    assert [p.id for p in s.explore_projects(mode="trending", limit=5)] == \
        [p["id"] for p in api(sb, "/explore/projects?mode=trending&q=*&limit=5")]
    assert [p.id for p in s.search_projects("cat", limit=5)] == \
        [p["id"] for p in api(sb, "/search/projects?mode=popular&q=cat&limit=5")]


def test_errors_are_typed(sb):
    s = Session(sandbox=sb.address)
    with pytest.raises(errors.NotFound) as missing:
        s.get_user("nobody_here_at_all")
    assert missing.value.status == 404 and isinstance(missing.value, errors.HTTPError)
    with pytest.raises(errors.InvalidInput):
        s.get_user("bad name!")
    with pytest.raises(errors.LoginRequired):
        s.love_project(142)
    with pytest.raises(errors.LoginFailed):
        s.login("griffpatch", "wrong password")
    with pytest.raises(ValueError):
        s.user_projects("mres", limit=-1)


def test_faults_reach_python_as_server_errors(sb):
    s = Session(sandbox=sb)
    sb.set_faults("kinds=503,count=50")
    try:
        with pytest.raises(errors.ServerError) as failed:
            s.get_project(142)
    finally:
        sb.clear_faults()
    assert failed.value.status == 503


def test_login_and_writes(sb, tmp_path):
    s = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb)
    assert s.logged_in
    loves = api(sb, "/projects/142")["stats"]["loves"]
    assert s.love_project(142)["userLove"] is True
    assert api(sb, "/projects/142")["stats"]["loves"] == loves + 1
    comment = s.post_comment(142, "from Python")
    assert comment.content == "from Python" and comment.author_name == "kakurenbo"
    reply = s.post_comment(142, "a reply", parent_id=comment.id, commentee_id=comment.data["author"]["id"])
    assert reply.parent_id == comment.id
    # mres owns 142: the comment is one of mres's messages
    owner = scratchkit.login("mres", scratchkit.DEMO_PASSWORD, sandbox=sb)
    assert owner.message_count() >= 1
    kinds = [(m.type, m.actor_username) for m in owner.messages(limit=10)]
    assert ("addcomment", "kakurenbo") in kinds and ("loveproject", "kakurenbo") in kinds
    mine = sb.create_project("kakurenbo", "Old title")["id"]
    assert s.set_project_title(mine, "New title").title == "New title"
    path = s.download_sb3(142, tmp_path / "142.sb3")
    with zipfile.ZipFile(path) as sb3:
        assert "project.json" in sb3.namelist()


def test_async_session_runs_requests_concurrently(sb):
    ids = [p["id"] for p in api(sb, "/users/griffpatch/projects?limit=20")]

    async def main():
        client = AsyncSession(sandbox=sb)
        projects = await asyncio.gather(*(client.get_project(i) for i in ids))
        with pytest.raises(errors.NotFound):
            await client.get_project(999999999)
        await client.login("griffpatch", scratchkit.DEMO_PASSWORD)
        count = await client.message_count()
        return projects, count

    projects, count = asyncio.run(main())
    assert [p.id for p in projects] == ids
    assert count == api(sb, "/users/griffpatch/messages/count")["count"]


def test_dropping_a_session_with_requests_in_flight_does_not_hang(sb):
    # The runtime's threads wait for the GIL to deliver answers; dropping the client (with
    # the GIL held) must not wait for them.
    async def main():
        client = AsyncSession(sandbox=sb)
        tasks = [asyncio.ensure_future(client.get_project(142)) for _ in range(20)]
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        return len(tasks)

    assert asyncio.run(main()) == 20
    gc.collect()
    assert Session(sandbox=sb).get_project(142).id == 142


def test_cloud_variables_and_events(sb):
    writer = scratchkit.login("griffpatch", scratchkit.DEMO_PASSWORD, sandbox=sb)
    reader = scratchkit.login("kakurenbo", scratchkit.DEMO_PASSWORD, sandbox=sb)
    with reader.connect_cloud(142) as listening, writer.connect_cloud(142) as cloud:
        assert listening.next_event(timeout=5) == scratchkit.CloudEvent("connected")
        cloud.set_var("score", 1234)
        cloud.flush()
        assert cloud.get_var("score") == "1234"
        seen = next(e for e in listening.events(timeout=5) if e.kind == "set")
        assert seen == scratchkit.CloudEvent("set", "score", "1234")
        assert listening.get_all_vars()["score"] == "1234"
        with pytest.raises(ValueError):
            cloud.set_var("score", "not a number")
    assert sb.cloud_values(142)["score"] == "1234"
    with pytest.raises(scratchkit.CloudError):
        Session(sandbox=sb).connect_cloud(142)  # no login
