"""scratchkit for Python: an offline Scratch for tests, and a fast Scratch client.

* ``Sandbox``: scratchkit's sandbox (an offline Scratch with the website's APIs) served in
  this process; ``with Sandbox() as sb:``.
* the pytest plugin (``scratchkit.pytest_plugin``, loaded automatically): the
  ``scratch_sandbox`` fixture redirects requests, websocket-client, aiohttp, scratchclient,
  urllib and httpx to a sandbox and refuses every other host.
* ``Session`` / ``AsyncSession`` / ``login``: the Rust client, blocking or asyncio.
* ``CloudRequests`` (``connection.requests()``), ``CloudStorage``, ``TemplateClient``: a
  Cloud Requests host with Python handlers, and the project's side to test it offline.
"""

from . import errors
from ._native import VERSION as __version__
from .cloud import CloudConnection, CloudError, CloudEvent
from .cloud_requests import (CloudRequests, CloudStorage, RequestEvent, RequestInfo, TemplateClient,
                             TemplateReply)
from .models import (BackpackItem, Classroom, Comment, CreatedProject, ForumPost, ForumTopic, Me,
                     Message, Project, Studio, User)
from .redirect import HostRefused, Redirect
from .sandbox import DEMO_PASSWORD, ROLES, Sandbox, SandboxError, SandboxSession
from .session import AsyncSession, Session, login

__all__ = [
    "AsyncSession", "BackpackItem", "Classroom", "CloudConnection", "CloudError", "CloudEvent",
    "CloudRequests", "CloudStorage", "Comment", "CreatedProject", "DEMO_PASSWORD", "ForumPost",
    "ForumTopic", "HostRefused", "Me", "Message", "Project", "ROLES", "Redirect", "RequestEvent",
    "RequestInfo", "Sandbox", "SandboxError", "SandboxSession", "Session", "Studio",
    "TemplateClient", "TemplateReply", "User", "errors", "login",
]
