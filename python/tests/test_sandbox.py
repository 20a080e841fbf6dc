"""The Sandbox class: life cycle, administration, request log, cloud values."""

import json
import time
import urllib.error
import urllib.request

import pytest

import scratchkit
from scratchkit import Sandbox, SandboxError

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(sb, path):
    with NO_PROXY.open(sb.url + path, timeout=10) as response:
        return json.loads(response.read())


def test_with_block_serves_then_stops():
    with Sandbox() as sb:
        address = sb.address
        assert address.startswith("127.0.0.1:") and sb.port > 0
        assert get(sb, "/api/users/mres")["id"] == 167
    assert not sb.running
    with pytest.raises(OSError):
        NO_PROXY.open(f"http://{address}/api/users/mres", timeout=2)
    with pytest.raises(RuntimeError):
        sb.address


def test_bad_fault_spec_is_a_value_error():
    with pytest.raises(ValueError):
        Sandbox(faults="nonsense=1").start()


def test_users_with_roles_projects_studios(scratch_sandbox_server):
    sb = scratch_sandbox_server
    sb.reset()
    user = sb.create_user("pytest_teacher", role="teacher", bio="I teach")
    assert user["role"] == "teacher"
    assert get(sb, "/api/users/pytest_teacher")["profile"]["bio"] == "I teach"
    with pytest.raises(SandboxError) as refused:
        sb.create_user("pytest_x", role="wizard")
    assert refused.value.status == 400
    project = sb.create_project("pytest_teacher", "Lesson 1", instructions="Click the flag")
    assert get(sb, f"/api/projects/{project['id']}")["title"] == "Lesson 1"
    studio = sb.create_studio("pytest_teacher", "Class studio")
    assert get(sb, f"/api/studios/{studio['id']}")["title"] == "Class studio"
    session = sb.create_session("pytest_teacher")
    assert session.username == "pytest_teacher" and session.session_id
    assert session.session_id not in repr(session)
    # reset() brings the seeded world back
    sb.reset()
    with pytest.raises(urllib.error.HTTPError) as gone:
        get(sb, "/api/users/pytest_teacher")
    assert gone.value.code == 404


def test_faults_and_settings(scratch_sandbox_server):
    sb = scratch_sandbox_server
    assert sb.set_faults({"kind": "503", "count": 1}) is not None
    with pytest.raises(urllib.error.HTTPError) as failed:
        get(sb, "/api/users/mres")
    assert failed.value.code == 503
    assert get(sb, "/api/users/mres")["id"] == 167  # count=1: only the first
    sb.clear_faults()
    assert sb.faults is None
    before = sb.settings()["comment_flood_seconds"]
    assert sb.settings(comment_flood_seconds=0)["comment_flood_seconds"] == 0
    sb.settings(comment_flood_seconds=before)


def test_request_log_is_filtered_and_redacted(scratch_sandbox_server):
    sb = scratch_sandbox_server
    sb.clear_requests()
    get(sb, "/api/users/griffpatch")
    get(sb, "/api/projects/142")
    logged = sb.requests(host="api.scratch.mit.edu")
    assert [e["path"] for e in logged][-2:] == ["/users/griffpatch", "/projects/142"]
    assert [e["path"] for e in sb.requests(path="/projects/")] == ["/projects/142"]
    sb.clear_requests()
    assert sb.requests() == []


def test_cloud_values_follow_the_cloud_log(scratch_sandbox_server):
    import websocket

    sb = scratch_sandbox_server
    sb.reset()
    session = sb.create_session("griffpatch")
    ws = websocket.create_connection(f"ws://{sb.address}/cloud", cookie=session.cookie,
                                     origin="https://scratch.mit.edu", timeout=5)
    try:
        ws.send(json.dumps({"method": "handshake", "user": "griffpatch", "project_id": "142"}))
        def send(method, name, **fields):
            ws.send(json.dumps({"method": method, "user": "griffpatch", "project_id": "142",
                                "name": name, **fields}) + "\n")

        for value in ("10", "20"):
            send("set", "☁ level", value=value)
        send("set", "☁ old", value="5")
        send("rename", "☁ old", new_name="☁ new")
        send("set", "☁ gone", value="1")
        send("delete", "☁ gone")
    finally:
        ws.close()
    deadline = time.monotonic() + 5
    while sb.cloud_values(142).get("level") != "20" and time.monotonic() < deadline:
        time.sleep(0.05)
    while "new" not in sb.cloud_values(142) and time.monotonic() < deadline:
        time.sleep(0.05)
    values = sb.cloud_values(142)
    assert values["level"] == "20" and values["new"] == "5"
    assert "old" not in values and "gone" not in values
    assert sb.cloud_log(142, limit=1)[0]["user"] == "griffpatch"


def test_version_is_exposed():
    assert scratchkit.__version__
