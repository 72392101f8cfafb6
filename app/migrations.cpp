// The sample site's migrations, in order. Each step is plain SQL per dialect, written so that a
// re-run after a crash converges (MySQL DDL is not transactional).
#include <array>
#include <string>

#include "app/urls.hpp"

namespace app {

namespace {

// The 12 rows of the TechEmpower Fortunes test, byte for byte, as an SQL VALUES list.
constexpr const char* kFortuneRows =
    "(1, 'fortune: No such file or directory'), "
    "(2, 'A computer scientist is someone who fixes things that aren''t broken.'), "
    "(3, 'After enough decimal places, nobody gives a damn.'), "
    "(4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'), "
    "(5, 'A computer program does what you tell it to do, not what you want it to do.'), "
    "(6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'), "
    "(7, 'Any program that runs right is obsolete.'), "
    "(8, 'A list is only as strong as its weakest link. — Donald Knuth'), "
    "(9, 'Feature: A bug with seniority.'), "
    "(10, 'Computers make very fast, very accurate mistakes.'), "
    "(11, '<script>alert(\"This should not be displayed in a browser alert box.\");</script>'), "
    "(12, 'フレームワークのベンチマーク')";

}  // namespace

void migrations(db::MigrationSet& set) {
  set.add({"fortunes",
           "0001_initial",
           {
               {.sqlite = "CREATE TABLE IF NOT EXISTS fortune ("
                          "id INTEGER PRIMARY KEY AUTOINCREMENT, "
                          "message VARCHAR(2048) NOT NULL)",
                .mysql = "CREATE TABLE IF NOT EXISTS fortune ("
                         "id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                         "message VARCHAR(2048) NOT NULL) "
                         "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"},
           }});
  // "OR IGNORE" / "IGNORE" make a re-run after a crash a no-op.
  set.add({"fortunes",
           "0002_seed",
           {
               {.sqlite = std::string("INSERT OR IGNORE INTO fortune (id, message) VALUES ") + kFortuneRows,
                .mysql = std::string("INSERT IGNORE INTO fortune (id, message) VALUES ") + kFortuneRows},
           }});
}

}  // namespace app
