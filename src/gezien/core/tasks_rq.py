"""The task queue on Redis (RQ): django-tasks-rq's backend, with a task enqueued inside a transaction
pushed to Redis only when that transaction commits.

The database backend writes its queue row in the caller's transaction, so a rolled-back transaction
leaves no task and a committed one is never seen before its data. Redis is outside the transaction:
pushed at once, a task could run before the rows it reads are committed, or run for a change that was
rolled back. This backend keeps the database backend's promise: inside `atomic()` the task is pushed by
`transaction.on_commit` (with the id its `TaskResult` already carries), outside one it is pushed at once.

Selected by `GEZIEN_TASKS_URL=redis://...` (config/settings.py); `gezien worker` then runs an RQ worker
on the same Redis (docs: deploy/README.md).
"""

from __future__ import annotations

from typing import Any

import django_rq
from django.db import close_old_connections, connection, transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq.callbacks import Callback
from rq.job import Job as BaseJob
from rq.job import JobStatus
from rq.queue import Queue
from rq.worker import SimpleWorker


class OnCommitRQBackend(RQBackend):
    """RQBackend whose tasks wait for the enclosing transaction's commit (none after a rollback)."""

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        self.validate_task(task)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        if connection.in_atomic_block:
            transaction.on_commit(lambda: self._push(result), robust=True)
        else:
            self._push(result)
        return result

    def _push(self, result: TaskResult[Any]) -> None:
        task = result.task
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=result.args,
            kwargs=result.kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)


class GezienWorker(SimpleWorker):
    """The RQ worker of `gezien worker`: each task in this process (no fork per task: the worker's own
    threads, the outbox drain and the tick, run beside it), with the database connections checked
    before and after each task as a request's are."""

    # How long the worker's command channel (RQ's pubsub thread) waits for a message per poll. RQ waits
    # 60 s, and stopping the worker unsubscribes on that same connection, so every stop (SIGTERM, the
    # end of a burst) waited for the poll to run out: a minute per stop.
    COMMAND_POLL_S = 1.0

    def subscribe(self) -> None:
        """RQ's own, with a short poll (`COMMAND_POLL_S`)."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # RQ types it None
            sleep_time=self.COMMAND_POLL_S, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    def execute_job(self, job: BaseJob, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
