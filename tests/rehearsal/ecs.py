"""tests/rehearsal: ECS on Fargate, as far as a deploy depends on it. A task is a network namespace
on the VPC's bridge (awsvpc) with the task definition's containers from the image: each container
started when its dependsOn conditions hold (START, COMPLETE, SUCCESS, HEALTHY), with its command,
environment, secrets (read with the execution role), user, stop timeout and health check, and
with what the ECS agent adds (the task role's credentials endpoint, the region). A service runs
DesiredCount tasks behind the load balancer and replaces them as ECS's rolling update does:
new tasks first (MaximumPercent), an old task stopped only while MinimumHealthyPercent stays
healthy, each old task deregistered, drained for the target group's delay, then sent SIGTERM
with its stop timeout; failed launches counted by the deployment circuit breaker, which rolls
back to the tasks that were serving.

    ecs = Ecs(context)                 # context: podman, vpc, aws endpoints, alb, hosts, ...
    service = Service(ecs, service_props, alb)
    result = service.deploy(task_definition)      # result.ok, result.reason, result.events
"""
import json
import math
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))

import iam_policy  # noqa: E402

POLL_S = 0.5


class TaskDefinition:
    def __init__(self, properties, revision, image_note=""):
        self.properties = properties
        self.family = properties.get("Family", "task")
        self.revision = revision
        self.containers = properties["ContainerDefinitions"]
        self.task_role = properties.get("TaskRoleArn")
        # Fargate limits the task as a whole; each container here gets the task's limit.
        self.memory_mb = int(properties["Memory"]) if properties.get("Memory") else None
        self.execution_role = properties.get("ExecutionRoleArn")
        self.image_note = image_note

    def __str__(self):
        return f"{self.family}:{self.revision}"


class Ecs:
    """What every task shares: the container engine, the VPC, the AWS stand-ins, and the roles'
    credentials and policies."""

    def __init__(self, podman, vpc, aws, region, prefix, logs, hosts, roles, secrets, extra_env):
        self.podman, self.vpc, self.aws, self.region = podman, vpc, aws, region
        self.prefix, self.logs, self.hosts = prefix, logs, hosts
        self.roles = roles          # role ARN -> {"credentials": {...}, "statements": [...]}
        self.secrets = secrets      # secret ARN -> SecretString (as Secrets Manager holds it)
        self.extra_env = extra_env  # what only the rehearsal adds (AWS_ENDPOINT_URL)
        self.task_numbers = iter(range(1, 10_000))
        self.events = []
        self.lock = threading.Lock()

    def event(self, message):
        with self.lock:
            self.events.append((time.monotonic(), message))


class Task:
    """One task of a task definition; its own thread plays the ECS agent."""

    def __init__(self, ecs, definition):
        self.ecs, self.definition = ecs, definition
        self.number = next(ecs.task_numbers)
        self.name = f"{ecs.prefix}-t{self.number}"
        self.status = "PROVISIONING"
        self.stopped_reason = None
        self.address = None
        self.network = None
        self.started_at = time.monotonic()
        self.containers = {c["Name"]: {"status": "WAITING", "exit": None, "health": "UNKNOWN",
                                       "started": None, "failures": 0, "next_check": None}
                           for c in definition.containers}
        self.stop_requested = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.thread.start()

    # -- the agent ------------------------------------------------------------------------
    def _run(self):
        try:
            self.network, self.address = self.ecs.vpc.add_host(f"t{self.number}")
            environment = self._environment()
            self.status = "PENDING"
            self.ecs.event(f"task {self.number} ({self.definition}) pending at {self.address}")
            while not self.stop_requested.is_set():
                self._start_ready_containers(environment)
                self._poll_containers()
                self._run_health_checks()
                failure = self._failure()
                if failure:
                    self._stop_containers()
                    self._finish(failure)
                    return
                if self.status == "PENDING" and self._essentials_running():
                    self.status = "RUNNING"
                    self.ecs.event(f"task {self.number} running")
                time.sleep(POLL_S)
            self._stop_containers()
            self._finish(self.stopped_reason or "stopped by the service")
        except Exception as e:  # noqa: BLE001 - the task stops with the reason, as ECS reports it
            self._stop_containers()
            self._finish(f"{type(e).__name__}: {e}")

    def _finish(self, reason):
        self.stopped_reason = self.stopped_reason or reason
        self.status = "STOPPED"
        self.ecs.event(f"task {self.number} stopped: {self.stopped_reason}")
        if self.network:
            self.ecs.vpc.remove_host(self.network)
        self.done.set()

    def _environment(self):
        """What the ECS agent gives every container of the task (the task role's credentials
        endpoint, the region), plus the rehearsal's own additions."""
        credentials_path = None
        if self.definition.task_role:
            role = self.ecs.roles[self.definition.task_role]
            credentials_path = f"/v2/credentials/{uuid.uuid4()}"
            document = dict(role["credentials"], statements=role["statements"],
                            RoleArn=self.definition.task_role)
            self.ecs.aws.put(container_paths={credentials_path: document})
        env = {"AWS_EXECUTION_ENV": "AWS_ECS_FARGATE", "AWS_REGION": self.ecs.region,
               "AWS_DEFAULT_REGION": self.ecs.region}
        if credentials_path:
            env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = credentials_path
        env.update(self.ecs.extra_env)
        return env

    def _secrets_for(self, container):
        """The container's `secrets`, fetched with the execution role as the agent does; a
        secret the role may not read stops the task before any container starts."""
        values = {}
        role = self.ecs.roles.get(self.definition.execution_role, {"statements": []})
        for secret in container.get("Secrets", []):
            value_from = secret["ValueFrom"]
            arn, key = value_from, None
            parts = value_from.split(":")
            if len(parts) > 7:  # arn:aws:secretsmanager:region:account:secret:name:json-key:stage:version
                arn, key = ":".join(parts[:7]), parts[7] or None
            if not iam_policy.allowed(role["statements"], "secretsmanager:GetSecretValue", arn):
                raise TaskFailure(f"ResourceInitializationError: unable to pull secrets: the execution role "
                                  f"may not secretsmanager:GetSecretValue on {arn}")
            if arn not in self.ecs.secrets:
                raise TaskFailure(f"ResourceInitializationError: unable to pull secrets: {arn} does not exist")
            value = self.ecs.secrets[arn]
            if key:
                value = json.loads(value)[key]
            values[secret["Name"]] = value
        return values

    def _start_ready_containers(self, common_env):
        for container in self.definition.containers:
            state = self.containers[container["Name"]]
            if state["status"] != "WAITING" or not self._dependencies_met(container):
                continue
            env = dict(common_env)
            for item in container.get("Environment", []):
                env[item["Name"]] = item["Value"]
            secrets = self._secrets_for(container)
            name = f"{self.name}-{container['Name']}"
            self.ecs.podman.run_detached(
                name, container["Image"], container.get("Command", []), self.network, env,
                env_secrets=secrets, entrypoint=_entrypoint(container), user=container.get("User"),
                hosts=self.ecs.hosts, stop_timeout=container.get("StopTimeout", 30),
                read_only=bool(container.get("ReadonlyRootFilesystem")),
                log_path=os.path.join(self.ecs.logs, f"{name}.log"),
                memory_mb=container.get("Memory") or self.definition.memory_mb)
            state.update(status="RUNNING", started=time.monotonic())
            check = container.get("HealthCheck")
            if check:
                state["next_check"] = time.monotonic() + int(check.get("Interval", 30))
            self.ecs.event(f"task {self.number}: container {container['Name']} started")

    def _dependencies_met(self, container):
        for dependency in container.get("DependsOn", []):
            other = self.containers[dependency["ContainerName"]]
            condition = dependency["Condition"]
            if condition == "START" and other["status"] == "WAITING":
                return False
            if condition in ("COMPLETE", "SUCCESS") and other["status"] != "EXITED":
                return False
            if condition == "SUCCESS" and other["exit"] != 0:
                return False
            if condition == "HEALTHY" and other["health"] != "HEALTHY":
                return False
        return True

    def _poll_containers(self):
        for name, state in self.containers.items():
            if state["status"] != "RUNNING":
                continue
            running, code, _ = self.ecs.podman.state(f"{self.name}-{name}")
            if not running and code is not None:
                state.update(status="EXITED", exit=code)
                self.ecs.event(f"task {self.number}: container {name} exited with {code}")

    def _run_health_checks(self):
        now = time.monotonic()
        for container in self.definition.containers:
            check = container.get("HealthCheck")
            state = self.containers[container["Name"]]
            if not check or state["status"] != "RUNNING" or now < state["next_check"]:
                continue
            state["next_check"] = now + int(check.get("Interval", 30))
            command = check["Command"]
            if command[0] == "CMD":
                args = command[1:]
            elif command[0] == "CMD-SHELL":
                args = ["/bin/sh", "-c", " ".join(command[1:])]
            else:
                args = command
            code, output = self.ecs.podman.exec(f"{self.name}-{container['Name']}", args,
                                                int(check.get("Timeout", 5)))
            in_start_period = now - state["started"] < int(check.get("StartPeriod", 0))
            if code == 0:
                if state["health"] != "HEALTHY":
                    self.ecs.event(f"task {self.number}: container {container['Name']} healthy")
                state.update(health="HEALTHY", failures=0)
            elif not in_start_period:
                state["failures"] += 1
                if state["failures"] >= int(check.get("Retries", 3)):
                    state["health"] = "UNHEALTHY"
                    state["last_check_output"] = output.strip()[-300:]

    def _failure(self):
        """Why the task must stop now, or None."""
        for container in self.definition.containers:
            state = self.containers[container["Name"]]
            name = container["Name"]
            essential = container.get("Essential", True)
            if essential and state["status"] == "EXITED":
                return f"Essential container in task exited ({name} exited with {state['exit']})"
            if essential and state["health"] == "UNHEALTHY":
                return (f"Task failed container health checks ({name}: "
                        f"{state.get('last_check_output', '')!r})")
            if state["status"] == "WAITING":
                for dependency in container.get("DependsOn", []):
                    other = self.containers[dependency["ContainerName"]]
                    if dependency["Condition"] == "SUCCESS" and other["status"] == "EXITED" and other["exit"] != 0:
                        return (f"dependency failed: {name} needs {dependency['ContainerName']} to succeed; "
                                f"it exited with {other['exit']}")
                    if dependency["Condition"] == "HEALTHY" and other["health"] == "UNHEALTHY":
                        return f"dependency failed: {name} needs {dependency['ContainerName']} healthy"
        return None

    def _essentials_running(self):
        return all(self.containers[c["Name"]]["status"] == "RUNNING"
                   for c in self.definition.containers if c.get("Essential", True))

    def _stop_containers(self):
        """SIGTERM to every running container at once, SIGKILL after its stop timeout."""
        threads = []
        for container in self.definition.containers:
            state = self.containers[container["Name"]]
            if state["status"] != "RUNNING":
                continue
            name = f"{self.name}-{container['Name']}"
            thread = threading.Thread(target=self.ecs.podman.stop,
                                      args=(name, int(container.get("StopTimeout", 30))))
            thread.start()
            threads.append((thread, container["Name"], state))
        for thread, name, state in threads:
            thread.join()
            _, code, _ = self.ecs.podman.state(f"{self.name}-{name}")
            state.update(status="EXITED", exit=code)
            self.ecs.event(f"task {self.number}: container {name} stopped, exit {code}")

    # -- what the service sees ------------------------------------------------------------
    def healthy(self):
        """Every container with a health check HEALTHY (ECS's task health)."""
        return self.status == "RUNNING" and all(
            self.containers[c["Name"]]["health"] == "HEALTHY"
            for c in self.definition.containers if c.get("HealthCheck"))

    def stop(self, reason):
        self.stopped_reason = reason
        self.stop_requested.set()

    def exit_code(self, container):
        return self.containers[container]["exit"]

    def log(self, container):
        path = os.path.join(self.ecs.logs, f"{self.name}-{container}.log")
        try:
            with open(path, errors="replace") as f:
                return "".join(_k8s_log_line(line) for line in f)
        except OSError:
            return ""


class TaskFailure(Exception):
    pass


class DeploymentResult:
    def __init__(self, ok, reason, failed_tasks, started, finished):
        self.ok, self.reason, self.failed_tasks = ok, reason, failed_tasks
        self.seconds = finished - started


class Service:
    def __init__(self, ecs, properties, alb, target_container, target_port):
        self.ecs, self.alb = ecs, alb
        self.desired = int(properties.get("DesiredCount", 1))
        deployment = properties.get("DeploymentConfiguration", {})
        self.maximum_percent = int(deployment.get("MaximumPercent", 200))
        self.minimum_healthy_percent = int(deployment.get("MinimumHealthyPercent", 100))
        breaker = deployment.get("DeploymentCircuitBreaker", {})
        self.circuit_breaker = bool(breaker.get("Enable"))
        self.rollback = bool(breaker.get("Rollback"))
        self.grace = int(properties.get("HealthCheckGracePeriodSeconds", 0))
        self.target_container = target_container
        self.target_port = target_port
        self.tasks = []  # serving (registered and healthy) tasks of the current deployment
        self.stopping = []  # tasks being deregistered, drained and stopped
        self.registered = set()

    def failure_threshold(self):
        """ECS's circuit breaker: max(3, 50% of the desired count), at most 200."""
        return min(max(3, math.ceil(self.desired * 0.5)), 200)

    def deploy(self, definition, timeout_s=900):
        """Replaces the serving tasks with tasks of `definition`, as ECS's rolling update does.
        The tasks serving before keep serving when the deployment fails."""
        started = time.monotonic()
        old = list(self.tasks)
        maximum = max(self.desired, math.floor(self.desired * self.maximum_percent / 100))
        minimum_healthy = math.ceil(self.desired * self.minimum_healthy_percent / 100)
        launching, healthy, failed = [], [], []
        self.ecs.event(f"deployment of {definition} started ({len(old)} task(s) serving)")
        while time.monotonic() - started < timeout_s:
            old_running = [t for t in old if not t.done.is_set()]
            # New tasks, up to MaximumPercent of the desired count running at once.
            while len(launching) + len(healthy) < self.desired and \
                    len(launching) + len(healthy) + len(old_running) < maximum and not self._broken(failed):
                launching.append(Task(self.ecs, definition))
            for task in list(launching):
                outcome = self._follow(task)
                if outcome == "failed":
                    launching.remove(task)
                    failed.append(task)
                elif outcome == "healthy":
                    launching.remove(task)
                    healthy.append(task)
            if self._broken(failed):
                for task in launching:
                    self._unregister(task)
                    task.stop("deployment failed: the circuit breaker rolled it back")
                for task in healthy:
                    self._retire(task)
                for task in launching:
                    task.done.wait(120)
                rolled_back = "; rolled back to the tasks serving before" if self.rollback and old else ""
                reason = (f"the deployment circuit breaker stopped {definition} after {len(failed)} failed "
                          f"task(s){rolled_back}: {failed[-1].stopped_reason}")
                self.ecs.event(reason)
                return DeploymentResult(False, reason, failed, started, time.monotonic())
            # Old tasks, one by one, while MinimumHealthyPercent of the desired count stays healthy.
            serving_old = [t for t in old if t not in self.stopping]
            healthy_total = len(healthy) + len(serving_old)
            for task in serving_old:
                if healthy_total - 1 < minimum_healthy:
                    break
                self._retire(task)
                healthy_total -= 1
            if len(healthy) >= self.desired and all(t.done.is_set() for t in old):
                self.tasks = healthy
                self.ecs.event(f"deployment of {definition} completed")
                return DeploymentResult(True, "completed", failed, started, time.monotonic())
            time.sleep(POLL_S)
        return DeploymentResult(False, f"timed out after {timeout_s} s", failed, started, time.monotonic())

    def _follow(self, task):
        """Registers a new task once it runs; "healthy" when the target group and its container
        health checks say so, "failed" when it stopped, else None."""
        if task.status == "STOPPED":
            self._unregister(task)
            return "failed"
        if task.status == "RUNNING" and task.name not in self.registered:
            self.alb.register(task.name, task.address, self.target_port)
            self.registered.add(task.name)
            self.ecs.event(f"task {task.number} registered with the target group")
        if task.name not in self.registered:
            return None
        state = self.alb.states().get(task.name, "")
        if state == "UP" and task.healthy():
            self.ecs.event(f"task {task.number} healthy in the target group")
            return "healthy"
        if state == "DOWN" and time.monotonic() - task.started_at > self.grace:
            task.stop("Task failed ELB health checks")
        return None

    def _broken(self, failed):
        return self.circuit_breaker and len(failed) >= self.failure_threshold()

    def _retire(self, task):
        """Deregister, let the target group drain it, then stop it (SIGTERM, stop timeout)."""
        self.stopping.append(task)

        def run():
            self.alb.drain(task.name)
            self.ecs.event(f"task {task.number} deregistering (draining {self.alb.deregistration_delay} s)")
            time.sleep(self.alb.deregistration_delay)
            self._unregister(task)
            task.stop("Scaling activity initiated by deployment")
            task.done.wait(300)

        threading.Thread(target=run, daemon=True).start()

    def _unregister(self, task):
        if task.name in self.registered:
            self.alb.remove(task.name)
            self.registered.discard(task.name)

    def stop_all(self):
        for task in self.tasks:
            task.stop("service deleted")
        for task in self.tasks:
            task.done.wait(120)


def _entrypoint(container):
    entry = container.get("EntryPoint")
    if not entry:
        return None
    return json.dumps(entry)


def _k8s_log_line(line):
    """k8s-file lines are `TIME STREAM TAG MESSAGE`; the message."""
    parts = line.split(" ", 3)
    return parts[3] if len(parts) == 4 else line
