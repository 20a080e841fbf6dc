"""Cloud Requests from Python, end to end against the sandbox's cloud server: a host with
Python handlers (``CloudConnection.requests()``) and, in the same test, the project's side
played by ``TemplateClient`` (the template sprite's protocol) on another account."""

import asyncio
import json
import threading

import pytest

import scratchkit
from scratchkit import CloudError, TemplateClient

PROJECT = 142


@pytest.fixture
def sb(scratch_sandbox_server):
    scratch_sandbox_server.reset()
    return scratch_sandbox_server


def player(sb, username="kakurenbo", *, timeout=10.0):
    session = scratchkit.login(username, scratchkit.DEMO_PASSWORD, sandbox=sb)
    connection = session.connect_cloud(PROJECT)
    assert connection.next_event(timeout=5) == scratchkit.CloudEvent("connected")
    return TemplateClient(connection, timeout=timeout)


def host_connection(sb, username="griffpatch"):
    return scratchkit.login(username, scratchkit.DEMO_PASSWORD, sandbox=sb).connect_cloud(PROJECT)


def test_python_handlers_answer_the_template(sb, tmp_path):
    host = host_connection(sb).requests(snapshot_window=0.3)
    seen = []

    @host.request
    def ping():
        return "pong"

    @host.request(name="add")
    def add_numbers(a, b):
        return int(a) + int(b)

    @host.request
    def whoami():
        info = host.get_request()
        return [info.name, info.request_id, str(host.get_timestamp() > 0), host.get_requester()]

    @host.request
    def fails():
        raise ValueError("no such thing")

    @host.request
    def long_text():
        return "abc " * 400  # several packets

    @host.request
    def nothing():
        return None

    @host.event
    def on_request(event):
        seen.append((event.name, event.detail))

    storage = host.use_storage(["scores"], file=tmp_path / "storage.json")
    with host:
        assert host.wait_until_ready(10), "the host never became ready"
        template = player(sb)
        assert template.request("ping").items == ["pong"]
        added = template.request("add", 40, 2)
        assert added.items == ["42"]
        name, request_id, stamped, requester = template.request("whoami").items
        assert (name, stamped) == ("whoami", "True") and len(request_id) == 6
        assert requester == "kakurenbo"  # from the cloud log's row of that TO_HOST value
        # The project learns that it failed, not why (the reason stays in the host's events).
        failed = template.request("fails").items
        assert failed[0] == "Error in request fails" and "no such thing" not in " ".join(failed)
        unknown = template.request("no_such_request").items
        assert unknown[0].startswith("Error"), unknown
        long_reply = template.request("long_text")
        assert long_reply.items == ["abc " * 400] and long_reply.packets > 1
        # An empty reply cannot travel: it is sent as "-", as scratchattach does.
        assert template.request("nothing").items == ["-"]
        # Cloud Storage, through the template's own requests and from Python.
        assert template.request("set", "scores", "ada", "12").items == ["Value set"]
        assert template.request("get", "scores", "ada").items == ["12"]
        assert storage.get("scores", "ada") == "12"
        assert storage.set("scores", "bob", 7)
        assert template.request("keys", "scores").items == ["ada", "bob"]
        assert template.request("database_names").items == ["scores"]
        # A push reaches the running project without a request.
        push_id = host.send("hello players")
        assert push_id.startswith("100000000")
        assert template.next_push().items == ["hello players"]
    assert ("add", "40&2") in seen
    assert json.loads((tmp_path / "storage.json").read_text())["scores"] == {"ada": "12", "bob": "7"}
    # Every packet went through the cloud server: the log has the replies.
    names = {row["name"] for row in sb.cloud_log(PROJECT, limit=100)}
    assert "☁ TO_HOST" in names and any(n.startswith("☁ FROM_HOST_") for n in names)


def test_events_report_errors_and_the_end(sb):
    host = host_connection(sb).requests(snapshot_window=0.3, used_cloud_vars=["3"])

    @host.request
    def boom():
        raise RuntimeError("kaboom")

    host.start(thread=True)
    assert host.wait_until_ready(10)
    template = player(sb)
    template.request("boom")
    kinds = []
    while True:
        event = host.next_event(timeout=5)
        assert event is not None, f"no handler_error event; saw {kinds}"
        kinds.append(event.kind)
        if event.kind == "handler_error":
            assert event.name == "boom" and "kaboom" in event.detail
            break
    assert "received" in kinds
    host.stop()
    last = None
    while True:
        event = host.next_event(timeout=5)
        if event is None:
            break
        last = event
    assert last is not None and last.kind == "closed"
    rows = sb.cloud_log(PROJECT, limit=100)
    assert {r["name"] for r in rows if r["name"].startswith("☁ FROM_HOST_")} == {"☁ FROM_HOST_3"}
    with pytest.raises(CloudError):
        host.send("after the end")


def test_coroutine_handlers_run_on_the_hosts_event_loop(sb):
    host = host_connection(sb).requests(snapshot_window=0.3, requester_lookup=False)
    loops = []

    @host.request
    async def slow_echo(text):
        loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0.05)
        return f"{text}, {host.get_requester() is None}"

    async def main():
        serving = asyncio.ensure_future(host.run_async())
        ready = await asyncio.to_thread(host.wait_until_ready, 10)
        assert ready
        template = await asyncio.to_thread(player, sb)
        reply = await asyncio.to_thread(template.request, "slow_echo", "hi")
        await host.stop_async()
        await asyncio.wait_for(serving, 10)
        return asyncio.get_running_loop(), reply

    loop, reply = asyncio.run(main())
    # Without the cloud-log lookup, the requester is None (never guessed).
    assert reply.items == ["hi, True"]
    assert loops == [loop]


def test_a_connection_serves_one_host_and_requests_need_a_running_host(sb):
    connection = host_connection(sb)
    host = connection.requests()
    with pytest.raises(RuntimeError):
        host.send("not started")
    host.start()
    try:
        with pytest.raises(CloudError):
            connection.requests().start()  # the events already belong to the first host
        with pytest.raises(CloudError):
            connection.next_event(timeout=0.1)
        with pytest.raises(RuntimeError):
            host.request(lambda: "late")
    finally:
        host.stop()


def test_template_times_out_without_a_host(sb):
    template = player(sb, timeout=0.5)
    with pytest.raises(TimeoutError):
        template.request("ping")
    assert template.sent, "the request was sent through TO_HOST"


def test_turbowarp_cloud(sb):
    agent = "scratchkit-python-tests/1.0 (tests@example.com)"
    writer = scratchkit.Session(sandbox=sb, user_agent=agent).connect_tw_cloud(PROJECT, username="tw_writer")
    reader = scratchkit.Session(sandbox=sb, user_agent=agent).connect_tw_cloud(PROJECT, username="tw_reader")
    with writer, reader:
        assert reader.next_event(timeout=5) == scratchkit.CloudEvent("connected")
        # TurboWarp's rules: far longer values than Scratch's 256 digits.
        writer.set_var("level", "7" * 1000)
        writer.flush()
        seen = next(e for e in reader.events(timeout=5) if e.kind == "set")
        assert seen == scratchkit.CloudEvent("set", "level", "7" * 1000)


def test_a_host_on_turbowarp(sb):
    agent = "scratchkit-python-tests/1.0 (tests@example.com)"
    host = scratchkit.Session(sandbox=sb, user_agent=agent).connect_tw_cloud(PROJECT, username="host") \
        .requests(snapshot_window=0.3)
    done = threading.Event()

    @host.request
    def shout(text):
        done.set()
        return f"{text.upper()} from {host.get_requester()}"

    with host:
        assert host.wait_until_ready(10)
        connection = scratchkit.Session(sandbox=sb, user_agent=agent).connect_tw_cloud(PROJECT, username="p")
        assert connection.next_event(timeout=5) == scratchkit.CloudEvent("connected")
        # TurboWarp keeps no cloud log: who sent a request is unknown.
        assert TemplateClient(connection).request("shout", "hello").items == ["HELLO from None"]
    assert done.is_set()


def test_a_handler_can_stop_the_host(sb):
    host = host_connection(sb).requests(snapshot_window=0.3)

    @host.request
    def quit():
        host.stop()  # returns at once: the host stops after this reply
        return "bye"

    host.start()
    assert host.wait_until_ready(10)
    assert player(sb).request("quit").items == ["bye"]
    kinds = []
    while not kinds or kinds[-1] != "closed":
        event = host.next_event(timeout=10)
        assert event is not None, f"the host did not stop; saw {kinds}"
        kinds.append(event.kind)
    assert "replied" in kinds
