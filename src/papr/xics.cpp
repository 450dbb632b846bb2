#include "papr/xics.h"

#include "hv/papr.h"

namespace lpar::papr {

namespace {
constexpr uint32_t XISR_MASK = 0x00FFFFFF;
constexpr uint32_t CPPR_MASK = 0xFF000000;
}  // namespace

Xics::Xics(uint32_t nr_servers, uint32_t irq_base, uint32_t nr_irqs)
    : base_(irq_base), icp_(nr_servers), src_(nr_irqs), line_(new std::atomic<bool>[nr_servers]) {
  for (uint32_t i = 0; i < nr_servers; i++) line_[i].store(false);
}

void Xics::reset() {
  std::lock_guard<std::mutex> g(mu_);
  for (uint32_t i = 0; i < icp_.size(); i++) {
    icp_[i] = Icp{};
    set_line(i, false);
  }
  for (auto& s : src_) {
    bool lsi = s.lsi;
    s = Source{};
    s.lsi = lsi;
  }
}

void Xics::set_line(uint32_t server, bool v) {
  if (line_[server].exchange(v, std::memory_order_acq_rel) != v && notify_) notify_(server, v);
}

// An interrupt of the given priority arrives at a server: it replaces a less
// favoured pending one (which goes back to its source), or is itself rejected
// (LoPAPR chapter 6, the presentation layer).
void Xics::present(uint32_t server, uint32_t irq, uint8_t priority) {
  if (server >= icp_.size()) {
    reject(irq);
    return;
  }
  Icp& p = icp_[server];
  if (priority >= cppr_of(p) || (xisr_of(p) && p.pending_priority <= priority)) {
    reject(irq);
    return;
  }
  if (xisr_of(p)) reject(xisr_of(p));
  p.xirr = (p.xirr & CPPR_MASK) | (irq & XISR_MASK);
  p.pending_priority = priority;
  set_line(server, true);
}

void Xics::check_ipi(uint32_t server) {
  Icp& p = icp_[server];
  if (xisr_of(p) && p.pending_priority <= p.mfrr) return;
  if (xisr_of(p)) reject(xisr_of(p));
  p.xirr = (p.xirr & CPPR_MASK) | XICS_IPI;
  p.pending_priority = p.mfrr;
  set_line(server, true);
}

void Xics::resend(uint32_t server) {
  if (icp_[server].mfrr < cppr_of(icp_[server])) check_ipi(server);
  resend_sources();
}

void Xics::resend_lsi(Source& s, uint32_t irq) {
  if (s.priority != XICS_PRIO_MASKED && s.asserted && !s.sent) {
    s.sent = true;
    present(s.server, irq, s.priority);
  }
}

void Xics::resend_sources() {
  for (uint32_t i = 0; i < src_.size(); i++) {
    Source& s = src_[i];
    if (s.lsi) {
      resend_lsi(s, base_ + i);
    } else if (s.rejected) {
      s.rejected = false;
      if (s.priority != XICS_PRIO_MASKED) present(s.server, base_ + i, s.priority);
    }
  }
}

void Xics::reject(uint32_t irq) {
  if (!valid_irq(irq)) return;  // the IPI: MFRR still holds it
  Source& s = src_[irq - base_];
  s.rejected = !s.lsi;
  s.sent = false;
}

void Xics::write_xive(uint32_t irq, uint32_t server, uint8_t priority, uint8_t saved) {
  Source& s = src_[irq - base_];
  s.server = server;
  s.priority = priority;
  s.saved_priority = saved;
  if (s.lsi) {
    resend_lsi(s, irq);
  } else if (s.masked_pending && priority != XICS_PRIO_MASKED) {
    s.masked_pending = false;
    present(server, irq, priority);
  }
}

void Xics::set_lsi(uint32_t irq, bool lsi) {
  std::lock_guard<std::mutex> g(mu_);
  if (valid_irq(irq)) src_[irq - base_].lsi = lsi;
}

void Xics::set_level(uint32_t irq, bool level) {
  std::lock_guard<std::mutex> g(mu_);
  if (!valid_irq(irq)) return;
  Source& s = src_[irq - base_];
  if (s.lsi) {
    s.asserted = level;
    resend_lsi(s, irq);
  } else if (level) {
    if (s.priority == XICS_PRIO_MASKED)
      s.masked_pending = true;
    else
      present(s.server, irq, s.priority);
  }
}

long Xics::h_cppr(uint32_t server, uint64_t cppr_arg) {
  std::lock_guard<std::mutex> g(mu_);
  if (server >= icp_.size()) return hv::H_HARDWARE;
  Icp& p = icp_[server];
  uint8_t cppr = uint8_t(cppr_arg);
  uint8_t old = cppr_of(p);
  p.xirr = (p.xirr & XISR_MASK) | uint32_t(cppr) << 24;
  if (cppr < old) {
    // More favoured: a pending interrupt no longer above the CPPR goes back.
    if (xisr_of(p) && cppr <= p.pending_priority) {
      uint32_t old_xisr = xisr_of(p);
      p.xirr &= CPPR_MASK;
      p.pending_priority = XICS_PRIO_MASKED;
      set_line(server, false);
      reject(old_xisr);
    }
  } else if (!xisr_of(p)) {
    resend(server);
  }
  return hv::H_SUCCESS;
}

long Xics::h_eoi(uint32_t server, uint64_t xirr) {
  std::lock_guard<std::mutex> g(mu_);
  if (server >= icp_.size()) return hv::H_HARDWARE;
  Icp& p = icp_[server];
  // The CPPR is restored from the XIRR the guest accepted (LoPAPR chapter 6, EOI).
  p.xirr = (p.xirr & XISR_MASK) | (uint32_t(xirr) & CPPR_MASK);
  uint32_t irq = uint32_t(xirr) & XISR_MASK;
  if (valid_irq(irq) && src_[irq - base_].lsi) src_[irq - base_].sent = false;
  if (!xisr_of(p)) resend(server);
  return hv::H_SUCCESS;
}

long Xics::h_ipi(uint32_t server, uint64_t target, uint64_t mfrr) {
  std::lock_guard<std::mutex> g(mu_);
  if (target >= icp_.size()) return hv::H_PARAMETER;
  Icp& p = icp_[target];
  p.mfrr = uint8_t(mfrr);
  if (p.mfrr < cppr_of(p)) check_ipi(uint32_t(target));
  return hv::H_SUCCESS;
}

long Xics::h_ipoll(uint32_t server, uint64_t target, uint64_t& xirr, uint64_t& mfrr) {
  std::lock_guard<std::mutex> g(mu_);
  if (target >= icp_.size()) return hv::H_PARAMETER;
  xirr = icp_[target].xirr;
  mfrr = icp_[target].mfrr;
  return hv::H_SUCCESS;
}

long Xics::h_xirr(uint32_t server, uint64_t& xirr) {
  std::lock_guard<std::mutex> g(mu_);
  if (server >= icp_.size()) return hv::H_HARDWARE;
  Icp& p = icp_[server];
  // Accept: the CPPR takes the accepted interrupt's priority, XISR empties.
  xirr = p.xirr;
  set_line(server, false);
  p.xirr = uint32_t(p.pending_priority) << 24;
  p.pending_priority = XICS_PRIO_MASKED;
  return hv::H_SUCCESS;
}

int Xics::set_xive(uint64_t irq, uint64_t server, uint64_t priority) {
  std::lock_guard<std::mutex> g(mu_);
  if (!valid_irq(irq) || !valid_server(server) || priority > 0xFF) return XICS_RTAS_PARAM_ERROR;
  write_xive(uint32_t(irq), uint32_t(server), uint8_t(priority), uint8_t(priority));
  return XICS_RTAS_SUCCESS;
}

int Xics::get_xive(uint64_t irq, uint32_t& server, uint32_t& priority) {
  std::lock_guard<std::mutex> g(mu_);
  if (!valid_irq(irq)) return XICS_RTAS_PARAM_ERROR;
  const Source& s = src_[irq - base_];
  server = s.server;
  priority = s.priority;
  return XICS_RTAS_SUCCESS;
}

int Xics::int_off(uint64_t irq) {
  std::lock_guard<std::mutex> g(mu_);
  if (!valid_irq(irq)) return XICS_RTAS_PARAM_ERROR;
  const Source& s = src_[irq - base_];
  write_xive(uint32_t(irq), s.server, XICS_PRIO_MASKED, s.priority);
  return XICS_RTAS_SUCCESS;
}

int Xics::int_on(uint64_t irq) {
  std::lock_guard<std::mutex> g(mu_);
  if (!valid_irq(irq)) return XICS_RTAS_PARAM_ERROR;
  const Source& s = src_[irq - base_];
  write_xive(uint32_t(irq), s.server, s.saved_priority, s.saved_priority);
  return XICS_RTAS_SUCCESS;
}

uint32_t Xics::xirr(uint32_t server) {
  std::lock_guard<std::mutex> g(mu_);
  return server < icp_.size() ? icp_[server].xirr : 0;
}

uint8_t Xics::mfrr(uint32_t server) {
  std::lock_guard<std::mutex> g(mu_);
  return server < icp_.size() ? icp_[server].mfrr : XICS_PRIO_MASKED;
}

}  // namespace lpar::papr
