#include "papr/papr_log.h"

namespace lpar::papr {

std::shared_ptr<spdlog::logger> subsystem_logger(const char* name) {
  static std::mutex mu;
  std::lock_guard<std::mutex> g(mu);
  if (auto l = spdlog::get(name)) return l;
  auto l = spdlog::default_logger()->clone(name);
  l->set_level(spdlog::level::warn);
  spdlog::register_logger(l);
  return l;
}

}  // namespace lpar::papr
