// The -M pseries part of the lpar command line (QEMU's words: -M
// pseries[,vof=on][,resize-hpt=enabled|disabled][,dumpdtb=F], -cpu, -m,
// -kernel, -initrd, -append, -nographic, -no-reboot, -d, -D, --expect,
// --kvm-rma-size, --kvm-rma-count).  docs/pseries.md.
#pragma once
#include <boost/program_options.hpp>
#include <string>

namespace lpar::cli {

void add_pseries_options(boost::program_options::options_description& desc);
// Run the machine spec ("pseries,vof=on,...") with the parsed options;
// returns lpar's exit status (messages already printed).
int run_pseries(const std::string& spec, const boost::program_options::variables_map& vm);

}  // namespace lpar::cli
