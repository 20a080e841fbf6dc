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
