#include "machine/bare.h"

#include <sys/mman.h>

#include <cctype>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <vector>

#include "cpu/interrupts.h"
#include "cpu/memory.h"
#include "cpu/sem/system.h"
#include "cpu/timers.h"
#include "machine/elf64.h"

namespace lpar::machine {

using namespace lpar::sem;

namespace {
// Processor Version Registers of the models (the values qemu uses).
u64 pvr_of(isa::Model m) {
  switch (m) {
    case isa::PPC970: return 0x00390202;
    case isa::POWER7: return 0x003F0201;
    case isa::POWER8: return 0x004D0200;
    default: return 0x004E1202;
  }
}
}  // namespace

BareMachine::BareMachine(isa::Model model, u64 ram_size)
    : interp(s, model), model_(model), ram_size_(ram_size) {
  void* p = ::mmap(nullptr, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    error_ = "cannot allocate guest RAM";
    ram_size_ = 0;
  } else {
    ram_ = static_cast<u8*>(p);
  }
  backend.fill = &fill;
  backend.code_write = &code_write;
  backend.opaque = this;
  s.mem = &backend;
  mmu_.set_memory(ram_, ram_size_);
  trace_ = std::getenv("LPAR_TRACE_INTERRUPTS") != nullptr;
  reset(0, false);
}

BareMachine::~BareMachine() {
  if (ram_) ::munmap(ram_, ram_size_);
}

void BareMachine::reset(u64 entry, bool le) {
  const MemoryBackend* keep = s.mem;
  std::memset(static_cast<void*>(&s), 0, sizeof s);
  s.mem = const_cast<MemoryBackend*>(keep);
  s.interp = &interp;
  s.mmu_hook = &mmu_insn;
  reset_tlb(s);
  mmu_.reset();
  s.model = model_;
  s.vclock = 1;
  s.pvr = pvr_of(model_);
  s.ctrl = 0x8001;  // CTRL[RUN]
  // The firmware's job on real hardware: take interrupts in the ELF's byte
  // order (LPCR[ILE] for partition handlers, HID0[HILE] for the hypervisor).
  if (le && model_ != isa::PPC970) {
    s.lpcr |= LPCR_ILE;
    if (model_ >= isa::POWER8) s.hid[0] |= hid0_hile(model_);
  }
  if (model_ == isa::POWER7 || model_ == isa::POWER8) s.lpcr |= LPCR_LPES0;
  reset_timers(s);
  set_msr(s, MSR_SF | MSR_HV | MSR_ME | (le ? MSR_LE : 0));
  s.nip = entry;
  interp.invalidate_all();
}

// Every address goes through the MMU (src/mmu): real mode (HRMOR in
// hypervisor state, the RMO or VRMA in a partition, Book III-S 5.7.3) and,
// with MSR[IR]/[DR] set, the SLB and HPT with R/C updates and storage
// interrupts.  What the real address is, is the machine's business.
int BareMachine::fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
  auto* self = static_cast<BareMachine*>(s.mem->opaque);
  self->mmu_.sync(s);
  u64 ra;
  u8 perm;
  if (!self->mmu_.translate(s, ea, acc, ra, perm)) return FILL_FAULT;

  const u64 page = ea & PAGE_MASK;
  if ((ra & PAGE_MASK) == DEBUG_DEVICE) {
    // Device registers: no TLB entry, so every access comes back here; the
    // FILL_CODE answer makes the memory layer report each store to
    // code_write, which acts on it.  Reads return zero.
    std::memset(self->dev_page_, 0, sizeof self->dev_page_);
    self->dev_ea_page_ = page;
    *addend = reinterpret_cast<uintptr_t>(self->dev_page_) - page;
    return FILL_CODE;
  }
  if (ra >= self->ram_size_ || (ra & ~PAGE_MASK) + 1 > self->ram_size_ - (ra & PAGE_MASK)) {
    // Nothing answers at this real address: Machine Check (Book III-S 6.5.2
    // leaves the cause implementation-dependent; DAR gets the address).
    s.exc = Exc::MachineCheck;
    s.exc_addr = ea;
    return FILL_FAULT;
  }
  *addend = reinterpret_cast<uintptr_t>(self->ram_ + (ra & PAGE_MASK)) - page;
  TlbEntry& e = tlb_entry(s, ea);
  if (e.addend != *addend) e = {TLB_INVALID, TLB_INVALID, TLB_INVALID, *addend};
  // Only the accesses the page allows skip the fill (a store before C is set
  // must come back to set it).
  if (perm & mmu::PERM_R) e.tag_read = page;
  if (perm & mmu::PERM_X) e.tag_exec = page;
  if (self->interp.page_has_code(reinterpret_cast<uintptr_t>(self->ram_ + (ra & PAGE_MASK)))) return FILL_CODE;
  if (perm & mmu::PERM_W) e.tag_write = page;
  return FILL_OK;
}

void BareMachine::code_write(CpuState& s, u64 ea, uintptr_t host, unsigned len) {
  auto* self = static_cast<BareMachine*>(s.mem->opaque);
  const u64 page = ea & PAGE_MASK;
  if (page == self->dev_ea_page_) {
    const unsigned off = ea & ~PAGE_MASK;
    if (off == 0 && len == 1) {
      std::fputc(self->dev_page_[0], self->out);
      self->console.push_back(static_cast<char>(self->dev_page_[0]));
    } else if (off == 4 && len == 4) {
      u32 v;
      std::memcpy(&v, self->dev_page_ + 4, 4);
      if (!s.le) v = __builtin_bswap32(v);
      self->exit_code_ = static_cast<int>(v);
      self->stopped_ = true;
    } else if (off == 8 && len == 4) {
      // The external-interrupt line (docs/bare-machine.md).
      s.ext_line = std::memcmp(self->dev_page_ + 8, "\0\0\0\0", 4) != 0;
    }
    return;
  }
  self->interp.invalidate_page(host & ~uintptr_t{PAGE_SIZE - 1});
}

int BareMachine::mmu_insn(CpuState& s, u32 i) {
  auto* self = static_cast<BareMachine*>(s.mem->opaque);
  return self->mmu_.storage_insn(s, i);
}

std::string BareMachine::load_elf(const std::string& path) {
  if (!ram_) return error_;
  Elf64Image img;
  if (std::string err = read_elf64(path, img); !err.empty()) return err;
  // Each PT_LOAD segment goes to its physical address (docs/bare-machine.md).
  for (const ElfSegment& seg : img.segments)
    if (seg.paddr > ram_size_ || seg.memsz > ram_size_ - seg.paddr) return path + ": segment does not fit in RAM";
  for (const ElfSegment& seg : img.segments) {
    std::memcpy(ram_ + seg.paddr, img.bytes.data() + seg.offset, seg.filesz);
    std::memset(ram_ + seg.paddr + seg.filesz, 0, seg.memsz - seg.filesz);
  }
  reset(img.entry, img.little_endian);
  return {};
}

BareMachine::Stop BareMachine::run_slices(unsigned n) {
  for (unsigned k = 0; k < n && !stopped_; ++k) {
    const Status st = interp.run(timer_slice(s, 256));
    if (trace_ && st == Status::Exception)
      std::fprintf(stderr, "lpar: interrupt %u at %#llx msr %#llx reason %#x\n", unsigned(s.exc),
                   (unsigned long long)s.nip, (unsigned long long)s.msr, s.exc_reason);
    if (st == Status::Exception && s.exc == Exc::None) return Stop::Abandoned;
    if (st == Status::Exception && !deliver_interrupt(s)) {
      error_ = "checkstop: machine check with MSR[ME]=0";
      return Stop::Checkstop;
    }
    if (stopped_) break;
    // Asynchronous interrupts are taken between slices, at an instruction boundary.
    if (timer_interrupt(s) || external_interrupt(s)) deliver_interrupt(s);
  }
  return stopped_ ? Stop::Exited : Stop::Running;
}

BareMachine::Stop BareMachine::step(bool take_async) {
  if (stopped_) return Stop::Exited;
  const Status st = interp.step();
  if (st == Status::Exception) {
    if (s.exc == Exc::None) return Stop::Abandoned;
    if (trace_)
      std::fprintf(stderr, "lpar: interrupt %u at %#llx msr %#llx reason %#x\n", unsigned(s.exc),
                   (unsigned long long)s.nip, (unsigned long long)s.msr, s.exc_reason);
    if (!deliver_interrupt(s)) {
      error_ = "checkstop: machine check with MSR[ME]=0";
      return Stop::Checkstop;
    }
  }
  if (stopped_) return Stop::Exited;
  if (take_async && (timer_interrupt(s) || external_interrupt(s))) deliver_interrupt(s);
  return Stop::Running;
}

int BareMachine::run(double timeout_s) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  for (;;) {
    const Stop st = run_slices(1024);
    if (st == Stop::Checkstop) return -1;
    if (st == Stop::Exited) break;
    if (timeout_s > 0 && std::chrono::duration<double>(clock::now() - start).count() > timeout_s) return -2;
  }
  std::fflush(out);
  return exit_code_ & 0xff;  // a process exit status; keeps -1/-2 for errors
}

u64 parse_size(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return 0;
  size_t pos = 0;
  unsigned long long n;
  try {
    n = std::stoull(text, &pos);
  } catch (...) {
    return 0;
  }
  std::string suf = text.substr(pos);
  unsigned shift = 20;  // QEMU: a bare number is MiB
  if (suf == "K" || suf == "k") shift = 10;
  else if (suf == "M" || suf == "m" || suf.empty()) shift = 20;
  else if (suf == "G" || suf == "g") shift = 30;
  else if (suf == "T" || suf == "t") shift = 40;
  else return 0;
  if (n > (~u64{0} >> shift)) return 0;
  return n << shift;
}

bool parse_model(const std::string& text, isa::Model& m) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (t == "POWER8") m = isa::POWER8;
  else if (t == "POWER9") m = isa::POWER9;
  else if (t == "POWER7") m = isa::POWER7;
  else if (t == "970" || t == "PPC970") m = isa::PPC970;
  else return false;
  return true;
}

}  // namespace lpar::machine
