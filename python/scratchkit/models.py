"""The records the client returns: typed views over Scratch's own JSON.

Each class keeps the full response in ``data`` (Scratch's field names) and lifts the fields
most code reads into attributes, under the names scratchattach uses where it has one
(``Project.loves``, ``User.username``, ``Comment.content``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional


def _dig(data: Dict[str, Any], *path: str, default: Any = None) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return default
        value = value[key]
    return default if value is None else value


@dataclass(frozen=True)
class User:
    """A Scratch account (``api.scratch.mit.edu/users/<name>``)."""

    id: int
    username: str
    scratchteam: bool
    joined: Optional[str]
    country: str
    bio: str
    status: str
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "User":
        return cls(
            id=int(d.get("id", 0)), username=str(d.get("username", "")),
            scratchteam=bool(d.get("scratchteam", False)), joined=_dig(d, "history", "joined"),
            country=str(_dig(d, "profile", "country", default="")),
            bio=str(_dig(d, "profile", "bio", default="")),
            status=str(_dig(d, "profile", "status", default="")), data=d)

    @property
    def about_me(self) -> str:
        """scratchattach's name for ``bio``."""
        return self.bio

    @property
    def wiwo(self) -> str:
        """scratchattach's name for ``status`` (What I'm Working On)."""
        return self.status


@dataclass(frozen=True)
class Project:
    """A project (``api.scratch.mit.edu/projects/<id>``)."""

    id: int
    title: str
    author_name: str
    instructions: str
    notes: str
    views: int
    loves: int
    favorites: int
    remix_count: int
    shared: Optional[str]
    remix_parent: Optional[int]
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Project":
        return cls(
            id=int(d.get("id", 0)), title=str(d.get("title", "")),
            author_name=str(_dig(d, "author", "username", default="")),
            instructions=str(d.get("instructions") or ""), notes=str(d.get("description") or ""),
            views=int(_dig(d, "stats", "views", default=0)),
            loves=int(_dig(d, "stats", "loves", default=0)),
            favorites=int(_dig(d, "stats", "favorites", default=0)),
            remix_count=int(_dig(d, "stats", "remixes", default=0)),
            shared=_dig(d, "history", "shared"), remix_parent=_dig(d, "remix", "parent"), data=d)


@dataclass(frozen=True)
class Studio:
    """A studio (``api.scratch.mit.edu/studios/<id>``)."""

    id: int
    title: str
    description: str
    host_id: int
    follower_count: int
    project_count: int
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Studio":
        return cls(
            id=int(d.get("id", 0)), title=str(d.get("title", "")),
            description=str(d.get("description") or ""), host_id=int(d.get("host") or 0),
            follower_count=int(_dig(d, "stats", "followers", default=0)),
            project_count=int(_dig(d, "stats", "projects", default=0)), data=d)


@dataclass(frozen=True)
class Comment:
    """A comment on a project, studio or profile."""

    id: int
    content: str
    author_name: str
    parent_id: Optional[int]
    commentee_id: Optional[int]
    reply_count: int
    created: Optional[str]
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Comment":
        return cls(
            id=int(d.get("id", 0)), content=str(d.get("content", "")),
            author_name=str(_dig(d, "author", "username", default="")),
            parent_id=d.get("parent_id"), commentee_id=d.get("commentee_id"),
            reply_count=int(d.get("reply_count") or 0), created=d.get("datetime_created"), data=d)


@dataclass(frozen=True)
class Message:
    """One of the logged-in account's messages (``type``: ``loveproject``,
    ``addcomment``, ``followuser``, ...)."""

    id: int
    type: str
    actor_username: str
    created: Optional[str]
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Message":
        return cls(
            id=int(d.get("id", 0)), type=str(d.get("type", "")),
            actor_username=str(d.get("actor_username", "")), created=d.get("datetime_created"),
            data=d)


@dataclass(frozen=True)
class Me:
    """The account a session is logged in as."""

    username: str
    id: Optional[int]


@dataclass(frozen=True)
class BackpackItem:
    """An item of the logged-in account's backpack (``type``: ``script``, ``costume``,
    ``sound``, ``sprite``)."""

    id: str
    type: str
    name: str
    mime: str
    body: str
    thumbnail: str
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "BackpackItem":
        return cls(id=str(d.get("id", "")), type=str(d.get("type", "")), name=str(d.get("name", "")),
                   mime=str(d.get("mime", "")), body=str(d.get("body", "")),
                   thumbnail=str(d.get("thumbnail", "")), data=d)


@dataclass(frozen=True)
class Classroom:
    """A class (``api.scratch.mit.edu/classrooms/<id>``)."""

    id: int
    title: str
    description: str
    status: str
    educator_name: Optional[str]
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Classroom":
        return cls(id=int(d.get("id", 0)), title=str(d.get("title", "")),
                   description=str(d.get("description") or ""), status=str(d.get("status") or ""),
                   educator_name=_dig(d, "educator", "username"), data=d)


@dataclass(frozen=True)
class ForumTopic:
    """A topic as its category's page lists it."""

    id: int
    title: str
    author: Optional[str]
    sticky: bool
    closed: bool
    reply_count: Optional[int]
    view_count: Optional[int]
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "ForumTopic":
        return cls(id=int(d.get("id", 0)), title=str(d.get("title", "")), author=d.get("author"),
                   sticky=bool(d.get("sticky")), closed=bool(d.get("closed")),
                   reply_count=d.get("replies"), view_count=d.get("views"), data=d)


@dataclass(frozen=True)
class ForumPost:
    """A forum post (``content``: its plain text, ``content_html``: as rendered)."""

    id: int
    index: Optional[int]
    author_name: str
    posted: Optional[str]
    content: str
    content_html: str
    data: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "ForumPost":
        return cls(id=int(d.get("id", 0)), index=d.get("index"), author_name=str(d.get("author", "")),
                   posted=d.get("posted") or d.get("posted_text"), content=str(d.get("content_text", "")),
                   content_html=str(d.get("content_html", "")), data=d)


@dataclass(frozen=True)
class CreatedProject:
    """A project made by ``Session.create_project``."""

    id: int
    title: str
    assets_uploaded: int

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "CreatedProject":
        return cls(id=int(d["id"]), title=str(d.get("title", "")),
                   assets_uploaded=int(d.get("assets_uploaded", 0)))
