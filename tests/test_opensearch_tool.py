"""tools/opensearch.py: the settings nodes get, and what it does when things go wrong.

The happy path (a node that comes up green with analysis-common) is tests/test_opensearch_node.py.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tools import opensearch
from tools.opensearch import CLUSTER, SINGLE, Node, SetupError


def settings(node: Node, nodes: tuple[Node, ...]) -> dict[str, str]:
    text = opensearch.node_config(node, nodes, Path("/srv/x"))
    return dict(line.split(": ", 1) for line in text.splitlines())


def test_a_single_node_binds_loopback_and_ignores_disk_watermarks() -> None:
    conf = settings(SINGLE[0], SINGLE)
    assert conf["discovery.type"] == '"single-node"'
    assert conf["network.host"] == '"127.0.0.1"'
    assert (conf["http.port"], conf["transport.port"]) == ("9200", "9300")
    assert conf["cluster.routing.allocation.disk.threshold_enabled"] == "false"
    assert conf["path.data"] == '"/srv/x/data"'


def test_cluster_nodes_know_every_seed_and_the_initial_managers() -> None:
    conf = settings(CLUSTER[1], CLUSTER)
    assert "discovery.type" not in conf
    assert conf["http.port"] == "9201"
    assert conf["discovery.seed_hosts"] == '["127.0.0.1:9300", "127.0.0.1:9301", "127.0.0.1:9302"]'
    assert conf["cluster.initial_cluster_manager_nodes"] == '["node-1", "node-2", "node-3"]'


def test_stop_never_signals_a_process_that_is_not_opensearch(tmp_path, monkeypatch) -> None:
    """A pid file left behind whose pid now belongs to another program: drop the file only."""
    monkeypatch.setattr(opensearch, "PID_DIR", tmp_path)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        SINGLE[0].pid_file.write_text(f"{bystander.pid}\n")
        assert opensearch.stop() == []
        assert bystander.poll() is None
        assert not SINGLE[0].pid_file.exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_java_without_the_security_manager_is_refused(monkeypatch) -> None:
    java25 = Path("/usr/lib/jvm/temurin-25-jdk-amd64")
    if not (java25 / "bin" / "java").exists():
        pytest.skip("no Java 25 on this machine")
    monkeypatch.setenv("OPENSEARCH_JAVA_HOME", str(java25))
    with pytest.raises(opensearch.MissingPrerequisite, match="needs Java 11-23"):
        opensearch.java_home()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.opensearch
def test_a_node_that_dies_while_starting_fails_at_once_with_its_log(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(opensearch, "PID_DIR", tmp_path)
    try:
        opensearch.java_home()
    except opensearch.MissingPrerequisite as exc:
        pytest.skip(str(exc))
    broken = Node("broken-heap", free_port(), free_port(), heap="lots")
    try:
        with pytest.raises(SetupError, match=r"(?s)broken-heap exited while starting.*stdout\.log.*Xmslots"):
            opensearch.start_nodes([broken], timeout=60)
        assert not broken.pid_file.exists()
    finally:
        root = opensearch.work_root(opensearch.service_account())
        shutil.rmtree(root / "opensearch" / broken.name, ignore_errors=True)
