"""CPU per contact page, in-process: seed one customer with N earlier contacts, render the page K times.

    GEZIEN_DATA_DIR=$(mktemp -d) .venv/bin/python bench/page_cpu.py --earlier 200 --runs 30 [--html out.html]
    [--profile]  (cProfile of the renders, top 40 by cumulative time)
    [--cold]     (every cache emptied before each render: the kept card, the reference lists, ...)

Prints the median `time.process_time()` per page, the SQL queries of one page and the HTML size.
Not a wall-clock bench: it measures the Python thread's own work, so a busy machine barely moves it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gezien_seed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--earlier", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--html", help="write the page (CSRF tokens blanked) here")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one page")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cold", action="store_true", help="empty the cache before each render")
    args = parser.parse_args()
    gezien_seed._setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from gezien.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    seeded = gezien_seed.cmd_view(argparse.Namespace(earlier=args.earlier))
    client = Client()
    client.force_login(User.objects.get(username=gezien_seed.BENCH_USER))
    url = f"/desk/contacts/{seeded['contact_id']}/"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    sqls: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        sqls.append(sql)
        return execute(sql, params, many, context)

    if args.cold:
        cache.clear()
    with connection.execute_wrapper(record):
        page = client.get(url)
    times = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for _ in range(args.runs):
        if args.cold:
            cache.clear()
        started = time.process_time()
        client.get(url)
        times.append(time.process_time() - started)
    if profiler:
        profiler.disable()
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    html = re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1-", page.content.decode())
    if args.html:
        Path(args.html).write_text(html)
    if args.queries:
        for sql in sqls:
            print(sql[:300])
    print(
        json.dumps(
            {
                "earlier": args.earlier,
                "caches": "emptied before each render" if args.cold else "kept",
                "cpu_ms_median": round(statistics.median(times) * 1000, 2),
                "cpu_ms_min": round(min(times) * 1000, 2),
                "queries": len(sqls),
                "html_bytes": len(html),
            }
        )
    )


if __name__ == "__main__":
    main()
