"""Two application nodes on one PostgreSQL and one object store, tested together (issue 18;
SEC-3, SEC-4, SEC-6, OPS-2; docs/operations.md "Several nodes").

Two gunicorn nodes, each with its own data directory (nothing local is shared), and two
schedulers run against this test's PostgreSQL database and a real SeaweedFS bucket, with the
same key directory and ``BAOMI_SECRET_KEY`` — what docs/operations.md says must be shared:

- content uploaded through node A is read through node B;
- a login session made on node A works on node B (sessions live in the database);
- each scheduled job runs once per slot although two schedulers race for it;
- after a concurrent burst of uploads and reads on both nodes the audit chain verifies;
- node A killed (SIGKILL) while uploads hang half-way to the store: every upload it had
  answered is there and reads back through node B; the cut ones left no row and no half-linked
  carrier; `vault verify` finds nothing missing or damaged.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.support.personas import PASSWORD
from tests.support.seaweed import CutProxy, free_port

pytestmark = [pytest.mark.s3, pytest.mark.slow]
MIB = 1 << 20
START_SECONDS = 60


@dataclass
class Node:
    name: str
    url: str
    process: subprocess.Popen
    log: Path
    sessions: dict = field(default_factory=dict)

    def wait_ready(self) -> None:
        deadline, ready = time.monotonic() + START_SECONDS, threading.Event()
        while not ready.is_set():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"node {self.name} did not start:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    ready.set()
            ready.wait(0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def shared_keys(tmp: Path) -> Path:
    """One key directory for every node: the master key ring and the audit key this test process
    uses (the audit key as this process holds it in memory — another test may have replaced the
    default key file since)."""
    from baomi.core.keys import audit_key

    keys = tmp / "keys"
    keys.mkdir(mode=0o700)
    for name, data in (("audit.key", audit_key()), ("master.key", settings.MASTER_KEY_FILE.read_bytes())):
        fd = os.open(keys / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    return keys


def node_env(tmp: Path, name: str, store_env: dict[str, str]) -> dict[str, str]:
    """The environment of a node (or scheduler) ``name`` on this test's database."""
    db = connection.settings_dict
    params = {k: str(db[v]) for k, v in (("host", "HOST"), ("port", "PORT")) if db.get(v)}
    user = quote(str(db["USER"])) + "@" if db.get("USER") else ""
    url = f"postgresql://{user}/{db['NAME']}" + ("?" + urlencode(params) if params else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    env.update(
        BAOMI_DATABASE_URL=url,
        BAOMI_DATA_DIR=str(tmp / name / "data"),  # each node its own: nothing local is shared
        BAOMI_KEY_DIR=str(tmp / "keys"),  # shared: master key ring, audit key (shared_keys)
        BAOMI_SECRET_KEY=settings.SECRET_KEY,  # shared: sessions and CSRF tokens
        BAOMI_TOTP_REQUIRED_FROM="top_secret",
        BAOMI_LOG_LEVEL="WARNING",
        BAOMI_LANGUAGE="zh-hans",
    )
    env.update(store_env)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def start_node(tmp: Path, name: str, env: dict[str, str]) -> Node:
    port = free_port()
    log = tmp / f"{name}.log"
    (tmp / name / "data").mkdir(parents=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "baomi.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "8", "--timeout", "60"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    return Node(name, f"http://127.0.0.1:{port}", process, log)


def login(node: Node, username: str) -> requests.Session:
    session = requests.Session()
    session.get(node.url + "/accounts/login/", timeout=30)
    response = session.post(
        node.url + "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[-2000:]
    return session


def upload(node: Node, session: requests.Session, carrier_pk: int, data: bytes, name: str) -> int:
    response = session.post(
        f"{node.url}/carriers/{carrier_pk}/do/upload/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"file": (name, data, "application/pdf" if data.startswith(b"%PDF") else "application/zip")},
        headers={"Referer": node.url + "/"},
        allow_redirects=False,
        timeout=120,
    )
    return response.status_code


@pytest.fixture
def two_nodes(tmp_path, seaweed, s3_prefix, org):
    from baomi.core.keys import ensure_key_file
    from baomi.vault.services import ensure_master_key

    ensure_master_key()
    ensure_key_file(settings.AUDIT_KEY_FILE)
    shared_keys(tmp_path)
    env = seaweed.env(s3_prefix)
    # Node A reaches the store through a relay the test can stall, to kill A mid-upload.
    proxy = CutProxy(seaweed.endpoint)
    env_a = node_env(tmp_path, "a", {**env, "BAOMI_S3_ENDPOINT": proxy.endpoint})
    env_b = node_env(tmp_path, "b", env)
    nodes = [start_node(tmp_path, "a", env_a), start_node(tmp_path, "b", env_b)]
    try:
        for node in nodes:
            node.wait_ready()
        yield nodes[0], nodes[1], proxy, env_a, env_b
    finally:
        proxy.release()
        for node in nodes:
            node.kill()
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nodes_share_one_database_and_one_bucket(two_nodes, org, settings, seaweed, s3_prefix):
    from baomi.audit import chain
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from baomi.carriers.models import Carrier
    from baomi.core.models import JobRun
    from baomi.vault import services as vault
    from baomi.vault.models import Blob
    from tests.carriers.factories import make_carrier
    from tests.carriers.test_content import a_pdf, pdf_text

    node_a, node_b, proxy, env_a, env_b = two_nodes
    settings.BLOB_STORE = "s3"
    settings.BLOB_S3 = seaweed.blob_settings(s3_prefix)
    carriers = [make_carrier(org, kind="electronic", scope=[org.case_handler]) for _ in range(12)]

    # A session made on A works on B.
    keeper = login(node_a, "staff_secret")
    page = keeper.get(f"{node_b.url}/carriers/{carriers[0].pk}/", timeout=30)
    assert page.status_code == 200 and carriers[0].registry_number in page.text
    reader = login(node_b, "case_handler")

    # Uploaded through A, read through B.
    body = a_pdf("uploaded through node A")
    assert upload(node_a, keeper, carriers[0].pk, body, "a.pdf") == 302
    view = reader.get(f"{node_b.url}/carriers/{carriers[0].pk}/content/", timeout=60)
    assert view.status_code == 200 and view.headers["Content-Type"] == "application/pdf"
    assert "uploaded through node A" in pdf_text(view.content)
    blob = Carrier.objects.select_related("blob").get(pk=carriers[0].pk).blob
    assert blob.location == "s3"

    # A concurrent burst on both nodes: uploads and reads, every one audited.
    def work(i: int) -> int:
        node = (node_a, node_b)[i % 2]
        client = requests.Session()  # one per request, with the signed-in cookies
        if i < 10:
            client.cookies.update(keeper.cookies)
            return upload(node, client, carriers[1 + i].pk, a_pdf(f"burst {i}"), f"{i}.pdf")
        client.cookies.update(reader.cookies)
        r = client.get(f"{node.url}/carriers/{carriers[1 + i % 10].pk}/content/", timeout=60)
        return 302 if r.status_code == 200 else r.status_code

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(work, range(10))) == [302] * 10
        assert list(pool.map(work, range(10, 30))) == [302] * 20

    # Two schedulers race for the same slots: each job runs once per slot.
    schedulers = [
        subprocess.Popen([sys.executable, "-m", "baomi.cli", "scheduler", "--once"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for env in (env_a, env_b)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=120)[0] for p in schedulers]
    assert [p.returncode for p in schedulers] == [0, 0], outputs
    runs = list(JobRun.objects.values_list("job", "slot"))
    assert runs and len(runs) == len(set(runs))
    ran = AuditEntry.objects.filter(event=int(AuditEvent.JOB_RAN)).count()
    assert ran == len(runs), "no job ran without claiming its slot"

    # The chain written by both nodes and both schedulers verifies.
    result = chain.verify()
    assert not result.findings, result.findings
    assert result.checked >= 60

    # Kill node A while three uploads hang half-way to the store.
    done = [upload(node_a, keeper, carriers[11].pk, a_pdf("committed before the kill"), "c.pdf")]
    assert done == [302]
    big = {
        pk: os.urandom(8 * MIB)
        for pk in (c.pk for c in [make_carrier(org, kind="electronic") for _ in range(3)])
    }
    proxy.hold()
    statuses: dict[int, object] = {}

    def hanging(pk: int) -> None:
        client = requests.Session()
        client.cookies.update(keeper.cookies)
        try:
            statuses[pk] = upload(node_a, client, pk, big[pk], "big.zip")
        except requests.RequestException as exc:
            statuses[pk] = type(exc).__name__

    threads = [threading.Thread(target=hanging, args=(pk,)) for pk in big]
    for t in threads:
        t.start()
    assert proxy.wait_held(3), "the uploads reached the store"
    node_a.kill()
    proxy.release()
    for t in threads:
        t.join(timeout=60)
    assert all(not isinstance(s, int) or s >= 500 for s in statuses.values()), statuses

    committed = Carrier.objects.filter(blob__isnull=False).select_related("blob")
    assert committed.count() == 12
    for carrier in committed:
        with vault.open_stream(None, carrier.blob) as stream:
            assert b"".join(stream).startswith(b"%PDF")
    assert not Carrier.objects.filter(pk__in=big, blob__isnull=False).exists()
    assert Blob.objects.count() == 12
    last = reader.get(f"{node_b.url}/carriers/{carriers[11].pk}/content/", timeout=60)
    assert last.status_code == 200 and "committed before the kill" in pdf_text(last.content)
    report = vault.verify_vault(None)
    assert not [p for p in report.problems if p.kind in {"missing", "damaged", "unavailable"}], (
        report.problems
    )
    assert report.checked == 12
    assert not re.search(r"Traceback", node_b.log.read_text())


def test_a_node_with_wrong_store_credentials_does_not_start(tmp_path, seaweed, s3_prefix):
    """Wrong object-store credentials stop gunicorn at start-up with the Chinese message and the
    store's reason — not a 500 on every request."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    env.update(seaweed.env(s3_prefix), BAOMI_S3_SECRET_ACCESS_KEY="wrong", BAOMI_DATA_DIR=str(tmp_path / "data"),
               BAOMI_KEY_DIR=str(tmp_path / "keys"),
               BAOMI_SECRET_KEY="two-nodes-test-secret-not-for-production")  # fmt: skip
    # The secret is given: the key check (ops/keyfiles.py) runs first and would stop a node
    # without one before the store is asked.
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "baomi.wsgi:application", "--bind", f"127.0.0.1:{free_port()}",
         "--workers", "1"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "加密内容存储拒绝了本服务器的配置" in done.stderr and "SignatureDoesNotMatch" in done.stderr
