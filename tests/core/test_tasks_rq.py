"""The task queue on Redis (RQ, GEZIEN_TASKS_URL): a task enqueued in a transaction reaches Redis when the
transaction commits and runs once; after a rollback it never runs. Against a real redis-server."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import transaction
from django_rq import get_queue
from django_tasks import task
from django_tasks_rq.backend import Job

from gezien.core.tasks_rq import GezienWorker
from gezien.customers.models import Customer

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit callbacks run only on a real commit


@task()
def customer_mark_task(customer_id: int) -> str:
    """Reads what the enqueuing transaction wrote and appends one "!" per run."""
    customer = Customer.objects.get(pk=customer_id)
    customer.last_name += "!"
    customer.save(update_fields=["last_name"])
    return customer.last_name


@task()
def line_write_task(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


@pytest.fixture
def rq_queue(settings: Any, redis_url: str) -> Any:
    redis.Redis.from_url(redis_url).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "gezien.core.tasks_rq.OnCommitRQBackend"}}
    return get_queue("default", job_class=Job)


def _work(queue: Any) -> None:
    """An RQ worker of `gezien worker`'s class, in this process, until the queue is empty."""
    GezienWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_task_enqueued_in_a_transaction_reaches_redis_at_the_commit_and_runs_once(rq_queue: Any) -> None:
    with transaction.atomic():
        customer = Customer.objects.create(customer_number="K-1", last_name="Jansen")
        result = customer_mark_task.enqueue(customer.pk)
        assert rq_queue.count == 0  # a worker must not see it before the customer exists for it
    assert rq_queue.job_ids == [result.id]
    _work(rq_queue)
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen!"
    assert customer_mark_task.get_result(result.id).return_value == "Jansen!"
    _work(rq_queue)  # nothing left to run a second time
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen!"


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(rq_queue: Any) -> None:
    customer = Customer.objects.create(customer_number="K-2", last_name="Bakker")
    with pytest.raises(RuntimeError), transaction.atomic():
        customer_mark_task.enqueue(customer.pk)
        raise RuntimeError("rolled back")
    assert rq_queue.count == 0
    _work(rq_queue)
    assert Customer.objects.get(pk=customer.pk).last_name == "Bakker"


def test_a_task_enqueued_outside_a_transaction_is_pushed_at_once(rq_queue: Any) -> None:
    customer = Customer.objects.create(customer_number="K-3", last_name="Visser")
    customer_mark_task.enqueue(customer.pk)
    assert rq_queue.count == 1
    _work(rq_queue)
    assert Customer.objects.get(pk=customer.pk).last_name == "Visser!"


def test_gezien_worker_runs_the_rq_queue_when_the_tasks_url_names_redis(
    rq_queue: Any, redis_url: str, tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    from tests.gezien_server import BIN, base_env, sqlite_data_dir

    written = tmp_path / "lines.txt"
    for line in ("een", "twee"):
        line_write_task.enqueue(str(written), line)
    env = base_env(
        sqlite_data_dir(migrated_sqlite_template, tmp_path / "data"),
        GEZIEN_TASKS_URL=redis_url,
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),  # the worker imports this test's task
    )
    done = subprocess.run(
        [str(BIN / "gezien"), "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert written.read_text().splitlines() == ["een", "twee"]
    assert rq_queue.count == 0


def test_the_tasks_url_must_name_redis(tmp_path: Path) -> None:
    env = {**os.environ, "GEZIEN_TASKS_URL": "http://localhost:6379", "GEZIEN_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    from tests.gezien_server import BIN

    done = subprocess.run(
        [str(BIN / "gezien"), "manage", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "GEZIEN_TASKS_URL='http://localhost:6379' is not a Redis address" in done.stderr
