"""Cloud variables from the Rust client: ``Session.connect_cloud(project_id)``.

The connection reconnects by itself, re-sends the latest value of each variable set while it
was down, and paces its sets by Scratch's rules. scratchattach's names: ``set_var``,
``get_var``, ``get_all_vars``, ``disconnect``, ``requests()`` (a Cloud Requests host);
events come from ``events()`` (a blocking iterator) or ``next_event()``. TurboWarp's cloud
is ``Session.connect_tw_cloud``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, Optional, Sequence, Union

from . import _native
from .errors import ScratchkitError

if TYPE_CHECKING:
    from .cloud_requests import CloudRequests


class CloudError(ScratchkitError):
    """The cloud server refused the connection, or the connection ended."""


@dataclass(frozen=True)
class CloudEvent:
    """``kind``: ``set``, ``create``, ``delete``, ``rename`` (``value`` is the new name),
    ``connected``, ``reconnecting``, ``reconnected``, ``closed`` (``name`` is the reason)."""

    kind: str
    name: Optional[str] = None
    value: Optional[str] = None


class CloudConnection:
    """One project's cloud variables (use as a context manager, or call ``disconnect``)."""

    def __init__(self, native: "_native.NativeCloud", project_id: int) -> None:
        self._native = native
        self.project_id = project_id

    def set_var(self, name: str, value: Union[int, float, str]) -> None:
        """Sets ``name`` (with or without ``☁ ``); ``ValueError`` for a non-numeric or too long
        value."""
        self._native.set(name, str(value))

    def get_var(self, name: str) -> Optional[str]:
        """The last value seen for ``name`` (sent by the server or set here), or None."""
        return self._native.get(name)

    def get_all_vars(self) -> Dict[str, str]:
        return dict(self._native.values())

    @property
    def connected(self) -> bool:
        return self._native.connected

    def flush(self) -> None:
        """Waits until every set made so far is sent."""
        try:
            self._native.flush()
        except RuntimeError as e:
            raise CloudError(str(e)) from None

    def next_event(self, timeout: Optional[float] = None) -> Optional[CloudEvent]:
        """The next event, or None after ``timeout`` seconds; ``CloudEvent("end")`` once
        the connection has ended for good."""
        try:
            event = self._native.next_event(timeout)
        except RuntimeError as e:  # the events belong to a Cloud Requests host
            raise CloudError(str(e)) from None
        return None if event is None else CloudEvent(*event)

    def events(self, timeout: Optional[float] = None) -> Iterator[CloudEvent]:
        """Events until the connection ends (or until ``timeout`` seconds pass without one)."""
        while True:
            event = self.next_event(timeout)
            if event is None or event.kind == "end":
                return
            yield event

    def requests(self, used_cloud_vars: Sequence[Union[int, str]] = tuple("123456789"), *,
                 max_concurrency: int = 16, snapshot_window: Optional[float] = None,
                 memory_file: Optional[str] = None, reply_to_unknown: bool = True,
                 requester_lookup: bool = True) -> "CloudRequests":
        """A Cloud Requests host on this connection (scratchattach's ``cloud.requests()``):
        register requests with ``@host.request``, then ``host.start()``. The host takes the
        connection's events (``next_event`` stops working here). See
        ``scratchkit.cloud_requests.CloudRequests`` for the options."""
        from .cloud_requests import CloudRequests

        return CloudRequests(self, used_cloud_vars=used_cloud_vars, max_concurrency=max_concurrency,
                             snapshot_window=snapshot_window, memory_file=memory_file,
                             reply_to_unknown=reply_to_unknown, requester_lookup=requester_lookup)

    def disconnect(self) -> None:
        self._native.close()

    def __enter__(self) -> "CloudConnection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()
