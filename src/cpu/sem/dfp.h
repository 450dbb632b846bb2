// Decimal floating-point facility, PowerISA 3.0B Book I chapter 5.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/fpu.h"
