#include "cli/pseries_cli.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "cli/pseries_pci.h"
#include "jit/llvm_tier.h"
#include "machine/bare.h"
#include "papr/papr_log.h"
#include "papr/spapr_machine.h"

namespace po = boost::program_options;

namespace lpar::cli {

namespace {
int fail(const std::string& msg, int code = 1) {
  std::fprintf(stderr, "lpar: %s\n", msg.c_str());
  return code;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

// The subsystems -d knows (each an spdlog logger, papr_log.h).
constexpr const char* LOG_ITEMS[] = {"hcall", "rtas", "int", "mmu", "unimp", "vof", "hv", "code"};
// QEMU's -smp: [cpus=]N[,sockets=S][,cores=C][,threads=T][,maxcpus=M].
// lpar models one thread per core and no CPU hotplug.
std::string parse_smp(const std::string& spec, unsigned& cpus) {
  unsigned long n = 0, sockets = 0, cores = 0, threads = 1, maxcpus = 0;
  const auto num = [](const std::string& v, unsigned long& out) {
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoul(v);
    return out > 0;
  };
  const auto parts = split(spec, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    const auto eq = p.find('=');
    const std::string key = eq == std::string::npos ? (i == 0 ? "cpus" : p) : p.substr(0, eq);
    const std::string val = eq == std::string::npos ? p : p.substr(eq + 1);
    unsigned long* dst = key == "cpus" ? &n : key == "sockets" ? &sockets : key == "cores" ? &cores
                       : key == "threads" ? &threads : key == "maxcpus" ? &maxcpus : nullptr;
    if (!dst) return "-smp: unknown option '" + key + "'";
    if (!num(val, *dst)) return "-smp: bad value '" + val + "' for " + key;
  }
  if (threads != 1) return "-smp: lpar models one thread per core (threads=1)";
  const unsigned long topo = (sockets ? sockets : 1) * (cores ? cores : 1);
  if (!n) n = (sockets || cores) ? topo : 1;
  if ((sockets || cores) && topo != n) return "-smp: sockets * cores * threads must equal cpus";
  if (maxcpus && maxcpus != n) return "-smp: CPU hotplug is not supported (maxcpus must equal cpus)";
  cpus = unsigned(n);
  return {};
}
}  // namespace

// QEMU's -icount shift=N|auto[,sleep=on|off]: shift=N makes the guest's clock
// count instructions (lpar's deterministic clock: one Time Base tick per
// instruction whatever N is), auto keeps the host's clock; with sleep=on an
// instruction-counting guest still waits for input in real time when idle.
static std::string parse_icount(const std::string& spec, bool& icount, bool& sleep) {
  bool shift_seen = false;
  for (const auto& [key, val] : split_opts(spec)) {
    const bool bare_number = !key.empty() && val.empty() && key.find_first_not_of("0123456789") == std::string::npos;
    if (key == "shift" || bare_number) {
      const std::string v = bare_number ? key : val;
      if (v == "auto") {
        icount = false;
      } else if (!v.empty() && v.size() <= 2 && v.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoi(v) <= 10) {
        icount = true;
      } else {
        return "-icount: bad shift '" + v + "' (0 to 10, or auto)";
      }
      shift_seen = true;
    } else if (key == "sleep") {
      if (val != "on" && val != "off") return "-icount: bad value '" + val + "' for sleep (on/off)";
      sleep = val == "on";
    } else {
      return "-icount: unknown option '" + key + "'";
    }
  }
  if (!shift_seen) return "-icount needs shift=N or shift=auto";
  return {};
}

// QEMU's -rtc: base= sets where the guest's clock starts (RTAS get-time-of-day
// reads the host's wall clock plus the offset); lpar's clock is the host's.
static std::string parse_rtc(const std::string& spec, int64_t& offset_ns) {
  const int64_t now_s = int64_t(std::time(nullptr));
  for (const auto& [key, val] : split_opts(spec)) {
    if (key == "base") {
      if (val == "utc") {
        offset_ns = 0;
      } else if (val == "localtime") {
        const time_t t = time_t(now_s);
        tm lt{};
        if (!localtime_r(&t, &lt)) return "-rtc: cannot read the local time zone";
        offset_ns = int64_t(lt.tm_gmtoff) * 1000000000;
      } else {
        tm tm{};
        const char* end = strptime(val.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
        if (!end || *end) {
          tm = {};
          end = strptime(val.c_str(), "%Y-%m-%d", &tm);
        }
        if (!end || *end) return "-rtc: bad base '" + val + "' (utc, localtime, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)";
        offset_ns = (int64_t(timegm(&tm)) - now_s) * 1000000000;
      }
    } else if (key == "clock") {
      if (val != "host") return "-rtc: clock=" + val + " is not supported (lpar's time of day is the host's: clock=host)";
    } else if (key == "driftfix") {
      if (val != "none") return "-rtc: driftfix=" + val + " is not supported (none)";
    } else {
      return "-rtc: unknown option '" + key + "'";
    }
  }
  return {};
}

void add_pseries_options(po::options_description& desc) {
  desc.add_options()
      ("bios", po::value<std::string>(), "firmware image (pseries: SLOF, the default; see docs/pseries.md)")
      ("drive", po::value<std::vector<std::string>>()->composing(),
       "file=IMG,if=virtio|none,format=raw[,id=D][,readonly=on]: a virtio-blk disk (pseries)")
      ("netdev", po::value<std::vector<std::string>>()->composing(),
       "user,id=N[,hostfwd=tcp:[HADDR]:HPORT-:GPORT][,restrict=on]: user-mode network (libslirp)")
      ("device", po::value<std::vector<std::string>>()->composing(),
       "virtio-net-pci,netdev=N[,mac=M] or virtio-blk-pci,drive=D")
      ("nic", po::value<std::vector<std::string>>()->composing(),
       "user[,model=virtio-net-pci][,mac=M][,hostfwd=..]: -netdev user and its virtio-net-pci in one, or none")
      ("smp", po::value<std::string>(),
       "[cpus=]N[,sockets=S][,cores=C][,threads=1][,maxcpus=N]: vCPUs, one thread per core (pseries: 1 to 64)")
      ("no-reboot", "exit instead of rebooting")
      ("serial", po::value<std::string>(), "serial device: stdio (default with -nographic) or none")
      ("d", po::value<std::string>(), "log subsystems: hcall,rtas,int,mmu,unimp,vof,hv,code (comma-separated)")
      ("D", po::value<std::string>(), "write the log to FILE instead of stderr")
      ("expect", po::value<std::vector<std::string>>()->composing(),
       "fail unless TEXT appears on the console (repeatable)")
      ("kvm-rma-size", po::value<std::string>(), "size of each boot-time RMA (PPC970 guests), e.g. 128M")
      ("kvm-rma-count", po::value<unsigned>(), "number of boot-time RMAs (PPC970 guests)")
      ("icount", po::value<std::string>(),
       "shift=N|auto[,sleep=on|off]: N: the Time Base counts instructions (deterministic runs); auto: host clock (default)")
      ("rtc", po::value<std::string>(),
       "base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=host][,driftfix=none]: the guest's time of day (RTAS)")
      ("kvm-logical-ci", po::value<std::string>(),
       "on (default): the hypervisor serves H_LOGICAL_CI_LOAD/STORE on its IO bus; off: the machine does");
}

int run_pseries(const std::string& spec, const po::variables_map& vm) {
  papr::SpaprOptions o;
  const auto parts = split(spec, ',');
  for (size_t k = 1; k < parts.size(); ++k) {
    const std::string& p = parts[k];
    const auto eq = p.find('=');
    const std::string key = p.substr(0, eq), val = eq == std::string::npos ? "" : p.substr(eq + 1);
    if (key == "vof" || key == "x-vof") {
      if (val != "on" && val != "off") return fail("bad value '" + val + "' for vof (on/off)");
      o.vof = val == "on";
    } else if (key == "resize-hpt") {
      if (val != "enabled" && val != "disabled") return fail("bad value '" + val + "' for resize-hpt (enabled/disabled)");
      o.resize_hpt = val == "enabled";
    } else if (key == "dumpdtb") {
      if (val.empty()) return fail("dumpdtb needs a file name");
      o.dumpdtb = val;
    } else {
      return fail("unknown pseries property '" + key + "'");
    }
  }
  if (vm.count("cpu") && !machine::parse_model(vm["cpu"].as<std::string>(), o.model))
    return fail("unknown CPU model '" + vm["cpu"].as<std::string>() + "' (POWER7, POWER8, POWER9, 970)");
  if (vm.count("m")) {
    o.ram_size = machine::parse_size(vm["m"].as<std::string>());
    if (!o.ram_size) return fail("bad RAM size '" + vm["m"].as<std::string>() + "'");
    // Memory slots are whole pages (api.rst 4.35 KVM_SET_USER_MEMORY_REGION).
    if (o.ram_size % PAGE_SIZE)
      return fail("RAM size '" + vm["m"].as<std::string>() + "' is not a multiple of 4K");
  }
  if (vm.count("smp"))
    if (std::string e = parse_smp(vm["smp"].as<std::string>(), o.smp); !e.empty()) return fail(e);
  if (vm.count("kernel")) o.kernel = vm["kernel"].as<std::string>();
  if (vm.count("initrd")) o.initrd = vm["initrd"].as<std::string>();
  if (vm.count("append")) o.append = vm["append"].as<std::string>();
  {
    DeviceOptions dev;
    using Adder = std::string (DeviceOptions::*)(const std::string&);
    const std::pair<const char*, Adder> kinds[] = {{"drive", &DeviceOptions::add_drive},
                                                   {"netdev", &DeviceOptions::add_netdev},
                                                   {"nic", &DeviceOptions::add_nic},
                                                   {"device", &DeviceOptions::add_device}};
    for (const auto& [name, add] : kinds)
      if (vm.count(name))
        for (const std::string& spec : vm[name].as<std::vector<std::string>>())
          if (std::string e = (dev.*add)(spec); !e.empty()) return fail(e);
    std::string err;
    PciPlan plan = dev.resolve(&err);
    if (!err.empty()) return fail(err);
    o.realtime_idle = !plan.nics.empty();  // the network's peers live in real time
    if (!plan.empty()) o.pci = pseries_pci(std::move(plan));
  }
  bool icount_sleep = false;
  if (vm.count("icount"))
    if (std::string e = parse_icount(vm["icount"].as<std::string>(), o.icount, icount_sleep); !e.empty())
      return fail(e);
  // A host-clock guest sleeps through idle time; so does -icount ...,sleep=on.
  if (!o.icount || icount_sleep) o.realtime_idle = true;
  lpar::jit::Options jit = lpar::jit::options_from_env();
  if (vm.count("jit") && !lpar::jit::parse_switch(vm["jit"].as<std::string>(), jit.enabled))
    return fail("--jit takes on or off");
  if (jit.enabled) o.setup_interpreter = [jit](Interpreter& i) { lpar::jit::apply(i, jit); };
  if (vm.count("bios")) o.bios = vm["bios"].as<std::string>();
  o.no_reboot = vm.count("no-reboot") != 0;
  if (vm.count("serial")) {
    const std::string s = vm["serial"].as<std::string>();
    if (s == "none") o.console_stdin = false;
    else if (s == "mon:stdio") return fail("-serial mon:stdio: lpar has no monitor to multiplex (use -serial stdio)");
    else if (s != "stdio") return fail("unsupported -serial '" + s + "' (stdio or none)");
  }
  if (vm.count("kvm-rma-size")) {
    o.rma_size = machine::parse_size(vm["kvm-rma-size"].as<std::string>());
    if (!o.rma_size) return fail("bad --kvm-rma-size '" + vm["kvm-rma-size"].as<std::string>() + "'");
  }
  if (vm.count("rtc"))
    if (std::string e = parse_rtc(vm["rtc"].as<std::string>(), o.rtc_offset_ns); !e.empty()) return fail(e);
  // Under -icount the time of day runs with the guest's clock from a start
  // that is the same every run unless -rtc says otherwise.
  o.rtc_start_ns = vm.count("rtc") ? int64_t(std::time(nullptr)) * 1000000000 + o.rtc_offset_ns
                                   : papr::ICOUNT_RTC_START_NS;
  if (vm.count("kvm-rma-count")) o.rma_count = vm["kvm-rma-count"].as<unsigned>();
  if (vm.count("kvm-logical-ci")) {
    const std::string v = vm["kvm-logical-ci"].as<std::string>();
    if (v != "on" && v != "off") return fail("bad value '" + v + "' for --kvm-logical-ci (on/off)");
    o.logical_ci_in_hv = v == "on";
  }
  double timeout = 0;
  if (vm.count("timeout")) {
    timeout = vm["timeout"].as<double>();
    if (!(timeout > 0)) return fail("bad --timeout value");
  }
  std::vector<std::string> expect;
  if (vm.count("expect")) expect = vm["expect"].as<std::vector<std::string>>();

  // Logging: -D FILE, -d items (QEMU's spelling of both).
  if (vm.count("D")) {
    // QEMU opens the file it is given and makes no directories; spdlog would.
    const std::filesystem::path log = vm["D"].as<std::string>();
    std::error_code ec;
    const std::filesystem::path dir = log.has_parent_path() ? log.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(dir, ec))
      return fail("cannot open log file '" + log.string() + "': " + std::strerror(ENOENT));
    try {
      spdlog::set_default_logger(spdlog::basic_logger_mt("lpar", vm["D"].as<std::string>(), true));
    } catch (const std::exception& e) {
      return fail("cannot open log file '" + vm["D"].as<std::string>() + "'");
    }
  } else {
    spdlog::set_default_logger(spdlog::stderr_logger_mt("lpar"));
  }
  if (vm.count("d")) {
    for (const std::string& item : split(vm["d"].as<std::string>(), ',')) {
      bool known = false;
      for (const char* k : LOG_ITEMS) known |= item == k;
      if (!known) return fail("unknown log item '" + item + "' (hcall,rtas,int,mmu,unimp,vof,hv,code)");
      papr::subsystem_logger(item.c_str())->set_level(spdlog::level::debug);
    }
  }

  static volatile std::sig_atomic_t terminate = 0;
  struct sigaction sa{};
  sa.sa_handler = [](int sig) { terminate = sig; };
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  o.terminate = &terminate;
  papr::SpaprMachine m;
  if (std::string err = m.init(o); !err.empty()) return fail(err);
  if (m.done()) return 0;
  const papr::SpaprResult r = m.run(timeout, expect);
  if (r.status != 0 && !r.reason.empty()) fail(r.reason, r.status);
  if (terminate) std::fprintf(stderr, "lpar: %s\n", r.reason.c_str());
  return r.status;
}

}  // namespace lpar::cli
