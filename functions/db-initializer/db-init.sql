-- db-init.sql: what the DB initializer runs on the Aurora MySQL cluster, as its master user, on
-- every deployment that creates or changes the cluster. Every statement is idempotent: a second run
-- changes nothing.
--
-- {{DB_USER}} becomes the setting DB_USER as a quoted string ('django'), {{DB_NAME}} the setting
-- DB_NAME as a quoted identifier (`main`); both are checked first (letters, digits, _ ...), so no
-- setting can change what a statement does. Replace this script with DB_INIT_SCRIPT=<file>.

-- The site's database (Aurora usually created it with the cluster).
CREATE DATABASE IF NOT EXISTS {{DB_NAME}} CHARACTER SET utf8mb4;

-- The site signs in with a 15-minute RDS IAM token instead of a password, and only over TLS.
CREATE USER IF NOT EXISTS {{DB_USER}}@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
-- A user made earlier (by the original sample, say) without TLS gets the requirement too.
ALTER USER {{DB_USER}}@'%' REQUIRE SSL;

GRANT ALL PRIVILEGES ON {{DB_NAME}}.* TO {{DB_USER}}@'%';
FLUSH PRIVILEGES;
