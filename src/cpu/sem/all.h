// Every semantic function, by instruction class (Dolphin's split).
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/branch.h"
#include "cpu/sem/fixed.h"
#include "cpu/sem/loadstore.h"
#include "cpu/sem/fp.h"
#include "cpu/sem/vmx.h"
#include "cpu/sem/vsx.h"
#include "cpu/sem/system.h"

namespace lpar::sem {
// No table line matched: Book I 1.8.1 says an illegal instruction causes the
// system illegal instruction error handler to be invoked (Program interrupt).
SEM(invalid) { return illegal(s); }
}  // namespace lpar::sem
