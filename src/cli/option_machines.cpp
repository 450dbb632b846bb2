#include "cli/option_machines.h"

#include <string_view>

namespace lpar::cli {

namespace {
enum : unsigned { PSERIES = 1, BARE = 2, ALL = PSERIES | BARE };
struct Entry {
  std::string_view option;
  unsigned machines;
};
// docs/pseries.md and docs/bare-machine.md describe each option.
constexpr Entry table[] = {
    {"help", ALL},        {"M", ALL},           {"machine", ALL},      {"display", ALL},
    {"vga", ALL},         {"kernel", ALL},      {"m", ALL},            {"cpu", ALL},
    {"timeout", ALL},     {"nographic", ALL},   {"jit", ALL},          {"expect", ALL},
    {"initrd", PSERIES},  {"append", PSERIES},  {"bios", PSERIES},     {"drive", PSERIES},
    {"netdev", PSERIES},  {"device", PSERIES},  {"nic", PSERIES},      {"smp", PSERIES},
    {"no-reboot", PSERIES}, {"serial", PSERIES}, {"d", PSERIES},       {"D", PSERIES},
    {"kvm-rma-size", PSERIES}, {"kvm-rma-count", PSERIES}, {"kvm-logical-ci", PSERIES}, {"rtc", PSERIES}, {"icount", PSERIES},
    // The GDB stub serves the bare machine so far (docs/gdb.md).
    {"gdb", BARE},        {"s", BARE},          {"S", BARE},
};
const Entry* find(const std::string& option) {
  for (const Entry& e : table)
    if (e.option == option) return &e;
  return nullptr;
}
}  // namespace

std::string option_machines(const std::string& option) {
  const Entry* e = find(option);
  if (!e) return {};
  std::string out;
  if (e->machines & PSERIES) out = "pseries";
  if (e->machines & BARE) out += out.empty() ? "bare" : ", bare";
  return out;
}

bool option_on_machine(const std::string& option, const std::string& machine) {
  const Entry* e = find(option);
  return e && (e->machines & (machine == "bare" ? BARE : PSERIES));
}

}  // namespace lpar::cli
