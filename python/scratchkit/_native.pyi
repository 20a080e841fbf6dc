"""Type stubs of the native module (Rust, PyO3). Use the Python API in ``scratchkit``."""

from os import PathLike
from typing import Callable, Optional, Tuple, Union

VERSION: str

# (None, json) on success; (exception class name, message, HTTP status or None) on failure.
Outcome = Union[Tuple[None, str], Tuple[str, str, Optional[int]]]

class NativeSandbox:
    def __init__(
        self,
        *,
        port: int = 0,
        scale: int = 0,
        seed: int = 2007,
        faults: Optional[str] = None,
        log_requests: Optional[Union[str, PathLike[str]]] = None,
        data_dir: Optional[Union[str, PathLike[str]]] = None,
    ) -> None: ...
    @property
    def address(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...

class NativeClient:
    def __init__(self, *, sandbox: Optional[str] = None, user_agent: Optional[str] = None) -> None: ...
    def call(self, op: str, args: str) -> Outcome: ...
    def submit(self, op: str, args: str, callback: Callable[[Outcome], object]) -> None: ...
    @property
    def logged_in(self) -> bool: ...
