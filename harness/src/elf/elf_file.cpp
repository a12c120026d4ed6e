#include "elf/elf_file.hpp"

#include "util/error.hpp"
#include "util/utf8.hpp"

#include <cxxabi.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <unistd.h>

namespace cibench {
namespace {

// The file descriptor and libelf's handle, closed together.
class OpenElf {
public:
  explicit OpenElf(const std::filesystem::path& file) {
    if (elf_version(EV_CURRENT) == EV_NONE) return;
    fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (elf_ && elf_kind(elf_) != ELF_K_ELF) {
      elf_end(elf_);
      elf_ = nullptr;
    }
  }
  ~OpenElf() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
  }
  OpenElf(const OpenElf&) = delete;
  OpenElf& operator=(const OpenElf&) = delete;
  Elf* get() const { return elf_; }
  bool opened() const { return fd_ >= 0; }

private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

const char* section_name(Elf* elf, const GElf_Shdr& header) {
  size_t names = 0;
  if (elf_getshdrstrndx(elf, &names) != 0) return nullptr;
  return elf_strptr(elf, names, header.sh_name);
}

void add_symbols(Elf* elf, Elf_Scn* table, const GElf_Shdr& header, std::map<std::string, std::int64_t>& into) {
  Elf_Data* data = elf_getdata(table, nullptr);
  if (!data || header.sh_entsize == 0) return;
  for (size_t i = 0; i < header.sh_size / header.sh_entsize; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
    const int type = GELF_ST_TYPE(sym.st_info);
    if ((type != STT_FUNC && type != STT_OBJECT && type != STT_TLS) || sym.st_size == 0 || sym.st_shndx == SHN_UNDEF) continue;
    const char* name = elf_strptr(elf, header.sh_link, sym.st_name);
    if (!name || !*name) continue;
    into[valid_utf8(demangle(name))] += static_cast<std::int64_t>(sym.st_size);
  }
}

} // namespace

std::string demangle(const std::string& symbol) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status), &std::free);
  return status == 0 && out ? std::string(out.get()) : symbol;
}

ElfSizes read_elf_sizes(const std::filesystem::path& file) {
  OpenElf elf(file);
  if (!elf.opened()) throw Error(ErrorKind::parse, fmt::format("{}: cannot open it", file.string()));
  if (!elf.get()) throw Error(ErrorKind::parse, fmt::format("{}: not an ELF file", file.string()));
  ElfSizes sizes;
  Elf_Scn* symtab = nullptr;
  Elf_Scn* dynsym = nullptr;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf.get(), scn));) {
    GElf_Shdr h;
    if (!gelf_getshdr(scn, &h)) throw Error(ErrorKind::parse, fmt::format("{}: unreadable section header", file.string()));
    if (h.sh_type == SHT_SYMTAB) symtab = scn;
    if (h.sh_type == SHT_DYNSYM) dynsym = scn;
    if (!(h.sh_flags & SHF_ALLOC)) continue;
    const auto size = static_cast<std::int64_t>(h.sh_size);
    if (h.sh_type == SHT_NOBITS) sizes.bss += size;
    else if (h.sh_flags & SHF_EXECINSTR) sizes.text += size;
    else if (h.sh_flags & SHF_WRITE) sizes.data += size;
    else sizes.rodata += size;
  }
  // The full table when the file has one; a stripped file keeps only the dynamic symbols.
  if (Elf_Scn* table = symtab ? symtab : dynsym) {
    GElf_Shdr h;
    if (gelf_getshdr(table, &h)) add_symbols(elf.get(), table, h, sizes.symbols);
  }
  return sizes;
}

std::string elf_section_text(const std::filesystem::path& file, const std::string& name) {
  OpenElf elf(file);
  if (!elf.get()) return {};
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf.get(), scn));) {
    GElf_Shdr h;
    if (!gelf_getshdr(scn, &h) || h.sh_type == SHT_NOBITS) continue;
    const char* n = section_name(elf.get(), h);
    if (!n || name != n) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return {};
    return std::string(static_cast<const char*>(data->d_buf), std::min<size_t>(data->d_size, 1 << 20));
  }
  return {};
}

} // namespace cibench
