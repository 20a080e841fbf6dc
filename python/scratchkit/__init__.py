"""scratchkit for Python: an offline Scratch for tests, and a fast Scratch client.

* ``Sandbox``: scratchkit's sandbox (an offline Scratch with the website's APIs) served in
  this process; ``with Sandbox() as sb:``.
* the pytest plugin (``scratchkit.pytest_plugin``, loaded automatically): the
  ``scratch_sandbox`` fixture redirects requests, websocket-client, aiohttp and
  scratchclient to a sandbox and refuses every other host.
* ``Session`` / ``AsyncSession`` / ``login``: the Rust client, blocking or asyncio.
"""

from . import errors
from ._native import VERSION as __version__
from .cloud import CloudConnection, CloudError, CloudEvent
from .models import Comment, Me, Message, Project, Studio, User
from .redirect import HostRefused, Redirect
from .sandbox import DEMO_PASSWORD, ROLES, Sandbox, SandboxError, SandboxSession
from .session import AsyncSession, Session, login

__all__ = [
    "AsyncSession", "CloudConnection", "CloudError", "CloudEvent", "Comment", "DEMO_PASSWORD", "HostRefused", "Me", "Message", "Project",
    "ROLES", "Redirect", "Sandbox", "SandboxError", "SandboxSession", "Session", "Studio",
    "User", "errors", "login",
]
