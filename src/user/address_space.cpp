#include "user/address_space.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

namespace lpar::user {

namespace {
// DSISR bits for a storage interrupt (Book III-S 7.5.3): no translation / protection / store.
constexpr u32 DSISR_NOPTE = 0x40000000;
constexpr u32 DSISR_PROTFAULT = 0x08000000;
constexpr u32 DSISR_STORE = 0x02000000;

u8* host_alloc(u64 len) {
  void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<u8*>(p);
}
bool range_ok(u64 start, u64 len) {
  return (start & ~PAGE_MASK) == 0 && len != 0 && start < GUEST_ADDR_LIMIT && len <= GUEST_ADDR_LIMIT - start;
}
}  // namespace

AddressSpace::AddressSpace(CpuState& s, Interpreter* interp) : s_(s), interp_(interp) {
  backend_.fill = &fill;
  backend_.code_write = &code_write;
  backend_.opaque = this;
  s_.mem = &backend_;
  reset_tlb(s_);
}

AddressSpace::~AddressSpace() {
  for (auto& [k, m] : maps_) ::munmap(m.host, m.end - m.start);
}

AddressSpace::Mapping* AddressSpace::find(u64 ea) {
  auto it = maps_.upper_bound(ea);
  if (it == maps_.begin()) return nullptr;
  --it;
  return ea < it->second.end ? &it->second : nullptr;
}
const AddressSpace::Mapping* AddressSpace::find(u64 ea) const {
  return const_cast<AddressSpace*>(this)->find(ea);
}

void AddressSpace::split_at(u64 addr) {
  Mapping* m = find(addr);
  if (!m || m->start == addr) return;
  Mapping hi;
  hi.start = addr;
  hi.end = m->end;
  hi.host = m->host + (addr - m->start);
  const size_t n = (addr - m->start) >> PAGE_SHIFT;
  hi.prot.assign(m->prot.begin() + n, m->prot.end());
  m->prot.resize(n);
  m->end = addr;
  maps_.emplace(addr, std::move(hi));
}

void AddressSpace::flush() { reset_tlb(s_); }

void AddressSpace::note_write(u64 ea, u64 len) {
  if (!interp_ || len == 0) return;
  for (u64 p = page_down(ea); p < ea + len && p >= page_down(ea); p += PAGE_SIZE)
    if (const Mapping* m = find(p)) interp_->invalidate_page(reinterpret_cast<uintptr_t>(m->host + (p - m->start)));
}

bool AddressSpace::map(u64 start, u64 len, unsigned prot) {
  len = page_up(len);
  if (!range_ok(start, len)) return false;
  u8* host = host_alloc(len);
  if (!host) return false;
  unmap(start, len);
  maps_.emplace(start, Mapping{start, start + len, host, std::vector<u8>(len >> PAGE_SHIFT, static_cast<u8>(prot))});
  flush();
  return true;
}

void AddressSpace::unmap(u64 start, u64 len) {
  len = page_up(len);
  if (!range_ok(start, len)) return;
  const u64 end = start + len;
  split_at(start);
  split_at(end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end;) {
    note_write(it->second.start, it->second.end - it->second.start);
    ::munmap(it->second.host, it->second.end - it->second.start);
    it = maps_.erase(it);
  }
  flush();
}

bool AddressSpace::protect(u64 start, u64 len, unsigned prot) {
  len = page_up(len);
  if (!range_ok(start, len) || !is_mapped(start, len)) return false;
  const u64 end = start + len;
  for (auto it = std::prev(maps_.upper_bound(start)); it != maps_.end() && it->first < end; ++it) {
    Mapping& m = it->second;
    for (u64 p = std::max(start, m.start); p < std::min(end, m.end); p += PAGE_SIZE)
      m.prot[(p - m.start) >> PAGE_SHIFT] = static_cast<u8>(prot);
  }
  flush();
  return true;
}

bool AddressSpace::is_free(u64 start, u64 len) const {
  if (len == 0) return true;
  if (start >= GUEST_ADDR_LIMIT || len > GUEST_ADDR_LIMIT - start) return false;
  auto it = maps_.upper_bound(start);
  if (it != maps_.begin() && std::prev(it)->second.end > start) return false;
  return it == maps_.end() || it->first >= start + len;
}

bool AddressSpace::is_mapped(u64 start, u64 len) const {
  u64 p = page_down(start);
  const u64 end = start + len;
  if (end < start) return false;
  while (p < end) {
    const Mapping* m = find(p);
    if (!m) return false;
    p = m->end;
  }
  return true;
}

u64 AddressSpace::find_free(u64 hint, u64 len) {
  len = page_up(len);
  if (len == 0 || len > GUEST_ADDR_LIMIT) return 0;
  hint = page_down(hint);
  if (hint && is_free(hint, len)) return hint;
  // First gap at or after the cursor, then wrap to the start of the mmap area.
  for (u64 from : {mmap_cursor, MMAP_BASE}) {
    u64 a = from;
    while (a + len <= GUEST_ADDR_LIMIT && a >= from) {
      auto it = maps_.upper_bound(a);
      if (it != maps_.begin() && std::prev(it)->second.end > a) {
        a = std::prev(it)->second.end;
        continue;
      }
      if (it == maps_.end() || it->first >= a + len) {
        if (a == mmap_cursor) mmap_cursor = a + len;
        return a;
      }
      a = it->second.end;
    }
  }
  return 0;
}

unsigned AddressSpace::prot_of(u64 ea) const {
  const Mapping* m = find(ea);
  return m ? m->prot[(page_down(ea) - m->start) >> PAGE_SHIFT] : unsigned{GP_NONE};
}

u8* AddressSpace::host_range(u64 ea, u64 len, unsigned need) {
  Mapping* m = find(ea);
  if (!m) return nullptr;
  if (len > m->end - ea) return nullptr;
  for (u64 p = page_down(ea); p < ea + len; p += PAGE_SIZE)
    if ((m->prot[(p - m->start) >> PAGE_SHIFT] & need) != need) return nullptr;
  return m->host + (ea - m->start);
}

bool AddressSpace::read(u64 ea, void* dst, u64 len, bool force) {
  auto* out = static_cast<u8*>(dst);
  while (len) {
    const Mapping* m = find(ea);
    if (!m) return false;
    const u64 chunk = std::min<u64>(len, PAGE_SIZE - (ea & ~PAGE_MASK));
    if (!force && !(m->prot[(page_down(ea) - m->start) >> PAGE_SHIFT] & GP_R)) return false;
    std::memcpy(out, m->host + (ea - m->start), chunk);
    out += chunk;
    ea += chunk;
    len -= chunk;
  }
  return true;
}

bool AddressSpace::write(u64 ea, const void* src, u64 len, bool force) {
  // Check first so that a failing write changes nothing.
  for (u64 p = page_down(ea); p < ea + len; p += PAGE_SIZE) {
    const Mapping* m = find(p);
    if (!m || (!force && !(m->prot[(p - m->start) >> PAGE_SHIFT] & GP_W))) return false;
  }
  const auto* in = static_cast<const u8*>(src);
  const u64 start = ea, total = len;
  while (len) {
    Mapping* m = find(ea);
    const u64 chunk = std::min<u64>(len, m->end - ea);
    std::memcpy(m->host + (ea - m->start), in, chunk);
    in += chunk;
    ea += chunk;
    len -= chunk;
  }
  note_write(start, total);
  return true;
}

bool AddressSpace::read_cstring(u64 ea, std::string& out, size_t max) {
  out.clear();
  while (out.size() < max) {
    const Mapping* m = find(ea);
    if (!m || !(m->prot[(page_down(ea) - m->start) >> PAGE_SHIFT] & GP_R)) return false;
    const u8* p = m->host + (ea - m->start);
    const size_t avail = PAGE_SIZE - (ea & ~PAGE_MASK);
    const void* nul = std::memchr(p, 0, avail);
    const size_t n = nul ? static_cast<const u8*>(nul) - p : avail;
    out.append(reinterpret_cast<const char*>(p), n);
    if (nul) return true;
    ea += n;
  }
  return false;
}

int AddressSpace::fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
  auto* self = static_cast<AddressSpace*>(s.mem->opaque);
  const u64 page = ea & PAGE_MASK;
  const Mapping* m = self->find(ea);
  const unsigned need = acc == Access::Read ? GP_R : acc == Access::Write ? GP_W : GP_X;
  const unsigned prot = m ? m->prot[(page - m->start) >> PAGE_SHIFT] : 0;
  if (!(prot & need)) {
    s.exc = acc == Access::Exec ? Exc::ISI : Exc::DSI;
    s.exc_reason = (m ? DSISR_PROTFAULT : DSISR_NOPTE) | (acc == Access::Write ? DSISR_STORE : 0);
    s.exc_addr = ea;
    return FILL_FAULT;
  }
  *addend = reinterpret_cast<uintptr_t>(m->host + (page - m->start)) - page;
  const bool code = self->interp_ && self->interp_->page_has_code(reinterpret_cast<uintptr_t>(m->host + (page - m->start)));
  TlbEntry& e = tlb_entry(s, ea);
  e.addend = *addend;
  e.tag_read = (prot & GP_R) ? page : TLB_INVALID;
  e.tag_exec = (prot & GP_X) ? page : TLB_INVALID;
  e.tag_write = ((prot & GP_W) && !code) ? page : TLB_INVALID;
  return code ? FILL_CODE : FILL_OK;
}

void AddressSpace::code_write(CpuState& s, u64, uintptr_t host, unsigned len) {
  auto* self = static_cast<AddressSpace*>(s.mem->opaque);
  if (self->interp_) self->interp_->invalidate_range(host, len);
}

}  // namespace lpar::user
