#!/bin/sh
# tests/tools: run a command (a gtest binary) beside a throwaway MariaDB server with TLS.
# Usage: tests/tools/with_mariadb.sh COMMAND [ARGS...]  (see mariadb_server.py for the environment)
exec /usr/bin/python3 "$(dirname "$0")/mariadb_server.py" -- "$@"
