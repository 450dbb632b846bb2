// lpar: the full-system emulator front end.  The machines arrive with later
// work (issues 3 and 6); until then it parses the QEMU-style command line and
// says plainly that no machine can run yet.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>

namespace po = boost::program_options;

int main(int argc, char** argv) {
  po::options_description desc("lpar options");
  desc.add_options()
      ("help,h", "show this help")
      ("M", po::value<std::string>(), "machine (pseries, bare)")
      ("kernel", po::value<std::string>(), "kernel image")
      ("initrd", po::value<std::string>(), "initial ramdisk")
      ("append", po::value<std::string>(), "kernel command line")
      ("m", po::value<std::string>(), "RAM size")
      ("cpu", po::value<std::string>(), "CPU model")
      ("nographic", "console on stdio");
  po::variables_map vm;
  try {
    auto style = po::command_line_style::default_style | po::command_line_style::allow_long_disguise;
    po::store(po::parse_command_line(argc, argv, desc, style), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lpar: %s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  std::fprintf(stderr, "lpar: no full-system machine is available yet; use lpar-user for Linux programs\n");
  return 1;
}
