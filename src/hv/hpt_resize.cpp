#include "hv/hpt_resize.h"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hv/hcall_mmu.h"

namespace lpar::hv {

struct HptResize::Job {
  unsigned shift = 0;
  std::thread thread;
  std::mutex m;
  std::condition_variable cv;
  bool done = false;  // under m
  int err = 0;        // under m
  Htab hpt;           // the worker's until done, then the owner's
  std::atomic<bool> discarded{false};

  bool is_done() {
    std::lock_guard<std::mutex> g(m);
    return done;
  }
  void join() {
    if (thread.joinable()) thread.join();
  }
};

namespace {

bool valid_shift(unsigned shift) { return shift >= Htab::MIN_ORDER && shift <= Htab::MAX_ORDER; }

}  // namespace

HptResize::HptResize(Allocator alloc) : alloc_(std::move(alloc)) {
  if (!alloc_) alloc_ = [](Htab& t, unsigned order) { return t.allocate(order); };
}

HptResize::~HptResize() {
  cancel();
  reap(true);
}

unsigned HptResize::pending_shift() const { return job_ ? job_->shift : 0; }

void HptResize::retire(std::shared_ptr<Job> j) {
  if (!j) return;
  j->discarded = true;
  if (j->is_done()) {
    j->join();
    return;  // its table goes with it
  }
  retired_.push_back(std::move(j));
}

void HptResize::reap(bool block) {
  for (size_t i = 0; i < retired_.size();) {
    if (block || retired_[i]->is_done()) {
      retired_[i]->join();
      retired_.erase(retired_.begin() + long(i));
    } else {
      i++;
    }
  }
}

void HptResize::cancel() { retire(std::move(job_)); }

void HptResize::wait() {
  if (!job_) return;
  std::unique_lock<std::mutex> g(job_->m);
  job_->cv.wait(g, [&] { return job_->done; });
}

long HptResize::prepare(u64 flags, unsigned shift) {
  if (flags != 0 || (shift != 0 && !valid_shift(shift))) return -EINVAL;
  reap(false);
  if (job_ && job_->shift == shift) {
    int err;
    {
      std::lock_guard<std::mutex> g(job_->m);
      if (!job_->done) return estimate_ms(shift);
      err = job_->err;
    }
    if (err == 0) return 0;
    // Failed: report it once, then forget the attempt.
    job_->join();
    job_.reset();
    return err;
  }
  retire(std::move(job_));
  if (shift == 0) return 0;

  auto j = std::make_shared<Job>();
  j->shift = shift;
  Job* raw = j.get();  // outlives the thread: owners join before dropping it
  j->thread = std::thread([raw, alloc = alloc_] {
    Htab t;
    int err = alloc(t, raw->shift);
    // -EBUSY means "not ready" to commit; an allocator must not report it.
    if (err == -EBUSY) err = -EIO;
    {
      std::lock_guard<std::mutex> g(raw->m);
      if (err == 0 && !raw->discarded) raw->hpt.swap(t);
      raw->err = err;
      raw->done = true;
    }
    raw->cv.notify_all();
  });
  job_ = std::move(j);
  return estimate_ms(shift);
}

long HptResize::commit(u64 flags, unsigned shift, Htab& current, isa::Model model) {
  if (flags != 0 || (shift != 0 && !valid_shift(shift))) return -EINVAL;
  reap(false);
  std::shared_ptr<Job> j = std::move(job_);
  if (!j || j->shift != shift) {
    retire(std::move(j));
    return -ENXIO;
  }
  int err;
  {
    std::lock_guard<std::mutex> g(j->m);
    if (!j->done) err = -EBUSY;
    else err = j->err;
  }
  if (err == -EBUSY) {
    retire(std::move(j));
    return -EBUSY;
  }
  j->join();
  if (err != 0) return err;
  if (!current.allocated() || !j->hpt.allocated()) return -EIO;
  const long rc = rehash(current, j->hpt, model);
  if (rc != 0) return rc;
  current.swap(j->hpt);
  return 0;
}

long HptResize::rehash(const Htab& from, Htab& to, isa::Model model) {
  const u64 from_mask = from.hash_mask();
  const u64 to_mask = to.hash_mask();
  // Pass 0 moves the bolted entries, pass 1 the others into what is left.
  for (int pass = 0; pass < 2; pass++) {
    const bool want_bolted = pass == 0;
    for (u64 ptex = 0; ptex < from.hpte_count(); ptex++) {
      u64 p0, p1;
      from.read_hpte(ptex, p0, p1);
      if (!(p0 & mmu::HPTE0_V)) continue;
      const bool bolted = (p0 & HPTE0_BOLTED) != 0;
      if (bolted != want_bolted) continue;
      u64 v = p0, r = p1;
      hpte_to_papr(model, v, r);
      HpteVa va;
      if (!hpte_va(model, v, r, ptex, from_mask, va)) {
        if (bolted) return -EIO;  // cannot say where it belongs
        continue;
      }
      const u64 hash = va.hash();
      const u64 pteg = (va.secondary ? ~hash : hash) & to_mask;
      const u64 to_ptex = pteg * Htab::HPTES_PER_PTEG + ptex % Htab::HPTES_PER_PTEG;
      u64 q0, q1;
      to.read_hpte(to_ptex, q0, q1);
      if (q0 & mmu::HPTE0_V) {
        if (bolted) return -ENOSPC;  // the occupant is bolted too (pass 0)
        continue;
      }
      to.write_hpte(to_ptex, p0, p1);
    }
  }
  return 0;
}

}  // namespace lpar::hv
