"""Send the traffic of Scratch libraries to a sandbox, without changing their code.

``Redirect("127.0.0.1:PORT").install()`` patches the transports that Python's Scratch
libraries use, so that a URL of a Scratch host is served by the sandbox and every other host
is refused (the code under test never reaches the internet):

===========================  =============================================================
library                      patched
===========================  =============================================================
requests                     ``requests.adapters.HTTPAdapter.send`` (scratchattach,
                             scratchclient, most bots)
websocket-client             ``websocket.WebSocket.connect`` (also ``create_connection``;
                             scratchattach's cloud)
aiohttp                      ``aiohttp.ClientSession._request`` and ``_ws_connect``
scratchclient's WebSocket    ``scratchclient.Websocket.Websocket.connect`` and
                             ``AsyncWebsocket.connect``
urllib                       ``urllib.request.OpenerDirector.open`` (``urlopen`` and every
                             opener)
httpx                        ``httpx.HTTPTransport.handle_request`` and
                             ``AsyncHTTPTransport.handle_async_request``
===========================  =============================================================

URLs are mapped with the sandbox's hosts table: ``https://api.scratch.mit.edu/X`` is
served at ``http://ADDR/api/X``, ``scratch.mit.edu`` at ``/site``, ``projects.`` at
``/projects``, and so on; ``wss://clouddata.scratch.mit.edu`` is ``ws://ADDR/cloud`` and
``wss://clouddata.turbowarp.org`` ``ws://ADDR/turbowarp``. For requests, the response is
handed back with its live URL, so that cookies and redirects behave as on the real site.
Loopback URLs pass through unchanged; anything else raises ``HostRefused`` (for requests, a
``requests.exceptions.ConnectionError`` that wraps it; for urllib, a ``URLError`` whose
``reason`` is it; for httpx, an ``httpx.ConnectError`` caused by it). urllib and httpx hand
back responses with their live URL too.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

#: Live HTTP host -> the sandbox's path prefix.
HTTP_PREFIXES: Dict[str, str] = {
    "scratch.mit.edu": "/site",
    "www.scratch.mit.edu": "/site",
    "api.scratch.mit.edu": "/api",
    "projects.scratch.mit.edu": "/projects",
    "assets.scratch.mit.edu": "/assets",
    "backpack.scratch.mit.edu": "/backpack",
    "cdn2.scratch.mit.edu": "/cdn2",
    "uploads.scratch.mit.edu": "/uploads",
    "clouddata.scratch.mit.edu": "/clouddata",
    "my-ocular.jeffalo.net": "/ext/ocular",
}
#: Third-party services under a path of a shared host: (host, path) -> prefix.
HTTP_SERVICES: Dict[Tuple[str, str], str] = {("jeffalo.net", "/api/nfe"): "/ext/nfe"}
#: Live cloud WebSocket host -> the sandbox's path.
WS_PATHS: Dict[str, str] = {
    "clouddata.scratch.mit.edu": "/cloud",
    "clouddata.turbowarp.org": "/turbowarp",
}
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class HostRefused(ConnectionError):
    """A request to a host the sandbox does not stand in for (refused: tests stay offline)."""


def _host_of(netloc: str) -> str:
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        return host[1:host.index("]")].lower()
    return host.partition(":")[0].rstrip(".").lower()


class Redirect:
    """The patches for one sandbox address; ``install()`` / ``uninstall()`` (also a
    context manager). Only one redirect is active in a process at a time."""

    _active: Optional["Redirect"] = None
    _guard = threading.Lock()

    def __init__(self, address: str) -> None:
        self.address = address
        #: ``(method, live URL, sandbox URL or None when refused)`` of every HTTP request.
        self.exchanges: List[Tuple[str, str, Optional[str]]] = []
        self._undo: List[Callable[[], None]] = []
        self._lock = threading.Lock()

    # -- URL mapping ------------------------------------------------------------------

    def http_url(self, url: str) -> str:
        """The sandbox URL for an ``http(s)`` URL; raises ``HostRefused``."""
        parts = urlsplit(str(url))
        host = _host_of(parts.netloc)
        if host in LOOPBACK:
            return str(url)
        path = parts.path or "/"
        prefix = HTTP_PREFIXES.get(host)
        if prefix is None:
            for (service_host, base), service_prefix in HTTP_SERVICES.items():
                if host == service_host and (path == base or path.startswith(base + "/")):
                    prefix, path = service_prefix, path[len(base):] or "/"
                    break
            else:
                raise HostRefused(f"{host}: not a Scratch host; the sandbox redirect refuses it")
        return urlunsplit(("http", self.address, prefix + path, parts.query, ""))

    def live_url(self, url: str) -> str:
        """The live URL for a sandbox URL made by ``http_url`` (others unchanged)."""
        parts = urlsplit(url)
        if parts.netloc != self.address:
            return url
        routes = [(p, h, "") for h, p in HTTP_PREFIXES.items() if not h.startswith("www.")]
        routes += [(p, h, base) for (h, base), p in HTTP_SERVICES.items()]
        for prefix, host, base in sorted(routes, key=lambda r: len(r[0]), reverse=True):
            if parts.path == prefix or parts.path.startswith(prefix + "/"):
                rest = parts.path[len(prefix):] or "/"
                return urlunsplit(("https", host, base + rest, parts.query, parts.fragment))
        return url

    def ws_url(self, url: str) -> str:
        """The sandbox URL for a cloud ``ws(s)`` URL; raises ``HostRefused``."""
        parts = urlsplit(str(url))
        host = _host_of(parts.netloc)
        if host in LOOPBACK:
            return str(url)
        path = WS_PATHS.get(host)
        if path is None:
            raise HostRefused(f"{host}: not a cloud server the sandbox stands in for; refused")
        return urlunsplit(("ws", self.address, path + parts.path.rstrip("/"), parts.query, ""))

    # -- patching ---------------------------------------------------------------------

    def _replace(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name)
        setattr(owner, name, make(original))
        self._undo.append(lambda: setattr(owner, name, original))

    def install(self) -> "Redirect":
        """Patches every library that is importable; raises ``RuntimeError`` when another
        redirect is installed."""
        with Redirect._guard:
            if Redirect._active is self:
                return self
            if Redirect._active is not None:
                raise RuntimeError("another sandbox redirect is installed; uninstall it first")
            self._patch_requests()
            self._patch_websocket_client()
            self._patch_aiohttp()
            self._patch_scratchclient()
            self._patch_urllib()
            self._patch_httpx()
            Redirect._active = self
        return self

    def uninstall(self) -> None:
        """Puts every patched function back."""
        with Redirect._guard:
            while self._undo:
                self._undo.pop()()
            if Redirect._active is self:
                Redirect._active = None

    def __enter__(self) -> "Redirect":
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def _log(self, method: str, live: str, target: Optional[str]) -> None:
        with self._lock:
            self.exchanges.append((method, live, target))

    def _patch_requests(self) -> None:
        try:
            import requests
            from requests.adapters import HTTPAdapter
        except ImportError:
            return
        redirect = self

        def make(original: Any) -> Any:
            def send(adapter: Any, request: Any, stream: bool = False, timeout: Any = None,
                     verify: Any = True, cert: Any = None, proxies: Any = None) -> Any:
                live = request.url
                try:
                    target = redirect.http_url(live)
                except HostRefused as refused:
                    redirect._log(request.method, live, None)
                    raise requests.exceptions.ConnectionError(refused, request=request) from refused
                redirect._log(request.method, live, target)
                outgoing = request.copy()
                outgoing.url = target
                response = original(adapter, outgoing, stream=stream, timeout=timeout,
                                    verify=verify, cert=cert, proxies={})
                response.request = request
                response.url = redirect.live_url(response.url) if response.url else live
                return response
            return send

        self._replace(HTTPAdapter, "send", make)

    def _patch_websocket_client(self) -> None:
        try:
            import websocket
        except ImportError:
            return
        redirect = self

        def make(original: Any) -> Any:
            def connect(ws: Any, url: str, **options: Any) -> Any:
                return original(ws, redirect.ws_url(url), **options)
            return connect

        self._replace(websocket.WebSocket, "connect", make)

    def _patch_aiohttp(self) -> None:
        try:
            import aiohttp
        except ImportError:
            return
        redirect = self

        def make_request(original: Any) -> Any:
            async def _request(session: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
                live = str(str_or_url)
                try:
                    target = redirect.http_url(live)
                except HostRefused:
                    redirect._log(method, live, None)
                    raise
                redirect._log(method, live, target)
                kwargs.pop("proxy", None)
                return await original(session, method, target, **kwargs)
            return _request

        def make_ws(original: Any) -> Any:
            async def _ws_connect(session: Any, url: Any, **kwargs: Any) -> Any:
                return await original(session, redirect.ws_url(str(url)), **kwargs)
            return _ws_connect

        self._replace(aiohttp.ClientSession, "_request", make_request)
        self._replace(aiohttp.ClientSession, "_ws_connect", make_ws)

    def _patch_scratchclient(self) -> None:
        try:
            from scratchclient import Websocket as module
        except ImportError:
            return
        redirect = self

        def make_sync(original: Any) -> Any:
            def connect(ws: Any, url: str, *args: Any, **kwargs: Any) -> Any:
                return original(ws, redirect.ws_url(url), *args, **kwargs)
            return connect

        def make_async(original: Any) -> Any:
            async def connect(ws: Any, url: str, *args: Any, **kwargs: Any) -> Any:
                return await original(ws, redirect.ws_url(url), *args, **kwargs)
            return connect

        for name, make in (("Websocket", make_sync), ("AsyncWebsocket", make_async)):
            cls = getattr(module, name, None)
            if cls is not None:
                self._replace(cls, "connect", make)

    def _patch_urllib(self) -> None:
        import urllib.error
        import urllib.request

        redirect = self

        def make(original: Any) -> Any:
            def open(opener: Any, fullurl: Any, data: Any = None, *args: Any, **kwargs: Any) -> Any:
                request = fullurl if isinstance(fullurl, urllib.request.Request) \
                    else urllib.request.Request(fullurl, data)
                live = request.full_url
                method = request.get_method()
                try:
                    target = redirect.http_url(live)
                except HostRefused as refused:
                    redirect._log(method, live, None)
                    raise urllib.error.URLError(refused) from refused
                if target == live:  # loopback
                    return original(opener, fullurl, data, *args, **kwargs)
                redirect._log(method, live, target)
                outgoing = urllib.request.Request(
                    target, data=request.data if data is None else data,
                    headers=dict(request.header_items()), method=method)
                response = original(opener, outgoing, None, *args, **kwargs)
                response.url = redirect.live_url(response.url)
                return response
            return open

        self._replace(urllib.request.OpenerDirector, "open", make)

    def _httpx_outgoing(self, httpx: Any, request: Any) -> Any:
        """The request to send instead of ``request`` (itself for loopback); raises
        ``httpx.ConnectError`` for a refused host."""
        live = str(request.url)
        try:
            target = self.http_url(live)
        except HostRefused as refused:
            self._log(request.method, live, None)
            raise httpx.ConnectError(str(refused), request=request) from refused
        if target == live:
            return request
        self._log(request.method, live, target)
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"host"]
        headers.insert(0, (b"Host", self.address.encode()))
        return httpx.Request(request.method, target, headers=headers, stream=request.stream,
                             extensions=request.extensions)

    def _patch_httpx(self) -> None:
        try:
            import httpx
        except ImportError:
            return
        redirect = self

        def make_sync(original: Any) -> Any:
            def handle_request(transport: Any, request: Any) -> Any:
                return original(transport, redirect._httpx_outgoing(httpx, request))
            return handle_request

        def make_async(original: Any) -> Any:
            async def handle_async_request(transport: Any, request: Any) -> Any:
                return await original(transport, redirect._httpx_outgoing(httpx, request))
            return handle_async_request

        # The client sets each response's ``request`` (so its URL) to the live request.
        self._replace(httpx.HTTPTransport, "handle_request", make_sync)
        self._replace(httpx.AsyncHTTPTransport, "handle_async_request", make_async)
