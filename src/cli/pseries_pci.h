// The PCI host bridge of -M pseries with the devices of the command line
// (cli/device_options.h): the machine's SpaprPciHost (papr/spapr_machine.h)
// made from src/pci/spapr_phb.h and src/virtio.
#pragma once
#include "cli/device_options.h"
#include "papr/spapr_machine.h"

namespace lpar::cli {

// A factory that makes no PHB when the plan is empty.
papr::SpaprPciFactory pseries_pci(PciPlan plan);

}  // namespace lpar::cli
