// cli: the `/ready/` view for operators and deploy checks: 200 when the database answers and no
// migration is pending, 503 otherwise. The load balancer keeps the shallow `/ping/`, so a
// database outage never marks every task unhealthy at once.
#pragma once

#include "db/migration_set.hpp"
#include "db/pool.hpp"
#include "http/handler.hpp"

namespace cli {

http::Handler readiness_view(db::Pool& pool, db::MigrationSet migrations);

}  // namespace cli
