#include "papr/nvram.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lpar::papr {

bool Nvram::open_file(const std::string& path, std::string& err) {
  std::lock_guard<std::mutex> g(mu_);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    err = path + ": " + std::strerror(errno);
    return false;
  }
  std::fill(buf_.begin(), buf_.end(), 0);
  size_t got = 0;
  while (got < buf_.size()) {
    ssize_t n = ::pread(fd, buf_.data() + got, buf_.size() - got, off_t(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = path + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    got += size_t(n);
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  return true;
}

void Nvram::close() {
  std::lock_guard<std::mutex> g(mu_);
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
}

int Nvram::fetch(GuestMemory& gm, uint64_t offset, uint64_t gpa, uint64_t len, uint32_t& done) {
  std::lock_guard<std::mutex> g(mu_);
  done = 0;
  if (!range_ok(offset, len)) return -3;
  if (!gm.write(gpa, buf_.data() + offset, len)) return -1;
  done = uint32_t(len);
  return 0;
}

int Nvram::store(GuestMemory& gm, uint64_t offset, uint64_t gpa, uint64_t len, uint32_t& done) {
  std::lock_guard<std::mutex> g(mu_);
  done = 0;
  if (!range_ok(offset, len)) return -3;
  if (!gm.read(gpa, buf_.data() + offset, len)) return -1;
  if (fd_ >= 0) {
    size_t put = 0;
    while (put < len) {
      ssize_t n = ::pwrite(fd_, buf_.data() + offset + put, len - put, off_t(offset + put));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return -1;
      put += size_t(n);
    }
  }
  done = uint32_t(len);
  return 0;
}

}  // namespace lpar::papr
