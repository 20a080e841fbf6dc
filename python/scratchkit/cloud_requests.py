"""Cloud Requests from Python: answer a Scratch project's questions through cloud variables.

The wire protocol is scratchattach's template sprite (``TO_HOST``, ``FROM_HOST_1..9``); the
host is scratchkit's (Rust crate ``scratchkit-cloud-requests``), so a project made with the
template works unchanged. Handlers are ordinary Python functions (or coroutine functions)::

    cloud = session.connect_cloud(PROJECT_ID)          # or session.connect_tw_cloud(...)
    host = cloud.requests()

    @host.request
    def ping():
        return "pong"

    @host.request(name="add")
    def add_numbers(a, b):
        return int(a) + int(b)

    host.start(thread=True)                            # or host.run() / await host.run_async()

A handler receives the request's arguments as strings and returns a ``str``, an ``int``
(0 or more: sent as a number), a ``float``, a list (each item sent as text) or None (sent
as ``-``, as scratchattach does). Inside a handler, ``host.get_requester()`` and
``host.get_timestamp()`` tell who sent the request and when. A handler that raises is
answered with an error reply (its exception goes to the ``handler_error`` event, not to the
project), as is an unknown request name; the project never waits 10 s for nothing.

``host.use_storage(["scores"], file="storage.json")`` adds the template's Cloud Storage
requests (``ping``, ``get``, ``set``, ``keys``, ``database_names``). ``TemplateClient`` plays
the project's side, to test a host offline against the sandbox.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import os
import queue
import threading
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _native
from .cloud import CloudConnection, CloudError

#: The largest number sent as a number; larger or negative ints are sent as text.
_MAX_NUMBER = 2**64 - 1


@dataclass(frozen=True)
class RequestInfo:
    """The request a handler is answering (``CloudRequests.get_request()``)."""

    name: str
    args: List[str]
    #: Who sent it, from Scratch's cloud log (the row with this exact ``TO_HOST`` value);
    #: None on TurboWarp, with ``requester_lookup=False``, or when no row matches.
    requester: Optional[str]
    request_id: str
    #: When the host received it, in milliseconds since 1970 (scratchattach's unit).
    timestamp: float


@dataclass(frozen=True)
class RequestEvent:
    """Something the host reports. ``kind``: ``ready``, ``received``, ``replied``,
    ``unknown_request``, ``handler_error``, ``duplicate``, ``stale``, ``resent``,
    ``resend_unavailable``, ``malformed``, ``pushed``, ``send_failed``, ``disconnected``,
    ``reconnected``, ``closed``. ``id`` is the request (or push) id, ``name`` the request
    name, ``detail`` the rest (the arguments joined by ``&``, the error, the packet count)."""

    kind: str
    id: Optional[str] = None
    name: Optional[str] = None
    detail: Optional[str] = None


_CURRENT: "contextvars.ContextVar[Optional[RequestInfo]]" = contextvars.ContextVar(
    "scratchkit_cloud_request", default=None)


def _reply(value: Any) -> Tuple[str, Any]:
    """A handler's result as the native host takes it."""
    if value is None:
        return ("text", "")
    if isinstance(value, bool):
        return ("text", str(value))
    if isinstance(value, int):
        return ("number", value) if 0 <= value <= _MAX_NUMBER else ("text", str(value))
    if isinstance(value, float):
        return ("float", value)
    if isinstance(value, str):
        return ("text", value)
    if isinstance(value, (list, tuple)):
        return ("list", [str(item) for item in value])
    return ("text", str(value))


async def _within(info: RequestInfo, awaitable: Any) -> Any:
    _CURRENT.set(info)
    return await awaitable


class CloudStorage:
    """The Cloud Storage databases of a host (``CloudRequests.use_storage``): what the
    project's ``get``/``set`` requests read and write, readable and writable from Python
    once the host has started."""

    def __init__(self, host: "CloudRequests", databases: Sequence[str], file: Optional[str]) -> None:
        self._host = host
        self.databases = list(databases)
        self.file = file

    def _native(self) -> "_native.NativeRequests":
        return self._host._require()

    def get(self, database: str, key: str) -> Optional[str]:
        return self._native().storage_get(database, key)

    def set(self, database: str, key: str, value: Any) -> bool:
        """Sets a value (saved to the file at once); False if the database does not exist."""
        return self._native().storage_set(database, key, str(value))

    def keys(self, database: str) -> Optional[List[str]]:
        return self._native().storage_keys(database)

    def database_names(self) -> List[str]:
        return self._native().storage_databases()


class CloudRequests:
    """A Cloud Requests host over a cloud connection (``CloudConnection.requests()``).

    ``used_cloud_vars``: the ``FROM_HOST_n`` variables replies go through (1 to 9).
    ``max_concurrency``: handlers running at once. ``snapshot_window``: seconds to wait for
    the room's first values after joining (a request made while no host ran is never run;
    default 2). ``memory_file``: remember answered requests across restarts.
    ``reply_to_unknown``: answer unknown request names with an error (default True).
    ``requester_lookup``: find who sent each request in Scratch's cloud log, for
    ``get_requester()`` (default True; a log read per request; TurboWarp keeps no log).
    """

    def __init__(self, connection: CloudConnection, *,
                 used_cloud_vars: Sequence[Union[int, str]] = tuple("123456789"),
                 max_concurrency: int = 16, snapshot_window: Optional[float] = None,
                 memory_file: Optional[Union[str, os.PathLike]] = None,
                 reply_to_unknown: bool = True, requester_lookup: bool = True) -> None:
        self.connection = connection
        self._options: Dict[str, Any] = dict(
            from_host_vars=[int(n) for n in used_cloud_vars], max_concurrency=max_concurrency,
            snapshot_window=snapshot_window,
            memory_file=None if memory_file is None else os.fspath(memory_file),
            reply_to_unknown=reply_to_unknown, requester_lookup=requester_lookup)
        self._requests: Dict[str, Callable[..., Any]] = {}
        self._handlers: Dict[str, Callable[..., Any]] = {}
        self._storage: Optional[CloudStorage] = None
        self._native: Optional[_native.NativeRequests] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._events: "queue.Queue[RequestEvent]" = queue.Queue()
        self._pump: Optional[threading.Thread] = None
        self._ended = threading.Event()
        #: Set once the host serves requests (after the room's first values).
        self.ready = threading.Event()

    # -- configuration ----------------------------------------------------------------

    def request(self, function: Optional[Callable[..., Any]] = None, *,
                name: Optional[str] = None) -> Any:
        """Decorator: ``@host.request`` or ``@host.request(name="other_name")`` registers a
        function (or coroutine function) as the handler of a request name."""
        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            self.add_request(f, name=name)
            return f
        return register if function is None else register(function)

    def add_request(self, function: Callable[..., Any], *, name: Optional[str] = None) -> None:
        """Registers ``function`` for request ``name`` (default: its ``__name__``); raises
        ``RuntimeError`` once the host has started."""
        self._not_started()
        self._requests[name or function.__name__] = function

    def remove_request(self, name: str) -> None:
        self._not_started()
        if self._requests.pop(name, None) is None:
            raise ValueError(f"no request named {name!r}")

    def event(self, function: Optional[Callable[..., Any]] = None, *, name: Optional[str] = None) -> Any:
        """Decorator: ``@host.event`` on ``on_ready()``, ``on_request(event)``,
        ``on_error(event)``, ``on_unknown_request(event)``, ``on_disconnect()``,
        ``on_reconnect()``, ``on_closed(event)`` or ``on_event(event)`` (every event). Called
        from the thread (or event loop) that runs the host."""
        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            self._handlers[name or f.__name__] = f
            return f
        return register if function is None else register(function)

    def use_storage(self, databases: Iterable[str], *,
                    file: Optional[Union[str, os.PathLike]] = None) -> CloudStorage:
        """Adds the template's Cloud Storage requests over these databases, kept in ``file``
        (JSON, rewritten after every set) or in memory. Returns the storage."""
        self._not_started()
        self._storage = CloudStorage(self, list(databases), None if file is None else os.fspath(file))
        return self._storage

    def _not_started(self) -> None:
        if self._native is not None:
            raise RuntimeError("the host has started: configure it before start()")

    # -- inside a handler -------------------------------------------------------------

    def get_request(self) -> RequestInfo:
        """The request being answered; raises ``RuntimeError`` outside a handler."""
        info = _CURRENT.get()
        if info is None:
            raise RuntimeError("get_request() is for use inside a request handler")
        return info

    def get_requester(self) -> Optional[str]:
        """Who sent the request being answered, when known (scratchattach's name)."""
        return self.get_request().requester

    def get_timestamp(self) -> float:
        """When the request being answered arrived, in ms since 1970."""
        return self.get_request().timestamp

    def _dispatch(self, name: str, args: List[str], requester: Optional[str], request_id: str,
                  timestamp: float) -> Tuple[str, Any]:
        """Called by the native host, on one of its blocking threads, for every request."""
        info = RequestInfo(name, list(args), requester, request_id, timestamp)
        function = self._requests[name]
        token = _CURRENT.set(info)
        try:
            result = function(*args)
        finally:
            _CURRENT.reset(token)
        if inspect.isawaitable(result):
            loop = self._loop
            if loop is not None and loop.is_running():
                result = asyncio.run_coroutine_threadsafe(_within(info, result), loop).result()
            else:
                result = asyncio.run(_within(info, result))
        return _reply(result)

    # -- running ----------------------------------------------------------------------

    def _require(self) -> "_native.NativeRequests":
        if self._native is None:
            raise RuntimeError("the host has not started (call start() first)")
        return self._native

    def _start_native(self) -> None:
        if self._native is not None:
            return
        storage = None
        if self._storage is not None:
            storage = (self._storage.file, self._storage.databases)
        try:
            self._native = _native.NativeRequests(
                self.connection._native, self._dispatch, list(self._requests), storage=storage,
                **self._options)
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    def _deliver(self, event: RequestEvent) -> List[Any]:
        """Records an event and calls its handlers; returns what they returned."""
        self._events.put(event)
        if event.kind == "ready":
            self.ready.set()
        names = {"ready": "on_ready", "received": "on_request", "handler_error": "on_error",
                 "unknown_request": "on_unknown_request", "disconnected": "on_disconnect",
                 "reconnected": "on_reconnect", "closed": "on_closed"}
        calls = []
        specific = self._handlers.get(names.get(event.kind, ""))
        if specific is not None:
            takes_event = event.kind not in ("ready", "disconnected", "reconnected")
            calls.append(specific(event) if takes_event else specific())
        every = self._handlers.get("on_event")
        if every is not None:
            calls.append(every(event))
        return calls

    def _next(self, timeout: float) -> Optional[RequestEvent]:
        raw = self._require().next_event(timeout)
        if raw is None:
            return None
        if raw[0] == "end":
            self._ended.set()
            return None
        if raw[0] == "closed":  # the host's last event
            self._ended.set()
        return RequestEvent(*raw)

    def _pump_events(self) -> None:
        while not self._ended.is_set():
            event = self._next(0.25)
            if event is None:
                continue
            try:
                for result in self._deliver(event):
                    if inspect.isawaitable(result):
                        asyncio.run(result)
            except Exception:  # an event handler's bug must not stop the host
                traceback.print_exc()

    def start(self, *, thread: bool = True) -> "CloudRequests":
        """Starts serving. ``thread=True`` (scratchattach's default): returns at once, the
        host's events are handled on a background thread; ``thread=False``: as ``run()``."""
        if not thread:
            self.run()
            return self
        self._start_native()
        if self._pump is None:
            self._pump = threading.Thread(target=self._pump_events, name="scratchkit-requests",
                                          daemon=True)
            self._pump.start()
        return self

    def run(self) -> None:
        """Serves until ``stop()`` (from a handler, an event handler or another thread) or
        Ctrl-C."""
        self._start_native()
        try:
            self._pump_events()
        except KeyboardInterrupt:
            self.stop()

    async def run_async(self) -> None:
        """Serves from this event loop until ``stop_async()`` or cancellation: coroutine
        handlers and event handlers run on this loop."""
        self._loop = asyncio.get_running_loop()
        self._start_native()
        try:
            while not self._ended.is_set():
                event = await asyncio.to_thread(self._next, 0.25)
                if event is None:
                    continue
                try:
                    for result in self._deliver(event):
                        if inspect.isawaitable(result):
                            await result
                except Exception:  # an event handler's bug must not stop the host
                    traceback.print_exc()
        except asyncio.CancelledError:
            await self.stop_async()
            raise

    def wait_until_ready(self, timeout: Optional[float] = None) -> bool:
        """Waits until the host serves requests; False after ``timeout`` seconds."""
        return self.ready.wait(timeout)

    def next_event(self, timeout: Optional[float] = None) -> Optional[RequestEvent]:
        """The next event the host reported (in order; also given to the ``@event``
        handlers), or None after ``timeout`` seconds."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def send(self, data: Any) -> str:
        """Pushes ``data`` to every running copy of the project, without a request
        (scratchattach's ``send``); returns the push id."""
        native = self._require()
        try:
            return native.push(_reply(data))
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    push = send

    def stop(self) -> None:
        """Stops serving: running handlers finish and their replies are sent, then the
        cloud connection closes. Idempotent. From a coroutine, use ``stop_async()``; from a
        request handler, the host stops once the handler has returned."""
        if _CURRENT.get() is not None:  # waiting here would wait for this very handler
            threading.Thread(target=self.stop, name="scratchkit-requests-stop").start()
            return
        if self._native is not None:
            self._native.stop()
        pump = self._pump
        if pump is not None and pump is not threading.current_thread():
            pump.join(timeout=10)

    async def stop_async(self) -> None:
        """``stop()`` without blocking the event loop (coroutine handlers may still run)."""
        await asyncio.to_thread(self.stop)

    def __enter__(self) -> "CloudRequests":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class TemplateReply:
    """A complete reply (or push) as the project receives it."""

    items: List[str]
    #: Sent as a bare number (the template's raw format), not as encoded text.
    raw: bool
    packets: int
    rerequests: int

    @property
    def text(self) -> str:
        """The reply as one text (list items joined by newlines)."""
        return "\n".join(self.items)


class TemplateClient:
    """The project's side of Cloud Requests, doing what the template sprite does: sends a
    request through ``TO_HOST`` (in chunks when long), reads the ``FROM_HOST_n`` packets,
    asks again for lost ones. For tests of a host, against the sandbox::

        player = scratchkit.login("kakurenbo", DEMO_PASSWORD, sandbox=sb).connect_cloud(pid)
        template = TemplateClient(player)
        assert template.request("ping").items == ["pong"]

    It takes the connection's events. ``timeout``: seconds to wait for a reply (10, as the
    template does).
    """

    def __init__(self, connection: CloudConnection, *, timeout: Optional[float] = None) -> None:
        self.connection = connection
        try:
            self._native = _native.NativeTemplate(connection._native, timeout=timeout)
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    def request(self, name: str, *args: Any) -> TemplateReply:
        """Sends request ``name`` with ``args`` and waits for its reply; raises
        ``TimeoutError`` when none completes in time, ``CloudError`` when the connection
        ended."""
        try:
            return TemplateReply(*self._native.request(name, [str(a) for a in args]))
        except TimeoutError:
            raise
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    def next_push(self) -> TemplateReply:
        """Waits for the next push (``CloudRequests.send``)."""
        try:
            return TemplateReply(*self._native.next_push())
        except TimeoutError:
            raise
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    @property
    def sent(self) -> List[str]:
        """Every ``TO_HOST`` value sent so far (requests, chunks, re-requests)."""
        return self._native.sent()
