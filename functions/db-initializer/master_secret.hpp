// db-initializer: the master credentials of an RDS/Aurora cluster as Secrets Manager holds them
// ({"username", "password", "engine", "host", "port", "dbname", "dbClusterIdentifier"}).
// Knows nothing of Secrets Manager calls or connections.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace db_init {

// A secret that is not the JSON of an RDS secret. what() names the field, never a value.
class SecretFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Never log a MasterSecret: it holds the master password.
struct MasterSecret {
  std::string username;
  std::string password;
  std::string host;  // the cluster (writer) endpoint
  std::uint16_t port = 3306;
  std::string dbname;  // the cluster's default database, if any
  std::string engine;  // "mysql", "aurora-mysql", ...
};

// Parses the SecretString. username, password and host are required; port may be a number or a
// string (default 3306); other fields are optional. Throws SecretFormatError.
MasterSecret parse_master_secret(std::string_view json_text);

}  // namespace db_init
