"""Cloud variables from the Rust client: ``Session.connect_cloud(project_id)``.

The connection reconnects by itself, re-sends the latest value of each variable set while it
was down, and paces its sets by Scratch's rules. scratchattach's names: ``set_var``,
``get_var``, ``get_all_vars``, ``disconnect``; events come from ``events()`` (a blocking
iterator) or ``next_event()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Union

from . import _native
from .errors import ScratchkitError


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
        event = self._native.next_event(timeout)
        return None if event is None else CloudEvent(*event)

    def events(self, timeout: Optional[float] = None) -> Iterator[CloudEvent]:
        """Events until the connection ends (or until ``timeout`` seconds pass without one)."""
        while True:
            event = self.next_event(timeout)
            if event is None or event.kind == "end":
                return
            yield event

    def disconnect(self) -> None:
        self._native.close()

    def __enter__(self) -> "CloudConnection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()
