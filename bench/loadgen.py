"""Closed-loop HTTP load generator for the benchmark, driving `wrk` with a generated Lua script.

Both sides of the benchmark (Gezien and the django-helpdesk peer) use it the same way: a fixed
number of keep-alive connections send requests back to back for a bounded time (or count),
every request with its own body rendered from a template, and wrk's own latency histogram
gives the percentiles. wrk is C with LuaJIT, so on a 2-core machine it stays far below the
Python server under test; Python here only writes the script and reads wrk's JSON line.

Templates (body and header values) may hold placeholders, rendered per request in Lua:

    {n}          a counter unique across the run: first_n, first_n+1, ... (over all wrk threads)
    {n%K}        the counter modulo K (cycle through K values, e.g. K known customers)
    {n%K+B}      the same plus B (e.g. {n%3+1} for the ids 1, 2, 3)
    {r%K}        a random integer in [0, K), {r%K+B} shifted by B
    {...:W}      any of the above zero-padded to W digits, e.g. {n%100000000:08}
    {run}        a random hex id fixed for the run (e.g. to keep idempotency keys unique per run)

Anything else, JSON braces included, is copied literally. The URL's path (and query) may hold
placeholders too, e.g. http://127.0.0.1:8000/desk/contacts/{n%500+1}/ to cycle through pages.

Targets are limited to the loopback range and runs to MAX_DURATION_S seconds.

Usage from Python:

    from bench.loadgen import run_load
    result = run_load(
        "http://127.0.0.1:8000/api/contacts",
        '{"channel":"phone","identity":{"kind":"phone","value":"+316{n%100000000:08}"},"text":"call {n}"}',
        headers={"Authorization": "Bearer TOKEN"},
        connections=8,
        duration_s=10,
    )
    print(result.rps, result.p99_ms, result.errors)

From the shell (prints the result as JSON):

    python bench/loadgen.py http://127.0.0.1:8000/api/contacts --body '{"text":"{n}"}' \\
        -H 'Authorization: Bearer TOKEN' -c 8 -d 10
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

MAX_DURATION_S = 30.0
DEFAULT_DURATION_S = 10.0
DEFAULT_CONNECTIONS = 8
RESULT_MARKER = "LOADGEN_JSON "
WRK_INSTALL_HINT = (
    "wrk is not installed: run `apt-get install -y wrk` (the Makefile's bench target does this)."
)

PLACEHOLDER = re.compile(r"\{(?P<kind>n|r|run)(?:%(?P<mod>\d+))?(?:\+(?P<add>\d+))?(?::(?P<width>\d+))?\}")


class WrkMissingError(RuntimeError):
    """wrk is not on PATH."""


class LoadgenError(RuntimeError):
    """wrk failed or printed no result."""


@dataclass(frozen=True)
class LoadResult:
    """What one run measured. Latencies are in milliseconds, from wrk's per-request histogram."""

    requests: int  # responses received, any status
    ok: int  # responses with a 2xx status
    errors: int  # non-2xx responses plus socket errors (connect, read, write, timeout)
    duration_s: float
    rps: float  # 2xx responses per second
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    connections: int
    status_counts: dict[str, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    sample_error: str | None = None  # status and first bytes of the first non-2xx body seen
    loadgen_cpu_s: float = 0.0  # CPU seconds wrk itself used (user + system), to show it is no bottleneck

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def wrk_path() -> str:
    """Path of the wrk binary; raises WrkMissingError with an install hint if absent."""
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissingError(WRK_INSTALL_HINT)
    return path


def check_loopback_url(url: str) -> None:
    """Refuse any target outside the loopback range (127.0.0.0/8, ::1, localhost)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme in {url!r}")
    host = parts.hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"load generation targets only the loopback range, not {host!r}")


def render(template: str, n: int, run_id: str = "run") -> str:
    """Render a template in Python the way the Lua script does (random parts use Python's RNG).

    For previews and tests; the load itself is rendered inside wrk.
    """
    import random

    def substitute(match: re.Match[str]) -> str:
        kind = match["kind"]
        if kind == "run":
            return run_id
        mod = int(match["mod"]) if match["mod"] else None
        if kind == "r":
            value = random.randrange(mod) if mod else random.randrange(2**31)
        else:
            value = n % mod if mod else n
        value += int(match["add"] or 0)
        width = int(match["width"] or 0)
        return f"{value:0{width}d}" if width else str(value)

    return PLACEHOLDER.sub(substitute, template)


def _lua_string(text: str) -> str:
    """A Lua string literal for any text (bytes outside a safe ASCII set become \\ddd escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if 0x20 <= byte < 0x7F and char not in '\\"':
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def _lua_expression(template: str, run_id: str) -> str:
    """A Lua expression rendering `template` for the request counter held in local `n`."""
    parts: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(_lua_string(template[position : match.start()]))
        position = match.end()
        kind = match["kind"]
        if kind == "run":
            parts.append(_lua_string(run_id))
            continue
        mod = int(match["mod"]) if match["mod"] else 0
        add = int(match["add"] or 0)
        if kind == "r":
            upper = mod if mod else 2**31
            value = f"(math.random(0, {upper - 1}) + {add})"
        else:
            value = f"((n % {mod}) + {add})" if mod else f"(n + {add})"
        width = int(match["width"] or 0)
        parts.append(f'string.format("%0{width}d", {value})' if width else f'string.format("%d", {value})')
    if position < len(template):
        parts.append(_lua_string(template[position:]))
    return " .. ".join(parts) if parts else '""'


def build_lua_script(
    *,
    method: str,
    path: str,
    body_template: str | None,
    headers: Mapping[str, str],
    threads: int,
    first_n: int,
    max_requests: int | None,
    run_id: str,
) -> str:
    """The wrk script: per-request bodies and headers, status counting, a JSON summary in done()."""
    static_headers = {k: v for k, v in headers.items() if not PLACEHOLDER.search(v)}
    dynamic_headers = {k: v for k, v in headers.items() if PLACEHOLDER.search(v)}
    per_thread_cap = -(-max_requests // threads) if max_requests else 0
    dynamic_path = PLACEHOLDER.search(path) is not None
    lines = [
        "-- generated by bench/loadgen.py",
        f"wrk.method = {_lua_string(method)}",
        f"wrk.path = {_lua_string('/' if dynamic_path else path)}",
    ]
    for key, value in static_headers.items():
        lines.append(f"wrk.headers[{_lua_string(key)}] = {_lua_string(value)}")
    body_expr = _lua_expression(body_template, run_id) if body_template is not None else "nil"
    path_expr = _lua_expression(path, run_id) if dynamic_path else "nil"
    header_lines = [
        f"  h[{_lua_string(k)}] = {_lua_expression(v, run_id)}" for k, v in dynamic_headers.items()
    ]
    if dynamic_headers:
        header_block = "\n".join(
            [
                "  local h = {}",
                "  for k, v in pairs(wrk.headers) do h[k] = v end",
                *header_lines,
            ]
        )
        headers_ref = "h"
    else:
        header_block = ""
        headers_ref = "nil"
    lines.append(
        f"""
local ffi = require("ffi")
ffi.cdef[[int kill(int pid, int sig); int getpid(void);]]
local FIRST_N = {first_n}
local THREADS = {threads}
local CAP = {per_thread_cap}
local thread_list = {{}}
local next_index = 0

function setup(thread)
  thread:set("thread_index", next_index)
  next_index = next_index + 1
  table.insert(thread_list, thread)
end

function init(args)
  sent = 0
  received = 0
  statuses = {{}}
  sample_error = nil
  math.randomseed(os.time() + 7919 * thread_index)
end

function request()
  local n = FIRST_N + thread_index + THREADS * sent
  sent = sent + 1
{header_block}
  return wrk.format(nil, {path_expr}, {headers_ref}, {body_expr})
end

function response(status, headers, body)
  received = received + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if (status < 200 or status > 299) and sample_error == nil then
    sample_error = key .. " " .. string.sub(body or "", 1, 300)
  end
  if CAP > 0 and received == CAP then
    -- SIGINT to wrk's own process ends the run early (main thread wakes, stops all threads),
    -- so wrk's duration and so the rate cover only the requests made.
    ffi.C.kill(ffi.C.getpid(), 2)
  end
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\\\]', function(c)
    if c == '"' then return '\\\\"' end
    if c == '\\\\' then return '\\\\\\\\' end
    return string.format("\\\\u%04x", string.byte(c))
  end)
  return '"' .. string.gsub(s, "[\\128-\\255]", "?") .. '"'
end

function done(summary, latency, requests)
  local statuses_all = {{}}
  local sample = nil
  for _, thread in ipairs(thread_list) do
    local counts = thread:get("statuses") or {{}}
    for k, v in pairs(counts) do statuses_all[k] = (statuses_all[k] or 0) + v end
    if sample == nil then sample = thread:get("sample_error") end
  end
  local status_parts = {{}}
  for k, v in pairs(statuses_all) do
    table.insert(status_parts, string.format('"%s": %d', k, v))
  end
  local e = summary.errors
  local out = {{}}
  table.insert(out, string.format('"duration_us": %d', summary.duration))
  table.insert(out, string.format('"requests": %d', summary.requests))
  table.insert(out, string.format('"bytes": %d', summary.bytes))
  table.insert(out, string.format(
    '"socket_errors": {{"connect": %d, "read": %d, "write": %d, "timeout": %d}}',
    e.connect, e.read, e.write, e.timeout))
  table.insert(out, string.format('"status_errors": %d', e.status))
  table.insert(out, '"statuses": {{' .. table.concat(status_parts, ", ") .. '}}')
  table.insert(out, string.format(
    '"latency_us": {{"min": %d, "max": %d, "mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}',
    latency.min, latency.max, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)))
  if sample ~= nil then
    table.insert(out, '"sample_error": ' .. json_string(sample))
  end
  io.write("\\n{RESULT_MARKER}{{" .. table.concat(out, ", ") .. "}}\\n")
end
"""
    )
    return "\n".join(lines)


def run_load(
    url: str,
    body_template: str | None,
    *,
    headers: Mapping[str, str] | None = None,
    method: str = "POST",
    connections: int = DEFAULT_CONNECTIONS,
    duration_s: float = DEFAULT_DURATION_S,
    max_requests: int | None = None,
    threads: int = 1,
    timeout_s: float = 10.0,
    first_n: int = 0,
    script_dir: Path | None = None,
) -> LoadResult:
    """Load `url` with `connections` keep-alive connections for `duration_s` seconds.

    url: target on the loopback range; its path may hold placeholders (one page per request).
    body_template: request body with placeholders (see the module docstring); None for no body.
    headers: extra request headers; values may hold placeholders too. Content-Type defaults to
        application/json when a body is sent.
    max_requests: stop after about this many responses (exactly with one wrk thread; with more,
        when the first thread has done its share), or at duration_s, whichever comes first.
    threads: wrk threads (event loops). One keeps up with a Python server on 2 cores.
    timeout_s: a response slower than this counts as a timeout error.
    first_n: first value of {n}; give each run against the same database its own range.
    script_dir: where to write the Lua script (a temporary folder when None).
    """
    check_loopback_url(url)
    if not 0 < duration_s <= MAX_DURATION_S:
        raise ValueError(f"duration_s must be in (0, {MAX_DURATION_S:.0f}], got {duration_s}")
    if not 1 <= connections <= 1024:
        raise ValueError(f"connections must be in [1, 1024], got {connections}")
    threads = max(1, min(threads, connections))
    wrk = wrk_path()

    all_headers: dict[str, str] = {}
    if body_template is not None:
        all_headers["Content-Type"] = "application/json"
    for key, value in (headers or {}).items():
        # Header names are case-insensitive: a caller's Content-Type replaces the default.
        for existing in [k for k in all_headers if k.lower() == key.lower()]:
            del all_headers[existing]
        all_headers[key] = value

    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    run_id = secrets.token_hex(6)
    script = build_lua_script(
        method=method.upper(),
        path=path,
        body_template=body_template,
        headers=all_headers,
        threads=threads,
        first_n=first_n,
        max_requests=max_requests,
        run_id=run_id,
    )

    with tempfile.TemporaryDirectory(prefix="loadgen-", dir=script_dir) as folder:
        script_path = Path(folder) / "load.lua"
        script_path.write_text(script, encoding="utf-8")
        argv = [
            wrk,
            "--threads", str(threads),
            "--connections", str(connections),
            "--duration", f"{max(1, round(duration_s))}s",
            "--timeout", f"{max(1, round(timeout_s))}s",
            "--latency",
            "--script", str(script_path),
            # A path with placeholders is rendered per request by the script; wrk gets "/".
            f"{parts.scheme}://{parts.netloc}{'/' if PLACEHOLDER.search(path) else path}",
        ]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        completed = subprocess.run(
            argv, capture_output=True, text=True, timeout=duration_s + timeout_s + 30, check=False
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = parse_wrk_output(completed.stdout, completed.stderr, completed.returncode, connections)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return replace(result, loadgen_cpu_s=round(cpu_s, 3))


def parse_wrk_output(stdout: str, stderr: str, returncode: int, connections: int) -> LoadResult:
    """Turn the JSON line printed by the script's done() into a LoadResult."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(RESULT_MARKER)), None)
    if returncode != 0 or line is None:
        raise LoadgenError(f"wrk failed (exit {returncode}):\n{stdout[-2000:]}\n{stderr[-2000:]}")
    data = json.loads(line[len(RESULT_MARKER) :])
    statuses: dict[str, int] = {k: int(v) for k, v in sorted(data["statuses"].items())}
    ok = sum(v for k, v in statuses.items() if k.startswith("2") and len(k) == 3)
    socket_errors = {k: int(v) for k, v in data["socket_errors"].items()}
    requests = int(data["requests"])
    duration_s = data["duration_us"] / 1e6
    latency = data["latency_us"]
    return LoadResult(
        requests=requests,
        ok=ok,
        errors=(requests - ok)
        + socket_errors["connect"]
        + socket_errors["write"]
        + socket_errors["timeout"]
        + socket_errors["read"],
        duration_s=round(duration_s, 3),
        rps=round(ok / duration_s, 1) if duration_s > 0 else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        mean_ms=round(latency["mean"] / 1000, 3),
        connections=connections,
        status_counts=statuses,
        socket_errors=socket_errors,
        sample_error=data.get("sample_error"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Closed-loop HTTP load through wrk (loopback only).")
    parser.add_argument("url")
    parser.add_argument(
        "--body", help="body template; placeholders: {n} {n%%K} {n%%K+B} {r%%K} {...:W} {run}"
    )
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value' (repeatable)")
    parser.add_argument("-X", "--method", default="POST")
    parser.add_argument("-c", "--connections", type=int, default=DEFAULT_CONNECTIONS)
    parser.add_argument("-d", "--duration", type=float, default=DEFAULT_DURATION_S, help="seconds")
    parser.add_argument("-n", "--requests", type=int, default=None, help="stop after about N responses")
    parser.add_argument("-t", "--threads", type=int, default=1)
    parser.add_argument("--first-n", type=int, default=0)
    args = parser.parse_args(argv)
    headers: dict[str, str] = {}
    for raw in args.header:
        name, sep, value = raw.partition(":")
        if not sep:
            parser.error(f"header {raw!r} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    try:
        result = run_load(
            args.url,
            args.body,
            headers=headers,
            method=args.method,
            connections=args.connections,
            duration_s=args.duration,
            max_requests=args.requests,
            threads=args.threads,
            first_n=args.first_n,
        )
    except WrkMissingError as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
