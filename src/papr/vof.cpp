#include "papr/vof.h"

#include <libfdt.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

#include "papr/spapr_dt.h"

namespace lpar::papr {

namespace {

constexpr unsigned MAX_CELLS = 10;         // args + returns in a prom_args block
constexpr size_t MAX_SERVICE = 64;         // service and method names
constexpr size_t MAX_PROPNAME = 64;        // LoPAPR's longest names exceed OF's 32
constexpr size_t MAX_PATH = 256;
constexpr size_t MAX_SETPROP = 64 * 1024;  // one property the client stores
constexpr size_t MAX_TREE = 16 * 1024 * 1024;
constexpr size_t CONSOLE_CHUNK = 256;
// Bounds on what a client can make lpar keep (it could otherwise open or
// claim until the host runs out of memory).
constexpr size_t MAX_INSTANCES = 4096;
constexpr size_t MAX_CLAIMS = 1024;
constexpr u64 FOUR_GIB = u64{1} << 32;
constexpr u64 MSR_ME = u64{1} << 12;  // Book III-S 4.2.1: machine checks enabled

// Big-endian instruction words (Book I opcodes).
constexpr u32 INSN_MR_R4_R3 = 0x7c641b78;  // or r4,r3,r3
constexpr u32 INSN_LI_R3_0 = 0x38600000;   // addi r3,0,0
constexpr u32 INSN_ORI_R3 = 0x60630000;    // ori r3,r3,UI
constexpr u32 INSN_SC_1 = 0x44000022;      // sc LEV=1: hypervisor call
constexpr u32 INSN_BLR = 0x4e800020;

bool write_hcall_trampoline(GuestMemory& mem, u64 gpa, u32 hcall) {
  const u32 words[] = {INSN_MR_R4_R3, INSN_LI_R3_0, INSN_ORI_R3 | hcall, INSN_SC_1, INSN_BLR};
  u8* p = mem.host_ptr(gpa, sizeof words);
  if (!p) return false;
  for (u32 w : words) {
    p[0] = u8(w >> 24), p[1] = u8(w >> 16), p[2] = u8(w >> 8), p[3] = u8(w);
    p += 4;
  }
  return true;
}

// A NUL-terminated string of at most max-1 characters at gpa, read a byte
// at a time so a short string near the end of RAM is still readable.
bool read_cstr(GuestMemory& mem, u64 gpa, size_t max, std::string& out) {
  out.clear();
  for (size_t i = 0; i < max; ++i) {
    u8 c;
    if (!mem.read(gpa + i, &c, 1)) return false;
    if (!c) return true;
    out.push_back(char(c));
  }
  return false;
}

// OF writes unit addresses in lower-case hex; accept a client's upper case.
std::string normalize_path(const std::string& path) {
  std::string p = path;
  bool in_unit = false;
  for (char& ch : p) {
    if (ch == '/') in_unit = false;
    else if (ch == '@') in_unit = true;
    else if (in_unit) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  }
  return p;
}

u64 align_up(u64 v, u64 a) { return (v + a - 1) & ~(a - 1); }

}  // namespace

bool write_vof_client_stub(GuestMemory& mem, u64 gpa) {
  return write_hcall_trampoline(mem, gpa, u32(KVMPPC_H_VOF_CLIENT));
}
bool write_rtas_blob(GuestMemory& mem, u64 gpa) { return write_hcall_trampoline(mem, gpa, u32(KVMPPC_H_RTAS)); }

// One decoded client call: the cells, and the returns the service fills.
struct Vof::Call {
  GuestMemory& mem;
  std::string service;
  u32 nargs = 0, nret = 0;
  u32 args[MAX_CELLS] = {};
  u32 rets[MAX_CELLS] = {};
};

Vof::Vof(std::span<const u8> fdt, VofConfig cfg) : cfg_(std::move(cfg)) {
  if (!cfg_.platform.pvr) cfg_.platform.pvr = default_pvr(cfg_.platform.model);
  start_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now().time_since_epoch())
                  .count();
  if (fdt.size() < sizeof(fdt_header) || fdt_check_header(fdt.data()) != 0 ||
      fdt_totalsize(fdt.data()) > fdt.size())
    return;
  buf_.resize(fdt_totalsize(fdt.data()) + 64 * 1024);
  if (fdt_open_into(fdt.data(), buf_.data(), int(buf_.size())) != 0) return;

  // OF names packages by phandle: give one to every node (vof_build_dt).
  u32 next = fdt_get_max_phandle(buf_.data());
  if (next == u32(-1)) return;
  for (int off = fdt_next_node(buf_.data(), -1, nullptr); off >= 0; off = fdt_next_node(buf_.data(), off, nullptr)) {
    if (fdt_get_phandle(buf_.data(), off)) continue;
    fdt32_t ph = cpu_to_fdt32(++next);
    if (!setprop_at(off, "phandle", &ph, sizeof ph)) return;
  }

  std::string out = cfg_.stdout_path;
  int chosen = fdt_path_offset(buf_.data(), "/chosen");
  if (out.empty() && chosen >= 0) {
    int len = 0;
    auto* p = static_cast<const char*>(fdt_getprop(buf_.data(), chosen, "stdout-path", &len));
    if (p && len > 0) out.assign(p, strnlen(p, size_t(len)));
  }
  if (!out.empty() && chosen >= 0) {
    stdout_ih_ = open(out);
    if (stdout_ih_ != PROM_ERROR) {
      stdout_ph_ = instance_package(stdout_ih_);
      fdt32_t ih = cpu_to_fdt32(stdout_ih_);
      if (!setprop_at(chosen, "stdout", &ih, sizeof ih)) return;
    }
  }
  ok_ = true;
}

size_t Vof::fdt_size() const { return buf_.empty() ? 0 : fdt_totalsize(buf_.data()); }

std::vector<u8> Vof::fdt_copy() const {
  std::vector<u8> v(buf_.begin(), buf_.begin() + ptrdiff_t(fdt_size()));
  if (!v.empty()) fdt_pack(v.data()), v.resize(fdt_totalsize(v.data()));
  return v;
}

int Vof::node_of(u32 phandle) const {
  if (phandle == 0 || phandle == PROM_ERROR) return -FDT_ERR_NOTFOUND;
  return fdt_node_offset_by_phandle(buf_.data(), phandle);
}

bool Vof::grow() {
  size_t cur = buf_.size();
  if (cur >= MAX_TREE) return false;
  std::vector<u8> bigger(std::min(cur * 2, MAX_TREE));
  if (fdt_open_into(buf_.data(), bigger.data(), int(bigger.size())) != 0) return false;
  buf_.swap(bigger);
  return true;
}

bool Vof::setprop_at(int node, const char* name, const void* val, size_t len) {
  for (;;) {
    int rc = fdt_setprop(buf_.data(), node, name, val, int(len));
    if (rc == 0) return true;
    if (rc != -FDT_ERR_NOSPACE || !grow()) return false;
  }
}

bool Vof::set_property(const std::string& node_path, const std::string& name, const void* val, size_t len) {
  int node = fdt_path_offset(buf_.data(), node_path.c_str());
  return node >= 0 && setprop_at(node, name.c_str(), val, len);
}

u32 Vof::open(std::string_view path) {
  std::string p = normalize_path(std::string(path));
  int off = fdt_path_offset(buf_.data(), p.c_str());
  if (off < 0 || next_ihandle_ == PROM_ERROR || instances_.size() >= MAX_INSTANCES) return PROM_ERROR;
  u32 ph = fdt_get_phandle(buf_.data(), off);
  if (!ph) return PROM_ERROR;
  u32 ih = next_ihandle_++;
  instances_[ih] = Instance{ph, p};
  return ih;
}

u32 Vof::instance_package(u32 ihandle) const {
  auto it = instances_.find(ihandle);
  return it == instances_.end() ? PROM_ERROR : it->second.phandle;
}

// --- Claims (IEEE 1275 "claim"/"release"; LoPAPR B.6.2.1 for the RMA limit).

bool Vof::overlaps(u64 start, u64 size) const {
  for (const auto& c : claimed_)
    if (start < c.start + c.size && c.start < start + size) return true;
  return false;
}

std::optional<u64> Vof::claim(u64 virt, u64 size, u64 align) {
  const u64 limit = std::min(cfg_.ram_size, FOUR_GIB);
  if (size == 0 || size > limit || claimed_.size() >= MAX_CLAIMS) return std::nullopt;
  u64 at;
  if (align == 0) {
    if (virt > limit - size || overlaps(virt, size)) return std::nullopt;
    at = virt;
  } else {
    if ((align & (align - 1)) || align > limit) return std::nullopt;
    const u64 top = std::min(cfg_.claim_top ? cfg_.claim_top : cfg_.ram_size, limit);
    at = 0;
    for (;;) {
      at = align_up(at, align);
      if (at > top || size > top - at) return std::nullopt;
      const Claimed* hit = nullptr;
      for (const auto& c : claimed_)
        if (at < c.start + c.size && c.start < at + size) hit = &c;
      if (!hit) break;
      at = hit->start + hit->size;
    }
  }
  claimed_.push_back({at, size});
  update_available();
  return at;
}

bool Vof::release(u64 virt, u64 size) {
  auto it = std::find_if(claimed_.begin(), claimed_.end(),
                         [&](const Claimed& c) { return c.start == virt && c.size == size; });
  if (it == claimed_.end()) return false;
  claimed_.erase(it);
  update_available();
  return true;
}

// /memory@0 "available": the unclaimed parts of the node's reg (IEEE 1275
// 3.7.6), so a client walking the tree sees what it may still claim.
void Vof::update_available() {
  int mem0 = fdt_path_offset(buf_.data(), "/memory@0");
  if (mem0 < 0) return;
  int len = 0;
  auto* reg = static_cast<const fdt32_t*>(fdt_getprop(buf_.data(), mem0, "reg", &len));
  if (!reg || len != 16) return;
  const u64 end = u64(fdt32_to_cpu(reg[2])) << 32 | fdt32_to_cpu(reg[3]);
  std::vector<Claimed> sorted = claimed_;
  std::sort(sorted.begin(), sorted.end(), [](const Claimed& a, const Claimed& b) { return a.start < b.start; });
  std::vector<fdt32_t> avail;
  u64 cur = 0;
  auto gap = [&](u64 from, u64 to) {
    if (to <= from) return;
    for (u64 v : {from, to - from}) avail.push_back(cpu_to_fdt32(u32(v >> 32))), avail.push_back(cpu_to_fdt32(u32(v)));
  };
  for (const auto& c : sorted) {
    gap(cur, std::min(c.start, end));
    cur = std::max(cur, c.start + c.size);
  }
  gap(cur, end);
  setprop_at(mem0, "available", avail.data(), avail.size() * 4);
}

// --- The client interface.

u64 Vof::handle_client_call(GuestMemory& mem, u64 args_gpa) {
  Call c{mem, {}};
  u32 service_addr;
  if (!mem.read_be32(args_gpa, service_addr) || !mem.read_be32(args_gpa + 4, c.nargs) ||
      !mem.read_be32(args_gpa + 8, c.nret))
    return u64(-1);
  if (c.nargs > MAX_CELLS || c.nret > MAX_CELLS - c.nargs) return u64(-1);
  for (u32 i = 0; i < c.nargs; ++i)
    if (!mem.read_be32(args_gpa + 12 + 4 * i, c.args[i])) return u64(-1);
  if (!read_cstr(mem, service_addr, MAX_SERVICE, c.service)) return u64(-1);

  // Service name, exact argument count, and the returns it needs.
  auto is = [&](const char* name, u32 nargs, u32 nret) {
    return c.service == name && c.nargs == nargs && c.nret >= nret;
  };
  bool known = true;
  u32* r = c.rets;
  const u32* a = c.args;
  if (is("finddevice", 1, 1)) r[0] = svc_finddevice(c);
  else if (is("getprop", 4, 1)) r[0] = svc_getprop(c, false);
  else if (is("getproplen", 2, 1)) r[0] = svc_getprop(c, true);
  else if (is("nextprop", 3, 1)) r[0] = svc_nextprop(c);
  else if (is("setprop", 4, 1)) r[0] = svc_setprop(c);
  else if (is("peer", 1, 1)) r[0] = svc_relative(c, 0);
  else if (is("child", 1, 1)) r[0] = svc_relative(c, 1);
  else if (is("parent", 1, 1)) r[0] = svc_relative(c, 2);
  else if (is("open", 1, 1)) {
    std::string path;
    r[0] = read_cstr(mem, a[0], MAX_PATH, path) ? open(path) : PROM_ERROR;
  } else if (is("close", 1, 0)) instances_.erase(a[0]);
  else if (is("instance-to-package", 1, 1)) r[0] = instance_package(a[0]);
  else if (is("package-to-path", 3, 1)) r[0] = svc_to_path(c, a[0]);
  else if (is("instance-to-path", 3, 1)) r[0] = svc_to_path(c, instance_package(a[0]));
  else if (is("write", 3, 1)) r[0] = svc_write(c);
  else if (is("read", 3, 1)) r[0] = svc_read(c);
  else if (is("claim", 3, 1)) r[0] = svc_claim(c);
  else if (is("release", 2, 0)) {
    bool done = release(a[0], a[1]);
    if (c.nret) r[0] = done ? 0 : PROM_ERROR;
  } else if (c.service == "call-method" && c.nargs >= 2 && c.nret >= 1) r[0] = svc_call_method(c);
  else if (c.service == "interpret" && c.nargs >= 1 && c.nret >= 1) r[0] = PROM_ERROR;  // no Forth here
  else if (is("milliseconds", 0, 1)) r[0] = milliseconds();
  else if (is("quiesce", 0, 0)) svc_quiesce();
  else if (is("exit", 0, 0)) {
    if (cfg_.cb.exit) cfg_.cb.exit();
  } else {
    known = false;
    r[0] = PROM_ERROR;
  }

  for (u32 i = 0; i < c.nret; ++i)
    if (!mem.write_be32(args_gpa + 12 + 4 * (c.nargs + i), c.rets[i])) return u64(-1);
  return known ? 0 : u64(-1);
}

u32 Vof::svc_finddevice(Call& c) {
  std::string path;
  if (!read_cstr(c.mem, c.args[0], MAX_PATH, path)) return PROM_ERROR;
  int off = fdt_path_offset(buf_.data(), normalize_path(path).c_str());
  if (off < 0) return PROM_ERROR;
  u32 ph = fdt_get_phandle(buf_.data(), off);
  return ph ? ph : PROM_ERROR;
}

// getprop(phandle, name, buf, buflen) -> size; getproplen(phandle, name).
// "name" is implicit in a flattened tree: it is the node name up to '@'.
u32 Vof::svc_getprop(Call& c, bool len_only) {
  int node = node_of(c.args[0]);
  std::string name;
  if (node < 0 || !read_cstr(c.mem, c.args[1], MAX_PROPNAME + 1, name)) return PROM_ERROR;
  int len = 0;
  const void* val = fdt_getprop(buf_.data(), node, name.c_str(), &len);
  std::string synth;
  if (!val) {
    if (name != "name") return PROM_ERROR;
    const char* n = fdt_get_name(buf_.data(), node, &len);
    if (!n) return PROM_ERROR;
    synth.assign(n, size_t(len));
    synth = synth.substr(0, synth.find('@'));
    synth.push_back('\0');
    val = synth.data();
    len = int(synth.size());
  }
  if (len_only) return u32(len);
  const u32 cb = std::min(u32(len), c.args[3]);
  if (cb && !c.mem.write(c.args[2], val, cb)) return PROM_ERROR;
  return u32(len);  // the whole size, as IEEE 1275 says, even when truncated
}

// nextprop(phandle, previous, buf) -> -1 (bad node or previous), 0 (no
// more), 1 (next name stored in buf).
u32 Vof::svc_nextprop(Call& c) {
  int node = node_of(c.args[0]);
  std::string prev;
  if (node < 0 || !read_cstr(c.mem, c.args[1], MAX_PROPNAME + 1, prev)) return PROM_ERROR;
  bool take = prev.empty();
  int off;
  fdt_for_each_property_offset(off, buf_.data(), node) {
    const char* pname = nullptr;
    if (!fdt_getprop_by_offset(buf_.data(), off, &pname, nullptr) || !pname) return PROM_ERROR;
    if (take) return c.mem.write(c.args[2], pname, std::strlen(pname) + 1) ? 1 : PROM_ERROR;
    take = prev == pname;
  }
  return take ? 0 : PROM_ERROR;
}

// setprop(phandle, name, buf, len) -> len.
u32 Vof::svc_setprop(Call& c) {
  int node = node_of(c.args[0]);
  std::string name;
  const u32 len = c.args[3];
  if (node < 0 || len > MAX_SETPROP || !read_cstr(c.mem, c.args[1], MAX_PROPNAME + 1, name) || name.empty())
    return PROM_ERROR;
  std::vector<u8> val(len);
  if (len && !c.mem.read(c.args[2], val.data(), len)) return PROM_ERROR;
  char path[MAX_PATH];
  if (fdt_get_path(buf_.data(), node, path, sizeof path) < 0) return PROM_ERROR;
  if (!setprop_at(node, name.c_str(), val.data(), len)) return PROM_ERROR;
  if (cfg_.cb.setprop)
    cfg_.cb.setprop(path, name, std::string_view(reinterpret_cast<const char*>(val.data()), len));
  return len;
}

// peer (0: next sibling; of phandle 0: the root), child (1), parent (2);
// 0 when there is none.
u32 Vof::svc_relative(Call& c, int which) {
  const u32 ph = c.args[0];
  int off;
  if (which == 0 && ph == 0) {
    off = 0;
  } else {
    int node = node_of(ph);
    if (node < 0) return 0;
    off = which == 0   ? fdt_next_subnode(buf_.data(), node)
          : which == 1 ? fdt_first_subnode(buf_.data(), node)
                       : fdt_parent_offset(buf_.data(), node);
  }
  return off >= 0 ? fdt_get_phandle(buf_.data(), off) : 0;
}

// package-to-path / instance-to-path (phandle, buf, buflen) -> length of the
// path without its NUL; the NUL is stored when it fits.
u32 Vof::svc_to_path(Call& c, u32 phandle) {
  int node = node_of(phandle);
  char path[MAX_PATH];
  if (node < 0 || fdt_get_path(buf_.data(), node, path, sizeof path) < 0) return PROM_ERROR;
  const u32 len = u32(std::strlen(path));
  const u32 cb = std::min(len + 1, c.args[2]);
  if (cb && !c.mem.write(c.args[1], path, cb)) return PROM_ERROR;
  return len;
}

// write(ihandle, buf, len) -> len: only the stdout device has an output.
u32 Vof::svc_write(Call& c) {
  if (instance_package(c.args[0]) == PROM_ERROR || instance_package(c.args[0]) != stdout_ph_) return PROM_ERROR;
  const u32 len = c.args[2];
  if (len && !c.mem.host_ptr(c.args[1], len)) return PROM_ERROR;
  char chunk[CONSOLE_CHUNK];
  for (u32 done = 0; done < len;) {
    const u32 n = std::min<u32>(len - done, CONSOLE_CHUNK);
    if (!c.mem.read(c.args[1] + done, chunk, n)) return PROM_ERROR;
    if (cfg_.cb.console_write) cfg_.cb.console_write(std::string_view(chunk, n));
    done += n;
  }
  return len;
}

// read(ihandle, buf, len) -> bytes read; 0 when no input is waiting (the
// console never blocks the client).
u32 Vof::svc_read(Call& c) {
  if (instance_package(c.args[0]) == PROM_ERROR || instance_package(c.args[0]) != stdout_ph_) return PROM_ERROR;
  char chunk[CONSOLE_CHUNK];
  const size_t want = std::min<size_t>(c.args[2], CONSOLE_CHUNK);
  if (want && !c.mem.host_ptr(c.args[1], want)) return PROM_ERROR;
  size_t got = cfg_.cb.console_read && want ? std::min(cfg_.cb.console_read(chunk, want), want) : 0;
  if (got && !c.mem.write(c.args[1], chunk, got)) return PROM_ERROR;
  return u32(got);
}

u32 Vof::svc_claim(Call& c) {
  auto at = claim(c.args[0], c.args[1], c.args[2]);
  return at ? u32(*at) : PROM_ERROR;
}

// call-method(method, ihandle, stack arguments...) -> catch-result, results.
// Only the two methods prom_init calls exist (LoPAPR B.5.2, B.7.2).
u32 Vof::svc_call_method(Call& c) {
  std::string method;
  const u32 pkg = instance_package(c.args[1]);
  if (pkg == PROM_ERROR || !read_cstr(c.mem, c.args[0], MAX_SERVICE, method)) return PROM_ERROR;
  const int node = node_of(pkg);
  if (node < 0 || c.nargs < 3 || c.nret < 2) return PROM_ERROR;
  if (node == 0 && method == "ibm,client-architecture-support") {
    c.rets[1] = method_cas(c, c.args[2]);
    return 0;
  }
  if (node == fdt_path_offset(buf_.data(), "/rtas") && method == "instantiate-rtas") {
    u32 entry = method_instantiate_rtas(c, c.args[2]);
    if (entry == PROM_ERROR) return PROM_ERROR;
    c.rets[1] = entry;
    return 0;
  }
  return PROM_ERROR;
}

// ibm,client-architecture-support(vector) -> 0 if agreed, else nonzero (the
// client then boots with its defaults, as Linux warns and does).
u32 Vof::method_cas(Call& c, u32 vec) {
  auto vectors = parse_cas_vectors(c.mem, vec);
  if (!vectors) return 1;
  CasResult res = negotiate_cas(*vectors, cfg_.platform);
  if (!res.ok) return 1;
  auto prop = ov5_property(res.ov5);
  if (!set_property("/chosen", "ibm,architecture-vec-5", prop.data(), prop.size())) return 1;
  if (cfg_.cb.client_architecture_support && !cfg_.cb.client_architecture_support(res)) return 1;
  return 0;
}

// instantiate-rtas(rtas-base) -> rtas-entry: the blob goes at the base the
// client claimed, which is also the entry.
u32 Vof::method_instantiate_rtas(Call& c, u32 base) {
  return write_rtas_blob(c.mem, base) ? base : PROM_ERROR;
}

void Vof::svc_quiesce() {
  fdt_pack(buf_.data());
  buf_.resize(std::max<size_t>(fdt_totalsize(buf_.data()), sizeof(fdt_header)));
  quiesced_ = true;
  if (cfg_.cb.quiesce) cfg_.cb.quiesce();
}

u32 Vof::milliseconds() {
  if (cfg_.cb.milliseconds) return cfg_.cb.milliseconds();
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  return u32((now - start_ns_) / 1000000);
}

std::optional<VofEntryState> prepare_vof_boot(Vof& vof, GuestMemory& mem, const VofBootParams& p) {
  if (!write_vof_client_stub(mem, VOF_STUB_ADDR) || !vof.claim(0, VOF_STUB_CLAIM, 0)) return std::nullopt;
  auto stack = vof.claim(0, VOF_STACK_SIZE, VOF_STACK_SIZE);
  if (!stack) return std::nullopt;
  if (p.kernel_size && !vof.claim(p.kernel_addr, p.kernel_size, 0)) return std::nullopt;
  if (p.initrd_size && !vof.claim(p.initrd_addr, p.initrd_size, 0)) return std::nullopt;
  VofEntryState s;
  s.nia = p.kernel_entry;
  s.msr = MSR_ME;  // SF=0, LE=0, IR=DR=0: 32-bit big-endian real mode
  s.r1 = *stack + VOF_STACK_SIZE - 0x20;  // room for the callee's minimal frame
  s.r3 = p.initrd_size ? p.initrd_addr : 0;
  s.r4 = p.initrd_size;
  s.r5 = VOF_STUB_ADDR;
  return s;
}

}  // namespace lpar::papr
