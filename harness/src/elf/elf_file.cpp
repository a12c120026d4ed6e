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
    if (elf_ && elf_kind(elf_) != ELF_K_ELF && elf_kind(elf_) != ELF_K_AR) {
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
  bool archive() const { return elf_ && elf_kind(elf_) == ELF_K_AR; }
  int fd() const { return fd_; }

private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

const char* section_name(Elf* elf, const GElf_Shdr& header) {
  size_t names = 0;
  if (elf_getshdrstrndx(elf, &names) != 0) return nullptr;
  return elf_strptr(elf, names, header.sh_name);
}

void add_symbols(Elf* elf, Elf_Scn* table, const GElf_Shdr& header, const std::string& prefix,
                 std::map<std::string, std::int64_t>& into) {
  Elf_Data* data = elf_getdata(table, nullptr);
  if (!data || header.sh_entsize == 0) return;
  for (size_t i = 0; i < header.sh_size / header.sh_entsize; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
    const int type = GELF_ST_TYPE(sym.st_info);
    if ((type != STT_FUNC && type != STT_OBJECT && type != STT_TLS) || sym.st_size == 0 || sym.st_shndx == SHN_UNDEF) continue;
    const char* name = elf_strptr(elf, header.sh_link, sym.st_name);
    if (!name || !*name) continue;
    into[prefix + valid_utf8(demangle(name))] += static_cast<std::int64_t>(sym.st_size);
  }
}

} // namespace

std::string demangle(const std::string& symbol) {
  // Only an Itanium-mangled name: __cxa_demangle reads a C function "m" as the type "unsigned long".
  if (!symbol.starts_with("_Z")) return symbol;
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status), &std::free);
  return status == 0 && out ? std::string(out.get()) : symbol;
}

namespace {

// One ELF object's loaded sections added to `sizes`, its symbols under `prefix` ("member.o: ").
void add_object(Elf* elf, const std::string& where, const std::string& prefix, ElfSizes& sizes) {
  Elf_Scn* symtab = nullptr;
  Elf_Scn* dynsym = nullptr;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn));) {
    GElf_Shdr h;
    if (!gelf_getshdr(scn, &h)) throw Error(ErrorKind::parse, fmt::format("{}: unreadable section header", where));
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
    if (gelf_getshdr(table, &h)) add_symbols(elf, table, h, prefix, sizes.symbols);
  }
}

} // namespace

ElfSizes read_elf_sizes(const std::filesystem::path& file) {
  OpenElf elf(file);
  if (!elf.opened()) throw Error(ErrorKind::parse, fmt::format("{}: cannot open it", file.string()));
  if (!elf.get()) throw Error(ErrorKind::parse, fmt::format("{}: not an ELF file or a static archive", file.string()));
  ElfSizes sizes;
  if (!elf.archive()) {
    add_object(elf.get(), file.string(), "", sizes);
    return sizes;
  }
  // A static archive (.a): every ELF member's sections summed, its symbols named with the member.
  sizes.archive = true;
  Elf_Cmd command = ELF_C_READ;
  while (Elf* member = elf_begin(elf.fd(), command, elf.get())) {
    const Elf_Arhdr* header = elf_getarhdr(member);
    const std::string name = header && header->ar_name ? valid_utf8(header->ar_name) : "?";
    if (elf_kind(member) == ELF_K_ELF) {
      try {
        add_object(member, fmt::format("{}({})", file.string(), name), name + ": ", sizes);
      } catch (...) {
        elf_end(member);
        throw;
      }
    }
    command = elf_next(member);
    elf_end(member);
  }
  return sizes;
}

bool elf_or_archive(const std::filesystem::path& file) { return OpenElf(file).get() != nullptr; }

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
