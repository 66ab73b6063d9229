"""Provision and run local OpenSearch nodes for development, benchmarks and the test suite.

``python -m tools.opensearch start|cluster|stop|status`` (``make opensearch``,
``make opensearch-cluster``, ``make opensearch-stop``). The pytest fixture in
``tests/opensearch_node.py`` calls the same functions, so there is one way to get a node.

Why it looks like this:

- The server comes from Maven Central only, through ``mvn``: the ``integ-test-zip``
  distribution, which carries just the HTTP transport, plus the ``analysis-common`` module
  (pattern tokenizer, stop and snowball filters: what ``indexer/analysis.py`` does). The
  unpacked distribution with the module added is cached in ``.newsearch/opensearch-dist/``,
  so a rerun neither downloads nor unpacks again.
- OpenSearch refuses to run as root, and CI runs as root: a root caller runs the nodes as a
  system user (``SERVICE_USER``), created when missing. That user must be able to reach the
  node folders; when the checkout sits under a folder it cannot enter (``/root/...``), the
  distribution and node folders move to ``/var/tmp/newsearch-opensearch-<hash>/``.
- Pid files always live in the checkout's ``.newsearch/opensearch/``: ``stop`` finds every
  node this checkout started there, and never touches a node it did not start.
- Only the standard library, so it runs before the virtualenv exists.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

VERSION = "2.19.6"
DISTRIBUTION = f"org.opensearch.distribution.integ-test-zip:opensearch:{VERSION}:zip"
# Modules added to the distribution: folder name -> (Maven artifact, plugin class, description).
MODULES = {
    "analysis-common": (
        f"org.opensearch.plugin:analysis-common:{VERSION}:jar",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "Adds analysis components: pattern tokenizer, stop and snowball filters",
    ),
}
HOST = "127.0.0.1"
CLUSTER_NAME = "newsearch"
SERVICE_USER = "newsearch-os"
START_TIMEOUT = 120.0  # seconds to reach green; a cold start here takes about 20 s
STOP_TIMEOUT = 60.0  # seconds between SIGTERM and SIGKILL
LOG_TAIL_LINES = 40
BOOTSTRAP_CLASS = "org.opensearch.bootstrap.OpenSearch"

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / ".newsearch"
PID_DIR = STATE / "opensearch"


class SetupError(RuntimeError):
    """A node could not be provisioned, started or stopped; the message says why."""


class MissingPrerequisite(SetupError):
    """Java or Maven is missing: the machine cannot run OpenSearch at all."""


@dataclass(frozen=True)
class Node:
    """One node: its name names its folder and pid file."""

    name: str
    http_port: int
    transport_port: int
    heap: str
    cluster: str = CLUSTER_NAME

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def pid_file(self) -> Path:
        return PID_DIR / f"{self.name}.pid"


SINGLE = (Node("node", 9200, 9300, "512m"),)
CLUSTER = tuple(Node(f"node-{i}", 9199 + i, 9299 + i, "1g") for i in (1, 2, 3))
#: The fault tests' own three nodes (tests/test_opensearch_faults.py): other ports and
#: another cluster name, so they run beside the node on 9200 that the rest of the suite uses.
FAULTS = tuple(Node(f"faults-{i}", 9209 + i, 9309 + i, "512m", f"{CLUSTER_NAME}-faults")
               for i in (1, 2, 3))
LAYOUTS = (SINGLE, CLUSTER, FAULTS)


@dataclass(frozen=True)
class Account:
    """The user the nodes run as (None fields: the current user, no switch)."""

    uid: int | None = None
    gid: int | None = None

    def popen_args(self) -> dict:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


# --- provisioning ---------------------------------------------------------------------

def java_home() -> Path:
    """A Java 11-23 home (OpenSearch 2.x needs the security manager, gone in Java 24)."""
    configured = os.environ.get("OPENSEARCH_JAVA_HOME")
    if configured:
        home = Path(configured)
    else:
        java = shutil.which("java")
        if java is None:
            raise MissingPrerequisite("java not found: install Java 17 (apt-get install openjdk-17-jre-headless)")
        home = Path(java).resolve().parent.parent
    out = subprocess.run([str(home / "bin" / "java"), "-version"], capture_output=True, text=True)
    words = out.stderr.split('"')
    major = int(words[1].split(".")[0]) if len(words) > 1 and words[1][:2].isdigit() else 0
    if not 11 <= major <= 23:
        raise MissingPrerequisite(f"OpenSearch {VERSION} needs Java 11-23; {home} is {major or 'unknown'}: set OPENSEARCH_JAVA_HOME")
    return home


def maven_fetch(artifact: str, folder: Path) -> Path:
    """Copy one artifact from Maven Central (through ~/.m2, so only the first run downloads)."""
    if shutil.which("mvn") is None:
        raise MissingPrerequisite("mvn not found: install Maven (apt-get install maven) to fetch OpenSearch")
    before = set(folder.iterdir())
    run = subprocess.run(
        ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={artifact}",
         f"-DoutputDirectory={folder}", "-Dmdep.overWriteReleases=true"],
        cwd=folder, capture_output=True, text=True)
    new = sorted(set(folder.iterdir()) - before)
    if run.returncode != 0 or len(new) != 1:
        raise SetupError(f"mvn could not fetch {artifact} from Maven Central:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return new[0]


def unzip(archive: Path, target: Path) -> None:
    """Unpack keeping the Unix modes (zipfile drops them: bin/opensearch must stay executable)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, target))
            mode = info.external_attr >> 16 & 0o777
            if mode:
                path.chmod(mode)


def install_module(home: Path, name: str, jar: Path) -> None:
    """Install a module as the full distribution would: a folder with its jar and descriptor."""
    _, classname, description = MODULES[name]
    folder = home / "modules" / name
    folder.mkdir()
    shutil.copy(jar, folder / jar.name)
    (folder / "plugin-descriptor.properties").write_text(
        f"description={description}\nversion={VERSION}\nname={name}\nclassname={classname}\n"
        f"java.version=11\nopensearch.version={VERSION}\ncustom.foldername=\n"
        "extended.plugins=\nhas.native.controller=false\n")


def distribution(root: Path) -> Path:
    """The cached OpenSearch home under ``root``, fetched and assembled on first use."""
    home = root / VERSION
    if (home / "bin" / "opensearch").exists():
        return home
    root.mkdir(parents=True, exist_ok=True)
    print(f"OpenSearch {VERSION}: fetching from Maven Central with mvn (cached in ~/.m2)", flush=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".assemble-") as tmp:
        work = Path(tmp)
        downloads = work / "downloads"
        downloads.mkdir()
        unzip(maven_fetch(DISTRIBUTION, downloads), work / "unpacked")
        (assembled,) = (work / "unpacked").iterdir()
        for name, (artifact, _, _) in MODULES.items():
            install_module(assembled, name, maven_fetch(artifact, downloads))
        assembled.rename(home)  # atomic: a half-assembled copy is never taken for the cache
    print(f"OpenSearch {VERSION}: unpacked to {home}", flush=True)
    return home


# --- who runs it, and where -----------------------------------------------------------

def service_account() -> Account:
    """The current user, or (as root) the system user, created when missing."""
    if os.geteuid() != 0:
        return Account()
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        print(f"running as root: creating system user {SERVICE_USER} for OpenSearch", flush=True)
        subprocess.run(["useradd", "--system", "--no-create-home", "--user-group",
                        "--shell", "/usr/sbin/nologin", SERVICE_USER], check=True)
        entry = pwd.getpwnam(SERVICE_USER)
    return Account(entry.pw_uid, entry.pw_gid)


def can_enter(account: Account, folder: Path) -> bool:
    """Whether ``account`` can reach ``folder`` (access() checks every parent on the way)."""
    if account.uid is None:
        return True
    return subprocess.run(["test", "-x", str(folder)], **account.popen_args()).returncode == 0


def work_root(account: Account) -> Path:
    """Where distribution and node folders live: the checkout's .newsearch/ when reachable."""
    STATE.mkdir(parents=True, exist_ok=True)
    if can_enter(account, STATE):
        return STATE
    digest = hashlib.sha1(str(REPO).encode()).hexdigest()[:10]
    fallback = Path("/var/tmp") / f"newsearch-opensearch-{digest}"
    fallback.mkdir(mode=0o755, exist_ok=True)
    print(f"{SERVICE_USER} cannot enter {STATE}: OpenSearch files go to {fallback}", flush=True)
    return fallback


@contextmanager
def locked() -> Iterator[None]:
    """Serialise start/stop of this checkout's nodes (two test sessions may start at once)."""
    PID_DIR.mkdir(parents=True, exist_ok=True)
    with open(PID_DIR / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# --- one node -------------------------------------------------------------------------

def node_config(node: Node, nodes: Sequence[Node], folder: Path) -> str:
    """opensearch.yml: loopback only, one cluster, no disk watermarks (small CI disks)."""
    settings = {
        "cluster.name": node.cluster,
        "node.name": node.name,
        "network.host": HOST,
        "http.port": node.http_port,
        "transport.port": node.transport_port,
        "path.data": str(folder / "data"),
        "path.logs": str(folder / "logs"),
        "cluster.routing.allocation.disk.threshold_enabled": False,
    }
    if len(nodes) == 1:
        settings["discovery.type"] = "single-node"
    else:
        settings["discovery.seed_hosts"] = [f"{HOST}:{n.transport_port}" for n in nodes]
        settings["cluster.initial_cluster_manager_nodes"] = [n.name for n in nodes]
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())


def prepare(node: Node, nodes: Sequence[Node], home: Path, root: Path, account: Account) -> Path:
    """The node's own folder: config (rewritten each start), data, logs, tmp."""
    folder = root / "opensearch" / node.name
    config = folder / "config"
    if not config.exists():
        shutil.copytree(home / "config", config)
    for sub in ("data", "logs", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (config / "opensearch.yml").write_text(node_config(node, nodes, folder))
    # The stock jvm.options writes GC logs, heap dumps and crash files relative to the
    # distribution; each node gets its own, so nodes share a read-only distribution.
    jvm = (home / "config" / "jvm.options").read_text()
    jvm = (jvm.replace("file=logs/gc.log", f"file={folder}/logs/gc.log")
              .replace("-XX:HeapDumpPath=data", f"-XX:HeapDumpPath={folder}/logs")
              .replace("-XX:ErrorFile=logs/", f"-XX:ErrorFile={folder}/logs/"))
    (config / "jvm.options").write_text(jvm)
    (config / "jvm.options.d").mkdir(exist_ok=True)
    (config / "jvm.options.d" / "heap.options").write_text(f"-Xms{node.heap}\n-Xmx{node.heap}\n")
    if account.uid is not None:
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, account.uid, account.gid, follow_symlinks=False)
    return folder


def launch(node: Node, home: Path, folder: Path, account: Account, java: Path) -> int:
    """Start the node detached from this process (its own session) and write its pid file."""
    env = {**os.environ, "OPENSEARCH_JAVA_HOME": str(java),
           "OPENSEARCH_PATH_CONF": str(folder / "config"), "OPENSEARCH_TMPDIR": str(folder / "tmp"),
           "HOME": str(folder)}
    for unwanted in ("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "OPENSEARCH_JAVA_OPTS"):
        env.pop(unwanted, None)
    with open(folder / "logs" / "stdout.log", "wb") as out:
        proc = subprocess.Popen([str(home / "bin" / "opensearch")], cwd=folder, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, **account.popen_args())
    node.pid_file.write_text(f"{proc.pid}\n")
    print(f"started node {node.name} (pid {proc.pid}, heap {node.heap}) on {node.url}; "
          f"data and logs in {folder}", flush=True)
    return proc.pid


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def is_node_process(pid: int | None) -> bool:
    """Whether pid is a live OpenSearch (its launcher script or JVM), not a recycled pid."""
    if pid is None:
        return False
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if this process started it and it has exited
    except ChildProcessError:
        pass
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(a == BOOTSTRAP_CLASS.encode() or a.endswith(b"/bin/opensearch") for a in args)


def _exited(pid: int | None) -> bool:
    """Whether a process this script just launched is gone. Only that it exists is asked:
    its command line is empty while it execs (the launcher script execs Java), which the
    check in ``is_node_process`` took for a node that had died."""
    if pid is None:
        return True
    with suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True  # it exited and is reaped now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, run as the service user
        return False
    return False


def running(node: Node) -> int | None:
    """The pid of this checkout's node, or None (a stale pid file is removed)."""
    pid = read_pid(node.pid_file)
    if is_node_process(pid):
        return pid
    node.pid_file.unlink(missing_ok=True)
    return None


def get_json(url: str, timeout: float = 2.0) -> dict | None:
    """GET url as JSON, or None when nothing (or nothing JSON) answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except (OSError, ValueError, urllib.error.URLError):
        return None


def opensearch_version(url: str) -> str | None:
    """The version of the OpenSearch answering at url, or None if it is not OpenSearch."""
    info = get_json(url)
    version = (info or {}).get("version") or {}
    if isinstance(version, dict) and version.get("distribution") == "opensearch":
        return version.get("number")
    return None


def port_taken(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((HOST, port)) == 0


def log_tail(node: Node, folder: Path | None) -> str:
    if folder is None:
        return ""
    path = folder / "logs" / "stdout.log"
    deadline = time.monotonic() + 3.0  # a node that just died may still be flushing its log
    while True:
        try:
            lines = path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
        except OSError:
            return ""
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return f"\n--- last lines of {path} ---\n" + "\n".join(lines)


def wait_for_health(nodes: Sequence[Node], folders: dict[str, Path], timeout: float) -> dict:
    """Poll until the cluster is green; fail fast, with the log, when a node process dies.

    A single node accepts yellow once nothing is initializing: it can never place replicas,
    so an index created with replicas would otherwise keep it from ever being "up".
    """
    deadline = time.monotonic() + timeout
    health: dict | None = None
    while time.monotonic() < deadline:
        for node in nodes:
            if node.name in folders and _exited(read_pid(node.pid_file)):
                raise SetupError(f"node {node.name} exited while starting"
                                 + log_tail(node, folders[node.name]))
        health = get_json(f"{nodes[0].url}/_cluster/health?wait_for_status=green&timeout=1s", timeout=5)
        if health and health.get("number_of_nodes") == len(nodes):
            if health.get("status") == "green" or (
                    len(nodes) == 1 and health.get("status") == "yellow"
                    and health.get("initializing_shards") == 0):
                return health
        time.sleep(1.0)
    tails = "".join(log_tail(n, folders.get(n.name)) for n in nodes)
    raise SetupError(f"OpenSearch did not reach green within {timeout:.0f} s "
                     f"(last health: {health}){tails}")


# --- commands -------------------------------------------------------------------------

def start_nodes(nodes: Sequence[Node], timeout: float = START_TIMEOUT) -> list[Node]:
    """Start every node of ``nodes`` that is not running, wait for green; return those started."""
    with locked():
        ports = {p for n in nodes for p in (n.http_port, n.transport_port)}
        others = [n for layout in LAYOUTS for n in layout if n not in nodes
                  and ports & {n.http_port, n.transport_port} and running(n)]
        if others:
            raise SetupError(f"{', '.join(n.name for n in others)} from another layout is running "
                             "on the same ports: stop it first (make opensearch-stop)")
        todo = []
        for node in nodes:
            if (pid := running(node)) is None:
                todo.append(node)
            else:
                print(f"node {node.name} already running (pid {pid}) on {node.url}", flush=True)
        for node in todo:
            if port_taken(node.http_port) or port_taken(node.transport_port):
                raise SetupError(f"port {node.http_port} or {node.transport_port} is in use by a "
                                 f"process this checkout did not start (node {node.name})")
        folders: dict[str, Path] = {}
        if todo:
            java = java_home()
            account = service_account()
            root = work_root(account)
            home = distribution(root / "opensearch-dist")
            for node in todo:
                folders[node.name] = prepare(node, nodes, home, root, account)
                launch(node, home, folders[node.name], account, java)
        print(f"waiting for green status (up to {timeout:.0f} s)", flush=True)
        try:
            wait_for_health(nodes, folders, timeout)
        except SetupError:
            stop_nodes([n for n in todo if n.name in folders])
            raise
        return todo


def start(timeout: float = START_TIMEOUT) -> list[Node]:
    """One node on 9200, unless an OpenSearch already answers there (then start nothing)."""
    node = SINGLE[0]
    version = opensearch_version(node.url)
    if version and running(node) is None:
        print(f"OpenSearch {version} already answers on {node.url}; not starting another")
        return []
    started = start_nodes(SINGLE, timeout)
    print(f"OpenSearch is up: {node.url}")
    return started


def cluster(timeout: float = START_TIMEOUT) -> list[Node]:
    """Three nodes on 9200-9202; a rerun restarts only those not running."""
    started = start_nodes(CLUSTER, timeout)
    print(f"OpenSearch cluster is up: {','.join(n.url for n in CLUSTER)}")
    return started


def faults(timeout: float = START_TIMEOUT) -> list[Node]:
    """The fault tests' three nodes (9210-9212), for ``make test-sharded``."""
    started = start_nodes(FAULTS, timeout)
    print(f"OpenSearch cluster is up: {','.join(n.url for n in FAULTS)}")
    return started


def stop_faults() -> None:
    """Stop only the fault tests' nodes (a node on 9200 keeps running)."""
    with locked():
        stop_nodes(FAULTS)


def signal_node(pid: int, sig: signal.Signals) -> None:
    """Signal the node's process group (launch made it a session leader), so a launcher
    script caught before it exec'd Java takes its helpers with it."""
    try:
        os.killpg(pid, sig)
    except OSError:
        with suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop_nodes(nodes: Sequence[Node]) -> list[Node]:
    """SIGTERM each running node, SIGKILL what is left after STOP_TIMEOUT; drop the pid files."""
    pids = {node: pid for node in nodes if (pid := running(node))}
    for pid in pids.values():
        signal_node(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(is_node_process(pid) for pid in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.5)
    for node, pid in pids.items():
        if is_node_process(pid):
            print(f"node {node.name} (pid {pid}) ignored SIGTERM for {STOP_TIMEOUT:.0f} s: SIGKILL")
            signal_node(pid, signal.SIGKILL)
        node.pid_file.unlink(missing_ok=True)
        print(f"stopped node {node.name} (pid {pid})")
    return list(pids)


def stop() -> list[Node]:
    """Stop every node this checkout started (single or cluster); leave any other alone."""
    with locked():
        stopped = stop_nodes([n for layout in LAYOUTS for n in layout])
    if not stopped:
        print("no OpenSearch node started from this checkout is running")
    return stopped


def status() -> bool:
    """Print each node's pid and the cluster health; True when a node answers on 9200."""
    for node in (n for layout in LAYOUTS for n in layout):
        if (pid := running(node)) is not None:
            print(f"node {node.name}: pid {pid}, {node.url}")
    health = get_json(f"{SINGLE[0].url}/_cluster/health")
    if health is None:
        print(f"nothing answers on {SINGLE[0].url}")
        return False
    print(f"cluster {health.get('cluster_name')}: {health.get('status')}, "
          f"{health.get('number_of_nodes')} node(s), {SINGLE[0].url}")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.opensearch", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "cluster", "stop", "status", "faults",
                                            "stop-faults"])
    command = parser.parse_args(argv).command
    try:
        if command == "status":
            return 0 if status() else 1
        {"start": start, "cluster": cluster, "stop": stop, "faults": faults,
         "stop-faults": stop_faults}[command]()
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
