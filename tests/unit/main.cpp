#define BOOST_TEST_MODULE ci-bench unit tests
#include <boost/test/unit_test.hpp>
