#include "db/migration.hpp"

namespace db {

const std::string& MigrationStep::sql_for(Dialect dialect) const noexcept {
  const std::string& preferred = dialect == Dialect::mysql ? mysql : sqlite;
  const std::string& fallback = dialect == Dialect::mysql ? sqlite : mysql;
  return preferred.empty() ? fallback : preferred;
}

}  // namespace db
