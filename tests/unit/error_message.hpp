#pragma once
// The message of the cibench::Error that `action` throws, checked to be of `kind`: the check
// fails (and the message is empty) when it throws nothing, something else, or another kind.
#include "util/error.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

template <class Action> std::string error_message(cibench::ErrorKind kind, Action&& action) {
  std::string message;
  BOOST_CHECK_EXCEPTION(action(), cibench::Error, [&](const cibench::Error& e) {
    message = e.what();
    BOOST_TEST_CONTEXT("message: " << message) BOOST_TEST(to_string(e.kind) == to_string(kind));
    return e.kind == kind;
  });
  return message;
}
