#include "db/transaction.hpp"

#include "db/error.hpp"

namespace db {

Transaction::Transaction(Connection& connection) : connection_(connection) {
  if (connection_.in_transaction()) {
    throw Error(Error::Kind::config, "transaction: connection is already in a transaction (they do not nest)");
  }
  connection_.begin();
  active_ = true;
}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    connection_.rollback();
  } catch (...) {
    connection_.mark_broken();
  }
}

void Transaction::commit() {
  if (!active_) throw Error(Error::Kind::config, "transaction: commit() after the transaction ended");
  active_ = false;  // a failed COMMIT leaves the backend to roll back; never commit twice
  try {
    connection_.commit();
  } catch (...) {
    if (connection_.in_transaction()) {
      try {
        connection_.rollback();
      } catch (...) {
        connection_.mark_broken();
      }
    }
    throw;
  }
}

void Transaction::rollback() {
  if (!active_) return;
  active_ = false;
  connection_.rollback();
}

}  // namespace db
