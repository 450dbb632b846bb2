// lpar: the full-system emulator front end.  QEMU-style options (-M, -m,
// -kernel, -cpu, single dash); the bare machine is described in
// docs/bare-machine.md.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "machine/bare.h"

namespace po = boost::program_options;

namespace {
int fail(const std::string& msg, int code = 1) {
  std::fprintf(stderr, "lpar: %s\n", msg.c_str());
  return code;
}
}  // namespace

int main(int argc, char** argv) {
  po::options_description desc("lpar options");
  desc.add_options()
      ("help,h", "show this help")
      ("M", po::value<std::string>(), "machine (bare; pseries later)")
      ("kernel", po::value<std::string>(), "kernel image (ELF)")
      ("initrd", po::value<std::string>(), "initial ramdisk")
      ("append", po::value<std::string>(), "kernel command line")
      ("m", po::value<std::string>(), "RAM size (e.g. 128M, 1G; a bare number is MiB)")
      ("cpu", po::value<std::string>(), "CPU model: POWER8 (default), POWER9, POWER7, 970")
      ("timeout", po::value<double>(), "stop after SECONDS of wall time (exit status 124)")
      ("nographic", "console on stdio");
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
  const std::string machine = vm.count("M") ? vm["M"].as<std::string>() : "";
  if (machine != "bare")
    return fail(machine.empty() ? "no machine given (use -M bare)" : "unknown machine '" + machine + "' (available: bare)");
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

  auto m = std::make_unique<lpar::machine::BareMachine>(model, ram);
  if (!m->error().empty()) return fail(m->error());
  if (std::string err = m->load_elf(vm["kernel"].as<std::string>()); !err.empty()) return fail(err);
  const int rc = m->run(timeout);
  std::fflush(stdout);
  if (rc == -2) return fail("timeout", 124);
  if (rc == -1) return fail(m->error(), 3);
  return rc;
}
