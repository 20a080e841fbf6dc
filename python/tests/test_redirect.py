"""The scratch_sandbox fixture redirects each library to the sandbox and refuses other hosts."""

import asyncio
import json
import time

import pytest

from scratchkit import DEMO_PASSWORD, HostRefused


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def set_logged(sb, user, name, value):
    return any(e["user"] == user and e["name"] == f"☁ {name}" and e["value"] == value
               for e in sb.cloud_log(142, limit=50))


# -- requests -----------------------------------------------------------------------------

def test_requests_reaches_the_sandbox(scratch_sandbox):
    import requests

    response = requests.get("https://api.scratch.mit.edu/users/mres")
    assert response.status_code == 200 and response.json()["id"] == 167
    assert response.url == "https://api.scratch.mit.edu/users/mres"
    assert scratch_sandbox.requests(path="/users/mres")[-1]["host"] == "api.scratch.mit.edu"


def test_requests_keeps_login_cookies(scratch_sandbox):
    import requests

    s = requests.Session()
    s.get("https://scratch.mit.edu/csrf_token/")
    csrf = s.cookies.get("scratchcsrftoken")
    assert csrf, "the sandbox's CSRF cookie was not kept for scratch.mit.edu"
    login = s.post("https://scratch.mit.edu/login/",
                   json={"username": "griffpatch", "password": DEMO_PASSWORD, "useMessages": True},
                   headers={"X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest",
                            "Referer": "https://scratch.mit.edu"})
    assert login.status_code == 200, login.text
    assert s.cookies.get("scratchsessionsid")
    me = s.get("https://scratch.mit.edu/session/", headers={"X-Requested-With": "XMLHttpRequest"})
    assert me.json()["user"]["username"] == "griffpatch"


def test_requests_refuses_other_hosts(scratch_sandbox):
    import requests

    with pytest.raises(requests.exceptions.ConnectionError) as refused:
        requests.get("https://example.com/")
    assert isinstance(refused.value.args[0], HostRefused)
    assert scratch_sandbox.redirect.exchanges[-1] == ("GET", "https://example.com/", None)


# -- websocket-client ---------------------------------------------------------------------

def test_websocket_client_reaches_the_cloud(scratch_sandbox):
    import websocket

    session = scratch_sandbox.create_session("griffpatch")
    ws = websocket.create_connection("wss://clouddata.scratch.mit.edu", cookie=session.cookie,
                                     origin="https://scratch.mit.edu", timeout=5)
    try:
        ws.send(json.dumps({"method": "handshake", "user": "griffpatch", "project_id": "142"}))
        ws.send(json.dumps({"method": "set", "user": "griffpatch", "project_id": "142",
                            "name": "☁ ws_client", "value": "4242"}))
    finally:
        ws.close()
    assert wait_for(lambda: set_logged(scratch_sandbox, "griffpatch", "ws_client", "4242"))


def test_websocket_client_refuses_other_hosts(scratch_sandbox):
    import websocket

    with pytest.raises(HostRefused):
        websocket.create_connection("wss://echo.websocket.example/", timeout=2)


# -- aiohttp ------------------------------------------------------------------------------

def test_aiohttp_reaches_the_sandbox_and_the_cloud(scratch_sandbox):
    import aiohttp
    session_cookie = scratch_sandbox.create_session("kakurenbo").cookie

    async def main():
        async with aiohttp.ClientSession() as http:
            async with http.get("https://api.scratch.mit.edu/projects/142") as response:
                project = await response.json()
            async with http.ws_connect("wss://clouddata.scratch.mit.edu",
                                       headers={"Cookie": session_cookie,
                                                "Origin": "https://scratch.mit.edu"}) as ws:
                await ws.send_str(json.dumps({"method": "handshake", "user": "kakurenbo",
                                              "project_id": "142"}))
                await ws.send_str(json.dumps({"method": "set", "user": "kakurenbo",
                                              "project_id": "142", "name": "☁ aio",
                                              "value": "77"}))
            return project

    project = asyncio.run(main())
    assert project["title"] == "PlayWithYourFace"
    assert wait_for(lambda: set_logged(scratch_sandbox, "kakurenbo", "aio", "77"))


def test_aiohttp_refuses_other_hosts(scratch_sandbox):
    import aiohttp

    async def main():
        async with aiohttp.ClientSession() as http:
            await http.get("https://pypi.org/simple/")

    with pytest.raises(HostRefused):
        asyncio.run(main())


# -- urllib -------------------------------------------------------------------------------

def test_urllib_reaches_the_sandbox_with_cookies(scratch_sandbox):
    import http.cookiejar
    import urllib.request

    with urllib.request.urlopen("https://api.scratch.mit.edu/users/mres", timeout=10) as response:
        user = json.loads(response.read())
        assert response.geturl() == "https://api.scratch.mit.edu/users/mres"
    assert user["id"] == 167
    assert scratch_sandbox.requests(path="/users/mres")[-1]["host"] == "api.scratch.mit.edu"

    # A login through an opener with a cookie jar, as urllib bots do it.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open("https://scratch.mit.edu/csrf_token/", timeout=10).read()
    csrf = next(c.value for c in jar if c.name == "scratchcsrftoken")
    login = urllib.request.Request(
        "https://scratch.mit.edu/login/", method="POST",
        data=json.dumps({"username": "griffpatch", "password": DEMO_PASSWORD}).encode(),
        headers={"X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest",
                 "Referer": "https://scratch.mit.edu", "Content-Type": "application/json"})
    with opener.open(login, timeout=10) as response:
        assert response.status == 200
    assert any(c.name == "scratchsessionsid" for c in jar)
    assert ("POST", "https://scratch.mit.edu/login/",
            f"http://{scratch_sandbox.address}/site/login/") in scratch_sandbox.redirect.exchanges


def test_urllib_refuses_other_hosts(scratch_sandbox):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.URLError) as refused:
        urllib.request.urlopen("https://example.com/", timeout=2)
    assert isinstance(refused.value.reason, HostRefused)
    assert scratch_sandbox.redirect.exchanges[-1] == ("GET", "https://example.com/", None)


# -- httpx --------------------------------------------------------------------------------

def test_httpx_reaches_the_sandbox_blocking_and_async(scratch_sandbox):
    import httpx

    with httpx.Client() as http:
        response = http.get("https://api.scratch.mit.edu/projects/142")
        assert response.status_code == 200 and response.json()["title"] == "PlayWithYourFace"
        assert str(response.url) == "https://api.scratch.mit.edu/projects/142"
        http.get("https://scratch.mit.edu/csrf_token/")
        assert http.cookies.get("scratchcsrftoken")

    async def main():
        async with httpx.AsyncClient() as http:
            return (await http.get("https://api.scratch.mit.edu/users/griffpatch")).json()

    assert asyncio.run(main())["username"] == "griffpatch"
    hosts = [e["host"] for e in scratch_sandbox.requests()]
    assert hosts.count("api.scratch.mit.edu") == 2 and "scratch.mit.edu" in hosts


def test_httpx_refuses_other_hosts(scratch_sandbox):
    import httpx

    with pytest.raises(httpx.ConnectError) as refused:
        httpx.get("https://example.com/")
    assert isinstance(refused.value.__cause__, HostRefused)

    async def main():
        async with httpx.AsyncClient() as http:
            await http.get("https://pypi.org/simple/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(main())


# -- scratchclient ------------------------------------------------------------------------

def test_scratchclient_login_and_its_own_websocket(scratch_sandbox):
    import scratchclient
    session = scratchclient.ScratchSession("griffpatch", DEMO_PASSWORD)
    assert session.logged_in
    connection = session.create_cloud_connection(142, is_async=True)

    async def main():
        # "handshake", not "connect": scratchclient emits "connect" only after the server's
        # first message, and a project without cloud values sends none.
        connected = asyncio.Event()
        connection.on("handshake", lambda: connected.set())
        loop_task = asyncio.ensure_future(connection.connect())
        try:
            await asyncio.wait_for(connected.wait(), 5)
            await connection.set_cloud_variable("sc", 1234)
        finally:
            loop_task.cancel()
            try:
                await loop_task
            except asyncio.CancelledError:
                pass

    asyncio.run(main())
    assert wait_for(lambda: set_logged(scratch_sandbox, "griffpatch", "sc", "1234"))


def test_scratchclient_websocket_refuses_other_hosts(scratch_sandbox):
    from scratchclient.Websocket import Websocket

    with pytest.raises(HostRefused):
        Websocket().connect("wss://example.org/socket")


def test_uninstalled_after_the_test():
    import requests
    from requests.adapters import HTTPAdapter

    # The fixture of the tests above put the real transport back.
    assert HTTPAdapter.send.__module__ == "requests.adapters"
    assert HTTPAdapter.send.__qualname__ == "HTTPAdapter.send"
