"""tests/tools: start tests/tools/fake_aws.py from a Python test and stop it afterwards.

    with FakeAws(config) as fake:      # config: the dict fake_aws.py --config takes
        fake.url                       # "http://127.0.0.1:<port>"
        fake.stats()                   # request counts (GET /__control/stats)
"""
import json
import os
import subprocess
import tempfile
import urllib.request

FAKE_AWS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_aws.py")


class FakeAws:
    def __init__(self, config):
        self.config = config
        self.process = None
        self.port = None

    def __enter__(self):
        fd, self.config_path = tempfile.mkstemp(prefix="fake-aws-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(self.config, f)
        self.process = subprocess.Popen(["/usr/bin/python3", FAKE_AWS, "--config", self.config_path],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.__exit__(None, None, None)
            raise RuntimeError(f"fake_aws.py did not start: {line!r}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    def stats(self):
        with urllib.request.urlopen(self.url + "/__control/stats", timeout=5) as r:
            return json.load(r)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.process and self.process.stdout:
            self.process.stdout.close()
        os.unlink(self.config_path)
        return False
