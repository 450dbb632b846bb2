// lpar: the full-system emulator front end.  QEMU-style options (-M, -m,
// -kernel, -cpu, -s, -gdb, -S, single dash); the bare machine is described in
// docs/bare-machine.md, the GDB stub in docs/gdb.md.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/option_machines.h"
#include "cli/pseries_cli.h"
#include "gdb/machine_server.h"
#include "jit/llvm_tier.h"
#include "machine/bare.h"

namespace po = boost::program_options;

namespace {
int fail(const std::string& msg, int code = 1) {
  std::fprintf(stderr, "lpar: %s\n", msg.c_str());
  return code;
}

}  // namespace

static int run(int argc, char** argv) {
  po::options_description desc("lpar options");
  desc.add_options()
      ("help,h", "show this help")
      ("M", po::value<std::string>(), "machine: pseries[,vof=on][,resize-hpt=enabled|disabled][,dumpdtb=FILE] or bare")
      ("machine", po::value<std::string>(), "the same as -M")
      ("display", po::value<std::string>(), "none (lpar has no display; accepted for QEMU command lines)")
      ("vga", po::value<std::string>(), "none (as -display)")
      ("kernel", po::value<std::string>(), "kernel image (ELF)")
      ("initrd", po::value<std::string>(), "initial ramdisk")
      ("append", po::value<std::string>(), "kernel command line")
      ("m", po::value<std::string>(), "RAM size (e.g. 128M, 1G; a bare number is MiB)")
      ("cpu", po::value<std::string>(), "CPU model: POWER8 (default), POWER9, POWER7, 970")
      ("timeout", po::value<double>(), "stop after SECONDS of wall time (exit status 124)")
      ("nographic", "console on stdio")
      ("gdb", po::value<std::string>(), "GDB stub on tcp::PORT or tcp:HOST:PORT (host 127.0.0.1 unless given)")
      ("s", "shorthand for -gdb tcp::1234")
      ("S", "do not start the CPU before a debugger connects and resumes it")
      ("jit", po::value<std::string>(), "LLVM tier for hot blocks: on or off (default off, or LPAR_JIT)");
  lpar::cli::add_pseries_options(desc);
  for (const auto& o : desc.options())
    if (lpar::cli::option_machines(o->long_name()).empty())
      return fail("internal error: option -" + o->long_name() + " has no entry in the option/machine table");
  po::variables_map vm;
  try {
    auto style = po::command_line_style::default_style | po::command_line_style::allow_long_disguise;
    po::store(po::parse_command_line(argc, argv, desc, style), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    return fail(e.what(), 2);
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (vm.count("M") && vm.count("machine")) return fail("give the machine once (-M or -machine)");
  for (const char* o : {"display", "vga"})
    if (vm.count(o) && vm[o].as<std::string>() != "none")
      return fail(std::string("-") + o + " '" + vm[o].as<std::string>() + "': lpar has no display (only none)");
  const std::string machine = vm.count("M") ? vm["M"].as<std::string>()
                              : vm.count("machine") ? vm["machine"].as<std::string>() : "";
  const bool pseries = machine == "pseries" || machine.starts_with("pseries,");
  if (!pseries && machine != "bare")
    return fail(machine.empty() ? "no machine given (use -M pseries or -M bare)" : "unknown machine '" + machine + "' (available: pseries, bare)");
  // Every option is declared for the machines it acts on (docs/pseries.md
  // lists them); given to another, it is an error rather than ignored.
  const char* mname = pseries ? "pseries" : "bare";
  for (const auto& [name, value] : vm)
    if (!value.defaulted() && !lpar::cli::option_on_machine(name, mname))
      return fail("-" + name + " is not available on -M " + mname + " (" + lpar::cli::option_machines(name) + " only)");
  if (pseries) return lpar::cli::run_pseries(machine, vm);
  if (!vm.count("kernel")) return fail("-M bare needs -kernel FILE.elf");

  lpar::isa::Model model = lpar::isa::POWER8;
  if (vm.count("cpu") && !lpar::machine::parse_model(vm["cpu"].as<std::string>(), model))
    return fail("unknown CPU model '" + vm["cpu"].as<std::string>() + "' (POWER7, POWER8, POWER9, 970)");
  lpar::u64 ram = 128ull << 20;
  if (vm.count("m")) {
    ram = lpar::machine::parse_size(vm["m"].as<std::string>());
    if (!ram) return fail("bad RAM size '" + vm["m"].as<std::string>() + "'");
    if (ram > lpar::machine::MAX_RAM) return fail("RAM size too large (at most 64G)");
    ram = (ram + lpar::PAGE_SIZE - 1) & lpar::PAGE_MASK;
  }
  double timeout = 0;
  if (vm.count("timeout")) {
    timeout = vm["timeout"].as<double>();
    if (!(timeout > 0)) return fail("bad --timeout value");
  }

  // QEMU's -s, -gdb DEV, -S (docs/gdb.md).
  std::optional<lpar::gdb::Endpoint> gdb_ep;
  if (vm.count("gdb")) {
    const std::string spec = vm["gdb"].as<std::string>();
    gdb_ep = spec.starts_with("tcp:") ? lpar::gdb::parse_endpoint(spec) : std::nullopt;
    if (!gdb_ep) return fail("bad -gdb device '" + spec + "' (tcp::PORT or tcp:HOST:PORT)");
  } else if (vm.count("s")) {
    gdb_ep = lpar::gdb::parse_endpoint("tcp::1234");
  }
  if (vm.count("S") && !gdb_ep) return fail("-S needs a debugger to wait for (-s or -gdb tcp::PORT)");

  lpar::jit::Options jit = lpar::jit::options_from_env();
  if (vm.count("jit") && !lpar::jit::parse_switch(vm["jit"].as<std::string>(), jit.enabled))
    return fail("--jit takes on or off");

  auto m = std::make_unique<lpar::machine::BareMachine>(model, ram);
  if (!m->error().empty()) return fail(m->error());
  lpar::jit::apply(m->interp, jit);
  if (std::string err = m->load_elf(vm["kernel"].as<std::string>()); !err.empty()) return fail(err);
  int rc;
  if (gdb_ep) {
    const auto r = lpar::gdb::run_machine_with_gdb(*m, *gdb_ep, vm.count("S") != 0, timeout);
    if (r.status == -3) return fail(r.error);
    if (r.killed) {
      std::fprintf(stderr, "lpar: terminated via gdb stub\n");
      return 0;  // as QEMU
    }
    rc = r.status;
  } else {
    rc = m->run(timeout);
  }
  std::fflush(stdout);
  if (rc == -2) return fail("timeout", 124);
  if (rc == -1) return fail(m->error(), 3);
  if (rc == 0 && vm.count("expect"))
    for (const std::string& want : vm["expect"].as<std::vector<std::string>>())
      if (m->console.find(want) == std::string::npos)
        return fail("expected console output not seen: \"" + want + "\"");
  return rc;
}

int main(int argc, char** argv) {
  // Nothing escapes as an abort: a failure no check foresaw is still one line.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return fail(std::string("internal error: ") + e.what());
  } catch (...) {
    return fail("internal error");
  }
}
