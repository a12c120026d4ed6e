#include "util/short_name.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(short_names)

BOOST_AUTO_TEST_CASE(template_arguments_fold_and_inline_namespaces_go) {
  BOOST_TEST(short_name("fmt::v12::detail::write<char, fmt::v12::basic_appender<char>, int, 0>(fmt::v12::basic_appender<char>, int)") ==
             "fmt::detail::write<…>(fmt::basic_appender<…>, int)");
  BOOST_TEST(short_name("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_append(char const*, unsigned long)") ==
             "std::basic_string<…>::_M_append(char const*, unsigned long)");
  BOOST_TEST(short_name("std::__1::vector<int, std::__1::allocator<int> >::push_back(int&&)") == "std::vector<…>::push_back(int&&)");
}

BOOST_AUTO_TEST_CASE(what_tells_siblings_apart_stays) {
  BOOST_TEST(short_name("auto fmt::v12::detail::parse<char>(char const*)::{lambda(int)#2}::operator()(int) const") ==
             "auto fmt::detail::parse<…>(char const*)::{lambda(int)#2}::operator()(int) const");
  BOOST_TEST(short_name("bool std::operator< <int>(std::pair<int, int> const&, std::pair<int, int> const&)") ==
             "bool std::operator< <…>(std::pair<…> const&, std::pair<…> const&)");
  BOOST_TEST(short_name("Stream::operator<<(int)") == "Stream::operator<<(int)");
  BOOST_TEST(short_name("Ptr::operator->() const") == "Ptr::operator->() const");
  BOOST_TEST(short_name("LZ4HC_compress_generic_noDictCtx.part.0") == "LZ4HC_compress_generic_noDictCtx.part.0");
  BOOST_TEST(short_name("cv2(int) [clone .isra.0]") == "cv2(int) [clone .isra.0]");
  BOOST_TEST(short_name("std::__introsort_loop<int*, long>(int*, int*, long) [clone .isra.0]'2") ==
             "std::__introsort_loop<…>(int*, int*, long) [clone .isra.0]"); // Callgrind's recursion level
}

BOOST_AUTO_TEST_CASE(a_name_still_too_long_keeps_its_start_and_tail) {
  std::string params;
  for (int i = 0; i < 40; ++i) params += "long, ";
  const std::string s = short_name("ns::f(" + params + "int)::{lambda()#3}::operator()() const", 120);
  BOOST_TEST(s.size() <= 120u + 2); // "…" is 3 bytes for 1 character
  BOOST_TEST(s.starts_with("ns::f(long, "));
  BOOST_TEST(s.ends_with("int)::{lambda()#3}::operator()() const"));
  BOOST_TEST(s.find("…") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_function_key_shortens_only_its_function) {
  BOOST_TEST(short_function_key("src/format.h:fmt::v12::vformat<char>(int)") == "src/format.h:fmt::vformat<…>(int)");
  BOOST_TEST(short_function_key("???:std::vector<int>::size() const") == "???:std::vector<…>::size() const");
  BOOST_TEST(short_name("a<b") == "a<b"); // unbalanced: left as it is
  BOOST_TEST(short_function_key("we ird:<x>.c:work<int>(int)") == "we ird:<x>.c:work<…>(int)"); // a ':' in the file
  BOOST_TEST(function_of_key("a.c:ns::f()") == "ns::f()");
  BOOST_TEST(function_of_key("nofile") == "nofile");
}

BOOST_AUTO_TEST_SUITE_END()
