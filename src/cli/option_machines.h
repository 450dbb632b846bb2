// Which machines each lpar option acts on.  An option given to a machine it
// does not act on is a one-line error, never accepted and ignored; an option
// missing from the table stops lpar at start-up (every test run notices).
#pragma once
#include <string>

namespace lpar::cli {

// "pseries, bare", "pseries", ...; "" when the option is not in the table.
std::string option_machines(const std::string& option);
bool option_on_machine(const std::string& option, const std::string& machine);

}  // namespace lpar::cli
