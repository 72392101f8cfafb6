// auth's migrations. auth_user is Django's table, column for column (sqlite DDL as Django 3.2's
// sqlmigrate prints it; MySQL with datetime(6) as Django uses). Every step is re-runnable.
#include "auth/user.hpp"

namespace auth {

void add_migrations(db::MigrationSet& set) {
  set.add(
      {"auth",
       "0001_initial",
       {
           {.sqlite = "CREATE TABLE IF NOT EXISTS \"auth_user\" ("
                      "\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
                      "\"password\" varchar(128) NOT NULL, \"last_login\" datetime NULL, "
                      "\"is_superuser\" bool NOT NULL, \"username\" varchar(150) NOT NULL UNIQUE, "
                      "\"first_name\" varchar(150) NOT NULL, \"last_name\" varchar(150) NOT NULL, "
                      "\"email\" varchar(254) NOT NULL, \"is_staff\" bool NOT NULL, "
                      "\"is_active\" bool NOT NULL, \"date_joined\" datetime NOT NULL)",
            .mysql = "CREATE TABLE IF NOT EXISTS `auth_user` ("
                     "`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, "
                     "`password` varchar(128) NOT NULL, `last_login` datetime(6) NULL, "
                     "`is_superuser` bool NOT NULL, `username` varchar(150) NOT NULL UNIQUE, "
                     "`first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL, "
                     "`email` varchar(254) NOT NULL, `is_staff` bool NOT NULL, "
                     "`is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL) "
                     "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
       }});
  // Sessions are ours, not Django's django_session: keys are 256-bit (64 hex characters, which
  // django_session's varchar(40) cannot hold), the table stores only the SHA-256 of each key
  // (a leaked table opens no session), and expiry is kept as Unix seconds, absolute and idle.
  set.add(
      {"auth",
       "0002_sessions_permissions_log",
       {
           {.sqlite =
                "CREATE TABLE IF NOT EXISTS mysite_session ("
                "session_key char(64) NOT NULL PRIMARY KEY, session_data text NOT NULL, "
                "user_id integer NULL, created bigint NOT NULL, last_activity bigint NOT NULL, "
                "expire_date bigint NOT NULL)",
            .mysql =
                "CREATE TABLE IF NOT EXISTS mysite_session ("
                "session_key char(64) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, "
                "user_id integer NULL, created bigint NOT NULL, last_activity bigint NOT NULL, "
                "expire_date bigint NOT NULL, KEY mysite_session_expire (expire_date), "
                "KEY mysite_session_user (user_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
           {.sqlite =
                "CREATE INDEX IF NOT EXISTS mysite_session_expire ON mysite_session (expire_date)",
            .mysql = "SELECT 1"},
           {.sqlite = "CREATE INDEX IF NOT EXISTS mysite_session_user ON mysite_session (user_id)",
            .mysql = "SELECT 1"},
           {.sqlite = "CREATE TABLE IF NOT EXISTS mysite_user_permission ("
                      "user_id integer NOT NULL, permission varchar(255) NOT NULL, "
                      "PRIMARY KEY (user_id, permission))",
            .mysql = "CREATE TABLE IF NOT EXISTS mysite_user_permission ("
                     "user_id integer NOT NULL, permission varchar(255) NOT NULL, "
                     "PRIMARY KEY (user_id, permission)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
           {.sqlite =
                "CREATE TABLE IF NOT EXISTS mysite_admin_log ("
                "id integer NOT NULL PRIMARY KEY AUTOINCREMENT, action_time datetime NOT NULL, "
                "user_id integer NOT NULL, object_type varchar(100) NOT NULL, "
                "object_id text NULL, object_repr varchar(200) NOT NULL, "
                "action_flag smallint NOT NULL, change_message text NOT NULL)",
            .mysql =
                "CREATE TABLE IF NOT EXISTS mysite_admin_log ("
                "id integer AUTO_INCREMENT NOT NULL PRIMARY KEY, action_time datetime(6) NOT NULL, "
                "user_id integer NOT NULL, object_type varchar(100) NOT NULL, "
                "object_id longtext NULL, object_repr varchar(200) NOT NULL, "
                "action_flag smallint NOT NULL, change_message longtext NOT NULL, "
                "KEY mysite_admin_log_time (action_time)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
       }});
  // Login throttling (auth/throttle.hpp), shared by every task. Accounts are SHA-256 hex, addresses
  // printable ASCII: the tables hold no user text.
  set.add(
      {"auth",
       "0003_login_throttle",
       {
           {.sqlite = "CREATE TABLE IF NOT EXISTS mysite_login_failure ("
                      "id integer NOT NULL PRIMARY KEY AUTOINCREMENT, account char(64) NOT NULL, "
                      "address varchar(71) NOT NULL, at bigint NOT NULL)",
            .mysql = "CREATE TABLE IF NOT EXISTS mysite_login_failure ("
                     "id bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, account char(64) NOT NULL, "
                     "address varchar(71) NOT NULL, at bigint NOT NULL, "
                     "KEY mysite_login_failure_account (account, at), "
                     "KEY mysite_login_failure_address (address, at)) "
                     "ENGINE=InnoDB DEFAULT CHARSET=ascii"},
           {.sqlite = "CREATE INDEX IF NOT EXISTS mysite_login_failure_account "
                      "ON mysite_login_failure (account, at)",
            .mysql = "SELECT 1"},
           {.sqlite = "CREATE INDEX IF NOT EXISTS mysite_login_failure_address "
                      "ON mysite_login_failure (address, at)",
            .mysql = "SELECT 1"},
           {.sqlite = "CREATE TABLE IF NOT EXISTS mysite_login_known_address ("
                      "account char(64) NOT NULL, address varchar(71) NOT NULL, "
                      "last_success bigint NOT NULL, PRIMARY KEY (account, address))",
            .mysql = "CREATE TABLE IF NOT EXISTS mysite_login_known_address ("
                     "account char(64) NOT NULL, address varchar(71) NOT NULL, "
                     "last_success bigint NOT NULL, PRIMARY KEY (account, address)) "
                     "ENGINE=InnoDB DEFAULT CHARSET=ascii"},
       }});
}

}  // namespace auth
