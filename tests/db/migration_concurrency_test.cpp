// Three runners (processes, then threads), each with its own connection to the same SQLite file,
// start `migrate` at once: every migration is applied exactly once.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "db/migration_set.hpp"
#include "temp_db.hpp"

namespace {

using db::testing::TempDb;

constexpr int kRunners = 3;
constexpr int kMigrations = 6;

// Each migration also appends to `runs`, so a migration applied twice would show as two rows.
db::MigrationSet make_set() {
  db::MigrationSet set;
  set.add({"race", "0000_runs", {{"CREATE TABLE runs (migration TEXT NOT NULL)", ""}}});
  for (int i = 1; i < kMigrations; ++i) {
    const std::string name = "000" + std::to_string(i) + "_step";
    set.add({"race",
             name,
             {{"CREATE TABLE t" + std::to_string(i) + " (id INTEGER PRIMARY KEY)", ""},
              // a little work inside the lock, so the runners overlap
              {"INSERT INTO t" + std::to_string(i) +
                   " (id) WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000) "
                   "SELECT x FROM n",
               ""},
              {"INSERT INTO runs (migration) VALUES ('" + name + "')", ""}}});
  }
  return set;
}

int count_occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

void expect_each_applied_once(const TempDb& tmp, const std::string& all_output) {
  auto conn = tmp.open();
  EXPECT_EQ(conn->query_row("SELECT count(*) FROM mysite_migrations").get<std::int64_t>(0), kMigrations);
  EXPECT_EQ(conn->query_row("SELECT count(*) FROM runs").get<std::int64_t>(0), kMigrations - 1);
  EXPECT_EQ(conn->query_row("SELECT count(DISTINCT migration) FROM runs").get<std::int64_t>(0), kMigrations - 1);
  for (const db::MigrationState& state : make_set().plan(*conn)) {
    EXPECT_TRUE(state.applied) << state.name;
    EXPECT_EQ(count_occurrences(all_output, "Applying race." + state.name + "... OK"), 1) << all_output;
  }
  EXPECT_EQ(count_occurrences(all_output, "No migrations to apply."), kRunners - 1) << all_output;
}

TEST(MigrationConcurrency, ThreeProcessesApplyEachMigrationOnce) {
  TempDb tmp;
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int r = 0; r < kRunners; ++r) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(start[1]);
      char byte;
      (void)!read(start[0], &byte, 1);  // returns at EOF: all runners go at once
      int code = 0;
      try {
        std::ofstream out(tmp.dir() / ("out" + std::to_string(r) + ".txt"));
        auto conn = tmp.open();
        make_set().migrate(*conn, out);
      } catch (const std::exception& e) {
        std::ofstream(tmp.dir() / ("err" + std::to_string(r) + ".txt")) << e.what();
        code = 1;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(start[1]);  // release the runners

  std::string all_output;
  for (int r = 0; r < kRunners; ++r) {
    int status = 0;
    ASSERT_EQ(waitpid(children[static_cast<std::size_t>(r)], &status, 0), children[static_cast<std::size_t>(r)]);
    std::ifstream err(tmp.dir() / ("err" + std::to_string(r) + ".txt"));
    std::string error((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "runner " << r << ": " << error;
    std::ifstream out(tmp.dir() / ("out" + std::to_string(r) + ".txt"));
    all_output.append(std::istreambuf_iterator<char>(out), std::istreambuf_iterator<char>());
  }
  expect_each_applied_once(tmp, all_output);
}

TEST(MigrationConcurrency, ThreeThreadsWithTheirOwnConnectionsApplyEachMigrationOnce) {
  TempDb tmp;
  std::ostringstream outputs[kRunners];
  std::string errors[kRunners];
  std::vector<std::thread> threads;
  for (int r = 0; r < kRunners; ++r) {
    threads.emplace_back([&, r] {
      try {
        auto conn = tmp.open();
        make_set().migrate(*conn, outputs[r]);
      } catch (const std::exception& e) {
        errors[r] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::string all_output;
  for (int r = 0; r < kRunners; ++r) {
    EXPECT_EQ(errors[r], "") << "runner " << r;
    all_output += outputs[r].str();
  }
  expect_each_applied_once(tmp, all_output);
}

}  // namespace
