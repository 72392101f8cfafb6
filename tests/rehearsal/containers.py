"""tests/rehearsal: Debian's podman, run as these machines allow (runc, cgroupfs, no default
ulimits), with the project's own image store under the build folder, so the layer cache survives
between runs and nothing else on the machine is touched; and the base images the Dockerfile names,
made from Debian's mirror with mmdebstrap (no image registry is reachable).

    podman = Podman(work / "podman")
    podman.ensure_debian_base_images(dockerfile)
    podman.build(context, dockerfile, target, tag, build_contexts={"rds-ca": dir})
    podman.run_detached(name, image, args, network_ns=path, env={...}, ...)
"""
import gzip
import os
import re
import shutil
import subprocess
import time


class ContainerError(Exception):
    pass


class Podman:
    def __init__(self, store):
        self.store = os.path.abspath(store)
        os.makedirs(self.store, exist_ok=True)
        self.conf = os.path.join(self.store, "containers.conf")
        with open(self.conf, "w") as f:
            f.write("[containers]\ndefault_ulimits = []\n")
        self.base = ["podman", "--root", os.path.join(self.store, "root"),
                     "--runroot", os.path.join(self.store, "run"),
                     "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
        self.env = dict(os.environ, CONTAINERS_CONF=self.conf)

    def command(self, *args, check=True, input=None, timeout=600, env=None, log=None):
        """Runs `podman ARGS`; returns stdout. On failure raises ContainerError with stderr."""
        full_env = dict(self.env, **(env or {}))
        result = subprocess.run(self.base + list(args), input=input, capture_output=True, text=True,
                                timeout=timeout, env=full_env)
        if log:
            with open(log, "a") as f:
                f.write(result.stdout + result.stderr)
        if check and result.returncode != 0:
            raise ContainerError(f"podman {args[0]} failed ({result.returncode}): {_noise_free(result.stderr)[-3000:]}")
        return result.stdout

    # -- images ---------------------------------------------------------------------------
    def image_exists(self, tag):
        return subprocess.run(self.base + ["image", "exists", tag], env=self.env).returncode == 0

    def ensure_debian_base_images(self, dockerfile, log):
        """Makes each `debian:SUITE[-slim]` image the Dockerfile starts FROM, once, with
        mmdebstrap from the mirror this machine's apt uses. Returns the names it made."""
        made = []
        for image in base_images(dockerfile):
            match = re.fullmatch(r"(?:docker\.io/library/)?debian:([a-z]+)(-slim)?", image)
            if not match:
                raise ContainerError(f"{dockerfile}: FROM {image}: the rehearsal can only make debian:SUITE "
                                     "base images (no registry is reachable)")
            tag = f"docker.io/library/debian:{match.group(1)}{match.group(2) or ''}"
            if self.image_exists(tag):
                continue
            suite, mirror = match.group(1), debian_mirror()
            tarball = os.path.join(self.store, f"{suite}.tar")
            sources = [f"deb {mirror} {suite} main", f"deb {mirror} {suite}-updates main",
                       f"deb {mirror.replace('/debian', '/debian-security')} {suite}-security main"]
            with open(log, "a") as f:
                subprocess.run(["mmdebstrap", "--variant=minbase", "--quiet", suite, tarball, *sources],
                               stdout=f, stderr=subprocess.STDOUT, check=True, timeout=900)
            self.command("import", "--change", 'CMD ["bash"]', tarball, tag, log=log)
            os.unlink(tarball)
            made.append(tag)
        return made

    def build(self, context, dockerfile, target, tag, platform, build_contexts, log):
        """`podman build` with the layer cache; returns the seconds it took."""
        started = time.monotonic()
        args = ["build", "--pull=never", "--network", "host", "--format", "docker", "--layers",
                "-f", dockerfile, "--target", target, "-t", tag]
        if platform:
            args += ["--platform", platform]
        for name, path in build_contexts.items():
            args += ["--build-context", f"{name}={path}"]
        self.command(*args, context, log=log, timeout=3600)
        return time.monotonic() - started

    def compressed_size(self, tag):
        """Bytes of `podman save` through gzip -6: what a registry stores and Fargate pulls."""
        archive = os.path.join(self.store, "size-probe.tar")
        self.command("save", "--format", "docker-archive", "-o", archive, tag)
        try:
            counter = _ByteCounter()
            with open(archive, "rb") as f, gzip.GzipFile(fileobj=counter, mode="wb", compresslevel=6) as z:
                shutil.copyfileobj(f, z, 1 << 20)
            return counter.count
        finally:
            os.unlink(archive)

    def forget_old_builds(self, keep_tag, repository_part, hours=48):
        """Drops other tags of the image's repository and build layers older than `hours`, so the
        store keeps the cache of recent builds without growing with every change."""
        tags = self.command("images", "--format", "{{.Repository}}:{{.Tag}}", check=False).split()
        old = [t for t in tags if repository_part in t and t != keep_tag]
        if old:
            self.command("rmi", "-f", *old, check=False)
        self.command("image", "prune", "-f", "--filter", f"until={hours}h", check=False)

    def unpacked_size(self, tag):
        return int(self.command("image", "inspect", "--format", "{{.Size}}", tag).strip())

    # -- containers -------------------------------------------------------------------------
    def run_detached(self, name, image, args, network_ns, env, env_secrets=None, entrypoint=None,
                     user=None, hosts=None, stop_timeout=None, read_only=False, log_path=None, tmpfs=(),
                     memory_mb=None, volumes=()):
        """Starts a container; `env_secrets` reach it through podman's own environment, never its
        command line. Returns the container id."""
        options = ["run", "-d", "--name", name, "--network", f"ns:{network_ns}", "--no-healthcheck",
                   "--pids-limit", "0", "--log-driver", "k8s-file"]
        if log_path:
            options += ["--log-opt", f"path={log_path}"]
        for key, value in env.items():
            options += ["--env", f"{key}={value}"]
        for key in (env_secrets or {}):
            options += ["--env", key]
        for host, address in (hosts or {}).items():
            options += ["--add-host", f"{host}:{address}"]
        if entrypoint is not None:
            options += ["--entrypoint", entrypoint]
        if user:
            options += ["--user", user]
        if stop_timeout is not None:
            options += ["--stop-timeout", str(stop_timeout)]
        if read_only:
            options += ["--read-only"]
        for path in tmpfs:
            options += ["--tmpfs", path]
        if memory_mb:
            options += ["--memory", f"{memory_mb}m"]
        for volume in volumes:
            options += ["-v", volume]
        return self.command(*options, image, *args, env=env_secrets).strip()

    def state(self, name):
        """(running, exit code or None, started) of a container."""
        out = self.command("inspect", "--format", "{{.State.Running}} {{.State.ExitCode}} {{.State.Status}}",
                           name, check=False).split()
        if len(out) < 3:
            return False, None, "missing"
        running = out[0] == "true"
        return running, (None if running or out[2] in ("created", "configured") else int(out[1])), out[2]

    def exec(self, name, args, timeout):
        """Runs `args` inside the running container; (exit code, output)."""
        try:
            result = subprocess.run(self.base + ["exec", name, *args], capture_output=True, text=True,
                                    timeout=timeout, env=self.env)
            return result.returncode, result.stdout + _noise_free(result.stderr)
        except subprocess.TimeoutExpired:
            return 124, f"timed out after {timeout} s"

    def stop(self, name, timeout):
        """SIGTERM, then SIGKILL after `timeout` seconds, as ECS stops a container."""
        self.command("stop", "--time", str(timeout), name, check=False, timeout=timeout + 60)

    def logs(self, name):
        return self.command("logs", name, check=False)

    def remove_stale(self, prefix_start="rh"):
        """Containers of rehearsals whose process is gone (named <prefix><pid>-...), say after a
        timeout killed one."""
        stale = []
        for name in self.command("ps", "-a", "--format", "{{.Names}}", check=False).split():
            owner = name.split("-", 1)[0][len(prefix_start):]
            if name.startswith(prefix_start) and owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
                stale.append(name)
        if stale:
            self.command("rm", "-f", "-t", "0", *stale, check=False, timeout=120)

    def remove_all(self, prefix):
        names = self.command("ps", "-a", "--format", "{{.Names}}", check=False).split()
        mine = [n for n in names if n.startswith(prefix)]
        if mine:
            self.command("rm", "-f", "-t", "0", *mine, check=False, timeout=120)


class _ByteCounter:
    """A write-only file that only counts what is written to it."""

    def __init__(self):
        self.count = 0

    def write(self, data):
        self.count += len(data)
        return len(data)

    def flush(self):
        pass


def base_images(dockerfile):
    """The images `FROM` lines name, other than earlier stages and scratch."""
    stages, images = set(), []
    with open(dockerfile) as f:
        for line in f:
            match = re.match(r"\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
            if not match:
                continue
            image, stage = match.group(1), match.group(2)
            if image != "scratch" and image not in stages and image not in images:
                images.append(image)
            if stage:
                stages.add(stage)
    return images


def debian_mirror():
    """The Debian mirror this machine's apt reads (deb822 or one-line sources), or deb.debian.org."""
    for path in ("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"):
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        for match in re.finditer(r"^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+/debian)/?\s", text, re.MULTILINE):
            return match.group(1)
    return "http://deb.debian.org/debian"


def _noise_free(stderr):
    """podman's warnings about this machine's cgroups, which change nothing here, left out."""
    return "\n".join(line for line in stderr.splitlines()
                     if "level=warning" not in line and "PIDs limit discarded" not in line
                     and "pids limit" not in line)
