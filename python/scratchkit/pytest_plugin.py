"""The pytest plugin (entry point ``pytest11``): the ``scratch_sandbox`` fixture.

``scratch_sandbox`` is a running ``Sandbox`` with the traffic of requests, websocket-client,
aiohttp, scratchclient, urllib and httpx redirected to it (``scratchkit.redirect``); any
other host is refused, so a test cannot reach the internet through those libraries. One sandbox serves the
whole test session; each test starts from the seeded world (``reset()``), the default
settings, no faults and an empty request log.

    def test_bot_comments(scratch_sandbox):
        session = scratchattach.login("kakurenbo", scratchkit.DEMO_PASSWORD)
        ...
        assert scratch_sandbox.requests(path="/proxy/comments/project/")

``scratch_sandbox_server`` is the session-wide sandbox without the reset or the redirect.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .redirect import Redirect
from .sandbox import Sandbox


@pytest.fixture(scope="session")
def scratch_sandbox_server() -> Iterator[Sandbox]:
    """One sandbox for the test session (started lazily, stopped at the end)."""
    with Sandbox() as sandbox:
        sandbox._default_settings = sandbox.settings()  # type: ignore[attr-defined]
        yield sandbox


@pytest.fixture
def scratch_sandbox(scratch_sandbox_server: Sandbox) -> Iterator[Sandbox]:
    """The sandbox, freshly reset, with Scratch traffic redirected to it for this test.

    ``scratch_sandbox.redirect.exchanges`` lists the HTTP requests the libraries made
    (method, live URL, sandbox URL or None when refused)."""
    sandbox = scratch_sandbox_server
    sandbox.reset()
    sandbox.clear_faults()
    sandbox.settings(**sandbox._default_settings)  # type: ignore[attr-defined]
    with Redirect(sandbox.address) as redirect:
        sandbox.redirect = redirect  # type: ignore[attr-defined]
        try:
            yield sandbox
        finally:
            del sandbox.redirect  # type: ignore[attr-defined]
