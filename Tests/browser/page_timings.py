"""Server time per page (the Server-Timing header muster serve sets) and page weight.

usage: page_timings.py BASE_URL PASSWORD USER:PATH[,PATH...] ... [--runs N] [--json FILE] [--limit MS]
Signs each user in through the sign-in form, reads each page N times (after one unmeasured
load), prints one line per page: median, 95th percentile and slowest server time in ms, the
HTML's bytes and the page's weight (HTML plus the /static/ files it links: the stylesheet and
script). With --json, writes the figures as scripts/bench's results ([{name, value, unit,
baseline, ratio, goal}], as muster-bench writes them: baseline is the limit, ratio limit ÷ value,
goal 1). Exits non-zero when a page fails to load.
"""

import json
import math
import re
import statistics
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)
WEIGHT_LIMIT = 100_000


def request(url, data=None, cookie=None):
    req = urllib.request.Request(url, data=data)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        response = OPENER.open(req)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, dict(response.headers), response.read()


def sign_in(base, user, password):
    status, headers, _ = request(base + "/signin", urllib.parse.urlencode({"user": user, "password": password}).encode())
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    if status != 303 or not cookie:
        raise SystemExit(f"sign-in of {user} answered {status}")
    return cookie


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def weight(base, html, cookie):
    """The HTML's bytes plus those of every /static/ file it links (each counted once)."""
    total = len(html)
    for asset in sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))):
        _, _, body = request(base + asset.decode(), cookie=cookie)
        total += len(body)
    return total


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def main(argv):
    runs, output, limit = 20, None, 50.0
    for flag in ["--runs", "--json", "--limit"]:
        if flag in argv:
            index = argv.index(flag)
            value = argv[index + 1]
            del argv[index:index + 2]
            if flag == "--runs":
                runs = int(value)
            elif flag == "--json":
                output = value
            else:
                limit = float(value)
    base, password, specs = argv[0], argv[1], argv[2:]
    failed = False
    results = []
    print(f"{'page':56} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'HTML B':>8} {'weight B':>9}")
    for spec in specs:
        user, paths = spec.split(":", 1)
        cookie = sign_in(base, user, password)
        for path in paths.split(","):
            times, html = [], b""
            for run in range(runs + 1):
                status, headers, body = request(base + path, cookie=cookie)
                if status != 200:
                    print(f"{user} {path}: {status}")
                    failed = True
                    break
                match = re.search(r"dur=([0-9.]+)", headers.get("Server-Timing", ""))
                if run > 0:  # the first load warms the server's caches and is not counted
                    times.append(float(match.group(1)) if match else float("nan"))
                html = body
            if not times:
                continue
            median, p95 = statistics.median(times), percentile(times, 0.95)
            total = weight(base, html, cookie)
            print(f"{user + ' ' + path:56} {median:10.1f} {p95:8.1f} {max(times):8.1f} {len(html):8d} {total:9d}")
            name = "page_" + slug(re.sub(r"/trainees/[^/?]+", "/trainee", path.split("?")[0]))
            for kind, value in [("median", median), ("p95", p95)]:
                results.append({"name": f"{name}_{kind}", "value": round(value, 2), "unit": "ms", "baseline": limit,
                                "ratio": round(limit / max(value, 0.001), 3), "goal": 1.0})
            results.append({"name": f"{name}_weight", "value": total, "unit": "bytes", "baseline": WEIGHT_LIMIT,
                            "ratio": round(WEIGHT_LIMIT / max(total, 1), 3), "goal": 1.0 if path.endswith("/dor") else None})
    if output:
        with open(output, "w") as file:
            json.dump(results, file, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
