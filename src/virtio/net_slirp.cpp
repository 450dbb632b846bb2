#include "virtio/net_slirp.h"

#include <cerrno>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include <slirp/libslirp.h>
#include <spdlog/spdlog.h>

namespace lpar::virtio {

namespace {
constexpr size_t TX_QUEUE_MAX = 1024;  // frames waiting for the slirp thread
constexpr uint32_t POLL_MAX_MS = 1000;

in_addr ip(const char* s) {
  in_addr a{};
  inet_pton(AF_INET, s, &a);
  return a;
}

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

ssize_t SlirpBackend::cb_send_packet(const void* buf, size_t len, void* opaque) {
  static_cast<SlirpBackend*>(opaque)->deliver(static_cast<const uint8_t*>(buf), len);
  return ssize_t(len);
}
void SlirpBackend::cb_guest_error(const char* msg, void*) { spdlog::warn("slirp: guest error: {}", msg); }
int64_t SlirpBackend::cb_clock_ns(void*) { return now_ns(); }
void* SlirpBackend::cb_timer_new(void (*cb)(void*), void* cb_opaque, void* opaque) {
  auto* self = static_cast<SlirpBackend*>(opaque);
  self->timers_.push_back(Timer{cb, cb_opaque, -1});
  return &self->timers_.back();
}
void SlirpBackend::cb_timer_free(void* timer, void* opaque) {
  auto* self = static_cast<SlirpBackend*>(opaque);
  self->timers_.remove_if([timer](const Timer& t) { return &t == timer; });
}
void SlirpBackend::cb_timer_mod(void* timer, int64_t expire_ms, void*) {
  static_cast<Timer*>(timer)->expire_ms = expire_ms;
}
void SlirpBackend::cb_register_fd(int, void*) {}
void SlirpBackend::cb_notify(void* opaque) { static_cast<SlirpBackend*>(opaque)->wake(); }

int SlirpBackend::cb_add_poll(int fd, int events, void* opaque) {
  auto* self = static_cast<SlirpBackend*>(opaque);
  short ev = 0;
  if (events & SLIRP_POLL_IN) ev |= POLLIN;
  if (events & SLIRP_POLL_OUT) ev |= POLLOUT;
  if (events & SLIRP_POLL_PRI) ev |= POLLPRI;
  self->pollfds_->push_back(pollfd{fd, ev, 0});
  return int(self->pollfds_->size() - 1);
}

int SlirpBackend::cb_get_revents(int idx, void* opaque) {
  auto* self = static_cast<SlirpBackend*>(opaque);
  if (idx < 0 || size_t(idx) >= self->pollfds_->size()) return 0;
  const short r = (*self->pollfds_)[idx].revents;
  int ev = 0;
  if (r & POLLIN) ev |= SLIRP_POLL_IN;
  if (r & POLLOUT) ev |= SLIRP_POLL_OUT;
  if (r & POLLPRI) ev |= SLIRP_POLL_PRI;
  if (r & POLLERR) ev |= SLIRP_POLL_ERR;
  if (r & POLLHUP) ev |= SLIRP_POLL_HUP;
  return ev;
}

std::unique_ptr<SlirpBackend> SlirpBackend::create(const SlirpOptions& opt, std::string* err) {
  std::unique_ptr<SlirpBackend> b(new SlirpBackend());
  // libslirp keeps the pointer: the table lives as long as the program.
  static SlirpCb cb{};
  cb.send_packet = &SlirpBackend::cb_send_packet;
  cb.guest_error = &SlirpBackend::cb_guest_error;
  cb.clock_get_ns = &SlirpBackend::cb_clock_ns;
  cb.timer_new = &SlirpBackend::cb_timer_new;
  cb.timer_free = &SlirpBackend::cb_timer_free;
  cb.timer_mod = &SlirpBackend::cb_timer_mod;
  cb.register_poll_fd = &SlirpBackend::cb_register_fd;
  cb.unregister_poll_fd = &SlirpBackend::cb_register_fd;
  cb.notify = &SlirpBackend::cb_notify;

  // QEMU's -netdev user defaults (net/slirp.c).
  SlirpConfig cfg{};
  cfg.version = 1;
  cfg.restricted = opt.restricted;
  cfg.in_enabled = true;
  cfg.vnetwork = ip("10.0.2.0");
  cfg.vnetmask = ip("255.255.255.0");
  cfg.vhost = ip("10.0.2.2");
  cfg.in6_enabled = false;
  cfg.vdhcp_start = ip("10.0.2.15");
  cfg.vnameserver = ip("10.0.2.3");

  b->wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (b->wake_fd_ < 0) {
    if (err) *err = "eventfd failed";
    return nullptr;
  }
  b->slirp_ = slirp_new(&cfg, &cb, b.get());
  if (!b->slirp_) {
    if (err) *err = "libslirp refused the network configuration";
    return nullptr;
  }
  for (const auto& f : opt.hostfwd) {
    in_addr host{};
    if (inet_pton(AF_INET, f.host_addr.c_str(), &host) != 1) {
      if (err) *err = "cannot forward host port " + std::to_string(f.host_port) + ": bad address '" + f.host_addr + "'";
      return nullptr;
    }
    errno = 0;
    if (slirp_add_hostfwd(b->slirp_, f.udp, host, f.host_port, ip("10.0.2.15"), f.guest_port) < 0) {
      // libslirp's bind/listen leave errno: the reason (a busy port, most often).
      const int e = errno;
      if (err)
        *err = "cannot forward host port " + std::to_string(f.host_port) + ": " +
               (e ? std::strerror(e) : "libslirp refused the rule");
      return nullptr;
    }
  }
  b->thread_ = std::thread([p = b.get()] { p->run(); });
  return b;
}

SlirpBackend::~SlirpBackend() {
  stop_ = true;
  if (thread_.joinable()) {
    wake();
    thread_.join();
  }
  if (slirp_) slirp_cleanup(slirp_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void SlirpBackend::wake() {
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void SlirpBackend::send(const uint8_t* frame, size_t len) {
  {
    std::lock_guard<std::mutex> g(tx_mu_);
    if (tx_.size() >= TX_QUEUE_MAX) return;  // dropped, as a full NIC queue would
    tx_.emplace_back(frame, frame + len);
  }
  wake();
}

void SlirpBackend::run() {
  std::vector<pollfd> fds;
  pollfds_ = &fds;
  std::deque<std::vector<uint8_t>> batch;
  while (!stop_) {
    fds.clear();
    fds.push_back(pollfd{wake_fd_, POLLIN, 0});
    uint32_t timeout = POLL_MAX_MS;
    slirp_pollfds_fill(slirp_, &timeout, &SlirpBackend::cb_add_poll, this);
    const int64_t now_ms = now_ns() / 1000000;
    for (const Timer& t : timers_)
      if (t.expire_ms >= 0) timeout = uint32_t(std::clamp<int64_t>(t.expire_ms - now_ms, 0, timeout));
    const int r = ::poll(fds.data(), fds.size(), int(timeout));
    if (r > 0 && (fds[0].revents & POLLIN)) {
      uint64_t v;
      (void)!::read(wake_fd_, &v, sizeof v);
    }
    slirp_pollfds_poll(slirp_, r < 0, &SlirpBackend::cb_get_revents, this);
    // Expired timers (a callback may free or re-arm timers: restart the scan).
    for (bool fired = true; fired;) {
      fired = false;
      const int64_t t_ms = now_ns() / 1000000;
      for (Timer& t : timers_) {
        if (t.expire_ms >= 0 && t.expire_ms <= t_ms) {
          t.expire_ms = -1;
          t.cb(t.cb_opaque);
          fired = true;
          break;
        }
      }
    }
    {
      std::lock_guard<std::mutex> g(tx_mu_);
      batch.swap(tx_);
    }
    for (const auto& f : batch) slirp_input(slirp_, f.data(), int(f.size()));
    batch.clear();
  }
  pollfds_ = nullptr;
}

}  // namespace lpar::virtio
