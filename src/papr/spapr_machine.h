// The sPAPR machine (-M pseries): a PAPR partition built on the embedded
// hypervisor (src/hv) the way QEMU's spapr is built on KVM: guest memory in
// memory slots, an HPT sized for RAM, the VRMA (POWER7+) or a pooled RMA
// (PPC970) for real mode, and the hcall/MMIO exits served here by the PAPR
// services (RTAS, XICS, console, VOF, TCE...).
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cpu/isa/table.h"
#include "cpu/state.h"

namespace lpar::papr {

struct SpaprOptions {
  isa::Model model = isa::POWER8;
  u64 ram_size = u64{1} << 30;
  unsigned smp = 1;
  std::string kernel, initrd, append, bios;
  bool vof = false;         // built-in Open Firmware client interface (no firmware image)
  bool resize_hpt = true;   // hcall-hpt-resize, H_RESIZE_HPT_*
  std::string dumpdtb;      // write the device tree here and stop
  u64 rma_size = u64{256} << 20;  // --kvm-rma-size (the pool, PPC970)
  unsigned rma_count = 1;         // --kvm-rma-count
  std::string nvram_file;
  bool no_reboot = false;
  bool console_stdin = true;       // -nographic: stdin reaches H_GET_TERM_CHAR
  FILE* console = stdout;
};

// How a run ended.
struct SpaprResult {
  int status = 0;       // lpar's exit status
  std::string reason;   // one line for the user when status != 0
};

class SpaprMachine {
 public:
  SpaprMachine();
  ~SpaprMachine();
  SpaprMachine(const SpaprMachine&) = delete;

  // Build the partition and load the guest.  Empty string, or a one-line error.
  std::string init(const SpaprOptions& opt);
  // True when init() did all that was asked (dumpdtb): nothing to run.
  bool done() const;

  // Run until power-off (0), os-term/panic/internal error (1), or
  // timeout_s wall seconds (124).  expect: every string must appear on the
  // console, else status 1.
  SpaprResult run(double timeout_s, const std::vector<std::string>& expect);

  // Console output so far (for --expect and tests).
  const std::string& console_log() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> p_;
};

}  // namespace lpar::papr
