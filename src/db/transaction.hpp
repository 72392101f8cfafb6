// db: an RAII transaction scope; rolls back unless commit() was called.
// Knows nothing of backends (Connection::begin/commit/rollback do the dialect work) or pools.
#pragma once

#include "db/connection.hpp"

namespace db {

// Example:
//   db::Transaction tx(conn);            // BEGIN IMMEDIATE on SQLite
//   conn.execute("UPDATE ...", ...);
//   tx.commit();                         // without this, the destructor rolls back
// Transactions do not nest: beginning one on a connection already in a transaction throws
// db::Error (config). If the rollback in the destructor fails, the connection is marked broken
// so the pool discards it instead of handing out a connection stuck in a transaction.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();
  void rollback();
  bool active() const noexcept { return active_; }

 private:
  Connection& connection_;
  bool active_ = false;
};

}  // namespace db
