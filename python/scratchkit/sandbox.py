"""``Sandbox``: an offline Scratch served in this process.

The server is scratchkit's sandbox (Rust, in the native module), started on a free port of
``127.0.0.1`` on a background runtime. Administration goes through its ``/_sandbox`` API,
the request log is a JSON-lines file the sandbox appends to, and cloud values are read from
the project's cloud log (``/clouddata/logs``, what Scratch itself offers).
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _native

#: Every seeded account's password (and the default for ``create_user``).
DEMO_PASSWORD = "scratchkit-demo"
#: The roles ``create_user`` accepts.
ROLES = ("scratcher", "new_scratcher", "teacher", "student", "scratch_team")


class SandboxError(Exception):
    """The sandbox refused an administration request (bad input, unknown user, ...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"sandbox answered {status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SandboxSession:
    """A logged-in session made without a password (``Sandbox.create_session``)."""

    username: str
    id: int
    session_id: str
    token: str
    cookie: str

    def __repr__(self) -> str:  # the secrets stay out of logs and tracebacks
        return f"SandboxSession(username={self.username!r}, id={self.id})"


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Sandbox:
    """An offline Scratch on ``127.0.0.1:<port>``, started by ``with`` (or ``start()``).

    >>> with Sandbox() as sb:                       # doctest: +SKIP
    ...     sb.create_user("bot_one", role="scratcher")
    ...     print(sb.url + "/api/users/bot_one")

    ``scale >= 1`` adds the benchmark world (user ``bench`` owns ``2000 * scale`` projects);
    ``faults`` takes the sandbox's fault spec (``"kinds=503,count=2"``, ``"rate=0.3"``, ...);
    ``data_dir`` keeps the database on disk; ``log_requests=False`` turns the request log off.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        scale: int = 0,
        seed: int = 2007,
        faults: Optional[str] = None,
        data_dir: Optional[Union[str, os.PathLike]] = None,
        log_requests: bool = True,
    ) -> None:
        self._options = dict(port=port, scale=scale, seed=seed, faults=faults,
                             data_dir=None if data_dir is None else os.fspath(data_dir))
        self._log_requests = log_requests
        self._log_dir: Optional[tempfile.TemporaryDirectory] = None
        self._log_path: Optional[str] = None
        self._log_mark = 0
        self._native: Optional[_native.NativeSandbox] = None

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> "Sandbox":
        """Starts serving (once). Raises ``OSError`` when it cannot, ``ValueError`` for a
        bad fault spec."""
        if self._native is not None:
            return self
        if self._log_requests and self._log_dir is None:
            self._log_dir = tempfile.TemporaryDirectory(prefix="scratchkit-sandbox-")
            self._log_path = os.path.join(self._log_dir.name, "requests.jsonl")
        self._native = _native.NativeSandbox(log_requests=self._log_path, **self._options)
        return self

    def stop(self) -> None:
        """Stops serving and removes the request log. Idempotent."""
        if self._native is not None:
            self._native.stop()
            self._native = None
        if self._log_dir is not None:
            self._log_dir.cleanup()
            self._log_dir = None
            self._log_path = None
            self._log_mark = 0

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.address if self._native is not None else "stopped"
        return f"Sandbox({state})"

    @property
    def running(self) -> bool:
        return self._native is not None and self._native.running

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``."""
        return self._require().address

    @property
    def port(self) -> int:
        return self._require().port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (prefixes: ``/api``, ``/site``, ``/projects``, ...)."""
        return f"http://{self.address}"

    def _require(self) -> "_native.NativeSandbox":
        if self._native is None:
            raise RuntimeError("the sandbox is not running (use `with Sandbox() as sb:` or start())")
        return self._native

    # -- plumbing ---------------------------------------------------------------------

    def _http(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _NO_PROXY.open(request, timeout=30) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                text = json.loads(text).get("message") or text
            except (ValueError, AttributeError):
                pass
            raise SandboxError(e.code, text) from None
        return json.loads(payload) if payload else None

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        return self._http(method, "/_sandbox" + path, body)

    # -- administration ---------------------------------------------------------------

    def info(self) -> Dict[str, Any]:
        """Seed, scale, counts, demo accounts and the faults in force."""
        return self._admin("GET", "/info")

    def reset(self) -> Dict[str, Any]:
        """The seeded world again (users, projects, cloud values, logins); the request log
        is emptied too. Returns ``info()``."""
        info = self._admin("POST", "/reset")
        self.clear_requests()
        return info

    def create_user(self, username: str, password: str = DEMO_PASSWORD, *,
                    role: str = "scratcher", banned: bool = False,
                    muted_until: Optional[int] = None, **profile: Any) -> Dict[str, Any]:
        """A new account (role one of ``ROLES``); ``profile`` may set ``country``, ``bio``,
        ``status``. Returns the API user with ``role``, ``banned`` and ``muted_until``."""
        body = dict(username=username, password=password, role=role, banned=banned, **profile)
        if muted_until is not None:
            body["muted_until"] = muted_until
        return self._admin("POST", "/users", body)

    def create_project(self, owner: str, title: str, *, shared: bool = True,
                       instructions: Optional[str] = None, description: Optional[str] = None,
                       parent_id: Optional[int] = None) -> Dict[str, Any]:
        """A new project of ``owner``; returns the API project (its ``id``)."""
        body: Dict[str, Any] = dict(owner=owner, title=title, shared=shared)
        for key, value in (("instructions", instructions), ("description", description),
                           ("parent_id", parent_id)):
            if value is not None:
                body[key] = value
        return self._admin("POST", "/projects", body)

    def create_studio(self, owner: str, title: str, *, description: Optional[str] = None) -> Dict[str, Any]:
        """A new studio of ``owner``; returns the API studio."""
        body: Dict[str, Any] = dict(owner=owner, title=title)
        if description is not None:
            body["description"] = description
        return self._admin("POST", "/studios", body)

    def create_session(self, username: str) -> SandboxSession:
        """A logged-in session for ``username`` without its password (sandbox only)."""
        s = self._admin("POST", "/sessions", {"username": username})
        return SandboxSession(s["username"], s["id"], s["session_id"], s["token"], s["cookie"])

    def send_alert(self, username: str, message: str) -> int:
        """An admin alert for ``username``; returns its id."""
        return self._admin("POST", "/alerts", {"username": username, "message": message})["id"]

    def settings(self, **changes: Any) -> Dict[str, Any]:
        """The sandbox's rules; keyword arguments change them (``comment_flood_seconds=0``,
        ``csrf="lenient"``, ``login_max_failures=...``, ...)."""
        if changes:
            return self._admin("POST", "/settings", changes)
        return self._admin("GET", "/settings")

    @property
    def faults(self) -> Optional[str]:
        """The fault spec in force, or None."""
        return self._admin("GET", "/faults")["faults"]

    def set_faults(self, spec: Union[None, str, Mapping[str, Any]]) -> Optional[str]:
        """Injects faults: a spec string (``"kinds=503,count=2"``, ``"rate=0.3"``), a mapping
        (``{"kind": "503", "count": 2}``) or None to clear. Returns the spec in force."""
        if spec is None:
            return self._admin("DELETE", "/faults")["faults"]
        body = {"spec": spec} if isinstance(spec, str) else dict(spec)
        return self._admin("POST", "/faults", body)["faults"]

    def clear_faults(self) -> None:
        self.set_faults(None)

    # -- observation ------------------------------------------------------------------

    def requests(self, *, host: Optional[str] = None, path: Optional[str] = None,
                 method: Optional[str] = None) -> List[Dict[str, Any]]:
        """The requests served since the start (or the last ``clear_requests``/``reset``),
        oldest first: ``{"method", "host", "path", "query", "headers", "cookies", "body"}``
        with secrets redacted, ``host`` the live Scratch host. ``path`` filters on a prefix."""
        if self._log_path is None:
            raise RuntimeError("the request log is off (Sandbox(log_requests=False))")
        self._require()
        with open(self._log_path, "rb") as f:
            f.seek(self._log_mark)
            lines = f.read().splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        return [e for e in entries
                if (host is None or e.get("host") == host)
                and (path is None or str(e.get("path", "")).startswith(path))
                and (method is None or e.get("method") == method.upper())]

    def clear_requests(self) -> None:
        """Forgets the requests logged so far (``requests()`` starts again from here)."""
        if self._log_path is not None and os.path.exists(self._log_path):
            self._log_mark = os.path.getsize(self._log_path)

    def cloud_log(self, project_id: int, *, limit: int = 100, offset: int = 0) -> List[Dict[str, Any]]:
        """The project's cloud log, newest first (``user``, ``verb``, ``name``, ``value``,
        ``timestamp``), as ``clouddata.scratch.mit.edu/logs`` serves it."""
        return self._http("GET", f"/clouddata/logs?projectid={int(project_id)}&limit={int(limit)}&offset={int(offset)}")

    def cloud_values(self, project_id: int) -> Dict[str, str]:
        """The current value of each cloud variable of the project that was ever set, by
        name without the ``☁ `` prefix, worked out from the cloud log (newest first: the
        newest ``set`` wins, a deleted variable is absent, a renamed one has its new name)."""
        values: Dict[str, str] = {}
        gone = set()
        renamed: Dict[str, str] = {}  # an older name -> the name it has now

        def bare(name: object) -> str:
            text = str(name)
            return text[2:] if text.startswith("☁ ") else text

        def now_called(name: str) -> str:
            for _ in range(len(renamed) + 1):
                if name not in renamed:
                    break
                name = renamed[name]
            return name

        offset = 0
        while True:
            page = self.cloud_log(project_id, limit=1000, offset=offset)
            for entry in page:
                verb = entry.get("verb", "")
                name = now_called(bare(entry.get("name", "")))
                if verb == "rename_var":
                    # Older entries of the old name (in "value") belong to the new name.
                    renamed[bare(entry.get("value", ""))] = name
                    continue
                if name in values or name in gone:
                    continue
                if verb == "del_var":
                    gone.add(name)
                else:
                    values[name] = str(entry.get("value"))
            if len(page) < 1000:
                return values
            offset += len(page)
