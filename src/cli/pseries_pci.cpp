#include "cli/pseries_pci.h"

#include "hv/io_bus.h"
#include "papr/papr_log.h"
#include "papr/spapr_dt.h"
#include "papr/xics.h"
#include "pci/spapr_phb.h"
#include "virtio/net_slirp.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtio_net.h"

namespace lpar::cli {

namespace {

class PhbHost final : public papr::SpaprPciHost {
 public:
  PhbHost(papr::SpaprPciContext& ctx)
      : io_bus_(ctx.io_bus),
        phb_(ctx.mem, ctx.tce, [x = &ctx.xics](u32 irq, bool level) { x->set_level(irq, level); }) {
    for (u32 irq : phb_.lsi_irqs()) ctx.xics.set_lsi(irq, true);
  }
  ~PhbHost() override {
    for (u64 a : registered_) io_bus_.unregister_device(a);
  }

  std::string add_disk(const VirtioDiskOption& d) {
    virtio::VirtioBlkOptions bo;
    bo.path = d.path;
    bo.read_only = d.read_only;
    bo.locking = d.locking;
    std::string err;
    auto blk = virtio::VirtioBlk::open(bo, virtio::VirtioDma{&phb_.dma_direct(), &phb_.dma_iommu()}, &err);
    if (!blk) return err.empty() ? "cannot open drive '" + d.path + "'" : err;
    if (phb_.add_device(std::move(blk)) < 0) return "-drive: no free PCI slot";
    return {};
  }

  std::string add_nic(const VirtioNicOption& n) {
    std::string err;
    auto backend = virtio::SlirpBackend::create(n.slirp, &err);
    if (!backend) return "-netdev user: " + (err.empty() ? "cannot start user networking" : err);
    virtio::VirtioNetOptions no;
    no.mac = n.mac;
    auto dev = std::make_unique<virtio::VirtioNet>(*backend, no, virtio::VirtioDma{&phb_.dma_direct(), &phb_.dma_iommu()});
    backends_.push_back(std::move(backend));
    if (phb_.add_device(std::move(dev)) < 0) return "-device virtio-net-pci: no free PCI slot";
    return {};
  }
  // Queue notifications served in the hypervisor (spapr_phb.h).
  std::string attach() {
    for (auto& d : phb_.io_bus_devices()) {
      const u64 a = d.addr;
      if (io_bus_.register_device(std::move(d)) != 0) return "cannot place the PCI windows on the IO bus";
      registered_.push_back(a);
    }
    return {};
  }

  bool rtas_buffer(u64 args) override { return phb_.rtas_buffer(args); }
  bool mmio_read(u64 gpa, unsigned len, u64& v) override { return phb_.mmio_read(gpa, len, v); }
  bool mmio_write(u64 gpa, unsigned len, u64 v) override { return phb_.mmio_write(gpa, len, v); }
  int add_fdt_node(void* fdt) override { return phb_.add_fdt_node(fdt, 0, papr::XICS_PHANDLE); }
  // No firmware to enumerate (vof=on): the PHB places the BARs and its node
  // then carries the functions' nodes.
  void enumerate() override {
    if (const unsigned n = phb_.enumerate())
      papr::subsystem_logger("pci")->warn("{} BAR(s) did not fit in the PHB windows and stay unassigned", n);
  }
  std::vector<std::string> rtas_call_names() const override { return pci::SpaprPhb::rtas_call_names(); }
  void reset() override { phb_.reset(); }

 private:
  hv::IoBus& io_bus_;
  // Before phb_: the NICs (in phb_) detach from their backends first.
  std::vector<std::unique_ptr<virtio::SlirpBackend>> backends_;
  pci::SpaprPhb phb_;
  std::vector<u64> registered_;
};

}  // namespace

papr::SpaprPciFactory pseries_pci(PciPlan plan) {
  return [plan = std::move(plan)](papr::SpaprPciContext& ctx,
                                  std::string* err) -> std::unique_ptr<papr::SpaprPciHost> {
    if (plan.empty()) return nullptr;
    auto host = std::make_unique<PhbHost>(ctx);
    for (const auto& d : plan.disks)
      if (std::string e = host->add_disk(d); !e.empty()) {
        *err = e;
        return nullptr;
      }
    for (const auto& n : plan.nics)
      if (std::string e = host->add_nic(n); !e.empty()) {
        *err = e;
        return nullptr;
      }
    if (std::string e = host->attach(); !e.empty()) {
      *err = e;
      return nullptr;
    }
    return host;
  };
}

}  // namespace lpar::cli
