// RTAS, the run-time abstraction services (LoPAPR 1.1 chapter 7), served by
// the machine: the guest's 20-byte RTAS blob turns each call into the private
// hcall KVMPPC_H_RTAS (0xF000) with R4 = the real address of the big-endian
// argument buffer {token, nargs, nret, args[nargs], rets[nret]} (LoPAPR
// 7.2.7 "RTAS Argument Call Buffer").  Tokens are QEMU's (0x2000 + a fixed
// index), so lpar's /rtas matches QEMU's; rtas_served_calls() lists the calls
// served here.
//
// Every call checks nargs/nret (-3 when wrong) and every guest address;
// rets[0] is the status (LoPAPR chapter 7): 0 success, -1 hardware error, -3
// parameter error (also "not supported"), 1 "no errors found" for the event
// calls, -9002 not authorized, -9999 system-parameter error.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "papr/guest_memory.h"
#include "papr/papr_log.h"

namespace lpar::papr {

class Xics;
class Nvram;

// RTAS status codes.
inline constexpr int32_t RTAS_OUT_SUCCESS = 0;
inline constexpr int32_t RTAS_OUT_NO_ERRORS_FOUND = 1;
inline constexpr int32_t RTAS_OUT_HW_ERROR = -1;
inline constexpr int32_t RTAS_OUT_BUSY = -2;
inline constexpr int32_t RTAS_OUT_PARAM_ERROR = -3;
inline constexpr int32_t RTAS_OUT_NOT_SUPPORTED = -3;
inline constexpr int32_t RTAS_OUT_NOT_AUTHORIZED = -9002;
inline constexpr int32_t RTAS_OUT_SYSPARM_PARAM_ERROR = -9999;

// Tokens, QEMU's numbering (include/hw/ppc/spapr.h RTAS_*: 0x2000 + index;
// spapr_dt.h RTAS_TOKEN_BASE and rtas_call_table() publish the same).
enum RtasToken : uint32_t {
  RTAS_DISPLAY_CHARACTER = 0x2000,
  RTAS_GET_TIME_OF_DAY = 0x2001,
  RTAS_SET_TIME_OF_DAY = 0x2002,
  RTAS_POWER_OFF = 0x2003,
  RTAS_SYSTEM_REBOOT = 0x2004,
  RTAS_QUERY_CPU_STOPPED_STATE = 0x2005,
  RTAS_START_CPU = 0x2006,
  RTAS_STOP_SELF = 0x2007,
  RTAS_IBM_GET_SYSTEM_PARAMETER = 0x2008,
  RTAS_IBM_SET_SYSTEM_PARAMETER = 0x2009,
  RTAS_IBM_SET_XIVE = 0x200A,
  RTAS_IBM_GET_XIVE = 0x200B,
  RTAS_IBM_INT_OFF = 0x200C,
  RTAS_IBM_INT_ON = 0x200D,
  RTAS_CHECK_EXCEPTION = 0x200E,
  RTAS_EVENT_SCAN = 0x200F,
  RTAS_IBM_SET_TCE_BYPASS = 0x2010,
  RTAS_QUIESCE = 0x2011,
  RTAS_NVRAM_FETCH = 0x2012,
  RTAS_NVRAM_STORE = 0x2013,
  RTAS_READ_PCI_CONFIG = 0x2014,
  RTAS_WRITE_PCI_CONFIG = 0x2015,
  RTAS_IBM_READ_PCI_CONFIG = 0x2016,
  RTAS_IBM_WRITE_PCI_CONFIG = 0x2017,
  RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER = 0x2018,
  RTAS_IBM_CHANGE_MSI = 0x2019,
  RTAS_SET_INDICATOR = 0x201A,
  RTAS_SET_POWER_LEVEL = 0x201B,
  RTAS_GET_POWER_LEVEL = 0x201C,
  RTAS_GET_SENSOR_STATE = 0x201D,
  RTAS_IBM_CONFIGURE_CONNECTOR = 0x201E,
  RTAS_IBM_OS_TERM = 0x201F,
  RTAS_IBM_SUSPEND_ME = 0x202A,
  RTAS_IBM_NMI_REGISTER = 0x202B,
  RTAS_IBM_NMI_INTERLOCK = 0x202C,
  RTAS_TOKEN_MAX = 0x202D,
};

// ibm,get-system-parameter parameters Linux asks for (LoPAPR chapter 7).
inline constexpr uint32_t RTAS_SYSPARM_SPLPAR_CHARACTERISTICS = 20;
inline constexpr uint32_t RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE = 42;
inline constexpr uint32_t RTAS_SYSPARM_UUID = 48;

struct RtasTokenName {
  const char* name;  // the /rtas property name
  uint32_t token;
};
// The calls Rtas serves, by their /rtas property names.
std::span<const RtasTokenName> rtas_served_calls();

// query-cpu-stopped-state answers (LoPAPR chapter 7).
inline constexpr int RTAS_CPU_STOPPED = 0;
inline constexpr int RTAS_CPU_RUNNING = 2;

// What the machine does for RTAS.  Unset callbacks give -1 (hardware error)
// or, for the notifications, nothing.
struct RtasMachine {
  std::function<void(uint8_t)> display_character;
  std::function<void()> power_off;
  std::function<void()> system_reboot;
  // RTAS_CPU_STOPPED / RTAS_CPU_RUNNING, or -1 for no such CPU.
  std::function<int(uint32_t cpu)> query_cpu_stopped_state;
  // start-cpu: the RTAS status (0, -3 no such CPU, -1 not stopped).  The caller
  // is passed because the started thread inherits its LPCR ILE/AIL (as QEMU).
  std::function<int(uint32_t caller, uint32_t cpu, uint64_t entry, uint64_t r3)> start_cpu;
  // stop-self: halt the caller; returns false if it cannot (then -1).
  std::function<bool(uint32_t caller)> stop_self;
  // ibm,os-term: the guest's message (a panic); the machine ends the run.
  std::function<void(const std::string&)> os_term;
  std::function<void()> quiesce;
};

struct RtasConfig {
  uint32_t cpus = 1;
  uint32_t max_cpus = 1;
  uint64_t ram_size = 0;
  std::optional<std::array<uint8_t, 16>> uuid;  // parameter 48 (empty if unset, as QEMU)
  // Host wall clock in ns since the epoch (tests replace it).
  std::function<int64_t()> host_clock_ns;
  // The guest's clock at power-on relative to the host's (-rtc base=).
  int64_t rtc_offset_ns = 0;
};

class Rtas {
 public:
  Rtas(GuestMemory& gm, Xics* xics, Nvram* nvram, RtasMachine machine, RtasConfig config);

  // KVMPPC_H_RTAS from vCPU caller, args = R4.  Returns H_SUCCESS, or
  // H_PARAMETER when the buffer is not guest memory or the token unknown
  // (rets[0] = -3 then, if there is a rets[0]).
  long h_rtas(uint32_t caller, uint64_t args);

  // Guest time is host time plus this offset (set-time-of-day moves it).
  int64_t rtc_offset_ns() const {
    std::lock_guard<std::mutex> g(mu_);
    return rtc_offset_ns_;
  }
  // ibm,nmi-register's vectors (~0 until registered); the machine delivers
  // system resets / machine checks there (FWNMI).
  uint64_t nmi_system_reset_addr() const {
    std::lock_guard<std::mutex> g(mu_);
    return nmi_sreset_;
  }
  uint64_t nmi_machine_check_addr() const {
    std::lock_guard<std::mutex> g(mu_);
    return nmi_mce_;
  }
  // The machine holds the interlock while a vCPU handles a machine check it
  // delivered; ibm,nmi-interlock from that vCPU releases it.
  void machine_check_interlock(uint32_t cpu) {
    std::lock_guard<std::mutex> g(mu_);
    mce_interlock_ = int64_t(cpu);
  }

 private:
  struct Call;
  void dispatch(uint32_t caller, uint32_t token, Call& c);
  void get_time_of_day(Call& c);
  void set_time_of_day(Call& c);
  void get_system_parameter(Call& c);
  void sysparm_store(Call& c, uint64_t buf, uint64_t len, const void* val, uint16_t vallen);
  void os_term(Call& c);

  GuestMemory& gm_;
  Xics* xics_;
  Nvram* nvram_;
  RtasMachine m_;
  RtasConfig cfg_;
  mutable std::mutex mu_;  // the clock offset and FWNMI state; never held across callbacks
  int64_t rtc_offset_ns_ = 0;
  uint64_t nmi_sreset_ = ~uint64_t{0};
  uint64_t nmi_mce_ = ~uint64_t{0};
  int64_t mce_interlock_ = -1;
  LogOnce unknown_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace lpar::papr
