#!/usr/bin/python3
"""Runs Django 3.2's collectstatic with ManifestStaticFilesStorage: the oracle for our hashed
names, rewritten CSS and staticfiles.json (tests/staticfiles) and the reference for the bench.

    /usr/bin/python3 tests/tools/django_collectstatic.py --root OUT [--static-url /static/] DIR...

Needs Debian's python3-django (run it with /usr/bin/python3, not a pyenv python).
"""
import argparse
import sys

import django
from django.conf import settings
from django.core.management import call_command


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="STATIC_ROOT")
    parser.add_argument("--static-url", default="/static/")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("dirs", nargs="+", help="STATICFILES_DIRS, first wins")
    args = parser.parse_args()
    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-collectstatic-oracle",
        INSTALLED_APPS=["django.contrib.staticfiles"],
        STATIC_URL=args.static_url,
        STATIC_ROOT=args.root,
        STATICFILES_DIRS=args.dirs,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    )
    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0 if args.quiet else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
