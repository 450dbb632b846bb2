#include "jit/engine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <spdlog/spdlog.h>

#include "jit/host_symbols.h"
#include "jit/sem_library.h"

namespace lpar::jit {

namespace orc = llvm::orc;

struct Optimizer;
struct Engine::Impl {
  std::unique_ptr<orc::LLJIT> jit;
  orc::ThreadSafeContext tsc;
  std::unique_ptr<SemLibrary> sem;  // its module lives in tsc's context
  std::unique_ptr<llvm::TargetMachine> tm;  // cost models for the optimizer
  std::unique_ptr<Optimizer> opt;
  std::unordered_set<const llvm::Function*> helpers;  // shared functions already added
};

namespace {

std::string text(llvm::Error e) { return llvm::toString(std::move(e)); }

// Everything the process can ever need from LLVM, or the first failure.
std::unique_ptr<Engine::Impl> set_up(std::string& err) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();  // the FP code's stmxcsr/ldmxcsr
  auto impl = std::make_unique<Engine::Impl>();
  auto host = orc::JITTargetMachineBuilder::detectHost();
  if (!host) return err = "host target: " + text(host.takeError()), nullptr;
  if (const char* lv = std::getenv("LPAR_JIT_CG")) host->setCodeGenOptLevel(static_cast<llvm::CodeGenOptLevel>(std::atoi(lv)));
  auto jit = orc::LLJITBuilder().setJITTargetMachineBuilder(*host).create();
  if (!jit) return err = "LLJIT: " + text(jit.takeError()), nullptr;
  impl->jit = std::move(*jit);

  // Host symbols first (exact addresses the interpreter uses), then the
  // process's shared libraries for anything code generation adds later.
  orc::JITDylib& jd = impl->jit->getMainJITDylib();
  orc::SymbolMap syms;
  for (unsigned k = 0; k < host_symbol_count; ++k)
    syms[impl->jit->mangleAndIntern(host_symbols[k].name)] = {
        orc::ExecutorAddr::fromPtr(host_symbols[k].addr), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  if (auto e = jd.define(orc::absoluteSymbols(std::move(syms)))) return err = "host symbols: " + text(std::move(e)), nullptr;
  auto gen = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(impl->jit->getDataLayout().getGlobalPrefix());
  if (!gen) return err = "process symbols: " + text(gen.takeError()), nullptr;
  jd.addGenerator(std::move(*gen));

  impl->tsc = orc::ThreadSafeContext(std::make_unique<llvm::LLVMContext>());
  const llvm::StringRef bc(lpar_sem_bc_begin, static_cast<size_t>(lpar_sem_bc_end - lpar_sem_bc_begin));
  auto mod = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bc, "sem.bc"), *impl->tsc.getContext());
  if (!mod) return err = "embedded sem.bc: " + text(mod.takeError()), nullptr;
  impl->sem = std::make_unique<SemLibrary>(std::move(*mod));
  if (!impl->sem->complete()) return err = "sem.bc lacks " + impl->sem->missing(), nullptr;

  if (auto e = impl->jit->addIRModule(orc::ThreadSafeModule(impl->sem->globals_module(), impl->tsc)))
    return err = "sem globals: " + text(std::move(e)), nullptr;

  auto jtmb = orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return err = "host target: " + text(jtmb.takeError()), nullptr;
  auto tm = jtmb->createTargetMachine();
  if (!tm) return err = "target machine: " + text(tm.takeError()), nullptr;
  impl->tm = std::move(*tm);
  impl->opt = std::make_unique<Optimizer>(impl->tm.get());
  return impl;
}

}  // namespace

// The semantic functions arrive optimized (clang -O2); what is left is to
// inline them into the block and clean up across instruction boundaries
// (fields of the constant instruction words, registers kept in SSA between
// instructions, nip updates merged).  Built once: setting up the pass
// pipeline costs as much as running it on a small block.
struct Optimizer {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  llvm::ModulePassManager mpm;

  explicit Optimizer(llvm::TargetMachine* tm) : pb(tm) {
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    if (auto e = pb.parsePassPipeline(mpm, "always-inline,globaldce,function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>,"
                                           "simplifycfg,gvn,dse,instcombine<no-verify-fixpoint>,simplifycfg)"))
      llvm::report_fatal_error(std::move(e));
  }
  void run(llvm::Module& m) {
    mpm.run(m, mam);
    // Analyses hold pointers into m: none may outlive it.
    lam.clear();
    fam.clear();
    cgam.clear();
    mam.clear();
  }
};

namespace {

// LPAR_JIT_STATS=1: where compile time goes, printed at exit (development aid).
struct Stats {
  bool on = std::getenv("LPAR_JIT_STATS") != nullptr;
  bool verbose = on && std::string(std::getenv("LPAR_JIT_STATS")) == "2";  // per block
  unsigned long blocks = 0, insns = 0, helpers = 0;
  double build_s = 0, opt_s = 0, codegen_s = 0;
  ~Stats() {
    if (on)
      std::fprintf(stderr, "jit: %lu blocks, %lu insns, %lu shared functions; build %.3fs optimize %.3fs codegen %.3fs\n", blocks, insns, helpers,
                   build_s, opt_s, codegen_s);
  }
} stats;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Compiled {
  orc::ResourceTrackerSP tracker;
};

}  // namespace

Engine::~Engine() = default;

Engine* Engine::get(std::string& err) {
  static std::string setup_error;
  static Engine* engine = [] {
    auto* e = new Engine();  // lives as long as the process: compiled code may run until exit
    e->impl_ = set_up(setup_error);
    return e;
  }();
  if (!engine->impl_) {
    err = setup_error;
    return nullptr;
  }
  return engine;
}

Handler Engine::compile(const Block& b, Block* const* slot, void** handle) {
  std::lock_guard lock(mu_);
  if (live_ >= MAX_LIVE || b.count == 0) return nullptr;
  const std::string name = "lpar_block_" + std::to_string(next_id_++);
  std::unique_ptr<llvm::Module> m;
  auto t0 = std::chrono::steady_clock::now();
  {
    auto ctx_lock = impl_->tsc.getLock();
    std::vector<const llvm::Function*> helpers;
    m = impl_->sem->block_module(b, slot, name, helpers);
    for (const llvm::Function* h : helpers) {
      if (!impl_->helpers.insert(h).second) continue;
      ++stats.helpers;
      if (stats.verbose) std::fprintf(stderr, "jit: shared %s\n", h->getName().str().c_str());
      if (auto e = impl_->jit->addIRModule(orc::ThreadSafeModule(impl_->sem->helper_module(*h), impl_->tsc)))
        spdlog::warn("jit: shared function {}: {}", h->getName().str(), text(std::move(e)));
    }
    stats.build_s += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    impl_->opt->run(*m);
    stats.opt_s += seconds_since(t0);
    if (const char* dir = std::getenv("LPAR_JIT_DUMP")) {
      std::error_code ec;
      llvm::raw_fd_ostream os(std::string(dir) + "/" + name + ".ll", ec);
      if (!ec) m->print(os, nullptr);
    }
  }
  t0 = std::chrono::steady_clock::now();
  orc::ResourceTrackerSP rt = impl_->jit->getMainJITDylib().createResourceTracker();
  llvm::Error e = impl_->jit->addIRModule(rt, orc::ThreadSafeModule(std::move(m), impl_->tsc));
  auto addr = e ? llvm::Expected<orc::ExecutorAddr>(std::move(e)) : impl_->jit->lookup(name);
  if (!addr) {
    const std::string why = text(addr.takeError());
    if (!failed_once_) spdlog::warn("jit: block at {:#x} stays interpreted: {}", b.ea, why);
    failed_once_ = true;
    if (auto r = rt->remove()) llvm::consumeError(std::move(r));
    return nullptr;
  }
  stats.codegen_s += seconds_since(t0);
  if (stats.verbose) std::fprintf(stderr, "jit: %s %#llx %u insns codegen %.1f ms\n", name.c_str(),
                                  static_cast<unsigned long long>(b.ea), b.count, 1e3 * seconds_since(t0));
  ++stats.blocks;
  stats.insns += b.count;
  *handle = new Compiled{std::move(rt)};
  ++live_;
  return addr->toPtr<Handler>();
}

void Engine::release(void* handle) {
  std::lock_guard lock(mu_);
  auto* c = static_cast<Compiled*>(handle);
  if (auto e = c->tracker->remove()) llvm::consumeError(std::move(e));
  delete c;
  --live_;
}

}  // namespace lpar::jit
