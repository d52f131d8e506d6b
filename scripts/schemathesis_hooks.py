"""Schemathesis checks for Muster's API fuzzing (scripts/test).

`no_events_on_failure`: a request that failed (4xx or 5xx) must leave no event behind. The run
uses one worker, so the log's size before and after each request is the request's own doing.
"""
import os
import subprocess

import schemathesis

_last = {"events": None}


def _events() -> int:
    out = subprocess.run(
        ["psql", "-qAt", "-d", os.environ["MUSTER_FUZZ_DATABASE"], "-c", "SELECT count(*) FROM muster.events"],
        check=True, capture_output=True, text=True,
    )
    return int(out.stdout.strip())


@schemathesis.check
def no_events_on_failure(ctx, response, case):
    now = _events()
    before = _last["events"] if _last["events"] is not None else now
    _last["events"] = now
    if response.status_code >= 400 and now != before:
        raise AssertionError(
            f"{case.method} {case.path} answered {response.status_code} yet the log grew from {before} to {now} events"
        )
