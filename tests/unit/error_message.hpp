#pragma once
// The message of the cibench::Error that `action` throws; fails the test when it throws none.
#include "util/error.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

template <class Action> std::string error_message(Action&& action) {
  try {
    action();
  } catch (const cibench::Error& e) {
    return e.what();
  }
  BOOST_FAIL("expected an error");
  return {};
}
