"""The scratchattach side of the wire-parity check (driven by the `wire-parity` binary).

Runs each named operation through scratchattach 2.2.6 (unmodified, from PyPI) against a
sandbox, with a marker request before it so that the sandbox's request log can be cut into
operations: ``GET /_sandbox/parity?op=NAME`` starts an operation, ``op=-`` starts setup
traffic that is not compared. The scratchkit side (crates/scratchkit-bench/src/bin/
wire_parity/) runs the same operations against its own, identically seeded sandbox.

Usage: python parity_sa.py --sandbox ADDR --ws ADDR --args JSON OP [OP...]
Prints one JSON object: {"ops": {name: "ok" | "raised: ..."}}.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import redirect  # noqa: E402

SANDBOX = ""
ARGS: dict[str, Any] = {}
STATE: dict[str, Any] = {}


def mark(op: str) -> None:
    """Tells the request log that `op` starts ("-": setup, not compared)."""
    query = urllib.parse.urlencode({"op": op})
    try:
        with urllib.request.urlopen(f"http://{SANDBOX}/_sandbox/parity?{query}", timeout=10):
            pass
    except urllib.error.HTTPError:
        pass  # the marker only needs to be logged; the sandbox answers 404


def sa():
    import scratchattach

    return scratchattach


def session():
    return STATE["session"]


# Each operation: (setup or None, action). The setup runs under the "-" marker.
Op = tuple[Callable[[], None] | None, Callable[[], Any]]
OPS: dict[str, Op] = {}


def op(name: str, setup: Callable[[], None] | None = None):
    def register(fn: Callable[[], Any]):
        OPS[name] = (setup, fn)
        return fn

    return register


def keep(key: str, make: Callable[[], Any]) -> Callable[[], None]:
    def setup() -> None:
        STATE[key] = make()

    return setup


# --- reads, logged out ---------------------------------------------------------------

user_setup = keep("user", lambda: sa().get_user(ARGS["user"]))
project_setup = keep("project", lambda: sa().get_project(ARGS["project"]))
studio_setup = keep("studio", lambda: sa().get_studio(ARGS["studio"]))

op("user_info")(lambda: sa().get_user(ARGS["user"]))
op("user_projects", user_setup)(lambda: STATE["user"].projects(limit=40))
op("user_followers", user_setup)(lambda: STATE["user"].followers(limit=40))
op("user_following", user_setup)(lambda: STATE["user"].following(limit=40))
op("user_favorites", user_setup)(lambda: STATE["user"].favorites(limit=40))
op("user_curated_studios", user_setup)(lambda: STATE["user"].studios(limit=40))
op("user_message_count", user_setup)(lambda: STATE["user"].message_count())
op("user_featured_project", user_setup)(lambda: STATE["user"].featured_data())
op("project_info")(lambda: sa().get_project(ARGS["project"]))
op("project_remixes", project_setup)(lambda: STATE["project"].remixes(limit=40))
op("project_studios", project_setup)(lambda: STATE["project"].studios(limit=40))
op("project_comments", project_setup)(lambda: STATE["project"].comments(limit=40))
op("project_comment_replies", project_setup)(
    lambda: STATE["project"].comment_replies(comment_id=ARGS["comment_with_replies"], limit=40))
op("project_body", project_setup)(lambda: STATE["project"].raw_json())
op("studio_info")(lambda: sa().get_studio(ARGS["studio"]))
op("studio_projects", studio_setup)(lambda: STATE["studio"].projects(limit=40))
op("studio_curators", studio_setup)(lambda: STATE["studio"].curators(limit=40))
op("studio_managers", studio_setup)(lambda: STATE["studio"].managers(limit=40))
op("studio_comments", studio_setup)(lambda: STATE["studio"].comments(limit=40))
op("studio_activity", studio_setup)(lambda: STATE["studio"].activity(limit=40))
op("news")(lambda: sa().get_news(limit=10))
op("featured")(lambda: sa().featured_projects())
op("explore_projects")(
    lambda: sa().explore_projects(query="*", mode="trending", language="en", limit=40))
op("search_projects")(
    lambda: sa().search_projects(query="cat", mode="popular", language="en", limit=40))
op("explore_studios")(
    lambda: sa().explore_studios(query="*", mode="trending", language="en", limit=40))
op("search_studios")(
    lambda: sa().search_studios(query="art", mode="popular", language="en", limit=40))
op("check_username")(lambda: sa().check_username("a_fresh_name_42"))
op("health")(lambda: sa().get_health())
op("project_count")(lambda: sa().get_total_project_count())
op("statistics_daily")(lambda: sa().total_site_stats())
op("cloud_logs")(lambda: sa().get_cloud(ARGS["project"]).logs(limit=10))
op("profile_comments_read", user_setup)(lambda: STATE["user"].comments(page=1))

# --- logged in -----------------------------------------------------------------------

op("login")(lambda: STATE.__setitem__("session", sa().login(ARGS["me"], ARGS["password"])))
op("session_message_count")(lambda: session().message_count())

my_target = keep("target", lambda: session().connect_project(ARGS["project"]))
my_project = keep("mine", lambda: session().connect_project(ARGS["my_project"]))
my_studio = keep("my_studio", lambda: session().connect_studio(ARGS["my_studio"]))
other_user = keep("other", lambda: session().connect_user(ARGS["user"]))
other_studio = keep("other_studio", lambda: session().connect_studio(ARGS["studio"]))

op("love", my_target)(lambda: STATE["target"].love())
op("unlove", my_target)(lambda: STATE["target"].unlove())
op("favorite", my_target)(lambda: STATE["target"].favorite())
op("unfavorite", my_target)(lambda: STATE["target"].unfavorite())
op("follow_user", other_user)(lambda: STATE["other"].follow())
op("unfollow_user", other_user)(lambda: STATE["other"].unfollow())
op("follow_studio", other_studio)(lambda: STATE["other_studio"].follow())
op("unfollow_studio", other_studio)(lambda: STATE["other_studio"].unfollow())


def text(kind: str) -> str:
    return f"parity {kind} comment"


def posted(key: str, where: str, kind: str) -> Callable[[], None]:
    """Setup: connect `where` and post a comment there, kept as STATE[key]."""

    def setup() -> None:
        if where == "studio":
            target = session().connect_studio(ARGS["my_studio"])
        else:
            target = session().connect_project(ARGS["my_project" if where == "mine" else "project"])
        STATE[where] = target
        STATE[key] = target.post_comment(text(kind))

    return setup


op("post_project_comment", my_target)(lambda: STATE["target"].post_comment(text("top")))
op("reply_project_comment", posted("parent", "project", "parent"))(
    lambda: STATE["project"].reply_comment(text("reply"), parent_id=STATE["parent"].id))
op("delete_project_comment", posted("doomed", "mine", "doomed"))(
    lambda: STATE["mine"].delete_comment(comment_id=STATE["doomed"].id))
op("report_project_comment", posted("bad", "project", "reported"))(
    lambda: STATE["project"].report_comment(comment_id=STATE["bad"].id))
op("post_studio_comment", my_studio)(lambda: STATE["my_studio"].post_comment(text("studio")))
op("delete_studio_comment", posted("doomed_s", "studio", "doomed"))(
    lambda: STATE["studio"].delete_comment(comment_id=STATE["doomed_s"].id))
op("report_studio_comment", posted("bad_s", "studio", "reported"))(
    lambda: STATE["studio"].report_comment(comment_id=STATE["bad_s"].id))
op("studio_add_project", my_studio)(lambda: STATE["my_studio"].add_project(ARGS["my_project"]))
op("studio_remove_project", my_studio)(
    lambda: STATE["my_studio"].remove_project(ARGS["my_project"]))
op("project_set_title", my_project)(lambda: STATE["mine"].set_title("parity title"))
op("project_set_instructions", my_project)(
    lambda: STATE["mine"].set_instructions("parity instructions"))
op("project_share", my_project)(lambda: STATE["mine"].share())
op("project_unshare", my_project)(lambda: STATE["mine"].unshare())
op("post_profile_comment", other_user)(lambda: STATE["other"].post_comment(text("profile")))
my_profile = keep("me_user", lambda: session().connect_user(ARGS["me"]))
op("delete_profile_comment", my_profile)(
    lambda: STATE["me_user"].delete_comment(comment_id=ARGS["profile_comment_delete"]))
op("report_profile_comment", my_profile)(
    lambda: STATE["me_user"].report_comment(comment_id=ARGS["profile_comment_report"]))


def cloud_set() -> None:
    cloud = session().connect_cloud(ARGS["cloud_project"])
    try:
        cloud.set_var("score", ARGS["cloud_value"])
    finally:
        cloud.disconnect()


def turbowarp_set() -> None:
    cloud = sa().get_tw_cloud(ARGS["cloud_project"], purpose="wire parity",
                              contact="compat harness")
    try:
        cloud.set_var("score", ARGS["cloud_value"])
    finally:
        cloud.disconnect()


op("cloud_set")(cloud_set)
op("turbowarp_cloud_set")(turbowarp_set)
op("logout")(lambda: session().logout())


def main() -> int:
    global SANDBOX, ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--ws", required=True, help="HOST:PORT the cloud WebSockets go to")
    parser.add_argument("--args", required=True, help="the operations' arguments, as JSON")
    parser.add_argument("ops", nargs="+")
    options = parser.parse_args()
    SANDBOX = options.sandbox
    ARGS = json.loads(options.args)
    redirect.install(options.sandbox, ws=options.ws)
    outcomes: dict[str, str] = {}
    for name in options.ops:
        entry = OPS.get(name)
        if entry is None:
            outcomes[name] = "not implemented by the scratchattach side"
            continue
        setup, action = entry
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            try:
                if setup is not None:
                    mark("-")
                    setup()
                mark(name)
                action()
                outcomes[name] = "ok"
            except Exception as e:  # the library raised; its requests were still made
                outcomes[name] = f"raised {type(e).__name__}: {e}"[:200]
        mark("-")
    print(json.dumps({"ops": outcomes}))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
