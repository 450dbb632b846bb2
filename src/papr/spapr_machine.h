// The sPAPR machine (-M pseries): a PAPR partition built on the embedded
// hypervisor (src/hv) the way QEMU's spapr is built on KVM: guest memory in
// memory slots, an HPT sized for RAM, the VRMA (POWER7+) or a pooled RMA
// (PPC970) for real mode, and the hcall/MMIO exits served here by the PAPR
// services (RTAS, XICS, console, VOF, TCE...).
#pragma once
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu/isa/table.h"
#include "cpu/interp.h"
#include "cpu/state.h"

namespace lpar::hv {
class IoBus;
}

namespace lpar::papr {

class GuestMemory;
class TceTables;
class Xics;

// A PCI host bridge served by the machine.  The machine sees it through this
// interface so that lpar_papr does not link the PCI and virtio libraries
// (they link it): src/cli/pseries_pci.cpp makes the SpaprPhb of
// src/pci/spapr_phb.h with its devices.  Calls come per RTAS call, MMIO exit
// or H_LOGICAL_CI_* hcall, never per guest instruction.
class SpaprPciHost {
 public:
  virtual ~SpaprPciHost() = default;
  // A PCI config-space RTAS call at this argument buffer?  Then served.
  virtual bool rtas_buffer(u64 args) = 0;
  // Accesses in the bridge's windows (values as hv/io_bus.h carries them);
  // false: not in a window.
  virtual bool mmio_read(u64 gpa, unsigned len, u64& value) = 0;
  virtual bool mmio_write(u64 gpa, unsigned len, u64 value) = 0;
  // Adds the bridge's node under the root of a read-write tree; < 0 on error.
  virtual int add_fdt_node(void* fdt) = 0;
  virtual std::vector<std::string> rtas_call_names() const = 0;
  // No firmware (vof=on): place the BARs and put the functions in the node.
  virtual void enumerate() {}
  // System reset (the guest's reboot): every function back to its power-on
  // state, the BARs placed again if enumerate() placed them.
  virtual void reset() {}
};

struct SpaprPciContext {
  GuestMemory& mem;
  TceTables& tce;
  Xics& xics;
  hv::IoBus& io_bus;
};
// Makes the bridge, or nullptr: with *err empty when there is nothing to plug
// (no PHB then), else the one-line reason.
using SpaprPciFactory = std::function<std::unique_ptr<SpaprPciHost>(SpaprPciContext& ctx, std::string* err)>;

// -icount without -rtc: the guest's time of day starts at 2000-01-01T00:00:00Z.
inline constexpr int64_t ICOUNT_RTC_START_NS = int64_t{946684800} * 1000000000;

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
  bool logical_ci_in_hv = true;   // --kvm-logical-ci: H_LOGICAL_CI_* in the hypervisor
  std::string nvram_file;
  SpaprPciFactory pci;             // the PCI host bridge, if any (see above)
  bool no_reboot = false;
  bool console_stdin = true;       // -nographic: stdin reaches H_GET_TERM_CHAR
  // An idle guest waits in real time for its next timer event or an
  // interrupt (devices fed from outside: networking).  Otherwise its clock
  // skips ahead over idle time, which costs no host time.
  bool realtime_idle = false;
  // -icount: the Time Base counts retired instructions (one tick each, a
  // nominal 512 MIPS thread), so a run is deterministic.  Otherwise (the
  // default) it follows the host's clock and idle time is slept: needs
  // realtime_idle.
  bool icount = false;
  // -rtc base=: the guest's time of day minus the host's at start, in ns.
  int64_t rtc_offset_ns = 0;
  // With icount: the time of day at power-on (ns since the epoch); it then
  // advances with the guest's Time Base, so a run is the same every time.
  int64_t rtc_start_ns = ICOUNT_RTC_START_NS;
  // Called with each vCPU's interpreter once it exists (the CLI gives it the
  // LLVM tier with --jit on; lpar_papr itself does not link LLVM).
  std::function<void(Interpreter&)> setup_interpreter;
  FILE* console = stdout;
  // Set (to the signal number) by the front end's SIGTERM/SIGINT handler:
  // the run ends at the next exit, and the machine's destructors flush and
  // close disk images, as QEMU's "terminating on signal".
  const volatile std::sig_atomic_t* terminate = nullptr;
};

// How a run ended.
// Exit status of a run the guest stopped making progress in (an interrupt
// that re-raises itself at its vector: hv::LPAR_EXIT_GUEST_HANG).
inline constexpr int GUEST_HANG_STATUS = 3;
// After a deadline or a signal, how long the vCPUs get to come back before
// the watchdog ends the process itself.
inline constexpr std::chrono::seconds WATCHDOG_GRACE{3};

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
  // timeout_s wall seconds (124).  A reboot (RTAS system-reboot) resets the
  // machine and boots again, or ends the run with 0 under no_reboot.
  // expect: every string must appear on the console, else status 1.
  SpaprResult run(double timeout_s, const std::vector<std::string>& expect);

  // Console output so far (for --expect and tests).
  const std::string& console_log() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> p_;
};

}  // namespace lpar::papr
