"""The scratchattach side of the cloud-requests benchmark (crates/scratchkit-bench, bin
cloud-requests): scratchattach 2.2.6's ``CloudRequests``, as published on PyPI, on Scratch's or
TurboWarp's cloud, redirected by ``compat/redirect.py`` to a cloud server on 127.0.0.1 (the
scratchkit sandbox's ``/cloud`` or ``/turbowarp``, or TurboWarp's own cloud-server).

It registers one request, ``reply`` (argument: a number of characters; answer: that many
``x``), prints ``READY`` on its own line and serves until stdin closes.

On Scratch's cloud, scratchattach needs a logged-in session only for its cookie and username:
a stand-in object with both is passed (the sandbox accepts any session cookie by default).

Usage: python cloud_requests_host.py --compat DIR --server HOST:PORT --project ID
       [--rules scratch|turbowarp]
"""

import argparse
import os
import sys
from types import SimpleNamespace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compat", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--rules", choices=["scratch", "turbowarp"], default="turbowarp")
    args = parser.parse_args()

    sys.path.insert(0, args.compat)
    import redirect

    redirect.install(args.server)
    import scratchattach as sa

    if args.rules == "scratch":
        from scratchattach.cloud.cloud import ScratchCloud

        session = SimpleNamespace(username="sa-host", id="scratchkit-bench-session")
        cloud = ScratchCloud(project_id=args.project, _session=session)
    else:
        cloud = sa.get_tw_cloud(args.project, purpose="benchmark", contact="scratchkit-bench")
    host = cloud.requests()

    @host.request
    def reply(n):
        return "x" * int(n)

    host.start(thread=True)
    print("READY", flush=True)
    sys.stdin.read()
    # scratchattach starts non-daemon threads that never end: leave without waiting.
    os._exit(0)


if __name__ == "__main__":
    main()
