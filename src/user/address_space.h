// The guest's user address space: 4 KiB guest pages backed by host anonymous
// memory, with the guest's r/w/x permissions enforced through the TLB.  This
// is the MemoryBackend that lpar-user plugs into CpuState.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cpu/interp.h"
#include "cpu/memory.h"
#include "cpu/state.h"

namespace lpar::user {

enum GuestProt : u8 { GP_NONE = 0, GP_R = 1, GP_W = 2, GP_X = 4 };

// Where qemu-ppc64le 7.2 starts placing mappings without a fixed address
// (TASK_UNMAPPED_BASE for a 64-bit guest): stack, then mmap() results.
inline constexpr u64 MMAP_BASE = 0x4000000000;
// The highest guest address we hand out (47-bit, like qemu on an x86-64 host).
inline constexpr u64 GUEST_ADDR_LIMIT = u64{1} << 47;

inline u64 page_down(u64 a) { return a & PAGE_MASK; }
inline u64 page_up(u64 a) { return (a + PAGE_SIZE - 1) & PAGE_MASK; }

class AddressSpace {
 public:
  // Installs itself as s.mem.  interp (may be null in tests) learns of
  // writes to pages that hold pre-decoded code.
  AddressSpace(CpuState& s, Interpreter* interp);
  ~AddressSpace();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // Map [start, start+len) (page aligned) as fresh zeroed memory, replacing
  // whatever was there.  False if the range is invalid or the host is out of memory.
  bool map(u64 start, u64 len, unsigned prot);
  // Remove every page of the range that is mapped.
  void unmap(u64 start, u64 len);
  // Change permissions; false (nothing changed) unless every page is mapped.
  bool protect(u64 start, u64 len, unsigned prot);
  bool is_free(u64 start, u64 len) const;
  bool is_mapped(u64 start, u64 len) const;
  // A free page-aligned range of len bytes: hint if free, else the first gap
  // from the mmap cursor, which then advances past it (qemu's policy).  0 if none.
  u64 find_free(u64 hint, u64 len);

  // Guest permissions of the page of ea; GP_NONE if unmapped (use is_mapped).
  unsigned prot_of(u64 ea) const;

  // Host pointer to [ea, ea+len) if it lies in one mapping whose pages all
  // allow `need`; writes through it must be followed by note_write().
  u8* host_range(u64 ea, u64 len, unsigned need);
  // Copies to/from guest memory, checking permissions unless force is set
  // (the loader writes read-only segments).  False on any inaccessible page.
  bool read(u64 ea, void* dst, u64 len, bool force = false);
  bool write(u64 ea, const void* src, u64 len, bool force = false);
  bool read_cstring(u64 ea, std::string& out, size_t max = 65536);
  // Drop pre-decoded code of the pages in the range (after a host-side write).
  void note_write(u64 ea, u64 len);

  // Values in guest byte order.
  bool big_endian = false;
  bool put64(u64 ea, u64 v) { return put(ea, v); }
  bool put32(u64 ea, u32 v) { return put(ea, v); }
  bool get64(u64 ea, u64& v) { return get(ea, v); }
  bool get32(u64 ea, u32& v) { return get(ea, v); }

  u64 mmap_cursor = MMAP_BASE;
  size_t mapping_count() const { return maps_.size(); }

 private:
  struct Mapping {
    u64 start, end;  // page aligned, end exclusive
    u8* host;        // host copy of start; the host memory of this piece only
    std::vector<u8> prot;  // per guest page
  };
  template <typename T>
  bool put(u64 ea, T v) {
    if (big_endian) v = bswap(v);
    return write(ea, &v, sizeof v);
  }
  template <typename T>
  bool get(u64 ea, T& v) {
    if (!read(ea, &v, sizeof v)) return false;
    if (big_endian) v = bswap(v);
    return true;
  }
  static int fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend);
  static void code_write(CpuState& s, u64 ea, uintptr_t host, unsigned len);
  Mapping* find(u64 ea);
  const Mapping* find(u64 ea) const;
  void split_at(u64 addr);  // make addr a mapping boundary
  void flush();             // after the page map changed

  CpuState& s_;
  Interpreter* interp_;
  MemoryBackend backend_{};
  std::map<u64, Mapping> maps_;  // key: start
};

}  // namespace lpar::user
