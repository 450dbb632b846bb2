// The built-in Open Firmware client interface (-M pseries,vof=on): the
// IEEE 1275 client-interface services Linux's prom_init uses, served by lpar
// from the device tree (spapr_dt.h) as QEMU's "VOF" serves them.
//
// How the kernel is entered, with no firmware image in the guest:
// - The machine loads the kernel ELF and initrd, builds the tree, creates a
//   Vof over it, and calls prepare_vof_boot(): it writes a 20-byte client
//   stub at VOF_STUB_ADDR, claims the stub page, the stack, kernel and initrd,
//   and gives the boot CPU's entry state: NIA = the kernel's entry, MSR =
//   32-bit big-endian real mode (what OF hands its client), r1 = stack top,
//   r3/r4 = initrd base/size (prom_init's "if we have an initrd" arguments),
//   r5 = the stub (prom_init's client-interface entry).
// - prom_init reaches the client interface through enter_prom
//   (arch/powerpc/kernel/prom_entry_64.S), which clears MSR[SF] and MSR[LE]
//   before branching to r5 with r3 = the prom_args address: the stub runs as
//   32-bit big-endian code whatever the kernel's own endianness, so it is
//   stored big-endian.  It does `mr r4,r3; li r3,0; ori r3,r3,0xf005; sc 1;
//   blr`: the machine handles hcall KVMPPC_H_VOF_CLIENT (0xF005) by calling
//   Vof::handle_client_call(mem, r4) and putting its result in r3.
// - RTAS is entered the same way (rtas_entry.S: 32-bit big-endian real mode),
//   so the RTAS blob that "instantiate-rtas" writes is big-endian too and
//   makes hcall KVMPPC_H_RTAS (0xF000) with r4 = the RTAS argument buffer.
//
// The prom_args block (IEEE 1275 6.3.1, 32-bit big-endian cells): service
// name address, nargs, nret, then nargs arguments and nret returns, at most
// 10 cells in all.  Every address and length in it is the client's: each is
// checked against guest RAM, and a bad one fails the service with -1.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "papr/cas.h"
#include "papr/guest_memory.h"

namespace lpar::papr {

// QEMU/KVM's private hcalls in PAPR's platform-specific range.
inline constexpr u64 KVMPPC_H_RTAS = 0xF000;
inline constexpr u64 KVMPPC_H_VOF_CLIENT = 0xF005;

inline constexpr u32 PROM_ERROR = 0xffffffff;  // the -1 cell of OF's failures
inline constexpr u64 VOF_STUB_ADDR = 0x100;
inline constexpr u64 VOF_STUB_CLAIM = 0x1000;  // the claimed page holding it
inline constexpr u64 VOF_STACK_SIZE = 0x8000;
inline constexpr unsigned VOF_STUB_BYTES = 20;
inline constexpr unsigned RTAS_BLOB_BYTES = 20;

// The two 5-instruction hcall trampolines, big-endian; false if [gpa,
// gpa+20) is not guest RAM.
bool write_vof_client_stub(GuestMemory& mem, u64 gpa);
bool write_rtas_blob(GuestMemory& mem, u64 gpa);

struct VofCallbacks {
  // Bytes the client writes to stdout (the vty).
  std::function<void(std::string_view)> console_write;
  // Up to len bytes of console input into buf; returns how many (0: none now).
  std::function<size_t(char* buf, size_t len)> console_read;
  // After the options are agreed and /chosen/ibm,architecture-vec-5 updated:
  // the machine applies them (HPT size, ...).  Returning false fails the
  // call (e.g. other vCPUs already run).  Vof::set_property may be used.
  std::function<bool(const CasResult&)> client_architecture_support;
  // "quiesce": the client is done with OF; the tree is packed.
  std::function<void()> quiesce;
  // "exit": the client asks to stop.
  std::function<void()> exit;
  // "milliseconds"; unset = host monotonic time since the Vof was made.
  std::function<u32()> milliseconds;
  // Every successful "setprop", for the machine's own copy of state such
  // as /chosen bootargs or linux,initrd-start.
  std::function<void(const std::string& node_path, const std::string& name, std::string_view value)> setprop;
};

struct VofConfig {
  u64 ram_size = 0;
  u64 claim_top = 0;      // aligned claims stay below min(this, 4 GiB): the RMA
  CasPlatform platform;   // what CAS negotiates against (pvr 0 = default_pvr(model))
  std::string stdout_path;  // pre-opened as /chosen/stdout; empty = /chosen/stdout-path
  VofCallbacks cb;
};

class Vof {
 public:
  // Takes the tree built by build_spapr_fdt and gives every node without a
  // phandle one (OF packages are phandles), then opens stdout.  ok() is
  // false if the tree is unusable.
  Vof(std::span<const u8> fdt, VofConfig cfg);
  bool ok() const { return ok_; }

  // KVMPPC_H_VOF_CLIENT: serves the prom_args block at args_gpa.  0 once a
  // service ran (its own status is in the return cells); -1 when the block,
  // the service name or the counts are bad, or the service is unknown.
  u64 handle_client_call(GuestMemory& mem, u64 args_gpa);

  // The claim allocator (IEEE 1275 "claim"): align == 0 claims exactly
  // [virt, virt+size), else the lowest free align-aligned block below
  // claim_top.  nullopt on overlap, size 0, or outside RAM / 4 GiB.
  std::optional<u64> claim(u64 virt, u64 size, u64 align);
  bool release(u64 virt, u64 size);  // an exact earlier claim

  u32 open(std::string_view path);  // ihandle, or PROM_ERROR
  u32 instance_package(u32 ihandle) const;  // phandle, or PROM_ERROR
  u32 stdout_ihandle() const { return stdout_ih_; }

  // The current tree (valid until the next mutation).
  const void* fdt() const { return buf_.data(); }
  size_t fdt_size() const;
  std::vector<u8> fdt_copy() const;
  bool set_property(const std::string& node_path, const std::string& name, const void* val, size_t len);
  bool quiesced() const { return quiesced_; }

 private:
  struct Claimed {
    u64 start, size;
  };
  struct Instance {
    u32 phandle;
    std::string path;
  };
  struct Call;

  int node_of(u32 phandle) const;  // fdt offset, or < 0
  bool setprop_at(int node, const char* name, const void* val, size_t len);
  bool grow();
  bool overlaps(u64 start, u64 size) const;
  void update_available();

  u32 svc_finddevice(Call& c);
  u32 svc_getprop(Call& c, bool len_only);
  u32 svc_nextprop(Call& c);
  u32 svc_setprop(Call& c);
  u32 svc_relative(Call& c, int which);
  u32 svc_to_path(Call& c, u32 phandle);
  u32 svc_write(Call& c);
  u32 svc_read(Call& c);
  u32 svc_claim(Call& c);
  u32 svc_call_method(Call& c);
  u32 method_cas(Call& c, u32 vec);
  u32 method_instantiate_rtas(Call& c, u32 base);
  void svc_quiesce();
  u32 milliseconds();

  std::vector<u8> buf_;
  VofConfig cfg_;
  bool ok_ = false;
  bool quiesced_ = false;
  std::vector<Claimed> claimed_;
  std::map<u32, Instance> instances_;
  u32 next_ihandle_ = 1;
  u32 stdout_ih_ = PROM_ERROR;
  u32 stdout_ph_ = 0;
  int64_t start_ns_ = 0;
};

struct VofBootParams {
  u64 kernel_entry = 0;  // guest physical entry (ELF e_entry translated to RAM)
  u64 kernel_addr = 0, kernel_size = 0;
  u64 initrd_addr = 0, initrd_size = 0;
};
struct VofEntryState {
  u64 nia = 0, msr = 0, r1 = 0, r3 = 0, r4 = 0, r5 = 0;
};
// Writes the client stub, claims stub page, stack, kernel and initrd, and
// returns the boot CPU's registers; nullopt if a claim or the stub fails.
std::optional<VofEntryState> prepare_vof_boot(Vof& vof, GuestMemory& mem, const VofBootParams& p);

}  // namespace lpar::papr
