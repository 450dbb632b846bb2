// The machine side of hypervisor calls: what a vCPU's KVM_EXIT_PAPR_HCALL
// exit ({nr, args[9]} = R3, R4..R12; KVM api.rst 5. "KVM_EXIT_PAPR_HCALL")
// reaches once the hypervisor has handled its own (MMU, VPA, cede/prod).
// HcallDispatcher maps the number to a handler, as QEMU's spapr_hypercall
// does: the PAPR range 0..MAX_HCALL_OPCODE in steps of 4 and the
// platform-specific range from 0xF000.  A handler returns R3 and may rewrite
// args[], which go back to R4..R12 unchanged where it did not.  A number
// without a handler gives H_FUNCTION, logged once per number (logger "hcall").
//
// register_services() installs the calls of this directory's services:
// console, XICS, TCE, RTAS and the small ones of hcall_misc.h.  The machine
// adds the rest (client-architecture-support, VOF, HPT resize, ...) with
// register_hcall().
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "cpu/state.h"
#include "papr/papr_log.h"

namespace lpar::papr {

class Xics;
class Rtas;
class Vty;
class TceTables;
class HcallMisc;

// The vCPU making the call.
struct HcallContext {
  uint32_t cpu = 0;              // vCPU id = its XICS server number
  CpuState* state = nullptr;     // its registers (H_SET_SPRG0; MSR[PR] check)
  uint64_t timebase = 0;         // its Time Base now (H_XIRR_X)
};

struct HcallExit {
  uint64_t nr = 0;
  std::array<uint64_t, 9> args{};  // R4..R12
};
struct HcallResult {
  long ret = 0;                    // R3
  std::array<uint64_t, 9> args{};  // R4..R12 to write back
};

class HcallDispatcher {
 public:
  using Handler = std::function<long(HcallContext& ctx, uint64_t args[9])>;

  HcallDispatcher();

  // Replace or add the handler of nr; false if nr is in neither range or is
  // not a multiple of 4 in the PAPR range.
  bool register_hcall(uint64_t nr, Handler h);
  bool has_handler(uint64_t nr) const;

  struct Services {
    Xics* xics = nullptr;
    Rtas* rtas = nullptr;
    Vty* vty = nullptr;
    TceTables* tce = nullptr;
    HcallMisc* misc = nullptr;
  };
  // Handlers for every service given (null: its calls stay H_FUNCTION).
  void register_services(const Services& s);

  // Run the call: args in/out as kvm_run's papr_hcall.args; returns R3.
  // MSR[PR] = 1 gives H_PRIVILEGE (hcalls are for the supervisor).
  long dispatch(HcallContext& ctx, uint64_t nr, uint64_t args[9]);
  HcallResult dispatch(HcallContext& ctx, const HcallExit& e);

 private:
  Handler* slot(uint64_t nr);
  std::vector<Handler> papr_;      // index nr / 4
  std::vector<Handler> platform_;  // index nr - 0xF000
  LogOnce unknown_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace lpar::papr
