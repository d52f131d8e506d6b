"""Server time per page (the Server-Timing header muster serve sets) and page weight.

usage: page_timings.py BASE_URL PASSWORD USER:PATH[,PATH...] ... [--runs N]
Signs each user in through the sign-in form, reads each page N times, prints one line per page:
path, median and slowest server time in ms, and bytes. Exits non-zero when a page fails.
"""

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


def main(argv):
    runs = 20
    if "--runs" in argv:
        index = argv.index("--runs")
        runs = int(argv[index + 1])
        del argv[index:index + 2]
    base, password, specs = argv[0], argv[1], argv[2:]
    failed = False
    print(f"{'page':48} {'median ms':>10} {'max ms':>8} {'bytes':>8}")
    for spec in specs:
        user, paths = spec.split(":", 1)
        cookie = sign_in(base, user, password)
        for path in paths.split(","):
            times, size = [], 0
            for _ in range(runs):
                status, headers, body = request(base + path, cookie=cookie)
                if status != 200:
                    print(f"{path}: {status}")
                    failed = True
                    break
                match = re.search(r"dur=([0-9.]+)", headers.get("Server-Timing", ""))
                times.append(float(match.group(1)) if match else float("nan"))
                size = len(body)
            if times:
                print(f"{user + ' ' + path:48} {statistics.median(times):10.1f} {max(times):8.1f} {size:8d}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
