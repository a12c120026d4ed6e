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
  // A section table past the file's end reads as no sections at all: an error, not a size of 0.
  size_t sections = 0, read = 1; // section 0 is the null one, never returned
  if (elf_getshdrnum(elf, &sections) != 0)
    throw Error(ErrorKind::parse, fmt::format("{}: no readable section table: {} (truncated or corrupt?)", where, elf_errmsg(-1)));
  Elf_Scn* symtab = nullptr;
  Elf_Scn* dynsym = nullptr;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)); ++read) {
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
  if (sections == 0) throw Error(ErrorKind::parse, fmt::format("{}: no section table (truncated or corrupt?)", where));
  if (read < sections)
    throw Error(ErrorKind::parse, fmt::format("{}: {} of its {} sections could be read (truncated or corrupt?)", where, read, sections));
  // The full table when the file has one; a stripped file keeps only the dynamic symbols.
  if (Elf_Scn* table = symtab ? symtab : dynsym) {
    GElf_Shdr h;
    if (gelf_getshdr(table, &h)) add_symbols(elf, table, h, prefix, sizes.symbols);
  }
}

} // namespace

namespace {

// The size an archive member's 60-byte header at `offset` claims (bytes 48 to 57, decimal).
std::uintmax_t raw_member_size(int fd, off_t offset) {
  char header[60];
  if (::pread(fd, header, sizeof header, offset) != static_cast<ssize_t>(sizeof header)) return 0;
  std::uintmax_t size = 0;
  for (int i = 48; i < 58 && header[i] >= '0' && header[i] <= '9'; ++i) size = size * 10 + static_cast<std::uintmax_t>(header[i] - '0');
  return size;
}

// A thin archive (`ar rcsT`) names its members' files instead of holding them.
bool thin_archive(int fd) {
  char magic[8] = {};
  return ::pread(fd, magic, sizeof magic, 0) == static_cast<ssize_t>(sizeof magic) && std::string_view(magic, 8) == "!<thin>\n";
}

// An archive holds members when it is longer than its "!<arch>\n" magic.
bool fs_size_above_header(const std::filesystem::path& file) {
  std::error_code ec;
  return std::filesystem::file_size(file, ec) > 8 && !ec;
}

} // namespace

std::optional<ElfSizes> read_elf_sizes(const std::filesystem::path& file) {
  OpenElf elf(file);
  if (!elf.opened()) throw Error(ErrorKind::parse, fmt::format("{}: cannot open it", file.string()));
  if (thin_archive(elf.fd()))
    throw Error(ErrorKind::parse, fmt::format("{} is a thin archive: it points at its objects instead of holding them, so their "
                                              "sizes are not in it; build a full archive (ar without T)",
                                              file.string()));
  if (!elf.get()) return std::nullopt;
  ElfSizes sizes;
  if (!elf.archive()) {
    add_object(elf.get(), file.string(), "", sizes);
  } else {
    // A static archive (.a): every ELF member's sections summed, its symbols named with the member
    // ("util.c.o: f", the second member of that name "util.c.o#2: f").
    sizes.archive = true;
    std::map<std::string, int> seen;
    std::uintmax_t members_end = 8; // past "!<arch>\n"
    for (Elf_Cmd command = fs_size_above_header(file) ? ELF_C_READ : ELF_C_NULL; command != ELF_C_NULL;) {
      Elf* member = elf_begin(elf.fd(), command, elf.get());
      if (!member)
        throw Error(ErrorKind::parse, fmt::format("{}: a member after the {} read cannot be: {} (truncated or corrupt?)",
                                                  file.string(), seen.size(), elf_errmsg(-1)));
      const Elf_Arhdr* header = elf_getarhdr(member);
      std::string name = header && header->ar_name ? valid_utf8(header->ar_name) : "?";
      if (const off_t at = elf_getaroff(member); at >= 0) { // where the member ends: its header, its bytes, a pad to even
        const std::uintmax_t bytes = raw_member_size(elf.fd(), at); // libelf cuts a size to what the file holds
        members_end = static_cast<std::uintmax_t>(at) + 60 + bytes + (bytes % 2);
      }
      // The archive's own tables: its symbol index and long-name table (GNU), its index (BSD).
      const bool table = name == "/" || name == "//" || name == "/SYM64/" || name.starts_with("__.SYMDEF");
      try {
        if (table) {
          command = elf_next(member);
          elf_end(member);
          continue;
        }
        if (elf_kind(member) != ELF_K_ELF)
          throw Error(ErrorKind::parse, fmt::format("{}: member {} is not an ELF object (LLVM bitcode from -flto, or an archive "
                                                    "inside the archive?), so its size cannot be told",
                                                    file.string(), printable_line(name, 200)));
        if (const int n = ++seen[name]; n > 1) name += fmt::format("#{}", n);
        add_object(member, fmt::format("{}({})", file.string(), name), name + ": ", sizes);
      } catch (...) {
        elf_end(member);
        throw;
      }
      command = elf_next(member);
      elf_end(member);
    }
    // A cut archive ends inside a member (whose header claims more bytes than are left) or libelf
    // stops early: either way what was read does not end where the file does.
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (!ec && members_end != size && members_end != size + 1)
      throw Error(ErrorKind::parse, fmt::format("{}: its members end at byte {}, the file at {} (truncated or corrupt?)",
                                                file.string(), members_end, size));
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
