"""The scratchattach side of the cloud-requests benchmark (crates/scratchkit-bench, bin
cloud-requests): scratchattach 2.2.6's ``CloudRequests`` on TurboWarp's cloud, redirected to a
scratchkit sandbox cloud server by ``compat/redirect.py``.

It registers one request, ``reply`` (argument: a number of characters; answer: that many
``x``), prints ``READY`` on its own line and serves until stdin closes.

Usage: python cloud_requests_host.py --compat DIR --sandbox HOST:PORT --project ID
"""

import argparse
import os
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compat", required=True)
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--project", required=True)
    args = parser.parse_args()

    sys.path.insert(0, args.compat)
    import redirect

    redirect.install(args.sandbox)
    import scratchattach as sa

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
