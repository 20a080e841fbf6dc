"""Exceptions of the client, one class per ``scratchkit::Error`` variant.

Every class derives from ``ScratchkitError`` (``.status``: the HTTP status when there was
one). Login problems derive from ``LoginError``, HTTP refusals from ``HTTPError``.
"""

from __future__ import annotations

from typing import Dict, Optional, Type


class ScratchkitError(Exception):
    """Any failure of a scratchkit call."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status


class HTTPError(ScratchkitError):
    """Scratch answered with an error status."""


class NotFound(HTTPError):
    """404: no such user, project, studio or comment."""


class BadRequest(HTTPError):
    """400: Scratch refused the request as malformed."""


class Unauthorized(HTTPError):
    """401 or a redirect to the login page: log in (again)."""


class Forbidden(HTTPError):
    """403: logged in, but not allowed."""


class RateLimited(HTTPError):
    """429: too many requests."""


class ServerError(HTTPError):
    """5xx after the retries."""


class StatusError(HTTPError):
    """Any other unexpected status."""


class DecodeError(ScratchkitError):
    """The response did not have the expected shape."""


class Timeout(ScratchkitError):
    """No answer in time."""


class ConnectionFailed(ScratchkitError):
    """The server could not be reached."""


class InvalidInput(ScratchkitError, ValueError):
    """An argument was refused before anything was sent."""


class LoginError(ScratchkitError):
    """A login problem."""


class LoginRequired(LoginError):
    """The call needs a logged-in session."""


class LoginFailed(LoginError):
    """Wrong username or password."""


class CaptchaRequired(LoginError):
    """Scratch asks for a captcha: log in from a browser first."""


class LoginBlocked(LoginError):
    """Too many failed logins."""


class AccountBanned(LoginError):
    """The account is banned."""


class SessionExpired(LoginError):
    """The session is no longer valid."""


class CommentRejected(ScratchkitError):
    """Scratch refused a comment (flood control, filter, muted account, ...)."""


class Refused(ScratchkitError):
    """Scratch refused the action."""


class ProjectFileError(ScratchkitError):
    """A bad .sb3 file or asset."""


class FileError(ScratchkitError):
    """A local file could not be read or written."""


_ALL: Dict[str, Type[ScratchkitError]] = {
    cls.__name__: cls
    for cls in (ScratchkitError, NotFound, BadRequest, Unauthorized, Forbidden, RateLimited,
                ServerError, StatusError, DecodeError, Timeout, ConnectionFailed, InvalidInput,
                LoginRequired, LoginFailed, CaptchaRequired, LoginBlocked, AccountBanned,
                SessionExpired, CommentRejected, Refused, ProjectFileError, FileError)
}


def from_native(class_name: str, message: str, status: Optional[int]) -> ScratchkitError:
    """The exception for the native side's ``(class_name, message, status)``."""
    return _ALL.get(class_name, ScratchkitError)(message, status)
