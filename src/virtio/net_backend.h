// Where a virtio-net device's frames go: an Ethernet frame in each call.
// send() is called with the device's lock held and must not deliver to the
// device synchronously; a backend delivers guest-bound frames through the
// receiver from its own thread (or a test's).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

namespace lpar::virtio {

class NetBackend {
 public:
  using Receiver = std::function<void(const uint8_t* frame, size_t len)>;
  virtual ~NetBackend() = default;
  // A frame from the guest.
  virtual void send(const uint8_t* frame, size_t len) = 0;
  // Installed by the device; frames for the guest go there.
  void set_receiver(Receiver r) {
    std::lock_guard<std::mutex> g(rx_mu_);
    rx_ = std::move(r);
  }

 protected:
  void deliver(const uint8_t* frame, size_t len) {
    std::lock_guard<std::mutex> g(rx_mu_);
    if (rx_) rx_(frame, len);
  }

 private:
  std::mutex rx_mu_;
  Receiver rx_;
};

}  // namespace lpar::virtio
