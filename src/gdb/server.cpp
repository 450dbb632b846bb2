#include "gdb/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gdb/session.h"

namespace lpar::gdb {

std::optional<Endpoint> parse_endpoint(const std::string& spec_in) {
  std::string spec = spec_in;
  if (spec == "-s") spec = "tcp::1234";
  if (spec.starts_with("tcp:")) spec = spec.substr(4);
  Endpoint ep;
  std::string port = spec;
  const size_t colon = spec.rfind(':');
  if (colon != std::string::npos) {
    ep.host = spec.substr(0, colon);
    port = spec.substr(colon + 1);
    if (ep.host.size() >= 2 && ep.host.front() == '[' && ep.host.back() == ']')
      ep.host = ep.host.substr(1, ep.host.size() - 2);
    if (ep.host.empty()) ep.host = "127.0.0.1";
  }
  // Options after a comma (",server,nowait" ...) are accepted and ignored.
  const size_t comma = port.find(',');
  if (comma != std::string::npos) port = port.substr(0, comma);
  if (port.empty() || port.size() > 5) return std::nullopt;
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return std::nullopt;
  ep.port = p;
  return ep;
}

GdbServer::~GdbServer() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool GdbServer::listen(const Endpoint& ep, std::string& err) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(ep.port);
  if (int rc = ::getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    err = "gdb: cannot resolve " + ep.host + ": " + gai_strerror(rc);
    return false;
  }
  for (addrinfo* a = res; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1) == 0) {
      listen_fd_ = fd;
      sockaddr_storage ss{};
      socklen_t sl = sizeof ss;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &sl);
      port_ = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
      break;
    }
    err = std::string("gdb: cannot listen on ") + ep.host + ":" + port + ": " + std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(res);
  if (listen_fd_ < 0 && err.empty()) err = "gdb: no usable address for " + ep.host;
  return listen_fd_ >= 0;
}

bool GdbServer::client_waiting(int timeout_ms) const {
  if (listen_fd_ < 0) return false;
  pollfd p{listen_fd_, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0 && (p.revents & POLLIN);
}

bool GdbServer::serve(GdbTarget& target) {
  int fd;
  do fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    target.detach();
    return false;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  bool broken = false;
  GdbSession session(target, [&](std::string_view out) {
    // A client gone mid-reply is noticed by the next read; never SIGPIPE.
    while (!out.empty() && !broken) {
      const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        broken = true;
        break;
      }
      out.remove_prefix(static_cast<size_t>(n));
    }
  });
  char buf[4096];
  while (!session.finished()) {
    if (broken) {
      session.client_gone();
      break;
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, session.running() ? 0 : -1);
    if (ready < 0 && errno != EINTR) {
      session.client_gone();
      break;
    }
    if (ready > 0) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        session.client_gone();
        break;
      }
      session.feed(std::string_view(buf, static_cast<size_t>(n)));
    }
    session.run_slice();
  }
  ::close(fd);
  return session.killed();
}

}  // namespace lpar::gdb
