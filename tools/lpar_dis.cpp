// lpar-dis: disassemble a raw little-endian file of instruction words with
// lpar's table-generated disassembler, one "offset: word  text" line each.
// usage: lpar-dis [-cpu power7|power8|power9|970] [--be] [--decode] FILE
// --decode prints the table line the decoder picks (what executes) instead.
#include <cstdio>
#include <cstring>
#include <string>

#include "cpu/disasm.h"

using namespace lpar;

int main(int argc, char** argv) {
  isa::Model model = isa::POWER9;
  // Without -cpu, objdump's default: invalid forms named as the old POWER and
  // Gekko instructions they would be; with -cpu, as objdump -M <cpu>: .long.
  bool cpu_given = false;
  bool be = false, decode_only = false;
  const char* path = nullptr;
  for (int k = 1; k < argc; ++k) {
    if (!std::strcmp(argv[k], "-cpu") && k + 1 < argc) {
      cpu_given = true;
      const std::string m = argv[++k];
      if (m == "power9") model = isa::POWER9;
      else if (m == "power8") model = isa::POWER8;
      else if (m == "power7") model = isa::POWER7;
      else if (m == "970") model = isa::PPC970;
      else {
        std::fprintf(stderr, "lpar-dis: unknown CPU model '%s'\n", m.c_str());
        return 2;
      }
    } else if (!std::strcmp(argv[k], "--be")) {
      be = true;
    } else if (!std::strcmp(argv[k], "--decode")) {
      decode_only = true;
    } else {
      path = argv[k];
    }
  }
  if (!path) {
    std::fprintf(stderr, "usage: lpar-dis [-cpu power7|power8|power9|970] [--be] [--decode] FILE\n");
    return 2;
  }
  FILE* f = std::fopen(path, "rb");
  if (!f) {
    std::fprintf(stderr, "lpar-dis: cannot open %s: %s\n", path, std::strerror(errno));
    return 1;
  }
  unsigned char b[4];
  u64 off = 0;
  while (std::fread(b, 1, 4, f) == 4) {
    const u32 w = be ? (u32{b[0]} << 24 | u32{b[1]} << 16 | u32{b[2]} << 8 | b[3])
                     : (u32{b[3]} << 24 | u32{b[2]} << 16 | u32{b[1]} << 8 | b[0]);
    const std::string text = decode_only ? isa::info(isa::decode(w, model)).id : disassemble(w, off, model, !cpu_given);
    std::printf("%llx: %08x  %s\n", static_cast<unsigned long long>(off), w, text.c_str());
    off += 4;
  }
  std::fclose(f);
  return 0;
}
