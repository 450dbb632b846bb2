// PAPR hypervisor-call numbers, return codes and flag bits: the values LoPAPR
// (Linux on Power Architecture Platform Reference 1.1, chapter 14 "Hypervisor
// calls"; 14.5.4 "Page Frame Table Access") assigns, as Linux's
// arch/powerpc/include/asm/hvcall.h lists them.  The 0xF000 range is PAPR's
// "platform specific" range, where QEMU/KVM put their private calls.
#pragma once
#include <cstdint>

namespace lpar::hv {

// --- Return codes (LoPAPR 14.5.3, Table "Hypervisor call return codes").
inline constexpr long H_SUCCESS = 0;
inline constexpr long H_BUSY = 1;
inline constexpr long H_CLOSED = 2;
inline constexpr long H_NOT_AVAILABLE = 3;
inline constexpr long H_CONSTRAINED = 4;
inline constexpr long H_PARTIAL = 5;
inline constexpr long H_IN_PROGRESS = 14;
inline constexpr long H_PAGE_REGISTERED = 15;
inline constexpr long H_PARTIAL_STORE = 16;
inline constexpr long H_PENDING = 17;
inline constexpr long H_CONTINUE = 18;
// "Long busy": retry the identical call after about the hinted time.
inline constexpr long H_LONG_BUSY_ORDER_1_MSEC = 9900;
inline constexpr long H_LONG_BUSY_ORDER_10_MSEC = 9901;
inline constexpr long H_LONG_BUSY_ORDER_100_MSEC = 9902;
inline constexpr long H_LONG_BUSY_ORDER_1_SEC = 9903;
inline constexpr long H_LONG_BUSY_ORDER_10_SEC = 9904;
inline constexpr long H_LONG_BUSY_ORDER_100_SEC = 9905;
inline constexpr long H_HARDWARE = -1;
inline constexpr long H_FUNCTION = -2;
inline constexpr long H_PRIVILEGE = -3;
inline constexpr long H_PARAMETER = -4;
inline constexpr long H_BAD_MODE = -5;
inline constexpr long H_PTEG_FULL = -6;
inline constexpr long H_NOT_FOUND = -7;
inline constexpr long H_RESERVED_DABR = -8;
inline constexpr long H_NO_MEM = -9;
inline constexpr long H_AUTHORITY = -10;
inline constexpr long H_PERMISSION = -11;
inline constexpr long H_DROPPED = -12;
inline constexpr long H_SOURCE_PARM = -13;
inline constexpr long H_DEST_PARM = -14;
inline constexpr long H_REMOTE_PARM = -15;
inline constexpr long H_RESOURCE = -16;
inline constexpr long H_P2 = -55;
inline constexpr long H_P3 = -56;
inline constexpr long H_P4 = -57;
inline constexpr long H_P5 = -58;
inline constexpr long H_P6 = -59;
inline constexpr long H_P7 = -60;
inline constexpr long H_P8 = -61;
inline constexpr long H_P9 = -62;
inline constexpr long H_TOO_BIG = -64;
inline constexpr long H_UNSUPPORTED_FLAG = -256;

// The long-busy code whose hint covers ms milliseconds.
constexpr long h_long_busy_for_ms(long ms) {
  return ms <= 1 ? H_LONG_BUSY_ORDER_1_MSEC
         : ms <= 10 ? H_LONG_BUSY_ORDER_10_MSEC
         : ms <= 100 ? H_LONG_BUSY_ORDER_100_MSEC
         : ms <= 1000 ? H_LONG_BUSY_ORDER_1_SEC
         : ms <= 10000 ? H_LONG_BUSY_ORDER_10_SEC
                       : H_LONG_BUSY_ORDER_100_SEC;
}
constexpr bool h_is_long_busy(long rc) { return rc >= H_LONG_BUSY_ORDER_1_MSEC && rc <= H_LONG_BUSY_ORDER_100_SEC; }

// --- Flags (ISA bit numbers of the flags argument).
constexpr uint64_t h_flag(unsigned isa_bit) { return uint64_t{1} << (63 - isa_bit); }
inline constexpr uint64_t H_LARGE_PAGE = h_flag(16);
inline constexpr uint64_t H_EXACT = h_flag(24);      // H_ENTER: use exactly PTEX or fail with H_PTEG_FULL
inline constexpr uint64_t H_R_XLATE = h_flag(25);    // H_ENTER/H_READ: logical->real (no-op here)
inline constexpr uint64_t H_READ_4 = h_flag(26);     // H_READ: four HPTEs from PTEX & ~3
inline constexpr uint64_t H_PAGE_STATE_CHANGE = h_flag(28);
inline constexpr uint64_t H_PAGE_UNUSED = h_flag(29) | h_flag(30);
inline constexpr uint64_t H_PAGE_SET_UNUSED = H_PAGE_STATE_CHANGE | H_PAGE_UNUSED;
inline constexpr uint64_t H_PAGE_SET_LOANED = H_PAGE_SET_UNUSED | h_flag(31);
inline constexpr uint64_t H_PAGE_SET_ACTIVE = H_PAGE_STATE_CHANGE;
inline constexpr uint64_t H_AVPN = h_flag(32);       // the AVPN argument must match
inline constexpr uint64_t H_ANDCOND = h_flag(33);    // (pte0 & argument) must be 0
inline constexpr uint64_t H_LOCAL = h_flag(35);
inline constexpr uint64_t H_ICACHE_INVALIDATE = h_flag(40);
inline constexpr uint64_t H_ICACHE_SYNCHRONIZE = h_flag(41);
inline constexpr uint64_t H_COALESCE_CAND = h_flag(42);
inline constexpr uint64_t H_ZERO_PAGE = h_flag(48);  // H_ENTER/H_PAGE_INIT: zero the page first
inline constexpr uint64_t H_COPY_PAGE = h_flag(49);
inline constexpr uint64_t H_N = h_flag(61);
inline constexpr uint64_t H_PP1 = h_flag(62);
inline constexpr uint64_t H_PP2 = h_flag(63);

// H_BULK_REMOVE translation specifiers (LoPAPR 14.5.4.1.x "H_BULK_REMOVE"):
// the high doubleword of each pair, bits 0:1 type, 2:3 return code, 4:5 R,C,
// 6:7 flags, 8:63 PTEX; the low doubleword is the AVPN / AND-condition.
inline constexpr uint64_t H_BULK_REMOVE_TYPE = 0xC000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_REQUEST = 0x4000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_RESPONSE = 0x8000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_END = 0xC000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_CODE = 0x3000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_SUCCESS = 0x0000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_NOT_FOUND = 0x1000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_PARM = 0x2000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_HW = 0x3000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_RC = 0x0C00000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_R = 0x0800000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_C = 0x0400000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_FLAGS = 0x0300000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_ABSOLUTE = 0x0000000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_ANDCOND = 0x0100000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_AVPN = 0x0200000000000000ull;
inline constexpr uint64_t H_BULK_REMOVE_PTEX = 0x00FFFFFFFFFFFFFFull;
inline constexpr unsigned H_BULK_REMOVE_MAX_BATCH = 4;

// H_REGISTER_VPA subfunction (flags bits 16:18).
inline constexpr unsigned H_VPA_FUNC_SHIFT = 63 - 18;
inline constexpr uint64_t H_VPA_FUNC_MASK = 7;
inline constexpr uint64_t H_VPA_REG_VPA = 1;
inline constexpr uint64_t H_VPA_REG_DTL = 2;
inline constexpr uint64_t H_VPA_REG_SLB = 3;
inline constexpr uint64_t H_VPA_DEREG_VPA = 5;
inline constexpr uint64_t H_VPA_DEREG_DTL = 6;
inline constexpr uint64_t H_VPA_DEREG_SLB = 7;

// H_SET_MODE resources.
inline constexpr uint64_t H_SET_MODE_RESOURCE_SET_CIABR = 1;
inline constexpr uint64_t H_SET_MODE_RESOURCE_SET_DAWR = 2;
inline constexpr uint64_t H_SET_MODE_RESOURCE_ADDR_TRANS_MODE = 3;
inline constexpr uint64_t H_SET_MODE_RESOURCE_LE = 4;

// --- Hypervisor call numbers (the value in R3 at sc 1).
inline constexpr uint64_t H_REMOVE = 0x04;
inline constexpr uint64_t H_ENTER = 0x08;
inline constexpr uint64_t H_READ = 0x0C;
inline constexpr uint64_t H_CLEAR_MOD = 0x10;
inline constexpr uint64_t H_CLEAR_REF = 0x14;
inline constexpr uint64_t H_PROTECT = 0x18;
inline constexpr uint64_t H_GET_TCE = 0x1C;
inline constexpr uint64_t H_PUT_TCE = 0x20;
inline constexpr uint64_t H_SET_SPRG0 = 0x24;
inline constexpr uint64_t H_SET_DABR = 0x28;
inline constexpr uint64_t H_PAGE_INIT = 0x2C;
inline constexpr uint64_t H_SET_ASR = 0x30;
inline constexpr uint64_t H_ASR_ON = 0x34;
inline constexpr uint64_t H_ASR_OFF = 0x38;
inline constexpr uint64_t H_LOGICAL_CI_LOAD = 0x3C;
inline constexpr uint64_t H_LOGICAL_CI_STORE = 0x40;
inline constexpr uint64_t H_LOGICAL_CACHE_LOAD = 0x44;
inline constexpr uint64_t H_LOGICAL_CACHE_STORE = 0x48;
inline constexpr uint64_t H_LOGICAL_ICBI = 0x4C;
inline constexpr uint64_t H_LOGICAL_DCBF = 0x50;
inline constexpr uint64_t H_GET_TERM_CHAR = 0x54;
inline constexpr uint64_t H_PUT_TERM_CHAR = 0x58;
inline constexpr uint64_t H_REAL_TO_LOGICAL = 0x5C;
inline constexpr uint64_t H_HYPERVISOR_DATA = 0x60;
inline constexpr uint64_t H_EOI = 0x64;
inline constexpr uint64_t H_CPPR = 0x68;
inline constexpr uint64_t H_IPI = 0x6C;
inline constexpr uint64_t H_IPOLL = 0x70;
inline constexpr uint64_t H_XIRR = 0x74;
inline constexpr uint64_t H_MIGRATE_DMA = 0x78;
inline constexpr uint64_t H_PERFMON = 0x7C;
inline constexpr uint64_t H_REGISTER_VPA = 0xDC;
inline constexpr uint64_t H_CEDE = 0xE0;
inline constexpr uint64_t H_CONFER = 0xE4;
inline constexpr uint64_t H_PROD = 0xE8;
inline constexpr uint64_t H_GET_PPP = 0xEC;
inline constexpr uint64_t H_SET_PPP = 0xF0;
inline constexpr uint64_t H_PURR = 0xF4;
inline constexpr uint64_t H_PIC = 0xF8;
inline constexpr uint64_t H_REG_CRQ = 0xFC;
inline constexpr uint64_t H_FREE_CRQ = 0x100;
inline constexpr uint64_t H_VIO_SIGNAL = 0x104;
inline constexpr uint64_t H_SEND_CRQ = 0x108;
inline constexpr uint64_t H_COPY_RDMA = 0x110;
inline constexpr uint64_t H_REGISTER_LOGICAL_LAN = 0x114;
inline constexpr uint64_t H_FREE_LOGICAL_LAN = 0x118;
inline constexpr uint64_t H_ADD_LOGICAL_LAN_BUFFER = 0x11C;
inline constexpr uint64_t H_SEND_LOGICAL_LAN = 0x120;
inline constexpr uint64_t H_BULK_REMOVE = 0x124;
inline constexpr uint64_t H_MULTICAST_CTRL = 0x130;
inline constexpr uint64_t H_SET_XDABR = 0x134;
inline constexpr uint64_t H_STUFF_TCE = 0x138;
inline constexpr uint64_t H_PUT_TCE_INDIRECT = 0x13C;
inline constexpr uint64_t H_CHANGE_LOGICAL_LAN_MAC = 0x14C;
inline constexpr uint64_t H_VTERM_PARTNER_INFO = 0x150;
inline constexpr uint64_t H_REGISTER_VTERM = 0x154;
inline constexpr uint64_t H_FREE_VTERM = 0x158;
inline constexpr uint64_t H_GET_CPU_CHARACTERISTICS = 0x1C8;
inline constexpr uint64_t H_QUERY_INT_STATE = 0x1E4;
inline constexpr uint64_t H_POLL_PENDING = 0x1D8;
inline constexpr uint64_t H_JOIN = 0x298;
inline constexpr uint64_t H_VASI_STATE = 0x2A4;
inline constexpr uint64_t H_ENABLE_CRQ = 0x2B0;
inline constexpr uint64_t H_GET_EM_PARMS = 0x2B8;
inline constexpr uint64_t H_SET_MPP = 0x2D0;
inline constexpr uint64_t H_GET_MPP = 0x2D4;
inline constexpr uint64_t H_HOME_NODE_ASSOCIATIVITY = 0x2EC;
inline constexpr uint64_t H_BEST_ENERGY = 0x2F4;
inline constexpr uint64_t H_XIRR_X = 0x2FC;
inline constexpr uint64_t H_RANDOM = 0x300;
inline constexpr uint64_t H_COP = 0x304;
inline constexpr uint64_t H_GET_MPP_X = 0x314;
inline constexpr uint64_t H_SET_MODE = 0x31C;
inline constexpr uint64_t H_BLOCK_REMOVE = 0x328;
inline constexpr uint64_t H_CLEAR_HPT = 0x358;
inline constexpr uint64_t H_REQUEST_VMC = 0x360;
inline constexpr uint64_t H_RESIZE_HPT_PREPARE = 0x36C;
inline constexpr uint64_t H_RESIZE_HPT_COMMIT = 0x370;
inline constexpr uint64_t H_REGISTER_PROC_TBL = 0x37C;
inline constexpr uint64_t H_SIGNAL_SYS_RESET = 0x380;
inline constexpr uint64_t H_INT_GET_SOURCE_INFO = 0x3A8;
inline constexpr uint64_t H_INT_SET_SOURCE_CONFIG = 0x3AC;
inline constexpr uint64_t H_INT_GET_SOURCE_CONFIG = 0x3B0;
inline constexpr uint64_t H_INT_GET_QUEUE_INFO = 0x3B4;
inline constexpr uint64_t H_INT_SET_QUEUE_CONFIG = 0x3B8;
inline constexpr uint64_t H_INT_GET_QUEUE_CONFIG = 0x3BC;
inline constexpr uint64_t H_INT_ESB = 0x3C8;
inline constexpr uint64_t H_INT_SYNC = 0x3CC;
inline constexpr uint64_t H_INT_RESET = 0x3D0;
// Highest PAPR-defined number lpar knows of (hcall tables sized by it, /4).
inline constexpr uint64_t MAX_HCALL_OPCODE = 0x3FC;

// Platform-specific calls (PAPR's 0xF000 range) as QEMU and KVM define them.
inline constexpr uint64_t KVMPPC_HCALL_BASE = 0xF000;
inline constexpr uint64_t KVMPPC_H_RTAS = KVMPPC_HCALL_BASE + 0x0;
inline constexpr uint64_t KVMPPC_H_LOGICAL_MEMOP = KVMPPC_HCALL_BASE + 0x1;
inline constexpr uint64_t KVMPPC_H_CAS = KVMPPC_HCALL_BASE + 0x2;  // client-architecture-support
inline constexpr uint64_t KVMPPC_H_UPDATE_DT = KVMPPC_HCALL_BASE + 0x3;
inline constexpr uint64_t KVMPPC_H_VOF_CLIENT = KVMPPC_HCALL_BASE + 0x5;  // QEMU's x-vof client interface
inline constexpr uint64_t KVMPPC_HCALL_MAX = KVMPPC_H_VOF_CLIENT;

}  // namespace lpar::hv
