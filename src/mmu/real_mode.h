// Real addressing mode (Book III-S 5.7.3): MSR[IR]=0 for fetches, MSR[DR]=0 for data.
#pragma once
#include "mmu/translate.h"

namespace lpar::mmu {

// Size in bytes of the real mode area for an RMLS code (v2.06 LPCR[RMLS], the
// 970's HID4 RMLS): 0 for a code the implementation does not define.
u64 rmls_limit(Model m, unsigned rmls);
// Does guest real mode (MSR[HV]=0) go through the VRMA?  LPCR[VPM0] on POWER7/8,
// always on ISA 3.0, never on the 970.
bool uses_vrma(const MmuContext& c);
// The VRMA's SLB VSID word: B=1T, VSID 0x1FFFFFF, L||LP = LPCR[VRMASD] (5.7.3.3).
u64 vrma_vsid_word(const MmuContext& c);

// Real-mode translation:
//  * MSR[HV]=1: RA = EA[4:63] | HRMOR when EA[0]=0, EA[4:63] when EA[0]=1 (5.7.3.1);
//    the 970 has no HRMOR.
//  * MSR[HV]=0, VRMA: through the HPT in the VRMA segment (5.7.3.3); the segment
//    offset is EA[24:63] (after ignoring EA[0:3]).
//  * MSR[HV]=0, RMO (970: HID4 RMOR/RMLS; POWER7/8 with VPM0=0: RMOR, LPCR[RMLS]):
//    EA[4:63] must be below the RMLS limit (else DSI DSISR[36] / ISI SRR1[36]);
//    RA = EA[4:63] | RMOR (5.7.3.2).
TranslateResult translate_real(MmuContext& c, u64 ea, Access acc);

}  // namespace lpar::mmu
