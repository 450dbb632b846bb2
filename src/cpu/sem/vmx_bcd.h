// VMX decimal (BCD) instructions, Book I 6.17.  Included from vmx.h.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {
}  // namespace lpar::sem
