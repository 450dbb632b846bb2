// The sPAPR NVRAM (LoPAPR 1.1, non-volatile memory, and the RTAS calls
// nvram-fetch / nvram-store of chapter 7): 64 KiB the guest keeps its
// partitions in (Linux's pseries nvram code formats it on first use),
// optionally backed by a host file that keeps it between runs.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "papr/guest_memory.h"

namespace lpar::papr {

// Its unit address under /vdevice is spapr_dt.h NVRAM_REG.
inline constexpr uint32_t NVRAM_SIZE = 64 * 1024;

class Nvram {
 public:
  explicit Nvram(uint32_t size = NVRAM_SIZE) : buf_(size, 0) {}
  ~Nvram() { close(); }
  Nvram(const Nvram&) = delete;
  Nvram& operator=(const Nvram&) = delete;

  // Back the NVRAM by a file: its first size() bytes are loaded (a shorter
  // or new file reads as zeros beyond its end) and every store is written
  // through.  Returns false with err set if the file cannot be opened.
  bool open_file(const std::string& path, std::string& err);
  void close();

  uint32_t size() const { return uint32_t(buf_.size()); }
  const uint8_t* data() const { return buf_.data(); }

  // nvram-fetch / nvram-store: copy len bytes between NVRAM offset and the
  // guest buffer.  Return an RTAS status: 0, -3 (offset/len beyond the
  // NVRAM), -1 (the buffer is not guest memory, or the backing file failed:
  // as QEMU); done is the byte count transferred.
  int fetch(GuestMemory& gm, uint64_t offset, uint64_t gpa, uint64_t len, uint32_t& done);
  int store(GuestMemory& gm, uint64_t offset, uint64_t gpa, uint64_t len, uint32_t& done);

 private:
  bool range_ok(uint64_t offset, uint64_t len) const { return offset <= buf_.size() && len <= buf_.size() - offset; }

  std::mutex mu_;
  std::vector<uint8_t> buf_;
  int fd_ = -1;
};

}  // namespace lpar::papr
