"""What `gezien serve` runs: the ASGI application of `gezien.config.asgi` (live event streams on the
event loop, every other request through the WSGI application on a thread), plus this process's own
work off the requests. Importing `gezien.config.asgi` or `gezien.config.wsgi` (tests, runserver)
starts nothing; the served process, on the embedded default, handles the outbox (new messages'
analysis and every listener) on a thread of its own, sends replies' e-mails on another
(`gezien.mail.sender`), and loads the analyser before the first message arrives."""

import gc
import sys
from importlib import import_module

from django.conf import settings

from gezien.config.asgi import application
from gezien.config.wsgi import application as wsgi_application
from gezien.contacts.analysing import analysis_warm_up
from gezien.contacts.outbox import outbox_thread_start
from gezien.core.live import live_transport
from gezien.mail.sender import mail_sender_start
from gezien.webhooks.delivery import sender_wake

__all__ = ["application", "wsgi_application"]  # WSGI: the bench compares the two

# How long a thread may keep the GIL while another waits for it. Each SQL statement of a request lets
# go of the GIL; while the outbox thread runs Python (analysis, listeners) the request then waits up to
# this long to get it back, once per statement. CPython's default of 5 ms makes that up to ~40 ms for
# a request during a batch; 0.5 ms bounds it at ~4 ms (docs/performance.md, "The tail").
SWITCH_INTERVAL_S = 0.0005


def startup_objects_freeze() -> None:
    """Leave what the process loaded at start out of the garbage collector's full collections.

    The app, the URLs with every view, and the analyser's lexicons are ~300,000 objects that live as
    long as the process. CPython's full collection walks all of them every time it runs (~60-100 ms
    here, and more as caches grow), holding the GIL: under load that stalls the request in flight and
    the ones queued behind it, the tail of the hot path (docs/performance.md, "The page at 8 agents and
    the tail, again"). Frozen, they are never walked again; what the process creates later is collected
    as before."""
    import_module(settings.ROOT_URLCONF)  # every view and API module, before the freeze
    gc.collect()
    gc.freeze()


live_transport()  # with several processes: this one's listener, connected before the first stream

if settings.GEZIEN_ANALYSIS_INLINE:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    analysis_warm_up()
startup_objects_freeze()
if settings.GEZIEN_ANALYSIS_INLINE:
    outbox_thread_start()
    mail_sender_start()  # replies' mails leave off the request (docs/mail-outgoing.md)
    sender_wake()  # webhook deliveries, those an earlier process left pending included
