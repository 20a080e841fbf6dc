"""Drive scratchattach and scratchclient (unmodified, from PyPI) against a scratchkit sandbox.

Every scenario uses a library the way its users do and checks what it got against the
sandbox's own answer, fetched directly (urllib, bypassing the libraries) or against the demo
world's fixed facts (user mres is 167, project 142 is "PlayWithYourFace", studio 5342...).
Each scenario prints PASS or FAIL with a reason; a JSON summary comes last on stdout:

    {"passed": n, "failed": m, "expected_min": k, "results": [...]}

The exit status is non-zero when fewer than ``compat/expected_pass_count`` scenarios pass.

Usage: python scenarios.py --sandbox 127.0.0.1:PORT [--only SUBSTRING] [--verbose]
(or set SCRATCHKIT_SANDBOX instead of --sandbox).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
import traceback
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import redirect  # noqa: E402  (must come before the libraries are used)


class CheckFailed(Exception):
    """A scenario's expectation was not met."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def equal(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


class Sandbox:
    """Direct access to the sandbox, bypassing the libraries (the reference answers)."""

    def __init__(self, addr: str):
        self.addr = addr

    def get(self, prefix_path: str, **query: Any) -> Any:
        url = f"http://{self.addr}{prefix_path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read().decode("utf-8"))

    def api(self, path: str, **query: Any) -> Any:
        return self.get("/api" + path, **query)

    def site(self, path: str, **query: Any) -> Any:
        return self.get("/site" + path, **query)

    def ids(self, path: str, key: str = "id", **query: Any) -> list:
        return [item[key] for item in self.api(path, **query)]

    def all_ids(self, path: str, key: str = "id") -> list:
        """Every item of an api list, page by page."""
        out: list = []
        while True:
            page = self.ids(path, key=key, limit=40, offset=len(out))
            out += page
            if len(page) < 40:
                return out

    def text(self, prefix_path: str) -> str:
        with urllib.request.urlopen(f"http://{self.addr}{prefix_path}", timeout=10) as response:
            return response.read().decode("utf-8")

    def status(self, prefix_path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://{self.addr}{prefix_path}", timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def admin(self, path: str, body: dict) -> Any:
        """Sandbox administration (``/_sandbox/...``): setup only, never the thing tested."""
        request = urllib.request.Request(
            f"http://{self.addr}/_sandbox{path}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read().decode("utf-8"))


Scenario = tuple[str, str, Callable[[Sandbox], None]]
SCENARIOS: list[Scenario] = []


def scenario(library: str, name: str):
    def register(fn: Callable[[Sandbox], None]):
        SCENARIOS.append((library, name, fn))
        return fn

    return register


# ---------------------------------------------------------------------------------------
# scratchattach 2.2.6
# ---------------------------------------------------------------------------------------

def sa():
    import scratchattach

    return scratchattach


@scenario("scratchattach", "get_user('mres') fields")
def _(sb: Sandbox):
    user = sa().get_user("mres")
    raw = sb.api("/users/mres")
    equal(user.id, 167, "id")
    equal(user.username, "mres", "username")
    equal(user.scratchteam, True, "scratchteam")
    equal(user.join_date, raw["history"]["joined"], "join_date")
    equal(user.country, raw["profile"]["country"], "country")
    equal(user.about_me, raw["profile"]["bio"], "about_me")
    equal(user.wiwo, raw["profile"]["status"], "wiwo")
    check(user.icon_url.startswith("https://cdn2.scratch.mit.edu/get_image/user/167_90x90"),
          f"icon_url {user.icon_url!r}")


@scenario("scratchattach", "user.projects()")
def _(sb: Sandbox):
    projects = sa().get_user("mres").projects(limit=40)
    expected = sb.ids("/users/mres/projects", limit=40)
    check(len(expected) > 0, "sandbox: mres has no projects")
    equal([p.id for p in projects], expected, "project ids")
    check(all(p.author_name == "mres" for p in projects), "author_name is not mres")
    check(all(isinstance(p.title, str) and p.title for p in projects), "a project has no title")


@scenario("scratchattach", "user.followers() / following() (past one page)")
def _(sb: Sandbox):
    user = sa().get_user("griffpatch")
    followers = user.followers(limit=60)
    following = user.following(limit=40)
    expected_followers = sb.ids("/users/griffpatch/followers", key="username", limit=40) + sb.ids(
        "/users/griffpatch/followers", key="username", limit=40, offset=40)
    check(len(expected_followers) > 40, "sandbox: griffpatch has too few followers to page")
    equal([u.username for u in followers], expected_followers[:60], "follower names")
    equal([u.username for u in following],
          sb.ids("/users/griffpatch/following", key="username", limit=40), "following names")


@scenario("scratchattach", "user.favorites() / studios()")
def _(sb: Sandbox):
    user = sa().get_user("griffpatch")
    equal([p.id for p in user.favorites(limit=40)], sb.ids("/users/griffpatch/favorites", limit=40),
          "favorite ids")
    equal([s.id for s in user.studios(limit=40)], sb.ids("/users/griffpatch/studios/curate", limit=40),
          "curated studio ids")


@scenario("scratchattach", "user.message_count()")
def _(sb: Sandbox):
    equal(sa().get_user("mres").message_count(), sb.api("/users/mres/messages/count")["count"],
          "message count")


@scenario("scratchattach", "user.featured_data()")
def _(sb: Sandbox):
    data = sa().get_user("mres").featured_data()
    check(data is not None, "featured_data() returned None (request or decoding failed)")
    equal(data["project"]["id"], "142", "featured project id")
    equal(data["project"]["title"], "PlayWithYourFace", "featured project title")
    equal(data["project"]["author"], "mres", "featured project author")


@scenario("scratchattach", "user.does_exist() (HTML profile page)")
def _(sb: Sandbox):
    equal(sa().get_user("mres").does_exist(), True, "does_exist()")


@scenario("scratchattach", "user.follower_count() (HTML followers page)")
def _(sb: Sandbox):
    count = sa().get_user("mres").follower_count()
    total = 0
    while True:
        page = sb.api("/users/mres/followers", limit=40, offset=total)
        total += len(page)
        if len(page) < 40:
            break
    equal(count, total, "follower count")


@scenario("scratchattach", "get_project(142)")
def _(sb: Sandbox):
    project = sa().get_project(142)
    raw = sb.api("/projects/142")
    equal(project.id, 142, "id")
    equal(project.title, "PlayWithYourFace", "title")
    equal(project.author_name, "mres", "author_name")
    equal(project.share_date, raw["history"]["shared"], "share_date")
    equal(project.views, raw["stats"]["views"], "views")
    equal(project.loves, raw["stats"]["loves"], "loves")
    check(bool(project.project_token), "no project_token")


@scenario("scratchattach", "project.comments() / comment_replies()")
def _(sb: Sandbox):
    project = sa().get_project(142)
    comments = project.comments(limit=40)
    expected = sb.api("/users/mres/projects/142/comments", limit=40)
    check(len(expected) > 0, "sandbox: project 142 has no comments")
    equal([c.id for c in comments], [c["id"] for c in expected], "comment ids")
    equal([c.content for c in comments], [c["content"] for c in expected], "comment contents")
    with_replies = next((c for c in expected if c["reply_count"] > 0), None)
    if with_replies is not None:
        replies = project.comment_replies(comment_id=with_replies["id"], limit=40)
        equal([r.id for r in replies],
              sb.ids(f"/users/mres/projects/142/comments/{with_replies['id']}/replies", limit=40),
              "reply ids")


@scenario("scratchattach", "project.remixes() / studios()")
def _(sb: Sandbox):
    project = sa().get_project(142)
    remixes = project.remixes(limit=40)
    expected = sb.ids("/projects/142/remixes", limit=40)
    check(len(expected) > 0, "sandbox: project 142 has no remixes")
    equal([p.id for p in remixes], expected, "remix ids")
    equal([s.id for s in project.studios(limit=40)],
          sb.ids("/users/mres/projects/142/studios", limit=40), "studio ids")


@scenario("scratchattach", "project.raw_json() (projects host, project token)")
def _(sb: Sandbox):
    body = sa().get_project(142).raw_json()
    check(isinstance(body, dict) and "targets" in body, f"not a project.json: {str(body)[:120]!r}")


@scenario("scratchattach", "get_studio(5342) + curators / managers / projects / comments")
def _(sb: Sandbox):
    studio = sa().get_studio(5342)
    raw = sb.api("/studios/5342")
    equal(studio.id, 5342, "id")
    equal(studio.title, raw["title"], "title")
    equal(studio.host_id, raw["host"], "host_id")
    equal(studio.follower_count, raw["stats"]["followers"], "follower_count")
    equal([u.username for u in studio.curators(limit=40)],
          sb.ids("/studios/5342/curators", key="username", limit=40), "curators")
    equal([u.username for u in studio.managers(limit=40)],
          sb.ids("/studios/5342/managers", key="username", limit=40), "managers")
    equal([p.id for p in studio.projects(limit=40)], sb.ids("/studios/5342/projects", limit=40),
          "project ids")
    equal([c.id for c in studio.comments(limit=40)], sb.ids("/studios/5342/comments", limit=40),
          "comment ids")


@scenario("scratchattach", "studio.activity()")
def _(sb: Sandbox):
    activity = sa().get_studio(5342).activity(limit=20)
    expected = sb.api("/studios/5342/activity", limit=20)
    check(len(expected) > 0, "sandbox: studio 5342 has no activity")
    equal(len(activity), len(expected), "activity count")


@scenario("scratchattach", "get_news()")
def _(sb: Sandbox):
    news = sa().get_news(limit=5)
    equal([n["id"] for n in news], sb.ids("/news", limit=5), "news ids")


@scenario("scratchattach", "featured_data() / featured_projects() / newest_projects()")
def _(sb: Sandbox):
    featured = sb.api("/proxy/featured")
    equal(sa().featured_projects(), featured["community_featured_projects"], "featured projects")
    equal(sa().newest_projects(), featured["community_newest_projects"], "newest projects")
    equal(sa().top_loved(), featured["community_most_loved_projects"], "most loved")
    equal(sa().featured_studios(), featured["community_featured_studios"], "featured studios")


@scenario("scratchattach", "explore_projects() / search_projects() / explore_studios() / search_studios()")
def _(sb: Sandbox):
    explored = sa().explore_projects(query="*", mode="trending", language="en", limit=20)
    equal([p.id for p in explored],
          sb.ids("/explore/projects", q="*", mode="trending", language="en", limit=20), "explore ids")
    found = sa().search_projects(query="cat", mode="popular", language="en", limit=20)
    expected = sb.ids("/search/projects", q="cat", mode="popular", language="en", limit=20)
    check(len(expected) > 0, "sandbox: search 'cat' finds nothing")
    equal([p.id for p in found], expected, "search ids")
    equal([s.id for s in sa().explore_studios(query="*", mode="trending", limit=20)],
          sb.ids("/explore/studios", q="*", mode="trending", language="en", limit=20),
          "explore studio ids")
    equal([s.id for s in sa().search_studios(query="art", mode="popular", limit=20)],
          sb.ids("/search/studios", q="art", mode="popular", language="en", limit=20),
          "search studio ids")


@scenario("scratchattach", "check_username()")
def _(sb: Sandbox):
    equal(sa().check_username("mres"), "username exists", "check_username('mres')")
    equal(sa().check_username("a_fresh_name_42"), "valid username", "check_username(fresh)")


@scenario("scratchattach", "statistics (daily, monthly-ga, monthly)")
def _(sb: Sandbox):
    daily = sb.site("/statistics/data/daily")
    daily.pop("_TS")
    equal(sa().total_site_stats(), daily, "total_site_stats()")
    check("pageviews" in sa().monthly_site_traffic(), "monthly_site_traffic() lacks pageviews")
    monthly = sb.site("/statistics/data/monthly")
    equal(sa().country_counts(), monthly["country_distribution"], "country_counts()")
    check(len(sa().age_distribution()) > 0, "age_distribution() is empty")
    equal(sa().monthly_active_users(), monthly["active_user_data"], "monthly_active_users()")


@scenario("scratchattach", "get_health() / get_total_project_count()")
def _(sb: Sandbox):
    check("sql" in sa().get_health(), "health lacks 'sql'")
    equal(sa().get_total_project_count(), sb.api("/projects/count/all")["count"], "project count")


@scenario("scratchattach", "get_cloud(142).logs() (clouddata logs)")
def _(sb: Sandbox):
    logs = sa().get_cloud(142).logs(limit=10)
    expected = sb.get("/clouddata/logs", projectid=142, limit=10, offset=0)
    check(len(expected) > 0, "sandbox: project 142 has no cloud logs")
    equal([(a.username, a.var, a.value) for a in logs],
          [(e["user"], e["name"], e["value"]) for e in expected], "log entries")


@scenario("scratchattach", "user.ocular_status() (my-ocular)")
def _(sb: Sandbox):
    status = sa().get_user("griffpatch").ocular_status()
    check(isinstance(status, dict), f"not a dict: {status!r}")


# --- logged in: login, cloud variables over the WebSocket, writes ------------------------

# The password of every seeded sandbox account (scratchkit_sandbox::DEMO_PASSWORD).
DEMO_PASSWORD = "scratchkit-demo"


def fresh_value() -> int:
    """A cloud value no earlier run has set (numeric, as Scratch requires)."""
    return int(time.time() * 1000) % 10**9 + 10**9


def recent_cloud_values(sb: Sandbox, project: int) -> list:
    return [(e["user"], e["name"], e["value"])
            for e in sb.get("/clouddata/logs", projectid=project, limit=20, offset=0)]


@scenario("scratchattach", "login() + session.connect_user() / message_count()")
def _(sb: Sandbox):
    session = sa().login("griffpatch", DEMO_PASSWORD)
    equal(session.username, "griffpatch", "session.username")
    check(bool(session.xtoken), "no X-Token decoded from the session")
    equal(session.connect_user("griffpatch").id, sb.api("/users/griffpatch")["id"], "own user id")
    equal(session.message_count(), sb.api("/users/griffpatch/messages/count")["count"],
          "message_count()")


@scenario("scratchattach", "connect_cloud(142).set_var() (cloud WebSocket) + get_var()")
def _(sb: Sandbox):
    session = sa().login("griffpatch", DEMO_PASSWORD)
    cloud = session.connect_cloud(142)
    value = fresh_value()
    try:
        cloud.set_var("score", value)
    finally:
        cloud.disconnect()
    check(("griffpatch", "☁ score", str(value)) in recent_cloud_values(sb, 142),
          f"set {value} is not in the sandbox's cloud log")
    equal(str(sa().get_cloud(142).get_var("score")), str(value), "get_var('score')")


@scenario("scratchattach", "project.post_comment() (write, CSRF + X-Token)")
def _(sb: Sandbox):
    session = sa().login("kakurenbo", DEMO_PASSWORD)
    text = f"compat comment {fresh_value()}"
    comment = session.connect_project(142).post_comment(text)
    latest = sb.api("/users/mres/projects/142/comments", limit=40)
    posted = next((c for c in latest if c["content"] == text), None)
    check(posted is not None, "the comment is not in the project's comments")
    equal(posted["author"]["username"], "kakurenbo", "comment author")
    equal(int(comment.id), posted["id"], "returned comment id")


# --- more writes: loves, follows, studios, project edits, comment threads -----------------

_counter = [0]


def unique(label: str) -> str:
    _counter[0] += 1
    return f"compat {label} {fresh_value()}-{_counter[0]}"


def no_flood(sb: Sandbox) -> None:
    """The sandbox enforces Scratch's comment flood control; scenarios post many comments in a
    row, so turn it off (an admin setting, not a library action)."""
    sb.admin("/settings", {"comment_flood_seconds": 0})


def own_project(sb: Sandbox, owner: str, shared: bool = True) -> int:
    return sb.admin("/projects", {"owner": owner, "title": unique("project"), "shared": shared})["id"]


def own_studio(sb: Sandbox, owner: str) -> int:
    return sb.admin("/studios", {"owner": owner, "title": unique("studio")})["id"]


@scenario("scratchattach", "project.love() / unlove() / favorite() / unfavorite()")
def _(sb: Sandbox):
    project = sa().login("kakurenbo", DEMO_PASSWORD).connect_project(142)
    stats = lambda: sb.api("/projects/142")["stats"]
    before = stats()
    project.love()
    project.favorite()
    after = stats()
    equal(after["loves"], before["loves"] + 1, "loves after love()")
    equal(after["favorites"], before["favorites"] + 1, "favorites after favorite()")
    project.unlove()
    project.unfavorite()
    equal((stats()["loves"], stats()["favorites"]), (before["loves"], before["favorites"]),
          "loves and favorites after unlove() / unfavorite()")


@scenario("scratchattach", "user.loves() / loves_count() (HTML loves page)")
def _(sb: Sandbox):
    project = own_project(sb, "griffpatch")
    user = sa().get_user("kakurenbo")
    before = user.loves_count()
    sa().login("kakurenbo", DEMO_PASSWORD).connect_project(project).love()
    equal(user.loves_count(), before + 1, "loves_count() after love()")
    loved = user.loves(limit=40)
    check(len(loved) > 0, "loves() is empty after love()")
    equal(str(loved[0].id), str(project), "the newest love comes first")
    equal(loved[0].title, sb.api(f"/projects/{project}")["title"], "title")
    equal(loved[0].author_name, "griffpatch", "author_name")
    # Past the last page the site's 404 ends the list instead of failing.
    equal(len(user.loves(limit=40, offset=4000)), 0, "a page past the end")


@scenario("scratchattach", "user.follow() / unfollow() (site-api)")
def _(sb: Sandbox):
    session = sa().login("Maximouse", DEMO_PASSWORD)
    user = session.connect_user("mres")
    user.follow()
    check("Maximouse" in sb.all_ids("/users/mres/followers", key="username"),
          "Maximouse is not among mres's followers after follow()")
    user.unfollow()
    check("Maximouse" not in sb.all_ids("/users/mres/followers", key="username"),
          "Maximouse still follows mres after unfollow()")


@scenario("scratchattach", "studio.follow() / unfollow() (site-api bookmarkers)")
def _(sb: Sandbox):
    studio = sa().login("Maximouse", DEMO_PASSWORD).connect_studio(5342)
    followers = lambda: sb.api("/studios/5342")["stats"]["followers"]
    before = followers()
    studio.follow()
    equal(followers(), before + 1, "studio followers after follow()")
    studio.unfollow()
    equal(followers(), before, "studio followers after unfollow()")


@scenario("scratchattach", "studio.add_project() / remove_project()")
def _(sb: Sandbox):
    project, studio_id = own_project(sb, "griffpatch"), own_studio(sb, "griffpatch")
    studio = sa().login("griffpatch", DEMO_PASSWORD).connect_studio(studio_id)
    studio.add_project(project)
    check(project in sb.ids(f"/studios/{studio_id}/projects", limit=40),
          "the project is not in the studio after add_project()")
    studio.remove_project(project)
    check(project not in sb.ids(f"/studios/{studio_id}/projects", limit=40),
          "the project is still in the studio after remove_project()")


@scenario("scratchattach", "project.set_title() / set_instructions() (api PUT, X-Token)")
def _(sb: Sandbox):
    project_id = own_project(sb, "griffpatch")
    project = sa().login("griffpatch", DEMO_PASSWORD).connect_project(project_id)
    title, instructions = unique("title"), unique("instructions")
    project.set_title(title)
    project.set_instructions(instructions)
    raw = sb.api(f"/projects/{project_id}")
    equal(raw["title"], title, "title")
    equal(raw["instructions"], instructions, "instructions")


@scenario("scratchattach", "project.share() / unshare() (proxy, CSRF)")
def _(sb: Sandbox):
    project_id = own_project(sb, "griffpatch", shared=False)
    equal(sb.status(f"/api/projects/{project_id}"), 404, "unshared project, logged out")
    project = sa().login("griffpatch", DEMO_PASSWORD).connect_project(project_id)
    project.share()
    equal(sb.status(f"/api/projects/{project_id}"), 200, "after share()")
    project.unshare()
    equal(sb.status(f"/api/projects/{project_id}"), 404, "after unshare()")


@scenario("scratchattach", "project.reply_comment() / delete_comment() (own project)")
def _(sb: Sandbox):
    no_flood(sb)
    project_id = own_project(sb, "griffpatch")
    project = sa().login("griffpatch", DEMO_PASSWORD).connect_project(project_id)
    top = project.post_comment(unique("top"))
    text = unique("reply")
    reply = project.reply_comment(text, parent_id=top.id)
    replies = sb.api(f"/users/griffpatch/projects/{project_id}/comments/{top.id}/replies", limit=40)
    equal([r["content"] for r in replies], [text], "replies")
    equal(int(reply.id), replies[0]["id"], "reply id")
    project.delete_comment(comment_id=top.id)
    check(int(top.id) not in sb.ids(f"/users/griffpatch/projects/{project_id}/comments", limit=40),
          "the comment is still listed after delete_comment()")


@scenario("scratchattach", "studio.post_comment() / delete_comment()")
def _(sb: Sandbox):
    no_flood(sb)
    studio_id = own_studio(sb, "griffpatch")
    studio = sa().login("griffpatch", DEMO_PASSWORD).connect_studio(studio_id)
    text = unique("studio comment")
    comment = studio.post_comment(text)
    listed = sb.api(f"/studios/{studio_id}/comments", limit=40)
    equal([(c["id"], c["content"]) for c in listed], [(int(comment.id), text)], "studio comments")
    studio.delete_comment(comment_id=comment.id)
    equal(sb.api(f"/studios/{studio_id}/comments", limit=40), [], "studio comments after delete")


@scenario("scratchattach", "user.comments() (profile comments, HTML parser)")
def _(sb: Sandbox):
    comments = sa().get_user("griffpatch").comments(page=1)
    html = sb.text("/site/site-api/comments/user/griffpatch/?page=1")
    top_ids = re.findall(r'<li class="top-level-reply">\s*<div id="comments-(\d+)"', html)
    check(len(top_ids) > 0, "sandbox: griffpatch's profile page 1 has no comments")
    equal([str(c.id) for c in comments], top_ids, "top-level comment ids")
    check(all(c.author_name and c.content for c in comments), "a comment lacks author or content")
    with_replies = [c for c in comments if c.cached_replies]
    check(len(with_replies) > 0, "no comment came with its replies")


@scenario("scratchattach", "cloud events: a set by another user reaches CloudEvents (/cloud)")
def _(sb: Sandbox):
    listener = sa().login("griffpatch", DEMO_PASSWORD).connect_cloud(142)
    events = listener.events()
    seen: list = []
    got = threading.Event()

    @events.event
    def on_set(activity):
        seen.append((activity.username if hasattr(activity, "username") else None,
                     activity.var, str(activity.value)))
        got.set()

    events.start(thread=True)
    writer = sa().login("kakurenbo", DEMO_PASSWORD).connect_cloud(142)
    value = fresh_value()
    try:
        time.sleep(0.7)  # CloudEvents ignores what arrives in its first 500 ms
        writer.set_var("score", value)
        got.wait(5)
    finally:
        events.stop()
        writer.disconnect()
    check(any(v == str(value) and name == "score" for _, name, v in seen),
          f"no set event for {value}: {seen[:5]}")


@scenario("scratchattach", "TurboWarp cloud (/turbowarp): set_var() reaches another connection")
def _(sb: Sandbox):
    listener = sa().get_tw_cloud(142, purpose="compat listener", contact="compat harness")
    events = listener.events()
    seen: list = []
    got = threading.Event()

    @events.event
    def on_set(activity):
        seen.append((activity.var, str(activity.value)))
        got.set()

    events.start(thread=True)
    writer = sa().get_tw_cloud(142, purpose="compat writer", contact="compat harness")
    value = str(fresh_value())
    try:
        time.sleep(0.7)
        writer.set_var("score", value)
        got.wait(5)
    finally:
        events.stop()
        writer.disconnect()
    check(("score", value) in seen, f"the TurboWarp set did not arrive: {seen[:5]}")


@scenario("scratchattach", "CloudRequests host answers a template-style request (/cloud)")
def _(sb: Sandbox):
    host = sa().login("griffpatch", DEMO_PASSWORD).connect_cloud(142)
    requests_handler = host.requests(used_cloud_vars=["1"])

    @requests_handler.request
    def ping():
        return "pong"

    requests_handler.start(thread=True)
    requester = sa().login("kakurenbo", DEMO_PASSWORD).connect_cloud(142)
    request_id = f"{fresh_value() % 89999 + 10001}0"
    try:
        time.sleep(1.0)
        # What the template sprite sends: Encode("ping") + "." + id (cloud-requests.md 3.1).
        requester.set_var("TO_HOST", f"51374733.{request_id}")
        deadline = time.monotonic() + 8
        answer = None
        while answer is None and time.monotonic() < deadline:
            answer = next((value for user, name, value in recent_cloud_values(sb, 142)
                           if user == "griffpatch" and name == "☁ FROM_HOST_1"
                           and request_id in value), None)
            time.sleep(0.1)
    finally:
        requests_handler.stop()
        requester.disconnect()
    check(answer is not None, f"no FROM_HOST_1 answer for request {request_id}")
    # Encode("pong") = 51494733, then "." + the request id + the validation suffix.
    check(answer.startswith(f"51494733.{request_id}"), f"answer {answer!r}")


# ---------------------------------------------------------------------------------------
# scratchclient 1.0.1
# ---------------------------------------------------------------------------------------

def sc():
    from scratchclient import ScratchSession

    return ScratchSession()


@scenario("scratchclient", "get_user('mres') fields")
def _(sb: Sandbox):
    user = sc().get_user("mres")
    raw = sb.api("/users/mres")
    equal(user.id, 167, "id")
    equal(user.username, "mres", "username")
    equal(user.scratchteam, True, "scratchteam")
    equal(user.joined_timestamp, raw["history"]["joined"], "joined_timestamp")
    equal(user.profile.country, raw["profile"]["country"], "profile.country")
    equal(user.profile.bio, raw["profile"]["bio"], "profile.bio")


@scenario("scratchclient", "user.get_projects(all=True)")
def _(sb: Sandbox):
    projects = sc().get_user("griffpatch").get_projects(all=True)
    expected = sb.ids("/users/griffpatch/projects", limit=40)
    check(len(expected) > 0, "sandbox: griffpatch has no projects")
    equal([p.id for p in projects], expected, "project ids")
    check(all(p.author.username == "griffpatch" for p in projects), "author is not griffpatch")


@scenario("scratchclient", "user.get_followers(all=True) / get_following()")
def _(sb: Sandbox):
    user = sc().get_user("griffpatch")
    followers = user.get_followers(all=True)
    expected = []
    while True:
        page = sb.ids("/users/griffpatch/followers", key="username", limit=40, offset=len(expected))
        expected += page
        if len(page) < 40:
            break
    equal([u.username for u in followers], expected, "follower names")
    equal([u.username for u in user.get_following(limit=20)],
          sb.ids("/users/griffpatch/following", key="username", limit=20), "following names")


@scenario("scratchclient", "user.get_favorites() / get_curating() / get_message_count()")
def _(sb: Sandbox):
    user = sc().get_user("griffpatch")
    equal([p.id for p in user.get_favorites(limit=20)],
          sb.ids("/users/griffpatch/favorites", limit=20), "favorite ids")
    equal([s.id for s in user.get_curating(limit=20)],
          sb.ids("/users/griffpatch/studios/curate", limit=20), "curated studio ids")
    equal(user.get_message_count(), sb.api("/users/griffpatch/messages/count")["count"],
          "message count")


@scenario("scratchclient", "get_project(142) + remixes / comments / studios")
def _(sb: Sandbox):
    project = sc().get_project(142)
    raw = sb.api("/projects/142")
    equal(project.title, "PlayWithYourFace", "title")
    equal(project.author.username, "mres", "author")
    equal(project.view_count, raw["stats"]["views"], "view_count")
    equal(project.shared_timestamp, raw["history"]["shared"], "shared_timestamp")
    equal([p.id for p in project.get_remixes(limit=20)], sb.ids("/projects/142/remixes", limit=20),
          "remix ids")
    equal([c.id for c in project.get_comments(limit=20)],
          sb.ids("/users/mres/projects/142/comments", limit=20), "comment ids")
    equal([s.id for s in project.get_studios(limit=20)],
          sb.ids("/users/mres/projects/142/studios", limit=20), "studio ids")


@scenario("scratchclient", "project.get_cloud_logs()")
def _(sb: Sandbox):
    logs = sc().get_project(142).get_cloud_logs(limit=10)
    expected = sb.get("/clouddata/logs", projectid=142, limit=10, offset=0)
    check(len(expected) > 0, "sandbox: project 142 has no cloud logs")
    # scratchclient hands the log entries back as the decoded JSON objects.
    equal(logs, expected, "log entries")


@scenario("scratchclient", "project.get_remixtree() (site remixtree/bare)")
def _(sb: Sandbox):
    tree = sc().get_project(142).get_remixtree()
    remixes = sb.ids("/projects/142/remixes", limit=40)
    check(len(remixes) > 0, "sandbox: project 142 has no remixes")
    ids = {int(node.id) for node in tree}
    check(set(remixes) <= ids, f"remix tree {sorted(ids)[:10]} lacks remixes {remixes[:10]}")


@scenario("scratchclient", "get_studio(5342) + projects / curators / managers / comments / activity")
def _(sb: Sandbox):
    studio = sc().get_studio(5342)
    raw = sb.api("/studios/5342")
    equal(studio.title, raw["title"], "title")
    equal(studio.host, raw["host"], "host")
    equal(studio.follower_count, raw["stats"]["followers"], "follower_count")
    equal([p.id for p in studio.get_projects(limit=20)], sb.ids("/studios/5342/projects", limit=20),
          "project ids")
    equal([u.username for u in studio.get_curators(limit=20)],
          sb.ids("/studios/5342/curators", key="username", limit=20), "curators")
    equal([u.username for u in studio.get_managers(limit=20)],
          sb.ids("/studios/5342/managers", key="username", limit=20), "managers")
    equal([c.id for c in studio.get_comments(limit=20)], sb.ids("/studios/5342/comments", limit=20),
          "comment ids")
    equal(len(studio.get_activity(limit=20)), len(sb.api("/studios/5342/activity", limit=20)),
          "activity count")


@scenario("scratchclient", "get_news() / get_front_page()")
def _(sb: Sandbox):
    session = sc()
    equal([n.id for n in session.get_news(limit=5)], sb.ids("/news", limit=5), "news ids")
    front = session.get_front_page()
    featured = sb.api("/proxy/featured")
    check(isinstance(front, dict), f"front page is {type(front).__name__}")
    equal([p.id for p in front["featured_projects"]],
          [p["id"] for p in featured["community_featured_projects"]], "featured project ids")


@scenario("scratchclient", "explore / search projects and studios")
def _(sb: Sandbox):
    session = sc()
    equal([p.id for p in session.explore_projects(mode="trending", query="*", language="en")],
          sb.ids("/explore/projects", mode="trending", q="*", language="en"), "explore ids")
    equal([p.id for p in session.search_projects(mode="popular", query="cat", language="en")],
          sb.ids("/search/projects", mode="popular", q="cat", language="en"), "search ids")
    equal([s.id for s in session.explore_studios(mode="trending", query="*")],
          sb.ids("/explore/studios", mode="trending", q="*"), "explore studio ids")
    equal([s.id for s in session.search_studios(mode="popular", query="art")],
          sb.ids("/search/studios", mode="popular", q="art"), "search studio ids")


@scenario("scratchclient", "get_statistics()")
def _(sb: Sandbox):
    stats = sc().get_statistics()
    daily = sb.site("/statistics/data/daily")
    check(isinstance(stats, dict), f"statistics is {type(stats).__name__}")
    equal(stats["overall"]["PROJECT_COUNT"], daily["PROJECT_COUNT"], "overall PROJECT_COUNT")
    check("pageviews" in stats["last_month"], "last_month lacks pageviews")


@scenario("scratchclient", "ScratchSession(username, password) login")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    session = ScratchSession("griffpatch", DEMO_PASSWORD)
    equal(session.logged_in, True, "logged_in")
    check(bool(session.session_id) and bool(session.token), "no session id or token")
    equal(session.user.id, sb.api("/users/griffpatch")["id"], "session.user.id")


@scenario("scratchclient", "create_cloud_connection(142).set_cloud_variable() (own WebSocket)")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    session = ScratchSession("griffpatch", DEMO_PASSWORD)
    # Starts a non-daemon reader thread that never ends: main() leaves with os._exit.
    connection = session.create_cloud_connection(142)
    value = fresh_value()
    connection.set_cloud_variable("score", value)
    deadline = time.monotonic() + 5
    while (("griffpatch", "☁ score", str(value)) not in recent_cloud_values(sb, 142)
           and time.monotonic() < deadline):
        time.sleep(0.05)
    check(("griffpatch", "☁ score", str(value)) in recent_cloud_values(sb, 142),
          f"set {value} is not in the sandbox's cloud log")


@scenario("scratchclient", "project.post_comment() (write)")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    session = ScratchSession("Maximouse", DEMO_PASSWORD)
    text = f"compat comment {fresh_value()}"
    session.get_project(142).post_comment(text)
    latest = sb.api("/users/mres/projects/142/comments", limit=40)
    posted = next((c for c in latest if c["content"] == text), None)
    check(posted is not None, "the comment is not in the project's comments")
    equal(posted["author"]["username"], "Maximouse", "comment author")


@scenario("scratchclient", "project.love() / favorite() / unlove() / unfavorite()")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    project = ScratchSession("PMJ_Studio", DEMO_PASSWORD).get_project(142)
    stats = lambda: sb.api("/projects/142")["stats"]
    before = stats()
    project.love()
    project.favorite()
    equal((stats()["loves"], stats()["favorites"]),
          (before["loves"] + 1, before["favorites"] + 1), "loves and favorites after love/favorite")
    project.unlove()
    project.unfavorite()
    equal((stats()["loves"], stats()["favorites"]), (before["loves"], before["favorites"]),
          "loves and favorites after unlove/unfavorite")


@scenario("scratchclient", "user.follow() / unfollow()")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    user = ScratchSession("PMJ_Studio", DEMO_PASSWORD).get_user("mres")
    user.follow()
    check("PMJ_Studio" in sb.all_ids("/users/mres/followers", key="username"),
          "PMJ_Studio does not follow mres after follow()")
    user.unfollow()
    check("PMJ_Studio" not in sb.all_ids("/users/mres/followers", key="username"),
          "PMJ_Studio still follows mres after unfollow()")


@scenario("scratchclient", "studio.add_project() / remove_project()")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    project, studio_id = own_project(sb, "kakurenbo"), own_studio(sb, "kakurenbo")
    studio = ScratchSession("kakurenbo", DEMO_PASSWORD).get_studio(studio_id)
    studio.add_project(project)
    check(project in sb.ids(f"/studios/{studio_id}/projects", limit=40),
          "the project is not in the studio after add_project()")
    studio.remove_project(project)
    check(project not in sb.ids(f"/studios/{studio_id}/projects", limit=40),
          "the project is still in the studio after remove_project()")


@scenario("scratchclient", "forums: get_latest_topic_posts() (Atom) / get_post_source()")
def _(sb: Sandbox):
    from scratchclient import ScratchSession

    session = ScratchSession()
    index = sb.text("/site/discuss/")
    categories = re.findall(r'href="/discuss/(\d+)/"', index)
    check(len(categories) > 0, "sandbox: no forum categories")
    category = sb.text(f"/site/discuss/{categories[0]}/")
    topics = re.findall(r'href="/discuss/topic/(\d+)/"', category)
    check(len(topics) > 0, "sandbox: no topics in the first category")
    posts = session.forums.get_latest_topic_posts(int(topics[0]))
    feed = sb.text(f"/site/discuss/feeds/topic/{topics[0]}/")
    feed_ids = re.findall(r"<entry>.*?<id>(\d+)</id>", feed, flags=re.S)
    check(len(feed_ids) > 0, "sandbox: the topic feed has no posts")
    equal(sorted(int(p.id) for p in posts), sorted(int(i) for i in feed_ids), "post ids")
    source = session.forums.get_post_source(int(feed_ids[0]))
    equal(source, sb.text(f"/site/discuss/post/{feed_ids[0]}/source/"), "post source")


# Not a scenario: scratchclient 1.0.1's is_valid_username() cannot work against any server
# (it reads `response[0].msg` on a dict and raises AttributeError), see README.md.


# ---------------------------------------------------------------------------------------
# runner
# ---------------------------------------------------------------------------------------

def run_one(library: str, name: str, fn: Callable[[Sandbox], None], sb: Sandbox) -> dict:
    start = len(redirect.EXCHANGES)
    captured = io.StringIO()
    began = time.monotonic()
    status, reason = "PASS", ""
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fn(sb)
    except CheckFailed as e:
        status, reason = "FAIL", str(e)
    except Exception as e:  # the library raised: report where
        frames = traceback.extract_tb(e.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)
                      if "site-packages" in f.filename), "")
        status, reason = "FAIL", f"{type(e).__name__}: {e}"[:300] + (f" (at {where})" if where else "")
    exchanges = redirect.EXCHANGES[start:]
    unserved = sorted({x.describe() for x in exchanges if x.status is None or x.status >= 400})
    if status == "FAIL" and unserved:
        reason += " | not served: " + "; ".join(unserved[:5])
    return {
        "library": library,
        "scenario": name,
        "status": status,
        "reason": reason,
        "requests": len(exchanges),
        "unserved": unserved,
        "seconds": round(time.monotonic() - began, 3),
        "output": captured.getvalue()[-500:],
    }


def expected_minimum() -> int:
    try:
        return int((HERE / "expected_pass_count").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sandbox", default=os.environ.get("SCRATCHKIT_SANDBOX"),
                        help="HOST:PORT of a running sandbox (default: $SCRATCHKIT_SANDBOX)")
    parser.add_argument("--only", help="run the scenarios whose 'library: name' contains this")
    parser.add_argument("--verbose", action="store_true", help="also print each scenario's requests")
    args = parser.parse_args()
    if not args.sandbox:
        parser.error("no sandbox: pass --sandbox HOST:PORT or set SCRATCHKIT_SANDBOX")
    redirect.install(args.sandbox)
    sb = Sandbox(args.sandbox)

    results = []
    for library, name, fn in SCENARIOS:
        if args.only and args.only.lower() not in f"{library}: {name}".lower():
            continue
        result = run_one(library, name, fn, sb)
        results.append(result)
        line = f"{result['status']}  {library}: {name}"
        if result["reason"]:
            line += f"\n      {result['reason']}"
        print(line, flush=True)
        if args.verbose:
            for x in redirect.EXCHANGES[-result["requests"]:] if result["requests"] else []:
                print(f"        {x.describe()}")

    passed = sum(r["status"] == "PASS" for r in results)
    minimum = expected_minimum()
    summary = {"passed": passed, "failed": len(results) - passed, "expected_min": minimum,
               "results": results}
    print(json.dumps(summary, indent=1))
    if args.only is None and passed < minimum:
        print(f"compat: {passed} passed, fewer than the recorded minimum {minimum}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: scratchclient's cloud connection leaves a non-daemon thread running.
    os._exit(code)
