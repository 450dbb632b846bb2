// MMIO: a guest load or store whose real address no memory slot backs
// (api.rst 5 KVM_EXIT_MMIO).  As KVM's kvmppc_emulate_loadstore, the
// faulting instruction is decoded (src/cpu/isa), the access served by the IO
// bus or handed to the machine, RA updated for the update forms, and a load's
// data placed in RT -- at once, or on the next run after an exit.
#include <cerrno>

#include "cpu/insn.h"
#include "cpu/memory.h"
#include "cpu/sem/common.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

namespace lpar::hv {

using isa::Op;

namespace {
struct LoadStore {
  bool store = false;
  unsigned len = 0;
  bool sign = false;     // algebraic load
  bool reverse = false;  // byte-reversed form
  bool update = false;
  enum { D, DS, X } form = D;
};

// The integer loads and stores (Book I 3.3.2-3.3.6).  false: not one of them
// (FP/vector/multiple/string/atomic forms are not emulated).
bool classify(Op op, LoadStore& l) {
  using F = decltype(LoadStore::D);
  auto set = [&](bool st, unsigned n, bool sg, bool rev, bool up, F f) {
    l = LoadStore{st, n, sg, rev, up, f};
    return true;
  };
  switch (op) {
    case Op::lbz: return set(false, 1, false, false, false, LoadStore::D);
    case Op::lbzu: return set(false, 1, false, false, true, LoadStore::D);
    case Op::lbzx: return set(false, 1, false, false, false, LoadStore::X);
    case Op::lbzux: return set(false, 1, false, false, true, LoadStore::X);
    case Op::lhz: return set(false, 2, false, false, false, LoadStore::D);
    case Op::lhzu: return set(false, 2, false, false, true, LoadStore::D);
    case Op::lhzx: return set(false, 2, false, false, false, LoadStore::X);
    case Op::lhzux: return set(false, 2, false, false, true, LoadStore::X);
    case Op::lha: return set(false, 2, true, false, false, LoadStore::D);
    case Op::lhau: return set(false, 2, true, false, true, LoadStore::D);
    case Op::lhax: return set(false, 2, true, false, false, LoadStore::X);
    case Op::lhaux: return set(false, 2, true, false, true, LoadStore::X);
    case Op::lwz: return set(false, 4, false, false, false, LoadStore::D);
    case Op::lwzu: return set(false, 4, false, false, true, LoadStore::D);
    case Op::lwzx: return set(false, 4, false, false, false, LoadStore::X);
    case Op::lwzux: return set(false, 4, false, false, true, LoadStore::X);
    case Op::lwa: return set(false, 4, true, false, false, LoadStore::DS);
    case Op::lwax: return set(false, 4, true, false, false, LoadStore::X);
    case Op::lwaux: return set(false, 4, true, false, true, LoadStore::X);
    case Op::ld: return set(false, 8, false, false, false, LoadStore::DS);
    case Op::ldu: return set(false, 8, false, false, true, LoadStore::DS);
    case Op::ldx: return set(false, 8, false, false, false, LoadStore::X);
    case Op::ldux: return set(false, 8, false, false, true, LoadStore::X);
    case Op::lhbrx: return set(false, 2, false, true, false, LoadStore::X);
    case Op::lwbrx: return set(false, 4, false, true, false, LoadStore::X);
    case Op::ldbrx: return set(false, 8, false, true, false, LoadStore::X);
    case Op::stb: return set(true, 1, false, false, false, LoadStore::D);
    case Op::stbu: return set(true, 1, false, false, true, LoadStore::D);
    case Op::stbx: return set(true, 1, false, false, false, LoadStore::X);
    case Op::stbux: return set(true, 1, false, false, true, LoadStore::X);
    case Op::sth: return set(true, 2, false, false, false, LoadStore::D);
    case Op::sthu: return set(true, 2, false, false, true, LoadStore::D);
    case Op::sthx: return set(true, 2, false, false, false, LoadStore::X);
    case Op::sthux: return set(true, 2, false, false, true, LoadStore::X);
    case Op::stw: return set(true, 4, false, false, false, LoadStore::D);
    case Op::stwu: return set(true, 4, false, false, true, LoadStore::D);
    case Op::stwx: return set(true, 4, false, false, false, LoadStore::X);
    case Op::stwux: return set(true, 4, false, false, true, LoadStore::X);
    case Op::std: return set(true, 8, false, false, false, LoadStore::DS);
    case Op::stdu: return set(true, 8, false, false, true, LoadStore::DS);
    case Op::stdx: return set(true, 8, false, false, false, LoadStore::X);
    case Op::stdux: return set(true, 8, false, false, true, LoadStore::X);
    case Op::sthbrx: return set(true, 2, false, true, false, LoadStore::X);
    case Op::stwbrx: return set(true, 4, false, true, false, LoadStore::X);
    case Op::stdbrx: return set(true, 8, false, true, false, LoadStore::X);
    default: return false;
  }
}
}  // namespace

Vcpu::Next Vcpu::emulate_mmio() {
  auto fail = [&](u32 insn_word) {
    run_.exit_reason = KVM_EXIT_INTERNAL_ERROR;
    run_.internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
    run_.internal.ndata = 2;
    run_.internal.data[0] = s_.nip;
    run_.internal.data[1] = insn_word;
    return Next::Exit;
  };
  u32 w = 0;
  if (!fetch(s_, s_.nip, w)) return fail(0);
  LoadStore l;
  if (!classify(isa::decode(w, isa::Model(s_.model)), l)) return fail(w);
  const unsigned ra = insn::RA(w);
  const u64 base = ra ? s_.gpr[ra] : 0;
  const u64 disp = l.form == LoadStore::D ? u64(insn::D(w)) : l.form == LoadStore::DS ? u64(insn::DS(w)) : s_.gpr[insn::RB(w)];
  const u64 ea = sem::ea_mask(s_, base + disp);
  // The address the fill found no memory for, at byte granularity.
  u64 pa;
  u8 perm;
  if (!mmu_.translate(s_, ea, l.store ? Access::Write : Access::Read, pa, perm)) {
    // Translation changed under us: let the guest take the fault.
    return Next::Continue;
  }
  if (vm_.slots_.host_ptr(pa, l.len, l.store) != nullptr || (pa & ~PAGE_MASK) + l.len > PAGE_SIZE)
    return fail(w);  // part RAM (a page-crossing access): not emulated
  // Storage order of the access (Book I 1.10: MSR[LE], reversed by the
  // byte-reverse forms).
  const bool big_endian = (!s_.le) != l.reverse;
  const unsigned n = l.len;
  const unsigned rt = insn::RT(w);
  run_.mmio.phys_addr = pa;
  run_.mmio.len = n;
  run_.mmio.is_write = l.store;
  bool served = false;
  if (l.store) {
    const u64 v = s_.gpr[rt];
    for (unsigned i = 0; i < n; ++i)
      run_.mmio.data[i] = u8(big_endian ? v >> (8 * (n - 1 - i)) : v >> (8 * i));
    u64 bus = 0;
    for (unsigned i = 0; i < n; ++i) bus = bus << 8 | run_.mmio.data[i];
    served = vm_.io_.write(pa, n, bus);
  } else {
    u64 bus = 0;
    served = vm_.io_.read(pa, n, bus);
    if (served)
      for (unsigned i = 0; i < n; ++i) run_.mmio.data[i] = u8(bus >> (8 * (n - 1 - i)));
    mmio_load_ = {rt, n, l.sign, big_endian};
    pending_ = Pending::MmioLoad;
  }
  // Update forms write the EA to RA (RA=0 or RA=RT would be invalid forms).
  if (l.update && ra) s_.gpr[ra] = ea;
  s_.nip += 4;
  if (served) {
    ++mmio_served_;
    complete_pending();
    return Next::Continue;
  }
  run_.exit_reason = KVM_EXIT_MMIO;
  return Next::Exit;
}

}  // namespace lpar::hv
