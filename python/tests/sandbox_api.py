"""Reading the sandbox's API directly (no proxy, no redirect through the plugin): the answers
the client's results are checked against."""

import json
import urllib.request

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def api(sb, path):
    """`GET /api<path>` of the sandbox `sb`, decoded from JSON."""
    with NO_PROXY.open(sb.url + "/api" + path, timeout=10) as response:
        return json.loads(response.read())
