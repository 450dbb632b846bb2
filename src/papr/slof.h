// Booting SLOF (-M pseries without vof=on): where its image is found, where
// the machine puts it and the device tree, and the QEMU-private hcalls SLOF
// makes (pseries-boot-facts.md 1f, 3.1):
//   KVMPPC_H_LOGICAL_MEMOP (0xF001)  real-mode copy or invert, advertised as
//                                    qemu,hypertas-functions "hcall-memop1";
//   KVMPPC_H_CAS (0xF002)            ibm,client-architecture-support: the
//                                    answer is {u32 version 1} + a whole FDT;
//   KVMPPC_H_UPDATE_DT (0xF003)      SLOF's flattened tree at quiesce.
// The machine negotiates (cas.h) and builds trees (spapr_dt.h); these
// functions only check the guest's addresses and sizes and move the bytes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "papr/guest_memory.h"

namespace lpar::papr {

inline constexpr u64 SLOF_LOAD_ADDR = 0;        // slof.bin is linked to run from 0
inline constexpr u64 SLOF_ENTRY = 0x100;        // the system-reset vector
inline constexpr u64 SLOF_MAX_SIZE = 4 << 20;   // QEMU's FW_MAX_SIZE
inline constexpr u64 SLOF_FDT_MAX = 2 << 20;    // the tree's room below the RMA top
inline constexpr u32 CAS_RESPONSE_VERSION = 1;  // the header SLOF's archsupport.fs checks (>= 1)

// The firmware file: `bios` if given; else $LPAR_SLOF; else
// <repo>/.cache/guests/slof.bin (scripts/fetch-guests.sh); else Debian's
// /usr/share/qemu/slof.bin.  repo_dir may be empty.  Empty when none exists.
std::string find_slof(const std::string& bios, const std::string& repo_dir);
// The source tree lpar was built in, guessed from /proc/self/exe being
// <repo>/<build dir>/lpar; empty if that has no .cache directory.
std::string exe_repo_dir();

// Where the device tree goes: 2 MiB below min(RMA, 2 GiB), as QEMU.
u64 slof_fdt_addr(u64 rma_size);

// Real addresses from the guest may carry the top "ignore" bits (QEMU's
// ppc64_phys_to_real).
inline u64 phys_to_real(u64 a) { return a & 0x0FFFFFFFFFFFFFFFull; }

// KVMPPC_H_LOGICAL_MEMOP(dst, src, esize, count, op): count elements of
// 1 << esize bytes, op 0 copies and op 1 copies inverted; overlapping ranges
// behave as memmove.  H_SUCCESS or H_PARAMETER (misaligned, op or esize out
// of range, a range outside RAM, count > 2^31).  written: the bytes changed.
long h_logical_memop(GuestMemory& mem, const u64 args[5], u64* written_gpa = nullptr, u64* written_len = nullptr);

// The CAS answer: version header then fdt, into [buf, buf+size).  False when
// it does not fit or is outside RAM.
bool write_cas_response(GuestMemory& mem, u64 buf, u64 size, const std::vector<u8>& fdt);

// KVMPPC_H_UPDATE_DT(addr): the guest's flattened tree, if its totalsize is
// at most max_size, it is all in RAM and fdt_check_full accepts it.
std::optional<std::vector<u8>> read_updated_dt(GuestMemory& mem, u64 addr, u64 max_size);

}  // namespace lpar::papr
