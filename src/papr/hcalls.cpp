#include "papr/hcalls.h"

#include "cpu/sem/common.h"
#include "hv/papr.h"
#include "papr/hcall_misc.h"
#include "papr/rtas.h"
#include "papr/tce.h"
#include "papr/vty.h"
#include "papr/xics.h"

namespace lpar::papr {

namespace {
// The PAPR range as QEMU sizes its table (up to H_WATCHDOG, 0x45C), and the
// platform-specific range through QEMU's nested-KVM calls (0xF80C).
constexpr uint64_t PAPR_MAX = 0x45C;
constexpr uint64_t PLATFORM_BASE = hv::KVMPPC_HCALL_BASE;
constexpr uint64_t PLATFORM_MAX = 0xF80C;
}  // namespace

HcallDispatcher::HcallDispatcher()
    : papr_(PAPR_MAX / 4 + 1), platform_(PLATFORM_MAX - PLATFORM_BASE + 1), log_(subsystem_logger("hcall")) {}

HcallDispatcher::Handler* HcallDispatcher::slot(uint64_t nr) {
  if (nr <= PAPR_MAX) return nr % 4 ? nullptr : &papr_[nr / 4];
  if (nr >= PLATFORM_BASE && nr <= PLATFORM_MAX) return &platform_[nr - PLATFORM_BASE];
  return nullptr;
}

bool HcallDispatcher::register_hcall(uint64_t nr, Handler h) {
  Handler* s = slot(nr);
  if (!s) return false;
  *s = std::move(h);
  return true;
}

bool HcallDispatcher::has_handler(uint64_t nr) const {
  return const_cast<HcallDispatcher*>(this)->slot(nr) && *const_cast<HcallDispatcher*>(this)->slot(nr);
}

long HcallDispatcher::dispatch(HcallContext& ctx, uint64_t nr, uint64_t args[9]) {
  // sc 1 from problem state (LoPAPR chapter 14, the hypervisor call interface).
  if (ctx.state && (ctx.state->msr & sem::MSR_PR)) return hv::H_PRIVILEGE;
  Handler* h = slot(nr);
  if (!h || !*h) {
    if (unknown_.first(nr))
      log_->info("unimplemented hcall 0x{:x} (r4=0x{:x} r5=0x{:x} r6=0x{:x}) from cpu {}", nr, args[0], args[1],
                 args[2], ctx.cpu);
    return hv::H_FUNCTION;
  }
  return (*h)(ctx, args);
}

HcallResult HcallDispatcher::dispatch(HcallContext& ctx, const HcallExit& e) {
  HcallResult r;
  r.args = e.args;
  r.ret = dispatch(ctx, e.nr, r.args.data());
  return r;
}

void HcallDispatcher::register_services(const Services& s) {
  using namespace hv;
  if (Vty* v = s.vty) {
    register_hcall(H_PUT_TERM_CHAR, [v](HcallContext&, uint64_t a[9]) {
      return v->h_put_term_char(a[0], a[1], a[2], a[3]);
    });
    register_hcall(H_GET_TERM_CHAR, [v](HcallContext&, uint64_t a[9]) {
      uint64_t out[3];
      long rc = v->h_get_term_char(a[0], out);
      if (rc == H_SUCCESS) a[0] = out[0], a[1] = out[1], a[2] = out[2];
      return rc;
    });
  }
  if (Xics* x = s.xics) {
    register_hcall(H_CPPR, [x](HcallContext& c, uint64_t a[9]) { return x->h_cppr(c.cpu, a[0]); });
    register_hcall(H_EOI, [x](HcallContext& c, uint64_t a[9]) { return x->h_eoi(c.cpu, a[0]); });
    register_hcall(H_IPI, [x](HcallContext& c, uint64_t a[9]) { return x->h_ipi(c.cpu, a[0], a[1]); });
    register_hcall(H_IPOLL, [x](HcallContext& c, uint64_t a[9]) {
      uint64_t xirr, mfrr;
      long rc = x->h_ipoll(c.cpu, a[0], xirr, mfrr);
      if (rc == H_SUCCESS) a[0] = xirr, a[1] = mfrr;
      return rc;
    });
    register_hcall(H_XIRR, [x](HcallContext& c, uint64_t a[9]) {
      uint64_t xirr;
      long rc = x->h_xirr(c.cpu, xirr);
      if (rc == H_SUCCESS) a[0] = xirr;
      return rc;
    });
    // H_XIRR_X: the accepted XIRR and the Time Base at acceptance.
    register_hcall(H_XIRR_X, [x](HcallContext& c, uint64_t a[9]) {
      uint64_t xirr;
      long rc = x->h_xirr(c.cpu, xirr);
      if (rc == H_SUCCESS) a[0] = xirr, a[1] = c.timebase;
      return rc;
    });
  }
  if (TceTables* t = s.tce) {
    register_hcall(H_PUT_TCE, [t](HcallContext&, uint64_t a[9]) { return t->h_put_tce(a[0], a[1], a[2]); });
    register_hcall(H_GET_TCE, [t](HcallContext&, uint64_t a[9]) {
      uint64_t tce;
      long rc = t->h_get_tce(a[0], a[1], tce);
      if (rc == H_SUCCESS) a[0] = tce;
      return rc;
    });
    register_hcall(H_STUFF_TCE,
                   [t](HcallContext&, uint64_t a[9]) { return t->h_stuff_tce(a[0], a[1], a[2], a[3]); });
    register_hcall(H_PUT_TCE_INDIRECT,
                   [t](HcallContext&, uint64_t a[9]) { return t->h_put_tce_indirect(a[0], a[1], a[2], a[3]); });
  }
  if (Rtas* r = s.rtas) {
    register_hcall(KVMPPC_H_RTAS, [r](HcallContext& c, uint64_t a[9]) { return r->h_rtas(c.cpu, a[0]); });
  }
  if (HcallMisc* m = s.misc) {
    register_hcall(H_SET_SPRG0, [m](HcallContext& c, uint64_t a[9]) {
      return c.state ? m->h_set_sprg0(*c.state, a[0]) : H_HARDWARE;
    });
    register_hcall(H_PAGE_INIT, [m](HcallContext&, uint64_t a[9]) { return m->h_page_init(a[0], a[1], a[2]); });
    register_hcall(H_SET_DABR, [m](HcallContext& c, uint64_t a[9]) { return m->h_set_dabr(c.cpu, a[0]); });
    register_hcall(H_SET_XDABR,
                   [m](HcallContext& c, uint64_t a[9]) { return m->h_set_xdabr(c.cpu, a[0], a[1]); });
    register_hcall(H_GET_CPU_CHARACTERISTICS, [m](HcallContext&, uint64_t a[9]) {
      uint64_t out[2];
      long rc = m->h_get_cpu_characteristics(out);
      a[0] = out[0], a[1] = out[1];
      return rc;
    });
    register_hcall(H_HOME_NODE_ASSOCIATIVITY, [m](HcallContext&, uint64_t a[9]) {
      uint64_t out[6];
      long rc = m->h_home_node_associativity(a[0], a[1], out);
      if (rc == H_SUCCESS)
        for (int i = 0; i < 6; i++) a[i] = out[i];
      return rc;
    });
    register_hcall(H_RANDOM, [m](HcallContext&, uint64_t a[9]) {
      uint64_t v;
      long rc = m->h_random(v);
      if (rc == H_SUCCESS) a[0] = v;
      return rc;
    });
    register_hcall(H_SET_MODE,
                   [m](HcallContext&, uint64_t a[9]) { return m->h_set_mode(a[0], a[1], a[2], a[3]); });
    auto load = [m](HcallContext&, uint64_t a[9]) {
      uint64_t v;
      long rc = m->h_logical_load(a[0], a[1], v);
      if (rc == H_SUCCESS) a[0] = v;
      return rc;
    };
    auto store = [m](HcallContext&, uint64_t a[9]) { return m->h_logical_store(a[0], a[1], a[2]); };
    register_hcall(H_LOGICAL_CI_LOAD, load);
    register_hcall(H_LOGICAL_CACHE_LOAD, load);
    register_hcall(H_LOGICAL_CI_STORE, store);
    register_hcall(H_LOGICAL_CACHE_STORE, store);
    // No caches to keep coherent with a debugger's view.
    register_hcall(H_LOGICAL_ICBI, [](HcallContext&, uint64_t*) { return H_SUCCESS; });
    register_hcall(H_LOGICAL_DCBF, [](HcallContext&, uint64_t*) { return H_SUCCESS; });
  }
}

}  // namespace lpar::papr
