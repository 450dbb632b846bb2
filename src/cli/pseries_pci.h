// The PCI host bridge of -M pseries with the devices of the command line
// (-drive if=virtio): the machine's SpaprPciHost (papr/spapr_machine.h)
// made from src/pci/spapr_phb.h and src/virtio.
#pragma once
#include <string>
#include <vector>

#include "papr/spapr_machine.h"

namespace lpar::cli {

struct VirtioDiskOption {
  std::string path;
  bool read_only = false;
};

// Parses one -drive value (file=IMG,if=virtio,format=raw[,readonly=on|off]);
// empty string or a one-line error.
std::string parse_drive(const std::string& spec, VirtioDiskOption& out);

// A factory that makes no PHB when disks is empty.
papr::SpaprPciFactory pseries_pci(std::vector<VirtioDiskOption> disks);

}  // namespace lpar::cli
