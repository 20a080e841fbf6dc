"""Fixtures shared by the client tests."""

import pytest


@pytest.fixture
def sb(scratch_sandbox_server):
    """The plugin's sandbox, reset, with comment flood control off."""
    scratch_sandbox_server.reset()
    scratch_sandbox_server.settings(comment_flood_seconds=0)
    return scratch_sandbox_server
