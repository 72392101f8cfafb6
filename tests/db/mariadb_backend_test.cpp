// The shared DB tests (backend_conformance_test.cpp) on MariaDB. Run through
// tests/tools/with_mariadb.sh, which starts the server and sets MYSITE_TEST_MYSQL_*; without it
// every test here skips.
#include "backend.hpp"

namespace db::testing {
INSTANTIATE_TEST_SUITE_P(MariaDb, BackendTest,
                         ::testing::Values(BackendParam{"MariaDb", make_mariadb_backend}),
                         backend_param_name);
}  // namespace db::testing
