// Logging for the sPAPR services: one spdlog logger per subsystem ("hcall",
// "rtas", "int", ...), created on first use from the default logger and left
// at level warn until the command line (-d) turns a subsystem's info on; and a
// log-once filter so a guest that repeats an unsupported call fills no disk.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <spdlog/spdlog.h>

namespace lpar::papr {

// The logger of a subsystem (thread-safe; the same object on every call).
std::shared_ptr<spdlog::logger> subsystem_logger(const char* name);

// first(key) is true the first time a key is seen.  Not for hot paths (a
// lock per call); used for unknown hcalls and RTAS tokens.
class LogOnce {
 public:
  bool first(uint64_t key) {
    std::lock_guard<std::mutex> g(mu_);
    return seen_.insert(key).second;
  }

 private:
  std::mutex mu_;
  std::unordered_set<uint64_t> seen_;
};

}  // namespace lpar::papr
