#include "util/sha256.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(sha256)

// FIPS 180-4's examples, and a million 'a's fed in uneven pieces (the buffering across blocks).
BOOST_AUTO_TEST_CASE(gives_the_standard_digests) {
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  const std::string piece(997, 'a');
  std::size_t left = 1'000'000;
  for (; left >= piece.size(); left -= piece.size()) million.add(piece);
  million.add(piece.substr(0, left));
  BOOST_TEST(million.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(fields_are_delimited) {
  BOOST_TEST(Sha256().field("ab").field("c").hex() != Sha256().field("a").field("bc").hex());
}

BOOST_AUTO_TEST_SUITE_END()
