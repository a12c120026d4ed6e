#include "measure/driver_build.hpp"

#include "elf/elf_loaded_content.hpp"

namespace cibench {

const DriverBuild& this_driver() {
  static const DriverBuild driver = [] {
    const auto loaded = elf_loaded_content("/proc/self/exe");
    return DriverBuild{CIBENCH_VERSION, loaded ? loaded->digest : std::string()};
  }();
  return driver;
}

} // namespace cibench
