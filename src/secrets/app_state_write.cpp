// write_app_state: temp file (0600) + fsync + rename, so the state on disk is
// always a whole file and never readable by other users, even for a moment.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "instantly/secrets.hpp"
#include "secrets/wipe.hpp"

namespace instantly::secrets {
namespace {

[[noreturn]] void failed(const std::filesystem::path& path, const char* step, int error) {
  throw Error("cannot write app state " + path.string() + ": " + step + ": " + std::strerror(error));
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The rename is only durable once the folder's entry is on disk too; best effort.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_app_state(const std::filesystem::path& path, const Json& document) {
  std::string text = document.dump_pretty(2) + "\n";
  const detail::WipeOnExit wipe_text(text);
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temp_name = (folder / (path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> temp(temp_name.begin(), temp_name.end());
  temp.push_back('\0');

  const int fd = ::mkstemp(temp.data());  // created 0600, exclusively
  if (fd < 0) failed(path, "create a temporary file", errno);
  const auto abandon = [&](const char* step) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.data());
    failed(path, step, error);
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) abandon("set permissions 0600");
  if (!write_all(fd, text)) abandon("write");
  if (::fsync(fd) != 0) abandon("flush to disk");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.data());
    failed(path, "close", error);
  }
  if (::rename(temp.data(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.data());
    failed(path, "rename over the old file", error);
  }
  sync_folder(folder);
}

}  // namespace instantly::secrets
