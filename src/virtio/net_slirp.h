// User-mode networking through libslirp, as QEMU's -netdev user: the guest
// sees a 10.0.2.0/24 network with the gateway (and host) at 10.0.2.2, DNS
// at 10.0.2.3 and DHCP handing out 10.0.2.15 onwards; its TCP/UDP leave
// through the host's sockets.  libslirp is not thread-safe, so one thread
// owns it: it polls slirp's sockets and timers, feeds it the guest's frames
// (queued by send()) and hands guest-bound frames to the receiver.
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "virtio/net_backend.h"

struct Slirp;
struct pollfd;

namespace lpar::virtio {

struct SlirpOptions {
  struct HostFwd {
    bool udp = false;
    std::string host_addr = "127.0.0.1";
    int host_port = 0;
    int guest_port = 0;
  };
  std::vector<HostFwd> hostfwd;  // hostfwd=tcp:ADDR:PORT-:GPORT to 10.0.2.15
  bool restricted = false;       // no traffic beyond the virtual network
};

class SlirpBackend final : public NetBackend {
 public:
  // nullptr with *err set when libslirp refuses the configuration.
  static std::unique_ptr<SlirpBackend> create(const SlirpOptions& opt, std::string* err = nullptr);
  ~SlirpBackend() override;

  void send(const uint8_t* frame, size_t len) override;

 private:
  struct Timer {
    void (*cb)(void*);
    void* cb_opaque;
    int64_t expire_ms;  // -1: not armed
  };
  SlirpBackend() = default;
  void run();
  void wake();

  // libslirp callbacks (opaque = this).
  static ssize_t cb_send_packet(const void* buf, size_t len, void* opaque);
  static void cb_guest_error(const char* msg, void* opaque);
  static int64_t cb_clock_ns(void* opaque);
  static void* cb_timer_new(void (*cb)(void*), void* cb_opaque, void* opaque);
  static void cb_timer_free(void* timer, void* opaque);
  static void cb_timer_mod(void* timer, int64_t expire_ms, void* opaque);
  static void cb_register_fd(int fd, void* opaque);
  static void cb_notify(void* opaque);
  static int cb_add_poll(int fd, int events, void* opaque);
  static int cb_get_revents(int idx, void* opaque);

  Slirp* slirp_ = nullptr;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex tx_mu_;
  std::deque<std::vector<uint8_t>> tx_;
  std::list<Timer> timers_;  // slirp's thread only (and slirp_new's)
  std::vector<struct pollfd>* pollfds_ = nullptr;
};

}  // namespace lpar::virtio
