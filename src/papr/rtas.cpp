#include "papr/rtas.h"

#include <algorithm>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "hv/papr.h"
#include "papr/nvram.h"
#include "papr/xics.h"

namespace lpar::papr {

namespace {

constexpr RtasTokenName kTokens[] = {
    {"display-character", RTAS_DISPLAY_CHARACTER},
    {"get-time-of-day", RTAS_GET_TIME_OF_DAY},
    {"set-time-of-day", RTAS_SET_TIME_OF_DAY},
    {"power-off", RTAS_POWER_OFF},
    {"system-reboot", RTAS_SYSTEM_REBOOT},
    {"query-cpu-stopped-state", RTAS_QUERY_CPU_STOPPED_STATE},
    {"start-cpu", RTAS_START_CPU},
    {"stop-self", RTAS_STOP_SELF},
    {"ibm,get-system-parameter", RTAS_IBM_GET_SYSTEM_PARAMETER},
    {"ibm,set-system-parameter", RTAS_IBM_SET_SYSTEM_PARAMETER},
    {"ibm,set-xive", RTAS_IBM_SET_XIVE},
    {"ibm,get-xive", RTAS_IBM_GET_XIVE},
    {"ibm,int-off", RTAS_IBM_INT_OFF},
    {"ibm,int-on", RTAS_IBM_INT_ON},
    {"check-exception", RTAS_CHECK_EXCEPTION},
    {"event-scan", RTAS_EVENT_SCAN},
    {"ibm,set-tce-bypass", RTAS_IBM_SET_TCE_BYPASS},
    {"quiesce", RTAS_QUIESCE},
    {"nvram-fetch", RTAS_NVRAM_FETCH},
    {"nvram-store", RTAS_NVRAM_STORE},
    {"ibm,os-term", RTAS_IBM_OS_TERM},
    {"ibm,nmi-register", RTAS_IBM_NMI_REGISTER},
    {"ibm,nmi-interlock", RTAS_IBM_NMI_INTERLOCK},
};

// Real addressing ignores the top four bits of an effective address
// (Book III-S 5.7.3 "Real Addressing Mode"), as RTAS callers may pass them.
constexpr uint64_t REAL_MASK = 0x0FFFFFFFFFFFFFFFull;
// Bound on nargs + nret: no RTAS call takes more than a handful, and the
// whole buffer must lie in guest memory anyway.
constexpr uint64_t RTAS_MAX_CELLS = 1024;
// Longest ibm,os-term message read (the rest is dropped).
constexpr size_t OS_TERM_MAX = 1024;

bool token_known(uint32_t token) {
  for (const auto& t : kTokens)
    if (t.token == token) return true;
  return false;
}

int64_t host_realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

std::span<const RtasTokenName> rtas_served_calls() { return kTokens; }

// One call's view of the argument buffer (already checked to be guest memory).
struct Rtas::Call {
  GuestMemory& gm;
  uint32_t nargs, nret;
  uint64_t args, rets;
  uint32_t arg(uint32_t i) const {
    uint32_t v = 0;
    if (i < nargs) gm.read_be32(args + 4 * uint64_t(i), v);
    return v;
  }
  void ret(uint32_t i, uint32_t v) const {
    if (i < nret) gm.write_be32(rets + 4 * uint64_t(i), v);
  }
  void status(int32_t s) const { ret(0, uint32_t(s)); }
  bool shape(uint32_t a, uint32_t r) const {
    if (nargs == a && nret == r) return true;
    status(RTAS_OUT_PARAM_ERROR);
    return false;
  }
};

Rtas::Rtas(GuestMemory& gm, Xics* xics, Nvram* nvram, RtasMachine machine, RtasConfig config)
    : gm_(gm), xics_(xics), nvram_(nvram), m_(std::move(machine)), cfg_(std::move(config)),
      log_(subsystem_logger("rtas")) {
  if (!cfg_.host_clock_ns) cfg_.host_clock_ns = host_realtime_ns;
  rtc_offset_ns_ = cfg_.rtc_offset_ns;
}

long Rtas::h_rtas(uint32_t caller, uint64_t args) {
  uint64_t base = args & REAL_MASK;
  uint32_t token, nargs, nret;
  if (!gm_.read_be32(base, token) || !gm_.read_be32(base + 4, nargs) || !gm_.read_be32(base + 8, nret))
    return hv::H_PARAMETER;
  uint64_t cells = uint64_t(nargs) + nret;
  if (cells > RTAS_MAX_CELLS || !gm_.host_ptr(base + 12, cells * 4)) return hv::H_PARAMETER;
  Call c{gm_, nargs, nret, base + 12, base + 12 + 4 * uint64_t(nargs)};
  // Some early Linux debug code calls display-character as token 10, the
  // number it has on some IBM machines, without looking the token up.
  if (token == 0xA) token = RTAS_DISPLAY_CHARACTER;
  if (token < RTAS_DISPLAY_CHARACTER || token >= RTAS_TOKEN_MAX || !token_known(token)) {
    if (unknown_.first(token)) log_->info("unknown RTAS token 0x{:x} (nargs {}, nret {})", token, nargs, nret);
    c.status(RTAS_OUT_PARAM_ERROR);
    return hv::H_PARAMETER;
  }
  dispatch(caller, token, c);
  return hv::H_SUCCESS;
}

void Rtas::dispatch(uint32_t caller, uint32_t token, Call& c) {
  log_->debug("cpu {} RTAS 0x{:x} nargs {} nret {}", caller, token, c.nargs, c.nret);
  switch (token) {
    case RTAS_DISPLAY_CHARACTER:
      if (!c.shape(1, 1)) return;
      if (!m_.display_character) return c.status(RTAS_OUT_HW_ERROR);
      m_.display_character(uint8_t(c.arg(0)));
      return c.status(RTAS_OUT_SUCCESS);
    case RTAS_GET_TIME_OF_DAY:
      return get_time_of_day(c);
    case RTAS_SET_TIME_OF_DAY:
      return set_time_of_day(c);
    case RTAS_POWER_OFF:
      // Two arguments: the power-on mask halves (LoPAPR chapter 7, power-off); ignored.
      if (!c.shape(2, 1)) return;
      if (!m_.power_off) return c.status(RTAS_OUT_HW_ERROR);
      c.status(RTAS_OUT_SUCCESS);
      m_.power_off();
      return;
    case RTAS_SYSTEM_REBOOT:
      if (!c.shape(0, 1)) return;
      if (!m_.system_reboot) return c.status(RTAS_OUT_HW_ERROR);
      c.status(RTAS_OUT_SUCCESS);
      m_.system_reboot();
      return;
    case RTAS_QUERY_CPU_STOPPED_STATE: {
      if (!c.shape(1, 2)) return;
      int st = m_.query_cpu_stopped_state ? m_.query_cpu_stopped_state(c.arg(0)) : -1;
      if (st < 0) return c.status(RTAS_OUT_PARAM_ERROR);
      c.status(RTAS_OUT_SUCCESS);
      c.ret(1, uint32_t(st));
      return;
    }
    case RTAS_START_CPU: {
      if (!c.shape(3, 1)) return;
      if (!m_.start_cpu) return c.status(RTAS_OUT_HW_ERROR);
      return c.status(m_.start_cpu(caller, c.arg(0), c.arg(1), c.arg(2)));
    }
    case RTAS_STOP_SELF:
      // Returns to the caller only on failure (LoPAPR chapter 7, stop-self).
      if (!c.shape(0, 1)) return;
      if (!m_.stop_self || !m_.stop_self(caller)) c.status(RTAS_OUT_HW_ERROR);
      return;
    case RTAS_IBM_GET_SYSTEM_PARAMETER:
      return get_system_parameter(c);
    case RTAS_IBM_SET_SYSTEM_PARAMETER: {
      if (!c.shape(2, 1)) return;
      uint32_t p = c.arg(0);
      bool known = p == RTAS_SYSPARM_SPLPAR_CHARACTERISTICS || p == RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE ||
                   p == RTAS_SYSPARM_UUID;
      return c.status(known ? RTAS_OUT_NOT_AUTHORIZED : RTAS_OUT_NOT_SUPPORTED);
    }
    case RTAS_IBM_SET_XIVE:
      if (!c.shape(3, 1)) return;
      if (!xics_) return c.status(RTAS_OUT_HW_ERROR);
      return c.status(xics_->set_xive(c.arg(0), c.arg(1), c.arg(2)));
    case RTAS_IBM_GET_XIVE: {
      if (!c.shape(1, 3)) return;
      if (!xics_) return c.status(RTAS_OUT_HW_ERROR);
      uint32_t server = 0, prio = 0;
      int st = xics_->get_xive(c.arg(0), server, prio);
      c.status(st);
      if (st == 0) {
        c.ret(1, server);
        c.ret(2, prio);
      }
      return;
    }
    case RTAS_IBM_INT_OFF:
      if (!c.shape(1, 1)) return;
      if (!xics_) return c.status(RTAS_OUT_HW_ERROR);
      return c.status(xics_->int_off(c.arg(0)));
    case RTAS_IBM_INT_ON:
      if (!c.shape(1, 1)) return;
      if (!xics_) return c.status(RTAS_OUT_HW_ERROR);
      return c.status(xics_->int_on(c.arg(0)));
    case RTAS_CHECK_EXCEPTION:
      // (vector offset, info, event mask, critical, buffer, length[, ext. info]):
      // lpar raises no error or EPOW events, so there is never one to report.
      if ((c.nargs != 6 && c.nargs != 7) || c.nret != 1) return c.status(RTAS_OUT_PARAM_ERROR);
      return c.status(RTAS_OUT_NO_ERRORS_FOUND);
    case RTAS_EVENT_SCAN:
      // (event mask, critical, buffer, length) (LoPAPR chapter 7, event-scan).
      if (!c.shape(4, 1)) return;
      return c.status(RTAS_OUT_NO_ERRORS_FOUND);
    case RTAS_IBM_SET_TCE_BYPASS:
      // (unit, enable): no VIO device here does DMA, so no unit qualifies.
      if (!c.shape(2, 1)) return;
      return c.status(RTAS_OUT_PARAM_ERROR);
    case RTAS_QUIESCE:
      if (!c.shape(0, 1)) return;
      if (m_.quiesce) m_.quiesce();
      return c.status(RTAS_OUT_SUCCESS);
    case RTAS_NVRAM_FETCH:
    case RTAS_NVRAM_STORE: {
      // (offset, buffer, length) -> (status, bytes transferred) (LoPAPR chapter 7, nvram-fetch).
      if (c.nargs != 3 || c.nret != 2) return c.status(RTAS_OUT_HW_ERROR);
      uint32_t done = 0;
      int st = RTAS_OUT_HW_ERROR;
      if (nvram_) {
        uint64_t buf = c.arg(1) & REAL_MASK;
        st = token == RTAS_NVRAM_FETCH ? nvram_->fetch(gm_, c.arg(0), buf, c.arg(2), done)
                                       : nvram_->store(gm_, c.arg(0), buf, c.arg(2), done);
      }
      c.status(st);
      c.ret(1, done);
      return;
    }
    case RTAS_IBM_OS_TERM:
      return os_term(c);
    case RTAS_IBM_NMI_REGISTER: {
      // (system-reset vector, machine-check vector) (LoPAPR chapter 7, FWNMI).
      if (!c.shape(2, 1)) return;
      std::lock_guard<std::mutex> g(mu_);
      nmi_sreset_ = c.arg(0);
      nmi_mce_ = c.arg(1);
      return c.status(RTAS_OUT_SUCCESS);
    }
    case RTAS_IBM_NMI_INTERLOCK: {
      if (!c.shape(0, 1)) return;
      std::lock_guard<std::mutex> g(mu_);
      if (nmi_mce_ == ~uint64_t{0}) return c.status(RTAS_OUT_NOT_SUPPORTED);
      // Only the vCPU handling a delivered machine check holds the interlock.
      if (mce_interlock_ != int64_t(caller)) return c.status(RTAS_OUT_PARAM_ERROR);
      mce_interlock_ = -1;
      return c.status(RTAS_OUT_SUCCESS);
    }
  }
}

void Rtas::get_time_of_day(Call& c) {
  // () -> (status, year, month, day, hour, minute, second, nanosecond), UTC.
  if (!c.shape(0, 8)) return;
  int64_t now;
  {
    std::lock_guard<std::mutex> g(mu_);
    now = cfg_.host_clock_ns() + rtc_offset_ns_;
  }
  int64_t sec = now / 1000000000, ns = now % 1000000000;
  if (ns < 0) ns += 1000000000, sec--;
  time_t t = time_t(sec);
  tm tm{};
  if (!gmtime_r(&t, &tm)) return c.status(RTAS_OUT_HW_ERROR);
  c.status(RTAS_OUT_SUCCESS);
  c.ret(1, uint32_t(tm.tm_year + 1900));
  c.ret(2, uint32_t(tm.tm_mon + 1));
  c.ret(3, uint32_t(tm.tm_mday));
  c.ret(4, uint32_t(tm.tm_hour));
  c.ret(5, uint32_t(tm.tm_min));
  c.ret(6, uint32_t(tm.tm_sec));
  c.ret(7, uint32_t(ns));
}

void Rtas::set_time_of_day(Call& c) {
  // (year, month, day, hour, minute, second, nanosecond) -> (status).
  if (!c.shape(7, 1)) return;
  uint32_t year = c.arg(0), mon = c.arg(1), day = c.arg(2), hour = c.arg(3), min = c.arg(4), sec = c.arg(5),
           ns = c.arg(6);
  if (year < 1900 || year > 9999 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 ||
      sec > 59 || ns > 999999999)
    return c.status(RTAS_OUT_PARAM_ERROR);
  tm tm{};
  tm.tm_year = int(year) - 1900;
  tm.tm_mon = int(mon) - 1;
  tm.tm_mday = int(day);
  tm.tm_hour = int(hour);
  tm.tm_min = int(min);
  tm.tm_sec = int(sec);
  time_t t = timegm(&tm);
  std::lock_guard<std::mutex> g(mu_);
  rtc_offset_ns_ = (int64_t(t) * 1000000000 + ns) - cfg_.host_clock_ns();
  c.status(RTAS_OUT_SUCCESS);
}

// A system parameter goes to the guest as a 2-byte big-endian length and the
// data, cut to the buffer (LoPAPR chapter 7, ibm,get-system-parameter).
void Rtas::sysparm_store(Call& c, uint64_t buf, uint64_t len, const void* val, uint16_t vallen) {
  if (len < 2) return c.status(RTAS_OUT_SYSPARM_PARAM_ERROR);
  uint64_t n = std::min<uint64_t>(len - 2, vallen);
  uint8_t* p = gm_.host_ptr(buf, 2 + n);
  if (!p) return c.status(RTAS_OUT_HW_ERROR);
  p[0] = uint8_t(vallen >> 8);
  p[1] = uint8_t(vallen);
  std::memcpy(p + 2, val, n);
  c.status(RTAS_OUT_SUCCESS);
}

void Rtas::get_system_parameter(Call& c) {
  // (parameter, buffer, length) -> (status).
  if (!c.shape(3, 1)) return;
  uint32_t param = c.arg(0);
  uint64_t buf = c.arg(1) & REAL_MASK, len = c.arg(2);
  switch (param) {
    case RTAS_SYSPARM_SPLPAR_CHARACTERISTICS: {
      // The keywords Linux's lparcfg reads; the string goes with its NUL.
      std::string s = fmt::format("MaxEntCap={},DesMem={},DesProcs={},MaxPlatProcs={}", cfg_.max_cpus,
                                  cfg_.ram_size >> 20, cfg_.cpus, cfg_.max_cpus);
      return sysparm_store(c, buf, len, s.c_str(), uint16_t(s.size() + 1));
    }
    case RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE: {
      uint8_t disabled = 0;
      return sysparm_store(c, buf, len, &disabled, 1);
    }
    case RTAS_SYSPARM_UUID:
      if (cfg_.uuid) return sysparm_store(c, buf, len, cfg_.uuid->data(), 16);
      return sysparm_store(c, buf, len, "", 0);
    default:
      return c.status(RTAS_OUT_NOT_SUPPORTED);
  }
}

void Rtas::os_term(Call& c) {
  // (message address): a NUL-terminated string; the OS will not continue.
  if (!c.shape(1, 1)) return;
  std::string msg;
  uint64_t a = c.arg(0) & REAL_MASK;
  for (size_t i = 0; i < OS_TERM_MAX; i++) {
    const uint8_t* p = gm_.host_ptr(a + i, 1);
    if (!p || *p == 0) break;
    msg.push_back(char(*p));
  }
  log_->info("ibm,os-term: {}", msg);
  c.status(RTAS_OUT_SUCCESS);
  if (m_.os_term) m_.os_term(msg);
}

}  // namespace lpar::papr
