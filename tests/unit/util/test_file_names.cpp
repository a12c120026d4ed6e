#include "util/file_names.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(file_names)

BOOST_AUTO_TEST_CASE(escapes_every_byte_that_could_leave_the_folder) {
  BOOST_TEST(file_stem("store/1") == "store%2F1");
  BOOST_TEST(file_stem(".hidden") == "%2Ehidden");
  BOOST_TEST(file_stem("a.b-c_d") == "a.b-c_d");
}

BOOST_AUTO_TEST_CASE(long_names_fit_a_file_name_and_stay_distinct) {
  const std::string a(200, '/'), b = std::string(199, '/') + "x";
  BOOST_TEST(file_stem(a).size() <= 160u);
  BOOST_TEST(file_stem(a) != file_stem(b));
  BOOST_TEST(file_stem(a).find('~') != std::string::npos);
  const std::string stem = file_stem(a);
  BOOST_TEST(stem.substr(0, stem.find('~')).size() % 3 == 0u); // cut between escapes, never inside one
}

BOOST_AUTO_TEST_SUITE_END()
