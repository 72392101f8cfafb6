#!/usr/bin/python3
"""tests/auth: Django (Debian python3-django, python3-argon2) as the oracle for password hashes.

  django_hashers_oracle.py make     prints JSON lines {"password","encoded"} made by Django's
                                    hashers: PBKDF2-SHA256 at several iteration counts and salts,
                                    PBKDF2-SHA1, Argon2id (Django's defaults and others), Argon2i.
  django_hashers_oracle.py check    reads JSON lines {"password","encoded"} on stdin and prints
                                    {"encoded","ok"} per line: Django's check_password verdict.
Exit 77 when Django or argon2-cffi is missing (the test then skips).
"""
import json
import sys

try:
    from django.conf import settings
    settings.configure(PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ])
    import django
    django.setup()
    from django.contrib.auth import hashers
    import argon2  # noqa: F401
except ImportError as e:
    print("oracle unavailable: %s" % e, file=sys.stderr)
    sys.exit(77)


class Argon2Custom(hashers.Argon2PasswordHasher):
    def __init__(self, t, m, p):
        self.time_cost, self.memory_cost, self.parallelism = t, m, p


def make():
    passwords = ["correct horse battery staple", "lètmein", "", "p@$$w0rd with spaces", "x" * 200]
    salts = ["seasalt", "abcdefghijklmnopqrstuv", "Zx9"]
    out = []
    pbkdf2 = hashers.PBKDF2PasswordHasher()
    for i, (iterations, salt) in enumerate([(1, "seasalt"), (1000, "abcdefghijklmnopqrstuv"),
                                             (20000, "Zx9"), (260000, hashers.PBKDF2PasswordHasher().salt())]):
        out.append((passwords[i % len(passwords)], pbkdf2.encode(passwords[i % len(passwords)], salt, iterations)))
    out.append(("x" * 200, pbkdf2.encode("x" * 200, salts[0], 1500)))
    out.append(("lètmein", hashers.PBKDF2SHA1PasswordHasher().encode("lètmein", "seasalt", 2000)))
    out.append(("correct horse battery staple", Argon2Custom(2, 1024, 2).encode("correct horse battery staple", "somesaltsomesalt")))
    out.append(("lètmein", Argon2Custom(1, 512, 1).encode("lètmein", hashers.Argon2PasswordHasher().salt())))
    out.append(("p@$$w0rd with spaces", hashers.Argon2PasswordHasher().encode("p@$$w0rd with spaces", "abcdefghijklmnopqrstuv")))
    # An argon2i hash as older Django/argon2-cffi made (type i).
    import argon2
    raw = argon2.low_level.hash_secret(b"old password", b"oldsaltoldsalt", time_cost=2, memory_cost=512,
                                       parallelism=2, hash_len=16, type=argon2.low_level.Type.I)
    out.append(("old password", "argon2" + raw.decode("ascii")))
    for password, encoded in out:
        assert hashers.check_password(password, encoded), encoded
        print(json.dumps({"password": password, "encoded": encoded}))


def check():
    for line in sys.stdin:
        if not line.strip():
            continue
        item = json.loads(line)
        ok = hashers.check_password(item["password"], item["encoded"])
        print(json.dumps({"encoded": item["encoded"], "ok": bool(ok)}))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]]()
