"""tests/rehearsal: the VPC, as network namespaces on this machine. One namespace is the VPC's
shared side (a bridge holding the addresses of the stand-ins: the database, the AWS endpoints,
the load balancer, the CDN, and 169.254.170.2, where ECS serves task credentials); every ECS
task and the Lambda function get a namespace of their own, joined to the bridge by a veth pair,
as Fargate's awsvpc mode gives each task its own interface. The rehearsal's process itself moves
into the VPC namespace (setns), so what it starts there needs no port the machine uses.

    vpc = Vpc("rh1234", "10.0.0.0/16"); vpc.enter()
    task_ns, ip = vpc.add_host("t1")     # /run/netns/rh1234-t1, "10.0.1.1"
"""
import ctypes
import ipaddress
import os
import subprocess
import threading

CLONE_NEWNET = 0x40000000
ECS_CREDENTIALS_ADDRESS = "169.254.170.2"


class NetworkError(Exception):
    pass


def _ip(*args):
    result = subprocess.run(["ip", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise NetworkError(f"ip {' '.join(args)}: {result.stderr.strip()}")


class Vpc:
    def __init__(self, prefix, cidr):
        self.prefix = prefix
        self.network = ipaddress.ip_network(cidr)
        hosts = self.network.hosts()
        # The stand-ins' addresses on the bridge: .1 AWS endpoints, database, Lambda API;
        # .2 the load balancer; .3 the CDN and the browser's view of it.
        self.gateway, self.alb, self.cdn = (str(next(hosts)) for _ in range(3))
        self.next_host = int(self.network.network_address) + 257
        self.namespace = f"{prefix}-vpc"
        self.hosts = []
        self.lock = threading.Lock()  # tasks start in threads of their own

    @property
    def path(self):
        return f"/run/netns/{self.namespace}"

    def create(self):
        _ip("netns", "add", self.namespace)
        ns = ["-n", self.namespace]
        _ip(*ns, "link", "set", "lo", "up")
        _ip(*ns, "link", "add", "br0", "type", "bridge")
        for address in (self.gateway, self.alb, self.cdn):
            _ip(*ns, "addr", "add", f"{address}/{self.network.prefixlen}", "dev", "br0")
        _ip(*ns, "addr", "add", f"{ECS_CREDENTIALS_ADDRESS}/32", "dev", "br0")
        _ip(*ns, "link", "set", "br0", "up")

    def enter(self):
        """Moves this process (call before starting threads) into the VPC namespace."""
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(self.path, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise NetworkError(f"setns {self.path}: {os.strerror(ctypes.get_errno())}")
        finally:
            os.close(fd)

    def add_host(self, name):
        """A namespace on the bridge with the next free address; (namespace path, address)."""
        with self.lock:
            namespace = f"{self.prefix}-{name}"
            number = self.next_host - int(self.network.network_address) - 257
            address = str(ipaddress.ip_address(self.next_host))
            self.next_host += 1
            veth = f"v{self.prefix[2:]}-{number}"[:15]
            self.hosts.append(namespace)
        _ip("netns", "add", namespace)
        _ip("-n", self.namespace, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        _ip("-n", self.namespace, "link", "set", veth, "master", "br0", "up")
        _ip("-n", namespace, "link", "set", "lo", "up")
        _ip("-n", namespace, "addr", "add", f"{address}/{self.network.prefixlen}", "dev", "eth0")
        _ip("-n", namespace, "link", "set", "eth0", "up")
        _ip("-n", namespace, "route", "add", "default", "via", self.gateway)
        return f"/run/netns/{namespace}", address

    def remove_host(self, namespace_path):
        namespace = os.path.basename(namespace_path)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        with self.lock:
            if namespace in self.hosts:
                self.hosts.remove(namespace)

    def destroy(self):
        for namespace in list(self.hosts):
            self.remove_host(namespace)
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)


def remove_stale(prefix_start="rh"):
    """Namespaces left by a rehearsal whose process is gone (named <prefix><pid>-...)."""
    result = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        head = name.split("-", 1)[0]
        if not head.startswith(prefix_start) or not head[len(prefix_start):].isdigit():
            continue
        pid = int(head[len(prefix_start):])
        if not os.path.exists(f"/proc/{pid}"):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
