"""Two app servers behind HAProxy on one machine, as production runs them on several.

`make cluster` (python bench/cluster.py): a scratch PostgreSQL database (created, migrated,
demo catalog seeded), one Redis database, a moto S3 server with two buckets, two gunicorn
servers on loopback ports (deploy/gunicorn.conf.py) and HAProxy (deploy/haproxy.cfg, the same
file production uses) in front. It prints the shop's address; Ctrl-C stops everything, drops
the database and empties the Redis database.

`Cluster` is also what `make cluster-test` (tests/cluster/) and `make cluster-load`
(bench/cluster_load.py) start. Settings (environment):
  CLUSTER_PG         PostgreSQL server, default postgresql://postgres@127.0.0.1:5432
  CLUSTER_REDIS_URL  a Redis database the cluster owns (it is emptied at start and stop),
                     default redis://127.0.0.1:6379/5
  CLUSTER_PORT       HAProxy's port, default 8080 for `make cluster` (free port in tests)
  WEB_CONCURRENCY    gunicorn workers per server (default 2)
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("CLUSTER_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/5")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
SERVERS = 2  # deploy/haproxy.cfg names app-1 and app-2
S3_KEYS = {"AWS_ACCESS_KEY_ID": "cluster", "AWS_SECRET_ACCESS_KEY": "cluster",
           "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    """One long-running process of the cluster, its own process group, its log in scratch."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    # Started only when `probe` (a command) succeeds: for commands a branch may not have yet.
    probe: list[str] | None = None
    popen: subprocess.Popen | None = None
    log: Path | None = None

    def start(self, base_env: dict[str, str], scratch: Path) -> None:
        self.log = scratch / f"{self.name}.log"
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv, env=base_env | self.env, cwd=ROOT, stdout=out, stderr=out,
                start_new_session=True,  # a process group of its own: killed as a whole
            )  # fmt: skip

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive():
            try:
                os.killpg(self.popen.pid, signum)  # type: ignore[union-attr]
            except ProcessLookupError:
                pass

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (gunicorn finishes its requests), then SIGKILL if it takes too long."""
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait()
        # Workers orphaned by a killed master are in the same group: make sure they are gone.
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Cluster:
    """Start, reach, kill and stop the whole cluster; a context manager."""

    def __init__(self, *, port: int | None = None, seed_limit: int | None = None,
                 extra_env: dict[str, str] | None = None) -> None:  # fmt: skip
        self.scratch = Path(tempfile.mkdtemp(prefix="kb-cluster-"))
        self.database = f"kb_cluster_{os.getpid()}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_ports = [free_port() for _ in range(SERVERS)]
        self.s3_port = free_port()
        self.seed_limit = seed_limit
        self.public_bucket, self.private_bucket = "kb-cluster-photos", "kb-cluster-private"
        self.env = self._environment(extra_env or {})
        self.processes: list[Process] = []
        self._db_created = False

    # -- setup ---------------------------------------------------------------------------

    def _environment(self, extra: dict[str, str]) -> dict[str, str]:
        """What every server and command shares: production mode, one secret, one of each."""
        dropped = ("DATABASE_URL", "REDIS_URL", "DEMO_PAYMENTS", "MEDIA_URL", "SITE_URL")
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith(("STRIPE_", "FLASK_", "S3_", "AWS_", "SENTRY_"))
                     and k not in dropped}  # fmt: skip
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
            inherited.pop(name, None)
        s3 = f"http://127.0.0.1:{self.s3_port}"
        return inherited | S3_KEYS | {
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "FLASK_APP": "app", "FLASK_DEBUG": "0",
            "DATABASE_URL": f"{PG}/{self.database}",
            "REDIS_URL": REDIS_URL,
            # Every server signs and reads the same cookies (sessions, carts, CSRF tokens).
            "SECRET_KEY": secrets.token_urlsafe(36),
            "SITE_URL": self.url,
            "PROXY_COUNT": "1",  # HAProxy in front: rate limits count the visitor's address
            "DEMO_PAYMENTS": "1",
            "MEDIA_STORAGE": "s3", "S3_ENDPOINT_URL": s3, "S3_REGION": "us-east-1",
            "S3_BUCKET": self.public_bucket, "S3_PRIVATE_BUCKET": self.private_bucket,
            "MEDIA_URL": f"{s3}/{self.public_bucket}/",
            # Nothing of a request lives on a server's disk; these folders stay empty (mail
            # goes to one shared outbox, as it would go to one SMTP server).
            "MEDIA_ROOT": str(self.scratch / "media"),
            "MAIL_OUTBOX": str(self.scratch / "outbox"),
            "LOG_FORMAT": "json",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        } | extra  # fmt: skip

    def flask(self, *args: str, timeout: float = 300) -> str:
        """Run a shop command against the cluster's database; raise with its output if it fails."""
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "app", *args], env=self.env, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{tail}")
        return done.stdout

    def _admin_sql(self, sql: str) -> None:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def _flush_redis(self) -> None:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        try:
            client.flushdb()  # the cluster's own database number only
        finally:
            client.close()

    def process_list(self) -> list[Process]:
        """What runs: the app servers, background workers, then the balancer."""
        processes = [
            Process(f"app-{n + 1}", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                     "app:app"],
                    {"GUNICORN_BIND": f"127.0.0.1:{port}"})
            for n, port in enumerate(self.server_ports)
        ]  # fmt: skip
        # ---- Background workers: one `flask worker` (RQ jobs from the `jobs` branch). ----
        # Started only when this version of the shop has the command; add more here.
        flask = str(BIN / "flask")
        processes.append(
            Process("worker", [flask, "--app", "app", "worker"],
                    probe=[flask, "--app", "app", "worker", "--help"])
        )  # fmt: skip
        # ---- The balancer, last: it sends visitors only to servers that answer /readyz. ----
        processes.append(
            Process("haproxy", [HAPROXY, "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")], {
                "KB_BIND": f"127.0.0.1:{self.port}", "KB_HOST": "127.0.0.1",
                "KB_APP1": f"127.0.0.1:{self.server_ports[0]}",
                "KB_APP2": f"127.0.0.1:{self.server_ports[1]}",
            })
        )  # fmt: skip
        return processes

    def start(self, say: callable = lambda line: None) -> Cluster:  # type: ignore[valid-type]
        """Bring everything up and wait until HAProxy serves through both servers."""
        self._flush_redis()
        self._admin_sql(f'CREATE DATABASE "{self.database}"')
        self._db_created = True
        s3 = Process("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        s3.start(self.env, self.scratch)
        self.processes.append(s3)
        self._wait(f"http://127.0.0.1:{self.s3_port}/", s3, any_status=True)
        self._make_buckets()
        say(f"PostgreSQL {self.database}, Redis {REDIS_URL}, S3 on port {self.s3_port}")
        self.flask("db", "upgrade")
        self.flask("shipping-defaults")
        limit = ["--limit", str(self.seed_limit)] if self.seed_limit else []
        self.flask("seed-demo", *limit, timeout=600)
        say("database migrated and demo catalog seeded (photos in the bucket)")
        for process in self.process_list():
            if (
                process.probe
                and subprocess.run(
                    process.probe, env=self.env, cwd=ROOT, capture_output=True, timeout=300
                ).returncode
            ):
                say(f"{process.name}: skipped (`{' '.join(process.probe[1:-1])}` not available)")
                continue
            process.start(self.env, self.scratch)
            self.processes.append(process)
        for n, port in enumerate(self.server_ports):
            self._wait(f"http://127.0.0.1:{port}/readyz", self.process(f"app-{n + 1}"))
        self._wait(f"{self.url}/readyz", self.process("haproxy"))
        return self

    def _make_buckets(self) -> None:
        import boto3

        client = boto3.client(
            "s3", endpoint_url=self.env["S3_ENDPOINT_URL"], region_name="us-east-1",
            aws_access_key_id="cluster", aws_secret_access_key="cluster",  # noqa: S106
        )  # fmt: skip
        for bucket in (self.public_bucket, self.private_bucket):
            client.create_bucket(Bucket=bucket)
        # Photos are read by browsers straight from the bucket (MEDIA_URL), as from a CDN;
        # buyers' files stay private (served through presigned links).
        client.put_bucket_policy(Bucket=self.public_bucket, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"arn:aws:s3:::{self.public_bucket}/*"}],
        }))  # fmt: skip

    def _wait(self, url: str, process: Process, timeout: float = 60, any_status: bool = False):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError:
                if any_status:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{process.name} did not answer at {url}:\n{process.tail()}")

    # -- running ---------------------------------------------------------------------------

    def process(self, name: str) -> Process:
        return next(p for p in self.processes if p.name == name)

    def server_url(self, n: int) -> str:
        """The address of app server n (1 or 2), bypassing HAProxy."""
        return f"http://127.0.0.1:{self.server_ports[n - 1]}"

    def kill_server(self, n: int) -> None:
        """SIGKILL app server n, master and workers at once, as if its machine died."""
        process = self.process(f"app-{n}")
        process.signal(signal.SIGKILL)
        process.popen.wait()  # type: ignore[union-attr]

    def worker_pids(self, n: int) -> list[int]:
        """The gunicorn worker processes of app server n."""
        master = self.process(f"app-{n}").popen.pid  # type: ignore[union-attr]
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(pid) for pid in children)

    # -- stopping --------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop every process (balancer first), drop the database, empty the Redis database."""
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()
        if self._db_created:
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self._db_created = False
        try:
            self._flush_redis()
        except redis.RedisError:
            pass
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def rss_kib(pid: int) -> int:
    """A process's resident memory in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    port = int(os.environ.get("CLUSTER_PORT", "8080"))
    cluster = Cluster(port=port)
    stopping = False

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        print("Starting the cluster (seeding the demo catalog takes a minute)...", flush=True)
        cluster.start(say=lambda line: print(f"  {line}", flush=True))
        admin = cluster.flask("create-demo-admin").strip()
        for n in range(1, SERVERS + 1):
            print(f"  app-{n}: {cluster.server_url(n)} (workers {cluster.worker_pids(n)})")
        print(f"  logs: {cluster.scratch}")
        print(f"\nThe shop, through HAProxy: {cluster.url}/  (back office: {cluster.url}/admin)\n"
              f"{admin}\nCtrl-C stops everything.", flush=True)  # fmt: skip
        while True:
            for process in cluster.processes:
                if not process.alive() and not stopping:
                    print(f"{process.name} exited:\n{process.tail()}", flush=True)
                    stopping = True
            if stopping:
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except RuntimeError as error:
        print(f"Could not start the cluster: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip cleanup
        cluster.stop()
        print("Stopped; scratch database dropped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
