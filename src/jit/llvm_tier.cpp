#include "jit/llvm_tier.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "jit/engine.h"

namespace lpar::jit {

namespace {

// One interpreter's view of the shared engine: the handles of its blocks.
class LlvmCompiler final : public BlockCompiler {
 public:
  LlvmCompiler(Engine& e, const Interpreter& interp) : engine_(e), interp_(interp) {}
  Handler compile(Block& b) override {
    void* handle = nullptr;
    Handler h = engine_.compile(b, interp_.fast_slot(b.key), &handle);
    if (h) b.compiled = handle;
    return h;
  }
  void release(Block& b) override {
    engine_.release(b.compiled);
    b.compiled = nullptr;
  }

 private:
  Engine& engine_;
  const Interpreter& interp_;
};

}  // namespace

bool parse_switch(const std::string& v, bool& on) {
  if (v == "on") on = true;
  else if (v == "off") on = false;
  else return false;
  return true;
}

Options options_from_env() {
  Options o;
  if (const char* v = std::getenv("LPAR_JIT"); v && !parse_switch(v, o.enabled))
    spdlog::warn("LPAR_JIT={} ignored (on or off)", v);
  if (const char* v = std::getenv("LPAR_JIT_THRESHOLD")) {
    char* end;
    const unsigned long n = std::strtoul(v, &end, 10);
    if (*v && !*end && n >= 1 && n <= 1000000000) o.threshold = static_cast<u32>(n);
    else spdlog::warn("LPAR_JIT_THRESHOLD={} ignored (1 to 1e9)", v);
  }
  return o;
}

bool attach(Interpreter& interp, u32 threshold, std::string& err) {
  Engine* e = Engine::get(err);
  if (!e) return false;
  interp.set_compiler(std::make_unique<LlvmCompiler>(*e, interp), threshold);
  return true;
}

void apply(Interpreter& interp, const Options& opt) {
  if (!opt.enabled) return;
  std::string err;
  if (!attach(interp, opt.threshold, err)) spdlog::warn("JIT unavailable, interpreting only: {}", err);
}

unsigned live_blocks() {
  std::string err;
  Engine* e = Engine::get(err);
  return e ? e->live() : 0;
}

}  // namespace lpar::jit
