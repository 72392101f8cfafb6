-- mariadb-init.sql: the tests' stand-in for functions/db-initializer/db-init.sql. MariaDB has no
-- AWSAuthenticationPlugin, so the user gets a password (mysql_native_password) where Aurora takes
-- an IAM token; everything else is the same. The password holds ; -- # and quotes on purpose: the
-- splitter must keep it whole, and the logs must never show it.
CREATE DATABASE IF NOT EXISTS {{DB_NAME}} CHARACTER SET utf8mb4;  # a trailing comment; with a semicolon

/* The site's user; as on Aurora, only over TLS. */
CREATE USER IF NOT EXISTS {{DB_USER}}@'%'
  IDENTIFIED VIA mysql_native_password USING PASSWORD('stand-in;pw -- #1 ''q''')
  REQUIRE SSL;
ALTER USER {{DB_USER}}@'%' REQUIRE SSL;  -- a user made earlier without TLS gets it too

GRANT ALL PRIVILEGES ON {{DB_NAME}}.* TO {{DB_USER}}@'%';
FLUSH PRIVILEGES;
