// XICS, the sPAPR interrupt controller as a PAPR guest drives it (LoPAPR 1.1
// chapter 6 "Interrupt Controller"; the interrupt-support hcalls of chapter
// 14 and the interrupt-handling RTAS calls of chapter 7):
//  * the presentation layer, one ICP per interrupt server (a vCPU): XIRR =
//    CPPR (bits 0:7) | XISR (bits 8:31), MFRR (the IPI's priority, 0xFF = no
//    IPI) and the priority of the interrupt in XISR;
//  * the source layer, one ICS of nr_irqs sources numbered from irq_base, each
//    with a server, a priority (0xFF = masked), the priority int-off saved,
//    and whether it is level (LSI) or message (MSI) signalled;
//  * the IPI of each server, XISR 2.
// Lower priority numbers are more favoured; an interrupt is presented only if
// more favoured than the CPPR and than what is already pending.
//
// Thread-safe: vCPU threads (hcalls, RTAS) and device threads (raise/lower)
// share one lock.  external_pending() is lock-free for the run loop.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace lpar::papr {

inline constexpr uint32_t XICS_IPI = 2;             // XISR of an inter-processor interrupt
inline constexpr uint32_t XICS_IRQ_BASE = 0x1000;   // first source number, as QEMU's spapr
inline constexpr uint32_t XICS_NR_IRQS = 0x1000;
inline constexpr uint8_t XICS_PRIO_MASKED = 0xFF;

// RTAS status codes the source calls return (LoPAPR chapter 7, RTAS call return status).
inline constexpr int XICS_RTAS_SUCCESS = 0;
inline constexpr int XICS_RTAS_PARAM_ERROR = -3;

class Xics {
 public:
  // Servers are numbered 0..nr_servers-1 (the vCPU ids).
  explicit Xics(uint32_t nr_servers, uint32_t irq_base = XICS_IRQ_BASE, uint32_t nr_irqs = XICS_NR_IRQS);

  uint32_t nr_servers() const { return uint32_t(icp_.size()); }
  uint32_t irq_base() const { return base_; }
  uint32_t nr_irqs() const { return uint32_t(src_.size()); }
  bool valid_server(uint64_t server) const { return server < icp_.size(); }
  bool valid_irq(uint64_t irq) const { return irq >= base_ && irq - base_ < src_.size(); }

  // --- Machine side.
  // Called (with the XICS lock held: it must not call back into Xics) when a
  // server's external-interrupt output changes; e.g. to wake a ceded vCPU.
  void set_notify(std::function<void(uint32_t server, bool asserted)> fn) { notify_ = std::move(fn); }
  // The server's external exception line (an interrupt sits in its XISR).
  bool external_pending(uint32_t server) const {
    return server < icp_.size() && line_[server].load(std::memory_order_acquire);
  }
  // Back to the power-on state (all masked, no IPI, CPPR 0); LSI flags kept.
  void reset();

  // --- Device side.  Sources are message-signalled unless set level.
  void set_lsi(uint32_t irq, bool lsi);
  // MSI: raise() presents one interrupt (an edge), lower() does nothing.
  // LSI: the level; the interrupt is presented while asserted and re-presented
  // after each EOI while still asserted.
  void raise(uint32_t irq) { set_level(irq, true); }
  void lower(uint32_t irq) { set_level(irq, false); }
  void set_level(uint32_t irq, bool level);

  // --- Hcalls of the calling server (LoPAPR chapter 14, interrupt support hcalls); return H_* codes.
  long h_cppr(uint32_t server, uint64_t cppr);
  long h_eoi(uint32_t server, uint64_t xirr);
  long h_ipi(uint32_t server, uint64_t target, uint64_t mfrr);
  long h_ipoll(uint32_t server, uint64_t target, uint64_t& xirr, uint64_t& mfrr);
  // H_XIRR and H_XIRR_X: accept the pending interrupt (the caller adds the
  // timebase for H_XIRR_X).
  long h_xirr(uint32_t server, uint64_t& xirr);

  // --- RTAS source calls (LoPAPR chapter 7, interrupt handling); return RTAS status codes.
  int set_xive(uint64_t irq, uint64_t server, uint64_t priority);
  int get_xive(uint64_t irq, uint32_t& server, uint32_t& priority);
  int int_off(uint64_t irq);
  int int_on(uint64_t irq);

  // Inspection (tests, debugging).
  uint32_t xirr(uint32_t server);
  uint8_t mfrr(uint32_t server);

 private:
  struct Icp {
    uint32_t xirr = 0;
    uint8_t pending_priority = XICS_PRIO_MASKED;
    uint8_t mfrr = XICS_PRIO_MASKED;
  };
  struct Source {
    uint32_t server = 0;
    uint8_t priority = XICS_PRIO_MASKED;
    uint8_t saved_priority = XICS_PRIO_MASKED;
    bool lsi = false;
    bool asserted = false;        // LSI: the level
    bool sent = false;            // LSI: presented, not yet EOI'd or rejected
    bool rejected = false;        // MSI: bounced by an ICP, to resend
    bool masked_pending = false;  // MSI: arrived while masked
  };

  static uint8_t cppr_of(const Icp& p) { return uint8_t(p.xirr >> 24); }
  static uint32_t xisr_of(const Icp& p) { return p.xirr & 0xFFFFFF; }
  void set_line(uint32_t server, bool v);
  void present(uint32_t server, uint32_t irq, uint8_t priority);
  void check_ipi(uint32_t server);
  void resend(uint32_t server);
  void resend_sources();
  void resend_lsi(Source& s, uint32_t irq);
  void reject(uint32_t irq);
  void write_xive(uint32_t irq, uint32_t server, uint8_t priority, uint8_t saved);

  std::mutex mu_;
  uint32_t base_;
  std::vector<Icp> icp_;
  std::vector<Source> src_;
  std::unique_ptr<std::atomic<bool>[]> line_;
  std::function<void(uint32_t, bool)> notify_;
};

}  // namespace lpar::papr
