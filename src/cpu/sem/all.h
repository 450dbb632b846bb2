// Every semantic function, by instruction class (Dolphin's split).
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/branch.h"
#include "cpu/sem/fixed.h"
#include "cpu/sem/loadstore.h"
#include "cpu/sem/fp.h"
#include "cpu/sem/dfp.h"
#include "cpu/sem/vmx.h"
#include "cpu/sem/vsx.h"
#include "cpu/sem/vsx_fp.h"
#include "cpu/sem/system.h"

