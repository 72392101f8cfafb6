#!/bin/sh
# tests/functions/db_initializer: run under tests/tools/with_mariadb.sh; creates the stand-in for
# Aurora's master user (every privilege, WITH GRANT OPTION, reachable over TCP, unlike root), then
# runs COMMAND with MYSITE_TEST_MYSQL_MASTER_USER and MYSITE_TEST_MYSQL_MASTER_PASSWORD set.
# Usage: tests/tools/with_mariadb.sh tests/functions/db_initializer/with_master_user.sh COMMAND...
set -eu
: "${MYSITE_TEST_MYSQL_SOCKET:?run this under tests/tools/with_mariadb.sh}"
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
mariadb --no-defaults --socket="$MYSITE_TEST_MYSQL_SOCKET" -uroot --batch -e "
  CREATE USER 'master'@'127.0.0.1' IDENTIFIED BY '$password';
  GRANT ALL PRIVILEGES ON *.* TO 'master'@'127.0.0.1' WITH GRANT OPTION;"
export MYSITE_TEST_MYSQL_MASTER_USER=master MYSITE_TEST_MYSQL_MASTER_PASSWORD="$password"
exec "$@"
