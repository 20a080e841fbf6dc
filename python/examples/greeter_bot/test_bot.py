"""GreeterBot's test suite: scratchattach, fully offline, against the scratchkit sandbox.

Run with the scratchkit package installed (its pytest plugin provides ``scratch_sandbox``):
``pytest python/examples/greeter_bot``. The bot is the account ``griffpatch`` of the
sandbox's demo world, looking after a fresh project; ``kakurenbo`` and ``Maximouse`` play
its visitors.
"""

import time

import pytest
import scratchattach as sa

from bot import GreeterBot
from scratchkit import DEMO_PASSWORD

# scratchattach warns about credentials in code at every login: these are the sandbox's
# public demo accounts.
pytestmark = pytest.mark.filterwarnings("ignore::scratchattach.LoginDataWarning")


def eventually(probe, seconds=8.0):
    """``probe()``'s first truthy answer within ``seconds``, else None."""
    deadline = time.monotonic() + seconds
    while True:
        answer = probe()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


@pytest.fixture
def project_id(scratch_sandbox):
    scratch_sandbox.settings(comment_flood_seconds=0)
    return scratch_sandbox.create_project("griffpatch", "Greeter", instructions="Say hello!")["id"]


@pytest.fixture
def bot(scratch_sandbox, project_id):
    bot = GreeterBot("griffpatch", DEMO_PASSWORD, project_id)
    yield bot
    bot.stop()


def test_login(bot, scratch_sandbox):
    assert bot.session.username == "griffpatch"
    assert scratch_sandbox.requests(host="scratch.mit.edu", path="/login", method="POST")


def test_replies_to_hello_comments_only(bot, project_id):
    visitor = sa.login("kakurenbo", DEMO_PASSWORD).connect_project(project_id)
    hello = visitor.post_comment("hello bot!")
    visitor.post_comment("nice project")

    assert bot.handle_messages() == {"replies": 1, "thanks": 0}

    replies = visitor.comment_replies(comment_id=hello.id, limit=10)
    assert [r.content for r in replies] == ["Hi @kakurenbo! Thanks for stopping by."]
    assert replies[0].author_name == "griffpatch"
    # the messages were read: a second pass does nothing
    assert bot.session.message_count() == 0
    assert bot.handle_messages() == {"replies": 0, "thanks": 0}


def test_thanks_for_loves(bot, project_id, scratch_sandbox):
    sa.login("Maximouse", DEMO_PASSWORD).connect_project(project_id).love()
    assert bot.handle_messages() == {"replies": 0, "thanks": 1}
    comments = scratch_sandbox.requests(path=f"/proxy/comments/project/{project_id}", method="POST")
    assert len(comments) == 1
    top = bot.project.comments(limit=5)
    assert top[0].content == "Thank you for the love, @Maximouse!"


def test_counts_visits_in_a_cloud_variable(bot, project_id, scratch_sandbox):
    assert bot.visits() == 0
    assert bot.count_visit() == 1
    assert eventually(lambda: scratch_sandbox.cloud_values(project_id).get("visits") == "1")
    assert bot.count_visit() == 2
    assert eventually(lambda: scratch_sandbox.cloud_values(project_id).get("visits") == "2")
    assert bot.visits() == 2


def test_cloud_requests_host_answers(bot, project_id, scratch_sandbox):
    bot.serve()
    player = sa.login("kakurenbo", DEMO_PASSWORD).connect_cloud(project_id)
    request_id = "123450"
    try:
        time.sleep(1.0)  # scratchattach's event reader ignores its first 500 ms
        player.set_var("TO_HOST", f"{sa.Encoding.encode('greet&Ada')}.{request_id}")

        def answer():
            for entry in scratch_sandbox.cloud_log(project_id, limit=20):
                if entry["name"] == "☁ FROM_HOST_1" and f".{request_id}" in entry["value"]:
                    return entry
            return None

        reply = eventually(answer)
    finally:
        player.disconnect()
    assert reply is not None, "the bot did not answer the Cloud Request"
    assert reply["user"] == "griffpatch"
    payload = reply["value"].split(".")[0]
    assert sa.Encoding.decode(payload) == "Hello Ada"


def test_everything_stays_offline(bot, scratch_sandbox):
    import requests

    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("https://scratch.mit.edu.evil.example/")
    assert all(target is not None for _, _, target in scratch_sandbox.redirect.exchanges[:-1])
