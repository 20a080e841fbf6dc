"""Send scratchattach's and scratchclient's traffic to a scratchkit sandbox.

The libraries are used exactly as published on PyPI; only the transport is redirected:

* HTTP: ``requests.adapters.HTTPAdapter.send`` (both libraries use ``requests``) gets a
  PreparedRequest whose URL is rewritten from the live host to the sandbox prefix
  (``https://api.scratch.mit.edu/users/mres`` -> ``http://ADDR/api/users/mres``). The response
  is handed back with the live URL, so cookies, redirects and error messages look as they
  would against scratch.mit.edu.
* WebSocket: ``websocket.WebSocket.connect`` (websocket-client, used by scratchattach; also
  behind ``websocket.create_connection``) and scratchclient's own ``Websocket`` /
  ``AsyncWebsocket`` classes get ``wss://clouddata.scratch.mit.edu`` rewritten to
  ``ws://ADDR/cloud`` and ``wss://clouddata.turbowarp.org`` to ``ws://ADDR/turbowarp``.

Any other host is refused with a ConnectionError: the harness never touches the internet.

Use ``install("127.0.0.1:PORT")`` before using the libraries, or put this directory on
PYTHONPATH with ``SCRATCHKIT_SANDBOX=127.0.0.1:PORT`` set (``sitecustomize.py`` calls
``install`` then). Every HTTP exchange is appended to ``EXCHANGES`` (method, live URL,
sandbox URL, status or error) so that callers can report what the sandbox did not serve.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# The hosts table (live host -> sandbox prefix, scratchkit DESIGN.md "Hosts": a contract) and
# the URL mapping are those of the Python package's redirect (python/scratchkit/redirect.py),
# loaded from its file so that this harness needs neither the package's native extension nor
# a second copy of the table. Only the patching below is the harness's own (it records every
# exchange's status, and can send cloud WebSockets to a recording proxy).
_MAPPING_FILE = Path(__file__).resolve().parent.parent / "python" / "scratchkit" / "redirect.py"
_spec = importlib.util.spec_from_file_location("_scratchkit_redirect_hosts", _MAPPING_FILE)
_hosts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_hosts)


class NotServed(Exception):
    """The URL names a host the sandbox does not stand in for."""


@dataclass
class Exchange:
    """One HTTP request made through the redirect."""

    method: str
    live_url: str
    sandbox_url: Optional[str]
    status: Optional[int] = None
    error: Optional[str] = None

    def describe(self) -> str:
        outcome = self.status if self.status is not None else f"error: {self.error}"
        return f"{self.method} {self.live_url} -> {outcome}"


EXCHANGES: list[Exchange] = []
_lock = threading.Lock()
_sandbox: Optional[str] = None
_ws_sandbox: Optional[str] = None
_installed = False


def sandbox_address() -> Optional[str]:
    """The ``HOST:PORT`` traffic goes to, once installed."""
    return _sandbox


def rewrite_http(url: str) -> str:
    """The sandbox URL for a live ``http(s)://`` URL; local URLs are returned unchanged.

    Raises NotServed for any other host.
    """
    if _sandbox is None:
        raise NotServed("redirect not installed")
    try:
        return _hosts.Redirect(_sandbox).http_url(url)
    except _hosts.HostRefused as e:
        raise NotServed(f"{e} (the harness stays offline)") from None


def unrewrite_http(url: str) -> str:
    """The live URL for a sandbox URL made by ``rewrite_http`` (anything else unchanged)."""
    if _sandbox is None:
        return url
    return _hosts.Redirect(_sandbox).live_url(url)


def rewrite_ws(url: str) -> str:
    """The sandbox URL for a live ``ws(s)://`` cloud URL; local URLs are returned unchanged.

    Raises NotServed for any other host.
    """
    if _sandbox is None:
        raise NotServed("redirect not installed")
    try:
        return _hosts.Redirect(_ws_sandbox or _sandbox).ws_url(url)
    except _hosts.HostRefused as e:
        raise NotServed(f"{e} (the harness stays offline)") from None


def _record(exchange: Exchange) -> None:
    with _lock:
        EXCHANGES.append(exchange)


def _patch_requests() -> None:
    import requests
    from requests.adapters import HTTPAdapter

    original_send = HTTPAdapter.send

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        live_url = request.url
        try:
            target = rewrite_http(live_url)
        except NotServed as e:
            _record(Exchange(request.method, live_url, None, error=str(e)))
            raise requests.exceptions.ConnectionError(f"compat redirect: {e}", request=request)
        outgoing = request.copy()
        outgoing.url = target
        exchange = Exchange(request.method, live_url, target)
        try:
            # No proxies: the sandbox is on the loopback interface.
            response = original_send(self, outgoing, stream=stream, timeout=timeout,
                                     verify=verify, cert=cert, proxies={})
        except Exception as e:
            exchange.error = f"{type(e).__name__}: {e}"
            _record(exchange)
            raise
        exchange.status = response.status_code
        _record(exchange)
        # Hand the response back as if it came from the live host.
        response.request = request
        response.url = unrewrite_http(response.url) if response.url else live_url
        return response

    HTTPAdapter.send = send


def _patch_websocket_client() -> None:
    try:
        import websocket
    except ImportError:
        return
    original_connect = websocket.WebSocket.connect

    def connect(self, url, **options):
        return original_connect(self, rewrite_ws(url), **options)

    websocket.WebSocket.connect = connect


def _patch_scratchclient_websocket() -> None:
    try:
        from scratchclient import Websocket as module
    except ImportError:
        return
    for cls_name in ("Websocket", "AsyncWebsocket"):
        cls = getattr(module, cls_name, None)
        if cls is None:
            continue
        original = cls.connect

        if cls_name == "AsyncWebsocket":
            async def connect(self, url, *args, __original=original, **kwargs):
                return await __original(self, rewrite_ws(url), *args, **kwargs)
        else:
            def connect(self, url, *args, __original=original, **kwargs):
                return __original(self, rewrite_ws(url), *args, **kwargs)

        cls.connect = connect


def install(sandbox: str, ws: Optional[str] = None) -> None:
    """Redirects all traffic of requests, websocket-client and scratchclient to ``sandbox``
    (``HOST:PORT``); cloud WebSockets go to ``ws`` instead when given (the wire-parity
    check's recording proxy). Installing twice only changes the addresses."""
    global _sandbox, _ws_sandbox, _installed
    _sandbox = sandbox
    _ws_sandbox = ws
    if _installed:
        return
    _patch_requests()
    _patch_websocket_client()
    _patch_scratchclient_websocket()
    _installed = True


def install_from_env() -> bool:
    """``install`` with ``$SCRATCHKIT_SANDBOX`` when it is set; returns whether it was."""
    addr = os.environ.get("SCRATCHKIT_SANDBOX")
    if addr:
        install(addr)
        return True
    return False
