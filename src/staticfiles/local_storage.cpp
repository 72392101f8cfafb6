#include "staticfiles/local_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "staticfiles/error.hpp"

namespace staticfiles {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned> temp_counter{0};

std::string errno_text(int err) { return std::strerror(err); }

// Writes all of `content` to a new file `path` (mode 0644); fsync when `durable`.
void write_new_file(const fs::path& path, std::string_view content, bool durable) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(errno_text(errno));
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      throw Error(errno_text(err));
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (durable && ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    throw Error(errno_text(err));
  }
  if (::close(fd) != 0) throw Error(errno_text(errno));
}

}  // namespace

LocalStorage::LocalStorage(fs::path root) : root_(std::move(root)), pid_(::getpid()) {}

std::string LocalStorage::location() const {
  std::error_code ec;
  auto absolute = fs::absolute(root_, ec);
  return (ec ? root_ : absolute).lexically_normal().string();
}

fs::path LocalStorage::path_of(std::string_view name) const {
  return root_ / fs::path(std::string(name));
}

bool LocalStorage::has_files() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return false;
  return fs::directory_iterator(root_, ec) != fs::directory_iterator();
}

std::optional<std::string> LocalStorage::read(std::string_view name) {
  auto path = path_of(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw Error("cannot read '" + path.string() + "'");
  return std::move(text).str();
}

bool LocalStorage::contains(const StoredFile& file) {
  auto path = path_of(file.name);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::size_t>(st.st_size) != file.content->size())
    return false;
  std::error_code ec;
  // A hashed name is its content's hash, and files only ever appear whole (temp + rename), so a
  // hashed file of the right size holds these bytes; so does a link to it. Django trusts the
  // mere existence of a hashed file.
  if (file.role == FileRole::kHashed) return true;
  if (!file.same_as.empty() && fs::equivalent(path, path_of(file.same_as), ec)) return true;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string existing(file.content->size(), '\0');
  std::size_t got = 0;
  while (got < existing.size()) {
    ssize_t n = ::read(fd, existing.data() + got, existing.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return got == existing.size() && existing == *file.content;
}

void LocalStorage::ensure_directory(const fs::path& dir) {
  std::lock_guard lock(mutex_);
  if (made_dirs_.count(dir.native())) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create '" + dir.string() + "': " + ec.message());
  made_dirs_.insert(dir.native());
}

void LocalStorage::write(const StoredFile& file) {
  auto path = path_of(file.name);
  std::error_code ec;
  ensure_directory(path.parent_path());
  // A new name linked to a file with the same bytes appears complete at once.
  if (!file.same_as.empty() && ::link(path_of(file.same_as).c_str(), path.c_str()) == 0) return;
  // A dot name is skipped by the finders if it is ever left behind.
  std::string temp_name = ".";
  temp_name.append(path.filename().string()).append(".tmp");
  temp_name.append(std::to_string(pid_)).append("-");
  temp_name.append(std::to_string(temp_counter.fetch_add(1)));
  fs::path temp = path.parent_path() / temp_name;
  try {
    // Linking a file with the same bytes saves an inode and a copy; fall back to writing.
    if (file.same_as.empty() || ::link(path_of(file.same_as).c_str(), temp.c_str()) != 0)
      write_new_file(temp, *file.content, file.role == FileRole::kManifest);
  } catch (const Error& e) {
    fs::remove(temp, ec);
    throw Error("cannot write '" + file.name + "' to " + location() + ": " + e.what());
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    fs::remove(temp, ec);
    throw Error("cannot write '" + file.name + "' to " + location() + ": " + errno_text(err));
  }
}

void LocalStorage::clear() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return;
  {
    std::lock_guard lock(mutex_);
    made_dirs_.clear();
  }
  for (const auto& entry : fs::directory_iterator(root_)) {
    fs::remove_all(entry.path(), ec);
    if (ec) throw Error("cannot delete '" + entry.path().string() + "': " + ec.message());
  }
}

}  // namespace staticfiles
