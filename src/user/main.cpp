// lpar-user: run a static ppc64 Linux executable, like qemu-ppc64le.
//   lpar-user [-cpu power8|power9] [-E VAR=VALUE] [-U VAR] [-strace] [-jit on|off] PROGRAM [ARGS...]
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "gdb/user_target.h"
#include "jit/llvm_tier.h"
#include "user/process.h"
#include "user/process_control.h"
#include "user/signals.h"

extern char** environ;

namespace {

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "lpar-user: %s\n", msg.c_str());
  return 1;
}

bool parse_cpu(std::string name, lpar::isa::Model& m) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "power9" || name == "power9_v2.0" || name == "power9_v2.2") m = lpar::isa::POWER9;
  else if (name == "power8" || name == "power8_v2.0" || name == "power8e" || name == "power8nvl") m = lpar::isa::POWER8;
  else return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_st("lpar-user");
  logger->set_pattern("lpar-user: %l: %v");
  spdlog::set_default_logger(logger);

  lpar::user::ProcessConfig cfg;
  // qemu's rule: 8 MiB, or the host's stack limit if that is larger and finite.
  struct rlimit lim;
  if (getrlimit(RLIMIT_STACK, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur > cfg.stack_size)
    cfg.stack_size = lim.rlim_cur;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  auto unset = [&](const std::string& name) {
    std::erase_if(env, [&](const std::string& v) { return v.compare(0, name.size() + 1, name + "=") == 0; });
  };

  std::string argv0;  // -0: argv[0] for the guest, if not the program path
  std::string gdb_spec;  // -g PORT: wait for gdb before the first instruction
  lpar::jit::Options jit = lpar::jit::options_from_env();
  int k = 1;
  for (; k < argc && argv[k][0] == '-'; ++k) {
    std::string opt = argv[k];
    if (opt == "--") {
      ++k;
      break;
    }
    if (opt.size() > 2 && opt[1] == '-') opt = opt.substr(1);  // --cpu == -cpu
    if (opt == "-h" || opt == "-help") {
      std::printf("usage: lpar-user [-cpu power8|power9] [-E VAR=VALUE] [-U VAR] [-0 ARGV0] [-g PORT] [-strace] [-jit on|off] PROGRAM [ARGS...]\n");
      return 0;
    }
    if (opt == "-strace") {
      cfg.strace = true;
      continue;
    }
    const bool takes_arg = opt == "-cpu" || opt == "-E" || opt == "-U" || opt == "-L" || opt == "-0" || opt == "-g" || opt == "-jit";
    if (!takes_arg) return usage_error("unknown option " + opt);
    if (k + 1 >= argc) return usage_error("option " + opt + " needs an argument");
    const std::string val = argv[++k];
    if (opt == "-cpu") {
      if (!parse_cpu(val, cfg.model)) return usage_error("unknown CPU model '" + val + "' (power8 or power9)");
    } else if (opt == "-E") {
      const auto eq = val.find('=');
      if (eq == std::string::npos) return usage_error("-E needs VAR=VALUE");
      unset(val.substr(0, eq));
      env.push_back(val);
    } else if (opt == "-jit") {
      if (!lpar::jit::parse_switch(val, jit.enabled)) return usage_error("-jit takes on or off");
    } else if (opt == "-g") {
      gdb_spec = val;
    } else if (opt == "-0") {
      argv0 = val;
    } else if (opt == "-U") {
      unset(val);
    }  // -L: no dynamic loader is ever used
  }
  if (k >= argc) return usage_error("no program given (usage: lpar-user [-cpu power8|power9] PROGRAM [ARGS...])");

  std::vector<std::string> args(argv + k, argv + argc);
  const std::string program = args[0];
  if (!argv0.empty()) args[0] = argv0;
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    lpar::user::set_self_exe(self);
  }
  auto proc = std::make_unique<lpar::user::Process>(cfg);
  lpar::jit::apply(proc->interp, jit);
  std::string err;
  if (!proc->load(program, args, env, err)) return usage_error(err);
  if (!gdb_spec.empty() && !lpar::gdb::serve_user_gdb(*proc, gdb_spec, err)) return usage_error(err);
  const lpar::user::ExitStatus st = proc->run();
  std::fflush(stdout);
  if (st.signaled) lpar::user::die_of_signal(st.signal);
  return st.code;
}
