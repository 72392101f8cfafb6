// The shared DB tests (backend_conformance_test.cpp) on SQLite: no service needed (label unit).
#include "backend.hpp"

namespace db::testing {
INSTANTIATE_TEST_SUITE_P(Sqlite, BackendTest,
                         ::testing::Values(BackendParam{"Sqlite", make_sqlite_backend}),
                         backend_param_name);
}  // namespace db::testing
