// bench: what a new RDS IAM database connection costs, beside a query over a pooled connection,
// through the code the site runs (cli::iam_password_provider, db::connect, db::make_pool).
//
//   iam_connection_bench [--new N] [--queries M] [--query SQL]
//
// Environment: DB_HOST DB_PORT DB_NAME DB_SSL_CA DB_USER (a user authenticated by IAM tokens),
// AWS_REGION and AWS credentials as the site finds them (e.g. the ECS container endpoint);
// optionally BENCH_PASSWORD_USER and BENCH_PASSWORD, a password user of the same server, to time
// the same TLS connection without the IAM check (what the token check itself adds is the
// difference). Prints one table row per measurement: count, mean, p50, p99 in milliseconds.
// Exits 1 with a one-line message when a connection or query fails.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "cli/aws_services.hpp"
#include "db/config.hpp"
#include "settings/settings.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string env(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

void print_row(const char* what, std::vector<double> samples) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  double sum = 0;
  for (double s : samples) sum += s;
  const auto at = [&](double q) {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(i, samples.size() - 1)];
  };
  std::printf("%-52s %7zu %9.3f %9.3f %9.3f\n", what, samples.size(),
              sum / static_cast<double>(samples.size()), at(0.50), at(0.99));
}

db::Config base_config() {
  db::Config config;
  config.engine = db::Dialect::mysql;
  config.host = env("DB_HOST", "127.0.0.1");
  config.port = static_cast<std::uint16_t>(std::stoi(env("DB_PORT", "3306")));
  config.name = env("DB_NAME");
  config.ssl_ca = env("DB_SSL_CA");
  return config;
}

int run(int argc, char** argv) {
  int new_connections = 50;
  int queries = 2000;
  std::string query = "SELECT id, message FROM fortune";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--new") new_connections = std::stoi(argv[i + 1]);
    else if (flag == "--queries") queries = std::stoi(argv[i + 1]);
    else if (flag == "--query") query = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: iam_connection_bench [--new N] [--queries M] [--query SQL]\n");
      return 2;
    }
  }

  // The IAM side exactly as `mysite serve` wires it (cli/database.cpp).
  settings::Settings s;
  s.db_engine = "mysql";
  s.db_auth = "iam";
  db::Config iam = base_config();
  s.db_host = iam.host;
  s.db_port = iam.port;
  s.db_user = iam.user = env("DB_USER");
  s.aws_region = env("AWS_REGION");
  auto provider = cli::iam_password_provider(s);
  std::vector<double> first_token, cached_tokens, iam_connect, password_connect, pooled;
  iam.password_provider = [&] {
    const auto start = SteadyClock::now();
    std::string token = provider();
    (first_token.empty() ? first_token : cached_tokens).push_back(ms_since(start));
    return token;
  };

  for (int i = 0; i < new_connections; ++i) {
    const auto start = SteadyClock::now();
    auto connection = db::connect(iam);
    iam_connect.push_back(ms_since(start));
  }  // each closed before the next opens: one login at a time, as a pool refills

  const std::string password_user = env("BENCH_PASSWORD_USER");
  if (!password_user.empty()) {
    db::Config password = base_config();
    password.user = password_user;
    password.password = env("BENCH_PASSWORD");
    for (int i = 0; i < new_connections; ++i) {
      const auto start = SteadyClock::now();
      auto connection = db::connect(password);
      password_connect.push_back(ms_since(start));
    }
  }

  // A pooled request's database work: lease the (already open) IAM connection, run the query,
  // read every row, give the connection back.
  auto pool = db::make_pool(iam, 1);
  pool->acquire()->query(query);  // opens the pool's one connection (not timed)
  std::size_t rows = 0;
  for (int i = 0; i < queries; ++i) {
    const auto start = SteadyClock::now();
    {
      auto lease = pool->acquire();
      rows += lease->query(query).size();
    }
    pooled.push_back(ms_since(start));
  }

  std::printf("%-52s %7s %9s %9s %9s\n", "IAM connection cost", "count", "mean ms", "p50 ms",
              "p99 ms");
  print_row("token from the provider, first (ECS creds + sign)", first_token);
  print_row("token from the provider, reused", cached_tokens);
  print_row("new IAM connection (token + TCP/TLS + PAM auth)", iam_connect);
  print_row("new password connection (TCP/TLS + native auth)", password_connect);
  if (!password_connect.empty()) {
    // What the IAM check adds over the same TLS connection: locally, the PAM verifier.
    std::vector<double> difference;
    const std::size_t n = std::min(iam_connect.size(), password_connect.size());
    std::sort(iam_connect.begin(), iam_connect.end());
    std::sort(password_connect.begin(), password_connect.end());
    for (std::size_t i = 0; i < n; ++i) difference.push_back(iam_connect[i] - password_connect[i]);
    print_row("  difference: the IAM check (PAM verifier here)", difference);
  }
  const std::string pooled_label = "pooled query (lease + " + std::to_string(rows / std::max(queries, 1)) +
                                   " rows + release)";
  print_row(pooled_label.c_str(), pooled);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "iam_connection_bench: %s\n", e.what());
    return 1;
  }
}
