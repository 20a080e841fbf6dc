"""The scratchkit client from Python: ``Session`` (blocking) and ``AsyncSession`` (asyncio).

Both drive the Rust client (``scratchkit`` crate) on a background Tokio runtime: a blocking
call releases the GIL while it waits, an asyncio call returns at once and its future is
resolved from the runtime, so many calls can be in flight from one event loop.

Names follow scratchattach where it has one (``login``, ``get_user``, ``get_project``,
``get_studio``, ``explore_projects``, ``search_projects``, ``post_comment``, ``messages``,
``message_count``); see docs/python.md for the full table.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, Callable, Dict, List, Optional, TypeVar, Union

from . import _native
from .cloud import CloudConnection, CloudError
from .errors import from_native
from .models import Comment, Me, Message, Project, Studio, User

T = TypeVar("T")
SandboxLike = Union[str, "Any", None]


def _address(sandbox: SandboxLike) -> Optional[str]:
    if sandbox is None or isinstance(sandbox, str):
        return sandbox
    return str(sandbox.address)  # a scratchkit.Sandbox


def _settle(outcome: tuple) -> Any:
    if outcome[0] is None:
        return json.loads(outcome[1])
    raise from_native(*outcome)


def _many(convert: Callable[[Dict[str, Any]], T]) -> Callable[[List[Dict[str, Any]]], List[T]]:
    return lambda items: [convert(item) for item in items]


def _me(d: Dict[str, Any]) -> Me:
    return Me(username=d["username"], id=d.get("id"))


def _same(value: Any) -> Any:
    return value


# One line per operation: method name -> (native operation, result conversion).
_OPS: Dict[str, tuple] = {
    "login": ("login", _me),
    "logout": ("logout", _same),
    "get_user": ("user", User.from_json),
    "get_project": ("project", Project.from_json),
    "get_studio": ("studio", Studio.from_json),
    "user_projects": ("user_projects", _many(Project.from_json)),
    "user_followers": ("user_followers", _many(User.from_json)),
    "project_comments": ("project_comments", _many(Comment.from_json)),
    "project_remixes": ("project_remixes", _many(Project.from_json)),
    "studio_projects": ("studio_projects", _many(Project.from_json)),
    "studio_curators": ("studio_curators", _many(User.from_json)),
    "explore_projects": ("explore", _many(Project.from_json)),
    "search_projects": ("search", _many(Project.from_json)),
    "explore_studios": ("explore", _many(Studio.from_json)),
    "search_studios": ("search", _many(Studio.from_json)),
    "post_comment": ("post_comment", Comment.from_json),
    "love_project": ("love", _same),
    "favorite_project": ("favorite", _same),
    "set_project_title": ("set_title", Project.from_json),
    "message_count": ("message_count", int),
    "messages": ("messages", _many(Message.from_json)),
    "download_sb3": ("download_sb3", _same),
}


class _Base:
    def __init__(self, *, sandbox: SandboxLike = None, user_agent: Optional[str] = None) -> None:
        self._native = _native.NativeClient(sandbox=_address(sandbox), user_agent=user_agent)

    @property
    def logged_in(self) -> bool:
        return self._native.logged_in

    def _run(self, method: str, **args: Any) -> Any:
        raise NotImplementedError


class Session(_Base):
    """A blocking client: ``Session()`` for scratch.mit.edu, ``Session(sandbox=sb)`` (a
    ``Sandbox`` or ``"HOST:PORT"``) for a sandbox. Methods raise ``scratchkit.errors``
    exceptions."""

    def _run(self, method: str, **args: Any) -> Any:
        op, convert = _OPS[method]
        return convert(_settle(self._native.call(op, json.dumps(args))))

    def login(self, username: str, password: str) -> Me:
        return self._run("login", username=username, password=password)

    def logout(self) -> None:
        self._run("logout")

    def get_user(self, username: str) -> User:
        return self._run("get_user", username=username)

    def get_project(self, project_id: int) -> Project:
        return self._run("get_project", id=int(project_id))

    def get_studio(self, studio_id: int) -> Studio:
        return self._run("get_studio", id=int(studio_id))

    def user_projects(self, username: str, *, limit: int = 40, offset: int = 0) -> List[Project]:
        return self._run("user_projects", username=username, limit=limit, offset=offset)

    def user_followers(self, username: str, *, limit: int = 40, offset: int = 0) -> List[User]:
        return self._run("user_followers", username=username, limit=limit, offset=offset)

    def project_comments(self, project_id: int, *, limit: int = 40, offset: int = 0) -> List[Comment]:
        return self._run("project_comments", id=int(project_id), limit=limit, offset=offset)

    def project_remixes(self, project_id: int, *, limit: int = 40, offset: int = 0) -> List[Project]:
        return self._run("project_remixes", id=int(project_id), limit=limit, offset=offset)

    def studio_projects(self, studio_id: int, *, limit: int = 40, offset: int = 0) -> List[Project]:
        return self._run("studio_projects", id=int(studio_id), limit=limit, offset=offset)

    def studio_curators(self, studio_id: int, *, limit: int = 40, offset: int = 0) -> List[User]:
        return self._run("studio_curators", id=int(studio_id), limit=limit, offset=offset)

    def explore_projects(self, *, query: str = "*", mode: str = "trending", limit: int = 40,
                         offset: int = 0) -> List[Project]:
        return self._run("explore_projects", kind="projects", query=query, mode=mode, limit=limit, offset=offset)

    def search_projects(self, query: str, *, mode: str = "popular", limit: int = 40,
                        offset: int = 0) -> List[Project]:
        return self._run("search_projects", kind="projects", query=query, mode=mode, limit=limit, offset=offset)

    def explore_studios(self, *, query: str = "*", mode: str = "trending", limit: int = 40,
                        offset: int = 0) -> List[Studio]:
        return self._run("explore_studios", kind="studios", query=query, mode=mode, limit=limit, offset=offset)

    def search_studios(self, query: str, *, mode: str = "popular", limit: int = 40,
                       offset: int = 0) -> List[Studio]:
        return self._run("search_studios", kind="studios", query=query, mode=mode, limit=limit, offset=offset)

    def post_comment(self, project_id: int, content: str, *, parent_id: Optional[int] = None,
                     commentee_id: Optional[int] = None) -> Comment:
        return self._run("post_comment", project_id=int(project_id), content=content,
                         parent_id=parent_id, commentee_id=commentee_id)

    def love_project(self, project_id: int, love: bool = True) -> Dict[str, Any]:
        return self._run("love_project", id=int(project_id), on=love)

    def favorite_project(self, project_id: int, favorite: bool = True) -> Dict[str, Any]:
        return self._run("favorite_project", id=int(project_id), on=favorite)

    def set_project_title(self, project_id: int, title: str) -> Project:
        return self._run("set_project_title", id=int(project_id), title=title)

    def message_count(self) -> int:
        return self._run("message_count")

    def messages(self, *, limit: int = 40, offset: int = 0) -> List[Message]:
        return self._run("messages", limit=limit, offset=offset)

    def download_sb3(self, project_id: int, path: Union[str, os.PathLike]) -> str:
        return self._run("download_sb3", id=int(project_id), path=os.fspath(path))

    def connect_cloud(self, project_id: int) -> CloudConnection:
        """The project's cloud variables on Scratch's rules (needs a login): raises
        ``CloudError`` when the server refuses or cannot be reached."""
        try:
            native = self._native.cloud(int(project_id))
        except RuntimeError as e:
            raise CloudError(str(e)) from None
        return CloudConnection(native, int(project_id))


class AsyncSession(_Base):
    """The asyncio twin of ``Session``: the same methods, each a coroutine."""

    async def _run(self, method: str, **args: Any) -> Any:  # type: ignore[override]
        op, convert = _OPS[method]
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def deliver(outcome: tuple) -> None:
            if not future.done():
                future.set_result(outcome)

        def from_runtime(outcome: tuple) -> None:
            try:
                loop.call_soon_threadsafe(deliver, outcome)
            except RuntimeError:  # the event loop closed before the answer came
                pass

        self._native.submit(op, json.dumps(args), from_runtime)
        return convert(_settle(await future))

    async def login(self, username: str, password: str) -> Me:
        return await self._run("login", username=username, password=password)

    async def logout(self) -> None:
        await self._run("logout")

    async def get_user(self, username: str) -> User:
        return await self._run("get_user", username=username)

    async def get_project(self, project_id: int) -> Project:
        return await self._run("get_project", id=int(project_id))

    async def get_studio(self, studio_id: int) -> Studio:
        return await self._run("get_studio", id=int(studio_id))

    async def user_projects(self, username: str, *, limit: int = 40, offset: int = 0) -> List[Project]:
        return await self._run("user_projects", username=username, limit=limit, offset=offset)

    async def project_comments(self, project_id: int, *, limit: int = 40, offset: int = 0) -> List[Comment]:
        return await self._run("project_comments", id=int(project_id), limit=limit, offset=offset)

    async def explore_projects(self, *, query: str = "*", mode: str = "trending", limit: int = 40,
                               offset: int = 0) -> List[Project]:
        return await self._run("explore_projects", kind="projects", query=query, mode=mode, limit=limit, offset=offset)

    async def search_projects(self, query: str, *, mode: str = "popular", limit: int = 40,
                              offset: int = 0) -> List[Project]:
        return await self._run("search_projects", kind="projects", query=query, mode=mode, limit=limit, offset=offset)

    async def post_comment(self, project_id: int, content: str, *, parent_id: Optional[int] = None,
                           commentee_id: Optional[int] = None) -> Comment:
        return await self._run("post_comment", project_id=int(project_id), content=content,
                               parent_id=parent_id, commentee_id=commentee_id)

    async def love_project(self, project_id: int, love: bool = True) -> Dict[str, Any]:
        return await self._run("love_project", id=int(project_id), on=love)

    async def message_count(self) -> int:
        return await self._run("message_count")

    async def messages(self, *, limit: int = 40, offset: int = 0) -> List[Message]:
        return await self._run("messages", limit=limit, offset=offset)


def login(username: str, password: str, *, sandbox: SandboxLike = None) -> Session:
    """A logged-in blocking ``Session`` (scratchattach's ``sa.login``)."""
    session = Session(sandbox=sandbox)
    session.login(username, password)
    return session
