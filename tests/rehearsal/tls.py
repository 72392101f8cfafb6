"""tests/rehearsal: one test certificate authority for the whole rehearsal. It signs the Aurora
stand-in's certificate (the image is built with it in place of Amazon's RDS CA bundle), the
load balancer's (ACM in the template) and the CDN's; nothing else trusts it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))

import mariadb_server  # noqa: E402


class TestCa:
    def __init__(self, directory):
        """Kept in `directory` between runs, so the image layer holding it stays cached."""
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.key = os.path.join(directory, "ca.key")
        self.ca = os.path.join(directory, "ca.pem")
        if not (os.path.exists(self.key) and os.path.exists(self.ca)) or _expires_within_a_day(self.ca):
            mariadb_server.make_ca(directory, "ca")
        # What the image build takes in place of the rds-ca stage (docker/Dockerfile).
        self.rds_ca_context = os.path.join(directory, "rds-ca")
        os.makedirs(self.rds_ca_context, exist_ok=True)
        with open(self.ca) as source, open(os.path.join(self.rds_ca_context, "global-bundle.pem"), "w") as target:
            target.write(source.read())

    def server_cert(self, name, dns_names, directory=None):
        """(key path, certificate path) for `dns_names`, signed by this CA."""
        return mariadb_server.make_server_cert(directory or self.directory, self.key, self.ca,
                                               dns_names=dns_names, ips=(), name=name)


def _expires_within_a_day(cert):
    result = mariadb_server.subprocess.run(["openssl", "x509", "-checkend", "86400", "-noout", "-in", cert],
                                           capture_output=True)
    return result.returncode != 0
