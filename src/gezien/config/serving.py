"""What `gezien serve` runs: the WSGI application of `gezien.config.wsgi`, plus this process's own work
off the requests. Importing `gezien.config.wsgi` (tests, runserver) starts nothing; the served process,
on the embedded default, handles the outbox (new messages' analysis and every listener) on a thread of
its own, and loads the analyser before the first message arrives."""

from django.conf import settings

from gezien.config.wsgi import application
from gezien.contacts.analysing import analysis_warm_up
from gezien.contacts.outbox import outbox_thread_start

__all__ = ["application"]

if settings.GEZIEN_ANALYSIS_INLINE:
    analysis_warm_up()
    outbox_thread_start()
