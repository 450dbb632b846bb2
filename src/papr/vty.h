// The sPAPR virtual terminal (LoPAPR 1.1 chapter 14, virtual terminal support:
// H_PUT_TERM_CHAR, H_GET_TERM_CHAR), the "hvterm1" vty device Linux's
// hvc_vio driver and the firmware print through.  Output goes to a sink (the
// machine's console); input is queued by the host's reader thread and taken
// by the guest up to 16 bytes a call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

namespace lpar::papr {

// Unit address of the vty (its reg in /vdevice, spapr_dt.h VTY_REG) and its
// interrupt, as QEMU numbers the first VIO device: SPAPR_IRQ_VIO (0x1100) |
// (reg & 0xff).
inline constexpr uint32_t VTY_DEFAULT_REG = 0x71000000;
inline constexpr uint32_t VTY_IRQ = 0x1100;
inline constexpr unsigned VTY_MAX_CHARS = 16;  // per hcall: two registers of 8 bytes

class Vty {
 public:
  explicit Vty(uint32_t reg = VTY_DEFAULT_REG, size_t input_capacity = 4096) : reg_(reg), capacity_(input_capacity) {}

  // Where the guest's output goes.  Called from vCPU threads.
  void set_output(std::function<void(const uint8_t*, size_t)> fn) { output_ = std::move(fn); }
  // Called (outside the vty lock) when input arrives while the queue was
  // empty: the machine pulses VTY_IRQ, as hvc_vio waits for an edge.
  void set_input_notify(std::function<void()> fn) { notify_ = std::move(fn); }

  // Host side: queue input; returns how many bytes fit (the rest is for the
  // caller to retry later).  Thread-safe.
  size_t push_input(const uint8_t* data, size_t len);
  size_t input_pending();

  // The terminal the hcalls address: its reg, or 0 (early kernel debug
  // output and firmware always use 0; LoPAPR leaves 0 to the platform).
  bool addresses(uint64_t termno) const { return termno == 0 || termno == reg_; }
  uint32_t reg() const { return reg_; }

  // H_PUT_TERM_CHAR(termno, len, chars 0-7, chars 8-15): the bytes are packed
  // big-endian in the two registers.  H_PARAMETER for another unit or len > 16.
  long h_put_term_char(uint64_t termno, uint64_t len, uint64_t hi, uint64_t lo);
  // H_GET_TERM_CHAR(termno) -> out[0] = count, out[1..2] = bytes packed as above.
  long h_get_term_char(uint64_t termno, uint64_t out[3]);

  // Output from elsewhere (RTAS display-character).
  void put_chars(const uint8_t* data, size_t len) {
    if (output_ && len) output_(data, len);
  }

 private:
  uint32_t reg_;
  size_t capacity_;
  std::mutex mu_;
  std::deque<uint8_t> in_;
  std::function<void(const uint8_t*, size_t)> output_;
  std::function<void()> notify_;
};

}  // namespace lpar::papr
