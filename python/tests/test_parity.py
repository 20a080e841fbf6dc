"""Session and AsyncSession have the same methods, and session.pyi says so for each."""

import ast
import asyncio
import inspect
import subprocess
import sys
from pathlib import Path

import scratchkit
from scratchkit import AsyncSession, Session

PY = Path(__file__).resolve().parent.parent


def public(cls):
    return {name for name, _ in inspect.getmembers(cls) if not name.startswith("_")}


def test_the_two_classes_have_the_same_public_methods():
    assert public(Session) == public(AsyncSession)
    assert len(public(Session)) >= 48  # logged_in and 47 methods
    for name in public(Session) - {"logged_in"}:
        assert inspect.signature(getattr(Session, name)) == inspect.signature(getattr(AsyncSession, name))


def test_async_methods_return_coroutines_and_blocking_ones_results(scratch_sandbox_server):
    client = AsyncSession(sandbox=scratch_sandbox_server)
    call = client.get_project(142)
    assert inspect.isawaitable(call)
    assert asyncio.run(call).id == 142
    assert Session(sandbox=scratch_sandbox_server).get_project(142).id == 142

    async def cloud_and_comments():
        await client.login("griffpatch", scratchkit.DEMO_PASSWORD)
        connection = await client.connect_cloud(142)  # opened off the event loop
        with connection:
            first = connection.next_event(timeout=5)
        comments = await client.profile_comments("mres", limit=3)
        return first, comments

    first, comments = asyncio.run(cloud_and_comments())
    assert first == scratchkit.CloudEvent("connected")
    assert len(comments) == 3  # the seeded world has comments on mres's profile
    assert [c.id for c in comments] == \
        [c.id for c in Session(sandbox=scratch_sandbox_server).profile_comments("mres", limit=3)]


def stub_methods(tree, cls, kind):
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    return {f.name for f in node.body if isinstance(f, kind)}


def test_the_stub_lists_every_method_in_both_classes():
    tree = ast.parse((PY / "scratchkit" / "session.pyi").read_text(encoding="utf-8"))
    blocking = stub_methods(tree, "Session", ast.FunctionDef) - {"__init__", "logged_in"}
    coroutines = stub_methods(tree, "AsyncSession", ast.AsyncFunctionDef)
    assert blocking == coroutines == public(Session) - {"logged_in"}


def test_the_stub_is_what_stubgen_writes():
    result = subprocess.run([sys.executable, str(PY / "tools" / "stubgen.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_installed_stub_is_the_repositorys():
    installed = Path(scratchkit.__file__).with_name("session.pyi")
    assert installed.read_text(encoding="utf-8") == (PY / "scratchkit" / "session.pyi").read_text(encoding="utf-8")
