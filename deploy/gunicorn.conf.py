"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py app:app`.

Kept out of the project root so that `make bench`/`make race`, which start gunicorn there,
are not changed by it. Any value can be overridden on the command line or with
GUNICORN_CMD_ARGS. See deploy/README.md for the systemd unit that runs it.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request stuck longer than this is killed; on SIGTERM (systemd stop, deploys) workers get
# graceful_timeout seconds to finish what they are serving before they are killed.
timeout = 30
graceful_timeout = 25
keepalive = 5
# Recycle workers now and then, staggered, so one slow leak never takes all of them at once.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory: on a slow or full disk, workers would look dead.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs, written by gunicorn only
# The app logs every request itself (one JSON line with its request id): no access log.
accesslog = None
errorlog = "-"
# No control socket: its fixed default path collides when several servers share a machine.
control_socket_disable = True
# Trust X-Forwarded-* only through the app's PROXY_COUNT (ProxyFix), not gunicorn's own guess.
forwarded_allow_ips = "127.0.0.1"


def child_exit(server: object, worker: object) -> None:
    """Drop a dead worker's live gauges from the Prometheus multiprocess folder."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
