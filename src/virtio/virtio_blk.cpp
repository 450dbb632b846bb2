#include "virtio/virtio_blk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lpar::virtio {

namespace {
constexpr u64 HEADER = 16;               // struct virtio_blk_req: type, reserved, sector (5.2.6)
constexpr u64 CHUNK = u64{1} << 20;      // bounce buffer: requests are copied through in pieces
constexpr u32 PCI_CLASS_STORAGE_SCSI = 0x010000;  // as QEMU's virtio-blk-pci

u32 le32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
u64 le64(const u8* p) { return u64(le32(p)) | u64(le32(p + 4)) << 32; }

bool full_pread(int fd, u8* p, u64 n, u64 off) {
  while (n) {
    const ssize_t r = ::pread(fd, p, n, off_t(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r, n -= u64(r), off += u64(r);
  }
  return true;
}

bool full_pwrite(int fd, const u8* p, u64 n, u64 off) {
  while (n) {
    const ssize_t r = ::pwrite(fd, p, n, off_t(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r, n -= u64(r), off += u64(r);
  }
  return true;
}
}  // namespace

std::unique_ptr<VirtioBlk> VirtioBlk::open(const VirtioBlkOptions& opt, VirtioDma dma, std::string* err) {
  const int fd = ::open(opt.path.c_str(), (opt.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (err) *err = opt.path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    if (err) *err = opt.path + ": " + (S_ISDIR(st.st_mode) ? std::strerror(EISDIR) : "not a disk image (a regular file or block device)");
    ::close(fd);
    return nullptr;
  }
  if (opt.locking) {
    struct flock l {};
    l.l_type = opt.read_only ? F_RDLCK : F_WRLCK;
    l.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file
    if (::fcntl(fd, F_OFD_SETLK, &l) != 0) {
      if (err)
        *err = opt.path + ": failed to get \"" + (opt.read_only ? "read" : "write") +
               "\" lock: is another process using the image? (locking=off overrides)";
      ::close(fd);
      return nullptr;
    }
  }
  return std::unique_ptr<VirtioBlk>(new VirtioBlk(fd, u64(st.st_size) / VIRTIO_BLK_SECTOR, opt, dma));
}

VirtioBlk::VirtioBlk(int fd, u64 sectors, const VirtioBlkOptions& opt, VirtioDma dma)
    : VirtioPciDevice(VIRTIO_ID_BLOCK, PCI_CLASS_STORAGE_SCSI, 1, opt.queue_size, dma, opt.iommu_platform),
      fd_(fd),
      sectors_(sectors),
      read_only_(opt.read_only),
      serial_(opt.serial.substr(0, VIRTIO_BLK_ID_BYTES)),
      // Two descriptors of every request carry the header and the status.
      seg_max_(u16(std::max<int>(1, opt.queue_size - 2))) {}

VirtioBlk::~VirtioBlk() {
  sync();
  ::close(fd_);
}

bool VirtioBlk::sync() { return read_only_ || ::fdatasync(fd_) == 0; }

u64 VirtioBlk::device_features() const {
  // BLK_SIZE: SLOF's virtio-blk insists on it.
  return VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | (read_only_ ? VIRTIO_BLK_F_RO : 0);
}

std::vector<u8> VirtioBlk::device_config() const {
  // struct virtio_blk_config (5.2.4): capacity @0, size_max @8, seg_max @12,
  // geometry @16, blk_size @20, topology @24..31.
  std::vector<u8> c(32, 0);
  for (int i = 0; i < 8; ++i) c[i] = u8(sectors_ >> (8 * i));
  for (int i = 0; i < 4; ++i) c[12 + i] = u8(u32(seg_max_) >> (8 * i));
  for (int i = 0; i < 4; ++i) c[20 + i] = u8(u32(VIRTIO_BLK_SECTOR) >> (8 * i));
  return c;
}

void VirtioBlk::queue_notify(unsigned q) {
  if (q != 0) return;
  VqChain c;
  while (pop(0, c)) push(0, c.head, handle(c));
}

u32 VirtioBlk::handle(const VqChain& c) {
  if (c.in_len == 0) return 0;  // nowhere to put a status: return the buffers untouched
  const u64 status_off = c.in_len - 1;
  u8 hdr[HEADER];
  u8 status = VIRTIO_BLK_S_IOERR;
  u32 written = 1;
  if (c.out_len >= HEADER && c.read(dma(), 0, hdr, HEADER)) {
    // Bit 31 is the legacy VIRTIO_BLK_T_BARRIER flag (virtio 0.9.5 5.2.6),
    // which SLOF still sets on every request; a 1.0 device ignores it.
    const u32 type = le32(hdr) & 0x7fffffffu;
    const u64 sector = le64(hdr + 8);
    switch (type) {
      case VIRTIO_BLK_T_IN:
        status = do_read(c, sector, status_off);
        written = u32(std::min<u64>(c.in_len, 0xFFFFFFFFu));
        break;
      case VIRTIO_BLK_T_OUT:
        status = read_only_ ? VIRTIO_BLK_S_IOERR : do_write(c, sector, c.out_len - HEADER);
        break;
      case VIRTIO_BLK_T_FLUSH:
        status = sync() ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        break;
      case VIRTIO_BLK_T_GET_ID: {
        u8 id[VIRTIO_BLK_ID_BYTES] = {};
        std::memcpy(id, serial_.data(), serial_.size());
        const u64 n = std::min<u64>(VIRTIO_BLK_ID_BYTES, status_off);
        status = c.write(dma(), 0, id, n) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        written = u32(n + 1);
        break;
      }
      default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
  }
  if (!c.write(dma(), status_off, &status, 1)) return 0;
  return written;
}

u8 VirtioBlk::do_read(const VqChain& c, u64 sector, u64 len) {
  if (len % VIRTIO_BLK_SECTOR || sector > sectors_ || len / VIRTIO_BLK_SECTOR > sectors_ - sector)
    return VIRTIO_BLK_S_IOERR;
  buf_.resize(std::min(len, CHUNK));
  for (u64 done = 0; done < len;) {
    const u64 n = std::min(len - done, CHUNK);
    if (!full_pread(fd_, buf_.data(), n, sector * VIRTIO_BLK_SECTOR + done)) return VIRTIO_BLK_S_IOERR;
    if (!c.write(dma(), done, buf_.data(), n)) return VIRTIO_BLK_S_IOERR;
    done += n;
  }
  return VIRTIO_BLK_S_OK;
}

u8 VirtioBlk::do_write(const VqChain& c, u64 sector, u64 len) {
  if (len % VIRTIO_BLK_SECTOR || sector > sectors_ || len / VIRTIO_BLK_SECTOR > sectors_ - sector)
    return VIRTIO_BLK_S_IOERR;
  buf_.resize(std::min(len, CHUNK));
  for (u64 done = 0; done < len;) {
    const u64 n = std::min(len - done, CHUNK);
    if (!c.read(dma(), HEADER + done, buf_.data(), n)) return VIRTIO_BLK_S_IOERR;
    if (!full_pwrite(fd_, buf_.data(), n, sector * VIRTIO_BLK_SECTOR + done)) return VIRTIO_BLK_S_IOERR;
    done += n;
  }
  return VIRTIO_BLK_S_OK;
}

}  // namespace lpar::virtio
