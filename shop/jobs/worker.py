"""`flask worker` (RQ worker with the app's settings, plus the schedule) and `flask send-mail`."""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app
from redis import Redis
from rq import SimpleWorker
from rq.cron import CronScheduler

# What runs on its own: expiry every minute, the mail retry sweep every minute, photo jobs
# Redis lost every five minutes, reconciliation hourly (at 17 past, away from the top of the
# hour), payment reminders hourly.
SCHEDULE = (
    ("shop.jobs.tasks.expire_orders", {"interval": 60}),
    ("shop.jobs.tasks.send_due_mail", {"interval": 60}),
    ("shop.jobs.tasks.requeue_lost_photos", {"interval": 300}),
    ("shop.jobs.tasks.reconcile_payments", {"cron": "17 * * * *"}),
    ("shop.jobs.tasks.send_payment_reminders", {"cron": "41 * * * *"}),
)


def build_schedule(redis: Redis, queue_name: str) -> CronScheduler:
    """RQ's cron scheduler with the shop's scheduled jobs registered."""
    from shop.jobs import tasks

    scheduler = CronScheduler(connection=redis, name=f"shop-cron-{queue_name}")
    for path, when in SCHEDULE:
        func = getattr(tasks, path.rsplit(".", 1)[1])
        scheduler.register(func, queue_name, **when)  # type: ignore[arg-type]
    return scheduler


def run_schedule(scheduler: CronScheduler, stop: threading.Event) -> None:
    """RQ's cron loop, in a thread beside the worker: enqueue what is due, sleep, repeat."""
    scheduler.register_birth()
    try:
        while not stop.is_set():
            if scheduler.enqueue_jobs():
                scheduler.save()
            scheduler.heartbeat()
            stop.wait(max(scheduler.calculate_sleep_interval(), 1))
    finally:
        scheduler.register_death()


def register(app: Flask) -> None:
    """Add `flask worker` and `flask send-mail`."""

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests).")
    @click.option("--no-schedule", is_flag=True,
                  help="Do not run the scheduled jobs here (another worker does).")  # fmt: skip
    def worker_command(burst: bool, no_schedule: bool) -> None:
        """Run the background jobs (needs REDIS_URL) and, unless told not to, the schedule."""
        from shop.jobs import connection

        if not current_app.config.get("JOBS_REDIS_URL"):
            raise click.ClickException(
                "Set REDIS_URL first: without it mail is delivered by the web processes and "
                "`flask send-mail` / `flask expire-orders` run from cron."
            )
        redis = connection()
        queue_name = current_app.config["JOBS_QUEUE"]
        stop = threading.Event()
        if not no_schedule and not burst:
            scheduler = build_schedule(redis, queue_name)
            threading.Thread(target=run_schedule, args=(scheduler, stop), daemon=True).start()
        worker = SimpleWorker([queue_name], connection=redis)
        try:
            # with_scheduler: jobs waiting for a retry are moved back onto the queue in time.
            worker.work(burst=burst, with_scheduler=True)
        finally:
            stop.set()

    @app.cli.command("send-mail")
    def send_mail_command() -> None:
        """Deliver every queued message that is due (run every minute from cron without Redis)."""
        from shop.mail_queue import deliver_due

        report = deliver_due()
        click.echo(f"Mail sent: {len(report.sent)}, to retry: {len(report.retrying)}, "
                   f"failed for good: {len(report.failed)}")  # fmt: skip
