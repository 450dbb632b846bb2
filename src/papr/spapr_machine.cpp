#include "papr/spapr_machine.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include <libfdt.h>

#include "hv/caps.h"
#include "hv/hypervisor.h"
#include "hv/papr.h"
#include "hv/vcpu.h"
#include "hv/vcpu_sched.h"
#include "hv/vm.h"
#include "machine/elf64.h"
#include "machine/read_file.h"
#include "papr/hcall_misc.h"
#include "papr/hcalls.h"
#include "papr/nvram.h"
#include "papr/papr_log.h"
#include "papr/rtas.h"
#include "papr/slof.h"
#include "papr/spapr_dt.h"
#include "papr/tce.h"
#include "papr/vof.h"
#include "papr/vty.h"
#include "papr/xics.h"
#include "cpu/sem/spr.h"

namespace lpar::papr {

namespace {

// QEMU's placement (pseries-boot-facts.md 3.1): the kernel at 4 MiB, the
// initrd 64K-aligned after it, the device tree 2 MiB below the top of the
// RMA (capped at 2 GiB).
constexpr u64 KERNEL_ADDR = 0x400000;
constexpr u64 FDT_MAX = 2 << 20;
// vCPUs (one thread per core): XICS servers and /cpus nodes scale with it;
// the limit keeps the tree and the round-robin turns reasonable.
constexpr unsigned MAX_SMP = 64;

// Guest memory through the VM's memory slots.
class VmMemory : public GuestMemory {
 public:
  explicit VmMemory(hv::Vm& vm) : vm_(vm) {}
  u8* host_ptr(u64 gpa, u64 len) override { return vm_.host_ptr(gpa, len, true); }
  void written(u64 gpa, u64 len) override { vm_.memory_written(gpa, len); }

 private:
  hv::Vm& vm_;
};

u64 align_up(u64 v, u64 a) { return (v + a - 1) & ~(a - 1); }

}  // namespace

struct SpaprMachine::Impl {
  SpaprOptions opt;
  std::unique_ptr<hv::Hypervisor> hyp;
  std::unique_ptr<hv::Vm> vm;
  hv::Vcpu* cpu = nullptr;   // the boot thread (vCPU 0)
  std::vector<hv::Vcpu*> cpus;  // all, by id
  hv::VcpuScheduler sched;
  u8* ram = nullptr;
  u64 ram_mapped = 0;
  std::unique_ptr<VmMemory> mem;
  std::unique_ptr<Xics> xics;
  std::unique_ptr<Vty> vty;
  std::unique_ptr<Nvram> nvram;
  std::unique_ptr<TceTables> tce;
  std::unique_ptr<HcallMisc> misc;
  std::unique_ptr<Rtas> rtas;
  std::unique_ptr<Vof> vof;
  std::unique_ptr<SpaprPciHost> phb;
  HcallDispatcher hcalls;
  std::vector<u8> fdt;
  SpaprDtConfig dc_base;     // the machine's part of the tree (no images, no CAS)
  SpaprDtConfig dc;          // what fdt was built from (CAS rebuilds it)
  u64 fdt_initial_size = 0;  // H_UPDATE_DT accepts up to twice this
  u64 rma_size = 0;
  unsigned hpt_shift = 0;
  bool done = false;

  // Run state.
  bool stopped = false;
  bool reboot_pending = false;  // RTAS system-reboot: reset once the exit is served
  SpaprResult result;
  std::string console;
  bool stdin_open = false;
  bool stdin_tty = false;
  int wake_fd = -1;  // an interrupt was asserted (realtime_idle)
  u64 logical_ci_exits = 0;  // H_LOGICAL_CI_* that reached the machine

  ~Impl() {
    phb.reset();  // it leaves the VM's IO bus
    if (wake_fd >= 0) ::close(wake_fd);
    if (ram) ::munmap(ram, ram_mapped);
  }

  void console_out(const u8* p, size_t n) {
    console.append(reinterpret_cast<const char*>(p), n);
    std::fwrite(p, 1, n, opt.console);
    std::fflush(opt.console);
  }
  void stop(int status, std::string why) {
    if (stopped) return;
    stopped = true;
    result.status = status;
    result.reason = std::move(why);
  }

  std::string setup_memory();
  std::string reset();
  std::string reset_devices();
  std::string boot();
  std::string enter_slof();
  std::string enter_vof(u64 entry, u64 kernel_size, u64 initrd_start, u64 initrd_size);
  std::string load_guest(u64& entry, bool& le, u64& initrd_start, u64& initrd_size, u64& kernel_size);
  std::string setup_services();
  std::string setup_pci();
  std::vector<u8> build_tree();
  std::string load_slof(u64 fdt_addr);
  void register_slof_hcalls();
  long h_cas(u64 vec, u64 buf, u64 size);
  long h_update_dt(u64 addr);
  void handle_hcall(hv::Vcpu& v, hv::KvmRun& run);
  bool run_idle();
  long resize_prepare(u64 flags, u64 shift);
  static long register_proc_tbl(u64 flags);
  long resize_commit(u64 flags, u64 shift);
  void poll_stdin(int timeout_ms);
  void wait_idle(int timeout_ms);
  void handle_mmio(hv::KvmRun& run);
};

// An MMIO exit: the PHB's windows, else nothing there (loads read all ones,
// stores vanish).  kvm_run carries the bytes in storage order, the PHB a
// big-endian number of them (hv/io_bus.h).
void SpaprMachine::Impl::handle_mmio(hv::KvmRun& run) {
  const unsigned len = std::min<unsigned>(run.mmio.len, sizeof run.mmio.data);
  if (run.mmio.is_write) {
    u64 v = 0;
    for (unsigned i = 0; i < len; ++i) v = v << 8 | run.mmio.data[i];
    if (phb) phb->mmio_write(run.mmio.phys_addr, len, v);
    return;
  }
  u64 v = 0;
  if (!phb || !phb->mmio_read(run.mmio.phys_addr, len, v)) {
    std::memset(run.mmio.data, 0xff, sizeof run.mmio.data);
    return;
  }
  for (unsigned i = 0; i < len; ++i) run.mmio.data[i] = u8(v >> (8 * (len - 1 - i)));
}

SpaprMachine::SpaprMachine() : p_(std::make_unique<Impl>()) {}
SpaprMachine::~SpaprMachine() = default;
bool SpaprMachine::done() const { return p_->done; }
const std::string& SpaprMachine::console_log() const { return p_->console; }

std::string SpaprMachine::Impl::setup_memory() {
  if (opt.ram_size < (u64{128} << 20)) return "pseries needs at least 128M of RAM (SLOF's and the RMA's minimum)";
  if (opt.ram_size > (u64{64} << 30)) return "pseries RAM is limited to 64G";
  if (opt.smp < 1 || opt.smp > MAX_SMP) return "-smp: 1 to " + std::to_string(MAX_SMP) + " vCPUs";
  const bool needs_rma = hyp->check_extension(hv::KVM_CAP_PPC_RMA) == 2;
  void* p = ::mmap(nullptr, opt.ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return "cannot allocate guest RAM";
  // Transparent huge pages: the guest touches most of its RAM while it
  // boots, and 4K host faults were 7% of a boot.  Advice only: ignore a no.
  ::madvise(p, opt.ram_size, MADV_HUGEPAGE);
  ram = static_cast<u8*>(p);
  ram_mapped = opt.ram_size;
  if (needs_rma) {
    // PPC970 (KVM_CAP_PPC_RMA = 2): real mode needs a physically contiguous
    // RMA from the boot-time pool at guest physical 0 (api.rst 4.62).
    hv::Rma rma;
    if (vm->allocate_rma(rma) != 0)
      return "no RMA available for the PPC970 guest: the pool is empty (--kvm-rma-count)";
    rma_size = std::min(rma.size, opt.ram_size);
    if (int r = vm->set_user_memory_region(0, 0, 0, rma_size, reinterpret_cast<u64>(rma.host)))
      return "cannot map the RMA (error " + std::to_string(r) + ")";
    if (opt.ram_size > rma_size) {
      if (int r = vm->set_user_memory_region(1, 0, rma_size, opt.ram_size - rma_size,
                                             reinterpret_cast<u64>(ram + rma_size)))
        return "cannot map guest RAM (error " + std::to_string(r) + ")";
    }
  } else {
    if (int r = vm->set_user_memory_region(0, 0, 0, opt.ram_size, reinterpret_cast<u64>(ram)))
      return "cannot map guest RAM (error " + std::to_string(r) + ")";
    // QEMU's spapr_rma_size: all of node 0's memory, the VRMA covers it.
    rma_size = opt.ram_size;
  }
  return {};
}

std::string SpaprMachine::Impl::load_guest(u64& entry, bool& le, u64& initrd_start, u64& initrd_size,
                                           u64& kernel_size) {
  machine::Elf64Image img;
  if (std::string e = machine::read_elf64(opt.kernel, img); !e.empty()) return e;
  le = img.little_endian;
  // QEMU's translate_kernel_address: (vaddr & 0x0fffffff) + kernel_addr.
  u64 top = KERNEL_ADDR;
  for (const auto& s : img.segments) {
    const u64 pa = (s.vaddr & 0x0fffffff) + KERNEL_ADDR;
    u8* dst = mem->host_ptr(pa, s.memsz);
    if (!dst) return opt.kernel + ": segment does not fit in RAM";
    std::memcpy(dst, img.bytes.data() + s.offset, s.filesz);
    std::memset(dst + s.filesz, 0, s.memsz - s.filesz);
    top = std::max(top, pa + s.memsz);
  }
  entry = (img.entry & 0x0fffffff) + KERNEL_ADDR;
  kernel_size = top - KERNEL_ADDR;
  initrd_start = initrd_size = 0;
  if (!opt.initrd.empty()) {
    std::vector<u8> data;
    if (std::string why = machine::read_file(opt.initrd, data); !why.empty())
      return "could not load initial ram disk '" + opt.initrd + "': " + why;  // QEMU's words
    initrd_start = align_up(top + 0x1ffff, 0x10000);
    const u64 limit = std::min(rma_size, u64{2} << 30) - 0x2800000;
    if (data.size() > limit || initrd_start > limit - data.size())
      return "initrd '" + opt.initrd + "' does not fit below the RMA's top";
    if (!mem->write(initrd_start, data.data(), data.size())) return "initrd does not fit in RAM";
    initrd_size = data.size();
  }
  return {};
}

std::string SpaprMachine::Impl::setup_services() {
  xics = std::make_unique<Xics>(opt.smp);
  xics->set_notify([this](u32 server, bool asserted) {
    if (hv::Vcpu* v = vm->vcpu_by_id(server))
      v->interrupt(asserted ? hv::KVM_INTERRUPT_SET_LEVEL : hv::KVM_INTERRUPT_UNSET);
    if (asserted && wake_fd >= 0) {
      const u64 one = 1;
      (void)!::write(wake_fd, &one, sizeof one);
    }
  });
  if (opt.realtime_idle && (wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
    return "cannot create an eventfd";
  vty = std::make_unique<Vty>();
  vty->set_output([this](const u8* p, size_t n) { console_out(p, n); });
  vty->set_input_notify([this] {
    // The vty's interrupt is a message (pulse), as QEMU's spapr_vio_irq_pulse.
    xics->raise(VTY_IRQ);
    xics->lower(VTY_IRQ);
  });
  nvram = std::make_unique<Nvram>();
  if (!opt.nvram_file.empty()) {
    std::string err;
    if (!nvram->open_file(opt.nvram_file, err)) return err;
  }
  tce = std::make_unique<TceTables>(*mem);
  MiscMachine mm;
  mm.set_lpcr_all = [this](u64 value, u64 mask) { vm->set_lpcr_user((vm->lpcr() & ~mask) | (value & mask)); };
  mm.memory_written = [this](u64 gpa, u64 len) { vm->memory_written(gpa, len); };
  // H_LOGICAL_CI_* the hypervisor leaves to the machine (SLOF's device IO: all
  // of it with --kvm-logical-ci=off, else what its IO bus does not serve).
  mm.mmio_read = [this](u64 gpa, unsigned len, u64& v) { return phb && phb->mmio_read(gpa, len, v); };
  mm.mmio_write = [this](u64 gpa, unsigned len, u64 v) { return phb && phb->mmio_write(gpa, len, v); };
  misc = std::make_unique<HcallMisc>(*mem, opt.model, opt.smp, mm);
  RtasMachine rm;
  rm.display_character = [this](u8 c) { console_out(&c, 1); };
  rm.power_off = [this] { stop(0, {}); };
  rm.system_reboot = [this] {
    // As QEMU: -no-reboot turns the reboot into the end of the run.
    if (opt.no_reboot)
      stop(0, {});
    else
      reboot_pending = true;
  };
  // The threads' states (LoPAPR 7.3.x): the secondaries wait stopped until
  // start-cpu; LPCR (ILE, AIL) is the partition's, so the started thread
  // shares the caller's, as QEMU copies it.
  rm.query_cpu_stopped_state = [this](u32 cpu) {
    const int st = sched.query_cpu_stopped_state(cpu);
    return st < 0 ? -1 : st == 0 ? RTAS_CPU_STOPPED : RTAS_CPU_RUNNING;
  };
  rm.start_cpu = [this](u32, u32 cpu, u64 entry, u64 r3) { return sched.start_cpu(cpu, entry, r3); };
  rm.stop_self = [this](u32 caller) { return sched.stop_self(caller); };
  rm.os_term = [this](const std::string& msg) { stop(1, "guest terminated (ibm,os-term): " + msg); };
  RtasConfig rc;
  rc.cpus = rc.max_cpus = opt.smp;
  rc.ram_size = opt.ram_size;
  rc.rtc_offset_ns = opt.rtc_offset_ns;
  if (opt.icount) {
    // A clock of retired instructions: RTAS reads the time of day from it too.
    rc.rtc_offset_ns = 0;
    rc.host_clock_ns = [this] {
      const u64 tb = sched.timebase();
      return opt.rtc_start_ns + int64_t(tb / SPAPR_TIMEBASE_FREQ) * 1000000000 +
             int64_t((tb % SPAPR_TIMEBASE_FREQ) * 1000000000 / SPAPR_TIMEBASE_FREQ);
    };
  }
  rtas = std::make_unique<Rtas>(*mem, xics.get(), nvram.get(), rm, rc);
  HcallDispatcher::Services svc;
  svc.xics = xics.get();
  svc.rtas = rtas.get();
  svc.vty = vty.get();
  svc.tce = tce.get();
  svc.misc = misc.get();
  hcalls.register_services(svc);
  // The PHB's config-space calls arrive through the same RTAS hcall.
  hcalls.register_hcall(hv::KVMPPC_H_RTAS, [this](HcallContext& c, u64 a[9]) {
    if (phb && phb->rtas_buffer(phys_to_real(a[0]))) return hv::H_SUCCESS;
    return rtas->h_rtas(c.cpu, a[0]);
  });
  hcalls.register_hcall(hv::H_RESIZE_HPT_PREPARE,
                        [this](HcallContext&, u64 a[9]) { return resize_prepare(a[0], a[1]); });
  hcalls.register_hcall(hv::H_RESIZE_HPT_COMMIT,
                        [this](HcallContext&, u64 a[9]) { return resize_commit(a[0], a[1]); });
  hcalls.register_hcall(hv::H_REGISTER_PROC_TBL,
                        [](HcallContext&, u64 a[9]) { return register_proc_tbl(a[0]); });
  return {};
}

// H_REGISTER_PROC_TBL (LoPAPR 14.5.4.x, ISA 3.0 guests; flags as Linux's
// PROC_TABLE_*: MODIFY 0x10, REGISTER 0x08, RADIX 0x04, HASH_PROC_TBL 0x02,
// GTSE 0x01).  lpar's partitions are hash without process tables (what CAS
// negotiates), so the call a hash guest makes -- keep the registration, no
// radix -- succeeds and anything asking for radix or process tables is refused.
long SpaprMachine::Impl::register_proc_tbl(u64 flags) {
  if (flags & ~u64{0x1F}) return hv::H_PARAMETER;
  if (flags & 0x04) return hv::H_PARAMETER;                           // radix
  if ((flags & 0x18) == 0x18 && (flags & 0x02)) return hv::H_PARAMETER;  // hash with a process table
  return hv::H_SUCCESS;
}

// H_RESIZE_HPT_PREPARE (LoPAPR 14.5.4.x, QEMU spapr_hcall.c h_resize_hpt_*
// for the PAPR codes): the hypervisor's KVM_PPC_RESIZE_HPT_PREPARE, its
// milliseconds estimate turned into H_LONG_BUSY_*.
long SpaprMachine::Impl::resize_prepare(u64 flags, u64 shift) {
  if (!opt.resize_hpt) return hv::H_AUTHORITY;
  if (flags != 0) return hv::H_PARAMETER;
  if (shift && (shift < hv::Htab::MIN_ORDER || shift > hv::Htab::MAX_ORDER)) return hv::H_PARAMETER;
  // An HPT larger than twice what the RAM needs is refused (as QEMU).
  if (shift > hpt_shift_for_ram(opt.ram_size) + 1) return hv::H_RESOURCE;
  const long r = vm->resize_hpt_prepare(0, u32(shift));
  if (r > 0) return hv::h_long_busy_for_ms(r);
  if (r == 0) return hv::H_SUCCESS;
  if (r == -EINVAL) return hv::H_PARAMETER;
  if (r == -ENOMEM || r == -ENOSPC) return hv::H_RESOURCE;
  return hv::H_HARDWARE;
}

long SpaprMachine::Impl::resize_commit(u64 flags, u64 shift) {
  if (!opt.resize_hpt) return hv::H_AUTHORITY;
  if (flags != 0) return hv::H_PARAMETER;
  const long r = vm->resize_hpt_commit(0, u32(shift));
  switch (r) {
    case 0: hpt_shift = unsigned(shift); return hv::H_SUCCESS;
    case -ENXIO: return hv::H_CLOSED;
    case -EBUSY: return hv::H_BUSY;
    case -ENOSPC: return hv::H_PTEG_FULL;
    case -EINVAL: return hv::H_PARAMETER;
    default: return hv::H_HARDWARE;
  }
}

// The PCI host bridge, if the options make one.
std::string SpaprMachine::Impl::setup_pci() {
  if (!opt.pci) return {};
  SpaprPciContext ctx{*mem, *tce, *xics, vm->io_bus()};
  std::string err;
  phb = opt.pci(ctx, &err);
  return phb ? std::string{} : err;
}

// The tree from dc, with the PHB's node when there is one.
std::vector<u8> SpaprMachine::Impl::build_tree() {
  std::vector<u8> t = build_spapr_fdt(dc);
  if (t.empty() || !phb) return t;
  std::vector<u8> out(t.size() + 64 * 1024);
  if (fdt_open_into(t.data(), out.data(), int(out.size())) != 0) return {};
  if (phb->add_fdt_node(out.data()) < 0) return {};
  if (fdt_pack(out.data()) != 0) return {};
  out.resize(fdt_totalsize(out.data()));
  return out;
}

// slof.bin at 0 (pseries-boot-facts.md 3.1); the tree, already built, at fdt_addr.
std::string SpaprMachine::Impl::load_slof(u64 fdt_addr) {
  const std::string path = find_slof(opt.bios, exe_repo_dir());
  if (path.empty())
    return "pseries: SLOF firmware not found (set LPAR_SLOF, run scripts/fetch-guests.sh, or use -M pseries,vof=on)";
  std::vector<u8> img;
  if (std::string why = machine::read_file(path, img); !why.empty())
    return "could not load LPAR firmware '" + path + "': " + why;
  if (img.empty()) return "could not load LPAR firmware '" + path + "': empty file";
  if (img.size() > SLOF_MAX_SIZE) return "firmware '" + path + "' is larger than 4 MiB";
  if (!opt.kernel.empty() && img.size() > KERNEL_ADDR) return "firmware '" + path + "' overlaps the kernel at 4 MiB";
  if (!mem->write(SLOF_LOAD_ADDR, img.data(), img.size())) return "firmware does not fit in RAM";
  if (fdt.size() > SLOF_FDT_MAX) return "the device tree is larger than 2 MiB";
  if (!mem->write(fdt_addr, fdt.data(), fdt.size())) return "the device tree does not fit in RAM";
  return {};
}

void SpaprMachine::Impl::register_slof_hcalls() {
  hcalls.register_hcall(hv::KVMPPC_H_LOGICAL_MEMOP, [this](HcallContext&, u64 a[9]) {
    u64 gpa = 0, len = 0;
    const long r = h_logical_memop(*mem, a, &gpa, &len);
    if (len) vm->memory_written(gpa, len);
    return r;
  });
  hcalls.register_hcall(hv::KVMPPC_H_CAS, [this](HcallContext&, u64 a[9]) { return h_cas(a[0], a[1], a[2]); });
  hcalls.register_hcall(hv::KVMPPC_H_UPDATE_DT, [this](HcallContext&, u64 a[9]) { return h_update_dt(a[0]); });
}

// KVMPPC_H_CAS (pseries-boot-facts.md 3.1 step 6): negotiate with the
// client's vectors, rebuild the tree with the agreed option vector 5, and
// hand SLOF {version 1} + the tree; SLOF merges it into its own.
long SpaprMachine::Impl::h_cas(u64 vec, u64 buf, u64 size) {
  std::string why;
  auto vectors = parse_cas_vectors(*mem, phys_to_real(vec), &why);
  if (!vectors) {
    subsystem_logger("hcall")->warn("client-architecture-support: {}", why);
    return hv::H_PARAMETER;
  }
  CasPlatform pf;
  pf.model = opt.model;
  pf.pvr = dc.pvr;
  pf.hpt_resize = opt.resize_hpt;
  const CasResult res = negotiate_cas(*vectors, pf);
  if (!res.ok) {
    // As with VOF, the client hears of the failure and goes on with its
    // defaults (Linux warns "ibm,client-architecture-support call FAILED").
    subsystem_logger("hcall")->warn("client-architecture-support refused: {}", res.error);
    return hv::H_HARDWARE;
  }
  dc.ov5 = res.ov5;
  std::vector<u8> t = build_tree();
  if (t.empty()) return hv::H_HARDWARE;
  if (!write_cas_response(*mem, buf, size, t)) return hv::H_PARAMETER;
  vm->memory_written(buf, 4 + t.size());
  fdt = std::move(t);
  fdt_initial_size = fdt.size();
  return hv::H_SUCCESS;
}

// KVMPPC_H_UPDATE_DT: SLOF's final tree replaces the machine's (kept for
// what later reads it), if sane and not grown beyond twice the last size.
long SpaprMachine::Impl::h_update_dt(u64 addr) {
  auto t = read_updated_dt(*mem, phys_to_real(addr), 2 * fdt_initial_size);
  if (!t) return hv::H_PARAMETER;
  fdt = std::move(*t);
  return hv::H_SUCCESS;
}

std::string SpaprMachine::init(const SpaprOptions& opt) {
  Impl& m = *p_;
  m.opt = opt;
  if (opt.vof && opt.kernel.empty() && opt.dumpdtb.empty()) return "pseries,vof=on: -kernel is required";
  if (opt.vof && !opt.bios.empty()) return "pseries: -bios and vof=on exclude each other";
  std::string err;
  const bool p970 = opt.model == isa::PPC970;
  m.hyp = hv::Hypervisor::create(opt.model, opt.rma_size, p970 ? opt.rma_count : 0, &err);
  if (!m.hyp) return err;
  int e = 0;
  m.vm = m.hyp->create_vm(&e);
  if (!m.vm) return "cannot create the partition (error " + std::to_string(e) + ")";
  if (opt.logical_ci_in_hv) {
    // As QEMU does with KVM (kvmppc_enable_logical_ci_hcalls): SLOF's device
    // IO reaches the IO bus's devices without an exit (api.rst 7.x
    // KVM_CAP_PPC_ENABLE_HCALL); what the bus does not serve still exits.
    for (u64 nr : {hv::H_LOGICAL_CI_LOAD, hv::H_LOGICAL_CI_STORE}) {
      const u64 a[4] = {nr, 1, 0, 0};
      if (int r = m.vm->enable_cap(hv::KVM_CAP_PPC_ENABLE_HCALL, 0, a))
        return "cannot enable H_LOGICAL_CI_* in the hypervisor (error " + std::to_string(r) + ")";
    }
  }
  if (std::string r = m.setup_memory(); !r.empty()) return r;
  m.mem = std::make_unique<VmMemory>(*m.vm);

  for (u32 id = 0; id < opt.smp; ++id) {
    hv::Vcpu* v = m.vm->create_vcpu(id, &e);
    if (!v) return "cannot create vCPU " + std::to_string(id) + " (error " + std::to_string(e) + ")";
    m.cpus.push_back(v);
    m.sched.add(v, id == 0);
    if (opt.setup_interpreter) opt.setup_interpreter(v->interpreter());
  }
  m.cpu = m.cpus[0];
  // The guest's Time Base follows the host's clock, as under KVM and QEMU
  // (its date and sleeps keep wall time), unless -icount asks for the
  // deterministic clock of retired instructions.
  if (!opt.icount) {
    for (hv::Vcpu* v : m.cpus) v->set_clock(2);
    m.sched.set_realtime();
  }
  if (opt.smp > 1) m.vm->set_confer_exits(true);
  m.vm->set_cede_exits(true);

  SpaprDtConfig& dc = m.dc_base;
  dc.model = opt.model;
  dc.pvr = static_cast<u32>(m.cpu->state().pvr);
  dc.vcpus = opt.smp;
  dc.ram_size = opt.ram_size;
  dc.rma_size = m.rma_size;
  dc.bootargs = opt.append;
  dc.resize_hpt = opt.resize_hpt;
  if (!opt.vof) dc.qemu_hypertas = {"hcall-memop1"};
  if (!dc.pvr) dc.pvr = default_pvr(opt.model);
  if (std::string r = m.setup_services(); !r.empty()) return r;
  m.register_slof_hcalls();
  if (std::string r = m.setup_pci(); !r.empty()) return r;
  if (m.phb && opt.vof) m.phb->enumerate();  // no firmware to do it (pci/enumerate.h)
  if (m.phb)
    for (const std::string& name : m.phb->rtas_call_names()) dc.rtas_calls.push_back(name);
  // Power-on is the first reset.
  if (std::string r = m.reset(); !r.empty()) return r;
  if (!opt.dumpdtb.empty()) {
    if (!write_dtb(m.fdt, opt.dumpdtb, &err)) return err;
    m.done = true;
  }
  return {};
}

// System reset, at power-on and for every reboot (RTAS system-reboot), as
// QEMU's machine reset: each piece back to its power-on state, then the
// firmware or the kernel entered again.  RAM is not cleared (as QEMU); the
// images are loaded again over whatever the last boot left there.
std::string SpaprMachine::Impl::reset() {
  if (std::string r = reset_devices(); !r.empty()) return r;
  return boot();
}

std::string SpaprMachine::Impl::reset_devices() {
  // The HPT is the partition's again at the RAM's size, empty (a resize
  // the last boot prepared or committed is gone); real mode is set up
  // again on the next entry.  The LPCR bits the guest chose (H_SET_MODE:
  // ILE, AIL) go back to their initial 0.
  vm->resize().cancel();
  u32 order = hpt_shift_for_ram(opt.ram_size);
  if (int r = vm->allocate_htab(order)) return "cannot allocate the HPT (error " + std::to_string(r) + ")";
  hpt_shift = order;
  vm->set_lpcr_user(0);
  // Threads as created; the secondaries wait stopped for start-cpu again.
  for (hv::Vcpu* v : cpus) v->power_on_reset(sched.timebase());
  sched.reset();
  // Devices first: their interrupt lines drop before the controller resets.
  if (phb) phb->reset();
  xics->reset();
  vof.reset();
  return {};
}

// The images and the tree, then the boot thread's entry.
std::string SpaprMachine::Impl::boot() {
  u64 entry = 0, initrd_start = 0, initrd_size = 0, kernel_size = 0;
  bool le = false;
  if (!opt.kernel.empty())
    if (std::string r = load_guest(entry, le, initrd_start, initrd_size, kernel_size); !r.empty()) return r;
  // The tree as at power-on: CAS negotiates option vector 5 again.
  dc = dc_base;
  dc.hpt_shift = hpt_shift;
  dc.initrd_start = initrd_start;
  dc.initrd_size = initrd_size;
  dc.kernel_addr = opt.kernel.empty() ? 0 : KERNEL_ADDR;
  dc.kernel_size = kernel_size;
  dc.kernel_le = le;
  fdt = build_tree();
  if (fdt.empty()) return "cannot build the device tree";
  fdt_initial_size = fdt.size();
  if (!opt.dumpdtb.empty()) return {};
  vm->memory_written(0, opt.ram_size);
  return opt.vof ? enter_vof(entry, kernel_size, initrd_start, initrd_size) : enter_slof();
}

// SLOF (pseries-boot-facts.md 3.1 step 2): loaded at 0, entered at the
// system-reset vector with r3 = the tree, in 32-bit big-endian real mode.
std::string SpaprMachine::Impl::enter_slof() {
  const u64 fdt_addr = slof_fdt_addr(rma_size);
  if (std::string r = load_slof(fdt_addr); !r.empty()) return r;
  hv::KvmRegs regs{};
  cpu->get_regs(regs);
  regs.pc = SLOF_ENTRY;
  // Machine checks enabled, as KVM and QEMU start a pseries thread: with
  // MSR[ME]=0 a machine check would be a checkstop (Book III-S 6.5.2).
  regs.msr = u64{1} << (63 - 51);
  for (u64& g : regs.gpr) g = 0;
  regs.gpr[3] = fdt_addr;
  cpu->set_regs(regs);
  return {};
}

// The built-in client interface (VOF): the tree is served from here, the
// kernel entered directly with r5 = a stub that makes the client call.
std::string SpaprMachine::Impl::enter_vof(u64 entry, u64 kernel_size, u64 initrd_start, u64 initrd_size) {
  VofConfig vc;
  vc.ram_size = opt.ram_size;
  vc.claim_top = rma_size;
  vc.stdout_path = VTY_PATH;
  vc.cb.console_write = [this](std::string_view s) {
    console_out(reinterpret_cast<const u8*>(s.data()), s.size());
  };
  vc.cb.console_read = [this](char* buf, size_t len) {
    u64 out[3];
    size_t n = 0;
    if (vty->h_get_term_char(0, out) == 0) {
      n = std::min<size_t>(len, out[0]);
      for (size_t k = 0; k < n; ++k) buf[k] = char(out[1 + k / 8] >> (56 - 8 * (k % 8)));
    }
    return n;
  };
  vc.cb.exit = [this] { stop(1, "the guest called the client interface's exit"); };
  vof = std::make_unique<Vof>(fdt, vc);
  if (!vof->ok()) return "cannot set up the client interface";
  VofBootParams bp;
  bp.kernel_entry = entry;
  bp.kernel_addr = KERNEL_ADDR;
  bp.kernel_size = kernel_size;
  bp.initrd_addr = initrd_start;
  bp.initrd_size = initrd_size;
  const std::optional<VofEntryState> es = prepare_vof_boot(*vof, *mem, bp);
  if (!es) return "cannot place the client interface, kernel and initrd in the RMA";
  hv::KvmRegs regs{};
  cpu->get_regs(regs);
  regs.pc = es->nia;
  regs.msr = es->msr;
  regs.gpr[1] = es->r1;
  regs.gpr[3] = es->r3;
  regs.gpr[4] = es->r4;
  regs.gpr[5] = es->r5;
  cpu->set_regs(regs);
  return {};
}

void SpaprMachine::Impl::handle_hcall(hv::Vcpu& v, hv::KvmRun& run) {
  u64 args[9];
  std::memcpy(args, run.papr_hcall.args, sizeof args);
  long ret;
  if (run.papr_hcall.nr == hv::H_LOGICAL_CI_LOAD || run.papr_hcall.nr == hv::H_LOGICAL_CI_STORE)
    ++logical_ci_exits;
  if (run.papr_hcall.nr == KVMPPC_H_VOF_CLIENT && vof) {
    ret = long(vof->handle_client_call(*mem, args[0]));
  } else {
    HcallContext ctx;
    ctx.cpu = v.id();
    ctx.state = &v.state();
    ctx.timebase = sem::cur_tb(v.state());
    ret = hcalls.dispatch(ctx, run.papr_hcall.nr, args);
  }
  run.papr_hcall.ret = u64(ret);
  std::memcpy(run.papr_hcall.args, args, sizeof args);
}

// Console input: bytes on stdin go to the vty (H_GET_TERM_CHAR); end of
// input stops reading.
void SpaprMachine::Impl::poll_stdin(int timeout_ms) {
  if (!stdin_open) {
    if (timeout_ms > 0) ::usleep(unsigned(timeout_ms) * 1000);
    return;
  }
  pollfd pf{0, POLLIN, 0};
  if (::poll(&pf, 1, timeout_ms) <= 0) return;
  u8 buf[256];
  const ssize_t n = ::read(0, buf, sizeof buf);
  if (n <= 0) {
    stdin_open = false;
    return;
  }
  vty->push_input(buf, size_t(n));
}

// realtime_idle: sleep until the next timer event (at most timeout_ms), an
// interrupt or console input.
void SpaprMachine::Impl::wait_idle(int timeout_ms) {
  pollfd pf[2] = {{wake_fd, POLLIN, 0}, {0, POLLIN, 0}};
  if (::poll(pf, stdin_open ? 2 : 1, timeout_ms) <= 0) return;
  if (pf[0].revents & POLLIN) {
    u64 v;
    (void)!::read(wake_fd, &v, sizeof v);
  }
  if (stdin_open && (pf[1].revents & (POLLIN | POLLHUP))) poll_stdin(0);
}

// Every vCPU is idle (ceded or stopped): wait for input in real time on a
// terminal (or for an interrupt with realtime_idle), else go on at once; then,
// if nothing woke a vCPU, the partition's clock skips to the first
// decrementer event.  False: no vCPU can ever run again.
bool SpaprMachine::Impl::run_idle() {
  const std::optional<u64> ticks = sched.idle_ticks();
  if (!ticks) return false;
  const u64 ms = *ticks / (SPAPR_TIMEBASE_FREQ / 1000);
  if (opt.realtime_idle)
    wait_idle(int(std::min<u64>(ms, 1000)));
  else
    poll_stdin(stdin_tty ? int(std::min<u64>(ms, 100)) : 0);
  sched.skip_idle();
  return true;
}

SpaprResult SpaprMachine::run(double timeout_s, const std::vector<std::string>& expect) {
  Impl& m = *p_;
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  m.stdin_open = m.opt.console_stdin;
  m.stdin_tty = m.stdin_open && ::isatty(0);
  unsigned rounds = 0;
  // The watchdog: at the deadline or on SIGTERM/SIGINT it kicks every vCPU
  // (their run loops look at the kick at every slice and interrupt delivery,
  // whatever the guest does) and this loop stops the machine; should the
  // vCPUs still not come back WATCHDOG_GRACE later, it reports where they
  // were and ends the process itself.
  enum : int { NOT_FIRED, DEADLINE, SIGNAL };
  std::atomic<int> fired{NOT_FIRED};
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    std::optional<clock::time_point> since;
    while (!finished.load(std::memory_order_acquire)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const auto now = clock::now();
      if (!since) {
        if (timeout_s > 0 && std::chrono::duration<double>(now - start).count() > timeout_s) fired = DEADLINE;
        else if (m.opt.terminate && *m.opt.terminate) fired = SIGNAL;
        else continue;
        since = now;
      }
      for (hv::Vcpu* v : m.cpus) v->kick();
      if (now - *since < WATCHDOG_GRACE) continue;
      // The vCPU threads are stuck: their registers are read racily, for the
      // message only, just before the process ends.
      std::string where;
      for (hv::Vcpu* v : m.cpus)
        where += fmt::format(" vCPU {} at {:#x} (MSR {:#x});", v->id(), v->state().nip, v->state().msr);
      std::fprintf(stderr, "lpar: %s, and the vCPUs did not stop:%s exiting\n",
                   fired == DEADLINE ? "timeout" : "terminating on signal", where.c_str());
      std::fflush(nullptr);
      ::_exit(fired == DEADLINE ? 124 : 1);
    }
  });
  struct Join {
    std::atomic<bool>& f;
    std::thread& t;
    ~Join() {
      f.store(true, std::memory_order_release);
      t.join();
    }
  } join{finished, watchdog};
  while (!m.stopped) {
    hv::Vcpu* v = m.sched.pick();
    bool turn_over = false;
    if (!v) {
      if (!m.run_idle()) m.stop(1, "every vCPU is stopped");
    } else {
      hv::KvmRun& run = v->run_struct();
      run.insn_limit = m.sched.budget();
      m.sched.enter(v);
      const int r = v->run();
      m.sched.leave(v);
      turn_over = r == -EINTR;
      if (r < 0 && r != -EINTR) {
        m.stop(1, "vCPU " + std::to_string(v->id()) + " cannot run (error " + std::to_string(r) + ")");
        break;
      }
      switch (run.exit_reason) {
        case hv::KVM_EXIT_PAPR_HCALL: m.handle_hcall(*v, run); break;
        case hv::KVM_EXIT_MMIO: m.handle_mmio(run); break;
        case hv::KVM_EXIT_SHUTDOWN:
          m.stop(1, "the guest shut vCPU " + std::to_string(v->id()) + " down");
          break;
        case hv::KVM_EXIT_INTERNAL_ERROR:
          m.stop(1, "internal error in vCPU " + std::to_string(v->id()) + " (emulation failure)");
          break;
        case hv::LPAR_EXIT_GUEST_HANG:
          m.stop(GUEST_HANG_STATUS,
                 fmt::format("guest hang: vCPU {} takes the interrupt at {:#x} again and again with no "
                             "instruction retired ({} times; SRR0 {:#x} SRR1 {:#x} MSR {:#x})",
                             v->id(), run.hang.nip, run.hang.deliveries, run.hang.srr0, run.hang.srr1, run.hang.msr));
          break;
        default: break;  // LPAR_EXIT_IDLE / _YIELD: the scheduler saw it
      }
    }
    if (m.reboot_pending && !m.stopped) {
      // After the exit is served: the reset drops what it left to complete.
      m.reboot_pending = false;
      subsystem_logger("rtas")->debug("system-reboot: machine reset");
      if (std::string e = m.reset(); !e.empty()) m.stop(1, "reboot failed: " + e);
    }
    if (m.opt.terminate && *m.opt.terminate)
      m.stop(0, "terminating on signal " + std::to_string(int(*m.opt.terminate)));
    // The watchdog keeps the clock (its kick brought the vCPU back).
    if (fired.load(std::memory_order_relaxed) == DEADLINE)
      m.stop(124, "timeout: the guest did not finish in " + std::to_string(int(timeout_s)) + " s");
    // A lone vCPU ends a turn every SOLO_TURN instructions: look at the
    // console then; with several, every 64 runs.
    if (((++rounds & 63) == 0 || (turn_over && m.cpus.size() == 1)) && m.stdin_open && !m.stopped)
      m.poll_stdin(0);
  }
  std::fflush(m.opt.console);
  const auto hv_log = subsystem_logger("hv");
  u64 ci_served = 0, in_hv = 0;
  for (hv::Vcpu* v : m.cpus) ci_served += v->logical_ci_served(), in_hv += v->hcalls_in_hv();
  hv_log->debug("hv: {} H_LOGICAL_CI served in the hypervisor, {} exits ({} in-hypervisor hcalls)", ci_served,
                m.logical_ci_exits, in_hv);
  hv_log->flush();
  const auto code_log = subsystem_logger("code");
  for (size_t i = 0; i < m.cpus.size(); ++i) {
    const InterpStats& st = m.cpus[i]->code_stats();
    code_log->debug("code: vCPU {}: {} instructions retired, {} blocks decoded ({} instructions), "
                    "{} real pages hold code, {} pages invalidated by writes, {} full flushes",
                    i, m.cpus[i]->state().icount, st.blocks_built, st.insns_decoded, m.cpus[i]->code_pages(), st.pages_invalidated, st.flushes);
  }
  code_log->flush();
  if (m.result.status == 0) {
    for (const std::string& want : expect)
      if (m.console.find(want) == std::string::npos) {
        m.result = {1, "expected console output not seen: \"" + want + "\""};
        break;
      }
  }
  return m.result;
}

}  // namespace lpar::papr
