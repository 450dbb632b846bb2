#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {
}  // namespace lpar::sem
