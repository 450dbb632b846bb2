// HPT resizing, as KVM_CAP_SPAPR_RESIZE_HPT, KVM_PPC_RESIZE_HPT_PREPARE and
// KVM_PPC_RESIZE_HPT_COMMIT are documented (Linux Documentation/virt/kvm/
// api.rst 4.102, 4.103); the machine's H_RESIZE_HPT_PREPARE/COMMIT sit on it.
//
// prepare(flags, shift):
//   flags != 0, or shift not 0 and outside 18..46      -> -EINVAL
//   shift == 0: discard any pending HPT                 -> 0
//   no pending HPT, or one of another size: discard it, start preparing a
//   2^shift-byte HPT in a background thread             -> estimated ms (> 0)
//   pending HPT of this size: still preparing           -> estimated ms (> 0)
//                             ready                     -> 0
//                             failed                    -> its -errno, and it
//                                                          is discarded
// commit(flags, shift, current, model):
//   flags != 0, or shift invalid                        -> -EINVAL
//   no pending HPT, or one of another size              -> -ENXIO
//   pending HPT not fully prepared                      -> -EBUSY
//   preparation failed                                  -> its -errno
//   no current HPT                                      -> -EIO
//   two bolted HPTEs need the same slot of the new HPT  -> -ENOSPC
//   otherwise every valid HPTE is moved, `current` becomes the new table
//   (the old one is freed)                              -> 0
// On any failure `current` is untouched.  As in KVM, a commit ends the
// pending preparation whatever its outcome: retrying means preparing again.
//
// Moving HPTEs: each valid HPTE's hash is recomputed from its AVA and its old
// PTEG index (hcall_mmu.h hpte_va) and it goes to the same slot (0..7) of its
// new primary or secondary PTEG, so the H bit and the guest's slot numbers
// stay right.  Only shrinking can collide.  Bolted entries go first and must
// all fit (-ENOSPC otherwise); a non-bolted entry whose slot is taken is
// dropped, which PAPR allows (only bolted entries are guaranteed).  KVM moves
// only the bolted entries and drops all others; lpar keeps what fits, so the
// guest refaults less.
//
// After a successful commit the caller must flush every cached translation of
// the partition (SoftTlb::invalidate_lpid) and load the new SDR1/partition
// table entry (current.sdr1_value(): HTABSIZE changed).  The guest must be
// quiescent (api.rst: no MMU-on accesses) during commit.
//
// Not thread-safe itself (the VM serializes prepare/commit); the background
// thread only ever touches its own job.  The destructor waits for it.
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "hv/htab.h"
#include "cpu/isa/table.h"

namespace lpar::hv {

class HptResize {
 public:
  // How the background thread allocates the new table (tests substitute a
  // blocking or failing one).  Returns 0 or -errno.
  using Allocator = std::function<int(Htab&, unsigned order)>;

  explicit HptResize(Allocator alloc = {});
  ~HptResize();
  HptResize(const HptResize&) = delete;
  HptResize& operator=(const HptResize&) = delete;

  long prepare(u64 flags, unsigned shift);
  long commit(u64 flags, unsigned shift, Htab& current, isa::Model model);

  // Discard any pending HPT (prepare(0, 0)).
  void cancel();
  // Block until the pending preparation, if any, has finished (for tests and
  // for callers that prefer to wait rather than poll).
  void wait();
  bool pending() const { return job_ != nullptr; }
  unsigned pending_shift() const;

  // prepare's estimate for a table of 2^shift bytes: 1 ms per GiB, at least 1.
  static long estimate_ms(unsigned shift) { return 1 + long((u64{1} << shift) >> 30); }

  // Move every valid HPTE of `from` into the empty table `to` (both in the
  // model's format); 0, -ENOSPC or -EIO.  Exposed for tests.
  static long rehash(const Htab& from, Htab& to, isa::Model model);

 private:
  struct Job;
  void retire(std::shared_ptr<Job> j);
  void reap(bool block);

  Allocator alloc_;
  std::shared_ptr<Job> job_;
  std::vector<std::shared_ptr<Job>> retired_;  // discarded, thread still running
};

}  // namespace lpar::hv
